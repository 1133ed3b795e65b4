"""The digest of a package's own source, which cache keys name (the mirror's, the harness's)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from pathlib import Path


def source_digest(root: Path) -> str:
    """BLAKE2b (32 bytes, 64 hex digits) over each ``*.py`` below ``root``, its path from ``root`` then its bytes, in
    path order. An internal digest (cache keys, never a report): hashlib's builtin sha256, which the command line
    uses (harness.launch.builtin_hashes), hashes 4x slower than CPython's own _blake2.

    The digest sorted(root.rglob("*.py")) with Path.read_bytes gave (order by path parts, not by string): a
    filled-cache eval works out two of these, and a Path per file cost more than the hashing (os.walk here)."""
    h = hashlib.blake2b(digest_size=32)
    # One file read at a time, in path order: all of them read first held some 4 MB at once (the corpus' eval grew
    # by 3 MB as it took the harness's digest); the update of the path, then of the bytes, hashes what one update of
    # their concatenation did, without the copy.
    for parts, path in sorted(_sources(root), key=lambda one: one[0]):
        with open(path, "rb") as f:
            data = f.read()
        h.update("/".join(parts).encode() + b"\0")
        h.update(data)
    return h.hexdigest()


def _sources(root: Path) -> list[tuple[tuple[str, ...], str]]:
    """Each ``*.py`` below ``root``: its path's parts from ``root``, and its path."""
    out = []
    for folder, _, names in os.walk(root):
        rel = os.path.relpath(folder, root)
        parts = () if rel == os.curdir else tuple(rel.split(os.sep))
        out += [((*parts, name), os.path.join(folder, name)) for name in names if name.endswith(".py")]
    return out


class _Keep:
    """Where a command line keeps source digests under their files' stat stamp (keep_digests_in); None: nowhere."""

    folder: Path | None = None


def keep_digests_in(folder: Path) -> None:
    """Keep the digests kept_source_digest works out in ``folder`` (a command line's cache, harness.launch): every
    eval and gate named both packages' digests, reading and hashing their 4 MB of source each time (135 M
    instructions of the corpus' eval, under valgrind, which has no SHA extensions)."""
    _Keep.folder = folder


# A file changed this shortly before its digest is taken may have been written again since within the clock's tick
# (the kernel's coarse one, which ctime and mtime read): such a digest is worked out, never kept.
_SETTLE_NS = 50_000_000


def kept_source_digest(root: Path) -> str:
    """source_digest(root), read back where keep_digests_in kept it for the very stat stamp of the files (each one's
    path, size, inode, and change and modification times in ns: a file written anew has another ctime, which no tool
    sets back; harness.runcache keeps the harness's whole digest the same way); worked out (and kept) otherwise."""
    folder = _Keep.folder
    if folder is None:
        return source_digest(root)
    place = folder / f"source-b2-{hashlib.blake2b(str(root).encode('utf-8', 'surrogateescape')).hexdigest()[:16]}"
    now = time.time_ns()
    stamp, newest = _stamp(root)
    with contextlib.suppress(OSError, UnicodeDecodeError):
        kept_stamp, _, digest = place.read_text(encoding="ascii").partition("\n")
        if kept_stamp == stamp and len(digest) == 64:
            return digest
    digest = source_digest(root)
    if newest < now - _SETTLE_NS and _stamp(root)[0] == stamp:  # the files, settled, were not changed while read
        temp = place.with_name(f"{place.name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            temp.write_text(f"{stamp}\n{digest}", encoding="ascii")
            os.replace(temp, place)
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    return digest


def _stamp(root: Path) -> tuple[str, int]:
    """The files' stat stamp, and the newest change (ctime or mtime, ns) among them."""
    h = hashlib.blake2b(digest_size=32)
    newest = 0
    for parts, path in sorted(_sources(root)):
        st = os.stat(path)
        newest = max(newest, st.st_ctime_ns, st.st_mtime_ns)
        h.update(f"{'/'.join(parts)}\0{st.st_size}\0{st.st_ino}\0{st.st_ctime_ns}\0{st.st_mtime_ns}\n".encode(
            "utf-8", "surrogateescape"))
    return h.hexdigest(), newest

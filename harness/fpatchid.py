"""git format-patch's own patch-id of each commit of a ``git log -p --raw`` text (diff.c diff_get_patch_id)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable

from harness.diffpaths import unquote_path
from models.record import record

_NULL = "0" * 40
_SPACE = bytes.maketrans(b"", b"")  # bytes.translate's table that keeps every byte; the spaces are deleted
_FEW = 8000  # bytes git looks at for a NUL to call a blob binary (xdiff-interface.c buffer_is_binary)
# The options of the log this module reads: every pair's modes and full object ids (--raw), and the hunks as
# diff_get_patch_id makes them (xdiff with 3 lines of context, no indent heuristic, myers), names unquoted where
# git can (quotePath off: a name that is not ASCII; a tab or quote is still quoted, and unquoted here).
LOG_OPTIONS = ("-c", "core.quotePath=false", "log", "-p", "--raw", "--no-abbrev", "--full-index", "--no-color",
               "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative", "-U3",
               "--inter-hunk-context=0", "--diff-algorithm=myers", "--no-indent-heuristic", "--submodule=short",
               "--ignore-submodules=none", "--format=commit %H")


@record
class _Pair:
    """One file pair of a commit as ``--raw`` gives it, and what its patch section showed."""

    modes: tuple[int, int]
    oids: tuple[str, str]
    paths: tuple[bytes, bytes]
    sections: int = 1  # a type change (a file made a link) shows as two: the old file deleted, the new created


def _raw(line: bytes) -> _Pair | None:
    """``:100644 100644 OID OID R100\\told\\tnew`` as a pair; None for a line of no such form."""
    head, _, names = line.partition(b"\t")
    fields = head[1:].split(b" ")
    if len(fields) != 5 or not names:
        return None
    paths = [unquote_path(n.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
             for n in names.split(b"\t")]
    try:
        modes = (int(fields[0], 8), int(fields[1], 8))
    except ValueError:
        return None
    return _Pair(modes, (fields[2].decode("ascii", "replace"), fields[3].decode("ascii", "replace")),
                 (paths[0], paths[-1]), 2 if fields[4].startswith(b"T") else 1)


@record
class _Commit:
    """A commit's pairs and, for each ``diff --git`` section in order, its hunk lines and whether it said binary."""

    name: str
    pairs: tuple[_Pair, ...]
    sections: tuple[tuple[tuple[bytes, ...], bool], ...]


def _commits(log: bytes) -> list[_Commit]:
    """The log's commits, each with its raw pairs and patch sections."""
    out: list[_Commit] = []
    name, hunks = "", False
    pairs: list[_Pair] = []
    sections: list[tuple[list[bytes], list[bool]]] = []  # each section's hunk lines, and [whether binary]

    def done() -> None:
        if name:
            out.append(_Commit(name, tuple(pairs), tuple((tuple(s), b[0]) for s, b in sections)))

    for line in log.split(b"\n"):
        if line.startswith(b"commit "):
            done()
            name, pairs, sections, hunks = line[7:].decode("ascii", "replace").strip(), [], [], False
        elif line.startswith(b":") and not sections:
            pair = _raw(line)
            if pair is not None:
                pairs.append(pair)
        elif line.startswith(b"diff --git "):
            sections.append(([], [False]))
            hunks = False
        elif sections and line.startswith(b"@@ -"):
            hunks = True
        elif sections and hunks and line[:1] in (b" ", b"+", b"-"):
            sections[-1][0].append(line)
        elif sections and not hunks and line.startswith(b"Binary files "):
            sections[-1][1][0] = True
    done()
    return out


def _mode(word: bytes, mode: int) -> bytes:
    return word + b"%06o" % mode


def _pair_hash(pair: _Pair, lines: tuple[bytes, ...], binary: bool) -> int:
    """One pair's SHA-1 as diff_get_patch_id hashes it (git 2.39): its names and modes without whitespace, then
    the object ids of a binary file, else the ---/+++ names and the hunks' lines without whitespace."""
    one, two = (p.translate(_SPACE, b" \t\n\r") for p in pair.paths)
    ctx = hashlib.sha1(b"diff--gita/" + one + b"b/" + two)
    if not pair.modes[0]:
        ctx.update(_mode(b"newfilemode", pair.modes[1]))
    elif not pair.modes[1]:
        ctx.update(_mode(b"deletedfilemode", pair.modes[0]))
    elif pair.modes[0] != pair.modes[1]:
        ctx.update(_mode(b"oldmode", pair.modes[0]) + _mode(b"newmode", pair.modes[1]))
    if binary:
        ctx.update(pair.oids[0].encode() + pair.oids[1].encode())
    else:
        ctx.update((b"---/dev/null" if not pair.modes[0] else b"---a/" + one) +
                   (b"+++/dev/null" if not pair.modes[1] else b"+++b/" + two))
        for line in lines:
            ctx.update(line.translate(_SPACE, b" \t\n\r"))
    return int.from_bytes(ctx.digest(), "little")


Git = Callable[..., subprocess.CompletedProcess[bytes]]
GITLINK = 0o160000
# The diff of two blobs as diff_get_patch_id's xdiff makes it (LOG_OPTIONS' hunks), whatever the tree's config says.
_BLOB_DIFF = ("diff", "--no-color", "--no-ext-diff", "--no-textconv", "-U3", "--inter-hunk-context=0",
              "--diff-algorithm=myers", "--no-indent-heuristic")


def format_patch_ids(log: bytes, git: Git) -> dict[str, str]:
    """commit -> its patch-id as git format-patch --base writes it (``prerequisite-patch-id:``), for each commit of
    ``log`` (LOG_OPTIONS; ``git`` runs git on its repository). A file whose section shows no content (a rename, copy
    or mode change alone) is binary or not as its blob is; the others as the log said ("Binary files ... differ"). A
    type change's two sections are one diff of the old text and the new to format-patch: git's diff of the two blobs
    (a line both hold is context there); a commit whose diff git does not give is left out."""
    commits = [(c, shown) for c in _commits(log) if (shown := _shown(c)) is not None]
    unseen = {o for _, shown in commits for p, (lines, said) in shown if not lines and not said for o in p.oids
              if o != _NULL}
    binaries = binary_blobs(git, sorted(unseen)) if unseen else set()
    ids: dict[str, str] = {}
    for c, shown in commits:
        total = 0
        for pair, (lines, said) in shown:
            blob = said or (not lines and any(o in binaries for o in pair.oids))
            hunks = lines if blob or pair.sections == 1 else _retyped(git, pair, lines)
            if hunks is None:
                break
            total = (total + _pair_hash(pair, hunks, blob)) % (1 << 160)
        else:
            ids[c.name] = total.to_bytes(20, "little").hex()
    return ids


def _retyped(git: Git, pair: _Pair, lines: tuple[bytes, ...]) -> tuple[bytes, ...] | None:
    """A text type change's hunk lines as diff_get_patch_id diffs it, old text against new in one diff (git log -p
    deletes the one and creates the other): git's diff of the two blobs; of a submodule's side (no blob: its text
    is 'Subproject commit <id>', diff.c diff_populate_gitlink), the log's lines where it shares no line with the
    other side, which is then the same diff, else git diff --no-index of the two texts; None where git fails."""
    if GITLINK in pair.modes:
        old = {x[1:] for x in lines if x.startswith(b"-")}
        if not any(x[1:] in old for x in lines if x.startswith(b"+")):
            return lines
        old_text, new_text = (_text(git, m, o) for m, o in zip(pair.modes, pair.oids, strict=True))
        return None if old_text is None or new_text is None else _texts_diff(git, old_text, new_text)
    return _hunk_lines(git(*_BLOB_DIFF, *pair.oids), (0,))


def _text(git: Git, mode: int, oid: str) -> bytes | None:
    """A side's text as diff.c reads it: a submodule's line naming its commit, a blob's bytes (None: not read)."""
    if mode == GITLINK:
        return b"Subproject commit %s\n" % oid.encode()
    res = git("cat-file", "blob", oid)
    return None if res.returncode else res.stdout


def _texts_diff(git: Git, old: bytes, new: bytes) -> tuple[bytes, ...] | None:
    """The hunk lines of git diff --no-index of two texts (files in a folder of their own, never the tree's)."""
    with tempfile.TemporaryDirectory(prefix="seamharness-") as tmp:
        paths = [os.path.join(tmp, name) for name in ("old", "new")]
        for path, data in zip(paths, (old, new), strict=True):
            with open(path, "wb") as fh:
                fh.write(data)
        return _hunk_lines(git(*_BLOB_DIFF, "--no-index", "--", *paths), (0, 1))  # 1: they differ


def _hunk_lines(res: subprocess.CompletedProcess[bytes], ok: tuple[int, ...]) -> tuple[bytes, ...] | None:
    """The hunk lines of a git diff's output; None where git exited otherwise than ``ok``."""
    if res.returncode not in ok:
        return None
    out, hunks = [], False
    for line in res.stdout.split(b"\n"):
        if line.startswith(b"@@ -"):
            hunks = True
        elif hunks and line[:1] in (b" ", b"+", b"-"):
            out.append(line)
    return tuple(out)


def _shown(c: _Commit) -> list[tuple[_Pair, tuple[tuple[bytes, ...], bool]]] | None:
    """Each pair of the commit with its section's lines and whether it said binary; None where the sections do not
    match the pairs (no pair, or a count that differs: the commit is left out, never given a wrong id)."""
    if not c.pairs or sum(p.sections for p in c.pairs) != len(c.sections):
        return None
    out, i = [], 0
    for pair in c.pairs:
        part = c.sections[i:i + pair.sections]
        i += pair.sections
        out.append((pair, (tuple(x for lines, _ in part for x in lines), any(said for _, said in part))))
    return out


def binary_blobs(git: Git, oids: Iterable[str]) -> set[str]:
    """Which blobs hold a NUL in their first 8000 bytes (git's buffer_is_binary), read with git cat-file --batch;
    a blob git cannot read is taken as text."""
    data = git("cat-file", "--batch", stdin="".join(f"{o}\n" for o in oids).encode()).stdout
    found: set[str] = set()
    i = 0
    while i < len(data):
        end = data.find(b"\n", i)
        if end < 0:
            break
        head = data[i:end].split(b" ")
        i = end + 1
        if len(head) != 3 or not head[2].isdigit():
            continue  # "OID missing"
        size = int(head[2])
        if b"\0" in data[i:i + min(size, _FEW)]:
            found.add(head[0].decode("ascii", "replace"))
        i += size + 1
    return found

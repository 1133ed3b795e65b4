"""A patch's ``git patch-id --stable``: which change it is, whatever its mail, number, title or line numbers."""

from __future__ import annotations

import hashlib
import re

# git's own isspace() and isalpha() (ctype.c sane_ctype): ASCII only; \v and \f are no space to git.
_SPACE = re.compile(rb"[ \t\n\r]+")
_HUNK = re.compile(rb"@@ -(?:\d*,)?(\d+) \+(?:\d*,)?(\d+)")
_HEX40 = re.compile(rb"[0-9a-fA-F]{40}")


def patch_id(diff: bytes) -> str | None:
    """``git patch-id --stable`` of one patch's diff (builtin/patch-id.c get_one_patchid as of git 2.39): each
    file's lines, whitespace removed, its ``index`` line and hunk headers left out, hashed apiece and the SHA-1s
    added as 20-byte numbers, so the order of files does not count. None for a diff git gives no id (no line)."""
    total, length = 0, 0
    before = after = -1
    ctx = hashlib.sha1()
    for line in _lines(diff):
        p = next((line[len(w):] for w in (b"diff-tree ", b"commit ", b"From ") if line.startswith(w)), None)
        if p is None and line.startswith(b"\\ ") and len(line) > 12:
            continue  # "\ No newline at end of file"
        if _HEX40.match(p if p is not None else line):
            break  # the next commit's header: git reads no further for this one
        if not length and not line.startswith(b"diff "):
            continue
        if before == -1:
            if line.startswith(b"index "):
                continue
            if line.startswith(b"--- "):
                before = after = 1
            elif not line[:1].isalpha():
                break
        if before == 0 and after == 0:
            if line.startswith(b"@@ -"):
                counts = _hunk_counts(line)
                before, after = counts if counts is not None else (before, after)
                continue
            if not line.startswith(b"diff "):
                break  # the end of the patch: a signature, say
            total, ctx = _flush(total, ctx), hashlib.sha1()
            before = after = -1
        if line[:1] in (b"-", b" "):
            before -= 1
        if line[:1] in (b"+", b" "):
            after -= 1
        text = _SPACE.sub(b"", line)
        length += len(text)
        ctx.update(text)
    if not length:
        return None
    return _flush(total, ctx).to_bytes(20, "little").hex()


def _lines(diff: bytes) -> list[bytes]:
    """The diff's lines as git reads them (strbuf_getwholeline): split at LF only, each with its LF."""
    parts = diff.split(b"\n")
    return [p + b"\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _hunk_counts(line: bytes) -> tuple[int, int] | None:
    """A hunk header's line counts (git's scan_hunk_header: a missing count is the number before it, as atoi of
    where it stopped reads it); None when git cannot scan it (the counts stay as they were)."""
    m = _HUNK.match(line)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _flush(total: int, ctx: hashlib._Hash) -> int:
    """The sum so far plus this file's SHA-1, each byte string read least significant byte first, as git adds
    them byte by byte with carry (flush_one_hunk); the carry out of the 20th byte is lost."""
    return (total + int.from_bytes(ctx.digest(), "little")) % (1 << 160)

"""A patch's ``git patch-id --stable``: which change it is, whatever its mail, number, title or line numbers."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator

from models.lazyre import lazy

# git's own isspace() and isalpha() (ctype.c sane_ctype): ASCII only; \v and \f are no space to git.
_SPACE = b" \t\n\r"  # deleted from a line with bytes.translate: what re.sub(rb"[ \t\n\r]+", b"", line) gives
_HEADS = (b"diff-tree ", b"commit ", b"From ")  # git's header lines naming the next commit
_HUNK = lazy(rb"@@ -(?:\d*,)?(\d+) \+(?:\d*,)?(\d+)")
_HEX40 = lazy(rb"[0-9a-fA-F]{40}")


def patch_id(diff: bytes) -> str | None:
    """``git patch-id --stable`` of one patch's diff (builtin/patch-id.c get_one_patchid as of git 2.39): each
    file's lines, whitespace removed, its ``index`` line and hunk headers left out, hashed apiece and the SHA-1s
    added as 20-byte numbers, so the order of files does not count. None for a diff git gives no id (no line)."""
    total, length = 0, 0
    before = after = -1
    ctx = hashlib.sha1()
    for line in _lines(diff):
        # Asked of every line: a tuple startswith before the generator finding which (most lines are none).
        p = next(line[len(w):] for w in _HEADS if line.startswith(w)) if line.startswith(_HEADS) else None
        if p is None and line.startswith(b"\\ ") and len(line) > 12:
            continue  # "\ No newline at end of file"
        if _HEX40().match(p if p is not None else line):
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
        text = line.translate(None, _SPACE)
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
    m = _HUNK().match(line)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _flush(total: int, ctx: hashlib._Hash) -> int:
    """The sum so far plus this file's SHA-1, each byte string read least significant byte first, as git adds
    them byte by byte with carry (flush_one_hunk); the carry out of the 20th byte is lost."""
    return (total + int.from_bytes(ctx.digest(), "little")) % (1 << 160)


_C_FILE = lazy(rb"\.[ch]$")
_FILE = lazy(rb"^diff --git a/.* b/(.*)$")
_WORD = lazy(rb"[0-9A-Za-z_]")
_NAME = lazy(rb"[A-Za-z_][0-9A-Za-z_]*")
# C11's keywords (6.4.1) and the null and truth constants: a line of these alone names nothing (named_added).
_KEYWORDS = frozenset(b"""auto break case char const continue default do double else enum extern float for goto if
    inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void
    volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert
    _Thread_local NULL true false bool""".split())


def code_id(diff: bytes) -> str | None:
    """The change as the compiler reads it (code_lines), as a sorted list per file, the files sorted. Two patches
    that differ in comments alone have one code id though their patch-ids differ; so may two that make the same
    lines in other places, which is the safe side for what carries an objection. None when no line of code
    changes (a patch of comments alone is no code)."""
    files = code_lines(diff)
    if not files:
        return None
    digest = hashlib.sha1()
    for name in sorted(files):
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + b"\n".join(sorted(files[name].elements()))
                      + b"\0")
    return digest.hexdigest()


def code_lines(diff: bytes) -> dict[str, Counter[bytes]]:
    """Each file's added and removed lines (``+x``, ``-y``), whitespace removed and, in a C file, comments left out
    (a line only a comment is no line), counted in no order (a diff tool may align the same change otherwise: a
    closing brace taken as added here and as context there, so lines of no word are left out too)."""
    files: dict[bytes, list[bytes]] = {}
    for path, side, code in _code_texts(diff):
        files.setdefault(path, []).append(side + code.translate(None, _SPACE))
    return {name.decode("utf-8", "surrogateescape"): Counter(lines) for name, lines in files.items()}


def named_added(diff: bytes, side: bytes = b"+") -> Counter[bytes]:
    """The lines of code the diff adds (code_lines: whitespace removed, comments left out), whatever their file,
    those alone that name something: a line of C keywords, numbers and punctuation alone (``}``, ``return 0;``,
    ``} else {``, ``break;``) is in most functions, and says nothing of which code it is. ``side`` ``-``: the lines
    it removes, alike."""
    return Counter(code.translate(None, _SPACE) for _, at, code in _code_texts(diff)
                   if at == side and any(n not in _KEYWORDS for n in _NAME().findall(code)))


def _code_texts(diff: bytes) -> Iterator[tuple[bytes, bytes, bytes]]:
    """Each changed line of a word (code_lines): its file, its side (``+`` or ``-``) and its text, comments left out
    in a C file; a context line (`` x``) moves the comment state of both sides."""
    path, c_file, hunk = b"", False, False
    state = {b"-": False, b"+": False}  # inside a block comment, on the old side and the new
    for line in _lines(diff):
        line = line.rstrip(b"\n")
        head = _FILE().match(line)
        if head:
            path, c_file, hunk = head.group(1), bool(_C_FILE().search(head.group(1))), False
            continue
        if line.startswith(b"@@ -"):
            hunk, state = True, {b"-": False, b"+": False}
            continue
        if not hunk or line[:1] not in (b"+", b"-", b" "):
            hunk = hunk and line.startswith(b"\\")
            continue
        sides = (b"-", b"+") if line[:1] == b" " else (line[:1],)
        text = line[1:]
        for side in sides:
            code, state[side] = _uncommented(text, state[side]) if c_file else (text, False)
            if line[:1] != b" " and _WORD().search(code):
                yield path, side, code


def _uncommented(text: bytes, inside: bool) -> tuple[bytes, bool]:
    """One line of C without its comments, and whether a block comment is still open after it. A hunk may start
    inside a comment: a line that opens as a comment's continuation does (`` * text``, ``*/``)."""
    stripped = text.lstrip()
    if not inside and (stripped == b"*" or stripped.startswith((b"* ", b"*/", b"*\t"))):
        inside = True
    out, i, quote = bytearray(), 0, 0
    while i < len(text):
        ch = text[i]
        if inside:
            if text.startswith(b"*/", i):
                inside, i = False, i + 2
                out += b" "
            else:
                i += 1
            continue
        if quote:
            out.append(ch)
            if ch == ord("\\") and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = 0
        elif text.startswith(b"/*", i):
            inside, i = True, i + 2
            continue
        elif text.startswith(b"//", i):
            break
        else:
            out.append(ch)
            quote = ch if ch in (ord('"'), ord("'")) else 0
        i += 1
    return bytes(out), inside

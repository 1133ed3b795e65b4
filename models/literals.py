"""C string and character literals as gcc encodes them: source text in UTF-8, escapes as bytes."""

# The bytes of ``"temp %d°C\\n"`` are the UTF-8 bytes of the source characters, with each escape
# replaced by the byte it names (C11 6.4.4.4, 6.4.5; gcc's execution character set is UTF-8).
# Escapes gcc refuses are refused here too, with its words; one past a byte (``\x141``, ``\400``) gcc only
# warns about ("escape sequence out of range") and keeps its low byte, as here.

from __future__ import annotations

from models.errors import UnsupportedConstruct

_SIMPLE = {"n": 10, "t": 9, "r": 13, "\\": 92, "'": 39, '"': 34, "a": 7, "b": 8, "f": 12, "v": 11, "?": 63,
           "e": 27, "E": 27}
_HEX = "0123456789abcdefABCDEF"
# What the prelude's pr_fmt(fmt) expands to before ``fmt``, as a string literal's body: an escape gcc refuses
# (``\x`` with no hex digit), so no code that builds contains it. String-literal concatenation keeps it in
# place (``KERN_ERR pr_fmt("x")``); the mirror puts the pr_fmt prefix of the literal's site there
# (include/linux/printk.h: pr_fmt(fmt) is the translation unit's definition where it is expanded).
PR_FMT_MARK = "\\x{pr_fmt}"
PR_FMT_MACRO = "pr_fmt"


class EscapeError(ValueError):
    """An escape sequence gcc rejects (``\\x`` without digits, an incomplete universal character name)."""


def unescape_bytes(body: str, pr_fmt: bytes | None = None) -> bytes:
    """The bytes of a literal's body (the text between the quotes); ``pr_fmt`` stands for each PR_FMT_MARK
    (EscapeError, as for gcc, when None)."""
    out = bytearray()
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8", "surrogateescape")  # a source byte not UTF-8: gcc copies it as it is
            i += 1
            continue
        if i + 1 >= n:
            raise EscapeError("a backslash at the end of the literal")
        nxt = body[i + 1]
        if nxt == "x":
            j = i + 2
            while j < n and body[j] in _HEX:
                j += 1
            if j == i + 2 and pr_fmt is not None and body.startswith(PR_FMT_MARK, i):
                out += pr_fmt
                i += len(PR_FMT_MARK)
                continue
            if j == i + 2:
                raise EscapeError("\\x used with no following hex digits")
            out.append(int(body[i + 2 : j], 16) & 0xFF)  # past a byte: gcc warns, keeps the low byte
            i = j
        elif nxt in "uU":
            # A universal character name (C11 6.4.3): exactly 4 or 8 hex digits, stored as its UTF-8 bytes.
            width = 4 if nxt == "u" else 8
            digits = body[i + 2 : i + 2 + width]
            if len(digits) != width or any(d not in _HEX for d in digits):
                raise EscapeError(f"incomplete universal character name \\{nxt}{digits}")
            point = int(digits, 16)
            if not valid_ucn(point):
                raise EscapeError(f"\\{nxt}{digits} is not a valid universal character")
            out += _utf8(point)
            i += 2 + width
        elif nxt in "01234567":
            j = i + 1
            while j < n and j < i + 4 and body[j] in "01234567":
                j += 1
            out.append(int(body[i + 1 : j], 8) & 0xFF)  # \400 and up: gcc warns, keeps the low byte
            i = j
        else:
            # gcc only warns about an unknown escape ("unknown escape sequence") and keeps the character.
            out += _SIMPLE[nxt].to_bytes(1, "little") if nxt in _SIMPLE else nxt.encode("utf-8", "surrogateescape")
            i += 2
    return bytes(out)


def spells(body: str, name: str) -> bool:
    """Whether a string literal's body (the text between its quotes, escapes as written) spells ``name`` once
    decoded: how gcc reads the file name of a ``#line N "name"`` or a line marker (libcpp do_line(): the name's
    escapes interpreted as a string literal's, an unknown escape its character, gcc only warning), to tell whether
    it names the file's own path. EscapeError where gcc refuses the escape (stops the build)."""
    return unescape_bytes(body) == name.encode("utf-8", "surrogateescape")


def body_error(body: str) -> str | None:
    """Why text is not the body of one C string literal as written between its quotes, or None: gcc ends the
    literal at an unescaped ``"`` and refuses a line break in it ("missing terminating \" character")."""
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] == '"':
            return 'an unescaped " ends the literal (write \\")'
        if body[i] in "\r\n":
            return "a line break inside the literal (write \\n)"
        i += 1
    return None


def valid_ucn(point: int) -> bool:
    """Whether gcc takes a universal character name: not a surrogate, not below U+00A0 but $, @ and ` (C11 6.4.3p2),
    not past 0x7FFFFFFF (gcc 12: "is not a valid universal character", an error; up to there it only warns of one
    past U+10FFFF, "outside the UCS codespace")."""
    if 0xD800 <= point <= 0xDFFF or point > 0x7FFFFFFF:
        return False
    return point >= 0xA0 or point in (0x24, 0x40, 0x60)


def _utf8(point: int) -> bytes:
    """UTF-8 as gcc writes it (libcpp one_cppchar_to_utf8): past U+10FFFF in the original 4- to 6-byte forms."""
    if point < 0x80:
        return bytes([point])
    n = next(k for k, limit in ((2, 0x800), (3, 0x10000), (4, 0x200000), (5, 0x4000000), (6, 1 << 31))
             if point < limit)
    lead = ((0xFF << (8 - n)) & 0xFF) | (point >> (6 * (n - 1)))
    return bytes([lead, *(0x80 | ((point >> (6 * k)) & 0x3F) for k in range(n - 2, -1, -1))])


def string_bytes(text: str, pr_fmt: bytes | None = None) -> bytes:
    """A (pycparser-joined) string literal's bytes, without the terminating NUL; adjacent pieces joined;
    ``pr_fmt`` stands for each PR_FMT_MARK (see unescape_bytes)."""
    parts: list[bytes] = []
    i = 0
    while i < len(text):
        if text[i] != '"':
            i += 1
            continue
        j = i + 1
        while j < len(text) and text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        parts.append(unescape_bytes(text[i + 1 : j], pr_fmt))
        i = j + 1
    return b"".join(parts)


def uses_pr_fmt(text: str) -> bool:
    """Whether a string literal holds a PR_FMT_MARK (an escape: ``"\\\\x{pr_fmt}"`` is plain text)."""
    return bool(_marks(text))


def replace_pr_fmt(text: str, body: str) -> str:
    """A string literal's text with each PR_FMT_MARK replaced by ``body`` (literal body text)."""
    out, last = [], 0
    for at in _marks(text):
        out += [text[last:at], body]
        last = at + len(PR_FMT_MARK)
    return "".join(out) + text[last:]


def _marks(text: str) -> list[int]:
    """Where the PR_FMT_MARKs of a literal's text start: at a backslash that begins an escape."""
    found = []
    i = text.find("\\")
    while i != -1:
        if text.startswith(PR_FMT_MARK, i):
            found.append(i)
        i = text.find("\\", i + 2)
    return found


def sized_string_bytes(text: str, where: str) -> bytes:
    """string_bytes() where they are needed as the code is compiled (the literal's size, an array it
    initializes): one with pr_fmt() in it is refused at ``where``, its prefix being known only as it runs
    (the pr_fmt of the unit it runs in and of its site: models.printkargs.pr_fmt_literal); the compiler sizes it
    with a run's pr_fmt (models.sizedstrings)."""
    if uses_pr_fmt(text):
        raise UnsupportedConstruct(where, "the size of a string with pr_fmt() in it: its prefix is the pr_fmt of "
                                          "the unit the code runs in, known only when it runs")
    return string_bytes(text)


def string_value(text: str) -> str:
    """A string literal as text (for messages): its bytes read as UTF-8, invalid bytes as ``\\xNN``."""
    return string_bytes(text).decode("utf-8", errors="backslashreplace")


def is_char_constant(text: str) -> bool:
    """Whether a constant's text is a character constant: ``'a'``, ``L'a'``, and the multi-character
    ``'TD'`` that pycparser types as an int."""
    return text.lstrip("LuU8").startswith("'")


def char_value(text: str) -> int:
    """A character constant's int value: one byte is an unsigned char (the kernel's -funsigned-char: '\\xff' is
    255), several are gcc's multi-char value, an int (libcpp's narrow_str_to_charconst)."""
    data = unescape_bytes(text[text.index("'") + 1 : text.rindex("'")])
    if len(data) == 1:
        return data[0]
    value = 0
    for byte in data:
        value = (value << 8) | byte
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value

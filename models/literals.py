"""C string and character literals as gcc encodes them: source text in UTF-8, escapes as bytes."""

# The bytes of ``"temp %d°C\\n"`` are the UTF-8 bytes of the source characters, with each escape
# replaced by the byte it names (C11 6.4.4.4, 6.4.5; gcc's execution character set is UTF-8).
# Escapes gcc refuses are refused here too, with its words; one past a byte (``\x141``, ``\400``) gcc only
# warns about ("escape sequence out of range") and keeps its low byte, as here.

from __future__ import annotations

_SIMPLE = {"n": 10, "t": 9, "r": 13, "\\": 92, "'": 39, '"': 34, "a": 7, "b": 8, "f": 12, "v": 11, "?": 63,
           "e": 27, "E": 27}
_HEX = "0123456789abcdefABCDEF"


class EscapeError(ValueError):
    """An escape sequence gcc rejects (``\\x`` without digits, an incomplete universal character name)."""


def unescape_bytes(body: str) -> bytes:
    """The bytes of a literal's body (the text between the quotes)."""
    out = bytearray()
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        if i + 1 >= n:
            raise EscapeError("a backslash at the end of the literal")
        nxt = body[i + 1]
        if nxt == "x":
            j = i + 2
            while j < n and body[j] in _HEX:
                j += 1
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
            if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
                raise EscapeError(f"\\{nxt}{digits} is not a valid universal character")
            out += chr(point).encode("utf-8")
            i += 2 + width
        elif nxt in "01234567":
            j = i + 1
            while j < n and j < i + 4 and body[j] in "01234567":
                j += 1
            out.append(int(body[i + 1 : j], 8) & 0xFF)  # \400 and up: gcc warns, keeps the low byte
            i = j
        else:
            # gcc only warns about an unknown escape ("unknown escape sequence") and keeps the character.
            out += _SIMPLE[nxt].to_bytes(1, "little") if nxt in _SIMPLE else nxt.encode("utf-8")
            i += 2
    return bytes(out)


def string_bytes(text: str) -> bytes:
    """A (pycparser-joined) string literal's bytes, without the terminating NUL; adjacent pieces joined."""
    parts: list[bytes] = []
    i = 0
    while i < len(text):
        if text[i] != '"':
            i += 1
            continue
        j = i + 1
        while j < len(text) and text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        parts.append(unescape_bytes(text[i + 1 : j]))
        i = j + 1
    return b"".join(parts)


def string_value(text: str) -> str:
    """A string literal as text (for messages): its bytes read as UTF-8, invalid bytes as ``\\xNN``."""
    return string_bytes(text).decode("utf-8", errors="backslashreplace")


def is_char_constant(text: str) -> bool:
    """Whether a constant's text is a character constant: ``'a'``, ``L'a'``, and the multi-character
    ``'TD'`` that pycparser types as an int."""
    return text.lstrip("LuU8").startswith("'")


def char_value(text: str) -> int:
    """A character constant's int value: one byte is a (signed) char, several are gcc's multi-char value."""
    data = unescape_bytes(text[text.index("'") + 1 : text.rindex("'")])
    if len(data) == 1:
        return data[0] - 256 if data[0] >= 128 else data[0]
    value = 0
    for byte in data:
        value = (value << 8) | byte
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value

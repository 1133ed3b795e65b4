"""A git binary patch's data as git apply reads it (apply.c parse_binary): base85 lines, deflated, checked whole."""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Sequence

from harness.errors import InputError, Where

MAX_BINARY = 64 << 20  # bytes a binary hunk may inflate to, like the mail size cap
MAX_BINARY_LINES = MAX_BINARY // 52 + 2


def _binary_hunk(lines: list[str], i: int) -> tuple[int, str | None, tuple[str, bytes]]:
    """One ``literal N``/``delta N`` hunk of a git binary patch from line ``i``: (next line, what is wrong, its
    kind and inflated data)."""
    m = re.match(r"(literal|delta) (\d{1,4300})\n$", lines[i] if i < len(lines) else "")  # int() reads no more
    if m is None:
        return i, "unrecognized binary patch", ("", b"")
    size, data = int(m.group(2)), bytearray()
    i += 1
    while i < len(lines) and lines[i] != "\n":
        line = lines[i].rstrip("\n") if lines[i].endswith("\n") else "\r"  # the last line needs its line end
        width = (len(line) - 1) // 5 * 4
        count = (ord(line[0]) - 64 if "A" <= line[0] <= "Z" else ord(line[0]) - 70 if "a" <= line[0] <= "z" else 0)
        if len(line) < 6 or (len(line) - 1) % 5 or not width - 4 < count <= width:
            return i, "corrupt binary patch", ("", b"")
        try:
            data += base64.b85decode(line[1:])[:count]
        except ValueError:
            return i, "corrupt binary patch", ("", b"")
        i += 1
    inflate = zlib.decompressobj()
    try:
        out = inflate.decompress(bytes(data), min(size, MAX_BINARY) + 1)
    except zlib.error:
        return i, "corrupt binary patch", ("", b"")
    if i >= len(lines) or len(out) != size or not inflate.eof:
        return i, "corrupt binary patch", ("", b"")
    return i + 1, None, (m.group(1), out)


def check_binary(lines: list[str], i: int, line_of: Sequence[int], where: Where) -> tuple[tuple[str, bytes], int]:
    """The forward hunk of a binary patch from line ``i`` (kind, inflated data) and the index of the line past its
    data; git apply refuses a whole patch whose binary data is damaged (apply.c parse_binary), and so do we."""
    view = lines[i : i + MAX_BINARY_LINES]  # byte for byte: a CR here is damage, as for git
    after, wrong, forward = _binary_hunk(view, 0)
    if wrong is None and view[after : after + 1] and view[after].startswith(("literal ", "delta ")):
        after, wrong, _ = _binary_hunk(view, after)  # the optional reverse hunk
    if wrong is not None:
        raise InputError(Where(where.path, line_of[min(i + after, len(lines) - 1)], where.msgid), f"bad diff: {wrong}")
    return forward, i + after

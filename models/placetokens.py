"""Tokens an expansion marks with their own line and column, put there with #line markers (gcc's locations)."""

from __future__ import annotations

import re

TU_NAME = "<tu>"  # the name pcpp parses a text under

_MARK = re.compile(r"\x02(\d+),(\d+)\x03")
_LINE_DIRECTIVE = re.compile(r"#line (\d+)")


def place_tokens(out: str) -> str:
    """pcpp's output with each marked token (models.cpp's _NoIncludes.token()) on its own line and column, as gcc
    locates the tokens of a macro argument: a line of a multi-line invocation is said as that line (a trylock, a
    SEAMCALL in the second line of a macro's arguments), not the macro name's. ``#line`` markers go between the
    tokens and back to the next line after them, so that what follows keeps its number."""
    if "\x02" not in out:
        return out
    lines, number = [], 1
    for line in out.split("\n"):
        if (directive := _LINE_DIRECTIVE.match(line)) is not None:
            lines.append(line)
            number = int(directive.group(1))
            continue
        parts, current = _MARK.split(line), number
        text = parts[0]
        for own, column, rest in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
            if int(own) > current:
                current = int(own)
                text += f'\n#line {current} "{TU_NAME}"\n' + " " * (int(column) - 1)
            text += rest
        lines.append(text + (f'\n#line {number + 1} "{TU_NAME}"' if current != number else ""))
        number += 1
    return "\n".join(lines)

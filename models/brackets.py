"""Where a bracket of C text closes, counted bracket by bracket (string and character literals not skipped)."""

from __future__ import annotations


def closing_brace(text: str, start: int) -> int:
    """The index of the brace that closes the one at ``start`` (the last character when none does)."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return len(text) - 1


def closing_paren(text: str, start: int) -> int | None:
    """The index of the ')' that closes the '(' at ``start``; None when none does."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return None

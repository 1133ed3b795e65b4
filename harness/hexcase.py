"""The case of the hex digits a leaf is printed in: shown by a letter of its digits, else told by the conversions."""

# '%llx' and '%llX' print 0x21 alike and 0x2a as 2a and 2A (lib/vsprintf.c number(): SMALL for 'x'); the matrix's
# leaves (33, 35, 0x8000000000000000 ...) have no hex letter, so a line shows the case only through its format.

from __future__ import annotations

from models.printk import conversions

LOWER, UPPER = "lower-case", "upper-case"


def shown_case(digits: str) -> str:
    """The case a run of hex digits shows ("": none, no letter among them)."""
    lower, upper = any(c in "abcdef" for c in digits), any(c in "ABCDEF" for c in digits)
    return LOWER if lower and not upper else UPPER if upper and not lower else ""


def format_case(fmt: str | None) -> str:
    """The case every hex conversion of a printk format prints in ("": none, both, or the format not known)."""
    if fmt is None:
        return ""
    letters = {spec.conv for spec in conversions(fmt) if spec.conv in ("x", "X")}  # decoded as lib/vsprintf.c does
    return {frozenset("x"): LOWER, frozenset("X"): UPPER}.get(frozenset(letters), "")

"""Quotes marked with ``|`` (mutt's indent_string set to "| "): read as ``>`` quotes right below an attribution.

A reply that quotes a message as ``| I withdraw my NAK.`` below ``Mae Maint wrote:`` quotes Mae: read as its sender's
own words, the withdrawal lifted the sender's NAK (a false pass). git mailinfo and b4 give ``|`` no meaning (b4 reads
no trailer on such a line: its trailer pattern wants a word first), so only a run right below an attribution line
(harness.attribution.attribution) is taken for a quote: a table's ``| a | b |`` lines elsewhere stay the reply's own.
"""

from __future__ import annotations

import re

from harness.attribution import attribution
from harness.supercite import quote_marks as _rest

_BARS = re.compile(r"^(?:\|(?:[ \t]|$))+")  # "| ", "| | ", "|" alone: a quoted blank line


def bar_quotes(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``numbered`` (a reply's lines, as harness.message.body_lines numbers them) with each run of ``|``-marked lines
    right below an attribution line (a blank line between them allowed), at the top or inside a ``>`` quote of the
    same depth, marked with ``>`` instead, one for each ``|``: the same length, so the places of words are kept."""
    if not any(_BARS.match(_rest(t)[1]) for _, t in numbered):  # most replies: one pass, no change
        return numbered
    out = list(numbered)
    for i, (_, line) in enumerate(numbered):
        prefix, rest = _rest(line)
        if attribution(rest) is None:
            continue
        k = i + 1
        if k < len(out) and not _rest(out[k][1])[1].strip() and _rest(out[k][1])[0] == prefix:
            k += 1  # one blank line below the attribution
        while k < len(out) and (at := _rest(out[k][1]))[0] == prefix and (m := _BARS.match(at[1])) is not None:
            out[k] = (out[k][0], prefix + m.group(0).replace("|", ">") + at[1][m.end():])
            k += 1
    return out


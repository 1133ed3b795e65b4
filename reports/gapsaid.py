"""Which "not compared" gaps of a section's comparisons are said in full, referred to or left out: terminal, page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from harness.comparison import Comparison, Gap
from models.record import record
from models.wordfind import replace_name

# Around a variant's name in a gap's reason: no name's character before it, none after it but a clause's colon.
_NOT_IN_NAME = re.compile(r"(?<![\w:.+~-])")
_NAME_ENDS = re.compile(r"(?![\w.+~-]|:\w)")


@record
class GapLine:
    """A gap as a comparison of a section says it: in full (``under`` None), or, said in full under an earlier
    comparison of the section, referring to it by its label's head (``under``: 'v1 01/3')."""

    text: str
    under: str | None = None


def gap_key(c: Comparison, g: Gap) -> tuple[str, ...]:
    """A gap as it reads with the two sides' names put aside ('neither v3:00 nor v3:01 defines f()...' and 'neither
    v3:01 nor v3:02 defines f()...' alike): the same gap of the same entry points under each patch of a revision
    (a function a later patch adds) was a paragraph under every patch of the section. A name ends before a colon
    that ends a clause ('in v1:01 or v1:02: x.c:3: ...'), not before one of a longer name ('v1:02')."""
    reason = g.reason
    for name, mark in ((c.a, "\0A"), (c.b, "\0B")):
        reason = replace_name(reason, name, _NOT_IN_NAME, _NAME_ENDS, mark)
    return (*g.entries, str(g.scenarios), reason)


def _in_full(g: Gap, repeated: bool) -> str:
    """A gap in full; one another comparison of the section holds too, of entry points in neither state of each patch
    alike (a later patch adds them, no file has them), says that it is not said again (each patch would repeat it:
    Gap.said_once). Nowhere else: alone in a section ('v1 -> v2'), 'not said again under the other patches' read
    as though it were left out somewhere."""
    return f"{g}; {g.said_once}" if repeated and g.said_once else str(g)


def section_gaps(rows: Sequence[Comparison]) -> list[tuple[GapLine, ...]]:
    """Per comparison of a section, in its order, the gaps it says: each the first time in full; the same gap under
    a later comparison (gap_key) refers to the first, or is left out where it holds alike under each patch
    (Gap.said_once). The page said every gap again under every patch (35 paragraphs of the corpus' v3, where the
    terminal said them once): both read this."""
    held = Counter(key for c in rows for key in {gap_key(c, g) for g in c.gaps})
    said: dict[tuple[str, ...], str] = {}
    out: list[tuple[GapLine, ...]] = []
    for c in rows:
        lines: list[GapLine] = []
        first = c.label.split(": ", 1)[0]
        for g in c.gaps:
            key = gap_key(c, g)
            earlier = said.setdefault(key, first)
            if earlier == first:
                lines.append(GapLine(_in_full(g, held[key] > 1)))
            elif not g.said_once:  # else entry points in neither state of each patch alike: said under the first
                lines.append(GapLine(f"not compared: {', '.join(g.entries)} ({g.scenarios} scenario"
                                     f"{'s' if g.scenarios != 1 else ''}): for the reason said under {earlier}",
                                     earlier))
        out.append(tuple(lines))
    return out

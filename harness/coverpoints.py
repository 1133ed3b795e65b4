"""The patches a review point below the cover letter is of: those it names, or the whole series."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.model import Patch
from harness.replywords import NAMED_NUMBERS, listed_numbers, sentences
from harness.titlenames import as_numbers
from models.lazyre import lazy

# The series named as what the point is of: "For the whole series: please use %#llx.", "Throughout the series, print
# the leaf in hex.", "In all patches, ...", "Each patch should ...".
_SERIES = lazy(r"\b(?:(?:the|this|your)\s+(?:whole\s+|entire\s+)?(?:series|patch\s*set|patch\s+series)|"
               r"(?:all|every|each)\s+(?:of\s+)?(?:the\s+|these\s+|your\s+)?patch(?:es)?|throughout|everywhere)\b",
               re.I)
NAMES = "said in a reply to the cover letter, naming {}"  # cover_point_of's reason for those named ('this patch')
SERIES = "said in a reply to the cover letter, of the whole series"  # cover_point_of's reason for the series named
UNNAMED = "said in a reply to the cover letter naming no patch, so taken as of the whole series"  # for none named
# A heading sentence naming what the next is of: "Patch 3:", "For 2/3:", "Re patch 2 -".
_HEADING = lazy(r"[:\-–—]\s*$")


def cover_point_of(said: str, text: str, applied: Sequence[Patch], patches: tuple[Patch, ...]
                   ) -> tuple[tuple[Patch, ...], str] | None:
    """The applied patches the point ``said`` (a sentence of ``text``, a reply below the cover letter) is of, and why,
    for the objection's note (its first words: where the point was made and of what): those it names by number, title
    or place (titlenames.as_numbers; in its sentence, or a heading sentence right before it, "Patch 3:"); every applied
    patch when it names the series, or no patch (which one cannot be told, and the series' review holds it: a gate that
    passed said nothing of it); None when it names only patches the variant does not apply ("Patch 3 should go first."
    judged on v2:02)."""
    said_at = sentences(text)
    at = next((n for n, s in enumerate(said_at) if s == said), -1)
    heading = said_at[at - 1] if at > 0 and _HEADING().search(said_at[at - 1]) else ""
    if _SERIES().search(said) or _SERIES().search(heading):
        return tuple(applied), SERIES
    numbers = {n for part in (said, heading) for m in NAMED_NUMBERS().finditer(as_numbers(part, patches))
               for n in listed_numbers(next(g for g in m.groups() if g))}
    if not numbers:
        return tuple(applied), UNNAMED
    named = tuple(p for p in applied if p.number in numbers)
    return (named, NAMES.format("this patch" if len(named) == 1 else "these patches")) if named else None

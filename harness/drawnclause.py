"""A clause drawing a verdict from what its sentence said first ("The loop has no bound, so it's a no-go.")."""

from __future__ import annotations

import re

from models.lazyre import lazy

# "..., so", "...; therefore,", "... and thus", "... so" (a conjunction: not after "not" or "never", "not so ready"),
# or a leading "Given the above,": the clause after it has its own subject, and a negation in the clauses before it
# ("has no bound") governs nothing in it.
_DRAWN = lazy(r"^\W*given\s+[^,;:]+,\s*|(?<=\w)(?<!\bnot)(?<!\bnever)(?<!n['’]t)(?:\s*[,;]\s*|\s+)(?:and\s+)?"
              r"(?:so|therefore|thus|hence)\b[\s,]*", re.I)


def drawn_clauses(sentence: str) -> tuple[str, ...]:
    """The clauses of ``sentence`` that draw a verdict from what it said before (_DRAWN), each to its end."""
    return tuple(c for m in _DRAWN().finditer(sentence) if (c := sentence[m.end():]))


def drawn_start(sentence: str, at: int) -> int:
    """Where the drawn clause holding position ``at`` starts (_DRAWN), 0 when none before it does."""
    return max((m.end() for m in _DRAWN().finditer(sentence, 0, at) if m.end() <= at), default=0)

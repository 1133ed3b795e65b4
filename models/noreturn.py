"""The functions the code declares noreturn, read from their definitions' and prototypes' text."""

# The mirror's preprocessor drops the attribute (models.prelude's __noreturn is empty, models.cparse keeps no
# noreturn), so the AST cannot say it: the text can. gcc takes each of these spellings (include/linux/
# compiler_attributes.h: __noreturn is __attribute__((__noreturn__)); C11 _Noreturn; C23 [[noreturn]]); a call of
# such a function ends its path (models.reachable), and one that returns is undefined (models.statements).

from __future__ import annotations

import re
from collections.abc import Iterable

from models.loader import Source, sliced
from models.slicer import Definition, Kind

_SPELLED = re.compile(r"\b(?:__noreturn|_Noreturn)\b"
                      r"|\b__attribute(?:__)?\s*\(\s*\((?:[^()]|\([^()]*\))*?\b(?:__noreturn__|noreturn)\b"
                      r"|\[\[\s*(?:gnu\s*::\s*)?(?:__noreturn__|noreturn)\s*\]\]")
# Prototypes spelling it, by the identity of the sources tuple asked with (held with it; models.loader.definitions
# keeps no prototype): a variant's loads ask with the same tuple again and again.
_PROTOTYPES: dict[int, tuple[tuple[Source, ...], frozenset[str]]] = {}


def declared_noreturn(used: Iterable[Definition], sources: tuple[Source, ...]) -> frozenset[str]:
    """Names (C names) of the functions of ``used`` whose definition's head (its text before the body's first
    ``{``) or a prototype in ``sources`` spells the noreturn attribute; a macro that hides it (``#define __dead
    __noreturn``) is not followed."""
    names = {d.name for d in used if d.kind is Kind.FUNCTION}
    own = {d.name for d in used if d.kind is Kind.FUNCTION and _SPELLED.search(d.text.split("{", 1)[0])}
    return frozenset(own | (names & _prototypes(sources)))


def _prototypes(sources: tuple[Source, ...]) -> frozenset[str]:
    kept = _PROTOTYPES.get(id(sources))
    if kept is not None and kept[0] is sources:
        return kept[1]
    found = frozenset(d.name for s in sources if s.only is None and not s.unincluded for start, lines in s.pieces
                      if any("noreturn" in ln for ln in lines)
                      for d in sliced(s.path, start, lines) if d.kind is Kind.PROTOTYPE and _SPELLED.search(d.text))
    if len(_PROTOTYPES) >= 256:
        _PROTOTYPES.clear()
    _PROTOTYPES[id(sources)] = sources, found
    return found

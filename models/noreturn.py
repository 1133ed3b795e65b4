"""The functions the code declares noreturn or noinline, read from their definitions' and prototypes' text."""

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
# include/linux/compiler_attributes.h: noinline is __attribute__((__noinline__)); compiler_types.h: noinline_for_stack
# is noinline, noinstr's section attribute comes with noinline; gcc's noipa implies noinline. The prelude drops the
# words too (models.prelude): a noinline function is one copy of its code (models.onceunits).
_NOINLINE = re.compile(r"\b(?:noinline|noinline_for_stack|noinstr)\b"
                       r"|\b__attribute(?:__)?\s*\(\s*\((?:[^()]|\([^()]*\))*?\b(?:__noinline__|noinline|__noipa__|"
                       r"noipa)\b|\[\[\s*gnu\s*::\s*(?:__noinline__|noinline|__noipa__|noipa)\s*\]\]")
# Prototypes spelling an attribute, by the identity of the sources tuple asked with and the attribute's word (held
# with it; models.loader.definitions keeps no prototype): a variant's loads ask with the same tuple again and again.
_PROTOTYPES: dict[tuple[int, str], tuple[tuple[Source, ...], frozenset[str]]] = {}


def declared_noreturn(used: Iterable[Definition], sources: tuple[Source, ...]) -> frozenset[str]:
    """Names (C names) of the functions of ``used`` whose definition's head (its text before the body's first
    ``{``) or a prototype in ``sources`` spells the noreturn attribute; a macro that hides it (``#define __dead
    __noreturn``) is not followed."""
    names = {d.name for d in used if d.kind is Kind.FUNCTION}
    own = {d.name for d in used if d.kind is Kind.FUNCTION and _SPELLED.search(d.text.split("{", 1)[0])}
    return frozenset(own | (names & _prototypes(sources, "noreturn", _SPELLED)))


def declared_noinline(used: Iterable[Definition], sources: tuple[Source, ...]) -> frozenset[str]:
    """C names of the functions of ``used`` gcc emits one copy of: each definition of the name spells noinline in
    its head, or the name has one definition and a prototype in ``sources`` spells it. A name defined by several
    files (each its own copy) one of which is inlinable is left out: the copies cannot be told apart by it."""
    heads: dict[str, list[bool]] = {}
    for d in used:
        if d.kind is Kind.FUNCTION:
            heads.setdefault(d.name, []).append(bool(_NOINLINE.search(d.text.split("{", 1)[0])))
    protos = _prototypes(sources, "noi", _NOINLINE)
    return frozenset(n for n, h in heads.items() if all(h) or (len(h) == 1 and n in protos))


def declared_always_inline(used: Iterable[Definition]) -> frozenset[str]:
    """C names of the functions of ``used`` gcc inlines at every call: each definition spells __always_inline (or the
    attribute) in its head, so that each call site has a copy of its own (models.onceunits._warn_copy)."""
    heads: dict[str, list[bool]] = {}
    for d in used:
        if d.kind is Kind.FUNCTION:
            heads.setdefault(d.name, []).append(bool(_ALWAYS_INLINE.search(d.text.split("{", 1)[0])))
    return frozenset(n for n, h in heads.items() if all(h))


_ALWAYS_INLINE = re.compile(r"\b(?:__always_inline|always_inline|__always_inline__)\b")


def _prototypes(sources: tuple[Source, ...], word: str, spelled: re.Pattern[str]) -> frozenset[str]:
    kept = _PROTOTYPES.get((id(sources), word))
    if kept is not None and kept[0] is sources:
        return kept[1]
    found = frozenset(d.name for s in sources if s.only is None and not s.unincluded for start, lines in s.pieces
                      if any(word in ln for ln in lines)
                      for d in sliced(s.path, start, lines) if d.kind is Kind.PROTOTYPE and spelled.search(d.text))
    if len(_PROTOTYPES) >= 256:
        _PROTOTYPES.clear()
    _PROTOTYPES[(id(sources), word)] = sources, found
    return found

"""Functions a change puts in another section (``__init``, ``noinstr``, ``__section()``), which no run can show.

A run calls a function once, with no boot behind it: ``void __init seamcall_err(...)`` runs as ``void
seamcall_err(...)`` did. But gcc puts the first in .init.text, which the kernel frees after boot
(include/linux/init.h, free_initmem()), so a caller in .text that runs later jumps into freed memory (modpost warns:
"Section mismatch"); ``noinstr`` and the like change what may be traced or instrumented. Said as undecided
(harness.comparison.SECTION), never under "no behaviour change". A function declared ``__always_inline`` has no code
of its own (gcc inlines it at each call), so its section words change nothing and are not said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from harness.comparison import SECTION
from harness.memo import by_identity
from harness.runner import variant_sources
from models.loader import definitions, reachable
from models.slicer import Kind
from models.wordfind import BOUNDARY, CALL_AFTER, name_spans

if TYPE_CHECKING:
    from harness.matrixresult import MatrixResult

# include/linux/init.h, compiler_types.h: the attributes that place a function's code in a section of its own.
_WORDS = re.compile(r"\b(?:__init|__exit|__ref|__meminit|__memexit|__head|__cpuidle|noinstr|__noinstr_section"
                    r"|__section\s*\([^)]*\)|__attribute__\s*\(\(\s*(?:__)?section(?:__)?\s*\([^)]*\)\s*\)\))(?!\w)")


# include/linux/init.h, arch/x86/include/asm/init.h: the words that are a section and no more to where gcc places code
# (__init's __cold and __latent_entropy are hints): "__init" and '__section(".init.text")' place it alike.
_PLACES = {"__init": ".init.text", "__head": ".head.text"}
_NAMED = re.compile(r'section(?:__)?\s*\(\s*"([^"]*)"\s*\)')


def placements(words: tuple[str, ...]) -> frozenset[str]:
    """Where ``words`` (section_words') place a function: the section a ``__section("...")`` or
    ``__attribute__((section("...")))`` names, the one __init or __head stands for, else the word itself (noinstr,
    __exit, ...: more than a section)."""
    return frozenset(m.group(1) if (m := _NAMED.search(w)) else _PLACES.get(w, w) for w in words)


def section_words(text: str, name: str) -> tuple[str, ...] | None:
    """The section attributes in the declaration of function ``name`` (``text``: its definition), spacing aside, in
    order; None when it is ``__always_inline`` (no code of its own) or its name is not found."""
    m = next(name_spans(text, name, BOUNDARY, CALL_AFTER), None)
    if m is None:
        return None
    head = text[:m[0]]
    if re.search(r"\b__always_inline\b|always_inline", head):
        return None
    return tuple(" ".join(w.split()) for w in _WORDS.findall(head))


def _function_words(table: dict[str, Any]) -> dict[str, tuple[tuple[str, ...] | None, str]]:
    """Per function of a definitions table (its first definition): its section words and place, worked out once per
    table (do not change the dict given)."""
    return by_identity("section words", (table,), (), partial(_read_words, table))


def _read_words(table: dict[str, Any]) -> dict[str, tuple[tuple[str, ...] | None, str]]:
    return {name: (section_words(ds[0].text, name), ds[0].where) for name, ds in table.items()
            if ds and ds[0].kind is Kind.FUNCTION}


def _said(words: tuple[str, ...]) -> str:
    return f"'{' '.join(words)}'" if words else "in no section of its own"


def section_changes(res: MatrixResult, a: str, b: str, renamed: Mapping[str, str] | None = None
                    ) -> tuple[str, ...]:
    """Where a function both variants ``a`` and ``b`` define (under its old name in ``a`` where ``renamed``, old ->
    new, renames it), which some entry point of the matrix reaches in either and neither declares
    ``__always_inline``, is declared in another section in ``b`` than in ``a``: said (SECTION)."""
    sides = (res.variant(a), res.variant(b))
    tables = [_function_words(definitions(variant_sources(v))) for v in sides]
    old = {new: was for was, new in (renamed or {}).items() if was not in tables[1]}
    changed = {n: old.get(n, n) for n, (words, _) in tables[1].items() if old.get(n, n) in tables[0]
               and words is not None and tables[0][old.get(n, n)][0] is not None
               and placements(words) != placements(tables[0][old.get(n, n)][0] or ())}
    if not changed:
        return ()
    reached = {n for v in sides for e in res.matrix.entries for n in reachable(variant_sources(v), e.name)}
    said = []
    for name in sorted(n for n, o in changed.items() if n in reached or o in reached):
        (was, _), (now, where) = tables[0][changed[name]], tables[1][name]
        called = f"{name}()" if changed[name] == name else f"{name}() (was {changed[name]}())"
        said.append(f"{SECTION}: {called} is {_said(now or ())} in {b} ({where}), {_said(was or ())} in {a}: gcc "
                    "places its code by these words (.init.text is freed after boot: a later call from .text jumps "
                    "into freed memory), and every run calls it with no boot behind it")
    return tuple(said)

"""The macros a function's code uses that pycparser never sees, the preprocessor having expanded them away."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from models.prelude import macro_lines, prelude_bodies
from models.primnames import SPELLED_OUT
from models.slicer import Definition, Kind


def macros_used(names: set[str], table: dict[str, list[Definition]]) -> frozenset[str]:
    """The macros of ``names``, the code's or the prelude's, and those their bodies use in turn: the preprocessor
    expands them before pycparser sees the code, yet a review names them (``SEAMLDR_SEAMCALL_MASK``)."""
    prelude = prelude_bodies()
    found: set[str] = set()
    todo = sorted(names)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        macro = next((d for d in table.get(name, []) if d.kind is Kind.MACRO), None)
        if macro is not None:
            found.add(name)
            todo.extend(macro.identifiers() - {name})
        elif name in prelude:
            found.add(name)
            todo.extend(_prelude_words(name))
    return frozenset(found)


def macro_calls(text: str, seen: Counter[str], table: dict[str, list[Definition]]) -> Counter[str]:
    """Invocations of function-like macros in a function's text (``local_irq_save(flags)``,
    ``seamldr_prerr(fn, args)``) that the AST does not show as calls, since they were expanded away."""
    found: Counter[str] = Counter()
    for name in _called_words(text):
        if name in seen or name in SPELLED_OUT:  # counted as the call it is spelled out as (likely(): once)
            continue
        macro = next((d for d in table.get(name, []) if d.kind is Kind.MACRO), None)
        if macro.params is not None if macro is not None else name in _prelude_functions():
            found[name] += 1
    return found


@lru_cache(maxsize=1024)
def _called_words(text: str) -> tuple[str, ...]:
    """Each word of a function's text followed by ``(``, in order: read once per text, not per program holding it."""
    return tuple(re.findall(r"\b([A-Za-z_]\w*)\s*\(", text))


@lru_cache(maxsize=1024)
def _prelude_words(name: str) -> tuple[str, ...]:
    """The words of a prelude macro's body, in order (read once, not for each function of each program using it)."""
    return tuple(re.findall(r"[A-Za-z_]\w*", prelude_bodies()[name]))


@lru_cache(maxsize=1)
def _prelude_functions() -> frozenset[str]:
    """The prelude's function-like macros."""
    return frozenset(name for name, params, _ in macro_lines() if params)

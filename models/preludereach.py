"""A macro of the variant that the code reaches only through a kernel header's macro (the mirror's prelude).

gcc expands a macro where it is used: ``dev_err(dev, fmt)`` (include/linux/dev_printk.h) expands ``dev_fmt(fmt)`` at
the call, so a ``#define dev_fmt(fmt) "x: " fmt`` the file has above it is the one in force (and one below it is not
read yet: C11 6.10.3p10). The mirror adds the variant's macros a definition names (models.macroblock) and the prelude's
after them; one that only a prelude body names is not among them, so the prelude's own stood in and the line printed
without the file's prefix. Such a definition is refused, saying which macro and why, never run with the prelude's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from models.literals import PR_FMT_MACRO
from models.prelude import prelude_bodies
from models.slicer import Definition, Kind

_JUDGED = (Kind.FUNCTION, Kind.VARIABLE)
_WORD = re.compile(r"[A-Za-z_]\w*")


def through_prelude(used: Iterable[Definition], table: dict[str, list[Definition]]) -> dict[str, str]:
    """Why each definition of ``used`` (a function or variable) is not run, by name: a macro the variant defines
    (``table``) is reached only through the prelude's macros its text (or the variant's macros it names) expands.
    pr_fmt is harness.prfmt's, which places it by line (models.prfmt_site)."""
    used = list(used)
    own = frozenset(n for n, ds in table.items() if n != PR_FMT_MACRO and any(d.kind is Kind.MACRO for d in ds))
    if not own & _named_by_prelude():
        return {}
    out: dict[str, str] = {}
    for d in used:
        if d.kind not in _JUDGED or d.name in out:
            continue
        names = _own_closure(set(d.names_used()), own, table)
        for name in sorted(names - own):
            hit = sorted((_prelude_reach(name) & own) - names)
            if hit:
                where = ", ".join(x.where for x in table[hit[0]] if x.kind is Kind.MACRO)
                out[d.name] = (f"{d.where}: {name} (a kernel header's macro, which the mirror's prelude stands in for) "
                               f"expands {hit[0]}, which the variant defines ({where}): gcc expands that one where "
                               "it is in force, and the mirror does not follow it through the prelude")
                break
    return out


def _own_closure(names: set[str], own: frozenset[str], table: dict[str, list[Definition]]) -> set[str]:
    """``names`` and what the variant's macros among them name, transitively."""
    todo = sorted(names & own)
    while todo:
        for d in table[todo.pop()]:
            if d.kind is Kind.MACRO:
                more = set(d.names_used()) - names
                names |= more
                todo.extend(sorted(more & own))
    return names


@lru_cache(maxsize=1)
def _named_by_prelude() -> frozenset[str]:
    """Every name a prelude macro's body names."""
    return frozenset(w for body in prelude_bodies().values() for w in _WORD.findall(body))


@lru_cache(maxsize=4096)
def _prelude_reach(name: str) -> frozenset[str]:
    """The names the prelude macro ``name``'s body names, and theirs, transitively (empty: not a prelude macro)."""
    bodies = prelude_bodies()
    if name not in bodies:
        return frozenset()
    todo, seen = [name], set()
    while todo:
        for w in _WORD.findall(bodies[todo.pop()]):
            if w not in seen:
                seen.add(w)
                if w in bodies:
                    todo.append(w)
    return frozenset(seen)

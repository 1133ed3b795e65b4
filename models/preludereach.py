"""A macro of the variant that the code reaches only through a kernel header's macro (the mirror's prelude).

gcc expands a macro where it is used: ``dev_err(dev, fmt)`` (include/linux/dev_printk.h) expands ``dev_fmt(fmt)`` at
the call, so a ``#define dev_fmt(fmt) "x: " fmt`` the file has above it is the one in force (and one below it is not
read yet: C11 6.10.3p10). The mirror adds the variant's macros a definition names (models.macroblock) and the prelude's
after them, and (through_prelude_names()) the variant's that a prelude body they reach names: the prelude's own, under
``#ifndef``, then gives way to it. Before, the prelude's stood in and the line printed without the file's prefix.
The order checks follow the same reach (models.macroorder, models.macroat): one defined only below the call is
refused, one defined twice is the one in force at the call.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache

from models.literals import PR_FMT_MACRO
from models.prelude import prelude_bodies

_WORD = re.compile(r"[A-Za-z_]\w*")


def through_prelude_names(names: Iterable[str], own: Container[str]) -> set[str]:
    """The macros of ``own`` (the variant's) that the prelude macros ``names`` name (not themselves ``own``) expand,
    transitively through the prelude's bodies: ``dev_err`` -> ``dev_fmt``. gcc expands them at the use, where the
    variant's #define in force stands in for the kernel header's ``#ifndef`` fallback (pr_fmt aside: models.prfmt_site
    places it by line)."""
    return {w for n in names if n not in own for w in _prelude_reach(n) if w in own and w != PR_FMT_MACRO}


def prelude_users(name: str) -> frozenset[str]:
    """The prelude macros whose expansion reaches ``name`` (through_prelude_names() the other way)."""
    return frozenset(n for n in prelude_bodies() if name in _prelude_reach(n))


@lru_cache(maxsize=1)
def header_reached() -> frozenset[str]:
    """The prelude macros another prelude macro expands (dev_fmt, in dev_err): a kernel header defines them above
    the code that uses it, which a file's own #define below does not change there (models.macroat.header_fallback)."""
    return frozenset(w for n in prelude_bodies() for w in _prelude_reach(n)) & prelude_bodies().keys()


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

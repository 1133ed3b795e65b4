"""The name a definition or prototype declares where a function-like macro spells it.

``int syscall_enter(openat)(void *args)``: what gcc declares, and names in a redefinition, not the macro's name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import lru_cache

from models.errors import LoadError
from models.prelude import macro_lines
from models.slicer import Definition, Kind, top_level_items
from models.wordfind import CALLED_TWICE_AFTER, NOT_AFTER_WORD, has_name


def made_by_macro(d: Definition, macros: Collection[str]) -> bool:
    """Whether the name the slicer read for ``d`` (a function or prototype) may be a macro's that makes the name
    declared: one of ``macros`` (the unit's), or a call before the parameters (``int enter(open)(void *args)``)."""
    return d.name in macros or called_name(d)


def called_name(d: Definition) -> bool:
    """Whether the name the slicer read for ``d`` is called before the parameters (``int enter(open)(void *a)``)."""
    return _called(d.text, d.name)


# asked of every function a program loads (models.ambiguity.ambiguous): once per text
@lru_cache(maxsize=16384)
def _called(text: str, name: str) -> bool:
    end = text.find("{")
    return has_name(text if end < 0 else text[:end], name, NOT_AFTER_WORD, CALLED_TWICE_AFTER)


def declared_name(d: Definition, macros: Mapping[str, Definition]) -> str | None:
    """The name declared_as() finds, None where it finds none."""
    found = declared_as(d, macros)
    return None if found is None else found.name


def declared_as(d: Definition, macros: Mapping[str, Definition]) -> Definition | None:
    """The name ``d`` (a function or prototype) declares once its head is expanded with ``macros`` (each name's
    definition before ``d``), the prelude's fallbacks for a call before the parameters; None when that is not known:
    the macro of such a call is none of those (a header not read defines it), or the expansion declares no one
    function. Two uses of one macro with other arguments declare other functions (``syscall_enter(openat)``,
    ``syscall_enter(close)``: ``syscall_enter_openat``, ``syscall_enter_close``); with the same arguments, the same
    one. A name no macro before it has is its own (a prelude's fallback macro stands for a kernel function the file
    may define). What it declares is ``d`` with the expansion's name and text (its head), where ``d`` starts."""
    from models.macroblock import macro_block

    if d.name not in macros:
        if not called_name(d):
            return d
        if d.name not in prelude_function_macros():
            return None
    head = d.text.split("{", 1)[0].rstrip().rstrip(";") + ";"
    found = _expanded(head, macro_block(head, dict(macros)), d.path, d.line)
    return None if found is None else Definition(d.kind, found.name, found.text, d.path, d.line)


def expanded_name(d: Definition) -> str | None:
    """The name ``d`` (a function or prototype) declares once the prelude's macros expand its head, as gcc expands it
    below the kernel's headers; None where the expansion declares no one function (models.preludeclash)."""
    from models.macroblock import macro_block
    from models.scopes import PRELUDE_TYPEDEFS
    from models.typesh import NAMES

    head = d.text.split("{", 1)[0].rstrip().rstrip(";") + ";"
    found = _expanded(head, macro_block(head, {}), d.path, d.line)
    # ``static u32 ((u32)(((u64 x) >> 16) >> 16));`` is read as declaring u32: a type's name is no function's
    return None if found is None or found.name in PRELUDE_TYPEDEFS or found.name in NAMES else found.name


@lru_cache(maxsize=1)
def prelude_function_macros() -> frozenset[str]:
    """The names of the prelude's function-like macros (models.prelude)."""
    return frozenset(name for name, params, _ in macro_lines() if params)


@lru_cache(maxsize=1024)
def _expanded(head: str, block: str, path: str, line: int) -> Definition | None:
    from models.cppexpand import expand  # pcpp, only for a function whose name a macro spells

    try:
        code = "\n".join(ln for ln in expand(head, block, path, line).splitlines() if not ln.startswith("#"))
    except LoadError:
        return None
    found = [x for x in top_level_items(_unattributed(code), path, line) if x.kind in (Kind.PROTOTYPE, Kind.FUNCTION)]
    return found[0] if len(found) == 1 and re.fullmatch(r"[A-Za-z_]\w*", found[0].name) else None


_ATTRIBUTE = re.compile(r"\b__attribute(?:__)?\s*\(\s*\(")


def _unattributed(code: str) -> str:
    """``code`` without its ``__attribute__((...))`` (a section a macro gives the function, ``SEC("...")``): the
    slicer would read the attribute's words as the function's name."""
    while (m := _ATTRIBUTE.search(code)) is not None:
        depth, i = 2, m.end()
        while i < len(code) and depth:
            depth += {"(": 1, ")": -1}.get(code[i], 0)
            i += 1
        code = code[:m.start()] + " " + code[i:]
    return code

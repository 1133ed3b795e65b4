"""What a file-scope invocation of a macro (function-like, or object-like by its name alone) defines."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache

from models.errors import LoadError
from models.lazyre import lazy
from models.macroat import in_force
from models.macronames import prelude_function_macros
from models.slicer import Definition, Kind, top_level_items


def kernel_macro_definitions(inv: Definition) -> tuple[Definition, ...]:
    """What a file-scope invocation of one of the prelude's function-like macros defines (``static
    DEFINE_PER_CPU(unsigned int, hits);`` a variable ``hits``), each with the invocation as its text; () for any
    other invocation."""
    return tuple(d for d, _ in generated_by(inv, {}))


def generated_by(inv: Definition, macros: dict[str, Definition]) -> tuple[tuple[Definition, str], ...]:
    """What file-scope invocation ``inv`` of one of ``macros`` or of the prelude's function-like macros defines, each
    definition with the invocation as its text and the text its declaration expands to (_generated). An invocation
    that is the name alone (models.slicer: ``static SC_KEYS;``) is one of an object-like macro of ``macros``, which
    cpp expands whatever its body (C11 6.10.3p9: ``#define SC_KEYS DEFINE_STATIC_KEY_FALSE(k)`` defines k)."""
    if _invoked(inv.name, macros) is None and not _bare(inv, macros):
        return ()  # an invocation of a macro these files do not define (EXPORT_SYMBOL, MODULE_LICENSE, ...)
    from models.macroblock import macro_block

    return _generated(inv.text, macro_block(inv.text, macros), inv.path, inv.line, inv.name)


def generated_text(d: Definition, macros: dict[str, Definition]) -> str | None:
    """The text the definition ``d`` of a file-scope invocation (``d.generated_by`` the macro it invokes, ``d.text``
    the invocation, as models.loader.definitions gives it) expands to with ``macros`` (the files' own by name) and
    the prelude's ('static int n;' of ``#define SC_INT(n) int n`` then ``static SC_INT(n);``, as gcc's cpp expands
    it); None for a definition no invocation wrote, or one the expansion no longer holds (an expansion the loader
    refuses)."""
    if d.generated_by is None:
        return None
    inv = replace(d, kind=Kind.INVOCATION, name=d.generated_by, generated_by=None)
    return next((text for g, text in generated_by(inv, macros) if g.name == d.name and g.kind is d.kind), None)


def _bare(inv: Definition, macros: dict[str, Definition]) -> bool:
    """Whether ``inv`` invokes an object-like macro of ``macros`` by its name alone (no '(' after it)."""
    own = macros.get(inv.name)
    return own is not None and own.params is None and re.search(rf"\b{inv.name}\s*\(", inv.text) is None


def expands_there(inv: Definition, found: Iterable[Definition], undefs: Iterable[Definition],
                  included: Callable[[str, str, int], bool] | None = None) -> bool:
    """Whether a name-alone invocation ``inv`` (models.slicer) is the expansion of a macro in force at its line, of
    ``found`` (the definitions of its name, latest first) and ``undefs`` (the #undef lines): one its file defines above
    it with no #undef between (models.macroat.in_force), or one another file defines, once, where no #undef of the
    name is anywhere and ``included(that file, inv.path, inv.line)`` says the invocation's file includes it above
    the line (None: not known, as a header included below it or not at all). Else cpp may leave the name as it is
    (``static SC_KEYS;`` then declares SC_KEYS, an int) and nothing is generated; True for any other invocation,
    which generated_by() decides."""
    macros = [d for d in found if d.kind is Kind.MACRO]
    if not macros or macros[0].params is not None or re.search(rf"\b{inv.name}\s*\(", inv.text) is not None:
        return True
    ends = [u for u in undefs if u.name == inv.name]
    own = [d for d in macros if d.path == inv.path]
    if own:
        above, ended = in_force(own, ends, inv.path, inv.line)
        return above is not None and not ended
    return not ends and len(macros) == 1 and included is not None and included(macros[0].path, inv.path, inv.line)


_ALIAS = lazy(r"\s*#\s*define\s+\w+\s+([A-Za-z_]\w*)\s*")


def _invoked(name: str, macros: dict[str, Definition]) -> str | None:
    """The function-like macro (the files' own or the prelude's) that an invocation of ``name`` expands: ``name``, or
    the one an object-like macro names as its whole body (``#define DEFINE_HELPER DEFINE_SC_OP``), which gcc rescans
    with the parenthesised arguments after it (C11 6.10.3.4p1); None for any other name."""
    seen: set[str] = set()
    while name not in seen:
        seen.add(name)
        own = macros.get(name)
        if own is None:
            return name if name in prelude_function_macros() else None
        if own.params is not None:
            return name
        alias = _ALIAS().fullmatch(re.sub(r"/\*.*?\*/|//[^\n]*", " ", own.text, flags=re.DOTALL))
        if alias is None:
            return None
        name = alias.group(1)
    return None  # aliases naming each other: gcc expands none of them


@lru_cache(maxsize=4096)
def _generated(text: str, block: str, path: str, line: int, macro: str) -> tuple[tuple[Definition, str], ...]:
    """The definitions one macro invocation expands to, each with the invocation as its text, and the text of
    the declaration it expands to (whether a variable is initialised: models.redefinition)."""
    from models.asmstub import stub_asm
    from models.cppexpand import expand  # pcpp, only for a file that invokes a macro at file scope

    try:
        expanded = stub_asm(expand(stub_asm(text), block, path, line))
    except LoadError:
        return ()  # the loader reports it where the definition is used
    code = "\n".join(ln for ln in expanded.splitlines() if not ln.startswith("#"))
    return tuple((Definition(d.kind, d.name, text, path, line, generated_by=macro), d.text)
                 for d in top_level_items(code, path, line) if d.kind is not Kind.PROTOTYPE)

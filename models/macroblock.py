"""The macros a piece of C needs before it is expanded: the variant's it names (transitively), then the prelude's."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from models.closure import words
from models.pasting import pasted_macros
from models.prelude import macro_lines, prelude_bodies, prelude_closure
from models.preludereach import through_prelude_names
from models.slicer import Definition


def _pasted_into(text: str, bodies: list[str], idents: set[str], names: Iterable[str]) -> set[str]:
    """The variant's and the prelude's macros that ``##`` in the macros used (these bodies, and the prelude's
    they reach) can make from the tokens around; they are added to ``idents`` (the prelude fallbacks)."""
    prelude = prelude_bodies()
    reached = [prelude[n] for n in prelude_closure(idents)]
    if not any("##" in b for b in (*bodies, *reached)):
        return set()
    tokens = set().union(*map(words, (text, *bodies, *reached)))  # each text's words read once (closure.words)
    made = pasted_macros((*names, *prelude), tokens)
    idents |= made
    return made & set(names)


@lru_cache(maxsize=1)
def _prelude_table() -> dict[str, tuple[str, str]]:
    """Each fallback macro's (parameters, body), by name (shared: not to be changed)."""
    return {name: (params, body) for name, params, body in macro_lines()}


def _prelude_macro_block(names: set[str]) -> list[str]:
    """The fallback macros these names need (transitively), each under #ifndef so the variant's own win."""
    table = _prelude_table()
    todo, seen = sorted(names & table.keys()), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(t for t in re.findall(r"[A-Za-z_]\w*", table[name][1]) if t in table)
    return [f"#ifndef {n}\n#define {n}{table[n][0]} {table[n][1]}\n#endif" for n in sorted(seen)]


WITHHELD_PREFIX = "__sh_withheld__"


def macro_block(text: str, macros: dict[str, Definition], withheld: frozenset[str] = frozenset(),
                poisoned: frozenset[str] = frozenset(), undone: frozenset[str] = frozenset()) -> str:
    """The variant's macros a piece of C refers to (transitively), then the prelude fallbacks they need;
    none for a ``withheld`` name (the variant defines it in a way the mirror refuses: the prelude's value
    must not stand in for it, so its use stays and says why). A ``poisoned`` name (a withheld
    macro) expands to WITHHELD_PREFIX + its name: a use that ``#`` turns into a string (``__stringify(X)``
    expands X first) would otherwise print the bare name silently; models.cload refuses such a string. An
    ``undone`` name (one the file #undefs above the text: models.macroat) the text names is #undef'ed, which tells
    an #ifdef of it in the text that it is no macro there (models.ifnames), not an unread header's."""
    idents = set(re.findall(r"[A-Za-z_]\w*", text))
    todo = sorted((idents & macros.keys()) | through_prelude_names(idents, macros.keys())) \
        or sorted(_pasted_into(text, [], idents, macros.keys()))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            body_ids = set(re.findall(r"[A-Za-z_]\w*", macros[name].text))
            idents |= body_ids
            todo.extend(sorted(body_ids & macros.keys()))
        if not todo:  # all that is named is in: now those a kernel header's macro names (models.preludereach),
            todo = sorted(through_prelude_names(idents, macros.keys()) - seen)  # then those pasting makes
        if not todo:
            todo = sorted(_pasted_into(text, [macros[n].text for n in seen], idents, macros.keys()) - seen)
    own = [macros[n].text for n in sorted(seen, key=lambda n: (macros[n].path, macros[n].line))]
    poison = [f"#define {n} {WITHHELD_PREFIX}{n}" for n in sorted(idents & poisoned)]
    undo = [f"#undef {n}" for n in sorted(idents & undone)]
    return "\n".join(own + poison + undo + _prelude_macro_block(idents - withheld))


def macro_blocks(macros: dict[str, Definition], withheld: frozenset[str] = frozenset(),
                 poisoned: frozenset[str] = frozenset(), undone: frozenset[str] = frozenset()) -> Callable[[str], str]:
    """macro_block() of each text of one program, worked out once for every program whose macros, where they
    are, and withheld and poisoned names are the same (the variants of a series share most of their code)."""
    key = (frozenset(macros.items()), withheld, poisoned, undone)
    return lambda text: _macro_block_of(text, key)


@lru_cache(maxsize=4096)
def _macro_block_of(text: str, key: tuple[frozenset[tuple[str, Definition]], frozenset[str], frozenset[str],
                                          frozenset[str]]) -> str:
    macros, withheld, poisoned, undone = key
    return macro_block(text, dict(macros), withheld, poisoned, undone)  # the order of the macros is not read

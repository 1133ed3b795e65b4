"""What an entry point reaches in a table of definitions, from the code's text alone.

From a table of definitions (models.loader.definitions): names followed through the code's text, per-file static copies
and ``##`` pasting included; no parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat

from models.declnames import KEYWORDS
from models.pasting import pasted_macros
from models.prelude import macro_lines, prelude_bodies, prelude_closure, prelude_pasters
from models.slicer import Definition, Kind
from models.wordfind import BOUNDARY, CALL_AFTER, has_name, name_spans, replace_word

_REACHED: dict[tuple[int, tuple[str, ...]], tuple[dict[str, list[Definition]], tuple[Definition, ...]]] = {}


def closure(table: dict[str, list[Definition]], roots: Iterable[str]) -> list[Definition]:
    """The definitions the roots reach, by name; a function or variable two .c files each define
    (local_functions) is followed to the copy of the file whose code names it, so each copy a run can reach is in.

    Worked out once per (table, roots): the rules ask for the same closures again and again, of tables that
    models.loader.definitions shares (held here so that a table's id is not reused while kept)."""
    names = tuple(roots)
    key = (id(table), names)
    kept = _REACHED.get(key)
    if kept is not None and kept[0] is table:
        return list(kept[1])
    if len(_REACHED) >= 4096:
        _REACHED.clear()
    out = _closure(table, names)
    _REACHED[key] = (table, tuple(out))
    return out


def _closure(table: dict[str, list[Definition]], roots: tuple[str, ...]) -> list[Definition]:
    seen: set[str] = set()
    copies: set[tuple[str, str]] = set()
    todo: list[tuple[str, str]] = [(name, "") for name in roots]
    out: list[Definition] = []
    pasting, pasters = _pasting_of(table)
    named: set[str] = set()  # every name the code reached uses, gathered as it is reached: what ## may paste
    pastes = False  # whether the code reached pastes tokens itself
    # A macro named as a keyword ('#define unsigned signed') applies to every line below it, as any macro does;
    # names_used() leaves keywords out (they name nothing else), so a definition's words are looked at for them.
    keyworded = sorted(KEYWORDS & table.keys())
    while todo:
        while todo:
            name, user = todo.pop()
            if name not in table:
                continue
            if len(table[name]) > 1 and local_copies(table[name]):
                found = [next((d for d in table[name] if d.path == user), table[name][0])]
                if (name, found[0].path) in copies:
                    continue
                copies.add((name, found[0].path))
            elif name in seen:
                continue
            else:
                found = table[name]
            seen.add(name)
            for d in namespaces(found):
                first = d[0]
                if first.kind is Kind.MACRO and len(d) > 1:  # each #define a use may see (models.macroat), the
                    names = frozenset().union(*(x.names_used() for x in d[1:]))  # latest last, as a dict keeps it
                    out.extend(reversed(d[1:]))
                    todo.extend(zip(_in_order(names), repeat(first.path)))
                out.append(first)
                names = first.names_used()
                if keyworded:
                    names = names | {k for k in keyworded if has_name(first.text, k, BOUNDARY, BOUNDARY)}
                named |= names
                pastes = pastes or "##" in first.text
                # sorted: the same order on every run
                ordered = sorted(names | _pasted_names(first.text, pasting)) if names & pasters else _in_order(names)
                todo.extend(zip(ordered, repeat(first.path)))
        todo = [(n, "") for n in sorted(_pasted_macro_names(table, out, named, pastes) - seen)]  # what ## makes
    return out


def local_copies(found: list[Definition]) -> bool:
    """Whether these definitions of one name are functions, or variables, two or more .c files each define, once
    each and unconditionally: each its own static one, which that file's code reaches (models.cload gives the
    copies names of their own)."""
    kind = found[0].kind
    return (kind in (Kind.FUNCTION, Kind.VARIABLE) and len({d.path for d in found}) == len(found)
            and all(d.kind is kind and d.path.endswith(".c") and d.condition is None for d in found))


def local_functions(table: dict[str, list[Definition]]) -> frozenset[str]:
    """The names of the table whose definitions are such copies (_local)."""
    return frozenset(name for name, ds in table.items() if len(ds) > 1 and local_copies(ds))


def _pasted_macro_names(table: dict[str, list[Definition]], used: list[Definition], named: set[str],
                        pastes: bool) -> set[str]:
    """The macros of the table that ``##`` in the macros used (the variant's or the prelude's) can make from
    the tokens of the code used (models.pasting.pasted_macros): rescanning expands them, so they are used too.
    ``named``: the names the code used names; ``pastes``: whether any of its text has ``##``."""
    if not pastes and not named & prelude_pasters():
        return set()  # the common case, told without building the texts
    prelude = prelude_bodies()
    texts = [d.text for d in used] + [prelude[n] for n in sorted(prelude_closure(named))]
    return pasted_macros(_macro_names(table), set().union(*map(words, texts)))  # no word spans two texts


_MACROS: dict[int, tuple[dict[str, list[Definition]], frozenset[str]]] = {}


def _macro_names(table: dict[str, list[Definition]]) -> frozenset[str]:
    """The names the table defines as macros, once per table (held, so that its id is not reused while kept): each
    closure of its sources that ## may paste in asked again, and pasted_macros made them a set again to look up."""
    kept = _MACROS.get(id(table))
    if kept is not None and kept[0] is table:
        return kept[1]
    if len(_MACROS) >= 1024:
        _MACROS.clear()
    names = frozenset(name for name, ds in table.items() if ds[0].kind is Kind.MACRO)
    _MACROS[id(table)] = (table, names)
    return names


@lru_cache(maxsize=65536)
def _in_order(names: frozenset[str]) -> tuple[str, ...]:
    """A definition's names sorted, once per definition's names: the closures of the variants reach the same
    definitions again and again."""
    return tuple(sorted(names))


@lru_cache(maxsize=8192)
def words(text: str) -> frozenset[str]:
    """The words of a text, read once: the closures of the variants read the same definitions again and again."""
    return frozenset(re.findall(r"\w+", text))


def namespaces(found: list[Definition]) -> list[list[Definition]]:
    """The definitions of one name split by C's name spaces (C11 6.2.3): struct and union tags apart from
    ordinary identifiers, so that ``static struct stats stats;`` keeps both the type and the variable."""
    tags = [d for d in found if d.kind is Kind.STRUCT]
    ordinary = [d for d in found if d.kind is not Kind.STRUCT]
    return [g for g in (tags, ordinary) if g] if tags and ordinary else [found] if found else []


Pasting = tuple[tuple[str, tuple[str, ...], str], ...]  # (name, parameters, body) of macros that use ##


_PASTING: dict[int, tuple[dict[str, list[Definition]], Pasting, frozenset[str]]] = {}


def _pasting_of(table: dict[str, list[Definition]]) -> tuple[Pasting, frozenset[str]]:
    """_pasting_macros and their names, once per table: a table is shared by every closure of its sources
    (definitions), and held here so that its id is not reused while kept (bounded as harness.memo is)."""
    kept = _PASTING.get(id(table))
    if kept is not None and kept[0] is table:
        return kept[1], kept[2]
    if len(_PASTING) >= 1024:
        _PASTING.clear()
    pasting = _pasting_macros(table)
    pasters = frozenset(name for name, _, _ in pasting)
    _PASTING[id(table)] = (table, pasting, pasters)
    return pasting, pasters


def _pasting_macros(table: dict[str, list[Definition]]) -> Pasting:
    """The function-like macros (the variant's, else the prelude's) whose bodies paste tokens with ##, or invoke
    one that does (``#define my_guard(_name, args...) CLASS(_name, scope)(args)``: its argument is pasted there)."""
    own = {name: ds[0] for name, ds in table.items() if ds[0].kind is Kind.MACRO}
    bodies = {name: (d.params, d.text.split(")", 1)[1]) for name, d in own.items() if d.params}
    prelude = [x for x in _prelude_pasting() if x[0] not in own]
    pasters = {name for name, (_, body) in bodies.items() if "##" in body} | {x[0] for x in prelude}
    grown = True
    while grown:  # what invokes a paster pastes too
        more = {n for n, (_, body) in bodies.items() if n not in pasters and pasters & set(re.findall(r"\w+", body))}
        pasters |= more
        grown = bool(more)
    out = [(name, params, body) for name, (params, body) in bodies.items() if name in pasters]
    return tuple(sorted(out + prelude))


@lru_cache(maxsize=1)
def _prelude_pasting() -> Pasting:
    """The prelude's function-like macros whose expansion reaches a ``##``, directly or through another they
    invoke (``guard(seamldr)`` is ``CLASS(seamldr, ...)``, which pastes ``class_seamldr_t``)."""
    pasters = prelude_pasters()
    return tuple((name, tuple(p.strip() for p in params.strip("()").split(",")), body)
                 for name, params, body in macro_lines() if params and name in pasters)


@lru_cache(maxsize=8192)
def _pasted_names(text: str, pasting: Pasting) -> frozenset[str]:
    """Names that ``##`` in the macros a piece of code invokes can make (``__free(unlock)`` -> ``__free_unlock``).

    The arguments are pasted as written, which is what ``##`` does (C11 6.10.3.3); what the result invokes
    is pasted again, a few levels deep. A superset is harmless: only names the table defines are followed.
    """
    found: set[str] = set()
    texts = [text]
    for _ in range(4):
        produced = []
        for piece in texts:
            for name, params, body in pasting:
                if name not in piece:  # a substring test first: most pieces invoke none of these macros
                    continue
                for _, called in name_spans(piece, name, BOUNDARY, CALL_AFTER):
                    args = _arguments(piece, called)
                    if args is None:
                        continue
                    out = body
                    for param, arg in zip(params, args, strict=False):
                        if not param.rstrip("."):
                            continue  # "..." is __VA_ARGS__, which pasting of names does not use here
                        # a function, not a template: an argument's backslashes ("\\x41") are its own text
                        out = replace_word(out, param.rstrip("."), arg.strip())
                    out = re.sub(r"\s*##\s*", "", out)
                    found.update(re.findall(r"[A-Za-z_]\w*", out))
                    produced.append(out)
        texts = produced
        if not texts:
            break
    return frozenset(found)


def _arguments(text: str, start: int) -> list[str] | None:
    """The comma-separated arguments of an invocation whose '(' ends at ``start``."""
    depth, begin = 1, start
    args: list[str] = []
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return [*args, text[begin:i]]
        elif ch == "," and depth == 1:
            args.append(text[begin:i])
            begin = i + 1
    return None

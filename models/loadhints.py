"""Hints a refusal of code that did not load gives: a name used as a type no typedef names, a tree header's macros."""

from __future__ import annotations

import re

from models.loader import Source
from models.scopes import PRELUDE_TYPEDEFS
from models.slicer import Definition

Lookup = tuple[frozenset[str], str]  # models.loader.unknown_names: the names looked for in vain, and where

_C_WORDS = frozenset({"const", "volatile", "static", "inline", "extern", "struct", "union", "enum", "unsigned",
                      "signed", "return", "if", "while", "for", "do", "switch", "case", "sizeof", "typeof", "goto"})


def unknown_type(text: str, what: str, typedefs: tuple[str, ...], lookup: Lookup) -> str:
    """A hint when the token pycparser stopped before follows a name used as a type that no typedef the
    mirror has names (``sc_func_t func``: its typedef is in a part of the file the mail does not show, or in
    no header a tree supplies: ``lookup`` says where it was looked for)."""
    m = re.fullmatch(r"before: ([A-Za-z_]\w*)", what)
    if m is None:
        return ""
    for found in re.finditer(rf"\b([A-Za-z_]\w*)\s+\**\s*{re.escape(m.group(1))}\b", text):
        name = found.group(1)
        if name not in _C_WORDS and name not in PRELUDE_TYPEDEFS and name not in typedefs:
            unknown, searched = lookup
            head = f": '{name}' is used as a type, and no typedef of it is in what is known of the code"
            if name in unknown and searched:  # a tree's headers were searched (harness.sysheaders)
                return f"{head} ({searched})"
            return (f"{head} (with mail alone, give --tree: the headers its #include \"...\" and #include <...> lines "
                    "name are then searched)")
    return ""


def header_macros(text: str, macros: dict[str, Definition], sources: tuple[Source, ...]) -> str:
    """For code that did not load: the macros of a tree's ``<...>`` headers (Source.only) its expansion used,
    with their places, since the error is reported where the code is and the header may be what is wrong."""
    headers = {s.path for s in sources if s.only is not None}
    if not headers:
        return ""
    found: dict[str, str] = {}
    todo = sorted(set(re.findall(r"[A-Za-z_]\w*", text)))
    while todo:
        name = todo.pop()
        d = macros.get(name)
        if d is None or name in found:
            continue
        found[name] = d.where if d.path in headers else ""
        todo.extend(sorted(set(re.findall(r"[A-Za-z_]\w*", d.text)) - {name}))
    used = [f"{n} ({w})" for n, w in sorted(found.items()) if w]
    return f"; it expands macros of the tree's #include <...> headers: {', '.join(used)}" if used else ""

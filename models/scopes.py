"""What one definition does to the variables of file scope, as plain data without the parser (models.scopewalk's)."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from models.atomic import LATE_TYPES
from models.lazyre import POUND
from models.prelude import MACROS, TYPES
from models.record import record
from models.valist import BUILTIN_TYPES
from models.wordfind import replace_word

# The kernel's type names the prelude gives (typedefs of its types, include/linux/types.h's).
PRELUDE_TYPEDEFS = (*re.findall(r"typedef [^;]*?(\w+);", TYPES + LATE_TYPES), *BUILTIN_TYPES)


@record
class Amp:
    """A '&' before a variable of file scope (itself, a member or an element of it): its address taken; or, with a
    ``word``, '(word) & var', which pycparser read as an AND since it knows no type of that name, yet which casts
    the address where the word is a type of a header not read. ``local``: the word is a parameter or local in scope
    there, which no type can be (it hides any typedef of that name, C11 6.2.1p4)."""

    var: str
    line: int  # of the definition's text, from 0
    word: str | None = None
    local: bool = False


@record
class Uses:
    """The variables of file scope one definition names, none hidden by a parameter or local of its own there."""

    stores: frozenset[str]  # assigned or stepped, themselves or a member or element of them
    amps: tuple[Amp, ...]  # in the order of the text
    values: tuple[tuple[str, int], ...]  # used as a value (an array's name: its address), with the line, in order
    refs: frozenset[tuple[str, int]]  # every use, with the line


def prepared(text: str, typedefs: frozenset[str], blank: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """``text`` (a function's or a variable's definition, comments blanked) as models.scopewalk parses it, and the
    names of ``typedefs`` (those of the files and the prelude's) it mentions, which tell its types from its values.
    Preprocessor lines are blanked, so that a '#define' holding a brace nests nothing, and the words of ``blank``
    (annotations that expand to nothing: '__init', '__maybe_unused'); lines stay where they are."""
    plain = _DIRECTIVE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    words = set(_WORD.findall(plain))
    for word in sorted(words & blank):  # whole identifiers: one word's blanks change no other's (no pattern per set)
        plain = replace_word(plain, word, " " * len(word))
    return plain, tuple(sorted(t for t in words if t in typedefs))


def empty_annotations(defined: Collection[str]) -> frozenset[str]:
    """The object-like macros the prelude defines as nothing ('__init', '__user'), those of ``defined`` (the
    files' own macros) aside: a definition is parsed with them blanked, as the loader's expansion leaves it."""
    return frozenset(n for n, body in MACROS if not body and "(" not in n and n not in defined)


# A preprocessor line with its continuation lines.
_DIRECTIVE = re.compile(rf"^[ \t]*{POUND}(?:[^\n\\]|\\[^\n]|\\\n)*", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z_]\w*")


def uses_to_data(u: Uses | None) -> dict[str, Any]:
    """``u`` as JSON data (None: not parsed), kept with the outcomes."""
    if u is None:
        return {"parsed": False}
    return {"parsed": True, "stores": sorted(u.stores), "amps": [[a.var, a.line, a.word, a.local] for a in u.amps],
            "values": [list(v) for v in u.values], "refs": sorted(list(r) for r in u.refs)}


def uses_from_data(data: Any) -> tuple[Uses | None] | None:
    """What uses_to_data made, in a 1-tuple (its Uses, or None for a definition not parsed); None when ``data`` is
    no such thing (absent, damaged, another shape)."""
    try:
        if data["parsed"] is False:
            return (None,)
        amps = tuple(Amp(str(v), int(n), None if w is None else str(w), bool(lo)) for v, n, w, lo in data["amps"])
        return (Uses(frozenset(map(str, data["stores"])), amps, tuple((str(v), int(n)) for v, n in data["values"]),
                     frozenset((str(v), int(n)) for v, n in data["refs"])),)
    except (KeyError, TypeError, ValueError):
        return None

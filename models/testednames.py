"""The names a definition reads only in its conditional directives (``#if``, ``#ifdef``, ... and ``#undef``)."""

from __future__ import annotations

import re
from dataclasses import replace

from models.slicer import Definition

# A conditional directive (or #undef) in a body: it reads whether a name is defined there, or takes an undefined one
# as 0 (C11 6.10.1p4), and builds either way; a later #define of the name does not break it.
TESTS = re.compile(r"^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|elifdef|elifndef|undef)\b(?:[^\n]*\\\n)*[^\n]*",
                   re.MULTILINE)


def built_names(d: Definition) -> set[str]:
    """The names ``d`` uses outside its conditional directives (Definition.identifiers otherwise); a new set."""
    if "#" not in d.text:
        return d.identifiers()
    return replace(d, text=TESTS.sub("", d.text)).identifiers()


def only_tested(d: Definition) -> frozenset[str]:
    """The names ``d`` reads in its conditional directives alone (none where its text has no ``#``)."""
    if "#" not in d.text:
        return frozenset()
    return d.names_used() - frozenset(built_names(d))

"""unreadcode._misnamed makes the pattern of a definition's name only for a function: the same answers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from harness import unreadcode
from models.slicer import Definition, Kind

# A function whose head holds a macro the slicer read as its name (__section("...") before sc_done), and
# definitions of other kinds, whose names never make one.
TABLE = {
    "__section": [Definition(Kind.FUNCTION, "__section", '__section(".x") int sc_done(void)\n{\n\treturn 0;\n}',
                             "a.c", 8)],
    "RETRIES": [Definition(Kind.MACRO, "RETRIES", "#define RETRIES 3", "a.c", 1)],
    "sc_state": [Definition(Kind.VARIABLE, "sc_state", "static int sc_state = RETRIES(2);", "a.c", 3)],
}


def test_only_a_functions_name_makes_a_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[str] = []
    search = re.search

    def spy(pattern: Any, string: Any, flags: int = 0) -> Any:
        searched.append(pattern)
        return search(pattern, string, flags)

    monkeypatch.setattr(unreadcode.re, "search", spy)
    found = unreadcode._misnamed(TABLE)
    assert found == {"sc_done": "a.c:8: read as a definition of __section(), the macro written before its name, so its "
                                "body is not read"}
    # The macro's and the variable's names made a pattern each (a compilation a name) and were then passed over.
    assert [p for p in searched if "RETRIES" in p or "sc_state" in p] == []

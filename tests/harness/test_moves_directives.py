"""harness.moves: the macros and functions a patch defines, read as gcc reads the file it makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.diffparse import parse_diff
from harness.errors import Where
from harness.moves import defined_in
from tests.gccdefs import defined
from tests.mailgen import diff

# #defines spelled as gcc reads them (a backslash-newline, blanks, the digraph, a comment inside, one going on over
# a line end), one in a comment opened after code (none), and a function head in a macro's body (none).
NEW = ("#def\\\nine A 1\n  #  define B 2\n%:define C 3\n# /* c */ define D 4\n#define /* x\n */ E 5\n"
       "int x; /* c\n#define F 6\n*/\n#define G(a) \\\nint h(void) \\\n{ return a; }\n"
       "int f(void)\n{\n\treturn A + B + C + D + E;\n}\n")


@pytest.mark.parametrize("old", [None, "int y;\n"], ids=["created", "changed"])
def test_the_names_a_patch_defines_are_those_gcc_defines(tmp_path: Path, old: str | None) -> None:
    # Before: A, B, D and E (a backslash-newline, blanks before '#', a comment inside) were not read, F (in a
    # comment) and h() (a line of G's body) were.
    files = parse_diff(diff("x/u.c", old, NEW), Where("p.diff", 1))
    added, removed = defined_in(files)
    assert (sorted(added), removed) == (["A", "B", "C", "D", "E", "G", "f"], set())
    assert added == defined(tmp_path, NEW)

"""The file-scope ``#line`` forms followed, and the number gcc gives a line below one (at file scope or in a body)."""

from __future__ import annotations

import pytest

from models.filestops import Renumbered, file_stop, followed_line, gcc_line, renumbering
from models.slicer import ERROR_NAME, Definition, Kind, slice_fragment

FUNC = "long long f(void)\n{\n#line 500\n\treturn __LINE__;\n}\n"


def _directive(text: str, condition: str | None = None) -> Definition:
    return Definition(Kind.ASSERT, ERROR_NAME, text, "x.c", 4, condition=condition)


@pytest.mark.parametrize(("text", "n"), [
    ("#line 100", 100), ("# 100", 100), ("#  line   7  ", 7), ("#line 100 \\\n   ", 100),
    ("#line 2147483647", 2147483647),
    ('#line 100 "x.c"', 100), ('# 100 "x.c"', 100), ('#line  100  "x.c"  ', 100), ('#line 100 "y.c"', None),
    ('#line 100 "x\\.c"', 100), ('#line 100 "\\170\\056c"', 100), ('#line 100 "x.c\\\\"', None),
    ('#line 100 "x\\"c"', None), ('#line 100 "x\\x"', None), ('#line 100 ""', None), ('#line 100 "x.c" 1', None),
    ("# 100 \"x.c\" 1", None),
    ("#line 0x10", None), ("#line 010", None), ("#line 0", None),
    ("#line 2147483648", None), ("#line N", None), ("#line 10 \\\n 20", None), ("#line100", None),
])
def test_only_a_plain_decimal_line_number_and_the_files_own_path_are_followed(text: str, n: int | None) -> None:
    # the path's escapes decoded as gcc decodes them (an unknown one its character, gcc warns); '\x' gcc refuses
    assert followed_line(_directive(text)) == n
    assert followed_line(_directive(text, "CONFIG_X")) is None


def test_the_slicer_keeps_a_comment_joined_to_the_directive_so_gcc_numbers_the_line_after_it() -> None:
    lines = ["int a;", "#line 100 /* a", " b */", "int b;"]
    checks = [d for d in slice_fragment(lines, "x.c", 1) if d.name == ERROR_NAME]
    assert [d.line for d in checks] == [2] and file_stop(checks) is None
    at = renumbering(checks, [])
    assert at == {"x.c": (Renumbered(4, 100),)}
    assert [gcc_line("x.c", n, at) for n in (1, 4, 9)] == [(1, ""), (100, ""), (105, "")]
    assert gcc_line("y.c", 9, at) == (9, "")


def test_a_body_directive_numbers_the_definitions_below_it_or_says_why_it_is_not_followed() -> None:
    f = Definition(Kind.FUNCTION, "f", FUNC, "x.c", 10)
    assert gcc_line("x.c", 15, renumbering([], [f])) == (502, "")  # the line after the directive (13) is 500
    own = Definition(Kind.FUNCTION, "f", FUNC.replace("#line 500", '#line 500 "x.c"'), "x.c", 10)
    assert gcc_line("x.c", 15, renumbering([], [own])) == (502, "")  # the file's own path: gcc says the same file
    odd = Definition(Kind.FUNCTION, "f", FUNC.replace("#line 500", "#line 0500"), "x.c", 10)
    assert gcc_line("x.c", 15, renumbering([], [odd])) == (
        0, "gcc numbers the lines below '#line 0500' (x.c:12, in f) as it says, in a form the mirror follows "
           "only inside that definition: not run")
    guarded = Definition(Kind.FUNCTION, "f", FUNC.replace("#line 500", "#ifdef A\n#line 500\n#endif"), "x.c", 10)
    assert gcc_line("x.c", 20, renumbering([], [guarded]))[0] == 0
    assert gcc_line("x.c", 9, renumbering([], [odd])) == (9, "")

"""File-scope enumerators read as int constants (models.fileenums), their values checked against gcc's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pycparser import c_parser

from models.fileenums import as_int, int_enumerators
from tests.models.cprog import GCC

# Enums of our own in the shapes a retry count or a code takes: implicit values, one read from another, negative
# ones, INT_MIN and INT_MAX, a typedef's and a struct member's; which enumerators are ints gcc says below.
ENUMS = """\
enum { SC_TRIES = 10 };
enum sc_steps { SC_A = 7, SC_B, SC_C, SC_D = SC_B * 3 - 1, SC_E };
typedef enum { SC_NEG = -5, SC_NEG_NEXT, SC_LOW = -2147483647 - 1, SC_HIGH = 2147483647 } sc_edge_t;
struct sc_holder { enum { SC_HELD = 1 << 4 } kind; };
enum { SC_SHIFTED = (3 << 2) | 1, SC_TERN = SC_TRIES > 5 ? 2 : 3, SC_CHAR = 'A' };
"""
# Enums whose enumerators are not all ints (a wide one: gcc types them otherwise) or read a type name (not worked out
# here): none of their enumerators is given, the name left unknown rather than misread.
UNREAD = """\
enum { SC_WIDE_OK = 1, SC_WIDE = 0x100000000ULL };
enum { SC_PAST = 2147483647, SC_PAST_NEXT };
enum { SC_SIZED = sizeof(long) + 2 };
"""


def _parse(text: str) -> dict[str, int]:
    return int_enumerators(c_parser.CParser().parse(text))


def _gcc_values(tmp_path: Path, names: list[str]) -> list[int]:
    prints = "".join(f'\tprintf("%lld\\n", (long long){n});\n' for n in names)
    (tmp_path / "e.c").write_text("#include <stdio.h>\n" + ENUMS + "int main(void)\n{\n" + prints + "\treturn 0;\n}\n")
    assert GCC is not None
    subprocess.run([GCC, "-std=gnu11", "-Wall", "-Werror", "-o", str(tmp_path / "e"), str(tmp_path / "e.c")],
                   check=True)
    out = subprocess.run([str(tmp_path / "e")], capture_output=True, text=True, check=True).stdout
    return [int(x) for x in out.split()]


@pytest.mark.skipif(GCC is None, reason="needs gcc (the oracle of the enumerators' values)")
def test_the_enumerators_values_are_gcc_s(tmp_path: Path) -> None:
    got = _parse(ENUMS)
    names = sorted(got)
    assert names == ["SC_A", "SC_B", "SC_C", "SC_CHAR", "SC_D", "SC_E", "SC_HELD", "SC_HIGH", "SC_LOW", "SC_NEG",
                     "SC_NEG_NEXT", "SC_SHIFTED", "SC_TERN", "SC_TRIES"]
    assert [got[n] for n in names] == _gcc_values(tmp_path, names)


def test_an_enum_with_an_enumerator_not_read_as_an_int_gives_none() -> None:
    assert _parse(UNREAD) == {}


def test_a_function_s_own_enum_is_not_of_file_scope() -> None:
    assert _parse("int f(void)\n{\n\tenum { SC_OWN = 3 };\n\treturn SC_OWN;\n}\n" + ENUMS).get("SC_OWN") is None


def test_a_name_two_enums_give_different_values_is_left_out() -> None:
    # Two units' own enums of one name, read into one program: which one a caller reads is not known here.
    got = _parse("enum { SC_N = 3, SC_M = 1 };\nenum { SC_N = 2 };\nenum { SC_K = 4 };\n")
    assert "SC_N" not in got and got["SC_M"] == 1 and got["SC_K"] == 4


def test_a_name_a_variable_of_file_scope_has_too_is_left_out() -> None:
    # Another file's static variable of the name, in the same program: a unit reading it reads no constant.
    got = _parse("enum { sc_tries = 3, SC_M = 1 };\nstatic int sc_tries = 10;\n")
    assert "sc_tries" not in got and got["SC_M"] == 1


@pytest.mark.skipif(GCC is None, reason="needs gcc (the oracle of what the expression computes)")
def test_as_int_computes_the_value_as_an_int(tmp_path: Path) -> None:
    from pycparser import c_generator

    values = [0, 10, -5, -2147483648, 2147483647]
    texts = [c_generator.CGenerator().visit(as_int(v)) for v in values]
    assert all(t.startswith("(int)") for t in texts), texts
    assert _gcc_values(tmp_path, texts) == values

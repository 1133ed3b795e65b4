"""The names a definition reads only in its conditional directives, and those it uses in its code."""

from __future__ import annotations

from models.slicer import Definition, Kind
from models.testednames import built_names, only_tested

_F = ("long long f(void)\n{\n\tint n = A;\n#ifdef B\n\tn = 2;\n#elif defined(C) || \\\n\tD > 3\n\tn = E;\n#endif\n"
      "#undef F\n#if A\n#endif\n\treturn n;\n}\n")


def test_a_name_read_only_in_a_conditional_directive_or_an_undef_is_only_tested() -> None:
    d = Definition(Kind.FUNCTION, "f", _F, "x.c", 1)
    assert {"B", "C", "D", "F"} <= only_tested(d) and not {"A", "E", "n"} & only_tested(d)  # A: in code too
    assert {"A", "E", "n"} <= built_names(d) and not {"B", "C", "D", "F"} & built_names(d)


def test_a_text_with_no_directive_tests_nothing() -> None:
    d = Definition(Kind.FUNCTION, "f", "long long f(void)\n{\n\treturn B;\n}\n", "x.c", 1)
    assert only_tested(d) == frozenset() and "B" in built_names(d)

"""Lines reading a stored variable (harness.runcover._reads): fixed patterns against those spelling the name."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from harness.changedlines import normalised
from harness.runcover import _ASSIGNED, _DECLARED, _declares, _reads
from models.slicer import Definition, Kind

_PIECES = ["ret", "retry", "u64", "int", "return", "sizeof", "x", "é", " ", "\t", "*", "[", "]", "[4]", ";", "=", "==",
           "+=", "(", ")", ",", "\n", "{", "}", "_", "1"]
_texts = st.lists(st.sampled_from(_PIECES), max_size=16).map("".join)


@settings(max_examples=800, deadline=None)
@given(_texts, st.sampled_from(["ret", "retry", "x", "int", "return", "_"]))
@example("u64 *x[4];", "ret")
@example("u64 *x[4];", "x")
@example("return x;", "x")
def test_a_line_declaring_the_name_alone_is_the_pattern_naming_it(text: str, name: str) -> None:
    # The generic pattern's word is the last one outside brackets: the name's own pattern matches there or nowhere.
    assert _declares(text, name) is (re.match(_DECLARED.format(re.escape(name)), text) is not None)


def _reads_by_patterns(d: Definition, name: str, stored: int) -> list[int]:
    """_reads as it was written, with the two patterns naming the name."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    declared = re.compile(_DECLARED.format(re.escape(name)))
    lines = [normalised(t) for t in d.text.split("\n")]
    body = next((i + 1 for i, t in enumerate(lines) if "{" in t), len(lines))
    found = []
    for i, text in enumerate(lines[body:], start=body):
        if d.line + i == stored or not word.search(text) or declared.match(text):
            continue
        m = _ASSIGNED.match(text)
        if m is not None and m.group(1) == name and not m.group("op") and not word.search(text[m.end():]):
            continue
        found.append(d.line + i)
    return found


@settings(max_examples=500, deadline=None)
@given(st.lists(_texts, max_size=6), st.sampled_from(["ret", "retry", "x"]), st.integers(10, 16))
def test_reads_are_the_lines_the_name_s_patterns_find(lines: list[str], name: str, stored: int) -> None:
    d = Definition(Kind.FUNCTION, "f", "\n".join(["int f(void)", "{", *lines, "}"]), "a.c", 10)
    assert _reads(d, name, stored) == _reads_by_patterns(d, name, stored)


def test_a_declaration_and_a_new_value_are_no_reads() -> None:
    text = "int f(void)\n{\n\tu64 ret;\n\tret = 3;\n\tret = ret + 1;\n\treturn ret;\n}"
    d = Definition(Kind.FUNCTION, "f", text, "a.c", 1)
    assert _reads(d, "ret", 4) == [5, 6]

"""models.invocation: file-scope invocations (a call alone, a name alone) and top-level pieces, on C of our own."""

from __future__ import annotations

import pytest

from models.invocation import bare_name, find_invocation, top_level_pieces


@pytest.mark.parametrize(("text", "want"), [
    ("static SC_KEYS;", "SC_KEYS"),
    ("SC_KEYS ;", "SC_KEYS"),
    ("extern const\n\tSC_KEYS;", "SC_KEYS"),
    ("static int;", None),  # a keyword: no name
    ("static __read_mostly;", None),  # an annotation
    ("static int SC_KEYS;", None),  # a declarator: a variable
    ("static SC_KEYS = 1;", None),
    ("static *SC_KEYS;", None),
    ("SC_A, SC_B;", None),
    ("SC_KEY(k);", None),
])
def test_bare_name_is_one_name_after_storage_classes_and_qualifiers_only(text: str, want: str | None) -> None:
    assert bare_name(text) == want


def test_find_invocation_and_top_level_pieces() -> None:
    assert find_invocation(["static DEFINE_X(a,", "\tb);"], 0) == ("DEFINE_X", 1)
    assert find_invocation(["int f(void)", "{"], 0) is None  # a function's head
    text = 'int a = ";";\nstatic int f(void) { return 1; }\n  SC_N;'
    assert top_level_pieces(text, 10) == [(10, "int a = \";\";"), (11, "static int f(void) { return 1; }"),
                                          (12, "  SC_N;")]
    assert [line for line, _ in top_level_pieces(text, 10, counted=False)] == [10, 10, 10]

"""What a macro of the files pastes from an invocation's arguments (harness.pastednames), by C11 6.10.3.3."""

from __future__ import annotations

import pytest

from harness.pastednames import _joined, pasted_names

_TEXT = "static void f(void)\n{\n\tSC_P(STORE_X);\n\tSC_Q(a,\n\t     1 + 2);\n\tSC_R(x y);\n}\n"
_TEMPLATES = {"SC_P": (("x",), " SC_KNOB_##x"), "SC_Q": (("a", "b"), " int tmp_##a = b"),
              "SC_R": (("v",), " #v")}


def test_an_invocation_s_pasted_names_and_its_expansion_are_given() -> None:
    assert pasted_names(_TEXT, _TEMPLATES, [(2, "SC_P"), (3, "SC_Q"), (5, "SC_R")]) == [
        (2, "SC_P", "SC_KNOB_STORE_X", " SC_KNOB_STORE_X"), (3, "SC_Q", "tmp_a", " int tmp_a = 1 + 2")]


@pytest.mark.parametrize(("pieces", "given", "made"), [
    (["sc_", "x", "_code"], {"x": "busy"}, ["sc_busy_code"]),
    (["sc_", "x", "_code"], {"x": "a + b"}, ["sc_a", "b_code"]),
    (["sc_", "x"], {"x": ""}, ["sc_"]), (["sc_", "x"], {"x": "(b)"}, []), (["x", "y"], {"x": "A", "y": "B"}, ["AB"])])
def test_a_chain_joins_an_argument_s_first_and_last_tokens(pieces: list[str], given: dict[str, str],
                                                           made: list[str]) -> None:
    # '##' joins the tokens next to it; an empty argument is a placemarker; a join with '(' is no word.
    assert _joined(pieces, given) == made

"""A masked P-SEAMLDR leaf printed '(0x0)' is taken for the leaf only where its conversion prints the leaf itself.

leaf-base where a masked P-SEAMLDR leaf (0 or 1 in the matrix) prints as ``(0x0)``: its 0x tells the base of that
number, and only its place says it is the leaf; told the leaf's where a conversion of the leaf itself printed it
(harness.consistency._unbased, harness.leafconv), checked against gcc's build at a leaf of 0x21."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_leaf_base_by_conversion import HEX_TDX, MASKED, _gcc_bases, _rules, _split


def _line(conv: str, arg: str) -> str:
    return f'\t\tpr_err("P-SEAMLDR ({conv}) failed: 0x%016llx\\n", {arg}, err);\n'


BOOL = "static bool sc_is_set(u64 fn)\n{\n\treturn fn;\n}\n\n"
NOT_THE_LEAF = {
    "low bit": ("", _line("%#llx", "fn & 1")),
    "low bit after a literal 0x": ("", _line("0x%llx", "fn & 1")),
    "bool helper": (BOOL, _line("%#llx", f"(u64)sc_is_set({MASKED})")),
    "bool cast": ("", _line("%#llx", f"(u64)(bool)({MASKED})")),
}


@pytest.mark.parametrize("name", list(NOT_THE_LEAF))
def test_a_flag_printed_in_parentheses_with_0x_is_never_taken_for_the_leaf(tmp_path: Path, name: str) -> None:
    # Before: PASS for both rules ("P-SEAMLDR hex with 0x, 1 digit '... (0x0) ...'"): the 0x and the parentheses
    # made the number the leaf. gcc prints a P-SEAMLDR leaf of 0x21 as (0x1) through each: no leaf at all.
    before, p_seamldr = NOT_THE_LEAF[name]
    printing = _split(p_seamldr, HEX_TDX)
    assert _gcc_bases(tmp_path, printing, before) == ({"hex"}, set())
    found = _rules(tmp_path, printing, before)
    for rule in ("leaf-base-consistent", "leaf-in-hex-for-both"):
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, note)
        assert "P-SEAMLDR prints the leaf as digits that read the same in decimal and in hex: 'seamldr: P-SEAMLDR (0x" \
            in note, note


@pytest.mark.parametrize("p_seamldr", [_line("%#llx", MASKED), _line("0x%llx", MASKED)], ids=["#llx", "0x llx"])
def test_the_masked_leaf_itself_printed_in_parentheses_with_0x_still_passes(tmp_path: Path, p_seamldr: str) -> None:
    # Near misses: the leaf itself, gcc prints 0x21 as (0x21), hex like the TDX module's.
    printing = _split(p_seamldr, HEX_TDX)
    assert _gcc_bases(tmp_path, printing) == ({"hex"}, {"hex"})
    found = _rules(tmp_path, printing)
    for rule in ("leaf-base-consistent", "leaf-in-hex-for-both"):
        assert found[rule][0] is VerdictStatus.PASS, (rule, found[rule])

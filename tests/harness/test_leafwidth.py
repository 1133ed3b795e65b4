"""leaf-base / leaf-format when a revision prints the u64 leaf by a conversion that reads 32 bits ('%#x')."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

HEX = helpers(RETRY_SAFE).replace('"SEAMCALL (%llu) failed: %#016llx\\n"', '"SEAMCALL (%#llx) failed: %#016llx\\n"')
PRINT = '\tpr_err("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n'
RULES = ("leaf-base-consistent", "leaf-in-hex-for-both")


def _rules(tmp_path: Path, printing: str) -> dict[str, tuple[VerdictStatus, list[str]]]:
    assert PRINT in HEX
    header = HEX.replace(PRINT, printing)
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(header)),), "v2", jobs=1))
    return {v.rule.id: (v.status, [e.actual for e in v.evidence]) for v in g.verdicts if v.rule.id in RULES}


@pytest.mark.parametrize(("conv", "expects"), [("%#x", "%x' expects argument of type 'unsigned int'"),
                                               ("%x", "%x' expects argument of type 'unsigned int'"),
                                               ("%d", "%d' expects argument of type 'int'"),
                                               ("%u", "%u' expects argument of type 'unsigned int'")])
def test_a_u64_leaf_printed_by_a_32_bit_conversion_fails_as_gcc_warns(tmp_path: Path, conv: str, expects: str) -> None:
    # lib/vsprintf.c reads an unsigned int for %x: the P-SEAMLDR's 0x8000000000000021 prints as 0x21, which read as
    # the leaf with bit 63 masked off. Before: both rules passed (hex, or decimal for %d / %u).
    found = _rules(tmp_path, PRINT.replace("(%#llx) failed", f"({conv}) failed"))
    assert set(found) == set(RULES), found
    for status, said in found.values():
        assert status is VerdictStatus.FAIL, (status, said)
        assert any("seamcall_internal.h:" in a and f": warning: format '{expects}, but argument 2 has type 'u64' "
                   "{aka 'long long unsigned int'} [-Wformat=]" in a for a in said), said


def test_a_narrow_conversion_of_another_argument_is_not_the_leafs(tmp_path: Path) -> None:
    # The leaf by %#llx, a u32 by %x: nothing narrower than its argument prints the leaf; both rules pass as before.
    printing = '\tpr_err("SEAMCALL (%#llx) failed: %#016llx (%x)\\n", fn, err, (u32)err);\n'
    found = _rules(tmp_path, printing)
    assert {r: s for r, (s, _) in found.items()} == dict.fromkeys(RULES, VerdictStatus.PASS), found


def test_a_leaf_cast_to_a_32_bit_type_is_no_narrow_conversion(tmp_path: Path) -> None:
    # (u32)fn by %#x: the cast cuts the leaf, not the conversion (gcc says nothing); its lines are judged as before.
    found = _rules(tmp_path, PRINT.replace("(%#llx) failed", "(%#x) failed").replace("fn, err", "(u32)fn, err"))
    for _, said in found.values():
        assert not any("-Wformat" in a for a in said), said


def test_a_masked_leaf_by_a_32_bit_conversion_is_warned_of_too(tmp_path: Path) -> None:
    # fn & ~SEAMLDR_LEAF_BIT is a u64 as well (gcc names it by its spelt type): '%#x' of it reads its low 32 bits.
    masked = PRINT.replace("(%#llx) failed", "(%#x) failed").replace("fn, err", "fn & ~SEAMLDR_LEAF_BIT, err")
    found = _rules(tmp_path, masked)
    for status, said in found.values():
        assert status is VerdictStatus.FAIL, (status, said)
        assert any("but argument 2 has type 'long long unsigned int' [-Wformat=]" in a for a in said), said


def test_a_warn_message_printing_the_leaf_by_a_32_bit_conversion_fails(tmp_path: Path) -> None:
    # A WARN()'s message is __warn_printk()'s format: '%#x' of the u64 leaf there cuts it as printk() does.
    found = _rules(tmp_path, PRINT + '\tWARN(fn & SEAMLDR_LEAF_BIT, "P-SEAMLDR leaf %#x\\n", fn);\n')
    for status, said in found.values():
        assert status is VerdictStatus.FAIL, (status, said)
        assert any("format '%x' expects argument of type 'unsigned int', but argument 2 has type 'u64'" in a
                   for a in said), said

"""A failure line printing the leaf twice, in hex and in decimal, prints it in both bases; gcc the oracle.

harness.leafstyle.other_bases reads every number of a line equal to the leaf, not the first alone: a printer writing
``SEAMCALL (%#llx, leaf %llu)`` passed leaf-in-hex-for-both and leaf-base-consistent on its hex number. Which conversion
printed such a number (harness.leafconv.other_base_told) tells whether it is the leaf: '(33) ... 21 tries' is not."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PRINTERS, RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

RULES = ("leaf-base-consistent", "leaf-in-hex-for-both")
OLD = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
# The P-SEAMLDR's line gains the leaf again in decimal; the TDX module's stays hex alone.
SEAMLDR_BOTH = """\
\tif (fn & SEAMLDR_LEAF_BIT)
\t\tpr_err("SEAMCALL (%#llx, leaf %llu) failed: %#016llx\\n", fn, fn, err);
\telse
\t\tpr_err("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);
"""
# The TDX module's line ends with the leaf in decimal after the error; the P-SEAMLDR's stays hex alone.
TDX_TRAILING = """\
\tif (fn & SEAMLDR_LEAF_BIT)
\t\tpr_err("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);
\telse
\t\tpr_err("SEAMCALL (%#llx) failed: %#016llx leaf=%llu\\n", fn, err, fn);
"""
# Both lines print the leaf twice, both times in hex: one base.
HEX_TWICE = '\tpr_err("SEAMCALL (%#llx) failed: %#016llx, leaf %#llx\\n", fn, err, fn);\n'

_ORACLE = """\
#include <stdio.h>
typedef unsigned long long u64;
#define pr_err printf
#define SEAMLDR_LEAF_BIT (1ULL << 63)
static void seamcall_err(u64 fn, u64 err)
{
%s}
int main(void)
{
\tseamcall_err(33, 0x8000020300000000ULL);
\tseamcall_err(SEAMLDR_LEAF_BIT, 0x8000020300000000ULL);
\treturn 0;
}
"""


def _gcc(tmp_path: Path, body: str) -> list[str]:
    """The lines the printer's body prints for TDH_SYS_INIT (33) and SEAMLDR_INFO, built by gcc."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text(_ORACLE % body)
    subprocess.run(["gcc", "-O1", "-Wall", "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()


def _judge(tmp_path: Path, body: str) -> dict[str, tuple[VerdictStatus, str]]:
    assert OLD in PRINTERS
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(RETRY_SAFE).replace(OLD, body)))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None))
    return {v.rule.id: (v.status, " | ".join(e.actual for e in v.evidence) or v.note)
            for v in gate.verdicts if v.rule.id in RULES}


def test_a_p_seamldr_line_printing_the_leaf_again_in_decimal_fails_both_rules(tmp_path: Path) -> None:
    # gcc: the P-SEAMLDR's line holds the leaf in hex and in decimal. It was PASS (its first number, hex, read alone).
    assert _gcc(tmp_path, SEAMLDR_BOTH)[1] == \
        "SEAMCALL (0x8000000000000000, leaf 9223372036854775808) failed: 0x8000020300000000"
    found = _judge(tmp_path, SEAMLDR_BOTH)
    for rule in RULES:
        status, said = found[rule]
        assert status is VerdictStatus.FAIL, (rule, said)
        assert "P-SEAMLDR hex with 0x, 16 digits" in said and "; decimal 'seamldr: SEAMCALL (0x8000000000000000, " \
            "leaf 9223372036854775808)" in said, (rule, said)


def test_a_tdx_line_ending_with_the_leaf_in_decimal_fails_both_rules(tmp_path: Path) -> None:
    assert _gcc(tmp_path, TDX_TRAILING)[0] == "SEAMCALL (0x21) failed: 0x8000020300000000 leaf=33"
    found = _judge(tmp_path, TDX_TRAILING)
    for rule in RULES:
        status, said = found[rule]
        assert status is VerdictStatus.FAIL, (rule, said)
        assert "; decimal 'virt/tdx: SEAMCALL (0x21) failed: 0x8000020300000000 leaf=33'" in said, (rule, said)


def test_a_line_printing_the_leaf_twice_in_hex_keeps_its_pass(tmp_path: Path) -> None:
    assert _gcc(tmp_path, HEX_TWICE)[0] == "SEAMCALL (0x21) failed: 0x8000020300000000, leaf 0x21"
    found = _judge(tmp_path, HEX_TWICE)
    for rule in RULES:
        assert found[rule][0] is VerdictStatus.PASS, (rule, found[rule][1])


# Both components print the leaf in decimal; each line also holds a number that is not the leaf but whose digits read
# as the TDX leaf 33 in hex ('21'): by a '%d' of a count, in the format's own text, or by a '%s'.
TRIES_ARG = '\tpr_err("SEAMCALL (%llu) failed: %#016llx (%d tries)\\n", fn, err, 21);\n'
TRIES_TEXT = '\tpr_err("SEAMCALL (%llu) failed: %#016llx after 21 tries\\n", fn, err);\n'
TRIES_STRING = '\tpr_err("SEAMCALL (%llu) failed: %#016llx (%s)\\n", fn, err, "21 tries");\n'
# The extra number is computed from the leaf ('fn & 0xffff' in hex): the leaf's low bits in the other base, or not.
MASKED_HEX = '\tpr_err("SEAMCALL (%llu) failed: %#016llx [%llx]\\n", fn, err, fn & 0xffff);\n'
# A second line holding only the count: its own first number reads as the leaf in hex.
TRIES_LINE = OLD + '\tpr_err("retried %d times\\n", 21);\n'


@pytest.mark.parametrize("body", [TRIES_ARG, TRIES_TEXT, TRIES_LINE], ids=["count-argument", "format-text", "line"])
def test_a_number_that_only_reads_as_the_leaf_in_hex_is_not_the_leaf(tmp_path: Path, body: str) -> None:
    # gcc: '(33) ... 21 tries'; '21' is the count (or the format's text), the same for every leaf, printed by no
    # conversion of the leaf. It failed leaf-base-consistent as the leaf printed in hex too.
    lines = _gcc(tmp_path, body)
    assert lines[0].startswith("SEAMCALL (33) failed: 0x8000020300000000") and "21" in " ".join(lines[:2]), lines
    found = _judge(tmp_path, body)
    assert found["leaf-base-consistent"][0] is VerdictStatus.PASS, found
    assert found["leaf-in-hex-for-both"][0] is VerdictStatus.FAIL, found  # decimal, the rule's own reading
    assert "one base in every failure line" not in found["leaf-in-hex-for-both"][1], found


@pytest.mark.parametrize("body", [TRIES_STRING, MASKED_HEX], ids=["string", "leaf-bits-in-hex"])
def test_a_number_reading_as_the_leaf_by_a_conversion_not_of_the_leaf_itself_is_inconclusive(
        tmp_path: Path, body: str) -> None:
    # '%s' of '21 tries', '%llx' of 'fn & 0xffff' (gcc: '(33) ... [21]'): which value printed is not told by the
    # conversion reading, so neither a mixed base nor one base is claimed.
    line = _gcc(tmp_path, body)[0]
    assert line.startswith("SEAMCALL (33) failed: 0x8000020300000000 ") and ("(21 tries)" in line or "[21]" in line)
    status, said = _judge(tmp_path, body)["leaf-base-consistent"]
    assert status is VerdictStatus.INCONCLUSIVE, said
    assert "reads as the leaf in hex" in said and "21" in said, said

"""leaf-base where the leaf's digits read the same in both bases: told by the conversion.

leaf-base where a component prints its leaf in digits that read the same in both bases (a masked P-SEAMLDR leaf,
0 or 1): told by the conversion that printed it (harness.leafconv), checked against gcc's printf at a leaf above 9."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.leafform import LEAF_HINT
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

PRINT = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
HEADER = helpers(RETRY_SAFE)
RULES = ("leaf-base-consistent", "leaf-in-hex-for-both")


def _split(p_seamldr: str, tdx: str = PRINT) -> str:
    """seamcall_err() printing a P-SEAMLDR failure (bit 63 set) by ``p_seamldr``, the TDX module's by ``tdx``."""
    return f"\tif (fn & SEAMLDR_LEAF_BIT) {{\n{p_seamldr}\t}} else {{\n{tdx}\t}}\n"


MASKED = "fn & ~SEAMLDR_LEAF_BIT"
ERR = "static inline void seamcall_err"
COPY = f"\t\tu64 leaf = {MASKED};\n\n"


def _line(conv: str, arg: str = MASKED) -> str:
    return f'\t\tpr_err("P-SEAMLDR ({conv}) failed: 0x%016llx\\n", {arg}, err);\n'


def _rules(tmp_path: Path, printing: str, before: str = "") -> dict[str, tuple[VerdictStatus, str]]:
    """The two rules' verdicts on v2, whose seamcall_err() prints by ``printing``, ``before`` defined above it."""
    assert PRINT in HEADER
    header = HEADER.replace(PRINT, printing).replace(ERR, before + ERR)
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(header)),), "v2", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts if v.rule.id in RULES}


def _gcc_bases(tmp_path: Path, printing: str, before: str = "") -> tuple[set[str], set[str]]:
    """The bases gcc's build of ``printing`` prints a TDX-module leaf of 33 and a P-SEAMLDR leaf of
    0x8000000000000021 in (glibc printf: the integer conversions as lib/vsprintf.c number() prints them): 'decimal'
    where '33' (or the whole leaf in decimal) shows, 'hex' where '21' does; empty: the leaf is not printed."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src = tmp_path / "oracle.c"
    src.write_text("#include <stdbool.h>\n#include <stdio.h>\ntypedef unsigned long long u64;\n"
                   "typedef unsigned char u8;\ntypedef unsigned int u32;\n#define BIT_ULL(n) (1ULL << (n))\n"
                   "#define SEAMLDR_LEAF_BIT BIT_ULL(63)\n#define pr_err(...) printf(__VA_ARGS__)\n" + before +
                   "static void seamcall_err(u64 fn, u64 err)\n{\n" + printing + "}\n"
                   "int main(void)\n{\n\tseamcall_err(33, 0x8000020300000000ULL);\n\tprintf(\"--\\n\");\n"
                   "\tseamcall_err(0x8000000000000021ULL, 0x8000020300000000ULL);\n\treturn 0;\n}\n")
    exe = tmp_path / "oracle"
    subprocess.run(["gcc", "-Wall", "-Werror", "-o", str(exe), str(src)], check=True)
    tdx, loader = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split("--\n")

    def bases(out: str, dec: set[str], hexa: set[str]) -> set[str]:
        toks = set(re.findall(r"0[xX][0-9a-fA-F]+|-?\d+", out))
        return {base for base, seen in (("decimal", dec), ("hex", hexa)) if toks & seen}

    return (bases(tdx, {"33"}, {"21", "0x21"}),
            bases(loader, {"33", "9223372036854775841", "-9223372036854775775"},
                  {"21", "0x21", "8000000000000021", "0x8000000000000021"}))


@pytest.mark.parametrize(("p_seamldr", "tdx", "want"), [
    (_line("%lld"), PRINT, (VerdictStatus.PASS, VerdictStatus.FAIL)),  # v2's printers: both decimal
    (_line("%llu"), PRINT, (VerdictStatus.PASS, VerdictStatus.FAIL)),
    (_line("%llx"), PRINT, (VerdictStatus.FAIL, VerdictStatus.FAIL)),  # hex beside decimal
    (_line("%llx"), PRINT.replace("(%llu)", "(%#llx)"), (VerdictStatus.PASS, VerdictStatus.PASS)),  # hex for both
    (_line("%llu"), PRINT.replace("(%llu)", "(%#llx)"), (VerdictStatus.FAIL, VerdictStatus.FAIL)),
    # A local copy of the masked leaf (h469: inconclusive before, models.leafflow._copied).
    (COPY + _line("%llu", "leaf"), PRINT, (VerdictStatus.PASS, VerdictStatus.FAIL)),
    (COPY + _line("%llx", "leaf"), PRINT.replace("(%llu)", "(%#llx)"), (VerdictStatus.PASS, VerdictStatus.PASS)),
], ids=["lld", "llu", "llx beside decimal", "llx beside hex", "llu beside hex", "copy llu", "copy llx beside hex"])
def test_a_masked_leaf_is_printed_in_the_base_of_its_conversion(tmp_path: Path, p_seamldr: str, tdx: str,
                                                                want: tuple[VerdictStatus, VerdictStatus]) -> None:
    # Before: both rules inconclusive ("digits that read the same in decimal and in hex") in every case.
    printing = _split(p_seamldr, tdx)
    module, loader = _gcc_bases(tmp_path, printing)
    assert len(module) == len(loader) == 1  # gcc: each prints a leaf above 9 in one base
    same, hex_both = module == loader, module == loader == {"hex"}
    assert want == (VerdictStatus.PASS if same else VerdictStatus.FAIL,
                    VerdictStatus.PASS if hex_both else VerdictStatus.FAIL)
    found = _rules(tmp_path, printing)
    assert {r: s for r, (s, _) in found.items()} == dict(zip(RULES, want, strict=True)), found
    if want[0] is VerdictStatus.PASS:
        conv = re.search(r"\((%ll[dux])\)", p_seamldr)
        assert conv is not None and f"P-SEAMLDR {loader.pop()} by '{conv.group(1)}' at seamcall_internal.h:" in \
            found["leaf-base-consistent"][1], found


@pytest.mark.parametrize("p_seamldr", [
    _line("%llu", "(u64)!!(fn & SEAMLDR_LEAF_BIT)"),  # a flag read from the leaf: 1 for every P-SEAMLDR leaf
    _line("%llu", "fn & 0"),  # 0 for every leaf: the leaf of SEAMLDR_INFO, and no other's
    _line("%llu", "0ULL"),  # a zero that is no argument of the leaf
    _line("%lld") + '\t\tpr_err("leaf %llx\\n", fn & ~SEAMLDR_LEAF_BIT);\n',  # a second line printing it in hex
    # Read from the leaf, and equal to it for the masked leaves 0 and 1 a matrix holds, but not the leaf: a leaf of
    # 0x21 prints as 1 (gcc). h461's probe: leaf-base-consistent passed on each before.
    _line("%llu", "fn & 1"),
    _line("%llu", "(fn & ~SEAMLDR_LEAF_BIT) & 0xf"),
    "\t\tfn &= 1;\n" + _line("%llu", "fn"),
    "\t\tu64 low = fn & 1;\n" + _line("%llu", "low"),
], ids=["flag", "times zero", "zero", "hex below", "low bit", "low nibble", "low bit kept", "low bit copied"])
def test_a_masked_leaf_not_told_by_its_conversion_is_never_passed(tmp_path: Path, p_seamldr: str) -> None:
    # Near misses: the digits still read the same in both bases, and what printed them is not shown to be the leaf
    # printed one way: never a pass of leaf-base-consistent (gcc: the leaf is not printed, or printed both ways).
    printing = _split(p_seamldr)
    module, loader = _gcc_bases(tmp_path, printing)
    assert module == {"decimal"}
    found = _rules(tmp_path, printing)
    status, note = found["leaf-base-consistent"]
    assert status is not VerdictStatus.PASS, note
    if loader != {"decimal"}:
        assert status is VerdictStatus.INCONCLUSIVE, note
        assert "read the same in decimal and in hex" in note and note.endswith(f"({LEAF_HINT})"), note


def _logger(param: str, conv: str) -> str:
    return (f"static void sc_log({param} leaf, u64 err)\n{{\n"
            f'\tpr_err("P-SEAMLDR ({conv}) failed: 0x%016llx\\n", leaf, err);\n}}\n\n')


TABLE = "struct sc_log_ops {\n\tvoid (*log)(u64 leaf, u64 err);\n};\n\n" \
    "static const struct sc_log_ops sc_log_ops = { .log = sc_log };\n\n"


@pytest.mark.parametrize(("before", "p_seamldr"), [
    (_logger("bool", "%d"), f"\t\tsc_log({MASKED}, err);\n"),  # 0 or 1 whatever the leaf
    (_logger("u8", "%u"), f"\t\tsc_log({MASKED}, err);\n"),  # its low 8 bits
    # The printer is handed the leaf itself by its one direct call, the low bit through a table a call reads.
    (_logger("u64", "%llu") + TABLE,
     f"\t\tif (!err)\n\t\t\tsc_log({MASKED}, err);\n\t\telse\n\t\t\tsc_log_ops.log(fn & 1, err);\n"),
], ids=["bool parameter", "u8 parameter", "low bit through a table"])
def test_a_leaf_handed_to_a_printer_that_keeps_only_part_of_it_is_never_passed(tmp_path: Path, before: str,
                                                                                p_seamldr: str) -> None:
    # h469's probe: leaf-base-consistent passed on each ("P-SEAMLDR decimal by '%d'"); gcc prints a P-SEAMLDR leaf of
    # 0x21 as 1 through each, not as 33 (and a u8 parameter a leaf of 0x121 as 33): the leaf is not printed.
    printing = _split(p_seamldr)
    module, loader = _gcc_bases(tmp_path, printing, before)
    assert module == {"decimal"}
    assert loader != {"decimal"} or "u8" in before
    status, note = _rules(tmp_path, printing, before)["leaf-base-consistent"]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "read the same in decimal and in hex" in note, note


HEX_TDX = PRINT.replace("(%llu)", "(%#llx)")
FULL = '\t\tpr_err("P-SEAMLDR leaf %#llx failed\\n", fn);\n'  # the whole leaf first: its digits tell hex
FORMAT_RULE = """[[rule]]
id = "leaf-format-same"
reviewer = "A. Reviewer"
summary = "One conversion prints the leaf for both"
severity = "error"
[rule.check]
kind = "consistency"
property = "leaf-format"
[rule.check.components."TDX module"]
entries = ["seamcall_prerr"]
leaves = ["TDH_SYS_INIT", "TDH_SYS_LP_INIT"]
[rule.check.components."P-SEAMLDR"]
entries = ["seamldr_prerr"]
leaves = ["SEAMLDR_INFO", "SEAMLDR_INSTALL"]
"""


def _format_rule(tmp_path: Path, printing: str) -> tuple[VerdictStatus, str]:
    (tmp_path / "rules.toml").write_text(FORMAT_RULE)
    header = HEADER.replace(PRINT, printing)
    box = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    (found,) = evaluate_gate(GateRequest((box,), "v2", jobs=1, rules=tmp_path / "rules.toml")).verdicts
    return found.status, found.note


@pytest.mark.parametrize(("second", "want"), [
    (_line("%llu"), VerdictStatus.INCONCLUSIVE),  # gcc: 0x8000000000000021 and (33), both bases
    (_line("%lld"), VerdictStatus.INCONCLUSIVE),
    (_line("%llx"), VerdictStatus.PASS),  # (21): hex, as its conversion of the leaf itself tells
    (_line("%llu", "fn & 1"), VerdictStatus.INCONCLUSIVE),  # a bit of the leaf, not the leaf: not told
    (_line("%llx", "(u64)(u32)err"), VerdictStatus.PASS),  # (0) of an answer, no leaf at all
], ids=["llu", "lld", "llx", "low bit", "no leaf"])
def test_a_masked_leaf_below_a_leaf_whose_digits_tell_the_base_is_told_too(tmp_path: Path, second: str,
                                                                            want: VerdictStatus) -> None:
    # h469's probe: the P-SEAMLDR prints its whole leaf in hex, then, in a second line, the leaf with bit 63 off
    # by '%llu': '(0)' and '(1)' read the same in both bases, and were left out, so leaf-base-consistent PASSED
    # on the first line's hex beside the TDX module's. gcc prints a loader leaf of 0x8000000000000021 there as
    # 0x8000000000000021 and (33).
    printing = _split(FULL + second, HEX_TDX)
    module, loader = _gcc_bases(tmp_path, printing)
    assert module == {"hex"}
    assert (loader == {"hex"}) is (want is VerdictStatus.PASS or "fn & 1" in second)
    status, note = _rules(tmp_path, printing)["leaf-base-consistent"]
    assert status is want, note
    if want is VerdictStatus.INCONCLUSIVE:
        assert "read the same in decimal and in hex: 'seamldr: P-SEAMLDR (" in note, note


@pytest.mark.parametrize("second", [_line("%llu"), _line("%llx")], ids=["llu", "llx"])
def test_a_leaf_printed_twice_one_way_in_digits_of_no_base_is_no_format_pass(tmp_path: Path, second: str) -> None:
    # leaf-format read each line's first number with a form and left the bare '(0)' out: PASS before, though
    # gcc prints the loader leaf 0x21 as '0x21' and '(33)' / '(21)', two conversions.
    printing = _split(FULL.replace("fn);", "fn & ~SEAMLDR_LEAF_BIT);") + second, HEX_TDX)
    status, note = _format_rule(tmp_path, printing)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "prints a number equal to the leaf whose digits do not show how it was converted" in note, note

"""A retry code or bound computed from leaf bits no scenario's leaf varies is no pass of same_across_leaves; gcc oracle.

``busy = sc_busy_codes[fn & 3]`` ran for every leaf of the matrix (33, 35, SEAMLDR_INFO, SEAMLDR_INSTALL: indexes 1,
3, 0, 1), so the store "ran" and the loop's test came out both ways; index 2 (leaf 34) retries the P-SEAMLDR's code
instead of the TDX module's: the leaf chooses the retry code, which no-leaf-dependent-retry forbids."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, preparing_series
from tests.mailgen import write_mbox

RULE = "no-leaf-dependent-retry"
CODES = """\
#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL

static const u64 sc_busy_codes[4] = {
\tTDX_RND_NO_ENTROPY, TDX_RND_NO_ENTROPY, SEAMLDR_RND_NO_ENTROPY, TDX_RND_NO_ENTROPY,
};

"""
LOOP = RETRY_SAFE.replace("\tint left = RDRAND_RETRY_LOOPS;\n",
                          "\tint left = RDRAND_RETRY_LOOPS;\n\tu64 busy = sc_busy_codes[fn & 3];\n") \
    .replace("err != TDX_RND_NO_ENTROPY", "err != busy")

_ORACLE = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef _Bool bool;
struct tdx_module_args { u64 rcx; };
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#define __always_inline inline
#define true 1
#define RDRAND_RETRY_LOOPS 10
#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
#define lockdep_assert_preemption_disabled() do { } while (0)
#define this_cpu_write(v, x) ((v) = (x))
static bool cache_state_incoherent;
static int calls;
static u64 op(u64 fn, struct tdx_module_args *args) { calls++; return TDX_RND_NO_ENTROPY; }
%s
int main(void)
{
\tstatic const u64 leaves[] = { %s };
\tstruct tdx_module_args args = { 0 };

\tfor (unsigned int i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
\t\tcalls = 0;
\t\tsc_retry(op, leaves[i], &args);
\t\tprintf("%%d\\n", calls);
\t}
\treturn 0;
}
"""


def _gcc_calls(tmp_path: Path, code: str, leaves: str) -> list[int]:
    """gcc's SEAMCALLs of sc_retry() in ``code`` for each TDX-module leaf of ``leaves`` (a C initializer list), every
    answer "no entropy": how many tries it makes."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text(_ORACLE % (code, leaves))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(src)], check=True)
    return [int(n) for n in subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()]


def test_a_retry_code_indexed_by_leaf_bits_no_leaf_of_the_matrix_varies_is_not_a_pass(tmp_path: Path) -> None:
    # gcc: leaf 33 retries the TDX module's "no entropy" (10 SEAMCALLs), leaf 34 does not (1): the leaf picks the
    # retry code. Was PASS.
    assert _gcc_calls(tmp_path, CODES + LOOP, "33, 34") == [10, 1]
    status, note = _judge(tmp_path, CODES + LOOP)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "('u64 busy = sc_busy_codes[fn & 3];') computes the value it stores from bits of the leaf other than " \
        "bit 63, which leaves the matrix lacks may set otherwise" in note, note


def test_a_retry_bound_cut_by_a_leaf_bit_no_leaf_of_the_matrix_sets_is_not_a_pass(tmp_path: Path) -> None:
    # Leaves 33, 35 and the P-SEAMLDR's 0, 1 all have bit 2 clear: a leaf with it set (36) tries 5 times, not 10.
    loop = RETRY_SAFE.replace("\tint left = RDRAND_RETRY_LOOPS;\n",
                              "\tint left = RDRAND_RETRY_LOOPS - ((fn >> 2) & 1) * 5;\n")
    assert _gcc_calls(tmp_path, loop, "33, 35, 36") == [10, 10, 5]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "computes the value it stores from bits of the leaf other than bit 63" in note, note


def test_a_retry_code_a_helper_returns_from_leaf_bits_is_not_a_pass(tmp_path: Path) -> None:
    # The index computed in a helper's one return (models.otherbits follows it as models.leafbits evaluates it).
    helper = "static inline unsigned int sc_slot(u64 fn)\n{\n\treturn fn & 3;\n}\n\n"
    code = CODES + helper + LOOP.replace("sc_busy_codes[fn & 3]", "sc_busy_codes[sc_slot(fn)]")
    assert _gcc_calls(tmp_path, code, "33, 34") == [10, 1]
    status, note = _judge(tmp_path, code)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "('u64 busy = sc_busy_codes[sc_slot(fn)];') computes the value it stores from bits of the leaf" in note


def test_a_retry_code_a_helper_of_more_statements_returns_from_leaf_bits_is_not_a_pass(tmp_path: Path) -> None:
    helper = "static inline u64 sc_code_for(u64 fn)\n{\n\tlockdep_assert_preemption_disabled();\n" \
             "\treturn sc_busy_codes[fn & 3];\n}\n\n"
    code = CODES + helper + LOOP.replace("sc_busy_codes[fn & 3]", "sc_code_for(fn)")
    assert _gcc_calls(tmp_path, code, "33, 34") == [10, 1]
    status, note = _judge(tmp_path, code)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "('u64 busy = sc_code_for(fn);') computes the value it stores from bits of the leaf" in note, note


def test_a_retry_code_indexed_through_a_local_copy_of_the_leaf_is_not_a_pass(tmp_path: Path) -> None:
    code = CODES + LOOP.replace("\tu64 busy = sc_busy_codes[fn & 3];\n",
                                "\tu64 leaf = fn;\n\tu64 busy = sc_busy_codes[leaf & 3];\n")
    assert _gcc_calls(tmp_path, code, "33, 34") == [10, 1]
    status, note = _judge(tmp_path, code)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "('u64 busy = sc_busy_codes[leaf & 3];') computes the value it stores from bits of the leaf" in note


@pytest.mark.parametrize(("decl", "stored"), [
    ("\tu64 busy = sc_busy_codes[fn % 4];\n", "u64 busy = sc_busy_codes[fn % 4];"),
    ("\tu64 leaf;\n\tu64 busy;\n\n\tleaf = fn;\n\tbusy = sc_busy_codes[leaf & 3];\n",
     "busy = sc_busy_codes[leaf & 3];"),
    ("\tu64 leaf = 0;\n\tu64 busy;\n\n\tleaf = fn;\n\tbusy = sc_busy_codes[leaf & 3];\n",
     "busy = sc_busy_codes[leaf & 3];"),
    ("\tu64 leaf = fn;\n\tu64 *p = &leaf;\n\tu64 busy = sc_busy_codes[*p & 3];\n", "u64 busy = sc_busy_codes[*p & 3];"),
], ids=["modulo", "copy-set-after-declaring", "copy-set-twice", "copy-read-through-its-address"])
def test_a_retry_code_indexed_by_leaf_bits_knownbits_does_not_follow_is_not_a_pass(
        tmp_path: Path, decl: str, stored: str) -> None:
    # '%' (of which models.knownbits knows nothing), a copy of the leaf set by an assignment, set twice, or read
    # through a pointer to it: each was PASS where gcc retries for leaf 33 alone.
    code = CODES + LOOP.replace("\tu64 busy = sc_busy_codes[fn & 3];\n", decl)
    assert _gcc_calls(tmp_path, code, "33, 34") == [10, 1]
    status, note = _judge(tmp_path, code)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"('{stored}') computes the value it stores from bits of the leaf other than bit 63" in note, note


HELPER = "static inline u64 sc_code_for(u64 fn)\n{\n\treturn sc_busy_codes[fn & 3];\n}\n\n"
OPS = HELPER + "struct sc_code_ops {\n\tu64 (*code)(u64 fn);\n};\n\nstatic const struct sc_code_ops sc_ops = " \
    "{\n\t.code = sc_code_for,\n};\n\nstatic const struct sc_code_ops *const sc_opp = &sc_ops;\n\n"


@pytest.mark.parametrize(("helpers", "decl", "stored"), [
    (OPS, "\tu64 busy = sc_opp->code(fn);\n", "u64 busy = sc_opp->code(fn);"),
    (HELPER, "\tu64 (*code)(u64) = sc_code_for;\n\tu64 busy = code(fn);\n", "u64 busy = code(fn);"),
    (OPS, "\tu64 busy = (*sc_opp->code)(fn);\n", "u64 busy = (*sc_opp->code)(fn);"),
    (OPS.replace(".code = sc_code_for", "sc_code_for"), "\tu64 busy = sc_ops.code(fn);\n",
     "u64 busy = sc_ops.code(fn);"),
], ids=["through-arrow", "local-pointer", "through-a-dereferenced-member", "member-initialised-by-place"])
def test_a_retry_code_a_function_called_through_a_pointer_returns_from_leaf_bits_is_not_a_pass(
        tmp_path: Path, helpers: str, decl: str, stored: str) -> None:
    # Was INCONCLUSIVE only through an unrelated test of err; the store itself went unnoticed (models.otherbits).
    code = CODES + helpers + LOOP.replace("\tu64 busy = sc_busy_codes[fn & 3];\n", decl)
    assert _gcc_calls(tmp_path, code, "33, 34") == [10, 1]
    status, note = _judge(tmp_path, code)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"('{stored}') computes the value it stores from bits of the leaf other than bit 63" in note, note


def test_a_retry_code_indexed_by_bit_63_alone_keeps_its_pass(tmp_path: Path) -> None:
    # Every value fn >> 63 takes, a leaf of each component takes: the runs show what any leaf stores.
    codes = "static const u64 sc_busy_codes[2] = { TDX_RND_NO_ENTROPY, TDX_RND_NO_ENTROPY };\n\n"
    status, note = _judge(tmp_path, codes + LOOP.replace("sc_busy_codes[fn & 3]", "sc_busy_codes[fn >> 63]"))
    assert status is VerdictStatus.PASS, note


def _judge(tmp_path: Path, code: str) -> tuple[VerdictStatus, str]:
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + code + "\n" + PRINTERS + TAIL))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None))
    (v,) = [v for v in gate.verdicts if v.rule.id == RULE]
    return v.status, v.note

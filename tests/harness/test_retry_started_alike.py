"""A retry test shown both ways only in runs that start otherwise than the rule's shows nothing.

A retry test that came out its other way only in runs starting otherwise than the rule's (input registers an
unselected script sets, another CPU, context or CPU feature bit, another entry point) has not shown what it does on
the rule's answers (runcover.started_alike); gcc the oracle."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    NEW_HOME,
    PREAMBLE,
    PRINTERS,
    TAIL,
    Step,
    preparing_series,
    revision,
)
from tests.mailgen import write_mbox

RULE = "seamldr-no-entropy-not-retried"
# sc_retry() retrying the P-SEAMLDR's "no entropy" only for a call that carries input (SEAMLDR_INSTALL's RCX holds its
# parameters' address), or only off CPU 0: the bundled no-entropy scripts start with every register 0, on CPU 0.
LOOP = """\
#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL

static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {{
		preempt_disable();
		err = op(fn, args);
		preempt_enable();
	}} while ((err == TDX_RND_NO_ENTROPY || (err == SEAMLDR_RND_NO_ENTROPY && {test})) && --left);
	return err;
}}
"""
BY_INPUT, BY_CPU = "args->rcx", "raw_smp_processor_id()"
# Or only when called in an interrupt, or on a CPU with RDRAND: the bundled scripts run in a task; the rule's, as
# _judge writes the matrix for this one, on a CPU without RDRAND (a run reading a bit its script does not give is
# refused: models.runcontext.cpu_feature).
BY_CONTEXT, BY_FEATURE = "in_interrupt()", "boot_cpu_has(X86_FEATURE_RDRAND)"
# Scripts of our own: the P-SEAMLDR's "no entropy" then success, with RCX set, on CPU 1, in an interrupt handler or
# on a CPU with RDRAND. Named outside the rule's "seamldr-no-entropy-*", such a run is not one the rule reads; named
# inside it, it is.
SCRIPT = ('[[script]]\nname = "{name}"\nanswers = ["SEAMLDR_NO_ENTROPY", "SUCCESS"]\n'
          'leaves = ["SEAMLDR_INFO", "SEAMLDR_INSTALL"]\n{start}\n')
STARTS = {BY_INPUT: "[script.inputs]\nrcx = 0x1000", BY_CPU: "cpu = 1", BY_CONTEXT: 'context = "hardirq"',
          BY_FEATURE: 'cpu_has = ["X86_FEATURE_RDRAND"]'}

_ORACLE = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx, rdx; };
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#define __always_inline inline
#define RDRAND_RETRY_LOOPS 10
#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
static int cpu, irq, rdrand, calls;
#define raw_smp_processor_id() cpu
#define in_interrupt() irq
#define boot_cpu_has(bit) rdrand
static u64 op(u64 fn, struct tdx_module_args *args) { return calls++ ? 0 : 0x8000000000030001ULL; }
int main(void)
{
	for (int start = 0; start < 2; start++) {
		struct tdx_module_args args = { .rcx = start ? 0x1000 : 0 };

		cpu = irq = rdrand = start;
		calls = 0;
		sc_retry(op, 1ULL << 63 | 1, &args);
		printf("%d\\n", calls);
	}
	return 0;
}
"""


def _gcc_calls(tmp_path: Path, test: str) -> list[int]:
    """The SEAMCALLs gcc's build of LOOP makes for SEAMLDR_INSTALL answered "no entropy" then success: started as the
    bundled scripts do (RCX 0, CPU 0, in a task, no RDRAND), then with RCX set, on CPU 1, in an interrupt, with
    RDRAND."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text(_ORACLE.replace("int main", LOOP.format(test=test) + "\nint main"))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(src)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return [int(n) for n in out.split()]


def _judge(tmp_path: Path, test: str, script: str | None) -> tuple[VerdictStatus, str]:
    loop = LOOP.format(test=test)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    added: tuple[Path, ...] = ()
    if script is not None:
        (tmp_path / "add.toml").write_text(SCRIPT.format(name=script, start=STARTS[test]))
        added = (tmp_path / "add.toml",)
    matrix = None
    if test == BY_FEATURE:  # the bundled scripts answering the P-SEAMLDR's "no entropy" run without RDRAND
        bundled = (Path(__file__).parents[2] / "series" / "p-seamldr" / "matrix.toml").read_text()
        answers = 'answers = ["SEAMLDR_NO_ENTROPY", "SUCCESS"]\n'
        assert bundled.count(answers) == 2
        matrix = tmp_path / "matrix.toml"
        matrix.write_text(bundled.replace(answers, answers + 'cpu_lacks = ["X86_FEATURE_RDRAND"]\n'))
    gate = evaluate_gate(GateRequest((mbox,), "v2", matrix=matrix, matrix_add=added, jobs=1, cache=None))
    (v,) = [v for v in gate.verdicts if v.rule.id == RULE]
    return v.status, v.note


@pytest.mark.parametrize("test", [BY_INPUT, BY_CPU, BY_CONTEXT, BY_FEATURE])
def test_a_retry_test_shown_both_ways_only_by_runs_the_rule_does_not_read_is_not_a_pass(tmp_path: Path,
                                                                                        test: str) -> None:
    # gcc: one SEAMCALL started as the rule's runs are, two with RCX set, on CPU 1, in an interrupt or with RDRAND, the
    # P-SEAMLDR's "no entropy" retried. The test came out true in such a run of a script the rule does not select (the
    # bundled args-in script sets RCX; ours runs on CPU 1, in hardirq context, or with RDRAND), false in every run it
    # reads: it was PASS (for the context and the feature, until runcover._start took them in).
    assert _gcc_calls(tmp_path, test) == [1, 2]
    status, note = _judge(tmp_path, test, "seamldr-busy-started-otherwise")
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "a part of the test in sc_retry() at arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note, note
    assert f"(err == SEAMLDR_RND_NO_ENTROPY && {test})" in note and "always came out false in v2" in note, note


@pytest.mark.parametrize("test", [BY_INPUT, BY_CPU, BY_CONTEXT, BY_FEATURE])
def test_the_same_start_in_a_script_the_rule_reads_shows_the_retry(tmp_path: Path, test: str) -> None:
    # The run gcc retries in, named for the rule: the retry is evidence, as gcc has it (_gcc_calls: 2 SEAMCALLs).
    assert _gcc_calls(tmp_path, test) == [1, 2]
    status, note = _judge(tmp_path, test, "seamldr-no-entropy-started-otherwise")
    assert status is VerdictStatus.FAIL, note


# A rule on seamldr_prerr() alone, and an entry point of the matrix that sets RCX before calling it: the test came out
# true under that one, false under seamldr_prerr(), whose callers may hand it RCX set as well.
NARROW = """\
[[rule]]
id = "ldr-no-retry"
reviewer = "Ann Author"
summary = "seamldr_prerr() does not retry the P-SEAMLDR's 'no entropy'"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "seamldr_prerr", leaf = ["SEAMLDR_INFO", "SEAMLDR_INSTALL"], script = "seamldr-no-entropy-*" }
expect = { no_retry = true }
"""
SETTER = "#define seamldr_install_at(_fn, _args)\t({ (_args)->rcx = 0x1000; seamldr_prerr((_fn), (_args)); })\n"
ENTRY = '[[entry]]\nname = "seamldr_prerr"\nunits = ["seamldr.c"]\n'


def test_a_retry_test_shown_both_ways_only_under_an_entry_point_the_rule_does_not_read_is_not_a_pass(
        tmp_path: Path) -> None:
    # gcc: seamldr_prerr() handed RCX set retries (_gcc_calls: its sc_retry() makes 2 SEAMCALLs); it was PASS.
    assert _gcc_calls(tmp_path, BY_INPUT) == [1, 2]
    header = PREAMBLE + LOOP.format(test=BY_INPUT) + "\n" + PRINTERS + SETTER + TAIL
    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, header),))]
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, steps, sender="Ann Author <ann@example.org>",
                                                     cover="demo: a P-SEAMLDR wrapper"))
    (tmp_path / "rules.toml").write_text(NARROW)
    bundled = (Path(__file__).parents[2] / "series" / "p-seamldr" / "matrix.toml").read_text()
    assert ENTRY in bundled
    matrix = bundled.replace(ENTRY, ENTRY + '\n[[entry]]\nname = "seamldr_install_at"\nunits = ["seamldr.c"]\n')
    (tmp_path / "matrix.toml").write_text(matrix)
    gate = evaluate_gate(GateRequest((mbox,), "v1", rules=tmp_path / "rules.toml", matrix=tmp_path / "matrix.toml",
                                     jobs=1, cache=None))
    (v,) = gate.verdicts
    assert v.status is VerdictStatus.INCONCLUSIVE, v.note
    assert f"(err == SEAMLDR_RND_NO_ENTROPY && {BY_INPUT})" in v.note, v.note
    assert "always came out false in v1" in v.note, v.note

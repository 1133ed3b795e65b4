"""State that only gates a kernel report does not count for rules on the SEAMCALLs made.

A run that leaves only state gating a kernel report (might_sleep()'s __might_resched() timestamp): a rule on the
SEAMCALLs made is shown by a first call, as gcc's build of a second call shows (models.outcome.REPORT_ONLY_STATE)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

RULE = "seamldr-no-entropy-not-retried"  # the bundled behaviour rule: no P-SEAMLDR leaf issued again on 'no entropy'
DECL = "\tint left = RDRAND_RETRY_LOOPS;\n\tu64 err;\n"
SLEEPS = RETRY_SAFE.replace(DECL, DECL + "\n\tmight_sleep();\n")  # reached under the wrapper's guard(preempt)()
# Near miss: state the C reads, a budget of calls kept across calls.
BUDGET = RETRY_SAFE.replace(DECL, DECL + "\tstatic int spent;\n\n"
                                         "\tif (spent++ >= 100)\n\t\treturn TDX_RND_NO_ENTROPY;\n")

_ORACLE = """\
#include <stdio.h>
#include <stdlib.h>
typedef unsigned long long u64;
struct tdx_module_args { int unused; };
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#undef __always_inline
#define __always_inline inline
#define RDRAND_RETRY_LOOPS 10
#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL
static int preempt, reports;
static unsigned long jiffies = 1000;  /* a call takes no time */
#define HZ 250
#define preempt_disable() (preempt++)
#define preempt_enable() (preempt--)
#define lockdep_assert_preemption_disabled() do { } while (0)
#define this_cpu_write(var, val) do { } while (0)
/* kernel/sched/core.c __might_resched(): the report rate-limited by its static prev_jiffy. */
static void might_sleep(void)
{
	static unsigned long prev_jiffy;

	if (!preempt)
		return;
	if (jiffies < prev_jiffy + HZ && prev_jiffy)
		return;
	prev_jiffy = jiffies;
	reports++;
}
static int calls, busy;
static u64 answer(u64 fn, struct tdx_module_args *args) { return ++calls <= busy ? TDX_RND_NO_ENTROPY : 0; }
"""
_MAIN = """\
static u64 query(void)
{
	u64 err;

	preempt_disable();
	err = sc_retry(answer, 0x8000000000000001ULL, 0);
	preempt_enable();
	return err;
}

int main(int argc, char **argv)
{
	busy = argc > 1 ? atoi(argv[1]) : 0;
	for (int call = 0; call < 2; call++) {
		calls = reports = 0;
		u64 ret = query();
		printf("%d:%llx:%d\\n", calls, ret, reports);
	}
	return 0;
}
"""


def _gcc_calls(tmp_path: Path, loop: str) -> tuple[list[str], list[str]]:
    """What gcc's build of ``loop`` does (SEAMCALLs, return, reports) for 0-12 'no entropy' answers then success, in a
    first call and in a second one that starts from the state the first left."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text(_ORACLE + loop + _MAIN)
    subprocess.run(["gcc", "-O1", "-Wall", "-Werror", "-Wno-unused-function", "-o", str(exe), str(src)], check=True)
    runs = [subprocess.run([str(exe), str(busy)], check=True, capture_output=True, text=True).stdout.split()
            for busy in range(13)]  # a process each: the statics start at 0
    return ([f"{b}:{first}" for b, (first, _) in enumerate(runs)],
            [f"{b}:{second}" for b, (_, second) in enumerate(runs)])


def _verdict(tmp_path: Path, loop: str, rules: Path | None = None) -> tuple[VerdictStatus, str]:
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(loop)))
    found = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules)).verdicts
    (v,) = [v for v in found if rules is not None or v.rule.id == RULE]
    return v.status, v.note


def _calls(lines: list[str]) -> list[str]:
    return [line.rpartition(":")[0] for line in lines]


def test_state_that_only_rate_limits_a_report_leaves_a_rule_on_seamcalls_shown(tmp_path: Path) -> None:
    # Before: INCONCLUSIVE, 'a run leaves state a later call starts from (kernel::__might_resched = 1 after
    # seamldr_query/...), and no run starts from it'. gcc: a second call makes the SEAMCALLs and returns a first one
    # does, for every count of 'no entropy' answers; only its report is gone.
    first, second = _gcc_calls(tmp_path, SLEEPS)
    assert _calls(first) == _calls(second) and first != second
    status, note = _verdict(tmp_path, SLEEPS)
    assert status is VerdictStatus.PASS, note
    assert "leaves state" not in note, note


def test_state_the_code_reads_still_leaves_the_rule_shown_for_a_first_call_only(tmp_path: Path) -> None:
    # Near miss: a budget kept in a static. gcc's later calls make no SEAMCALL once it is spent; the runs show only a
    # first call.
    first, second = _gcc_calls(tmp_path, BUDGET)
    assert _calls(first) == _calls(second)  # a budget of 100 calls outlasts two ...
    assert _calls(_gcc_calls(tmp_path, BUDGET.replace(">= 100", ">= 1"))[1]) != _calls(first)  # ... one does not
    status, note = _verdict(tmp_path, BUDGET)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "a run leaves state a later call starts from (sc_retry::spent = " in note, note


PRINT_RULE = """[[rule]]
id = "no-sleep-report"
reviewer = "A. Reviewer"
summary = "No P-SEAMLDR call logs a 'sleeping function' report"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "*", leaf = ["SEAMLDR_INFO", "SEAMLDR_INSTALL"], script = "seamldr-no-entropy-*" }
expect = { no_events = ["violation"] }
"""


def test_state_that_gates_a_report_counts_for_a_rule_on_reports(tmp_path: Path) -> None:
    # Near miss: a rule on what is reported. A second call reports nothing (gcc above): the state counts, and the rule
    # fails on the first call's report, naming the state too.
    (tmp_path / "rules.toml").write_text(PRINT_RULE)
    status, note = _verdict(tmp_path, SLEEPS, tmp_path / "rules.toml")
    assert status is VerdictStatus.FAIL, note

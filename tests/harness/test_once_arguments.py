"""A pr_*_once() site's arguments run only while it prints: their state counts on every rule.

A pr_*_once() site evaluates its arguments only while it prints (include/linux/once_lite.h DO_ONCE_LITE_IF): one
whose arguments change what C reads later leaves state a later call starts from, on every rule; gcc the oracle."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, TAIL, preparing_series
from tests.mailgen import write_mbox

RULE = "seamldr-no-entropy-not-retried"
FIRST = "\tif (fn & SEAMLDR_LEAF_BIT)\n\t\tpr_warn_once(\"SEAMCALL %llx: %llx\\n\", fn, {arg});\n"
LOOP = """\
static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	preempt_disable();
	err = op(fn, args);
	preempt_enable();
{first}	while ((err == TDX_RND_NO_ENTROPY || err == 0x8000000000030001ULL) && left--) {{
		preempt_disable();
		err = op(fn, args);
		preempt_enable();
	}}
	return err;
}}
"""
CASES = {  # the argument the P-SEAMLDR path's pr_warn_once() is given; the verdict; whether a later call differs
    "(left = 0, err)": (VerdictStatus.INCONCLUSIVE, True),  # it was PASS: the first call alone was judged
    "err": (VerdictStatus.FAIL, False),  # a plain argument: the runs show the retry, first call or not
}
_ORACLE = """\
#include <stdio.h>
#include <stdbool.h>
typedef unsigned long long u64;
struct tdx_module_args { int unused; };
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#undef __always_inline
#define __always_inline inline
#define SEAMLDR_LEAF_BIT (1ULL << 63)
#define RDRAND_RETRY_LOOPS 10
#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
#define pr_warn_once(fmt, ...) ({ static bool __done; if (!__done) { __done = true; printf(fmt, ##__VA_ARGS__); } })
static int calls;
static u64 op(u64 fn, struct tdx_module_args *args) { calls++; return 0x8000000000030001ULL; }
int main(void)
{
	for (int i = 0; i < 3; i++) {
		calls = 0;
		sc_retry(op, SEAMLDR_LEAF_BIT, 0);
		printf("calls=%d\\n", calls);
	}
	return 0;
}
"""


def _gcc_calls(tmp_path: Path, loop: str) -> list[str]:
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text(_ORACLE.replace("int main", loop + "\nint main"))
    subprocess.run(["gcc", "-O1", "-Wall", "-o", str(exe), str(src)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return [line.removeprefix("calls=") for line in out.splitlines() if line.startswith("calls=")]


@pytest.mark.parametrize("arg", list(CASES))
def test_a_once_site_whose_arguments_change_state_leaves_the_rule_inconclusive(tmp_path: Path, arg: str) -> None:
    want, later_differs = CASES[arg]
    loop = LOOP.format(first=FIRST.format(arg=arg))
    calls = _gcc_calls(tmp_path, loop)
    assert (len(set(calls)) > 1) is later_differs, calls  # gcc: with (left = 0, err), 1 SEAMCALL, then 11
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    assert got[RULE][0] is want, got[RULE]
    if want is VerdictStatus.INCONCLUSIVE:
        assert "pr_warn_once(...) = 1" in got[RULE][1], got[RULE]


LOW = "static inline u64 sc_low(u64 err)\n{\n\tu64 low = err & 0xffffffffULL;\n\n\tlow |= 0;\n\treturn low;\n}\n\n"
CODE = LOW + "static inline u64 sc_code(u64 err)\n{\n\treturn sc_low(err) ? err : 0;\n}\n\n"
ZERO = "static inline u64 sc_zero(int *p)\n{\n\t*p = 0;\n\treturn 0;\n}\n\n"
LAST = "static inline u64 sc_last(u64 err)\n{\n\tstatic u64 last;\n\n\tlast = err;\n\treturn last;\n}\n\n"
# The loop as the rule wants it: a P-SEAMLDR call is never retried.
SAFE = LOOP.replace("0x8000000000030001ULL) && left--)", "0x8000000000030001ULL) && !(fn & SEAMLDR_LEAF_BIT) && "
                                                     "left--)")
CALLED = {  # an argument that calls a helper of the code: the helpers; the verdict
    "sc_code(err)": (CODE, VerdictStatus.PASS),  # it was INCONCLUSIVE: any call counted as changing state
    "sc_low(err)": (LOW, VerdictStatus.PASS),
    # Near misses, gcc alike too but not read as changing nothing: a store through a pointer, a static of its own.
    "err + sc_zero(&left)": (ZERO, VerdictStatus.INCONCLUSIVE),
    "sc_last(err)": (LAST, VerdictStatus.INCONCLUSIVE),
}


@pytest.mark.parametrize("arg", list(CALLED))
def test_a_once_site_calling_a_helper_that_changes_nothing_is_judged_on_every_rule(tmp_path: Path, arg: str) -> None:
    helpers, want = CALLED[arg]
    assert SAFE != LOOP
    loop = helpers + SAFE.format(first=FIRST.format(arg=arg))
    assert _gcc_calls(tmp_path, loop) == ["1", "1", "1"]  # gcc: one SEAMCALL on every call
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    assert got[RULE][0] is want, got[RULE]
    if want is VerdictStatus.INCONCLUSIVE:
        assert "pr_warn_once(...) = 1" in got[RULE][1] or "sc_last::last = " in got[RULE][1], got[RULE]

"""Rate-limit states (models/ratelimit.py), against gcc.

Rate-limit states (models/ratelimit.py: DEFINE_RATELIMIT_STATE(), ratelimit_state_init(), __ratelimit(),
HZ): what the mirror computes and logs, against gcc running the same C with a rate limit of its own written from
lib/ratelimit.c's description (jiffies that do not move: a run takes no time), and through `seamharness crosscheck`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

# A userspace ___ratelimit(): the interval starts at the first call; when it has passed (never, here) the counts
# start again; within it the first burst calls pass and the rest are missed; an interval of 0 never limits.
SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx; };
static unsigned long jiffies = 4294937296UL;
struct ratelimit_state { int interval, burst, printed, missed; unsigned long begin; };
#define HZ 250
#define DEFAULT_RATELIMIT_INTERVAL (5 * HZ)
#define DEFAULT_RATELIMIT_BURST 10
#define RATELIMIT_STATE_INIT(n, i, b) { .interval = (i), .burst = (b) }
#define DEFINE_RATELIMIT_STATE(n, i, b) struct ratelimit_state n = RATELIMIT_STATE_INIT(n, i, b)
static int rl_check(struct ratelimit_state *rs, const char *func)
{
	if (rs->interval == 0)
		return 1;
	if (rs->begin == 0)
		rs->begin = jiffies;
	if ((long)(jiffies - (rs->begin + rs->interval)) > 0) {
		if (rs->missed)
			printf("warning:%s: %d callbacks suppressed\\n", func, rs->missed);
		rs->begin = jiffies;
		rs->printed = rs->missed = 0;
	}
	if (rs->burst > 0 && rs->burst > rs->printed) {
		rs->printed++;
		return 1;
	}
	rs->missed++;
	return 0;
}
#define __ratelimit(rs) rl_check(rs, __func__)
static void ratelimit_state_init(struct ratelimit_state *rs, int interval, int burst)
{
	*rs = (struct ratelimit_state){ .interval = interval, .burst = burst };
}
#define pr_err_ratelimited(fmt, ...) ({ static DEFINE_RATELIMIT_STATE(rs_, DEFAULT_RATELIMIT_INTERVAL, \\
	DEFAULT_RATELIMIT_BURST); if (__ratelimit(&rs_)) printf("err:" fmt, ##__VA_ARGS__); })
"""

# Five states (a burst of 3 over 5 s, an interval of 0, a burst of 0, the defaults as a static local, a member set
# at run time with a burst of 1 to 4) and pr_err_ratelimited() at one site, called more times than some bursts and
# fewer than others.
CODE = """\
static DEFINE_RATELIMIT_STATE(rl_fail, 5 * HZ, 3);
static DEFINE_RATELIMIT_STATE(rl_off, 0, 1);
static DEFINE_RATELIMIT_STATE(rl_none, HZ / 2, 0);
static struct { int id; struct ratelimit_state rs; } rl_dev;

long long f(u64 err, struct tdx_module_args *args)
{
	static DEFINE_RATELIMIT_STATE(rl_local, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	long long r = 0;
	int i;

	ratelimit_state_init(&rl_dev.rs, HZ / 4, 1 + (int)(err & 3));
	for (i = 0; i < 2 + (int)(err & 15); i++) {
		if (__ratelimit(&rl_dev.rs))
			r += 100000000;
		if (__ratelimit(&rl_fail))
			r += 1;
		if (__ratelimit(&rl_off))
			r += 100;
		if (__ratelimit(&rl_none))
			r += 10000;
		if (__ratelimit(&rl_local))
			r += 1000000;
		pr_err_ratelimited("retry %d: %llx\\n", i, err);
	}
	return r * 100 + rl_fail.burst;
}
"""

ARGS = (0, 2, 7, 9, 0x800000000000000F)


def _gcc(tmp_path: Path, a: int) -> tuple[int, list[str]]:
    src, exe = tmp_path / "rl.c", tmp_path / "rl"
    src.write_text(SHIM + CODE + f"int main(void)\n{{\n\tprintf(\"=%lld\\n\", f({a:#x}ULL, 0));\n\treturn 0;\n}}\n")
    subprocess.run([find_compiler(None), "-std=gnu11", "-fwrapv", "-funsigned-char", "-O1", "-o", str(exe),
                    str(src)], check=True, capture_output=True)
    lines = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()
    return int(lines[-1][1:]), lines[:-1]


def _mirror(a: int) -> tuple[int | None, list[str]]:
    code = CODE.replace("long long f(u64 err,", "static long long g(u64 err,") + (
        f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn g({a:#x}ULL, args);\n}}\n")
    out = run(code)
    assert out.status == "ok", out.error
    return out.ret, [f"{line.level}:{line.text}" for line in out.log]


@pytest.mark.parametrize("arg", ARGS)
def test_rate_limits_pass_and_log_what_gcc_does(tmp_path: Path, arg: int) -> None:
    assert _mirror(arg) == _gcc(tmp_path, arg)


def _error(code: str) -> str:
    out = run(code)
    assert out.status == "error", out.ret
    return out.error or ""


def test_hz_outside_an_interval_is_refused_where_it_is_used() -> None:
    assert _error("long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn 2 * HZ;\n}\n").startswith(
        "test/prog.c:3: HZ is CONFIG_HZ's value")


def test_an_interval_zero_under_some_hz_only_is_refused() -> None:
    # HZ / 300 jiffies: 0 with HZ=100 and 250 (never limit), 1 and 3 with 300 and 1000.
    error = _error("static DEFINE_RATELIMIT_STATE(rs, HZ / 300, 3);\nlong f(u64 fn, struct tdx_module_args *args)\n"
                   "{\n\treturn __ratelimit(&rs);\n}\n")
    assert error.startswith("test/prog.c:1: a rate-limit interval that is 0 jiffies with some CONFIG_HZ"), error


@pytest.mark.parametrize(("delay", "refused"), [("udelay(20)", False), ("mdelay(995)", True)])
def test_a_busy_wait_that_may_end_the_interval_is_refused(delay: str, refused: bool) -> None:
    # One second (HZ): the shortest it lasts under any CONFIG_HZ; a jiffy early may end it (the longest, 10 ms).
    out = run("static DEFINE_RATELIMIT_STATE(rs, HZ, 3);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
              f"\tlong r = __ratelimit(&rs);\n\n\t{delay};\n\treturn r + __ratelimit(&rs);\n}}\n")
    assert (out.status, out.ret if not refused else (out.error or "")[:14]) == \
        (("error", "test/prog.c:7:") if refused else ("ok", 2)), out.error


def test_an_interval_set_at_run_time_must_be_a_constant() -> None:
    error = _error("long f(u64 fn, struct tdx_module_args *args)\n{\n\tstruct ratelimit_state rs;\n\n"
                   "\tratelimit_state_init(&rs, (int)fn, 2);\n\treturn __ratelimit(&rs);\n}\n")
    assert error.startswith("test/prog.c:5: a rate-limit interval that is no integer constant expression"), error


def test_a_state_never_set_is_refused() -> None:
    error = _error("long f(u64 fn, struct tdx_module_args *args)\n{\n\tstruct ratelimit_state rs;\n\n"
                   "\treturn __ratelimit(&rs);\n}\n")
    assert error.startswith("test/prog.c:5: __ratelimit() of a state whose members are not all set"), error


def test_the_interval_and_counts_are_no_members_code_reads() -> None:
    # lib/ratelimit.c's counts changed in v6.16 (rs_n_left, an atomic missed): which one a state has is not known.
    assert "no member 'printed'" in _error("static DEFINE_RATELIMIT_STATE(rs, HZ, 3);\nlong f(u64 fn, struct "
                                           "tdx_module_args *args)\n{\n\treturn rs.printed;\n}\n")


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_rate_limits_agree_with_gcc_under_crosscheck(tmp_path: Path, source: str) -> None:
    code = CODE.replace("long long f(u64 err, struct tdx_module_args *args)",
                        "static long long busy(u64 fn, struct tdx_module_args *args)")
    code = code.replace("\tlong long r = 0;", "\tlong long r = 0;\n\tu64 err = __seamcall(fn, args) & 0x1f;", 1)
    result = header_result(tmp_path, "rl", "demo/rl.h", code, 0x8000020300000043)
    ok, big = (result.outcome("rl", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert ok.status == big.status == "ok", (ok.error, big.error)
    assert ok.ret != big.ret
    r = crosscheck_result(result, find_compiler(None), source=source)
    assert r.disagreements == [], [d.divergence for d in r.disagreements]
    assert source != ORIGINAL or r.raw_compared["rl"] == 2, r.raw_compared


PRINTK_RATELIMIT = """\
static DEFINE_PER_CPU(int, prl_x);

static long long pw_prl(u64 fn, struct tdx_module_args *args)
{
	long long n = 0;
	int i;

	for (i = 0; i < 3; i++)
		__this_cpu_write(prl_x, i);
	for (i = 0; i < 6; i++)
		n = n * 2 + printk_ratelimit();
	if (printk_ratelimit())
		pr_err("limited %lld\\n", n);
	for (i = 0; i < 3; i++)
		n = n * 2 + printk_ratelimit();
	return n;
}
"""


def test_printk_ratelimit_shares_the_kernels_state_with_the_preemption_reports(tmp_path: Path) -> None:
    # kernel/printk/printk.c: one printk_ratelimit_state (10 a 5 s interval) for printk_ratelimit() and
    # CONFIG_DEBUG_PREEMPT's reports: three reports, then seven passes (the if the last), then misses (was an unknown
    # function).
    result = runs_as_gcc(tmp_path, "prl", "demo/prl.h", PRINTK_RATELIMIT)
    out = result.outcome("prl", "busy/ONE/ok/demo.c")
    assert out.ret == 0b111111000 and [x.text for x in out.log] == ["limited 63"], (out.ret, out.log)
    assert [e.kind for e in out.events if e.kind == "violation"] == ["violation"] * 3

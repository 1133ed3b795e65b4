"""A counter the retry loop only stores to (a per-CPU statistic) keeps a rule's pass; one it reads does not.

gcc is the oracle: the loop makes the same SEAMCALLs whatever the counter held before."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.sinkonly import sunk_only
from harness.verdict import VerdictStatus
from models.slicer import Definition, Kind
from tests.harness.test_retry_code_set_outside import _judge

COUNTED = """\
DEFINE_PER_CPU(u64, sc_busy_count);

static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		preempt_disable();
		err = op(fn, args);
		if (err == TDX_RND_NO_ENTROPY)
			this_cpu_inc(sc_busy_count);
		preempt_enable();
	} while (err == TDX_RND_NO_ENTROPY && --left);
	return err;
}
"""

_ORACLE = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx; };
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#define __always_inline inline
#define RDRAND_RETRY_LOOPS 10
#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL
#define DEFINE_PER_CPU(t, n) t n
#define this_cpu_inc(n) ((n)++)
#define this_cpu_read(n) (n)
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
static int calls;
static u64 op(u64 fn, struct tdx_module_args *args) { calls++; return TDX_RND_NO_ENTROPY; }
"""
_MAIN = """\
int main(void)
{
	struct tdx_module_args args = { 0 };

	sc_retry(op, 1, &args);
	printf("%d ", calls);
	calls = 0;
	sc_busy_count = 7;
	sc_retry(op, 1, &args);
	printf("%d\\n", calls);
	return 0;
}
"""
READ = ("} while (err == TDX_RND_NO_ENTROPY && --left);",
        "} while (err == TDX_RND_NO_ENTROPY && this_cpu_read(sc_busy_count) < 5 && --left);")


def _gcc(tmp_path: Path, loop: str) -> str:
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "counted.c", tmp_path / "counted"
    src.write_text(_ORACLE + loop + _MAIN)
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.strip()


def test_a_per_cpu_counter_the_loop_only_increments_keeps_the_pass(tmp_path: Path) -> None:
    # gcc: 10 SEAMCALLs whatever the counter held. It was INCONCLUSIVE: "reads sc_busy_count, a variable code no
    # run executes may set" (defined without static) and "a variable a run leaves changed".
    assert _gcc(tmp_path, COUNTED) == "10 10"
    status, note = _judge(tmp_path, COUNTED)
    assert status is VerdictStatus.PASS, note
    assert "sc_busy_count" not in note, note


def test_a_counter_the_loop_reads_keeps_it_inconclusive(tmp_path: Path) -> None:
    loop = COUNTED.replace(*READ)
    assert _gcc(tmp_path, loop) == "5 1"  # the count it starts from steers the loop
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note


def _fn(body: str) -> Definition:
    return Definition(Kind.FUNCTION, "f", f"static void f(int c)\n{{\n{body}\n}}\n", "x.c", 1)


@pytest.mark.parametrize("body", [
    "this_cpu_inc(n);", "__this_cpu_add(n, c);", "if (c) n++;", "while (c--) --n;", "n += c;",
    "WRITE_ONCE(n, 3);", "if (c)\n\tn = c;\nelse\n\tn -= 1;", "int y = (n = 2);",
])
def test_stores_alone_are_sunk(body: str) -> None:
    assert sunk_only(["n"], [_fn(body)], {}) == {"n"}


@pytest.mark.parametrize("body", [
    "c = this_cpu_read(n);", "c = n++;", "c = (int)n++;", "for (; n++; )\n\t;", "c = ({ n++; });",
    "if (n) c = 1;", "int *p = &n;", "this_cpu_inc(n); c = n;", "n = n + 1;", "c = (n += 1);",
    "int n = 0;\nif (n) c++;", "f(n);", "n[0]++;",
])
def test_a_read_of_the_value_is_not_sunk(body: str) -> None:
    assert sunk_only(["n"], [_fn(body)], {}) == frozenset()


def test_a_name_a_macro_mentions_is_not_sunk() -> None:
    macro = Definition(Kind.MACRO, "N_READ", "#define N_READ this_cpu_read(n)", "x.h", 1)
    assert sunk_only(["n"], [_fn("this_cpu_inc(n);")], {"N_READ": [macro]}) == frozenset()


def test_a_name_another_variable_points_at_is_not_sunk() -> None:
    own = Definition(Kind.VARIABLE, "n", "static u64 n;", "x.c", 1)
    alias = Definition(Kind.VARIABLE, "busy", "static u64 *busy = &n;", "x.c", 2)
    assert sunk_only(["n"], [_fn("n++;")], {"n": [own]}) == {"n"}
    assert sunk_only(["n"], [_fn("n++;")], {"n": [own], "busy": [alias]}) == frozenset()

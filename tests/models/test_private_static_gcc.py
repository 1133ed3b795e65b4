"""A call storing to its own static beside a read of other memory: gcc's order changes nothing.

A call of a function that stores to a static of its own (a counter) beside a read of other memory (``pv_g +
next_id()``, ``count + next_id()`` of another function's static): the mirror refused it as an unsequenced store and
load, but no other code reaches such a static (declared in the function, its address never taken, no array), so
gcc's order cannot change what the operand reads; two calls of the function in operands C leaves unordered, and
a recursive call beside a read of the static, stay refused. gcc builds and runs each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

COUNTERS = r"""
static int sc_g = 5;
static int sc_arr[3] = { 1, 2, 3 };

static int sc_next(void)
{
	static int count;

	count++;
	return count;
}

static int sc_peek(int a)
{
	static int count;

	count += a;
	return a + count;
}

static int sc_counter(u64 fn, struct tdx_module_args *args)
{
	static int count;
	int a = (int)(__seamcall(fn, args) & 3), x;

	count++;
	x = count + sc_next();
	x = x * 10 + sc_g + sc_next();
	x = x * 10 + sc_peek(a) + sc_g;
	x += sc_arr[1] + sc_next();
	x += sc_next() * 100 + sc_next();
	return x + count;
}

static long long pw_static_counters(u64 fn, struct tdx_module_args *args)
{
	long long r = sc_counter(fn, args);

	return r * 1000 + sc_counter(fn, args);
}
"""


def test_a_call_storing_only_its_own_static_beside_other_memory_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "sc", "demo/sc.h", COUNTERS)


TWO = r"""
static int tc_next(void)
{
	static int count;

	count++;
	return count;
}

static u32 tc_acc(u32 v)
{
	static u32 total;

	total += v;
	return total;
}

static int tc_add3(int a, int b, int c) { return a * 100 + b * 10 + c; }

static long long pw_two_counters(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args) & 0xff;

	r = r * 5 + tc_acc((u32)r) + tc_next();
	r += (u64)tc_next() * 10 + tc_acc(3) * 100 + r;
	r = r * 3 + (tc_acc(1) + tc_next());
	return (long long)(r + tc_add3(tc_next(), (int)tc_acc(2), 7));
}
"""


def test_two_functions_counting_in_statics_of_their_own_run_in_any_order_as_gcc_runs_them(tmp_path: Path) -> None:
    # Two functions' statics are two objects (C11 6.5p2): a sum of three terms or call arguments holding one run of
    # each give the same whatever order gcc picks (were refused: the runs counted as two outputs).
    runs_as_gcc(tmp_path, "tc", "demo/tc.h", TWO)


REFUSED = r"""
static int sc_next(void)
{
	static int count;

	count++;
	return count;
}

static int sc_rec(int k)
{
	static int depth;

	depth++;
	return k == 0 ? depth : depth + sc_rec(k - 1);
}

static int sc_add(int a, int b) { return a * 10 + b; }

long long f(u64 fn, struct tdx_module_args *args)
{
	return BODY;
}
"""


@pytest.mark.parametrize("body", ["sc_add(sc_next(), sc_next())", "sc_rec(2)", "sc_next() + sc_next() + sc_next()",
                                  "sc_next() + sc_add(1, 2) * 10 + sc_rec(0) + sc_next()"])
def test_where_the_order_may_matter_it_stays_refused(body: str) -> None:
    # gcc evaluates call arguments right to left, reads depth after the recursive call, reassociates a sum of three
    out = run(REFUSED.replace("BODY", body))
    assert (out.status, "is unspecified in C" in (out.error or "")) == ("error", True), (out.ret, out.error)

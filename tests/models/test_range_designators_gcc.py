"""GNU C's range designators in an array's initializer, against gcc.

GNU C's range designators (``[first ... last] = x``, gcc manual "Designated Initializers") in an array's
initializer, local or file-scope, sized by it or not: each element of the range has the value, the initializer is
evaluated once (its side effects too), a later designator overrides an element of it. They did not parse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

RANGES = r"""
static const int rg_t[6] = { [0 ... 2] = 1, [3 ... 5] = 2 };
static u64 rg_u[] = { [1 ... 3] = 7, 9 };
struct rg_p { int a, b; };
static int rg_n;

static int rg_next(void)
{
	return ++rg_n;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct rg_p ps[4] = { [0 ... 2] = { 1, (int)(err & 7) }, [1] = { 0, 5 } };
	int v[5] = { [0 ... 4] = rg_next(), [2] = 40 };
	char c[4] = { [0 ... 3] = 'x' };

	ps[0].b = 9;
	return rg_t[err & 3] + rg_t[5] * 10 + ARRAY_SIZE(rg_u) * 100 + rg_u[4] * 1000 + rg_u[2] * 10000 + rg_u[0]
		+ (ps[1].b + ps[2].b + ps[3].a) * 100000 + (v[0] + v[4] + v[2] + rg_n * 100) * 1000000LL
		+ c[3] * 10000000000LL;
}
"""


def test_range_designators_run_as_gcc_runs_them(tmp_path: Path) -> None:
    # gcc: rg_t[0] or rg_t[3] 1 + 20, 5 elements, rg_u[4] 9, rg_u[2] 7; ps[1].b 5 + ps[2].b (err & 7) + 0;
    # v 1, 1, 40 and rg_next() called once; 'x' 120
    agrees_with_gcc(tmp_path, "rg", "demo/rg.h", RANGES, 0x8000020300000043, (1200142579521, 1200142879522))


@pytest.mark.parametrize(("init", "says"), [
    ("int a[4] = { [2 ... 1] = 5 };", "the empty index range [2 ... 1]"),
    ("int a[4] = { [2 ... 4] = 5 };", "element 4 is outside int[4]"),
])
def test_an_empty_or_outside_range_is_refused(init: str, says: str) -> None:
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\t" + init + "\n\n\treturn a[0];\n}\n")
    assert out.status == "error" and "test/prog.c:3" in (out.error or "") and says in (out.error or ""), out.error

"""A pointer to an element of a named array is a pointer into the array, against gcc.

A pointer to an element of a named array (``&a[i]``) is a pointer into the array, as the array's own value is
(C11 6.5.2.1p2, 6.5.3.2p3): indexed further, stepped by an integer or subtracted from another into the same array
(C11 6.5.6p8-9), it reads and writes the elements gcc's code does. Each was refused ('element 1 of a pointer to a
single object', 'pointer arithmetic (+)')."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

INTO = """\
static u32 table[6] = { 10, 20, 30, 40, 50, 60 };
struct sq_pair { u32 lo, hi; };
static struct sq_pair pairs[3] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };

static u32 sum_two(const u32 *p)
{
	return p[0] + p[1];
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int i = err ? 3 : 1;
	u32 *p = &table[i];
	u64 local[4] = { 7, 8, 9, 10 };
	u64 *q = &local[1];
	long long r;

	p[1] += 5;
	*(&table[i] + 2) = 99;
	r = (&table[i])[1] * 1000 + *(p - 1) + sum_two(&table[i]);
	r += (long long)(&table[5] - p) * 100000 + (long long)(p - table) * 1000000;
	r += *(q + 2) * 10000000 + q[-1] * 100000000 + *(2 + local) * 1000000000LL;
	if (__builtin_add_overflow(q[0], 3, &local[3]))
		r = -1;
	r += (long long)local[3] * 10000000000LL + (pairs + 1)->hi * 100000000000LL + (pairs + 2)->lo;
	return r;
}
"""


def test_pointers_into_named_arrays_run_and_agree_with_gcc(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "into", "demo/ap.h", INTO, 0x8000020300000042, (519801435070, 519803255130))  # gcc's


ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("body", "kind", "says"), [
    ("\tu32 a[3] = { 1, 2, 3 };\n\tu32 *p = &a[1];\n\n\treturn p[2];\n", "runtime", "element 3 of a[3]"),
    ("\tu32 a[3] = { 1, 2, 3 };\n\n\treturn *(&a[1] + 3);\n", "runtime", "&a[4] is outside a[3]"),
    ("\tu32 a[3] = { 1, 2, 3 };\n\n\treturn *(&a[1] - 2);\n", "runtime", "&a[-1] is outside a[3]"),
    ("\tu32 x = 1;\n\tu32 *p = &x;\n\n\treturn *(p + 1);\n", "unsupported",
     "pointer arithmetic (+) on a pointer to a single object"),
    ("\tu32 a[2] = { 1, 2 }, b[2] = { 3, 4 };\n\n\treturn &a[1] - &b[0];\n", "unsupported",
     "pointer arithmetic (-) of pointers not into one array"),
    ("\tu64 a[2] = { 1, 2 };\n\n\treturn *((u32 *)&a[0] + 1);\n", "unsupported",
     "on an array of unsigned long long through a pointer to unsigned int"),
])
def test_what_c_leaves_undefined_is_a_run_time_error_and_the_rest_refused(body: str, kind: str, says: str) -> None:
    out = run(ENTRY + body + "}\n")
    assert out.status == "error" and (str(out.error_kind), says in (out.error or "")) == (kind, True), out.error

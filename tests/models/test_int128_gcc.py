"""gcc's 128-bit integers (__int128, unsigned __int128; include/uapi/linux/types.h's __s128/__u128, the kernel's
s128/u128) in the mirror (models.ctype INT128, UINT128): arithmetic, shifts, casts to and from 64 bits, comparisons,
the usual conversions, layout and bit-fields, as gcc's build of the same code computes them. Refused, at the line:
one passed to printk (no 128-bit conversion: what '%llx' reads of it is undefined) or another primitive, a per-CPU one.
Before, each declaration naming one was refused at its line ('a 128-bit integer: not modelled')."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import run
from tests.models.probegroup import STATUS, runs_as_gcc

needs_gcc = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                               reason="gcc, the oracle, is not installed")

WIDE = r"""
struct w128 { u8 tag; u128 v; s128 s; };
struct b128 { u128 lo : 100; s128 hi : 90; u8 end; };
union h128 { u128 v; u64 h[2]; };
static u128 g128 = 5;

static long long pw_wide(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u128 a = (u128)err << 64 | (err ^ 0x123456789abcdef0ULL);
	s128 s = -(s128)err * 3 + 7;
	__int128 t = (s128)(s64)err;
	unsigned __int128 m = a * a + a / 3 - a % 1000003;
	struct w128 w = { 1, a, s };
	struct b128 b = { 0 };
	union h128 u = { .v = a * 5 };
	u64 halves[2];
	int lt = s < (s128)err, ult = a < err, mix = t < err, neg = -1 < (u128)0, wrapped;
	u64 h = 0;
	int i;

	for (i = 0; i < 128; i += 9)
		h = h * 31 + (u64)(a >> i) + (u64)(s >> i) + (u64)(m << i);
	g128 = g128 * a + 1;
	b.lo = ~(u128)0;
	b.hi = -(s128)err;
	wrapped = b.lo + 1 == 0;
	memcpy(halves, &a, sizeof(a));
	pr_info("%llx %llx %llx %llx\n", (u64)(a >> 64), (u64)a, (u64)(m >> 64), (u64)m);
	pr_info("%lld %lld %llx %d %d %d %d\n", (long long)(s >> 64), (long long)s, (u64)(t >> 3), lt, ult, mix, neg);
	pr_info("%zu %zu %zu %zu %llx %d\n", sizeof(w), offsetof(struct w128, v), offsetof(struct w128, s),
		_Alignof(u128), h, (int)(s / -5 % 100));
	pr_info("%llx %llx %d %d\n", (u64)(g128 >> 64), (u64)g128, (int)(u32)(a >> 100), (int)(s8)(s >> 120));
	pr_info("%zu %d %llx %lld %zu %llx %llx %llx\n", sizeof(b), wrapped, (u64)(b.lo >> 64), (long long)(b.hi >> 60),
		sizeof(b.lo + 1), u.h[1], halves[0], halves[1]);
	pr_info("%d %zu %d %d\n", -9223372036854775808 < 0, sizeof(18446744073709551615LL),
		18446744073709551615 + 1 > err, (int)((18446744073709551615 * 3) >> 64));
	return (long long)(w.v >> 32) ^ (long long)(w.s / 7);
}
"""


@needs_gcc
def test_128_bit_integers_compute_as_gcc_builds_them(tmp_path: Path) -> None:
    result = runs_as_gcc(tmp_path, "wd", "demo/wd.h", WIDE)
    big = result.outcome("wd", "busy/ONE/big/demo.c")
    assert big.log[0].text.startswith(f"{STATUS:x} "), big.log[0].text  # the answer, shifted to the top half
    assert big.log[2].text.startswith("48 16 32 16 "), big.log[2].text  # sizeof, offsetof, _Alignof: 16-byte aligned


@pytest.mark.parametrize(("code", "says"), [
    ("\tu128 x = fn;\n\n\tpr_info(\"%llx\\n\", x);\n",
     "a 128-bit integer ('x', unsigned __int128) passed to pr_info(): printk has no 128-bit conversion, and what "
     "'%llx' reads of it is undefined"),
    ("\ts128 x = fn;\n\n\tWARN(x != 0, \"%lld\\n\", x * 2);\n",
     "a 128-bit integer ('x*2', __int128) passed to WARN(): printk has no 128-bit conversion"),
    ("\tu128 x = fn;\n\n\t__seamcall(x, args);\n", "a 128-bit integer ('x', unsigned __int128) passed to __seamcall(): "
     "its parameter is at most 64 bits"),
])
def test_a_128_bit_argument_of_a_primitive_is_refused_at_its_line(code: str, says: str) -> None:
    out = run("long f(u64 fn, struct tdx_module_args *args)\n{\n" + code + "\treturn 0;\n}\n")
    assert out.status == "error"
    assert (out.error or "").startswith(f"test/prog.c:5: {says}"), out.error


def test_a_128_bit_condition_of_warn_on_is_tested_not_refused() -> None:
    out = run("long f(u64 fn, struct tdx_module_args *args)\n{\n\tu128 x = (u128)1 << 100;\n\n\tWARN_ON(x);\n"
              "\treturn 0;\n}\n")
    assert out.status == "ok", out.error
    assert [e.kind for e in out.events] == ["warning"]


def test_a_128_bit_per_cpu_variable_is_refused_where_an_operation_takes_it() -> None:
    # include/linux/percpu-defs.h __pcpu_size_call_return(): sizes 1, 2, 4 and 8, else __bad_size_call_parameter().
    out = run("DEFINE_PER_CPU(u128, wide);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn this_cpu_read(wide) + 1;\n}\n")
    assert out.status == "error"
    assert (out.error or "").startswith("test/prog.c:4: per-CPU variable wide has type unsigned __int128: the this_cpu "
                                        "operations take 1, 2, 4 or 8 bytes"), out.error


@needs_gcc
def test_an_entry_point_returning_128_bits_is_not_compared_natively_and_says_why(tmp_path: Path) -> None:
    text = ("static u128 busy(u64 fn, struct tdx_module_args *args)\n{\n"
            "\treturn (u128)__seamcall(fn, args) << 64 | 3;\n}\n")
    result = header_result(tmp_path, "rt", "demo/rt.h", text, STATUS)
    assert result.outcome("rt", "busy/ONE/big/demo.c").ret == STATUS << 64 | 3
    r = crosscheck_result(result, find_compiler(None))
    assert r.disagreements == []
    why = " ".join(r.not_compared.get("rt", []))
    assert "the entry point returns a 128-bit integer: the native harness records at most 64 bits" in why, \
        r.not_compared

"""Bit-fields of 33 to 63 bits (``u64 pa : 40``) computed in their own width, as gcc's C front end does."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result

# Every operator on 40- and 33-bit fields, signed and unsigned, against int, u32, u64 and each other: the wider
# operand's type wins (s.a + 1 wraps at 2**40, s.a + 1ULL does not), at equal width the unsigned one.
WIDE_H = """\
struct sl_bf { u64 a : 40, b : 20; s64 c : 40; u64 d : 33; };
union sl_reg { u64 raw; struct { u64 pa : 40, cls : 8, hi : 16; }; };

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	int im = (int)(r >> 63) - 1;
	u32 u32m = 0xffffffffu - (u32)(r & 1);
	struct sl_bf s = { .a = 0xffffffffffULL - (r & 0xf), .b = 3, .c = -1 - (s64)(r & 3), .d = 0x1ffffffffULL };
	struct sl_bf z = { 0 };
	union sl_reg e = { .raw = r }, f = { .raw = 0 };
	u64 h;

	pr_info("a+1 %llx a+1ULL %llx a*3 %llx\\n", (u64)(s.a + 1), (u64)(s.a + 1ULL), (u64)(s.a * 3));
	pr_info("a<<30 %llx z-1 %llx -a %llx ~a %llx\\n", (u64)(s.a << 30), (u64)(z.a - 1), (u64)(-s.a), (u64)(~s.a));
	pr_info("a+u32 %llx a+im %llx a+d %llx d+1 %llx\\n", (u64)(s.a + u32m), (u64)(s.a + im), (u64)(s.a + s.d),
		(u64)(s.d + 1));
	pr_info("c-1 %llx c %lld a+c %llx c+u32 %llx\\n", (u64)(s.c - 1), (long long)s.c, (u64)(s.a + s.c),
		(u64)(s.c + u32m));
	pr_info("cmp %d %d %d sz %zu\\n", s.a == 0xffffffffffULL, s.a + 1 == 0, s.a > im, sizeof(s.a + 1));
	pr_info("div %llx %llx %llx pass %llx\\n", (u64)(s.a / 2), (u64)(s.a % 7), (u64)(s.c / -3), s.a + 1);
	s.a += 2;
	h = s.a++;
	h = h * 31 + (u64)(im ? s.a : s.d) + (u64)(s.a * s.a) + (u64)(s.c >> 1);
	s.d = s.a << 3;
	f.pa = e.pa + 0xffffffffffULL;
	f.cls = e.cls;
	pr_info("end %016llx d %#llx f %#llx\\n", h, (u64)s.d, f.raw);
	return (long long)h + (long long)(e.pa << 30);
}
"""


def test_wide_bit_fields_compute_in_their_own_width_as_gcc_does(tmp_path: Path) -> None:
    result = header_result(tmp_path, "wb", "demo/wb.h", WIDE_H, 0x8000020300000042)
    ok, big = (result.outcome("wb", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert ok.status == "ok" and big.status == "ok", (ok.error, big.error)
    # gcc: s.a + 1 wraps to 0 in 40 bits, s.a + 1ULL is 2**40; -s.a is 1, ~s.a 0; sizeof(s.a + 1) is 8
    assert ok.log[0].text == "a+1 0 a+1ULL 10000000000 a*3 fffffffffd"
    assert ok.log[1].text == "a<<30 ffc0000000 z-1 ffffffffff -a 1 ~a 0"
    assert ok.log[4].text == "cmp 1 1 0 sz 8"
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["wb"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


@pytest.mark.parametrize(("line", "gcc"), [
    ("__auto_type v = s.a;", "‘__auto_type’ used with a bit-field initializer"),
    ("typeof(s.f) v = 1;", "‘typeof’ applied to a bit-field"),
])
def test_typeof_and_auto_type_of_a_bit_field_are_refused_alike(tmp_path: Path, line: str, gcc: str) -> None:
    code = ("struct sl_w { u64 a : 40; u64 f : 1; };\n\nstatic long long busy(u64 fn, struct tdx_module_args *args)\n"
            f"{{\n\tstruct sl_w s = {{ .a = __seamcall(fn, args) }};\n\t{line}\n\n\treturn (long long)v;\n}}\n")
    r = crosscheck_result(header_result(tmp_path, "ty", "demo/ty.h", code, 5), find_compiler(None))
    assert r.refused_alike["ty"] == [f"busy: both refuse to build it; gcc refuses it: demo/ty.h:6: error: {gcc} "
                                     "(2 scenarios)"], (r.not_compared, r.refused_alike)

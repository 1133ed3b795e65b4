"""gcc's 128-bit integers in the mirror (models.ctype INT128, UINT128), against gcc.

gcc's 128-bit integers (__int128, unsigned __int128; include/uapi/linux/types.h's __s128/__u128, the kernel's
s128/u128) in the mirror (models.ctype INT128, UINT128): arithmetic, shifts, casts to and from 64 bits, comparisons,
the usual conversions, layout and bit-fields, as gcc's build of the same code computes them. Refused, at the line:
one passed to printk (no 128-bit conversion: what '%llx' reads of it is undefined) or another primitive, a per-CPU one.
Before, each declaration naming one was refused at its line ('a 128-bit integer: not modelled')."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.matrixresult import MatrixResult
from harness.runner import MatrixRequest, run_matrix
from harness.variants import Variant
from models import ctype, interp
from models.mirror import clear_caches
from models.native.run import find_compiler
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


WIDE_OUT = r"""
static u128 w_total = 1;
static s128 w_signed;

static u128 busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	w_total = (u128)err << 64 ^ 0x5;
	w_signed = -(s128)w_total;
	return (u128)err << 64 ^ 3;
}

static s128 negative(u64 fn, struct tdx_module_args *args)
{
	return -((s128)__seamcall(fn, args) << 60) - 1;
}
"""


def _wide_result(tmp_path: Path) -> MatrixResult:
    """WIDE_OUT as variant rt, busy() and negative() run under header_result's two scripts."""
    v = Variant("rt", "rt", (full_file("demo/rt.h", WIDE_OUT, "test"),), (), (), (), "t")
    (tmp_path / "m.toml").write_text(
        f'[codes]\nOK = 0\nBIG = {STATUS:#018x}\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\n'
        'path = "demo/demo.c"\n[[entry]]\nname = "busy"\n[[entry]]\nname = "negative"\n[[script]]\nname = "ok"\n'
        'answers = ["OK"]\n[[script]]\nname = "big"\nanswers = ["BIG"]\n')
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1, time_budget=0))


@needs_gcc
@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_128_bit_returns_and_state_are_compared_whole(tmp_path: Path, source: str) -> None:
    # Before: an entry point returning one was not compared ('the native harness records at most 64 bits of what it
    # returns'), and a file-scope one was left out of the state compared, unsaid.
    result = _wide_result(tmp_path)
    big = result.outcome("rt", "busy/ONE/big/demo.c")
    assert (big.ret, dict(big.state)["w_total"]) == (STATUS << 64 ^ 3, str(STATUS << 64 ^ 5)), big
    assert dict(big.state)["w_signed"] == str((1 << 128) - (STATUS << 64 ^ 5)), big.state  # bit 127 was set
    assert dict(result.outcome("rt", "busy/ONE/ok/demo.c").state)["w_signed"] == "-5"
    assert result.outcome("rt", "negative/ONE/big/demo.c").ret == -(STATUS << 60) - 1
    r = crosscheck_result(result, find_compiler(None), source=source)
    assert r.disagreements == [] and not r.not_compared.get("rt"), ([d.divergence for d in r.disagreements],
                                                                      r.not_compared)
    assert r.compared["rt"] == r.agreed["rt"] == 4, r.compared


@needs_gcc
def test_a_mirror_wrong_in_the_high_64_bits_alone_disagrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An injected bug: '^' flips bit 100 of its result, which only a 128-bit value keeps. Its low 64 bits are right.
    wrong = lambda a, b: a ^ b ^ (1 << 100)  # noqa: E731
    monkeypatch.setitem(ctype.ARITH, "^", wrong)
    monkeypatch.setitem(interp._FAST_BITS, "^", wrong)
    clear_caches()
    try:
        result = _wide_result(tmp_path)
        assert result.outcome("rt", "busy/ONE/big/demo.c").ret == STATUS << 64 ^ 3 ^ 1 << 100
        r = crosscheck_result(result, find_compiler(None))
    finally:
        monkeypatch.undo()
        clear_caches()
    said = sorted(d.divergence for d in r.disagreements if d.scenario.startswith("busy/"))
    pairs = [re.fullmatch(r"return: mirror (\d+), native (\d+)", d) for d in said]
    assert len(pairs) == 2 and all(m is not None and int(m[1]) ^ int(m[2]) == 1 << 100 for m in pairs), said

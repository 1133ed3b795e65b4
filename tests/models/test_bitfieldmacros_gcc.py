"""include/linux/bitfield.h's typed helpers, instrumentation and context tests, against gcc.

include/linux/bitfield.h's typed helpers (u64_get_bits(), u32_encode_bits(), u16_replace_bits(),
u16p_replace_bits(), ...), include/linux/instrumentation.h's instrumentation_begin()/end() of noinstr code and the
preempt-count context tests in_nmi(), in_hardirq(), in_softirq(), in_serving_softirq(), which a next revision of
the SEAMCALL helpers may use: each was an unknown function the mirror refused. Pinned to gcc (the variant's own
text built natively) and to the kernel's definitions worked out here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

BIG = 0x8000020300000042  # what the second script's SEAMCALL answers

BITS = """\
static noinstr long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	u32 w = 0x12345678;
	u16 h = 0xbeef;
	u64 x;

	instrumentation_begin();
	x = u64_get_bits(r, GENMASK_ULL(47, 32));
	x = x * 31 + u32_get_bits(r, GENMASK(7, 4));
	x = x * 31 + u16_encode_bits(r, GENMASK(11, 4));
	x = x * 31 + u8_encode_bits(r, 0x1f0);
	x = x * 31 + u32_replace_bits(w, r, GENMASK(15, 8));
	x = x * 31 + u64_replace_bits(r, 5, GENMASK_ULL(63, 60));
	u16p_replace_bits(&h, r, GENMASK(3, 0));
	x = x * 31 + h;
	x = x * 31 + in_nmi() + in_hardirq() + in_softirq() + in_serving_softirq() + in_task();
	instrumentation_end();
	return (long long)x;
}
"""


def _kernel(r: int) -> int:
    """busy() worked out from include/linux/bitfield.h ____MAKE_OP() (field_multiplier(): field & -field)."""
    def mask(bits: int) -> int:
        return (1 << bits) - 1

    def get(bits: int, v: int, field: int) -> int:
        v, field = v & mask(bits), field & mask(bits)
        return (v & field) // (field & -field)

    def encode(bits: int, v: int, field: int) -> int:
        v, field = v & mask(bits), field & mask(bits)
        mult = field & -field
        return ((v & (field // mult)) * mult) & mask(bits)

    def replace(bits: int, old: int, v: int, field: int) -> int:
        return ((old & ~(field & mask(bits))) | encode(bits, v, field)) & mask(bits)

    x = get(64, r, 0xFFFF << 32)
    for term in (get(32, r, 0xF0), encode(16, r, 0xFF0), encode(8, r, 0x1F0), replace(32, 0x12345678, r, 0xFF00),
                 replace(64, r, 5, 0xF << 60), replace(16, 0xBEEF, r, 0xF), 1):  # in_task() of a run is 1
        x = (x * 31 + term) & mask(64)
    return x - (1 << 64) if x >> 63 else x


def test_typed_bitfield_helpers_and_context_tests_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "bf", "demo/bf.h", BITS, BIG, (_kernel(0), _kernel(BIG)))
    mirror = crosscheck_result(result, find_compiler(None), source="mirror")  # and from the mirror's expansion
    assert mirror.disagreements == [] and mirror.compared["bf"] == 2, [d.divergence for d in mirror.disagreements]


def test_a_field_overflow_or_a_bad_mask_is_a_build_failure() -> None:
    # __field_overflow() for a constant value past the field, __bad_mask() for a field that is not contiguous,
    # each a __compiletime_error(); the value and field as the helper's parameters have them (u8: 0x100 is 0).
    head = "long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn "
    for call, why in (("u32_encode_bits(0x10, GENMASK(3, 0))", "u32_encode_bits: value too large for the field"),
                      ("u64_get_bits(fn, 0x5)", "u64_get_bits: mask is not contiguous"),
                      ("u64_get_bits(fn, fn)", "u64_get_bits: mask is not an integer constant expression")):
        out = run(head + call + ";\n}\n")
        assert out.status == "error" and why in str(out.error), (call, out.error)
    out = run(head + "u8_encode_bits(0x100, 0xff) + u8_get_bits(0x1234, 0x3f0);\n}\n")
    assert (out.status, out.ret) == ("ok", 3), out.error  # 0 + (0x34 & 0xf0) / 0x10

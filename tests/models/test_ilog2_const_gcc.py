"""ilog2() where C needs an integer constant expression, folded as gcc takes it.

ilog2() where C needs an integer constant expression (an array's size, a case label, a static initialiser, an
enumerator, BUILD_BUG_ON(), static_assert()): include/linux/log2.h folds a constant as const_ilog2() does, which gcc
takes (``__builtin_constant_p(n)`` is 1 for one), so the mirror folds it too. Each was refused: 'not an integer
constant expression: a call of __sh_ilog2()'."""

from __future__ import annotations

from pathlib import Path

from tests.harness.variantgen import agrees_with_gcc

CONST = """\
#define SQ_ORDER ilog2(PAGE_SIZE)
enum sq_shift { SQ_SHIFT = ilog2(32), SQ_NEXT };
static u32 sq_table[ilog2(64)];
static const int sq_order = SQ_ORDER;
static u64 sq_wide = ilog2(1ULL << 40) + ilog2(1) * 100 + ilog2(0) * 1000;
static_assert(ilog2(4096) == 12);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int slots[ilog2(16)] = { 0 };
	long long r = 0;

	BUILD_BUG_ON(ilog2(8) != 3);
	BUILD_BUG_ON(!__builtin_constant_p(ilog2(8)));
	switch (err >> 60) {
	case ilog2(256):
		r = 1;
		break;
	case ilog2(1 << 3):
		r = 2;
		break;
	default:
		r = 3;
	}
	slots[ilog2(8)] = 5;
	return r + ARRAY_SIZE(sq_table) * 10 + sq_order * 100 + (long long)sq_wide * 10000 + SQ_NEXT * 1000000
		+ ARRAY_SIZE(slots) * 10000000 + slots[3] * 100000000;
}
"""


def test_ilog2_folds_where_c_needs_a_constant_as_gcc_does(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "ilog", "demo/il.h", CONST, 0x8000020300000042, (546401263, 546401261))  # gcc's

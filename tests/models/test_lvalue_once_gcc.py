"""``E1 op= E2`` and ``E1++`` evaluate E1 once (C11 6.5.16.2p3, 6.5.2.4).

``E1 op= E2`` and ``E1++`` evaluate E1 once (C11 6.5.16.2p3, 6.5.2.4): an lvalue reached through a call, a
statement expression or a subscript with a side effect is located once, read and written there. The mirror
evaluated it twice, to read and again to write (``(*next())++`` called next() twice, ``p()->n += 1`` p() twice),
and returned values gcc never computes. Outcomes pinned to gcc's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ONCE_H = """\
struct lo_stats { u64 n; u32 bits : 5, more : 27; u64 regs[4]; union { u64 raw; u32 half[2]; }; };
static struct lo_stats lo_s;
static int lo_calls;

static struct lo_stats *lo_get(void)
{
	lo_calls++;
	return &lo_s;
}

static u64 *lo_reg(int i)
{
	lo_calls += 10;
	return &lo_s.regs[i];
}

static int lo_idx(void)
{
	lo_calls += 100;
	return 1;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 local[4] = { 0 };
	int i = 0;

	(*lo_reg(2))++;
	*lo_reg(3) += err >> 60;
	--*lo_reg(0);
	lo_get()->n += 3;
	lo_get()->bits += 31;
	lo_get()->half[1] |= 0x80000000u;
	lo_get()->raw ^= 1;
	lo_get()->regs[1]++;
	local[lo_idx()] *= 3;
	local[lo_idx()] += 7;
	local[i++] += 5;
	(*({ lo_calls += 1000; &lo_s.n; }))--;
	return lo_calls * 1000000LL + (long long)(lo_s.n + lo_s.bits * 10 + lo_s.regs[0] + lo_s.regs[1] + lo_s.regs[2]
		+ lo_s.regs[3] + (lo_s.raw >> 32) + local[0] * 100 + local[1] * 1000 + i * 10000);
}
"""


def test_an_lvalue_with_side_effects_is_evaluated_once(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "lo", "demo/lo.h", ONCE_H, 0x8000020300000043, (3382501461, 3382501469))  # gcc's


# &*E is E (C11 6.5.3.2p3): the pointer it gives is the object E points at, E evaluated once where the address is
# taken. The mirror made a pointer that evaluated E again at each access through it (here: next() called at each
# of the four writes and the read, a statement expression's side effect at each use).
ADDRESS_H = """\
static int ad_calls;
static u64 ad_v, ad_w;

static u64 *ad_next(void)
{
	ad_calls++;
	return &ad_v;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 *q = &*ad_next();
	u64 *w = &*({ ad_calls += 10; &ad_w; });

	*q += 1;
	*q += __seamcall(fn, args) >> 60;
	(*w)++;
	*w <<= 4;
	return ad_calls * 1000 + *q + *w * 100;
}
"""


def test_the_address_of_a_dereference_evaluates_it_once(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "ad", "demo/ad.h", ADDRESS_H, 0x8000020300000043, (12601, 12609))  # gcc's

"""rol64() ... ror8() of include/linux/bitops.h, against gcc running the kernel's own definitions of them.

Before, each was a call to an unknown function (the variant "not run"). The shift is masked by the width less one on
both sides (a shift of 0, of the width, of a negative int, of more than the width), the word converted to the
parameter's type first (a u64 handed to rol32() loses its top half), the result of the word's type."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL
from models.native.run import find_compiler
from tests.models.cprog import busy_agrees_with_gcc, gcc_returns, mirror_returns

# include/linux/bitops.h's definitions, written as the header has them (static inline functions).
SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
struct tdx_module_args { u64 rcx; };
""" + "".join(
    f"static inline u{n} {name}{n}(u{n} word, unsigned int shift)\n"
    f"{{\n\treturn (word {a} (shift & {n - 1})) | (word {b} ((-shift) & {n - 1}));\n}}\n"
    for n in (64, 32, 16, 8) for name, a, b in (("rol", "<<", ">>"), ("ror", ">>", "<<")))

CODE = """\
long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;
	u64 w = fn;
	u32 h = (u32)(fn >> 17);
	int k = (int)(fn & 0xff) - 100;
	unsigned int s = (unsigned int)(fn >> 56);
	u16 q = (u16)fn;
	u8 b = (u8)(fn >> 8);

	r = r * 1000003 + rol64(w, 0) + ror64(w, 64) * 3 + rol64(w, 1) * 5 + ror64(w, 63) * 7;
	r = r * 1000003 + rol64(w, k) + ror64(w, s) + rol64(w, 130) * 11 + ror64(w, -1) * 13;
	r = r * 1000003 + rol32(h, 0) + ror32(h, 32) * 3 + rol32(h, 5) * 5 + ror32(h, 31) * 7;
	r = r * 1000003 + rol32(w, k) + ror32(fn, s) + rol32(h, 40) * 11 + ror32(h, -3) * 13;
	r = r * 1000003 + rol16(q, 4) + ror16(q, k) * 3 + rol16(fn, s) * 5 + ror16(q, 16) * 7;
	r = r * 1000003 + rol8(b, 3) + ror8(b, k) * 3 + rol8(fn, s) * 5 + ror8(b, 9) * 7;
	r = r * 1000003 + sizeof(rol64(b, 1)) + sizeof(rol32(w, 1)) * 10 + sizeof(rol16(w, 1)) * 100
		+ sizeof(ror8(w, 1)) * 1000;
	r = r * 1000003 + (rol32(h, 1) > 0x7fffffff) + (rol8(b, 1) < 0) * 2 + (ror16(q, 3) - 0x10000 < 0) * 4;
	r = r * 1000003 + rol32(rol32(h, 3), ror32(h, 7)) + ror64(rol64(w, k), k);
	return r;
}
"""

ARGS = (0, 1, 0x3a, 0x61, 0x80, 0xFF, 0x206, 0xFFFF, 0xFFFFFFFF, 0x8000000000000000, 0x8000020300000043,
        0xFFFFFFFFFFFFFFFF, 0x123456789ABCDEF0, 0x64, 0x9c00000000000063)


def test_the_rotates_compute_what_gcc_computes_with_the_kernels_definitions(tmp_path: Path) -> None:
    mirror = [mirror_returns(CODE, a) for a in ARGS]
    assert mirror == gcc_returns(tmp_path, SHIM + CODE, ARGS, find_compiler(None))


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_the_rotates_agree_with_gcc_under_crosscheck(tmp_path: Path, source: str) -> None:
    busy_agrees_with_gcc(tmp_path, CODE, 40, ("ro", "demo/ro.h"), 0x0000030000000000, source)


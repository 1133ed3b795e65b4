"""typeof() of a struct's member and of what a pointer points at, against gcc.

typeof() of a struct's member (through '.', '->' and a null pointer) and of what a pointer points at: the type
gcc gives, its width, signedness and size, against gcc running the same code."""

from __future__ import annotations

from pathlib import Path

from models.native.run import find_compiler
from tests.models.cprog import gcc_returns, mirror_returns

SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef signed char s8;
struct tdx_module_args { u64 rcx; };
"""

# Each typeof() names a type a conversion shows: a u8 or u16 member wraps, an s8 one reads negative, typeof(*p) copies
# the struct (a change to the copy leaves the original), typeof(t + 1) is int (the promotion), the sizes.
CODE = """\
struct rec { u8 tag; u16 half; u32 word; u64 full; s8 neg; };
static struct rec g = { 1, 2, 3, 4, -1 };

long long f(u64 fn, struct tdx_module_args *args)
{
	struct rec *p = &g;
	typeof(p->tag) t = fn;
	typeof(g.half) h = fn;
	typeof(*p) copy = *p;
	typeof(p) q = &copy;
	typeof(*q) *qq = q;
	typeof(g.neg) n = fn;
	typeof(((struct rec *)0)->word) w = fn;
	typeof(t + 1) wide = t + 1;
	long long r = 0;

	copy.full = fn;
	r = r * 1000003 + t;
	r = r * 1000003 + h;
	r = r * 1000003 + n;
	r = r * 1000003 + w;
	r = r * 1000003 + wide;
	r = r * 1000003 + sizeof(wide) + sizeof(typeof(*p)) * 10 + sizeof(typeof(p->half)) * 100;
	r = r * 1000003 + qq->full + g.full;
	r = r * 1000003 + (typeof(g.tag))(fn + 255);
	return r;
}
"""

ARGS = (0, 1, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF)


def test_typeof_of_a_member_and_of_a_pointed_at_struct_is_gccs_type(tmp_path: Path) -> None:
    mirror = [mirror_returns(CODE, a, helper="h") for a in ARGS]
    assert mirror == gcc_returns(tmp_path, SHIM + CODE, ARGS, find_compiler(None))

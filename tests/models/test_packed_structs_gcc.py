"""__packed structs (include/linux/compiler_attributes.h: __attribute__((__packed__))), against gcc.

The mirror refused every packed struct ("attribute packed (its layout) is not modelled"), so a variant with one was
"not run" though gcc builds it; now laid out as gcc lays it out on x86-64: each member where the last ended (a
bit-field too, across its type's boundaries), the struct aligned to 1, so a holder of one puts it anywhere; sizeof,
offsetof, __alignof__, its members, an array of them, a union reading one's bytes; a struct under #pragma pack(1),
which gcc lays out the same. Packed or aligned on one member, an unnamed bit-field in a packed struct and a struct
under another #pragma pack(n) stay refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

PIECES = r"""
struct pw_pk { u8 a; u32 b; u16 c; u64 d; } __packed;
struct __packed pw_lead { u16 a; u64 b; };
struct pw_pk2 { u8 a; u64 b; } __attribute__((__packed__));
typedef struct { u8 tag; u32 len; } __packed pw_hdr_t;
struct pw_inner { u8 x; u32 y; };
struct pw_outer { u8 c; struct pw_inner in; u16 e; } __packed;
struct pw_holder { u8 c; struct pw_pk p; u32 after; };
struct pw_bits { u8 a : 3; u32 b : 30; u16 c : 9; u8 d; } __packed;
union pw_view { struct pw_hdr { u8 tag; u32 len; } __packed h; u8 raw[5]; };
#pragma pack(push, 1)
struct pw_pragma { u8 x : 7; u16 y : 10; u8 z; u32 w; };
#pragma pack(pop)

static long long pw_packed_sizes(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	long long r = 0;

	r = r * 100 + sizeof(struct pw_pk) + offsetof(struct pw_pk, b) * 3 + offsetof(struct pw_pk, d) * 5;
	r = r * 100 + sizeof(struct pw_lead) + __alignof__(struct pw_lead) * 7 + sizeof(struct pw_pk2) * 2;
	r = r * 100 + sizeof(pw_hdr_t) + offsetof(pw_hdr_t, len) * 11 + __alignof__(pw_hdr_t);
	r = r * 100 + sizeof(struct pw_outer) + offsetof(struct pw_outer, in) * 3 + offsetof(struct pw_outer, e);
	r = r * 1000 + sizeof(struct pw_holder) + offsetof(struct pw_holder, p) * 3
		+ offsetof(struct pw_holder, after) * 5 + __alignof__(struct pw_holder) * 7;
	r = r * 100 + sizeof(struct pw_bits) + offsetof(struct pw_bits, d) * 9;
	r = r * 100 + sizeof(union pw_view) + __alignof__(union pw_view) * 3 + sizeof(struct pw_pk[3]);
	r = r * 100 + sizeof(struct pw_pragma) + offsetof(struct pw_pragma, w) * 3 + __alignof__(struct pw_pragma);
	return r + (long long)(err & 1);
}

static long long pw_packed_members(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_pk p = { 1, (u32)err, 3, err >> 8 };
	struct pw_pk arr[3] = { [1] = { .b = 7 } };
	struct pw_bits bits = { .a = (u8)err, .b = (u32)(err >> 4), .c = 0x1ff, .d = 9 };
	pw_hdr_t h = { .tag = 2 };
	struct pw_holder hold = { .c = 1, .p = p, .after = 5 };
	struct pw_pragma g = { .x = (u8)err, .y = 0x3ff, .z = 4, .w = (u32)err };

	h.len = (u32)(err >> 32);
	arr[2] = p;
	arr[0].c = arr[1].b + arr[2].c;
	p.d += p.b;
	return (long long)(p.a + p.b + p.c + p.d + arr[0].c * 3 + bits.a + bits.b + bits.c + bits.d + h.tag + h.len
		+ hold.p.b + hold.after + g.x + g.y + g.z + g.w);
}

static long long pw_packed_bytes(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	union pw_view v = { .h = { .tag = 0xab, .len = (u32)err } };
	long long r = 0;
	int i;

	for (i = 0; i < 5; i++)
		r = r * 257 + v.raw[i];
	v.raw[1] = 0x11;
	v.raw[4] = 0x80;
	return r * 3 + v.h.len + v.h.tag;
}
"""


def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before, each stopped: "struct pw_pk: attribute packed (its layout) is not modelled".
    runs_as_gcc(tmp_path, "pk", "demo/pk.h", PIECES)


ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("decl", "says"), [
    ("struct one { u8 a; u32 b __packed; };", "attribute packed of a member"),
    ("struct one { u8 a; u32 b __aligned(8); };", "attribute aligned of a member"),
    ("struct one { u8 a; u32 b; } __aligned(8);", "attribute aligned (its layout)"),
    ("struct one { u8 a : 3; u8 : 0; u32 b; } __packed;", "an unnamed bit-field in a packed struct"),
    ("#pragma pack(push, 2)\nstruct one { u8 a; u32 b; };\n#pragma pack(pop)", "#pragma pack(2) (its layout)"),
])
def test_what_is_not_modelled_is_refused(decl: str, says: str) -> None:
    out = run(decl + "\n" + ENTRY + "\treturn sizeof(struct one);\n}\n")
    assert (out.status, out.error_kind, says in (out.error or "")) == ("error", "unsupported", True), out.error

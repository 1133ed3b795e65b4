"""Union members written through pointers to scalars in them, in any order, before a read: as gcc computes them."""

from __future__ import annotations

from pathlib import Path

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import run

# Three members changed through pointers before the union is read (was refused), and a write that gives a member
# back the bytes it had when another member changed them since (the mirror took the other member's: 5, gcc 0).
UNION_H = """\
union sl_word { u64 full; struct { u32 lo, hi; } w; u16 h[4]; u8 b[8]; };

static long long busy(u64 fn, struct tdx_module_args *args)
{
	union sl_word u = { .full = 0x1111222233334444ULL }, v = { .full = 0 };
	u64 ret = __seamcall(fn, args);
	u32 *lo = &u.w.lo, *vlo = &v.w.lo;
	u16 *top = &u.h[3], *v0 = &v.h[0];
	u8 *b1 = &u.b[1];

	*lo = (u32)ret ^ 0x55;
	*top = (u16)(ret >> 48) + 7;
	*b1 = 0xee;
	*v0 = 5 + (u16)ret;
	*vlo = 0;
	return (long long)u.full + u.w.hi + u.h[0] + (long long)v.full * 3;
}
"""


def test_members_written_through_pointers_are_read_in_the_order_written(tmp_path: Path) -> None:
    result = header_result(tmp_path, "up", "demo/up.h", UNION_H, 0x8000020300000042)
    ok, big = (result.outcome("up", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    # ok: u.full 0x000722220000ee55 (lo 0x55, h[3] 7, b[1] 0xee) + hi 0x72222 + h[0] 0xee55; v.full 0
    assert (ok.ret, big.ret) == (0x000722220000EE55 + 0x72222 + 0xEE55, -9221364180445495728), \
        (ok.error, big.error)  # gcc's
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["up"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


def test_a_write_through_a_pointer_to_a_struct_member_after_another_member_changed_is_the_last() -> None:
    # gcc gives 1 (ps->a's write is the last): a member reached through ps takes the union's bytes first, so the
    # write is seen as the last change (refused before: 'which one was last is not known')
    out = run("union m { u64 full; u16 h[4]; struct { u32 a, b; } s; };\n\n"
              "u64 f(u64 fn, struct tdx_module_args *args)\n{\n\tunion m u = { .full = 1 };\n"
              "\ttypeof(u.s) *ps = &u.s;\n\tu16 *a = &u.h[1];\n\n\t*a = 3;\n\tps->a = 1;\n\treturn u.full;\n}\n")
    assert (out.status, out.ret) == ("ok", 1), out.error

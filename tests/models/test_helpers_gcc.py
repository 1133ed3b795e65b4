"""Shapes a later SEAMCALL-helper revision may write, run by the mirror and compiled by gcc: values pinned to gcc's."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.errors import BuildFailure, UnsupportedConstruct
from models.native.run import find_compiler
from tests.harness.variantgen import agrees_with_gcc, header_result
from tests.models.cprog import line_of, mirror_of

# b = a copies a's array member: writing b.regs[0] leaves a.regs[0] as it was (the mirror shared the list).
STRUCT_COPY_H = """\
struct regs_copy { u64 regs[3]; u8 n; };
struct nest { struct regs_copy r[2]; u32 tag; };

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct regs_copy a = { .regs = { 1, 2, 3 }, .n = 3 }, b;
	struct nest x = { .tag = 1 }, y;

	a.regs[1] = __seamcall(fn, args) & 0xff;
	b = a;
	b.regs[0] = 9;
	x.r[1] = b;
	y = x;
	y.r[1].regs[2] = 40;
	x.r[1].regs[1] += 100;
	return a.regs[0] + b.regs[0] + b.regs[1] + b.n + x.r[1].regs[2] + y.r[1].regs[1] * 1000;
}
"""

# guard() directly under the last label of a switch: its scope ends with the switch (gcc 11 on take a declaration
# after a label); the lock is dropped on the return, on the break and at the switch's end.
GUARD_CASE_H = """\
static DEFINE_MUTEX(case_mutex);

static int busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	int n = 0;

	switch (r & 0xff) {
	case 0:
		n = 1;
		fallthrough;
	default:
		guard(mutex)(&case_mutex);
		if (n)
			break;
		return (int)(r & 0xff) + 1000;
	}
	return n * 10;
}
"""


def test_struct_assignment_copies_array_members_as_gcc_does(tmp_path: Path) -> None:
    result = header_result(tmp_path, "cp", "demo/cp.h", STRUCT_COPY_H, 0x8000020300000042)
    # ok: a.regs[0] 1, b.regs[0] 9, b.regs[1] 0, n 3, x.r[1].regs[2] 3, y.r[1].regs[1] 0: gcc's 16
    ok, big = (result.outcome("cp", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.ret, big.ret) == (16, 16 + 0x42 + 0x42 * 1000), (ok.error, big.error)
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["cp"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


def test_a_guard_under_the_last_case_label_lives_to_the_switchs_end(tmp_path: Path) -> None:
    result = header_result(tmp_path, "gc", "demo/gc.h", GUARD_CASE_H, 0x42)
    ok, big = (result.outcome("gc", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.ret, big.ret) == (10, 1066), (ok.error, big.error)  # gcc's values
    # The lock is taken and dropped once either way (on the break, on the return): gcc's events are the same.
    assert [e.detail for e in ok.events if e.kind == "lock"] == ["case_mutex acquired", "case_mutex released"]
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["gc"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


def test_a_cleanup_a_later_case_label_jumps_past_is_refused_in_one_line() -> None:
    code = ("static DEFINE_MUTEX(m);\nint f(u64 fn, struct tdx_module_args *args)\n{\n\tswitch (fn) {\n"
            "\tcase 1:\n\t\tguard(mutex)(&m);\n\t\treturn 1;\n\tcase 2:\n\t\treturn 2;\n\t}\n\treturn 0;\n}\n")
    with pytest.raises(UnsupportedConstruct) as exc:
        mirror_of(code, "f").compiler.function("f")
    assert str(exc.value).startswith(f"test/prog.c:{line_of(code, 'case 1:')}: ") and "\n" not in str(exc.value)
    assert "later case label" in str(exc.value)


@pytest.mark.parametrize(("body", "needle"), [
    ("switch (fn) { case 1 ... 5: break; case 7: break; case 3: break; }", "case 3:"),
    ("switch (fn) { default: break; case 1: break;\n\tdefault: break; }", "\tdefault: break; }"),
])
def test_a_duplicate_case_is_blamed_on_the_label_gcc_names(body: str, needle: str) -> None:
    code = "int f(u64 fn, struct tdx_module_args *args)\n{\n\t" + body + "\n\treturn 0;\n}\n"
    with pytest.raises(BuildFailure) as exc:
        mirror_of(code, "f").compiler.function("f")
    assert str(exc.value).startswith(f"test/prog.c:{line_of(code, needle)}: "), str(exc.value)


# Registers as a union of an integer and a struct of its fields, anonymous members (C11 6.7.2.1p13) and named
# ones, designated initializers of anonymous members, a pointer into one, a union in a struct, returned by value.
REGS_H = """\
union sc_status {
	u64 raw;
	struct {
		u32 details;
		u16 cls;
		u8 sub;
		u8 flags;
	};
	u8 bytes[8];
	u16 words[4];
};
struct sc_outer {
	u32 tag;
	union {
		u64 val;
		struct { u32 vlo, vhi; };
	};
};
static union sc_status last;

static union sc_status sc_get(u64 fn, struct tdx_module_args *args)
{
	union sc_status s = { .raw = __seamcall(fn, args) };
	u16 *w = &s.words[1];

	*w ^= 0x1234;
	s.flags |= 1;
	return s;
}

static u64 busy(u64 fn, struct tdx_module_args *args)
{
	union sc_status s = sc_get(fn, args), t = { .details = 5, .cls = 6 };
	struct sc_outer o = { .tag = 1, .val = s.raw }, c;

	c = o;
	c.vhi = 0xffffffff;
	last.cls = s.cls;
	last.bytes[7] = 0x11;
	return s.details + s.cls * 10 + s.sub * 100 + s.flags * 1000 + s.bytes[3] + s.words[3] + t.details + t.cls
		+ o.vlo + o.vhi + c.val + sizeof(o) + offsetof(struct sc_outer, vhi) + last.raw;
}
"""


def test_unions_of_registers_and_anonymous_members_as_gcc_lays_them_out(tmp_path: Path) -> None:
    result = header_result(tmp_path, "rg", "demo/rg.h", REGS_H, 0x8000020300000042)
    ok, big = (result.outcome("rg", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    # gcc's values (x86-64, little-endian)
    assert (ok.ret, big.ret) == (0x10FFFFFF379C0521, 0x11000202B79E9008), (ok.error, big.error)
    # The union the run leaves, every member as its bytes give it (an anonymous member's as an initializer would
    # name them).
    assert ok.state == (("last", "{.raw = 1224979098644774912, .details = 0, .cls = 0, .sub = 0, .flags = 17, "
                                 ".bytes = {0, 0, 0, 0, 0, 0, 0, 17}, .words = {0, 0, 0, 4352}}"),)
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["rg"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


# raw_local_irq_save() (include/linux/irqflags.h: the untraced form) and __ffs64() (include/linux/bitops.h): both
# were unknown to the mirror and to the native stand-in headers (refused on both sides).
IRQ_H = """\
static u64 busy(u64 fn, struct tdx_module_args *args)
{
	unsigned long flags;
	u64 r;

	raw_local_irq_save(flags);
	r = __seamcall(fn, args);
	r = (r ? __ffs64(r) : 64) + irqs_disabled() * 100;
	raw_local_irq_restore(flags);
	raw_local_irq_disable();
	r += irqs_disabled() * 1000;
	raw_local_irq_enable();
	return r + irqs_disabled() * 10000;
}
"""


def test_raw_irq_calls_and_ffs64_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = header_result(tmp_path, "irq", "demo/irq.h", IRQ_H, 0x8000020300000000)
    ok, big = (result.outcome("irq", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.ret, big.ret) == (1164, 1132), (ok.error, big.error)
    assert [e.detail for e in ok.events if e.kind == "irq"] == ["disabled (saved)", "restored enabled", "disabled",
                                                                     "enabled"]
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["irq"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


# Nested designators: each sets its own subobject, the rest of the member zero (C11 6.7.9p19).
DESIG_H = """\
struct sc_id { u16 leaf; u8 ver; u64 regs[3]; };
struct sc_cfg { struct sc_id id; u32 flags; union { u64 raw; struct { u32 lo, hi; }; } st; };

static u64 busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	struct sc_cfg c = { .id.leaf = fn, .flags = 1, .id.regs[2] = r, .st.hi = 3, .id.ver = 2 };

	return c.id.leaf + c.id.ver * 10 + c.id.regs[0] + c.id.regs[2] + c.flags * 100 + c.st.hi * 1000;
}
"""


def test_nested_designators_set_their_own_subobjects_as_gcc_does(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "ds", "demo/ds.h", DESIG_H, 0x8000020300000000, (3121, 0x8000020300000000 + 3121))


# Bit-fields: layout (packing, a field that would cross its type's alignment moves, :0), promotion to int of a
# narrow one (u64 flag : 1 is an int in arithmetic), truncation on store, signed fields, _Bool, and bit-fields
# inside a union of registers, all as gcc computes them.
BITS_H = """\
struct sc_flags { u64 valid : 1, busy : 1, cls : 8, code : 22, : 0; s32 delta : 4; u8 tag : 3; bool on : 1; };
struct sc_pack { u8 a : 3; u32 b : 30; u16 c : 9; };
union sc_ept {
	u64 raw;
	struct {
		u64 r : 1, w : 1, x : 1, mt : 3, ipat : 1, : 5;
		u64 pfn : 31;
		u64 hi : 21;
	};
};

static u64 busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	struct sc_flags f = { .valid = 1, .cls = r >> 40, .delta = -3 };
	union sc_ept e = { .raw = r };
	u64 out;

	f.busy = r == 5;
	f.code = r;
	f.delta += 9;
	f.tag = 9;
	f.on = 2;
	f.cls++;
	out = e.r + e.w * 2 + e.x * 4 + e.mt * 8 + e.pfn * 100 + e.hi;
	e.pfn = fn;
	e.mt = 7;
	e.hi = -1;
	pr_err("cls %u code %#x delta %d shifted %d\\n", f.cls, f.code, f.delta, f.cls << 24);
	return (out ^ e.raw) + f.valid + f.busy * 2 + f.cls * 4 + f.code * 1000 + (f.delta < 0) * 7 + f.tag + f.on
		+ sizeof(f) * 10000 + sizeof(struct sc_pack) * 100000 + (f.code - (1 << 22) < 0);
}
"""


def test_bit_fields_are_laid_out_promoted_and_stored_as_gcc_does(tmp_path: Path) -> None:
    result = header_result(tmp_path, "bf", "demo/bf.h", BITS_H, 0x8000020300000042)
    ok, big = (result.outcome("bf", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.ret, big.ret) == (0xFFFFF8000014D0C0, 0x7FF92E5D2D8), (ok.error, big.error)  # gcc's
    # cls = r >> 40 keeps its low 8 bits (2, then 3); delta -3 + 9 is 6 in 4 signed bits; cls << 24 shifts an int
    assert [x.text for x in big.log] == ["cls 3 code 0x42 delta 6 shifted 50331648"]
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["bf"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


def test_the_address_of_a_bit_field_is_a_build_failure_gcc_refuses_alike(tmp_path: Path) -> None:
    code = ("static int busy(u64 fn, struct tdx_module_args *args)\n{\n\tstruct { u32 a : 3; } s = { 1 };\n"
            "\tu32 *p = &s.a;\n\n\treturn *p;\n}\n")
    r = crosscheck_result(header_result(tmp_path, "ad", "demo/ad.h", code, 5), find_compiler(None))
    assert r.refused_alike["ad"] == ["busy: both refuse to build it; gcc refuses it: demo/ad.h:4: error: cannot take "
                                     "address of bit-field ‘a’ (2 scenarios)"], r.not_compared

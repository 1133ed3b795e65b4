"""Unsequenced operands: refused where gcc's order changes what the code does.

Unsequenced operands (models/sequencing.py): where the order gcc picks changes what the code does, the mirror
refuses with FILE:LINE (it used to evaluate left to right and disagree with gcc); where it cannot, it runs, and
gcc agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import agrees_with_gcc, header_result
from tests.models.probegroup import runs_as_gcc

# Each one's value depends on the order: gcc evaluates the arguments of a call right to left, loads a global
# after a call beside it, calls the right side of an assignment first.
ORDERED = {
    "arguments": ("static long long pair(u64 a, u64 b) { return (long long)(a >> 40) * 1000 + (long long)(b >> 40); }\n"
                  "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
                  "\treturn pair(__seamcall(fn, args), __seamcall(fn, args));\n}\n", 4),
    "printk": ("static long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
               "\tpr_err(\"first %llx second %llx\\n\", __seamcall(fn, args), __seamcall(fn, args));\n"
               "\treturn 0;\n}\n", 3),
    "global": ("static u64 gx = 5;\nstatic u64 bump(u64 v) { gx += 100; return v; }\n"
               "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
               "\tu64 err = __seamcall(fn, args);\n\treturn gx + bump(err >> 60);\n}\n", 6),
    "compound": ("static u64 gx;\nstatic u64 bump(u64 v) { gx += 100; return v; }\n"
                 "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
                 "\tu64 err = __seamcall(fn, args);\n\tgx = 1;\n\tgx += bump(err >> 60);\n\treturn gx;\n}\n", 7),
    "index": ("static int gi;\nstatic int idx(void) { gi++; return gi & 1; }\n"
              "static int val(void) { gi += 10; return gi; }\n"
              "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n\tint a[2] = { 0, 0 };\n"
              "\ta[idx()] = val();\n\treturn a[0] * 1000 + a[1] + (__seamcall(fn, args) != 0);\n}\n", 7),
    # gcc (-fwrapv, as the kernel builds) reassociates a sum of three terms: c() is called before b().
    "sum": ("static int gs;\nstatic int step(void) { gs++; pr_err(\"step %d\\n\", gs); return gs; }\n"
            "static int other(void) { gs += 10; return gs; }\n"
            "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
            "\treturn step() + step() * 10 + other() * 100 + (__seamcall(fn, args) != 0);\n}\n", 6),
    # u64 terms too, and a parenthesized inner sum: gcc calls step() * 10's operand after the inner sum's.
    "sum_nested": ("static u64 gs;\nstatic u64 step(void) { gs++; return gs; }\n"
                   "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
                   "\treturn step() * 10 + (step() + step() * 100) + (__seamcall(fn, args) != 0);\n}\n", 5),
    # A load right of a call that stores to it: gcc may load first (the count of a shift, a per-CPU variable beside
    # a call that adds to it), found by the SEAMCALL-helper generator: the mirror said 8 and 1 where gcc gives 2.
    "shift_count": ("static DEFINE_SPINLOCK(sq_l);\nstatic s32 sq_add(u32 *p, u32 v)\n{\n\tguard(spinlock)(&sq_l);\n"
                    "\t*p += v;\n\treturn *p;\n}\nstatic long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
                    "\tu32 a[2] = { 0, 0 };\n\tu64 err = __seamcall(fn, args);\n\n"
                    "\treturn (long long)((u64)sq_add(&a[1], 2) << a[1]) ^ (long long)err;\n}\n", 13),
    "percpu": ("static DEFINE_PER_CPU(u32, sq_pc);\nstatic s32 sq_padd(u32 v)\n{\n\tthis_cpu_add(sq_pc, v);\n"
               "\treturn 1;\n}\nstatic long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
               "\tu64 err = __seamcall(fn, args);\n\n"
               "\treturn (long long)(this_cpu_read(sq_pc) + sq_padd(1)) ^ (long long)err;\n}\n", 11),
    "registers": ("static long long busy(u64 fn, struct tdx_module_args *args)\n{\n\targs->rcx = 7;\n"
                  "\treturn args->rcx + __seamcall_ret(fn, args);\n}\n", 4),
}


@pytest.mark.parametrize("name", sorted(ORDERED))
def test_operands_whose_order_gcc_picks_are_refused_where_they_run(tmp_path: Path, name: str) -> None:
    code, line = ORDERED[name]
    result = header_result(tmp_path, name, "demo/sq.h", code, 0x8000020300000000)
    for s in ("ok", "big"):
        out = result.outcome(name, f"busy/ONE/{s}/demo.c")
        assert out.status == "error" and (out.error or "").startswith(f"demo/sq.h:{line}: the order in which"), \
            out.error
    r = crosscheck_result(result, find_compiler(None))
    assert r.disagreements == [], [d.divergence for d in r.disagreements]


# Calls whose effects cannot meet: a passing lockdep assertion beside another, a SEAMCALL beside a load through a
# pointer it does not write, function-pointer calls that only compute beside one that counts, a call and locals.
FREE = """\
static DEFINE_MUTEX(sq_lock);
typedef int (*op_t)(int a, int b);
static int add(int a, int b) { return a + b; }
static int apply(op_t op, int a, int b) { return op(a, b); }
static int counter(void) { static int n; return ++n; }
static int held(struct mutex *m) { lockdep_assert_held(m); return 1; }
static const char *name_of(u64 err) { return err ? "fail" : "ok"; }

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 stat = 3, *p = &stat;
	int n;

	mutex_lock(&sq_lock);
	n = held(&sq_lock) + held(&sq_lock);
	mutex_unlock(&sq_lock);
	*p += (u32)__seamcall(fn, args);
	n += apply(add, 2, 3) * 10 + counter();
	pr_err("%s %d %llx\\n", name_of(stat), n, stat);
	return n * 1000 + (long long)(stat & 0xff);
}
"""


def test_calls_whose_effects_cannot_meet_run_and_agree_with_gcc(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "free", "demo/sq.h", FREE, 0x8000020300000042, (53003, 53069))  # gcc's


# An operand that calls nothing beside one whose call stores nothing (gcc may load it either side of the call, which
# changes nothing): `(sq_arr[0].b + sq_pure(x)) | sq_g32` was refused, the load alone counted as an operand whose calls
# may have stored (it is not measured: its text says what it does). Found by the cgenseam campaign.
LOADS = """\
struct sq_b { u64 b; };
static struct sq_b sq_arr[2] = { { 5 }, { 6 } };
static u32 sq_g32 = 0x70;
static s64 sq_g64 = -3;

static int sq_pure(u64 err)
{
	switch (err & 0xffffffff00000000ULL) {
	case 0:
		return 0;
	default:
		return -EIO;
	}
}

static long long pw_loads_beside_pure_calls(u64 fn, struct tdx_module_args *args)
{
	u64 x = __seamcall(fn, args);
	u64 r = (sq_arr[0].b + (u64)sq_pure(x)) | sq_g32;

	r += ((sq_arr[1].b << ((unsigned int)sq_pure(x ^ 1) & 63)) ^ (u64)sq_g64) * sq_g32;
	return (long long)(r + (sq_pure(x) - sq_g64) % (sq_g32 + sq_arr[0].b));
}
"""


def test_loads_beside_calls_that_store_nothing_run_and_agree_with_gcc(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "loads", "demo/loads.h", LOADS)


# __builtin_choose_expr() evaluates the operand its constant picks, the other never: no two are unsequenced (it was
# refused as a call whose arguments' order gcc picks: a store in one, a read of it in the other).
CHOOSE = """\
static int gc;
static int bump(void) { return ++gc; }

static long long busy(u64 fn, struct tdx_module_args *args)
{
	int n = __builtin_choose_expr(sizeof(u64) == 8, bump(), gc * 100);

	n += __builtin_choose_expr(sizeof(u64) == 4, bump(), gc * 100);
	return n * 10 + (__seamcall(fn, args) != 0);
}
"""


def test_choose_expr_evaluates_one_operand_and_agrees_with_gcc(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "choose", "demo/sq.h", CHOOSE, 0x8000020300000042, (1010, 1011))


# A call storing to file-scope objects by name beside a load of another (C11 6.5p2: two objects): `bump() + gy`, a
# sum of three terms, call arguments. They were refused as a call that stored to memory beside a load of memory.
OTHER_NAMED = """\
static u64 sq_gx = 5, sq_gy = 7, sq_gz = 3;
static struct { u64 n, m; } sq_gs;
static u64 sq_bump(u64 v) { sq_gx += 100; sq_gs.n = v; return sq_gx; }
static u64 sq_pair(u64 a, u64 b) { return a * 1000 + b; }

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 r = sq_bump(err >> 60) + sq_gy;

	r = r * 10 + (sq_gy + sq_bump(1) * 10 + sq_gz);
	r = r * 10 + sq_pair(sq_bump(2), sq_gz);
	return (long long)(r + sq_gs.n + (err >> 56));
}
"""


def test_a_call_storing_other_named_objects_beside_a_load_runs_and_agrees_with_gcc(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "other_named", "demo/sq.h", OTHER_NAMED, 0x8000020300000042, (336805, 336933))  # gcc's


# ... while the object it stores to, a member of it, what a pointer or another call may reach beside it are still
# refused (two calls of a binary operator are run left to right, as gcc runs them).
@pytest.mark.parametrize("expr", ["sq_bump(1) + sq_gx", "sq_gy + sq_bump(1) * 10 + sq_gx", "sq_bump(1) + sq_gs.m",
                                  "sq_pair(sq_bump(1), sq_gx)", "sq_bump(1) + *p",
                                  "sq_read() + sq_bump(1) * 10 + 1"])
def test_a_call_storing_a_named_object_beside_a_load_of_it_is_still_refused(expr: str) -> None:
    from tests.models.cprog import run

    code = OTHER_NAMED.split("\nstatic long long busy")[0] + (
        "\nstatic u64 sq_read(void) { return sq_gx; }\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
        f"\tu64 *p = &sq_gx;\n\n\treturn (long long)({expr}) + (p != NULL);\n}}\n")
    out = run(code)
    assert out.status == "error" and "the order in which" in (out.error or ""), (out.ret, out.error)


# Stores a callee's text shows no assignment for: gcc's overflow builtins (which run inline, no primitive counting
# them), snprintf() and its kin into an array. `gx + ov()` was 6 where gcc says 108 (it loads gx after the call), and
# `gbuf[0] + fill(gbuf)` ran though the order decides what it reads.
HIDDEN_STORES = """\
static u64 gx = 5, gy = 7;
static char gbuf[16] = "zz";
static u64 ov(void) { __builtin_add_overflow(gy, 100, &gx); return 1; }
static u64 ck(u64 *p) { return check_add_overflow(gy, 1, p); }
static int fill(char *b) { return snprintf(b, 16, "ab"); }
"""


@pytest.mark.parametrize("expr", ["gx + ov()", "ov() + gx", "ov() * 10 + gx + 1", "gx + ck(&gx)", "gx + ck(&gy)",
                                  "gbuf[0] + fill(gbuf) * 1000", "gbuf[0] + scnprintf(gbuf, 16, \"ab\")",
                                  "gbuf[1] + (int)strscpy(gbuf, \"ab\", 16)"])
def test_a_callee_storing_without_an_assignment_beside_a_load_is_refused(expr: str) -> None:
    from tests.models.cprog import run

    out = run(HIDDEN_STORES + f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn {expr};\n}}\n")
    assert out.status == "error" and "the order in which" in (out.error or ""), (out.ret, out.error)


# Stores to two members of a local struct are stores to two objects (C11 6.5p2 speaks of each scalar object):
# chained assignments to members, a member's ++ beside another's +=, run as gcc runs them. They were refused as
# 'x = x++' (every member counted as the whole struct).
MEMBERS = """\
struct sq_regs {
	u64 rcx, rdx;
	struct { u32 lo, hi; } w;
};
static u64 sq_log;
static u64 note(u64 v) { sq_log = sq_log * 10 + v; return v; }

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct tdx_module_args a = { 0 };
	struct sq_regs r = { 0 };
	u64 err = __seamcall(fn, args);

	a.rcx = a.rdx = a.r8 = note(err ? 7 : 3);
	r.w.lo = r.w.hi = (u32)err;
	r.rcx += r.rdx++;
	r.rdx += a.rcx++ + a.rdx;
	return (long long)(a.rcx * 1000 + a.rdx * 100 + a.r8 * 10 + r.rdx + r.w.lo + r.w.hi + sq_log * 10000);
}
"""


def test_stores_to_two_members_of_a_local_struct_run_and_agree_with_gcc(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "members", "demo/sq.h", MEMBERS, 0x8000020300000042, (34337, 78917))  # gcc's


# One member stored twice, a member beside the whole struct, two members of a union (one storage), two bit-fields
# (one storage unit): still refused where they run.
@pytest.mark.parametrize("body", ["a.rcx = a.rcx++;", "a.rcx += a.rcx++;", "x = a.rcx++ + a.rcx;",
                                  "x = (a = b).rcx + a.rcx;", "u.lo = u.full = 5;", "s.f1 = s.f2 = 1;",
                                  "s.u.lo = s.u.full = 1;"])
def test_stores_that_meet_in_one_object_are_still_refused(body: str) -> None:
    from tests.models.cprog import run

    code = ("union sq_u { u64 full; u32 lo; };\nstruct sq_b { int f1 : 3; int f2 : 3; union sq_u u; };\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tstruct tdx_module_args a = { 0 }, b = { 0 };\n\tunion sq_u u = { 0 };\n\tstruct sq_b s = { 0 };\n"
            f"\tu64 x = 0;\n\n\t{body}\n\treturn x;\n}}\n")
    out = run(code)
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:10: the order in which"), out.error


# Two different named objects in memory, each stored once (file-scope, a function's static, members of a static
# struct): defined in C (C11 6.5p2 speaks of one scalar object), run as gcc runs them. 'total += ++calls' was refused
# as if every file-scope object were the same memory.
NAMED = """\
static int total, calls, sq_a, sq_b = 5;
static struct { u32 x, y; } sq_s;
static int tally(int a, int b) { return a * 100 + b; }

static long long busy(u64 fn, struct tdx_module_args *args)
{
	static int seen;
	u64 err = __seamcall(fn, args);
	int r;

	total += ++calls;
	total += ++calls;
	sq_a = sq_b++;
	sq_s.x += ++sq_s.y + (err != 0);
	seen += total += ++calls;
	r = tally(sq_a++, sq_b++) + (calls = 4) * 2;
	return (long long)total * 100000 + seen * 10000 + sq_a * 1000 + sq_b * 100 + sq_s.x * 10 + r;
}
"""


def test_stores_to_two_named_objects_run_and_agree_with_gcc(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "named", "demo/sq.h", NAMED, 0x8000020300000042, (667224, 667234))  # gcc's


# One named object stored and used (a file-scope one, a member of a static struct, a function's static), or one a
# pointer may reach beside a named one: still refused where they run.
@pytest.mark.parametrize("body", ["gi = gi++;", "x = gi++ + gi;", "x = gi + gi++;", "gs.lo = gs.lo++;",
                                  "x = (gi = 1) + (gi = 2);", "st += st++;", "gi += ++(*p);", "*p += ++gj;",
                                  "x = *p + gj++;", "x = gi + (*p)++;", "x = gi++ * ga[gi];"])
def test_stores_that_meet_in_one_named_object_are_still_refused(body: str) -> None:
    from tests.models.cprog import run

    code = ("static int gi, gj, ga[4];\nstatic struct { u32 lo, hi; } gs;\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tstatic int st;\n\tint *p = &gi;\n\tu64 x = 0;\n\n"
            f"\t{body}\n\treturn x;\n}}\n")
    out = run(code)
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:9: the order in which"), out.error


# A store through a pointer a statement expression points at one named object (cmpxchg(&q, ...), which models.cmpxchg
# expands to ({ __typeof__(ptr) __sh_xp = (ptr); ... *__sh_xp = __sh_xn; ... })) stores to that object alone:
# 'r += c + (cmpxchg(&q, 0, p) == 0) * 7' was refused as if the store could reach c.
AIMED = """\
static long pq_g;
static long pq_c = 3;

static long long pw_aimed(u64 fn, struct tdx_module_args *args)
{
	long long r = 1;
	u32 c = (u32)fn;
	int spins = 0, *p = &spins, *q = 0;
	long old = 0;

	r += c + (cmpxchg(&q, (int *)0, p) == 0) * 7;
	r += (long long)cmpxchg(&c, (u32)fn, 17) << 8;
	r += pq_c + (cmpxchg(&pq_g, 0, (long)(fn & 0xff)) == 0) * 5;
	r += pq_c * 2 + try_cmpxchg(&pq_g, &old, 9) * 11 + c;
	r += ({ long *pp = &old; *pp += 2; *pp; }) + pq_g;
	return r * 100 + old + (q == p);
}
"""


def test_a_store_through_a_pointer_to_a_known_object_runs_beside_other_objects_as_gcc_runs_it(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "aimed", "demo/aimed.h", AIMED)


# The store may reach what the other operand reads (the object itself, through a pointer not known, through a
# pointer cast to a wider type, through a pointer changed after its declaration): still refused where it runs.
@pytest.mark.parametrize("body", ["x = gi + (cmpxchg(&gi, 0, 1) == 0);", "x = gj + (cmpxchg(p, 0, 1) == 0);",
                                  "x = gs.lo + (cmpxchg(&gs.lo, 0, 1) == 0);",
                                  "x = gs.hi + (cmpxchg((u64 *)&gs.lo, 0, 1) == 0);",
                                  "x = gj + ({ int *q = &gi; q = p; *q = 1; });"])
def test_a_store_that_may_reach_the_other_operand_is_still_refused(body: str) -> None:
    from tests.models.cprog import run

    code = ("static int gi, gj;\nstatic struct { u32 lo, hi; } gs;\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tint *p = &gj;\n\tu64 x = 0;\n\n"
            f"\t{body}\n\treturn x;\n}}\n")
    out = run(code)
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:8: the order in which"), out.error


# A formatting or copying call into a named array (or an array member of a named struct) stores to that array alone
# (lib/vsprintf.c and lib/string.c write only through the destination): `glen += scnprintf(gbuf + glen, sizeof(gbuf)
# - glen, ...)` of a file-scope buffer and length is the kernel's way of building a line, and was refused as a call
# storing anywhere beside a load of glen.
BUFFERS = """\
static char sq_buf[48];
static int sq_len;
static u64 sq_regs[2] = { 3, 4 };
static struct { char buf[24]; int len; } sq_lg;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 copy[2];

	sq_len += scnprintf(sq_buf + sq_len, sizeof(sq_buf) - sq_len, "err=%llx ", err >> 56);
	sq_len += scnprintf(&sq_buf[sq_len], sizeof(sq_buf) - sq_len, "n=%d", sq_len);
	sq_len += snprintf(sq_buf + sq_len, sizeof(sq_buf) - sq_len, "!") + sq_regs[1];
	sq_lg.len += scnprintf(sq_lg.buf + sq_lg.len, sizeof(sq_lg.buf) - sq_lg.len, "%d,", sq_len);
	sq_lg.len += scnprintf(&sq_lg.buf[sq_lg.len], sizeof(sq_lg.buf) - sq_lg.len, "%d", sq_lg.len);
	memcpy(copy, sq_regs, sizeof(copy));
	pr_err("%s %s\\n", sq_buf, sq_lg.buf);
	return sq_lg.len * 10000 + sq_len * 100 + (long long)(copy[0] + copy[1]);
}
"""


def test_a_store_into_a_named_array_beside_a_load_of_another_object_runs_and_agrees_with_gcc(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "buffers", "demo/sq.h", BUFFERS, 0x8000020300000042, (41407, 41507))  # gcc's


# ... but not beside a load of that array, nor through a pointer, which may reach anything.
@pytest.mark.parametrize("body", ["x = scnprintf(gb, 8, \"a\") + gb[0];", "gl += scnprintf(p + gl, 8, \"a\");",
                                  "x = gb[1] + snprintf(&gb[0], 8, \"%d\", gl);"])
def test_a_store_into_an_array_beside_a_load_of_it_is_still_refused(body: str) -> None:
    from tests.models.cprog import run

    code = ("static char gb[16];\nstatic int gl;\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
            f"\tchar *p = gb;\n\tint x = 0;\n\n\t{body}\n\treturn x + gl + (p != 0);\n}}\n")
    out = run(code)
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:8: the order in which"), out.error


# A store whose right side changes the same object before a sequence point its value comes after: a comma's left
# operand, the first of &&, || and ?:, a statement of a statement expression (C11 6.5.13-17, 6.8p4). Defined in C,
# as gcc builds them; each was refused as 'x = x++' is.
SEQUENCED = """\
static long long pw_sq_sequenced(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int r = 3, x = 4, y = 1, z = 2, w = 0;

	r = (r *= 2, r + 1);
	x = (x++, x + 5);
	y = y++ ?: 3;
	z = (z++ && err);
	w = ({ w++; w + 10; });
	return r + x * 100 + y * 10000 + z * 100000 + w * 1000000;
}
"""


def test_a_store_after_a_sequence_point_of_its_right_side_runs_and_agrees_with_gcc(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "seq", "demo/sq.h", SEQUENCED)


# The change the right side makes after its last sequence point (or with none): still refused where it runs.
@pytest.mark.parametrize("body", ["x = (0, x++);", "x = (fn ? x++ : 1);", "x = (fn && x++);", "x = (x++, x++);",
                                  "x = ({ 1; }) + x++;"])
def test_a_store_beside_a_change_after_the_right_side_s_last_sequence_point_is_still_refused(body: str) -> None:
    from tests.models.cprog import run

    code = f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\tint x = 4;\n\n\t{body}\n\treturn x;\n}}\n"
    out = run(code)
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:5: the order in which"), out.error

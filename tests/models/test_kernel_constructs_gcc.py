"""Constructs kernel helpers use, each a piece run by the mirror and by gcc.

Constructs kernel helpers use, each a piece run by the mirror and by gcc (harness.crosscheck, both the variant's
text and the mirror's expansion built): designated initializers of nested arrays and of elements' members (``[1][2] =``,
``[0].regs[1] =``, ``.items[2].regs[1] =``: C11 6.7.9p19), compound literals, flexible array members, __builtin_expect,
BIT_ULL/GENMASK_ULL/FIELD_PREP, switch fallthrough, static_assert, bool arithmetic, signed shifts, u8 wrap-around, %*ph,
__same_type() of a type name, sizeof_field()/offsetofend()/upper_16_bits(). What is not modelled is refused at its
line (an UnsupportedConstruct naming FILE:LINE), never a value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"

INITIALIZERS = r"""
struct pw_regs { u64 r[4]; u8 flags[2][3]; };
static const u8 pw_tbl[3][4] = { [2] = { [3] = 9, [0] = 1 }, [0][1] = 3, [1] = { 4, 5 } };
static struct pw_regs pw_g = { .r = { [2] = 7, [0] = 1 }, .flags = { [1] = { [2] = 6 } } };

static long long pw_nested_designated(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_regs l = { .r[1] = err & 0xff, .flags[0][2] = 2, .flags[1] = { 8 } };
	int i, j;
	long long r = 0;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++)
			r = r * 3 + pw_tbl[i][j];
	for (i = 0; i < 4; i++)
		r = r * 7 + (long long)(l.r[i] + pw_g.r[i]);
	for (i = 0; i < 2; i++)
		for (j = 0; j < 3; j++)
			r = r * 5 + l.flags[i][j] + pw_g.flags[i][j];
	return r;
}

struct pw_item { int a; u16 regs[3]; };
struct pw_box { u8 n; struct pw_item items[3]; };
static struct pw_item pw_items[] = { [1].a = 5, [1].regs[2] = 6, [3].regs = { 1, 2 }, [0] = { 9 } };
static u32 pw_grid[][3] = { [2][1] = 7, [0] = { 1, 2, 3 }, [1][0 ... 2] = 4 };

static long long pw_nested_designated2(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_box b = { .items[2].regs[1] = (u16)err, .n = 3, .items[0].a = 8, .items[1] = { 1, { 2 } } };
	int i, j;
	long long r = sizeof(pw_items) / sizeof(pw_items[0]) * 10 + ARRAY_SIZE(pw_grid);

	for (i = 0; i < 4; i++)
		for (j = 0; j < 3; j++)
			r = r * 3 + pw_items[i].a + pw_items[i].regs[j];
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			r = r * 5 + pw_grid[i][j] + b.items[i].regs[j] + b.items[i].a;
	return r + b.n;
}

struct pw_pt { int x; int y; };

static int pw_sum(const struct pw_pt *p) { return p->x * 10 + p->y; }
static int pw_byval(struct pw_pt p) { return p.x - p.y; }

static long long pw_compound_literals(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_pt a = (struct pw_pt){ .y = (int)(err & 7), .x = 2 };
	struct pw_pt b;
	int *ip = &(int){ 41 };

	b = (struct pw_pt){ 5 };
	*ip += 1;
	return pw_sum(&a) + pw_sum(&(struct pw_pt){ 3, 4 }) * 100 + pw_byval((struct pw_pt){ .x = 9 }) * 10000
		+ b.x + b.y * 1000000 + *ip * 1000000LL + ((struct pw_pt){ 1, 2 }).y * 100000000LL;
}

struct pw_fam { u32 n; u16 kind; u64 data[]; };
struct pw_fam2 { u8 tag; u8 bytes[]; };

static long long pw_flexible_array(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	return sizeof(struct pw_fam) * 100 + sizeof(struct pw_fam2) * 10 + offsetof(struct pw_fam, data)
		+ (long long)(err & 1) + _Alignof(struct pw_fam) * 1000;
}

struct pw_fam3 { u32 n; u32 v[]; };
static struct pw_fam3 pw_f = { .n = 2, .v = { 5, 6 } };

static long long pw_fam_static(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	return pw_f.n + (long long)(err & 1) + sizeof(pw_f);
}

struct pw_pt2 { int x; int y; };
struct pw_reg { union { u64 raw; struct { u32 lo; u32 hi; }; }; u8 tag; };
enum pw_flags { PW_A = 1, PW_B = 2, PW_C = 4 };
static struct pw_pt2 *pw_pp = &(struct pw_pt2){ 3, 4 };
static const int pw_vals[] = { [PW_C] = 40, [PW_A] = 10 };

static long long pw_edge_mix(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_reg r1 = { .lo = (u32)err, .hi = 2, .tag = 9 };
	enum pw_flags f = PW_A | PW_C;
	int neg = -1;
	s64 top = (s64)1 << 63;
	int imin = INT_MIN;
	long long r = 0;

	r += (long long)(r1.raw >> 32) + r1.tag * 10 + pw_pp->y * 100 + f * 1000 + ARRAY_SIZE(pw_vals) * 10000;
	r += (err ? neg : 0U) % 1000 + (long long)(top >> 62) * 3 + (imin >> 31) * 5 + (imin >> 30) * 7;
	r += pw_vals[PW_C] + pw_vals[2] + (neg < 0U) * 11 + (neg < 0UL) * 13 + ((u8)neg == 255) * 17;
	pw_pp->x += (int)(err & 3);
	return r + pw_pp->x * 1000000;
}
"""

BITS = r"""
static long long pw_builtin_expect(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	long long r = 0;

	if (__builtin_expect(err != 0, 0))
		r += 1;
	if (__builtin_expect(!!(err >> 63), 1))
		r += 10;
	r += __builtin_expect(err & 0xff, 3) * 100;
	r += sizeof(__builtin_expect(err, 0)) * 100000;
	r += likely(err) * 1000 + unlikely(err & 2) * 10000;
	return r;
}

#define PW_REG_A	GENMASK_ULL(47, 40)
#define PW_REG_B	GENMASK(7, 4)
#define PW_TOP		BIT_ULL(63)

static long long pw_bits_masks(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 v = FIELD_PREP(PW_REG_A, 0x5a) | FIELD_PREP(PW_REG_B, 3) | PW_TOP;
	long long r = 0;

	r += (long long)FIELD_GET(PW_REG_A, err) + (long long)FIELD_GET(PW_REG_B, v) * 1000;
	r ^= (long long)(v >> 4);
	r += BIT(5) + BIT_ULL(40) / 1024 + GENMASK(31, 0) / 65536 + (err & PW_TOP ? 7 : 0);
	r += sizeof(BIT(3)) * 3 + sizeof(GENMASK(3, 0)) * 5 + sizeof(FIELD_GET(PW_REG_B, v)) * 11;
	r += FIELD_MAX(PW_REG_B) + FIELD_FIT(PW_REG_B, 16) * 2 + FIELD_FIT(PW_REG_B, 15) * 4;
	r += (long long)u64_get_bits(err, GENMASK_ULL(15, 8));
	return r;
}

static long long pw_builtins_bits(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args) | 0x10;
	u32 lo = (u32)err | 1;
	long long r = 0;

	r += __builtin_popcountll(err) + __builtin_ctzll(err) * 100 + __builtin_clzll(err) * 10000;
	r += hweight64(err) * 7 + hweight32(lo) * 11 + __ffs(err) * 13 + fls64(err) * 17 + fls(lo) * 19;
	r += __builtin_ffsll(err) * 23 + __fls(err) * 29 + ffs(lo) * 31;
	r += (long long)(__builtin_bswap64(err) & 0xffff) + (long long)__builtin_bswap32(lo) % 1000;
	return r;
}

static long long pw_byteorder(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u8 raw[8] = { 1, 2, 3, 4, 5, 6, 7, (u8)err };
	long long r = 0;

	r += raw[7] + (long long)(__builtin_bswap32((u32)err) % 1000);
	r += upper_16_bits((u32)err) + lower_16_bits((u32)err) * 3;
	return r;
}

static long long pw_signed_shifts(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int m = -8, k = (int)(err & 7);
	s64 s = (s64)err;
	long long r = 0;

	r += (m >> 1) + (m >> k) * 10 + (s >> 60) * 100 + (s >> 63) * 1000;
	r += (1 << 31) / 2;
	r += (long long)(-1 << 3) * 10000 + (long long)(m << 28);
	r += (s8)0x80 >> 2;
	r += (long long)((s32)err >> 31) * 7 + (long long)((s16)(err >> 48) >> 4) * 11;
	r += (long long)((u32)-8 >> 1);
	r += (long long)(s << 1);
	return r;
}

static long long pw_u8_wrap(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u8 x = 250, y = (u8)(err >> 56), z;
	u16 w = 65530;
	s8 c = 127;
	int i;
	long long r = 0;

	for (i = 0; i < 10; i++)
		x++;
	z = x + y;
	r += x + z * 1000 + (x + y) * 1000000;
	x -= 20;
	w += 10;
	c++;
	r += x * 1000000000LL + w * 7 + c * 13;
	y = ~y;
	r += y + (u8)(y << 4) * 3 + (y << 4) * 5 + (u8)-1 * 11;
	x = 0;
	x--;
	r += x * 17 + sizeof(x + 1) * 19;
	return r;
}

static long long pw_bool_arith(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	bool a = err, b = err & 0x100, c = 5, d = 0;
	int n = 0;
	long long r = 0;

	r += a + b + c * 10 + (a + a) * 100;
	d++;
	r += d * 1000;
	d++;
	r += d * 10000;
	c--;
	r += c * 100000;
	c--;
	r += c * 1000000;
	n = a - b - c;
	r += n * 10000000LL;
	d += 7;
	r += d * 100000000LL + (bool)0x100 * 1000000000LL + sizeof(a + b) * 3;
	a = (err & 4) ? 2 : 0;
	r += !a + ~b * 7;
	return r;
}

static long long pw_overflow(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 sum;
	u32 prod;
	s32 d;
	long long r = 0;

	r += check_add_overflow(err, err, &sum);
	r += (long long)(sum & 0xffff) * 10;
	r += check_mul_overflow((u32)err | 1, 0x10000U, &prod) * 1000000;
	r += prod % 1000;
	r += check_sub_overflow(3, (s32)(err & 0xf), &d) * 7;
	r += d * 11;
	r += min3(4, 2, (int)(err & 7)) * 5;
	r += clamp_t(int, (int)(err & 0xff), 5, 50) * 9;
	return r;
}
"""

CONTROL = r"""
static int pw_classify(u64 err)
{
	int r = 0;

	switch (err >> 56) {
	case 0x80:
		r += 1;
		fallthrough;
	case 0x40:
		r += 10;
		fallthrough;
	case 0x20:
		r += 100;
		break;
	case 0:
		r = -1;
		fallthrough;
	default:
		r -= 2;
	}
	return r;
}

static long long pw_fallthrough(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	return pw_classify(err) * 1000000LL + pw_classify(0x4000000000000000ULL) * 1000 + pw_classify(0x2000000000000000ULL)
		+ pw_classify(0x1000000000000000ULL) * 100000000LL;
}

struct pw_sa { u32 a; u64 b; };
static_assert(sizeof(struct pw_sa) == 16);
static_assert(offsetof(struct pw_sa, b) == 8, "b after padding");
_Static_assert(BIT(3) == 8, "bit 3");

static long long pw_static_assert(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_sa s = { 1, err };

	static_assert(sizeof(s) == 16);
	_Static_assert(sizeof(err) == 8, "u64");
	BUILD_BUG_ON(sizeof(s.a) != 4);
	return (long long)(s.b & 0xffff) + s.a;
}

static int pw_kind(u64 err)
{
	switch (err & 0xff) {
	case 0 ... 9:
		return 1;
	case 10 ... 0x7f:
		return 2;
	default:
		return 3;
	}
}

static long long pw_gnu_exprs(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 v = err ?: 77;
	__auto_type w = err >> 3;
	typeof(err) t = ({ u64 __x = err; __x & 0xf; });
	long long r = 0;

	r += (long long)(v & 0xffff) + pw_kind(err) * 100000 + (long long)(w & 0xff) * 1000000;
	r += (long long)t * 1000000000LL + sizeof(w) + READ_ONCE(r) % 7;
	WRITE_ONCE(r, r + 1);
	return r;
}

struct pw_hdr { u16 kind; u32 len; u8 tail[3]; u64 data; };

static long long pw_sizes_offsets(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_hdr h = { .len = (u32)err };
	struct pw_hdr *ph = &h;
	long long r = 0;

	r += sizeof_field(struct pw_hdr, tail) + offsetofend(struct pw_hdr, len) * 10 + offsetof(struct pw_hdr, data) * 100;
	r += container_of(&ph->len, struct pw_hdr, len) == ph;
	r += (long long)(container_of(&h.data, struct pw_hdr, data)->len & 0xffff) * 1000;
	r += __same_type(h.len, u32) * 7 + __builtin_types_compatible_p(typeof(h.kind), u16) * 11;
	return r;
}

#define PW_N 5

static long long pw_misc_kernel(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u32 arr[PW_N] = { 1, 2, 3 };
	u64 lo = lower_32_bits(err), hi = upper_32_bits(err);
	long long r = 0;

	r += ARRAY_SIZE(arr) + min(lo, hi) % 1000 + max_t(u32, 3, lo & 7) * 100;
	r += clamp(lo & 0xff, 10U, 100U) * 10000 + DIV_ROUND_UP(err & 0xffff, 4096) * 100000000LL;
	r += round_up(err & 0xfff, 64) + round_down(err & 0xfff, 64) * 3;
	r += IS_ALIGNED(err, 8) * 13 + ALIGN(err & 0xffff, 16) * 17;
	return r;
}

static long long pw_constant_p(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	return __builtin_constant_p(5) * 10 + __builtin_constant_p(sizeof(err)) * 100;
}
"""

PRINTING = r"""
static long long pw_hex_ph(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u8 buf[8] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, (u8)err };
	u64 word = err;

	pr_info("%*ph\n", 4, buf);
	pr_info("%*phC|%*phD|%*phN\n", 3, buf, 2, buf + 2, 8, buf);
	pr_info("%ph\n", buf);
	pr_info("%8ph\n", &word);
	pr_err("x: %*ph end\n", (int)(err & 3), buf);
	return 0;
}

static long long pw_hex_ph2(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u8 big[80];
	int i;

	for (i = 0; i < 80; i++)
		big[i] = (u8)(i * 7 + err);
	pr_info("[%*ph]\n", 0, big);
	pr_info("[%-6.2x|%5ph]\n", 3, big);
	pr_info("[%*phN]\n", 64, big);
	return 0;
}

static long long pw_strings(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char buf[16], small[4];
	int n, m;
	ssize_t k;

	n = snprintf(buf, sizeof(buf), "e=%llx", err);
	m = scnprintf(small, sizeof(small), "%d", 12345);
	k = strscpy(small, "abcdef", sizeof(small));
	pr_info("%s %s %d %d %zd %d\n", buf, small, n, m, k, 0);
	return n * 100 + m * 10 + k + (long long)strlen(buf) * 1000;
}
"""


@pytest.mark.parametrize("group", ["initializers", "bits", "control", "printing"])
def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path, group: str) -> None:
    # Before: the nested designators stopped ('a nested designator (.a.b = or [i].x =) is not modelled'), and so did
    # sizeof_field(), offsetofend(), upper_16_bits() (unknown functions) and __same_type(x, u32) (not parsed).
    runs_as_gcc(tmp_path, "kc", "demo/kc.h", globals()[group.upper()])


@pytest.mark.parametrize(("body", "needle", "says"), [
    # C11 6.7.9p17: a positional initializer after [0][1] goes on inside element 0; the mirror groups by element
    ("\tint g[2][2] = { [0][1] = 3, 4 };\n\n\treturn g[1][0];\n", "int g", "a positional initializer after a "
     "designator inside an element"),
    ("\tint g[2][2] = { [0] = { 1, 2 }, [0][1] = 3 };\n\n\treturn g[0][0];\n", "int g", "a designator inside "
     "element 0, which is initialized whole before"),
    ("\tint g[2][2] = { [0][1] = 3, [0] = { 1, 2 } };\n\n\treturn g[0][0];\n", "int g", "element 0 initialized "
     "whole after a designator inside it"),
    ("\tstruct it s[3] = { [0 ... 1].a = 1 };\n\n\treturn s[0].a;\n", "struct it s", "a range of elements with "
     "a designator inside them"),
    # the struct overlaid on an array of u32 (its elements are in kmalloc() memory only: models.flexarrays)
    ("\tstruct fam *p = (struct fam *)store;\n\n\tp->v[1] = 3;\n\treturn store[2];\n", "p->v[1]",
     "'v' of an array element that is not a struct fam"),
    ("\tu8 big[70] = {};\n\n\tpr_info(\"%*ph\\n\", 70, big);\n\treturn 0;\n", "pr_info", "%*ph of 70 bytes: "
     "lib/vsprintf.c prints at most 64"),
    ("\treturn __builtin_constant_p(fn);\n", "__builtin_constant_p", "gcc's answer depends on its optimiser"),
    ("\tstruct it s = {};\n\n\treturn __same_type(&s, struct it *);\n", "__same_type", "qualifiers"),
    # a macro the code does not define, given a type: not C the mirror parses, said at its line (was the function's,
    # pycparser naming the file alone)
    ("\tlong long r = 1;\n\n\tr += foo_size(struct it);\n\treturn r;\n", "foo_size", "C the mirror does not "
     "parse (Invalid expression)"),
])
def test_what_is_not_modelled_is_refused_at_its_line(body: str, needle: str, says: str) -> None:
    code = ("struct it { int a; int b; };\nstruct fam { u32 n; u32 v[]; };\nstatic u32 store[4];\n" + ENTRY + body
            + "}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error_kind, out.error)
    assert f"{PATH}:{line_of(code, needle)}: " in (out.error or "") and says in (out.error or ""), out.error


def test_nested_designators_of_arrays_of_unknown_length_count_their_elements() -> None:
    code = ENTRY + ("\tint g[][2] = { [1][1] = 1, [0][0] = 2 };\n\tstruct it s[] = { [2].b = 1, [1].a = 4 };\n\n"
                    "\treturn sizeof(g) + g[1][1] * 100 + g[0][0] * 1000 + sizeof(s) * 10000 + s[1].a * 1000000;\n}\n")
    out = run("struct it { int a; int b; };\n" + code)
    assert (out.status, out.ret) == ("ok", 16 + 100 + 2000 + 24 * 10000 + 4000000), out.error

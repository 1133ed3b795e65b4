"""gcc -Wformat's warning for a printk conversion narrower than its argument (models.printwidth), gcc the oracle."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.source import code_facts

# The kernel's declaration (include/linux/printk.h): printf's format checking on printk().
DECLS = """\
typedef unsigned long long u64;
typedef unsigned int u32;
struct regs { u64 rcx; u32 r8; };
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static u64 leaf_of(int x) { return x; }
static unsigned long long raw_of(int x) { return x; }
"""
# include/asm-generic/bug.h's WARN() in short: the message goes to __warn_printk(), __printf(1, 2) (three lines,
# which gcc's line numbers are taken back by; the mirror has its own WARN()).
WARNS = """\
int __warn_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define WARN(c, fmt...) ({ int __r = !!(c); if (__r) __warn_printk(fmt); __r; })
#define WARN_ONCE(c, fmt...) WARN(c, fmt)
"""
BODY = """\
void call(u64 fn, u32 small, unsigned long long wide, long l, struct regs *args, struct regs s)
{
	printk("leaf %#x\\n", fn);
	printk("leaf %d\\n", fn);
	printk("leaf %u\\n", wide);
	printk("leaf %hx\\n", fn);
	printk("leaf %#llx %x\\n", fn, small);
	printk("leaf %x\\n", l);
	printk("leaf %x\\n", (u64)small);
	printk("leaf %x\\n", (u32)fn);
	printk("leaf %lx %llu\\n", fn, fn);
	printk("leaf %#x\\n", fn & ~(1ULL << 63));
	printk("leaf %#x\\n", fn & 0xff);
	printk("leaf %#x %#x\\n", small + fn, ~fn);
	printk("leaf %#x %#x\\n", fn >> 1, small << 1);
	printk("leaf %#x %#x %x\\n", args->rcx, s.rcx, args->r8);
	printk("leaf %#x %#x\\n", fn ? fn : 0, 0x8000000000000021ULL);
	printk("leaf %#x %d\\n", 33, -small);
	printk("leaf %#x %#x %#x\\n", leaf_of(1), raw_of(2), printk("x"));
	WARN(fn, "leaf %#x\\n", fn);
	WARN_ONCE(small, "leaf %#llx %x\\n", fn, fn);
}
"""


def _ours() -> list[str]:
    src = (Source("d/w.c", ((1, tuple((DECLS + BODY).splitlines())),), False),)
    facts = code_facts(src, (EntryPoint("call"),))
    return sorted(f"{where}: warning: {why}" for sites in facts.narrow_prints.values() for _, _, where, why in sites)


def _gcc_and_ours(tmp_path: Path, code: str) -> tuple[list[str], list[str]]:
    """gcc -Wformat's format warnings of DECLS + ``code`` (with WARNS before it) and the mirror's, both as
    'd/w.c:LINE: warning: ...' (gcc's column dropped: ours name path:line)."""
    c = tmp_path / "w.c"
    c.write_text(WARNS + DECLS + code)
    run = subprocess.run(["gcc", "-Wformat", "-fsyntax-only", str(c)], capture_output=True, text=True,
                         env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"}, check=False)
    assert "error" not in run.stderr, run.stderr
    theirs = sorted(re.sub(r"^.*w\.c:(\d+):\d+:", lambda m: f"d/w.c:{int(m.group(1)) - 3}:", ln)
                    for ln in run.stderr.splitlines() if "warning: format" in ln)
    src = (Source("d/w.c", ((1, tuple((DECLS + code).splitlines())),), False),)
    facts = code_facts(src, (EntryPoint("call"),))
    ours = sorted(f"{where}: warning: {why}" for sites in facts.narrow_prints.values() for _, _, where, why in sites)
    return theirs, ours


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_each_narrow_conversion_is_warned_of_as_gcc_does(tmp_path: Path) -> None:
    c = tmp_path / "w.c"
    c.write_text(WARNS + DECLS + BODY)
    run = subprocess.run(["gcc", "-Wformat", "-fsyntax-only", str(c)], capture_output=True, text=True,
                         env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"}, check=False)
    # gcc's: 'w.c:6:24: warning: ...'; ours name path:line (no column). '%lx' of a u64 (long against long long, both
    # 64 bits) gcc warns of too: no bits are lost, so it is not ours to say.
    theirs = sorted(re.sub(r"^.*w\.c:(\d+):\d+:", lambda m: f"d/w.c:{int(m.group(1)) - 3}:", ln)
                    for ln in run.stderr.splitlines()
                    if "warning: format" in ln and "'%lx'" not in ln)
    assert theirs, run.stderr
    assert _ours() == theirs


# Arguments typed where the code gives their type otherwise than a variable's or a struct's member of one: an element
# (of a member array, a local array, an array parameter, through a pointer), *p, a member of a member, a member through
# a typedef's struct (an anonymous one too) or an anonymous union, typeof(x), a statement expression's value, sizeof
# ('long unsigned int'), an assignment, x++, a comma, a compound literal's member, bit-fields (one of 32 bits or fewer
# is an int: no warning; a wider one gcc names by its width, through + 1, - and ?: too, a u64 operand making it u64).
PLACES_HEAD = """\
typedef long long s64;
struct wrap { struct regs args; struct regs *ap; u64 regs[4]; u32 w[2]; };
typedef struct regs regs_t;
typedef struct { u64 leaf; u32 small; } anon_t;
typedef u64 leaf_t;
typedef leaf_t *leafp_t;
struct bf { u64 lo:40; s64 sl:40; u64 hi:24; u64 e:32; };
struct outer { union { u64 anonq; u32 anond; }; struct { u64 inq; } named; };
"""
PLACES = """\
void call(u64 fn, u32 small, struct wrap *w, regs_t *r, anon_t *a, u64 *p, u64 vals[2], leafp_t lp, struct bf *b,
	struct outer *o)
{
	u64 arr[2] = { fn, fn };
	typeof(fn) t = fn;
	__typeof__(small) ts = small;
	u64 m[2][3];

	printk("a %#x %#x %#x %#x %#x\\n", w->regs[1], arr[0], *p, w->args.rcx, w->ap->rcx);
	printk("b %#x %#x %#x %#x\\n", r->rcx, a->leaf, t, ts);
	printk("c %#x %#x %#x %#x %x\\n", ({ fn; }), vals[1], sizeof(fn), p[0], w->w[0]);
	printk("d %#x %#x %#x %#x\\n", (t = fn), (small, fn), fn++, (regs_t){ .rcx = fn }.rcx);
	printk("e %#x %#x %#x %#x\\n", *lp, lp[0] + fn, m[1][2], o->named.inq);
	printk("f %#x %#x %#x %#x\\n", o->anonq, o->anond, fn == 0, !fn);
	printk("g %x %x %x %x %x\\n", b->lo + 1, b->lo & fn, b->sl, -b->lo, b->lo >> 1);
	printk("h %x %x %x %x\\n", b->e, b->hi, b->hi + fn, b->lo ? b->lo : 1);
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_an_argument_is_typed_where_the_code_declares_it(tmp_path: Path) -> None:
    theirs, ours = _gcc_and_ours(tmp_path, PLACES_HEAD + PLACES)
    assert len(theirs) == 28, theirs
    assert ours == theirs


# A call of a function whose body is in a file not read, typed by its prototype as gcc types it: the words before the
# name, attributes, storage classes and the value's const left out.
PROTOTYPES = """\
static inline u64 __attribute__((warn_unused_result)) seam_a(void);
extern unsigned long long seam_b(int x);
u32 seam_c(void);
const u64 seam_g(void);
unsigned long seam_h(void);
void call(u64 fn)
{
	printk("a %#x\\n", seam_a());
	printk("b %#x %#x\\n", seam_b(1), seam_c());
	printk("g %#x %#x\\n", seam_g(), seam_h() + 1);
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_a_call_is_typed_by_the_functions_prototype(tmp_path: Path) -> None:
    theirs, ours = _gcc_and_ours(tmp_path, PROTOTYPES)
    assert len(theirs) == 4, theirs
    assert ours == theirs


# Names in scope where the call is (a block's local hiding a parameter or a file-scope one, a for loop's own, an outer
# one after the inner block ended, in either branch of an if, one declared after a case label for the labels below)
# and functions declared by a typedef of a function type (`seam_fn_t seam_leaf;`): the mirror said u32 where gcc typed
# the hiding u64 (and the reverse), and no type for the typedef's function: warnings missed and one made up.
SHADOWS = """\
typedef u64 seam_fn_t(u64 fn);
typedef u32 small_fn_t(void);
seam_fn_t seam_leaf;
small_fn_t seam_small;
static u64 err;
void call(u64 fn, u32 small)
{
	u32 ret = small;

	printk("a %#x %#x\\n", seam_leaf(fn), seam_small());
	{
		u64 ret = fn;

		printk("b %#x\\n", ret);
	}
	printk("c %#x %#x\\n", ret, err);
	for (u64 small = fn; small; small = 0)
		printk("d %#x\\n", small);
	printk("e %#x\\n", small);
	{
		u32 err = 1;

		printk("f %#x\\n", err);
	}
	if (fn) {
		u64 small = fn;

		printk("g %x\\n", small);
	} else {
		u32 fn = 3;

		printk("h %x %x\\n", fn, ({ u64 fn = 4; fn; }));
	}
	printk("i %x\\n", fn);
	switch (small) {
	case 1:
		;
		u64 ret = fn;

		printk("j %#x\\n", ret);
		break;
	default:
		printk("k %#x\\n", ret);
	}
	printk("l %#x\\n", ret);
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_a_name_is_typed_by_the_declaration_in_scope_at_the_call(tmp_path: Path) -> None:
    theirs, ours = _gcc_and_ours(tmp_path, SHADOWS)
    assert len(theirs) == 9, theirs
    assert ours == theirs


# Calls through function pointers typed by a typedef alone (a parameter `sc_func_t func`, `(*func)(fn)`, a typedef of a
# function type's pointer, a member of a typedef'd pointer type, a plain pointer parameter): gcc types each by the
# pointer's return type; the mirror typed none (six warnings missed).
POINTERS = """\\
typedef u64 (*sc_func_t)(u64 fn);
typedef u32 (*sc_small_t)(void);
typedef u64 sc_plain_t(u64 fn);
struct sc_ops { sc_func_t call; u64 (*raw)(u64); };
static sc_func_t sc_global;
void call(u64 fn, sc_func_t func, sc_small_t small, sc_plain_t *plain, struct sc_ops *ops, u64 (*direct)(u64))
{
	printk("a %x %x\\\\n", func(fn), small());
	printk("b %x %x\\\\n", (*func)(fn), plain(fn));
	printk("c %x %x %x %x\\\\n", ops->call(fn), ops->raw(fn), direct(fn), sc_global(fn));
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_a_call_through_a_function_pointer_is_typed_by_the_pointer(tmp_path: Path) -> None:
    theirs, ours = _gcc_and_ours(tmp_path, POINTERS)
    assert len(theirs) == 7, theirs
    assert ours == theirs

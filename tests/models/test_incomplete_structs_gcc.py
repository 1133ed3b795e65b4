"""A pointer to a struct declared and never defined, held and passed as gcc does.

A pointer to a struct or union declared and never defined (C11 6.7.2.3p8: a pointer to an incomplete type is
complete) is held, passed, compared and converted as gcc does (``&*p`` is ``p``); what needs the definition (``*p``,
a member, ``sizeof``, ``p + 1``) is refused at its line (gcc refuses it too). Items sharing a line (``typedef struct n
n_t; struct n { int v; };``) are each found, at their own line and column."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.slicer import Kind, slice_fragment
from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import runs_as_gcc

needs_cc = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                              reason="needs a C compiler, the oracle")

ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"

OPAQUE = r"""
struct pw_opaque;
union pw_ounion;
typedef struct pw_hidden pw_hidden_t;

static struct pw_opaque *pw_keep;
static pw_hidden_t *pw_hid;

static struct pw_opaque *pw_pass(struct pw_opaque *p, int which)
{
	return which ? p : NULL;
}

static int pw_is_null(const struct pw_opaque *p)
{
	return p == NULL;
}

static long long pw_opaque_ptrs(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 word = err;
	struct pw_opaque *p = (struct pw_opaque *)&word;
	struct pw_opaque *q = pw_pass(p, (int)(err & 1));
	struct pw_opaque **pp = &pw_keep;
	void *v = q;
	union pw_ounion *u = NULL;
	struct pw_opaque *arr[2] = { NULL, p };
	long long r = 0;

	pw_keep = q;
	r += pw_is_null(q) + (q == p) * 2 + (*pp == q) * 4 + (v == p) * 8 + !u * 16 + (arr[1] == p) * 32;
	r += (sizeof(p) == 8) * 64 + (pw_hid == NULL) * 128 + (sizeof(*pp) == 8) * 256 + !pw_is_null(arr[1]) * 512;
	r += (long long)(*(u64 *)p & 0xff) * 1000 + (&*q == q) * 1000000 + (&*p == p) * 2000000;
	return r;
}

static long long pw_opaque_errs(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_opaque *p = ERR_PTR(-(long)(err & 7) - 1);

	return IS_ERR(p) * 100 + PTR_ERR(p) + IS_ERR_OR_NULL(pw_keep) * 10;
}
"""

# the typedef before its struct, on one line; two variables on one line; a prototype and its function on one line
ONE_LINE = r"""
typedef struct pw_n pw_n_t; struct pw_n { int v; u64 w; };
static int pw_a = 3; static u64 pw_b = 5, pw_c;
static int pw_twice(int x); static int pw_twice(int x) { return 2 * x; }

static long long pw_one_line(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	pw_n_t n = { .v = (int)(err & 0xff), .w = err >> 8 };

	pw_c = err & 3;
	return n.v + (long long)(n.w & 0xfff) * 1000 + pw_a * 7 + (long long)(pw_b + pw_c) * 11 + pw_twice(n.v) * 13;
}
"""


@needs_cc
@pytest.mark.parametrize("group", ["opaque", "one_line"])
def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path, group: str) -> None:
    # Before: "struct pw_opaque is used but never defined" at its pointer's declaration; the typedef ahead of its
    # struct on one line: "'pw_n_t' is used as a type, and no typedef of it is in what is known of the code".
    runs_as_gcc(tmp_path, "inc", "demo/inc.h", OPAQUE if group == "opaque" else ONE_LINE)


PRE = "struct opaque;\nstatic struct opaque *gp;\n"


@pytest.mark.parametrize(("body", "needle", "says"), [
    ("\t(void)*gp;\n\treturn 0;\n", "(void)*gp", "what it points to needs its definition"),
    ("\tstruct opaque *q = gp;\n\n\t*q = *gp;\n\treturn 0;\n", "*q = *gp", "what it points to needs"),
    ("\treturn gp->v;\n", "gp->v", "its member 'v' needs its definition"),
    ("\treturn gp[0].v;\n", "gp[0]", "its member 'v' needs"),
    ("\treturn sizeof(*gp);\n", "sizeof", "sizeof needs its definition"),
    ("\treturn gp + 1 == gp;\n", "gp + 1", "pointer arithmetic (+) needs its definition"),
    ("\treturn gp - gp;\n", "gp - gp", "pointer arithmetic (-) needs"),
    ("\tstruct opaque *q = gp;\n\n\tq++;\n\treturn 0;\n", "q++", "p++ on struct opaque *"),
    ("\tstruct opaque o;\n\n\treturn 0;\n", "struct opaque o", "struct opaque is used but never defined"),
    ("\treturn sizeof(struct opaque);\n", "sizeof", "struct opaque is used but never defined"),
    ("\tstruct opaque (*pa)[2] = NULL;\n\n\treturn pa == NULL;\n", "(*pa)", "used but never defined"),
    # typeof(*p) names the struct itself: gcc, "storage size of 'x' isn't known" (before: declared, and ran)
    ("\ttypeof(*gp) x;\n\n\treturn 0;\n", "typeof", "the variable 'x' needs its definition"),
    ("\ttypeof(*gp) xs[2];\n\n\treturn 0;\n", "typeof", "the variable 'xs' needs its definition"),
    ("\treturn sizeof(typeof(*gp));\n", "sizeof", "sizeof needs its definition"),
])
def test_what_needs_the_definition_is_refused_at_its_line(body: str, needle: str, says: str) -> None:
    code = PRE + ENTRY + body + "}\n"
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert f"{PATH}:{line_of(code, needle)}: " in (out.error or "") and says in (out.error or ""), out.error


def test_a_struct_a_pointer_names_and_a_file_defines_is_the_struct() -> None:
    # Defined after the pointer's declaration: the struct itself, its members reached.
    code = "struct later;\nstatic struct later *lp;\nstruct later { int v; };\nstatic struct later one = { 7 };\n" \
        + ENTRY + "\tlp = &one;\n\treturn lp->v + sizeof(*lp);\n}\n"
    out = run(code)
    assert (out.status, out.ret) == ("ok", 11), out.error


def test_items_sharing_a_line_are_each_found_at_their_line_and_column() -> None:
    lines = ["typedef struct n n_t; struct n { int v; };", "int a; static int b = 2,", "  c; int f(void) { return 1; }"]
    got = [(d.kind, d.name, d.line, len(d.text) - len(d.text.lstrip())) for d in slice_fragment(lines, "x.c", 10)]
    assert got == [(Kind.TYPEDEF, "n_t", 10, 0), (Kind.STRUCT, "n", 10, 22), (Kind.VARIABLE, "a", 11, 0),
                   (Kind.VARIABLE, "b", 11, 7), (Kind.VARIABLE, "c", 11, 7), (Kind.FUNCTION, "f", 12, 5)], got


@needs_cc
@pytest.mark.parametrize("first", ["struct one;", "struct one { int a; };"])
def test_a_pointer_to_one_struct_made_a_pointer_to_another_is_refused_as_gcc_refuses_it(tmp_path: Path,
                                                                                        first: str) -> None:
    # The kernel's -Werror=incompatible-pointer-types: gcc does not build it, defined or not. Before: the mirror ran it.
    decls = f"{first}\nstruct two {{ int b; }};\n"
    body = "\tstruct one *p = NULL;\n\tstruct two *q = p;\n\n\treturn q == NULL;\n"
    out = run(decls + ENTRY + body + "}\n")
    assert (out.status, out.error_kind) == ("error", "build"), (out.status, out.error)
    assert "initialization from incompatible pointer type: struct one * for struct two *" in (out.error or "")
    src = tmp_path / "t.c"
    src.write_text(decls + "int f(void)\n{\n" + body + "}\n")
    cc = shutil.which("cc") or shutil.which("gcc")
    assert cc is not None
    built = subprocess.run([cc, "-std=gnu11", "-Werror=incompatible-pointer-types", "-c", "-o", str(tmp_path / "t.o"),
                            str(src)], capture_output=True, text=True)
    assert built.returncode != 0 and "incompatible pointer type" in built.stderr, built.stderr
    # through void *, or cast, it builds and runs
    ok = "\tstruct one *p = NULL;\n\tvoid *v = p;\n\tstruct two *q = v, *r = (struct two *)p;\n\n\treturn q == r;\n"
    assert (run(decls + ENTRY + ok + "}\n").ret) == 1


def test_macro_invocations_and_assertions_sharing_a_line_are_each_read_as_one_alone_is() -> None:
    # Before: both read as one prototype named DEFINE_PER_CPU (then as two), defining no per-CPU variable.
    lines = ["DEFINE_PER_CPU(u64, pa); DEFINE_PER_CPU(u64, pb);", "static_assert(1); static_assert(2);"]
    got = [(d.kind, d.name, d.line) for d in slice_fragment(lines, "x.c", 1)]
    assert got == [(Kind.INVOCATION, "DEFINE_PER_CPU", 1)] * 2 + [(Kind.ASSERT, "<static_assert>", 2)] * 2, got
    out = run(lines[0] + "\n" + ENTRY + "\tthis_cpu_write(pa, 3);\n\tthis_cpu_add(pb, 4);\n\n"
              "\treturn this_cpu_read(pa) * 10 + this_cpu_read(pb);\n}\n")
    assert (out.status, out.ret) == ("ok", 34), out.error
    asserts = "static_assert(sizeof(u64) == 8); static_assert(sizeof(u32) == 8, \"u32\");\n"
    out = run(asserts + ENTRY + "\treturn 7;\n}\n")
    assert (out.status, out.error) == ("error", f"{PATH}:1: static assertion failed: u32"), out.error

"""A noinline function is one copy of its code: its WARN_ON_ONCE() warns once across all its callers, as gcc builds it.

x86's WARN_ON_ONCE() keeps its once flag in the bug_entry gcc emits with each copy of the code (models.onceunits). An
inline helper reached from two calls may be two copies (refused: gcc's inliner decides); a noinline one is emitted
once and called from both, which the kernel's -O2 build keeps (-fipa-cp-clone, which may clone it, is -O3's). The
copies are counted in gcc's own objects: one bug-table entry per copy of the asm that makes it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import RunRequest, load_mirror
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

CC = shutil.which("cc") or shutil.which("gcc")
needs_cc = pytest.mark.skipif(CC is None, reason="no C compiler")

# The helper's WARN_ON_ONCE(), reached true from two call sites of one function, the helper spelt each way the kernel
# (include/linux/compiler_attributes.h, compiler_types.h) or gcc does.
_TWO_CALLS = """\
static {attr} int sc_check(u64 r)
{{
	return WARN_ON_ONCE(r != 0);
}}

static long long busy(u64 fn, struct tdx_module_args *args)
{{
	u64 r = __seamcall(fn, args);
	int n = sc_check(r);

	n += sc_check(r) * 10;
	return n;
}}
"""
_NOINLINE = ("noinline", "noinline_for_stack", "noinstr", "__attribute__((__noinline__))", "__attribute__((noipa))")


@needs_cc
@pytest.mark.parametrize("attr", _NOINLINE)
def test_a_noinline_helper_warns_once_across_its_callers_as_gcc_runs_it(tmp_path: Path, attr: str) -> None:
    # Before: refused, 'WARN_ON_ONCE() true again, here through other calls than when it warned'.
    result = agrees_with_gcc(tmp_path, "ni", "demo/ni.h", _TWO_CALLS.format(attr=attr), 0x8000FF000000000D, (0, 11))
    big = result.outcome("ni", "busy/ONE/big/demo.c")
    assert [e.where for e in big.events if e.kind == "warning"] == ["demo/ni.h:3"], big.events


def test_an_inline_helper_reached_twice_is_still_refused() -> None:
    # (an __always_inline one warns in each copy: tests/models/test_warn_on_once_copies.py)
    for attr in ("inline", ""):
        out = run(_TWO_CALLS.format(attr=attr).replace("static long long busy", "long long f"),
                  script=(0x8000FF000000000D,))
        assert out.status == "error" and "WARN_ON_ONCE() true again" in (out.error or ""), (attr, out.error)


def test_noinline_in_a_prototype_alone_counts_and_a_comment_does_not() -> None:
    code = _TWO_CALLS.format(attr="").replace("static long long busy", "long long f")
    out = run("static noinline int sc_check(u64 r);\n" + code, script=(0x8000FF000000000D,))
    assert (out.status, out.ret) == ("ok", 11), out.error
    out = run("/* not noinline */\n" + code, script=(0x8000FF000000000D,))
    assert out.status == "error", out.ret


def test_a_name_two_files_define_is_one_copy_only_where_both_are_noinline() -> None:
    # Each .c file's static sc_check() is its own function; the run reaches b.c's from two calls. Where a.c's alone
    # is noinline, the C name does not tell the copies apart: refused as an inline helper is.
    b = ("static {attr} int sc_check(u64 r)\n{{\n\treturn WARN_ON_ONCE(r != 0);\n}}\n"
         "long f(u64 fn, struct tdx_module_args *args)\n{{\n\tu64 r = __seamcall(fn, args);\n\n"
         "\tint n = sc_check(r);\n\n\treturn n + sc_check(r) * 10;\n}}\n")
    a = "static noinline int sc_check(u64 r)\n{\n\treturn WARN_ON_ONCE(r == 5);\n}\nint a_use(void)\n{\n" \
        "\treturn sc_check(1);\n}\n"
    for attr, status in (("noinline", "ok"), ("inline", "error")):
        files = {"d/a.c": a, "d/b.c": b.format(attr=attr)}
        sources = tuple(Source(p, ((1, tuple(t.split("\n"))),), True) for p, t in files.items())
        out = load_mirror(sources, (EntryPoint("f", ("fn", "args")), EntryPoint("a_use", ()))).run(
            RunRequest("f", 0, (Answer(0x8000FF000000000D),)))
        assert out.status == status, (attr, out.error)


# The copies gcc emits, counted as x86's __WARN_FLAGS() makes them: an asm that puts an entry in __bug_table for
# each copy of the code it is in (arch/x86/include/asm/bug.h _BUG_FLAGS), read back through the section's bounds.
_BUG_TABLE = r"""
#define WARN_ON_ONCE(c) ({ int __c = !!(c); if (__builtin_expect(__c, 0)) \
	asm volatile("1:\n.pushsection __bug_table,\"aw\"\n.long 1b - .\n.popsection"); __c; })
#define noinline __attribute__((__noinline__))
#define __always_inline inline __attribute__((__always_inline__))
extern const int __start___bug_table[], __stop___bug_table[];
int printf(const char *, ...);
unsigned long long answer(unsigned long long fn) { return fn * 3; }

static ATTR int sc_check(unsigned long long fn, int mode)
{
	unsigned long long r = answer(fn);

	if (mode == 3)
		r += 7;
	return WARN_ON_ONCE(r != 0);
}

__attribute__((__noinline__)) int one(unsigned long long a) { return sc_check(a, 3); }
__attribute__((__noinline__)) int two(unsigned long long a) { return sc_check(a, 0) + sc_check(a + 1, 0); }
int main(void) { printf("%d\n", (int)(__stop___bug_table - __start___bug_table) + one(0) + two(0) * 0); return 0; }
"""


@needs_cc
@pytest.mark.parametrize("opt", ["-O2", "-Os"])
def test_gcc_emits_one_copy_of_a_noinline_function_and_one_per_inlined_call(tmp_path: Path, opt: str) -> None:
    counts = {}
    for attr in ("noinline", "__always_inline"):
        (tmp_path / "b.c").write_text(_BUG_TABLE.replace("ATTR", attr))
        exe = tmp_path / "b"
        subprocess.run([str(CC), opt, "-o", str(exe), str(tmp_path / "b.c")], check=True, capture_output=True)
        counts[attr] = int(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout) - 1
    assert counts == {"noinline": 1, "__always_inline": 3}, counts

"""Two calls of one inline helper on one line are two copies of its code: its WARN_ON_ONCE() may warn in each.

x86's WARN_ON_ONCE() keeps its once flag per copy of the code gcc emits (models.onceunits). The copy a run is in was
told by the call sites that lead to it, each ``file:line``: two calls on one line (``a(r) ?: a(r)``, ``a(r) + a(r)``,
a macro calling twice) were one copy, so the second call stayed silent where gcc's second copy warns again, and a
patch changing only the second call's argument (``a(r) ?: a(0)`` made ``a(r) ?: a(r)``) compared "the same" (an
equivalence rule passed, READY). A call site now carries its column: the second call is another copy, refused as
two calls on two lines are (whether gcc inlined both is its own choice). gcc -O2 counts the copies here."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.variantgen import RETRY_C, tree_rule_gate
from tests.models.cprog import run

GCC = shutil.which("gcc")
needs_gcc = pytest.mark.skipif(GCC is None, reason="gcc is not installed")

# The helper and a caller whose one line calls it twice (SECOND), as the mirror runs it (f is the entry point).
_CODE = """\
#define TWICE(x) (sc_check(x) + sc_check(x))
static ATTR int sc_check(u64 x)
{
	CHECK;
	return 0;
}
long long f(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	int (*p)(u64) = sc_check;
	long long ret = SECOND;

	return ret;
}
"""
# The same in plain C for gcc, x86's per-copy flag made as __WARN_FLAGS(BUGFLAG_ONCE) makes it: an asm that lays
# down a flag byte of its own in each copy of the code gcc emits (arch/x86/include/asm/bug.h, lib/bug.c report_bug()).
_NATIVE = r"""
#include <stdio.h>
typedef unsigned long long u64;
static int warnings;
#define WARN_ON_ONCE(c) ({ int __c = !!(c); if (__builtin_expect(__c, 0)) { unsigned char *__f; \
	asm volatile("lea 2f(%%rip), %0\n.pushsection .data\n2: .byte 0\n.popsection" : "=r"(__f)); \
	if (!*__f) { *__f = 1; warnings++; } } __c; })
#undef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
"""
_MAIN = ('__attribute__((__noinline__)) long long g(u64 r)\n{\n\tint (*p)(u64) = sc_check;\n'
         '\tlong long ret = SECOND;\n\n\treturn ret;\n}\nint main(void)\n{\n\tlong long r = g(5);\n\n'
         '\tprintf("%lld %d\\n", r, warnings);\n\treturn 0;\n}\n')
_ONE_COPY = "sc_check(r) ?: sc_check(0)"  # the second call's argument is 0: it does not warn
_TWO_CALLS = ("sc_check(r) ?: sc_check(r)", "sc_check(r) + sc_check(r)", "p(r) + p(r)", "TWICE(r)",
              "sc_check(r) + p(r)")
_WARN = "WARN_ON_ONCE(x != 0)"


def _gcc_warnings(tmp: Path, attr: str, second: str) -> tuple[int, int]:
    """What gcc -O2's build of the helper and the line returns and how many warnings it printed, for r = 5."""
    helper = _CODE.split("long long f(")[0].replace("ATTR", attr).replace("CHECK", _WARN)
    src, exe = tmp / "w.c", tmp / "w"
    src.write_text(_NATIVE + helper + _MAIN.replace("SECOND", second))
    subprocess.run([str(GCC), "-O2", "-o", str(exe), str(src)], check=True, capture_output=True)
    ret, count = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()
    return int(ret), int(count)


@needs_gcc
@pytest.mark.parametrize("attr", ["__always_inline", "inline"])
def test_gcc_warns_once_per_call_on_one_line(tmp_path: Path, attr: str) -> None:
    assert _gcc_warnings(tmp_path, attr, _ONE_COPY) == (0, 1)
    for second in _TWO_CALLS:
        assert _gcc_warnings(tmp_path, attr, second) == (0, 2), second


@pytest.mark.parametrize("attr", ["__always_inline", "inline", ""])
def test_a_second_call_on_the_line_is_another_copy(attr: str) -> None:
    code = _CODE.replace("ATTR", attr).replace("CHECK", _WARN)
    out = run(code.replace("SECOND", _ONE_COPY), script=(0x8000FF000000000D,))
    assert (out.status, out.ret, [e.kind for e in out.events]) == ("ok", 0, ["warning"]), out.error  # gcc's (0, 1)
    for second in _TWO_CALLS:
        out = run(code.replace("SECOND", second), script=(0x8000FF000000000D,))
        if attr == "__always_inline":  # gcc inlines it at each call: gcc's (0, 2), as run (refused before)
            assert (out.status, out.ret, [e.kind for e in out.events]) == ("ok", 0, ["warning", "warning"]), second
            continue
        # Before: ok, one warning (gcc's build warns twice).
        assert out.status == "error" and "WARN_ON_ONCE() true again" in (out.error or ""), (second, out.error)
        assert "sc_check() called at test/prog.c:11" in (out.error or ""), out.error


def test_a_lockdep_assertion_of_a_second_call_on_the_line_is_another_copy() -> None:
    code = _CODE.replace("ATTR", "inline").replace("CHECK", "lockdep_assert_preemption_disabled()")
    out = run(code.replace("SECOND", "sc_check(r) + sc_check(r)"), script=(0,))
    assert out.status == "error" and "WARN_ON_ONCE() true again" in (out.error or ""), out.error


def test_the_same_call_again_in_a_loop_stays_silent() -> None:
    code = _CODE.replace("ATTR", "inline").replace("CHECK", _WARN)
    code = code.replace("\tlong long ret = SECOND;\n", "\tlong long ret = 0;\n\tint i;\n\n"
                                                       "\tfor (i = 0; i < 3; i++)\n\t\tret += sc_check(r) + 1;\n")
    out = run(code, script=(0x8000FF000000000D,))
    assert (out.status, out.ret, [e.kind for e in out.events]) == ("ok", 3, ["warning"]), out.error


# The demo helpers with a check called twice on one line (LINE), its value left unused: no condition changes.
_CHECKED = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu").replace(
    "static inline int demo_prerr", "static inline int demo_check(u64 x)\n{\n\tWARN_ON_ONCE(x != 0);\n"
                                    "\treturn 0;\n}\n\nstatic inline int demo_prerr").replace(
    "\tu64 ret = demo_retry(fn, args);\n", "\tu64 ret = demo_retry(fn, args);\n\n\tLINE\n")


@pytest.mark.parametrize("line", ["(void)(demo_check(ret) ?: demo_check(X));", "demo_check(ret); demo_check(X);"])
def test_a_patch_changing_the_second_call_on_a_line_is_not_the_same(tmp_path: Path, line: str) -> None:
    # The second call's argument 0 made ret: gcc's build of the 'fail' script's run warns once before and twice after
    # (test_gcc_warns_once_per_call_on_one_line). Before: the equivalence rule passed, 'compared ..., all the same'.
    before, after = (_CHECKED.replace("LINE", line.replace("X", x)) for x in ("0", "ret"))
    v = tree_rule_gate(tmp_path, before, after)
    assert v.status is VerdictStatus.INCONCLUSIVE, v.note
    assert "cannot run demo_prerr() in v1: demo/h.h:15: WARN_ON_ONCE() true again" in v.note, v.note

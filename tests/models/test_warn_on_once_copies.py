"""WARN_ON_ONCE() keeps its once flag per copy of the code gcc emits (x86's __WARN_FLAGS), not in a C static.

x86 builds WARN_ON_ONCE() (and the lockdep_assert_*() made of it) on __WARN_FLAGS(BUGFLAG_ONCE): the flag lives in
the bug_entry of its ud2 (lib/bug.c report_bug()), and gcc emits one per copy of the code, so an inline helper's
warns once per place it is inlined. The mirror kept one flag per site (a C static, as WARN_ONCE()'s
DO_ONCE_LITE_IF() is): an `__always_inline` helper reached true from two calls warned once where the kernel warns
twice, and a variant inlining a helper it did not before compared "the same". Now a site true again through other
calls than when it warned is refused (gcc's inliner decides), unless the functions between cannot have been
inlined (defined in another .c file); the same calls again (a loop) stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Outcome, RunRequest, load_mirror
from models.native.run import find_compiler
from tests.models.cprog import run
from tests.models.probegroup import group_result

_TWICE = """\
static __always_inline int sc_check(u64 r)
{
	return %s;
}
long long f(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	int n = sc_check(r);

	n += sc_check(r) * 10;
	return n;
}
"""
_CHECKS = {
    "WARN_ON_ONCE": ("WARN_ON_ONCE(r != 0)", "warning"),
    "lockdep": ("({ lockdep_assert_preemption_disabled(); (int)(r != 0); })", "violation"),
}


@pytest.mark.parametrize("check", sorted(_CHECKS))
def test_a_site_true_again_through_other_calls_is_refused(check: str) -> None:
    body, kind = _CHECKS[check]
    out = run((_TWICE % body).replace("__always_inline", "inline"), script=(0x8000FF000000000D,))
    # Before: status ok, one event (the kernel's two inlined copies warn twice).
    assert out.status == "error" and out.error_kind == "unsupported", (out.status, out.error)
    assert "test/prog.c:3: WARN_ON_ONCE() true again" in (out.error or "")
    assert "sc_check() called at test/prog.c:10" in (out.error or "")
    assert "per copy of the code gcc emits" in (out.error or "")
    assert [e.kind for e in out.events if e.kind == kind] == [kind]


def test_the_same_calls_again_stay_silent() -> None:
    code = _TWICE.replace("\tint n = sc_check(r);\n\n\tn += sc_check(r) * 10;\n",
                          "\tint i, n = 0;\n\n\tfor (i = 0; i < 3; i++)\n\t\tn = n * 10 + sc_check(r);\n")
    out = run(code % _CHECKS["WARN_ON_ONCE"][0], script=(0x8000FF000000000D,))
    assert out.status == "ok", out.error
    assert out.ret == 111
    assert [e.where for e in out.events if e.kind == "warning"] == ["test/prog.c:3"]


def test_warn_once_keeps_its_c_static() -> None:
    # WARN_ONCE() is DO_ONCE_LITE_IF(): one static per function, whatever copies gcc makes.
    out = run(_TWICE % 'WARN_ONCE(r != 0, "bad %llx\\n", r)', script=(0x8000FF000000000D,))
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["bad 8000ff000000000d"]


def _files(files: dict[str, str]) -> Outcome:
    sources = tuple(Source(p, ((1, tuple(t.split("\n"))),), True) for p, t in files.items())
    return load_mirror(sources, (EntryPoint("f", ("fn", "args")),)).run(RunRequest("f", 0, (Answer(0),)))


def test_a_function_of_another_unit_is_one_copy() -> None:
    # a_check() is a.c's, called from b.c: gcc cannot inline it there, so both calls reach its one copy.
    a = "int a_check(int n)\n{\n\treturn WARN_ON_ONCE(n > 0);\n}\n"
    b = ("int a_check(int n);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
         "\treturn a_check(1) + a_check(2) * 10;\n}\n")
    out = _files({"d/a.c": a, "d/b.c": b})
    assert out.status == "ok", out.error
    assert out.ret == 11
    assert [e.where for e in out.events if e.kind == "warning"] == ["d/a.c:3"]


@pytest.mark.parametrize("check", sorted(_CHECKS))
def test_an_always_inline_helper_warns_once_per_call_site(check: str) -> None:
    # gcc inlines an __always_inline function at every call: two copies, two flags (before: refused as the inline
    # helper above is; tests/models/test_callsite_copies_gcc.py counts gcc's warnings)
    body, kind = _CHECKS[check]
    out = run(_TWICE % body, script=(0x8000FF000000000D,))
    assert out.status == "ok", out.error
    assert [e.where for e in out.events if e.kind == kind] == ["test/prog.c:3", "test/prog.c:3"]


_PIECES = r"""
static __always_inline int pw_chk(u64 v)
{
	if (WARN_ON_ONCE(v > 3))
		return -EINVAL;
	lockdep_assert_irqs_disabled();
	return 0;
}

static long long pw_ai_sites(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int i, n = (int)(err & 3) + 2, r = pw_chk(err + 5);

	for (i = 0; i < n; i++)
		r = r * 3 + pw_chk(err + i);
	return r * 7 + pw_chk(err + 6);
}
"""


def test_always_inline_copies_warn_and_are_not_compared_with_one_static(tmp_path: Path) -> None:
    # three places pw_chk() is inlined at (the loop's one copy warns once): each warns and asserts once; the
    # crosscheck's native build keeps one C static per site, so the run is left out of its comparison, not a
    # disagreement (tests/models/test_callsite_copies_gcc.py counts the kernel's per-copy flags with gcc)
    result = group_result(tmp_path, "ai", "demo/ai.h", _PIECES)
    out = result.outcome("ai", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [e.kind for e in out.events].count("warning") == 3, out.events
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])

"""Export rules never rest on lines nobody saw.

Export rules never rest on lines nobody saw: macros a file known only from hunks may define in the lines no
hunk shows, and #if branches the preprocessor certainly drops."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.cppcond import Conditions, decide
from harness.cppscan import Macro, Tok, tokens
from harness.exports import scan_variant
from harness.filestate import FileState, full_file
from harness.pipeline import EvalRequest, evaluate
from harness.variants import Variant
from harness.verdict import Verdict
from tests.gitoracle import init_repo
from tests.harness.exportgen import MATRIX, base_file, one_patch, rule

NO_NEW = 'no_new_exports = true\nreference = "before:patch"'
GPL_ONLY = 'exports_only = ["EXPORT_SYMBOL_GPL"]\nreference = "before:patch"'
PATH = "demo/old.c"


def _judge(tmp: Path, old: str, new: str, check: str, tree: bool = False) -> Verdict:
    """The rule (on patch 'change the old code') judging v1 of a one-patch series changing PATH from ``old`` to
    ``new``; with ``tree``, a git tree holding ``old`` as the base."""
    tmp.mkdir(parents=True, exist_ok=True)
    box = one_patch(tmp, {PATH: old}, {PATH: new})
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(rule(check, title="change the old code"))
    repo = init_repo(tmp / "linux", {PATH: old}) if tree else None
    ev = evaluate(EvalRequest((box,), variants=("v1", "v1:00"), rules=tmp / "r.toml", matrix=tmp / "m.toml",
                              tree=repo))
    assert ev.judgement is not None
    return ev.judgement.rows[0].verdicts["v1"]


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


# -- E1d: a kernel export macro redefined in lines no hunk shows ------------------------------------------------

@pytest.mark.parametrize(("top", "licence_kept"), [
    ("#undef EXPORT_SYMBOL_GPL\n#define EXPORT_SYMBOL_GPL(x) EXPORT_SYMBOL(x)\n", False),
    ('#undef _EXPORT_SYMBOL\n#define _EXPORT_SYMBOL(sym, license) __EXPORT_SYMBOL(sym, "", "")\n', False),
    ("", True),  # nothing redefined: without the tree that cannot be known either
])
def test_a_flavour_resting_on_unseen_lines_is_inconclusive(tmp_path: Path, top: str, licence_kept: bool) -> None:
    old = base_file(top)
    new = old + "EXPORT_SYMBOL_GPL(demo_7);\n"
    at = f"{PATH}:{_line_of(new, 'EXPORT_SYMBOL_GPL(demo_7);')}"
    got = _judge(tmp_path / "mail", old, new, GPL_ONLY)
    assert got.status == "inconclusive", got  # it passed: EXPORT_SYMBOL_GPL read as the kernel defines it
    assert f"demo_7 (EXPORT_SYMBOL_GPL at {at}): its licence and modules rest on the definition of " \
           "EXPORT_SYMBOL_GPL, which lines of demo/old.c before line" in got.note, got.note
    assert "give --tree" in got.note
    # With the tree the whole file is read: what the preprocessor makes of it decides.
    got = _judge(tmp_path / "tree", old, new, GPL_ONLY, tree=True)
    assert got.status == ("pass" if licence_kept else "fail"), got
    if not licence_kept:
        assert got.evidence[0].where == at and "(any licence" in got.evidence[0].actual, got.evidence


def test_no_new_exports_still_fails_on_a_new_kernel_export_in_a_fragment(tmp_path: Path) -> None:
    old = base_file()
    got = _judge(tmp_path, old, old + "EXPORT_SYMBOL_GPL(demo_7);\n", NO_NEW)
    assert got.status == "fail", got


# -- E5a: a macro of the file's own, defined in lines no hunk shows ---------------------------------------------

def test_a_new_invocation_of_a_macro_no_line_read_defines_is_inconclusive(tmp_path: Path) -> None:
    old = base_file("#define DEMO_PUBLIC(s) EXPORT_SYMBOL(s)\n")
    new = old + "DEMO_PUBLIC(demo_7);\n"
    at = f"{PATH}:{_line_of(new, 'DEMO_PUBLIC(demo_7);')}"
    got = _judge(tmp_path / "mail", old, new, NO_NEW)
    assert got.status == "inconclusive", got  # it passed: DEMO_PUBLIC was nothing the scan knew
    assert f"DEMO_PUBLIC() at {at} is defined in no line read and not a kernel macro known never to export: " \
           "what it makes, an export or not, is not known (give --tree)" in got.note, got.note
    got = _judge(tmp_path / "tree", old, new, NO_NEW, tree=True)
    assert got.status == "fail" and got.evidence[0].where == at, got


def test_a_macro_defined_in_an_earlier_hunk_may_be_redefined_between(tmp_path: Path) -> None:
    old = base_file()
    quiet = "#define DEMO_QUIET(s) static int s\n"
    # Defined in the same run of known lines as its use: known.
    got = _judge(tmp_path / "same", old, old + quiet + "DEMO_QUIET(demo_9);\n", NO_NEW)
    assert got.status == "pass", got
    # Defined near the top, used at the end: the lines between are no hunk's.
    new = old.replace("#include <linux/export.h>\n", "#include <linux/export.h>\n" + quiet) + "DEMO_QUIET(demo_9);\n"
    got = _judge(tmp_path / "apart", old, new, NO_NEW)
    assert got.status == "inconclusive", got
    assert "DEMO_QUIET() at demo/old.c:" in got.note and "is defined at demo/old.c:3, and lines no hunk shows " \
                                                         "lie between" in got.note, got.note


def test_kernel_macros_that_never_export_leave_the_rule_conclusive(tmp_path: Path) -> None:
    old = base_file()
    quiet = 'static DEFINE_MUTEX(demo_lock);\nmodule_init(demo_0);\nMODULE_LICENSE("GPL");\n__printf(1, 2) ' \
            'int demo_log(const char *fmt, ...);\nstatic int __init demo_x(void);\n'
    assert _judge(tmp_path / "quiet", old, old + quiet, NO_NEW).status == "pass"
    # A kernel macro the table lacks cannot be told from the file's own: the safe answer.
    got = _judge(tmp_path / "lacking", old, old + "DEFINE_STATIC_SRCU(demo_srcu);\n", NO_NEW)
    assert got.status == "inconclusive" and "DEFINE_STATIC_SRCU() at demo/old.c:" in got.note, got


def test_calls_in_a_function_body_and_rows_in_braces_are_not_file_scope(tmp_path: Path) -> None:
    calls = "void demo_calls(void)\n{\n" + "".join(f"\tdemo_a({n});\n" for n in range(1, 10)) + "}\n"
    rows = "static const int demo_rows[] = {\n" + "".join(f"DEMO_ROW({n})\n" for n in range(1, 10)) + "};\n"
    old = base_file(tail=calls + "\n" + rows)
    new = old.replace("\tdemo_a(5);\n", "\tdemo_b(5);\n").replace("DEMO_ROW(8)\n", "DEMO_ROW(8)\nDEMO_ROW(80)\n")
    got = _judge(tmp_path, old, new, NO_NEW)
    assert got.status == "pass", got


def test_an_invocation_the_reference_shows_too_is_not_new(tmp_path: Path) -> None:
    old = base_file("#define DEMO_PUBLIC(s) EXPORT_SYMBOL(s)\n", tail="DEMO_PUBLIC(demo_7);\n")
    new = old.replace("return 7;", "return 70;")
    got = _judge(tmp_path, old, new, NO_NEW)
    assert got.status == "pass", got


def test_the_scan_lists_file_scope_invocations_of_a_fragment() -> None:
    lines = ["}", "", "DEMO_A(x);", "static DEMO_B(y) = 1;", "\tDEMO_C(z);", "int demo_f(int a)", "{",
             "\tDEMO_D(a);", "}", "DEMO_E(w)"]
    f = FileState("d/f.c", False, {40 + n: (t, "t") for n, t in enumerate(lines)}, None, ("t",))
    scan = scan_variant(Variant("v", "t", (f,), (), (), (), "t"))
    assert [(u.name, u.text, u.place) for u in scan.unseen] == [
        ("DEMO_A", "DEMO_A(x)", "d/f.c:42"), ("DEMO_B", "DEMO_B(y)", "d/f.c:43"), ("DEMO_E", "DEMO_E(w)", "d/f.c:49")]


def test_an_assembler_fragment_counts_every_invocation_starting_a_line() -> None:
    lines = ["SYM_FUNC_START(demo_asm)", "\tmovq %rdi, %rax", "\tret", "SYM_FUNC_END(demo_asm)",
             "DEMO_PUBLIC(demo_asm)", "\tDEMO_INNER(x)"]
    f = FileState("d/f.S", False, {20 + n: (t, "t") for n, t in enumerate(lines)}, None, ("t",))
    scan = scan_variant(Variant("v", "t", (f,), (), (), (), "t"))
    assert [(u.name, u.place) for u in scan.unseen] == [("DEMO_PUBLIC", "d/f.S:24")]


# -- E2b: #if the preprocessor decides ----------------------------------------------------------------------------

def _symbols(text: str, path: str = "d/a.c") -> set[str]:
    return {e.symbol for e in scan_variant(Variant("v", "t", (full_file(path, text, "t"),), (), (), (), "t")).exports}


# Each text with the symbols some configuration exports; every condition here but CONFIG_DEMO is certain.
IFS = [
    ("#if 0\nEXPORT_SYMBOL(a);\n#endif\nEXPORT_SYMBOL(b);\n", {"b"}),
    ("#if 1\nEXPORT_SYMBOL(a);\n#else\nEXPORT_SYMBOL(b);\n#endif\n", {"a"}),
    ("#if 0\nEXPORT_SYMBOL(a);\n#elif 1\nEXPORT_SYMBOL(b);\n#else\nEXPORT_SYMBOL(c);\n#endif\n", {"b"}),
    ("#define DEMO_ON\n#ifdef DEMO_ON\nEXPORT_SYMBOL(a);\n#else\nEXPORT_SYMBOL(b);\n#endif\n", {"a"}),
    ("#undef DEMO_OFF\n#ifdef DEMO_OFF\nEXPORT_SYMBOL(a);\n#endif\n#if !defined(DEMO_OFF) && 1\nEXPORT_SYMBOL(b);\n"
     "#endif\n", {"b"}),
    ("#define DEMO_LEVEL 0\n#if DEMO_LEVEL || 0\nEXPORT_SYMBOL(a);\n#endif\n", set()),
    ("#if 0 && defined(CONFIG_DEMO)\nEXPORT_SYMBOL(a);\n#endif\n#if 1 || CONFIG_DEMO\nEXPORT_SYMBOL(b);\n#endif\n",
     {"b"}),
    ("#if 0\n#define W(s) EXPORT_SYMBOL(s)\n#else\n#define W(s)\n#endif\nW(a);\n", set()),
    ("#if 0\n#if CONFIG_DEMO\nEXPORT_SYMBOL(a);\n#else\nEXPORT_SYMBOL(b);\n#endif\n#endif\nEXPORT_SYMBOL(c);\n", {"c"}),
    # Not certain: some configuration builds each branch.
    ("#ifdef CONFIG_DEMO\nEXPORT_SYMBOL(a);\n#else\nEXPORT_SYMBOL(b);\n#endif\n", {"a", "b"}),
    ("#if CONFIG_DEMO\nEXPORT_SYMBOL(a);\n#elif 1\nEXPORT_SYMBOL(b);\n#else\nEXPORT_SYMBOL(c);\n#endif\n", {"a", "b"}),
    ("#define DEMO_ON\n#include <linux/demo.h>\n#ifdef DEMO_ON\nEXPORT_SYMBOL(a);\n#else\nEXPORT_SYMBOL(b);\n"
     "#endif\n", {"a", "b"}),  # a header no one read may #undef it
    ("#ifdef CONFIG_DEMO\n#define DEMO_ON\n#endif\n#ifdef DEMO_ON\nEXPORT_SYMBOL(a);\n#endif\n", {"a"}),
]


@pytest.mark.parametrize(("text", "want"), IFS)
def test_an_export_the_preprocessor_certainly_drops_is_no_export(text: str, want: set[str]) -> None:
    assert _symbols(text) == want


def test_a_header_s_certain_branches_are_decided_too() -> None:
    header = ("#ifndef DEMO_H\n#define DEMO_H\n#if 0\n#define WRAP(s) EXPORT_SYMBOL(s)\n#else\n#define WRAP(s)\n"
              "#endif\n#define DEMO_ON 1\n#endif\n")
    code = '#include "demo.h"\nWRAP(a);\n#if DEMO_ON\nEXPORT_SYMBOL(b);\n#else\nEXPORT_SYMBOL(c);\n#endif\n'
    v = Variant("v", "t", (full_file("d/a.c", code, "t"), full_file("d/demo.h", header, "t")), (), (), (), "t")
    assert {e.symbol for e in scan_variant(v).exports} == {"b"}


def test_an_export_under_if_0_added_to_a_fragment_is_no_new_export(tmp_path: Path) -> None:
    old = base_file()
    got = _judge(tmp_path, old, old + "#if 0\nEXPORT_SYMBOL(demo_7);\n#endif\n", NO_NEW)
    assert got.status == "pass", got  # it failed: gcc builds nothing under #if 0


def test_a_fragment_decides_only_within_its_run_of_known_lines() -> None:
    # The #endif of a hunk's '#if 0' may lie in the lines no hunk shows: a later run is built in some case.
    lines = {10: ("#if 0", "t"), 11: ("EXPORT_SYMBOL(a);", "t"), 30: ("EXPORT_SYMBOL(b);", "t"),
             31: ("#endif", "t"), 32: ("#ifdef DEMO_X", "t"), 33: ("EXPORT_SYMBOL(c);", "t")}
    f = FileState("d/f.c", False, lines, None, ("t",))
    assert {e.symbol for e in scan_variant(Variant("v", "t", (f,), (), (), (), "t")).exports} == {"b", "c"}


def _tok(text: str) -> list[Tok]:
    return tokens(text)


def test_conditions_are_decided_in_three_values() -> None:
    on = Macro("ON", None, ())
    known = {"ON": on, "OFF": None, "ONE": Macro("ONE", None, tuple(tokens("1")))}
    for text, want in [("0", False), ("1", True), ("0x10", True), ("ON", None), ("ONE", True), ("OFF", False),
                       ("defined(ON)", True), ("defined OFF", False), ("defined(X)", None), ("!defined(OFF)", True),
                       ("X && 0", False), ("X || 1", True), ("X || 0", None), ("IS_ENABLED(CONFIG_X) && 0", False),
                       ("(1 || X) && !0", True), ("X == 1", None), ("0 &&", None), ("'a'", None)]:
        assert decide("if", _tok(text), known) is want, text
    assert decide("ifdef", _tok("ON"), known) is True and decide("ifndef", _tok("OFF"), known) is True
    assert decide("ifdef", _tok("CONFIG_X"), known) is None
    conds = Conditions()
    assert conds.directive("else", [], known) and known == {}  # an #else of an #if no line read shows


# -- the oracle: gcc builds what the scan says is built -------------------------------------------------------------

_EXPORT_H = r"""
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define ___EXPORT_SYMBOL(sym, license, ns) .section ".export_symbol","a" ; __export_symbol_##sym: ; \
	.asciz license ; .asciz ns ; .balign 8 ; .quad sym ; .previous
#define __EXPORT_SYMBOL(sym, license, ns) extern typeof(sym) sym; asm(__stringify(___EXPORT_SYMBOL(sym, license, ns)))
#define EXPORT_SYMBOL(sym) __EXPORT_SYMBOL(sym, "", "")
"""


def _gcc_exports(tmp: Path, text: str, defines: tuple[str, ...] = ()) -> set[str]:
    body = text.replace("#include <linux/demo.h>\n", "")
    src = tmp / "t.c"
    src.write_text(_EXPORT_H + "int a, b, c;\n" + body)
    subprocess.run(["gcc", *defines, "-c", str(src), "-o", str(tmp / "t.o")], check=True)
    nm = subprocess.run(["nm", str(tmp / "t.o")], check=True, capture_output=True, text=True).stdout
    return {w.removeprefix("__export_symbol_") for w in nm.split() if w.startswith("__export_symbol_")}


@pytest.mark.parametrize(("text", "want"), IFS)
def test_gcc_builds_exactly_the_exports_some_configuration_has(tmp_path: Path, text: str, want: set[str]) -> None:
    if shutil.which("gcc") is None or shutil.which("nm") is None:
        pytest.skip("no gcc or nm")
    built = _gcc_exports(tmp_path, text) | _gcc_exports(tmp_path, text, ("-DCONFIG_DEMO=1",))
    if "linux/demo.h" in text:  # the unread header, as one that #undefs the name
        built |= _gcc_exports(tmp_path, text.replace("#include <linux/demo.h>\n", "#undef DEMO_ON\n"))
    assert built == _symbols(text)


# -- the corpus: v3 04/26 re-flavours an export in a file known only from hunks ------------------------------------

def test_the_corpus_reflavoured_export_fails_where_it_shows_and_is_inconclusive_where_it_would_pass(
        corpus: Path, tmp_path: Path) -> None:
    title = 'tdx_host\\" device'
    rules = tmp_path / "r.toml"
    rules.write_text(rule('exports_to = ["kvm", "kvm-*"]\nreference = "before:patch"', title=title, rid="kvm-only")
                     + rule('exports_to = ["kvm-intel", "tdx-host"]\nreference = "before:patch"', title=title,
                            rid="named")
                     + rule(NO_NEW, title=title, rid="no-new"))
    # The states before 04/26 too: without them, whether 01-03 change the exports is not known (inconclusive).
    ev = evaluate(EvalRequest((corpus,), variants=("v3:00", "v3:01", "v3:02", "v3:03", "v3:04"), rules=rules))
    assert ev.judgement is not None
    got = {row.rule.id: row.verdicts["v3:04"] for row in ev.judgement.rows}
    assert got["kvm-only"].status == "fail", got["kvm-only"]  # what the lines read show is enough to fail
    assert got["no-new"].status == "pass", got["no-new"]
    assert got["named"].status == "inconclusive", got["named"]
    assert "tdx_get_sysinfo (EXPORT_SYMBOL_FOR_MODULES at arch/x86/virt/vmx/tdx/tdx.c:1437)" in got["named"].note

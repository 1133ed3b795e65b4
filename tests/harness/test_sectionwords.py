"""A function a patch puts in .init.text (or another section of its own) is never "no behaviour change"."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.sectionwords import placements, section_words
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    PREPARE_KEEPS_RULES,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

RULES = PREPARE_KEEPS_RULES

UNIT = "arch/x86/virt/vmx/tdx/seamcall.c"
PRINTER = "static inline void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args)\n{\n" \
    "\tpr_err(\"SEAMCALL (%llu) failed: %#016llx\\n\", fn, err);\n}\n"
HEADER = helpers(RETRY_SAFE).replace(PRINTER, "void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args);\n")
C_FILE = "// SPDX-License-Identifier: GPL-2.0\n#define pr_fmt(fmt) \"virt/tdx: \" fmt\n\n" \
    "#include \"seamcall_internal.h\"\n\n" + PRINTER.replace("static inline void", "void")


@pytest.mark.parametrize(("text", "want"), [
    ("void __init seamcall_err(u64 fn)\n{\n}\n", ("__init",)),
    ("noinstr void seamcall_err(u64 fn)\n{\n\tfoo_init();\n}\n", ("noinstr",)),
    ("static void __section(\".noinstr.text\") seamcall_err(u64 fn)\n{\n}\n", ('__section(".noinstr.text")',)),
    ("static void __initdata_x seamcall_err(u64 fn)\n{\n}\n", ()),
    ("static __always_inline __init u64 seamcall_err(u64 fn)\n{\n}\n", None),
    ("static __section(\".init.text\") void seamcall_err(u64 fn)\n{\n}\n", ('__section(".init.text")',)),
])
def test_section_words_read_the_declaration(text: str, want: tuple[str, ...] | None) -> None:
    assert section_words(text, "seamcall_err") == want


def _gcc_section(tmp_path: Path, init: str) -> str:
    """The section gcc puts seamcall_err() in, declared with ``init`` before its type (include/linux/init.h's __init:
    a section attribute), called from a function in .text as sc_retry_prerr() calls it; "" when it has no code."""
    if shutil.which("gcc") is None or shutil.which("objdump") is None:
        pytest.skip("gcc (the C oracle) or objdump is not installed")
    src, obj = tmp_path / "oracle.c", tmp_path / "oracle.o"
    src.write_text("#define __init __attribute__((__section__(\".init.text\"))) __attribute__((__cold__))\n"
                   "typedef unsigned long long u64;\nextern int printk(const char *fmt, ...);\n"
                   f"{init} void seamcall_err(u64 fn, u64 err)\n{{\n\tprintk(\"%llu %llx\\n\", fn, err);\n}}\n"
                   "int seamldr_query(u64 fn, u64 err)\n{\n\tif (err)\n\t\tseamcall_err(fn, err);\n\treturn 0;\n}\n")
    subprocess.run(["gcc", "-O2", "-c", "-o", str(obj), str(src)], check=True)
    table = subprocess.run(["objdump", "-t", str(obj)], check=True, capture_output=True, text=True).stdout
    lines = [ln for ln in table.splitlines() if ln.endswith(" seamcall_err")]
    return lines[0].split()[3] if lines else ""  # "": no code of its own


def test_a_function_made_init_is_not_the_same(tmp_path: Path) -> None:
    assert _gcc_section(tmp_path, "") == ".text" and _gcc_section(tmp_path, "__init") == ".init.text"
    mbox = write_mbox(tmp_path / "v2.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, HEADER), (UNIT, None, C_FILE))),
        Step(PREPARE, ((UNIT, C_FILE, C_FILE.replace("void seamcall_err(", "void __init seamcall_err(")),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))]))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    # Before: PASS ('280 scenarios compared with v2:01'): every run calls seamcall_err() with no boot behind it.
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert f"seamcall_err() is '__init' in v2 ({UNIT}:6), in no section of its own in v2:01" in v.note, v.note
    cmp = evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.per_patch[1]
    assert not cmp.changed and cmp.verdict().endswith("but the patch changes a function's section that none of them "
                                                      "tells apart"), cmp.verdict()


def test_an_always_inline_helper_has_no_section_of_its_own(tmp_path: Path) -> None:
    # gcc inlines it into each caller: its __init places no code (the .o holds no seamcall_err at all).
    assert _gcc_section(tmp_path, "static inline __attribute__((__always_inline__)) __init") == ""
    mbox = write_mbox(tmp_path / "v2.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
        Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), helpers(RETRY_SAFE).replace(
            "static __always_inline u64 sc_retry(", "static __always_inline __init u64 sc_retry(")),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))]))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    assert v.status is VerdictStatus.PASS, (v.status, v.note)


def test_a_function_made_init_is_said_where_a_new_macro_differs_too(tmp_path: Path) -> None:
    # The patch also adds a macro: its runs differ ('__sc_new() is new'), which hid the section change in eval.
    made = HEADER.replace("#define seamldr_prerr(", "#define __sc_new(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), "
                          "(_args))\n#define seamldr_prerr(")
    mbox = write_mbox(tmp_path / "v2.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, HEADER), (UNIT, None, C_FILE))),
        Step(PREPARE, ((UNIT, C_FILE, C_FILE.replace("void seamcall_err(", "void __init seamcall_err(")),
                       (NEW_HOME, HEADER, made))),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))]))
    cmp = evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.per_patch[1]
    assert cmp.changed, cmp.verdict()
    # Before: no undecided (the check ran only where no run differs); the terminal said '__sc_new() is new' alone.
    assert [u for u in cmp.undecided if f"seamcall_err() is '__init' in v2:02 ({UNIT}:6)" in u], cmp.undecided
    assert [u for u in cmp.uncovered() if "a function's section changed: seamcall_err()" in u], cmp.uncovered()


def test_the_section_named_is_where_the_words_place_code() -> None:
    assert placements(("__init",)) == placements(('__section(".init.text")',)) == frozenset({".init.text"})
    assert placements(('__attribute__((__section__(".sc.text")))',)) == frozenset({".sc.text"})
    assert placements(("noinstr",)) != placements(('__section(".noinstr.text")',))  # noinstr is more than a section


def _moved(tmp_path: Path, was: str, now: str) -> tuple[VerdictStatus, str]:
    """The gate's verdict where 'Prepare' writes seamcall_err()'s section words ``was`` as ``now``."""
    head = f"void {was} seamcall_err(".replace("  ", " ")
    before = C_FILE.replace("void seamcall_err(", head)
    mbox = write_mbox(tmp_path / "v2.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, HEADER), (UNIT, None, before))),
        Step(PREPARE, ((UNIT, before, before.replace(head, f"void {now} seamcall_err(")),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))]))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    return v.status, v.note


def test_init_written_as_the_section_it_names_is_the_same(tmp_path: Path) -> None:
    # include/linux/init.h: __init is __section(".init.text") (and gcc hints). Before: INCONCLUSIVE, the mirror did
    # not parse __section() (not in its prelude), and the words differed.
    named = '__section(".init.text")'
    assert _gcc_section(tmp_path, "__init") == _gcc_section(tmp_path, named.replace(
        "__section(", "__attribute__((__section__(").replace(")", ")))")) == ".init.text"
    status, note = _moved(tmp_path, "__init", named)
    assert status is VerdictStatus.PASS, (status, note)


def test_a_function_moved_to_a_section_of_its_own_is_said(tmp_path: Path) -> None:
    # gcc places it in .sc.text, which no run shows: said (SECTION), not "no behaviour change"; the mirror runs it.
    assert _gcc_section(tmp_path, '__attribute__((__section__(".sc.text")))') == ".sc.text"
    status, note = _moved(tmp_path, "", '__section(".sc.text")')
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert f"seamcall_err() is '__section(\".sc.text\")' in v2 ({UNIT}:6), in no section of its own in v2:01" \
        in note, note
    assert "does not parse" not in note, note

"""A header with no include guard included twice: a function its later inclusion makes is said.

A header with no include guard included twice, a template made with other macros each time: gcc reads it at
each #include, the mirror once. A function its later inclusion makes is then not read, and the verdict says so,
not that its body is in a file not read (it was read). Oracle: gcc -E of the header defines both functions."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

TEMPLATE = "arch/x86/virt/vmx/tdx/sc_report.h"


def _template(guard: bool) -> str:
    body = ("static inline void SC_NAME(u64 fn, u64 err)\n{\n#ifdef SC_LOUD\n"
            "\tpr_err(\"P-SEAMLDR call %llu returned %#016llx\\n\", fn, err);\n#endif\n}\n\n#undef SC_NAME\n"
            "#undef SC_LOUD\n")
    head = "/* SPDX-License-Identifier: GPL-2.0 */\n"
    return head + (f"#ifndef SC_REPORT_H\n#define SC_REPORT_H\n{body}#endif\n" if guard else body)


INSTANCES = ("#define SC_NAME sc_report_quiet\n#include \"sc_report.h\"\n#define SC_NAME seamldr_report\n"
             "#define SC_LOUD\n#include \"sc_report.h\"\n\n")
BASE = helpers(RETRY_SAFE)
# The titled patch reports P-SEAMLDR failures through the loud instance, a printer of its own.
REPORTING = BASE.replace("static __always_inline int sc_retry_prerr(", INSTANCES + (
    "static __always_inline int sc_retry_prerr_ldr(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n"
    "\tu64 err = sc_retry(op, fn, args);\n\n\tif (!err)\n\t\treturn 0;\n\tseamldr_report(fn, err);\n"
    "\treturn -EIO;\n}\n\nstatic __always_inline int sc_retry_prerr(")).replace(
    "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(", "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr_ldr(")


def _gate(tmp: Path, guard: bool) -> dict[str, tuple[VerdictStatus, str]]:
    msgs = revision(1, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, BASE),)),
                        Step(PREPARE, ((NEW_HOME, BASE, REPORTING), (TEMPLATE, None, _template(guard)))),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C),
                                                                                  BUILD_WRAPPER))])
    g = evaluate_gate(GateRequest((write_mbox(tmp / "s.mbox", msgs),), "v1", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


def test_a_header_with_no_guard_included_twice_is_named_as_why(tmp_path: Path) -> None:
    # Before: "its body is in a file not read (a header no line read includes, ...)" and "give --tree": neither helps.
    found = _gate(tmp_path, guard=False)
    said = f"{TEMPLATE} has no include guard and is included 2 times ({NEW_HOME}:36, {NEW_HOME}:39)"
    status, note = found["reuse-seamcall-err"]
    assert status is VerdictStatus.INCONCLUSIVE and said in note and "give --tree" not in note, note
    status, note = found["nak-no-kernel-change"]
    assert status is VerdictStatus.INCONCLUSIVE and said in note and "a header no line read includes" not in note, \
        note


def test_a_guarded_header_included_twice_is_not_named(tmp_path: Path) -> None:
    # gcc reads a guarded header once too: seamldr_report() is then defined nowhere, as said before.
    status, note = _gate(tmp_path, guard=True)["reuse-seamcall-err"]
    assert status is VerdictStatus.INCONCLUSIVE and "no include guard" not in note and "give --tree" in note, note


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
@pytest.mark.parametrize(("guard", "made"), [(False, {"sc_report_quiet", "seamldr_report"}),
                                             (True, {"sc_report_quiet"})])
def test_gcc_makes_a_function_at_each_inclusion_of_a_header_with_no_guard(tmp_path: Path, guard: bool,
                                                                          made: set[str]) -> None:
    (tmp_path / "sc_report.h").write_text(_template(guard))
    (tmp_path / "unit.c").write_text(INSTANCES)
    out = subprocess.run(["gcc", "-E", "-P", str(tmp_path / "unit.c")], capture_output=True, text=True,
                         check=True).stdout
    assert {name for name in ("sc_report_quiet", "seamldr_report") if f"void {name}(" in out} == made


@pytest.mark.parametrize("second", ['#include "t.h"\n', '%:include "t.h"\n', '#include \\\n"t.h"\n'])
def test_each_spelling_of_the_second_include_is_counted(second: str) -> None:
    # '%:' is '#' (C11 6.4.6p3) and a backslash-newline is removed first (phase 2): gcc reads t.h twice either way.
    # Before, the split include was not counted: no header was named as why a definition may be missing.
    from harness.reincluded import reincluded
    from tests.harness.test_kbuilddefs import _variant

    said = reincluded(_variant({"a/t.h": "int x;\n", "a/a.c": '#include "t.h"\n' + second}))
    assert said.startswith("a/t.h has no include guard and is included 2 times (a/a.c:1, a/a.c:2)"), said


@pytest.mark.parametrize("once", ["#pragma once\n", "#pragma \\\nonce\n", "# /* c */ pragma once\n"])
def test_a_header_gcc_reads_once_is_not_named(once: str, tmp_path: Path) -> None:
    # gcc reads t.h once per unit behind each spelling of '#pragma once' (C11 5.1.1.2p1 phases 2-3): 'int x;' once.
    # Before, a split or commented one was not read: t.h was named as read twice, a reason gcc does not have.
    from harness.reincluded import reincluded
    from tests.harness.test_kbuilddefs import _variant

    unit = '#include "t.h"\n#include "t.h"\n'
    assert reincluded(_variant({"a/t.h": once + "int x;\n", "a/a.c": unit})) == ""
    if shutil.which("gcc") is not None:
        (tmp_path / "t.h").write_text(once + "int x;\n")
        (tmp_path / "a.c").write_text(unit)
        out = subprocess.run(["gcc", "-E", "-P", str(tmp_path / "a.c")], capture_output=True, text=True,
                             check=True, timeout=60).stdout
        assert out.split().count("x;") == 1, out

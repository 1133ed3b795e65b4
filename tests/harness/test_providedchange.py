"""Why an entry point runs on one side of a comparison only (harness.providedchange), and what mail cannot show."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    MAKEFILE,
    MAKEFILE_BASE,
    NEW_HOME,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import diff, message, patch_body, write_mbox

DIR = "drivers/ldr"
HDR, A, B = f"{DIR}/ldr_internal.h", f"{DIR}/ldr_a.c", f"{DIR}/ldr_b.c"
HEADER = "/* ldr */\n#ifndef LDR_INTERNAL_H\n#define LDR_INTERNAL_H\n\n{}#endif\n"
REPORT = ("static {}void ldr_report(u64 fn, u64 err, struct tdx_module_args *args)\n{{\n"
          "\tpr_err(\"LDR (%#llx) failed: %#llx\\n\", fn, err);\n}}\n\n")
QUERY = ("int ldr_a_query(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
         "\tif (err)\n\t\tldr_report(fn, err, args);\n\treturn err ? -EIO : 0;\n}\n")
UNIT = '#define pr_fmt(fmt) "ldr-a: " fmt\n\n#include "ldr_internal.h"\n\n{}'
MATRIX = f"""\
[match]
identifiers = ["ldr_*"]
[codes]
FAIL = 0x8000000000000001
[leaves]
ONE = 1
[[unit]]
name = "ldr_a.c"
path = "{A}"
[[unit]]
name = "ldr_b.c"
path = "{B}"
[[entry]]
name = "ldr_report"
args = ["fn", "answer", "args"]
[[script]]
name = "fail"
answers = ["FAIL"]
"""


def test_a_helper_moved_to_a_header_is_not_new_to_a_unit_the_mail_does_not_show(tmp_path: Path) -> None:
    # 1/1 moves ldr_a.c's static ldr_report() into the header ldr_a.c includes. ldr_b.c, a unit of the matrix, is
    # in no mail: whether it exists or includes that header is not known (gcc: a tree without it builds nothing of
    # it). The move was said to change behaviour, 'ldr_report() is new to ldr_b.c', from mail alone.
    decl = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
    move = diff(A, UNIT.format(REPORT.format("") + QUERY), UNIT.format(QUERY)) \
        + diff(HDR, HEADER.format(decl), HEADER.format(decl + REPORT.format("inline ")))
    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] ldr: move ldr_report() to the header", "p1@x",
                                                    patch_body("move", move))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1))
    [cmp] = [c for c in ev.comparison.per_patch if c.b == "v1:01"]
    assert not [d for d in cmp.differences if d.scenario.unit.name == "ldr_b.c"], cmp.differences
    assert [g.reason for g in cmp.gaps if "ldr_report" in g.entries and "ldr_b" in g.reason] == [
        f"ldr_report() runs in {B} in v1:01 only if that file, which the mail does not show, includes where v1:01 "
        f"defines it (in v1:00 it is a static function of {A}:5, which {B} cannot call); give --tree"]
    [move_said] = [f for f in ev.comparison.findings if f.kind.startswith("code-move")]
    assert move_said.kind == "code-move-not-compared", move_said.text


def test_a_wrapper_the_next_revision_drops_is_said_gone_with_a_tree(tmp_path: Path) -> None:
    # v4 02/2 adds seamldr_install() in a new .c file; v5 drops that patch. From mail alone: 'seamldr_install() is
    # gone: v5 does not define it (v4 does)'. With --tree its absence is not known (a header the include search did
    # not reach may hold it), and the gap said only v5's side: 'v5 does not define seamldr_install() in the files its
    # patches touch (every C file it touches is known whole: the name is not in this code)', read as if no side had it.
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    create = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
    wrap = Step("x86/virt/seamldr: Add a P-SEAMLDR install wrapper",
                ((WRAPPER, None, WRAPPER_C.replace("static int seamldr_query", "int seamldr_install")), BUILD_WRAPPER))
    mbox = write_mbox(tmp_path / "s.mbox", revision(4, [create, wrap]) + revision(5, [create]))
    tree = tmp_path / "linux"
    (tree / MAKEFILE).parent.mkdir(parents=True)
    (tree / MAKEFILE).write_text(MAKEFILE_BASE)
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm",
                                                "base"]):
        subprocess.run(["git", *args], cwd=tree, check=True)
    ev = evaluate(EvalRequest((mbox,), tree=tree, jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.across if (c.a, c.b) == ("v4", "v5")]
    assert [g.reason for g in cmp.gaps if "seamldr_install" in g.entries] == [
        "seamldr_install() is gone from v5 (only v4 defines it), nothing to compare it with: v5 does not define "
        "seamldr_install(): none of the files read from the tree has it; every C file the patches change is known "
        "whole: the name is not in this code"]
    assert not [d for d in cmp.differences if d.scenario.entry.name == "seamldr_install"]  # no comparison claimed

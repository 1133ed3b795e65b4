"""A next revision moving the SEAMCALL helpers to a new header, renamed: said so, behaviour compared through callers.

The same patch makes them ``static inline`` there: said as moved and renamed with the bodies compared, behaviour
compared through the callers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.test_own_series_notes import BASE, HEADER, HEADER_TEXT, SOURCE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (format-patch, the mails' maker) is missing")
NEW_H = "arch/x86/virt/vmx/tdx/seamcall.h"
TYPEDEF = "typedef u64 (*tdx_call_t)(u64 fn, struct tdx_module_args *args);\n\n"
RULES = ('[[rule]]\nid = "moves"\nreviewer = "seamharness"\nsummary = "s"\nseverity = "error"\n'
         '[rule.check]\nkind = "moves"\n')


def _moved(errno: str) -> tuple[str, str]:
    """tdx.c without its two helpers, calling seamcall_checked(); seamcall.h holding them renamed, static inline."""
    start, end = BASE.index("static u64 tdx_call_again"), BASE.index("int tdx_sys_init")
    helpers = BASE[start:end].replace("tdx_call_again", "seamcall_retry").replace("tdx_call_checked",
                                                                                 "seamcall_checked")
    header = ("/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _X86_VIRT_SEAMCALL_H\n#define _X86_VIRT_SEAMCALL_H\n\n"
              "#include <asm/tdx.h>\n\n" + TYPEDEF + helpers.replace("static ", "static inline ").replace("-EIO", errno)
              .rstrip() + "\n\n#endif\n")
    text = (BASE[:start] + BASE[end:]).replace(TYPEDEF, "").replace(
        "#include <asm/tdx.h>\n", '#include <asm/tdx.h>\n#include "seamcall.h"\n')
    return text.replace("tdx_call_checked", "seamcall_checked"), header


def _run(tmp: Path, errno: str) -> tuple[str, str]:
    """eval v1 v2 and gate v2 (the moves rule): v1 retries ten times; v2 first moves and renames the helpers."""
    tree = init_repo(tmp / "linux", {HEADER: HEADER_TEXT, SOURCE: BASE})
    git(tree, "tag", "base")
    text, header = _moved(errno)
    for v in (1, 2):
        git(tree, "checkout", "-q", "-b", f"v{v}", "base")
        if v == 2:
            (tree / SOURCE).write_text(text)
            (tree / NEW_H).write_text(header)
            git(tree, "add", "-A")
            git(tree, "commit", "-q", "-m", "x86/virt/tdx: Move the SEAMCALL helpers to seamcall.h")
            (tree / NEW_H).write_text(header.replace("int left = 5;", "int left = 10;"))
        else:
            (tree / SOURCE).write_text(BASE.replace("int left = 5;", "int left = 10;"))
        git(tree, "commit", "-q", "-a", "-m", "x86/virt/tdx: Retry ten times")
        git(tree, "format-patch", "-q", "--cover-letter", f"-v{v}", "--base=base", "-o", str(tmp / f"v{v}"), "base")
    env = {"COLUMNS": "1000"}
    ev = CliRunner().invoke(app, ["eval", str(tmp / "v1"), str(tmp / "v2"), "--tree", str(tree)], env=env)
    (tmp / "r.toml").write_text(RULES)
    gate = CliRunner().invoke(app, ["gate", str(tmp / "v1"), str(tmp / "v2"), "--variant", "v2", "--tree", str(tree),
                                    "--rules", str(tmp / "r.toml")], env=env)
    assert ev.exit_code == 0, ev.output
    return ev.output, gate.output


MOVED = ("moves tdx_call_again -> seamcall_retry (declared 'static inline u64', was 'static u64': its body the same), "
         "tdx_call_checked -> seamcall_checked (declared 'static inline int', was 'static int': its body the same) "
         "(arch/x86/virt/vmx/tdx/tdx.c -> arch/x86/virt/vmx/tdx/seamcall.h)")


def test_helpers_moved_to_a_header_and_renamed_are_said_with_their_bodies(tmp_path: Path) -> None:
    """Before: 'tdx_call_again -> seamcall_retry (body 98% the same)': the 2% was the 'inline' the header's copy
    gained, its body the same under the new names."""
    ev, gate = _run(tmp_path, "-EIO")
    assert f"code-move v2 01/2: x86/virt/tdx: Move the SEAMCALL helpers to seamcall.h: {MOVED} without changing " \
        "behaviour (94 scenarios of tdx_sys_init, tdx_sys_lp_init ran on both sides)" in ev, ev
    assert ev.split("\nv1 -> v2\n")[1].splitlines()[0].strip() == \
        "no behaviour change in the 94 of 658 scenarios that ran on both sides"
    assert "PASS moves" in gate and f"01/2 {MOVED}: 94 scenarios of tdx_sys_init, tdx_sys_lp_init ran" in gate, gate


def test_a_move_and_rename_that_changes_what_the_callers_return_is_said_with_the_value(tmp_path: Path) -> None:
    """seamcall_checked() returns -EBUSY where tdx_call_checked() returned -EIO: the callers' outcome is the change,
    under the patch and under 'v1 -> v2'; the gate's moves rule fails with it."""
    ev, gate = _run(tmp_path, "-EBUSY")
    assert "code-move-changed v2 01/2" in ev and "tdx_call_checked -> seamcall_checked (body 97% the same)" in ev, ev
    view = ev.split("\nv1 -> v2\n")[1]
    assert "tdx_sys_init (34 scenarios differ):" in view and "- return -EIO -> -EBUSY" in view, view
    assert "FAIL moves" in gate and "got return -EIO -> -EBUSY" in gate, gate

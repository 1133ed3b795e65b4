"""A rename split over two patches, judged by a moves rule with --tree (harness.splitreach).

A rename split over two patches whose second switches its callers by including the copies' header (harness.
splitreach): git format-patch output on a generated tree, judged by a moves rule with --tree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, write_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

RETRY = ("typedef u64 (*demo_fn_t)(u64 fn, struct tdx_module_args *args);\n\n"
         "static inline u64 {retry}(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{{\n\tint left = 3;\n"
         "\tu64 ret;\n\n\tdo {{\n\t\tret = func(fn, args);\n\t}} while (ret == DEMO_BUSY && --left);\n\n"
         "\treturn ret;\n}}\n\n")
OLD_PRINT = ("static inline void dc_err(u64 fn, u64 err, struct tdx_module_args *args)\n{\n"
             '\tpr_err_once("DEMO (%#llx) failed: %#llx\\n", fn, err);\n}\n\n'
             "static inline int dc_retry_prerr(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n"
             "\tu64 err = dc_retry(func, fn, args);\n\n\tif (!err)\n\t\treturn 0;\n\tdc_err(fn, err, args);\n"
             "\treturn -5;\n}\n\n#define demo_prerr(_fn, _args)\tdc_retry_prerr(__seamcall, (_fn), (_args))\n")
# The copies: the printer loses its unused parameter, the printing helper gets a new name and its old one stays as
# a wrapper macro (the shape of a vN+1 that renames sc_retry() and seamcall_err() in a new header).
NEW_PRINT = ("static inline void demo_log_err(u64 fn, u64 err)\n{\n"
             '\tPRINTK("DEMO (%#llx) failed: %#llx\\n", fn, err);\n}\n\n'
             "static inline int demo_call_retry_log(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n"
             "\tu64 err = demo_call_retry(func, fn, args);\n\n\tif (!err)\n\t\treturn 0;\n"
             "\tdemo_log_err(fn, err);\n\treturn -5;\n}\n\n"
             "#define dc_retry_prerr(...)\tdemo_call_retry_log(__VA_ARGS__)\n"
             "#define demo_prerr(_fn, _args)\tdc_retry_prerr(__seamcall, (_fn), (_args))\n")
ASM = "arch/x86/include/asm/demo.h"
CALLS = "arch/x86/virt/demo/demo_calls.h"
CORE = "arch/x86/virt/demo/core.c"
ASM_HEAD = "#ifndef _ASM_X86_DEMO_H\n#define _ASM_X86_DEMO_H\n\n#define DEMO_BUSY\t0x8000000000000201ULL\n\n"
CORE_C = ('#define pr_fmt(fmt) "demo: " fmt\n\n#include <asm/demo.h>\n{more}\n'
          "int demo_probe(u64 fn, struct tdx_module_args *args)\n{{\n\treturn demo_prerr(fn, args);\n}}\n")
MATRIX = ('[codes]\nOK = 0\nBUSY = 0x8000000000000201\nFAIL = 0x8000000000000001\n[leaves]\nCALL = 7\n'
          '[[unit]]\nname = "core.c"\npath = "arch/x86/virt/demo/core.c"\n[[entry]]\nname = "demo_probe"\n'
          'args = ["fn", "args"]\n[[script]]\nname = "busy"\nanswers = ["BUSY", "OK"]\n'
          '[[script]]\nname = "fail"\nanswers = ["FAIL"]\n')
RULES = ('[[rule]]\nid = "moves"\nreviewer = "seamharness"\nsummary = "s"\nseverity = "error"\n'
         '[rule.check]\nkind = "moves"\n')


def _gate(tmp: Path, printk: str, include: str = '#include "demo_calls.h"\n') -> tuple[int, dict[str, Any]]:
    """v2 of two patches on a generated tree: the renamed copies added in demo_calls.h (their printer calling
    ``printk``), then asm/demo.h's helpers removed and core.c including demo_calls.h. The gate's status on v2 with
    --tree and its moves rule."""
    repo = tmp / "linux"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_files(repo, {ASM: ASM_HEAD + RETRY.format(retry="dc_retry") + OLD_PRINT + "\n#endif\n",
                  CORE: CORE_C.format(more="")})
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    copies = RETRY.format(retry="demo_call_retry") + NEW_PRINT.replace("PRINTK", printk)
    write_files(repo, {CALLS: "#ifndef _DEMO_CALLS_H\n#define _DEMO_CALLS_H\n\n#include <asm/demo.h>\n\n" + copies
                  + "\n#endif\n"})
    git(repo, "commit", "-q", "-m", "x86/demo: Add renamed copies of the helpers")
    write_files(repo, {ASM: ASM_HEAD + "typedef u64 (*demo_fn_t)(u64 fn, struct tdx_module_args *args);\n\n#endif\n",
                  CORE: CORE_C.format(more=include)})
    git(repo, "commit", "-q", "-m", "x86/demo: Switch to the renamed helpers")
    git(repo, "format-patch", "-q", "--cover-letter", "--base=base", "--subject-prefix=PATCH v2", "-o",
        str(tmp / "out"), "base..HEAD")
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "rules.toml").write_text(RULES)
    r = CliRunner().invoke(app, ["gate", str(tmp / "out"), "--variant", "v2", "--matrix", str(tmp / "m.toml"),
                                 "--rules", str(tmp / "rules.toml"), "--jobs", "1", "--json", str(tmp / "g.json"),
                                 "--tree", str(repo)])
    [rule] = json.loads((tmp / "g.json").read_text())["rules"]
    return r.exit_code, rule


def test_a_rename_finished_by_an_include_keeps_the_printers_once_state(tmp_path: Path) -> None:
    # Before: the moves rule failed, 'state left behind dc_err::pr_err_once() 1 -> initial, demo_log_err::
    # pr_err_once() initial -> 1': the copy's once state under its new name, the rename not followed, since the
    # second patch names no new helper (it includes their header) and dc_retry_prerr() stays as a wrapper macro.
    status, rule = _gate(tmp_path, "pr_err_once")
    assert status == 0 and rule["verdict"] == "pass", rule
    assert "dc_err -> demo_log_err" in rule["note"] and "dc_retry -> demo_call_retry" in rule["note"], rule


@pytest.mark.parametrize("include", ['#inc\\\nlude "demo_calls.h"\n', '# /* c */ include "demo_calls.h"\n'])
def test_a_rename_finished_by_an_include_spelt_otherwise_is_followed_too(tmp_path: Path, include: str) -> None:
    # gcc reads each as '#include "demo_calls.h"' (C11 5.1.1.2p1 phases 2-3). Before, neither was read: the moves
    # rule failed as the one-line include's did before the rename was followed.
    status, rule = _gate(tmp_path, "pr_err_once", include)
    assert status == 0 and rule["verdict"] == "pass", rule
    assert "dc_err -> demo_log_err" in rule["note"], rule


def test_a_copy_that_prints_every_time_is_still_a_change(tmp_path: Path) -> None:
    # The rename followed, the once state goes on under the new name: a copy that prints with pr_err() leaves none.
    status, rule = _gate(tmp_path, "pr_err")
    assert status == 1 and rule["verdict"] == "fail", rule
    assert "pr_err_once() 1 -> initial" in json.dumps(rule["evidence"]), rule

"""A revision's new retrying wrappers on a user's kernel tree, end to end.

A revision's new retrying wrappers on a user's kernel tree, end to end: a series made by ``git format-patch`` on a
generated tree, its helper renamed and moved to an <asm/...> header, a wrapper retrying by ``goto`` on the leaf a
function of another folder of the tree gives (harness.unitdefs, harness.tuorder)."""

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

SEAM_H = ("#ifndef _ASM_X86_DEMO_H\n#define _ASM_X86_DEMO_H\n\n#define DEMO_BUSY\t0x8000000000000201ULL\n"
          "#define DEMO_NO_ENTROPY\t0x8000000000030001ULL\n\nu64 demo_pick(u64 fn);\n"
          "u64 demo_pick_call(u64 fn, struct tdx_module_args *args);\n\n#endif\n")
PICK_C = "#include <asm/demo.h>\n\nu64 demo_pick(u64 fn)\n{\n\treturn fn;\n}\n"
PICK_CALL = "\nu64 demo_pick_call(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args);\n}\n"
HELPER = ("typedef u64 (*demo_fn_t)(u64 fn, struct tdx_module_args *args);\n\n"
          "static inline u64 {name}(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{{\n\tint retry = 3;\n"
          "\tu64 ret;\n\n\tdo {{\n\t\tret = func(fn, args);\n\t}} while (ret == DEMO_BUSY && --retry);\n\n"
          "\treturn ret;\n}}\n")
LOCAL_H = "#ifndef _DEMO_LOCAL_H\n#define _DEMO_LOCAL_H\n\n#include <asm/demo.h>\n\n{body}\n#endif\n"
CORE_C = ('#define pr_fmt(fmt) "demo: " fmt\n\n#include <asm/demo.h>\n#include "local.h"\n\n'
          "int demo_probe(u64 fn, struct tdx_module_args *args)\n{{\n"
          "\treturn {name}(__seamcall, fn, args) ? -5 : 0;\n}}\n")
INFO = ("\nint demo_ldr_info(struct tdx_module_args *args)\n{\n"
        "\treturn demo_call_retry(__seamcall, 0x8000000000000000ULL, args) ? -5 : 0;\n}\n")
KICK = ("\nint demo_ldr_kick(struct tdx_module_args *args)\n{{\n\tint tries = 0;\n"
        "\tu64 fn = demo_pick(0x8000000000000000ULL);\n\tu64 ret;\n\n{label}\tret = __seamcall(fn, args);\n{retry}"
        "\n\treturn ret ? -5 : 0;\n}}\n")
MATRIX = ('[codes]\nOK = 0\nBUSY = 0x8000000000000201\nNO_ENTROPY = 0x8000000000030001\n[leaves]\n'
          'LDR_INFO = 0x8000000000000000\n[[unit]]\nname = "core.c"\npath = "arch/x86/virt/demo/core.c"\n'
          '[[entry]]\nname = "demo_probe"\nargs = ["fn", "args"]\n[[script]]\nname = "no-entropy"\n'
          'answers = ["NO_ENTROPY", "OK"]\n[[script]]\nname = "busy"\nanswers = ["BUSY"]\n')
RULES = ('[[rule]]\nid = "ldr-no-entropy-not-retried"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n'
         '[rule.check]\nkind = "behaviour"\nscenarios = { entry = "*", leaf = ["LDR_INFO"], script = "no-entropy" }\n'
         "expect = { no_retry = true }\n")


def _series(tmp: Path, retry: bool, op: str = "") -> Path:
    """The tree at ``base`` and v2's three patches from git format-patch: the helper renamed demo_call_retry() and
    moved to <asm/demo.h>, demo_ldr_info() through it, demo_ldr_kick() on demo_pick()'s leaf (arch/x86/kernel),
    going back by ``goto`` on 'no entropy' when ``retry``; ``op``, more code its last patch adds."""
    repo = tmp / "linux"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    core = "arch/x86/virt/demo/core.c"
    write_files(repo, {"arch/x86/include/asm/demo.h": SEAM_H, "arch/x86/kernel/demo_pick.c": PICK_C + PICK_CALL,
                  "arch/x86/kernel/Makefile": "obj-y += demo_pick.o\n",  # built whatever the configuration
                  "arch/x86/virt/demo/local.h": LOCAL_H.format(body=HELPER.format(name="dc_try")),
                  core: CORE_C.format(name="dc_try")})
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    moved = SEAM_H.replace("u64 demo_pick(u64 fn);\n", "u64 demo_pick(u64 fn);\n\n" + HELPER.format(
        name="demo_call_retry"))
    write_files(repo, {"arch/x86/include/asm/demo.h": moved, "arch/x86/virt/demo/local.h": LOCAL_H.format(body=""),
                  core: CORE_C.format(name="demo_call_retry")})
    git(repo, "commit", "-q", "-m", "x86/demo: Rename dc_try() to demo_call_retry() and move it to asm/demo.h")
    write_files(repo, {core: CORE_C.format(name="demo_call_retry") + INFO})
    git(repo, "commit", "-q", "-m", "x86/demo: Add demo_ldr_info()")
    kick = KICK.format(label="retry:\n" if retry else "",
                       retry="\tif (ret == DEMO_NO_ENTROPY && tries++ < 3)\n\t\tgoto retry;\n" if retry else "")
    write_files(repo, {core: CORE_C.format(name="demo_call_retry") + INFO + kick + op})
    git(repo, "commit", "-q", "-m", "x86/demo: Add demo_ldr_kick()")
    git(repo, "format-patch", "-q", "--cover-letter", "--base=base", "--subject-prefix=PATCH v2", "-o",
        str(tmp / "out"), "base..HEAD")
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "rules.toml").write_text(RULES)
    return repo


def _gate(tmp: Path, tree: Path | None, rules: str = RULES) -> tuple[int, dict[str, Any]]:
    """The gate's exit status on v2 and its one rule's JSON."""
    (tmp / "rules.toml").write_text(rules)
    args = ["gate", str(tmp / "out"), "--variant", "v2", "--matrix", str(tmp / "m.toml"), "--rules",
            str(tmp / "rules.toml"), "--jobs", "1", "--json", str(tmp / "g.json")]
    r = CliRunner().invoke(app, [*args, *(["--tree", str(tree)] if tree else [])])
    [rule] = json.loads((tmp / "g.json").read_text())["rules"]
    return r.exit_code, rule


@pytest.mark.parametrize("retry", [True, False], ids=["goto-retry", "calls-once"])
def test_a_wrapper_on_a_leaf_another_folder_gives_is_run_with_the_tree(tmp_path: Path, retry: bool) -> None:
    # Before (with --tree): demo_pick() of arch/x86/kernel was not found, demo_ldr_kick() never ran: inconclusive
    # whether or not it goes back by goto. Now it runs: the goto retry fails the rule, a single call passes it.
    tree = _series(tmp_path, retry)
    status, rule = _gate(tmp_path, tree)
    if retry:
        assert status == 1 and rule["verdict"] == "fail", rule
        # the leaf its run issued, named as eval names it (3bb18757: an entry point fed no leaf picks its own)
        want = ["demo_ldr_kick/its own leaf LDR_INFO/no-entropy/core.c"]
        assert [e["scenario"] for e in rule["evidence"]] == want, rule
    else:
        assert status == 0 and rule["verdict"] == "pass", rule
        assert "3 scenarios checked" in rule["note"], rule


def test_without_the_tree_the_wrappers_are_not_judged(tmp_path: Path) -> None:
    # From mail alone demo_pick()'s body and DEMO_NO_ENTROPY are not known: never a pass.
    _series(tmp_path, retry=False)
    status, rule = _gate(tmp_path, None)
    assert status == 1 and rule["verdict"] == "inconclusive", rule
    assert "give --tree" in rule["note"], rule


OP = ("\nstatic int demo_ldr_op(unsigned int op, const char *why)\n{\n\tstruct tdx_module_args args = {};\n"
      "\tint tries = 0;\n\tu64 ret;\n\nagain:\n\tret = demo_pick_call(0x8000000000000010ULL + op, &args);\n"
      "\tif (ret == DEMO_NO_ENTROPY && tries++ < 3)\n\t\tgoto again;\n\n\treturn ret ? -5 : 0;\n}\n")


@pytest.mark.parametrize("entry", ['entry = ["demo_*"], ', ""], ids=["named", "unnamed"])
def test_a_function_of_the_tree_no_run_reaches_is_not_said_unfed(tmp_path: Path, entry: str) -> None:
    # demo_ldr_op() (unfed) goes back by goto on what demo_pick_call() of arch/x86/kernel answers. Both never ran:
    # inconclusive. demo_pick_call(u64 fn, args) is one the matrix feeds: before, 'the matrix cannot feed its
    # parameters to run it', said of a function of a file no patch touches, which is simply no entry point found.
    tree = _series(tmp_path, False, OP)
    status, rule = _gate(tmp_path, tree, RULES.replace('entry = "*", ', entry))
    assert status == 1 and rule["verdict"] == "inconclusive", rule
    assert "demo_ldr_op() (arch/x86/virt/demo/core.c:" in rule["note"], rule
    if entry:
        said = ("demo_pick_call() (arch/x86/kernel/demo_pick.c:8) reaches a SEAMCALL, but no entry point that ran "
                "reaches it, and arch/x86/kernel/demo_pick.c, a file of the tree that no patch touches, gives no "
                "entry point found in the code")
        assert said in rule["note"], rule["note"]
    assert "demo_pick_call() (arch/x86/kernel/demo_pick.c:8) reaches a SEAMCALL, but no entry point that ran reaches " \
        "it, and the matrix cannot feed" not in (rule["note"] or ""), rule["note"]

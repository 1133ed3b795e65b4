"""harness.assumedconsts: the kernel constants a variant's code read from the mirror's prelude are said as assumed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.reportrows import assumptions

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # makes the mail

TREE_H = "#ifndef _ASM_TDX_H\n#define _ASM_TDX_H\n#define TDX_SEAMCALL_VMFAILINVALID\t0xFFFF000000000000ULL\n#endif\n"
# demo_call() reads two constants no file of the mail defines, and one it defines; demo_other(), which no entry
# point reaches, reads another.
UNIT = ("#include <asm/tdx.h>\n\n#define DEMO_LOOPS\t3\n\nu64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
        "int demo_call(u64 fn, struct tdx_module_args *args)\n{\n\tint tries = DEMO_LOOPS;\n\tu64 ret;\n\n"
        "\tdo {\n\t\tret = __seamcall(fn, args);\n\t} while (ret == TDX_RND_NO_ENTROPY && --tries);\n\n"
        "\tif (ret == TDX_SEAMCALL_VMFAILINVALID)\n\t\treturn -ENODEV;\n\treturn ret ? -EIO : 0;\n}\n\n"
        "int demo_other(void)\n{\n\treturn TDX_SEAMCALL_GP ? -EFAULT : 0;\n}\n")
MATRIX = ('[codes]\nOK = 0\nBAD = 0x20\n[leaves]\nONE = 1\n[[unit]]\nname = "a.c"\npath = "d/a.c"\n[[entry]]\n'
          'name = "demo_call"\nargs = ["fn", "args"]\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')


def _eval(tmp_path: Path, tree: bool) -> list[str]:
    repo = tmp_path / "repo"
    if not repo.exists():
        init_repo(repo, {"arch/x86/include/asm/tdx.h": TREE_H, "d/Makefile": "obj-y += y.o\n"})
        (repo / "d/a.c").write_text(UNIT)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "demo: add demo_call()\n\nA helper.")
        git(repo, "format-patch", "-q", "--base=HEAD~1", "-o", str(tmp_path / "mail"), "-1")
        (tmp_path / "m.toml").write_text(MATRIX)
    out = tmp_path / ("t.json" if tree else "m.json")
    args = ["eval", str(tmp_path / "mail"), "--matrix", str(tmp_path / "m.toml"), "--json", str(out)]
    r = CliRunner().invoke(app, [*args, "--tree", str(repo)] if tree else args)
    assert r.exit_code == 0, r.output
    return assumptions(json.loads(out.read_text()))["v1"]  # the patch applied


def test_constants_the_mail_does_not_define_are_said_as_assumed(tmp_path: Path) -> None:
    # The mirror ran demo_call() with mainline's TDX_SEAMCALL_VMFAILINVALID and TDX_RND_NO_ENTROPY, which the tree
    # defines otherwise; no assumption said so, and a rule passed from mail alone on values the code never saw.
    found = [a for a in _eval(tmp_path, tree=False) if "arch/x86/include/asm/tdx.h" in a]
    assert found == ["TDX_RND_NO_ENTROPY, TDX_SEAMCALL_VMFAILINVALID are not defined in the variant's files: the "
                     "prelude's copy of mainline's arch/x86/include/asm/tdx.h is used; give --tree for the tree's "
                     "values"], found
    # Read by code no entry point reaches, or defined by the mail: not assumed of anything that ran.
    assert not any("TDX_SEAMCALL_GP" in a or "DEMO_LOOPS" in a or "TDX_SW_ERROR" in a for a in found)


def test_a_tree_that_defines_a_constant_gives_it_and_says_what_it_still_lacks(tmp_path: Path) -> None:
    # With the tree its TDX_SEAMCALL_VMFAILINVALID is used; its header lacks TDX_RND_NO_ENTROPY, still mainline's.
    found = [a for a in _eval(tmp_path, tree=True) if "arch/x86/include/asm/tdx.h" in a]
    assert found == ["TDX_RND_NO_ENTROPY is not defined in the variant's files or the tree's headers: the prelude's "
                     "copy of mainline's arch/x86/include/asm/tdx.h is used"], found


def test_the_gate_says_what_its_verdicts_rest_on(tmp_path: Path) -> None:
    # A rule passed from mail alone on the prelude's TDX_SEAMCALL_VMFAILINVALID with nothing in the gate's output
    # saying so: a tree's own value may differ.
    _eval(tmp_path, tree=False)  # the mail and matrix
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "r"\nreviewer = "R"\nsummary = "s"\n[rule.check]\n'
                                     'kind = "behaviour"\n[rule.check.expect]\nno_events = ["violation"]\n')
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "mail"), "--variant", "v1", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(tmp_path / "r.toml"), "--json", str(out)])
    said = json.loads(out.read_text())["assumptions"]
    assert any(a.startswith("TDX_RND_NO_ENTROPY, TDX_SEAMCALL_VMFAILINVALID are not defined") for a in said), said
    assert "assumed: TDX_RND_NO_ENTROPY, TDX_SEAMCALL_VMFAILINVALID are not" in r.output, r.output


def test_a_units_pr_fmt_no_line_was_printed_with_is_not_said_as_assumed(tmp_path: Path) -> None:
    # The matrix runs demo_call() in d/a.c, which the mail lacks; demo_call() is in d/other.c, which the patch creates
    # whole, and prints with other.c's own pr_fmt. Before: "assumed: the pr_fmt of d/a.c is not among the variant's
    # files: none is used" though no line printed with it. A header's printer in the unit would print with it.
    from harness.assumedconsts import variant_assumptions
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import diff, message, patch_body, write_mbox

    other = ('#define pr_fmt(fmt) "other: " fmt\n\nu64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n'
             "int demo_call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 ret = __seamcall(fn, args);\n\n"
             '\tif (ret)\n\t\tpr_err("failed: %llx\\n", ret);\n\treturn ret ? -EIO : 0;\n}\n')
    box = write_mbox(tmp_path / "c.mbox", [message("[PATCH] demo: add", "c1@x",
                                                   patch_body("Add.", diff("d/other.c", None, other)
                                                              + diff("d/Makefile", None, "obj-y += other.o\n")
                                                              + diff("Kbuild", None, "obj-y += d/\n")))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((box,), variants=("v1",), matrix=tmp_path / "m.toml"))
    out = ev.result.outcome("v1", "demo_call/ONE/bad/a.c")
    assert [x.text for x in out.log] == ["other: failed: 20"], out
    said = variant_assumptions(ev.result, ev.result.variant("v1"))
    assert not any("pr_fmt" in x for x in said), said

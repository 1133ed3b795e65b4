"""A header's entry point in a user's tree runs in the tree's .c files that include it.

A header's entry point in a user's own tree that lacks the matrix's units (the bundled matrix's
arch/x86/virt/vmx/tdx/tdx.c): run in the tree's .c files that include it, so a helper moved into the header is
compared with its old self."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
runner = CliRunner()
HEADER, CORE = "arch/x86/include/asm/seam.h", "arch/x86/virt/seam/core.c"
_H = ("#ifndef _ASM_SEAM_H\n#define _ASM_SEAM_H\n\n#define SEAM_NO_ENTROPY\t0x8000020300000000ULL\n\n"
      "struct tdx_module_args { u64 rcx, rdx; };\ntypedef u64 (*seam_fn_t)(u64 fn, struct tdx_module_args *args);\n"
      "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
      "static inline u64 seam_retry(seam_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n\tint left = 10;\n"
      "\tu64 ret;\n\n\tdo {\n\t\tret = func(fn, args);\n\t} while (ret == SEAM_NO_ENTROPY && --left);\n\n"
      "\treturn ret;\n}\n\n#endif\n")
_PRINTER = 'void seam_report_err(u64 fn, u64 err)\n{\n\tpr_err("call %llx failed: %llx\\n", fn, err);\n}\n'
_C = ('#define pr_fmt(fmt) "seam: " fmt\n\n#include <linux/errno.h>\n#include <asm/seam.h>\n\n'
      f"static {_PRINTER}\n"
      "int seam_call_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = seam_retry(__seamcall, fn, args);\n\n"
      "\tif (err) {\n\t\tseam_report_err(fn, err);\n\t\treturn -EIO;\n\t}\n\treturn 0;\n}\n")
RULES = ('[[rule]]\nid = "move-keeps"\nreviewer = "seamharness"\nsummary = "A move keeps behaviour"\n'
         'severity = "error"\n[rule.check]\nkind = "moves"\n')


def _inputs(tmp: Path, moved: str = _PRINTER) -> tuple[Path, Path]:
    """A tree holding the header and core.c (no tdx.c), and a v2 moving the printer into the header (as
    ``moved``)."""
    import git

    repo = git.Repo.init(tmp / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    for path, text in ((HEADER, _H), (CORE, _C), ("arch/x86/virt/seam/Makefile", "obj-y += core.o\n")):
        (tmp / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp / "linux" / path).write_text(text)
    repo.index.add([HEADER, CORE, "arch/x86/virt/seam/Makefile"])
    base = repo.index.commit("base").hexsha
    named = _H.replace("left", "tries")  # 1/2 touches the retry loop: the bundled matrix is the code's
    header = named.replace("\n#endif\n", f"\nstatic inline {moved}\n#endif\n")
    core = _C.replace(f"static {_PRINTER}\n", "")
    cover = message("[PATCH v2 0/2] x86/seam: share the printer", "c-hu@example.org",
                    f"Move it.\n\nbase-commit: {base}\n")
    first = message("[PATCH v2 1/2] x86/seam: Name the retry budget", "p1-hu@example.org",
                    patch_body("Name it.", diff(HEADER, _H, named)), parent="c-hu@example.org",
                    refs=("c-hu@example.org",))
    move = message("[PATCH v2 2/2] x86/seam: Move the error printer to seam.h", "p2-hu@example.org",
                   patch_body("Move it.", diff(HEADER, named, header) + diff(CORE, _C, core)),
                   parent="c-hu@example.org", refs=("c-hu@example.org",))
    return write_mbox(tmp / "v2.mbox", [cover, first, move]), tmp / "linux"


def test_a_printer_moved_into_the_header_is_compared_in_the_trees_own_unit(tmp_path: Path) -> None:
    # Before: its scenarios ran in the bundled matrix's tdx.c and seamldr.c, which the tree lacks: 'not compared:
    # seam_report_err ... run in arch/x86/virt/vmx/tdx/tdx.c, which neither v2:00 nor v2:01 has', the rule
    # inconclusive (exit 1) on a faithful move; gcc (crosscheck) agrees with the runs in core.c.
    mbox, tree = _inputs(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    out = tmp_path / "g.json"
    r = runner.invoke(app, ["gate", str(mbox), "--tree", str(tree), "--variant", "v2", "--rules", str(rules),
                            "--json", str(out)])
    verdict = json.loads(out.read_text())["rules"][0]
    assert verdict["verdict"] == "pass", verdict
    assert "seam_report_err" in verdict["note"] and "tdx.c" not in verdict["note"], verdict
    assert r.exit_code == 0, r.output


def _gate_note(tmp: Path) -> str:
    """The moves rule's note on v2 with the tree (it passes)."""
    mbox, tree = _inputs(tmp)
    rules = tmp / "rules.toml"
    rules.write_text(RULES)
    out = tmp / "g.json"
    r = runner.invoke(app, ["gate", str(mbox), "--tree", str(tree), "--variant", "v2", "--rules", str(rules),
                            "--json", str(out)])
    verdict = json.loads(out.read_text())["rules"][0]
    assert verdict["verdict"] == "pass" and r.exit_code == 0, verdict
    return str(verdict["note"])


@pytest.mark.parametrize("spelling", ["#inc\\\nlude <asm/seam.h>", "# /* c */ include <asm/seam.h>"])
def test_the_units_include_is_read_as_gcc_reads_it(tmp_path: Path, spelling: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # core.c includes the header split by a backslash-newline, or with a comment in the directive: gcc reads
    # asm/seam.h either way (C11 5.1.1.2p1 phases 2-3), and the header's code runs in core.c as with the plain
    # include. Before, core.c was not found as the header's home: half the scenarios (70 of 140) on both sides.
    (tmp_path / "plain").mkdir()
    plain = _gate_note(tmp_path / "plain")
    monkeypatch.setattr(sys.modules[__name__], "_C", _C.replace("#include <asm/seam.h>", spelling))
    assert _gate_note(tmp_path) == plain


def test_a_move_that_changes_the_printer_still_fails(tmp_path: Path) -> None:
    mbox, tree = _inputs(tmp_path, _PRINTER.replace("call %llx", "call %llu"))
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    out = tmp_path / "g.json"
    r = runner.invoke(app, ["gate", str(mbox), "--tree", str(tree), "--variant", "v2", "--rules", str(rules),
                            "--json", str(out)])
    assert r.exit_code == 1, r.output
    assert json.loads(out.read_text())["rules"][0]["verdict"] == "fail", r.output


TDX_C, SC_H = "arch/x86/virt/vmx/tdx/tdx.c", "arch/x86/virt/vmx/tdx/seamcall.h"
_SC = ("#ifndef _SC_H\n#define _SC_H\n\nstruct tdx_module_args { u64 rcx, rdx; };\n"
       "typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);\n"
       "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
       "static inline u64 sc_retry(sc_func_t func, u64 fn, struct tdx_module_args *args)\n{\n\tint left = 10;\n"
       "\tu64 ret;\n\n\tdo {\n\t\tret = func(fn, args);\n\t} while (ret == 0x8000020300000000ULL && --left);\n\n"
       "\treturn ret;\n}\n\nstatic inline int sc_quiet(u64 fn, struct tdx_module_args *args)\n{\n"
       "\treturn sc_retry(__seamcall, fn, args) ? -EIO : 0;\n}\n\n#endif\n")
_TDX = ('#define pr_fmt(fmt) "virt/tdx: " fmt\n\n#include <linux/errno.h>\n#include "seamcall.h"\n\n'
        "int tdx_probe(void)\n{\n\tstruct tdx_module_args args = {};\n\n\treturn sc_quiet(34, &args);\n}\n")


def test_a_header_entry_runs_in_no_unit_of_the_matrix_that_no_state_holds(tmp_path: Path) -> None:
    # A tree holding the bundled matrix's tdx.c but not its seamldr.c (a P-SEAMLDR series' file): the header's
    # wrapper ran in both, and every report and rule said 'sc_quiet() runs in arch/x86/virt/vmx/tdx/seamldr.c,
    # which v2 lacks', of a file nothing in the series or the tree has.
    import git

    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    for path, text in ((SC_H, _SC), (TDX_C, _TDX), ("arch/x86/virt/vmx/tdx/Makefile", "obj-y += tdx.o\n")):
        (tmp_path / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "linux" / path).write_text(text)
    repo.index.add([SC_H, TDX_C, "arch/x86/virt/vmx/tdx/Makefile"])
    base = repo.index.commit("base").hexsha
    cover = message("[PATCH v2 0/1] x86/tdx: retry more", "c-sc@example.org", f"More.\n\nbase-commit: {base}\n")
    one = message("[PATCH v2 1/1] x86/tdx: Retry 16 times", "p1-sc@example.org",
                  patch_body("More.", diff(SC_H, _SC, _SC.replace("left = 10", "left = 16"))),
                  parent="c-sc@example.org", refs=("c-sc@example.org",))
    mbox = write_mbox(tmp_path / "v2.mbox", [cover, one])
    out = tmp_path / "r.json"
    r = runner.invoke(app, ["eval", str(mbox), "--tree", str(tmp_path / "linux"), "--json", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    units = {e["name"]: e["units"] for e in json.loads(out.read_text())["entries"]}
    assert units["sc_quiet"] == ["tdx.c"], units
    assert "sc_quiet() runs in" not in r.output and "sc_quiet, " not in r.output, r.output

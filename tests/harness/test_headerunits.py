"""A header's entry point in a user's tree runs in the tree's .c files that include it.

A header's entry point in a user's own tree that lacks the matrix's units (the bundled matrix's
arch/x86/virt/vmx/tdx/tdx.c): run in the tree's .c files that include it, so a helper moved into the header is
compared with its old self."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

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


NEW_H, ASM_TDX = "arch/x86/include/asm/seamcall.h", "arch/x86/include/asm/tdx.h"
API_H, SEAMLDR_C = "arch/x86/include/asm/seamcall_api.h", "arch/x86/virt/vmx/tdx/seamldr.c"
_ASM = "#ifndef _ASM_X86_TDX_H\n#define _ASM_X86_TDX_H\n\n#include <linux/types.h>\n\nint tdx_enable(void);\n\n#endif\n"
_API = "#ifndef _ASM_SC_API_H\n#define _ASM_SC_API_H\n\n#include <linux/types.h>\n\nint tdx_probe(void);\n\n#endif\n"
_LDR = '#define pr_fmt(fmt) "seamldr: " fmt\n\n#include <linux/errno.h>\n\nint seamldr_probe(void)\n{\n\treturn 0;\n}\n'
_NEW_INC = "<linux/types.h>\n#include <asm/seamcall.h>\n"


def _eval_json(tmp: Path, parts: str) -> tuple[dict[str, list[str]], str, dict[str, Any]]:
    """eval of a v2 of one patch of ``parts`` from mail alone: each found entry point's units, the text, the JSON."""
    one = message("[PATCH v2 1/1] x86/tdx: Add seamcall.h", "p1-nh@example.org", patch_body("Add it.", parts))
    out = tmp / "r.json"
    r = runner.invoke(app, ["eval", str(write_mbox(tmp / "v2.mbox", [one])), "--json", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    got = json.loads(out.read_text())
    return {e["name"]: e["units"] for e in got["entries"] if e["kind"] != "matrix"}, r.output, got


def _tdx_including(spelling: str) -> str:
    """tdx.c's hunk: it stops including seamcall.h beside it and includes ``spelling`` instead."""
    tdx = _TDX.replace('#include "seamcall.h"\n', "")
    return diff(TDX_C, tdx, tdx.replace("<linux/errno.h>\n", f"<linux/errno.h>\n#include {spelling}\n"))


@pytest.mark.parametrize(("via", "units"), [
    ("", ["tdx.c"]),  # tdx.c includes the new header, seamldr.c (in the mail too) does not: it runs in tdx.c alone
    ("new", ["tdx.c"]),  # tdx.c includes another header the series creates, and that one the new header
    ("existing", ["tdx.c", "seamldr.c"]),  # a header the series changes includes it: who includes that is unknown
    ("computed", ["tdx.c", "seamldr.c"]),  # '#include SC_HDR': what a computed name names is not read
    ("nothing", ["tdx.c", "seamldr.c"]),  # no .c file includes it: every unit, as before
])
def test_a_new_headers_entry_runs_in_the_c_files_the_mail_shows_including_it(tmp_path: Path, via: str,
                                                                              units: list[str]) -> None:
    # From mail alone a header the series creates can be included only where a patch adds the #include. Before: its
    # wrapper also ran in the bundled matrix's seamldr.c, 'assumed: the pr_fmt of .../seamldr.c ...' and its
    # scenarios counted twice, of a file the series never has or that never includes it (h642).
    ldr = diff(SEAMLDR_C, _LDR, _LDR.replace("return 0;", "return -ENODEV;"))
    parts = diff(NEW_H, None, _SC) + ldr + {
        "": _tdx_including("<asm/seamcall.h>"),
        "new": diff(API_H, None, _API.replace("<linux/types.h>\n", _NEW_INC)) + _tdx_including("<asm/seamcall_api.h>"),
        "existing": diff(ASM_TDX, _ASM, _ASM.replace("<linux/types.h>\n", _NEW_INC)) + _tdx_including("<asm/tdx.h>"),
        "computed": _tdx_including("<asm/seamcall.h>") + diff(ASM_TDX, _ASM, _ASM.replace(
            "<linux/types.h>\n", '<linux/types.h>\n#define SC_HDR "tdx_sc.h"\n#include SC_HDR\n')),
        "nothing": "",
    }[via]
    found, text, _ = _eval_json(tmp_path, parts)
    assert found["sc_quiet"] == units, found
    assert ("pr_fmt of arch/x86/virt/vmx/tdx/seamldr.c" in text) is (len(units) > 1), text


def test_a_new_headers_entry_follows_the_c_file_including_it_when_renamed(tmp_path: Path) -> None:
    # A .c file that includes the new header, then renamed: its unit follows it (harness.unitmoves), the header's
    # entry point with it. Before: run in the bundled matrix's tdx.c and seamldr.c, files the series never has;
    # counted at its new path too, it ran in a unit of its own that only the renamed state has.
    from harness.pipeline import EvalRequest, evaluate
    from models.outcome import OutcomeStatus
    from tests.gitoracle import Change
    from tests.harness.unitgen import MAKEFILE, MAKEFILE_HEAD, mail_base, mailed, makefile

    old, new = "arch/x86/virt/vmx/tdx/sc_ops.c", "arch/x86/virt/vmx/tdx/sc_calls.c"
    ops = '#define pr_fmt(fmt) "sc-ops: " fmt\n\n#include <linux/errno.h>\n#include "seamcall.h"\n'
    create = Change("x86/tdx: Add seamcall.h", "Ours.", {SC_H: _SC.encode(), old: ops.encode(),
                                                          MAKEFILE: (MAKEFILE_HEAD + "obj-y += sc_ops.o\n").encode()})
    move = Change("x86/tdx: Rename sc_ops.c", "A better name.", {MAKEFILE: makefile(new).encode()},
                  renames={old: new})
    mbox = write_mbox(tmp_path / "s.mbox", mailed(tmp_path, mail_base(), [create, move]))
    ev = evaluate(EvalRequest((mbox,), jobs=1))
    entry = next(e for e in ev.result.matrix.entries if e.name == "sc_quiet")
    assert entry.units == ("sc_ops.c",), entry
    last = ev.result.variant("v1:02")
    assert last.moved == ((old, new),)
    runs = [ev.result.outcome(last.name, s.id) for s in ev.result.matrix.scenarios if s.entry.name == "sc_quiet"]
    assert runs and all(o.status is OutcomeStatus.OK for o in runs), runs
    cmp = ev.comparison.per_patch[-1]  # the rename: the same code run in the same unit, before and after
    assert not any(d.scenario.entry.name == "sc_quiet" for d in cmp.differences), cmp.summary()
    assert not any("sc_quiet" in g.entries for g in cmp.gaps) and cmp.summary()[0].startswith(
        "no behaviour change in the 70 of "), cmp.summary()



RETRIES = ('[[rule]]\nid = "quiet-gives-up"\nreviewer = "R"\nsummary = "sc_quiet() gives up after 16 tries"\n'
           'severity = "error"\n[rule.check]\nkind = "behaviour"\n'
           'scenarios = { entry = ["sc_quiet"], script = "tdx-no-entropy-*" }\nexpect = { calls_at_most = 16 }\n')
UNBUILT = "not run: no unit includes arch/x86/include/asm/seamcall.h, where sc_quiet() is defined"


def _gate_rule(tmp: Path, mbox: Path, *more: str) -> tuple[int, dict[str, Any]]:
    rules, out = tmp / "rules.toml", tmp / "g.json"
    rules.write_text(RETRIES)
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--json", str(out), *more])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(out.read_text())["rules"][0]


@pytest.mark.parametrize(("how", "runs"), [
    ("alone", False),  # the header and nothing else: no unit includes it
    ("beside", False),  # with seamldr.c changed, which does not include it either
    ("included", True),  # tdx.c includes it: it runs there
    ("elsewhere", True),  # a .c file includes "seamcall.h" from another folder (a -I path may find it): not told
    ("forced", True),  # a Makefile's '-include' of it names it: not told
])
def test_a_new_header_no_unit_includes_is_not_run(tmp_path: Path, how: str, runs: bool) -> None:
    # From mail alone, a header the series creates that no file includes: before, its wrapper ran in the bundled
    # matrix's tdx.c and seamldr.c, units that never see it, and the rule on it passed (READY, exit 0) on code no
    # build compiles. Now its runs are not run, saying why, and the rule inconclusive (exit 1).
    ldr = diff(SEAMLDR_C, _LDR, _LDR.replace("return 0;", "return -ENODEV;"))
    kbuild = "obj-y += tdx.o\n"
    parts = diff(NEW_H, None, _SC) + {
        "alone": "",
        "beside": ldr,
        "included": _tdx_including("<asm/seamcall.h>"),
        "elsewhere": diff("drivers/virt/coco/sc.c", None, '#include "seamcall.h"\n\nint sc_ready;\n'),
        "forced": diff("arch/x86/virt/vmx/tdx/Makefile", kbuild, kbuild.replace(
            "\n", "\nccflags-y += -include $(srctree)/arch/x86/include/asm/seamcall.h\n")),
    }[how]
    one = message("[PATCH v2 1/1] x86/tdx: Add seamcall.h", "p1-nr@example.org", patch_body("Add it.", parts))
    code, rule = _gate_rule(tmp_path, write_mbox(tmp_path / "v2.mbox", [one]))
    if runs:  # the forced include's flag is one the mirror does not apply: inconclusive, for that alone
        assert (code, rule["verdict"]) == ((1, "inconclusive") if how == "forced" else (0, "pass")), rule
        assert "not run" not in rule["note"] and "scenarios checked" in rule["note"], rule
        return
    assert (code, rule["verdict"]) == (1, "inconclusive"), rule
    assert UNBUILT in rule["note"] and "the series creates it, and no file of the mail names it" in rule["note"], rule


def _tree_with(tmp: Path, files: dict[str, str]) -> str:
    """A tree of ``files`` committed, and its commit."""
    import git

    repo = git.Repo.init(tmp / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    for path, text in files.items():
        (tmp / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp / "linux" / path).write_text(text)
    repo.index.add(list(files))
    return str(repo.index.commit("base").hexsha)


@pytest.mark.parametrize("user", [None, "arch/x86/kvm/vmx/tdx.c", "arch/x86/kvm/Makefile"])
def test_with_the_tree_a_header_no_file_of_it_includes_is_not_run(tmp_path: Path, user: str | None) -> None:
    # A tree holding the bundled matrix's tdx.c, and asm/seamcall.h, which no file of it includes; a patch to the
    # header: before, its wrapper ran in tdx.c (which does not include it) and the rule passed. Where a file of the
    # tree the harness never reads names it (a KVM file's #include, a Makefile's -include), it runs as before.
    files = {NEW_H: _SC, TDX_C: _TDX.replace('#include "seamcall.h"\n', ""),
             "arch/x86/virt/vmx/tdx/Makefile": "obj-y += tdx.o\n"}
    if user is not None:
        files[user] = "#include <asm/seamcall.h>\n" if user.endswith(".c") else \
            "ccflags-y += -include $(srctree)/arch/x86/include/asm/seamcall.h\n"
    base = _tree_with(tmp_path, files)
    cover = message("[PATCH v2 0/1] x86/tdx: retry more", "c-tr@example.org", f"More.\n\nbase-commit: {base}\n")
    one = message("[PATCH v2 1/1] x86/tdx: Retry 16 times", "p1-tr@example.org",
                  patch_body("More.", diff(NEW_H, _SC, _SC.replace("left = 10", "left = 16"))),
                  parent="c-tr@example.org", refs=("c-tr@example.org",))
    mbox = write_mbox(tmp_path / "v2.mbox", [cover, one])
    code, rule = _gate_rule(tmp_path, mbox, "--tree", str(tmp_path / "linux"))
    if user is not None:
        assert (code, rule["verdict"]) == (0, "pass"), rule
        return
    assert (code, rule["verdict"]) == (1, "inconclusive"), rule
    assert UNBUILT in rule["note"] and "no file of the tree nor of the mail names it" in rule["note"], rule


def test_with_the_tree_a_renamed_c_file_including_the_header_is_one_unit(tmp_path: Path) -> None:
    # The tree's core.c includes seamcall.h beside it; 1/2 changes the header, 2/2 renames core.c (git mv, the
    # Makefile with it). Before: the header's sc_quiet() ran in a unit at each path, ['core.c', 'seam_core.c'], the
    # second in v1:00 and v1:01 too, where no seam_core.c exists (git am's trees have none): runs of code no build
    # compiles, compared as 'no behaviour change'. Now one unit, at core.c's first path, followed by the rename.
    from harness.pipeline import EvalRequest, evaluate
    from tests.gitoracle import Change, init_repo
    from tests.harness.unitgen import mailed

    header, core, renamed = "arch/x86/virt/seam/seamcall.h", "arch/x86/virt/seam/core.c", \
        "arch/x86/virt/seam/seam_core.c"
    makefile = "arch/x86/virt/seam/Makefile"
    base = {header: _SC, core: _TDX, makefile: "obj-y += core.o\n"}
    changes = [Change("x86/seam: Retry more", "More.", {header: _SC.replace("left = 10", "left = 16").encode()}),
               Change("x86/seam: Rename core.c", "Better.", {makefile: b"obj-y += seam_core.o\n"},
                      renames={core: renamed})]
    mbox = write_mbox(tmp_path / "s.mbox", mailed(tmp_path, base, changes))
    ev = evaluate(EvalRequest((mbox,), tree=init_repo(tmp_path / "linux", base), base="HEAD", jobs=1))
    entry = next(e for e in ev.result.matrix.entries if e.name == "sc_quiet")
    assert entry.units == ("core.c",), entry
    for v in ev.result.variants:  # every run of it is in a file the state has (git am: core.c, then seam_core.c)
        where = {s.unit.path for s in ev.result.matrix.scenarios if s.entry.name == "sc_quiet"
                 and ev.result.outcome(v.name, s.id).ran}
        assert where == {core}, (v.name, where)
    assert ev.result.variants[-1].moved == ((core, renamed),)
    cmp = ev.comparison.per_patch[-1]
    assert not any(d.scenario.entry.name == "sc_quiet" for d in cmp.differences), cmp.summary()
    assert not any("sc_quiet" in g.entries for g in cmp.gaps), cmp.summary()


OWN_RULE = ('[[rule]]\nid = "sc-gives-up"\nreviewer = "R"\nsummary = "seamcall() gives up after 16 tries"\n'
            'severity = "error"\n[rule.check]\nkind = "behaviour"\n'
            'scenarios = { entry = ["seamcall"], script = "tdx-no-entropy-*" }\nexpect = { calls_at_most = 16 }\n')
# the bundled matrix's own entry point seamcall(), defined in the new header, and nothing the discovery finds
_OWN = _SC.split("static inline int sc_quiet(")[0] + (
    "static inline u64 seamcall(u64 fn, struct tdx_module_args *args)\n{\n\treturn sc_retry(__seamcall, fn, args);\n"
    "}\n\n#endif\n")


@pytest.mark.parametrize("included", [False, True])
def test_the_matrix_own_entry_in_a_header_its_units_do_not_include_is_not_run(tmp_path: Path, included: bool) -> None:
    # A tree holding the bundled matrix's tdx.c; the patch creates asm/seamcall.h with seamcall(), the matrix's own
    # entry point, which tdx.c does not include. Before: seamcall() ran in tdx.c all the same, and the rule on it
    # passed (READY, exit 0: '16 scenarios checked, all as expected') on code no build compiles (found entry points
    # there were said not run already). Now the matrix's own are too (harness.norun), the rule inconclusive.
    tdx = _TDX.replace('#include "seamcall.h"\n', "#include <asm/seamcall.h>\n" if included else "")
    base = _tree_with(tmp_path, {TDX_C: tdx, "arch/x86/virt/vmx/tdx/Makefile": "obj-y += tdx.o\n"})
    cover = message("[PATCH v2 0/1] x86/tdx: seamcall.h", "c-mo@example.org", f"Add.\n\nbase-commit: {base}\n")
    one = message("[PATCH v2 1/1] x86/tdx: Add seamcall.h", "p1-mo@example.org",
                  patch_body("Add it.", diff(NEW_H, None, _OWN)), parent="c-mo@example.org", refs=("c-mo@example.org",))
    rules, out = tmp_path / "rules.toml", tmp_path / "g.json"
    rules.write_text(OWN_RULE)
    r = runner.invoke(app, ["gate", str(write_mbox(tmp_path / "v2.mbox", [cover, one])), "--variant", "v2", "--rules",
                            str(rules), "--json", str(out), "--tree", str(tmp_path / "linux")])
    rule = json.loads(out.read_text())["rules"][0]
    if included:
        assert (r.exit_code, rule["verdict"]) == (0, "pass"), rule
        return
    assert (r.exit_code, rule["verdict"]) == (1, "inconclusive"), rule
    said = "not run: no unit includes arch/x86/include/asm/seamcall.h, where seamcall() is defined"
    assert said in rule["note"], rule

"""A helper moved out of line into a .c file is a move, as git diff --color-moved sees it.

A helper moved out of line (its definition into a .c file git lists first, a prototype whose parameters run over
two lines left where it was): a move, as git diff --color-moved sees its body move, which the moves rule then judges."""

from __future__ import annotations

import re
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.ingest import IngestRequest, parse_series
from harness.moves import moved_definitions
from harness.verdict import VerdictStatus
from tests.gitoracle import git, init_repo
from tests.harness.movesgate import moves_gate
from tests.harness.seriesgen import (
    MAKEFILE,
    MAKEFILE_BASE,
    OLD_HOME,
    PRINTERS,
    RETRY_SAFE,
    Step,
    helpers,
    revision,
    with_objects,
)
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle

HEAD = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
BODY = ("(u64 fn,\n\t\t\t\t\t  struct tdx_module_args *args)\n{\n\tint tries = 3;\n\tu64 ret;\n\n\tdo {\n"
        "\t\tret = __seamcall(fn, args);\n\t} while (ret == 0x10 && --tries);\n\n\treturn ret ? -EIO : 0;\n}\n")
INLINE = "/* d */\n" + HEAD + "static __always_inline int demo_prerr" + BODY
PROTO = "/* d */\n" + HEAD + "int demo_prerr(u64 fn,\n\t\t struct tdx_module_args *args);\n"


def _out_of_line(tmp_path: Path, returns: str) -> tuple[Path, set[str]]:
    """git format-patch of the move (its .c returning ``returns`` where the inline one returned -EIO), and the removed
    lines git diff --color-moved=blocks shows as moved."""
    repo = init_repo(tmp_path / "repo", {"d/h.h": INLINE})
    (repo / "d/h.h").write_text(PROTO)
    (repo / "d/a.c").write_text('#include "h.h"\n\nint demo_prerr' + BODY.replace("-EIO", returns))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo: move demo_prerr() out of line")
    mail = tmp_path / "p.patch"
    mail.write_bytes(git(repo, "format-patch", "-1", "--stdout", "HEAD").stdout)
    colored = git(repo, "-c", "color.diff.oldMoved=blue", "diff", "--color=always", "--color-moved=blocks",
                  "HEAD~1", "HEAD").stdout.decode()
    moved = {re.sub(r"\x1b\[[0-9;]*m", "", ln)[1:].strip() for ln in colored.splitlines() if ln.startswith("\x1b[34m")}
    return mail, moved


def test_a_helper_moved_out_of_line_is_a_move(tmp_path: Path) -> None:
    # The prototype's first line, 'int demo_prerr(u64 fn,', was read as a definition's head in d/h.h: the helper
    # seemed edited in place there, and the patch moved nothing.
    mail, git_moved = _out_of_line(tmp_path, "-EIO")
    assert "} while (ret == 0x10 && --tries);" in git_moved  # git sees the body move
    patch = parse_series(IngestRequest((mail,))).all_patches()[0]
    assert moved_definitions(patch) == {"demo_prerr": ("d/h.h", "d/a.c")}


def test_the_moves_rule_judges_a_move_out_of_line_that_changes_behaviour(tmp_path: Path) -> None:
    # The .c copy returns -EFAULT: the moves rule passed (no patch moved code: n/a, or a pass on the others').
    from tests.mailgen import diff, message, patch_body, write_mbox

    c_file = '#include "h.h"\n\nint demo_prerr' + BODY.replace("-EIO", "-EFAULT")
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("add", diff("d/h.h", None, INLINE)), parent="c@x"),
            message("[PATCH 2/2] demo: move demo_prerr() out of line", "p2@x", patch_body("move", diff(
                "d/Makefile", "obj-y += y.o\n", "obj-y += a.o y.o\n") + diff("d/a.c", None, c_file)
                + diff("d/h.h", INLINE, PROTO)), parent="c@x")]  # in git's order of paths
    write_mbox(tmp_path / "s.mbox", msgs)
    code, rule, output = moves_gate(tmp_path, tmp_path / "s.mbox", (
        '[codes]\nOK = 0\nBUSY = 0x10\nBAD = 0x20\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\n'
        'name = "demo_prerr"\nargs = ["fn", "args"]\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n'))
    assert rule["verdict"] == "fail" and code == 1, (rule, output)
    assert "02/2 moves demo_prerr" in rule["evidence"][0]["expected"], rule["evidence"]
    assert "return -EIO -> -EFAULT" in rule["evidence"][0]["actual"], rule["evidence"]


def _printer_moved_out_of_line(pr_fmt: str | None) -> list[EmailMessage]:
    """v1 of one patch: seamcall_err() moved from asm/tdx.h (inline: it prints with the pr_fmt of each file including
    it) into a new seamerr.c that defines ``pr_fmt`` (none when None), a prototype left behind."""
    printer = PRINTERS.split("\n\n")[0] + "\n"
    define = f"#define pr_fmt(fmt) {pr_fmt} fmt\n\n" if pr_fmt else ""
    c_file = "// SPDX-License-Identifier: GPL-2.0\n" + define + "#include <asm/tdx.h>\n\n" + \
        printer.replace("static inline void seamcall_err(", "void seamcall_err(")
    header = helpers(RETRY_SAFE).replace(printer, "void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args);\n")
    return revision(1, [Step("x86/virt/tdx: Move seamcall_err() out of line", (
        (MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "seamerr.o")),
        ("arch/x86/virt/vmx/tdx/seamerr.c", None, c_file), (OLD_HOME, helpers(RETRY_SAFE), header)))])


@pytest.mark.parametrize("pr_fmt", ['"seamerr: "', None])
def test_a_printer_moved_out_of_line_into_a_file_of_its_own_pr_fmt_is_not_passed(tmp_path: Path,
                                                                                 pr_fmt: str | None) -> None:
    # seamcall_err(), found in the code, runs in the unit it is defined in: seamerr.c, which v1:00 lacks, so v1:00's
    # runs took seamerr.c's pr_fmt too and printed 'seamerr: SEAMCALL ...' on both sides. The rule passed, while every
    # caller in tdx.c printed 'virt/tdx: SEAMCALL ...' before the move and 'seamerr: SEAMCALL ...' after it.
    mbox = write_mbox(tmp_path / "v1.mbox", _printer_moved_out_of_line(pr_fmt))
    found = next(v for v in evaluate_gate(GateRequest((mbox,), "v1", jobs=1)).verdicts
                 if v.rule.id == "move-preserves-behaviour")
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    said = "'seamerr: '" if pr_fmt else "none"
    assert "seamcall_err() ran in arch/x86/virt/vmx/tdx/seamerr.c in v1:00 too, which v1 01/1 creates: its pr_fmt " \
        f"there ({said}) was taken for v1:00, where seamcall_err() was in {OLD_HOME}" in found.note, found.note
    assert "an [[entry]] of the matrix calling it in a unit that is there on both sides would decide" in found.note
    # Such an entry point, in tdx.c: the prefix the move changed, seen.
    code, rule, output = moves_gate(tmp_path, mbox, (
        '[codes]\nOK = 0\nBAD = 0x8000020300000000\n[leaves]\nONE = 33\n[[unit]]\nname = "tdx"\n'
        'path = "arch/x86/virt/vmx/tdx/tdx.c"\n[[entry]]\nname = "seamcall_err"\nargs = ["fn", "answer", "args"]\n'
        '[[script]]\nname = "bad"\nanswers = ["BAD"]\n'))
    assert rule["verdict"] == "fail" and code == 1, (rule, output)
    said = "log: text 'virt/tdx' -> 'seamerr'" if pr_fmt else "log: text removed 'virt/tdx: '"
    assert rule["evidence"][0]["actual"] == said, rule["evidence"]


def test_a_move_no_entry_point_reaches_says_what_would_compare_it(tmp_path: Path) -> None:
    # sc_retry_prerr() moved out of line: from mail alone its callers, the seamcall_prerr() macros, sit in lines no
    # hunk shows. Inconclusive, saying only 'no entry point of the matrix reaches what it moves': not what would fix it.
    helper = PRINTERS.split("\n\n")[1] + "\n"
    c_file = "// SPDX-License-Identifier: GPL-2.0\n#include <asm/tdx.h>\n\n" + \
        helper.replace("static __always_inline int sc_retry_prerr(", "int sc_retry_prerr(")
    header = helpers(RETRY_SAFE).replace(
        helper, "int sc_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args);\n")
    mbox = write_mbox(tmp_path / "v1.mbox", revision(1, [Step("x86/virt/tdx: Move sc_retry_prerr() out of line", (
        (MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "seamerr.o")),
        ("arch/x86/virt/vmx/tdx/seamerr.c", None, c_file), (OLD_HOME, helpers(RETRY_SAFE), header)))]))
    found = next(v for v in evaluate_gate(GateRequest((mbox,), "v1", jobs=1)).verdicts
                 if v.rule.id == "move-preserves-behaviour")
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert found.note == "01/1: no entry point of the matrix reaches what it moves: an [[entry]] in the matrix that " \
        "calls them would decide (docs/matrix.md); from mail alone a caller may sit in lines no hunk shows: give --tree"

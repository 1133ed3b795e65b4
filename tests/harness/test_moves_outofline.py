"""A helper moved out of line (its definition into a .c file git lists first, a prototype whose parameters run over
two lines left where it was): a move, as git diff --color-moved sees its body move, which the moves rule then judges."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.moves import moved_definitions
from tests.gitoracle import git, init_repo
from tests.harness.movesgate import moves_gate

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

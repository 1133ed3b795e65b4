"""A helper moved from a .c file into a header the file may not include: no pass from mail alone.

A helper moved out of a .c file into a header: from mail alone the moves rule does not pass on the helper's own runs
while no line shown includes the header in that file, whose code left behind may no longer see it (gcc decides)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.movesgate import moves_gate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle

HELPER = "static int demo_errno(u64 err)\n{\n\treturn err == 0x10 ? -EBUSY : -EIO;\n}\n"
# Declarations between the includes and the helper, and between the helper and its caller: the move's hunk shows
# neither the #include lines nor demo_prerr() whole, as in a real file.
FILLER = "".join(f"extern int demo_knob{i};\n" for i in range(6))
CALLER = ("int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
          "\treturn err ? demo_errno(err) : 0;\n}\n")


def unit(include: str, helper: str) -> str:
    return '#include "h.h"\n' + include + "\n" + FILLER + "\n" + helper + "\n" + FILLER + "\n" + CALLER


def h_h(helper: str) -> str:
    return "/* demo */\n#ifndef DEMO_H_H\n#define DEMO_H_H\n\n#define DEMO_TRIES 3\n" + helper + "\n#endif\n"


def err_h(helper: str) -> str:
    return "/* demo */\n#ifndef DEMO_ERR_H\n#define DEMO_ERR_H\n\n" + helper + "\n#endif\n"


MATRIX = ('[codes]\nOK = 0\nBUSY = 0x10\nBAD = 0x20\n[leaves]\nONE = 1\n[[unit]]\nname = "a.c"\npath = "d/a.c"\n'
          '[[entry]]\nname = "demo_errno"\nargs = ["answer"]\n[[entry]]\nname = "demo_prerr"\n'
          '[[script]]\nname = "bad"\nanswers = ["BAD"]\n[[script]]\nname = "busy"\nanswers = ["BUSY"]\n')
INLINE = HELPER.replace("static int", "static inline int")
MOVES = {  # how the helper leaves d/a.c: (a.c's include line after, d/h.h after, d/err.h after)
    "new-header-not-included": ("", h_h(""), err_h(INLINE)),
    "new-header-included": ('#include "err.h"\n', h_h(""), err_h(INLINE)),
    "existing-header": ("", h_h(INLINE), None),
}


def _moved(tmp_path: Path, how: str) -> tuple[Path, Path]:
    """A tree whose d/a.c defines demo_errno() and calls it, and ``git format-patch`` of the move ``how``."""
    repo = init_repo(tmp_path / "linux", {"d/a.c": unit("", HELPER), "d/h.h": h_h("")})
    include, header, new_header = MOVES[how]
    (repo / "d/a.c").write_text(unit(include, ""))
    (repo / "d/h.h").write_text(header)
    if new_header is not None:
        (repo / "d/err.h").write_text(new_header)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo: move demo_errno() into a header")
    mail = tmp_path / "p.patch"
    mail.write_bytes(git(repo, "format-patch", "-1", "--stdout", "HEAD").stdout)
    return repo, mail


def _gate(tmp_path: Path, mail: Path, *tree: str) -> tuple[int, dict[str, Any]]:
    code, rule, _ = moves_gate(tmp_path, mail, MATRIX, *tree, severity="error", cache=tmp_path / "cache")
    return code, rule


def _gcc_builds(repo: Path) -> bool:
    """Whether gcc builds d/a.c as the patch leaves it (the kernel's types and __seamcall() declared first)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    stub = repo.parent / "stub.h"
    stub.write_text("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
                    "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n#define EIO 5\n#define EBUSY 16\n")
    r = subprocess.run(["gcc", "-fsyntax-only", "-Werror=implicit-function-declaration", "-include", str(stub),
                        str(repo / "d/a.c")], capture_output=True, text=True, timeout=60)
    return r.returncode == 0


@pytest.mark.parametrize("how", sorted(MOVES))
def test_from_mail_alone_a_move_passes_only_where_the_include_is_shown(tmp_path: Path, how: str) -> None:
    # Before: the moves rule passed all three from mail alone (exit 0), on demo_errno()'s own runs in its new home;
    # gcc does not build the first (demo_prerr() calls a function d/a.c no longer sees).
    repo, mail = _moved(tmp_path, how)
    assert _gcc_builds(repo) == (how != "new-header-not-included")
    code, rule = _gate(tmp_path, mail)
    if how == "new-header-included":
        assert (code, rule["verdict"]) == (0, "pass"), rule
        return
    assert (code, rule["verdict"]) == (1, "inconclusive"), rule
    home = "d/err.h" if how != "existing-header" else "d/h.h"
    assert f"demo_errno() moved from d/a.c into {home}: the code left in a.c sees it there only if that file " \
           f"includes {home[2:]}, which no line the mail shows does" in rule["note"], rule
    assert ("the series creates it" in rule["note"]) == (how == "new-header-not-included"), rule


@pytest.mark.parametrize("how", ["new-header-not-included", "existing-header"])
def test_with_the_tree_the_unit_s_own_runs_decide(tmp_path: Path, how: str) -> None:
    # d/a.c read whole: its includes are known, and demo_prerr() runs; gcc's verdict is the rule's.
    repo, mail = _moved(tmp_path, how)
    builds = _gcc_builds(repo)
    code, rule = _gate(tmp_path, mail, "--tree", str(repo), "--base", "HEAD~1")
    assert (code, rule["verdict"]) == ((0, "pass") if builds else (1, "fail")), rule
    assert "which no line the mail shows does" not in (rule["note"] or ""), rule


@pytest.mark.parametrize("how", ["new-header-not-included", "new-header-included"])
def test_from_mail_alone_an_equivalence_across_the_move_passes_only_where_the_include_is_shown(
        tmp_path: Path, how: str) -> None:
    # Before: 'the same as v1:00' passed on demo_errno()'s own runs, whether or not d/a.c could still call it.
    repo, mail = _moved(tmp_path, how)
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "same"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n'
                                     '[rule.check]\nkind = "equivalence"\nreference = "v1:00"\n'
                                     'scenarios = { entry = "demo_errno" }\n')
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(mail), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"),
                                 "--rules", str(tmp_path / "r.toml"), "--jobs", "1", "--json", str(out)],
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    (rule,) = json.loads(out.read_text())["rules"]
    if _gcc_builds(repo):
        assert (r.exit_code, rule["verdict"]) == (0, "pass"), rule
    else:
        assert (r.exit_code, rule["verdict"]) == (1, "inconclusive"), rule
        assert "the code left in a.c sees it there only if that file includes err.h" in rule["note"], rule

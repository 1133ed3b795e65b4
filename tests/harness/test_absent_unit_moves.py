"""A matrix unit neither state has keeps no moves rule from passing.

A matrix unit that neither state has, the tree lacking it and no patch creating it: no code runs there on either
side, so the moves rule is not kept from passing by the scenarios of that unit (found by a new user whose own series,
on a tree without seamldr.c, got the bundled matrix: 'not compared: tdx_show_err ... run in seamldr.c, which neither
v2:01 nor v2:02 has' made the move of the helpers into a header inconclusive, and the gate exit 1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.movesgate import MOVES_RULE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the tree

HELPER = "static inline int demo_errno(u64 err)\n{\n\treturn err == 0x10 ? -EBUSY : -EIO;\n}\n"
CALLER = ("int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
          "\treturn err ? demo_errno(err) : 0;\n}\n")
HEADER = "/* demo */\n#ifndef DEMO_H_H\n#define DEMO_H_H\n\n{}#endif\n"
MATRIX = ('[codes]\nOK = 0\nBUSY = 0x10\nBAD = 0x20\n[leaves]\nONE = 1\n'
          '[[unit]]\nname = "a.c"\npath = "d/a.c"\n[[unit]]\nname = "none.c"\npath = "d/none.c"\n'
          '[[entry]]\nname = "demo_errno"\nargs = ["answer"]\n[[entry]]\nname = "demo_prerr"\nunits = ["a.c"]\n'
          '[[script]]\nname = "bad"\nanswers = ["BAD"]\n[[script]]\nname = "busy"\nanswers = ["BUSY"]\n')


def _series(tmp_path: Path) -> tuple[Path, Path]:
    """A tree whose d/a.c defines demo_errno() and calls it, and ``git format-patch`` of the patch moving it into
    d/h.h, which d/a.c includes; the matrix (m.toml) names a second unit, d/none.c, which no state has."""
    files = {"d/a.c": '#include "h.h"\n\n' + HELPER + "\n" + CALLER, "d/h.h": HEADER.format("")}
    repo = init_repo(tmp_path / "linux", files)
    (repo / "d/a.c").write_text('#include "h.h"\n\n' + CALLER)
    (repo / "d/h.h").write_text(HEADER.format(HELPER + "\n"))
    git(repo, "commit", "-q", "-a", "-m", "demo: move demo_errno() into h.h")
    mail = tmp_path / "p.patch"
    mail.write_bytes(git(repo, "format-patch", "-1", "--stdout", "HEAD").stdout)
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(MOVES_RULE.replace('summary = "s"\n', 'summary = "s"\nseverity = "error"\n'))
    return repo, mail


def _run(tmp_path: Path, command: str, *tree: str) -> tuple[int, dict[str, Any]]:
    """``seamharness COMMAND`` of the move with the matrix (and the moves rule for gate): its exit status and JSON."""
    out = tmp_path / f"{command}.json"
    rules = ["--variant", "v1", "--rules", str(tmp_path / "r.toml")] if command == "gate" else []
    r = CliRunner().invoke(app, [command, str(tmp_path / "p.patch"), *rules, "--matrix", str(tmp_path / "m.toml"),
                                 "--jobs", "1", "--json", str(out), *tree],
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    return r.exit_code, json.loads(out.read_text())


def test_a_unit_neither_state_has_keeps_no_move_from_passing(tmp_path: Path) -> None:
    # Before: inconclusive, exit 1: 'not compared: demo_errno (2 scenarios): demo_errno() runs in d/none.c, which
    # neither v1:00 nor v1:01 has (not in linux at ...)'.
    repo, _ = _series(tmp_path)
    code, report = _run(tmp_path, "gate", "--tree", str(repo), "--base", "HEAD~1")
    (rule,) = report["rules"]
    assert (code, rule["verdict"]) == (0, "pass"), rule
    assert "d/none.c" not in (rule["note"] or ""), rule
    assert "4 scenarios of demo_errno, demo_prerr ran on both sides" in rule["note"], rule


def test_from_mail_alone_the_unit_is_not_known_absent(tmp_path: Path) -> None:
    # Without the tree d/none.c may exist and include h.h: its runs stay a gap of the move.
    _series(tmp_path)
    code, report = _run(tmp_path, "gate")
    (rule,) = report["rules"]
    assert (code, rule["verdict"]) == (1, "inconclusive"), rule
    assert "demo_errno() runs in d/none.c in v1:01 only if that file, which the mail does not show, includes" \
           in rule["note"], rule


def test_eval_still_says_what_was_not_compared_and_why(tmp_path: Path) -> None:
    # The scenarios stay out of 'ran on both sides', said with their reason in eval's comparison, and the move is
    # a clean one.
    repo, _ = _series(tmp_path)
    _, report = _run(tmp_path, "eval", "--tree", str(repo), "--base", "HEAD~1")
    (patch,) = [d for d in report["differences"] if d["view"] == "patch"]
    reasons = [g["reason"] for g in patch["not_compared"]]
    assert any(r.startswith("demo_errno() runs in d/none.c, which neither v1:00 nor v1:01 has") for r in reasons), \
        reasons
    assert [f["kind"] for f in report["findings"]] == ["code-move"], report["findings"]

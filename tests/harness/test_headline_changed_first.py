"""A revision's verdict line names changed existing code before code that came or went.

A revision's verdict line names, for each patch, the group of entry points whose existing code changed, before one
that only came or went: an entry point the patch adds ('demo_new() is new') took the line, and the change to what the
kernel already did was '(and 1 more group of entry points)' (found by a new user whose patch added a loader wrapper
and so made the loader's calls retry on another answer)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # format-patch

OLD = ("int demo_old(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
       "\treturn err ? -EIO : 0;\n}\n")
NEW = ("int demo_new(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args) ? -EBUSY : 0;\n}\n")
MATRIX = ('[codes]\nOK = 0\nBAD = 0x20\n[leaves]\nONE = 1\n[[unit]]\nname = "a.c"\npath = "d/a.c"\n'
          '[[entry]]\nname = "demo_new"\n[[entry]]\nname = "demo_old"\n'
          '[[script]]\nname = "bad"\nanswers = ["BAD"]\n')


def _verdict_line(tmp_path: Path, after: str) -> str:
    """eval's verdict line of a patch making d/a.c, which holds demo_old() in the tree, ``after``."""
    repo = init_repo(tmp_path / "linux", {"Makefile": "obj-y += d/\n", "d/Makefile": "obj-y += a.o\n", "d/a.c": OLD})
    (repo / "d/a.c").write_text(after)
    git(repo, "commit", "-q", "-a", "-m", "demo: add demo_new()")
    mail = tmp_path / "p.patch"
    mail.write_bytes(git(repo, "format-patch", "-1", "--stdout", "HEAD").stdout)
    (tmp_path / "m.toml").write_text(MATRIX)
    r = CliRunner().invoke(app, ["eval", str(mail), "--matrix", str(tmp_path / "m.toml"), "--jobs", "1",
                                 "--tree", str(repo), "--base", "HEAD~1"],
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    (line,) = [ln.strip() for ln in r.output.splitlines() if ln.startswith("  v1 01/1: ")]
    return line


def test_the_change_to_existing_code_leads(tmp_path: Path) -> None:
    # Before: 'v1 01/1: demo: add demo_new(): demo_new: demo_new() is new: this patch defines it [...] (and 1 more
    # group of entry points)'.
    line = _verdict_line(tmp_path, NEW + "\n" + OLD.replace("-EIO", "-ENODEV"))
    assert line.startswith("v1 01/1: demo: add demo_new(): demo_old: return -EIO -> -ENODEV"), line
    assert line.endswith("(and 1 more group of entry points)"), line


def test_a_patch_that_only_adds_says_so(tmp_path: Path) -> None:
    line = _verdict_line(tmp_path, NEW + "\n" + OLD)
    assert line.startswith("v1 01/1: demo: add demo_new(): demo_new: demo_new() is new: this patch defines it"), line

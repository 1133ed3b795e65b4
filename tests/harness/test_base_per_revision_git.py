"""Revisions read from different commits of a --tree: the reports' base line says which revision is on which."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.variantgen import MATRIX, RETRY_C

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the trees
runner = CliRunner()
C = "demo/demo.c"
TEXT = "// SPDX-License-Identifier: GPL-2.0\n" + RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")


def _revision(tree: Path, out: Path, at: str, version: int) -> None:
    """Revision ``version``: one patch (the retry count 3 -> 4) on commit ``at``, sent with its base-commit: line."""
    git(tree, "checkout", "-q", "-b", f"v{version}", at)
    (tree / C).write_text((tree / C).read_text().replace("int tries = 3;", "int tries = 4;"))
    git(tree, "commit", "-q", "-am", f"demo: one more try\n\nv{version}.\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "format-patch", "-q", "--thread=shallow", f"--subject-prefix=PATCH v{version}", f"--base={at}",
        "-o", str(out / f"v{version}"), "HEAD~1..HEAD")


def test_each_revision_is_named_with_the_base_it_is_on(tmp_path: Path) -> None:
    tree = init_repo(tmp_path / "tree", {C: TEXT})
    first = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    (tree / C).write_text("/* A later release. */\n" + TEXT)
    git(tree, "commit", "-q", "-am", "demo: a later release")
    later = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    _revision(tree, tmp_path / "mail", first, 1)
    _revision(tree, tmp_path / "mail", later, 2)
    (tmp_path / "m.toml").write_text(MATRIX)
    r = runner.invoke(app, ["eval", str(tmp_path / "mail"), "--tree", str(tree), "--matrix", str(tmp_path / "m.toml"),
                            "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    base = json.loads((tmp_path / "r.json").read_text())["base"]
    # Before: "tree at <first> (...); tree at <later> (...)", neither said to be v1's or v2's.
    assert base.startswith(f"v1: {tree} at {first[:12]} (") and f"; v2: {tree} at {later[:12]} (" in base, base
    assert f"base: v1: {tree} at {first[:12]}" in " ".join(r.stdout.split()), r.stdout


def test_one_base_for_every_revision_is_said_once_as_before(tmp_path: Path) -> None:
    tree = init_repo(tmp_path / "tree", {C: TEXT})
    first = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    _revision(tree, tmp_path / "mail", first, 1)
    git(tree, "checkout", "-q", "master")
    _revision(tree, tmp_path / "mail", first, 2)
    (tmp_path / "m.toml").write_text(MATRIX)
    r = runner.invoke(app, ["eval", str(tmp_path / "mail"), "--tree", str(tree), "--matrix", str(tmp_path / "m.toml"),
                            "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    base = json.loads((tmp_path / "r.json").read_text())["base"]
    assert base.startswith(f"{tree} at {first[:12]} (") and "v1" not in base and base.count(" at ") == 1, base

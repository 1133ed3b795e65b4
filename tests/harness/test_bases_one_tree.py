"""With --tree, two revisions' different named bases on one commit of the tree are said.

With --tree, two revisions whose mails name different bases that both end up on one commit of the tree (it lacks
one of them; the blobs match the other): the names are said under ``vA -> vB``, as without a tree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.kerneltreegen import BASE_TAG, Built, _commit, _fill_cover, _git, build, tree_file

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git writes the mails (format-patch --base)")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path]:
    """The generated tree and its v1, and v2 as its author sends it from a local commit on top of the base (a
    Makefile tweak) that the tree then lacks: its cover letter names a commit nobody else has."""
    where = tmp_path_factory.mktemp("one-tree")
    done = build(where)
    repo = done.tree
    _git(repo, "checkout", "-q", "-b", "local", BASE_TAG)
    _commit(repo, "Makefile: a local tweak", "Not sent.", {"Makefile": tree_file("Makefile").replace(
        "-rc1", "-rc1-local")}, 21)
    _git(repo, "checkout", "-q", "-b", "v2-local")
    _git(repo, "cherry-pick", f"{BASE_TAG}..v2", when=22)
    _git(repo, "format-patch", "-q", "--cover-letter", "-v2", "--base=local", "-o", str(where / "v2-local"),
         "local..v2-local")
    _fill_cover(where / "v2-local", 2)
    _git(repo, "checkout", "-q", "master")
    _git(repo, "branch", "-q", "-D", "local", "v2-local")
    _git(repo, "reflog", "expire", "--expire=now", "--all")
    _git(repo, "gc", "-q", "--prune=now")
    return done, where / "v2-local"


def test_bases_named_apart_and_built_on_one_commit_are_said_once(built: tuple[Built, Path], tmp_path: Path) -> None:
    """Before: under 'v1 -> v2' nothing of the bases (both variants' base is the tree at the base tag), the names
    only inside each variant's base text."""
    done, v2 = built
    r = CliRunner().invoke(app, ["eval", str(done.out[1]), str(v2), "--tree", str(done.tree), "--json",
                                 str(tmp_path / "r.json")], env={"COLUMNS": "1000"})
    assert r.exit_code == 0, r.stderr
    section = " ".join(r.stdout.split("\nv1 -> v2\n")[1].split())
    named = (v2 / "v2-0000-cover-letter.patch").read_text().split("base-commit: ")[1][:12]
    base = _git(done.tree, "rev-parse", BASE_TAG).strip()[:12]
    assert section.startswith(f"v1's cover letter names base-commit: {base}, v2's cover letter names base-commit: "
                              f"{named}, yet both are built on {done.tree} at {base} (this tree lacks {named}): what "
                              "differs between v1 and v2 holds no change of base"), section[:400]
    assert r.stdout.count(f"names base-commit: {named}") == 1
    doc = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(doc, json.loads((ROOT / "reports" / "eval.schema.json").read_text()))
    (apart,) = [c["bases_apart"] for c in doc["differences"] if "bases_apart" in c]
    assert apart["a"].startswith(base) and apart["b"].startswith(named) and apart["from"] == "mail"


def test_one_base_named_by_both_says_nothing(built: tuple[Built, Path]) -> None:
    done, _ = built
    r = CliRunner().invoke(app, ["eval", str(done.out[1]), str(done.out[2]), "--tree", str(done.tree)],
                           env={"COLUMNS": "1000"})
    assert r.exit_code == 0, r.stderr
    assert "names base-commit:" not in r.stdout

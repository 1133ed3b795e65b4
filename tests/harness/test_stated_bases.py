"""Two revisions whose mails name different bases, compared without a tree: the base's change is said possible."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from harness.model import Revision
from harness.statedbase import NONE_NAMED, stated_apart
from tests.harness.kerneltreegen import Built, build, rebased

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git writes the mails (format-patch --base)")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path]:
    where = tmp_path_factory.mktemp("bases")
    done = build(where)
    return done, rebased(done, where / "v2-rebased")


def _revisions(*folders: Path) -> tuple[Revision, ...]:
    mails = tuple(sorted(p for f in folders for p in f.iterdir()))
    return parse_series(IngestRequest(mails)).revisions


def _copy(folder: Path, to: Path, keep: str = "") -> Path:
    """A revision's mails with the cover letter's base-commit: line left out (or kept: ``keep``)."""
    to.mkdir()
    for mail in folder.iterdir():
        text = mail.read_text()
        (to / mail.name).write_text(text if keep else re.sub(r"^base-commit: \S+\n", "", text, flags=re.M))
    return to


def test_mail_alone_says_the_bases_the_two_revisions_name(built: tuple[Built, Path], tmp_path: Path) -> None:
    # Before: with mail alone both bases are "hunks only (no tree)", so v1 -> v2 said nothing of v2 being rebased on
    # rc2 (its cover letter's base-commit: names another commit than v1's): the base's change read as v2's.
    done, v2 = built
    r = CliRunner().invoke(app, ["eval", str(done.out[1]), str(v2), "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.stderr
    section = " ".join(r.stdout.split("\nv1 -> v2\n")[1].split())
    a = (stated_apart(*_revisions(done.out[1], v2)) or pytest.fail("no note")).a
    assert section.startswith(f"v1's cover letter names base-commit: {a[:12]}, v2's cover letter names base-commit: "
                              ), section[:300]
    assert "may include a change of base" in section and "eval --tree with a tree holding both commits" in section
    assert r.stdout.count("names base-commit:") == 1  # once, where the two are compared
    doc = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(doc, json.loads((ROOT / "reports" / "eval.schema.json").read_text()))
    (apart,) = [c["bases_apart"] for c in doc["differences"] if "bases_apart" in c]
    b = apart["b"]
    assert apart["from"] == "mail" and apart["a"] == a and len(b) == 40 and b != a, apart
    assert " ".join(apart["note"].split()) in section


def test_one_base_named_and_one_not_is_a_difference(built: tuple[Built, Path], tmp_path: Path) -> None:
    done, v2 = built
    unnamed = _copy(v2, tmp_path / "v2")
    apart = stated_apart(*_revisions(done.out[1], unnamed))
    assert apart is not None and apart.b == NONE_NAMED and apart.a != NONE_NAMED, apart
    assert "v2's cover letter names no base (no base-commit: line):" in apart.note, apart.note
    assert "holding the named commit" in apart.note
    assert stated_apart(*_revisions(_copy(done.out[1], tmp_path / "v1", keep="all"), unnamed)) is not None


def test_the_same_base_or_none_named_says_nothing(built: tuple[Built, Path], tmp_path: Path) -> None:
    done, v2 = built
    assert stated_apart(*_revisions(done.out[1], done.out[2])) is None  # both on the tag's commit
    assert stated_apart(*_revisions(_copy(done.out[1], tmp_path / "a"), _copy(v2, tmp_path / "b"))) is None
    # Without v2's cover letter nor its patch 1, what it names is not known: nothing is said.
    lacking = _copy(v2, tmp_path / "c", keep="all")
    for mail in (*lacking.glob("*0000-*"), *lacking.glob("*0001-*")):
        mail.unlink()
    assert stated_apart(*_revisions(done.out[1], lacking)) is None


def test_a_short_id_of_the_same_commit_is_the_same_base(built: tuple[Built, Path], tmp_path: Path) -> None:
    done, v2 = built
    full = stated_apart(*_revisions(done.out[1], v2))
    assert full is not None
    shortened = _copy(v2, tmp_path / "v2", keep="all")
    for mail in shortened.iterdir():
        mail.write_text(mail.read_text().replace(f"base-commit: {full.b}", f"base-commit: {full.b[:12]}"))
    assert stated_apart(*_revisions(done.out[1], shortened)) is not None  # still another commit than v1's
    same = _copy(done.out[2], tmp_path / "v2-same", keep="all")  # v2 on v1's base, named by a short id
    for mail in same.iterdir():
        mail.write_text(mail.read_text().replace(f"base-commit: {full.a}", f"base-commit: {full.a[:12]}"))
    assert f"base-commit: {full.a[:12]}\n" in next(same.glob("*0000-*")).read_text()
    assert stated_apart(*_revisions(done.out[1], same)) is None

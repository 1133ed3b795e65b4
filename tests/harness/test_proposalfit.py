"""A reply's diff that git apply refuses on the patch it answers (and before it) is said, not silently unused."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, HELPER_V2, demo_series, diff, message, write_eml

runner = CliRunner()


def _write(folder: Path, proposal: str) -> Path:
    folder.mkdir()
    r = message("Re: [PATCH v2 2/3] demo: print fn in decimal", "r1@x", f"Try this:\n\n{proposal}\nThanks.\n",
                sender="Rita Reviewer <rita@example.org>", parent="p2-v2@example.org",
                refs=("cover-v2@example.org", "p2-v2@example.org"))
    for i, m in enumerate([*demo_series(), r]):
        write_eml(folder / f"{i}.eml", m)
    return folder / "4.eml"


def _applies(tmp_path: Path, text: str, on: str) -> bool:
    """git apply --check (the oracle) of the diff on the helper as ``on``."""
    repo = init_repo(tmp_path / f"repo{len(list(tmp_path.glob('repo*')))}", {HELPER_PATH: on})
    (repo.parent / "p.diff").write_text(text)
    return git(repo, "apply", "--check", str(repo.parent / "p.diff"), check=False).returncode == 0


def _notes(folder: Path) -> tuple[list[dict[str, object]], str, str]:
    r = runner.invoke(app, ["series", str(folder), "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["notes"], r.stderr, r.stdout


def test_diff_that_does_not_apply_is_said(tmp_path: Path) -> None:
    bad = diff(HELPER_PATH, HELPER_V1, HELPER_V2).replace("-\tint tries = 3;", "-\tint tries = 4;")
    assert not _applies(tmp_path, bad, HELPER_V1) and not _applies(tmp_path, bad, HELPER_V0)
    mail = _write(tmp_path / "in", bad)
    notes, stderr, _ = _notes(tmp_path / "in")
    (note,) = notes
    line = mail.read_text().splitlines().index(bad.splitlines()[0]) + 1
    assert (note["path"], note["line"]) == (str(mail), line)
    assert "<r1@x> does not apply to v2 02/3 (nor before it): drivers/demo/helper.h @@" in str(note["reason"])
    assert f"seamharness: note: {mail}:{line}: diff in the reply of Rita Reviewer <r1@x> does not apply" in stderr


def test_diff_that_applies_after_or_before_is_no_note(tmp_path: Path) -> None:
    after = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    before = diff(HELPER_PATH, HELPER_V0, HELPER_V0.replace("int tries = 3;", "int tries = 4;"))
    for n, text in enumerate((after, before)):
        assert _applies(tmp_path, text, HELPER_V1) or _applies(tmp_path, text, HELPER_V0)
        notes, stderr, out = _notes(_write(tmp_path / f"in{n}", text).parent)
        (reply,) = json.loads(out)["revisions"][0]["patches"][1]["replies"]
        assert notes == [] and stderr == "" and len(reply["proposals"]) == 1

"""A reviewer's diff whose hunk header is a line or two off is placed as git apply places it, from mail alone too."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.variantgen import MATRIX
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, HELPER_V2, diff, message, patch_body, write_eml

runner = CliRunner()

# A file the series modifies (not creates): from mail alone it is known only in fragments.
_BASE = "/* lines above */\n" * 4 + HELPER_V0
_V1, _V2 = "/* lines above */\n" * 4 + HELPER_V1, "/* lines above */\n" * 4 + HELPER_V2
_WANT = _V2.replace("int tries = 5;", "int tries = 7;")


def _shifted(text: str, by: int) -> str:
    """The diff with its hunk headers moved by ``by`` lines, as a reviewer who edited it by hand sends it."""
    return re.sub(r"^@@ -(\d+),(\d+) \+(\d+),(\d+) @@",
                  lambda m: f"@@ -{int(m[1]) + by},{m[2]} +{int(m[3]) + by},{m[4]} @@", text, flags=re.M)


def _series(folder: Path, proposal: str) -> None:
    folder.mkdir()
    cover = "cover-v2@example.org"
    msgs = [message("[PATCH v2 0/2] demo: helper rework", cover, "Cover letter text.\n")]
    for n, (old, new, title) in enumerate([(_BASE, _V1, "demo: print fn in decimal"),
                                           (_V1, _V2, "demo: try five times")], start=1):
        msgs.append(message(f"[PATCH v2 {n}/2] {title}", f"p{n}-v2@example.org",
                            patch_body(f"Change number {n}.", diff(HELPER_PATH, old, new)), parent=cover,
                            refs=(cover,)))
    msgs.append(message("Re: [PATCH v2 2/2] demo: try five times", "r1@x", f"Try this:\n\n{proposal}\nThanks.\n",
                        sender="Rita Reviewer <rita@example.org>", parent="p2-v2@example.org",
                        refs=(cover, "p2-v2@example.org")))
    for i, m in enumerate(msgs):
        write_eml(folder / f"{i}.eml", m)


def _git_apply(tmp_path: Path, text: str, on: str) -> str | None:
    """git apply (the oracle) of the diff on the helper as ``on``: the file it makes, or None when refused."""
    repo = init_repo(tmp_path / f"repo{len(list(tmp_path.glob('repo*')))}", {HELPER_PATH: on})
    (repo.parent / "p.diff").write_text(text)
    if git(repo, "apply", str(repo.parent / "p.diff"), check=False).returncode:
        return None
    return (repo / HELPER_PATH).read_text()


def test_hand_edited_hunk_header_is_placed_as_git_apply_places_it(tmp_path: Path) -> None:
    for by in (-1, 1, 2):
        text = _shifted(diff(HELPER_PATH, _V2, _WANT), by)
        assert _git_apply(tmp_path, text, _V2) == _WANT  # git apply takes it, at an offset
        _series(tmp_path / f"in{by}", text)
        r = runner.invoke(app, ["series", str(tmp_path / f"in{by}"), "--json"])
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        (reply,) = data["revisions"][0]["patches"][1]["replies"]
        assert data["notes"] == [] and len(reply["proposals"]) == 1, (by, r.stderr)
        out = tmp_path / f"out{by}"
        r = runner.invoke(app, ["apply", str(tmp_path / f"in{by}"), "--variant", "v2:02+rita-reviewer",
                                "--out", str(out)])
        assert r.exit_code == 0, r.output
        known = (out / f"{HELPER_PATH}.fragments").read_text()
        assert "\tint tries = 7;\n" in known and "int tries = 5;" not in known
        # The note names the hunk as the mail has it (git apply: 'Hunk #1 succeeded at N (offset M lines)').
        header = re.search(r"^@@ [^@]* @@", text, re.M)
        (tmp_path / "m.toml").write_text(MATRIX)
        r = runner.invoke(app, ["eval", str(tmp_path / f"in{by}"), "--matrix", str(tmp_path / "m.toml"), "--json", "-"])
        assert r.exit_code == 0, r.output
        notes = [f["text"] for f in json.loads(r.stdout)["findings"] if f["kind"] == "apply-note"]
        assert header is not None and any(f"{header[0]}: applied with offset {-by:+d} lines" in n for n in notes), notes


def test_a_hunk_whose_nearer_places_are_unknown_is_not_placed_far_off(tmp_path: Path) -> None:
    # Shifted by 12 lines: between the stated place and the known match lie lines no mail shows, where git apply
    # may find the hunk first; what it does there cannot be told, so the diff is not taken on a guess.
    text = _shifted(diff(HELPER_PATH, _V2, _WANT), 12)
    _series(tmp_path / "in", text)
    r = runner.invoke(app, ["series", str(tmp_path / "in"), "--json"])
    (note,) = json.loads(r.stdout)["notes"]
    assert "is not known to apply to v2 02/2" in str(note["reason"]), note  # never "does not apply": not known


def test_a_hunk_that_may_fit_a_line_the_mail_does_not_show_is_not_said_to_fail(tmp_path: Path) -> None:
    # The reviewer's header is one line low; the line right above its stated place is in no hunk of the series,
    # and git apply (the oracle, on the whole file) takes the diff there. From mail alone whether that line holds
    # the context cannot be told: the diff is no variant, and that is what is said, never that it does not apply.
    text = _shifted(diff(HELPER_PATH, _V2, _WANT, context=5), 1)
    assert _git_apply(tmp_path, text, _V2) == _WANT
    _series(tmp_path / "in", text)
    r = runner.invoke(app, ["series", str(tmp_path / "in"), "--json"])
    assert r.exit_code == 0, r.output
    (note,) = json.loads(r.stdout)["notes"]
    reason = str(note["reason"])
    assert "does not apply" not in reason, reason
    assert "is not known to apply to v2 02/2" in reason and "give --tree" in reason, reason


def test_a_cover_letter_diff_that_may_fit_a_line_the_mail_does_not_show_is_not_said_to_fail(tmp_path: Path) -> None:
    # The same one-line-off diff below the cover letter: tried on the revision's last patch, it was said not to apply
    # there ('does not apply on top of v2 02/2, ...: hunk not known to apply: ...'), which git apply takes.
    text = _shifted(diff(HELPER_PATH, _V2, _WANT, context=5), 1)
    assert _git_apply(tmp_path, text, _V2) == _WANT
    folder = tmp_path / "in"
    _series(folder, "no diff here\n")
    write_eml(folder / "9.eml", message("Re: [PATCH v2 0/2] demo: helper rework", "r9@x", f"Try:\n\n{text}",
                                        sender="Cora Cover <cora@example.org>", parent="cover-v2@example.org",
                                        refs=("cover-v2@example.org",)))
    r = runner.invoke(app, ["series", str(folder), "--json"])
    assert r.exit_code == 0, r.output
    (note,) = [n for n in json.loads(r.stdout)["notes"] if "Cora Cover" in str(n["reason"])]
    reason = str(note["reason"])
    assert "does not apply" not in reason and "is not known to apply on top of v2 02/2" in reason, reason

"""A Nacked-by trailer is cited whole, and one quoted from another's message is its named person's NAK."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.harness.test_gate_naks import MAE, OLGA, _replies

runner = CliRunner()
SAM = "Sam Second <sam@example.org>"


def _said(tmp: Path, mbox: Path) -> list[tuple[str, str, str]]:
    """(Message-ID, who, sentence) of each objection the gate's JSON lists."""
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp / "rules.toml"), "--json",
                            str(tmp / "g.json")])
    doc = json.loads((tmp / "g.json").read_text())
    assert r.exit_code == (1 if doc["objections"] else 0), r.stdout
    return [(o["msgid"], o["author"], o["sentence"]) for o in doc["objections"]]


def test_a_trailer_in_a_reply_is_cited_as_its_whole_line(tmp_path: Path) -> None:
    # Cited as "Nacked-by": the sentence ended at the trailer's colon.
    said = _said(tmp_path, _replies(tmp_path, ("n1@example.org", "> quoted\n\nLoops forever.\n\nNacked-by: Mae "
                                               "Maint <mae@example.org>\n", MAE, "patch")))
    assert said == [("n1@example.org", "Mae Maint", "Nacked-by: Mae Maint <mae@example.org>")], said


QUOTE = ("On Mon, Dec 1, 2026 at 10:00 AM Olga Other <olga@example.org> wrote:\n> Looks fine to me.\n>\n"
         "> Nacked-by: Sam Second <sam@example.org>\n\nI agree with Olga.\n")


def test_a_quoted_trailer_naming_another_is_that_persons_nak(tmp_path: Path) -> None:
    # It was Olga's NAK (the attribution's), and Olga's withdrawal took it back; Sam's did not.
    mine = ("m1@example.org", QUOTE, MAE, "patch")
    said = _said(tmp_path, _replies(tmp_path, mine))
    assert said == [("m1@example.org", "Sam Second <sam@example.org> (in Olga Other <olga@example.org>'s message, "
                     "quoted by Mae Maint)", "Nacked-by: Sam Second <sam@example.org>")], said
    for who, left in ((OLGA, ["m1@example.org"]), (SAM, [])):
        scratch = ("w1@example.org", "> I agree with Olga.\n\nI withdraw my NAK.\n", who, "m1@example.org")
        assert [m for m, _, _ in _said(tmp_path, _replies(tmp_path, mine, scratch))] == left, who


def test_a_quoted_trailer_naming_the_quoted_sender_stays_theirs(tmp_path: Path) -> None:
    own = QUOTE.replace("Sam Second <sam@example.org>", "Olga O. Other <olga@example.org>")
    said = _said(tmp_path, _replies(tmp_path, ("m1@example.org", own, MAE, "patch")))
    assert [w for _, w, _ in said] == ["Olga Other <olga@example.org> (quoted by Mae Maint)"], said

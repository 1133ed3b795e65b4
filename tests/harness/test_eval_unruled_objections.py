"""eval with no review rules lists each revision's NAKs as the gate would count them.

eval with no review rules lists the NAKs of each revision's patches, as the gate would count them (no rule
judges any), in the terminal, the page and the JSON; its verdict stays 'not judged'. Before, a new user's eval of a
thread holding a NAK of v1 05/5 said nothing of it ('v1: 3 of 5 patches change behaviour ... (no review rules
evaluated)', JSON 'objections': []), while `seamharness series` showed it and gate with any rules file blocked on it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import demo_series, message, write_mbox

MATRIX = ('[codes]\nOK = 0\nBUSY = 0x8000000000000010\n[leaves]\nONE = 1\n[[unit]]\nname = "h.c"\n'
          'path = "drivers/demo/h.c"\n[[entry]]\nname = "demo_retry"\nargs = ["fn"]\n[[script]]\nname = "busy"\n'
          'answers = ["BUSY", "OK"]\n[match]\nidentifiers = ["demo_*"]\n')


def _eval(tmp_path: Path, reply: str) -> tuple[str, dict[str, object]]:
    """eval (no rules) of the demo series v2 with a reply to its 2/3 saying ``reply``: the terminal text and JSON."""
    msgs = demo_series()
    answer = message(f"Re: {msgs[2]['Subject']}", "r@example.org", f"> Change number 2.\n\n{reply}\n",
                     sender="Mae Maint <mae@example.org>", parent="p2-v2@example.org",
                     refs=("cover-v2@example.org", "p2-v2@example.org"))
    mbox = write_mbox(tmp_path / "t.mbox", [*msgs, answer])
    (tmp_path / "m.toml").write_text(MATRIX)
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["eval", str(mbox), "--matrix", str(tmp_path / "m.toml"), "--jobs", "1", "--json",
                                 str(out)], env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    return r.output, json.loads(out.read_text())


def test_a_nak_is_listed_without_rules(tmp_path: Path) -> None:
    text, report = _eval(tmp_path, "NAK, keep it in hex.")
    head = next(ln for ln in text.splitlines() if ln.startswith("v2: "))
    assert head.endswith("; no review rules evaluated; 1 NAK no rule judges (the gate blocks on each)"), head
    assert '  ! NAK of v2 02/3 by Mae Maint <r@example.org> (' in text and ': "NAK, keep it in hex."' in text, text
    (nak,) = report["objections"]
    assert isinstance(nak, dict) and (nak["variant"], nak["kind"], nak["target"]) == ("v2", "nak", "v2 02/3"), nak


def test_a_reply_with_no_objection_adds_nothing(tmp_path: Path) -> None:
    text, report = _eval(tmp_path, "Looks fine to me.")
    head = next(ln for ln in text.splitlines() if ln.startswith("v2: "))
    assert head.endswith("; no review rules evaluated"), head
    assert report["objections"] == [], report["objections"]

"""An objection given again, an earlier objection's note in eval, and a quoted NAK whose sender no line names."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import revision
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_earlier import CHANGED, CREATE, NAK, PREPARING, WRAPPING, _gate, _inputs, _reply
from tests.harness.test_gate_naks import MAE, OLGA, _objections, _replies
from tests.mailgen import message, write_mbox

runner = CliRunner()
AGAIN = "later@example.org"


def test_a_re_nak_of_the_unchanged_patch_is_one_objection_citing_both(tmp_path: Path) -> None:
    # Mae NAKs v1 02/3 and again v2 02/3, the same change by git patch-id: it was listed twice ("2 NAKs").
    _inputs(tmp_path, [CREATE, PREPARING, WRAPPING], later=(2, "NAK, this still special-cases the loader."))
    g = _gate(tmp_path)
    [o] = g.objections
    assert (o.msgid, o.target, o.sentence) == (AGAIN, "v2 02/3", "NAK, this still special-cases the loader."), o
    [a] = o.again
    assert (a.msgid, a.target) == (NAK, "v1 02/3") and a.where.startswith(f"{tmp_path / 'v1.mbox'}:"), a
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 NAK no rule judges"), g.headline()
    assert f"also given in <{NAK}>" in o.describe() and "of v1 02/3" in o.describe(), o.describe()
    r = runner.invoke(app, ["gate", str(tmp_path / "v1.mbox"), str(tmp_path / "v2.mbox"), "--variant", "v2",
                            "--rules", str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json"),
                            "--junit", str(tmp_path / "g.xml")])
    assert r.exit_code == 1 and f"<{AGAIN}>" in r.stdout and f"<{NAK}>" in r.stdout, r.stdout
    [doc] = json.loads((tmp_path / "g.json").read_text())["objections"]
    assert doc["msgid"] == AGAIN and [x["msgid"] for x in doc["also"]] == [NAK], doc
    assert 'failures="1"' in (tmp_path / "g.xml").read_text()


def test_another_reviewers_nak_of_the_same_change_is_its_own(tmp_path: Path) -> None:
    _, two_path, _, two = _inputs(tmp_path, [CREATE, PREPARING, WRAPPING])
    olga = _reply(two[2], "olga-v2@example.org", "NAK from me as well.", "Wed, 07 Jan 2026 10:00:00 +0000")
    olga.replace_header("From", OLGA)
    write_mbox(two_path, [*two, olga])
    assert sorted(o.msgid for o in _gate(tmp_path).objections) == [NAK, "olga-v2@example.org"]


def test_two_naks_of_a_patch_changed_since_are_one_earlier_objection(tmp_path: Path) -> None:
    one_path, _, one, _ = _inputs(tmp_path, [CREATE, CHANGED, WRAPPING])
    first = _reply(one[2], NAK, "NAK, this special-cases the loader again.")
    write_mbox(one_path, [*one, first, _reply(one[2], AGAIN, "Still NAK.", "Wed, 07 Jan 2026 10:00:00 +0000")])
    g = _gate(tmp_path)
    [e] = g.earlier
    assert not g.objections and g.exit_status == 1  # the patch changed since: not judged, so it blocks
    assert {e.objection.msgid, *(a.msgid for a in e.objection.again)} == {NAK, AGAIN}, e
    assert g.headline().startswith("v2: NOT READY: 1 objection to an earlier revision's patch changed since, not "
                                   "judged, "), g.headline()


def test_eval_shows_the_earlier_objection_the_gate_shows(tmp_path: Path) -> None:
    # The gate listed Mae's NAK of v1 02/3, changed in v2, as a note; eval's terminal, JSON and HTML said nothing.
    _inputs(tmp_path, [CREATE, CHANGED, WRAPPING])
    [e] = _gate(tmp_path).earlier
    r = runner.invoke(app, ["eval", str(tmp_path / "v1.mbox"), str(tmp_path / "v2.mbox"), "--rules",
                            str(tmp_path / "rules.toml"), "--json", str(tmp_path / "e.json"), "--html",
                            str(tmp_path / "e.html"), "--no-cache"])
    out = " ".join(r.stdout.split())
    said = "v2: NOT READY: 1 objection to an earlier revision's patch changed since, not judged, "
    assert r.exit_code == 0 and said in out, out  # v2's verdict as the gate's: not judged, so it blocks
    assert f"earlier objection: NAK of v1 02/3 by Mae Maint <{NAK}>" in out, out
    doc = json.loads((tmp_path / "e.json").read_text())
    [x] = [x for x in doc["earlier_objections"] if x["variant"] == "v2"]
    assert (x["msgid"], x["target"], x["why"]) == (NAK, "v1 02/3", e.why), doc
    assert [(o["variant"], o["msgid"]) for o in doc["objections"]] == [("v1", NAK)], doc  # v1's own: it blocks there
    page = " ".join((tmp_path / "e.html").read_text().split())
    assert f'"earlier small">earlier objection: NAK of v1 02/3 by Mae Maint &lt;{NAK}&gt;' in page


def test_eval_does_not_call_a_dropped_patch_changed(tmp_path: Path) -> None:
    # v2 drops v1 02/3, which Mae NAKed: eval's terminal and HTML said "earlier objection, patch changed: ...: no
    # patch of v2 has its change or title", a patch that went called changed.
    _inputs(tmp_path, [CREATE, WRAPPING])
    r = runner.invoke(app, ["eval", str(tmp_path / "v1.mbox"), str(tmp_path / "v2.mbox"), "--rules",
                            str(tmp_path / "rules.toml"), "--html", str(tmp_path / "e.html"), "--no-cache"])
    out = " ".join(r.stdout.split())
    assert r.exit_code == 0 and f"earlier objection: NAK of v1 02/3 by Mae Maint <{NAK}>" in out, out
    assert "patch changed:" not in out and "no patch of v2 has its change or title" in out, out
    page = " ".join((tmp_path / "e.html").read_text().split())
    assert "patch changed:" not in page and "no patch of v2 has its change or title" in page


def test_a_quoted_nak_no_attribution_names_blocks_with_the_reason(tmp_path: Path) -> None:
    # Mae quotes a NAK with no attribution line, its message not in the input: it was not read, the gate passed.
    words = "> NAK, the loop never ends.\n\nI disagree, it is bounded.\n"
    mbox = _replies(tmp_path, ("m1@example.org", words, MAE, "patch"))
    mbox.write_text(mbox.read_text().replace("In-Reply-To: <gen-2-v2@example.org>", "In-Reply-To: <lost@example.org>"))
    assert [(m, s.rstrip(".")) for m, s in _objections(tmp_path, mbox)] == [("m1@example.org",
                                                                             "NAK, the loop never ends")]
    [o] = json.loads((tmp_path / "g.json").read_text())["objections"]
    assert o["author"] == "an unnamed sender (quoted by Mae Maint)", o
    assert "no attribution line names whose NAK" in o["note"] and "<lost@example.org>" in o["note"], o
    # Whoever takes "a NAK" back cannot be told to be its sender: it stands.
    scratch = ("w1@example.org", "> I disagree.\n\nFair, I withdraw my NAK.\n", OLGA, "m1@example.org")
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, ("m1@example.org", words, MAE, "patch"),
                                                         scratch))] == ["m1@example.org"]
    # With the NAK's own message in the input, that one is the objection, once; and an unattributed "drop" (the
    # author's plan, maybe) is none.
    olga = ("o1@example.org", "> quoted\n\nNAK, the loop never ends.\n", OLGA, "patch")
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, olga, ("m1@example.org", words, MAE,
                                                                          "o1@example.org")))] == ["o1@example.org"]
    plan = ("m1@example.org", "> I'll drop this patch in v3.\n\nThanks.\n", MAE, "patch")
    assert _objections(tmp_path, _replies(tmp_path, plan)) == []


def test_a_nak_of_an_earlier_revisions_cover_letter_blocks_as_not_judged(tmp_path: Path) -> None:
    # Mae NAKs v1 as a whole (its cover letter); v2 sends the same patches: the gate passed v2 without a word of it.
    one_path, two_path, one, two = _inputs(tmp_path, [CREATE, PREPARING, WRAPPING])
    cover = one[0]["Message-ID"].strip("<>")
    nak = message(f"Re: {one[0]['Subject']}", "cover-nak@example.org", "> cover\n\nNAK, the whole approach is wrong.\n",
                  sender=MAE, parent=cover, refs=(cover,))
    write_mbox(one_path, [*one, nak])
    g = _gate(tmp_path)
    # No patch-id says v2 is what Mae NAKed, nor that it answers her: not judged, it blocks (a note, READY, before).
    assert not g.objections and g.exit_status == 1
    assert g.headline().startswith("v2: NOT READY: 1 objection to an earlier revision's patch changed since, not "
                                   "judged, "), g.headline()
    [e] = g.earlier
    assert (e.objection.msgid, e.objection.target) == ("cover-nak@example.org", "v1 cover letter"), e
    assert e.why.startswith("of the series as a whole, which no git patch-id follows to v2"), e.why
    # Taken back below v2's cover letter: nothing.
    two_cover = two[0]["Message-ID"].strip("<>")
    back = message(f"Re: {two[0]['Subject']}", "back@example.org", "> cover\n\nv2 is fine, I withdraw my NAK.\n",
                   sender=MAE, parent=two_cover, refs=(two_cover,), date="Wed, 07 Jan 2026 10:00:00 +0000")
    write_mbox(two_path, [*two, back])
    assert not _gate(tmp_path).earlier


def test_naks_of_one_change_in_two_earlier_revisions_are_one_the_latest_listed(tmp_path: Path) -> None:
    # Mae NAKs the same change in v1 and v2; v3 carries it unchanged: one objection, v2's, citing v1's.
    one_path, two_path, _, two = _inputs(tmp_path, [CREATE, PREPARING, WRAPPING])
    write_mbox(two_path, [*two, _reply(two[2], AGAIN, "NAK, still.", "Wed, 07 Jan 2026 10:00:00 +0000")])
    write_mbox(tmp_path / "v3.mbox", revision(3, [CREATE, PREPARING, WRAPPING]))
    g = evaluate_gate(GateRequest((one_path, two_path, tmp_path / "v3.mbox"), "v3", jobs=1,
                                  rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    [o] = g.objections
    assert (o.msgid, o.target) == (AGAIN, "v3 02/3 (as v2 02/3: the same change by git patch-id)"), o
    assert [(a.msgid, a.target) for a in o.again] == [(NAK, "v1 02/3")], o.again

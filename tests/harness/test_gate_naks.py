"""The gate and the review it did not encode: a NAK of the judged patches that no rule cites blocks it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.mailgen import message, write_mbox

runner = CliRunner()
# One rule this series meets: what the gate says besides it is the NAK's doing alone.
RULE = """[[rule]]
id = "tdx-calls-retry"
reviewer = "A. Maintainer"
summary = "TDX-module SEAMCALLs are retried on lack of entropy"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "seamcall", leaf = "TDH_SYS_INIT", script = "tdx-no-entropy-x1" }
expect = { calls = 2 }
"""


def _thread(tmp: Path, words: str, *, cited: bool = False) -> tuple[Path, Path]:
    """v2 of our own series (cover, a header, 'Prepare', a wrapper) and a reply to its patch 2 saying ``words``;
    the rules file cites the reply when ``cited``."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch = msgs[2]
    reply = message(f"Re: {patch['Subject']}", "nak-1@example.org", f"> quoted line\n\n{words}\n",
                    sender="Mae Maint <mae@example.org>", parent=patch["Message-ID"].strip("<>"),
                    refs=(msgs[0]["Message-ID"].strip("<>"), patch["Message-ID"].strip("<>")))
    rules = tmp / "rules.toml"
    rules.write_text(RULE.replace('severity = "error"\n', 'severity = "error"\nmsgid = "nak-1@example.org"\n')
                     .replace("A. Maintainer", "Mae Maint") if cited else RULE)
    return write_mbox(tmp / "v2.mbox", [*msgs, reply]), rules


def test_a_nak_no_rule_cites_blocks_the_gate(tmp_path: Path) -> None:
    # Before: READY, exit 0, and no word of the NAK in the terminal, the JSON or the JUnit file.
    words = "NAK, this special-cases the loader again.\n\nNacked-by: Mae Maint <mae@example.org>"
    mbox, rules = _thread(tmp_path, words)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [v.status.value for v in g.verdicts] == ["pass"]
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 NAK no rule judges"), g.headline()
    [o] = g.objections
    assert o.msgid == "nak-1@example.org" and o.author == "Mae Maint" and o.target == "v2 02/3", o
    assert o.sentence.startswith("NAK, this special-cases the loader again"), o
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--json",
                            str(tmp_path / "g.json"), "--junit", str(tmp_path / "g.xml")])
    assert r.exit_code == 1 and "NAK of v2 02/3 by Mae Maint <nak-1@example.org>" in r.stdout, r.stdout
    doc = json.loads((tmp_path / "g.json").read_text())
    assert doc["exit_status"] == 1 and doc["objections"][0]["msgid"] == "nak-1@example.org"
    junit = (tmp_path / "g.xml").read_text()
    assert 'failures="1"' in junit and "nak-1@example.org" in junit


def test_a_nak_a_rule_cites_or_a_negated_one_leaves_the_gate_to_the_rules(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, "Not a NAK from me, just a nit.")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0 and g.headline().startswith("v2: READY"), g.headline()
    # The NAK a rule cites is the rule's to judge, not an objection of its own. This rule passes on v2:02, the code
    # the NAK was given on, too: it cannot show the NAK was addressed, so it is inconclusive (harness.witness;
    # READY before, on a rule that never failed on the NAKed code).
    mbox, rules = _thread(tmp_path, "NAK.", cited=True)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.headline().startswith("v2: NOT READY: 1 error rule inconclusive"), g.headline()
    assert "it passes on v2:02, the code <nak-1@example.org> reviewed (v2 02/3), as well" in g.verdicts[0].note


def test_a_nak_of_a_patch_the_variant_does_not_apply_is_not_its_own(tmp_path: Path) -> None:
    # v2:01 stops before patch 2: the NAK of patch 2 is not about its code.
    mbox, rules = _thread(tmp_path, "NAK.")
    g = evaluate_gate(GateRequest((mbox,), "v2:01", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections


def test_eval_says_the_same_of_the_revision(tmp_path: Path) -> None:
    # eval's per-revision headline is the gate's: it said READY beside the gate's NOT READY.
    mbox, rules = _thread(tmp_path, "NAK.")
    r = runner.invoke(app, ["eval", str(mbox), "--rules", str(rules)])
    assert r.exit_code == 0 and "v2: NOT READY: 1 NAK no rule judges" in r.stdout, r.stdout
    assert "! NAK of v2 02/3 by Mae Maint <nak-1@example.org>" in r.stdout, r.stdout  # which one, not a count alone
    # One variant alone: its verdict line is said once, the same (it was said twice, the second READY-ish).
    r = runner.invoke(app, ["eval", str(mbox), "--rules", str(rules), "--variant", "v2"])
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("v2: ") and "READY" in ln]
    assert lines and all("1 NAK no rule judges" in ln for ln in lines), r.stdout


def test_a_nak_whose_parent_the_input_lacks_goes_where_its_references_lead(tmp_path: Path) -> None:
    # A reply to a reply that was not given: its parent is unknown, its References name the patch.
    mbox, rules = _thread(tmp_path, "NAK.")
    text = mbox.read_text().replace("In-Reply-To: <gen-2-v2@example.org>", "In-Reply-To: <lost@example.org>")
    assert "<lost@example.org>" in text
    mbox.write_text(text)
    for variant, want in (("v2", ["v2 02/3"]), ("v2:01", [])):
        g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=rules, cache=shared_outcomes()))
        assert [o.target for o in g.objections] == want, (variant, g.objections)


def test_a_nak_without_threading_headers_goes_to_the_patch_its_subject_names(tmp_path: Path) -> None:
    # A mailer that drops In-Reply-To and References: the series lists the reply below the patch its subject
    # names; the gate said "NAK of v2 cover letter".
    mbox, rules = _thread(tmp_path, "NAK.")
    text = mbox.read_text().replace("In-Reply-To: <gen-2-v2@example.org>\n", "")
    text = text.replace("References: <gen-cover-v2@example.org> <gen-2-v2@example.org>\n", "")
    assert "<gen-2-v2@example.org>" not in text.split("Message-ID: <nak-1@example.org>")[1]
    mbox.write_text(text)
    for variant, want in (("v2", ["v2 02/3"]), ("v2:01", [])):
        g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=rules, cache=shared_outcomes()))
        assert [o.target for o in g.objections] == want, (variant, g.objections)


def _followed(tmp: Path, first: str, then: tuple[tuple[str, str, str, bool], ...]) -> Path:
    """The NAK thread (``first`` from Mae, answering patch 2), then replies (words, sender, Date, whether it
    answers the first reply rather than the patch)."""
    mbox, _ = _thread(tmp, first)
    patch, cover = "gen-2-v2@example.org", "gen-cover-v2@example.org"
    more = [message("Re: [PATCH v2 2/3] x", f"later-{n}@example.org", words, sender=sender, date=date,
                    parent="nak-1@example.org" if below else patch,
                    refs=(cover, patch, *(("nak-1@example.org",) if below else ())))
            for n, (words, sender, date, below) in enumerate(then)]
    with mbox.open("a") as out:
        out.write(write_mbox(tmp / "more.mbox", more).read_text())
    return mbox


MAE, OLGA = "Mae Maint <mae@example.org>", "Olga Other <olga@example.org>"
LATER, EARLIER = "Mon, 05 Jan 2026 12:00:00 +0000", "Sun, 04 Jan 2026 12:00:00 +0000"


def test_a_nak_its_reviewer_takes_back_blocks_nothing(tmp_path: Path) -> None:
    # "Scratch my NAK": a NAK itself before, and the first NAK stood too (NOT READY: 2 NAKs no rule judges).
    for words, below in (("Scratch my NAK, I misread the loop.", True), ("I withdraw my NAK.", False),
                         ("> NAK, this special-cases the loader.\n\nNAK retracted: v2 is fine.", True),
                         # other words for it were a NAK themselves, and the first stood
                         ("You're right, I'm dropping my NAK.", True), ("Then I withdraw the Nacked-by.", False),
                         ("My NAK no longer stands.", True),
                         # an adjective before it, or the verb undoing it: NAKs themselves, and the first stood
                         ("My earlier NAK no longer stands.", True), ("Un-NAK, I misread the loop.", True),
                         ("Unnacked: v2 is fine.", False),
                         # with no "my", put after it, or as the verb: these were NAKs, and the first stood
                         ("Retract NAK, the loop is bounded.", True), ("I take my NAK back.", False),
                         ("I no longer NAK this.", True),
                         # in the plural: read as no withdrawal, the NAK stood
                         ("I withdraw my NAKs.", False), ("My NAKs are withdrawn, thanks.", True)):
        mbox = _followed(tmp_path, "NAK, this special-cases the loader.", ((words, MAE, LATER, below),))
        g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert not g.objections and g.exit_status == 0, (words, [o.describe() for o in g.objections])


@pytest.mark.parametrize(("words", "below"), [
    # In plain words: each left the NAK blocking (NOT READY: 1 NAK no rule judges).
    ("I no longer object to this patch.", False), ("Forget the NAK, two callers is nothing.", True),
    ("> NAK, this special-cases the loader.\n\nI no longer object.", True), ("Forget my NAK.", False),
])
def test_a_nak_taken_back_in_plain_words_blocks_nothing(tmp_path: Path, words: str, below: bool) -> None:
    mbox = _followed(tmp_path, "NAK, this special-cases the loader.", ((words, MAE, LATER, below),))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, [o.describe() for o in g.objections]


@pytest.mark.parametrize("words", [
    "I no longer object to the rename.",  # a part of the patch: the NAK's reason may be another
    "If you bound the loop, I no longer object.", "Don't forget the NAK.", "Do you no longer object to this patch?",
])
def test_plain_words_that_keep_the_nak_leave_it_blocking(tmp_path: Path, words: str) -> None:
    mbox = _followed(tmp_path, "NAK, this special-cases the loader.", ((words, MAE, LATER, True),))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [o.msgid for o in g.objections] == ["nak-1@example.org"], [o.describe() for o in g.objections]


@pytest.mark.parametrize(("then", "left"), [
    (("Scratch that NAK.", OLGA, LATER, True), ["nak-1@example.org"]),  # another reviewer cannot take it back
    (("I withdraw my NAK.", MAE, EARLIER, False), ["nak-1@example.org"]),  # sent before the NAK: a NAK again
    (("I won't withdraw my NAK.", MAE, LATER, True), ["nak-1@example.org"]),
    (("Should I withdraw my NAK?", MAE, LATER, True), ["nak-1@example.org"]),
    (("I will not drop my NAK.", MAE, LATER, True), ["nak-1@example.org"]),
    (("My NAK stands.", MAE, LATER, True), ["nak-1@example.org"]),  # one objection citing both (Objection.again)
])
def test_a_nak_not_taken_back_by_its_reviewer_still_blocks(tmp_path: Path, then: tuple[str, str, str, bool],
                                                           left: list[str]) -> None:
    mbox = _followed(tmp_path, "NAK, this special-cases the loader.", (then,))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [o.msgid for o in g.objections] == left and g.exit_status == 1, [o.describe() for o in g.objections]


def test_a_nak_copied_unquoted_below_on_wrote_is_not_the_replys_own(tmp_path: Path) -> None:
    # A mailer that copies the answered message without "> ": Olga's NAK was Mae's NAK, blocking the gate. It is
    # Olga's, quoted by Mae: her mail is not in the input, and nothing shows her taking it back.
    words = ("Agreed, I will take v3 instead.\n\nOn Mon, Jan 5, 2026 at 10:00 AM Olga Other <olga@example.org> "
             "wrote:\nNAK, this special-cases the loader again.\n")
    mbox, rules = _thread(tmp_path, words)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    said = "NAK of v2 02/3 by Olga Other <olga@example.org> (quoted by Mae Maint)"
    assert [o.title for o in g.objections] == [said], g.objections
    # Quoted with "> " after a snipping mark, the words below are Mae's own: her NAK blocks.
    mbox, rules = _thread(tmp_path, "On Mon, Olga Other wrote:\n[...]\n> +\tbusy = 1;\n\nNAK, not this way.\n")
    assert [o.sentence for o in evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules,
                                                          cache=shared_outcomes())).objections] == \
        ["NAK, not this way."]


def _replies(tmp: Path, *said: tuple[str, str, str, str], dates: dict[str, str] | None = None) -> Path:
    """v2 of our own series and replies (Message-ID, words, sender, the Message-ID answered or "patch" for patch 2),
    dated in order (or as ``dates`` says), each a reply to the one it answers."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[2]["Message-ID"].strip("<>")
    refs: dict[str, tuple[str, ...]] = {patch: (cover,)}
    out = []
    for n, (msgid, words, sender, parent) in enumerate(said):
        up = patch if parent == "patch" else parent
        refs[msgid] = (*refs[up], up)
        out.append(message(f"Re: {msgs[2]['Subject']}", msgid, words, sender=sender, parent=up, refs=refs[msgid],
                           date=(dates or {}).get(msgid, f"Mon, 05 Jan 2026 1{n}:00:00 +0000")))
    (tmp / "rules.toml").write_text(RULE)
    return write_mbox(tmp / "v2.mbox", [*msgs, *out])


def _objections(tmp: Path, mbox: Path) -> list[tuple[str, str]]:
    """(Message-ID, sentence) of each objection `seamharness gate` lists, as its JSON says."""
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp / "rules.toml"), "--json",
                            str(tmp / "g.json")])
    doc = json.loads((tmp / "g.json").read_text())
    assert r.exit_code == (1 if doc["objections"] else 0), r.stdout
    return [(o["msgid"], o["sentence"]) for o in doc["objections"]]


OLGAS_NAK = ("o1@example.org", "> quoted\n\nNAK, this special-cases the loader again.\n", OLGA, "patch")


@pytest.mark.parametrize("attribution", [
    "Am Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Olga Other <olga@example.org>:",
    "Le lun. 1 déc. 2026 à 10:00, Olga Other <olga@example.org> a écrit :",
    "El lun, 1 dic 2026 a las 10:00, Olga Other escribió:",  # no address: the parent holds the text
    "Am 01.12.26 um 10:00 schrieb Olga Other:",
    "On Mon, Dec 1, 2026 at 10:00 AM Olga Other\n<olga@example.org> wrote:",
    "On Mon, 1 Dec 2026 10:00:00 +0000\nOlga Other <olga@example.org> wrote:",
    "Olga Other <olga@example.org> 於 2026年12月1日 週一 上午10:00寫道：",
    "From: Olga Other <olga@example.org>\nSent: Monday, December 1, 2026 10:00 AM\nTo: Mae\nSubject: Re: x",
])
def test_a_nak_copied_unquoted_below_an_attribution_in_any_language_is_not_the_replys_own(
        tmp_path: Path, attribution: str) -> None:
    # Mae's copy of Olga's NAK below her German, French, Spanish, wrapped attribution was Mae's NAK too.
    mine = ("m1@example.org", f"Agreed, I will take v3 instead.\n\n{attribution}\n{OLGAS_NAK[1][10:]}", MAE,
            "o1@example.org")
    assert _objections(tmp_path, _replies(tmp_path, OLGAS_NAK, mine)) == [
        ("o1@example.org", "NAK, this special-cases the loader again.")]


@pytest.mark.parametrize("words", [
    "Agreed.\n\nEl lun, 1 dic 2026 a las 10:00, Olga Other escribió:\nNAK, the loop never ends.\n",  # not Olga's
    "Tested on 2026-12-01 at 10:00 with the loader:\nNAK, the loop never ends.\n",  # no attribution
    "NAK, the loop never ends.\nOn Mon, Dec 1, 2026 at 10:00 AM Olga Other\n<olga@example.org> wrote:\nFine.\n",
    "Am 01.12.26 um 10:00 schrieb Olga Other:\n> Fine.\n\nNAK, the loop never ends.\n",  # quoted: the rest is own
    # the quote cut below the attribution, the reply's own words follow: Olga's mail does not hold them (these passed)
    "On Mon, Dec 1, 2026 at 10:00 AM Olga Other <olga@example.org> wrote:\nNAK, the loop never ends.\n",
    "On Mon, Olga Other wrote:\nNAK, the loop never ends.\n",
])
def test_a_nak_below_an_attribution_shape_that_is_no_copy_still_blocks(tmp_path: Path, words: str) -> None:
    olga = ("o1@example.org", "> quoted\n\nFine.\n", OLGA, "patch")
    said = _objections(tmp_path, _replies(tmp_path, olga, ("m1@example.org", words, MAE, "o1@example.org")))
    assert [(m, s.rstrip(".")) for m, s in said] == [("m1@example.org", "NAK, the loop never ends")], said


@pytest.mark.parametrize("date", ["Mon, 05 Jan 2026 13:00:00 +0500", "not a date"])
def test_a_nak_withdrawn_in_another_branch_of_the_patchs_thread_blocks_nothing(tmp_path: Path, date: str) -> None:
    # Mae NAKs patch 2; Ann answers the patch (not the NAK); Mae, answering Ann, withdraws it. Her mail's Date says
    # 08:00 UTC, before the NAK (a wrong clock), or nothing: the NAK stood, though she answers a mail sent after it.
    said = (("n1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", MAE, "patch"),
            ("a1@example.org", "Hi Mae,\n\nit does not: see the loop.\n", "Ann Author <ann@example.org>", "patch"),
            ("w1@example.org", "> it does not: see the loop.\n\nOK, I withdraw my NAK.\n", MAE, "a1@example.org"))
    assert _objections(tmp_path, _replies(tmp_path, *said, dates={"w1@example.org": date})) == []
    # Answering a mail sent before the NAK, with no Date of its own: not known to come after it.
    early = (said[1], said[0], said[2])
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, *early, dates={"w1@example.org": date}))] == [
        "n1@example.org"]


@pytest.mark.parametrize("agreed", ["I agree with the NAK.", "+1 to Mae's NAK", "Seconding that NACK, the loop is "
                                    "wrong."])
def test_agreeing_with_a_nak_blocks_while_that_nak_stands(tmp_path: Path, agreed: str) -> None:
    mae = ("n1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", MAE, "patch")
    olga = ("a1@example.org", f"> NAK, this special-cases the loader.\n\n{agreed}\n", OLGA, "n1@example.org")
    scratch = ("w1@example.org", "> quoted\n\nScratch my NAK, I misread the loop.\n", MAE, "n1@example.org")
    # Olga's agreement is her objection, cited by its sentence, with Mae's NAK or none in the input.
    assert _objections(tmp_path, _replies(tmp_path, mae, olga)) == [
        ("n1@example.org", "NAK, this special-cases the loader."), ("a1@example.org", agreed)]
    assert _objections(tmp_path, _replies(tmp_path, (*olga[:3], "patch"))) == [("a1@example.org", agreed)]
    # Mae takes hers back, after Olga's agreement or before it: nothing blocks (they blocked, Olga's still).
    for said in ((mae, olga, scratch), (mae, scratch, olga)):
        assert _objections(tmp_path, _replies(tmp_path, *said)) == [], said


def test_a_nak_of_ones_own_beside_agreement_stands_when_the_first_is_withdrawn(tmp_path: Path) -> None:
    mae = ("n1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", MAE, "patch")
    scratch = ("w1@example.org", "> quoted\n\nScratch my NAK, I misread the loop.\n", MAE, "n1@example.org")
    for words in ("Same here, NAK.", "I agree with the NAK. NAK from me too, the retry is wrong."):
        olga = ("a1@example.org", f"> NAK\n\n{words}\n", OLGA, "n1@example.org")
        assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, mae, olga, scratch))] == ["a1@example.org"]


@pytest.mark.parametrize(("words", "blocks"), [
    ("I'm NAKing this, the loop is wrong.", True),  # the verb's -ing form passed the gate
    ("I am nacking this patch.", True),
    ("I don't like this, NAK.", True),  # an earlier clause that says it all governs nothing: these passed
    ("I don't think this is right, NAK.", True),
    ("I am not NAKing this, just asking.", False),
    ("I don't like this approach and NAK it.", True),  # a negation before an "and" governs its own clause: passed
    ("This is not acceptable and gets a NAK from me.", True),
    ("I don't think we should NAK this and move on.", False),
    ("Why are you NAKing this?", False),
])
def test_a_nak_in_the_verbs_forms_blocks(tmp_path: Path, words: str, blocks: bool) -> None:
    said = _objections(tmp_path, _replies(tmp_path, ("n1@example.org", f"> quoted\n\n{words}\n", MAE, "patch")))
    assert said == ([("n1@example.org", words)] if blocks else []), said


def test_a_nak_in_a_reply_in_html_only_blocks(tmp_path: Path) -> None:
    # A reply with no plain-text part was read as empty: its NAK passed the gate unsaid.
    mbox, _ = _thread(tmp_path, "x")
    html = ("<html><body><blockquote>quoted line</blockquote><p>NAK, this special-cases the loader &amp; the "
            "retry.</p></body></html>")
    text = mbox.read_text()
    head, _, _ = text.rpartition("\n\nx\n")
    head = head.replace("Content-Type: text/plain", "Content-Type: text/html")
    assert "text/html" in head.rsplit("Message-ID: <nak-1@example.org>", 1)[1]
    mbox.write_text(f"{head}\n\n{html}\n")
    assert _objections(tmp_path, mbox) == [("nak-1@example.org", "NAK, this special-cases the loader & the retry.")]
    # Quoted in a <blockquote>, it is the quoted reviewer's, not this reply's: no attribution names them and the input
    # lacks their message, so it stands as an unnamed sender's (harness.quotednak).
    mbox.write_text(f"{head}\n\n<blockquote>NAK, this special-cases the loader.</blockquote><p>I disagree.</p>\n")
    [(msgid, said)] = _objections(tmp_path, mbox)
    assert msgid == "nak-1@example.org" and said.endswith("NAK, this special-cases the loader."), said
    assert json.loads((tmp_path / "g.json").read_text())["objections"][0]["author"].startswith("an unnamed sender")


@pytest.mark.parametrize(("words", "sentence"), [
    ("This doesn't build on 32-bit\nNacked-by: Mae Maint <mae@example.org>",
     "Nacked-by: Mae Maint <mae@example.org>"),
    ("Still not convinced this is needed\nNAK", "NAK"),
])
def test_a_nak_line_below_a_negated_line_without_a_full_stop_blocks(tmp_path: Path, words: str,
                                                                    sentence: str) -> None:
    # The trailer (or the verdict alone) on its own line was read as part of the sentence above, whose negation
    # governed it: the gate passed.
    said = _objections(tmp_path, _replies(tmp_path, ("n1@example.org", f"> quoted\n\n{words}\n", MAE, "patch")))
    assert said == [("n1@example.org", sentence)], said


@pytest.mark.parametrize("attribution", [
    "On Mon, Dec 1, 2026 at 10:00 AM Olga Other <olga@example.org> wrote:",
    "On Mon, Dec 1, 2026 at 10:00 AM Olga Other <olga@example.org>\nwrote:",
    "Am Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Olga Other <olga@example.org>:\n",
])
def test_a_kept_attribution_whose_quote_was_cut_leaves_the_words_below_the_replys_own(
        tmp_path: Path, attribution: str) -> None:
    # Nothing of Mae's above the attribution: no top-post, her own words below it. With Olga's mail not in the input,
    # they were read as a copy of it and the NAK passed the gate.
    words = f"{attribution}\nNAK, the loop never ends.\n\nThanks,\nMae\n"
    said = _objections(tmp_path, _replies(tmp_path, ("m1@example.org", words, MAE, "patch")))
    assert [(m, s.rstrip(".")) for m, s in said] == [("m1@example.org", "NAK, the loop never ends")], said
    # A copy still, when Olga's mail holds the lines: hers blocks, not Mae's.
    olga = ("o1@example.org", "> quoted\n\nNAK, the loop never ends.\n", OLGA, "patch")
    copied = f"{attribution}\nNAK, the loop never ends.\n"
    said = _objections(tmp_path, _replies(tmp_path, olga, ("m1@example.org", copied, MAE, "o1@example.org")))
    assert [m for m, _ in said] == ["o1@example.org"], said


ANN = "Ann Author <ann@example.org>"


@pytest.mark.parametrize(("words", "sender"), [
    ("I disagree with Olga's NAK, the loop is bounded.", MAE),
    ("I have to disagree with the NAK here.", MAE),
    ("I understand your NAK, but v3 bounds the loop.", ANN),  # the patch's author answering it
])
def test_a_nak_named_as_someones_falls_with_it(tmp_path: Path, words: str, sender: str) -> None:
    # A sentence naming another's NAK gives none of its own: once Olga took hers back these blocked the gate alone.
    olga = ("o1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", OLGA, "patch")
    reply = ("m1@example.org", f"> NAK, this special-cases the loader.\n\n{words}\n", sender, "o1@example.org")
    scratch = ("w1@example.org", "> bounded\n\nRight, I withdraw my NAK.\n", OLGA, "m1@example.org")
    assert _objections(tmp_path, _replies(tmp_path, olga, reply, scratch)) == []
    # While hers stands it blocks; disagreeing with it is no NAK of one's own.
    said = [m for m, _ in _objections(tmp_path, _replies(tmp_path, olga, reply))]
    assert said == (["o1@example.org"] if "disagree" in words else ["o1@example.org", "m1@example.org"]), said


def test_a_nak_after_a_pronouns_s_is_ones_own(tmp_path: Path) -> None:
    # "it's" is "it is": no NAK named as someone's, so it stands when Olga takes hers back.
    olga = ("o1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", OLGA, "patch")
    mine = ("m1@example.org", "> NAK, this special-cases the loader.\n\nAgreed, it's NAK from me too.\n", MAE,
            "o1@example.org")
    scratch = ("w1@example.org", "> quoted\n\nScratch my NAK.\n", OLGA, "o1@example.org")
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, olga, mine, scratch))] == ["m1@example.org"]


@pytest.mark.parametrize("words", [
    "On Mon, Dec 1, 2026 at 10:00 AM Olga Other\n<olga@example.org> wrote:\n> NAK, the loop never ends.\n\n"
    "I disagree.\n",
    "I disagree, it is bounded.\n\n-----Original Message-----\nFrom: Olga Other <olga@example.org>\nSent: Monday, "
    "December 1, 2026 10:00 AM\nTo: Mae\nSubject: Re: x\n\nNAK, the loop never ends.\n",
])
def test_a_quoted_nak_whose_mail_the_input_lacks_blocks_until_its_sender_takes_it_back(tmp_path: Path,
                                                                                       words: str) -> None:
    # Mae quotes Olga's NAK (her mail not given) and disagrees: the NAK stands, and the gate passed.
    mine = ("m1@example.org", words, MAE, "patch")
    said = _objections(tmp_path, _replies(tmp_path, mine))
    assert [(m, s.rstrip(".")) for m, s in said] == [("m1@example.org", "NAK, the loop never ends")], said
    # Olga takes it back below the same patch: nothing blocks; Mae cannot take it back for her.
    for who, left in ((OLGA, []), (MAE, ["m1@example.org"])):
        scratch = ("w1@example.org", "> I disagree.\n\nFair, I withdraw my NAK.\n", who, "m1@example.org")
        assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, mine, scratch))] == left, who
    # With Olga's mail in the input, hers is the NAK (not listed twice).
    olga = ("o1@example.org", "> quoted\n\nNAK, the loop never ends.\n", OLGA, "patch")
    assert [m for m, _ in _objections(tmp_path, _replies(tmp_path, olga, (*mine[:3], "o1@example.org")))] == [
        "o1@example.org"]


@pytest.mark.parametrize("attribution", [
    "Am Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Olga Other <olga@example.org>:",
    "Le lun. 1 déc. 2026 à 10:00, Olga Other\n<olga@example.org> a écrit :",
    "Olga Other <olga@example.org> 於 2026年12月1日 週一 上午10:00寫道：",
    "Olga Other <olga@example.org> writes:",  # Gnus
    "> From: Olga Other <olga@example.org>\n> Sent: Monday, December 1, 2026 10:00 AM\n> To: Mae\n>",
])
def test_a_quote_is_attributed_by_shape_as_a_copy_is(tmp_path: Path, attribution: str) -> None:
    # A "> " quote below an attribution in another language or mailer's form (or with its own header block) named no
    # sender: Olga's quoted NAK, her mail not given, passed the gate.
    words = f"{attribution}\n> NAK, the loop never ends.\n\nI disagree.\n"
    said = _objections(tmp_path, _replies(tmp_path, ("m1@example.org", words, MAE, "patch")))
    assert [(m, s.rstrip(".")) for m, s in said] == [("m1@example.org", "NAK, the loop never ends")], said
    scratch = ("w1@example.org", "> I disagree.\n\nFair, I withdraw my NAK.\n", OLGA, "m1@example.org")
    assert _objections(tmp_path, _replies(tmp_path, ("m1@example.org", words, MAE, "patch"), scratch)) == []


def test_a_quote_of_the_patchs_own_notes_is_no_quoted_nak(tmp_path: Path) -> None:
    # The patch's notes below '---' name v1's NAK; Mae quotes them: the patch holds the line, no one's NAK is quoted.
    note = "v2: bound the loop, as Olga's NAK of v1 asked."
    words = f"On Mon, Jan 5, 2026 at 10:00 AM Ann Author <ann@example.org> wrote:\n> {note}\n\nLooks good now.\n"
    mbox = _replies(tmp_path, ("m1@example.org", words, MAE, "patch"))
    text = mbox.read_text()
    cut = text.index("\n---\n", text.index("Message-ID: <gen-2-v2@example.org>"))
    mbox.write_text(f"{text[:cut]}\n---\n{note}\n{text[cut + 5:]}")
    assert _objections(tmp_path, mbox) == []


@pytest.mark.parametrize("words", ["NAK for patch 3, the rest is fine.", "Patch 3: NAK.", "NAK on 3/3.",
                                   "Patches 1-2 look fine. NAK to patch 3."])
def test_a_nak_of_a_patch_by_number_below_the_cover_letter_is_that_patchs(tmp_path: Path, words: str) -> None:
    # It was a NAK of the cover letter: v2:02, which stops before patch 3, was blocked by it.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[0]['Subject']}", "n3@example.org", f"> quoted\n\n{words}\n", sender=MAE,
                    parent=cover, refs=(cover,))
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    (tmp_path / "rules.toml").write_text(RULE)
    for variant, want in (("v2", ["NAK of v2 03/3 by Mae Maint"]), ("v2:02", [])):
        g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert [o.title for o in g.objections] == want, (variant, g.objections)
    # A NAK naming no patch, beside one that does, is the cover letter's.
    reply = message(f"Re: {msgs[0]['Subject']}", "n3@example.org", "> quoted\n\nNAK to patch 3. NAK, the whole "
                    "idea is wrong.\n", sender=MAE, parent=cover, refs=(cover,))
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    g = evaluate_gate(GateRequest((mbox,), "v2:02", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [o.title for o in g.objections] == ["NAK of v2 cover letter by Mae Maint"], g.objections


@pytest.mark.parametrize(("parent", "answers"), [(None, "no message"),
                                                  ("lost@example.org", "<lost@example.org>, not in the input")])
def test_a_nak_the_input_places_below_nothing_blocks_every_variant(tmp_path: Path, parent: str | None,
                                                                  answers: str) -> None:
    # Its subject changed and its thread cut: the series keeps it unplaced, and the gate passed without a word of it.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    reply = message("Re: the retry loop", "n9@example.org", "> quoted\n\nNAK, this loops forever.\n", sender=MAE,
                    parent=parent, refs=(parent,) if parent else ())
    scratch = message("Re: the retry loop", "w9@example.org", "Scratch my NAK.\n", sender=MAE,
                      date="Tue, 06 Jan 2026 10:00:00 +0000")
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    for variant in ("v2", "v2:01"):
        g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert [o.title for o in g.objections] == [f"NAK of v2 (placed below nothing: it answers {answers}) by "
                                                   "Mae Maint"] and g.exit_status == 1, g.objections
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply, scratch])  # taken back later: nothing blocks
    assert not evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml",
                                         cache=shared_outcomes())).objections


def test_a_nacked_by_the_patch_carries_blocks_until_its_sender_takes_it_back(tmp_path: Path) -> None:
    # v2 02/3 keeps v1's 'Nacked-by: Olga' among its own trailers: the gate passed.
    def carrying(*said: tuple[str, str, str, str]) -> Path:
        mbox = _replies(tmp_path, *said)
        text = mbox.read_text()
        cut = text.index("Signed-off-by:", text.index("Message-ID: <gen-2-v2@example.org>"))
        mbox.write_text(f"{text[:cut]}NACKed-by: Olga Other <olga@example.org>\n{text[cut:]}")
        return mbox
    thanks = ("a1@example.org", "> quoted\n\nThanks.\n", "Ann Author <ann@example.org>", "patch")
    assert _objections(tmp_path, carrying(thanks)) == [
        ("gen-2-v2@example.org", "NACKed-by: Olga Other <olga@example.org>")]
    scratch = ("w1@example.org", "> quoted\n\nv2 is fine, I withdraw my NAK.\n", OLGA, "patch")
    assert _objections(tmp_path, carrying(scratch)) == []


def test_a_deeper_quote_in_a_copy_is_not_the_copied_senders(tmp_path: Path) -> None:
    # Ann's Outlook copy of Olga's mail (not given) holds Mae's NAK as Olga quoted it: once Mae took it back, it still
    # blocked as Olga's.
    mae = ("n1@example.org", "> quoted\n\nNAK, this loops forever.\n", MAE, "patch")
    copy = ("a1@example.org", "Agreed with Olga.\n\n-----Original Message-----\nFrom: Olga Other <olga@example.org>\n"
            "Sent: Monday, January 5, 2026 11:00 AM\nTo: Ann\nSubject: Re: x\n\n> NAK, this loops forever.\n\n"
            "I disagree, it is bounded.\n", "Ann Author <ann@example.org>", "n1@example.org")
    scratch = ("w1@example.org", "> bounded\n\nRight, scratch my NAK.\n", MAE, "a1@example.org")
    assert _objections(tmp_path, _replies(tmp_path, mae, copy, scratch)) == []

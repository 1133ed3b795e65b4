"""A reviewer taking back their own Reviewed-by or Acked-by: it lifts no NAK, and blocks the gate, cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from harness.tagwithdrawal import tag_withdrawn
from tests.gatecli import gate_outputs
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

MAE = "Mae Maint <mae@example.org>"
TAG = "Looks fixed now.\n\nReviewed-by: Mae Maint <mae@example.org>\n"


def _gate(tmp: Path, *bodies: str | tuple[str, str]) -> GateResult:
    """v2 of our own series and a chain of replies below its patch 2, each answering the one before and dated an hour
    after it; a body is Mae's, or (sender, body)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch = msgs[2]
    refs = [msgs[0]["Message-ID"].strip("<>"), patch["Message-ID"].strip("<>")]
    out = []
    for i, each in enumerate(bodies, 1):
        sender, body = each if isinstance(each, tuple) else (MAE, each)
        out.append(message(f"Re: {patch['Subject']}", f"t{i}@example.org", body, sender=sender, parent=refs[-1],
                           refs=tuple(refs), date=f"Mon, 05 Jan 2026 1{i}:00:00 +0000"))
        refs.append(f"t{i}@example.org")
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *out])
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.parametrize("words", ["I retract my Reviewed-by.", "Please drop my Reviewed-by, I missed the loop.",
                                   "Scratch my Ack, sorry.", "Consider my Reviewed-by withdrawn."])
def test_a_withdrawn_tag_lifts_no_nak_and_the_nak_says_why(tmp_path: Path, words: str) -> None:
    # Before: the later Reviewed-by lifted the NAK and the withdrawal was read as nothing: v2 READY, exit 0.
    g = _gate(tmp_path, "NAK, the loop spins.\n", TAG, words + "\n")
    assert g.exit_status == 1 and not g.lifted
    nak = next(o for o in g.objections if o.kind is ObjectionKind.NAK)
    assert nak.msgid == "t1@example.org" and "<t2@example.org>" in nak.note and "<t3@example.org>" in nak.note
    assert 'withdrawn <t3@example.org>' in nak.note and words in nak.note


def test_a_tag_withdrawn_alone_blocks_titled_for_what_it_is(tmp_path: Path) -> None:
    # Before: v2 READY, exit 0 (the withdrawal read as nothing); then counted and written as a request to drop
    # (kind 'drop', '1 request to drop no rule judges'), which the reviewer never asked for.
    g = _gate(tmp_path, "Reviewed-by: Mae Maint <mae@example.org>\n",
              "Please drop my Reviewed-by, I missed the unbounded loop.\n")
    [o] = g.objections
    assert g.exit_status == 1 and o.kind is ObjectionKind.TAG and o.msgid == "t2@example.org"
    assert o.title == "Reviewed-by withdrawn from v2 02/3 by Mae Maint"
    assert o.sentence == "Please drop my Reviewed-by, I missed the unbounded loop."
    assert "whether they found a fault cannot be told" in o.note
    assert g.headline().startswith("v2: NOT READY: 1 withdrawn review tag no rule judges, "), g.headline()


def test_a_tag_withdrawn_is_said_as_one_in_text_json_and_junit(tmp_path: Path) -> None:
    _gate(tmp_path, "Reviewed-by: Mae Maint <mae@example.org>\n", "I retract my Reviewed-by.\n")
    code, text, doc, xml = gate_outputs(tmp_path / "v2.mbox", tmp_path / "rules.toml", "v2", tmp_path)
    assert code == 1 and "request to drop" not in text and "request to drop" not in xml, text
    assert "v2: NOT READY: 1 withdrawn review tag no rule judges" in text
    assert "1 withdrawn review tag of this variant's patches that no rule judges" in text
    assert [o["kind"] for o in doc["objections"]] == ["tag-withdrawn"] and "request to drop" not in doc["verdict"]
    assert 'classname="review.tag-withdrawn" name="tag-withdrawn-t2@example.org"' in xml
    assert 'message="Reviewed-by withdrawn from v2 02/3 by Mae Maint" type="tag-withdrawn"' in xml


@pytest.mark.parametrize("bodies", [
    ("Reviewed-by: Mae Maint <mae@example.org>\n", "I retract my Reviewed-by.\n", TAG),  # given again since
    ("Reviewed-by: Mae Maint <mae@example.org>\n", "> I retract my Reviewed-by.\n\nOK.\n"),  # quoted
    ("Reviewed-by: Mae Maint <mae@example.org>\n", "If you change the loop, please drop my Reviewed-by.\n"),
    ("Reviewed-by: Mae Maint <mae@example.org>\n", "Please keep my Reviewed-by.\n"),
    ("Reviewed-by: Mae Maint <mae@example.org>\n", "I'm not withdrawing my Reviewed-by.\n"),
    ("Tested-by: Mae Maint <mae@example.org>\n", "My Tested-by still stands.\n"),
    ("Tested-by: Mae Maint <mae@example.org>\n", "Keep my Tested-by.\n"),
    ("Tested-by: Mae Maint <mae@example.org>\n", "Please remove my Tested-by.\n",
     "Retested, it works now.\n\nTested-by: Mae Maint <mae@example.org>\n"),  # given again since
])
def test_no_withdrawal_or_one_given_again_blocks_nothing(tmp_path: Path, bodies: tuple[str, ...]) -> None:
    g = _gate(tmp_path, *bodies)
    assert not g.objections and g.exit_status == 0, [o.describe() for o in g.objections]


def test_the_withdrawals_read() -> None:
    said = ["I retract my Reviewed-by.", "Please drop my Reviewed-by, I missed X.", "Scratch my Ack",
            "I withdraw my Acked-by.", "Sorry, I missed the loop, please drop my Reviewed-by.",
            "Consider my Reviewed-by withdrawn.", "My Reviewed-by no longer stands.", "I have to retract my R-b.",
            "Reviewed-by withdrawn.", "I take back my review tag."]
    assert [(tag_withdrawn(s) or ("", ""))[0] for s in said] == said
    assert [(tag_withdrawn(s) or ("", ""))[1] for s in said[:4]] == ["Reviewed-by", "Reviewed-by", "", "Acked-by"]
    none = ["You dropped my Reviewed-by in v3.", "Please keep my Reviewed-by.", "I don't withdraw my Reviewed-by.",
            "If you change the loop, please drop my Reviewed-by.", "Should I withdraw my Reviewed-by?",
            "Please drop the Reviewed-by line from the changelog, it is Olga's.", "I withdraw my NAK.",
            "Drop my Reviewed-by if you rework the loop.", "Feel free to drop the review tag when you respin."]
    assert [tag_withdrawn(s) for s in none] == [None] * len(none)


def test_a_trailer_no_tag_can_take_back_has_no_address_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    # parseaddr reads an address a character at a time: only a Reviewed-by or Acked-by is asked whose it is.
    from harness import tagwithdrawal

    def parsed(value: str) -> tuple[str, str]:
        raise AssertionError(f"parseaddr asked of {value!r}")
    monkeypatch.setattr(tagwithdrawal, "parseaddr", parsed)
    for key in ("Signed-off-by", "Tested-by", "Cc", "Link"):
        assert tagwithdrawal.trailer_withdrawn((key, "Ann Author <ann@example.org>"), [], None,
                                               lambda a, b: True) is None


def test_a_tag_taken_back_with_its_particle_after_it_or_unacked_is_read() -> None:
    """h651 (round 64): "I take my Acked-by back." and "Unacked, sorry." left the tag counted (READY, exit 0)."""
    said = ["I take my Acked-by back.", "I take my Reviewed-by back, I missed the KVM caller.",
            "Taking my R-b back for now.", "Unacked, sorry.", "Un-ack for now: KVM still calls it."]
    keys = ["Acked-by", "Reviewed-by", "Reviewed-by", "Acked-by", "Acked-by"]
    assert [tag_withdrawn(s) for s in said] == [(s, k) for s, k in zip(said, keys, strict=True)]
    # "Unacked." alone is an ack withheld too: a refusal (test_refusal_families), which blocks as a drop.
    none = ["Unacked.", "Unacked patches pile up.", "The patch is unacked.", "Please take my Acked-by.",
            "Take my Acked-by, back in v2 it was fine.", "If you rework it, I'll take my Acked-by back."]
    assert [tag_withdrawn(s) for s in none] == [None] * len(none)


@pytest.mark.parametrize("words", ["I take my Acked-by back.", "Unacked, sorry: KVM still calls it."])
def test_an_ack_taken_back_in_plain_words_blocks(tmp_path: Path, words: str) -> None:
    g = _gate(tmp_path, "Acked-by: Mae Maint <mae@example.org>\n", words + "\n")
    [o] = g.objections
    assert g.exit_status == 1 and o.kind is ObjectionKind.TAG and o.msgid == "t2@example.org", g.headline()


def test_a_tested_by_withdrawn_lifts_no_nak_yet_blocks_as_a_withdrawn_tag(tmp_path: Path) -> None:
    """h656 (round 65): "Please remove my Tested-by." passed (READY) while the same words with Reviewed-by blocked: a
    Tested-by is no approval, so its withdrawal takes back no Reviewed-by that lifted a NAK, but it blocks itself."""
    g = _gate(tmp_path, "NAK, the loop spins.\n", TAG, "I withdraw my Tested-by, I only built it.\n")
    [o] = g.objections
    assert g.exit_status == 1 and o.kind is ObjectionKind.TAG and o.msgid == "t3@example.org", g.headline()
    assert o.title == "Tested-by withdrawn from v2 02/3 by Mae Maint" and g.lifted


# Each a tag said to be given wrongly or no longer given (h656, round 65: each READY, exit 0), and its trailer.
_UNGIVEN = [("Please remove my Tested-by.", "Tested-by"), ("Tested-by: withdrawn, it fails on my EMR.", "Tested-by"),
            ("My Tested-by was premature, it fails on EMR.", "Tested-by"), ("My Acked-by was premature.", "Acked-by"),
            ("I no longer ack this.", ""), ("I can no longer give my Reviewed-by to this.", "Reviewed-by"),
            ("I didn't mean to give my Reviewed-by on this one.", "Reviewed-by"),
            ("That Reviewed-by was meant for patch 1, not this one.", "Reviewed-by"),
            ("Oops, my R-b was sent by mistake.", "Reviewed-by"), ("I can't ack this any more.", ""),
            ("I shouldn't have given my Reviewed-by.", "Reviewed-by"),
            ("Sorry, I sent my Acked-by to the wrong thread.", "Acked-by"),
            ("We no longer stand behind our Tested-by.", "Tested-by"),
            ("The Acked-by I sent was meant for v3, not for this one.", "Acked-by")]


def test_a_tag_given_wrongly_or_no_longer_given_is_read() -> None:
    assert [tag_withdrawn(s) for s, _ in _UNGIVEN] == [(s, k) for s, k in _UNGIVEN]
    none = ["My Tested-by still stands.", "Keep my Tested-by.", "You can keep my Reviewed-by for v4.",
            "My Reviewed-by was meant for the whole series.", "I can't ack this.",  # a refusal (harness.refusals)
            "I no longer ack patches without tests.", "If the loop grows, I can no longer ack this.",
            "Your Tested-by was premature.", "Olga's Reviewed-by was premature.", "I did mean to give my Reviewed-by.",
            "Did I give my Reviewed-by to the wrong patch?", "My Reviewed-by is for patch 1 and this one.",
            "Tested-by: Mae Maint <mae@example.org>", "The test is wrong.", "This should be an error."]
    assert [tag_withdrawn(s) for s in none] == [None] * len(none)


@pytest.mark.parametrize(("given", "words"), [
    ("Tested-by", "Please remove my Tested-by."), ("Tested-by", "My Tested-by was premature, it fails on EMR."),
    ("Acked-by", "I no longer ack this."), ("Reviewed-by", "That Reviewed-by was meant for patch 1, not this one.")])
def test_a_tag_given_wrongly_blocks(tmp_path: Path, given: str, words: str) -> None:
    g = _gate(tmp_path, f"{given}: Mae Maint <mae@example.org>\n", words + "\n")
    assert g.exit_status == 1 and [(o.kind, o.msgid) for o in g.objections] == [(ObjectionKind.TAG, "t2@example.org")]


def test_a_tag_withdrawn_behind_a_regret_is_read() -> None:
    """Round 68's blind list: "I'm afraid I have to withdraw my Reviewed-by for this one." left the tag counted (READY,
    exit 0) while the same words without "I'm afraid" blocked: a regret before the withdrawal withdraws as well."""
    said = ["I'm afraid I have to withdraw my Reviewed-by for this one.", "I am afraid I must retract my Acked-by.",
            "Sadly, I have to withdraw my Reviewed-by.", "Regrettably I need to drop my Tested-by: it hangs on resume.",
            "I fear I have to take my R-b back."]
    keys = ["Reviewed-by", "Acked-by", "Reviewed-by", "Tested-by", "Reviewed-by"]
    assert [tag_withdrawn(s) for s in said] == [(s, k) for s, k in zip(said, keys, strict=True)]
    none = ["I'm afraid I can't give my Reviewed-by yet.", "I'm afraid you dropped my Reviewed-by in v3.",
            "I'm afraid I have to withdraw from reviewing this, no time."]
    assert [tag_withdrawn(s) for s in none] == [None] * len(none)

"""harness.nakthreat: a NAK promised if the patch stays as it is is no NAK, but blocks the revision it was said of."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.nakthreat import threatened_nak
from harness.nakwords import nak_sentences
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies
from tests.mailgen import message, write_mbox


@pytest.mark.parametrize("words", [
    "If this isn't fixed I'll NAK it.", "If you don't bound the loop, I'll have to NAK it.",
    "If this goes in as is, we'll NACK it.",
])
def test_a_nak_promised_if_nothing_changes_is_a_threat(words: str) -> None:
    assert threatened_nak(words) == words


def test_a_threat_with_no_comma_gives_no_nak() -> None:
    # The forms with a comma after the condition harness.nakwords reads as the sender's NAK (they block as one).
    assert nak_sentences("If this isn't fixed I'll NAK it.") == []


@pytest.mark.parametrize("words", [
    "Would you NAK it if it isn't fixed?", "Thomas said he'd NAK it if it isn't fixed.",
    "If you fix the loop I won't NAK it.", "I'll review it again if it isn't fixed.",
])
def test_what_promises_no_nak_of_the_senders(words: str) -> None:
    assert threatened_nak(words) is None


def test_a_threatened_nak_blocks_the_revision_it_was_said_of(tmp_path: Path) -> None:
    # Decided: no NAK is given, but this revision is the patch it was said of, unchanged: a maintainer would not apply
    # it. Before: v2 READY, exit 0 (no NAK read, nothing else either).
    mbox = _replies(tmp_path, ("t1@example.org", "> quoted\n\nIf this isn't fixed I'll NAK it.\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, "v2 02/3", "If this isn't fixed I'll NAK it."), o
    assert o.note.startswith("a NAK promised if the patch stays as it is, not given"), o.note
    assert g.exit_status == 1
    assert not evaluate_gate(GateRequest((mbox,), "v2:01", jobs=1, rules=tmp_path / "rules.toml",
                                         cache=shared_outcomes())).objections


@pytest.mark.parametrize("words", [
    "If this isn't fixed, I'll NAK it.", "Unless the loop is bounded, we'll have to NACK this.",
    "Fix this, or NAK.", "Bound the loop or I'll NAK it.", "Fix it, or else it's a NAK.",
    "Fix this, otherwise NAK from me.", "Otherwise I'll have to NACK it.",
])
def test_a_threat_with_a_comma_or_an_or_is_a_threat_and_no_nak(words: str) -> None:
    # Round 30 read these as the sender's NAK (the comma cut the condition's negation off the NAK), a verdict given.
    assert threatened_nak(words) == words
    assert nak_sentences(words) == []


@pytest.mark.parametrize("words", ["Please ACK or NAK.", "NAK, or at least split it.", "Otherwise LGTM.",
                                   "Fix this or NAK it yourself?"])
def test_what_threatens_nothing(words: str) -> None:
    assert threatened_nak(words) is None


@pytest.mark.parametrize(("words", "below"), [
    ("If this isn't fixed, I'll NAK it.", "patch"), ("Fix this, or NAK.", "patch"),
    ("If this isn't fixed I'll NAK it.", "o1@example.org"),  # below another reviewer's reply to the patch
    ("If this isn't fixed, I'll NAK it.", "o1@example.org"),
])
def test_a_threat_anywhere_below_the_patch_blocks_it_as_a_request_to_drop(tmp_path: Path, words: str,
                                                                          below: str) -> None:
    # Before: the forms with a comma blocked as Mae's NAK; below Olga's reply the form with none blocked nothing.
    olga = ("o1@example.org", "> quoted\n\nMaybe bound the loop?\n", "Olga Other <olga@example.org>", "patch")
    mbox = _replies(tmp_path, olga, ("t1@example.org", f"> quoted\n\n{words}\n", MAE, below))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    # Olga's "Maybe bound the loop?" is a change she asks (a review point, harness.pointwords), Mae's the threat.
    assert [(o.msgid, o.kind) for o in g.objections] == [("o1@example.org", ObjectionKind.POINT),
                                                         ("t1@example.org", ObjectionKind.DROP)], g.objections
    [o] = [o for o in g.objections if o.msgid == "t1@example.org"]
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, "v2 02/3", words)
    assert o.note.startswith("a NAK promised if the patch stays as it is"), o.note
    assert g.exit_status == 1


def test_a_threat_quoted_from_a_mail_the_input_lacks_or_placed_below_nothing_blocks(tmp_path: Path) -> None:
    # Said with a comma each blocked as a NAK (Olga's quoted, or one placed below nothing); read as no NAK now, each
    # must still block as the request to drop it is.
    quoted = ("m1@example.org", "On Mon, 1 Dec 2026 10:00:00 +0000, Olga Other <olga@example.org> wrote:\n"
              "> If this isn't fixed, I'll NAK it.\n\nAgreed.\n", MAE, "patch")
    g = evaluate_gate(GateRequest((_replies(tmp_path, quoted),), "v2", jobs=1, rules=tmp_path / "rules.toml",
                                  cache=shared_outcomes()))
    assert [(o.kind, o.target, o.sentence) for o in g.objections] == [
        (ObjectionKind.DROP, "v2 02/3", "If this isn't fixed, I'll NAK it.")], g.objections
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    lost = message("Re: an unrelated thread", "l1@example.org", "> quoted\n\nIf this isn't fixed, I'll NAK it.\n",
                   sender=MAE, parent="gone@example.org", refs=("gone@example.org",),
                   date="Mon, 05 Jan 2026 10:00:00 +0000")
    mbox = write_mbox(tmp_path / "lost.mbox", [*msgs, lost])
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.DROP, "If this isn't fixed, I'll NAK it.")]
    assert g.exit_status == 1


def test_a_threat_below_the_cover_letter_naming_patches_holds_those(tmp_path: Path) -> None:
    # Before this: every patch held ("v2 01/3, 02/3, 03/3"), and v2:01, without patch 2, blocked.
    from tests.harness.test_appliedsome import _gate
    g = _gate(tmp_path, ("t1@example.org", "Fix patch 2, or NAK.\n", MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3")], g.objections
    assert not _gate(tmp_path, ("t1@example.org", "Fix patch 2, or NAK.\n", MAE), variant="v2:01").objections
    g = _gate(tmp_path, ("t1@example.org", "If this isn't fixed, I'll NAK it.\n", MAE), variant="v2:01")
    assert [o.target for o in g.objections] == ["v2 01/3"]
    g = _gate(tmp_path, ("t1@example.org", "Unless patch 3 gets a bound, we'll NACK the series.\n", MAE),
              variant="v2:02")  # the series NAKed: 1/3 and 2/3 too
    assert [o.target for o in g.objections] == ["v2 01/3, 02/3"]


@pytest.mark.parametrize("words", [
    "If the loop is unbounded, I'd NAK 2.", "If Thomas agrees, I'll NAK it.", "I would NAK this if it retried forever.",
    "Should the loop spin forever, I'd NAK this.", "If this retries forever then NAK.",
    "In case the loop can spin forever, NAK.",
])
def test_a_nak_promised_on_any_condition_is_a_threat_and_no_nak(words: str) -> None:
    # Before: each a NAK given (of the cover letter below it: every variant blocked, the patch it names or not).
    assert threatened_nak(words) == words
    assert nak_sentences(words) == []


@pytest.mark.parametrize("words", ["NAK, even if the loop is bounded.", "If you ask me, NAK.", "I'd NAK this.",
                                   "NAK: if the loop spins, the CPU hangs.", "NAK if only because the loop spins."])
def test_a_nak_beside_words_that_are_no_condition_is_given(words: str) -> None:
    assert threatened_nak(words) is None
    assert nak_sentences(words) != []


@pytest.mark.parametrize(("words", "held"), [
    ("If the loop is unbounded, I'd NAK 2.\n", "v2 02/3"), ("If the loop stays unbounded then I'd NAK 2.\n", "v2 02/3"),
    ("If Thomas agrees, I'd NAK patch 2.\n", "v2 02/3"),
    ("I'd NAK 2 and 3 unless the loop is bounded.\n", "v2 02/3, 03/3"),
    ("I'd NAK this if it retried forever.\n", "v2 01/3, 02/3, 03/3"),
])
def test_a_conditional_nak_below_the_cover_letter_holds_what_it_names(tmp_path: Path, words: str, held: str) -> None:
    # Before: a NAK of the cover letter (every variant blocked, v2:01 too), or every patch held for "NAK 2".
    from tests.harness.test_appliedsome import _gate
    g = _gate(tmp_path, ("t1@example.org", words, MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, held)], g.objections
    assert g.exit_status == 1
    if not held.startswith("v2 01/3"):
        assert not _gate(tmp_path, ("t1@example.org", words, MAE), variant="v2:01").objections
    if "Thomas" in words or "retried" in words or "is unbounded" in words:
        assert g.objections[0].note.startswith("a NAK promised on a condition the gate does not judge"), \
            g.objections[0].note

"""An objection its own sender lifts blocks nothing, and the gate says what lifted it.

An objection its own sender lifts since (a change of mind in the NAK's words, "OK, no NAK from me then", a later
Reviewed-by, "Never mind, keep it") blocks nothing, and the gate says what lifted it; anyone else's word lifts none."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.keepwords import kept_after
from harness.lifted import lifted_objections
from harness.nakwords import retracted_after, withdrawal_sentences
from harness.objections import review_objections
from harness.variants import Variant
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import MAE, OLGA, _replies
from tests.mailgen import message, write_mbox

NAK = ("n1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch")
DROP = ("d1@example.org", "> quoted\n\nPlease drop this patch.\n", MAE, "patch")


def _judged(tmp: Path, *said: tuple[str, str, str, str], dates: dict[str, str] | None = None
            ) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """(kind, Message-ID) of each objection standing on v2, and the lifted lines, of v2 and ``said``."""
    series = parse_series(IngestRequest((_replies(tmp, *said, dates=dates),)))
    rev = series.revisions[-1]
    target = Variant(f"v{rev.version}", "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches), "",
                     revision=rev.version)
    standing = review_objections(series, target, frozenset()).standing
    return [(o.kind.value, o.msgid) for o in standing], lifted_objections(series, target, frozenset())


@pytest.mark.parametrize(("words", "said"), [
    ("NAK, the loop spins. Actually, scratch that, I was wrong, no NAK.",
     "Actually, scratch that, I was wrong, no NAK."),
    ("NAK.\n\nHmm. OK, no NAK from me then.", "OK, no NAK from me then."),
    ("NAK. Scratch my NAK.", "Scratch my NAK."),
])
def test_a_nak_taken_back_after_it_in_its_own_message(words: str, said: str) -> None:
    assert retracted_after(words) == said


@pytest.mark.parametrize("words", [
    "Scratch my NAK of v1. NAK.",  # the NAK comes after
    "No NAK from me. NAK.",
    "OK, no NAK from me then. NAK, on second thought.",
    "NAK. I'm not going to NAK this again, but please fix it.",
    "NAK. No NAK from me.",  # no change of mind said
    "NAK. OK, no NAK from me if you bound the loop.",  # a condition
])
def test_what_takes_no_nak_back_in_its_own_message(words: str) -> None:
    assert retracted_after(words) is None, words


@pytest.mark.parametrize("words", ["OK, no NAK from me then.", "No NAK after all, thanks.",
                                   "Actually, scratch that, I was wrong, no NAK."])
def test_a_change_of_mind_is_a_withdrawal(words: str) -> None:
    assert withdrawal_sentences(words) == [words]


@pytest.mark.parametrize("words", ["No NAK from me.", "I'm not going to NAK this, but please fix it.",
                                   "OK, no NAK from me if the loop is bounded.",
                                   "Actually, no NAK from me yet, still reviewing.",
                                   "OK, no NAK from me on this one, but NAK for patch 3."])
def test_no_nak_alone_takes_none_back(words: str) -> None:
    assert withdrawal_sentences(words) == [], words


@pytest.mark.parametrize("words", ["Never mind, keep it.", "Please disregard my request to drop it.",
                                   "Never mind, I misread the loop.", "No need to drop it after all.",
                                   "OK, keep it then.", "Please drop this patch. Never mind, keep it, I misread."])
def test_a_request_to_drop_taken_back(words: str) -> None:
    assert kept_after(words) is not None, words


@pytest.mark.parametrize("words", ["Keep it if the loop is bounded.", "Should we keep it?", "Don't keep it.",
                                   "Never mind the nit, please still drop it.",
                                   "Never mind my earlier comment. Please drop this patch.",
                                   "I won't take back my request to drop it.", "I would keep it.",
                                   "Never mind that, the loop still spins forever."])
def test_what_takes_no_request_to_drop_back(words: str) -> None:
    assert kept_after(words) is None, words


def test_a_nak_and_its_retraction_in_one_message_lifts_it_and_says_so(tmp_path: Path) -> None:
    # Before: a NAK no rule judges (the retraction read as no NAK, the NAK before it standing).
    words = "> quoted\n\nNAK, the loop spins.\n\nActually, scratch that, I was wrong, no NAK.\n"
    standing, lifted = _judged(tmp_path, ("n1@example.org", words, MAE, "patch"))
    assert standing == [] and len(lifted) == 1, (standing, lifted)
    assert "NAK of v2 02/3 by Mae Maint <n1@example.org>" in lifted[0] and "in the same message" in lifted[0]
    assert '"Actually, scratch that, I was wrong, no NAK."' in lifted[0], lifted


@pytest.mark.parametrize(("later", "sender", "lifts"), [
    ("OK, no NAK from me then.", MAE, True),
    ("Reviewed-by: Mae Maint <mae@example.org>", MAE, True),
    ("Thanks for the fix.\n\nAcked-by: Mae Maint <mae@example.org>", MAE, True),
    # someone else's tag, one Mae passes on for Olga, someone else's retraction, a quoted one: the NAK stands
    ("Reviewed-by: Olga Other <olga@example.org>", OLGA, False),
    ("Olga asked me to pass this on.\n\nReviewed-by: Olga Other <olga@example.org>", MAE, False),
    ("OK, no NAK from me then.", OLGA, False),
    ("> OK, no NAK from me then.\n\nI agree with the above.", OLGA, False),
    ("> Reviewed-by: Mae Maint <mae@example.org>\n\nThanks.", MAE, False),
    ("No NAK from me.", MAE, False),
    # a tag beside a NAK of its own, or put as what will be
    ("NAK still.\n\nReviewed-by: Mae Maint <mae@example.org>", MAE, False),
])
def test_a_later_word_lifts_the_nak_of_its_own_sender_only(tmp_path: Path, later: str, sender: str,
                                                             lifts: bool) -> None:
    standing, lifted = _judged(tmp_path, NAK, ("l1@example.org", later, sender, "n1@example.org"))
    assert (standing == []) is lifts and len(lifted) == int(lifts), (later, standing, lifted)
    assert not lifts or "lifted by its sender <l1@example.org>" in lifted[0], lifted


def test_a_tag_dated_before_the_nak_or_below_another_patch_lifts_nothing(tmp_path: Path) -> None:
    tag = "Reviewed-by: Mae Maint <mae@example.org>"
    early = {"n1@example.org": "Mon, 05 Jan 2026 12:00:00 +0000", "l1@example.org": "Mon, 05 Jan 2026 11:00:00 +0000"}
    standing, lifted = _judged(tmp_path, NAK, ("l1@example.org", tag, MAE, "patch"), dates=early)
    assert standing == [("nak", "n1@example.org")] and not lifted, (standing, lifted)


@pytest.mark.parametrize(("later", "sender", "lifts"), [
    ("Never mind, keep it.", MAE, True),
    ("Please disregard my request to drop it.", MAE, True),
    ("Never mind, keep it.", OLGA, False),
    ("> Never mind, keep it.\n\nI agree.", OLGA, False),
    ("Keep it if the loop is bounded.", MAE, False),
    ("Never mind the nit, please still drop it.", MAE, False),
])
def test_a_request_to_drop_its_sender_takes_back_blocks_nothing(tmp_path: Path, later: str, sender: str,
                                                                  lifts: bool) -> None:
    standing, lifted = _judged(tmp_path, DROP, ("l1@example.org", later, sender, "d1@example.org"))
    assert (standing == []) is lifts, (later, standing, lifted)
    assert not lifts or lifted[0].startswith("request to drop v2 02/3 by Mae Maint <d1@example.org>"), lifted


@pytest.mark.parametrize(("words", "lifts"), [
    ("Please drop this patch. Never mind, keep it, I misread.", True),
    ("Never mind my earlier comment. Please drop this patch.", False),
    ("I'm not going to NAK this, but please drop this patch.", False),  # still asks what it asks
])
def test_a_request_to_drop_and_its_retraction_in_one_message(tmp_path: Path, words: str, lifts: bool) -> None:
    standing, lifted = _judged(tmp_path, ("d1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert (standing == []) is lifts and len(lifted) == int(lifts), (standing, lifted)
    assert not lifts or "in the same message" in lifted[0], lifted


@pytest.mark.parametrize(("words", "stands"), [
    ("I withdraw my NAK of v1. NAK, the loop never ends.", True),  # passed: its own withdrawal took it back
    ("NAK, the loop never ends. Scratch my NAK.", False),
])
def test_a_nak_placed_below_nothing_is_taken_back_only_after_it(tmp_path: Path, words: str, stands: bool) -> None:
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    reply = message("Re: the retry loop", "o9@example.org", f"{words}\n", sender=MAE)
    series = parse_series(IngestRequest((write_mbox(tmp_path / "v2.mbox", [*msgs, reply]),)))
    rev = series.revisions[-1]
    target = Variant("v2", "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches), "",
                     revision=rev.version)
    standing = review_objections(series, target, frozenset()).standing
    assert [o.msgid for o in standing] == (["o9@example.org"] if stands else []), standing


@pytest.mark.parametrize(("words", "sender", "lifts"), [
    ("Reviewed-by: Mae Maint <mae@example.org>", MAE, True),  # blocked before: only a withdrawal took it back
    ("Reviewed-by: Olga Other <olga@example.org>", OLGA, False),
    ("Olga asked me to pass this on.\n\nReviewed-by: Olga Other <olga@example.org>", MAE, False),
    ("NAK still.\n\nReviewed-by: Mae Maint <mae@example.org>", MAE, False),
])
def test_a_later_revisions_reviewed_by_of_the_naks_sender_lifts_it(tmp_path: Path, words: str, sender: str,
                                                                    lifts: bool) -> None:
    # v1 02/3 NAKed by Mae, v2 02/3 the same change (git patch-id) with a reply after it.
    from tests.harness.test_gate_earlier import CREATE, PREPARING, WRAPPING, _inputs

    _, v2, _, two = _inputs(tmp_path, [CREATE, PREPARING, WRAPPING])
    up = two[2]["Message-ID"].strip("<>")
    later = message(f"Re: {two[2]['Subject']}", "tag@example.org", f"> quoted line\n\n{words}\n", sender=sender,
                    parent=up, refs=(two[2]["In-Reply-To"].strip("<>"), up), date="Wed, 07 Jan 2026 10:00:00 +0000")
    write_mbox(v2, [*two, later])
    series = parse_series(IngestRequest((tmp_path / "v1.mbox", v2)))
    rev = next(r for r in series.revisions if r.version == 2)
    target = Variant("v2", "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches), "", revision=2)
    standing = review_objections(series, target, frozenset()).standing
    cited = {m for o in standing for m in (o.msgid, *(a.msgid for a in o.again))}  # "NAK still." cites v1's too
    assert ("nak-v1@example.org" not in cited) is lifts, (words, standing)


@pytest.mark.parametrize(("words", "said"), [
    ("Reviewed-by: Mae Maint <mae@example.org>", "Reviewed-by: Mae Maint <mae@example.org>"),  # unlisted before
    ("I withdraw my NAK, this version is fine.", "I withdraw my NAK, this version is fine."),
    ("Reviewed-by: Olga Other <olga@example.org>", None),
])
def test_an_earlier_revisions_nak_lifted_below_a_later_one_is_listed(tmp_path: Path, words: str,
                                                                     said: str | None) -> None:
    # Mae's NAK of v1 02/3, lifted below v2 02/3 (the same change): listed with what lifted it, where, and by whom.
    from tests.harness.test_gate_earlier import CREATE, PREPARING, WRAPPING, _inputs

    _, v2, _, two = _inputs(tmp_path, [CREATE, PREPARING, WRAPPING])
    up = two[2]["Message-ID"].strip("<>")
    later = message(f"Re: {two[2]['Subject']}", "tag@example.org", f"> quoted line\n\n{words}\n",
                    sender=MAE if "Olga" not in words else OLGA, parent=up,
                    refs=(two[2]["In-Reply-To"].strip("<>"), up), date="Wed, 07 Jan 2026 10:00:00 +0000")
    write_mbox(v2, [*two, later])
    series = parse_series(IngestRequest((tmp_path / "v1.mbox", v2)))
    rev = next(r for r in series.revisions if r.version == 2)
    target = Variant("v2", "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches), "", revision=2)
    lines = [ln for ln in review_objections(series, target, frozenset()).lifted if "<nak-v1@example.org>" in ln]
    if said is None:
        assert lines == [], lines
        return
    [line] = lines
    assert line.startswith("NAK of v1 02/3 by ") and "lifted below v2 02/3 by its sender <tag@example.org> (" in line
    assert line.endswith(f': "{said}"') and "v2.mbox:" in line, line
    one = Variant("v2:01", "", (), (), (), ((rev.patches[0].mail.msgid, rev.patches[0].label),), "", revision=2)
    assert not [ln for ln in review_objections(series, one, frozenset()).lifted if "nak-v1" in ln]  # 02/3 not applied


def test_the_words_that_lift_are_cited_on_one_line(tmp_path: Path) -> None:
    # Both sentences span two mail lines: the lifting one kept its line break ('"Sorry for the noise, I take\nback my
    # NAK"' in the terminal and the gate's JSON) where the NAK's was joined.
    nak = ("n1@example.org", "> quoted\n\nNAK, the loop\nnever ends.\n", MAE, "patch")
    later = ("l1@example.org", "> quoted\n\nSorry for the noise, I take\nback my NAK.\n", MAE, "n1@example.org")
    standing, lifted = _judged(tmp_path, nak, later)
    assert standing == [] and len(lifted) == 1, (standing, lifted)
    assert '"NAK, the loop never ends."' in lifted[0] and '"Sorry for the noise, I take back my NAK' in lifted[0]
    assert "\n" not in lifted[0], lifted

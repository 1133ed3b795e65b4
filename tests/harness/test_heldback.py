"""Patches a maintainer holds back read as not applied until their sender applies them.

A maintainer applying some patches by number and holding others back ("Applied 1-2, 3 needs work."): the patches
held back read as not applied, an objection on every variant applying them, until their sender applies them."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.heldback import held_back, held_this, needs_work_this, numbered_request, series_needs_work
from harness.objections import Objection, ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, OLGA, RULE
from tests.mailgen import message, write_mbox

runner = CliRunner()


@pytest.mark.parametrize(("words", "held", "said"), [
    ("Applied 1-3, 4 needs work.", (4,), "Applied 1-3, 4 needs work."),
    ("Applied 1-3 to tip, thanks. Patch 4 needs more work.", (4,), "Patch 4 needs more work."),
    ("Applied 1-3, thanks!\n\n4 needs another round, see my reply there.", (4,),
     "4 needs another round, see my reply there."),
    ("Applied 1-2; 3 doesn't apply on top of tip, please rebase.", (3,),
     "3 doesn't apply on top of tip, please rebase."),
    ("Applied 1-3, but 4 isn't ready yet.", (4,), "Applied 1-3, but 4 isn't ready yet."),
    ("Applied 1-3, skipped 4.", (4,), "Applied 1-3, skipped 4."),
    ("Applied all but 4.", (4,), "Applied all but 4."),
    ("Queued everything except patch 4, thanks.", (4,), "Queued everything except patch 4, thanks."),
    ("Queued 1, 2 and 4, not 3.", (3,), "Queued 1, 2 and 4, not 3."),
    ("Applied 1-3 and 4, 5 needs work.", (5,), "Applied 1-3 and 4, 5 needs work."),  # not "4, 5"
    ("Applied 1-3; 4 and 5 need more work.", (4, 5), "4 and 5 need more work."),
    ("Patch 4 needs work.", (4,), "Patch 4 needs work."),  # named as a patch: in any message
    ("Queued 1-2. 3/3 I'll leave for now, it needs an ack from Thomas.", (3,),
     "3/3 I'll leave for now, it needs an ack from Thomas."),
    ("Applied 1-2, 3 needs an ack from Thomas.", (3,), "Applied 1-2, 3 needs an ack from Thomas."),
    ("Applied 1-2, leaving 3 for now.", (3,), "Applied 1-2, leaving 3 for now."),
    ("Applied 1-3. 4 has some issues, see Boris' reply.", (4,), "4 has some issues, see Boris' reply."),
    ("Applied 1 and 3, 2 conflicts with tip, please rebase.", (2,),
     "Applied 1 and 3, 2 conflicts with tip, please rebase."),
    ("Applied 1-3, 4 breaks the build.", (4,), "Applied 1-3, 4 breaks the build."),
    ("Applied patches 1-3; patch 4 is still under discussion.", (4,), "patch 4 is still under discussion."),
    # A bare number beside patches named before it, or beside a promise to take some: none before (each passed).
    ("Patches 1-2 look fine, 3 needs work.", (3,), "Patches 1-2 look fine, 3 needs work."),
    ("1-2 look good to me; 3 needs more work.", (3,), "3 needs more work."),
    ("1/3 and 2/3 are fine; 3 needs another round.", (3,), "3 needs another round."),
    ("I'll take 1-2, 3 needs work.", (3,), "I'll take 1-2, 3 needs work."),
    ("Patch 1 is fine. 2 needs work.", (2,), "2 needs work."),  # the patches said fine in the sentence before
    # A hedge before the bare number (before: none).
    ("Patch 1 is fine. I think 2 needs work, though.", (2,), "I think 2 needs work, though."),
    ("Applied 1-2, but I'm afraid 3 needs another round.", (3,), "Applied 1-2, but I'm afraid 3 needs another round."),
    ("Patch 1 is fine. 2 probably needs more work.", (2,), "2 probably needs more work."),
    ("Patches 1 and 2 look good to me.\n\n3 needs another round.", (3,), "3 needs another round."),
    # "To me", "for me", "it seems (to me)" opening the clause (before: none, the gate passed patch 2).
    ("Patch 1 is fine. To me 2 needs more work.", (2,), "To me 2 needs more work."),
    ("To me patch 2 needs more work.", (2,), "To me patch 2 needs more work."),
    ("Patch 1 is fine. It seems to me 2 needs another round.", (2,), "It seems to me 2 needs another round."),
    # Left out in other words, or said not applied: none before (the gate passed patch 3).
    ("Applied the series minus patch 3.", (3,), "Applied the series minus patch 3."),
    ("Applied everything apart from 3/3.", (3,), "Applied everything apart from 3/3."),
    ("Applied the series without patch 3.", (3,), "Applied the series without patch 3."),
    ("Applied 1-2. Patch 3 isn't applied yet.", (3,), "Patch 3 isn't applied yet."),
    ("3/3 wasn't queued, it needs an ack.", (3,), "3/3 wasn't queued, it needs an ack."),
    # "Excluding", "bar", "with the exception of" (before: none, the gate passed patch 3).
    ("Applied the series, excluding patch 3.", (3,), "Applied the series, excluding patch 3."),
    ("Applied all, bar patch 3.", (3,), "Applied all, bar patch 3."),
    ("Applied with the exception of 3/3.", (3,), "Applied with the exception of 3/3."),
    # Left out in the sentence after the one applying, or said not to make it (before: none, the gate passed 3/3).
    ("Queued for 6.20, thanks!\n\nI've left out 3/3 though, see my reply there.", (3,),
     "I've left out 3/3 though, see my reply there."),
    ("Thanks, queued.\n\n3/3 didn't make it, it conflicts with tip.", (3,),
     "3/3 didn't make it, it conflicts with tip."),
])
def test_patches_held_back_from_what_was_applied(words: str, held: tuple[int, ...], said: str) -> None:
    assert held_back(words) == (held, said)


@pytest.mark.parametrize("words", [
    "4 needs work.",  # a bare number with nothing applied names no patch
    "If 4 needs work, tell me.",
    "Does patch 4 need more work?",
    "Applied 1-4, thanks.",
    "Applied 1-3, 4 was already applied by Ingo.",
    "Applied 1-3, 4 goes through the net tree.",
    "Applied the series except patch 2, which Ingo took.",
    "Applied 1-3. I don't think 4 needs work.",
    "I skipped 4 while reading.",
    "Patch 3 needs an ack from the KVM folks.",  # waiting for another, with nothing applied: asks nothing
    "Applied 1-2, leaving for vacation now.",
    "Applied 1-4; 4 has issues that I fixed while applying.",  # applied: nothing held back
    "Patch 4 has some issues.",  # a fault named, nothing applied: asks nothing
    "I retried 3 times; 2 needs more thought.", "Patch 1 retries 3 times, 5 needs more thought.",
    "Patches 1-2 look fine, 3 needs an ack from Thomas.",  # waiting for another, nothing applied
    "I applied it without 3 of the changes.", "Patch 3 is not applied to the right file.",
    "Patch 1 retries 3 times. 2 needs more thought.", "Patch 1 is fine. If 2 needs work, tell me.",
    "Patch 3 was not applied because it is already upstream.",
    "Patch 1 retries 3 times. I think 2 needs more thought.", "Patch 1 is fine. I don't think 2 needs work.",
    "To me 2 needs more work.", "Patch 1 retries 3 times. To me 2 needs more thought.",
    "Patch 1 is fine. It seems 2 needs no work.",
    # A verb of applying that counts how often names no patch applied (before: (2,), and the gate blocked on 2/3).
    "I pulled 3 times; 2 needs more thought.", "I pulled it twice, 2 needs work.",
    "Took three times as long to build; 2 needs more thought.",
    "Applied 1-3, excluding the Fixes tag.", "Applied, thanks. I skipped 2 while reading.",
    "Patch 2 didn't make it any faster.",
])
def test_what_holds_nothing_back(words: str) -> None:
    assert held_back(words) is None


def _series(tmp: Path, *said: tuple[str, str, str]) -> tuple[Path, Path]:
    """v2 of our own series (3 patches) and replies below its cover letter (Message-ID, words, sender), in order."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    out: list[EmailMessage] = [
        message(f"Re: {msgs[0]['Subject']}", msgid, words, sender=sender, parent=cover, refs=(cover,),
                date=f"Mon, 05 Jan 2026 1{n}:00:00 +0000") for n, (msgid, words, sender) in enumerate(said)]
    (tmp / "rules.toml").write_text(RULE)
    return write_mbox(tmp / "v2.mbox", [*msgs, *out]), tmp / "rules.toml"


def _gate(mbox: Path, rules: Path, variant: str) -> GateResult:
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=rules, cache=shared_outcomes()))


APPLIED = ("a1@example.org", "Applied 1-2 to x86/tdx, thanks.\n\n3 needs more work, see my reply there.\n", MAE)


def test_a_patch_held_back_blocks_a_variant_applying_it_and_no_other(tmp_path: Path) -> None:
    # Before: v2 READY, exit 0: "3 needs more work" read as nothing, and the gate passed the patch Mae did not apply.
    mbox, rules = _series(tmp_path, APPLIED)
    g = _gate(mbox, rules, "v2")
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 request to drop no rule judges"), \
        g.headline()
    [o] = g.objections
    assert (o.kind, o.msgid, o.author, o.target) == (ObjectionKind.DROP, "a1@example.org", "Mae Maint", "v2 03/3")
    assert o.sentence == "3 needs more work, see my reply there."
    assert "not applied" in o.note, o.note
    g = _gate(mbox, rules, "v2:02")  # what Mae applied: nothing held back is in it
    assert not g.objections and g.exit_status == 0, g.objections
    r = runner.invoke(app, ["eval", str(mbox), "--rules", str(rules)])
    said = " ".join(r.stdout.split())
    assert "v2: NOT READY: 1 request to drop no rule judges" in said, said
    assert "request to drop v2 03/3 by Mae Maint <a1@example.org>" in said, said


@pytest.mark.parametrize("words", ["Patches 1-2 look fine, 3 needs work.\n",
                                   "1-2 look good to me; 3 needs more work.\n",
                                   "I'll take 1-2, 3 needs another round.\n", "I'd rather not take patch 3.\n",
                                   "Thanks, but I won't take 3/3 as is.\n", "Applied the series minus patch 3.\n",
                                   "Patches 1-2 look fine.\n\n3 needs work.\n",
                                   "Patches 1 and 2 are fine. I think 3 needs work, though.\n",
                                   "Patches 1 and 2 are fine. To me 3 needs more work.\n"])
def test_a_patch_said_to_need_work_or_refused_by_number_blocks_a_variant_applying_it(tmp_path: Path,
                                                                                     words: str) -> None:
    # Before: v2 READY, exit 0 on each: a bare "3" beside patches said fine (or a promise to take some) named no
    # patch, and a refusal by number was no request; the gate passed patch 3.
    mbox, rules = _series(tmp_path, ("a1@example.org", words, MAE))
    g = _gate(mbox, rules, "v2")
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 03/3")], \
        g.objections
    assert not _gate(mbox, rules, "v2:02").objections


def test_the_held_back_patch_applied_later_by_its_sender_blocks_nothing(tmp_path: Path) -> None:
    mbox, rules = _series(tmp_path, APPLIED, ("a2@example.org", "Applied 3 as well now, thanks.\n", MAE))
    g = _gate(mbox, rules, "v2")
    assert not g.objections and g.exit_status == 0, g.objections
    # Another's "applied" is no word of Mae's: it stands.
    mbox, rules = _series(tmp_path, APPLIED, ("a2@example.org", "Applied 3 as well now, thanks.\n", OLGA))
    assert [o.target for o in _gate(mbox, rules, "v2").objections] == ["v2 03/3"]


@pytest.mark.parametrize(("words", "said"), [
    ("Applied patch 1 to x86/tdx, this one needs more work: the loop has no bound.",
     "Applied patch 1 to x86/tdx, this one needs more work: the loop has no bound."),
    ("Applied 1-2, thanks. This one doesn't apply on top of tip.", "This one doesn't apply on top of tip."),
    # Named as left out of what was applied (before: None, and the gate passed the patch below).
    ("Applied the others, not this one.", "Applied the others, not this one."),
    ("Applied the rest of the series, except this one.", "Applied the rest of the series, except this one."),
    ("Skipping this one, applied the rest.", "Skipping this one, applied the rest."),
])
def test_the_patch_below_held_back_beside_patches_applied(words: str, said: str) -> None:
    assert held_this(words) == said


@pytest.mark.parametrize("words", ["This one needs more work.",  # nothing applied: as before, not read here
                                   "Applied 1-2, this one is fine too.", "Applied 1-2. Does this one need more work?",
                                   "I applied it without this one change.",
                                   "Applied it, not sure about this one though.",
                                   "Applied, except it breaks the build."])
def test_what_holds_back_no_patch_below(words: str) -> None:
    assert held_this(words) is None


def test_the_patch_below_held_back_blocks_a_variant_applying_it(tmp_path: Path) -> None:
    # Below v2 02/3. Before: v2 READY, exit 0 ("this one" named no patch by number, and nothing else read it).
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[2]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[2]['Subject']}", "h1@example.org", "> +\tdo {\n\nApplied patch 1 to x86/tdx, this "
                    "one needs more work: the loop has no bound.\n", sender=MAE, parent=patch, refs=(cover, patch))
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    [o] = _gate(mbox, tmp_path / "rules.toml", "v2").objections
    # 3/3 too: Mae applied patch 1 alone (harness.appliedsome, round 31).
    assert (o.kind, o.target, o.msgid) == (ObjectionKind.DROP, "v2 02/3, 03/3", "h1@example.org") \
        and "not applied" in o.note
    assert not _gate(mbox, tmp_path / "rules.toml", "v2:01").objections


@pytest.mark.parametrize(("words", "said"), [
    ("This needs more work.", "This needs more work."),
    ("I think this needs another round.", "I think this needs another round."),
    ("This one still needs work, see below.", "This one still needs work, see below."),
    ("This patch needs a rebase.", "This patch needs a rebase."),
    ("If this needs more work, tell me.", None), ("Does this need more work?", None),
    ("I don't think this needs more work.", None), ("The way this needs changes is odd.", None),
])
def test_the_patch_below_said_to_need_work_with_nothing_applied(words: str, said: str | None) -> None:
    assert needs_work_this(words) == said


def _below(tmp: Path, parent: int | None) -> list[Objection]:
    """Gate objections of v2 with Olga's review of 02/3 and Mae's "This needs more work." below 02/3 itself (None) or
    below Olga's review (0)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[2]["Message-ID"].strip("<>")
    olga = message(f"Re: {msgs[2]['Subject']}", "o1@example.org", "> +\tdo {\n\nMaybe use a for loop here?\n",
                   sender=OLGA, parent=patch, refs=(cover, patch), date="Mon, 05 Jan 2026 10:00:00 +0000")
    up = patch if parent is None else "o1@example.org"
    mae = message(f"Re: {msgs[2]['Subject']}", "w1@example.org", "> +\tdo {\n\nThis needs more work.\n", sender=MAE,
                  parent=up, refs=(cover, patch, *([up] if parent is not None else [])),
                  date="Mon, 05 Jan 2026 11:00:00 +0000")
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, olga, mae])
    return list(_gate(mbox, tmp / "rules.toml", "v2").objections)


def test_the_patch_said_to_need_work_blocks_until_changed(tmp_path: Path) -> None:
    # Decided: "This needs more work." below a patch, nothing applied, says it is not to be applied as it is (as
    # "Patch 2 needs more work." did already). Before: v2 READY, exit 0.
    # Olga's "Maybe use a for loop here?" is a change she asks (a review point, harness.pointwords): Mae's alone here.
    [o] = [o for o in _below(tmp_path, None) if o.msgid == "w1@example.org"]
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, "v2 02/3", "This needs more work."), o
    assert o.note == "said to need more work or another revision: not to be applied as it is", o.note
    # below Olga's proposal: of what she said, not of the patch
    assert [o.msgid for o in _below(tmp_path, 0)] == ["o1@example.org"]


@pytest.mark.parametrize(("words", "said"), [
    ("This series needs more work.", "This series needs more work."),
    ("I think the whole series needs another round.", "I think the whole series needs another round."),
    ("Sorry, the patchset isn't ready yet.", "Sorry, the patchset isn't ready yet."),
    ("This version still needs some work, see my replies to the patches.",
     "This version still needs some work, see my replies to the patches."),
    ("If the series needs more work, tell me.", None), ("Does this series need more work?", None),
    ("I don't think the series needs more work.", None), ("The rest of the series needs work.", None),
])
def test_the_series_said_to_need_work(words: str, said: str | None) -> None:
    assert series_needs_work(words) == said


@pytest.mark.parametrize(("words", "parent"), [
    ("> This series adds a helper.\n\nThis series needs more work.\n", None),
    ("> This series adds a helper.\n\nThis needs more work, see my replies to the patches.\n", None),
    ("Sorry, I think the whole series needs another spin.\n", None),
    ("If this isn't fixed, I'll NAK it.\n", None),  # a threat below the cover letter: the series'
    ("If this isn't fixed I'll NAK it.\n", None),
    ("This series needs more work.\n", "o1@example.org"),  # below another's reply: the series named
])
def test_the_series_said_to_need_work_below_its_cover_letter_holds_every_patch(tmp_path: Path, words: str,
                                                                                parent: str | None) -> None:
    # Before: v2 READY, exit 0 (only a reply to a patch was read so). Every variant applying any patch is held.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    olga = message(f"Re: {msgs[0]['Subject']}", "o1@example.org", "> quoted\n\nMaybe split patch 2?\n", sender=OLGA,
                   parent=cover, refs=(cover,), date="Mon, 05 Jan 2026 10:00:00 +0000")
    up = parent or cover
    mae = message(f"Re: {msgs[0]['Subject']}", "w1@example.org", words, sender=MAE, parent=up,
                  refs=(cover, *([up] if parent else [])), date="Mon, 05 Jan 2026 11:00:00 +0000")
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, olga, mae])
    for variant, target in (("v2", "v2 01/3, 02/3, 03/3"), ("v2:01", "v2 01/3")):
        g = _gate(mbox, tmp_path / "rules.toml", variant)
        # Olga's "Maybe split patch 2?" is a change she asks of 02/3 (harness.coverpoints), Mae's the hold.
        held = [(o.kind, o.target, o.msgid) for o in g.objections if o.msgid == "w1@example.org"]
        assert held == [(ObjectionKind.DROP, target, "w1@example.org")], g.objections
        assert [o.kind for o in g.objections if o.msgid != "w1@example.org"] == \
            [ObjectionKind.POINT] * (variant == "v2"), g.objections
        assert g.exit_status == 1


@pytest.mark.parametrize(("words", "said"), [
    ("Patch 1 is fine. Patch 2 is not.", "Patch 2 is not."),
    ("Patch 1 is fine, patch 2 not so much.", "Patch 1 is fine, patch 2 not so much."),
    ("Patch 2 is a no-go.", "Patch 2 is a no-go."),
    ("Patch 2 is not acceptable as is.", "Patch 2 is not acceptable as is."),
    ("Patch 2: needs rework.", "Patch 2: needs rework."), ("Patch 2 -- needs rework.", "Patch 2 -- needs rework."),
    ("[PATCH v2 2/3] needs more work.", "[PATCH v2 2/3] needs more work."),
    ("Taking 1 and 3, dropping 2.", "Taking 1 and 3, dropping 2."),
    ("1 and 3 are in tip now; 2 is not.", "2 is not."),
    ("Patches 1 and 3 are in x86/tdx, 2 is not yet.", "Patches 1 and 3 are in x86/tdx, 2 is not yet."),
    # A build failure of patch 2 reported, as "Patch 2 breaks the build." is (harness.regressions, since round 63).
    ("Patch 1 looks fine. Patch 2 does not compile.", "Patch 2 does not compile."),
])
def test_patch_2_held_back_in_other_words(words: str, said: str) -> None:
    # Before: each read as nothing, and the gate passed patch 2 (below the cover letter).
    assert numbered_request(words) == ((2,), said)


@pytest.mark.parametrize("words", ["Patch 2 is not.", "Patch 1 is fine. Patch 2 is not a problem either.",
                                   "Is patch 2 a no-go?",
                                   "I do not think patch 2 is a no-go.", "Patch 2: the loop needs rework.",
                                   "Applied 1-3, dropping 2 lines from the log.", "I am taking 2 days off."])
def test_what_holds_patch_2_back_in_no_words(words: str) -> None:
    assert numbered_request(words) is None


@pytest.mark.parametrize("words", ["Patch 1 is fine. Patch 2 is not.\n", "Patch 2 is a no-go.\n",
                                   "Patch 2: needs rework.\n", "Patch two needs more work.\n",
                                   "[PATCH v2 2/3] needs more work.\n", "2/3 I will not take.\n"])
def test_patch_2_held_back_in_other_words_blocks_a_variant_applying_it(tmp_path: Path, words: str) -> None:
    # Before: v2 READY, exit 0 on each.
    mbox, rules = _series(tmp_path, ("a1@example.org", words, MAE))
    g = _gate(mbox, rules, "v2")
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3")], \
        g.objections
    assert not _gate(mbox, rules, "v2:01").objections


@pytest.mark.parametrize(("words", "held"), [
    ("Pulled everything but patch 3.", (3,)), ("Pulled 1-2, 3 needs work.", (3,)),
    ("I'll pull 1-2, 3 needs work.", (3,)),
])
def test_patches_held_back_from_what_was_pulled(words: str, held: tuple[int, ...]) -> None:
    # Before: None ("pulled" no verb of applying): the gate passed patch 3, left out.
    found = held_back(words)
    assert found is not None and found[0] == held, found


def test_a_verb_counting_how_often_holds_no_patch_back_in_the_gate(tmp_path: Path) -> None:
    # Before: NOT READY, exit 1, 2/3 "held back by its sender from what they applied": nothing was applied.
    mbox, rules = _series(tmp_path, ("a1@example.org", "I pulled 3 times; 2 needs more thought.\n", MAE))
    g = _gate(mbox, rules, "v2")
    assert not g.objections and g.exit_status == 0, g.objections


def test_the_patch_below_left_out_of_what_was_applied_blocks(tmp_path: Path) -> None:
    # Below v2 02/3. Before: v2 READY, exit 0.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[2]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[2]['Subject']}", "h1@example.org", "Applied the others, not this one.\n", sender=MAE,
                    parent=patch, refs=(cover, patch))
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    g = _gate(mbox, tmp_path / "rules.toml", "v2")
    assert [(o.kind, o.target, o.sentence) for o in g.objections] == [
        (ObjectionKind.DROP, "v2 02/3", "Applied the others, not this one.")] and g.exit_status == 1

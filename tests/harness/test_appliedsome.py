"""harness.appliedsome: a maintainer applying some of a series' patches holds the others back.

harness.appliedsome: a maintainer applying some of a series' patches by number ("Applied patches 1 and 3, thanks.")
holds the others back, "the rest" named after some patches is the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.appliedsome import applied_listed, rest_as_numbers
from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, OLGA, RULE
from tests.harness.test_thanksummary import _gate  # the same series and cover-letter replies
from tests.mailgen import message, write_mbox


@pytest.mark.parametrize(("words", "applied"), [
    ("Applied patches 1 and 3, thanks.", (1, 3)), ("Thanks, I've applied 1/3 and 3/3.", (1, 3)),
    ("Queued patches 1 and 3 for 6.20.", (1, 3)), ("Picked up 1 and 3, thanks!", (1, 3)),
    ("I took patches 1 and 3.", (1, 3)), ("Applied #1 and #3 to x86/tdx.", (1, 3)),
    ("Thanks, queued 1 and 3 (2 conflicts).", (1, 3)), ("Applied 1 and 3 of v1.", None),
    ("Patches 1 and 3 applied, thanks.", (1, 3)), ("1 and 3 are queued now.", (1, 3)),
    ("Applied 1-2 to tip.", (1, 2)),
    ("Applied 1 and 3 last week.", (1, 3)), ("Applied 1 and 3 and fixed up 3.", (1, 3)),
    ("Applied 1 and 3 and 5 of v1.", None), ("I applied 1 and 3 locally to test.", None),
    ("I haven't applied 1 and 3.", None), ("If I applied 1 and 3, would 2 still build?", None),
    ("Should I apply patches 1 and 3?", None), ("Applied, thanks.", None),
    ("I applied patch 1 from v1 earlier.", None),  # another revision's
    # "only" read as another's name, or ending no list (before: None, and the gate passed 2/3 and 3/3).
    ("I only applied 1/3.", (1,)), ("Applied patch 1 only.", (1,)), ("Applied only patch 1.", (1,)),
    ("Finally applied 1 and 3.", (1, 3)), ("Ingo applied 1 and 3.", None),
])
def test_patches_applied_by_number(words: str, applied: tuple[int, ...] | None) -> None:
    found = applied_listed(words)
    assert (found[0] if found is not None else None) == applied


@pytest.mark.parametrize(("words", "own", "applied"), [
    # Before: (1,) on the first three (the list cut at its first comma), None on the rest (a revision named read as
    # none: "Applied 1 and 3 of v2." below v2 held nothing back, and the gate passed patch 2).
    ("Applied 1, 3 and 5 of v1.", 1, (1, 3, 5)), ("Applied 1, 3 and 5 of v1.", 2, None),
    ("Applied 1, 3 and 5 over the weekend.", None, (1, 3, 5)), ("Applied 1 and 3 of v2.", 2, (1, 3)),
    ("Queued 2, 4, and 6 from version 3, thanks.", 3, (2, 4, 6)), ("Queued 2, 4, and 6 from version 3.", 2, None),
    ("Applied 1 and 3 of this series, thanks.", None, (1, 3)), ("Took patches 1 and 2 of the set.", 4, (1, 2)),
    ("Applied 1 and 3 in v1.", 2, None), ("Applied 1 and 3 of v1.", None, None),  # no revision known: another's
    ("Applied 1-2, 3 and 4 need work.", None, (1, 2)),  # a clause of its own after the comma
    # Of the series' count: read as nothing before, and the gate passed 3/3.
    ("Applied 1-2 of 3, thanks.", 2, (1, 2)), ("Applied 1 and 2 out of 3.", None, (1, 2)),
    ("Applied patches 1-2 of the 3 patches.", None, (1, 2)), ("Applied 2 of 3 hunks.", None, None),
    # The count in words, as in digits (before: None, and the gate passed 3/3).
    ("Applied 1-2 out of three.", None, (1, 2)), ("Applied 1 and 2 of the three patches.", None, (1, 2)),
    ("Queued 1-11 of twelve, thanks.", None, tuple(range(1, 12))), ("Applied 2 of three hunks.", None, None),
])
def test_the_whole_list_and_the_revision_it_names_are_read(words: str, own: int | None,
                                                          applied: tuple[int, ...] | None) -> None:
    found = applied_listed(words, own)
    assert (found[0] if found is not None else None) == applied


@pytest.mark.parametrize(("words", "numbered"), [
    ("Applied patch 1, the rest needs more work.", "Applied patch 1, patch 2 and patch 3 needs more work."),
    ("Applied 1/3. The remaining two need another round.", "Applied 1/3. patch 2 and patch 3 need another round."),
    ("Applied patch 2; the others need work.", "Applied patch 2; patch 1 and patch 3 need work."),
    ("Please drop 2/3 and the rest of the series.", "Please drop 2/3 and patch 1 and patch 3."),
    ("Applied 1/3, the remaining three need work.", "Applied 1/3, the remaining three need work."),  # not three
    ("The rest looks fine.", "The rest looks fine."),  # no patch named before: as written
    ("Applied patch 1, the rest of the loop is fine.", "Applied patch 1, the rest of the loop is fine."),
    ("Applied all but patch 3.", "Applied patch 1 and patch 2."), ("I've dropped all but 1/3.",
                                                                   "I've dropped patch 2 and patch 3."),
    ("Applied all but 4.", "Applied all but 4."),  # past the end: as written
])
def test_the_rest_after_patches_named_is_the_others(words: str, numbered: str) -> None:
    assert rest_as_numbers(words, 3) == numbered


@pytest.mark.parametrize(("words", "target", "prefix"), [
    ("Applied patches 1 and 3, thanks.\n", "v2 02/3", "v2:01"),
    ("Hi Ann,\n\nOn Mon, 05 Jan 2026, Ann Author wrote:\n> This series adds a helper.\n\nThanks, I've applied 1/3 and "
     "3/3.\n\nMae\n", "v2 02/3", "v2:01"),
    ("Patch 1 queued, thanks.\n\n-----Original Message-----\nFrom: Ann Author <ann@example.org>\nSent: Monday\n"
     "Subject: [PATCH v2 0/3]\n\nThis series adds a helper.\n", "v2 02/3, 03/3", "v2:01"),
    ("Applied patch 1, the rest needs more work.\n", "v2 02/3, 03/3", "v2:01"),
    ("Applied the first one, the remaining two need more work.\n", "v2 02/3, 03/3", "v2:01"),
    ("Applied all but the last, thanks.\n", "v2 03/3", "v2:02"),
    ("Applied 1-2, thanks.\n", "v2 03/3", "v2:02"),
    ("Applied the first two out of three.\n", "v2 03/3", "v2:02"),  # before: read as nothing, READY
    ("Applied 1-2 of three, thanks.\n", "v2 03/3", "v2:02"),
    ("Picked 1 and 2, thanks.\n", "v2 03/3", "v2:02"),  # before: read as nothing, READY
    ("I'll apply 1 and 2; 3 I'd like Thomas to look at first.\n", "v2 03/3", "v2:02"),
    ("Only applied the first one for now.\n", "v2 02/3, 03/3", "v2:01"),  # before: READY
])
def test_the_patches_a_maintainer_applied_some_of_the_series_without_hold_the_others(
        tmp_path: Path, words: str, target: str, prefix: str) -> None:
    # Before: v2 READY, exit 0 on each: only patches named as held back were held, and the gate passed what Mae did
    # not apply. What she applied (the prefix) is not held.
    g = _gate(tmp_path, ("a1@example.org", words, MAE))
    assert [(o.kind, o.target, o.msgid) for o in g.objections] == [(ObjectionKind.DROP, target, "a1@example.org")], \
        g.objections
    assert g.exit_status == 1
    assert "not applied" in g.objections[0].note, g.objections[0].note
    assert not _gate(tmp_path, ("a1@example.org", words, MAE), variant=prefix).objections


@pytest.mark.parametrize("words", ["Applied 1 and 3 of v2, thanks.\n", "Queued 1 and 3 from this series.\n",
                                   "Applied 1, 3 and 5 of version 2.\n", "Applied 1 and 3 of 3, thanks.\n"])
def test_patches_applied_of_the_revision_named_hold_the_others(tmp_path: Path, words: str) -> None:
    # Before: v2 READY, exit 0: a revision named after the list (even the reply's own) read as none applied.
    g = _gate(tmp_path, ("a1@example.org", words, MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3")], g.objections
    assert g.exit_status == 1


def test_patches_applied_of_another_revision_hold_nothing_of_this_one(tmp_path: Path) -> None:
    # Before: 2/3 and 3/3 held back: "Applied 1, 3 and 5 of v1." read as "Applied 1" of this revision.
    assert not _gate(tmp_path, ("a1@example.org", "Applied 1, 3 and 5 of v1.\n", MAE)).objections


def test_what_another_or_the_sender_applies_lifts_them(tmp_path: Path) -> None:
    # A series split between trees (Olga applies 2), or Mae applying 2 later: nothing is held back.
    some = ("a1@example.org", "Applied patches 1 and 3, thanks.\n", MAE)
    assert not _gate(tmp_path, some, ("a2@example.org", "Applied 2/3 to net, thanks.\n", OLGA)).objections
    assert not _gate(tmp_path, some, ("a2@example.org", "Applied 2/3 as well now.\n", MAE)).objections
    assert not _gate(tmp_path, ("a0@example.org", "Applied 2/3, thanks.\n", MAE), some).objections


def test_a_patch_its_sender_says_applied_below_it_is_not_held(tmp_path: Path) -> None:
    # "Applied patches 1 and 3." below the cover letter, "Applied, thanks." below 2/3 by another maintainer (a series
    # split between trees) or by Mae: 2/3 is applied. By Mae before it too.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[2]["Message-ID"].strip("<>")
    (tmp_path / "rules.toml").write_text(RULE)
    for sender, hour in ((OLGA, 11), (MAE, 11), (MAE, 9)):
        some = message(f"Re: {msgs[0]['Subject']}", "a1@example.org", "Applied patches 1 and 3, thanks.\n", sender=MAE,
                       parent=cover, refs=(cover,), date="Mon, 05 Jan 2026 10:00:00 +0000")
        two = message(f"Re: {msgs[2]['Subject']}", "a2@example.org", "Applied, thanks.\n", sender=sender,
                      parent=patch, refs=(cover, patch), date=f"Mon, 05 Jan 2026 {hour}:00:00 +0000")
        mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, some, two])
        g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert not g.objections and g.exit_status == 0, (sender, hour, g.objections)


@pytest.mark.parametrize("words", ["Applied 1 and 3 of 5, thanks.\n", "Applied 1/5 and 3/5, thanks.\n",
                                   "Applied 1, 2 and 3 of five.\n", "Applied the first two out of five, thanks.\n",
                                   "Applied the last one out of five.\n"])
def test_patches_applied_of_a_larger_count_hold_nothing_of_this_one(tmp_path: Path, words: str) -> None:
    # A count past this 3-patch series' is another series' (or revision's): none of its numbers are this one's.
    # Before: 2/3 (or the others) held back, "of 5" read as this one's.
    assert not _gate(tmp_path, ("a1@example.org", words, MAE)).objections
    assert applied_listed(words, None, 3) is None


def test_another_counts_applied_later_lifts_nothing(tmp_path: Path) -> None:
    # "Applied 3/5 as well." names another series' third: Mae's 3/3 stays held. Before: lifted, v2 READY, exit 0.
    held = ("a1@example.org", "Applied 1-2 to x86/tdx, thanks.\n\n3 needs more work.\n", MAE)
    g = _gate(tmp_path, held, ("a2@example.org", "Applied 3/5 as well now, thanks.\n", MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 03/3")] and g.exit_status == 1
    assert not _gate(tmp_path, held, ("a2@example.org", "Applied 3/3 as well now, thanks.\n", MAE)).objections


@pytest.mark.parametrize("words", ["Pulled 1 and 3, thanks.\n", "Pulled in patches 1 and 3.\n",
                                   "Patches 1 and 3 pulled, thanks.\n", "I'll pull 1 and 3.\n"])
def test_patches_pulled_by_number_hold_the_others(tmp_path: Path, words: str) -> None:
    # Before: v2 READY, exit 0: "pulled" was no verb of applying, and the gate passed patch 2, left out.
    g = _gate(tmp_path, ("a1@example.org", words, MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3")], g.objections
    assert g.exit_status == 1


@pytest.mark.parametrize("words", ["I pulled 1 and 3 locally to test.", "Pulled 1 and 3 of v1.", "I pulled 3 times.",
                                   "Pulled, thanks."])
def test_what_pulled_says_of_no_patch_applied(words: str) -> None:
    assert applied_listed(words, 2, 3) is None


@pytest.mark.parametrize("words", ["If Thomas agrees, I'll apply 1 and 3.\n",
                                   "Once Thomas acks it, I'll queue 1 and 3.\n",
                                   "Sure, provided the bots are happy, I'll take patches 1 and 3.\n",
                                   "Assuming nobody objects, applied 1 and 3 then.\n"])
def test_an_applying_put_on_a_condition_holds_nothing_back(tmp_path: Path, words: str) -> None:
    # Before: NOT READY, exit 1: 2/3 held back as "left out of what its sender says they applied (1, 3)"; a
    # condition not yet met applies nothing and says nothing of patch 2.
    g = _gate(tmp_path, ("a1@example.org", words, MAE))
    assert not g.objections and g.exit_status == 0, g.objections
    assert applied_listed(words, 2, 3) is None


@pytest.mark.parametrize(("words", "applied"), [("When I got back, I applied 1 and 3.", (1, 3)),
                                                ("Since Thomas agrees, I'll apply 1 and 3.", (1, 3)),
                                                ("Thanks, I'll apply 1 and 3.", (1, 3))])
def test_an_applying_after_a_clause_of_time_or_cause_is_read(words: str, applied: tuple[int, ...]) -> None:
    found = applied_listed(words, 2, 3)
    assert found is not None and found[0] == applied


@pytest.mark.parametrize(("words", "applied"), [
    # A bare count of all of them: every patch (before: (3,), and the gate held 1/3 and 2/3 back, NOT READY).
    ("Applied 3 of 3 patches, thanks.", (1, 2, 3)), ("Queued 3 of the 3 patches.", (1, 2, 3)),
    ("Applied 3 of the 3, thanks.", (1, 2, 3)),
    # A patch named: patch 3 of them.
    ("Applied patch 3 of the 3 patches.", (3,)), ("Applied 3 of 3, thanks.", (3,)),
])
def test_a_count_of_every_patch_applies_them_all(words: str, applied: tuple[int, ...]) -> None:
    found = applied_listed(words, 2, 3)
    assert found is not None and found[0] == applied


def test_a_count_of_every_patch_holds_none_back_in_the_gate(tmp_path: Path) -> None:
    # Before: NOT READY, exit 1: 1/3 and 2/3 "left out of what its sender says they applied (3)".
    g = _gate(tmp_path, ("a1@example.org", "Applied 3 of 3 patches, thanks.\n", MAE))
    assert not g.objections and g.exit_status == 0, g.objections


@pytest.mark.parametrize(("words", "applied"), [
    # The patches taken named with no verb, as the one applying answers (before: None, and the gate passed 2/3).
    ("Just 1 and 3 for now, thanks.", (1, 3)), ("Only patches 1 and 3 this time.", (1, 3)),
    ("Just 1/3 for now.", (1,)), ("Only 1 and 3 need work.", None), ("Just 1 and 3 of v1 for now.", None),
    ("Only 1 and 3?", None), ("Taking just 1 and 3 for now.", (1, 3)), ("Thanks, taking 1 and 3; 2 later.", (1, 3)),
    ("I am taking 2 days off.", None),
])
def test_the_patches_taken_named_with_no_verb(words: str, applied: tuple[int, ...] | None) -> None:
    found = applied_listed(words, 2, 3)
    assert (found[0] if found else None) == applied, found


def test_the_patches_taken_named_with_no_verb_hold_the_others_in_the_gate(tmp_path: Path) -> None:
    # Before: v2 READY, exit 0: the gate passed 2/3, which Mae did not take.
    words = "Just 1 and 3 for now, thanks.\n"
    g = _gate(tmp_path, ("a1@example.org", words, MAE))
    assert [(o.kind, o.target, o.sentence) for o in g.objections] == [
        (ObjectionKind.DROP, "v2 02/3", "Just 1 and 3 for now, thanks.")] and g.exit_status == 1, g.objections


@pytest.mark.parametrize("words", ["Applied 2 of 3 patches, thanks.", "Queued 2 of the 3.",
                                   "Applied two of the three patches.", "Applied two out of three."])
def test_a_count_of_some_patches_names_none_applied(words: str) -> None:
    # Before: (2,), as if patch 2 were named: which two were applied is not said.
    found = applied_listed(words, 2, 3)
    assert found is not None and found[0] == (), found


def test_a_count_of_some_patches_holds_every_patch_saying_which_is_unknown(tmp_path: Path) -> None:
    # Before: 1/3 and 3/3 "left out of what its sender says they applied (2)": patch 2 read as the one applied.
    g = _gate(tmp_path, ("a1@example.org", "Applied 2 of 3 patches, thanks.\n", MAE))
    [o] = g.objections
    assert (o.kind, o.target) == (ObjectionKind.DROP, "v2 01/3, 02/3, 03/3") and g.exit_status == 1, o
    assert "2 of the 3" in o.note and "unknown which" in o.note, o.note

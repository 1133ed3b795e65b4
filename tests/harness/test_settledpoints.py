"""Praise, a flaw the patch removes, informal English, a point its sender settles pass the gate; look-alikes block."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.concernwords import concern_stated
from harness.language import unread_language
from harness.pointwords import point_sentence
from harness.questionwords import open_question
from harness.settledwords import settled
from tests.harness.test_gate_naks import MAE, _objections, _replies

# Each blocked the gate (NOT READY, exit 1) before (round 65's new user: 14 of 60 safe sentences; h669's list: 15 of
# 43): a flaw word of what the patch removes read as this code's, "no change needed" as a virtue denied, "Leave it"
# as a change asked, "ta" as another language's word, a question its sender settles below it as still open.
SAFE = [
    # A flaw the patch removes, drops or cleans up.
    "The stale comment is gone, thanks.", "This removes a lot of duplicated code.",
    "This drops the redundant NULL check, good.", "The duplicated error path is cleaned up nicely.",
    "The redundant lock is gone now, thanks.", "Good that the stale TODO is removed.",
    "This removes a bunch of copy-pasted code.", "Glad to see the ugly macro go.",
    "Good riddance to the hacky workaround.", "Less duplicated code, nice.", "The pointless wrapper is history now.",
    "Happy to see the stale comment removed.", "This removes the dead code, nice.",
    "Good, the unused variable is removed.",  # the kernel's terms (harness.kerneldefects)
    # A flaw conceded by the sentence's one predicate.
    "The redundant check is harmless.", "Redundant locks are fine here.",
    # Informal and British English's praise and thanks.
    "Brilliant, ta very much.", "Smashing, ta.", "Ta very much.", "Good on ya, mate.", "A tad verbose, but fine.",
    "Looks grand to me, ta.", "Good stuff, ty.", "Cheers, innit.",
    # Nothing to change, said whole; a question its sender settles in the next sentence or paragraph.
    "Agreed, no need to change anything.", "Agreed, nothing to change here.",
    "Does this need a barrier?\n\nNever mind, no change needed.",
    "Does this need READ_ONCE?\n\nNo change needed, I see it now.",
    "Is the lock needed here?\n\nOn second thought, fine as is.",
    "Is the cast needed?\n\nLeave it, it's fine as is.", "Why not use kzalloc?\n\nActually leave it, it's fine.",
    "Should this be WARN_ON_ONCE?\n\nNah, fine as is.",
    # A point its sender takes back in the next paragraph, with a reason that makes no point of its own.
    "This leaks the buffer on the error path.\n\nIgnore my comment above, I misread the loop.",
    "This leaks the buffer on the error path.\n\nScratch my earlier comment, the caller frees it.",
    "This leaks the buffer on the error path.\n\nI retract my objection, the caller frees it.",
    "This leaks the buffer on the error path.\n\nScratch that, the caller frees it.",
    "Please use kzalloc here.\n\nNever mind, no change needed.", "This is racy.\n\nOn second thought, it's fine as is.",
]
# What looks alike and states a flaw, asks a change or takes a point up again: each is read as a review point.
POINTS = [
    "The stale comment is still there.", "The race is still in the new code.",
    "No change needed? The loop still spins forever.", "This leaks the page on the error path.",
    "The lock is dropped before the list is walked, which is racy.", "The duplicated code is still there.",
    "This drops the check for a NULL pointer, which crashes.", "This gets rid of the lock, which makes it racy.",
    "This removes the check and makes it racy.", "This drops the stale comment but adds a leak.",
    "Nice cleanup, but this leaks memory on the error path.", "Nice one, but it leaks the buffer when kmalloc fails.",
    "Ta, but this deadlocks when called from IRQ context.", "Cheers, but the NULL check is missing.",
    "Lovely idea, but it overflows on 32-bit.", "The old code was fine; this introduces a race.",
    "Is the lock needed here?\n\nYes, it is; please add it.", "Should this be WARN_ON_ONCE?\n\nYes, please change it.",
    "Keep it as is, but add a comment.", "Leave it as a u32, not a u64.",
    "Please use kzalloc. It's fine as is.",
    # A needed part removed (READY before: no flaw word), and a withdrawal of another point or one with a point after.
    "This removes the only check of the return value.", "This removes the bounds check, which is needed.",
    "This drops the only barrier before the store.",
    "This leaks the buffer on the error path.\n\nIgnore my comment on the loop; the leak stands.",
    "Please use kzalloc here.\n\nNever mind the cast.",
    "This leaks the buffer on the error path.\n\nThe loop is racy.\n\nScratch that.",
    "This leaks the buffer.\n\nSorry, scratch that: it leaks on the success path too.",
    "I'd like to see the ugly macro go.", "Would be nice to see the stale comment go.",
    "Less duplicated code, but the new helper leaks.", "This replaces the hacky loop with an even hackier one.",
    "This replaces the lock with a racy cmpxchg loop.", "Removing the lock here is racy.",
    # A check named by a flaw's adjective is flawed (only a flaw noun's check, "race checking", is none).
    "This adds a racy check.", "The wrong check is used.", "This drops the stale comment but adds a racy check.",
    "The loop is racy and the lock is fine.", "The dead code is still there.",
    "This drops the unused variable but adds a use-after-free.",
    "This is racy.",  # read, not "another language": "racy" is English's (tools/make_english_words.py)
]


def test_the_readers() -> None:
    assert [s for s in SAFE if point_sentence(s) is not None or open_question(s) is not None
            or unread_language(s) is not None] == []
    assert [s for s in POINTS if point_sentence(s) is None or unread_language(s) is not None] == []


def test_nothing_to_change_is_settled_only_when_said_whole() -> None:
    assert all(settled(s) for s in ("No change needed.", "Fine as is.", "Actually leave it, it's fine.",
                                    "No change needed, I see it now.", "Thinking about it more, it's fine as it is."))
    assert not any(settled(s) for s in ("No change needed?", "Fine as is? No.", "Keep it as is, but add a comment.",
                                        "Leave it as a u32.", "No change needed in patch 1; this one leaks.",
                                        "It's fine as is for now, but fix it in v3."))


def test_a_flaw_removed_is_not_stated_but_one_left_or_added_is() -> None:
    assert not any(concern_stated(s) for s in ("This removes a lot of duplicated code.",
                                               "The stale comment is gone, thanks.",
                                               "This kills off the redundant wrapper."))
    assert all(concern_stated(s) for s in ("The stale comment is still there.", "This removes the check and makes it "
                                           "racy.", "This gets rid of the lock, which makes it racy.",
                                           "The racy loop is not removed."))


@pytest.mark.parametrize("words", ["The stale comment is gone, thanks.", "Brilliant, ta very much.",
                                   "Agreed, no need to change anything.",
                                   "Does this need a barrier?\n\nNever mind, no change needed."])
def test_praise_a_flaw_removed_or_a_point_settled_passes(tmp_path: Path, words: str) -> None:
    # Before: 'v2: NOT READY: 1 review point no rule judges' (or '1 input not read'), exit 1.
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == []


@pytest.mark.parametrize("words", ["The stale comment is still there.", "Nice one, but it leaks the buffer.",
                                   "No change needed? The loop still spins forever."])
def test_its_look_alikes_block(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert [m for m, _ in _objections(tmp_path, mbox)] == ["q1@example.org"]


@pytest.mark.parametrize(("first", "then", "stands"), [
    ("Does this need a barrier?", "Never mind, no change needed.", False),
    ("Is the cast needed?", "Fine as is.", False),
    ("Why not use kzalloc?", "Actually leave it, it's fine.", False),
    ("Should this be WARN_ON_ONCE?", "Nah, fine as is.", False),
    ("Please use kzalloc here.", "Fine as is? No, please use kzalloc.", True),
    ("Is the cast needed?", "Fine as is? No.", True),
    ("Does this need a barrier?", "No change needed? The loop still spins forever.", True),
])
def test_a_point_its_sender_settles_in_a_later_mail_is_lifted(tmp_path: Path, first: str, then: str,
                                                              stands: bool) -> None:
    # Before: each stood, NOT READY: "Fine as is." was no assent, "no change needed" a flaw stated.
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{first}\n", MAE, "patch"),
                    ("q2@example.org", f"> {first}\n\n{then}\n", MAE, "q1@example.org"))
    assert bool(_objections(tmp_path, mbox)) is stands

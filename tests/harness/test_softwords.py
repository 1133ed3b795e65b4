"""A soft objection, a comment carried over as unaddressed, or advice is a review point; said otherwise, not.

The same words said of the sender, of a comment addressed, or of later work are not.

Every sentence is written for this test (round 66, h668), as a new user writing as a reviewer would. Each in SOFT
passed the gate READY, exit 0, before harness.softwords and tersepoints.carried_over; each in SAFE must stay READY.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from harness.replywords import sentences
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _objections, _replies

# By kind: a hedge before a flaw ("I'm afraid"), too much of a thing ("a bit much"), another form that reads better,
# an earlier comment carried over as unaddressed, a thing to consider, advice ("You don't want to"), a hedged
# disagreement or unease.
SOFT = [
    "I'm afraid this doesn't quite work.", "I'm afraid this won't work on older firmware.",
    "It's a bit much to print a warning every time.", "It's a bit much to retry sixteen times.",
    "Dumping the whole leaf on every failure is a bit much.", "This seems a little heavy-handed.",
    "This would read better as a switch.", "This reads better as a for loop.", "The check would read better inverted.",
    "Same comment as on v2, which was not addressed.", "Same comment as for v1, still not addressed.",
    "My comment from v3 still applies.", "You haven't addressed my earlier comment about the bound.",
    "My objection from v1 has not been addressed.", "My earlier point about the bound remains.",
    "Something to consider: the retry could live in the caller.", "Something to consider: the helper could be static.",
    "It might be worth moving the check into the helper.",
    "You don't want to check the return value here.", "You may want to rethink the error path.",
    "I'm still not happy with the naming.", "I'm not sure I agree with making this a module parameter.",
    "I have reservations about exporting this symbol.", "This part could use more work.",
    # Held out while the reader was written, then read (one of 16 still READY: see the report of round 66, h668).
    "I'm afraid I don't like this approach.", "A full stack trace here seems a bit much.",
    "It would read more naturally as two helpers.", "The comment I made on the previous version still holds.",
    "This still hasn't been addressed since v1.", "Same concern as last time.",
    "Something worth considering: dropping the busy flag altogether.",
    "You really don't want to print the raw pointer.", "I don't love the new flag.",
    "I'd be wary of calling this under the spinlock.", "I'd prefer not to grow the struct.",
    "This is not quite right yet.", "I'm uneasy about the unbounded retry.", "I'd reconsider the naming.",
    "Still not a fan of the goto.",
    # Written after, to try the kinds on other words.
    "Printing the leaf every time feels a bit much.", "It reads better if you invert the check.",
    "Comment from v1 still stands.", "Your reply didn't address my concern about the bound.",
    "The locking comment from v2 has still not been addressed.", "v3 doesn't address my comment on the bound.",
    "This won't work with the old firmware, I'm afraid.", "I have doubts about the retry count.",
    "This could do with a comment.", "Feels a bit hacky.", "Perhaps worth splitting the refactor out.",
    "The leak is still not fixed.", "The question I asked on v2 remains unanswered.",
    "I'm not entirely sold on the new interface.", "You don't want to run this in atomic context.",
    "I'd rather not add another macro.", "I'd rather not hold the lock across the retry.",
]
# The same words of the sender's own time or doing, of a comment addressed or moot, of later work, or praise.
SAFE = [
    "I'm afraid I won't have time to test this.", "I'm afraid I can't review the KVM side.",
    "I'm afraid I missed v2, sorry.", "I'm afraid this is my last review before the holidays.",
    "It's a bit much to ask for this cycle, so no need.", "Sorry, my last mail was a bit much.",
    "This reads better now, thanks.", "The changelog reads better than v2.", "It reads much better as a switch now.",
    "Same comment as on v2 applies, and this version addresses it, thanks.", "My earlier comment is addressed.",
    "My comment on v2 has been addressed.", "All my comments from v1 are addressed now.",
    "You addressed everything I raised on v3.", "My v2 comment no longer applies since the loop is gone.",
    "That comment from v1 is moot now.", "My concerns from v2 are resolved.",
    "I have nothing to add to my v2 comments, which are all addressed.",
    "You don't want to miss the v4 of this, it's nice.", "You don't want to know how long I spent testing this.",
    "Something to consider for a later series, not this one; fine as is.",
    "Something to consider for a follow-up; no need to change this patch.",
    "Nothing else to consider here; looks good.", "I'm happy with the naming now.",
    "I'm still happy with this version.",
    "I'm not sure I'll have time to look at v4.", "Not sure why I didn't spot this earlier, nice fix.",
    "Not sure I have anything to add; looks good.", "I'm not unhappy with anything here.",
    "I have no reservations about this one.", "I was wary of the global at first, but it is fine.",
    "I used to think this was the wrong approach, but v3 convinced me.",
    "Personally I would have done it the same way.",
    # Held out while the reader was written, then read ("The v2 objection no longer stands." was a point then).
    "The naming reads better than in v1.",
    "I was worried about the unbounded retry, but v3 caps it.",
    "I don't love TDX's firmware interface, but this patch handles it well.",
    "My comment on v1 still stands, and v3 addresses it.", "The v2 objection no longer stands.",
    # Written after: the sender's own part or time, another's words, a test, the patch's fate or its settling.
    "I'm afraid this isn't my area.", "I'm afraid this isn't going to make the merge window.", "I'm afraid not.",
    "It's a bit much to expect you to fix the firmware too.", "The v3 changelog reads better as a whole.",
    "You might want to wait for Sean's series to land.", "It's worth noting that this also fixes the leak.",
    "I'm not sure I agree with Dave here, this looks fine.", "My comment still applies to patch 3, not this one.",
    "The comment above the loop still applies.", "You don't want to respin for this.",
    "I don't love that I missed this in v1.", "It was never fixed before this patch.",
    "I'm not happy with how long this took me to review, sorry.", "Forty emails on this thread is a bit much.",
    "I'm not sure we need anything else here.", "The spec is a bit odd here, so the code follows it.",
    # What is not handled here, explained: no earlier point carried over.
    "The -EBUSY case is not handled here because the caller does it.", "Not fixed upstream yet, so this is needed.",
    "Note that the NULL case is not handled, but it cannot happen.", "None of my comments were ignored, thanks.",
    "The bug Dave reported is not fixed by this patch, it's a firmware issue.",
    # The sender declining to hold the patch up, no change asked.
    "I'd rather not hold this up any longer.", "I'd rather not block this over a nit.",
    # A nit waived (h674: blocked since the soft readers read "a bit odd").
    "Looks good to me. The name is a bit odd but not worth a respin.", "A bit odd, not worth a v4 though.",
]


def test_the_reader() -> None:
    assert [s for s in SOFT if point_sentence(s) is None] == []
    assert [s for s in SAFE if point_sentence(s) is not None] == []


# A substitution is one sentence whatever stops it holds: "s/Retry. The/Retry; the/" was split at ". " and "; " into
# three, none a substitution, and read as nothing (round 65).
SUBSTITUTIONS = ["s/Retry. The/Retry; the/", "s/Retry, the/Retry; the/",
                 "Typo: s/retry. The/retry; the/ in the comment.", "s|tries; left|left|", "s/done!/done/"]


def test_a_substitution_is_one_sentence_and_a_point() -> None:
    assert [s for s in SUBSTITUTIONS if point_sentence(s) != s] == []
    assert sentences("Typo. s/a. B/a; b/ please. Thanks!") == ["Typo.", "s/a. B/a; b/ please.", "Thanks!"]
    assert sentences("Hello. World; ok") == ["Hello.", "World;", "ok"]


@pytest.mark.parametrize("words", ["I'm afraid this doesn't quite work.", "My comment from v3 still applies.",
                                   "s/Retry. The/Retry; the/"])
def test_a_soft_point_below_the_patch_blocks(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    # "... still applies." is read as a request to drop as well (harness.droprequest); either blocks.
    assert words in [o.sentence for o in g.objections if o.kind in (ObjectionKind.POINT, ObjectionKind.DROP)], \
        g.headline()
    assert g.exit_status == 1


def test_the_gate_through_the_cli(tmp_path: Path) -> None:
    """End to end: `seamharness gate` exits 1 on a soft objection and 0 on its safe twin, in one thread."""
    soft = tmp_path / "soft"
    soft.mkdir()
    mbox = _replies(soft, ("q1@example.org", "> quoted\n\nYou don't want to check the return value here.\n", MAE,
                           "patch"))
    assert _objections(soft, mbox) == [("q1@example.org", "You don't want to check the return value here.")]
    safe = tmp_path / "safe"
    safe.mkdir()
    mbox = _replies(safe, ("q1@example.org", "> quoted\n\nMy comment on v2 has been addressed. I'm afraid I won't "
                           "have time to test this.\n", MAE, "patch"))
    assert _objections(safe, mbox) == []


@pytest.mark.parametrize(("words", "blocks"), [("My comment on v1 still stands, and v3 addresses it.", False),
                                               ("My comment on v1 still stands.", True),
                                               ("My objections to v1 still apply, but v3 fixes the leak.", True)])
def test_an_objection_said_to_stand_and_settled_in_one_sentence(tmp_path: Path, words: str, blocks: bool) -> None:
    """harness.refusals reads an objection said to stand as a request to drop; the next clause saying this revision
    settles it takes that back (it blocked)."""
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert (g.exit_status == 1) == blocks, g.headline()

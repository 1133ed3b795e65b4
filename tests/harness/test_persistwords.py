"""A point that persists, turned or put aside is a review point; the same words of a thing fine are not.

Every sentence is written for this test (round 67, h678), as a reviewer would write to a new revision. Each in POINTS
passed the gate READY, exit 0, before harness.persistwords (and the reader fixes beside it); each in SAFE stays READY.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import request_in
from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.persistwords import answered_against, persisting_point
from harness.pointwords import point_sentence
from harness.refusals import refusal
from harness.tersepoints import carried_over
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

# By kind: a point carried from an earlier revision, a "still" concern, irony, a question answered against the code,
# removed code to keep, what the sender would do, advice, and process (changelog placement, tags, sign-off order).
POINTS = [
    "Same as v2: you still haven't added the missing of_node_put() in the error path.",
    "As I said on v1, the refcount is never dropped when probe fails.",
    "This was pointed out on v3 already and it's still there: the loop never terminates if the firmware hangs.",
    "Like I said before: the error code is never propagated.",
    "I still have concerns about the 500ms timeout.", "We have concerns with the new flag.",
    "I still think this should be a per-device lock, not a global one.",
    "The magic value 0x3f is still unexplained.", "The retry count remains undocumented.",
    "Still racy: the flag is read without the lock.", "The counter still wraps.",
    "Great, yet another unchecked kmalloc().", "Surely that can never fail.",
    "Oh good, another open-coded min().", "Nice, so now we sleep under a spinlock.",
    "Sure, because nobody ever passes a zero length.", "Wonderful, a third copy of the same parsing code.",
    "Fine as is? No, the counter still wraps.",
    "Is this safe against concurrent removal? No: the device can go away between the lookup and the get.",
    "Can this overflow? Yes, on 32-bit the multiplication wraps.", "Does this handle a zero length? It doesn't.",
    "This drops the error handling; please keep it.",
    "You removed the NULL check in foo_get(); please keep it, callers can pass NULL.",
    "Don't drop the reset here, keep it before the register writes.",
    "Personally I'd do this without the goto.",
    "You'll want to take the lock before reading the count.",
    "You may want to take the reference before dropping the lock.",
    'The "changes since v2" go below the --- line, not in the commit message.',
    "The version history belongs after the --- separator.",
    "I think this wants a Co-developed-by: for Alice too, the original patch was hers.",
    "Missing Reported-by: for the syzbot report, and a Closes: link.",
    "Your Signed-off-by has to come after Alice's, you're the one sending it.",
    "My comment still stands.", "My objections to v1 still apply.",
    # Written after the reader, to see it generalize (each READY before).
    "Same as on v1: the lock is never released if the allocation fails.", "The return value is still unchecked.",
    "Repeating my earlier comment: nobody checks the return value of devm_ioremap().",
    "The buffer size is still hardcoded.", "Brilliant, so now we leak the skb on every retry.",
    "Lovely, yet another magic number.", "Could this deadlock? Yes, if the worker runs while we hold the mutex.",
    "You dropped the bounds check in v3; please restore it.", "I believe this needs a Fixes: tag.",
    "I'd write this as a loop over the table instead.", "The per-version notes belong below the --- marker.",
]
# The same words of a thing fine, conceded, answered for the code, settled, conditional, or of the mail.
SAFE = [
    "I still think this is fine.", "Same as v2: looks good.", "Still looks good to me.", "Still LGTM.",
    "Surely this can't race: it's under the lock, right? Yes, confirmed.", "Keep it as is.", "Yes, keep it.",
    "Personally I'd have used a goto, but this is fine.", "Personally I'd do the same.",
    "The changelog is below the --- now, thanks.", "Thanks for adding the Co-developed-by: for Alice.",
    "The Fixes: tag is there now, thanks.", "My comments on v2 have all been addressed.",
    "Fine as is? Yes, the counter is 64-bit and can't wrap.",
    "Is this safe against concurrent removal? Yes, the caller holds a reference.",
    "Does this handle a zero-length buffer? It does, the early return covers it.",
    "Can this overflow? No, both values are bounded by 4096.",
    "Who frees this on the error path? The devm core does, so this is fine.",
    "What happens if the allocation fails? We return -ENOMEM, good.",
    "Nice, thanks for splitting this out.", "Great, this is much easier to read now.",
    "Right, because the caller holds the lock.", "Please keep the Reviewed-by tags in the next version.",
    "Feel free to keep my Reviewed-by if you only fix the typo.", "You'll be glad to hear it boots fine on my board.",
    "You'll want to take this through the tip tree.", "I no longer have concerns about the timeout.",
    "I have no concerns about this.", "I remain convinced this is the right approach.",
    "As I said before, no, the loader does not retry.", "If the loop is unbounded, I'd NAK 2.",
    "Otherwise I'll have to NACK it.", "My comment on v1 still stands, and v3 addresses it.",
    "The error handling is kept, good.", "I'm still fine with this version.",
    "I'd rather not split it further; this is fine as one patch.",
    "The missing of_node_put() from v2 is there now. Thanks.",
    "Same as on v1: no objections.", "As I mentioned on v2, this is a nice cleanup.",
    "Great, another user of the helper.",
    "Nice, so now we can drop the workaround.", "Could this deadlock? No, the worker never takes the mutex.",
    "I'd write it the same way.", "You'll want to wait for Thomas to weigh in.", "Keep it, it's useful.",
    "The value is hard-coded by the spec, so this is fine.", "I still need to test patch 3, will do tomorrow.",
]


def test_the_reader() -> None:
    assert [s for s in POINTS if point_sentence(s) is None] == []
    assert [s for s in SAFE if point_sentence(s) is not None] == []


def test_an_answer_against_the_code() -> None:
    assert answered_against("Fine as is?", ["No, the counter still wraps."])
    assert answered_against("Can this overflow?", ["It can, on 32-bit."])
    assert answered_against("Who frees this?", ["Nobody."])
    assert not answered_against("Can this overflow?", ["No, both are bounded."])
    assert not answered_against("Isn't this racy?", ["Yes."])  # either answer may be meant
    assert not persisting_point("Please keep it.", ("The Fixes: tag is right.",), lambda _: False)
    assert persisting_point("Please keep it.", ("This drops the error handling;",), lambda _: False)


@pytest.mark.parametrize("words", ["My comment still stands.", "My objections to v1 still apply.",
                                   "This doesn't address my feedback on v3."])
def test_a_point_said_to_stand_has_one_meaning(words: str) -> None:
    # Round 67: tersepoints read it as a point, refusals as a request to drop; it is a point that still stands.
    assert carried_over(words) and point_sentence(words) == words
    assert refusal(words, request_in) is None
    assert refusal("Doesn't address my review of patch 1.", request_in) is not None  # another patch's, by number


@pytest.mark.parametrize(("words", "blocks"), [
    ("Same as v2: you still haven't added the missing of_node_put() in the error path.", True),
    ("Great, yet another unchecked kmalloc(). Surely that can never fail.", True),
    ("Fine as is? No, the counter still wraps.", True),
    ("This drops the error handling; please keep it.", True),
    ("My comment still stands.", True),
    ("Same as v2: looks good.", False),
    ("Does this handle a zero-length buffer? It does, the early return covers it.", False),
    ("The changelog is below the --- now, thanks.", False),
])
def test_the_gate(tmp_path: Path, words: str, blocks: bool) -> None:
    """End to end: each blocked nothing (READY, exit 0) before, or blocked (the safe ones answered for the code)."""
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert (g.exit_status == 1) == blocks, g.headline()
    if blocks:
        assert [o.kind for o in g.objections] == [ObjectionKind.POINT], g.headline()

"""harness.concernwords: a flaw the patch removes, replaces or mends, or the sender's misreading, is no concern."""

from __future__ import annotations

import pytest

from harness.concernwords import concern_stated

# Each read as a concern of this code before (the gate NOT READY on praise or a "me too" on the fix).
NONE = [
    "This replaces the hacky loop with a helper, good.",
    "Good riddance to that ugly cast, thanks for getting rid of it.",
    "I can confirm the NULL dereference no longer happens with v3.", "The deadlock went away with this patch.",
    "The crash disappeared with v2.", "The splat does not show up anymore.", "I've hit this too on my test box.",
    "Same warning here too with the old firmware.", "Bisected the regression to the old code path;",
    "Withdrawn: I confused this with the host-side path, which already has the check.",
    "Reverting it would fix the hang, but then the leak comes back.", "Wrong patch, sorry.",
    "It is called twice, which is fine.", "The buffer is not freed twice.",
]
# The same words where a flaw of this code stands.
STATED = [
    "This replaces the check with a racy loop.", "This replaces the hacky loop with an even hackier one.",
    "I can confirm the NULL dereference still happens with v3.",
    "The deadlock no longer happens but the leak is still there.",
    "This is too slow.", "The delay is too long on my box.", "Bisected the regression to this patch.",
    "My earlier comment was wrong, but there is a worse problem: the lock is never released.",
    "This fixes the hang, but the leak remains.", "I misread, but it leaks the buffer.",
    # A release done twice, and a verdict an apology softens (each READY before).
    "I was wrong about the leak, but the refcount is now dropped twice.",
    "Sorry mate, this doesn't work, the caller frees the buffer twice.", "Sorry but this leaks.",
]


@pytest.mark.parametrize("said", NONE)
def test_a_flaw_gone_replaced_or_misread_is_no_concern(said: str) -> None:
    assert not concern_stated(said)


@pytest.mark.parametrize("said", STATED)
def test_a_flaw_of_this_code_beside_those_words_is_one(said: str) -> None:
    assert concern_stated(said)

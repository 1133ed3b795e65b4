"""A flaw stated as plain fact, a point said to persist, a process fact, a follow-up asked: each a review point."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pointwords import point_sentence
from tests.harness.test_gate_naks import MAE, _objections, _replies

# Each was read as nothing before (the gate READY, exit 0; round 68's blind list and round 69's own), by kind.
POINTS = [
    # The fix offered as "either X or Y" (no "please", no "should").
    "Either use a spinlock or defer the work.", "Either split that out or drop it from the patch.",
    "Either convert the release to kfree_rcu() or take a reference.", "Either drop the claim or drop the change.",
    # A way conceded "if you must", the better one after the turn.
    "udelay() if you must, but better restructure.",
    "mdelay() if you really must, but it's better to move this to the worker.",
    # What the context forbids, or a call judged a no-go.
    "You can't sleep here.", "You cannot sleep here.", "You're not allowed to sleep under a spinlock.",
    "This is called with interrupts disabled, so mutex_lock() is a no-go.",
    # The context the change now puts code in.
    "This is now called from atomic context.", "Oh, this is now called from atomic context.",
    "Ah, so now this is called with the rtnl held.", "The function now runs under the queue spinlock.",
    # A flaw whose noun holds a word of the patch's fate ("read", "queue").
    "Your v5 still has the out-of-bounds read I pointed out.",
    "Missing READ_ONCE() on the lockless read of ->state; KCSAN will complain about this.",
    # A thing pointed out before, there still.
    "Still has the unchecked return value of copy_from_user() I flagged in v1.",
    "This still has the missing unlock I mentioned on v3.", "v4 still has the problem we pointed out.",
    # A safeguard the author took out.
    "You've dropped the NULL check.", "You removed the bounds check that v2 had.",
    "You dropped the error check on the ioremap() result.", "Hmm, you've lost the lock around the counter update.",
    "v3 dropped the of_node_put() call.",
    # A flaw in the present, a later clause in the past.
    "Fixes tag is wrong, the bug was introduced by 3c1d2f5a9e01, not the commit you cite.",
    "The Fixes: tag points at the wrong commit, this code was added by 0123456789ab.",
    # A resend asked with a change.
    "Please resend with the KVM list on Cc.",
    "This should go through the tip tree, please resend to the x86 maintainers.",
    # Applied, a follow-up asked with "please".
    "Applied to for-next, but please send a follow-up that fixes the leak on the error path.",
    "Queued for 6.14, but please send a follow-up fixing the leak.",
    # Round 69's second list: a second change's verb, an ordering lacking, bisection, a repost, reachable now.
    "Either take the mutex in the caller or document the locking rule.",
    "No memory barrier between the flag write and the wakeup; the waiter can miss it.",
    "The series isn't bisectable: patch 1 adds a caller of a function patch 3 introduces.",
    "Please repost with the DRM maintainers on Cc.", "Hm, this is now reachable from softirq context.",
    # Its third: a verb of taking a reference, a race window, a spinlock dropped, "please do send".
    "The skb can be freed by the time you look at it. Either clone it or take a reference before queuing.",
    "There's a window between the check and the use where another CPU can free the entry.",
    "Oh, you dropped the spinlock around the list manipulation.",
    "Pulled, thanks. Please do send a follow-up for the sparse warning.",
    # Its fourth: a patch that does not apply, a knob nobody uses, a new module or command-line parameter.
    "Your patch is whitespace-damaged, it doesn't apply.", "Wonderful, a new sysfs knob nobody will use.",
    "Oh great, a new kernel command line parameter.",
    # Praise of a thing for its flaw: irony.
    "Lovely, a goto that jumps backwards.", "Nice, a magic number with no comment.",
    "Fantastic, another ioctl with no compat handling.", "Brilliant, a busy-wait loop with no timeout.",
]
# The same words of no point: a choice left open, a flaw fixed or gone, a tag kept, praise meant, a wait, a question.
NO_POINTS = [
    "Either way works for me.", "Either drop it or keep it, I don't mind.",
    "Either approach is fine, pick whichever you prefer.", "You can't sleep here in v1; v2 fixed that, thanks.",
    "It leaks memory in v1; v2 fixed that, thanks.", "Nobody said you can't sleep here.",
    "This is no longer called from atomic context.",
    "Now that this is called from atomic context, GFP_ATOMIC is right.",
    "Oh, nice, this is now called from process context, so the GFP_KERNEL is fine.", "Oh, right, that is fine.",
    "Oh, I see, the caller frees it.", "Oh, this is a nice cleanup.",
    "Still has my Reviewed-by.", "v3 still has the fix I asked for, thanks.",
    "Your v4 still applies cleanly on top of -next.", "v3 no longer has the use-after-free I pointed out. Thanks!",
    "You've dropped the redundant NULL check, good.",
    "The NULL check you dropped was dead code anyway, so that's fine.",
    "You removed the lock as I asked, thanks.",
    "You dropped the check, which is fine since the caller validates it.",
    "Fixes tag looks right.", "The Fixes tag is right, the bug was introduced by that commit.",
    "It looked wrong to me, but it was intended.", "Nothing wrong here, it was a misunderstanding.",
    "It was racy, the new lock fixes it.", "The leak is gone, it was in the error path.",
    "Please resend with my Reviewed-by.", "Please resend after the merge window.",
    "Resend with the tags collected, thanks.", "Should I resend with the comment fixed?",
    "Looks fine, but a follow-up cleaning this up would be nice.", "Applied to for-next, thanks!",
    "Nice, a real cleanup.", "Nice, a much simpler loop.", "Lovely, thanks!", "Great, that's what I had in mind.",
    "Great, a patch with no regressions on my box.", "Nice, a helper without the extra lock.",
    "The caller can't block here, which is why the patch uses GFP_NOWAIT.",
    "If you want a comment there, please do so.", "Tested on EMR: zero failures in 100 runs.",
    "Hmm, this is now invoked from process context, so sleeping is fine.",
    "You've removed the open-coded loop, nice.", "Great, one more user of the helper.",
    "This comment doesn't apply to v3.", "The same doesn't apply here.", "I won't apply this.",
    "Great, a new module parameter, exactly what I asked for.",
    "This is a no-go.",  # the patch's own verdict: harness.droprequest reads a drop asked
]


def test_the_readers() -> None:
    assert [s for s in POINTS if point_sentence(s) is None] == []
    assert [s for s in NO_POINTS if point_sentence(s) is not None] == []


@pytest.mark.parametrize("words", [
    "> +\tusleep_range(10, 20);\n\nThis is in atomic context (called with the queue lock held). You cannot sleep "
    "here. udelay() if you must, but better restructure.",
    "Queued for 6.14, but please send a follow-up fixing the leak.",
    "Please resend with the x86 folks on Cc.",
])
def test_a_fact_below_the_patch_blocks(tmp_path: Path, words: str) -> None:
    # Before: 'v2: READY', exit 0, the reviewer's words said nowhere.
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert len(_objections(tmp_path, mbox)) == 1

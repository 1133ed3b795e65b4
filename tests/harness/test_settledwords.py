"""A bikeshed its sender declines and a point they take back with a bare "Withdrawn." ask nothing; look-alikes ask."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence
from harness.settledwords import settled

# Each blocked the gate as a review point (round 70): "let's not" read as a change put to sender and author together,
# "could be bikeshedded forever" and "argue ... forever" as a flaw, the point taken back by "Withdrawn." kept.
DECLINED = [
    "Fine as is. The naming could be bikeshedded forever, let's not.",
    "The name is fine. We could bikeshed it for weeks, but let's not.",
    "Let's not bikeshed the name, it's fine.", "Let's not bikeshed this.",
    "We could argue about the naming forever. I'm fine with it as is.",
    "This could be debated endlessly, not worth it.", "We could go back and forth on the naming forever, let's not.",
    "The name could be argued either way; I'm fine with it.", "We could bikeshed it forever; let's not.",
    "We could bikeshed the name forever. Let's not.",
    "Hmm, my comment about the missing barrier was bogus: READ_ONCE() is enough here. Withdrawn.",
    "I said the lock was needed. Withdrawn, the caller holds it.",
]
ASKED = [
    "Let's not do this.", "The name is wrong. Let's not.", "We could bikeshed it forever; let's not rename it.",
    "Let's not add yet another knob for this.",
    "We could argue about the naming forever, but please rename it to tdx_module_update().",
    "Let's not bikeshed this, but the name is wrong: rename it.",
    "The naming could be bikeshedded forever; rename it anyway.",
    "Use READ_ONCE() here. Withdrawn, it leaks twice.",
    "Add a barrier here. Withdrawn? No, it stands.",
]


@pytest.mark.parametrize("words", DECLINED)
def test_a_bikeshed_declined_or_a_point_withdrawn_asks_nothing(words: str) -> None:
    assert point_sentence(words) is None, (words, point_sentence(words))


@pytest.mark.parametrize("words", ASKED)
def test_a_change_asked_beside_them_is_still_asked(words: str) -> None:
    assert point_sentence(words) is not None, words


def test_a_bikeshed_declined_is_settled_whole() -> None:
    assert settled("We could bikeshed it for weeks, but let's not.")
    assert not settled("We could bikeshed it for weeks, but let's not rename it.")


# A need the patch meets, said with it (round 70, each blocked as a review point): the context changed and the patch
# followed, a fix said there now or a flaw gone, a tool said quiet now, praise of one less bug.
MET = [
    "Oh, this is now called from atomic context, and you switched to GFP_ATOMIC accordingly. Good.",
    "We can't sleep here, hence GFP_ATOMIC, which is right.",
    "The callback now runs in softirq context and you moved it to GFP_NOWAIT, which is what I would have done too.",
    "Since we hold a spinlock at this point, GFP_ATOMIC is required, and that's what the patch uses. Fine.",
    "Because this path may not sleep anymore, the patch uses GFP_NOWAIT, which is correct.",
    "This is now called with the lock held, so you correctly switched to GFP_ATOMIC.",
    "READ_ONCE() is there now, KCSAN should be happy.",
    "> +\tval = READ_ONCE(dev->state);\n\nWith the READ_ONCE() added, KCSAN should stop complaining. Thanks.",
    "The WRITE_ONCE() is in place now, so the data race report should go away.",
    "The refcount leak I pointed out is gone in this version.", "The double free I mentioned in v1 is fixed now.",
    "The memory leak I reported on v2 is gone now.", "Great, another bug gone.", "Nice, one less bug.",
    "Excellent, one fewer warning in the build log.", "Great, one less splat at boot.",
]
STILL = [
    "This is now called from atomic context, so GFP_KERNEL is wrong.",
    "We can't sleep here, but the patch still uses GFP_KERNEL. Please fix.",
    "This is now called with the lock held, so you correctly switched to GFP_ATOMIC, but the unlock is missing.",
    "This runs under a spinlock now, so the GFP_KERNEL allocation can sleep in atomic context.",
    "The refcount leak I pointed out is still there in this version.",
    "The double free I mentioned in v1 is not fixed.",  # READY before: "fixed" read as the bug the patch fixes
    "The use-after-free I flagged last time is still present in v3.",
    "READ_ONCE() is still missing here, KCSAN will complain.",
    "The WRITE_ONCE() is missing here, so the data race report will not go away.",
    "The refcount leak is gone but now the error path double-puts the device.",
    "Great, another bug introduced: this breaks suspend on my laptop.",
    "The race is there now, KCSAN complains on every boot.", "The regression is back in this version.",
    "The leak is fixed now, but please also drop the stray debug print.",
    "The lock is in place now, so the warning should go away; please also add a lockdep assert.",
]


@pytest.mark.parametrize("words", MET)
def test_a_need_the_patch_meets_asks_nothing(words: str) -> None:
    assert point_sentence(words) is None, (words, point_sentence(words))


@pytest.mark.parametrize("words", STILL)
def test_a_need_it_does_not_meet_is_asked(words: str) -> None:
    assert point_sentence(words) is not None, words

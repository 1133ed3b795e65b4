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
    "This could be debated endlessly, not worth it.", "The name could be argued either way; I'm fine with it.",
    "Hmm, my comment about the missing barrier was bogus: READ_ONCE() is enough here. Withdrawn.",
    "I said the lock was needed. Withdrawn, the caller holds it.",
]
ASKED = [
    "Let's not do this.", "Let's not add yet another knob for this.",
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

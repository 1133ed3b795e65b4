"""What the author needs in the code ("You need READ_ONCE() here.") is a point; what a test of it needs is none."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence

# Each passed READY before (only "You need to ..." was read): h698's blind list held the first.
POINTS = [
    "You need READ_ONCE() here, otherwise the compiler is free to reload ->state and the two checks might see "
    "different values.",
    "You need a READ_ONCE() here.",
    "You need a lock here.",
    "You need smp_wmb() before the store.",
    "You'll need a barrier here.",
    "You really need a NULL check on the error path.",
]
NOT_POINTS = [
    "You need CONFIG_KASAN=y to reproduce.",
    "You need a TDX machine for this.",
    "You need a TDX-capable box to test this.",
    "You don't need READ_ONCE() here.",
    "You need READ_ONCE() here, which you have.",
    "I know you need a lock here, and you take it.",
    "Do you need a lock here?",
    "As you need the lock anyway, this is fine.",
]


@pytest.mark.parametrize("said", POINTS)
def test_a_need_of_the_code_told_to_its_author_is_a_point(said: str) -> None:
    assert point_sentence(said), said


@pytest.mark.parametrize("said", NOT_POINTS)
def test_a_need_of_a_test_or_one_met_is_none(said: str) -> None:
    assert not point_sentence(said), said

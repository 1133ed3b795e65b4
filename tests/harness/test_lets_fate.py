"""A "let's" of the patch's fate ("Let's get it into -next.") asks no change; one with a change named still does."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence

# Each blocked as a review point before: h698's blind pass list held the first.
FATE = ["Let's get it into -next and see what breaks.", "Let's get it into -next.", "Let's get this merged.",
        "Let's have it in 6.14.", "Let's queue it for 6.14."]
ASKED = ["Let's get this in with the warning dropped.", "Let's get the retry bound in first.",
         "Let's apply the same fix to the other caller.", "Let's merge the two helpers.", "Let's warn once.",
         "Let's apply it once the leak is fixed."]


@pytest.mark.parametrize("said", FATE)
def test_a_lets_of_the_patchs_fate_asks_nothing(said: str) -> None:
    assert not point_sentence(said), said


@pytest.mark.parametrize("said", ASKED)
def test_a_lets_of_a_change_is_a_point(said: str) -> None:
    assert point_sentence(said), said

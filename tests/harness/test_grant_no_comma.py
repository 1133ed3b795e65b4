"""A tag offered once a change is made, no comma before the offer, still asks the change (grantcondition)."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence

# Each passed READY before ("add my R-b" read as the condition's own words, the mail's): h698's blind list held the
# first, after "LGTM overall, but one thing: the error path ... doesn't call clk_disable_unprepare()."
ASKED = ["With that fixed you can add my R-b.", "With that fixed you can add my Reviewed-by.",
         "Once that is fixed you can add my R-b.", "With the leak fixed feel free to add my Acked-by.",
         "Once the error path is fixed you may add my Reviewed-by."]
NOT_ASKED = ["With the loop now bounded you can add my R-b.", "You can add my R-b.",
             "If you change the loop please drop my Reviewed-by.", "Feel free to add my Reviewed-by.",
             "Once v3 is out I'll have another look."]


@pytest.mark.parametrize("said", ASKED)
def test_a_tag_offered_once_a_change_is_made_asks_it(said: str) -> None:
    assert point_sentence(said), said


@pytest.mark.parametrize("said", NOT_ASKED)
def test_a_tag_offered_for_what_is_there_asks_nothing(said: str) -> None:
    assert not point_sentence(said), said

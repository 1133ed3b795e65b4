"""A change asked before an "and" the patch's fate follows is asked: "Please fix the typo and resend."."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence

# Each passed READY (round 70, h700's block list): the fate's word after "and" ("resend", "apply") read as the whole
# sentence's, the change before it lost.
ASKED = ["Please fix the typo and resend.", "Typo in the subject (\"initalize\"), please fix and resend.",
         "Fix the leak and I will apply it.", "Please address the comments and resend.",
         "Please drop the stray hunk and resend."]
# The sender's own doing or the fate alone before "and": nothing asked.
NOT_ASKED = ["Looks good and applied, thanks.", "Thanks, applied and pushed.", "I fixed the typo and applied it.",
             "Tested and applied.", "Looks fine and I will take it.", "Good catch, queued and pushed out.",
             "Let's get it into -next and see what breaks.", "I'll fix the typo and apply it."]


@pytest.mark.parametrize("words", ASKED)
def test_a_change_before_the_fate_is_asked(words: str) -> None:
    assert point_sentence(words) == words


@pytest.mark.parametrize("words", NOT_ASKED)
def test_the_fate_or_the_senders_own_doing_asks_nothing(words: str) -> None:
    assert point_sentence(words) is None, words

"""harness.waivers: a reviewer's word that what they just said blocks nothing, unless a turn requires a change."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence
from harness.questionwords import open_question
from harness.waivers import waived

# A question to the author, then words that it need not hold the patch: each blocked as a question to the author.
ASKED_WAIVED = [
    "Out of curiosity, why 16 retries? Not a blocker.", "Why 32 entries rather than 64? Just curious, not a blocker.",
    "Have you considered a follow-up to convert the other callers? Not for this series.",
    "Idle question: does this also cover the kexec path? Feel free to ignore, it doesn't block anything.",
    "Out of interest, did you measure the latency? Doesn't block the patch.",
    "Why not a tracepoint here? Can be done later.", "Is the barrier needed? No need to respin for it.",
]
# The same words where the question stands: no waiver, a waiver asked, or one a turn takes back.
ASKED_STANDS = [
    "Out of curiosity, why 16 retries?", "Why 16 retries? Not a blocker? It is for me.",
    "Why 16 retries? Not a blocker for v3, but it must be fixed before merge.",
    "Why does this block? It should not block forever.",
]
# A point with a waiver beside it: none, but where a turn after the waiver requires the change.
POINT_WAIVED = ["Not a blocker, but a comment here would help future readers.",
                "Nit: the blank line before the return is unusual. Not worth a v3 by itself.",
                "Something to consider for a future series: a tracepoint here. Not needed now."]
POINT_STANDS = [
    "Not a blocker for v3, but must be fixed before merge.",
    "This is not a blocker for the RFC, but it must be fixed before it can go in.",
    "No need to respin just for that, but the missing unlock below does need a v4.",
    "This could be a follow-up, but the NULL dereference has to be fixed in this series.",
    "It doesn't block the patch, but the use-after-free in patch 3 does.",
]


@pytest.mark.parametrize("words", ASKED_WAIVED)
def test_a_question_its_sender_waives_asks_the_author_nothing(words: str) -> None:
    assert open_question(words) is None
    assert point_sentence(words) is None


@pytest.mark.parametrize("words", ASKED_STANDS)
def test_a_question_not_waived_still_asks(words: str) -> None:
    assert open_question(words) is not None or point_sentence(words) is not None


@pytest.mark.parametrize("words", POINT_WAIVED)
def test_a_point_waived_is_none(words: str) -> None:
    assert point_sentence(words) is None


@pytest.mark.parametrize("words", POINT_STANDS)
def test_a_waiver_a_turn_overrides_leaves_the_point(words: str) -> None:
    assert not waived(words)
    assert point_sentence(words) is not None  # "Not a blocker for v3, but must ..." passed READY before

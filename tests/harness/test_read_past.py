"""Memory the code reads ("otherwise you read past the end") is no word of the patch's fate: the point stands."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence

# Each passed READY before (the "read" read as a reviewer's reading of the patch): h698's blind list held the first.
POINTS = [
    "I think there is an off-by-one here: the loop should be i < n, not i <= n, otherwise you read past the end of "
    "the array.",
    "The loop should be i < n, otherwise you read past the end of the array.",
    "There is an off-by-one here, otherwise you read past the end of the array.",
    "The bound should be checked first, otherwise this reads beyond the buffer.",
]
NOT_POINTS = [
    "I've read the series, looks good.",
    "I read through the patches and they look fine.",
    "Read it again, looks fine now.",
    "I read past the cover letter's typo, no need to resend.",
]


@pytest.mark.parametrize("said", POINTS)
def test_a_point_about_memory_read_past_its_end_stands(said: str) -> None:
    assert point_sentence(said), said


@pytest.mark.parametrize("said", NOT_POINTS)
def test_a_reading_of_the_patch_asks_nothing(said: str) -> None:
    assert not point_sentence(said), said

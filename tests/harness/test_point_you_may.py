"""A change offered as what the author may do ("You can drop the braces here.") is a review point."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence

# These passed the gate: no imperative, no "should", no question; a kernel reviewer's everyday way to ask.
ASKED = [
    "You can drop the braces around the single statement.",
    "You can drop the local variable and return the call directly.",
    "Nit: you could just return the call directly.",
    "You could drop the cast here.",
    "You can remove the check, the caller already did it.",
    "You can use seamcall_err() for this now.",
    "Also, you can simply fold this into the previous patch's helper.",
]

# Not a change asked of the code: the patch's fate or a tag (FATE), code left as it is, a change put off, negated, or
# left to the author.
NOT_ASKED = [
    "You can drop my NAK.",
    "Once this lands, you can drop the patch from your tree.",
    "You can add my Reviewed-by.",
    "You can ignore this.",
    "You can leave it as is.",
    "You can use it as is.",
    "You could move it later, in a follow-up.",
    "I don't think you can drop the cast here.",
    "You can drop the braces if you want, but it's your call.",
    "You can test it with the module from the spec page.",
]


@pytest.mark.parametrize("text", ASKED)
def test_a_change_offered_to_the_author_is_a_point(text: str) -> None:
    assert point_sentence(text) == text


@pytest.mark.parametrize("text", NOT_ASKED)
def test_no_change_asked_is_none(text: str) -> None:
    assert point_sentence(text) is None

"""An adverb between the refuser and the verb, and a revision refused by its name.

An adverb between the one who refuses (or the patch) and the verb: a next revision's reply says "still"; and the
revision refused by its name ("I won't take v4.")."""

from __future__ import annotations

import pytest

from harness.droprequest import request_in
from harness.refusals import refusal
from harness.regressions import regression

# Each was read as nothing at 00a84798 (a v4 of our own, the reply below its patch 2: READY, exit 0).
REFUSED = [
    "I still won't take this.",
    "I'm still not going to take this.",
    "We still can't merge this.",
    "I definitely won't take this.",
    "I really still can't take this.",
    "I will still not apply this patch.",
    "This still can't go in.",
    "This can still not go in.",
    "This is still not going in.",
    "It's still not going anywhere.",
    "This patch is still not acceptable.",
    "I'm afraid this is still not mergeable.",
    "It's still not something I'd merge.",
]
NOT_REFUSED = [
    "I still think we should take this.",
    "I still want to take this.",
    "I also can't take this, Andrew should.",
    "If I still can't take this, I'll say so.",
    "This is still not going in the right direction.",
    "This still can't go in without patch 1.",
    "This is still not what the hardware does.",
]
REPORTED = [
    "This version still breaks boot on my SPR box.",
    "This still breaks boot on SPR.",
    "This patch still breaks boot.",
    "This also breaks boot on SPR.",
    "This patch again breaks boot.",
    "This patch unfortunately breaks boot on SPR.",
]
NOT_REPORTED = [
    "This still breaks nothing here.",
    "This patch still breaks no ABI.",
    "It still breaks the same way without this patch.",
    "This patch still breaks up the helper.",
]


@pytest.mark.parametrize("said", REFUSED)
def test_a_refusal_with_an_adverb_before_its_verb_is_read(said: str) -> None:
    assert refusal(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_REFUSED)
def test_an_adverb_makes_no_refusal_of_what_is_none(said: str) -> None:
    assert refusal(said, request_in) is None, said


@pytest.mark.parametrize("said", REPORTED)
def test_a_report_with_an_adverb_before_its_verb_is_read(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_REPORTED)
def test_an_adverb_makes_no_report_of_what_is_none(said: str) -> None:
    assert regression(said, request_in) is None, said


# The revision by its name: each read as nothing at 8ecd09f3 (below a v4 of our own's cover letter: READY, exit 0).
REVISION_REFUSED = ["I won't take v4.", "v4 is not going in.", "Not applying v4, sorry.",
                    "I won't take v4 of this patch."]
REVISION_NOT_REFUSED = ["I'm not taking v4 personally.", "v4 is fine, I'll take it.", "I'm not saying I won't take v4.",
                        "Why won't you take v4?", "I won't take v4's approach, but the patch is fine."]


@pytest.mark.parametrize("said", REVISION_REFUSED)
def test_a_refusal_naming_a_revision_is_read(said: str) -> None:
    found = refusal(said, request_in)
    assert found is not None and found.named and not found.numbers, (said, found)


@pytest.mark.parametrize("said", REVISION_NOT_REFUSED)
def test_a_revision_named_in_what_is_no_refusal_is_none(said: str) -> None:
    assert refusal(said, request_in) is None, said

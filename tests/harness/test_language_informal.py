"""harness.language: the informal words of British and Australian English and a tag after a sentence are read."""

from __future__ import annotations

import pytest

from harness.language import unread_language

READ = [
    "Lovely jubbly.", "Champion effort, bonza.", "Bit of a bodge, but fine.", "Looks fine afaict.",
    "I went through it twice and it reads well. Reviewed-by: Ben Reviewer <ben@example.org>",
    "Works on my SPR box. Tested-by: Cho Tester <cho@example.org>",
    "Nice cleanup, thanks. Acked-by: Kai Huang <kai@example.org>",
]
NOT_READ = ["Das ist gut. Reviewed-by: Ben R <b@example.org>",
            "Ich weiss nicht ob das passt, Acked-by: Ben R <b@x.org>"]


@pytest.mark.parametrize("words", READ)
def test_informal_english_and_an_inline_tag_are_read(words: str) -> None:
    assert unread_language(words) is None  # each "input not read" before: NOT READY


@pytest.mark.parametrize("words", NOT_READ)
def test_another_language_before_an_inline_tag_is_still_not_read(words: str) -> None:
    assert unread_language(words) is not None

"""The sentence before a request is asked whether it proposes something else only once that request is found."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from harness import unnameddrop
from harness.regate import Gated

READERS: list[Callable[[str], str | None]] = [
    unnameddrop.verdict_sentence, unnameddrop.held_for_later, unnameddrop._not_done, unnameddrop._rework,
    lambda text: unnameddrop._not_happening(text),
]
# Sentences holding each reader's first words ("ready", "not", "do th", "rework", "wrong") and asking nothing.
PLAIN = ("I do think the loader is ready for the next leaf. It is not wrong to take the lock there. "
         "The rework of the retry reads well. Thanks for doing this.")


class _Spy:
    """_PROPOSES, counting the texts it is asked of."""

    def __init__(self, real: Gated) -> None:
        self.real, self.asked = real, 0

    def search(self, text: str) -> re.Match[str] | None:
        self.asked += 1
        return self.real.search(text)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> _Spy:
    made = _Spy(unnameddrop._PROPOSES())
    monkeypatch.setattr(unnameddrop, "_PROPOSES", lambda: made)
    return made


@pytest.mark.parametrize("read", READERS)
def test_sentences_asking_nothing_never_ask_proposes(spy: _Spy, read: Callable[[str], str | None]) -> None:
    # Before, each reader asked it of every sentence but the last, compiling its 395 characters with an empty cache
    # (5 M instructions of the corpus' `series`) for replies asking nothing.
    assert read(PLAIN) is None
    assert spy.asked == 0


@pytest.mark.parametrize(("read", "asked"), [
    (unnameddrop.verdict_sentence, "It's a no-go, though."),
    (unnameddrop.held_for_later, "Not this one for now."),
    (unnameddrop._not_done, "Please don't do this."),
])
def test_a_request_after_a_proposal_is_still_of_the_proposal(spy: _Spy, read: Callable[[str], str | None],
                                                              asked: str) -> None:
    assert read(f"You could retry in the caller. {asked}") is None
    assert spy.asked == 1
    assert read(f"The loader retries in the caller. {asked}") == asked

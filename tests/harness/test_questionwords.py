"""Chat labelled off the topic anywhere in its sentence, a question or a statement, asks the author nothing."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence
from harness.questionwords import off_topic, open_question

# Each blocked the gate as a review point or a question the author must answer (round 70): its label not at the start
# ("Also, unrelated:", "On an unrelated note,"), put as a statement, or its "that" of the chat before it.
CHAT = [
    "Also, unrelated: the kernel.org mirrors seem slow today, anyone else seeing that?",
    "Looks good.\n\nUnrelated: is the lore archive down for anyone else this morning?",
    "Reviewed-by: Ann Bo <ann@example.org>\n\nOn an unrelated note, the patchwork instance seems to be lagging "
    "again, has anyone pinged the admins?",
    "Completely unrelated, but the new b4 release makes this workflow a lot nicer.",
    "Side note, unrelated to this patch: my build box keeps running out of disk with allmodconfig.",
    "Btw, off-topic: the list archive search is broken again, is anyone on it?",
    "Off-topic: vger has been dropping my mails all week.",
]
# Close, and asked of the author: the label's words name this patch or its code, or a flaw of it, or no label.
ASKED = [
    "Also, unrelated to the main change: this patch also breaks the build with CONFIG_SMP=n.",
    "Off-topic perhaps, but the Fixes: tag points to the wrong commit, please correct it.",
    "Also, the kernel.org mirror URL in the changelog is wrong, please fix it.",
    "Unrelated, but the error path in foo_probe() leaks the clock.",
    "Also, unrelated: the loop in tdx_retry() spins forever, can you bound it?",
    "Side note: the lock is taken twice on the error path.",
    "Also, off-topic: why does this need the lock at all?",
]


@pytest.mark.parametrize("words", CHAT)
def test_chat_labelled_anywhere_asks_nothing(words: str) -> None:
    assert point_sentence(words) is None and open_question(words) is None, (point_sentence(words),
                                                                            open_question(words))


@pytest.mark.parametrize("words", ASKED)
def test_a_point_beside_the_label_is_still_asked(words: str) -> None:
    assert point_sentence(words) is not None or open_question(words) is not None, words


def test_off_topic_reads_the_label_and_what_it_names() -> None:
    assert off_topic("Unrelated: my test box is down today.")
    assert not off_topic("Unrelated: this leaks on error.") and not off_topic("The mirrors seem slow today.")


@pytest.mark.parametrize("words", ["Unrelated change.", "Unrelated hunk: drop the whitespace fix.",
                                   "Unrelated: please split the rename out.", "Off-topic, but drop the stray hunk."])
def test_a_flaw_or_a_request_named_unrelated_is_not_chat(words: str) -> None:
    assert not off_topic(words) and point_sentence(words) is not None, words


# Surprise at how long the bug lasted (round 70: each blocked as a question the author must answer).
@pytest.mark.parametrize("words", ["Wow, how did nobody notice this before?",
                                   "How has this survived so long? Nice find.",
                                   "Heh, how did we not... how did nobody catch this earlier?",
                                   "How on earth did this go unnoticed for years?"])
def test_surprise_at_the_old_bug_asks_nothing(words: str) -> None:
    assert open_question(words) is None and point_sentence(words) is None, open_question(words)


@pytest.mark.parametrize("words", ["How did this ever pass testing? It leaks the buffer on every call, please fix.",
                                   "How did nobody notice this leaks in v2? Please fix it.",
                                   "How does this survive a failed SEAMCALL?", "How has this been tested?"])
def test_a_question_of_this_code_is_still_asked(words: str) -> None:
    assert open_question(words) is not None or point_sentence(words) is not None, words

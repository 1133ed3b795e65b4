"""The one list of judging words (harness.judgingwords) is what each reader takes: verdictwords and defectwords."""

from __future__ import annotations

import pytest

from harness import defectwords, verdictwords
from harness.judgingwords import JUDGING, Use

WORDS = [w.replace(r"[\s-]", "-") for w, _ in JUDGING]  # "out[\s-]of[\s-]date" written as "out-of-date"


@pytest.mark.parametrize(("word", "uses"), [(w, u) for w, (_, u) in zip(WORDS, JUDGING, strict=True)])
def test_each_reader_takes_the_words_of_its_use(word: str, uses: Use) -> None:
    # The code judged in few words ("This comment is stale."), the whole patch ("This is just broken."), a fragment
    # naming a thing ("Stray blank line."), a thing named not needed ("Pointless check.").
    assert (verdictwords._IS_JUDGED().match(f"This comment is {word}.") is not None) == (Use.CODE in uses)
    assert (verdictwords._WRONG().match(f"This is just {word}.") is not None) == (Use.PATCH in uses)
    assert (defectwords._FRAGMENT().match(f"{word} blank line.") is not None) == (Use.FRAGMENT in uses)
    assert (defectwords._BUG_NAMED().match(f"{word} check.") is not None) == (Use.NAMED in uses)


def test_a_word_no_reader_takes_is_none() -> None:
    # "fine" judges nothing wrong: no reader takes it.
    assert not verdictwords.code_judged("This comment is fine.")
    assert not defectwords.defect_named("Fine blank line.")
    assert verdictwords._WRONG().match("This is just fine.") is None

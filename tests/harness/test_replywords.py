"""harness.replywords.holds_each is the word gates' all(any(...)), on every form's gates of the reply readers."""

from __future__ import annotations

import itertools

import pytest

from harness import refusals, regressions
from harness.replywords import holds_each

_GROUPS = [(), ((),), (("a",),), (("a", "b"), ("c",)), (("ab",), ("", "z")), (("x", "y"), ("b", "c"), ("q",))]


@pytest.mark.parametrize("groups", _GROUPS)
@pytest.mark.parametrize("low", ["", "a", "abc", "zq", "y c q", "ab z"])
def test_holds_each_is_all_of_any(low: str, groups: tuple[tuple[str, ...], ...]) -> None:
    assert holds_each(low, groups) is all(any(w in low for w in words) for words in groups)


def test_holds_each_on_every_forms_gates() -> None:
    # Every refusal and regression form's gates, against texts of some of their own words: both answers come up.
    gates = [g for _, g in refusals._FORMS] + [g for _, _, g in regressions._FORMS]
    answers = set()
    for groups in gates:
        words = sorted({w for words in groups for w in words})
        for text in ("", " ".join(words), " ".join(words[::2]), " ".join(words[1::2]), *words[:3],
                     *(" ".join(p) for p in itertools.islice(itertools.product(*groups), 3))):
            answers.add(got := holds_each(text, groups))
            assert got is all(any(w in text for w in ws) for ws in groups), (groups, text)
    assert answers == {True, False} and len(gates) > 15

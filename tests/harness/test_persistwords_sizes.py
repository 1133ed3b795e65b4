"""harness.persistwords' irony: praise of a size, a count or a complexity the reviewer means as a flaw."""

from __future__ import annotations

import pytest

from harness.pointwords import point_sentence

# h686 (round 68): each read as nothing ('v2: READY'): sarcastic praise, then what is too big, too many or one more of
# a thing there are copies of, is a review point as "Great, yet another unchecked kmalloc()." already was.
IRONIC = [
    "Love the 400-line function. Very easy to review.",
    "Wonderful, a fifth level of indentation.",
    "Ah yes, because a 12-argument function is so readable.",
    "Cool, more magic numbers.",
    "Yay, a fourth way to read the same MSR.",
    "Brilliant, a 300-line macro. Exactly what this file needed.",
    "Fantastic, one more bool parameter to decode at every call site.",
    "Awesome, now the function is 600 lines long. Super easy to follow.",
    "Sure, because nested ternaries are so easy to read.",
    "Oh great, a 250-line switch statement.",
    "Nice, a seventh bool argument.",
    "Lovely, one more copy of the retry loop.",
    "Great, now tdx_init() takes 9 arguments.",
    "Right, because three levels of macros are so obvious.",
]
# The same words of praise meant: a size removed or split, a helper reused, a thing made easier.
SINCERE = [
    "Nice, this removes a 400-line function.",
    "Great, the magic number is gone.",
    "Love the new helper, very easy to review.",
    "Nice cleanup, the third copy of the loop is gone.",
    "Great work, this is much easier to follow now.",
    "Thanks, the split into three patches makes it easy to review.",
    "Happy to see the 400-line function split up.",
    "Good to see another magic number replaced with a define.",
    "Love that the 400-line function is now split into helpers.",
    "Great, one more user of the helper.",
    "Nice, a second user of tdx_call().",
    "Right, because the caller holds the lock.",
    "Great, now the function is 40 lines shorter.",
    "Cool, more tests.",
    "Love the 100-line comment explaining the state machine.",
]


@pytest.mark.parametrize("said", IRONIC)
def test_sarcastic_praise_of_a_size_or_a_copy_is_a_point(said: str) -> None:
    assert point_sentence(said) is not None, said


@pytest.mark.parametrize("said", SINCERE)
def test_praise_meant_is_none(said: str) -> None:
    assert point_sentence(said) is None, said

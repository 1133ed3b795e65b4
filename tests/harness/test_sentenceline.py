"""harness.sentenceline: the input line where a sentence of a reply's own words begins."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from harness.sentenceline import sentence_line


def _reply(text: str) -> Any:
    """What sentence_line reads of a reply: its own words as read, one run starting at input line 10."""
    return SimpleNamespace(own_read=text, own_at=((0, 10),), mail=SimpleNamespace(where=None))


def test_a_sentence_is_found_across_any_run_of_white_space() -> None:
    r = _reply("Hi.\nThis is\n\n a  NAK.\nThis is a NAK again.\n")
    assert sentence_line(r, "This is a NAK.") == 11
    assert sentence_line(r, "a NAK again.") == 14
    assert sentence_line(r, "is a NAK") == 11  # the first place the words stand in turn
    assert sentence_line(r, "This isa NAK.") is None and sentence_line(r, "") is None
    assert sentence_line(_reply("x\u00a0NAK\u2003now"), "x NAK now") == 10  # Unicode white space, as re's \s


def test_a_sentence_of_a_long_word_is_found_without_a_pattern_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # A generated reply line of one 10 MB word: its sentence was made a pattern (re.escape), whose compiling took
    # 227 s of eval's 487 and 1 GB; 300,000 letters took 1.7 s. Found by the words in turn, in linear time. Counted,
    # not timed: no pattern as long as the word is compiled (re._compile: every compile and search of a text goes
    # through it, re's own cache's hits too).
    import re

    compiled: list[int] = []
    real = re._compile  # type: ignore[attr-defined]

    def compile_(pattern: Any, flags: Any) -> Any:
        compiled.append(len(pattern))
        return real(pattern, flags)

    word = "z" * 200_000
    r = _reply(f"How about:\n{word} and\nthat.\n")
    monkeypatch.setattr(re, "_compile", compile_)
    assert sentence_line(r, f"{word} and that.") == 11
    assert not [size for size in compiled if size >= len(word)], compiled

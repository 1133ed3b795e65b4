"""harness.changedlines: a code line as a diff sees it, comments and spacing aside, read once per text."""

from __future__ import annotations

import re

import pytest

import harness.changedlines as changedlines


def test_a_line_is_normalised_once_whatever_reads_it_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every variant's known lines are read (_known_lines), and variants share most of their lines: each line was
    # read again for each variant, and again by harness.linecover.
    read: list[str] = []
    plain = changedlines.CODE_TOKEN

    class Counted:
        def sub(self, repl: object, text: str) -> str:
            read.append(text)
            return plain.sub(repl, text)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(changedlines, "CODE_TOKEN", Counted())
    text = '\tonce_test_ret  =  f(a, "x  /* y */")  /* why */ ; // more'
    assert changedlines.normalised(text) == 'once_test_ret = f(a, "x /* y */") ;'
    assert changedlines.normalised(text) == 'once_test_ret = f(a, "x /* y */") ;'
    assert changedlines.normalised(text + " ") == 'once_test_ret = f(a, "x /* y */") ;'
    assert read == [text, text + " "]
    assert re.fullmatch(r"\S+( \S+)*", changedlines.normalised("once_test  (b)\t")) is not None

"""Patterns compiled at first use: the same pattern as re.compile, compiled once, a bad one refused when used."""

from __future__ import annotations

import re

import pytest

from harness.lazyre import lazy


def test_compiled_once_as_re_compiles_it() -> None:
    get = lazy(r"\bnak\b", re.I)
    first = get()
    assert first is get()
    assert (first.pattern, first.flags) == (re.compile(r"\bnak\b", re.I).pattern, re.compile(r"\bnak\b", re.I).flags)
    assert first.search("Nak, sorry") is not None


def test_a_bad_pattern_fails_at_first_use() -> None:
    get = lazy(r"(unclosed")
    with pytest.raises(re.error):
        get()

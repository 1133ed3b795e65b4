"""Names found with fixed patterns around them (models.wordfind), checked against the patterns that spell the name."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import models.wordfind as wf
import reports.gapsaid as gapsaid
from models.closure import _pasted_names
from models.conditional import Conditions
from models.declconflict import macro_named
from models.slicer import Definition, Kind

# Pieces of C text: the names, names they are part of, a member, gcc's '$', a non-ASCII letter (\w is Unicode's),
# blanks and the brackets the patterns after a name read.
_NAMES = ["f", "fn", "sc_retry", "a.b", "x$", "é", "(", "f("]
_PIECES = ["f", "fn", "ff", "_f", "f_", "sc_retry", "sc_retry2", "a.b", ".", "->", "$", "x$", "é", "1", " ", "\t",
           "\n", "(", ")", "((", "))", "{", "}", ",", ";", "*", "#", "##"]
_SHAPES = [(wf.NOT_AFTER_WORD, wf.NO_WORD_AFTER), (wf.NOT_AFTER_WORD, wf.CALL_AFTER),
           (wf.NOT_AFTER_WORD, wf.CALLED_TWICE_AFTER), (wf.NOT_AFTER_IDENT, wf.NO_IDENT_AFTER),
           (wf.NOT_AFTER_IDENT, wf.CALL_AFTER), (wf.BOUNDARY, wf.CALL_AFTER), (wf.BOUNDARY, wf.BOUNDARY),
           (wf.NOT_AFTER_LETTER, wf.NO_WORD_AFTER)]
_texts = st.lists(st.sampled_from(_PIECES), max_size=24).map("".join)


def _by_name(text: str, name: str, before: re.Pattern[str], after: re.Pattern[str]) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(before.pattern + re.escape(name) + after.pattern, text)]


@settings(max_examples=600, deadline=None)
@given(_texts, st.sampled_from(_NAMES), st.sampled_from(_SHAPES))
def test_spans_are_the_pattern_naming_the_name(text: str, name: str, shape: tuple[re.Pattern[str], ...]) -> None:
    before, after = shape
    assert list(wf.name_spans(text, name, before, after)) == _by_name(text, name, before, after)
    assert wf.has_name(text, name, before, after) is (re.search(before.pattern + re.escape(name) + after.pattern,
                                                                text) is not None)


@settings(max_examples=400, deadline=None)
@given(_texts, st.sampled_from(_NAMES), st.sampled_from(_PIECES))
def test_replace_word_is_the_pattern_naming_the_word(text: str, word: str, by: str) -> None:
    assert wf.replace_word(text, word, by) == re.sub(rf"\b{re.escape(word)}\b", lambda _: by, text)


@pytest.mark.parametrize("text", ["", "f", " f(", "(f(", "a f b"])
@pytest.mark.parametrize("shape", _SHAPES)
def test_an_empty_name_is_the_two_patterns_alone(text: str, shape: tuple[re.Pattern[str], ...]) -> None:
    before, after = shape
    assert list(wf.name_spans(text, "", before, after)) == _by_name(text, "", before, after)


def test_a_name_that_follows_its_own_match_is_found_after_it() -> None:
    # "f(f(": the second starts where the first match ends, after '(' (not a word): both, as re.finditer gives them.
    assert list(wf.name_spans("f(f(", "f", wf.BOUNDARY, wf.CALL_AFTER)) == [(0, 2), (2, 4)]
    assert list(wf.name_spans("ff(f (", "f", wf.BOUNDARY, wf.CALL_AFTER)) == [(3, 6)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "\t", "#", "define", "X", "X_H", "Y", "1", "\n", "(", "definex"]),
                max_size=8).map("".join), st.sampled_from(["X", "X_H", "Y"]))
def test_guard_define_is_the_pattern_naming_the_guard(line: str, name: str) -> None:
    assert Conditions._guard_define(line, name) is (re.match(rf"\s*#\s*define\s+{name}\s*$", line) is not None)


def test_a_function_named_by_a_macro_call_is_found_without_a_pattern_of_its_name() -> None:
    # int TRANS(Open)(int fd): the slicer reads TRANS; "TRANS(x)(" before the body says a macro makes the name.
    d = Definition(Kind.FUNCTION, "enter", "int enter(open)(void *args) { return 0; }", "a.c", 1)
    assert macro_named(d, d.text, ()) is True
    assert macro_named(Definition(Kind.FUNCTION, "enter", "int enter(void *args) { return (0)(1); }", "a.c", 1),
                       "int enter(void *args) { return (0)(1); }", ()) is False
    assert macro_named(Definition(Kind.FUNCTION, "enter", "int s.enter(open)(void);", "a.c", 1),
                       "int s.enter(open)(void);", ()) is False


def test_pasting_substitutes_whole_parameter_words_only() -> None:
    # CAT(a, b) a ## b: "ab" and "a_b" in the body are other words; each argument replaces its parameter as written.
    pasting = (("CAT", ("a", "b"), "a ## b ab a_b"),)
    found = _pasted_names("CAT(x\\1, y) CAT2(p, q)", pasting)
    assert "y" in found and "ab" in found and "a_b" in found
    assert "x" in found  # "x\\1" pasted as written (no template): the backslash stays, the names around it are found


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["v3", "v3:01", "v3:012", ":", ": ", "v1:02", "a", "1", ".", "~", "-", "+", " ",
                                 "x.c:3", "\0A"]), max_size=12).map("".join), st.sampled_from(["v3", "v3:01", "v1:02"]))
def test_gap_names_are_put_aside_as_the_pattern_naming_them(reason: str, name: str) -> None:
    # reports.gapsaid.gap_key: a variant's name, not a longer name's part, a clause's colon after it allowed.
    before, after = gapsaid._NOT_IN_NAME, gapsaid._NAME_ENDS
    assert wf.replace_name(reason, name, before, after, "\0A") == \
        re.sub(rf"(?<![\w:.+~-]){re.escape(name)}(?![\w.+~-]|:\w)", "\0A", reason)


_TAILS = [re.compile(r"\s*\((.*?)\)\s*\{", re.S), re.compile(r"\s*\(([^()]*)\)"), re.compile(r"\b(?!\s*\()[^;]*")]


@settings(max_examples=600, deadline=None)
@given(_texts, st.sampled_from(_NAMES), st.sampled_from(_TAILS))
def test_name_tail_is_the_search_s_match_past_the_name(text: str, name: str, tail: re.Pattern[str]) -> None:
    # Its groups and end are the whole match's (unreadcode reads a function's parameters and a call's arguments so).
    m = re.search(r"\b" + re.escape(name) + tail.pattern, text, tail.flags)
    got = wf.name_tail(text, name, wf.BOUNDARY, tail)
    assert (got.groups(), got.end()) == (m.groups(), m.end()) if m is not None else got is None


def test_name_tail_takes_the_first_name_with_its_tail() -> None:
    got = wf.name_tail("f; ff(x); f (a, b) {", "f", wf.BOUNDARY, _TAILS[1])
    assert got is not None and (got.group(1), got.end()) == ("a, b", 18)


@settings(max_examples=400, deadline=None)
@given(_texts, st.sets(st.sampled_from(_NAMES), min_size=1, max_size=3))
def test_any_word_is_the_alternation_of_the_names(text: str, names: set[str]) -> None:
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b")
    assert wf.any_word(names)(text) is (pattern.search(text) is not None)

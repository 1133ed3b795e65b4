"""models.scopes.prepared: the annotations blanked word by word, checked against one alternation of them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from models.scopes import prepared

_PIECES = ["__init", "__exit", "__init2", "x__init", "é", "1", " ", "\n", "(", ")", "{", "}", ";", "*", "int", "u64",
           "#define A __init\n", "__user", "_"]
_texts = st.lists(st.sampled_from(_PIECES), max_size=24).map("".join)
_BLANK = ["__init", "__exit", "__user", "_", "int"]


def _one_pattern(text: str, blank: frozenset[str]) -> str:
    """What prepared() made of ``text`` with one pattern of every annotation it names (its code before round 58)."""
    plain = re.sub(r"^[ \t]*#(?:[^\n\\]|\\[^\n]|\\\n)*", lambda m: re.sub(r"[^\n]", " ", m.group()), text,
                   flags=re.MULTILINE)
    words = set(re.findall(r"[A-Za-z_]\w*", plain)) & blank
    return re.sub(r"\b(?:" + "|".join(sorted(words)) + r")\b", lambda m: " " * len(m.group()), plain) if words \
        else plain


@settings(max_examples=500, deadline=None)
@given(_texts, st.sets(st.sampled_from(_BLANK)))
def test_blanked_words_are_the_alternation_s(text: str, blank: set[str]) -> None:
    plain, _ = prepared(text, frozenset({"u64"}), frozenset(blank))
    assert plain == _one_pattern(text, frozenset(blank))
    assert len(plain) == len(text)


def test_an_annotation_inside_a_longer_word_stays() -> None:
    assert prepared("static int __init x__init(void) __init2;", frozenset(), frozenset({"__init"}))[0] == \
        "static int        x__init(void) __init2;"

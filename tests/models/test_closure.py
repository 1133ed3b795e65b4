"""What an entry point reaches: names followed through the text, per-file static copies, ``##`` pasting."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.closure import closure, local_copies, namespaces
from models.loader import Source, definitions, reachable
from models.slicer import Kind


def _sources(*files: tuple[str, str]) -> tuple[Source, ...]:
    return tuple(Source(path, ((1, tuple(text.split("\n"))),), True) for path, text in files)


def test_follows_names_and_leaves_the_rest() -> None:
    table = definitions(_sources(("a.c", "static int leaf(void) { return 1; }\n"
                                          "static int mid(void) { return leaf(); }\n"
                                          "static int top(void) { return mid(); }\n"
                                          "static int other(void) { return 2; }")))
    assert [d.name for d in closure(table, ["top"])] == ["top", "mid", "leaf"]
    assert [d.name for d in closure(table, ["absent"])] == []


def test_each_file_reaches_its_own_static_copy() -> None:
    table = definitions(_sources(
        ("a.c", "static int helper(void) { return 1; }\nint a_entry(void) { return helper(); }"),
        ("b.c", "static int helper(void) { return 2; }\nint b_entry(void) { return helper(); }")))
    assert local_copies(table["helper"])
    assert [d.where for d in closure(table, ["b_entry"])] == ["b.c:2", "b.c:1"]
    assert [d.where for d in closure(table, ["a_entry", "b_entry"])] == ["b.c:2", "b.c:1", "a.c:2", "a.c:1"]


def test_a_name_made_by_token_pasting_is_reached() -> None:
    table = definitions(_sources(("a.c", "#define CALL(x) do_##x()\n"
                                          "static int do_work(void) { return 3; }\n"
                                          "static int top(void) { return CALL(work); }")))
    assert {d.name for d in closure(table, ["top"])} == {"top", "CALL", "do_work"}


def test_a_tag_and_a_variable_of_one_name_are_both_kept() -> None:
    table = definitions(_sources(("a.c", "struct stats { int n; };\nstatic struct stats stats;")))
    kinds = [[d.kind for d in group] for group in namespaces(table["stats"])]
    assert kinds == [[Kind.STRUCT], [Kind.VARIABLE]]


def test_the_table_and_what_is_reached_are_shared_and_frozen() -> None:
    # Worked out once per distinct sources (an eval asks hundreds of times): equal sources, the same table.
    one = _sources(("a.c", "static int leaf(void) { return 1; }\nint top(void) { return leaf(); }"))
    again = _sources(("a.c", "static int leaf(void) { return 1; }\nint top(void) { return leaf(); }"))
    assert definitions(one) is definitions(again)
    got = reachable(one, "top")
    assert got == {"top", "leaf"} and isinstance(got, frozenset)
    assert reachable(again, "top") is got


@given(st.lists(st.text(alphabet="ab_1é \n\t#(),.", max_size=24), max_size=6))
def test_the_words_of_texts_are_those_of_their_join(texts: list[str]) -> None:
    """closure._pasted_macro_names and macroblock._pasted_into read each text's words once (closure.words) and join the
    sets: the words of the texts joined by line breaks, as they read them, since no word spans a line break."""
    from models.closure import words

    assert set().union(*map(words, texts)) == set(re.findall(r"\w+", "\n".join(texts)))


def test_a_definitions_names_are_sorted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: every closure sorted the names of every definition it reached again (and gathered the table's pasting
    # macros' names again): the rules ask closures of many roots of the same tables.
    from models import closure as closure_module

    table = definitions(_sources(("a.c", "static int leaf(int v) { return v + 1; }\n"
                                          "static int mid(int w) { return leaf(w); }\n"
                                          "static int top(void) { return mid(2); }\n"
                                          "static int also(void) { return mid(3); }")))
    asked: list[tuple[str, ...]] = []

    def counted(names: Any) -> list[str]:
        asked.append(tuple(names))
        return sorted(names)

    monkeypatch.setattr(closure_module, "sorted", counted, raising=False)
    getattr(closure_module, "_in_order", functools.lru_cache(None)(sorted)).cache_clear()  # none kept by another test
    assert [d.name for d in closure(table, ["top"])] == ["top", "mid", "leaf"]
    assert [d.name for d in closure(table, ["also"])] == ["also", "mid", "leaf"]
    assert [d.name for d in closure(table, ["top", "also"])] == ["also", "mid", "leaf", "top"]
    mids = [names for names in asked if "leaf" in names and "w" in names]
    assert len(mids) == 1, asked  # mid()'s names: three closures reach it

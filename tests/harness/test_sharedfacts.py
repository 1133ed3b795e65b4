"""Facts of code worked out once for equal inputs that come as objects of their own (issue 18: the empty-cache eval).

Each variant hands its own tuple of sources (harness.runner.variant_sources), and the judge its own tuples of a
patch's files: what is read of them is worked out once per equal code, not once per tuple object."""

from __future__ import annotations

from typing import Any

import pytest

from harness import moves, nestedretry
from harness.diffparse import parse_diff
from harness.errors import Where
from models.loader import EntryPoint, Source

OUTER = """\
static int inner(void)
{
\tint n = 3;
\twhile (n--)
\t\tif (__seamcall(1, 0) == 0)
\t\t\treturn 0;
\treturn -1;
}

static int outer(void)
{
\tint k = 2;
\twhile (k--)
\t\tif (inner() == 0)
\t\t\treturn 0;
\treturn -1;
}
"""
DIFF = """\
diff --git a/a.c b/a.c
--- a/a.c
+++ b/a.c
@@ -1,3 +1,4 @@
 int keep(void)
 {
+\tint added;
 \treturn 0;
 }
"""


def _sources(text: str) -> tuple[Source, ...]:
    return (Source("a.c", ((1, tuple(text.splitlines())),), True),)


def _counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(module, name)

    def counting(*args: Any) -> Any:
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_nests_of_equal_sources_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counted(monkeypatch, nestedretry, "_all_nests")
    entries = (EntryPoint("outer", ("fn",)),)
    first, again = _sources(OUTER), _sources(OUTER)
    assert first == again and first is not again
    found = nestedretry.nests(first, entries)
    assert nestedretry.nests(again, tuple(entries)) == found
    assert len(calls) == 1
    # Other code, or other entry points, are read again.
    nestedretry.nests(_sources(OUTER.replace("k = 2", "k = 4")), entries)
    nestedretry.nests(again, (EntryPoint("inner", ("fn",)),))
    assert len(calls) == 3


def test_nests_read_the_code_they_are_asked_of() -> None:
    entries = (EntryPoint("outer", ("fn",)),)
    nested = nestedretry.nests(_sources(OUTER), entries)
    assert nested and nested[0][:2] == ("outer", "inner")
    apart = OUTER.replace("if (inner() == 0)", "if (k == 7)")
    assert nestedretry.nests(_sources(apart), entries) == []


def test_a_patchs_files_are_read_once_whatever_tuple_holds_them(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counted(monkeypatch, moves, "_read_definitions")
    files = parse_diff(DIFF, Where("p.mbox", 1))
    assert moves.defined_in(tuple(files)) == moves.defined_in(tuple(list(files)))
    assert moves._definitions(tuple(list(files))) is moves._definitions(tuple(files))
    assert len(calls) == 1
    other = parse_diff(DIFF.replace("added", "more"), Where("p.mbox", 1))
    moves._definitions(tuple(other))
    assert len(calls) == 2


def test_pieces_two_variants_share_are_blanked_once() -> None:
    from harness import unknowncallees

    unknowncallees._blanked.cache_clear()
    shared = Source("b.c", ((1, ("int shared(void)", "{", "\treturn 0; /* a comment */", "}")),), True)
    one = (*_sources(OUTER), shared)
    other = (*_sources(OUTER.replace("k = 2", "k = 4")), shared)
    for got in (one, other):
        assert unknowncallees.bare_unknown(got, got) is None
    # Each distinct piece blanked once (three), though each pair of files reads both its pieces, twice over.
    assert unknowncallees._blanked.cache_info().misses == 3
    assert unknowncallees._blanked.cache_info().hits == 5


def test_a_bare_unknown_name_is_still_found() -> None:
    from harness import unknowncallees

    text = OUTER.replace("\treturn -1;\n}\n\nstatic int outer", "\tSC_TOUCH_ALL;\n\treturn -1;\n}\n\nstatic int outer")
    said = unknowncallees.bare_unknown(_sources(text), _sources(text))
    assert said is not None and "SC_TOUCH_ALL" in said
    assert unknowncallees.bare_unknown(_sources(text), _sources(text)) == said


def test_macro_counts_of_equal_macros_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import macroargs
    from models.loader import definitions

    calls = _counted(monkeypatch, macroargs, "_counted")
    text = "#define TWICE(x) ((x) + (x))\n#define ONCE(x) (x)\n#define BOTH(x) TWICE(x)\n" + OUTER
    first = macroargs._read_counts(definitions(_sources(text)))
    again = macroargs._read_counts(definitions(_sources(text.replace("k = 2", "k = 4"))))
    assert first == again and first["BOTH"][1] == (frozenset({2}),)
    assert len(calls) == 3
    # Another macro table (ONCE evaluating its argument twice now): each count again, with its own expansion.
    twice = text.replace("#define ONCE(x) (x)", "#define ONCE(x) (x)*(x)")
    other = macroargs._read_counts(definitions(_sources(twice)))
    assert other["ONCE"][1] == (frozenset({2}),) and other["BOTH"][1] == (frozenset({2}),)
    assert len(calls) == 6


def test_an_open_groups_options_are_found_once_per_text() -> None:
    from harness import kconfigbranch

    kconfigbranch._options.cache_clear()
    raw = ["#if IS_ENABLED(CONFIG_A)", "int a;", "#ifdef CONFIG_B", "int b;", "#endif", "int c;", "#endif", "int d;"]
    assert kconfigbranch._options_around("x.c", raw) == {
        1: {"CONFIG_A"}, 2: {"CONFIG_A"}, 3: {"CONFIG_A", "CONFIG_B"}, 4: {"CONFIG_A", "CONFIG_B"}, 5: {"CONFIG_A"},
        6: {"CONFIG_A"}}
    assert kconfigbranch._options.cache_info().misses == 2  # each group's opening once, whatever the lines below

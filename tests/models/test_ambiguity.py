"""models.ambiguity: why a name cannot be given one definition, on definitions sliced from C of our own."""

from __future__ import annotations

from dataclasses import replace

from models.ambiguity import ambiguous
from models.loader import Source
from models.slicer import Definition, slice_fragment


def _table(*parts: tuple[str, str]) -> dict[str, list[Definition]]:
    table: dict[str, list[Definition]] = {}
    for text, path in parts:
        for d in slice_fragment(text.splitlines(), path, 1):
            table.setdefault(d.name, []).append(d)
    return table


def _used(table: dict[str, list[Definition]]) -> list[Definition]:
    return [d for found in table.values() for d in found]


def test_a_macro_of_a_c_file_used_by_another_file_is_refused() -> None:
    table = _table(("#define LIMIT 3\nint f(void)\n{\n\treturn LIMIT;\n}\n", "a.c"),
                   ("int g(void)\n{\n\treturn LIMIT;\n}\n", "b.c"))
    why = ambiguous(table, "LIMIT", _used(table))
    assert why is not None and "a .c file, and used in b.c:1" in why, why
    # Used in its own file only: one definition, the one every use sees.
    alone = _table(("#define LIMIT 3\nint f(void)\n{\n\treturn LIMIT;\n}\n", "a.c"))
    assert ambiguous(alone, "LIMIT", _used(alone)) is None


def test_a_macro_of_a_c_file_a_header_reads_after_it_is_the_headers_where_the_harness_says_so() -> None:
    # harness.unitmacros hands the loader, per .c file, whether each header naming its macro sees it.
    c_text, h_text = "#define LIMIT 3\n#include \"c.h\"\n", "static inline int g(void)\n{\n\treturn LIMIT;\n}\n"
    table = _table((c_text, "a.c"), (h_text, "c.h"))
    source = Source("a.c", ((1, tuple(c_text.splitlines())),), True, unit_macros=(("LIMIT", "c.h", ""),))
    assert ambiguous(table, "LIMIT", _used(table), sources=(source,)) is None
    told = replace(source, unit_macros=(("LIMIT", "c.h", "b.c reads c.h too"),))
    why = ambiguous(table, "LIMIT", _used(table), sources=(told,))
    assert why is not None and why.endswith("included after the definition, b.c reads c.h too"), why
    why = ambiguous(table, "LIMIT", _used(table))  # nothing said: as before
    assert why is not None and why.endswith("which the mirror does not follow"), why


def test_two_static_copies_called_from_a_header_cannot_be_told_apart() -> None:
    table = _table(("static int h(void)\n{\n\treturn 1;\n}\n", "a.c"),
                   ("static int h(void)\n{\n\treturn 2;\n}\n", "b.c"),
                   ("static inline int k(void)\n{\n\treturn h();\n}\n", "c.h"))
    why = ambiguous(table, "h", _used(table))
    assert why is not None and "defined 2 times (a.c:1, b.c:1)" in why, why


def test_a_macro_under_an_undecided_condition_is_refused_but_the_fallback_idiom_is_not() -> None:
    (limit,) = _table(("#define LIMIT 3\n", "a.h"))["LIMIT"]
    undecided = {"LIMIT": [replace(limit, condition="#ifdef CONFIG_DEMO_LIMIT")]}
    why = ambiguous(undecided, "LIMIT")
    assert why is not None and "defined only under #ifdef CONFIG_DEMO_LIMIT" in why, why
    # '#ifndef LIMIT' around the default: what the code gets unless an unseen header overrides it.
    assert ambiguous({"LIMIT": [replace(limit, condition="#ifndef LIMIT")]}, "LIMIT") is None
    assert ambiguous({"LIMIT": [replace(limit, condition="#if !defined(LIMIT)")]}, "LIMIT") is None

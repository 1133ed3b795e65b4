"""Hints a refusal of code that did not load gives: a name used as a type no typedef names, a tree header's macros."""

from __future__ import annotations

from models.loader import Source
from models.loadhints import header_macros, unknown_type
from models.slicer import Definition, Kind

TEXT = "static u64 call(sc_func_t func, u64 fn)\n{\n\treturn func(fn, SC_ARGS);\n}\n"


def test_a_name_used_as_a_type_no_typedef_names_is_said_with_where_it_was_looked_for() -> None:
    assert unknown_type(TEXT, "before: func", (), (frozenset(), "")).startswith(
        ": 'sc_func_t' is used as a type, and no typedef of it is in what is known of the code (with mail alone")
    assert unknown_type(TEXT, "before: func", (), (frozenset({"sc_func_t"}), "3 headers searched")) == \
        ": 'sc_func_t' is used as a type, and no typedef of it is in what is known of the code (3 headers searched)"
    assert unknown_type(TEXT, "before: func", ("sc_func_t",), (frozenset(), "")) == ""
    assert unknown_type(TEXT, "at: }", (), (frozenset(), "")) == ""


def test_the_macros_of_a_tree_header_the_code_expands_are_named_with_their_places() -> None:
    header = Source("include/asm/sc.h", ((1, ("#define SC_ARGS SC_INNER", "#define SC_INNER 0")),), True,
                    only=frozenset({"SC_ARGS"}))
    own = Source("x/sc.c", ((1, TEXT.splitlines()),), True)
    macros = {"SC_ARGS": Definition(Kind.MACRO, "SC_ARGS", "#define SC_ARGS SC_INNER", header.path, 1),
              "SC_INNER": Definition(Kind.MACRO, "SC_INNER", "#define SC_INNER 0", header.path, 2)}
    assert header_macros(TEXT, macros, (own, header)) == \
        "; it expands macros of the tree's #include <...> headers: SC_ARGS (include/asm/sc.h:1), " \
        "SC_INNER (include/asm/sc.h:2)"
    assert header_macros(TEXT, macros, (own,)) == ""

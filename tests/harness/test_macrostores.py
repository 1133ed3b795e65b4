"""Stores a definition makes through its files' macros (harness.macrostores), read as the preprocessor expands them."""

from __future__ import annotations

import pytest

from harness.macrostores import file_macros
from harness.outsidewrites import outside_writes, stored_lines
from models.loader import Source, definitions
from models.slicer import Definition, Kind

HEAD = "static int sc_tries = 10;\n\nstatic int sc_left(void)\n{\n\treturn sc_tries;\n}\n\n"


def _found(text: str) -> dict[str, str]:
    return dict(outside_writes((Source("x/a.h", ((1, tuple((HEAD + text).splitlines())),), True),), {"sc_left"}))


@pytest.mark.parametrize(("text", "macro"), [
    ("#define SC_SET(v) sc_tries = (v)\n\nstatic void sc_set(int n)\n{\n\tSC_SET(n);\n}\n", "SC_SET"),
    ("#define SC_RESET sc_tries = 0\n\nstatic void sc_set(int n)\n{\n\tSC_RESET;\n}\n", "SC_RESET"),
    ("#define SC_KNOB(x) sc_##x\n\nstatic void sc_set(int n)\n{\n\tSC_KNOB(tries)++;\n}\n", "SC_KNOB"),
    # Through another macro of the files, which alone names the variable.
    ("#define SC_RESET sc_tries = 0\n#define SC_AGAIN() SC_RESET\n\nstatic void sc_set(int n)\n{\n\tSC_AGAIN();\n}\n",
     "SC_AGAIN"),
])
def test_a_store_a_macro_of_the_files_makes_in_unrun_code_is_found(text: str, macro: str) -> None:
    found = _found(text)
    line = 8 + text.count("\n", 0, text.index("static void"))
    assert found == {"sc_tries": f"sc_set() (x/a.h:{line}), which no run executes, stores to it through {macro}, "
                                 "expanded"}, found


def test_a_function_a_macro_invocation_defines_is_read_as_expanded() -> None:
    found = _found("#define SC_SETTER(x, v) static void sc_set_##x(void) { sc_tries = v; }\nSC_SETTER(one, 1)\n")
    assert found == {"sc_tries": "sc_set_one() (x/a.h:9), which no run executes, stores to it through SC_SETTER, "
                                 "expanded"}, found


def test_an_address_a_macro_takes_in_a_variables_initializer_is_found() -> None:
    found = _found("#define SC_KNOB(x) (&sc_##x)\n\nstatic int *sc_knob = SC_KNOB(tries);\n")
    assert found == {"sc_tries": "sc_knob (x/a.h:10) holds its address, taken through SC_KNOB, expanded"}, found


def test_a_macro_under_if_is_read_in_each_alternative() -> None:
    # gcc builds one of them, the configuration decides which: the one that stores counts.
    found = _found("#ifdef CONFIG_SC_DEBUG\n#define SC_NOTE(v) sc_tries = (v)\n#else\n#define SC_NOTE(v) (void)(v)\n"
                   "#endif\n\nstatic void sc_set(int n)\n{\n\tSC_NOTE(n);\n}\n")
    assert set(found) == {"sc_tries"}, found


@pytest.mark.parametrize("text", [
    "#define SC_LEFT() (sc_tries)\n\nstatic int sc_get(int n)\n{\n\treturn SC_LEFT() == n;\n}\n",
    "#define SC_KNOB(x) sc_##x\n\nstatic int sc_get(int n)\n{\n\treturn SC_KNOB(tries) == n;\n}\n",
    "#define SC_SET(v) sc_tries = (v)\n\nstatic int sc_get(int n)\n{\n\treturn n;\n}\n",
])
def test_a_macro_that_reads_it_or_is_not_invoked_is_no_store(text: str) -> None:
    assert _found(text) == {}


def test_the_line_a_macro_of_the_files_stores_on_is_a_stored_line() -> None:
    # The invocation's first line, its arguments on the next; a macro that only reads, or one left uninvoked, is none.
    macros = "#define SC_SET(v) sc_tries = (v)\n#define SC_GET() (sc_tries)\n"
    text = "static void sc_f(u64 err)\n{\n\tif (err == 3)\n\t\tSC_SET(\n\t\t       4);\n" \
           "\tif (SC_GET())\n\t\treturn;\n}\n"
    table = definitions((Source("x/a.h", ((1, tuple((macros + text).splitlines())),), True),))
    d = Definition(Kind.FUNCTION, "sc_f", text, "x/a.h", 10)
    assert stored_lines(d, ["sc_tries"], file_macros(table, ["sc_tries"])) == [("sc_tries", 13)]
    assert stored_lines(d, ["sc_tries"]) == []


def test_the_same_defines_are_read_once_and_the_names_they_reach_per_call() -> None:
    # Two variants whose files hold the same #defines (a later patch touching a function only) share one table;
    # which macros reach a variable is worked out per call, from the names asked; other #defines are read again.
    from harness.macrostores import _read_defines

    def table(body: str, path: str = "x/a.h") -> dict[str, list[Definition]]:
        return definitions((Source(path, ((1, tuple(("#define SC_SET(v) sc_tries = (v)\n#define SC_TWO SC_SET(2)\n"
                                                      + body).splitlines())),), True),))

    _read_defines.cache_clear()
    first = file_macros(table("static int sc_tries;\n"), ["sc_tries"])
    second = file_macros(table("static int sc_tries;\nstatic int sc_other;\n"), ["sc_other"])
    assert _read_defines.cache_info().misses == 1
    assert first[0] is second[0] and set(first[0].defs) == {"SC_SET", "SC_TWO"}
    assert (first[1], second[1]) == (frozenset({"SC_SET", "SC_TWO"}), frozenset())
    moved = file_macros(table("static int sc_tries;\n", "x/b.h"), ["sc_tries"])  # another file: another place said
    assert _read_defines.cache_info().misses == 2 and moved[0] is not first[0]
    assert [m.where for m in moved[0].defs["SC_SET"]] == ["x/b.h:1"]

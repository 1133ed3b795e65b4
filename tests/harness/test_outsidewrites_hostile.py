"""harness.outsidewrites on valid C whose literals, blocks, scopes and typedefs a text scan misreads."""

from __future__ import annotations

import pytest

from harness.outsidewrites import outside_writes
from models.loader import Source
from tests.harness.test_outsidewrites import CALLED

HEAD = "static int sc_tries = 10;\n\n"
READER = "static int sc_left(void)\n{\n\treturn sc_tries;\n}\n\n"
STORED = "sc_set() (x/a.h:{at}), which no run executes, stores to it"
TAKEN = "sc_set() (x/a.h:{at}), which no run executes, takes its address at x/a.h:{line}"


def _found(text: str) -> dict[str, str]:
    return dict(outside_writes((Source("x/a.h", ((1, tuple((HEAD + READER + text).splitlines())),), True), CALLED),
                               {"sc_left"}))


def _set(body: str, head: str = "") -> dict[str, str]:
    return _found(head + f"static int sc_set(int n)\n{{\n{body}\treturn 0;\n}}\n")


# A store the text scan did not see, or took for the function's own variable's.
STORES = {
    # '"' as a character constant opened a string literal to the next line's '"': the store between read as text.
    "after a character constant holding a quote": "\tsc_note('\"'); sc_tries = n; sc_note(\"x\");\n",
    # A local of the same name hides the file's variable in its own block only (C11 6.2.1p4).
    "outside the block of a local of the same name": "\tif (n > 3) {\n\t\tint sc_tries = n;\n\n"
                                                      "\t\tsc_note(sc_tries);\n\t}\n\tsc_tries = n;\n",
    "after a for loop declaring one of the same name": "\tfor (int sc_tries = 0; sc_tries < n; sc_tries++)\n"
                                                       "\t\tsc_note(sc_tries);\n\tsc_tries = n;\n",
    "outside a statement expression declaring one": "\tsc_note(({ int sc_tries = n; sc_tries; }));\n\tsc_tries++;\n",
}


@pytest.mark.parametrize("case", list(STORES))
def test_a_store_to_the_files_variable_is_found(case: str) -> None:
    assert _set(STORES[case]) == {"sc_tries": STORED.format(at=8)}, case


# No store to the file's variable: the function's own of that name (a type the files define), a member so named.
NOT_STORES = {
    "a local of a typedef the files define": ("typedef int sc_count_t;\n",
                                              "\tsc_count_t sc_tries = n;\n\n\tsc_tries++;\n"),
    "a member of that name": ("struct sc_knob {\n\tint sc_tries;\n};\n",
                              "\tstruct sc_knob k;\n\tstruct sc_knob *p = &k;\n\n\tp->sc_tries = n;\n"
                              "\tk.sc_tries = n;\n"),
}


@pytest.mark.parametrize("case", list(NOT_STORES))
def test_the_functions_own_or_a_member_is_no_store(case: str) -> None:
    head, body = NOT_STORES[case]
    assert _set(body, head) == {}, case


# '(m) & sc_tries' where m is not a value in scope there: a cast of the address, which the runs do not see.
CASTS = {
    # The '{' of a character constant left the block of 'int m' open to the end of the function.
    "a local of a block closed after a character constant holding a brace":
        "\tif (n) {\n\t\tint m = n;\n\n\t\tsc_note('{');\n\t}\n\tsc_knob_set((m) & sc_tries);\n",
    "a local of a for loop's declaration, after the loop":
        "\tfor (int m = 0; m < n; m++)\n\t\tsc_note(m);\n\tsc_knob_set((m) & sc_tries);\n",
    "a typedef of the function's own": "\ttypedef unsigned long m;\n\n\tsc_knob_set((m) & sc_tries);\n",
    "a parameter of a declared function pointer's type":
        "\tint (*cb)(int m) = sc_cb;\n\n\tsc_knob_set((m) & sc_tries);\n\tcb(n);\n",
    "a local of a statement expression, after it":
        "\tsc_note(({ int m = n; m; }));\n\tsc_knob_set((m) & sc_tries);\n",
}


@pytest.mark.parametrize("case", list(CASTS))
def test_a_word_no_value_in_scope_casts_the_address(case: str) -> None:
    body = CASTS[case]
    line = 10 + body[:body.index("sc_knob_set")].count("\n")
    assert _set(body) == {"sc_tries": TAKEN.format(at=8, line=line)}, case


# '(m) & sc_tries' where m is a value in scope there: an AND, no address.
ANDS = {
    "a local of the block, with braces in literals and comments before it":
        "\tif (n) {\n\t\tint m = n; /* } */\n\n\t\tsc_note(\"}\", '}');\n\t\tsc_knob_set((m) & sc_tries);\n\t}\n",
    "a local hiding a typedef of the files": "\tint sc_addr_t = n;\n\n\tsc_knob_set((sc_addr_t) & sc_tries);\n",
    "a local of a statement expression, in it": "\tsc_note(({ int m = n; (m) & sc_tries; }));\n",
}


@pytest.mark.parametrize("case", list(ANDS))
def test_a_word_a_value_in_scope_ands(case: str) -> None:
    assert _set(ANDS[case], "typedef unsigned long sc_addr_t;\n") == {}, case


def test_an_address_in_an_initializer_after_a_character_constant_holding_a_quote_is_found() -> None:
    found = _found("static struct sc_knob sc_knob = { .c = '\"', .p = &sc_tries, .s = \"x\" };\n")
    assert found == {"sc_tries": "sc_knob (x/a.h:8) holds its address, taken at x/a.h:8"}, found


def test_a_function_pycparser_cannot_read_is_read_from_its_text() -> None:
    # A loop macro of a header not read: no parse, the text scan still finds the store and the address.
    loop = "\tsc_for_each_knob(k) {\n\t\tsc_note(k);\n\t}\n"
    assert _set(loop + "\tsc_tries = n;\n") == {"sc_tries": STORED.format(at=8)}
    assert _set(loop + "\tsc_knob_set((sc_addr_t)&sc_tries);\n") == {"sc_tries": TAKEN.format(at=8, line=13)}


def test_an_annotation_that_expands_to_nothing_leaves_the_function_parsed() -> None:
    # '__init' (the prelude's, empty): the store after a quote character is found, which the text scan misses.
    found = _found("static int __init sc_set(int n)\n{\n\tsc_note('\"'); sc_tries = n; sc_note(\"x\");\n"
                   "\treturn 0;\n}\n")
    assert found == {"sc_tries": STORED.format(at=8)}, found


# A local of the variable's name declared only in a conditional group a build leaves out (C11 6.10.1p6), then a
# store: gcc stores to the file's variable. pycparser read the group as code, the text scan its declaration.
GROUPED = {"#if 0": "#if 0\n\tint sc_tries;\n#endif\n",
           "#ifdef": "#ifdef CONFIG_SC_NEVER\n\tlong sc_tries;\n#endif\n",
           "%:if 0": "%:if 0\n\tint sc_tries;\n%:endif\n",
           "#else of #if 1": "#if 1\n\tn++;\n#else\n\tint sc_tries;\n#endif\n"}


@pytest.mark.parametrize("form", sorted(GROUPED))
def test_a_local_declared_only_in_a_conditional_group_hides_no_store(form: str) -> None:
    assert _set(GROUPED[form] + "\tsc_tries = n;\n") == {"sc_tries": STORED.format(at=8)}


@pytest.mark.parametrize("body", ["#ifdef CONFIG_SC_NEVER\n\tn++;\n#endif\n\tint sc_tries = n;\n\n\tsc_tries++;\n",
                                  "\tint sc_tries = n;\n\n#ifdef CONFIG_SC_NEVER\n\tsc_tries++;\n#endif\n"])
def test_a_local_declared_outside_the_groups_still_hides_the_store(body: str) -> None:
    assert _set(body) == {}


def test_a_store_in_a_conditional_group_is_a_store_and_its_stored_line_found() -> None:
    from harness.outsidewrites import stored_lines
    from models.slicer import Definition, Kind

    body = "#if 0\n\tint sc_tries;\n#endif\n#ifdef CONFIG_SC_X\n\tsc_tries = n;\n#endif\n"
    assert _set(body) == {"sc_tries": STORED.format(at=8)}
    d = Definition(Kind.FUNCTION, "sc_set", "static int sc_set(int n)\n{\n" + body + "\treturn 0;\n}\n", "x/a.h", 8)
    assert stored_lines(d, ["sc_tries"]) == [("sc_tries", 14)]


@pytest.mark.parametrize("body", ["\tsc_tries \\\n= n;\n", "\tsc_tries \\\n\t+= n;\n", "\tsc_\\\ntries = n;\n"])
def test_a_store_across_a_backslash_newline_is_a_store_and_its_line_the_first(body: str) -> None:
    # gcc removes the backslash-newline before reading a token (C11 5.1.1.2p1, phase 2): 'sc_tries \' then '= n;'
    # stores. Before, the text scan read no '=' after the name.
    from harness.outsidewrites import stored_lines
    from models.slicer import Definition, Kind

    assert _set(body + "\tsc_note(n);\n") == {"sc_tries": STORED.format(at=8)}
    d = Definition(Kind.FUNCTION, "sc_set", "static int sc_set(int n)\n{\n" + body + "\tsc_tries++;\n}\n", "x/a.h", 8)
    assert stored_lines(d, ["sc_tries"]) == [("sc_tries", 10), ("sc_tries", 12)]

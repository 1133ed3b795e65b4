"""What code no run executes may store to (harness.outsidewrites): stores, steps and addresses taken, never reads."""

from __future__ import annotations

import pytest

from harness.outsidewrites import outside_writes
from models.loader import Source

HEAD = "static int sc_tries = 10;\n\n"
READER = "static int sc_left(void)\n{\n\treturn sc_tries;\n}\n\n"


def _found(text: str) -> dict[str, str]:
    return dict(outside_writes((Source("x/a.h", ((1, tuple((HEAD + READER + text).splitlines())),), True),),
                               {"sc_left"}))


@pytest.mark.parametrize("body", ["\tsc_tries = n;\n", "\tsc_tries += n;\n", "\t++sc_tries;\n", "\tsc_tries--;\n",
                                  "\tkstrtoint(s, 0, &sc_tries);\n", "\treturn &sc_tries;\n"])
def test_a_store_in_a_function_no_run_executes_is_found(body: str) -> None:
    found = _found(f"static int sc_set(int n, char *s)\n{{\n{body}\treturn 0;\n}}\n")
    assert found == {"sc_tries": "sc_set() (x/a.h:8), which no run executes, stores to it"}, found


@pytest.mark.parametrize("body", ["\treturn n && sc_tries;\n", "\treturn n & sc_tries;\n",
                                  "\treturn sc_tries == n;\n", "\tint sc_tries = n;\n\n\tsc_tries++;\n\treturn 0;\n"])
def test_a_read_or_a_local_of_the_same_name_is_no_store(body: str) -> None:
    assert _found(f"static int sc_get(int n)\n{{\n{body}}}\n") == {}


def test_a_store_the_runs_execute_is_theirs() -> None:
    text = "static void sc_left_set(int n)\n{\n\tsc_tries = n;\n}\n"
    found = outside_writes((Source("x/a.h", ((1, tuple((HEAD + text).splitlines())),), True),), {"sc_left_set"})
    assert found == ()


def test_a_module_parameter_and_an_address_held_are_found() -> None:
    found = _found("module_param(sc_tries, int, 0644);\nstatic int *sc_knob = &sc_tries;\n")
    assert found == {"sc_tries": "a module parameter sets it (x/a.h:8), at load time or through sysfs"}, found
    found = _found('static struct ctl_table sc_table[] = {\n\t{ .procname = "t", .data = &sc_tries },\n};\n')
    assert found == {"sc_tries": "sc_table (x/a.h:8) holds its address"}, found

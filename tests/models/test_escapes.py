"""Addresses the code the runs execute lets go where no run follows them (models.escapes, CodeFacts.escapes)."""

from __future__ import annotations

import pytest

from models.loader import EntryPoint, Source
from models.source import code_facts

HEAD = "static int sc_tries = 10;\nstatic int *sc_knob;\n\n"


def _escapes(body: str, extra: str = "", head: str = HEAD) -> dict[str, str]:
    code = f"{head}{extra}int sc_call(int n)\n{{\n{body}\treturn n;\n}}\n"
    return code_facts((Source("x/a.c", ((1, tuple(code.splitlines())),), True),), (EntryPoint("sc_call"),)).escapes


@pytest.mark.parametrize(("body", "how"), [
    ("\tsc_knob = &sc_tries;\n", "stores its address to sc_knob"),
    ("\tint *p = &sc_tries;\n\n\tsc_knob = p + 0;\n", "stores its address to sc_knob"),
    ("\tif (n < 0)\n\t\tsc_register_knob((void *)&sc_tries);\n", "hands its address to sc_register_knob(), which the "
     "mirror does not run"),
])
def test_an_address_stored_past_the_function_or_handed_to_code_not_run_escapes(body: str, how: str) -> None:
    # A store to a file-scope pointer, through a local holding the address, or a call the mirror cannot make on a
    # path no run takes: whatever is written through the address there, no run sees it.
    found = _escapes(body)
    assert set(found) == {"sc_tries"} and found["sc_tries"].startswith("sc_call() (x/a.c:") and \
        found["sc_tries"].endswith(how), found


def test_a_pointer_handed_to_a_function_that_lets_it_go_escapes() -> None:
    extra = "static void sc_keep(int *p)\n{\n\tsc_knob = p;\n}\n\n"
    found = _escapes("\tsc_keep(&sc_tries);\n", extra)
    assert found == {"sc_tries": "sc_call() (x/a.c:11) hands its address to sc_keep(), which stores it to sc_knob "
                                 "(x/a.c:6)"}, found


def test_an_array_handed_on_and_a_static_local_escape() -> None:
    found = _escapes("\tstatic int left = 3;\n\n\tsc_register_knob(sc_limits);\n\tsc_register_knob(&left);\n",
                     head="static int sc_limits[2] = { 10, 5 };\n\n")
    assert found == {"sc_limits": "sc_call() (x/a.c:7) hands its address to sc_register_knob(), which the mirror "
                                  "does not run",
                     "left": "sc_call() (x/a.c:8) hands its address to sc_register_knob(), which the mirror does "
                             "not run"}, found


@pytest.mark.parametrize("body", [
    "\tint *p = &sc_tries;\n\n\t*p = n;\n",  # a local pointer the run follows
    "\tsc_set(&sc_tries, n);\n",  # a function of the code, which the runs execute
    "\tmemset(&sc_tries, 0, sizeof(sc_tries));\n",  # a kernel primitive the mirror runs
    "\tn = sizeof(sc_limits) + sc_limits[1];\n",  # no address at all
])
def test_an_address_used_only_where_the_runs_follow_it_stays(body: str) -> None:
    extra = "static int sc_limits[2];\n\nstatic void sc_set(int *p, int v)\n{\n\t*p = v;\n}\n\n"
    assert _escapes(body, extra) == {}


def test_a_const_variable_whose_address_goes_is_none() -> None:
    # A store through the pointer would be undefined (C11 6.7.3p6): the runs' value is the only one it has.
    head = "static const int sc_tries = 10;\nstatic const int *sc_knob;\n\n"
    assert _escapes("\tsc_knob = &sc_tries;\n\tsc_register_knob(&sc_tries);\n", head=head) == {}


def test_a_function_returning_an_address_is_listed_for_the_sources_to_judge() -> None:
    # Its callers in the code read are run; who else calls it is for harness.outsidewrites to find in the sources.
    extra = "static int *sc_count(void)\n{\n\treturn &sc_tries;\n}\n\n"
    code = f"{HEAD}{extra}int sc_call(int n)\n{{\n\treturn *sc_count() + n;\n}}\n"
    facts = code_facts((Source("x/a.c", ((1, tuple(code.splitlines())),), True),), (EntryPoint("sc_call"),))
    assert (facts.escapes, facts.returned) == ({}, {"sc_count": {"sc_tries": "x/a.c:6"}}), facts.returned


def test_a_static_local_whose_address_a_function_returns_is_listed() -> None:
    extra = "static int *sc_count(void)\n{\n\tstatic int tries = 10;\n\n\treturn &tries;\n}\n\n"
    code = f"{HEAD}{extra}int sc_call(int n)\n{{\n\treturn *sc_count() + n;\n}}\n"
    facts = code_facts((Source("x/a.c", ((1, tuple(code.splitlines())),), True),), (EntryPoint("sc_call"),))
    assert facts.returned == {"sc_count": {"tries": "x/a.c:8"}}, facts.returned

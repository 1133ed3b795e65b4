"""What a created .c file's link status means for a run: a link or build error, nothing claimed, or no problem."""

from __future__ import annotations

from harness.linking import Link, UnitLink
from harness.linkproblems import BUILD_ERROR, LINK_ERROR, LINK_UNKNOWN, build_break, link_problems, unit_problem
from harness.variants import Variant
from models.loader import EntryPoint, Source
from models.outcome import ErrorKind

NEW = "x/new.c"
OLD = "x/old.c"
_HELPER = "int helper(int a)\n{\n\treturn a + 1;\n}\n"
_ENTRY = "int entry(int a)\n{\n\treturn helper(a);\n}\n"


def _variant(*links: UnitLink) -> Variant:
    return Variant("v1", "a state", (), (), (), (), "base", links=links)


def _source(path: str, text: str) -> Source:
    return Source(path, ((1, tuple(text.splitlines())),), True)


def test_a_unit_not_built_is_a_build_error_and_one_not_known_to_be_is_nothing_claimed() -> None:
    entry = "entry"
    assert unit_problem(_variant(UnitLink(NEW, Link.NOT_LINKED, "x/Makefile names no new.o")), entry, NEW) == (
        ErrorKind.BUILD, f"{LINK_ERROR}entry() runs in {NEW}, a created file that is not built "
        "(x/Makefile names no new.o)")
    kind, why = unit_problem(_variant(UnitLink(NEW, Link.UNKNOWN, "give --tree")), entry, NEW) or (None, "")
    assert kind is ErrorKind.UNSUPPORTED and why.startswith(LINK_UNKNOWN) and why.endswith("unknown (give --tree)")
    assert unit_problem(_variant(UnitLink(NEW, Link.LINKED, "x/Makefile:3 names new.o")), entry, NEW) is None
    assert unit_problem(_variant(UnitLink(NEW, Link.NOT_LINKED, "no line")), entry, OLD) is None


def test_a_makefile_line_naming_a_removed_file_is_the_build_break_of_every_run() -> None:
    gone = UnitLink(OLD, Link.GONE, "x/Makefile:2 names old.o")
    assert build_break(_variant(UnitLink(NEW, Link.LINKED, "x/Makefile:3 names new.o"), gone)) == \
        f"{BUILD_ERROR}x/Makefile:2 names old.o"
    assert build_break(_variant(UnitLink(NEW, Link.NOT_LINKED, "no line"))) is None


def test_an_entry_point_using_code_of_a_file_not_built_does_not_link() -> None:
    sources = (_source(NEW, _HELPER), _source("x/main.c", _ENTRY))
    entries = (EntryPoint("entry", ("a",)),)
    found = link_problems(_variant(UnitLink(NEW, Link.NOT_LINKED, "x/Makefile names no new.o")), sources, entries)
    assert found == {"entry": (ErrorKind.BUILD, f"{LINK_ERROR}entry() uses helper(), defined at {NEW}:1, a created "
                               "file that is not built (x/Makefile names no new.o)")}
    assert link_problems(_variant(UnitLink(NEW, Link.LINKED, "x/Makefile:3 names new.o")), sources, entries) == {}


def test_code_of_a_module_of_its_own_is_not_claimed_linked_into_another_object() -> None:
    module = UnitLink(NEW, Link.LINKED, "x/Makefile:3 names new.o", module="x/Makefile:3 names new.o in obj-m")
    found = link_problems(_variant(module), (_source(NEW, _HELPER), _source("x/main.c", _ENTRY)),
                          (EntryPoint("entry", ("a",)),))
    kind, why = found["entry"]
    assert kind is ErrorKind.UNSUPPORTED and why.startswith(f"{LINK_UNKNOWN}entry() uses helper()")
    assert "a module of its own (x/Makefile:3 names new.o in obj-m)" in why
    assert link_problems(_variant(module), (_source(NEW, _HELPER + _ENTRY),), (EntryPoint("entry", ("a",)),)) == {}

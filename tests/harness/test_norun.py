"""Why a lane's code does not run in a state: a build that stops, said once per lane as an error group."""

from __future__ import annotations

from harness.errors import Where
from harness.linking import Link, UnitLink
from harness.norun import build_stops, error_group
from harness.patching import Finding
from harness.variants import Variant
from models.outcome import ErrorKind, Outcome, OutcomeStatus

GONE = UnitLink("x/old.c", Link.GONE, "x/Makefile:2 names old.o")


def _variant(links: tuple[UnitLink, ...], findings: tuple[Finding, ...] = ()) -> Variant:
    return Variant("v2", "a state", (), findings, (), (), "base", links=links)


def test_a_makefile_naming_a_removed_file_stops_every_build_unless_a_patch_did_not_apply() -> None:
    assert build_stops(_variant(())) is None
    assert build_stops(_variant((GONE,))) == (ErrorKind.BUILD, "build error: x/Makefile:2 names old.o")
    offset = Finding("x/a.c", "@@ -1 +1 @@", "placed 2 lines later", Where("p.mbox", 9), note=True)
    assert build_stops(_variant((GONE,), (offset,))) == (ErrorKind.BUILD, "build error: x/Makefile:2 names old.o")
    failed = Finding("x/Makefile", "@@ -2 +2 @@", "does not apply", Where("p.mbox", 12))
    kind, why = build_stops(_variant((GONE,), (offset, failed))) or (None, "")
    assert kind is ErrorKind.UNSUPPORTED
    assert why.startswith("not known to build: x/Makefile:2 names old.o; but a patch of this state does not apply")
    assert "(x/Makefile: does not apply)" in why


def test_an_error_group_is_made_once_per_key_with_an_outcome_per_scenario() -> None:
    ids: dict[tuple[int, str, str], int] = {(0, "code", "fmt"): 0}
    broken: dict[int, list[Outcome]] = {}
    first = error_group(ids, broken, (1, "\0stops", "why"), "why", ErrorKind.BUILD, 3)
    assert first == 1 and error_group(ids, broken, (1, "\0stops", "why"), "why", ErrorKind.BUILD, 3) == 1
    assert broken == {1: [Outcome(OutcomeStatus.ERROR, error="why", error_kind=ErrorKind.BUILD)] * 3}
    assert error_group(ids, broken, (2, "\0stops", "why"), "why", ErrorKind.BUILD, 1) == 2

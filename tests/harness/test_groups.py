"""Outcome groups' signature numbers: equal numbers only where classify finds no difference (compare skips it)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any, cast

import pytest

from harness.explain import classify, signature
from harness.groups import signature_numbers
from harness.matrixresult import MatrixResult
from models.machine import Event, LogLine, SeamCall
from models.outcome import ErrorKind, Limit, Outcome, OutcomeStatus, comparable

CALL = SeamCall("__seamcall", 1, "TDX module", 0, 0, False, (), "x.h:1")
BASE = Outcome(OutcomeStatus.OK, (CALL,), 0, "int", None, (LogLine("err", "A (1) failed"),), (), (), None)

# Another value of every field of an outcome. A field added to Outcome fails test_every_field_is_tried until it is
# given one here: harness.compare takes outcomes of equal signatures as differing in no class, so a field classify
# reads that the signature leaves out would hide a difference (a false "no behaviour change").
OTHER: dict[str, Any] = {
    "status": OutcomeStatus.ERROR,
    "calls": (CALL, CALL),
    "ret": -5,
    "ret_type": "long",
    "errno": "EIO",
    "log": (LogLine("err", "A (0x1) failed"),),
    "events": (Event("warning", "WARN_ON", "z:1"),),
    "regs_out": (("rcx", 1),),
    "error": "y.h:9: division by zero",
    "error_kind": ErrorKind.RUNTIME,
    "limits": (Limit.STEPS,),
    "unrecorded_calls": 3,
    "unrecorded_log": 2,
    "unrecorded_events": 1,
    "state": (("counter", "1"),),
    "log_open": True,
}
MOVED = dataclasses.replace(BASE, calls=(CALL._replace(where="elsewhere.h:99"),))  # where alone: no class


def test_every_field_is_tried() -> None:
    assert set(OTHER) == {f.name for f in dataclasses.fields(Outcome)}


@pytest.mark.parametrize("name", sorted(OTHER))
def test_a_difference_classify_finds_is_one_of_signature(name: str) -> None:
    other = dataclasses.replace(BASE, **{name: OTHER[name]})
    if comparable(BASE, other) and classify(BASE, other):
        assert signature(BASE) != signature(other)


def test_equal_signatures_share_a_number_once_per_outcome_number() -> None:
    res = cast(MatrixResult, SimpleNamespace(memo={}))
    number = signature_numbers(res)
    assert classify(BASE, MOVED) == () and number(0, BASE) == number(1, MOVED)
    other = dataclasses.replace(BASE, ret=-5)
    assert number(2, other) != number(0, BASE)
    assert signature_numbers(res)(2, other) == number(2, other)  # the result's one table
    assert number(2, BASE) == number(2, other)  # kept by the outcome's number (MatrixResult.outcome_numbers)


def test_runs_cut_short_keep_signatures_of_their_own_under_numbers_of_their_own() -> None:
    res = cast(MatrixResult, SimpleNamespace(memo={}))
    number = signature_numbers(res)
    cut = dataclasses.replace(BASE, status=OutcomeStatus.ERROR, limits=(Limit.TIME,))
    again = dataclasses.replace(cut)
    assert cut == again and not cut.ran
    assert number(3, cut) != number(4, again)  # equal, not one object: the same only as itself


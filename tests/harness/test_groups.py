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


def test_equal_signatures_share_a_number_once_per_outcome() -> None:
    res = cast(MatrixResult, SimpleNamespace(memo={}))
    number = signature_numbers(res)
    assert classify(BASE, MOVED) == () and number(BASE) == number(MOVED)
    other = dataclasses.replace(BASE, ret=-5)
    assert number(other) != number(BASE)
    assert signature_numbers(res)(other) == number(other)  # the result's one table


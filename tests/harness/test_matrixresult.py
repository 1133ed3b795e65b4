"""harness.matrixresult: outcome numbers (numbered, MatrixResult.outcome_numbers) stand for outcome objects."""

from __future__ import annotations

from types import SimpleNamespace

from harness.matrixresult import Lane, MatrixResult, numbered
from models.outcome import NOT_PROVIDED, Limit, Outcome, OutcomeStatus


def _ok(ret: int) -> Outcome:
    return Outcome(OutcomeStatus.OK, ret=ret)


def _cut() -> Outcome:
    return Outcome(OutcomeStatus.ERROR, error="out of time", limits=(Limit.TIME,))


def test_equal_outcomes_that_ran_are_one_object_and_one_number() -> None:
    a1, a2, b = _ok(0), _ok(0), _ok(1)
    assert a1 == a2 and a1 is not a2 and a1.ran
    groups, numbers = numbered([(a1, b), (a2, a1, b)])
    assert groups[0][0] is groups[1][0] is groups[1][1] is a1 and groups[1][2] is b
    assert numbers[0][0] == numbers[1][0] == numbers[1][1] and numbers[0][1] == numbers[1][2]
    assert numbers[0][0] != numbers[0][1]


def test_an_outcome_that_did_not_run_keeps_its_object_and_its_own_number() -> None:
    # harness.explain.signature: a run the time budget cut short is the same only as itself; a lane whose code does
    # not build holds one error outcome in every scenario (harness.norun.error_group): one object, one number.
    c1, c2 = _cut(), _cut()
    assert c1 == c2 and not c1.ran
    groups, numbers = numbered([(c1, c2, c1), (c1, NOT_PROVIDED)])
    assert groups == ((c1, c2, c1), (c1, NOT_PROVIDED)) and [o is c1 for o in groups[0]] == [True, False, True]
    assert numbers[0][0] == numbers[0][2] == numbers[1][0] != numbers[0][1]
    assert numbers[1][1] == -1  # NOT_PROVIDED's, as a lane no code group runs


def _result(groups: tuple[tuple[Outcome, ...], ...], numbers: tuple[tuple[int, ...], ...] = ()) -> MatrixResult:
    lanes = (Lane("f", "u.c", (0, 2)), Lane("g", "u.c", (1,)))
    return MatrixResult((SimpleNamespace(name="v1"),), SimpleNamespace(scenarios=(1, 2, 3)),  # type: ignore[arg-type]
                        lanes, 0, 0, 0, groups, {"v1": (0, -1)}, {}, numbers=numbers)


def test_a_result_reads_the_numbers_run_matrix_gave_and_numbers_not_provided_alike() -> None:
    a, b = _ok(0), _ok(1)
    res = _result(((a, b), (a,)), ((7, 9), (7,)))
    assert res.outcome_numbers(0, 0) == (7, 9) and res.outcome_numbers(1, 1) == (7,)
    assert res.outcome_numbers(1, -1) == (-1,) and res.outcome_numbers(0, -1) == (-1, -1)  # a lane's length


def test_a_result_made_without_numbers_numbers_its_outcome_objects() -> None:
    a1, a2, c = _ok(0), _ok(0), _cut()
    res = _result(((a1, c), (a2,), (a1,)))
    (x, y), (z,), (w,) = res.outcome_numbers(0, 0), res.outcome_numbers(1, 1), res.outcome_numbers(1, 2)
    assert len({x, y, z}) == 3 and w == x  # equal outcomes made apart: two numbers; one object: one


def test_numbers_of_a_variant_in_matrix_order() -> None:
    a, b = _ok(0), _ok(1)
    res = _result(((a, b), (a,)), ((7, 9), (7,)))
    assert res.numbers_of("v1") == (7, -1, 9)  # lane f at 0 and 2, lane g not provided
    assert res.outcomes_of("v1")[0] is a and res.numbers_of("v1") is res.numbers_of("v1")  # worked out once

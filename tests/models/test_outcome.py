"""Outcome as a value: equal outcomes hash alike, the kept hash never travels to another process."""

from __future__ import annotations

import pickle

from models.machine import LogLine, SeamCall
from models.outcome import Outcome, OutcomeStatus, outcome_from_dict, outcome_to_dict


def _outcome(ret: int) -> Outcome:
    call = SeamCall("__seamcall", 1, "tdx", 0, 0, False, (), "tdx.c:1")
    return Outcome(OutcomeStatus.OK, (call,), ret, "u64", None, (LogLine("err", "x"),))


def test_equal_outcomes_hash_alike_and_differing_ones_are_different_keys() -> None:
    a, b, c = _outcome(1), _outcome(1), _outcome(2)
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert {a: "a", c: "c"}[b] == "a"


def test_the_kept_hash_is_not_pickled() -> None:
    a = _outcome(1)
    hash(a)
    state = a.__getstate__()
    assert "_hash" not in state and "_hash" in a.__dict__
    back = pickle.loads(pickle.dumps(a))
    assert "_hash" not in back.__dict__
    assert back == a and hash(back) == hash(a)


def test_two_failed_builds_are_not_comparable_whatever_their_text() -> None:
    from models.outcome import ErrorKind, comparable, idle_sides

    def build(text: str) -> Outcome:
        return Outcome(OutcomeStatus.ERROR, error=text, error_kind=ErrorKind.BUILD)

    ok, unsupported = Outcome(OutcomeStatus.OK, ret=0), Outcome(OutcomeStatus.ERROR, error="x",
                                                                   error_kind=ErrorKind.UNSUPPORTED)
    same = build("link error: f() is defined at a.c:3")
    assert not comparable(same, same) and idle_sides(same, same) == (True, True)
    assert not comparable(same, build("link error: f() is defined at a.c:9"))
    assert comparable(ok, same) and idle_sides(ok, same) == (False, False)  # a build lost: a fact against a run
    assert not comparable(same, unsupported) and idle_sides(same, unsupported) == (False, True)
    assert comparable(ok, ok)


def test_ran_is_kept_at_init_with_the_value_the_property_gives() -> None:
    # Outcome.__post_init__ keeps ``ran`` in the instance (no cached_property lock at its first read): the same
    # value, for an outcome made by keyword, in field order, by dataclasses.replace() and read back from a pickle.
    import dataclasses

    from models.outcome import ErrorKind, Limit
    made = [_outcome(1), Outcome(OutcomeStatus.ERROR, error="x", error_kind=ErrorKind.RUNTIME),
            Outcome(OutcomeStatus.ERROR, error="x", error_kind=ErrorKind.UNSUPPORTED),
            Outcome(OutcomeStatus.ERROR, error="x", limits=(Limit.TIME,)), Outcome(OutcomeStatus.NOT_PROVIDED)]
    made.append(dataclasses.replace(made[0], limits=(Limit.TIME,)))
    for o in [*made, *(pickle.loads(pickle.dumps(o)) for o in made)]:
        assert "ran" in o.__dict__
        assert o.ran is Outcome.ran.func(o)  # type: ignore[attr-defined]  # the cached_property's own function
    assert [o.ran for o in made] == [True, True, False, False, False, False]


def test_records_as_json_arrays_with_repeats_counted_and_read_back() -> None:
    """A call's fields in CALL_FIELDS' order (its registers only when set), equal records in a row as one with
    their count, a lone record as it is; ret, ret_type and errno only when known."""
    a = SeamCall("__seamcall_ret", 5, "TDX module", 0, 0, False, (("cpu", 1),), "a.c:3")
    b = a._replace(returned=7, args=(("rcx", 2),))
    o = Outcome(OutcomeStatus.OK, calls=(a, a, b), ret=-5, ret_type="int", errno="EIO", log=(LogLine("3", "x\n"),))
    assert outcome_to_dict(o) == {
        "status": "ok",
        "calls": [["__seamcall_ret", 5, "TDX module", 0, 0, False, {"cpu": 1}, "a.c:3", 2],
                  ["__seamcall_ret", 5, "TDX module", 7, 0, False, {"cpu": 1}, "a.c:3", {"rcx": 2}]],
        "ret": -5, "ret_type": "int", "errno": "EIO", "log": [["3", "x\n"]]}
    assert list(outcome_to_dict(o)) == ["status", "calls", "ret", "ret_type", "errno", "log"]
    assert outcome_from_dict(outcome_to_dict(o)) == o
    one = Outcome(OutcomeStatus.OK, calls=(b,), ret=0)
    assert outcome_to_dict(one)["calls"] == [["__seamcall_ret", 5, "TDX module", 7, 0, False, {"cpu": 1}, "a.c:3",
                                               {"rcx": 2}]] and outcome_to_dict(one)["ret"] == 0
    assert outcome_from_dict(outcome_to_dict(one)) == one

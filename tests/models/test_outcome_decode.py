"""outcome_from_dict reads what outcome_to_dict writes, as the decoder it replaced did.

outcome_from_dict reads what outcome_to_dict writes (repeated records as one with a count, a call's args left out
when none is set) as the decoder it replaced did: that one, kept here, is the oracle."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from models.machine import Event, LogLine, SeamCall
from models.outcome import (
    CALL_FIELDS,
    EVENT_FIELDS,
    ErrorKind,
    Limit,
    Outcome,
    OutcomeStatus,
    outcome_from_dict,
    outcome_to_dict,
)


def _unruns(items: list[list[Any]], width: int) -> list[list[Any]]:
    return [item[:width] for item in items for _ in range(item[width] if len(item) > width else 1)]


def _with_args(call: list[Any]) -> list[Any]:
    if len(call) > 8 and isinstance(call[8], dict):
        return call
    return [*call[:8], {}, *call[8:]]


def _old_from_dict(d: dict[str, Any]) -> Outcome:
    calls = tuple(SeamCall(c[0], c[1], c[2], c[3], c[4], c[5], tuple(c[6].items()), c[7], tuple(c[8].items()))
                  for c in _unruns([_with_args(c) for c in d.get("calls", [])], len(CALL_FIELDS)))
    more = d.get("unrecorded", {})
    return Outcome(OutcomeStatus(d["status"]), calls, d.get("ret"), d.get("ret_type"), d.get("errno"),
                   tuple(LogLine(x[0], x[1]) for x in _unruns(d.get("log", []), 2)),
                   tuple(Event(e[0], e[1], e[2]) for e in _unruns(d.get("events", []), len(EVENT_FIELDS))),
                   tuple(d.get("regs_out", {}).items()), d.get("error"), d.get("error_kind"),
                   tuple(Limit(x) for x in d.get("limits", ())),
                   int(more.get("calls", 0)), int(more.get("log", 0)), int(more.get("events", 0)),
                   tuple((str(x[0]), str(x[1])) for x in d.get("state", ())), bool(d.get("log_open", False)))


_names = st.sampled_from(["a", "rcx", "seamldr_err", "x<y>"])
_calls = st.builds(SeamCall, _names, st.sampled_from([1, 5, 1 << 63]), st.sampled_from(["TDX module", "P-SEAMLDR"]),
                   st.integers(-3, 3), st.integers(0, 2), st.booleans(),
                   st.lists(st.tuples(_names, st.integers(0, 9)), max_size=2, unique_by=lambda x: x[0]).map(tuple),
                   st.just("f.c:1"),
                   st.lists(st.tuples(_names, st.integers(1, 9)), max_size=2, unique_by=lambda x: x[0]).map(tuple))
_log = st.builds(LogLine, st.sampled_from(["err", "info"]), st.sampled_from(["x", "y: 0x5", ""]))
_events = st.builds(Event, st.sampled_from(["lock", "irq"]), st.sampled_from(["on", "off"]), st.just("f.c:2"))


def _repeated(records: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    """Records with runs of equal ones, which outcome_to_dict writes once with a count."""
    return st.lists(st.tuples(records, st.integers(1, 4)), max_size=4).map(
        lambda runs: tuple(r for r, n in runs for _ in range(n)))


_outcomes = st.builds(Outcome, st.sampled_from(list(OutcomeStatus)), _repeated(_calls),
                      st.none() | st.integers(-5, 5), st.none() | st.just("int"), st.none() | st.just("EIO"),
                      _repeated(_log), _repeated(_events), st.just((("rax", 1),)) | st.just(()),
                      st.none() | st.just("stopped"), st.none() | st.sampled_from(list(ErrorKind)),
                      st.lists(st.sampled_from(list(Limit)), max_size=2, unique=True).map(tuple),
                      st.integers(0, 3), st.integers(0, 3), st.integers(0, 3),
                      st.just(()) | st.just((("v", "1"),)), st.booleans())


@given(_outcomes)
def test_decoded_as_the_old_decoder(o: Outcome) -> None:
    d = outcome_to_dict(o)
    got = outcome_from_dict(d)
    assert got == _old_from_dict(d) == o
    assert got.calls == o.calls and got.log == o.log and got.events == o.events  # every field, counts undone


def test_counted_records_are_repeated() -> None:
    call = ["f", 1, "TDX module", -1, 1, False, {"c": 2}, "f.c:1"]
    d = {"status": "ok", "calls": [[*call, 3], [*call, {"rcx": 4}], [*call, {"rcx": 4}, 2]],
         "log": [["err", "x", 2], ["info", "y"]], "events": [["lock", "on", "f.c:2", 3]]}
    o = outcome_from_dict(d)
    assert o == _old_from_dict(d)
    assert [c.args for c in o.calls] == [(), (), (), (("rcx", 4),), (("rcx", 4),), (("rcx", 4),)]
    assert [x.text for x in o.log] == ["x", "x", "y"] and len(o.events) == 3


def test_calls_apart_only_in_the_order_of_their_per_cpu_values_or_args_stay_apart() -> None:
    # Hypothesis found it: the two calls were written as one record with a count (their per-CPU values and args as
    # JSON objects are equal in any order), so the second read back as a copy of the first.
    a = SeamCall("f", 1, "TDX module", 0, 0, False, (("x", 1), ("y", 2)), "f.c:1", (("rcx", 1), ("rdx", 2)))
    for b in (a._replace(percpu=(("y", 2), ("x", 1))), a._replace(args=(("rdx", 2), ("rcx", 1)))):
        o = Outcome(OutcomeStatus.OK, (a, b, b))
        d = outcome_to_dict(o)
        assert len(d["calls"]) == 2 and d["calls"][1][-1] == 2, d["calls"]
        assert outcome_from_dict(d).calls == (a, b, b)

"""One vocabulary for a run's events: comparison notes, the crosscheck's difference and the page's event list."""

from __future__ import annotations

from harness.crosscheck import first_divergence
from harness.explain import explain_effects, trace_detail
from harness.reportview import GroupBody, OutcomeView
from models.machine import Event
from models.outcome import Outcome, OutcomeStatus
from reports.html_report import _body_html

COUNT = (Event("preempt", "count 1", "a.c:3"), Event("lock", "l acquired", "a.c:4"))


def _run(*events: Event, unrecorded: int = 0) -> Outcome:
    return Outcome(OutcomeStatus.OK, (), 0, "int", None, (), events, unrecorded_events=unrecorded)


def test_crosscheck_names_a_differing_event_as_comparisons_do() -> None:
    # Before: 'event 2: mirror lock: l acquired, native preempt: count 2', and a run with fewer events only
    # 'events: mirror 1, native 2'.
    other = _run(COUNT[0], Event("preempt", "count 2", "native"))
    assert first_divergence(_run(*COUNT), other) == \
        "event 2: mirror lock l acquired, native preempt count becomes 2"
    assert first_divergence(_run(COUNT[0]), _run(*COUNT)) == \
        "event 2: mirror none (the run ended after 1 event), native lock l acquired"
    assert first_divergence(_run(*COUNT, unrecorded=3), _run(*COUNT, unrecorded=5)) == \
        "events past the 2 recorded: mirror 3 more, native 5 more"


def test_the_page_lists_events_in_the_same_words() -> None:
    body = _body_html(GroupBody(OutcomeView(_run(*COUNT, Event("rcu", "depth 1", "a.c:5")), "said", "0"), ()))
    assert "<code>preempt count becomes 1</code> <code>lock l acquired</code> " \
           "<code>RCU read-side depth becomes 1</code>" in body, body
    assert "preempt: count" not in body


def test_a_count_of_unrecorded_events_is_not_trace_detail() -> None:
    # Before: trace_detail read the note's first word, and 'events not recorded 3 -> 5' (a count, like one more
    # SEAMCALL) was sorted after what the code does with the trace's detail.
    [count] = explain_effects(_run(*COUNT, unrecorded=3), _run(*COUNT, unrecorded=5))
    assert count == "events not recorded 3 -> 5"
    assert not trace_detail(count)
    [order] = explain_effects(_run(*COUNT), _run(*reversed(COUNT)))
    [kinds] = explain_effects(_run(*COUNT), _run())
    assert trace_detail(order) and trace_detail(kinds), (order, kinds)
    assert not trace_detail("events recorded: warnings -> none")  # the words alone do not make a note trace detail

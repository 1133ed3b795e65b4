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
    assert "<code>preempt count becomes 1</code>, <code>lock l acquired</code>, " \
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


def test_a_block_of_events_that_recurs_is_shown_once_with_its_count() -> None:
    # Before: ten retries' events were thirty items in a row on the page, to be counted by eye.
    from harness.eventwords import repeats

    retry = (Event("preempt", "count 1", "a.c:3"), Event("percpu-write", "x = 1", "a.c:4"),
             Event("preempt", "count 0", "a.c:5"))
    words = ("preempt count becomes 1", "per-CPU write x = 1", "preempt count becomes 0")
    assert repeats(retry * 10) == [(words, 10)]
    assert repeats(retry) == [((w,), 1) for w in words]
    assert repeats((retry[0], *retry * 2, retry[2])) == [((words[0],), 1), (words, 2), ((words[2],), 1)]
    body = _body_html(GroupBody(OutcomeView(_run(*retry * 10, unrecorded=4), "said", "0"), ()))
    # Commas between the events (spaces alone ran 'becomes 1 per-CPU write' together), as the notes have.
    assert body.endswith("events: 10 &times; ( <code>preempt count becomes 1</code>, <code>per-CPU write x = 1</code>, "
                         "<code>preempt count becomes 0</code> ), and 4 more, not recorded"), body
    body = _body_html(GroupBody(OutcomeView(_run(retry[0], *retry * 2, retry[2]), "said", "0"), ()))
    assert body.endswith("events: <code>preempt count becomes 1</code>, 2 &times; ( "
                         "<code>preempt count becomes 1</code>, <code>per-CPU write x = 1</code>, "
                         "<code>preempt count becomes 0</code> ), <code>preempt count becomes 0</code>"), body


def test_a_body_not_provided_says_why() -> None:
    # Before: 'not provided' alone, which the page did not explain.
    assert _body_html(GroupBody(OutcomeView(Outcome(OutcomeStatus.NOT_PROVIDED), "said", "-"), ())) == \
        "not provided (these variants lack this entry point)"


def test_the_state_a_seamcall_was_made_in_is_said_as_such() -> None:
    # Before: '10 SEAMCALLs (TDX module, preempt count 1, x=1)', as though the count were the module's.
    from models.machine import SeamCall

    call = SeamCall("f", 1, "TDX module", 0, 1, False, (("x", 1),), "f.c:3")
    one = Outcome(OutcomeStatus.OK, (call,), 0, "int")
    ten = Outcome(OutcomeStatus.OK, (call,) * 10, 0, "int")
    assert _body_html(GroupBody(OutcomeView(one, "said", "0"), ())).startswith(
        "1 SEAMCALL (TDX module; made with preempt count 1, x = 1)")
    assert _body_html(GroupBody(OutcomeView(ten, "said", "0"), ())).startswith(
        "10 SEAMCALLs (TDX module; all made with preempt count 1, x = 1)")  # each recorded call alike
    bare = Outcome(OutcomeStatus.OK, (SeamCall("f", 1, "TDX module", 0, 0, False, (), "f.c:3"),), 0, "int")
    # A count of 0 is said too (was '1 SEAMCALL (TDX module)': 0 read as not recorded).
    assert _body_html(GroupBody(OutcomeView(bare, "said", "0"), ())).startswith(
        "1 SEAMCALL (TDX module; made with preempt count 0) ")

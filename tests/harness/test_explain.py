"""Comparing outcomes that hit a limit: cut records compare with their counts; a run cut short is never "the same"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.explain import DiffClass, classify, describe, explain, signature
from models.machine import LogLine, SeamCall
from models.mirror import ErrorKind, Limit, Outcome, OutcomeStatus, out_of_time

CALL = SeamCall("__seamcall", 1, "TDX module", 0, 0, False, (), "x.h:1")
FULL = Outcome(OutcomeStatus.OK, (CALL,) * 100, 0, "int", None, (LogLine("err", "x"),) * 3)
CUT = replace(FULL, limits=(Limit.CALLS,), unrecorded_calls=5)


def test_a_cut_outcome_is_never_the_same_as_a_complete_one() -> None:
    assert classify(FULL, CUT) == (DiffClass.CALLS,)
    assert signature(FULL) != signature(CUT)
    assert explain(FULL, CUT, (DiffClass.CALLS,)) == ["TDX module SEAMCALLs 100 -> 105"]


def test_two_cut_outcomes_compare_on_records_and_counts() -> None:
    same = replace(CUT)
    assert same is not CUT and classify(CUT, same) == () and signature(CUT) == signature(same)
    more = replace(CUT, unrecorded_calls=6)
    assert classify(CUT, more) == (DiffClass.CALLS,) and signature(CUT) != signature(more)
    other_record = replace(CUT, calls=(CALL._replace(returned=5), *CUT.calls[1:]))
    assert classify(CUT, other_record) == (DiffClass.CALLS,)


def test_unrecorded_log_lines_and_events_count() -> None:
    log_cut = replace(FULL, limits=(Limit.LOG,), unrecorded_log=2)
    assert classify(FULL, log_cut) == (DiffClass.LOG,)
    assert explain(FULL, log_cut, (DiffClass.LOG,)) == ["log: past the first 3 lines: no more lines -> 2 more lines"]
    events_cut = replace(FULL, limits=(Limit.EVENTS,), unrecorded_events=1)
    assert classify(FULL, events_cut) == (DiffClass.SIDE_EFFECTS,)


@pytest.mark.parametrize("other", [FULL, CUT, out_of_time("not run: budget"),
                                   Outcome(OutcomeStatus.ERROR, error="e", error_kind=ErrorKind.RUNTIME)])
def test_a_run_cut_short_by_time_is_unknown(other: Outcome) -> None:
    cut = out_of_time("not run: budget")
    assert classify(cut, other) == (DiffClass.LIMIT,) and classify(other, cut) == (DiffClass.LIMIT,)
    assert signature(cut) != signature(other)
    assert classify(cut, cut) == () and signature(cut) == signature(cut)
    side = "both runs were" if not other.ran else "the run after was"
    assert explain(other, cut, (DiffClass.LIMIT,)) == [f"unknown: {side} cut short (not run: budget)"]


def test_not_provided_stays_a_provided_difference() -> None:
    assert classify(Outcome(OutcomeStatus.NOT_PROVIDED), out_of_time("t")) == (DiffClass.PROVIDED,)


def test_describe_counts_what_was_not_recorded() -> None:
    stopped = Outcome(OutcomeStatus.ERROR, (CALL,) * 100, error="x.h:3: loop still running",
                      limits=(Limit.STEPS, Limit.CALLS), unrecorded_calls=99_896)
    assert describe(stopped) == ("error: x.h:3: loop still running; limits: steps, calls "
                                 "(... and 99,896 more SEAMCALLs)")
    assert describe(CUT).startswith("105 SEAMCALLs (TDX module), returns 0")
    assert describe(FULL) == "100 SEAMCALLs (TDX module), returns 0, logs 'x'"


def test_the_registers_a_seamcall_is_given_are_part_of_its_behaviour() -> None:
    # A patch that hands the TDX module another rcx changes what the module does, whatever it answers.
    a = Outcome(OutcomeStatus.OK, (CALL._replace(args=(("rcx", 5),)),), 0, "int")
    b = Outcome(OutcomeStatus.OK, (CALL._replace(args=(("rcx", 6), ("rdx", 1))),), 0, "int")
    assert classify(a, b) == (DiffClass.CALLS,) and signature(a) != signature(b)
    assert explain(a, b, (DiffClass.CALLS,)) == ["SEAMCALL 1: registers passed in rcx=0x5 -> rcx=0x6, rdx=0x1"]


def test_events_in_another_order_are_explained() -> None:
    from harness.explain import explain_effects
    from models.machine import Event

    write, enable = Event("percpu-write", "x = 1", "a.c:3"), Event("preempt", "enabled", "a.c:4")
    a = Outcome(OutcomeStatus.OK, (), 0, "int", None, (), (write, enable))
    b = Outcome(OutcomeStatus.OK, (), 0, "int", None, (), (enable, write))
    assert explain_effects(a, b) == ["event 1 differs first: per-CPU write x = 1 -> preempt: enabled"]


def test_an_event_note_reads_as_what_the_kernel_did() -> None:
    # Before: 'event 4: none -> preempt: count 1' and 'events percpu-write, preempt -> none', the model's own tags.
    from harness.explain import explain_effects, trace_detail
    from models.machine import Event

    off = (Event("preempt", "count 1", "a.c:3"), Event("lock", "l acquired", "a.c:4"),
           Event("irq", "disabled", "a.c:5"))
    a = Outcome(OutcomeStatus.OK, (), 0, "int", None, (), off)
    b = Outcome(OutcomeStatus.OK, (), 0, "int", None, (), (*off, Event("preempt", "count 2", "a.c:6")))
    assert explain_effects(a, b) == ["event 4 differs first: none (the run ended after 3 events) -> preempt count "
                                     "becomes 2"]
    write = Outcome(OutcomeStatus.OK, (), 0, "int", None, (), (Event("percpu-write", "x = 1", "a.c:3"), *off[:1]))
    quiet = Outcome(OutcomeStatus.OK, (), 0, "int", None, (), ())
    [note] = explain_effects(write, quiet)
    assert note == "events recorded: per-CPU writes, preempt count changes -> none", note
    assert trace_detail(note) and trace_detail(explain_effects(a, b)[0])


def test_state_of_two_files_copies_of_one_name_is_shown_whole() -> None:
    # Two .c files' own static nr (models.cload): a dict would keep one of them and could say nothing.
    from harness.explain import _state

    a = Outcome(OutcomeStatus.OK, state=(("nr", "1"), ("nr", "7")))
    b = Outcome(OutcomeStatus.OK, state=(("nr", "1"), ("nr", "8")))
    assert _state(a.state, b.state) == "nr 1, nr 7 -> nr 1, nr 8"


@pytest.mark.parametrize("site", ["seamcall_err::pr_err_ratelimited()", "f::pr_warn_once()#2", "f::printk_once()"])
def test_a_printk_sites_once_or_ratelimit_state_is_the_logs(site: str) -> None:
    # pr_err() -> pr_err_ratelimited(): the static that rate-limits the site only decides what later calls print,
    # so a rule that sets the log aside ("log text aside") sets it aside too; a static of the code's own does not.
    printed = replace(FULL, state=((site, "1"),))
    assert classify(FULL, printed) == (DiffClass.LOG,)
    assert explain(FULL, printed, (DiffClass.LOG,)) == [f"log: state left behind {site} initial -> 1"]
    own = replace(FULL, state=(("f::retried", "1"), ("f::WARN_ONCE()", "1")))
    assert classify(FULL, own) == (DiffClass.SIDE_EFFECTS,)
    assert signature(FULL) != signature(printed)


def test_preempt_counts_at_seamcall_read_as_numbers() -> None:
    # "preempt count at SEAMCALL [1] -> [0]" showed Python lists.
    from harness.explain import explain_effects

    held = Outcome(OutcomeStatus.OK, (CALL._replace(preempt_count=1),), 0, "int")
    free = Outcome(OutcomeStatus.OK, (CALL,), 0, "int")
    mixed = Outcome(OutcomeStatus.OK, (CALL, CALL._replace(preempt_count=1), CALL._replace(preempt_count=2)), 0, "int")
    assert explain_effects(held, free) == ["preempt count at SEAMCALL 1 -> 0"]
    assert explain_effects(free, mixed) == ["preempt count at SEAMCALL 0 -> 0, 1 or 2"]


def test_no_errno_is_said_as_rules_say_it() -> None:
    # Before: 'errno EIO -> -' and 'errno - -> EIO', a dash a reader had to guess; rules' expect.errno says "none".
    a = Outcome(OutcomeStatus.OK, (), -5, "int", "EIO")
    b = Outcome(OutcomeStatus.OK, (), 0, "int", None)
    assert explain(a, b, (DiffClass.ERRNO,)) == ["errno EIO -> none"]
    assert explain(b, a, (DiffClass.ERRNO,)) == ["errno none -> EIO"]


def test_a_returned_errno_is_one_change_said_in_kernel_terms() -> None:
    # Before: 'return -5 -> 0' and 'errno EIO -> none' for one change, and 'returns -5 (-EIO)'.
    from harness.explain import show_ret

    failed = Outcome(OutcomeStatus.OK, (), -5, "int", "EIO")
    ok = Outcome(OutcomeStatus.OK, (), 0, "int", None)
    assert explain(failed, ok, classify(failed, ok)) == ["return -EIO -> 0"]
    assert explain(ok, failed, classify(ok, failed)) == ["return 0 -> -EIO"]
    assert show_ret(Outcome(OutcomeStatus.OK, (), -600, "int", None)) == "-600"  # no errno of that number
    assert describe(failed) == "0 SEAMCALLs, returns -EIO"
    from harness.crosscheck import first_divergence
    assert first_divergence(failed, ok) == "return: mirror -EIO, native 0"  # was 'mirror -5 (EIO), native 0 (None)'


def test_per_cpu_state_at_a_seamcall_is_said_as_the_events_say_it() -> None:
    # Before: 'per-CPU state at SEAMCALL cache_state_incoherent=1 -> none' beside the page's and the events'
    # 'cache_state_incoherent = 1'.
    from harness.explain import explain_effects

    dirty = Outcome(OutcomeStatus.OK, (CALL._replace(percpu=(("cache_state_incoherent", 1),)),), 0, "int")
    clean = Outcome(OutcomeStatus.OK, (CALL,), 0, "int")
    assert explain_effects(dirty, clean) == ["per-CPU state at SEAMCALL cache_state_incoherent = 1 -> none"]


def test_interrupts_at_a_seamcall_are_said_when_they_differ() -> None:
    # The same irq events, the SEAMCALL made before local_irq_disable() on one side and after it on the other: a
    # side-effect difference with no note at all (the state at the SEAMCALL counted, but only the preempt count and
    # per-CPU values were said).
    from models.machine import Event

    events = (Event("irq", "disabled", "a.c:3"), Event("irq", "enabled", "a.c:5"))
    inside = Outcome(OutcomeStatus.OK, (CALL._replace(irqs_disabled=True),), 0, "int", events=events)
    outside = Outcome(OutcomeStatus.OK, (CALL,), 0, "int", events=events)
    assert classify(inside, outside) == (DiffClass.SIDE_EFFECTS,)
    assert explain(inside, outside, classify(inside, outside)) == ["interrupts at SEAMCALL disabled -> enabled"]


def test_a_bool_return_is_said_as_true_or_false() -> None:
    # Before: 'returns 1' and 'return -EIO -> 1' for a function returning bool (is_seamldr_call()).
    from harness.explain import show_ret

    yes = Outcome(OutcomeStatus.OK, (), 1, "_Bool")
    assert show_ret(yes) == "true" and show_ret(Outcome(OutcomeStatus.OK, (), 0, "bool")) == "false"
    assert describe(yes) == "0 SEAMCALLs, returns true"
    failed = Outcome(OutcomeStatus.OK, (), -5, "int", "EIO")
    assert explain(failed, yes, classify(failed, yes)) == ["return -EIO -> true"]
    zero = Outcome(OutcomeStatus.OK, (), 0, "int")
    assert explain(zero, Outcome(OutcomeStatus.OK, (), 0, "_Bool"), (DiffClass.RETURN,)) == \
        ["return 0 (int) -> false (_Bool)"]


@pytest.mark.parametrize(("edit", "said"), [
    # a wrapper that called __seamcall_ret() now calls __seamcall(), same leaf: it read "differ in leaf or component"
    ({"function": "__seamcall"}, "SEAMCALL 2: __seamcall_ret -> __seamcall"),
    ({"leaf": 0x8000000000000000, "component": "P-SEAMLDR"},
     "SEAMCALL 2: leaf 0x21 -> 0x8000000000000000, TDX module -> P-SEAMLDR"),
    ({"returned": 0x8000020300000000}, "SEAMCALL 2: answered 0x0 -> 0x8000020300000000"),
])
def test_seamcalls_equally_many_say_what_differs_in_the_first_that_does(edit: dict[str, object], said: str) -> None:
    first = SeamCall("__seamcall", 32, "TDX module", 0, 0, False, (), "x.h:1")
    second = SeamCall("__seamcall_ret", 33, "TDX module", 0, 0, False, (), "x.h:2")
    a = Outcome(OutcomeStatus.OK, (first, second), 0, "int")
    b = replace(a, calls=(first, second._replace(**edit)))  # type: ignore[arg-type]
    assert classify(a, b) == (DiffClass.CALLS,)
    assert explain(a, b, (DiffClass.CALLS,)) == [said]

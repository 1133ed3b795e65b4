"""Plan.check: what a call did counts against an operand that calls nothing only where it stored to memory."""

from __future__ import annotations

from models.seqaccess import ANY_COUNTER, CALL, Access, Plan

_NONE: frozenset[str] = frozenset()
LOAD = Access(shared=True)  # `h->dev` as an assignment's target: a load through a pointer, no call
STATE = (True, False, True, False, _NONE, _NONE)  # the call changed the kernel's state (IRQs off), not memory
MEMORY = (True, False, True, True, _NONE, _NONE)  # ... and stored to memory the code can load
UNMEASURED = (True, True, True, True, ANY_COUNTER, _NONE)


def _plan(*static: Access) -> Plan:
    return Plan("f.c:3", "why", (), static)


def test_a_load_beside_a_call_changing_state_alone_does_not_depend_on_their_order() -> None:
    assert _plan(LOAD, CALL).check([UNMEASURED, STATE]) is None


def test_a_load_beside_a_call_storing_to_memory_does() -> None:
    assert _plan(LOAD, CALL).check([UNMEASURED, MEMORY]) == "why"


def test_two_calls_of_which_one_changed_state_do() -> None:
    # the other call may read that state (this_cpu_ptr()'s check of preemption and IRQs)
    assert _plan(CALL | LOAD, CALL).check([(False, False, True, False, _NONE, _NONE), STATE]) == "why"

"""The machine of a run keeps its state in slots: a name it does not declare is an error, not a new attribute."""

from __future__ import annotations

import pytest

from models.machine import Machine


def test_machine_state_is_its_declared_fields() -> None:
    m = Machine((), budget=5)
    assert not hasattr(m, "__dict__") and m.budget == 5 and m.function == "" and m.calls.cap == m.max_records
    with pytest.raises(AttributeError):
        m.stpes = 1  # type: ignore[attr-defined]  # a misspelt field is refused


def test_each_machine_has_containers_of_its_own() -> None:
    """The containers are made by __init__ (init=False fields), fresh for every run, its records capped as asked."""
    a, b = Machine((), max_records=3), Machine(())
    assert a.calls.cap == a.log.cap == a.events.cap == 3 and b.calls.cap == b.max_records
    for name in ("percpu", "locks", "nesting", "once", "calls", "log", "events", "warned", "globals", "initial",
                 "units", "functions", "ran", "seq_stack", "percpu_live", "percpu_bytes", "lock_names"):
        assert getattr(a, name) is not getattr(b, name) and not getattr(a, name), name
    sites = {"a.c:1:1": "f::pr_err_once()"}
    assert Machine((), once_sites=sites).once_sites is sites  # the compiler's, shared with its runs

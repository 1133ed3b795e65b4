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



def test_a_runs_records_and_structs_are_made_without_super_objects() -> None:
    """Record.append and StructObj() ran super(): an object made for every SEAMCALL, log line, event and struct of
    every run (15 M instructions of the corpus' empty-cache eval). They call list's and dict's own now, the same."""
    from models.capped import Record
    from models.ctype import Struct
    from models.machine import StructObj

    assert "super" not in Record.append.__code__.co_names and "super" not in StructObj.__init__.__code__.co_names
    kept: Record[int] = Record(2)
    for n in range(3):
        kept.append(n)
    inner = StructObj(Struct("in", ()), {})
    outer = StructObj(Struct("out", (("m", Struct("in", ())),)), {"m": inner, "x": 1})
    assert (list(kept), kept.dropped, kept.seen) == ([0, 1], 1, 3)
    assert dict(outer) == {"m": inner, "x": 1} and inner.container == (outer, "m")

"""Coverage marks: a block notes each statement's start as the statement runs, and no statement it skips."""

from __future__ import annotations

from typing import Any

from models.marks import decided, marked_sequence, recorded
from models.values import Frame


class _Machine:
    def __init__(self) -> None:
        self.ran: set[str] = set()
        self.order: list[str] = []


def _frame() -> Any:
    f: Any = Frame.__new__(Frame)
    f.m = _Machine()
    return f


def test_block_notes_each_start_before_its_statement_and_stops_at_a_signal() -> None:
    f = _frame()

    def step(name: str, sig: Any = None) -> Any:
        def run(fr: Any) -> Any:
            assert name in fr.m.ran  # noted before it runs, as recorded() does
            fr.m.order.append(name)
            return sig
        return run

    block = marked_sequence([("a:1:1", step("a:1:1")), ("a:2:1", step("a:2:1", "ret")), ("a:3:1", step("a:3:1"))])
    assert block(f) == "ret"
    assert f.m.ran == {"a:1:1", "a:2:1"} and f.m.order == ["a:1:1", "a:2:1"]
    g = _frame()
    assert recorded(step("b:1:1", 7), "b:1:1")(g) == 7 and g.m.ran == {"b:1:1"}


def test_decision_notes_its_site_and_tagged_site() -> None:
    f = _frame()
    test = decided(lambda fr: 0, "?a:1:5", "?a:1:5~3")
    assert test(f) == 0 and f.m.ran == {"?a:1:5:F", "?a:1:5~3:F"}
    assert decided(lambda fr: 2, "?a:1:5", "?a:1:5~3")(f) == 2
    assert f.m.ran == {"?a:1:5:F", "?a:1:5~3:F", "?a:1:5:T", "?a:1:5~3:T"}

"""Coverage marks: a block notes each statement's start as the statement runs, and no statement it skips."""

from __future__ import annotations

from typing import Any

from pycparser import c_parser

from models.marks import branch, decided, decision_sites, marked_sequence, recorded
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

    block = marked_sequence([("a:1:1", step("a:1:1"), False), ("a:2:1", step("a:2:1", "ret"), False),
                             ("a:3:1", step("a:3:1"), False)])
    assert block(f) == "ret"
    assert f.m.ran == {"a:1:1", "a:2:1"} and f.m.order == ["a:1:1", "a:2:1"]
    g = _frame()
    assert recorded(step("b:1:1", 7), "b:1:1")(g) == 7 and g.m.ran == {"b:1:1"}


def test_block_drops_an_expression_statements_value_and_notes_its_own_start_first() -> None:
    f = _frame()

    def step(name: str, value: Any = None) -> Any:
        def run(fr: Any) -> Any:
            assert name in fr.m.ran and "a:1:0" in fr.m.ran
            fr.m.order.append(name)
            return value
        return run

    block = marked_sequence([("a:2:1", step("a:2:1", 5), True), ("a:3:1", step("a:3:1", "ret"), False),
                             ("a:4:1", step("a:4:1"), True)], head="a:1:0")
    assert block(f) == "ret"  # the value 5 of an expression statement is no signal; a statement's is
    assert f.m.ran == {"a:1:0", "a:2:1", "a:3:1"} and f.m.order == ["a:2:1", "a:3:1"]


def test_decision_notes_its_site_and_tagged_site() -> None:
    f = _frame()
    test = decided(lambda fr: 0, "?a:1:5", "?a:1:5~3")
    assert test(f) == 0 and f.m.ran == {"?a:1:5:F", "?a:1:5~3:F"}
    assert decided(lambda fr: 2, "?a:1:5", "?a:1:5~3")(f) == 2
    assert f.m.ran == {"?a:1:5:F", "?a:1:5~3:F", "?a:1:5:T", "?a:1:5~3:T"}


def test_if_notes_its_decision_and_the_branch_it_takes() -> None:
    sites = ("?a:1:5", "?a:1:5~3")
    then, other = ("a:2:1", lambda fr: "then"), ("a:3:1", lambda fr: "else")
    f = _frame()
    assert branch(lambda fr: 1, sites, then, other)(f) == "then"
    assert f.m.ran == {"?a:1:5:T", "?a:1:5~3:T", "a:2:1"}
    f = _frame()
    assert branch(lambda fr: 0, sites, then, other)(f) == "else"
    assert f.m.ran == {"?a:1:5:F", "?a:1:5~3:F", "a:3:1"}
    f = _frame()
    assert branch(lambda fr: 0, sites, then, None)(f) is None and f.m.ran == {"?a:1:5:F", "?a:1:5~3:F"}


def test_decision_sites_are_kept_as_decided() -> None:
    cond = c_parser.CParser().parse("int f(int a, int b) { return a && b; }", "a.c").ext[0].body.block_items[0].expr
    starts: set[str] = set()
    site, tagged = decision_sites("a.c:1", cond, starts)
    assert (site, tagged) == ("?a.c:1:30", "?a.c:1:30~3") and starts == {"?a.c:1:30:D", "?a.c:1:30~3:D"}

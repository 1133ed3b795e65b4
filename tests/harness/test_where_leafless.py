"""Where a comparison's facts hold: an entry point fed no leaf is said by its scripts.

Where a comparison's facts hold, as its summary says it: an entry point fed no leaf is said by its scripts, never
by the leaves its runs stood for, and the event trace's detail comes after what the code does (harness.comparison)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.comparison import Comparison, where_seen
from harness.eventwords import TraceNote
from harness.explain import DiffClass, Difference
from harness.matrix import Matrix, Scenario, load_matrix

_MATRIX = """\
[codes]
OK = 0
BUSY = 0x8000000000000010

[leaves]
T_ONE = 1
T_TWO = 2
L_ONE = 0x8000000000000001
L_TWO = 0x8000000000000002

[[unit]]
name = "demo.c"
path = "demo/demo.c"

[[entry]]
name = "demo_prerr"

[[entry]]
name = "demo_enable"
args = []

[[script]]
name = "ok"
answers = ["OK"]

[[script]]
name = "busy"
answers = ["BUSY", "OK"]

[[script]]
name = "loader-busy"
answers = ["BUSY", "OK"]
leaves = ["L_ONE", "L_TWO"]
"""


def _matrix(tmp_path: Path) -> Matrix:
    (tmp_path / "m.toml").write_text(_MATRIX)
    return load_matrix(tmp_path / "m.toml")


def _of(m: Matrix, entry: str, script: str) -> list[Scenario]:
    return [s for s in m.scenarios if s.entry.name == entry and s.script.name == script]


def _universe(m: Matrix) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(m.leaves), frozenset(s.name for s in m.scripts)


def test_an_entry_point_fed_no_leaf_is_said_by_its_scripts(tmp_path: Path) -> None:
    # demo_enable() issues its own leaf: it runs once per kind of leaf, under T_ONE and L_ONE. The summary said
    # '[T_ONE, L_ONE x busy]', as though it had issued L_ONE; then '[all leaves x busy]' and, of a script one kind
    # takes, '[as for L_ONE, L_TWO x loader-busy]': of a wrapper issuing SEAMLDR_INFO whatever it stood for, '[as
    # for TDH_SYS_INIT, TDH_SYS_LP_INIT x ...; as for SEAMLDR_INFO, ...]', leaves it never issued. What ran: its own
    # leaf, under each script.
    m = _matrix(tmp_path)
    busy = _of(m, "demo_enable", "busy")
    assert [(s.leaf_name, s.stands_for) for s in busy] == [("T_ONE", ("T_TWO",)), ("L_ONE", ("L_TWO",))]
    assert where_seen(busy, _universe(m)) == "its own leaf x busy"
    assert where_seen(_of(m, "demo_enable", "loader-busy"), _universe(m)) == "its own leaf x loader-busy"
    both = [s for s in m.scenarios if s.entry.name == "demo_enable" and s.script.name != "ok"]
    assert where_seen(both, _universe(m)) == "its own leaf x busy, loader-busy"
    every = [s for s in m.scenarios if s.entry.name == "demo_enable"]
    assert where_seen(every, _universe(m)) == "its own leaf x all scripts"
    per_leaf = {n: frozenset(s.script.name for s in m.scenarios if s.leaf_name == n) for n in m.leaves}
    assert where_seen(every, (frozenset(m.leaves), per_leaf)) == "its own leaf x all scripts"
    # An entry point fed the leaf is named by it, as before.
    assert where_seen(_of(m, "demo_prerr", "busy")[:2], _universe(m)) == "T_ONE, T_TWO x busy"


def test_the_event_trace_s_detail_comes_after_what_the_code_does(tmp_path: Path) -> None:
    # A loop that runs once more: its event trace differs in all 8 scenarios, its SEAMCALL count in each kind's 4.
    # The summary led with 'event 21: none -> preempt: count 1', the commonest note.
    # The event note is made by explain_effects as a TraceNote (what trace_detail goes by, not its first word).
    m = _matrix(tmp_path)
    event = TraceNote("event 21 differs first: none (the run ended after 20 events) -> preempt count becomes 1")
    calls = "TDX module SEAMCALLs 10 -> 11"
    scenarios = [s for s in m.scenarios if s.entry.name == "demo_prerr" and s.script.name != "loader-busy"]
    diffs = tuple(Difference(s, (DiffClass.CALLS, DiffClass.SIDE_EFFECTS),
                             (event, calls) if s.leaf < 1 << 63 else (event,)) for s in scenarios)
    cmp = Comparison("patch", "a", "b", "v1 01/1", None, diffs, len(m.scenarios), _universe(m))
    facts = cmp.facts(4)[0]
    assert [n for n, _ in facts.notes] == [calls, event]
    assert cmp.summary()[0].startswith(f"demo_prerr: 8 scenarios differ: {calls} [T_ONE, T_TWO x ok, busy]; {event}")
    # So does a one-fact line (a revision's headline, report.one_line): it took the commonest, the trace's detail.
    assert [n for n, _ in cmp.facts(1)[0].notes] == [calls]


def test_every_leaf_under_every_script_it_takes_is_all_of_them(tmp_path: Path) -> None:
    # loader-busy runs under L_ONE and L_TWO only: every leaf under each script it takes read '[T_ONE, T_TWO x all
    # scripts; L_ONE, L_TWO x all scripts]' (the corpus' 'seamldr_call() is new: ...' said it so).
    m = _matrix(tmp_path)
    per_leaf = {n: frozenset(s.script.name for s in m.scenarios if s.leaf_name == n) for n in m.leaves}
    fed = [s for s in m.scenarios if s.entry.name == "demo_prerr"]
    assert where_seen(fed, (frozenset(m.leaves), per_leaf)) == "all leaves x all scripts"
    some = [s for s in fed if s.script.name != "ok"]
    assert where_seen(some, (frozenset(m.leaves), per_leaf)) == \
        "T_ONE, T_TWO x busy; L_ONE, L_TWO x busy, loader-busy"


_DEMO = """int demo_prerr(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (err) {
		pr_err("demo: %llx\\n", err);
		return -EIO;
	}
	return 0;
}

int demo_enable(void)
{
	struct tdx_module_args args = {};

	return demo_prerr(LEAF, &args);
}
"""


@pytest.mark.parametrize(("leaf", "said"), [("2", "T_TWO"), ("0x8000000000000002", "L_TWO"), ("7", "0x7")])
def test_an_entry_point_fed_no_leaf_is_said_with_the_leaf_it_issued(tmp_path: Path, leaf: str, said: str) -> None:
    # demo_enable() issues one leaf whatever its run stands for: it read '[its own leaf x busy]', which leaf left to
    # the reader. Named as the matrix names it, else by its number (a leaf the matrix does not list).
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import diff, message, patch_body, write_mbox

    before = _DEMO.replace("LEAF", leaf + "ULL")
    after = before.replace("demo: %llx", "demo: failed %llx")
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("add", diff("demo/Makefile", "obj-y += y.o\n",
                                                                             "obj-y += demo.o y.o\n")
                                                              + diff("demo/demo.c", None, before)), parent="c@x"),
            message("[PATCH 2/2] demo: reword", "p2@x", patch_body("reword", diff("demo/demo.c", before, after)),
                    parent="c@x")]
    (tmp_path / "m.toml").write_text(_MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", msgs),), matrix=tmp_path / "m.toml", jobs=1,
                              cache=None, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v1:02"]
    enable = [f for f in cmp.facts() if f.entries == ("demo_enable",)]
    assert enable and enable[0].notes[0][1] == f"its own leaf {said} x busy, loader-busy", cmp.summary()


def test_a_note_naming_a_run_of_an_entry_point_fed_no_leaf_says_its_own_leaf(tmp_path: Path) -> None:
    # A gate note on state a run leaves named the run 'demo_enable/L_ONE/busy/demo.c': a loader leaf its code never
    # issued (it stood for that kind of leaf), where the same rule's evidence says 'demo_enable/its own leaf/busy/...'.
    from harness.behaviour import _state_left
    from models.outcome import Outcome, OutcomeStatus

    m = _matrix(tmp_path)
    run = next(s for s in _of(m, "demo_enable", "busy") if s.leaf_name == "L_ONE")
    out = Outcome(status=OutcomeStatus.OK, state=(("demo_ready", "1"),))
    (said,) = _state_left([(run, out)], printing=False)
    assert "after demo_enable/its own leaf/busy/demo.c" in said and "L_ONE" not in said, said
    fed = next(s for s in _of(m, "demo_prerr", "busy") if s.leaf_name == "L_ONE")
    assert f"after {fed.id}" in _state_left([(fed, out)], printing=False)[0]

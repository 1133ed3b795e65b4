"""A code group's budget counts mirror steps: a runaway loop is cut at the same step loaded or idle, and kept alike."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from models.machine import Answer, Machine, OutOfSteps
from models.outcome import Limit, Outcome, OutcomeStatus, step_cut
from tests.mailgen import diff, message, patch_body, write_mbox

# Our own helper reaching a loop that never ends once its SEAMCALL answered: each run ends at the per-run step limit
# (some 100,000 steps: Limit.STEPS, an error compared as any other), four of them more than the group budget below.
_SPIN = ("static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)\n{\n\tu64 ret;\n\n"
         "\tret = __seamcall(fn, args);\n\twhile (1)\n\t\t;\n\treturn ret;\n}\n")
# Four scenarios, two of one script (a replay of the other: its steps are charged all the same).
_MATRIX = ('[codes]\nOK = 0\nBUSY = 1\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n'
           '[[entry]]\nname = "demo_retry"\n' + "".join(f'[[script]]\nname = "s{i}"\nanswers = ["{a}"]\n'
                                                        for i, a in enumerate(("OK", "BUSY", "OK", "BUSY"))))
BUDGET = 250_000


def _eval(tmp_path: Path, **budgets: float) -> tuple[tuple[Outcome, ...], int]:
    tmp_path.mkdir(exist_ok=True)
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add a retry helper", "spin@example.org",
                                                   patch_body("Add it.", diff("drivers/demo/helper.h", None, _SPIN)))])
    (tmp_path / "m.toml").write_text(_MATRIX)
    ev = evaluate(EvalRequest((box,), matrix=tmp_path / "m.toml", jobs=1, cache=tmp_path / "outcomes", **budgets))
    return ev.result.outcomes_of("v1"), ev.result.cached


def _loaded_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host so loaded that each look at the clock finds 5 ms gone (64 mirror steps apart): the 5 s wall-clock
    budget would have cut the first run at some 64,000 steps; the 60 s backstop is not reached within the steps."""
    ticks = itertools.count()
    import harness.runner
    import models.machine

    for module in (harness.runner, models.machine):
        monkeypatch.setattr(module.time, "monotonic", lambda: next(ticks) * 0.005)


def test_a_runaway_loop_is_cut_at_the_same_step_loaded_and_idle(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    idle, _ = _eval(tmp_path / "idle", step_budget=BUDGET, time_budget=0)
    _loaded_clock(monkeypatch)
    loaded, _ = _eval(tmp_path / "loaded", step_budget=BUDGET, time_budget=60)
    assert loaded == idle
    assert [o.limits[:1] for o in idle] == [(Limit.STEPS,), (Limit.STEPS,), (Limit.TIME,), (Limit.TIME,)]
    # Never a pass: the runs the budget cut are errors nothing is known of (explain's class 'limit').
    assert all(o.status is OutcomeStatus.ERROR and not o.ran for o in idle[2:])
    assert "step budget ran out" in (idle[2].error or "") and "used up its step budget of 250,000" in (idle[3].error
                                                                                                      or "")


def test_a_run_the_step_budget_cut_is_kept_and_replayed_alike(tmp_path: Path) -> None:
    first, cached = _eval(tmp_path, step_budget=BUDGET, time_budget=0)
    assert cached == 0 and any(Limit.TIME in o.limits for o in first)
    again, cached = _eval(tmp_path, step_budget=BUDGET, time_budget=0)
    assert again == first and cached == 4  # read from the outcome cache: the same on any host
    # The budget is in the key: another budget runs the group again, to its own end.
    more, cached = _eval(tmp_path, step_budget=4 * BUDGET, time_budget=0)
    assert cached == 0 and not any(Limit.TIME in o.limits for o in more)


def test_the_wall_clock_backstop_cuts_but_is_never_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _loaded_clock(monkeypatch)
    cut, _ = _eval(tmp_path, step_budget=0, time_budget=1)  # no step budget: the backstop alone
    assert Limit.TIME in cut[0].limits and "time budget ran out" in (cut[0].error or "")
    _, cached = _eval(tmp_path, step_budget=0, time_budget=1)
    assert cached == 0  # what the clock cut depends on the host: run again, never read back


@pytest.mark.parametrize("stop", [1, 63, 64, 65, 1000])
def test_a_run_stops_at_the_first_64th_step_past_its_allowance(stop: int) -> None:
    m = Machine((Answer(0),), stop=stop)
    with pytest.raises(OutOfSteps, match=f"stopped after {step_cut(stop)} steps"):
        for _ in range(10_000):
            m.step("demo.c:1")
    assert m.steps == step_cut(stop)

"""A loop past the step budget, or recursion past the depth limit, is a fact about the C only where it never ends.

One that may yet end is not compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from models.machine import EXTRA_STEPS, RUN_BUDGETS
from models.outcome import ErrorKind, Limit, comparable
from tests.mailgen import diff, message, patch_body, write_mbox
from tests.models.cprog import run
from tests.reportrows import flat_rows

HEAD = "int f(u64 fn, struct tdx_module_args *args)\n{\n"


def body(text: str) -> str:
    return HEAD + text + "\n}\n"


def spin(count: int) -> str:
    return body(f"\tint i;\n\n\tfor (i = 0; i < {count}; i++)\n\t\tcpu_relax();\n\treturn 3;")


def test_a_loop_that_ends_a_little_past_the_budget_runs_to_its_end() -> None:
    # gcc's code returns 3 after 1,500 passes: the mirror's budget of 1,000 steps is no fact about the C
    out = run(spin(1_500), budget=1_000)
    assert out.status == "ok" and out.ret == 3 and out.limits == ()


@pytest.mark.parametrize("count", [50_000, 10**9])
def test_a_long_loop_whose_state_never_comes_back_is_not_known_to_end(count: int) -> None:
    out = run(spin(count), budget=1_000)
    assert out.status == "error" and out.error_kind is ErrorKind.UNSUPPORTED and out.limits == (Limit.STEPS,)
    assert "whether it ends is not known" in (out.error or "")
    assert f"and {EXTRA_STEPS} more" in (out.error or "")
    assert not comparable(out, run(spin(10), budget=1_000))  # never "status ok -> error"


@pytest.mark.parametrize("code, script", [
    ("\twhile (1)\n\t\t__seamcall(fn, args);\n\treturn 0;", (0,)),  # no way out of it
    ("\tint n = 0;\n\n\tfor (;;)\n\t\tn++;\n\treturn n;", (0,)),  # no way out, whatever n does
    # the script's last answer repeats: the state at the loop's head is the same every pass
    ("\tu64 r;\n\n\tdo {\n\t\tr = __seamcall(fn, args);\n\t} while (r == 1);\n\treturn 0;", (1,)),
    # a state seen again two passes later
    ("\tint t = 0;\n\n\twhile (fn != 5)\n\t\tt = !t;\n\treturn t;", (0,)),
    # a counter that wraps round: u8 255 + 1 is 0, seen again 256 passes later
    ("\tu8 c = 0;\n\n\twhile (c != 300)\n\t\tc++;\n\treturn c;", (0,)),
])
def test_a_loop_that_never_ends_is_still_a_fact(code: str, script: tuple[int, ...]) -> None:
    out = run(body(code), script=script, budget=1_000)
    assert out.status == "error" and out.error_kind is ErrorKind.BUDGET and Limit.STEPS in out.limits
    assert (out.error or "").endswith("loop still running after a budget of 1000 steps")


def test_a_loop_counting_through_a_pointer_is_not_taken_for_a_cycle() -> None:
    # The counter lives in the caller's frame: the loop's own locals (a pointer) never change, its object does.
    code = ("static void bump(int *p)\n{\n\twhile (*p < 40000)\n\t\t(*p)++;\n}\n\n"
            + body("\tint n = 0;\n\n\tbump(&n);\n\treturn n == 40000;"))
    out = run(code, budget=1_000)
    assert out.error_kind is ErrorKind.UNSUPPORTED and "whether it ends is not known" in (out.error or "")
    assert run(code.replace("40000", "5000"), budget=1_000).ret == 1



_WALK = "static int walk(int n)\n{\n\tif (n == 0)\n\t\treturn 0;\n\treturn walk(n - 1) + 1;\n}\n\n"


def test_a_recursion_past_the_depth_limit_that_ends_is_not_taken_for_a_runaway_one() -> None:
    # gcc's code returns 60: walk() calls itself 60 deep, each call with another n; the mirror's limit is 48
    out = run(_WALK + body("\treturn walk(60);"))
    assert out.status == "error" and out.error_kind is ErrorKind.UNSUPPORTED and out.limits == (Limit.DEPTH,)
    assert "whether the recursion ends is not known" in (out.error or "")
    assert run(_WALK + body("\treturn walk(40);")).ret == 40


@pytest.mark.parametrize("code", [
    "static int g(u64 fn)\n{\n\treturn g(fn) + 1;\n}\n\n",  # the same call again: for ever
    # through another function, the same arguments and state every second level
    "static int h(u64 fn);\nstatic int g(u64 fn)\n{\n\treturn h(fn ^ 1);\n}\n\n"
    "static int h(u64 fn)\n{\n\treturn g(fn ^ 1) + 1;\n}\n\n",
])
def test_a_recursion_that_makes_a_running_call_again_is_still_a_runaway_one(code: str) -> None:
    out = run(code + body("\treturn g(fn);"))
    assert out.status == "error" and out.error_kind is ErrorKind.BUDGET and out.limits == (Limit.DEPTH,)
    assert "runaway recursion in" in (out.error or "")


_RETRY = """\
static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
	int tries = 3;
	u64 ret;

	do {
		ret = __seamcall(fn, args);
	} while (ret == 1 && --tries);

	return ret;
}
"""
_SPUN = _RETRY.replace("\tint tries = 3;\n", "\tint tries = 3;\n\tint spin;\n").replace(
    "\tdo {", "\tfor (spin = 0; spin < 150000; spin++)\n\t\tcpu_relax();\n\n\tdo {")
_MATRIX = ('[codes]\nOK = 0\nBUSY = 1\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n'
           '[[entry]]\nname = "demo_retry"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n'
           '[[script]]\nname = "busy"\nanswers = ["BUSY", "OK"]\n')


def test_a_patch_adding_a_long_finite_spin_is_no_behaviour_change_claimed(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """gcc's code spins 150,000 times and then retries as before: eval said 'status ok -> error' (a behaviour
    change) and the gate FAILed an equivalence rule, on the mirror's own step budget."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = "drivers/demo/retry.h"
    box = write_mbox(tmp_path / "s.mbox", [
        message("[PATCH 1/2] demo: add a retry helper", "a@example.org",
                patch_body("Add it.", diff(path, None, _RETRY))),
        message("[PATCH 2/2] demo: spin before the call", "b@example.org",
                patch_body("No functional change.", diff(path, _RETRY, _SPUN)))])
    (tmp_path / "m.toml").write_text(_MATRIX)
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nid = "spin-nfc"\nreviewer = "seamharness"\nsummary = "the spin changes nothing"\n'
        'severity = "error"\npatch = "spin before the call"\n[rule.check]\nkind = "equivalence"\n'
        'reference = "before:patch"\n')
    out = tmp_path / "r.json"
    runner = CliRunner()
    r = runner.invoke(app, ["eval", str(box), "--matrix", str(tmp_path / "m.toml"), "--json", str(out),
                            "--time-budget", "0"])
    assert r.exit_code == 0, r.output
    assert "status ok -> error" not in r.stdout and "v1: 0 of 2 patches change behaviour" in r.stdout
    rows = [x for x in flat_rows(json.loads(out.read_text())) if x["variant"] == "v1"]
    assert rows and all(x["status"] == "error" and "whether it ends is not known" in x["error"] for x in rows)
    g = runner.invoke(app, ["gate", str(box), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"),
                            "--rules", str(tmp_path / "rules.toml"), "--time-budget", "0"])
    assert g.exit_code == 1 and "INCONCLUSIVE spin-nfc" in g.stdout and "FAIL spin-nfc" not in g.stdout


def test_long_loops_one_after_another_each_have_the_budget() -> None:
    # Four loops of 9,000 passes under a budget of 10,000 steps: each ends within its own, as gcc's code runs them.
    # Before: the run's budget was shared, and the fourth loop stopped 'not known' past its 10,000 and 20,000 more.
    four = body("\tint i, n = 0;\n\n" + "".join(f"\tfor (i = 0; i < 9000; i++)\n\t\tn += {k};\n" for k in (1, 2, 3, 4))
                + "\treturn n;")
    out = run(four, budget=10_000)
    assert out.status == "ok" and out.ret == 9000 * 10 and out.limits == (), out.error


def test_the_run_s_steps_stay_bounded_by_its_own_bound() -> None:
    # A backward goto around a loop that ends: each pass of it starts the loop afresh, so no loop goes past its
    # budget; the run stops once past RUN_BUDGETS budgets and EXTRA_STEPS more, its end not known (never a fact).
    code = body("\tint i;\n\nagain:\n\tfor (i = 0; i < 500; i++)\n\t\tcpu_relax();\n\tgoto again;\n\treturn 0;")
    out = run(code, budget=1_000)
    assert out.status == "error" and out.error_kind is ErrorKind.UNSUPPORTED and out.limits == (Limit.STEPS,)
    assert f"the run past {1_000 * RUN_BUDGETS:,} steps in all, its bound" in (out.error or ""), out.error

"""A series using kernel constructs the mirror refused before now runs end to end.

A series whose next revision writes kernel constructs the mirror refused (try_cmpxchg(), this_cpu_try_cmpxchg(),
cond_resched(), DEFINE_RATELIMIT_STATE() and __ratelimit()): its runs now run and are compared, end to end from the
mail (tests/mailgen.py) through the evaluation; a form still not modelled stays an error naming its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, Evaluation, evaluate
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

BEFORE = ("static u64 demo_calls;\n\nstatic inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n"
          "\tu64 ret = __seamcall(fn, args);\n\n\tdemo_calls++;\n\tif (ret)\n\t\tpr_err(\"demo %llx\\n\", ret);\n"
          "\treturn ret ? -5 : 0;\n}\n")
COUNT = "\tdemo_calls++;\n"
PRINT = "\tif (ret)\n\t\tpr_err("

# What the next revision writes in place of the counter's ++ or of the print's condition, and what the comparison
# of its runs with the first revision's says first: the same, or the state it leaves (a per-CPU counter counting
# too, a rate-limit state that counted the prints), in the scenarios that differ.
REVISIONS = {
    "try_cmpxchg": (COUNT, "\t{\n\t\tu64 old = demo_calls;\n\n\t\twhile (!try_cmpxchg(&demo_calls, &old, old + 1))\n"
                           "\t\t\t;\n\t}\n", "no behaviour change"),
    "this_cpu_try_cmpxchg": (COUNT, "\tdemo_calls++;\n\t{\n\t\tu64 seen = this_cpu_read(demo_seen);\n\n"
                                    "\t\tthis_cpu_try_cmpxchg(demo_seen, &seen, seen + 1);\n\t}\n",
                             "demo_prerr: 8 scenarios differ: state left behind demo_seen initial -> 1"),
    "cond_resched": (COUNT, "\tdemo_calls++;\n\tcond_resched();\n", "no behaviour change"),
    # under guard(preempt): CONFIG_DEBUG_ATOMIC_SLEEP's report, once a run (__might_resched()'s prev_jiffy)
    "cond_resched in guard(preempt)": (COUNT, "\t{\n\t\tguard(preempt)();\n\n\t\tdemo_calls++;\n"
                                              "\t\tcond_resched();\n\t}\n",
                                       "demo_prerr: 8 scenarios differ: state left behind kernel::__might_resched "
                                       "initial -> 1 [all leaves x all scripts]; events recorded: none -> preempt "
                                       "count changes, context violations"),
    "__ratelimit": (PRINT, "\tif (ret && __ratelimit(&demo_rs))\n\t\tpr_err(",
                    "demo_prerr: 6 scenarios differ: state left behind demo_rs initial -> {.__sh_interval_ns = "),
}
STATE = ("static DEFINE_PER_CPU(u64, demo_seen);\nstatic DEFINE_RATELIMIT_STATE(demo_rs, DEFAULT_RATELIMIT_INTERVAL, "
         "DEFAULT_RATELIMIT_BURST);\n")


def _eval(tmp_path: Path, after: str) -> Evaluation:
    before = STATE + BEFORE
    msgs = [message("[PATCH 1/2] demo: add helpers", "k1@x", patch_body("Add.", diff("demo/h.h", None, before))),
            message("[PATCH 2/2] demo: rework", "k2@x", patch_body("Rework.", diff("demo/h.h", before, after)))]
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_prerr"', 1)
                                     .replace('[[entry]]\nname = "demo_prerr"\n\n', "", 1))
    return evaluate(EvalRequest((write_mbox(tmp_path / "l.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))


@pytest.mark.parametrize("construct", sorted(REVISIONS))
def test_a_revision_writing_the_construct_runs_and_is_compared(tmp_path: Path, construct: str) -> None:
    old, new, said = REVISIONS[construct]
    ev = _eval(tmp_path, STATE + BEFORE.replace(old, new, 1))
    outs = ev.result.outcomes_of("v1:02")
    assert outs and all(o.status == "ok" for o in outs), {o.error for o in outs}
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert cmp.summary()[0].startswith(said), cmp.summary()


def test_a_form_still_not_modelled_is_an_error_naming_its_line(tmp_path: Path) -> None:
    ev = _eval(tmp_path, STATE + BEFORE.replace(COUNT, "\tdemo_calls++;\n\tsynchronize_rcu();\n", 1))
    line = (STATE + BEFORE).split("\n").index("\tdemo_calls++;") + 2
    outs = ev.result.outcomes_of("v1:02")
    assert outs and all(o.status == "error" and (o.error or "").startswith(f"demo/h.h:{line}: call to unknown "
                                                                             "function synchronize_rcu()")
                        for o in outs), {o.error for o in outs}

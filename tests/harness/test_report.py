"""The report model's revision headlines (harness.report): what they count."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from harness.comparison import Comparison, Gap
from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from tests.gitoracle import init_repo
from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
from tests.mailgen import demo_series, diff, message, patch_body, write_mbox


def test_states_patches_apart_are_counted_as_a_comparison_of_several_patches(tmp_path: Path) -> None:
    # --variant v2:01 --variant v2: one comparison over 02/3 and 03/3 (harness.compare._spanning). The headline said
    # "v2: 1 of 1 patch changes behaviour" over two patches.
    (tmp_path / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    for variants, counted in ((("v2:01", "v2"), "of 1 comparison (2 patches) changes"),
                              (("v2:02", "v2"), "of 1 patch changes")):
        rep = report_model(evaluate(EvalRequest((mbox,), variants=variants, matrix=tmp_path / "m.toml")))
        summary = next(s for s in rep.summaries if s.name == "v2")
        assert re.match(rf"v2: \d {re.escape(counted)} behaviour", summary.headline), summary.headline


def _wrapper_series(tmp_path: Path, unrun: bool = False) -> tuple[str, list[Comparison]]:
    """01/2 makes demo_retry() try five times, 02/2 adds demo_wrap(), which nothing existing calls: the revision's
    headline (no rules) and its per-patch comparisons, built on a tree holding the helper. ``unrun``: demo_prerr()
    prints with a function defined nowhere, so it runs on neither side."""
    h0 = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu").replace("pr_err(", "demo_log(" if unrun else "pr_err(")
    h1 = h0.replace("int tries = 3;", "int tries = 5;")
    h2 = h1 + ("\nstatic inline u64 demo_wrap(u64 fn, struct tdx_module_args *args)\n"
               "{\n\treturn demo_retry(fn, args);\n}\n")
    repo = init_repo(tmp_path / "tree", {HELPER: h0, "demo/demo.c": '#include "helper.h"\n'})
    msgs = [message("[PATCH 0/2] demo: retry more", "c@x", "Cover.\n")] + [
        message(f"[PATCH {n}/2] demo: {title}", f"p{n}@x", patch_body(title, diff(HELPER, old, new)), parent="c@x",
                refs=("c@x",)) for n, title, old, new in ((1, "try five times", h0, h1), (2, "add a wrapper", h1, h2))]
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "manifest.toml").write_text('[series]\nname = "ours"\n')  # no rules: the headline counts patches
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", msgs),), matrix=tmp_path / "m.toml",
                              manifest=tmp_path / "manifest.toml", tree=repo, base="HEAD", cache=None, jobs=1))
    return next(s.headline for s in report_model(ev).summaries if s.name == "v1"), list(ev.comparison.per_patch)


def test_a_patch_only_adding_an_entry_point_is_counted_as_adding_code(tmp_path: Path) -> None:
    # "v1: 2 of 2 patches change behaviour": demo_wrap() being new counted as a change, though every entry point
    # both sides have (demo_retry, demo_prerr) ran on both and agreed.
    headline, (_, wrap) = _wrapper_series(tmp_path)
    assert wrap.adds_only and wrap.compared and not wrap.gaps, wrap.summary()
    assert headline == ("v1: 1 of 2 patches change behaviour, 1 only adds code (the entry points there before "
                        "behave the same); no review rules evaluated")
    # What did not run, or a new entry point whose runs end in an error, is no plain addition.
    gap = Gap(("demo_prerr",), 8, "not run")
    assert not replace(wrap, compared=wrap.compared - 8, gaps=(gap,)).adds_only
    assert not replace(wrap, compared=wrap.compared - 8, not_run=("demo_prerr (demo/helper.h:14)",)).adds_only
    broken = tuple(replace(d, notes=(f"{d.notes[0]}, and its runs end in a fault",)) for d in wrap.differences)
    assert not replace(wrap, differences=broken).adds_only


def test_a_patch_adding_an_entry_point_where_another_did_not_run_is_no_plain_addition(tmp_path: Path) -> None:
    # demo_prerr(), there before, runs on neither side (demo_log() is defined nowhere): that it behaves the same was
    # not run, so the new demo_wrap() is not said to be all the patch changes.
    headline, (_, wrap) = _wrapper_series(tmp_path, unrun=True)
    assert wrap.changed and wrap.gaps and not wrap.adds_only, wrap.summary()
    assert headline.startswith("v1: 2 of 2 patches change behaviour") and "only adds" not in headline, headline


def test_limit_hits_name_each_variant_limit_and_scenario_in_order() -> None:
    """_limit_hits: per variant (variants of one outcome class share their row), each limit its runs hit in Limit's
    order, with the scenarios in matrix order; none where no outcome hit one."""
    from types import SimpleNamespace
    from typing import Any

    from harness.report import _limit_hits
    from models.outcome import Limit

    def view(*limits: Limit) -> Any:
        return SimpleNamespace(outcome=SimpleNamespace(limits=limits))

    variants: Any = tuple(SimpleNamespace(variant=SimpleNamespace(name=n)) for n in ("a", "b", "c"))
    scenarios: Any = tuple(SimpleNamespace(id=f"s{n}") for n in range(4))
    outcomes: Any = (view(), view(Limit.CALLS, Limit.STEPS), view(Limit.TIME))
    shared = (0, 1, 0, 2)
    got = _limit_hits(variants, scenarios, outcomes, (shared, (0, 0, 0, 0), shared))
    assert [(h.variant, h.limit, h.scenarios) for h in got] == [
        ("a", Limit.STEPS, ("s1",)), ("a", Limit.CALLS, ("s1",)), ("a", Limit.TIME, ("s3",)),
        ("c", Limit.STEPS, ("s1",)), ("c", Limit.CALLS, ("s1",)), ("c", Limit.TIME, ("s3",))]
    assert _limit_hits(variants, scenarios, (view(),), ((0,) * 4,) * 3) == ()


def test_a_revision_the_input_lacks_patches_of_says_so_without_rules(tmp_path: Path) -> None:
    # Before: eval of v2 01/3 and 02/3 alone, no rules: 'v2: ... no review rules evaluated' and nothing of 03/3, which
    # the gate (and eval with rules) names as a base problem: the revision read as whole.
    (tmp_path / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp_path / "s.mbox", [m for m in demo_series() if "3/3]" not in str(m["Subject"])])
    rep = report_model(evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml")))
    summary = next(s for s in rep.summaries if s.name == "v2")
    assert summary.headline.endswith("no review rules evaluated") and not summary.judged, summary.headline
    assert summary.problems == (
        "the input lacks v2 patch 3 (of 3), which v2 holds: the verdicts below are v2:02's, the patches given; give "
        "every patch, or gate v2:02",), summary
    assert not [a for a in summary.alarms if "lacks" in a]  # said once, under the verdict line
    whole = report_model(evaluate(EvalRequest((write_mbox(tmp_path / "w.mbox", demo_series()),),
                                              matrix=tmp_path / "m.toml")))
    assert not [a for s in whole.summaries for a in (*s.alarms, *s.problems) if "lacks" in a]  # of a whole revision


def test_outcome_table_numbers_the_outcome_objects_not_their_values() -> None:
    # harness.report._outcome_table reads each code group's ids once (_class_ids): two equal outcomes made apart are
    # two views, one object in two code groups is one, a lane a variant does not provide is NOT_PROVIDED's.
    from types import SimpleNamespace

    from harness.matrixresult import Lane, MatrixResult
    from harness.report import _outcome_table
    from models.outcome import NOT_PROVIDED, Outcome, OutcomeStatus

    a, b = Outcome(OutcomeStatus.OK, ret=0), Outcome(OutcomeStatus.OK, ret=0)
    assert a == b and a is not b
    lanes = (Lane("f", "u.c", (0, 2)), Lane("g", "u.c", (1,)))
    names = ("v1", "v2", "v3")
    res = MatrixResult(tuple(SimpleNamespace(name=n) for n in names),  # type: ignore[arg-type]
                       SimpleNamespace(scenarios=(1, 2, 3)), lanes, 0, 0, 0,  # type: ignore[arg-type]
                       ((a, b), (a,), (b, b)), {"v1": (0, 1), "v2": (2, -1), "v3": (0, 1)}, {})
    views, cells, classes = _outcome_table(res)
    assert [v.outcome for v in views] == [a, b, NOT_PROVIDED]
    assert [v.outcome is o for v, o in zip(views, (a, b, NOT_PROVIDED), strict=True)] == [True] * 3
    assert cells == ((0, 0, 1), (1, 2, 1), (0, 0, 1)) and classes == (0, 1, 0)

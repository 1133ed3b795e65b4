"""What the judge asks again and again of the same objects is worked out once.

What the judge asks again and again of the same objects is worked out once: a behaviour check tests each outcome
object once per expectation, assumed pr_fmt and leaf (variants that run the same code share their outcomes), a group
of scenarios compared across leaves once, and a patch's definitions are read once per tuple of files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness import behaviour
from harness.moves import defined_by, defined_in
from harness.pipeline import EvalRequest, SeriesRequest, evaluate, read_inputs
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_BY_LEAF, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))


def _mbox(tmp_path: Path) -> Path:
    base, picked = helpers(RETRY_SAFE), helpers(RETRY_BY_LEAF)
    return write_mbox(tmp_path / "s.mbox", revision(3, [CREATE, Step(PREPARE, ((NEW_HOME, base, picked),))])
                      + revision(4, [CREATE, Step(PREPARE, ((NEW_HOME, base, picked),))]))


def test_each_outcome_tested_once_per_expectation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tested: list[tuple[int, int, str | None, int]] = []
    real = behaviour.expectation_failures

    def counted(o: Any, expect: Any, assumed: str | None = None, leaf: int | None = None, place: Any = None,
                leaf_name: str = "") -> Any:
        tested.append((id(expect), id(o), assumed, leaf or 0))
        return real(o, expect, assumed, leaf, place, leaf_name)

    monkeypatch.setattr(behaviour, "expectation_failures", counted)
    ev = evaluate(EvalRequest((_mbox(tmp_path),), jobs=1))
    assert ev.judgement is not None and tested
    # v3 and v4 (and their first states) run the same code: their outcomes are the same objects, tested once.
    assert len(tested) == len(set(tested))
    shared = ev.result.outcomes_of("v3") == ev.result.outcomes_of("v4")
    assert shared and all(a is b for a, b in zip(ev.result.outcomes_of("v3"), ev.result.outcomes_of("v4"), strict=True))


def test_definitions_of_a_patch_read_once(tmp_path: Path) -> None:
    series = read_inputs(SeriesRequest((_mbox(tmp_path),)))
    rev = series.revision(4)
    assert rev is not None
    patch = rev.patches[1]
    first = defined_by(patch)
    assert defined_in(patch.files) is first and defined_by(patch) is first
    assert defined_in(list(patch.files)) == first  # any other iterable: read, not kept


def test_each_leaf_group_compared_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import leafsame

    compared: list[tuple[int, ...]] = []
    real = leafsame._group_differences

    def counted(members: Any) -> Any:
        compared.append(tuple(id(x) for m in members for x in m))
        return real(members)

    asked = [0]
    outer = behaviour.leaf_differences

    def groups(outs: Any) -> Any:
        found = outer(outs)
        asked[0] += found[1]
        return found

    monkeypatch.setattr(leafsame, "_group_differences", counted)
    monkeypatch.setattr(behaviour, "leaf_differences", groups)
    ev = evaluate(EvalRequest((_mbox(tmp_path),), jobs=1))
    assert ev.judgement is not None and compared
    # v3 and v4 share their scenarios and outcomes: each group is compared once, however often it is asked for.
    assert len(compared) == len(set(compared)) < asked[0]

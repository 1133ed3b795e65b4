"""What harness.valuecache keeps of a comparison's value runs.

What harness.valuecache keeps of a comparison's value runs: each side's statements executed too (their coverage
was dropped, so a rerun from the cache said a branch only a value run took 'never ran')."""

from __future__ import annotations

import pytest

from harness.explain import DiffClass
from harness.valuecache import FORMAT, from_data, to_data


def test_the_value_runs_coverage_is_kept_per_side() -> None:
    ran = (frozenset({"a.h:3:2", "?a.h:3:6:T"}), frozenset({"a.h:4:3"}))
    found = [(0, "TDH_SYS_INIT", 7, (DiffClass.LOG,), ("x",), "", 3)]  # 3: the scenario whose start the run took
    kept = from_data(to_data(found, ("c",), ran))
    assert kept is not None and kept[2] == ran and kept[1] == ("c",) and kept[0] == found


def test_an_entry_without_coverage_is_a_miss() -> None:
    data = to_data([], (), (frozenset(), frozenset()))
    assert from_data({k: v for k, v in data.items() if k != "ran"}) is None
    assert from_data({**data, "format": "values-5"}) is None and FORMAT != "values-5"  # before a run's start was kept


def _other(value: object) -> object:
    """Another value of the same field: what a changed input is, whatever its kind."""
    from dataclasses import fields, is_dataclass, replace
    from pathlib import PurePath

    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, PurePath):
        return value / "x"
    if isinstance(value, tuple):
        return value[:-1] if value else ("x",)
    if isinstance(value, dict):
        return {**value, "x": 1}
    if value is None:
        return "x"
    assert is_dataclass(value) and not isinstance(value, type)
    first = fields(value)[0].name
    return replace(value, **{first: _other(getattr(value, first))})


def test_the_matrix_digest_changes_with_every_field_of_the_matrix_and_of_a_scenario() -> None:
    # The comparisons' key and the value runs' keys name the matrix by this digest: a field it missed would read a
    # comparison made under another matrix (a stale verdict).
    from dataclasses import fields, replace

    from harness.matrix import bundled_matrices, load_matrix
    from harness.valuecache import matrix_digest

    matrix = load_matrix(bundled_matrices()[0])
    first, rest = matrix.scenarios[0], matrix.scenarios[1:]
    changed = [replace(matrix, **{f.name: _other(getattr(matrix, f.name))}) for f in fields(matrix)]
    changed += [replace(matrix, scenarios=(replace(first, **{f.name: _other(getattr(first, f.name))}), *rest))
                for f in fields(first)]
    script = first.script
    changed += [replace(matrix, scenarios=(replace(first, script=replace(script, **{f.name: _other(getattr(script,
                f.name))})), *rest)) for f in fields(script)]
    before = matrix_digest(matrix)
    assert all(matrix_digest(m) != before for m in changed)
    assert matrix_digest(replace(matrix)) == before  # the same value, another object: the same key


def test_digest_ahead_leaves_both_digests_made(monkeypatch: pytest.MonkeyPatch) -> None:
    # eval makes them before forking the rules' child, so that the child inherits them: once made, neither the
    # matrix nor the harness's source is read again.
    from types import SimpleNamespace
    from typing import cast

    import harness.valuecache as vc
    from harness.matrix import bundled_matrices, load_matrix
    from harness.matrixresult import MatrixResult

    matrix = load_matrix(bundled_matrices()[0])
    vc.harness_version.cache_clear()
    vc.digest_ahead(cast(MatrixResult, SimpleNamespace(matrix=matrix)))

    def read_again(*_: object) -> str:
        raise AssertionError("worked out again")

    monkeypatch.setattr(vc, "canonical_digest", read_again)
    monkeypatch.setattr(vc, "kept_source_digest", read_again)
    assert vc.matrix_digest(matrix) and vc.harness_version()

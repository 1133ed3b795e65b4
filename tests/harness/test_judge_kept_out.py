"""Why the functions an entry pattern names are no entry points: each of the first few, then how many more."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.judge import kept_out
from models.slicer import Kind


def _code(monkeypatch: pytest.MonkeyPatch, names: list[str]) -> None:
    import harness.changeusers
    import harness.discover

    defs = [SimpleNamespace(kind=Kind.FUNCTION, name=n, where=f"x.h:{i}") for i, n in enumerate(names, start=1)]
    monkeypatch.setattr(harness.changeusers, "definitions", lambda variants: defs)
    monkeypatch.setattr(harness.discover, "unfed", lambda d, matrix: "the matrix cannot feed its parameter 'f'")


def test_a_wide_pattern_names_three_and_counts_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: the first 3 of 6, nothing said of the other 3.
    _code(monkeypatch, [f"sc_retry_{n}" for n in range(6)] + ["other"])
    said = kept_out("sc_retry*", (), SimpleNamespace(matrix=None))  # type: ignore[arg-type]
    assert said[:3] == [f"sc_retry_{n}() (x.h:{n + 1}) is in the code but no entry point: the matrix cannot feed its "
                        "parameter 'f'" for n in range(3)], said
    assert said[3:] == ["and 3 more it names, none an entry point"], said


def test_three_or_fewer_are_each_named_with_no_count(monkeypatch: pytest.MonkeyPatch) -> None:
    _code(monkeypatch, ["sc_retry", "sc_retry_prerr", "sc_retry_prerr"])  # a name twice (two variants): once
    said = kept_out("sc_retry*", (), SimpleNamespace(matrix=None))  # type: ignore[arg-type]
    assert len(said) == 2 and not any("more" in s for s in said), said

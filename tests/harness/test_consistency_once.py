"""harness.consistency reads how a run prints its leaf once per outcome and leaf, however often the rules ask."""

from __future__ import annotations

import pytest

import harness.consistency as consistency
import harness.leafstyle as leafstyle
from models.machine import LogLine
from models.outcome import Outcome, OutcomeStatus


def _run(text: str) -> Outcome:
    # Lines of this test's own, so that no other test's outcome is an equal one already asked about.
    return Outcome(OutcomeStatus.OK, log=(LogLine("err", "once-test: SEAMCALL failed"), LogLine("err", text)))


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """The lines leafstyle's function ``name`` (line, leaf) is asked about from now on, in order."""
    lines: list[str] = []
    plain = getattr(leafstyle, name)

    def counted(line: str, leaf: int) -> str | None:
        lines.append(line)
        return plain(line, leaf)  # type: ignore[no-any-return]

    monkeypatch.setattr(leafstyle, name, counted)
    return lines


def test_a_runs_leaf_style_is_read_once_for_every_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every leaf-base rule asks it of every variant's runs, and variants running the same code share outcomes: each
    # asking read every log line of the run again.
    lines = _counting(monkeypatch, "leaf_style")
    o = _run("once-test: leaf 0x2f1 (0x2f1) failed")
    first = leafstyle.style(o, 0x2F1)
    assert first is not None and first[1].endswith("(0x2f1) failed") and first[0].startswith("hex")
    assert leafstyle.style(o, 0x2F1) == first
    assert leafstyle.style(_run("once-test: leaf 0x2f1 (0x2f1) failed"), 0x2F1) == first  # an equal outcome
    assert len(lines) == 2, lines
    assert leafstyle.style(o, 0x2F2) is None  # another leaf is asked of the lines again
    assert len(lines) == 4, lines


def test_a_line_in_the_other_base_is_looked_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _counting(monkeypatch, "_exact_styles")  # every number of each line (other_bases)
    o = _run("once-test: leaf 753 (753) failed")
    found = leafstyle.other_bases(o, 753, "hex")
    assert found == ((1, "decimal", True),), found
    assert leafstyle.other_bases(o, 753, "hex") == found
    assert leafstyle.other_bases(o, 753, "decimal") == ()
    assert len(lines) == 4, lines  # the two lines, once per base asked


def test_the_runs_issuing_their_own_leaf_are_picked_once_per_variant(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each component of each consistency rule asked again which runs of the entry points found in the code ran to
    # their end issuing the leaf they are given (_found_in_code, judged_runs): picked once per variant now, in order.
    from types import SimpleNamespace
    from typing import Any

    from models.machine import SeamCall

    def call(leaf: int) -> SeamCall:
        return SeamCall("__seamcall", leaf, "tdx", 0, 0, False, (), "x.c:1")

    given, fixed = SimpleNamespace(args=("fn", "args")), SimpleNamespace(args=())
    runs: list[tuple[Any, Outcome]] = [
        (SimpleNamespace(leaf=5, entry=given), Outcome(OutcomeStatus.OK, calls=(call(5),))),  # its own leaf
        (SimpleNamespace(leaf=6, entry=given), Outcome(OutcomeStatus.OK, calls=(call(9),))),  # another: left out
        (SimpleNamespace(leaf=7, entry=given), Outcome(OutcomeStatus.ERROR, error="stopped")),  # did not end
        (SimpleNamespace(leaf=8, entry=given), Outcome(OutcomeStatus.OK)),  # no SEAMCALL: its leaf is the scenario's
        # An entry point given no leaf (a fixed-leaf wrapper): one of the scenario's component is judged, another's not.
        (SimpleNamespace(leaf=10, entry=fixed), Outcome(OutcomeStatus.OK, calls=(call(12),))),
        (SimpleNamespace(leaf=11, entry=fixed), Outcome(OutcomeStatus.OK, calls=(call(1 << 63 | 12),))),
    ]
    asked: list[str] = []

    def unnamed(ctx: Any, v: Any) -> list[tuple[Any, Outcome]]:
        asked.append(v.name)
        return runs

    monkeypatch.setattr(consistency, "_unnamed", unnamed)
    memo: dict[tuple[object, ...], object] = {}
    ctx: Any = SimpleNamespace(once=lambda key, make: memo[key] if key in memo else memo.setdefault(key, make()))
    v: Any = SimpleNamespace(name="v9")
    picked = consistency._issuing(ctx, v)
    assert [s.leaf for s, _ in picked] == [5, 8, 10]
    assert consistency._issuing(ctx, v) is picked and asked == ["v9"]

"""harness.consistency reads how a run prints its leaf once per outcome and leaf, however often the rules ask."""

from __future__ import annotations

import pytest

import harness.consistency as consistency
from models.machine import LogLine
from models.outcome import Outcome, OutcomeStatus


def _run(text: str) -> Outcome:
    # Lines of this test's own, so that no other test's outcome is an equal one already asked about.
    return Outcome(OutcomeStatus.OK, log=(LogLine("err", "once-test: SEAMCALL failed"), LogLine("err", text)))


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """The lines consistency's function ``name`` (line, leaf) is asked about from now on, in order."""
    lines: list[str] = []
    plain = getattr(consistency, name)

    def counted(line: str, leaf: int) -> str | None:
        lines.append(line)
        return plain(line, leaf)  # type: ignore[no-any-return]

    monkeypatch.setattr(consistency, name, counted)
    return lines


def test_a_runs_leaf_style_is_read_once_for_every_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every leaf-base rule asks it of every variant's runs, and variants running the same code share outcomes: each
    # asking read every log line of the run again.
    lines = _counting(monkeypatch, "_leaf_style")
    o = _run("once-test: leaf 0x2f1 (0x2f1) failed")
    first = consistency._style(o, 0x2F1)
    assert first is not None and first[1].endswith("(0x2f1) failed") and first[0].startswith("hex")
    assert consistency._style(o, 0x2F1) == first
    assert consistency._style(_run("once-test: leaf 0x2f1 (0x2f1) failed"), 0x2F1) == first  # an equal outcome
    assert len(lines) == 2, lines
    assert consistency._style(o, 0x2F2) is None  # another leaf is asked of the lines again
    assert len(lines) == 4, lines


def test_a_line_in_the_other_base_is_looked_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _counting(monkeypatch, "_exact_style")
    o = _run("once-test: leaf 753 (753) failed")
    found = consistency._other_base(o, 753, "hex")
    assert found is not None and found[1].endswith("(753) failed")
    assert consistency._other_base(o, 753, "hex") == found
    assert consistency._other_base(o, 753, "decimal") is None
    assert len(lines) == 4, lines  # the two lines, once per base asked

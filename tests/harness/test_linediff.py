"""harness.linediff: difflib's answer for files of ordinary size, a valid and bounded one for any size."""

from __future__ import annotations

import difflib
import random

import pytest

from harness import linediff
from harness.linediff import changed_regions, similarity


def _edited(rng: random.Random) -> tuple[list[str], list[str]]:
    a = [rng.choice("abcdefghij") + str(rng.randint(0, 30)) for _ in range(rng.randint(0, 80))]
    b = list(a)
    for _ in range(rng.randint(0, 10)):
        k = rng.randint(0, len(b))
        if rng.random() < 0.5 and b:
            del b[min(k, len(b) - 1)]
        else:
            b.insert(k, rng.choice("xyz") + str(rng.randint(0, 5)))
    return a, b


def _is_a_diff(a: list[str], b: list[str], regions: list[tuple[int, int, int, int]]) -> bool:
    """The regions tile both sides, in order, and what lies between them is equal."""
    pi = pj = 0
    for i1, i2, j1, j2 in regions:
        if i1 < pi or j1 < pj or a[pi:i1] != b[pj:j1]:
            return False
        pi, pj = i2, j2
    return a[pi:] == b[pj:]


def test_ordinary_files_get_difflibs_regions_and_ratio() -> None:
    rng = random.Random(3)
    for _ in range(400):
        a, b = _edited(rng)
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        assert list(changed_regions(a, b)) == [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                                              if tag != "equal"]
        assert similarity(a, b) == matcher.ratio()


def test_large_files_are_split_at_lines_both_have_once(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    monkeypatch.setattr(linediff, "DIFF_WORK", 4)  # every piece over it: the anchored path throughout
    for _ in range(400):
        a, b = _edited(rng)
        assert _is_a_diff(a, b, list(changed_regions(a, b)))


def test_a_file_of_thousands_of_hunks_has_each_changed_line_found() -> None:
    # 20,000 lines, every fifth changed: difflib alone takes minutes on it (linediff's docstring).
    a = [f"line {i}" for i in range(20_000)]
    b = [f"line {i} x" if i % 5 == 0 else f"line {i}" for i in range(20_000)]
    assert list(changed_regions(a, b)) == [(i, i + 1, i, i + 1) for i in range(0, 20_000, 5)]


def test_a_piece_too_large_with_nothing_to_anchor_on_counts_as_changed_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # No line occurs once on either side: nothing to split at. Counting the piece changed asks coverage of
    # all its lines (never a claim that less changed).
    monkeypatch.setattr(linediff, "DIFF_WORK", 10)
    a = ["{", "}"] * 20 + ["same"]
    b = ["}", "{"] * 20 + ["same"]
    assert list(changed_regions(a, b)) == [(0, 40, 0, 40)]

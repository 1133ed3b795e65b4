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


def _difflibs(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def test_two_lists_of_lines_diffed_before_are_not_diffed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # A comparison's changed lines and its changed conversions diff the same files, and variants sharing both sides
    # of a file diff it again: the corpus' eval, 127 diffs of 59 distinct pairs.
    made: list[object] = []
    matcher = difflib.SequenceMatcher

    def counted(*args: object, **kwargs: object) -> difflib.SequenceMatcher[str]:
        made.append(args)
        return matcher(*args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(linediff.difflib, "SequenceMatcher", counted)
    a, b = [f"line {n}" for n in range(30)], [f"line {n}" for n in range(30) if n != 7]
    first = changed_regions(a, b)
    assert list(changed_regions(list(a), list(b))) == list(first) == [(7, 8, 7, 7)]  # other lists, the same lines
    assert len(made) == 1


def test_what_was_diffed_before_is_found_again_by_every_line_and_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    # Kept by value: lists of one length that differ in one line, a list changed in place after it was diffed, or
    # another DIFF_WORK (the anchored path) each get their own regions, never the ones found before.
    rng = random.Random(17)
    for _ in range(300):
        a, b = _edited(rng)
        assert list(changed_regions(a, b)) == _difflibs(a, b)
        if a:
            a[rng.randrange(len(a))] = "changed"
            assert list(changed_regions(a, b)) == _difflibs(a, b)
    a, b = ["{", "}"] * 20 + ["same"], ["}", "{"] * 20 + ["same"]
    whole = list(changed_regions(a, b))
    monkeypatch.setattr(linediff, "DIFF_WORK", 10)
    assert list(changed_regions(a, b)) == [(0, 40, 0, 40)] != whole

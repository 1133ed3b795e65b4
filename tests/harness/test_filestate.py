"""harness.filestate: how a patch's hunks move the lines they do not touch."""

from __future__ import annotations

import random

from harness.filestate import LineMap, _in_order, _move


def _hunks(rng: random.Random) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """The ranges of a patch's hunks on each side, in order, as git writes them (empty ones too)."""
    src: list[tuple[int, int]] = []
    tgt: list[tuple[int, int]] = []
    a = t = rng.randint(1, 5)
    for _ in range(rng.randint(0, 8)):
        a += rng.randint(0, 4)
        t += rng.randint(0, 4)
        la, lb = rng.randint(0, 4), rng.randint(0, 4)
        src.append((a, a + la))
        tgt.append((t, t + lb))
        a, t = a + la, t + lb
    return tuple(src), tuple(tgt)


def test_lines_move_by_bisection_as_by_a_scan_of_every_hunk() -> None:
    rng = random.Random(1)
    for _ in range(2000):
        src, tgt = _hunks(rng)
        assert _in_order(src) and _in_order(tgt)
        for line in range(60):
            assert _move(line, src, tgt, True) == _move(line, src, tgt, False)
            assert _move(line, tgt, src, True) == _move(line, tgt, src, False)


def test_hunks_out_of_order_are_scanned() -> None:
    m = LineMap(((20, 22), (5, 6)), ((21, 23), (5, 5)))  # a hand-made patch: git never writes it
    assert not m._ordered
    assert [m.forward(n) for n in (4, 5, 6, 19, 20, 30)] == [4, None, 5, 18, None, 29]  # the last hunk below counts

"""models.neighbours: what a comparison of two conditions works out is worked out once, however often it is asked."""

from __future__ import annotations

import difflib

import pytest

from models import neighbours
from models.neighbours import Decision


def test_conditions_replaced_again_are_not_scored_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # two of a function's conditions made one: each comparison of variants that have them pairs them again
    shapes = [("BinaryOp", ("'=='",), (("ID", ("'ret'",), ()), ("Constant", ("'1'",), ()))), ("ID", ("'once'",), ())]
    left = [Decision("f", "x.c:1", shapes[0], None), Decision("f", "x.c:2", shapes[1], None)]
    right = [Decision("f", "y.c:1", (*shapes[0][:2], (shapes[0][2][0],)), None)]
    scored: list[object] = []
    real = difflib.SequenceMatcher.ratio

    def counting(self):  # type: ignore[no-untyped-def]
        scored.append(self)
        return real(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counting)
    first = neighbours._paired(left, right)
    assert [(c.a, c.b) for c in first] == [(left[0], right[0]), (left[1], None)]
    counted = len(scored)
    assert neighbours._paired(left, right) == first
    assert len(scored) == counted == 1  # the first condition alone met the one left: scored once, in the first

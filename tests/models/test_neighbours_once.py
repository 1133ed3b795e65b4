"""models.neighbours: what a comparison of two conditions works out is worked out once, however often it is asked."""

from __future__ import annotations

import difflib

import pytest

from models import neighbours
from models.cload import load_program
from models.loader import EntryPoint, Source
from models.neighbours import Decision

CODE = """typedef unsigned long long u64;
static inline int pick(u64 ret)
{
	if (ret == 3)
		return 1;
	if ((ret & ~8ULL) == 3)
		return 2;
	return 0;
}"""


def test_the_levels_of_two_conditions_are_read_once_for_every_value_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    program = load_program((Source("n/p.h", ((1, tuple(CODE.split("\n"))),), True),), (EntryPoint("pick"),))
    body = program.functions["pick"].body.block_items
    a, b = Decision("pick", "n/p.h:4", (), body[0].cond), Decision("pick", "n/p.h:6", (), body[1].cond)
    read: list[object] = []
    real = neighbours.levels

    def counting(*args):  # type: ignore[no-untyped-def]
        read.append(args)
        return real(*args)

    monkeypatch.setattr(neighbours, "levels", counting)
    # harness.valuecover asks once per value next to the condition: 3 and 3 | 8 tell the two apart, 4 does not
    got = [neighbours.agree_on(program, a, program, b, [v]) for v in (3, 4, 3 | 8, 4)]
    assert got == [True, True, False, True]
    assert len(read) == 1


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
    # each pair scored once, in the first (the most alike pairs are taken over all of them: tests/models/
    # test_neighbours_pairing.py), none again
    assert len(scored) == counted == len(left) * len(right)

"""models.decided: each side of a changed condition is worked out once per values of the names it reads."""

from __future__ import annotations

from typing import Any

import pytest

from models import decided
from models.cload import load_program
from models.condeval import Eval
from models.loader import EntryPoint, Source
from models.neighbours import Decision

CODE = """typedef unsigned long long u64;
static inline int pick(u64 fn, u64 ret)
{
	if (fn & 1)
		return 1;
	if (ret == 3)
		return 2;
	return 0;
}"""


def _pick(folder: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, Any, Decision, Decision, list[object]]:
    """CODE's program in ``folder``, its two conditions and their decisions, and the list each top-level evaluation
    of either condition is appended to."""
    program = load_program((Source(f"{folder}/p.h", ((1, tuple(CODE.split("\n"))),), True),), (EntryPoint("pick"),))
    body = program.functions["pick"].body.block_items
    x, y = body[0].cond, body[1].cond
    a, b = Decision("pick", f"{folder}/p.h:4", (), x), Decision("pick", f"{folder}/p.h:6", (), y)
    top: list[object] = []
    real = Eval.truth

    def counting(self, n):  # type: ignore[no-untyped-def]
        if self.depth == 0 and n in (x, y):
            top.append(n)
        return real(self, n)

    monkeypatch.setattr(Eval, "truth", counting)
    return program, x, y, a, b, top


def test_a_side_not_reading_the_answer_is_worked_out_once_per_leaf(monkeypatch: pytest.MonkeyPatch) -> None:
    program, x, y, a, b, top = _pick("a", monkeypatch)
    tried = list(range(70))
    got = decided._apart(program, a, x, program, b, y, ("ret", [{"fn": 1}, {"fn": 2}]), tried)
    # fn 1: x holds, y only at 3; fn 2: x fails, y holds at 3: every answer tells the two apart under some leaf.
    assert got == set(tried)
    # x reads only the leaf (twice: once per leaf), y only the answer (once per value): not 2 x 70 each.
    assert top.count(x) == 2 and top.count(y) == len(tried)


def test_a_condition_asked_again_is_not_worked_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # a variant is a side of several comparisons: each asks its changed conditions again for the same answers
    program, x, y, a, b, top = _pick("b", monkeypatch)
    env = ("ret", [{"fn": 1}, {"fn": 2}])
    first = decided._apart(program, a, x, program, b, y, env, list(range(8)))
    counted = len(top)
    assert decided._apart(program, a, x, program, b, y, env, list(range(8))) == first
    assert len(top) == counted == 2 + 8  # the second asking of the same values evaluates nothing

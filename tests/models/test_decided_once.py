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
    # fn 1: x holds, y only at 3; fn 2: x fails, y holds at 3: every answer tells the two apart under some leaf;
    # and so do answers not tried (models.exactcond names one per leaf, the mirror working it out once each).
    assert got > set(tried) and min(got - set(tried)) >= len(tried)
    # x reads only the leaf (twice: once per leaf), y only the answer (once per value): not 2 x 70 each.
    assert top.count(x) <= 2 + 2 and top.count(y) <= len(tried) + 2


def test_a_condition_asked_again_is_not_worked_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # a variant is a side of several comparisons: each asks its changed conditions again for the same answers
    program, x, y, a, b, top = _pick("b", monkeypatch)
    env = ("ret", [{"fn": 1}, {"fn": 2}])
    first = decided._apart(program, a, x, program, b, y, env, list(range(8)))
    counted = len(top)
    assert decided._apart(program, a, x, program, b, y, env, list(range(8))) == first
    assert len(top) == counted <= 2 + 8 + 4  # the second asking evaluates nothing (the solver's values: 2 a side)


THREE = """typedef unsigned long long u64;
static inline int three(u64 fn, u64 mid, u64 ret, u64 zed)
{
	if (ret == mid + zed)
		return 1;
	if ((fn & 1) && ret > mid)
		return 2;
	return 0;
}"""


def test_the_answers_apart_are_those_of_each_value_asked_alone() -> None:
    # _truths puts the answer's value among the other names' (sorted by name: 'mid' before 'ret', 'zed' after) and
    # asks a side that does not read it once: the answers apart are those of truth_at asked one value at a time,
    # with the given values (the answer's own among them, which the value tried replaces).
    from models.condeval import truth_at
    from models.neighbours import free_names

    program = load_program((Source("t/t.h", ((1, tuple(THREE.split("\n"))),), True),), (EntryPoint("three"),))
    body = program.functions["three"].body.block_items
    x, y = body[0].cond, body[1].cond
    a, b = Decision("three", "t/t.h:4", (), x), Decision("three", "t/t.h:6", (), y)
    fixed = [{"fn": 1, "mid": 2, "zed": 1, "ret": 99}, {"fn": 0, "mid": 5, "zed": 0}]
    tried = [*range(12), 1 << 40]

    def one_at_a_time(node: Any, given: dict[str, int], v: int) -> bool | None:
        names = free_names(node)
        vals = {**given, "ret": v}
        return truth_at(program, "three", node, tuple(sorted((n, k) for n, k in vals.items() if n in names)))

    want = {v for given in fixed for v in tried if one_at_a_time(x, given, v) != one_at_a_time(y, given, v)}
    assert want and want != set(tried)
    # Past the values tried, models.exactcond adds answers the two differ at too (one per assignment at most).
    got = decided._apart(program, a, x, program, b, y, ("ret", fixed), tried)
    assert got & set(tried) == want and all(any(one_at_a_time(x, given, v) != one_at_a_time(y, given, v)
                                                for given in fixed) for v in got - want)
    leaf_only = decided._apart(program, b, y, program, b, body[1].cond.left, ("ret", fixed), tried)
    assert leaf_only & set(tried) == {v for given in fixed for v in tried
                                      if one_at_a_time(y, given, v) != one_at_a_time(body[1].cond.left, given, v)}



def test_the_answers_apart_asked_again_are_a_new_set_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the value runs and the rules ask differing_answers again of one pair of programs (variants that share code)
    from tests.models.test_wide_conditions import SCOPE, WIDE, _decision

    worked: list[object] = []
    real = decided._differing
    monkeypatch.setattr(decided, "_differing", lambda *args: worked.append(args) or real(*args))
    pa, da = _decision("x == 5", WIDE)
    pb, db = _decision("(u64)x == 5", WIDE)
    first = decided.differing_answers(pa, da, pb, db, SCOPE, [5, 6, 5])
    assert first and len(worked) == 1
    want = set(first)
    first.add(-1)  # a caller's set is its own
    assert decided.differing_answers(pa, da, pb, db, SCOPE, [6, 5]) == want  # the same values in another order
    assert len(worked) == 1
    decided.differing_answers(pa, da, pb, db, SCOPE, [7])
    assert len(worked) == 2  # other values: worked out for them
    other, _ = _decision("x == 5", WIDE)  # another program of the same text: worked out for it
    assert decided.differing_answers(other, da, pb, db, SCOPE, [5, 6]) == want and len(worked) == 3

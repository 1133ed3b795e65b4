"""Conditions one side replaced by others are paired with their most alike.

Conditions one side replaced by others are paired with their most alike, over all of them: a condition removed
before one that changed does not take the changed one's later self."""

from __future__ import annotations

from models.cload import Program, load_program
from models.loader import EntryPoint, Source
from models.neighbours import changed_decisions

BEFORE = """typedef unsigned long long u64;
u64 op(u64 fn);
u64 retry(u64 fn)
{
	u64 busy = 7, err;
	int left = 3;

	if (fn & 0x8000000000000000ULL)
		busy = 9;
	for (;;) {
		err = op(fn);
		if (err != busy || !--left)
			break;
	}
	return err;
}
"""
# The leaf test gone and the loop's test comparing with the constant: its earlier self is 'err != busy || !--left'.
AFTER = BEFORE.replace("\tif (fn & 0x8000000000000000ULL)\n\t\tbusy = 9;\n", "").replace("err != busy", "err != 7")


def _program(text: str) -> Program:
    return load_program((Source("d/r.c", ((1, tuple(text.splitlines())),), True),), (EntryPoint("retry", ("fn",)),))


def test_a_removed_condition_does_not_take_a_changed_one_s_later_self() -> None:
    # Before: 'a condition of retry() changed, if (fn & ...) -> if (err != 7 || !--left)', and the loop's own test
    # 'err != busy || !--left' said removed.
    a, b = _program(BEFORE), _program(AFTER)
    got = {(c.a.where if c.a else None, c.b.where if c.b else None) for c in changed_decisions(a, b)}
    assert got == {("d/r.c:8", None), ("d/r.c:12", "d/r.c:10")}, got

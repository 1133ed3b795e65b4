"""models.leafapart: leaves of the compared components no scenario takes at which a leaf's condition differs."""

from __future__ import annotations

from models.cload import Program, load_program
from models.decided import Scope
from models.leafapart import leaves_apart
from models.loader import EntryPoint, Source
from models.neighbours import Decision, decisions

CODE = """typedef unsigned long long u64;
static inline int f(u64 fn, u64 err)
{
	if (TEST)
		return 1;
	return 0;
}"""


def _side(test: str) -> tuple[Program, Decision]:
    text = CODE.replace("TEST", test)
    p = load_program((Source("a/f.h", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("f", ("fn", "answer")),))
    return p, decisions(p)["f"][0]


def _apart(old: str, new: str, leaves: tuple[int, ...]) -> tuple[int, ...] | None:
    return leaves_apart(*_side(old), *_side(new), Scope(leaves, frozenset({"f"})))


def test_a_bit_of_the_same_component_tells_the_two_apart() -> None:
    assert _apart("fn & (1ULL << 63)", "fn & ((1ULL << 63) | 0x10)", (33, 35)) == (0x31, 0x33, 0x10)
    assert _apart("fn & (1ULL << 63)", "fn >> 63", (33, 35)) == ()
    # Under P-SEAMLDR leaves alone both come out true whatever the other bits: a TDX-module leaf is no leaf of the
    # components compared (a rule on one component's leaves).
    assert _apart("fn & (1ULL << 63)", "fn & ((1ULL << 63) | 0x10)", (1 << 63, (1 << 63) | 1)) == ()


def test_what_reads_more_than_the_leaf_is_not_worked_out_here() -> None:
    assert _apart("fn & 1", "(fn & 1) && err", (33,)) is None

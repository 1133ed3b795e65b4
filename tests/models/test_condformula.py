"""models.condformula: a condition's formula at a value is what gcc computes there; what it cannot write, it says.

Each condition is written as models.exactcond hands it to the solver, and evaluated at chosen values; gcc builds the
same conditions as the oracle. A construct not written raises Unwritten (exactcond's UNKNOWN), never a formula."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.condformula import Unwritten, Writer
from tests.models.test_exactcond import _decision, _gcc

z3 = pytest.importorskip("z3")

# (fn's type, the condition): conversions, promotions, a signed shift and division, wrap-around, a step, GNU ?:.
CONDS = [
    ("u64", "(u8)(fn + 1) == 0"),
    ("u64", "(s64)fn >> 1 == -3"),
    ("u64", "(s64)fn / 2 == -3"),
    ("u64", "(s32)fn < 0"),
    ("u64", "fn % 7 == 3 || fn / 3 == 7"),
    ("u64", "(fn & 0xffff) - 0x10 < 0x20"),
    ("u8", "--fn > 0"),
    ("u16", "fn * fn > 0x10000"),
    ("int", "fn + 1 > fn"),
    ("u64", "!(fn & 0x30) ? fn == 1 : fn > 0x40"),
    # GNU 'c ?: y': c where it is not zero, in the type c and y convert to (crashed: no middle operand to read)
    ("u64", "((fn & 0xf) ?: 0x20) > 5"),
    ("u8", "(fn ?: -1) < 0"),
    ("u64", "((s32)fn ?: 7u) > 3"),
]
VALUES = [0, 1, 2, 3, 21, 23, 0x2f, 0x30, 0xff, 0x100, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 63,
          (1 << 64) - 6, (1 << 64) - 1]


def _truth(t: str, cond: str, n: int, value: int) -> tuple[bool, bool]:
    """(the condition's truth at ``value``, whether the mirror computes none) as the formula says."""
    program, d = _decision(t, cond, n)
    fn = z3.BitVec("fn", 64)
    truth, undef = Writer(z3, program, "pick", {"fn": fn}).truth(d.node)
    at = [(fn, z3.BitVecVal(value, 64))]
    return z3.is_true(z3.simplify(z3.substitute(truth, *at))), z3.is_true(z3.simplify(z3.substitute(undef, *at)))


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle of C's conversions, is not installed")
def test_the_formula_at_a_value_is_what_gcc_computes(tmp_path: Path) -> None:
    told = _gcc(tmp_path, [(t, cond, VALUES) for t, cond in CONDS])
    for n, (t, cond) in enumerate(CONDS):
        for value, want in zip(VALUES, told[n], strict=True):
            assert _truth(t, cond, 300 + n, value) == (bool(want), False), (cond, hex(value), want)


def test_a_shift_past_the_width_is_not_computed() -> None:
    # The mirror computes no value for 'fn << 70' (C11 6.5.7p3: undefined); the formula says so, not a value.
    assert _truth("u64", "(fn << (fn & 127)) == 0", 320, 70)[1]
    assert not _truth("u64", "(fn << (fn & 127)) == 0", 321, 3)[1]


@pytest.mark.parametrize(("cond", "why"), [("(double)fn > 1", "a cast to a type not an integer's"),
                                         ("fn == 1 ? fn++ : 0", "a step in a branch of ?:")])
def test_what_is_not_written_raises_unwritten(cond: str, why: str) -> None:
    # Never a formula that reads otherwise than the mirror: what it cannot write, it says (models.exactcond: UNKNOWN).
    program, d = _decision("u64", cond, 330 + len(cond))
    with pytest.raises(Unwritten, match=why.replace("?", "[?]")):
        Writer(z3, program, "pick", {"fn": z3.BitVec("fn", 64)}).truth(d.node)

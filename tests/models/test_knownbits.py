"""Known bits (models.knownbits): every value with the known bits gives a result with the result's known bits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from models.ctype import INT, UINT, ULLONG, Int, arith
from models.knownbits import Bits, binary, convert, unary

_TYPES = (INT, UINT, ULLONG)
_OPS = ("&", "|", "^", "==", "!=", "<<", ">>")


def _member(b: Bits, noise: int) -> int:
    """A C value of ``b.t`` whose bits agree with ``b``'s known ones (the rest from ``noise``)."""
    return b.t.wrap((b.value & b.known) | (noise & ~b.known & b.t.mask))


def _agrees(b: Bits | None, number: int) -> bool:
    return b is None or (b.t.wrap(number) & b.t.mask & b.known) == b.value & b.known


@st.composite
def _bits(draw: st.DrawFn, t: Int | None = None) -> Bits:
    t = t or draw(st.sampled_from(_TYPES))
    known = draw(st.integers(0, t.mask))
    return Bits(t, known, draw(st.integers(0, t.mask)) & known)


@settings(max_examples=400, deadline=None)
@given(_bits(), _bits(), st.sampled_from(_OPS), st.integers(0, (1 << 64) - 1), st.integers(0, (1 << 64) - 1),
       st.integers(0, 40))
def test_a_binary_result_holds_for_every_value_with_the_known_bits(a: Bits, b: Bits, op: str, na: int, nb: int,
                                                                   count: int) -> None:
    if op in ("<<", ">>"):
        b = Bits.of(count % 64 if a.t.bits == 64 else count % 32, INT)
    x, y = _member(a, na), _member(b, nb)
    combine, _ = arith(op, a.t, b.t, "t:1")
    if op == "<<" and a.t.signed and (x < 0 or x << y >= 1 << (a.t.bits - 1)):
        return  # undefined in C: no value to agree with
    assert _agrees(binary(op, a, b, "t:1"), combine(x, y)), (a, b, op, x, y)


@settings(max_examples=300, deadline=None)
@given(_bits(), st.sampled_from((*_TYPES, Int(8, False, 0, "_Bool"))), st.integers(0, (1 << 64) - 1),
       st.sampled_from(("~", "!", "-")))
def test_a_conversion_and_a_unary_hold_for_every_value(a: Bits, t: Int, noise: int, op: str) -> None:
    x = _member(a, noise)
    assert _agrees(convert(a, t), t.wrap(x))
    assert _agrees(unary(op, a), {"~": ~x, "!": int(not x), "-": -x}[op])


def test_bit_63_alone_decides_a_test_of_bit_63_and_no_other() -> None:
    tdx = Bits(ULLONG, 1 << 63, 0)  # a TDX-module leaf: bit 63 clear, every other bit unknown
    ldr = Bits(ULLONG, 1 << 63, 1 << 63)
    mask = Bits.of(1 << 63, ULLONG)
    for leaf, truth in ((tdx, False), (ldr, True)):
        got = binary("&", leaf, mask, "t:1")
        assert got is not None and got.truth() is truth
    shifted = binary(">>", tdx, Bits.of(16, INT), "t:1")
    assert shifted is not None and shifted.truth() is None  # bits 16-23 of a versioned leaf
    middle = binary("&", tdx, Bits.of(0xFF0000, INT), "t:1")
    assert middle is not None and middle.truth() is None
    # Into an int, bit 63 is gone: the low 32 bits of fn & BIT(63) are 0 for every leaf.
    low = convert(binary("&", ldr, mask, "t:1"), INT)
    assert low is not None and low.truth() is False

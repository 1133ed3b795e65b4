"""Known bits of a C integer value: which of its bits are the same in every run, and what they are.

The domain models.leafbits evaluates conditions in: a value of a C integer type whose bits are partly known
(bit 63 of the leaf, set for P-SEAMLDR and clear for TDX-module leaves), combined with C's conversions
(models.ctype): a fully known result is computed as C computes it, a partly known one only where the operator
keeps bits apart (``&``, ``|``, ``^``, ``~``, shifts by a known count, ``==`` of values a known bit tells apart).
Anything else is unknown (None): never a guess.
"""

from __future__ import annotations

from models.ctype import INT, Int, arith, promote, usual
from models.errors import CRuntimeError, UnsupportedConstruct
from models.record import record


@record
class Bits:
    """A value of type ``t``: ``known`` masks the bits (of its width) that are known, ``value`` holds them."""

    t: Int
    known: int
    value: int

    @staticmethod
    def of(number: int, t: Int) -> Bits:
        """The C value ``number`` of type ``t``, every bit known."""
        return Bits(t, t.mask, t.wrap(number) & t.mask)

    def exact(self) -> int | None:
        """The C value when every bit is known."""
        return self.t.wrap(self.value) if self.known == self.t.mask else None

    def truth(self) -> bool | None:
        """Whether the value is nonzero, when its known bits say."""
        if self.value & self.known:
            return True
        return False if self.known == self.t.mask else None


Value = Bits | None  # None: nothing known, not even the type


def boolean(truth: bool | None) -> Bits:
    """A 0-or-1 int (a comparison, ``!``, ``&&``): known when ``truth`` is."""
    return Bits(INT, INT.mask & ~1, 0) if truth is None else Bits.of(int(truth), INT)


def convert(b: Value, t: Int) -> Value:
    """``b`` converted to ``t`` (C11 6.3.1): to bool by its truth; narrower by its low bits; wider by zero or
    sign extension (the sign bit unknown: the new bits unknown)."""
    if b is None:
        return None
    if t.rank == 0:
        truth = b.truth()
        return Bits(t, t.mask & ~1, 0) if truth is None else Bits.of(int(truth), t)
    if t.bits <= b.t.bits:
        return Bits(t, b.known & t.mask, b.value & t.mask)
    high = t.mask & ~b.t.mask
    sign = 1 << (b.t.bits - 1)
    if not b.t.signed or b.t.rank == 0:
        return Bits(t, b.known | high, b.value)
    if b.known & sign:
        return Bits(t, b.known | high, b.value | (high if b.value & sign else 0))
    return Bits(t, b.known, b.value)


def join(a: Bits, b: Bits) -> Bits:
    """What two values of one type have in common: the bits both know alike."""
    known = a.known & b.known & ~(a.value ^ b.value)
    return Bits(a.t, known, a.value & known)


def unary(op: str, b: Value) -> Value:
    """``!``, ``~``, ``+`` and ``-`` of a value (``-`` only of a known one)."""
    if op == "!":
        truth = b.truth() if b is not None else None
        return boolean(None if truth is None else not truth)
    if b is None:
        return None
    t = promote(b.t)
    assert isinstance(t, Int)
    c = convert(b, t)
    assert c is not None
    if op == "~":
        return Bits(t, c.known, ~c.value & c.known)
    if op == "+":
        return c
    number = c.exact()
    return Bits.of(-number, t) if op == "-" and number is not None else None


def binary(op: str, a: Value, b: Value, where: str) -> Value:
    """``a op b`` for an operator other than ``&&`` and ``||`` (their evaluation is the caller's)."""
    if a is None or b is None:
        return boolean(None) if op in ("==", "!=", "<", ">", "<=", ">=") else None
    x, y = a.exact(), b.exact()
    if x is not None and y is not None:
        try:
            combine, t = arith(op, a.t, b.t, where)
            result = combine(x, y)
        except (CRuntimeError, UnsupportedConstruct):
            return None
        return Bits.of(result, t) if isinstance(t, Int) else None
    if op in ("<<", ">>"):
        return _shift(op, a, y)
    t = usual(a.t, b.t)
    if not isinstance(t, Int):
        return None
    p, q = convert(a, t), convert(b, t)
    assert p is not None and q is not None
    return _bitwise(op, p, q)


def _bitwise(op: str, p: Bits, q: Bits) -> Value:
    both = p.known & q.known
    if op == "&":
        known = both | (p.known & ~p.value) | (q.known & ~q.value)
        return Bits(p.t, known, p.value & q.value & known)
    if op == "|":
        known = both | (p.known & p.value) | (q.known & q.value)
        return Bits(p.t, known, (p.value | q.value) & known)
    if op == "^":
        return Bits(p.t, both, (p.value ^ q.value) & both)
    if op in ("==", "!="):
        apart = bool(both & (p.value ^ q.value))  # a bit both know, and know apart
        return boolean((op == "!=") if apart else None)
    return boolean(None) if op in ("<", ">", "<=", ">=") else None


def _shift(op: str, a: Bits, count: int | None) -> Value:
    """A shift of a partly known value by a known count (C: the left operand promoted; a count out of range,
    or a left shift of a signed value, is no value here)."""
    t = promote(a.t)
    assert isinstance(t, Int)
    p = convert(a, t)
    if p is None or count is None or not 0 <= count < t.bits:
        return None
    if op == "<<":
        if t.signed:
            return None
        return Bits(t, ((p.known << count) | ((1 << count) - 1)) & t.mask, (p.value << count) & t.mask)
    vacated = t.mask & ~(t.mask >> count)
    sign = 1 << (t.bits - 1)
    if not t.signed:
        return Bits(t, (p.known >> count) | vacated, p.value >> count)
    if p.known & sign:
        return Bits(t, (p.known >> count) | vacated, (p.value >> count) | (vacated if p.value & sign else 0))
    return Bits(t, (p.known >> count) & ~vacated, (p.value >> count) & ~vacated)

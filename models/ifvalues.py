"""The values #if reads from integer and character constants, as gcc reads them (kbuild's -funsigned-char)."""

from __future__ import annotations

import copy
import re
from itertools import pairwise
from typing import Any

from models.directives import HAS_INCLUDE
from models.lazyre import lazy
from models.literals import EscapeError, char_value, unescape_bytes

_NUMBER = lazy(r"(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)")
_INTMAX = (1 << 63) - 1
# One element of a character constant's body: an escape sequence, or one source character.
_ELEMENT = lazy(r"\\x[0-9a-fA-F]*|\\[0-7]{1,3}|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|\\.|.", re.DOTALL)
_SIMPLE = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "e": 27, "E": 27}
# A wide constant's code unit: its mask, and whether the type is signed (wchar_t is int on x86-64; char16_t and
# char32_t are unsigned).
_WIDE = {"L": (0xFFFFFFFF, True), "u": (0xFFFF, False), "U": (0xFFFFFFFF, False)}


def if_values(pp: Any, tokens: list[Any]) -> list[Any]:
    """An #if's expanded tokens with each integer and character constant written as pcpp's evaluator reads gcc's
    value: a decimal number, ``u`` when it is unsigned, a negative one as ``(0-N)``.

    pcpp read a hex or octal constant past INTMAX_MAX as negative (gcc: unsigned, ``0x8000000000000000 > 0``),
    could not read ``0b101`` (gcc's binary constants), read ``'\\x41'`` as 0 (its escapes are Python's), refused
    ``'ab'`` and ``L'\\xffff'``, and gave a plain character constant a sign, where -funsigned-char makes it
    unsigned (``'a' - 98 < 0`` is false to gcc)."""
    out: list[Any] = []
    for tok in tokens:
        if tok.type == pp.t_INTEGER and isinstance(tok.value, str):
            value, unsigned = _integer(pp, tok)
        elif tok.type == pp.t_CHAR:
            value, unsigned = _character(pp, tok)
        else:
            out.append(tok)
            continue
        out.extend(_written(tok, value, unsigned))
    return out


def refuse_calls(pp: Any, tokens: list[Any]) -> None:
    """An #if's expanded expression refused where a name is followed by ``(`` (but ``defined``): gcc's
    ``__has_attribute(x)``, ``__has_builtin(x)``, ``__has_include(<x>)`` answer what the build's compiler has, which
    the mirror does not know; any other name is no function-like macro, and gcc stops there ("missing binary
    operator"). pcpp read both as 0, also one a macro gave (``#define H __has_attribute``, ``#if H(packed)``)."""
    solid = [tok for tok in tokens if tok.type not in pp.t_WS]
    for tok in solid:
        if tok.value == "#":  # gcc predefines #cpu(x86_64), #machine(...), #system(...): none is modelled
            pp.on_error(tok.source, tok.lineno, "an assertion (#predicate(answer), a deprecated GCC extension) is "
                                                "not read by the mirror")
    for tok, after in pairwise(solid):
        if tok.type != pp.t_ID or after.value != "(" or tok.value == "defined":
            continue
        if tok.value in HAS_INCLUDE:
            pp.on_error(tok.source, tok.lineno, f"{tok.value}: which headers the build finds is not known to the "
                                                "mirror")
        if tok.value.startswith("__has_"):
            pp.on_error(tok.source, tok.lineno, f"{tok.value}(...): what the gcc the kernel is built with has is "
                                                "not known to the mirror")
        pp.on_error(tok.source, tok.lineno, f'missing binary operator before token "(" (after {tok.value}, which '
                                            "is no function-like macro): gcc stops the build here")


def _written(tok: Any, value: int, unsigned: bool) -> list[Any]:
    """``value`` as tokens pcpp's evaluator reads as it (in place of ``tok``)."""
    spelled = [str(value) + ("u" if unsigned else "")] if value >= 0 else ["(", "0", "-", str(-value), ")"]
    if spelled == [tok.value]:
        return [tok]
    kinds = {"(": "CPP_LPAREN", "-": "CPP_MINUS", ")": "CPP_RPAREN"}
    made = []
    for text in spelled:
        new = copy.copy(tok)
        new.type, new.value = kinds.get(text, "CPP_INTEGER"), text
        made.append(new)
    return made


def _integer(pp: Any, tok: Any) -> tuple[int, bool]:
    """An integer constant's value and whether it is unsigned in #if (intmax_t or uintmax_t, C11 6.10.1p4)."""
    number = _NUMBER().fullmatch(tok.value)
    if number is None:  # refused before (models.ppnumber.refuse_non_integers)
        pp.on_error(tok.source, tok.lineno, f'"{tok.value}" is not an integer constant, which #if needs')
    assert number is not None
    digits, suffix = number.groups()
    base = 16 if digits[:2] in ("0x", "0X") else 2 if digits[:2] in ("0b", "0B") else 8 if digits[0] == "0" else 10
    value = int(digits[2:] if base in (2, 16) else digits, base)
    if value >> 64:
        pp.on_error(tok.source, tok.lineno, f'"{tok.value}": integer constant is too large for its type (gcc warns '
                                            "and keeps its low 64 bits; the mirror does not guess)")
    # gcc: a constant past INTMAX_MAX is unsigned (a decimal one with a warning)
    return value, "u" in suffix.lower() or value > _INTMAX


def _character(pp: Any, tok: Any) -> tuple[int, bool]:
    """A character constant's value in #if and whether it is unsigned: a plain one of one byte is an unsigned char
    (-funsigned-char), of several gcc's multi-character int; a wide one its code unit."""
    prefix, body = tok.value[: tok.value.index("'")], tok.value[tok.value.index("'") + 1 : -1]
    where = (tok.source, tok.lineno)
    if prefix == "u8":  # C2x's; gnu11 reads u8 as a name before a constant (gcc: missing binary operator)
        pp.on_error(*where, f"{tok.value}: a u8 character constant is C2x's, not gnu11's")
    if not prefix:  # a plain one: its bytes and value as the compiler's (models.literals), with its refusals
        try:
            data = unescape_bytes(body)
        except EscapeError as exc:
            pp.on_error(*where, f"{tok.value}: {exc}")
        if not data:
            pp.on_error(*where, "empty character constant")
        return char_value(tok.value), len(data) == 1
    elements = [element.group() for element in _ELEMENT().finditer(body)]
    if "\\x" in elements:
        pp.on_error(*where, f"{tok.value}: \\x used with no following hex digits")
    mask, signed = _WIDE[prefix]
    units = [_unit(element) for element in elements]
    value = units[-1] if units else -1  # gcc keeps the last (a warning)
    if value < 0:
        pp.on_error(*where, "empty character constant")
    value &= mask  # an escape past the type: gcc warns and keeps its low bits
    return (value - (1 << 32) if signed and value >> 31 else value), not signed


def _unit(element: str) -> int:
    """One element of a wide character constant: its code unit (a source character's, an escape's number)."""
    if element[0] != "\\":
        return ord(element)
    kind = element[1]
    if kind == "x":
        return int(element[2:], 16)
    if kind in "01234567":
        return int(element[1:], 8)
    if kind in "uU":
        return int(element[2:], 16)
    return _SIMPLE.get(kind, ord(kind))  # \\ \' \" \? and an unknown escape: the character (gcc warns)


def c_arithmetic(value: Any) -> None:
    """Make pcpp's evaluator's Value class (``value``) compute as C (and gcc's #if) does where it did not.

    - A comparison gives an int (C11 6.5.8p6, 6.5.9p3): pcpp gave ``0u == 1`` an unsigned 0, so
      ``(0u == 1) > -1`` was false to it (gcc: true).
    - ``/`` and ``%`` truncate toward zero: pcpp divided in floating point (``0xffffffffffffffffu / 3`` lost its
      low bits) and took Python's ``%`` (``1 % -2`` was -1; C: 1).
    - A shift by a negative count shifts the other way, and by 64 or more gives 0 (or -1, a negative number
      shifted right), as libcpp's num_rshift/num_lshift do; pcpp raised "negative shift count"."""
    def signed(compare: Any) -> Any:
        def method(self: Any, other: Any) -> Any:
            out = compare(self, other)
            return out if out.exception is not None or not out.unsigned else value(int(out), False)
        return method

    for name in ("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"):
        setattr(value, name, signed(getattr(value, name)))
    value.__truediv__ = value.__div__ = _arithmetic(value, lambda a, b: _quotient(a, b)[0])
    value.__mod__ = _arithmetic(value, lambda a, b: _quotient(a, b)[1])
    value.__lshift__ = _arithmetic(value, lambda a, n: _shifted(a, n), by_left=True)
    value.__rshift__ = _arithmetic(value, lambda a, n: _shifted(a, -n), by_left=True)


_MASK = (1 << 64) - 1


def _arithmetic(value: Any, operate: Any, by_left: bool = False) -> Any:
    """A binary operator of pcpp's Value computing ``operate`` on the operands as C converts them (both unsigned
    when one is; a shift's type is its left operand's, its count read as its own type)."""
    def method(self: Any, other: Any) -> Any:
        other = value(other)
        if self.exception is not None or other.exception is not None:
            return self if self.exception is not None else other
        unsigned = self.unsigned or (other.unsigned and not by_left)
        left = int(self) & _MASK if unsigned else int(self)
        right = int(other) & _MASK if other.unsigned or (unsigned and not by_left) else int(other)
        return value(operate(left, right), unsigned)
    return method


def _quotient(a: int, b: int) -> tuple[int, int]:
    """C's ``a / b`` and ``a % b`` (ZeroDivisionError for 0, which pcpp says as an expression it cannot read)."""
    q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
    return q, a - q * b


def _shifted(a: int, n: int) -> int:
    """``a`` shifted left by ``n`` (right when negative), the result wrapped by the caller."""
    if n >= 0:
        return a << n if n < 64 else 0
    return a >> min(-n, 64)

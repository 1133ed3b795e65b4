"""``#if`` arithmetic as C11 6.10.1 defines it: intmax_t / uintmax_t (64 bits), C's precedence and rules.

Only integer constants and operators reach it (models.conditional substitutes ``defined``, the
configuration and known macros first). Signed and unsigned mix as the usual arithmetic conversions
say; ``/`` truncates toward zero and ``%`` takes the dividend's sign; ``!`` binds tighter than ``==``
and comparisons do not chain. What gcc refuses or leaves undefined (division by zero, a shift by 64
or more or by a negative count, a malformed expression) gives None: undecided, never guessed.
"""

from __future__ import annotations

from models.lazyre import lazy

_TOKEN = lazy(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>&^|!~?:()]))")
_BINARY = {  # operator: (precedence, right-associative)
    "*": 10, "/": 10, "%": 10, "+": 9, "-": 9, "<<": 8, ">>": 8, "<": 7, "<=": 7, ">": 7, ">=": 7,
    "==": 6, "!=": 6, "&": 5, "^": 4, "|": 3, "&&": 2, "||": 1,
}
_MASK = (1 << 64) - 1
Value = tuple[int, bool]  # (value, unsigned)


class _Undecided(Exception):
    """Something gcc refuses or leaves undefined: the condition is not decided."""


def evaluate(expr: str) -> bool | None:
    """The truth of an ``#if`` expression of constants and operators, or None (see the module doc)."""
    tokens: list[str | Value] = []
    pos = 0
    text = expr.rstrip()
    while pos < len(text):
        m = _TOKEN().match(text, pos)
        if m is None:
            return None
        pos = m.end()
        if m.group(1) is not None:
            digits, suffix = m.group(1), m.group(2)
            base = 16 if digits[:2].lower() == "0x" else 8 if digits.startswith("0") and len(digits) > 1 else 10
            try:
                value = int(digits, base)
            except ValueError:
                return None
            # A constant that does not fit intmax_t is unsigned (C11 6.4.4.1), as one with a u suffix.
            tokens.append((value & _MASK, "u" in suffix.lower() or value > _MASK >> 1))
        else:
            tokens.append(m.group(3))
    try:
        parser = _Parser(tokens)
        value, _ = parser.conditional()
        if parser.pos != len(tokens):
            return None
    except (_Undecided, IndexError):
        return None
    return value != 0


def _signed(value: int) -> int:
    return value - (1 << 64) if value >> 63 else value


class _Parser:
    """Precedence climbing over the tokens; values are kept as 64-bit patterns with their signedness."""

    def __init__(self, tokens: list[str | Value]) -> None:
        self.tokens, self.pos = tokens, 0

    def _next(self) -> str | Value:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _peek(self) -> str | Value | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def conditional(self) -> Value:
        cond = self.binary(1)
        if self._peek() != "?":
            return cond
        self._next()
        a = self.conditional()
        if self._next() != ":":
            raise _Undecided
        b = self.conditional()
        unsigned = a[1] or b[1]
        return (a[0] if cond[0] else b[0]), unsigned

    def binary(self, lowest: int) -> Value:
        left = self.unary()
        while isinstance(op := self._peek(), str) and _BINARY.get(op, 0) >= lowest:
            self._next()
            right = self.binary(_BINARY[op] + 1)
            left = _apply(op, left, right)
        return left

    def unary(self) -> Value:
        token = self._next()
        if isinstance(token, tuple):
            return token
        if token == "(":
            inner = self.conditional()
            if self._next() != ")":
                raise _Undecided
            return inner
        if token in ("!", "~", "-", "+"):
            value, unsigned = self.unary()
            if token == "!":
                return int(value == 0), False
            if token == "~":
                return ~value & _MASK, unsigned
            return (-value & _MASK if token == "-" else value), unsigned
        raise _Undecided


def _apply(op: str, a: Value, b: Value) -> Value:
    if op in ("&&", "||"):
        truth = (a[0] != 0 and b[0] != 0) if op == "&&" else (a[0] != 0 or b[0] != 0)
        return int(truth), False
    unsigned = a[1] or b[1]
    x, y = (a[0], b[0]) if unsigned else (_signed(a[0]), _signed(b[0]))
    if op in ("<<", ">>"):
        count = b[0] if b[1] else _signed(b[0])
        if not 0 <= count < 64:
            raise _Undecided
        value = a[0] << count if op == "<<" else (a[0] >> count if a[1] else _signed(a[0]) >> count)
        return value & _MASK, a[1]
    if op in ("/", "%"):
        if y == 0:
            raise _Undecided
        quotient = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)
        return (quotient if op == "/" else x - quotient * y) & _MASK, unsigned
    if op in ("<", "<=", ">", ">=", "==", "!="):
        truth = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y, "==": x == y, "!=": x != y}[op]
        return int(truth), False
    value = {"*": x * y, "+": x + y, "-": x - y, "&": x & y, "^": x ^ y, "|": x | y}[op]
    return value & _MASK, unsigned

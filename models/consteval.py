"""Integer constant expressions (array sizes, enum values, case labels) and C literal decoding."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models.ctype import literal_type
from models.errors import UnsupportedConstruct

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b",
            "f": "\f", "v": "\v", "?": "?", "e": "\x1b"}


def unescape(body: str) -> str:
    """The characters of a C string or character literal body (between the quotes)."""
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 >= len(body):
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "x":
            j = i + 2
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(chr(int(body[i + 2 : j] or "0", 16) & 0xFF))
            i = j
        elif nxt in "01234567":
            j = i + 1
            while j < len(body) and j < i + 4 and body[j] in "01234567":
                j += 1
            out.append(chr(int(body[i + 1 : j], 8) & 0xFF))
            i = j
        else:
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
    return "".join(out)


def string_value(text: str) -> str:
    """A (pycparser-joined) string literal's value; adjacent pieces may still be separated."""
    parts: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != '"':
            i += 1
            continue
        j = i + 1
        while j < len(text) and text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        parts.append(unescape(text[i + 1 : j]))
        i = j + 1
    return "".join(parts)


def char_value(text: str) -> int:
    body = unescape(text[text.index("'") + 1 : text.rindex("'")])
    return ord(body[0]) if body else 0


def const_int(node: c_ast.Node, types: Any) -> int:
    """Evaluate an integer constant expression (mathematically; callers wrap to the type)."""
    if isinstance(node, c_ast.Constant):
        if node.type == "char":
            return char_value(node.value)
        if node.type in ("int", "long int", "unsigned int", "long long int", "unsigned long int",
                         "unsigned long long int", "long unsigned int", "long long unsigned int"):
            return literal_type(node.value)[0]
    if isinstance(node, c_ast.ID) and node.name in getattr(types, "enums", {}):
        return int(types.enums[node.name])
    if isinstance(node, c_ast.UnaryOp) and node.op in ("-", "+", "~", "!"):
        v = const_int(node.expr, types)
        return {"-": -v, "+": v, "~": ~v, "!": int(not v)}[node.op]
    if isinstance(node, c_ast.BinaryOp):
        a, b = const_int(node.left, types), const_int(node.right, types)
        ops = {"+": a + b, "-": a - b, "*": a * b, "<<": a << b if 0 <= b < 128 else 0, ">>": a >> b if b >= 0 else 0,
               "&": a & b, "|": a | b, "^": a ^ b, "==": int(a == b), "!=": int(a != b), "<": int(a < b),
               ">": int(a > b), "<=": int(a <= b), ">=": int(a >= b), "&&": int(bool(a and b)),
               "||": int(bool(a or b))}
        if node.op in ops:
            return ops[node.op]
        if node.op in ("/", "%") and b:
            q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
            return q if node.op == "/" else a - b * q
    if isinstance(node, c_ast.Cast):
        return const_int(node.expr, types)
    where = types.where(node.coord) if hasattr(types, "where") else ""
    raise UnsupportedConstruct(where, f"not an integer constant expression: {type(node).__name__}")

"""strcmp(), strncmp() and memcmp(): their sign, the one part of their value the kernel's build determines."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models import unions
from models.clayout import sizeof
from models.cparse import all_nodes
from models.ctype import Int
from models.errors import CRuntimeError, UnsupportedConstruct
from models.libc import _region
from models.machine import ElemPtr, Machine, StrVal

# lib/string.c's strcmp() and strncmp() give -1, 0 or 1 and its memcmp() the difference of the first bytes that
# differ; gcc, which knows these functions (no -ffreestanding on x86-64), folds a call on constants to -1, 0 or 1 and
# expands one on a short constant string inline to a difference of bytes: only the sign is the same in every build.
# A call is run where its value is tested against 0 alone (== != < > <= >= with a 0, !, a condition, an operand of
# && or ||, a cast to bool, likely()/unlikely()/WARN_ON()'s condition); any other use of the value is refused where
# it is (SIGN_ONLY_USE).
SIGN_ONLY = frozenset({"strcmp", "strncmp", "memcmp"})
SIGN_ONLY_USE = ("the value of {name}() past its sign is the build's (lib/string.c gives -1 or 1{memcmp}, gcc's inline "
                 "expansion the difference of two bytes): only a test of it against 0 is modelled")
_RELATIONAL = frozenset({"==", "!=", "<", ">", "<=", ">="})
# Their first argument is a truth value: likely(x) is __builtin_expect(!!(x), 1) (include/linux/compiler.h),
# WARN_ON(condition) tests !!(condition) (include/asm-generic/bug.h).
_TRUTH_ARG = frozenset({"likely", "unlikely", "WARN_ON", "WARN_ON_ONCE", "WARN", "WARN_ONCE"})


def _call(node: c_ast.Node | None) -> c_ast.FuncCall | None:
    if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in SIGN_ONLY:
        return node
    return None


def _zero(node: c_ast.Node) -> bool:
    """An integer constant 0 (``0``, ``0U``, ``0x0``...)."""
    if not (isinstance(node, c_ast.Constant) and node.type in ("int", "unsigned int", "long int", "unsigned long int",
                                                                 "long long int", "unsigned long long int")):
        return False
    digits = node.value.lower().rstrip("ul")
    try:
        return int(digits, 0) == 0 if not (len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()) \
            else int(digits, 8) == 0
    except ValueError:
        return False


def sign_tested(body: c_ast.Node) -> frozenset[c_ast.FuncCall]:
    """The strcmp()/strncmp()/memcmp() calls in ``body`` whose value is only tested against 0."""
    calls = (_call(cand) for node in all_nodes(body) for cand in _tested(node))
    return frozenset(call for call in calls if call is not None)


def _tested(node: c_ast.Node) -> list[c_ast.Node | None]:
    """The operands of ``node`` whose value it uses as a truth value or compares with a 0 operand."""
    if isinstance(node, c_ast.BinaryOp):
        if node.op in ("&&", "||"):
            return [node.left, node.right]
        if node.op in _RELATIONAL:
            return [node.left if _zero(node.right) else None, node.right if _zero(node.left) else None]
    if isinstance(node, c_ast.UnaryOp) and node.op == "!":
        return [node.expr]
    if isinstance(node, c_ast.If | c_ast.While | c_ast.DoWhile | c_ast.For | c_ast.TernaryOp):
        return [node.cond]
    if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in _TRUTH_ARG \
            and node.args is not None and node.args.exprs:
        return [node.args.exprs[0]]
    if isinstance(node, c_ast.Cast) and _to_bool(node.to_type):
        return [node.expr]
    return []


def _to_bool(t: c_ast.Node) -> bool:
    """A type name that is _Bool (bool is the prelude's typedef of it)."""
    decl = t.type if isinstance(t, c_ast.Typename) else None
    return isinstance(decl, c_ast.TypeDecl) and isinstance(decl.type, c_ast.IdentifierType) \
        and decl.type.names in (["_Bool"], ["bool"])


def _bytes_at(p: Any, what: str, where: str) -> tuple[list[Any], int]:
    """The bytes a char pointer reads from (a string literal's with its NUL, a char array's elements) and the first."""
    if p is None:
        raise CRuntimeError(where, f"{what}: NULL pointer")
    if isinstance(p, StrVal):
        return [*p.data, 0], 0
    if isinstance(p, list):  # a char array passed by name (models.lvalues.char_array: 8-bit elements alone)
        return p, 0
    if isinstance(p, ElemPtr) and isinstance(p.ctype, Int) and p.ctype.bits == 8:
        return p.synced(), p.index
    raise UnsupportedConstruct(where, f"{what} of this pointer is not modelled (a string literal or a char array is)")


def _sign(a: int, b: int) -> int:
    return (a > b) - (a < b)


def _compare(args: list[Any], count: int | None, what: str, where: str) -> int:
    """lib/string.c strncmp() (``count`` None: strcmp()): each pair of bytes in turn, as unsigned char, to the first
    that differ, a NUL, or ``count``; reading past an array or a byte never set is a run-time error."""
    (a, i), (b, j) = _bytes_at(args[0], what, where), _bytes_at(args[1], what, where)
    k = 0
    while count is None or k < count:
        if i + k >= len(a) or j + k >= len(b):
            raise CRuntimeError(where, f"{what}: no NUL in the array before its end (reading past it)")
        c1, c2 = a[i + k], b[j + k]
        if not (isinstance(c1, int) and isinstance(c2, int)):
            raise CRuntimeError(where, f"{what}: a byte compared was never set")
        if (c1 & 0xFF) != (c2 & 0xFF):
            return _sign(c1 & 0xFF, c2 & 0xFF)
        if c1 == 0:
            break
        k += 1
    return 0


def strcmp(m: Machine, args: list[Any], where: str) -> int:
    """The sign of strcmp(cs, ct): -1, 0 or 1."""
    return _compare(args, None, "strcmp()", where)


def strncmp(m: Machine, args: list[Any], where: str) -> int:
    """The sign of strncmp(cs, ct, count): -1, 0 or 1."""
    return _compare(args, int(args[2]) & ((1 << 64) - 1), "strncmp()", where)


def memcmp(m: Machine, args: list[Any], where: str) -> int:
    """The sign of memcmp(cs, ct, count): the first of ``count`` bytes that differ, as unsigned char, as x86-64 lays
    each object out (a string literal's bytes and its NUL; objects of integers: models.unions); bytes not known (a
    pointer's, padding) are refused, past the object is a run-time error; 0 bytes compare equal."""
    n = int(args[2]) & ((1 << 64) - 1)
    if args[0] is None or args[1] is None:
        raise CRuntimeError(where, "memcmp(): NULL pointer")
    if n == 0:
        return 0
    one, two = _object_bytes(args[0], n, where), _object_bytes(args[1], n, where)
    for c1, c2 in zip(one, two, strict=True):
        if c1 != c2:
            return _sign(c1, c2)
    return 0


def _object_bytes(p: Any, n: int, where: str) -> bytes:
    """The first ``n`` bytes at ``p``."""
    if isinstance(p, StrVal):
        data = p.data + b"\0"
        if n > len(data):
            raise CRuntimeError(where, f"memcmp() of {n} bytes of a {len(data)}-byte string literal (reading past it)")
        return data[:n]
    t, value, _, _ = _region(p, n, "memcmp()", where)
    if not unions.modelled(t):
        raise UnsupportedConstruct(where, f"memcmp() of {t} is not modelled (its bytes are not)")
    raw, known, opaque, why = unions.bits_of(value, t)
    if opaque or known != (1 << (8 * sizeof(t))) - 1:
        raise UnsupportedConstruct(where, f"memcmp() of bytes not known ({why or 'padding, or bytes never set'})")
    return raw.to_bytes(sizeof(t), "little")[:n]

"""C types of x86-64 (LP64) and the integer rules: promotions, usual conversions, wrap-around."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import field

from models.errors import CRuntimeError, UnsupportedConstruct
from models.record import record


class CType:
    """Base of all C types the mirror knows."""

    # Not an ABC: isinstance() against a class whose metaclass is ABCMeta runs ABCMeta.__instancecheck__, a Python
    # function, where a plain class is tested in C, and the interpreter tests types on nearly every value it
    # handles (tens of thousands of times in an eval). mypy still holds name() abstract.

    def __str__(self) -> str:
        return self.name()

    @abstractmethod
    def name(self) -> str:
        """The type as C spells it."""


@record
class Int(CType):
    """An integer type: width in bits, signedness, and conversion rank (bool 0 ... long long 5)."""

    bits: int
    signed: bool
    rank: int
    spelled: str
    mask: int = field(init=False, repr=False, compare=False)
    _half: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # wrap() runs on nearly every arithmetic result: precompute what it needs.
        object.__setattr__(self, "mask", (1 << self.bits) - 1)
        object.__setattr__(self, "_half", 1 << (self.bits - 1) if self.signed else 1 << self.bits)

    def name(self) -> str:
        return self.spelled

    def wrap(self, value: int) -> int:
        """Convert a mathematical integer to this type (modulo 2**bits, two's complement)."""
        if self.rank == 0:
            return 1 if value else 0
        value &= self.mask
        if value >= self._half:
            value -= self.mask + 1
        return value

    def fits(self, value: int) -> bool:
        if self.signed:
            return -(1 << (self.bits - 1)) <= value < (1 << (self.bits - 1))
        return 0 <= value <= self.mask


@record
class Void(CType):
    def name(self) -> str:
        return "void"


@record
class Ptr(CType):
    target: CType

    def name(self) -> str:
        return f"{self.target.name()} *"


@record
class Array(CType):
    elem: CType
    length: int | None
    # A variable length array (C11 6.7.6.2p4): its length, None here, is each object's own (models.vlas)
    vla: bool = False

    def name(self) -> str:
        return f"{self.elem.name()}[{'*' if self.vla else '' if self.length is None else self.length}]"


@record
class Struct(CType):
    """A struct or union: its members (a bit-field's type is bit_field()'s), and, when it has bit-fields, every
    member in declaration order as laid out: (name, None for an unnamed bit-field; declared type; width in bits,
    None for a member that is not a bit-field)."""

    tag: str
    fields: tuple[tuple[str, CType], ...]
    union: bool = False
    decl: tuple[tuple[str | None, CType, int | None], ...] = ()
    # "FILE:LINE" when defined in a file known only in part (models.loader.Source.complete): a #pragma pack outside
    # what is known may pack it, so its layout is refused where packing could change it (layout(), alignof())
    partial: str = ""
    # __attribute__((packed)) (include/linux/compiler_attributes.h __packed): every member aligned to 1 byte, a
    # bit-field where the last ended, the struct's alignment 1 (models.clayout)
    packed: bool = False

    def name(self) -> str:
        return f"{'union' if self.union else 'struct'} {self.tag}"

    def complete(self, fields: tuple[tuple[str, CType], ...],
                 decl: tuple[tuple[str | None, CType, int | None], ...]) -> None:
        """Set the members of a struct made before them (models.typesys.TypeSystem.struct): a member may point at
        the struct itself (``struct resource *parent``), which must exist first. Only while it has none."""
        assert not self.fields and not self.decl, self.tag
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "decl", decl)

    def __eq__(self, other: object) -> bool:
        # Member by member, as a record compares; a struct reached again through a pointer member while the same
        # pair is compared is taken as equal there (the pair is equal when nothing else differs), where the
        # generated comparison would recurse without end.
        if other is self:
            return True
        if other.__class__ is not Struct:
            return NotImplemented
        assert isinstance(other, Struct)
        pair = (id(self), id(other))
        if pair in _COMPARING:
            return True
        _COMPARING.add(pair)
        try:
            return (self.tag, self.union, self.partial, self.packed, self.fields, self.decl) == \
                (other.tag, other.union, other.partial, other.packed, other.fields, other.decl)
        finally:
            _COMPARING.discard(pair)

    def __hash__(self) -> int:
        # Not of the members' types, which may reach the struct itself: of what equal structs share.
        return hash((self.tag, self.union, tuple(n for n, _ in self.fields)))

    def field(self, name: str) -> CType | None:
        for n, t in self.fields:
            if n == name:
                return t
        return None

    def member_path(self, name: str) -> tuple[tuple[Struct, str, CType], ...] | None:
        """How ``.name`` is reached: (struct, member, member's type) per step, one step for a member of its own,
        more through C11 6.7.2.1p13's anonymous struct and union members (``union { struct { u32 lo; u32 hi; };
        u64 full; }``: ``.hi`` is a member of the anonymous struct, which is a member of the union); None when
        there is no such member."""
        for n, t in self.fields:
            if n == name:
                return ((self, n, t),)
        for n, t in self.fields:
            if is_anonymous(n) and isinstance(t, Struct):
                inner = t.member_path(name)
                if inner is not None:
                    return ((self, n, t), *inner)
        return None


_COMPARING: set[tuple[int, int]] = set()  # the pairs of structs Struct.__eq__ is comparing now

ANONYMOUS = "<anonymous member "  # how an anonymous struct or union member is named: no C identifier starts so


def anonymous_name(index: int) -> str:
    """The name of the anonymous struct or union member at ``index`` among a struct's members."""
    return f"{ANONYMOUS}{index}>"


def is_anonymous(name: str) -> bool:
    return name.startswith(ANONYMOUS)


@record
class Incomplete(CType):
    """A struct or union declared and never defined (``struct opaque;``), reached behind a pointer, where C allows it
    (C11 6.7.2.3p8, 6.2.5p22: a pointer to an incomplete type is complete): such a pointer is held, passed, compared
    and converted; what needs the members or the size (a member, ``*p``, ``sizeof``, ``p + 1``) is refused where it
    is, saying ``why`` (gcc refuses it too when the definition is nowhere; with a header the mirror does not have, it
    may be there)."""

    tag: str
    union: bool = False
    why: str = field(default="", compare=False)
    at: str = field(default="", compare=False)  # "FILE:LINE" where it is named: where a refusal is said by default

    def name(self) -> str:
        return f"{'union' if self.union else 'struct'} {self.tag}"


@record
class Func(CType):
    ret: CType
    params: tuple[CType, ...]
    variadic: bool = False

    def name(self) -> str:
        return f"{self.ret.name()} (*)({', '.join(p.name() for p in self.params)})"


BOOL = Int(8, False, 0, "_Bool")
# The kernel builds with -funsigned-char (top-level Makefile, since v6.2): plain char is unsigned, a type of its
# own still (char * for u8 * is only -Wpointer-sign).
CHAR = Int(8, False, 1, "char")
SCHAR = Int(8, True, 1, "signed char")
UCHAR = Int(8, False, 1, "unsigned char")
SHORT = Int(16, True, 2, "short")
USHORT = Int(16, False, 2, "unsigned short")
INT = Int(32, True, 3, "int")
UINT = Int(32, False, 3, "unsigned int")
LONG = Int(64, True, 4, "long")
ULONG = Int(64, False, 4, "unsigned long")
LLONG = Int(64, True, 5, "long long")
ULLONG = Int(64, False, 5, "unsigned long long")
# gcc's 128-bit integers on x86-64 (include/uapi/linux/types.h's __s128/__u128, the kernel's s128/u128): of rank above
# long long (C11 6.3.1.1p1: an extended type of greater width), 16 bytes, aligned on 16.
INT128 = Int(128, True, 6, "__int128")
UINT128 = Int(128, False, 6, "unsigned __int128")
VOID = Void()

_BY_WORDS: dict[tuple[str, ...], Int] = {
    ("_Bool",): BOOL, ("char",): CHAR, ("signed", "char"): SCHAR, ("unsigned", "char"): UCHAR,
    ("short",): SHORT, ("short", "int"): SHORT, ("signed", "short"): SHORT, ("unsigned", "short"): USHORT,
    ("unsigned", "short", "int"): USHORT, ("int",): INT, ("signed",): INT, ("signed", "int"): INT,
    ("unsigned",): UINT, ("unsigned", "int"): UINT, ("long",): LONG, ("long", "int"): LONG,
    ("signed", "long"): LONG, ("unsigned", "long"): ULONG, ("unsigned", "long", "int"): ULONG,
    ("long", "long"): LLONG, ("long", "long", "int"): LLONG, ("signed", "long", "long"): LLONG,
    ("unsigned", "long", "long"): ULLONG, ("unsigned", "long", "long", "int"): ULLONG,
    ("__int128",): INT128, ("signed", "__int128"): INT128, ("unsigned", "__int128"): UINT128,
}


def int_type(words: list[str]) -> Int | None:
    """The integer type named by a list of C keywords (order-insensitive), or None."""
    key = sorted(words, key=lambda w: ("signed", "unsigned", "short", "long", "char", "int", "_Bool").index(w)
                 if w in ("signed", "unsigned", "short", "long", "char", "int", "_Bool") else 9)
    return _BY_WORDS.get(tuple(key))


def promote(t: CType) -> CType:
    """Integer promotion: anything narrower than int becomes int."""
    if isinstance(t, Int) and t.rank < INT.rank:
        return INT
    return t


def _unsigned_of(t: Int) -> Int:
    return {INT: UINT, LONG: ULONG, LLONG: ULLONG, INT128: UINT128}.get(t, t)


def usual(a: CType, b: CType) -> CType:
    """The usual arithmetic conversions of C11 6.3.1.8 for two integer operands."""
    a, b = promote(a), promote(b)
    if not isinstance(a, Int) or not isinstance(b, Int):
        return a
    if a == b:
        return a
    if a.bits not in _WIDTHS or b.bits not in _WIDTHS:
        return _wide_bit_field_common(a, b)
    if a.signed == b.signed:
        return a if a.rank >= b.rank else b
    uns, sig = (a, b) if not a.signed else (b, a)
    if uns.rank >= sig.rank:
        return uns
    if sig.bits > uns.bits:
        return sig
    return _unsigned_of(sig)


_WIDTHS = frozenset((8, 16, 32, 64, 128))  # of the integer types; another is a bit-field's (bit_field())


def _wide_bit_field_common(a: Int, b: Int) -> Int:
    """The common type where one operand is a bit-field of 33 to 63 bits (``u64 pa : 40``) or of 65 to 127 (of a
    128-bit integer): gcc's C front end
    (c-typeck.c c_common_type()) takes the operand of greater precision, and at equal precision the unsigned
    one, so ``s.pa + 1`` is computed in 40 bits and ``s.pa + 1ULL`` in 64."""
    if a.bits != b.bits:
        return a if a.bits > b.bits else b
    return b if a.signed else a


def literal_type(text: str, where: str = "") -> tuple[int, Int]:
    """Value and type of an integer constant (C11 6.4.4.1), e.g. ``0x8000020300000000ULL``.

    A decimal one without ``u`` past ``long long`` and within 64 bits is gcc's ``__int128`` (c-lex.cc
    interpret_integer(), with the warning "integer constant is so large that it is unsigned"; C11 6.4.4.1p6 allows an
    extended type). Raises UnsupportedConstruct (at ``where``) for one no type holds: past 64 bits (gcc warns that
    it is too large for its type and keeps part of it).
    """
    body = text.rstrip("uUlL")
    suffix = text[len(body):].lower()
    prefix = body[:2].lower()
    base = 16 if prefix == "0x" else 2 if prefix == "0b" else 8 if body.startswith("0") and len(body) > 1 else 10
    digits = body[2:] if base in (16, 2) else body
    if not digits or any(ch not in "0123456789abcdefABCDEF"[:base + 6 * (base == 16)] for ch in digits):
        # C23's digit separators (1'000), a digit past the base: gcc 12 refuses them (int() would raise ValueError)
        raise UnsupportedConstruct(where, f"integer constant {text} is not one the mirror reads (C23 digit "
                                          "separators, or a digit past its base)")
    # int() reads no decimal of more than 4,300 digits (CVE-2020-10735); every such one is past 64 bits.
    value = 10**4300 if base == 10 and len(body) > 4300 else int(digits, base)
    unsigned = "u" in suffix
    longs = suffix.count("l")
    if longs == 2:
        candidates = [ULLONG] if unsigned else [LLONG, ULLONG] if base != 10 else [LLONG]
    elif longs == 1:
        candidates = [ULONG, ULLONG] if unsigned else [LONG, ULONG, LLONG, ULLONG] if base != 10 else [LONG, LLONG]
    elif unsigned:
        candidates = [UINT, ULONG, ULLONG]
    else:
        candidates = [INT, UINT, LONG, ULONG, LLONG, ULLONG] if base != 10 else [INT, LONG, LLONG]
    for t in candidates:
        if t.fits(value):
            return value, t
    if base == 10 and not unsigned and ULLONG.fits(value):  # gcc: "so large that it is unsigned", yet __int128
        return value, INT128
    raise UnsupportedConstruct(where, f"integer constant {text} fits none of the types C11 6.4.4.1 allows it "
                                      "(gcc warns 'too large for its type' and keeps part of it)")


def bit_field(declared: Int, width: int) -> Int:
    """The type a bit-field of ``width`` bits of the ``declared`` integer type has as gcc computes with it (C):
    ``width`` bits of the declared signedness; narrower than int (or a signed 32), it promotes to int (C11
    6.3.1.1p2: ``u64 flag : 1`` is an int in arithmetic); an unsigned 32 is an unsigned int; 64 bits the declared
    type. A _Bool bit-field is a _Bool. Wider than 32 and narrower than 64 bits gcc computes in the field's own
    width (``u64 pa : 40``, ``s.pa + 1`` wraps at 2**40, c-typeck.c): such a type is made, of the declared rank
    (usual() compares it by width first, as gcc does)."""
    if declared.rank == 0 or width == declared.bits:
        return declared
    rank = 2 if width < 32 else 3 if width == 32 else declared.rank
    return Int(width, declared.signed, rank, f"{declared.spelled}:{width}")


def compatible(a: CType, b: CType) -> bool:
    """__builtin_types_compatible_p(): the same type once typedefs are resolved (qualifiers never kept here)."""
    return a == b


def arith(op: str, lt: Int, rt: Int, where: str) -> tuple[Callable[[int, int], int], CType]:
    """How two integer values of types lt and rt combine under ``op`` in C, and the result type."""
    if op in ("<<", ">>"):
        t = promote(lt)
        assert isinstance(t, Int)
        bits, wrap, left = t.bits, t.wrap, op == "<<"

        def shift(x: int, n: int) -> int:
            if n < 0 or n >= bits:
                raise CRuntimeError(where, f"shift by {n} of a {bits}-bit {t} is undefined")
            return wrap(x << n) if left else wrap(x >> n)

        return shift, t
    ct = usual(lt, rt)
    assert isinstance(ct, Int)
    cx, cy = ct.wrap, ct.wrap
    if op in COMPARE:
        cmp = COMPARE[op]
        return (lambda x, y: 1 if cmp(cx(x), cy(y)) else 0), INT
    if op in ("/", "%"):
        def divide(x: int, y: int) -> int:
            x, y = cx(x), cy(y)
            if y == 0:
                raise CRuntimeError(where, "division by zero")
            q = abs(x) // abs(y) * (1 if (x >= 0) == (y >= 0) else -1)
            if not ct.fits(q):
                raise CRuntimeError(where, f"division overflows {ct}")
            return ct.wrap(q if op == "/" else x - y * q)

        return divide, ct
    fn = ARITH.get(op)
    if fn is None:
        raise UnsupportedConstruct(where, f"operator {op}")
    return (lambda x, y: cx(fn(x, y))), ct


COMPARE: dict[str, Callable[[int, int], bool]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
}
ARITH: dict[str, Callable[[int, int], int]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
}


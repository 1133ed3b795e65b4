"""C types from pycparser declarations: typedefs, structs, enums, pointers, arrays and functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models.consteval import NotConstant, TypeOf, const_int, const_value, refuse_bit_field
from models.cparse import RANGE_OP, all_nodes, attribute
from models.ctype import (
    INT,
    LONG,
    UINT,
    ULONG,
    VOID,
    Array,
    CType,
    Func,
    Incomplete,
    Int,
    Ptr,
    Struct,
    anonymous_name,
    bit_field,
    int_type,
)
from models.elision import StructValued, elided, member
from models.errors import FLOAT_TYPES, FLOATING_POINT, BuildFailure, UnsupportedConstruct
from models.sizedstrings import SizedStrings
from models.valist import BUILTIN_TYPES

# The longest array the mirror builds (it holds every element as a Python object): helper code has short
# arrays; a bigger one is refused rather than filling memory.
MAX_ARRAY_LENGTH = 1 << 16

Where = Callable[[Any], str]  # a pycparser coord -> "file:line"


class TypeSystem:
    """Resolves declarations against the typedefs, structs and enums of one translation unit."""

    def __init__(self, ast: c_ast.FileAST, where: Where, dropped: dict[str, str] | None = None,
                 partial: frozenset[str] = frozenset()) -> None:
        self.where = where
        self.dropped = dropped or {}
        self.partial = partial  # the files known only in part (models.ctype.Struct.partial)
        self.layouts: dict[str, str] = {}  # struct tags declared with a layout attribute after their body
        self.typedefs: dict[str, c_ast.Node] = {}
        self.struct_nodes: dict[str, c_ast.Node] = {}
        self.enums: dict[str, int] = {}
        self.wide_enums: dict[str, str] = {}  # enumerators past int: why each is refused where it is used
        self.typed_enums: dict[str, tuple[int, Int]] = {}  # enumerators past int gcc gives the enum's type
        self.enum_types: dict[str, Int] = {}  # enum tag -> its type, from its enumerators (enum_values)
        self._structs: dict[str, Struct] = {}
        self._making: set[str] = set()  # the structs whose members are being resolved (struct())
        # Whether the type being resolved is a pointer's target (not an array's element, nor a member itself): a
        # struct whose members are being resolved may be named there, incomplete (C11 6.7.2.3p8: struct n *next).
        self._behind_pointer = False
        # The bytes of the string literals sizes are worked out from (a pr_fmt() in them: the run's pr_fmt).
        self.strings = SizedStrings()
        for node in ast.ext:
            self._collect(node)

    def _collect(self, node: c_ast.Node) -> None:
        if isinstance(node, c_ast.Typedef):
            self.typedefs[node.name] = node.type
            self._collect_type(node.type)
        elif isinstance(node, c_ast.Decl):
            self._collect_type(node.type)

    def _collect_type(self, t: c_ast.Node) -> None:
        layout = None
        while isinstance(t, c_ast.TypeDecl | c_ast.PtrDecl | c_ast.ArrayDecl | c_ast.FuncDecl | c_ast.AttributedType):
            if isinstance(t, c_ast.AttributedType):
                layout = next((a for a in ("packed", "aligned") if attribute(t, a) is not None), layout)
            t = t.type
        if layout is not None and isinstance(t, c_ast.Struct | c_ast.Union) and t.name:
            self.layouts[t.name] = layout
        if isinstance(t, c_ast.Enum) and t.name:  # enum __packed e { ... }; enum e { ... } __packed;
            layout = next((a for a in ("packed", "aligned") if attribute(t, a) is not None), layout)
            if layout is not None:
                self.layouts[f"enum {t.name}"] = layout
        if isinstance(t, c_ast.Struct | c_ast.Union) and t.name and t.decls is not None:
            self.struct_nodes[t.name] = t
        elif isinstance(t, c_ast.Enum) and t.values is not None:
            self.enum_values(t)

    def enum_values(self, node: c_ast.Enum) -> Int:
        """The enumerators' values, and the enum's type: ``unsigned int`` when none is negative, else ``int``
        (gcc, "Structures, Unions, Enumerations, and Bit-Fields"; the enumerators themselves are ints,
        C11 6.7.2.2p3). With one past ``int`` the type is gcc's (c-decl.cc finish_enum(): the narrowest of int
        and long, unsigned when none is negative, that holds every value) and such an enumerator has that type
        (those that fit stay ints). Refused where used, never read as an int: one referred to inside its own enum,
        one past 64 bits, and one whose implicit value overflows the type of the one before (gcc: "overflow in
        enumeration values"; that type is its initializer's, at least int)."""
        nxt, cur, values, wide = 0, INT, [], []
        for e in node.values.enumerators:
            if e.value is not None:  # c-decl.cc build_enumerator(): a value that fits int is an int from here
                nxt, t = const_value(e.value, self)
                cur = t if t.bits >= INT.bits and not INT.fits(nxt) else INT
            why = (f"enumerator {e.name} = {nxt:#x} (defined at {self.where(e.coord)}) "
                   + ("overflows the type of the one before (gcc refuses the enum)" if not cur.fits(nxt) else
                      "does not fit in int: used inside its own enum, where gcc types it by its initializer, "
                      "which is not modelled"))
            values.append(nxt)
            if INT.fits(nxt) and cur.fits(nxt):
                self.enums[e.name] = nxt
            else:
                wide.append((e.name, nxt, cur.fits(nxt)))
                self.wide_enums[e.name] = why
                if node.name:
                    self.wide_enums.setdefault(f"enum {node.name}", why)
            nxt += 1
        low, high = min(values, default=0), max(values, default=0)
        wide_type = _enum_type(low, high) if wide and all(ok for _, _, ok in wide) else None
        if wide_type is None:
            t = INT if low < 0 else UINT  # no wide one; or the wide ones are refused where used (wide_enums)
            overflow = not all(ok for _, _, ok in wide)
            for name, value, ok in wide:
                if ok:  # gcc refuses the enum, or: "enumeration values exceed range of largest integer"
                    self.wide_enums[name] = f"enumerator {name} = {value:#x}: " + (
                        "another of its enum overflows (gcc refuses the enum)" if overflow else
                        "no 64-bit type holds every value of its enum")
            if node.name and not wide:
                self.enum_types[node.name] = t
            return t
        for name, value, _ in wide:
            self.typed_enums[name] = (value, wide_type)
            del self.wide_enums[name]
        if node.name:
            self.wide_enums.pop(f"enum {node.name}", None)
            self.enum_types[node.name] = wide_type
        return wide_type

    def resolve(self, node: c_ast.Node, type_of: TypeOf | None = None) -> CType:
        """The CType of a declaration's type node; ``type_of`` types the expression of a ``typeof``.

        A declaration (``Decl``) of an array without a size takes it from its initializer (C11 6.7.9p22).
        """
        if isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.ArrayDecl) and node.type.dim is None \
                and node.init is not None:
            elem = self.resolve(node.type.type, type_of)
            return self._array(elem, self._init_length(node.init, elem, type_of), node)
        if isinstance(node, c_ast.Typename | c_ast.Decl | c_ast.TypeDecl):
            return self.resolve(node.type, type_of)
        if isinstance(node, c_ast.PtrDecl):
            return Ptr(self._completing(node.type, type_of, True))
        if isinstance(node, c_ast.ArrayDecl):
            length = const_int(node.dim, self, type_of) if node.dim is not None else None
            return self._array(self._completing(node.type, type_of, False), length, node)
        if isinstance(node, c_ast.FuncDecl):
            if not self._behind_pointer:
                return self.function_type(node, type_of)
            before, self._behind_pointer = self._behind_pointer, False  # its return type and parameters are not
            try:
                return self.function_type(node, type_of)
            finally:
                self._behind_pointer = before
        if isinstance(node, c_ast.IdentifierType):
            return self._named(node)
        if isinstance(node, c_ast.Struct | c_ast.Union):
            return self.struct(node)
        if isinstance(node, c_ast.Enum):
            return self._enum(node)
        if isinstance(node, c_ast.TypeOf):
            return self._typeof(node, type_of)
        if isinstance(node, c_ast.AttributedType):
            if isinstance(node.type, c_ast.Enum):
                self._enum_layout(node.type, node)
            if isinstance(node.type, c_ast.Struct | c_ast.Union):  # typedef struct { ... } __packed t;
                layout = next((a for a in ("aligned", "packed") if attribute(node, a) is not None), None)
                if layout == "packed" and node.type.decls is not None:  # its body's: laid out packed
                    self.layouts.setdefault(self._tag(node.type), layout)
                elif layout is not None:
                    tag = node.type.name or "(anonymous)"
                    raise UnsupportedConstruct(self.where(node.type.coord),
                                               f"struct {tag}: attribute {layout} (its layout) is not modelled")
            return self.resolve(node.type, type_of)
        raise UnsupportedConstruct(self.where(node.coord), f"type {type(node).__name__}")

    def opaque(self, node: c_ast.TypeDecl) -> CType:
        """The type of an object whose definition is elsewhere, declared as ``node``: a struct never defined is
        incomplete (models.storage: an extern object's), as it is behind a pointer."""
        return self._completing(node, None, True)

    def _completing(self, node: c_ast.Node, type_of: TypeOf | None, behind_pointer: bool) -> CType:
        """resolve() while a struct's members are resolved: whether a struct being made may be named in ``node``
        (behind a pointer: yes; an array's element: no, its size is needed)."""
        before, self._behind_pointer = self._behind_pointer, behind_pointer
        try:
            return self.resolve(node, type_of)
        finally:
            self._behind_pointer = before

    def _array(self, elem: CType, length: int | None, node: c_ast.Node) -> Array:
        """An array type; one longer than MAX_ARRAY_LENGTH is refused (the mirror holds every element)."""
        if length is not None and not 0 <= length <= MAX_ARRAY_LENGTH:
            raise UnsupportedConstruct(self.where(node.coord), f"an array of {length} elements (the mirror holds up "
                                                               f"to {MAX_ARRAY_LENGTH:,})")
        return Array(elem, length)

    def _enum_layout(self, node: c_ast.Enum, holder: c_ast.Node) -> None:
        """An enum whose type gcc sizes by an attribute, which the mirror does not model: ``__packed`` makes it the
        narrowest integer type holding its values (``enum e { A, B = 200 } __packed`` is one byte: storing 300
        keeps 44), ``__aligned`` changes its alignment; refused where the type is used (its enumerators are ints)."""
        known = self.layouts.get(f"enum {node.name}") if node.name else None
        layout = next((a for a in ("packed", "aligned") if attribute(holder, a) is not None), known)
        if layout is not None:
            raise UnsupportedConstruct(self.where(node.coord), f"enum {node.name or '(anonymous)'}: attribute "
                                                                f"{layout} (its size) is not modelled")

    def _enum(self, node: c_ast.Enum) -> CType:
        self._enum_layout(node, node)
        t = self.enum_values(node) if node.values is not None else self.enum_types.get(node.name or "")
        if node.name and f"enum {node.name}" in self.wide_enums:  # its type is wider than int
            raise UnsupportedConstruct(self.where(node.coord), f"enum {node.name}: "
                                                                + self.wide_enums[f"enum {node.name}"])
        if t is None and f"enum {node.name}" in self.dropped:  # its definition is known, and refused (C23 'enum e : T')
            raise UnsupportedConstruct(self.where(node.coord), f"enum {node.name} is not available: "
                                                                + self.dropped[f"enum {node.name}"])
        if t is None:  # int or unsigned int: it depends on enumerators that are not known
            raise UnsupportedConstruct(self.where(node.coord), f"enum {node.name}: its enumerators are not in what "
                                                                "is known of the code, and its type depends on them")
        return t

    def _init_length(self, init: c_ast.Node, elem: CType | None = None, type_of: TypeOf | None = None) -> int:
        """The length an initializer gives an array of unknown size: its elements, or a string's bytes and
        the NUL (designators are refused, as the array initializer does not model them); an aggregate
        element whose braces are elided counts once for the initializers it takes (models.elision)."""
        if isinstance(init, c_ast.Constant) and init.type == "string":
            return len(self.strings.bytes_of(init.value, self.where(init.coord))) + 1
        if not isinstance(init, c_ast.InitList):
            raise UnsupportedConstruct(self.where(init.coord), "an array of unknown size with this initializer")
        pos = length = i = 0
        while i < len(init.exprs):
            e = init.exprs[i]
            i += 1
            if isinstance(e, c_ast.NamedInitializer):  # [i] = x moves the position (C11 6.7.9p17)
                if not isinstance(e.name[0], c_ast.ArrayDesignator):
                    raise UnsupportedConstruct(self.where(e.expr.coord), "this designator in an array initializer")
                index = e.name[0].expr
                if isinstance(index, c_ast.BinaryOp) and index.op == RANGE_OP:  # GNU C's [first ... last]
                    index = index.right
                pos = const_int(index, self, None)
                if len(e.name) > 1:  # [i][j] = x, [i].x = x: inside element i, no braces elided
                    pos += 1
                    length = max(length, pos)
                    continue
                e = e.expr
            if elem is not None and elided(elem, e, self._struct_valued(type_of)):
                i = member(elem, e, init.exprs, i, self._struct_valued(type_of), self.where(e.coord))[1]
            pos += 1
            length = max(length, pos)
        return length

    def _struct_valued(self, type_of: TypeOf | None) -> StructValued:
        """Whether an initializer has a struct type: a compound literal's, or what ``type_of`` says."""
        def valued(e: c_ast.Node) -> bool:
            if isinstance(e, c_ast.CompoundLiteral):
                return isinstance(self.resolve(e.type, type_of), Struct)
            if isinstance(e, c_ast.Constant):
                return False
            if type_of is None:
                raise UnsupportedConstruct(self.where(e.coord), "an initializer whose type is not known here")
            return isinstance(type_of(e), Struct)
        return valued

    def _typeof(self, node: c_ast.TypeOf, type_of: TypeOf | None) -> CType:
        if isinstance(node.expr, c_ast.Typename):
            return self.resolve(node.expr, type_of)
        if type_of is None:
            raise UnsupportedConstruct(self.where(node.coord), f"{node.op}(expression) outside a function")
        refuse_bit_field(node.expr, type_of, self.where(node.coord), f"'{node.op}' applied to")
        return type_of(node.expr)

    def _named(self, node: c_ast.IdentifierType) -> CType:
        names = [n for n in node.names if n not in ("const", "volatile")]
        if names == ["void"]:
            return VOID
        if FLOAT_TYPES.intersection(names):
            raise UnsupportedConstruct(self.where(node.coord), FLOATING_POINT)
        if len(names) == 1 and names[0] in self.typedefs:
            return self.resolve(self.typedefs[names[0]])
        t = int_type(names) or (BUILTIN_TYPES.get(names[0]) if len(names) == 1 else None)
        if t is None:  # a typedef that was found but not read (a tree's header it does not parse) says why
            why = f": {self.dropped[names[0]]}" if len(names) == 1 and names[0] in self.dropped else ""
            raise UnsupportedConstruct(self.where(node.coord), f"unknown type '{' '.join(names)}'{why}")
        return t

    def _tag(self, node: c_ast.Struct | c_ast.Union) -> str:
        return node.name or f"<anonymous@{self.where(node.coord)}:{getattr(node.coord, 'column', 0) or 0}>"

    def struct(self, node: c_ast.Struct | c_ast.Union) -> Struct | Incomplete:
        # an untagged struct is its definition: two on one line (``struct { u32 a; } w; struct { u64 a; } s;``) are
        # two types, told apart by the column
        tag = self._tag(node)
        if tag in self._making:
            return self._incomplete(tag, node)
        if tag in self._structs:
            return self._structs[tag]
        full = node if node.decls is not None else self.struct_nodes.get(tag)
        if node.name is None and full is not None:
            self.struct_nodes.setdefault(tag, full)  # its members' declarations, as a tagged one's (models.readonly)
        if full is None:
            why = f": {self.dropped[tag]}" if tag in self.dropped else ""
            if self._behind_pointer:  # a pointer to it is complete: what needs its members is refused where it is
                return Incomplete(tag, isinstance(node, c_ast.Union), why, self.where(node.coord))
            raise UnsupportedConstruct(self.where(node.coord), f"struct {tag} is used but never defined{why}")
        packed = self._packed(tag, full)
        for d in full.decls:  # C11 _Alignas on a member moves it and pads the struct, as aligned() does
            if getattr(d, "align", None):
                raise UnsupportedConstruct(self.where(d.coord), f"struct {tag}: _Alignas of member {d.name} "
                                                                 "(its layout) is not modelled")
        at = self.where(full.coord)
        partial = at if self.partial and at.rpartition(":")[0] in self.partial else ""
        # Made before its members, which may point at it (struct resource's parent, list_head's next): they get
        # this very object, whose members are set once resolved (a pointer's size needs none of them).
        result = Struct(tag, (), union=isinstance(full, c_ast.Union), partial=partial, packed=packed)
        made = len(self._structs)
        self._structs[tag] = result
        self._making.add(tag)
        try:
            fields, decl = self._members(tag, full)
        except BaseException:  # neither it nor a struct that points at it is kept half made
            for kept in list(self._structs)[made:]:
                del self._structs[kept]
            raise
        finally:
            self._making.discard(tag)
        result.complete(fields, decl)
        return result

    def _packed(self, tag: str, full: c_ast.Struct | c_ast.Union) -> bool:
        """Whether the struct is declared packed (on its body, or on a declaration naming it after: models.clayout
        lays it out); refused: aligned there, packed or aligned on a member, a zero-width bit-field packed."""
        said = self.layouts.get(tag)
        if said is None:
            said = next((a for a in ("aligned", "packed") if attribute(full, a) is not None), None)
        pragma = attribute(full, "pragma_pack")  # models.slicer: under a #pragma pack(n) but pack(1)
        if pragma is not None:
            said = f"#pragma pack({pragma.strip('()')})"
        if said not in (None, "packed"):
            what = said if said.startswith("#") else f"attribute {said}"
            raise UnsupportedConstruct(self.where(full.coord), f"struct {tag}: {what} (its layout) is not modelled")
        for d in full.decls:
            for layout in ("packed", "aligned"):
                if attribute(d.type, layout) is not None:
                    raise UnsupportedConstruct(self.where(d.type.coord), f"struct {tag}: attribute {layout} of a "
                                                                          "member (its layout) is not modelled")
            if said and d.bitsize is not None and d.name is None:
                raise UnsupportedConstruct(self.where(d.coord), f"struct {tag}: an unnamed bit-field in a packed "
                                                                "struct (its layout) is not modelled")
        return said == "packed"

    def _incomplete(self, tag: str, node: c_ast.Node) -> Struct:
        """A struct named inside its own members: behind a pointer, the struct being made (C11 6.7.2.3p8); else it
        would hold itself (gcc: 'field has incomplete type'), refused at its line."""
        if self._behind_pointer:
            return self._structs[tag]
        full = node if node.decls is not None else self.struct_nodes.get(tag, node)
        raise UnsupportedConstruct(self.where(full.coord), f"struct {tag} is reached again through its own members, "
                                                            "not behind a pointer (it would hold itself; gcc refuses "
                                                            "it: 'field has incomplete type')")

    def _members(self, tag: str, full: c_ast.Struct | c_ast.Union
                 ) -> tuple[tuple[tuple[str, CType], ...], tuple[tuple[str | None, CType, int | None], ...]]:
        """A struct's members, and when it has bit-fields every member in declaration order with its width
        (models.ctype.Struct). An anonymous struct or union member (C11 6.7.2.1p13) has a name no C identifier
        can be: its members are found through it (Struct.member_path). A bit-field of a type that is not an
        integer is refused; one wider than its type, or a named one of width 0, is a build failure, as in gcc."""
        fields: list[tuple[str, CType]] = []
        decl: list[tuple[str | None, CType, int | None]] = []
        for i, d in enumerate(full.decls):
            t = self._completing(d.type, None, False)
            if d.bitsize is None:
                name = d.name if d.name is not None else anonymous_name(i)
                fields.append((name, t))
                decl.append((name, t, None))
                continue
            where = self.where(d.coord)
            if not isinstance(t, Int):
                raise UnsupportedConstruct(where, f"struct {tag}: bit-field '{d.name}' of type {t}")
            width = const_int(d.bitsize, self)
            if width < 0 or width > (1 if t.rank == 0 else t.bits):
                raise BuildFailure(where, f"width of bit-field '{d.name or ''}' ({width}) exceeds its type {t}")
            if width == 0 and d.name is not None:
                raise BuildFailure(where, f"zero width for bit-field '{d.name}'")
            decl.append((d.name, t, width))
            if d.name is not None:
                fields.append((d.name, bit_field(t, width)))
        has_bits = any(w is not None for _, _, w in decl)
        return tuple(fields), tuple(decl) if has_bits else ()

    def resolve_tag(self, tag: str) -> Struct:
        node = self.struct_nodes.get(tag)
        if node is None:
            raise UnsupportedConstruct("", f"struct {tag} is not defined")
        got = self.struct(node)
        assert isinstance(got, Struct)  # its definition is known: never Incomplete
        return got

    def function_type(self, node: c_ast.FuncDecl, type_of: TypeOf | None = None) -> Func:
        params: list[CType] = []
        variadic = False
        for p in (node.args.params if node.args else []):
            if isinstance(p, c_ast.EllipsisParam):
                variadic = True
                continue
            t = self._parameter(p, type_of)
            if t == VOID:
                continue
            params.append(Ptr(t.elem) if isinstance(t, Array) else t)
        return Func(self.resolve(node.type, type_of), tuple(params), variadic)

    def _parameter(self, p: c_ast.Node, type_of: TypeOf | None) -> CType:
        """A parameter's type. One of array type is a pointer to its element (C11 6.7.6.3p7), so that the length of a
        VLA parameter (``u32 a[n]``, ``a[*]``), worked out on entry only for its side effects (6.9.1p10), is no part
        of it: the pointer, as gcc passes it (before, "not an integer constant expression: 'n'")."""
        dim = p.type.dim if isinstance(p, c_ast.Decl) and isinstance(p.type, c_ast.ArrayDecl) else None
        if dim is None:
            return self.resolve(p.type, type_of)
        try:
            const_int(dim, self, type_of)
            return self.resolve(p.type, type_of)
        except NotConstant:
            pass
        if any(isinstance(n, c_ast.FuncCall | c_ast.Assignment) or (isinstance(n, c_ast.UnaryOp) and n.op in _STEPS)
               for n in all_nodes(dim)):
            raise UnsupportedConstruct(self.where(dim.coord), "a VLA parameter's length with a side effect, which gcc "
                                                              "works out on entry, is not modelled")
        return Ptr(self._completing(p.type.type, type_of, False))


_STEPS = frozenset({"++", "--", "p++", "p--"})


def _enum_type(low: int, high: int) -> Int | None:
    """gcc's type for an enum whose values run from ``low`` to ``high``, one of them past int: the narrowest of
    (unsigned) int and (unsigned) long that holds both, unsigned when ``low`` is not negative; None past 64 bits
    (gcc: "overflow in enumeration values")."""
    for t in ((UINT, ULONG) if low >= 0 else (INT, LONG)):
        if t.fits(low) and t.fits(high):
            return t
    return None

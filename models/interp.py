"""The interpreter: a value-returning visitor that compiles pycparser expressions into Python closures."""

from __future__ import annotations

import operator
from abc import abstractmethod
from collections.abc import Callable
from functools import cached_property
from typing import Any

from pycparser import c_ast

from models import addressof, arraydecay, assign, blocks, choosing, eflags, lvalues
from models.consteval import ConstEnv, TypeOf, const_value, size_of
from models.cparse import ALIGNOF, all_nodes, own_alignment
from models.ctype import (
    CHAR,
    INT,
    ULONG,
    VOID,
    Array,
    CType,
    Func,
    Int,
    Ptr,
    Struct,
    arith,
    literal_type,
    promote,
)
from models.errors import FLOATING_POINT, BuildFailure, UnsupportedConstruct
from models.kernel import KERNEL_SYMBOLS, PRIMITIVES, responder_primitive
from models.literals import char_value, is_char_constant, string_bytes, uses_pr_fmt
from models.loader import _ENTRY_PREFIX as ENTRY_PREFIX
from models.machine import FuncVal, StrVal
from models.primitive import Primitive
from models.printkargs import pr_fmt_literal
from models.ptrarith import incdec, moves, pointer_binop
from models.ptrequal import same_pointer
from models.readonly import Seen, refuse_readonly
from models.sequencing import Sequencing
from models.storage import Storage
from models.unknowncall import unknown_identifier
from models.values import (
    UNINIT,
    Fn,
    Frame,
    Scope,
    Setter,
    Stmt,
    Var,
    constant,
    convert,
    decayed,
    folded,
    read_var,
    scalar_operands,
    truth,
)
from models.vlas import runtime_size

# gcc's name of each arithmetic unary operator, in its "wrong type argument to ..." (a struct or union operand).
_WRONG_TYPE = {"-": "unary minus", "~": "bit-complement", "+": "unary plus"}


class ExprCompiler(Storage):
    """Expression half of the compiler: names and expressions; storage.py holds storage, statements.py adds the rest."""

    @abstractmethod
    def stmt(self, node: c_ast.Node, scope: Scope) -> Stmt:
        """A closure running a statement (statements.py)."""

    @abstractmethod
    def stmt_site(self, node: c_ast.Node, scope: Scope) -> tuple[str, Stmt]:
        """Where a statement starts, and a closure running it that does not note that it ran (statements.py)."""

    @abstractmethod
    def block_part(self, node: c_ast.Node, scope: Scope) -> tuple[str, Stmt, bool]:
        """stmt_site(), an expression statement as its expression's closure, flagged True (statements.py)."""

    @abstractmethod
    def mark(self, node: c_ast.Node) -> Stmt:
        """A statement that only counts as run where ``node`` starts (statements.py)."""

    @abstractmethod
    def decision(self, test: Fn, node: c_ast.Node) -> Fn:
        """``test``, noting each time whether it came out true or false where ``node`` starts (statements.py)."""

    def is_primitive(self, name: str) -> bool:
        return name in PRIMITIVES or name in self.seam_functions

    def primitive(self, name: str) -> Primitive:
        if name in self.seam_functions and name not in PRIMITIVES:
            return responder_primitive(name)
        return PRIMITIVES[name]

    def resolve(self, node: c_ast.Node, scope: Scope) -> CType:
        return self.types.resolve(node, self.typer(scope))

    def type_of(self, node: c_ast.Node, scope: Scope) -> CType:
        if isinstance(node, c_ast.Constant) and node.type == "string":
            self._narrow_string(node)
            return Array(CHAR, len(self.types.strings.bytes_of(node.value, self.where(node.coord))) + 1)
        if isinstance(node, c_ast.ID):
            var = self.lookup(node.name, scope)
            if var is not None:
                return var.ctype
            if node.name in _FUNC_NAMES and scope and "#func" in scope[0]:
                return Array(CHAR, len(scope[0]["#func"].name) + 1)
            if node.name in self.program.functions:  # a function designator's own type (typeof(f) *fp = f)
                return self.signature(node.name)
            if self.is_primitive(node.name) and node.name not in self.types.enums:
                return Func(self.primitive(node.name).ret, (), True)
        if isinstance(node, c_ast.ArrayRef) or (isinstance(node, c_ast.UnaryOp) and node.op == "*"):
            # Typed from the operand alone: sizeof(p[0]) of a pointer needs no pointer arithmetic.
            base = self.type_of(node.name if isinstance(node, c_ast.ArrayRef) else node.expr, scope)
            if isinstance(base, Ptr | Array):
                return base.target if isinstance(base, Ptr) else base.elem
        return self.expr(node, scope)[1]

    def typer(self, scope: Scope) -> TypeOf:
        return lambda node: self.type_of(node, scope)

    def const_env(self, scope: Scope) -> ConstEnv:
        return _ScopedEnv(self, scope)

    def const(self, node: c_ast.Node, scope: Scope) -> tuple[int, Int]:
        return const_value(node, self.const_env(scope), self.typer(scope))

    def signature(self, name: str) -> Func:
        """The type of the program's function ``name``, resolved once per compiler (each call site of it asked again:
        its types are the program's, which do not change)."""
        found = self._signatures.get(name)
        if found is None:
            t = self.resolve(self.program.functions[name].decl.type, [])
            assert isinstance(t, Func)
            found = self._signatures[name] = t
        return found

    @cached_property
    def _signatures(self) -> dict[str, Func]:
        return {}

    def expr(self, node: c_ast.Node, scope: Scope) -> tuple[Fn, CType]:
        method = getattr(self, "x_" + type(node).__name__, None)
        if method is None:
            raise UnsupportedConstruct(self.where(node.coord), f"construct '{type(node).__name__}' is not modelled")
        plan = self.sequencing.plan(node, scope, self.where(node.coord))
        fn, t = method(node, scope)
        return self.sequencing.wrap(node, plan, fn), t

    @cached_property
    def sequencing(self) -> Sequencing:
        return Sequencing(self)

    @abstractmethod
    def current_function(self) -> str:
        """The name of the function being compiled ("" outside any)."""

    def _narrow_string(self, node: c_ast.Constant) -> None:
        """Only char strings are modelled: L"", u"" and U"" have wider elements (u8"" is char)."""
        if node.value[:1] in ("L", "U") or (node.value[:1] == "u" and not node.value.startswith("u8")):
            raise UnsupportedConstruct(self.where(node.coord), f"a wide string literal ({node.value[:12]}) is not "
                                                                "modelled")

    def x_Constant(self, node: c_ast.Constant, scope: Scope) -> tuple[Fn, CType]:
        if node.type == "string":
            self._narrow_string(node)
            if uses_pr_fmt(node.value):
                text, where = node.value, self.where(node.coord)
                return (lambda f: pr_fmt_literal(f.m, text, where)), Ptr(CHAR)
            s = StrVal(string_bytes(node.value))
            return (lambda f: s), Ptr(CHAR)  # char is unsigned (-funsigned-char): *"\xff" is 255
        if is_char_constant(node.value):
            return constant(char_value(node.value)), INT
        if node.type in ("float", "double", "long double"):
            raise UnsupportedConstruct(self.where(node.coord), FLOATING_POINT)
        value, t = literal_type(node.value, self.where(node.coord))
        return constant(value), t

    def x_ID(self, node: c_ast.ID, scope: Scope) -> tuple[Fn, CType]:
        name = node.name
        var = self.lookup(name, scope)
        where = self.where(node.coord)
        if var is not None:
            if node in self.flag_reads:
                return eflags.unknown_read(name, where), var.ctype
            if isinstance(var.ctype, Array):
                return self._array_decay(var, where)
            if var.storage == "local":
                slot = var.slot

                def local(f: Frame) -> Any:
                    v = f.v[slot]
                    if v is UNINIT:
                        read_var(v, name, where)
                    return v

                return local, var.ctype
            g = self.global_getter(var, where)
            return (lambda f: read_var(g(f), name, where)), var.ctype
        if name in self.types.enums or name in self.types.typed_enums:  # past int: the enum's type (typesys)
            value, t = self.types.typed_enums.get(name) or (self.types.enums[name], INT)
            return constant(value), t
        if name in _FUNC_NAMES and scope and "#func" in scope[0]:
            if scope[0]["#func"].name.startswith(ENTRY_PREFIX):
                raise UnsupportedConstruct(where, f"{name} in a macro run as an entry point: the kernel gives the "
                                                  "function that uses the macro, which a macro run alone has none of")
            s = StrVal(scope[0]["#func"].name.encode())  # C11 6.4.2.2: static const char __func__[]
            return (lambda f: s), Ptr(CHAR)
        if name in self.program.functions:
            # kallsyms names a function of the code's files as the C does; the prelude's and the entry wrappers
            # ("<prelude>", "<entry>") are the mirror's own: no symbol
            home = getattr(self.program.functions[name].coord, "file", "") or "<"
            fv = FuncVal(name, "" if home.startswith("<") else self.program.c_name(name))
            return (lambda f: fv), Ptr(self.signature(name))
        fv = FuncVal(name, name if name in KERNEL_SYMBOLS else "")
        if name in self.program.dropped:  # before the primitives: a definition of the code's own, refused
            raise UnsupportedConstruct(where, f"'{name}' is not available: {self.program.dropped[name]}")
        if self.is_primitive(name):
            return (lambda f: fv), Ptr(Func(self.primitive(name).ret, (), True))
        if name in self.types.wide_enums:
            raise UnsupportedConstruct(where, self.types.wide_enums[name])
        raise UnsupportedConstruct(where, unknown_identifier(name, self.program.not_found(name)))

    def _array_decay(self, var: Var, where: str) -> tuple[Fn, CType]:
        """A named array as a value: its elements (the very list), of array type; converted to a pointer, where
        it is used as one, it points to its first element (models.values.array_pointer)."""
        return (self.array_storage(var) if var.storage == "local" else self.global_getter(var, where)), var.ctype

    # -- operators -----------------------------------------------------------
    def x_BinaryOp(self, node: c_ast.BinaryOp, scope: Scope) -> tuple[Fn, CType]:
        op, where = node.op, self.where(node.coord)
        if op == "&" and self.flag_reads:
            eflags.masked(self, node, scope)
        lf, lt = self.expr(node.left, scope)
        rf, rt = self.expr(node.right, scope)
        if op in ("&&", "||"):
            lb = self.decision(truth(lf, lt, self.where(node.left.coord)), node.left)
            rb = self.decision(truth(rf, rt, self.where(node.right.coord)), node.right)
            if op == "&&":
                return (lambda f: 1 if lb(f) and rb(f) else 0), INT
            return (lambda f: 1 if lb(f) or rb(f) else 0), INT
        if not isinstance(lt, Int) or not isinstance(rt, Int):
            return self._pointer_binop(op, lf, lt, rf, rt, where)
        fast = _same_type_op(op, lt, rt)
        if fast is not None:
            return folded(fast(lf, rf), lf, rf), fast_type(op, lt)
        combine, ct = arith(op, lt, rt, where)
        return folded(lambda f: combine(lf(f), rf(f)), lf, rf), ct

    def _pointer_binop(self, op: str, lf: Fn, lt: CType, rf: Fn, rt: CType, where: str) -> tuple[Fn, CType]:
        scalar_operands(op, where, lt, rt)
        if op in ("==", "!="):
            a = convert(lf, lt, Ptr(VOID), where) if isinstance(lt, Int) else lf
            b = convert(rf, rt, Ptr(VOID), where) if isinstance(rt, Int) else rf
            if op == "==":
                return (lambda f: 1 if same_pointer(a(f), b(f), where) else 0), INT
            return (lambda f: 0 if same_pointer(a(f), b(f), where) else 1), INT
        return pointer_binop(op, lf, lt, rf, rt, where)

    def _own_alignment(self, name: str) -> bool:
        """Whether a declaration of ``name`` (the function's being compiled, or the file's) aligns it itself."""
        fn = self.program.functions.get(self.current_function())
        mine = [n for n in all_nodes(fn.body) if isinstance(n, c_ast.Decl) and n.name == name] if fn else []
        return own_alignment([*mine, self.global_decls.get(name)])

    def x_UnaryOp(self, node: c_ast.UnaryOp, scope: Scope) -> tuple[Fn, CType]:
        op, where = node.op, self.where(node.coord)
        if op in ("sizeof", ALIGNOF):
            if op == ALIGNOF and isinstance(node.expr, c_ast.ID) and self._own_alignment(node.expr.name):
                raise UnsupportedConstruct(where, f"__alignof__ of '{node.expr.name}', declared with an alignment of "
                                                  "its own (_Alignas, __aligned()), is not modelled")
            vla = runtime_size(self, node.expr, scope) if op == "sizeof" else None
            if vla is not None:  # of a variable length array (models.vlas)
                return vla, ULONG
            return constant(size_of(node.expr, self.const_env(scope), self.typer(scope), where, op)), ULONG
        if op in ("++", "--", "p++", "p--"):
            if node.expr in self.flag_reads:  # reads the saved flags (models.eflags)
                return eflags.refused_update(node.expr, where), ULONG
            return self._incdec(node, scope, where)
        if op == "&":
            return self.address_of(node.expr, scope, where)
        if op == "*":
            if node in self.flag_reads:  # *flags of a helper's flags parameter, but an X86_EFLAGS_IF test
                return eflags.unknown_read(f"*{node.expr.name}", where), ULONG
            pf, pt = self.expr(node.expr, scope)
            if isinstance(pt, Ptr) and isinstance(pt.target, Func):
                return pf, pt  # *f is the function, which decays to the pointer again (C11 6.3.2.1p4): (*f)(x)
            get, _, t = lvalues.deref_access(pf, pt, where)
            return get, t
        fn, t = self.expr(node.expr, scope)
        if t == VOID:  # gcc's words for '!', '-', '~' and '+' of a void value
            raise BuildFailure(where, "invalid use of void expression")
        if isinstance(t, Struct) and op in _WRONG_TYPE:  # '!' of a struct: truth() says gcc's words
            raise BuildFailure(where, f"wrong type argument to {_WRONG_TYPE[op]}")
        if op == "!":
            b = truth(fn, t, where)
            return folded(lambda f: 0 if b(f) else 1, b), INT
        if not isinstance(t, Int):
            raise UnsupportedConstruct(where, f"unary {op} on {t}")
        pt = promote(t)
        assert isinstance(pt, Int)
        a, wrap = convert(fn, t, pt, where), pt.wrap
        if op == "-":
            return folded(lambda f: wrap(-a(f)), a), pt
        if op == "~":
            return folded(lambda f: wrap(~a(f)), a), pt
        if op == "+":
            return a, pt
        raise UnsupportedConstruct(where, f"unary operator {op}")

    def _incdec(self, node: c_ast.UnaryOp, scope: Scope, where: str) -> tuple[Fn, CType]:
        self._writable(node.expr, scope, where, "increment" if "+" in node.op else "decrement")
        located = None if lvalues.pure(node.expr) else lvalues.located(self, node.expr, scope)
        get, put, t = self.lvalue(node.expr, scope) if located is None else (None, None, located[1])
        if isinstance(t, Ptr) and moves(t):  # p++ of a pointer into an array
            return incdec(t, node.op, get, put, located and located[0], where), t
        if not isinstance(t, Int):
            raise UnsupportedConstruct(where, f"{node.op} on {t}")
        delta = 1 if "+" in node.op else -1
        wrap, post = t.wrap, node.op.startswith("p")
        if located is not None:  # (*next())++: its operand evaluated once, to read and to write
            loc = located[0]

            def run_located(f: Frame) -> int:
                read, write = loc(f)
                old = read()
                new = wrap(old + delta)
                write(new)
                return old if post else new

            return run_located, t
        assert get is not None and put is not None

        def run(f: Frame) -> int:
            old = get(f)
            new = wrap(old + delta)
            put(f, new)
            return old if post else new

        return run, t

    def x_Cast(self, node: c_ast.Cast, scope: Scope) -> tuple[Fn, CType]:
        fn, t = self.expr(node.expr, scope)
        dst = self.resolve(node.to_type, scope)
        return convert(fn, t, dst, self.where(node.coord)), dst

    def x_TernaryOp(self, node: c_ast.TernaryOp, scope: Scope) -> tuple[Fn, CType]:
        return choosing.conditional(self, node, scope)

    def x_GenericSelection(self, node: c_ast.GenericSelection, scope: Scope) -> tuple[Fn, CType]:
        return choosing.generic(self, node, scope)

    def x_CompoundLiteral(self, node: c_ast.CompoundLiteral, scope: Scope) -> tuple[Fn, CType]:
        """``(struct tdx_module_args){ .rcx = x }``: a fresh object each time it is evaluated, members not named
        zero (C11 6.5.2.5); an array of unknown size takes its length from the list."""
        t = self.resolve(node.type, scope)
        if isinstance(t, Array) and t.length is None:
            t = Array(t.elem, self.types._init_length(node.init, t.elem, lambda e: self.type_of(e, scope)))
        return self.initializer(node.init, t, scope, zero=True), t

    def x_Compound(self, node: c_ast.Compound, scope: Scope) -> tuple[Fn, CType]:
        return blocks.statement_expression(self, node, scope)

    def x_ExprList(self, node: c_ast.ExprList, scope: Scope) -> tuple[Fn, CType]:
        parts = [self.expr(e, scope) for e in node.exprs]
        fns = [p[0] for p in parts]

        def run(f: Frame) -> Any:
            v = None
            for fn in fns:
                v = fn(f)
            return v

        return decayed(run, parts[-1][1])

    def _writable(self, lvalue: c_ast.Node, scope: Scope, where: str, what: str) -> None:
        refuse_readonly(lvalue, self.seen(scope), where, what)

    def seen(self, scope: Scope) -> Seen:
        return Seen(lambda name: self.lookup(name, scope), self.typer(scope), self.types, self.program.functions,
                    lambda node: self._inside(node, scope))

    def _inside(self, node: c_ast.Compound, scope: Scope) -> tuple[Callable[[str], Var | None], TypeOf]:
        """The names and types inside statement expression ``node``: compiled once more (as type_of compiles it),
        the jumps it makes out of itself forgotten, as its statement forgets them (models.statements)."""
        depth, inner = len(self.escapes), [*scope, {}]
        blocks.statement_expression(self, node, scope, inner)
        del self.escapes[depth:]
        return (lambda name: self.lookup(name, inner)), self.typer(inner)

    def x_Assignment(self, node: c_ast.Assignment, scope: Scope) -> tuple[Fn, CType]:
        if node.op != "=" and node.lvalue in self.flag_reads:  # x |= y reads the saved flags (models.eflags)
            return eflags.refused_update(node.lvalue, self.where(node.coord)), ULONG
        self._writable(node.lvalue, scope, self.where(node.coord), "assignment")
        return assign.assignment(self, node, scope)

    def x_StructRef(self, node: c_ast.StructRef, scope: Scope) -> tuple[Fn, CType]:
        get, _, t = self.lvalue(node, scope)
        if isinstance(t, Array):  # an array member used as a value decays to a pointer
            return arraydecay.decayed(self, node, scope) or (get, t)
        return get, t

    def x_ArrayRef(self, node: c_ast.ArrayRef, scope: Scope) -> tuple[Fn, CType]:
        get, _, t = self.lvalue(node, scope)
        if isinstance(t, Array):  # a row of an array of arrays decays to a pointer
            return arraydecay.decayed_row(self, node, scope) or get, t
        return get, t

    # -- lvalues (models.lvalues) -----------------------------------------------
    def lvalue(self, node: c_ast.Node, scope: Scope) -> tuple[Fn, Setter, CType]:
        return lvalues.lvalue(self, node, scope)

    def address_of(self, node: c_ast.Node, scope: Scope, where: str) -> tuple[Fn, CType]:
        return addressof.address_of(self, node, scope, where)


_FAST_CMP = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt, "<=": operator.le,
             ">=": operator.ge}
_FAST_BITS = {"&": operator.and_, "|": operator.or_, "^": operator.xor}


def _same_type_op(op: str, lt: Int, rt: Int) -> Callable[[Fn, Fn], Fn] | None:
    """Closures for the common case: both operands already of one type at least as wide as int."""
    if lt != rt or lt.rank < INT.rank:
        return None
    if op in _FAST_CMP:
        cmp = _FAST_CMP[op]
        return lambda lf, rf: (lambda f: 1 if cmp(lf(f), rf(f)) else 0)
    if op in _FAST_BITS:
        # Bitwise results of two values of one type need no wrapping.
        bit = _FAST_BITS[op]
        return lambda lf, rf: (lambda f: bit(lf(f), rf(f)))
    return None


def fast_type(op: str, t: Int) -> CType:
    return INT if op in _FAST_CMP else t


_FUNC_NAMES = frozenset({"__func__", "__FUNCTION__", "__PRETTY_FUNCTION__"})


class _ScopedEnv:
    """models.consteval's view of the compiler in one scope: enumerators, type names, locations."""

    def __init__(self, compiler: ExprCompiler, scope: Scope) -> None:
        self.enums = compiler.types.enums
        self.wide_enums = compiler.types.wide_enums
        self.typed_enums = compiler.types.typed_enums
        self._compiler = compiler
        self._scope = scope

    def where(self, coord: object) -> str:
        return self._compiler.where(coord)

    def resolve(self, node: c_ast.Node) -> CType:
        return self._compiler.resolve(node, self._scope)

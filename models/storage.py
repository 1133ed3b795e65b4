"""Names and storage of a compiled program: local slots, file-scope variables and their first values, externs."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models import unions
from models.cload import Program
from models.ctype import Array, CType, Struct
from models.eflags import FlagHelpers
from models.errors import UnsupportedConstruct
from models.loader import EXTERN, PERCPU_DECLARATION
from models.machine import UnsizedArray
from models.onceunits import in_header, static_slot
from models.outparams import OUT_PREFIX
from models.outstate import caller_object, caller_object_stored
from models.percpuwatch import Leaf
from models.prelude import PRELUDE_PATH
from models.readonly import Const, declared_readonly, declared_returns
from models.slicer import Kind
from models.statetext import state_snapshot
from models.statickeys import start_key
from models.typesys import TypeSystem
from models.values import Fn, Frame, Scope, Setter, Unknown, Var, read_var, static_where


class Storage(ABC):
    """Where a compiled program's names live: a local's slot in its frame, a file-scope variable's in the machine
    (initialised at its first use, its first value kept for the outcome's state); the base of interp.ExprCompiler."""

    def __init__(self, program: Program, seam_functions: frozenset[str]) -> None:
        self.program = program
        self.types = TypeSystem(program.ast, program.where, program.dropped, program.partial)
        self.seam_functions = seam_functions
        self.global_decls: dict[str, c_ast.Decl] = {}
        for n in program.ast.ext:
            if isinstance(n, c_ast.Decl) and n.name and not isinstance(n.type, c_ast.FuncDecl):
                kept = self.global_decls.get(n.name)
                # the declaration with an initializer is the object's definition (C11 6.9.2), wherever it comes:
                # "int a = 1, b;" then "int b = 2, a;" are read as two chunks, each declaring both
                if kept is None or kept.init is None or n.init is not None:
                    self.global_decls[n.name] = n
        self.static_sites: dict[str, dict[str, tuple[int, int]]] = {}  # models.hooks.CompilerHooks
        self.static_lines: dict[str, dict[str, int]] = {}  # models.hooks.CompilerHooks
        self.escapes: list[frozenset[str]] = []
        self.folded_away = 0  # models.flow.if_branches: inside code constant folding removes
        self.addressed: list[frozenset[str]] = []
        self.nested_cases: set[c_ast.Node] = set()  # a switch's labels inside a statement (models.nestedcases)
        # Reads of saved IRQ flags other than a restore or an X86_EFLAGS_IF test (models.eflags), refused when run
        self.flag_reads: set[c_ast.Node] = set()
        self.flag_helpers: FlagHelpers | None = None  # models.eflags.flag_helpers(), at first use
        self.flag_targets: dict[c_ast.Node, str] = {}  # a refused save's call -> where it stores the flags (text)
        self._slots = 0
        self._unit_slots: dict[str, Callable[[Frame], str] | None] = {}  # unit_slot() of file-scope variables
        # Variables only an extern declaration names (models.loader keeps a definition over one): defined in a file
        # the mirror does not have, they hold a value it does not know when the code runs
        variables = [d for d in program.used if d.kind is Kind.VARIABLE]
        self.undefined_externs = frozenset(d.name for d in variables if EXTERN.match(d.text))
        # Per-CPU variables only DECLARE_PER_CPU() names, by the macro declaring each: defined in a file the mirror
        # does not have, what they hold is not known until the run writes them (this_cpu_write())
        self.declared_percpu = {d.name: d.text.split("(", 1)[0].strip() for d in variables
                                if PERCPU_DECLARATION.match(d.text)}
        # The leaves of the per-CPU objects a run watches (models.percpuwatch.watched), once compiled
        self.percpu_leaves: tuple[Leaf, ...] | None = None

    def where(self, coord: object) -> str:
        """``file:line`` in the variant (or the prelude) of a pycparser coord."""
        return self.program.where(coord)

    @abstractmethod
    def initializer(self, init: c_ast.Node | None, t: CType, scope: Scope, zero: bool = False) -> Fn:
        """A closure building the initial value of an object of type ``t`` (statements.py)."""


    @abstractmethod
    def resolve(self, node: c_ast.Node, scope: Scope) -> CType:
        """The C type a declaration or type name denotes in ``scope`` (interp.py)."""

    # -- names and storage ----------------------------------------------------------
    def lookup(self, name: str, scope: Scope) -> Var | None:
        for level in reversed(scope):
            if name in level:
                return level[name]
        return self.global_var(name)

    def new_slot(self, name: str) -> str:
        self._slots += 1
        return f"{name}#{self._slots}"

    def global_var(self, name: str) -> Var | None:
        d = self.global_decls.get(name)
        if d is None:
            return None
        return Var(f"::{name}", self._declared_type(d), "global", name,
                   declared_readonly(d, self.types.typedefs, self._file_scope_flags),
                   declared_returns(d, self.types.typedefs))

    def _file_scope_flags(self, e: c_ast.Node, seen: frozenset[str] = frozenset()) -> int:
        """Const flags of ``typeof(e)`` in a file-scope declaration (``static typeof(seam_real) *hook = seam_real;``):
        a function designator has no qualifiers, a file-scope variable its declaration's; anything else may be const
        (UNKNOWN: a write is refused as not modelled)."""
        if isinstance(e, c_ast.ID) and e.name not in seen:
            if e.name in self.program.functions:
                return 0
            d = self.global_decls.get(e.name)
            if d is not None:
                return declared_readonly(d, self.types.typedefs,
                                         lambda inner: self._file_scope_flags(inner, seen | {e.name}))
        return int(Const.UNKNOWN)

    def _declared_type(self, d: c_ast.Decl) -> CType:
        """A file-scope variable's type; an extern one of a struct never defined (``extern struct seam_opaque
        seam_ctx;``) is of that incomplete type (C11 6.7.2.3p8 leaves it so): its address is an opaque pointer,
        what needs its members or size is refused where it is (models.ctype.Incomplete)."""
        try:
            return self.resolve(d, [])
        except UnsupportedConstruct:
            if d.name not in self.undefined_externs or not isinstance(d.type, c_ast.TypeDecl):
                raise
            return self.types.opaque(d.type)

    def global_getter(self, var: Var, where: str | None = None) -> Fn:
        if var.name.startswith(OUT_PREFIX) and var.slot == f"::{var.name}":  # the caller's object: models.outstate
            return caller_object(var.slot, var.ctype, var.name, where or var.name)
        if var.name in self.undefined_externs and var.slot == f"::{var.name}":
            return self._undefined_extern(var, where)
        if var.name in self.declared_percpu and var.slot == f"::{var.name}":
            return self._declared_percpu(var, where)
        if (unit := self.unit_slot(var)) is not None:
            return lambda f: f.m.globals[unit(f)]
        init = self._global_init(var)
        return lambda f: init(f) if var.slot not in f.m.globals else f.m.globals[var.slot]

    def _undefined_extern(self, var: Var, where: str | None) -> Fn:
        """A variable only declared extern: what the run wrote to it, refused where read before the run writes it
        (its definition is elsewhere, maybe set there), never read as 0; as a per-CPU variable only declared."""
        decl = self.where(self.global_decls[var.name].coord)
        why = (f"{self.program.c_name(var.name)} is declared extern ({decl}) and defined in no file the mirror has, "
               "and the run has not written it: the value it holds when the code runs is not known")
        t = var.ctype
        if isinstance(t, Struct) or (isinstance(t, Array) and t.length is not None):
            return _opaque_object(var.slot, t, self.program.c_name(var.name), why)
        if isinstance(t, Array):  # no length: an object (its address no NULL), none of whose elements is known
            unsized = (f"{self.program.c_name(var.name)} is declared extern without a length ({decl}) and defined in "
                       "no file the mirror has: its elements and its length are not known")
            at, label = where or decl, self.program.c_name(var.name)
            return lambda f: UnsizedArray(var.slot, at, unsized, label)
        return _written_only(var.slot, where or decl, why)

    def _declared_percpu(self, var: Var, where: str | None) -> Fn:
        """A per-CPU variable only DECLARE_PER_CPU() names: what the run wrote to it, refused where read before the
        run writes it (its DEFINE_PER_CPU() is elsewhere, maybe set there), never read as 0."""
        decl = self.where(self.global_decls[var.name].coord)
        why = (f"per-CPU variable {self.program.c_name(var.name)} is declared by {self.declared_percpu[var.name]}() "
               f"({decl}) and defined in no file the mirror has, and the run has not written it: the value it holds "
               "is not known")
        return _written_only(var.slot, where or decl, why)

    def _global_init(self, var: Var) -> Fn:
        decl = self.global_decls.get(var.name)
        value = self.initializer(decl.init if decl is not None else None, var.ctype, [{}], zero=True)

        tag, name = getattr(var.ctype, "tag", None), self.program.c_name(var.name)
        at = self.where(decl.coord) if decl is not None else name

        def init(f: Frame) -> Any:
            f.m.globals[var.slot] = v = value(f)
            start_key(v, tag, name, f.m.features, at)  # a static key the script turns on or off
            f.m.initial[var.slot] = (state_snapshot(v, var.ctype), var.ctype, name)
            return v

        return init

    def unit_slot(self, var: Var | None) -> Callable[[Frame], str] | None:
        """Where ``var`` is one object per translation unit, its slot in the unit the code runs in (a header
        function's static local, unit_static_slot(); a header's file-scope ``static`` object: C11 6.2.2p3, each .c
        file including the header has its own, made at its first use there, named in the state with
        onceunits.UNIT_COPY and the unit but in the first unit to reach it); None for any other variable. Raises
        UnsupportedConstruct as onceunits.static_slot does."""
        if var is not None and var.name.startswith(OUT_PREFIX):
            return None  # an entry wrapper's object for an out-parameter: one, the caller's (models.outstate)
        if var is None or is_unit_static(var):
            return None if var is None else unit_static_slot(var)
        if var.storage != "global" or var.slot != f"::{var.name}":
            return None
        if var.name not in self._unit_slots:
            self._unit_slots[var.name] = self._header_static_slot(var)
        return self._unit_slots[var.name]

    def _header_static_slot(self, var: Var) -> Callable[[Frame], str] | None:
        """unit_slot() of a file-scope variable: None but for a ``static`` one a header declares (not the prelude)
        that is not const (a const one's copies hold the same values; one object keeps runs cross-checked)."""
        decl = self.global_decls.get(var.name)
        if decl is None or "static" not in decl.storage or getattr(decl.coord, "file", "") == PRELUDE_PATH:
            return None
        if var.readonly & Const.OBJECT:  # each unit's holds the same values for ever: one, as before (a run
            return None                  # comparing two units' addresses of it would see them equal: not modelled)
        where = self.where(decl.coord)
        if not in_header(where):
            return None
        value = self.initializer(decl.init, var.ctype, [{}], zero=True)
        name, t = self.program.c_name(var.name), var.ctype

        def slot(f: Frame) -> str:
            s, copy = static_slot(f.m, var.slot, where, name)
            if s not in f.m.globals:
                f.m.globals[s] = v = value(f)
                start_key(v, getattr(t, "tag", None), name, f.m.features, where)  # each unit's copy alike
                f.m.initial[s] = (state_snapshot(v, t), t, name + copy)
            return s

        return slot

    def var_access(self, var: Var, where: str) -> tuple[Fn, Setter, CType]:
        slot, name = var.slot, var.name
        if var.storage == "local":
            return (lambda f: read_var(f.v[slot], name, where)), (lambda f, v: f.v.__setitem__(slot, v)), var.ctype
        if (unit := self.unit_slot(var)) is not None:
            return (lambda f: f.m.globals[unit(f)]), (lambda f, v: f.m.globals.__setitem__(unit(f), v)), var.ctype
        get = self.global_getter(var, where)

        def set_global(f: Frame, v: Any) -> None:
            if slot not in f.m.globals:
                if (name in self.declared_percpu or name in self.undefined_externs) and slot == f"::{name}":
                    # its value before is not known: the one the run leaves is shown
                    f.m.initial[slot] = (Unknown("defined elsewhere"), var.ctype, self.program.c_name(name))
                elif name.startswith(OUT_PREFIX):
                    caller_object_stored(f, slot, var.ctype, name)
                else:
                    get(f)  # its initial value first: the outcome's state is what changed from it
            f.m.globals[slot] = v

        return get, set_global, var.ctype

    def array_storage(self, var: Var, where: str | None = None) -> Fn:
        if var.storage == "local":
            slot = var.slot
            return lambda f: f.v[slot]
        return self.global_getter(var, where)


def _opaque_object(slot: str, t: CType, name: str, why: str) -> Fn:
    """An extern struct or array defined in no file the mirror has: an object to point at, pass and take members'
    addresses of (C11 6.5.3.2: ``&ext`` reads nothing), made at its first use, whose every scalar not yet written by
    the run says ``why`` where read; what the run writes is read back, and the outcome's state shows what it left."""
    def get(f: Frame) -> Any:
        g = f.m.globals
        if slot not in g:
            g[slot] = v = unions.opaque(t, Unknown(why, plain=True))
            # what it held before is that object: one the run only points at is no change of state
            f.m.initial[slot] = (state_snapshot(v, t), t, name)
        return g[slot]
    return get


def _written_only(slot: Any, where: str, why: str) -> Fn:
    """A global the run must write before it reads it (defined in no file the mirror has): its value once written,
    else UnsupportedConstruct at ``where`` saying ``why``."""
    def get(f: Frame) -> Any:
        if slot not in f.m.globals:
            raise UnsupportedConstruct(where, why)
        return f.m.globals[slot]
    return get


def is_unit_static(var: Var | None) -> bool:
    """Whether ``var`` is a header function's static local: one object per translation unit."""
    return var is not None and var.function_static and in_header(static_where(var.slot))


def unit_static_slot(var: Var) -> Callable[[Frame], str]:
    """The slot of header function static ``var`` in the unit the code runs in (models.onceunits.static_slot),
    which its declaration, run first, made. A jump past the declaration (C initialises the object before the
    program starts) is refused, not read as another unit's."""
    where = static_where(var.slot)

    def slot(f: Frame) -> str:
        s = static_slot(f.m, var.slot, where, var.name)[0]
        if s not in f.m.globals:
            raise UnsupportedConstruct(where, f"the static '{var.name}' of a header's function used before its "
                                              "declaration ran in this translation unit: not modelled")
        return s

    return slot

"""The interpreter's statements, calls and functions: Compiler = expressions + this."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pycparser import c_ast

from models import calls, eflags, lifetimes, lockargs
from models.builtins import COMPILE_TIME
from models.calls import direct_call, name_of, no_element_pointer, primitive_call, reads_strings, text_of, wrapped_call
from models.cload import Program
from models.cparse import param_decls
from models.ctype import ULONG, VOID, Array, CType, Func, Int, Ptr, Struct
from models.errors import BuildFailure, CRuntimeError, MirrorError, UnsupportedConstruct
from models.kernel import PRIMITIVES, VALUE_NOT_KNOWN
from models.lockdep import LOCKDEP_ASSERTS
from models.loopcycle import RECURSION_WATCH, deep_call
from models.lvalues import char_array
from models.machine import ElemPtr, FuncVal, Machine, element_struct
from models.marks import fired
from models.nodecopy import origin
from models.percpuops import cpu_write, declared_type, percpu_store
from models.primitive import Impl, Primitive
from models.printk import NarrowInt
from models.purecalls import changes
from models.readonly import declared_readonly, declared_returns
from models.returntype import closing_brace, end_reached, reads_of
from models.seqrun import counted
from models.stmtkinds import StatementCompiler
from models.strcmp import SIGN_ONLY, SIGN_ONLY_USE, sign_tested
from models.unknowncall import not_a_guard, unknown_call
from models.valist import VA_SLOT
from models.values import (
    Fn,
    Frame,
    Goto,
    Return,
    Scope,
    Stmt,
    Var,
    array_pointer,
    check_pointer_types,
    convert,
)


@dataclass
class Compiled:
    """A compiled function: its type, parameter slots and body."""

    name: str
    ctype: Func
    params: list[str]
    body: Stmt
    where: str
    c_name: str = ""  # its name in the C, where the program gave a file's own copy another (models.cload)
    noreturn: bool = False  # declared noreturn (models.noreturn): returning is undefined

    @cached_property
    def returns_value(self) -> bool:
        """Whether it is a non-void function (decided once: a type's == is a Python call)."""
        return self.ctype.ret != VOID

    @cached_property
    def home(self) -> str:
        """The .c file the function is defined in, or "" (a header's: compiled in its caller's unit)."""
        path = self.where.rpartition(":")[0]
        return path if path.endswith(".c") else ""


_PRINTK = PRIMITIVES["printk"]
# take an array's elements (models.libc, models.heap)
_MEMORY = frozenset({"memset", "memcpy", "memmove", "memcmp", "memchr", "kmemdup"})
# Take a char pointer: an array of other elements passed is gcc's incompatible-pointer-types error, not decayed here.
_NO_DECAY = frozenset({"strlen", "strnlen", "strcmp", "strncmp", "sized_strscpy", "strchr", "kstrdup", "kstrndup",
                       "kmemdup_nul"})
# Ask whether a pointer is in the error range alone (include/linux/err.h IS_ERR_VALUE()): a pointer into an array
# points at an object, never into the last page of the address space, where no object is (models.kernel._is_err).
# kfree() and its kin of any pointer: of what kmalloc() did not give, KASAN's invalid-free (models.heap).
_ANY_OBJECT = frozenset({"__sh_is_err", "__sh_is_err_or_null", "kfree", "kvfree", "kfree_sensitive", "krealloc",
                         "krealloc_array", "kvrealloc"})


class Compiler(StatementCompiler):
    """Compiles the functions of one Program on first use; shared by every run of that program."""

    def __init__(self, program: Program, seam_functions: frozenset[str]) -> None:
        super().__init__(program, seam_functions)
        self.funcs: dict[str, Compiled] = {}
        self.failed: dict[str, MirrorError] = {}
        # Per function compiled, the "path:line" of each of its statements (_recorded).
        self.starts: dict[str, set[str]] = {}
        # The call site of each per-site primitive compiled (pr_err_once(), WARN_ON_ONCE(), a ratelimit), as its
        # hidden static's name: "function::pr_err_once()" (models.mirror.changed_state).
        self.once_sites: dict[str, str] = {}
        self._compiling: list[str] = []
        # The calls whose value is discarded (VALUE_NOT_KNOWN): an expression statement's, a for statement's third
        # expression's, a comma operator's left operand's (C11 6.5.17p2, 6.8.5.3p1).
        self._discarded: set[c_ast.Node] = set()
        self._sign_tests: dict[c_ast.Node, frozenset[c_ast.Node]] = {}  # models.strcmp, per function compiled

    # -- functions and calls -------------------------------------------------------
    def function(self, name: str) -> Compiled:
        if name in self.failed:
            raise self.failed[name]
        if name not in self.funcs:
            outer, self.folded_away = self.folded_away, 0  # a function is compiled whole, wherever first called
            try:
                self._compile(name)
            except MirrorError as exc:
                # Remember the failure: every later call fails the same way, never runs a half-built body.
                self.funcs.pop(name, None)
                self.failed[name] = exc
                raise
            finally:
                self.folded_away = outer
        return self.funcs[name]

    def _compile(self, name: str) -> None:
        node = self.program.functions[name]
        ftype = self.signature(name)
        own = Var("", VOID, "local", self.program.c_name(name))  # __func__: the C name of a file's own copy
        scope: Scope = [{"#ret": Var("", ftype.ret, "local", "#ret"), "#func": own}]
        if ftype.variadic:  # where va_start() may be used (models.varargs)
            scope[0][VA_SLOT] = Var(VA_SLOT, VOID, "local", VA_SLOT)
        params = []
        for p, t in zip(param_decls(node), ftype.params, strict=False):
            slot = self.new_slot(p.name)
            scope[0][p.name] = Var(slot, t, "local", p.name, declared_readonly(p, self.types.typedefs),
                                   declared_returns(p, self.types.typedefs))
            params.append(slot)
        # Registered before its body is compiled, so that recursive calls resolve.
        self.funcs[name] = Compiled(name, ftype, params, lambda f: None, self.where(node.coord), own.name,
                                    name in self.program.noreturn)
        self._compiling.append(name)
        self.addressed.append(lifetimes.address_taken(origin(node.body)))  # locals a pointer may outlive
        if self.flag_helpers is None:  # once per program: the helpers the saved flags pass through
            self.flag_helpers = eflags.flag_helpers(self.program)
        h, decls = self.flag_helpers, param_decls(node)
        through = frozenset(p.name for i, p in enumerate(decls) if i in h.pointer.get(name, {}))
        by_value = frozenset(p.name for i, p in enumerate(decls) if i in h.value.get(name, ()))
        self.flag_reads |= eflags.flag_reads(node.body, self.addressed[-1], h, through, by_value, name in h.returning,
                                             self.flag_targets)
        try:
            body = self.stmt(node.body, scope)
            ends = [(p.name, scope[0][p.name].slot, scope[0][p.name].ctype, self.where(p.coord))
                    for p in param_decls(node) if p.name in self.addressed[-1] and p.name in scope[0]]
            self.funcs[name].body = lifetimes.parameters_end(body, ends) if ends else body
            if ftype.ret != VOID:
                self._end_reached(name, node, scope)
        finally:
            del self._compiling[-1], self.addressed[-1]

    def _end_reached(self, name: str, node: c_ast.FuncDef, scope: Scope) -> None:
        """gcc's -Wreturn-type on the function's flow graph, whatever a run takes (models.returntype)."""
        reached = end_reached(node.body, reads_of(self, node, scope, self.is_primitive))
        if reached is False:
            return
        where, c_name = self.where(node.coord), self.program.c_name(name)
        if reached is True:  # where gcc says it: the closing brace
            raise BuildFailure(closing_brace(self.program.used, where),
                               f"control reaches end of non-void function '{c_name}' [-Werror=return-type]")
        raise UnsupportedConstruct(self.where(reached.node.coord), f"whether gcc sees the end of non-void function "
                                   f"'{c_name}' ({where}) reached turns on {reached.what}: not modelled")

    def invoke(self, m: Machine, name: str, args: list[Any], where: str, site: str) -> Any:
        """Run the program's function ``name`` called at ``where`` (``file:line``); ``site``, the call's
        ``file:line:column``, tells two calls on one line apart (two copies gcc may inline: models.onceunits)."""
        fn = self.funcs.get(name) or self.function(name)  # compiled (a failed one is not there: function() raises)
        m.depth += 1
        if m.depth > m.max_depth - RECURSION_WATCH and fn.c_name in m.functions:
            # it calls itself, through others or not: models.loopcycle tells a recursion that never ends (a call
            # made again as a call still running was) from one the depth limit stops
            deep_call(m, name, args, where)
        if m.depth > m.max_depth:
            # A chain of distinct functions this long ends, and gcc's code runs it: only the mirror stops here.
            raise UnsupportedConstruct(where, f"calls nested deeper than {m.max_depth}, each to another function "
                                              f"(no recursion; {name}() the deepest): not modelled")
        m.step(where)
        if m.seq_stack:  # counted only while an unsequenced node is checked (models.seqrun.counted)
            flags = self.sequencing.flags(name)
            # A static of its own (models.sequencing.Flags.private) only another run of it reads: a run already under
            # way (recursion), which may load it in an operand beside this call, or a run in another operand, whose
            # order against this one matters (models.seqaccess.conflict); another function's static is another object.
            mine = flags.private and fn.c_name in m.functions
            m.seq_effects += flags.stores or mine
            m.seq_memory += flags.stores or mine
            if flags.private:
                m.seq_counters.append(fn.c_name)
            m.seq_named.extend(flags.named)
            m.seq_reads += flags.reads
        home = fn.home
        if home:
            m.units.append(home)
        m.functions.append(fn.c_name)
        m.sites.append(site)
        # zip() without strict=: the keyword alone made a call's locals a third dearer (extra arguments of a variadic
        # function have no slot; a call with too few is refused when compiled).
        frame = Frame(m, dict(zip(fn.params, args)))  # noqa: B905
        if fn.ctype.variadic:  # the arguments past the parameters, for va_start() (models.varargs)
            frame.v[VA_SLOT] = args[len(fn.params):]
        result = fn.body(frame)
        m.depth -= 1
        m.functions.pop()
        m.sites.pop()
        if home:
            m.units.pop()
        if isinstance(result, Goto):  # its label is not in a block around it: into a nested block, say
            raise UnsupportedConstruct(result.where, f"goto {result.label} into a nested block is not modelled")
        if fn.noreturn:  # gcc builds no way back: the caller's code after the call is gone (C11 6.7.4p8)
            raise CRuntimeError(where, f"{fn.c_name or name}() ({fn.where}) is declared noreturn and returned: "
                                       "undefined behaviour")
        if isinstance(result, Return):
            return result.value
        if fn.returns_value:  # gcc's -Wreturn-type sees that path, kbuild refuses it
            raise BuildFailure(fn.where, f"control reaches end of non-void function '{fn.c_name or name}' "
                                         "[-Werror=return-type]")
        return None

    def x_FuncCall(self, node: c_ast.FuncCall, scope: Scope) -> tuple[Fn, CType]:
        where = self.where(node.coord)
        args = list(node.args.exprs) if node.args else []
        callee = node.name
        if node in self.flag_reads:  # saved IRQ flags kept where no read of them is seen (models.eflags)
            return eflags.unfollowed_save(node, where, self.flag_targets.get(node), self.flag_helpers), ULONG
        if isinstance(callee, c_ast.ID) and self.lookup(callee.name, scope) is None:
            name = callee.name
            if name == "__sh_result":
                return self._result(args, scope, where)
            if name in COMPILE_TIME:
                return COMPILE_TIME[name](self, args, scope, where)
            if name in self.program.functions:
                return self._direct(name, args, scope, where, self.program.site(node.coord))
            dropped = name in self.program.dropped  # the code's own definition of a primitive's name: refused below
            if name in VALUE_NOT_KNOWN and node not in self._discarded and not dropped:
                raise UnsupportedConstruct(where, VALUE_NOT_KNOWN[name])
            if name in SIGN_ONLY and not dropped and node not in self._sign_tested():
                raise UnsupportedConstruct(where, SIGN_ONLY_USE.format(name=name, memcmp=", memcmp() the difference"
                                                                       " of two bytes" if name == "memcmp" else ""))
            if self.is_primitive(name) and not dropped:
                call, t = self._call_primitive(name, args, scope, where, self.program.site(node.coord))
                return (fired(call, *self._decision_sites(node)) if name in LOCKDEP_ASSERTS else call), t
            if (why := not_a_guard(name, self.program.functions)) is not None:
                raise BuildFailure(where, why)
            raise UnsupportedConstruct(where, unknown_call(name, self.program.dropped) + self.program.not_found(name))
        return self._indirect(callee, args, scope, where, self.program.site(node.coord))

    def _args(self, args: list[c_ast.Node], types: tuple[CType, ...], scope: Scope, where: str) -> list[Fn]:
        if len(args) < len(types):
            raise UnsupportedConstruct(where, f"too few arguments ({len(args)} for {len(types)})")
        out = []
        for i, a in enumerate(args):
            if i >= len(types):
                out.append(self._promoted((i, a), scope, where))
                continue
            fn, t = self.expr(a, scope)
            check_pointer_types(t, types[i], where, f"passing argument {i + 1}")
            out.append(convert(fn, t, types[i], where))
        return out

    def _promoted(self, arg: tuple[int, c_ast.Node], scope: Scope, where: str) -> Fn:
        """An argument past a variadic function's parameters as the call passes it (C11 6.5.2.2p7: the default
        argument promotions; an array decays), as printk() gets its own (_value_argument): what a function taking
        the va_list reads (models.varargs). One the mirror cannot pass so is evaluated, and refused only where read."""
        try:
            return char_array(self, arg[1], scope) or self._value_argument(_PRINTK, "printk", arg, scope, where,
                                                                           (None, ""))
        except UnsupportedConstruct as exc:
            unpassed = exc  # the name the except clause binds is gone after it
        fn = self.expr(arg[1], scope)[0]
        return lambda f: (fn(f), unpassed)[1]

    def _direct(self, name: str, args: list[c_ast.Node], scope: Scope, where: str, site: str
                ) -> tuple[Fn, CType]:
        sig = self.signature(name)
        fns = self._args(args, sig.params, scope, where)
        return direct_call(self.invoke, name, fns, where, site), sig.ret

    def _call_primitive(self, name: str, args: list[c_ast.Node], scope: Scope, where: str,
                        site: str) -> tuple[Fn, CType]:
        prim = self.primitive(name)
        fns: list[Fn] = [_constant(site)] if prim.per_site else []
        if prim.per_site:  # arguments that change what C reads: skipped once it stops printing (not report-only)
            shown = "(...)" if any(changes(a, self.program.functions) for a in args) else "()"
            self.once_sites[site] = f"{self._compiling[-1] if self._compiling else '?'}::{name}{shown}"
        declared = None if prim.typed_by is None or len(args) <= prim.typed_by else \
            declared_type(self, args[prim.typed_by], name_of(args[prim.typed_by]) or "", scope)
        # the per-CPU variable's type and name (models.percpuops): only where the call names one
        stored = (declared, name_of(args[prim.typed_by or 0]) or "") if declared is not None else (None, "")
        for i, a in enumerate(args):
            if i in prim.name_args:
                fns.append(self._name_argument(prim, name, (i, a), scope, where))
            elif name not in _MEMORY and (chars := char_array(self, a, scope)) is not None:
                fns.append(chars)
            else:
                fns.append(self._value_argument(prim, name, (i, a), scope, where, stored))
        if declared is not None:  # the variable's object: what this_cpu_ptr() reaches is what the op reads
            if prim.impl is cpu_write:  # a const one is gcc's 'read-only variable used as asm output'
                self._writable(args[prim.typed_by or 0], scope, where, "assignment")
            get, put, _ = self.lvalue(args[prim.typed_by or 0], scope)
            fns.append(lambda f: (lambda: get(f), lambda v: put(f, v)))
        impl, ret = counted(name, prim.impl), (declared if declared is not None and prim.ret != VOID else prim.ret)
        if ret == VOID:  # decided here, not at each call (a type's == is a Python call)
            return primitive_call(impl, fns, where, prim.lazy_from), ret
        return (wrapped_call(ret.wrap, impl, fns, where, prim.lazy_from) if isinstance(ret, Int) else
                primitive_call(impl, fns, where, prim.lazy_from)), ret

    def _name_argument(self, prim: Primitive, name: str, arg: tuple[int, c_ast.Node], scope: Scope,
                       where: str) -> Fn:
        """A primitive's argument that names a variable (a lock, a per-CPU one): its label, or the lock it is."""
        i, a = arg
        label = name_of(a)
        if label is None and prim.typed_by is None and isinstance(lockargs.lock_type(self, a, scope), Ptr):
            label = text_of(a)  # h->locks + 1: named by the object it points at
        if label is None:
            raise UnsupportedConstruct(where, f"{name}() needs a variable name as argument {i + 1}")
        return _constant(label) if prim.typed_by is not None else \
            lockargs.lock_label(self, a, label, scope, lambda: self.lock_paths, name if prim.keeps_lock else "")

    def _value_argument(self, prim: Primitive, name: str, arg: tuple[int, c_ast.Node], scope: Scope, where: str,
                        declared: tuple[CType | None, str]) -> Fn:
        """A primitive's argument passed by value, as the kernel's function gets it: an array as a pointer to its
        first element where C decays it, an int of 32 bits or fewer as an int; with a per-CPU variable's type
        (``declared``: it and the variable's name), the value converted as it is stored."""
        i, a = arg
        if name in _MEMORY:
            a = calls.element_address(a, lambda n: isinstance(self.type_of(n, scope), Array))
        fn, t = self.expr(a, scope)
        if i == 0 and prim.decides:  # WARN_ON(c): the kernel macro's if (c), a decision (harness.linecover)
            fn = self.decision(fn, a)
        if isinstance(t, Array) and name in _MEMORY:  # memset(u.regs, ...): the elements (models.libc)
            fn, t = array_pointer(fn, t, name_of(a) or "(array)"), Ptr(t.elem)
        elif isinstance(t, Array) and isinstance(t.elem, Struct) and not reads_strings(name):
            fn, t = array_pointer(fn, t), Ptr(t.elem)  # __seamcall(fn, two): its element 0, a struct
        elif isinstance(t, Array) and (name in _ANY_OBJECT or (reads_strings(name) and (
                name not in _NO_DECAY or (isinstance(t.elem, Int) and t.elem.bits == 8)))):
            # pr_info("%*ph", 8, regs) of u32 regs[2]: a pointer to element 0 (C11 6.3.2.1p3), as regs + 0; a row
            # of chars (strlen(names[i])) too
            fn, t = array_pointer(fn, t, name_of(a) or "(array)"), Ptr(t.elem)
        if isinstance(t, Array):  # the kernel's function would get a pointer into it, which none reads here
            raise UnsupportedConstruct(where, f"array '{name_of(a) or '(array)'}' used as a pointer "
                                              f"(passed to {name}())")
        if isinstance(t, Ptr) and not reads_strings(name) and name not in _MEMORY and name not in _ANY_OBJECT:
            fn = no_element_pointer(fn, name, where)
        if declared[0] is not None:
            return convert(percpu_store(fn, t, declared[0], where, declared[1]), t, declared[0], where)  # assigned
        if isinstance(t, Int) and t.bits > 64 and not (i == 0 and prim.decides):  # WARN_ON(v) tests v
            raise UnsupportedConstruct(where, calls.wide_argument(name, a, t))
        if isinstance(t, Int) and t.bits <= 32:  # passed as an int: printk tells 32 from 64 bits
            return _narrow(fn)
        return fn

    @cached_property
    def lock_paths(self) -> list[tuple[str, str, tuple[str | int, ...]]]:
        """The locks of the file-scope objects, found once a compiler (models.lockargs.file_lock_paths())."""
        return lockargs.file_lock_paths(self)

    @cached_property
    def lock_scopes(self) -> dict[str, bool]:
        """The file-scope lock paths, each with whether it is one per unit (models.lockargs.file_lock_scopes())."""
        return lockargs.file_lock_scopes(self)

    def _indirect(self, callee: c_ast.Node, args: list[c_ast.Node], scope: Scope, where: str, site: str
                  ) -> tuple[Fn, CType]:
        cf, ct = self.expr(callee, scope)
        ftype = ct.target if isinstance(ct, Ptr) else ct
        if not isinstance(ftype, Func):
            raise UnsupportedConstruct(where, f"calling something of type {ct}")
        fns = self._args(args, ftype.params, scope, where)
        # The primitives it has reached, each looked up and wrapped (counted) once, with whether it reads strings.
        impls: dict[str, tuple[Impl, bool]] = {}
        functions, invoke = self.program.functions, self.invoke

        def run(f: Frame) -> Any:
            target = cf(f)
            if not isinstance(target, FuncVal):
                raise UnsupportedConstruct(where, f"call through a pointer that holds {target!r}")
            values = [a(f) for a in fns]
            name = target.name
            if name in functions:
                return invoke(f.m, name, values, where, site)
            prim = impls.get(name)
            if prim is None:
                if not self.is_primitive(name):
                    raise UnsupportedConstruct(where, f"call through a pointer to unknown function {name}()")
                prim = impls[name] = counted(name, self.primitive(name).impl), reads_strings(name)
            # A struct element is its struct; only an element pointer changes (asked in C, as most calls have none).
            if not prim[1] and ElemPtr in map(type, values):
                values = [element_struct(v) for v in values]
                if any(v.__class__ is ElemPtr for v in values):
                    raise UnsupportedConstruct(where, f"a pointer into an array passed to {name}()")
            return prim[0](f.m, values, where)

        return run, ftype.ret

    def _result(self, args: list[c_ast.Node], scope: Scope, where: str) -> tuple[Fn, CType]:
        fn, t = self.expr(args[0], scope)

        void = t == VOID

        def run(f: Frame) -> None:
            v = fn(f)
            f.m.result = (None if void else v, t)

        return run, VOID

    def _sign_tested(self) -> frozenset[c_ast.Node]:
        """The strcmp()-like calls of the function being compiled whose value is only tested against 0."""
        body = self.program.functions[self._compiling[-1]] if self._compiling else None
        if body is None:
            return frozenset()
        if body not in self._sign_tests:
            self._sign_tests[body] = sign_tested(body)
        return self._sign_tests[body]


def _constant(value: Any) -> Fn:
    return lambda f: value


def _narrow(fn: Fn) -> Fn:
    return lambda f: NarrowInt(fn(f))

"""Unsequenced operands (C11 6.5p2-3, 6.5.2.2p10): where the order gcc picks would change what the code does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pycparser import c_ast

from models.builtins import COMPILE_TIME
from models.clayout import is_bit_field
from models.consteval import ILOG2
from models.cparse import all_nodes
from models.ctype import Array, CType, Struct
from models.kernel import PRIMITIVES
from models.nodecopy import origin
from models.seqaccess import CALL, NOTHING, Access, Plan, aim, conflict, left_to_right, meet
from models.seqflags import OVERFLOW_BUILTINS, Flags, Names, address_taken, body_flags
from models.seqrun import EFFECTFUL_BUILTINS, PURE, STORES, checked, measured, refused

if TYPE_CHECKING:
    from models.values import Fn, Scope


_PERCPU_LOADS = frozenset({"this_cpu_read", "raw_cpu_read"})  # a plain load where gcc builds it (a %gs: move)


# A sum of three terms or more (a + b * 10 + c * 100) is not evaluated left to right by gcc: under the kernel's
# -fwrapv (-fno-strict-overflow) its folder reassociates the terms and may call c() before b() (gcc 12-14, -O0 to
# -O2, tests/models/test_sequencing_gcc.py); its terms are unsequenced against each other as call arguments are.
_SUMS = frozenset({"+", "-"})


def _links(node: c_ast.Node) -> list[c_ast.Node]:
    """The '+'/'-' nodes of the sum ``node`` tops (itself included)."""
    if not (isinstance(node, c_ast.BinaryOp) and node.op in _SUMS):
        return []
    return [node, *_links(node.left), *_links(node.right)]


def _terms(node: c_ast.Node) -> list[c_ast.Node]:
    """The terms of the sum ``node`` tops, left to right."""
    if not (isinstance(node, c_ast.BinaryOp) and node.op in _SUMS):
        return [node]
    return [*_terms(node.left), *_terms(node.right)]


def operands(node: c_ast.Node) -> tuple[str, list[c_ast.Node]] | None:
    """The operands of ``node`` that C leaves unsequenced against each other, and what they are, or None."""
    if isinstance(node, c_ast.BinaryOp) and node.op not in ("&&", "||"):
        return f"the operands of '{node.op}'", [node.left, node.right]
    if isinstance(node, c_ast.FuncCall):
        args = list(node.args.exprs) if node.args else []
        name = node.name.name if isinstance(node.name, c_ast.ID) else "the call"
        if name == "__builtin_choose_expr":
            return None  # one operand is evaluated, the one the constant picks (gcc manual, Other Builtins)
        prim = PRIMITIVES.get(name)
        args = [a for i, a in enumerate(args) if prim is None or i not in prim.name_args]  # names, not values
        return f"the arguments of {name}()", ([] if isinstance(node.name, c_ast.ID) else [node.name]) + args
    if isinstance(node, c_ast.ArrayRef):
        return "an array and its index", [node.name, node.subscript]
    return None


class Sequencing:
    """Access summaries of expressions, in the scope a compiler sees them (one per compiled function)."""

    def __init__(self, c: Names) -> None:
        self.c = c
        self._flags: dict[str, Flags] = {}
        self._watch: dict[int, tuple[int, int]] = {}  # operand node -> (unsequenced node, its index)
        self._taken: dict[str, frozenset[str]] = {}
        self._chained: set[int] = set()  # the inner '+'/'-' nodes of a sum of three terms or more
        # Pointers a statement expression declares to one named object and never changes (``T *p = &q;``, as
        # cmpxchg() expands): by name, the object, which ``*p`` reads and stores alone (models.cmpxchg).
        self._aims: dict[str, c_ast.Node] = {}
        # The subtrees access() found to be operators over constants and type names alone (no name, call, store or
        # load): NOTHING in any scope, so each is walked once, not again for every unsequenced node above it (a
        # constant of nested '|' and '<<' was walked once per level). By id, with the node itself, so that a node
        # made while compiling and dropped lends its id to no other.
        self._inert: dict[int, c_ast.Node] = {}

    def plan(self, node: c_ast.Node, scope: Scope, where: str) -> Plan | None:
        """Whether ``node``'s unsequenced operands may depend on their order: the reason when they do whatever
        their calls do, a Plan to check as it runs when that depends on its calls (its operands that call
        something are then watched: wrap() measures them), None when they cannot."""
        if not isinstance(node, _UNSEQUENCED):
            return None
        plan = self._plan(node, scope, where)
        if isinstance(plan, str):
            return Plan(where, plan, (), (), always=True)
        if plan is not None:
            pairs = enumerate(zip(plan.operands, plan.static, strict=True))
            self._watch.update((id(op), (id(node), i)) for i, (op, a) in pairs if a.calls)
        return plan

    def wrap(self, node: c_ast.Node, plan: Plan | None, fn: Fn) -> Fn:
        """``fn`` compiled from ``node``: refused where it runs, checked after it ran, measured for the node
        whose operand it is."""
        watched = self._watch.pop(id(node), None)
        if plan is not None and plan.always:  # refused where it runs: gcc builds it, code that never reaches it runs
            fn = refused(plan.where, plan.why)
        elif plan is not None:
            fn = checked(fn, plan, id(node))
        return fn if watched is None else measured(fn, *watched)

    def _plan(self, node: c_ast.Node, scope: Scope, where: str) -> Plan | str | None:
        found = self._operands(node, scope)
        if found is None:
            return None
        what, nodes, ops = found
        if isinstance(node, c_ast.Assignment):
            target, late = self._target(node.lvalue, scope, False), self._late(node.rvalue, scope)
            if meet(target.writes, late.writes) or meet(target.stores, late.stores):
                return self._say(what)  # x = x++: undefined
        if isinstance(node, c_ast.BinaryOp) and node.op in _SUMS:
            if id(node) in self._chained:
                return None  # a link of a longer sum: its top node checks every term
            terms = _terms(node)
            if len(terms) > 2:
                self._chained.update(id(n) for n in _links(node))
                return self._unordered("the terms of a sum", terms, [self.access(n, scope) for n in terms], where)
        if isinstance(node, c_ast.BinaryOp):
            if left_to_right(ops, [False] * len(ops)):
                return self._say(what)
            return Plan(where, self._say(what), tuple(nodes), tuple(ops), True) \
                if left_to_right(ops, [a.calls for a in ops]) else None
        return self._unordered(what, nodes, ops, where)

    def _late(self, node: c_ast.Node, scope: Scope) -> Access:
        """What evaluating ``node`` may change that is not sequenced before its value: a sequence point follows a
        comma's left operand, the first operand of &&, || and ?: (C11 6.5.13-17), and each statement of a statement
        expression (a full expression), so ``x = (x++, 5)`` and ``x = ({ x++; x; })`` store after them."""
        if isinstance(node, c_ast.ExprList) and node.exprs:
            return self._late(node.exprs[-1], scope)
        if isinstance(node, c_ast.BinaryOp) and node.op in ("&&", "||"):
            return self._late(node.right, scope)
        if isinstance(node, c_ast.TernaryOp):
            chosen = self._late(node.iffalse, scope)
            return chosen if node.iftrue is None else chosen | self._late(node.iftrue, scope)
        if isinstance(node, c_ast.Compound):
            return NOTHING
        return self.access(node, scope)

    def _unordered(self, what: str, nodes: list[c_ast.Node], ops: list[Access], where: str) -> Plan | str | None:
        """Operands gcc may evaluate in any order: refused where two may depend on it (conflict())."""
        if conflict([a.ran(False, False, False) for a in ops]):
            return self._say(what)  # whatever the calls do
        return Plan(where, self._say(what), tuple(nodes), tuple(ops)) if conflict(ops) else None

    def _operands(self, node: c_ast.Node, scope: Scope) -> tuple[str, list[c_ast.Node], list[Access]] | None:
        if isinstance(node, c_ast.Assignment):
            # The store itself is sequenced after both sides' values (C11 6.5.16p3): only the evaluation of
            # the target's address (and, for `+=`, its value) is unsequenced against the right side.
            return "the two sides of an assignment", [node.lvalue, node.rvalue], \
                [self._lhs(node.lvalue, scope, node.op != "="), self.access(node.rvalue, scope)]
        found = operands(node)
        if found is None:
            return None
        return found[0], found[1], [self.access(n, scope) for n in found[1]]

    @staticmethod
    def _say(what: str) -> str:
        return (f"the order in which {what} are evaluated is unspecified in C (C11 6.5p2-3, 6.5.2.2p10), and one "
                "has a side effect another depends on: which gcc picks is not modelled")

    def _taken_here(self) -> frozenset[str]:
        """The locals of the function being compiled whose address is taken (a call may change them)."""
        name = self.c.current_function()
        if name not in self._taken:
            fn = self.c.program.functions.get(name) if name else None
            self._taken[name] = address_taken(origin(fn)) if fn is not None else frozenset()
        return self._taken[name]

    def _plain_local(self, name: str, scope: Scope) -> bool | None:
        """True for a local only this function's own code reaches, False for shared storage, None for a name that is
        not an object in scope (a function, an enumerator, a local of a statement expression being read)."""
        var = self.c.lookup(name, scope)
        if var is None:
            return False if self.c.global_var(name) is not None else None
        return var.storage == "local" and name not in self._taken_here()

    def _target(self, node: c_ast.Node, scope: Scope, read: bool) -> Access:
        """A store's target: the plain local or named object it names, or an effect; its address's operands are
        evaluated."""
        aim = self._aimed(node)
        if aim is not None:
            return self._target(aim, scope, read)
        root = node
        while isinstance(root, c_ast.StructRef) and root.type == ".":
            root = root.name
        if isinstance(root, c_ast.ID) and self._plain_local(root.name, scope) is not False:
            path = frozenset({self._path(node, root, scope)})
            return Access(writes=path, reads=path if read else frozenset())
        named = self._named(node, root, scope)
        if named is not None:
            return Access(stores=named, loads=named if read else frozenset())
        return Access(effect=True, shared=True) | self._address(node, scope)

    def _named(self, node: c_ast.Node, root: c_ast.Node, scope: Scope) -> frozenset[str] | None:
        """The named object in memory ``node`` (``root`` or a member of it reached through ``.``) is, by its slot
        (``::total``, a function's static's, a local's whose address is taken), or None for no object."""
        var = self.c.lookup(root.name, scope) if isinstance(root, c_ast.ID) else None
        return None if var is None or not isinstance(root, c_ast.ID) else frozenset({self._path(node, root, scope,
                                                                                                  var.slot)})

    def _path(self, node: c_ast.Node, root: c_ast.ID, scope: Scope, slot: str = "") -> str:
        """The object ``node``, a plain local or a member of one reached through ``.``, names: ``a.rcx`` (a struct's
        members are objects of their own: storing to one leaves the others), cut at a union (its members share
        storage) and at a bit-field's struct (its bit-fields share storage units), and where the type is not known."""
        fields: list[str] = []
        while isinstance(node, c_ast.StructRef):
            fields.append(str(node.field.name))
            node = node.name
        var = self.c.lookup(root.name, scope)
        t = var.ctype if var is not None else None
        path = slot or str(root.name)
        for name in reversed(fields):
            steps = t.member_path(name) if isinstance(t, Struct) else None
            if steps is None or any(s.union or is_bit_field(s, m) for s, m, _ in steps):
                break
            path += "".join(f".{m}" for _, m, _ in steps)
            t = steps[-1][2]
        return path

    def _lhs(self, node: c_ast.Node, scope: Scope, read: bool) -> Access:
        """The evaluation of an assignment's target before the store: its address, and its value for ``+=``."""
        target = self._target(node, scope, read)
        if not target.effect:
            return Access(reads=target.reads, loads=target.loads)
        return self._address(node, scope) | (Access(shared=True) if read else NOTHING)

    def _address(self, node: c_ast.Node, scope: Scope) -> Access:
        if isinstance(node, c_ast.StructRef):
            return self.access(node.name, scope) if node.type == "->" else self._address(node.name, scope)
        if isinstance(node, c_ast.ArrayRef):
            return self._address(node.name, scope) | self.access(node.subscript, scope)
        if isinstance(node, c_ast.UnaryOp) and node.op == "*":
            return self.access(node.expr, scope)
        return NOTHING

    def access(self, node: c_ast.Node, scope: Scope) -> Access:
        """What evaluating ``node`` may read and change."""
        if self._inert.get(id(node)) is node:
            return NOTHING
        if isinstance(node, c_ast.ID):
            local = self._plain_local(node.name, scope)
            return NOTHING if local is None else Access(reads=frozenset({node.name})) if local \
                else Access(loads=self._named(node, node, scope) or frozenset())
        if isinstance(node, c_ast.Assignment):
            return self._target(node.lvalue, scope, node.op != "=") | self.access(node.rvalue, scope)
        if isinstance(node, c_ast.UnaryOp):
            if node.op in ("sizeof", "_Alignof"):
                return NOTHING
            if node.op in ("++", "--", "p++", "p--"):
                return self._target(node.expr, scope, True)
            if node.op == "&":
                return self._address(node.expr, scope)
            if node.op == "*":
                aim = self._aimed(node)
                return Access(shared=True) | self.access(node.expr, scope) if aim is None else self.access(aim, scope)
        if isinstance(node, c_ast.StructRef):  # its field is a name of the struct's, not of the scope
            return self._member(node, scope)
        if isinstance(node, c_ast.ArrayRef):
            return Access(shared=True) | self.access(node.name, scope) | self.access(node.subscript, scope)
        if isinstance(node, c_ast.FuncCall):
            return self._call(node, scope)
        if isinstance(node, c_ast.Typename):
            self._inert[id(node)] = node
            return NOTHING
        if isinstance(node, c_ast.Decl):
            return self.access(node.init, scope) if node.init is not None else NOTHING
        if isinstance(node, c_ast.Compound):
            return self._block(node, scope)
        out, inert = NOTHING, True  # what is read here is what the children read: inert when each of them is
        for child in node:
            out = out | self.access(child, scope)
            inert = inert and self._inert.get(id(child)) is child
        if inert:
            self._inert[id(node)] = node
        return out

    def _member(self, node: c_ast.StructRef, scope: Scope) -> Access:
        """``s.x`` of a plain local reads that member alone; of another object, what naming it loads; ``p->x`` and
        what ``s`` is made of otherwise, shared memory and what evaluating ``s`` does."""
        root = node.name
        while isinstance(root, c_ast.StructRef) and root.type == ".":
            root = root.name
        local = self._plain_local(root.name, scope) if node.type == "." and isinstance(root, c_ast.ID) else None
        if local:
            return Access(reads=frozenset({self._path(node, root, scope)}))  # that member alone is read
        if local is False:
            return Access(loads=self._named(node, root, scope) or frozenset())
        return (Access(shared=True) if node.type == "->" else NOTHING) | self.access(node.name, scope)

    def _call(self, node: c_ast.FuncCall, scope: Scope) -> Access:
        """What a call may read and change: a store through an overflow or buffer builtin's pointer, else the
        callee's effect and its arguments' (a compile-time builtin's not evaluated, a primitive's named variable
        read when it runs)."""
        args = list(node.args.exprs) if node.args else []
        stored = self._overflow_store(node.name, args, scope)
        if stored is None:
            stored = self._buffer_store(node.name, args, scope)
        if stored is not None:
            return stored
        out = self._callee(node.name)
        if isinstance(node.name, c_ast.ID) and node.name.name in COMPILE_TIME and not out.effect \
                and node.name.name not in ("__builtin_choose_expr", ILOG2):
            return out  # offsetof(), __builtin_constant_p(): arguments not evaluated (or one of them, pure)
        prim = PRIMITIVES.get(node.name.name) if isinstance(node.name, c_ast.ID) else None
        names = prim.name_args if prim is not None else ()
        if isinstance(node.name, c_ast.ID) and node.name.name in _PERCPU_LOADS:
            out = Access(shared=True)  # a load of the variable alone, which gcc may move past a call beside it
        for i, a in enumerate(args):
            if i not in names:  # a per-CPU variable or lock named: the primitive reads it when it runs
                out = out | self.access(a, scope)
        return out

    def _aimed(self, node: c_ast.Node) -> c_ast.Node | None:
        """The object ``node``, ``*p`` of a pointer in _aims, is, or None."""
        if isinstance(node, c_ast.UnaryOp) and node.op == "*" and isinstance(node.expr, c_ast.ID):
            return self._aims.get(node.expr.name)
        return None

    def _block(self, node: c_ast.Compound, scope: Scope) -> Access:
        """A statement expression's items in order, a pointer it declares to one object known from its declaration
        on (_aims); a name it declares anywhere hides an outer one's aim."""
        outer, out = self._aims, NOTHING
        declared = [n.name for n in all_nodes(node) if isinstance(n, c_ast.Decl)]
        self._aims = {k: v for k, v in outer.items() if k not in declared}
        try:
            for item in node.block_items or ():
                out = out | self.access(item, scope)
                obj = aim(item, node, declared) if isinstance(item, c_ast.Decl) else None
                if obj is not None:
                    self._aims[item.name] = obj
        finally:
            self._aims = outer
        return out

    def _overflow_store(self, callee: c_ast.Node, args: list[c_ast.Node], scope: Scope) -> Access | None:
        """``__builtin_add_overflow(a, b, &r)`` (and sub, mul): reads a and b, stores to r alone (the object its third
        argument's ``&`` names, as an assignment to it would); None for another call or another third argument."""
        if not (isinstance(callee, c_ast.ID) and callee.name in OVERFLOW_BUILTINS and len(args) == 3
                and isinstance(args[2], c_ast.UnaryOp) and args[2].op == "&"):
            return None
        return self.access(args[0], scope) | self.access(args[1], scope) | self._target(args[2].expr, scope, False)

    def _buffer_store(self, callee: c_ast.Node, args: list[c_ast.Node], scope: Scope) -> Access | None:
        """``scnprintf(buf + len, sizeof(buf) - len, ...)`` (any of STORES) into a named array: a store to that
        array alone (the kernel's lib/vsprintf.c and string.c write only through their first argument), reading
        its arguments and what they point at; None for another call or a destination a pointer holds."""
        if not (isinstance(callee, c_ast.ID) and callee.name in STORES and args):
            return None
        dest = args[0]
        if isinstance(dest, c_ast.FuncCall) and isinstance(dest.name, c_ast.ID) and dest.name.name == "__sh_char_buf" \
                and dest.args is not None and len(dest.args.exprs) == 1:
            dest = dest.args.exprs[0]  # the prelude's check of a char buffer (models.prelude), its argument's value
        if isinstance(dest, c_ast.BinaryOp) and dest.op == "+":
            dest = dest.left if isinstance(dest.left, c_ast.ID | c_ast.StructRef) else dest.right
        elif isinstance(dest, c_ast.UnaryOp) and dest.op == "&" and isinstance(dest.expr, c_ast.ArrayRef):
            dest = dest.expr.name
        if not isinstance(self._declared(dest, scope), Array):
            return None
        out = self._target(dest, scope, True) | Access(shared=True)
        for a in args:
            out = out | self.access(a, scope)
        return out

    def _declared(self, node: c_ast.Node, scope: Scope) -> CType | None:
        """The type of a variable or a member of one reached through ``.`` (``lg.buf``), None for anything else."""
        fields: list[str] = []
        while isinstance(node, c_ast.StructRef) and node.type == ".":
            fields.append(str(node.field.name))
            node = node.name
        var = self.c.lookup(node.name, scope) if isinstance(node, c_ast.ID) else None
        t = var.ctype if var is not None else None
        for name in reversed(fields):
            t = t.field(name) if isinstance(t, Struct) else None
        return t

    def _callee(self, callee: c_ast.Node) -> Access:
        if not isinstance(callee, c_ast.ID):
            return CALL
        name = callee.name
        if name in COMPILE_TIME and name in EFFECTFUL_BUILTINS:  # __builtin_add_overflow(a, b, &r) stores to r
            return Access(effect=True, shared=True)
        if name in PURE or (name.startswith("__builtin_") and name not in EFFECTFUL_BUILTINS) \
                or (name in COMPILE_TIME and name not in EFFECTFUL_BUILTINS):
            return NOTHING
        return CALL  # what it stores, reads, outputs is counted as it runs (counted(), Compiler.invoke)

    def flags(self, name: str) -> Flags:
        """What the code's function ``name`` does itself, from its text (models.statements.Compiler.invoke counts
        it in the run's ``seq_effects`` / ``seq_reads`` each time it runs)."""
        if name not in self._flags:
            self._flags[name] = body_flags(self.c, self.c.program.functions[name])
        return self._flags[name]


_UNSEQUENCED = (c_ast.BinaryOp, c_ast.Assignment, c_ast.FuncCall, c_ast.ArrayRef)

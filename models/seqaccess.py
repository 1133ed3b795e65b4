"""What evaluating an operand does (models.sequencing reads it from the text) and when two operands' order matters."""

from __future__ import annotations

from pycparser import c_ast

from models.cparse import all_nodes
from models.record import record


@record
class Access:
    """What evaluating an operand does, as its text shows: ``effect``, a store to memory other than a plain local;
    ``writes``, the plain locals it stores to (a member of a plain local struct by its path, ``a.rcx``: _path());
    ``shared``, whether it reads memory an effect elsewhere may change (through pointers, array elements); ``reads``,
    the plain locals it reads (a member by its path too); ``calls``, whether it calls something, whose stores, reads
    and outputs are known only as it runs (``Sequencing.flags`` of each function run, a primitive's own);
    ``outputs``, whether one run of its calls added to the outcome (a SEAMCALL, a log record, an event); ``stores``
    and ``loads``, the named objects in memory (file-scope and static objects, a local whose address is taken, by
    their slot, a member by its path) it stores to and reads: two different ones are two objects (C11 6.5p2), but
    a pointer or a call may reach any of them; ``counters``, the functions one run of its calls ran that store to a
    static of their own (``*``: any, not measured), which only another run of the same function reads."""

    effect: bool = False
    writes: frozenset[str] = frozenset()
    shared: bool = False
    reads: frozenset[str] = frozenset()
    calls: bool = False
    outputs: bool = False
    stores: frozenset[str] = frozenset()
    loads: frozenset[str] = frozenset()
    counters: frozenset[str] = frozenset()

    def __or__(self, o: Access) -> Access:
        if o is NOTHING or o is self:  # nothing added: the very same value (the analysis joins NOTHING most)
            return self
        if self is NOTHING:
            return o
        return Access(self.effect or o.effect, self.writes | o.writes, self.shared or o.shared, self.reads | o.reads,
                      self.calls or o.calls, self.outputs or o.outputs, self.stores | o.stores, self.loads | o.loads,
                      self.counters | o.counters)

    def ran(self, stored: bool, output: bool, read: bool, counters: frozenset[str] = frozenset()) -> Access:
        """This operand as one run of it found it: whether its calls stored to memory, added to the outcome, read
        memory; the functions counting in statics of their own they ran."""
        return Access(self.effect or stored, self.writes, self.shared or read, self.reads, False, output, self.stores,
                      self.loads, counters)

    @property
    def memory(self) -> bool:
        """Whether it may read or store any object in memory: a named one, or one a pointer or call reaches."""
        return bool(self.effect or self.shared or self.calls or self.stores or self.loads)


NOTHING = Access()
CALL = Access(calls=True)
ANY_COUNTER = frozenset({"*"})  # an operand not measured: it may have run any function counting in its own static


def _same_counter(xs: frozenset[str], ys: frozenset[str]) -> bool:
    """Whether two operands both ran one function that counts in a static of its own: which run comes first decides
    what each returns (f(next_id(), next_id())); two functions' statics are two objects (next_a() + next_b())."""
    return bool(xs and ys and ("*" in xs or "*" in ys or xs & ys))


def meet(xs: frozenset[str], ys: frozenset[str]) -> bool:
    """Whether two sets of plain locals and member paths share storage: the same name, or one a member of the other
    (``a`` and ``a.rcx``); ``a.rcx`` and ``a.rdx`` are two objects (C11 6.5p2 speaks of each scalar object)."""
    if not xs or not ys:
        return False
    return any(x == y or x.startswith(y + ".") or y.startswith(x + ".") for x in xs for y in ys)


def conflict(ops: list[Access]) -> bool:
    """Whether two of the operands, evaluated in either order, may give different results: a store and a read or
    store of memory, two outputs (their order is the outcome's), two runs of one function counting in a static of its
    own, a plain local written and used (a call not yet run counts as all of these)."""
    for i, a in enumerate(ops):
        for b in ops[i + 1:]:
            ast, bst = a.effect or a.calls, b.effect or b.calls  # a store a pointer or a call makes: to any object
            if (ast and b.memory) or (bst and a.memory) \
                    or (a.stores and (b.shared or b.calls)) or (b.stores and (a.shared or a.calls)) \
                    or ((a.outputs or a.calls) and (b.outputs or b.calls)) \
                    or meet(a.writes, b.reads | b.writes) or meet(b.writes, a.reads) \
                    or meet(a.stores, b.loads | b.stores) or meet(b.stores, a.loads) \
                    or _same_counter(a.counters, b.counters):
                return True
    return False


@record
class Plan:
    """An unsequenced node whose operands may depend on their order: checked each time it runs."""

    where: str
    why: str
    operands: tuple[c_ast.Node, ...]
    static: tuple[Access, ...]
    ordered: bool = False  # a binary operator's: see left_to_right()
    always: bool = False  # refused whatever its calls do

    def check(self, ran: list[tuple[bool, bool, bool, bool, frozenset[str], frozenset[str]]]) -> str | None:
        """The reason when what the operands' calls did (``ran``: per operand, whether they stored, output, read,
        stored to memory, the counting functions and the file-scope objects stored to by name) makes their order
        matter, else None."""
        # The objects a call stored to by name are its stores (a call not measured stored to memory: r[3])
        static = [a | Access(stores=r[5]) if a.calls and r[5] else a for a, r in zip(self.static, ran, strict=True)]
        if self.ordered:  # only what the code can load plainly: memory, not the kernel's own state; an operand that
            # calls nothing is not measured (its text says all it does), so its own stores are its Access's effect
            stored = [r[3] and a.calls for a, r in zip(static, ran, strict=True)]
            return self.why if left_to_right(static, stored) else None
        ops = [a.ran(r[0], r[1], r[2], r[4]) if a.calls else a for a, r in zip(static, ran, strict=True)]
        if not conflict(ops):
            return None
        # An operand calling nothing loads memory alone, never the kernel's state (IRQs, locks, the preempt count,
        # which code reads through calls): against it, a call stored what it stored to memory (r[3]) alone
        # (``h->dev->flags = __sh_irq_save()``: the load of h->dev and the IRQs disabled, in either order).
        mem = [a.ran(r[3], r[1], r[2], r[4]) if a.calls else a for a, r in zip(static, ran, strict=True)]
        for i, a in enumerate(static):
            for j in range(i + 1, len(static)):
                pair = [ops[i], ops[j]] if a.calls and static[j].calls else [mem[i], mem[j]]
                if conflict(pair):
                    return self.why
        return None


def left_to_right(ops: tuple[Access, ...] | list[Access], stored: list[bool]) -> bool:
    """Whether a binary operator's operands depend on their order as gcc evaluates them: their side effects and
    calls left to right, as the mirror does, but a load of memory the left one reads may come after the right one
    stored to it (``gx + bump()``: gcc reads ``gx`` after the call), and a load the right one reads before the left
    one's call stored to it (``add(2) << gx`` of an inlined add(): 2 where the mirror said 8; ``bump() + *p`` of a
    pointer that may reach what ``bump()`` stores to by name). ``stored``: whether each one's calls stored to memory
    other than the objects they name (those are in its ``stores``)."""
    for i, a in enumerate(ops):
        for j in range(i + 1, len(ops)):
            b = ops[j]
            if ((a.shared or a.loads) and (b.effect or stored[j])) or (a.shared and b.stores) \
                    or ((b.shared or b.loads) and (a.effect or (a.calls and stored[i]))) \
                    or (b.shared and a.calls and a.stores) \
                    or meet(a.writes, b.reads | b.writes) or meet(b.writes, a.reads) \
                    or meet(a.stores | a.loads, b.stores) or meet(b.loads, a.stores):
                return True
    return False


def aim(decl: c_ast.Decl, block: c_ast.Compound, declared: list[str]) -> c_ast.Node | None:
    """The object ``T *p = &x;`` (``&x.m``; through a cast, ``(T *)&x``, all of ``x``) points ``p`` at for the rest
    of ``block``: None where ``block`` may point ``p`` elsewhere (an assignment, ``++``, ``&p``), declares ``p``
    twice or declares ``x`` itself (another ``x``)."""
    init, cast = decl.init, False
    while isinstance(init, c_ast.Cast):
        init, cast = init.expr, True
    if not (isinstance(init, c_ast.UnaryOp) and init.op == "&"):
        return None
    obj = root = init.expr
    while isinstance(root, c_ast.StructRef) and root.type == ".":
        root = root.name
    name = decl.name
    if not isinstance(root, c_ast.ID) or declared.count(name) != 1 or root.name in declared:
        return None
    for n in all_nodes(block):
        changed = n.lvalue if isinstance(n, c_ast.Assignment) else \
            n.expr if isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--", "&") else None
        if isinstance(changed, c_ast.ID) and changed.name == name:
            return None
    return root if cast else obj

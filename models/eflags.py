"""The flags local_irq_save() keeps: x86's whole EFLAGS image, of which a run knows X86_EFLAGS_IF alone."""

# arch/x86/include/asm/irqflags.h: arch_local_save_flags() is native_save_fl(), "pushf; pop": every bit of EFLAGS.
# Beside X86_EFLAGS_IF (0x200) it holds the arithmetic flags (CF, PF, AF, ZF, SF, OF) the instructions before it
# left, which depend on how gcc built the code, and the fixed bit 1. The mirror keeps the IF bit only (0x200 or 0),
# which is all local_irq_restore() and arch_irqs_disabled_flags() read. Any other use of the value (printing it,
# returning it, comparing it, copying it) would see bits the kernel's value has and the mirror's has not: refused
# where the code reads it (models.interp x_ID), never guessed.

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models.cparse import all_nodes
from models.errors import UnsupportedConstruct
from models.values import _CONSTANT, Fn, Scope

IRQ_FLAG = 0x200  # X86_EFLAGS_IF (arch/x86/include/uapi/asm/processor-flags.h): the one bit known
# The prelude's calls whose value is the saved flags (local_irq_save(), spin_lock_irqsave() and their raw_ forms,
# local_save_flags()), and the primitives that read the flags back, with the argument that holds them.
SAVERS = frozenset({"__sh_irq_save", "__sh_spin_lock_irqsave", "__sh_raw_spin_lock_irqsave", "__sh_save_flags",
                    "__sh_spin_lock_irqsave_nested", "__sh_raw_spin_lock_irqsave_nested"})
RESTORERS = {"__sh_irq_restore": 0, "spin_unlock_irqrestore": 1, "raw_spin_unlock_irqrestore": 1}

UNKNOWN = ("'{}' holds the flags local_irq_save() (or spin_lock_irqsave(), local_save_flags()) saved: the whole "
           "EFLAGS image (arch_local_save_flags(), pushf), whose arithmetic flags are whatever the instructions "
           "before it left, so its value is not known; only a restore and a test of X86_EFLAGS_IF "
           "(irqs_disabled_flags(), flags & X86_EFLAGS_IF) are")


def _call_name(n: c_ast.Node) -> str:
    return n.name.name if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) else ""


def flag_params(program: Any) -> dict[str, dict[int, bool]]:
    """The helpers that keep flags behind a pointer parameter (``void save(unsigned long *flags) {
    local_irq_save(*flags); }``): per function, each such parameter's index and whether the helper saves through
    it. Every use of the parameter in the body is ``*p`` as a save's target, a restore's flags argument or an
    operand of ``&`` (irqs_disabled_flags(*flags), whose mask models.interp checks), or ``p`` handed on to such a
    parameter of another helper (include/linux/irqflags.h: the flags are one unsigned long wherever they go). Every
    mention of the helper, and of each helper it hands them to, is a direct call, so each caller is seen
    (models.statements hands the callers' ``&x`` to flag_reads()). ``program``: a models.cload.Program."""
    pointered = {name: fn for name, fn in program.functions.items() if _pointer_params(fn)}
    out = _closure(pointered)
    if out:  # a helper named other than as a callee (a function pointer) may be called where no caller is seen
        callees = {id(n.name) for n in all_nodes(program.ast) if isinstance(n, c_ast.FuncCall)}
        named = {n.name for n in all_nodes(program.ast)
                 if isinstance(n, c_ast.ID) and n.name in out and id(n) not in callees}
        if named:  # and one handing them to it is no more followed: the closure again, without them
            out = _closure({name: fn for name, fn in pointered.items() if name not in named})
    return out


def _closure(functions: dict[str, c_ast.FuncDef]) -> dict[str, dict[int, bool]]:
    """_pointer_flags() of each of ``functions`` until none changes: a helper handing its pointer on is followed
    once the one it hands it to is (a parameter only ever gains uses allowed, and a helper its saving)."""
    out: dict[str, dict[int, bool]] = {}
    changed = True
    while changed:
        changed = False
        for name, fn in functions.items():
            found = _pointer_flags(fn, out)
            if found and found != out.get(name):
                out[name], changed = found, True
    return out


def _pointer_params(fn: c_ast.FuncDef) -> dict[str, int]:
    """The parameters of pointer type of ``fn``, with their index."""
    decl = fn.decl.type
    params = decl.args.params if isinstance(decl, c_ast.FuncDecl) and decl.args else []
    return {p.name: i for i, p in enumerate(params) if isinstance(p, c_ast.Decl) and isinstance(p.type, c_ast.PtrDecl)}


def _pointer_flags(fn: c_ast.FuncDef, known: dict[str, dict[int, bool]]) -> dict[int, bool]:
    """flag_params() of one function, given the helpers ``known`` so far: its pointer parameters used only as
    ``*p`` in saves, restores and ``&`` tests, or handed on to a known helper's flags parameter."""
    names = _pointer_params(fn)
    nodes = all_nodes(fn.body)
    derefs = {id(n.expr): n for n in nodes if isinstance(n, c_ast.UnaryOp) and n.op == "*"
              and isinstance(n.expr, c_ast.ID) and n.expr.name in names}
    handed = {id(a): saving for _, a, saving in _handed(nodes, known) if isinstance(a, c_ast.ID) and a.name in names}
    if not derefs and not handed:
        return {}
    saved = {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment) and n.op == "="
             and _call_name(n.rvalue) in SAVERS}
    used = saved | _restored(nodes) | {id(o) for n in nodes if isinstance(n, c_ast.BinaryOp) and n.op == "&"
                                       for o in (n.left, n.right)}
    ok: dict[str, bool] = {}
    for n in nodes:
        if isinstance(n, c_ast.Decl) and n.name in names:
            names.pop(n.name)  # a declaration of its own shadows the parameter: not followed
        if isinstance(n, c_ast.ID) and n.name in names:
            star = derefs.get(id(n))
            if star is not None and id(star) in used:
                ok[n.name] = ok.get(n.name, False) or id(star) in saved
            elif id(n) in handed:
                ok[n.name] = ok.get(n.name, False) or handed[id(n)]
            else:
                names.pop(n.name)
    return {names[p]: saves for p, saves in ok.items() if p in names}


def _restored(nodes: list[c_ast.Node]) -> set[int]:
    """The ids of the restores' flags arguments among ``nodes``."""
    return {id(n.args.exprs[at]) for n in nodes if (at := RESTORERS.get(_call_name(n))) is not None
            and n.args is not None and len(n.args.exprs) > at}


def flag_reads(body: c_ast.Node, addressed: frozenset[str], helpers: dict[str, dict[int, bool]] | None = None,
               own: frozenset[str] = frozenset()) -> set[c_ast.Node]:
    """The reads, in a function's ``body``, of a variable it stores saved flags in (``flags = __sh_irq_save()``, a
    plain name, or ``save(&flags)`` of a helper of flag_params(), ``helpers``): each but a restore's flags argument
    or a ``&flags`` handed to such a helper; an operand of ``&`` too (which models.interp allows where the other
    operand is a constant within X86_EFLAGS_IF). Empty for a function that saves none.

    With them, the saving calls (``__sh_irq_save()``, a helper's) whose flags go where no read of them is found
    here: through a pointer (``*flagsp``, but into ``own``, this function's parameters of flag_params(), which every
    caller hands a variable it follows), into a struct member or an array element, a variable not declared in the
    body (a file-scope one, a parameter), a static, or one whose address ``addressed`` says is taken other than by
    such a helper's call. Code anywhere may read them there (``return *flagsp``, the state a run leaves):
    models.statements refuses the save where it runs."""
    nodes = all_nodes(body)
    saves = [n for n in nodes if isinstance(n, c_ast.Assignment) and n.op == "=" and _call_name(n.rvalue) in SAVERS]
    handed = _handed(nodes, helpers or {})
    if not saves and not handed:
        return _tested(nodes, own)
    local = {n.name for n in nodes if isinstance(n, c_ast.Decl) and n.name and not isinstance(n.type, c_ast.FuncDecl)
             and not {"static", "extern"} & set(n.storage or ())}
    given = {id(a) for _, a, _ in handed}
    elsewhere = {x for n in nodes if id(n) not in given and (x := _address_of(n)) is not None}
    # a local whose address goes nowhere but to such helpers is followed as one whose address is not taken
    followed = local - (addressed - {_address_of(a) for _, a, _ in handed}) - elsewhere
    direct = {n.lvalue.name for n in saves if isinstance(n.lvalue, c_ast.ID)}
    kept_here = (direct | {_address_of(a) for _, a, saving in handed if saving}) & followed
    out: set[c_ast.Node] = {n.rvalue for n in saves if _deref_of(n.lvalue) not in own
                            and not (isinstance(n.lvalue, c_ast.ID) and n.lvalue.name in kept_here)}
    out |= {n for n, a, saving in handed if saving and _address_of(a) not in kept_here
            and not (isinstance(a, c_ast.ID) and a.name in own)}  # handed on: this helper's callers follow it
    names = direct | kept_here
    kept = {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment)}  # stores, not reads
    kept |= {id(a.expr) for _, a, _ in handed if _address_of(a) is not None}  # to a helper that follows it
    for n in nodes:
        at = RESTORERS.get(_call_name(n))
        if at is not None and n.args is not None and len(n.args.exprs) > at:
            kept.add(id(n.args.exprs[at]))
    return out | _tested(nodes, own) | {n for n in nodes if isinstance(n, c_ast.ID) and n.name in names
                                        and id(n) not in kept}


def _tested(nodes: list[c_ast.Node], own: frozenset[str]) -> set[c_ast.Node]:
    """The ``*p`` of ``own`` parameters that flag_params() let be ``&`` operands (irqs_disabled_flags(*flags)):
    reads of the flags, left to models.interp's mask check."""
    if not own:
        return set()
    stores = {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment)} | _restored(nodes)
    return {n for n in nodes if _deref_of(n) in own and id(n) not in stores}


Handed = list[tuple[c_ast.FuncCall, c_ast.Node, bool]]


def _handed(nodes: list[c_ast.Node], helpers: dict[str, dict[int, bool]]) -> Handed:
    """The calls of flag_params() helpers among ``nodes``: each with the argument at a flags parameter and whether
    the helper saves through it; an argument that is no ``&x`` of a name stands for itself (a saving one refused)."""
    out: Handed = []
    for n in nodes:
        at = helpers.get(_call_name(n))
        if at and n.args is not None:
            out.extend((n, a, at[i]) for i, a in enumerate(n.args.exprs) if i in at)
    return out


def _address_of(n: c_ast.Node) -> str | None:
    """``x`` of ``&x``, else None."""
    return n.expr.name if isinstance(n, c_ast.UnaryOp) and n.op == "&" and isinstance(n.expr, c_ast.ID) else None


def _deref_of(n: c_ast.Node) -> str | None:
    """``p`` of ``*p``, else None."""
    return n.expr.name if isinstance(n, c_ast.UnaryOp) and n.op == "*" and isinstance(n.expr, c_ast.ID) else None


def masked(c: Any, node: c_ast.BinaryOp, scope: Scope) -> None:
    """``flags & MASK`` (irqs_disabled_flags(), ``flags & X86_EFLAGS_IF``): the flags operand is a read the code
    may make where MASK is a constant within X86_EFLAGS_IF, the one bit known (flag_reads() left it refused).
    ``c``: the models.interp compiler (not imported: interp imports this module)."""
    for flags, mask in ((node.left, node.right), (node.right, node.left)):
        if flags in c.flag_reads and not any(isinstance(n, c_ast.FuncCall) for n in all_nodes(mask)):
            value = _CONSTANT.get(c.expr(mask, scope)[0])
            if value is not None and not value & ~IRQ_FLAG:
                c.flag_reads.discard(flags)


UNFOLLOWED = ("the flags {} saved are kept where the mirror does not follow them (through a pointer, in a struct "
              "member or an array element, a file-scope, static or parameter variable, or one whose address is "
              "taken): a read of them there would see the whole EFLAGS image (arch_local_save_flags(), pushf), of "
              "which a run knows X86_EFLAGS_IF alone")


def unfollowed_save(node: c_ast.FuncCall, where: str) -> Fn:
    """The closure of a save flag_reads() found kept out of its sight: it stops the run where it is reached."""
    name = _call_name(node)
    what = {"__sh_irq_save": "local_irq_save()", "__sh_save_flags": "local_save_flags()"}.get(
        name, "spin_lock_irqsave()" if name in SAVERS else f"{name}() (through its pointer parameter)")

    def refuse(f: Any) -> Any:
        raise UnsupportedConstruct(where, UNFOLLOWED.format(what))
    return refuse


def unknown_read(name: str, where: str) -> Fn:
    """The closure of a refused read of the saved flags: it stops the run where it is reached."""
    def refuse(f: Any) -> Any:
        raise UnsupportedConstruct(where, UNKNOWN.format(name))
    return refuse

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
SAVERS = frozenset({"__sh_irq_save", "__sh_spin_lock_irqsave", "__sh_raw_spin_lock_irqsave", "__sh_save_flags"})
RESTORERS = {"__sh_irq_restore": 0, "spin_unlock_irqrestore": 1, "raw_spin_unlock_irqrestore": 1}

UNKNOWN = ("'{}' holds the flags local_irq_save() (or spin_lock_irqsave(), local_save_flags()) saved: the whole "
           "EFLAGS image (arch_local_save_flags(), pushf), whose arithmetic flags are whatever the instructions "
           "before it left, so its value is not known; only a restore and a test of X86_EFLAGS_IF "
           "(irqs_disabled_flags(), flags & X86_EFLAGS_IF) are")


def _call_name(n: c_ast.Node) -> str:
    return n.name.name if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) else ""


def flag_reads(body: c_ast.Node, addressed: frozenset[str]) -> set[c_ast.Node]:
    """The reads, in a function's ``body``, of a variable it stores saved flags in (``flags = __sh_irq_save()``, a
    plain name): each but a restore's flags argument; an operand of ``&`` too (which models.interp allows where
    the other operand is a constant within X86_EFLAGS_IF). Empty for a function that saves none.

    With them, the saving calls (``__sh_irq_save()``) whose flags go where no read of them is found here: through a
    pointer (``*flagsp``), into a struct member or an array element, a variable not declared in the body (a
    file-scope one, a parameter), a static, or one whose address ``addressed`` says is taken. Code anywhere may read
    them there (``return *flagsp``, the state a run leaves): models.statements refuses the save where it runs."""
    nodes = all_nodes(body)
    saves = [n for n in nodes if isinstance(n, c_ast.Assignment) and n.op == "=" and _call_name(n.rvalue) in SAVERS]
    if not saves:
        return set()
    local = {n.name for n in nodes if isinstance(n, c_ast.Decl) and n.name and not isinstance(n.type, c_ast.FuncDecl)
             and not {"static", "extern"} & set(n.storage or ())}
    kept_here = {n.lvalue.name for n in saves if isinstance(n.lvalue, c_ast.ID) and n.lvalue.name in local
                 and n.lvalue.name not in addressed}
    out: set[c_ast.Node] = {n.rvalue for n in saves if not isinstance(n.lvalue, c_ast.ID)
                            or n.lvalue.name not in kept_here}
    names = {n.lvalue.name for n in saves if isinstance(n.lvalue, c_ast.ID)}
    kept = {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment)}  # stores, not reads
    for n in nodes:
        at = RESTORERS.get(_call_name(n))
        if at is not None and n.args is not None and len(n.args.exprs) > at:
            kept.add(id(n.args.exprs[at]))
    return out | {n for n in nodes if isinstance(n, c_ast.ID) and n.name in names and id(n) not in kept}


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
    what = {"__sh_irq_save": "local_irq_save()", "__sh_save_flags": "local_save_flags()"}.get(
        _call_name(node), "spin_lock_irqsave()")

    def refuse(f: Any) -> Any:
        raise UnsupportedConstruct(where, UNFOLLOWED.format(what))
    return refuse


def unknown_read(name: str, where: str) -> Fn:
    """The closure of a refused read of the saved flags: it stops the run where it is reached."""
    def refuse(f: Any) -> Any:
        raise UnsupportedConstruct(where, UNKNOWN.format(name))
    return refuse

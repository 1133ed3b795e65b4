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


def flag_reads(body: c_ast.Node) -> set[c_ast.Node]:
    """The reads, in a function's ``body``, of a variable it stores saved flags in (``flags = __sh_irq_save()``, a
    plain name): each but a restore's flags argument; an operand of ``&`` too (which models.interp allows where
    the other operand is a constant within X86_EFLAGS_IF). Empty for a function that saves none."""
    nodes = all_nodes(body)
    names = {n.lvalue.name for n in nodes if isinstance(n, c_ast.Assignment) and n.op == "="
             and isinstance(n.lvalue, c_ast.ID) and _call_name(n.rvalue) in SAVERS}
    if not names:
        return set()
    kept = {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment)}  # stores, not reads
    for n in nodes:
        at = RESTORERS.get(_call_name(n))
        if at is not None and n.args is not None and len(n.args.exprs) > at:
            kept.add(id(n.args.exprs[at]))
    return {n for n in nodes if isinstance(n, c_ast.ID) and n.name in names and id(n) not in kept}


def masked(c: Any, node: c_ast.BinaryOp, scope: Scope) -> None:
    """``flags & MASK`` (irqs_disabled_flags(), ``flags & X86_EFLAGS_IF``): the flags operand is a read the code
    may make where MASK is a constant within X86_EFLAGS_IF, the one bit known (flag_reads() left it refused).
    ``c``: the models.interp compiler (not imported: interp imports this module)."""
    for flags, mask in ((node.left, node.right), (node.right, node.left)):
        if flags in c.flag_reads and not any(isinstance(n, c_ast.FuncCall) for n in all_nodes(mask)):
            value = _CONSTANT.get(c.expr(mask, scope)[0])
            if value is not None and not value & ~IRQ_FLAG:
                c.flag_reads.discard(flags)


def unknown_read(name: str, where: str) -> Fn:
    """The closure of a refused read of the saved flags: it stops the run where it is reached."""
    def refuse(f: Any) -> Any:
        raise UnsupportedConstruct(where, UNKNOWN.format(name))
    return refuse

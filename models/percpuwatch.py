"""A per-CPU variable's object watched: a store however made (this_cpu_ptr(&v)->m = x, a pointer kept) a percpu-write.

The kernel's this_cpu_write() and a store through this_cpu_ptr(), raw_cpu_ptr(), per_cpu_ptr() or per_cpu() of the
run's CPU change the same object (include/linux/percpu-defs.h). The mirror sees a this_cpu_*() write as it runs
(models.percpuops.cpu_write); a plain store is memory, in the mirror as in gcc's build, whose text has no hook for
it. So both read each integer member of the code's DEFINE_PER_CPU() objects (a "leaf": ``v``, ``v.m``, ``v[2]``,
``v.s.n``) at the same points: before every event, printk record and SEAMCALL, before each this_cpu_*() write and at
the run's end; a leaf whose value changed since is a ``percpu-write`` event there, ``v.m = x`` as this_cpu_write()
names it, and is listed in the SEAMCALL records from then on (models/native/sh_native.c ``sh_percpu_leaf()`` does the
same in gcc's build, whose sh_state() registers the leaves this module lists). A store of the value already held is
no change, and two stores between those points one: what the native side can see too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from models.ctype import Array, CType, Int, Struct, is_anonymous
from models.machine import Event, Machine
from models.record import record
from models.slicer import Kind
from models.values import Frame

if TYPE_CHECKING:
    from pycparser import c_ast

    from models.cload import Program
    from models.eflags import FlagHelpers
    from models.values import Scope, Var

# include/linux/percpu-defs.h: the definitions, which the prelude makes plain objects (models.percpumacros)
_DEFINED = re.compile(r"\s*(?:static\s+)?DEFINE_PER_CPU\w*\s*\(")
# What a run watches at most (sh_native.c SH_MAX_LEAVES): a variable whose leaves would go past it is not watched.
MAX_LEAVES = 64


class Compiler(Protocol):
    """What the watch reads of a compiler (models.statements.Compiler)."""

    program: Program
    percpu_leaves: tuple[Leaf, ...] | None
    flag_helpers: FlagHelpers | None
    global_decls: dict[str, c_ast.Decl]
    declared_percpu: dict[str, str]

    def global_var(self, name: str) -> Var | None: ...

    def initializer(self, init: c_ast.Node | None, t: CType, scope: Scope, zero: bool = False) -> Callable[
        [Frame], Any]: ...


def watched(c: Compiler) -> tuple[Leaf, ...]:
    """The leaves of the per-CPU variables the code defines, in name order. Integers of 64 bits or fewer; a union, a
    bit-field, a pointer or a 128-bit member is not watched (no one address and size that gcc's build reads as the
    mirror does), nor a member keeping saved flags (the mirror's image, not the EFLAGS gcc's build saves:
    models.eflags). Found once per compiler."""
    if c.percpu_leaves is not None:
        return c.percpu_leaves
    from models.eflags import flag_helpers

    if c.flag_helpers is None:
        c.flag_helpers = flag_helpers(c.program)
    out: list[Leaf] = []
    names = sorted({d.name for d in c.program.used if d.kind is Kind.VARIABLE and _DEFINED.match(d.text)})
    for name in names:
        var, decl = c.global_var(name), c.global_decls.get(name)
        if var is None or decl is None or name in c.declared_percpu or c.program.c_name(name) != name:
            continue
        leaves = [leaf for leaf in _leaves(name, var.ctype, ())
                  if leaf[0].rpartition(".")[2].partition("[")[0] not in c.flag_helpers.members]
        if len(out) + len(leaves) > MAX_LEAVES:
            continue
        initial = c.initializer(decl.init, var.ctype, [{}], zero=True)
        out.extend(Leaf(path, var.slot, steps, initial) for path, steps in leaves)
    c.percpu_leaves = tuple(out)
    return c.percpu_leaves


def leaf_files(c: Compiler) -> tuple[tuple[str, str], ...]:
    """(C path, file of its variable's definition) of each watched leaf: a raw unit registers those of the files it
    reads (models.native.rawtu)."""
    out = []
    for leaf in watched(c):
        decl = c.global_decls[re.split(r"[.\[]", leaf.path, maxsplit=1)[0]]
        out.append((leaf.path, str(getattr(decl.coord, "file", ""))))
    return tuple(out)


def _leaves(path: str, t: CType, steps: tuple[str | int, ...]) -> list[tuple[str, tuple[str | int, ...]]]:
    if isinstance(t, Int):
        return [(path, steps)] if t.bits <= 64 else []
    if isinstance(t, Array) and t.length is not None and t.length <= MAX_LEAVES:
        return [leaf for i in range(t.length) for leaf in _leaves(f"{path}[{i}]", t.elem, (*steps, i))]
    if not isinstance(t, Struct) or t.union:
        return []
    bitfields = {n for n, _, width in t.decl if n is not None and width is not None}
    out = []
    for n, ft in t.fields:
        if n in bitfields:
            continue
        if is_anonymous(n):  # C11 6.7.2.1p13: its members are the struct's own, named without it
            out.extend(_leaves(path, ft, (*steps, n)) if isinstance(ft, Struct) and not ft.union else [])
            continue
        out.extend(_leaves(f"{path}.{n}", ft, (*steps, n)))
    return out


@record
class Leaf:
    """A watched member: its C path, the variable's slot, the steps from the object to it, the variable's
    initializer (what it holds until the run first uses it)."""

    path: str
    slot: str
    steps: tuple[str | int, ...]
    initial: Callable[[Frame], Any]

    def value(self, m: Machine, obj: Any = None) -> int | None:
        """Its value in the run's object (in ``obj``, a fresh one, if given); None where the run has not made the
        object yet (the first unit's copy of a header's static: the one gcc's one program has)."""
        if obj is None:
            obj = m.globals.get(self.slot)
            if obj is None:
                return None
        for step in self.steps:
            obj = obj[step]
        return int(obj) if isinstance(obj, int) else None


class Watch:
    """One run's watch: each leaf's value as last seen."""

    __slots__ = ("last", "leaves")

    def __init__(self, m: Machine, leaves: tuple[Leaf, ...]) -> None:
        self.leaves = leaves
        fresh: dict[str, Any] = {}
        f = Frame(m, {})
        self.last: list[int | None] = []
        for leaf in leaves:
            if leaf.slot not in m.globals and leaf.slot not in fresh:
                fresh[leaf.slot] = leaf.initial(f)
            self.last.append(leaf.value(m, fresh.get(leaf.slot)))

    def flush(self, m: Machine, where: str) -> None:
        """A ``percpu-write`` event for each leaf changed since last seen, in the leaves' order."""
        last = self.last
        for i, leaf in enumerate(self.leaves):
            value = leaf.value(m)
            if value is not None and value != last[i]:
                last[i] = value
                # listed from the next SEAMCALL on (Machine.seamcall() reads it then); Machine.percpu is left as it
                # was, which models.seqrun compares to tell a call's own per-CPU writes
                m.percpu_live[leaf.path] = _live(m, leaf)
                m.events.append(Event("percpu-write", f"{leaf.path} = {value}", where))

    def sync(self, m: Machine) -> None:
        """Each leaf taken as seen (after a this_cpu_*() write, which is its own event)."""
        for i, leaf in enumerate(self.leaves):
            value = leaf.value(m)
            if value is not None:
                self.last[i] = value


def _live(m: Machine, leaf: Leaf) -> Callable[[], Any]:
    return lambda: leaf.value(m)

"""The flags local_irq_save() keeps: x86's whole EFLAGS image, of which a run knows X86_EFLAGS_IF alone."""

# arch/x86/include/asm/irqflags.h: arch_local_save_flags() is native_save_fl(), "pushf; pop": every bit of EFLAGS.
# Beside X86_EFLAGS_IF (0x200) it holds the arithmetic flags (CF, PF, AF, ZF, SF, OF) the instructions before it
# left, which depend on how gcc built the code, and the fixed bit 1. The mirror keeps the IF bit only (0x200 or 0),
# which is all local_irq_restore() and arch_irqs_disabled_flags() read. Any other use of the value (printing it,
# returning it, comparing it, copying it) would see bits the kernel's value has and the mirror's has not: refused
# where the code reads it (models.interp x_ID), never guessed.

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pycparser import c_ast, c_generator

from models.cparse import all_nodes, kept_nodes
from models.errors import UnsupportedConstruct
from models.guardflags import guard_members
from models.lifetimes import address_taken
from models.nodecopy import origin
from models.prelude import PRELUDE_PATH, prelude_bodies
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


@dataclass(frozen=True)
class FlagHelpers:
    """The functions a program's saved flags pass through (flag_helpers()): per function, its flags parameters
    behind a pointer (index -> whether it saves through it) and by value; and those returning flags they keep."""

    pointer: dict[str, dict[int, bool]] = field(default_factory=dict)
    value: dict[str, frozenset[int]] = field(default_factory=dict)
    returning: frozenset[str] = frozenset()
    members: frozenset[str] = frozenset()  # models.guardflags.guard_members()


def flag_helpers(program: Any) -> FlagHelpers:
    """flag_params(), value_params() and returners() of ``program`` (a models.cload.Program); the last two only
    where its code names a way of saving flags (none kept anywhere, none handed on or returned: no walk)."""
    savers = _saving_macros()
    if all(d.names_used().isdisjoint(savers) for d in program.used):
        return FlagHelpers(flag_params(program))
    values = value_params(_naming(program, _restoring_macros()))
    pointer = flag_params(program, values)
    returning = returners(program, FlagHelpers(pointer, values))
    return FlagHelpers(pointer, values, returning, guard_members(program, lambda nodes: guard_kept(nodes, values)))


def guard_kept(nodes: list[c_ast.Node], values: dict[str, frozenset[int]]) -> set[int]:
    """The ids of the saves' targets, the restores' flags arguments and the by-value flags arguments among
    ``nodes``: the uses models.guardflags allows a guard struct's flags member."""
    return _restored(nodes) | _valued(nodes, values) | {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment)
                                                       and n.op == "=" and _call_name(n.rvalue) in SAVERS}


def _named(program: Any, seeds: frozenset[str]) -> set[str]:
    """``seeds`` and the names of the program's definitions whose text names one of them, transitively (a macro of
    the code's own wrapping local_irq_restore(), a helper calling one that restores)."""
    texts = [(d.name, d.names_used()) for d in program.used]
    names, changed = set(seeds), True
    while changed:
        grown = {name for name, used in texts if name not in names and not used.isdisjoint(names)}
        names |= grown
        changed = bool(grown)
    return names


def _naming(program: Any, seeds: frozenset[str]) -> dict[str, c_ast.FuncDef]:
    """The functions of ``program`` whose definitions name one of ``seeds``, transitively (_named()), and those no
    definition of the code's gives the text of (an entry point's wrapper, a file's own copy): the ones worth a walk."""
    names, texts = _named(program, seeds), {d.name for d in program.used}
    return {name: fn for name, fn in program.functions.items() if name in names or name not in texts}


@lru_cache(maxsize=1)
def _restoring_macros() -> frozenset[str]:
    """RESTORERS and the prelude macros whose expansion reaches one (local_irq_restore(), ...)."""
    return _reaching(frozenset(RESTORERS))


@lru_cache(maxsize=1)
def _saving_macros() -> frozenset[str]:
    """SAVERS and the prelude macros whose expansion reaches one (local_irq_save(), spin_trylock_irqsave(), ...)."""
    return _reaching(SAVERS)


def _reaching(targets: frozenset[str]) -> frozenset[str]:
    """``targets`` and the prelude macros whose bodies name one of them, transitively."""
    bodies, names, grown = prelude_bodies(), set(targets), set(targets)
    while grown:
        named = re.compile("|".join(map(re.escape, sorted(grown)))).search  # one scan of each body, not one a name
        grown = {n for n, body in bodies.items() if n not in names and named(body)}
        names |= grown
    return frozenset(names)


def _call_name(n: c_ast.Node) -> str:
    return n.name.name if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) else ""


def flag_params(program: Any, values: dict[str, frozenset[int]] | None = None) -> dict[str, dict[int, bool]]:
    """The helpers that keep flags behind a pointer parameter (``void save(unsigned long *flags) {
    local_irq_save(*flags); }``): per function, each such parameter's index and whether the helper saves through
    it. Every use of the parameter in the body is ``*p`` as a save's target, a restore's flags argument or an
    operand of ``&`` (irqs_disabled_flags(*flags), whose mask models.interp checks), or ``p`` handed on to such a
    parameter of another helper (include/linux/irqflags.h: the flags are one unsigned long wherever they go). Every
    mention of the helper, and of each helper it hands them to, is a direct call, so each caller is seen
    (models.statements hands the callers' ``&x`` to flag_reads()); ``*p`` handed to a by-value flags parameter
    (``values``, value_params()) is a use allowed too. ``program``: a models.cload.Program."""
    pointered = {name: fn for name, fn in program.functions.items() if _pointer_params(fn)}
    out = _closure(pointered, values or {})
    if out:  # a helper named other than as a callee (a function pointer) may be called where no caller is seen
        callees = {id(n.name) for n in all_nodes(program.ast) if isinstance(n, c_ast.FuncCall)}
        named = {n.name for n in all_nodes(program.ast)
                 if isinstance(n, c_ast.ID) and n.name in out and id(n) not in callees}
        if named:  # and one handing them to it is no more followed: the closure again, without them
            out = _closure({name: fn for name, fn in pointered.items() if name not in named}, values or {})
    return out


def _closure(functions: dict[str, c_ast.FuncDef], values: dict[str, frozenset[int]]) -> dict[str, dict[int, bool]]:
    """_pointer_flags() of each of ``functions`` until none changes: a helper handing its pointer on is followed
    once the one it hands it to is (a parameter only ever gains uses allowed, and a helper its saving)."""
    out: dict[str, dict[int, bool]] = {}
    changed = True
    while changed:
        changed = False
        for name, fn in functions.items():
            found = _pointer_flags(fn, out, values)
            if found and found != out.get(name):
                out[name], changed = found, True
    return out


def _pointer_params(fn: c_ast.FuncDef) -> dict[str, int]:
    """The parameters of pointer type of ``fn``, with their index."""
    decl = fn.decl.type
    params = decl.args.params if isinstance(decl, c_ast.FuncDecl) and decl.args else []
    return {p.name: i for i, p in enumerate(params) if isinstance(p, c_ast.Decl) and isinstance(p.type, c_ast.PtrDecl)}


def _pointer_flags(fn: c_ast.FuncDef, known: dict[str, dict[int, bool]],
                   values: dict[str, frozenset[int]]) -> dict[int, bool]:
    """flag_params() of one function, given the helpers ``known`` so far: its pointer parameters used only as
    ``*p`` in saves, restores and ``&`` tests, or handed on to a known helper's flags parameter."""
    names = _pointer_params(fn)
    nodes = list(kept_nodes(fn.body))
    derefs = {id(n.expr): n for n in nodes if isinstance(n, c_ast.UnaryOp) and n.op == "*"
              and isinstance(n.expr, c_ast.ID) and n.expr.name in names}
    handed = {id(a): saving for _, a, saving in _handed(nodes, known) if isinstance(a, c_ast.ID) and a.name in names}
    if not derefs and not handed:
        return {}
    saved = {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment) and n.op == "="
             and _call_name(n.rvalue) in SAVERS}
    used = saved | _restored(nodes) | _valued(nodes, values) | _tested_operands(nodes)
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


def value_params(functions: dict[str, c_ast.FuncDef]) -> dict[str, frozenset[int]]:
    """The helpers that take flags by value (``void unlock_it(unsigned long flags) { spin_unlock_irqrestore(&l,
    flags); }``): per function, the indexes of its parameters that are not pointers and that its body restores or
    hands on to such a parameter of another helper (include/linux/irqflags.h: the flags are one unsigned long
    wherever they go), using them otherwise only as an operand of ``&`` (irqs_disabled_flags(flags), whose mask
    models.interp checks). A caller's ``unlock_it(flags)`` is then no read of its flags; whatever a caller hands
    it, the helper reads no bit but X86_EFLAGS_IF."""
    out: dict[str, frozenset[int]] = {}
    changed = True
    while changed:
        changed = False
        for name, fn in functions.items():
            found = _value_flags(fn, out)
            if found and found != out.get(name):
                out[name], changed = found, True
    return out


def _value_flags(fn: c_ast.FuncDef, known: dict[str, frozenset[int]]) -> frozenset[int]:
    """value_params() of one function, given the helpers ``known`` so far."""
    decl = fn.decl.type
    params = decl.args.params if isinstance(decl, c_ast.FuncDecl) and decl.args else []
    names = {p.name: i for i, p in enumerate(params) if isinstance(p, c_ast.Decl) and p.name
             and isinstance(p.type, c_ast.TypeDecl)}
    if not names:
        return frozenset()
    nodes = list(kept_nodes(fn.body))
    passed = _restored(nodes) | _valued(nodes, known)
    allowed = passed | _tested_operands(nodes)
    ok: set[str] = set()
    for n in nodes:
        if isinstance(n, c_ast.Decl) and n.name in names:
            names.pop(n.name)  # a declaration of its own shadows the parameter: not followed
        if isinstance(n, c_ast.ID) and n.name in names:
            if id(n) not in allowed:
                names.pop(n.name)
            elif id(n) in passed:
                ok.add(n.name)  # a parameter only ever tested with & is no flags parameter: its callers' reads stay
    return frozenset(names[p] for p in ok if p in names)


def returners(program: Any, h: FlagHelpers) -> frozenset[str]:
    """The functions that return flags a local of theirs keeps (``unsigned long lock_it(void) { unsigned long f;
    spin_lock_irqsave(&l, f); return f; }``): every ``return`` returns such a local (flag_reads() follows it), and
    every mention of the function is a direct call whose value is stored in a variable (``fl = lock_it()``,
    ``unsigned long fl = lock_it();``: a save, as local_irq_save() is) or restored, or handed to a by-value flags
    parameter. Called otherwise (its value printed, through a pointer, as an entry point), its ``return f`` is a
    read of them, refused there."""
    saving = _naming(program, _saving_macros() | frozenset(h.pointer))
    candidates = {name: fn for name, fn in saving.items() if _returns_names(fn)}
    if not candidates:
        return frozenset()
    # what may mention them: each file-scope item but one whose definition's text names none of them
    naming, texts = _named(program, frozenset(candidates)), {d.name for d in program.used}
    nodes = [n for item in program.ast.ext if (name := _item_name(item)) in naming
             or (name not in texts and getattr(item.coord, "file", None) != PRELUDE_PATH) for n in all_nodes(item)]
    approved = {id(n.rvalue) for n in nodes if isinstance(n, c_ast.Assignment) and n.op == "="
                and isinstance(n.lvalue, c_ast.ID)} | {id(n.init) for n in nodes if isinstance(n, c_ast.Decl)}
    approved |= _restored(nodes) | _valued(nodes, h.value)
    callees = {id(n.name) for n in nodes if isinstance(n, c_ast.FuncCall) and id(n) in approved}
    bad = {n.name for n in nodes if isinstance(n, c_ast.ID) and n.name in candidates and id(n) not in callees}
    candidates = {name: fn for name, fn in candidates.items() if name not in bad}
    out: frozenset[str] = frozenset()
    changed = True
    while changed:  # a returner's local may keep what another returns
        found = frozenset(name for name, fn in candidates.items() if _returns_kept(fn, FlagHelpers(
            h.pointer, h.value, out)))
        changed, out = found != out, found
    return out


def _item_name(item: c_ast.Node) -> str | None:
    """The name a file-scope item defines (a function's, a variable's), None for one that defines none."""
    return item.decl.name if isinstance(item, c_ast.FuncDef) else getattr(item, "name", None)


def _returns_names(fn: c_ast.FuncDef) -> bool:
    """Whether ``fn`` returns a value and every ``return`` returns a plain name."""
    returns = [n for n in kept_nodes(fn.body) if isinstance(n, c_ast.Return)]
    return bool(returns) and all(isinstance(n.expr, c_ast.ID) for n in returns)


def _returns_kept(fn: c_ast.FuncDef, h: FlagHelpers) -> bool:
    """Whether every ``return`` of ``fn`` returns a local flag_reads() follows saved flags in."""
    nodes = list(kept_nodes(fn.body))
    _, _, kept_here = _kept(nodes, address_taken(origin(fn.body)), h)
    return all(n.expr.name in kept_here for n in nodes if isinstance(n, c_ast.Return))


def _restored(nodes: list[c_ast.Node]) -> set[int]:
    """The ids of the restores' flags arguments among ``nodes``."""
    return {id(n.args.exprs[at]) for n in nodes if (at := RESTORERS.get(_call_name(n))) is not None
            and n.args is not None and len(n.args.exprs) > at}


def flag_reads(body: c_ast.Node, addressed: frozenset[str], helpers: FlagHelpers | None = None,
               own: frozenset[str] = frozenset(), own_values: frozenset[str] = frozenset(),
               returning: bool = False, targets: dict[c_ast.Node, str] | None = None) -> set[c_ast.Node]:
    """The reads, in a function's ``body``, of a variable it stores saved flags in (``flags = __sh_irq_save()``, a
    plain name, ``save(&flags)`` of a helper of flag_params(), or ``flags = lock_it()`` of one returning them,
    ``helpers``): each but a restore's flags argument, a ``&flags`` handed to such a helper, ``flags`` handed to a
    by-value flags parameter, or (``returning``: this function is one of returners()) ``return flags``; an operand
    of ``&`` too (which models.interp allows where the other operand is a constant within X86_EFLAGS_IF), and so
    is each ``&`` operand of ``own_values``, this function's by-value flags parameters. Empty for a function that
    keeps none.

    With them, the saving calls (``__sh_irq_save()``, a helper's) whose flags go where no read of them is found
    here: through a pointer (``*flagsp``, but into ``own``, this function's parameters of flag_params(), which every
    caller hands a variable it follows), into a struct member or an array element, a variable not declared in the
    body (a file-scope one, a parameter), a static, or one whose address ``addressed`` says is taken other than by
    such a helper's call. Code anywhere may read them there (``return *flagsp``, the state a run leaves):
    models.statements refuses the save where it runs."""
    h = helpers or FlagHelpers()
    nodes = list(kept_nodes(body))
    saves, handed, kept_here = _kept(nodes, addressed, h)
    valued = _valued(nodes, h.value)
    tests = _tested(nodes, own, valued) | _value_tests(nodes, own_values, valued)
    if not saves and not handed:
        return tests
    out: set[c_ast.Node] = {call for at, call in saves if _deref_of(at) not in own and _target(at) not in kept_here
                            and not (isinstance(at, c_ast.StructRef) and at.field.name in h.members)}
    out |= {n for n, a, saving in handed if saving and _address_of(a) not in kept_here
            and not (isinstance(a, c_ast.ID) and a.name in own)}  # handed on: this helper's callers follow it
    if targets is not None and out:  # what the refusal names
        def shown(n: c_ast.Node) -> str:  # one line: a statement expression's text is written on several
            return " ".join(_GENERATOR.visit(n).split())
        targets.update({call: at.name if isinstance(at, c_ast.Decl) else shown(at) for at, call in saves
                        if call in out})
        targets.update({n: shown(a) for n, a, _ in handed if n in out})
    names = {x for at, _ in saves if (x := _target(at)) is not None} | kept_here
    kept = _stores(nodes) | _restored(nodes) | valued  # stores, restores, handed on by value: not reads
    kept |= {id(a.expr) for _, a, _ in handed if _address_of(a) is not None}  # to a helper that follows it
    if returning:
        kept |= {id(n.expr) for n in nodes if isinstance(n, c_ast.Return)}
    return out | tests | {n for n in nodes if isinstance(n, c_ast.ID) and n.name in names and id(n) not in kept}


Saves = list[tuple[c_ast.Node, c_ast.FuncCall]]
_GENERATOR = c_generator.CGenerator()


def _kept(nodes: list[c_ast.Node], addressed: frozenset[str], h: FlagHelpers) -> tuple[Saves, Handed, set[str]]:
    """The saves among ``nodes`` (where each stores: an assignment's left operand or a declaration; and the call),
    the calls of flag_params() helpers, and the names of the locals kept flags are followed in: declared in the
    body, not static, whose address goes nowhere but to such helpers."""
    savers = SAVERS | h.returning if h.returning else SAVERS
    saves: Saves = []
    for n in nodes:
        if n.__class__ is c_ast.Assignment and n.op == "=" and _call_name(n.rvalue) in savers:
            saves.append((n.lvalue, n.rvalue))
        elif n.__class__ is c_ast.Decl and n.init is not None and n.name and _call_name(n.init) in savers:
            saves.append((n, n.init))
    handed = _handed(nodes, h.pointer)
    if not saves and not handed:
        return saves, handed, set()
    local = {n.name for n in nodes if isinstance(n, c_ast.Decl) and n.name and not isinstance(n.type, c_ast.FuncDecl)
             and not {"static", "extern"} & set(n.storage or ())}
    given = {id(a) for _, a, _ in handed}
    elsewhere = {x for n in nodes if id(n) not in given and (x := _address_of(n)) is not None}
    # a local whose address goes nowhere but to such helpers is followed as one whose address is not taken
    followed = local - (addressed - {_address_of(a) for _, a, _ in handed}) - elsewhere
    direct = {x for at, _ in saves if (x := _target(at)) is not None}
    return saves, handed, (direct | {x for _, a, saving in handed if saving and (x := _address_of(a))}) & followed


def _target(at: c_ast.Node) -> str | None:
    """The variable a save stores in where it is a plain name (``flags = ...``, ``unsigned long flags = ...``)."""
    return at.name if isinstance(at, (c_ast.ID, c_ast.Decl)) else None


def _stores(nodes: list[c_ast.Node]) -> set[int]:
    """The ids of the left operands of plain assignments among ``nodes`` (``x |= y`` reads ``x``)."""
    return {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment) and n.op == "="}


def _tested(nodes: list[c_ast.Node], own: frozenset[str], valued: set[int]) -> set[c_ast.Node]:
    """The ``*p`` of ``own`` parameters that flag_params() let be ``&`` operands (irqs_disabled_flags(*flags)):
    reads of the flags, left to models.interp's mask check."""
    if not own:
        return set()
    stores = _stores(nodes) | _restored(nodes) | valued
    return {n for n in nodes if _deref_of(n) in own and id(n) not in stores}


def _value_tests(nodes: list[c_ast.Node], own_values: frozenset[str], valued: set[int]) -> set[c_ast.Node]:
    """The uses of ``own_values`` parameters but restores and hands-on (value_params() let them be ``&`` operands
    alone): reads of the flags, left to models.interp's mask check."""
    if not own_values:
        return set()
    kept = _restored(nodes) | valued
    return {n for n in nodes if isinstance(n, c_ast.ID) and n.name in own_values and id(n) not in kept}


def _valued(nodes: list[c_ast.Node], values: dict[str, frozenset[int]]) -> set[int]:
    """The ids of the arguments at by-value flags parameters (value_params(): ``values``) among ``nodes``."""
    if not values:
        return set()
    return {id(a) for n in nodes if (at := values.get(_call_name(n))) and n.args is not None
            for i, a in enumerate(n.args.exprs) if i in at}


def _tested_operands(nodes: list[c_ast.Node]) -> set[int]:
    """The ids of the operands of ``&`` among ``nodes``."""
    return {id(o) for n in nodes if isinstance(n, c_ast.BinaryOp) and n.op == "&" for o in (n.left, n.right)}


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


UNFOLLOWED = ("the flags {} saved are kept where the mirror does not follow them{} (through a pointer, in a struct "
              "member or an array element, a file-scope, static or parameter variable, or one whose address is "
              "taken): a read of them there would see the whole EFLAGS image (arch_local_save_flags(), pushf), of "
              "which a run knows X86_EFLAGS_IF alone")


def unfollowed_save(node: c_ast.FuncCall, where: str, target: str | None, helpers: FlagHelpers | None) -> Fn:
    """The closure of a save flag_reads() found kept out of its sight (in ``target``, the text of where it stores
    them, where known): it stops the run where it is reached."""
    name = _call_name(node)
    what = {"__sh_irq_save": "local_irq_save()", "__sh_save_flags": "local_save_flags()"}.get(
        name, "spin_lock_irqsave()" if name in SAVERS else f"{name}() (the flags it returns)"
        if helpers is not None and name in helpers.returning else f"{name}() (through its pointer parameter)")
    text = UNFOLLOWED.format(what, f", in {target}" if target else "")

    def refuse(f: Any) -> Any:
        raise UnsupportedConstruct(where, text)
    return refuse


def refused_update(target: c_ast.Node, where: str) -> Fn:
    """unknown_read() of ``x`` or ``*p`` that a compound assignment or an increment updates."""
    return unknown_read(target.name if isinstance(target, c_ast.ID) else f"*{_deref_of(target)}", where)


def unknown_read(name: str, where: str) -> Fn:
    """The closure of a refused read of the saved flags: it stops the run where it is reached."""
    def refuse(f: Any) -> Any:
        raise UnsupportedConstruct(where, UNKNOWN.format(name))
    return refuse

"""CodeFacts: what a variant's helper code contains, as plain data (cached with the outcomes, no parser)."""

from __future__ import annotations

from collections import Counter
from dataclasses import field
from enum import Enum
from typing import Any

from models.record import record

_LEVELS = ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")
_KINDS = ("", "_once", "_ratelimited")
# printk and its wrappers: include/linux/printk.h (pr_devel() prints under DEBUG) and include/linux/dev_printk.h,
# whose dev_<level>() print the same message with the device's name in front (the mirror's models.prelude expands
# them to __sh_dev_log(level, fmt, ...), which the parsed code holds in their stead: models.printkstore).
PRINTK = frozenset({"printk", "printk_once", "printk_ratelimited", "printk_deferred", "printk_deferred_once",
                    "pr_cont", "pr_devel", "pr_devel_once", "pr_devel_ratelimited", "vprintk", "dev_printk",
                    "__sh_dev_log",
                    *(f"pr_{lv}{kind}" for lv in _LEVELS for kind in _KINDS),
                    *(f"dev_{lv}{kind}" for lv in (*_LEVELS, "dbg") for kind in _KINDS)})
# What prints a message: printk and the WARN()s that take a format (include/asm-generic/bug.h: __warn_printk;
# include/linux/ratelimit.h: WARN_RATELIMIT).
PRINTS = PRINTK | {"WARN", "WARN_ONCE", "WARN_TAINT", "WARN_TAINT_ONCE", "WARN_RATELIMIT"}
DEAD = "dead"  # CodeFacts.bit63_fixed: a statement or decision that cannot run
# CodeFacts.bit63_fixed, under "=" + a store's ``path:line:col``: the value it stores is computed from bits of the leaf
# other than bit 63 (``codes[fn & 3]``), which no leaf of a component fixes (models.leafbits).
OTHER_BITS = "other bits"

# The kinds of site a code fact lists (models.leafflow, models.printsites): a printk-family call, whose statement
# must run to have shown what it prints, and a WARN() with a message, which must fire. Here, with no parser, so that
# what reads the facts (harness.logsites) loads none.
SITE_PRINT = "print"
SITE_WARN = "warn"
# An argument of a printk-family call that reads the leaf (models.leafflow.LEAF_ARG; key: the call's
# path:line:column, '@', its 0-based index): here so that a check reads it without loading the C parser.
SITE_LEAF_ARG = "leaf-arg"
# Such an argument that is the leaf itself for every leaf, its low 32 bits whole (models.leafitself): same key.
SITE_LEAF_ITSELF = "leaf-itself"
# A pr_*() or printk() call given the leaf whose format is a string literal, its first argument, and the one such call
# at its place (a macro's expansion takes the place of its use; key: the call's path:line:column, '@', how many
# arguments follow the format): its n-th conversion reads argument n (harness.leafconv), whatever wraps it.
SITE_LEAF_SHAPE = "leaf-shape"
# The printk-family calls whose format is their first argument (not dev_*(), whose device comes first, nor vprintk()).
FORMAT_FIRST = frozenset(name for name in PRINTK if name.startswith(("pr_", "printk")))


class RoleKind(Enum):
    """What a function's retry loop compares the value a call returns with (models.retryloop)."""

    VARIABLE = "variable"  # one local variable: the code it retries on, whatever its name
    CONSTANT = "constant"  # constants only: no variable chooses the code
    UNKNOWN = "unknown"  # no retry loop recognised, or a test of another shape: ``why`` says which


@record
class RetryRole:
    """The variable a function's retry loop holds its retry code in, found by its role in the loop's test."""

    kind: RoleKind
    variable: str = ""  # VARIABLE: its name
    test: str = ""  # the loop's test, as C ("ret == busy && --retry")
    where: str = ""  # file:line of the loop
    why: str = ""  # UNKNOWN: why no variable is seen to hold the code
    sets: tuple[str, ...] = ()  # VARIABLE: file:line of each top-level statement of the function that sets it
    # Every retry loop of the function goes round again for no answer (models.idleloop): what says so, and the
    # file:line of each of its tests, which then cannot come out the way that retries. "": not shown.
    idle: str = ""
    idle_at: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "variable": self.variable, "test": self.test, "where": self.where,
                "why": self.why, "sets": list(self.sets), "idle": self.idle, "idle_at": list(self.idle_at)}

    @staticmethod
    def from_dict(d: dict[str, Any]) -> RetryRole:
        return RetryRole(RoleKind(d["kind"]), d["variable"], d["test"], d["where"], d["why"], tuple(d["sets"]),
                         d.get("idle", ""), tuple(d.get("idle_at", ())))


@record
class CodeFacts:
    """What a variant's helper code contains, function by function: plain data (it is cached as JSON).

    ``sets[fn][var]`` lists the top-level statements of ``fn`` (0-based) that set ``var``.
    """

    functions: tuple[str, ...]
    calls: dict[str, Counter[str]]
    names: dict[str, frozenset[str]]
    sets: dict[str, dict[str, list[int]]]
    where: dict[str, str]
    call_where: dict[str, dict[str, str]] = field(default_factory=dict)  # fn -> callee -> its first call's file:line
    # Definitions the entry points reach that could not be read (models.cload Program.dropped): name -> why.
    # What they contain is not known, so no source check may pass over them.
    unread: dict[str, str] = field(default_factory=dict)
    # Per entry point, where the leaf steers control in what it reaches (models.leafflow.leaf_sites):
    # [function, kind, coverage key]. An entry absent here was not read (facts older than the field).
    leaf_sites: dict[str, list[list[str]]] = field(default_factory=dict)
    # Per entry point, the functions it reaches (calls, or names as a value), in call order.
    entry_reach: dict[str, list[str]] = field(default_factory=dict)
    # Per value of the leaf's bit 63 ("0": TDX module, "1": P-SEAMLDR), what it fixes (models.leafbits.
    # component_fixed): coverage key -> "T" / "F" (a decision's value in every run) or DEAD (cannot run).
    # A value absent: nothing is proven (facts older than the field, or code the analysis could not read).
    bit63_fixed: dict[str, dict[str, str]] = field(default_factory=dict)
    # Per function with a loop, the variable its retry loop compares a call's result with (models.retryloop).
    # A function absent: it has no loop at all (or the facts are older than the field): nothing is known.
    retry_roles: dict[str, RetryRole] = field(default_factory=dict)
    # Per value of bit 63, per entry point, per function its runs alone can enter: what they fix beyond
    # bit63_fixed (models.leafbits.entry_gains; read with fixed_for()). Absent: nothing gained is known.
    bit63_gains: dict[str, dict[str, dict[str, dict[str, str]]]] = field(default_factory=dict)
    # Per function, per parameter it calls as a function pointer, what the direct calls of the function in the code
    # read pass there: each distinct function name, "" for anything else (an expression, a caller passing the
    # function itself on as a pointer, a parameter the function assigns). Absent: no call site seen.
    passed: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Per function that prints, each printk-family call (models.printsites.print_sites): [kind, coverage key,
    # callee, the path:line of the test it sits under or "", its literal format or ""]. None: not read (facts older
    # than the field).
    print_sites: dict[str, list[list[str]]] | None = None
    # Per function, each printk-family conversion narrower than its argument's type, as gcc -Wformat warns of it
    # (models.printwidth.narrow_prints): [call key, argument index, path:line, the warning].
    narrow_prints: dict[str, list[list[str]]] = field(default_factory=dict)
    # Per variable (not const) whose address the functions read let go where no run follows it (models.escapes):
    # why, with the file:line where it goes. Absent: none (or facts older than the field).
    escapes: dict[str, str] = field(default_factory=dict)
    # Per function returning such a variable's address: the variable -> the file:line of the return (what calls it
    # outside the runs is the sources' to say: harness.outsidewrites).
    returned: dict[str, dict[str, str]] = field(default_factory=dict)

    def setting_statements(self, fn: str, var: str) -> list[int]:
        """Indexes of ``fn``'s top-level statements that set ``var``."""
        return self.sets.get(fn, {}).get(var, [])

    def to_dict(self) -> dict[str, Any]:
        return {"functions": list(self.functions), "calls": {f: dict(c) for f, c in self.calls.items()},
                "names": {f: sorted(n) for f, n in self.names.items()}, "sets": self.sets, "where": self.where,
                "call_where": self.call_where, "unread": self.unread, "leaf_sites": self.leaf_sites,
                "entry_reach": self.entry_reach, "bit63_fixed": self.bit63_fixed,
                "retry_roles": {f: r.to_dict() for f, r in self.retry_roles.items()}, "bit63_gains": self.bit63_gains,
                "passed": self.passed, "print_sites": self.print_sites,
                "narrow_prints": self.narrow_prints, "escapes": self.escapes,
                "returned": self.returned}

    @staticmethod
    def from_dict(d: dict[str, Any]) -> CodeFacts:
        return CodeFacts(tuple(d["functions"]), {f: Counter(c) for f, c in d["calls"].items()},
                         {f: frozenset(n) for f, n in d["names"].items()},
                         {f: {v: list(i) for v, i in s.items()} for f, s in d["sets"].items()}, dict(d["where"]),
                         {f: dict(c) for f, c in d.get("call_where", {}).items()}, dict(d.get("unread", {})),
                         {e: [list(x) for x in sites] for e, sites in d.get("leaf_sites", {}).items()},
                         {e: list(fns) for e, fns in d.get("entry_reach", {}).items()},
                         {b: dict(keys) for b, keys in d.get("bit63_fixed", {}).items()},
                         {f: RetryRole.from_dict(r) for f, r in d.get("retry_roles", {}).items()},
                         {b: {e: {f: dict(k) for f, k in fns.items()} for e, fns in per.items()}
                          for b, per in d.get("bit63_gains", {}).items()},
                         {f: {p: list(n) for p, n in ps.items()} for f, ps in d.get("passed", {}).items()},
                         _print_sites(d.get("print_sites")),
                         {f: [list(x) for x in sites] for f, sites in d.get("narrow_prints", {}).items()},
                         dict(d.get("escapes", {})), {f: dict(v) for f, v in d.get("returned", {}).items()})

    def reach(self, fn: str) -> list[str]:
        """``fn`` and every function of these facts it calls, directly or not, in call order."""
        order, todo = [], [fn]
        while todo:
            name = todo.pop(0)
            if name in order or name not in self.calls:
                continue
            order.append(name)
            todo.extend(sorted(n for n in self.calls[name] if n in self.calls) +
                        sorted(n for n in self.names[name] if n in self.calls and n not in self.calls[name]))
        return order

    def first_call(self, fn: str, callee: str) -> str | None:
        """file:line of the first call of ``callee`` in ``fn`` or what it reaches (None: not known)."""
        return next((w for f in self.reach(fn) if (w := self.call_where.get(f, {}).get(callee))), None)

    def calls_from(self, fn: str) -> Counter[str]:
        """Calls made by ``fn`` and by everything it reaches."""
        total: Counter[str] = Counter()
        for name in self.reach(fn):
            total.update(self.calls[name])
        return total

    def passed_at(self, fn: str, param: str) -> str | None:
        """The one function every direct call of ``fn`` in the code read passes as its parameter ``param`` (a
        function pointer it calls), or None: no call seen, calls passing different ones or something else."""
        found = self.passed.get(fn, {}).get(param, [])
        return found[0] if len(found) == 1 and found[0] else None

    def printers(self, warnings: bool = False) -> set[str]:
        """Functions that print with printk()/pr_*() themselves (``warnings``: or a WARN() message)."""
        kinds = PRINTS if warnings else PRINTK
        return {f for f, c in self.calls.items() if kinds & set(c)}

    def passed_as_values(self) -> set[str]:
        """Functions some function names without calling it: handed on as a pointer (an error printer given
        to sc_retry_prerr())."""
        return {n for f in self.calls for n in self.names[f] - set(self.calls[f]) if n in self.calls}


def _print_sites(kept: Any) -> dict[str, list[list[str]]] | None:
    return None if kept is None else {f: [list(x) for x in sites] for f, sites in kept.items()}


def fixed_for(fixed: dict[str, str], gains: dict[str, dict[str, dict[str, str]]], entries: set[str]
              ) -> dict[str, str]:
    """What bit 63 fixes in the runs of ``entries`` alone (one value's CodeFacts.bit63_fixed and bit63_gains): a key
    is fixed when every one of them whose runs enter its function fixes it, to one value (a decision that cannot
    run in some and comes out "T" in the others is "T"; DEAD in all is DEAD). An entry point without gains (not
    analysed alone) leaves ``fixed``."""
    if not entries or any(e not in gains for e in entries):
        return fixed
    found = dict(fixed)
    for fn, key in sorted({(fn, key) for e in entries for fn, keys in gains[e].items() for key in keys}):
        values = [gains[e][fn].get(key) for e in entries if fn in gains[e]]
        if None in values:
            continue
        alive = {v for v in values if v is not None and v != DEAD}
        if len(alive) <= 1:
            found[key] = alive.pop() if alive else DEAD
    return found

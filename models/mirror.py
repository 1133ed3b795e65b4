"""The mirror's library API: load a variant's C once, then run entry points against scripted answers."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pycparser import c_ast

from models import loader
from models.ctype import Int
from models.errors import BudgetExceeded, MirrorError
from models.loader import EntryPoint, Program, Source, load_program
from models.machine import Answer, Event, LogLine, Machine, SeamCall
from models.prelude import ERRNO_NAMES
from models.slicer import ASSERT_NAME
from models.statements import Compiler, check_static_assert
from models.values import new_struct

SEAM_FUNCTIONS = frozenset({"__seamcall", "__seamcall_ret", "__seamcall_saved_ret"})


@dataclass(frozen=True)
class RunRequest:
    """One run: entry point, leaf, scripted answers, the translation unit's pr_fmt, limits."""

    entry: str
    leaf: int
    script: tuple[Answer, ...]
    pr_fmt: str = ""
    regs_in: tuple[tuple[str, int], ...] = ()
    budget: int = 100_000
    max_depth: int = 48
    seam_functions: frozenset[str] = field(default=SEAM_FUNCTIONS)


@dataclass(frozen=True)
class Outcome:
    """What one run did: SEAMCALLs, return value and errno, log lines, events, or what stopped it."""

    status: str
    calls: tuple[SeamCall, ...] = ()
    ret: int | None = None
    ret_type: str | None = None
    errno: str | None = None
    log: tuple[LogLine, ...] = ()
    events: tuple[Event, ...] = ()
    regs_out: tuple[tuple[str, int], ...] = ()
    error: str | None = None


class Mirror:
    """A loaded variant: its program, compiled lazily and shared by all runs."""

    def __init__(self, program: Program, seam_functions: frozenset[str] = SEAM_FUNCTIONS) -> None:
        self.program = program
        self.compiler = Compiler(program, seam_functions)
        self.build_error = self._file_assertions()

    def _file_assertions(self) -> str | None:
        """Why gcc would refuse these files (a file-scope static_assert fails or cannot be checked), or None.

        Every entry point is then an error outcome with that reason: nothing of these files would run.
        """
        if ASSERT_NAME in self.program.dropped:
            return f"a file-scope assertion the mirror cannot read: {self.program.dropped[ASSERT_NAME]}"
        for node in self.program.ast.ext:
            if isinstance(node, c_ast.StaticAssert):
                try:
                    check_static_assert(self.compiler, node, [])
                except MirrorError as exc:
                    return str(exc)
        return None

    def provides(self, entry: str) -> bool:
        return entry in self.program.entries

    def run(self, req: RunRequest) -> Outcome:
        """Run one entry point; errors in the C become an ``error`` outcome, never an exception."""
        if not self.provides(req.entry):
            return Outcome("not-provided")
        if self.build_error is not None:
            return Outcome("error", error=self.build_error)
        m = Machine(req.script, pr_fmt=req.pr_fmt, budget=req.budget, max_depth=req.max_depth,
                    seam_functions=req.seam_functions)
        struct = self.compiler.types.resolve_tag("tdx_module_args")
        args = new_struct(struct, zero=True)
        for reg, value in req.regs_in:
            args[reg] = value
        try:
            self.compiler.invoke(m, self.program.entries[req.entry], [req.leaf, args], "<entry>")
        except MirrorError as exc:
            return _outcome(m, args, "error", str(exc))
        except RecursionError:
            return _outcome(m, args, "error", str(BudgetExceeded("<entry>", "Python recursion limit reached")))
        return _outcome(m, args, "ok", None)


@lru_cache(maxsize=1)
def mirror_version() -> str:
    """A hash of the mirror's own source: any change to the interpreter or the prelude changes it."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def outcome_to_dict(o: Outcome) -> dict[str, Any]:
    """An Outcome as plain JSON data (the eval report's result fields)."""
    return {
        "status": o.status,
        "calls": [{"function": c.function, "leaf": c.leaf, "component": c.component, "returned": c.returned,
                   "preempt_count": c.preempt_count, "irqs_disabled": c.irqs_disabled,
                   "percpu": dict(c.percpu), "where": c.where} for c in o.calls],
        "ret": o.ret,
        "ret_type": o.ret_type,
        "errno": o.errno,
        "log": [{"level": x.level, "text": x.text} for x in o.log],
        "events": [{"kind": e.kind, "detail": e.detail, "where": e.where} for e in o.events],
        "regs_out": dict(o.regs_out),
        "error": o.error,
    }


def outcome_from_dict(d: dict[str, Any]) -> Outcome:
    """The inverse of outcome_to_dict."""
    calls = tuple(SeamCall(c["function"], c["leaf"], c["component"], c["returned"], c["preempt_count"],
                           c["irqs_disabled"], tuple(c["percpu"].items()), c["where"]) for c in d["calls"])
    return Outcome(d["status"], calls, d["ret"], d["ret_type"], d["errno"],
                   tuple(LogLine(x["level"], x["text"]) for x in d["log"]),
                   tuple(Event(e["kind"], e["detail"], e["where"]) for e in d["events"]),
                   tuple(d["regs_out"].items()), d["error"])


def _outcome(m: Machine, args: dict[str, int], status: str, error: str | None) -> Outcome:
    ret = ret_type = errno = None
    if m.result is not None and status == "ok":
        value, t = m.result
        ret_type = t.name()
        if isinstance(value, int):
            ret = value
            if isinstance(t, Int) and t.signed and value < 0:
                errno = ERRNO_NAMES.get(-value)
    return Outcome(
        status=status, calls=tuple(m.calls), ret=ret, ret_type=ret_type, errno=errno, log=tuple(m.log),
        events=tuple(m.events), regs_out=tuple((k, v) for k, v in args.items() if isinstance(v, int) and v),
        error=error,
    )


def load_mirror(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...],
                seam_functions: frozenset[str] = SEAM_FUNCTIONS) -> Mirror:
    """Load the C of a variant for these entry points (see models.loader.load_program)."""
    return Mirror(load_program(sources, entries), seam_functions)


_LOADED: OrderedDict[tuple[object, ...], Mirror] = OrderedDict()
_LOADED_MAX = 64


def clear_caches() -> None:
    """Forget every loaded mirror and cached parse (for cold measurements, and after patching the mirror)."""
    _LOADED.clear()
    for cached in (loader._slice, loader._expand, loader._parse_chunk):
        cached.cache_clear()


def cached_mirror(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> Mirror:
    """load_mirror, remembered for the same sources and entry points (loading is the costly part)."""
    key = (sources, entries)
    if key in _LOADED:
        _LOADED.move_to_end(key)
        return _LOADED[key]
    mirror = load_mirror(sources, entries)
    _LOADED[key] = mirror
    if len(_LOADED) > _LOADED_MAX:
        _LOADED.popitem(last=False)
    return mirror

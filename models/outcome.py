"""One run of the mirror as plain data: RunRequest, Outcome, statuses, limits, JSON form.

What is asked (RunRequest), what it did (Outcome, statuses, limits), the JSON form, the mirror version.

Light on purpose: reports, comparisons and the outcome cache need outcomes, never the C interpreter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import field, fields
from enum import StrEnum
from functools import cached_property, lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from models.capped import MAX_RECORDS, Record
from models.machine import Answer, Event, LineSource, LogLine, SeamCall
from models.record import record
from models.sourcedigest import kept_source_digest

# The functions that enter the TDX module or the P-SEAMLDR: the mirror records each call of them.
SEAM_FUNCTIONS = frozenset({"__seamcall", "__seamcall_ret", "__seamcall_saved_ret"})
# The kernel's own once keys (models.locking; a run's state names them ``kernel::KEY``, models.mirror.once_state) that
# gate a report and nothing else, as a pr_err_once() site's does: __might_resched()'s prev_jiffy (kernel/sched/core.c)
# and the WARN_ON_ONCE()/WARN_ONCE() statics of migrate_enable(), __rcu_read_unlock() and warn_bogus_irq_restore(). No
# C code reads them: a later call starting from them makes the SEAMCALLs and returns a first call does.
MIGHT_SLEEP_ONCE = "__might_resched"
MIGRATE_ENABLE_ONCE = "migrate_enable"
RCU_UNLOCK_ONCE = "__rcu_read_unlock"
BOGUS_RESTORE_ONCE = "warn_bogus_irq_restore"
REPORT_ONLY_STATE = frozenset(f"kernel::{k}" for k in (MIGHT_SLEEP_ONCE, MIGRATE_ENABLE_ONCE, RCU_UNLOCK_ONCE,
                                                      BOGUS_RESTORE_ONCE))


@record
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
    max_records: int = MAX_RECORDS
    cpu: int = 0  # the CPU the run is on (the matrix script's cpu)
    context: str = "task"  # what the entry point is called from (models.runcontext.CONTEXTS)
    features: tuple[tuple[str, bool], ...] = ()  # the CPU features the script gives: (X86_FEATURE_* name, has it)


class Limit(StrEnum):
    """A limit a run hit; the values are the JSON report's ``limits`` strings (docs/json-schema.md).

    ``steps``/``depth``: the mirror stopped the C (an ``error`` outcome); ``calls``/``log``/``events``:
    more were made than are recorded (the rest are counted); ``time``: the run was stopped or never
    started because its code group's wall-clock budget ran out, so nothing of it is known.
    """

    STEPS = "steps"
    DEPTH = "depth"
    CALLS = "calls"
    LOG = "log"
    EVENTS = "events"
    TIME = "time"


class OutcomeStatus(StrEnum):
    """How a run ended: it ran to the end, the mirror stopped it, or the variant lacks the entry point.

    The values are the JSON report's ``status`` strings (docs/json-schema.md).
    """

    OK = "ok"
    ERROR = "error"
    NOT_PROVIDED = "not-provided"


class ErrorKind(StrEnum):
    """Why an ``error`` outcome stopped: the C itself went wrong, or the mirror could not run it.

    RUNTIME, BUDGET, DEADLOCK and BUILD are facts about the C (undefined behaviour, a loop or recursion that does
    not end, a task that takes a lock it holds and never returns, a build-time check such as a file-scope
    static_assert that gcc refuses too): a comparison may report them against a side that ran (two failed builds
    are as two runs that never happened: idle_sides). UNSUPPORTED (C or a definition the mirror does not have or
    model) means the code did not run, and nothing may be claimed about it.
    """

    RUNTIME = "runtime"
    BUDGET = "budget"
    DEADLOCK = "deadlock"
    BUILD = "build"
    UNSUPPORTED = "unsupported"


@record
class Outcome:
    """What one run did: SEAMCALLs, return value and errno, log lines, events, or what stopped it.

    ``calls``, ``log`` and ``events`` hold the first ``RunRequest.max_records`` of each; ``unrecorded_*``
    count the rest; ``limits`` names every limit the run hit (Limit).
    """

    status: OutcomeStatus
    calls: tuple[SeamCall, ...] = ()
    ret: int | None = None
    ret_type: str | None = None
    errno: str | None = None
    log: tuple[LogLine, ...] = ()
    events: tuple[Event, ...] = ()
    regs_out: tuple[tuple[str, int], ...] = ()
    error: str | None = None
    error_kind: ErrorKind | None = None
    limits: tuple[Limit, ...] = ()
    unrecorded_calls: int = 0  # made but past the record cap: counted, not kept
    unrecorded_log: int = 0
    unrecorded_events: int = 0
    # File-scope and static variables the run left with another value than their initial one: (name, value)
    # sorted by name (models.mirror.changed_state); a static local is "function::name".
    state: tuple[tuple[str, str], ...] = ()
    # The run's last log record was left without a newline: printk stores it open for a pr_cont() and readers
    # (dmesg, the console) see only finalized records (kernel/printk/printk_ringbuffer.c), so the line shows
    # only once another printk comes. Its text is the same as with a newline: this is what tells them apart.
    log_open: bool = False

    @cached_property  # read millions of times by comparisons at scale; the dataclass is frozen, so it holds
    def ran(self) -> bool:
        """Whether the code ran (to its end, or into behaviour of its own) so that it can be compared: not when
        the mirror could not run it, nor when the time budget stopped it (its behaviour is then unknown)."""
        return _ran(self)

    def __hash__(self) -> int:
        # Outcomes are dict keys again and again (one object per equal outcome, the cache's table): the
        # hash of every call, log line and event is worked out once per object.
        h: int | None = self.__dict__.get("_hash")
        if h is None:
            h = self.__dict__["_hash"] = hash(_outcome_fields(self))
        return h

    def __getstate__(self) -> dict[str, Any]:
        # The kept hash is not sent to another process: str hashes differ between interpreters.
        return {k: v for k, v in self.__dict__.items() if k not in _NOT_SENT}

    def __post_init__(self) -> None:
        # A status read back from JSON (or a typo) becomes the enum member or fails here, never later.
        if not isinstance(self.status, OutcomeStatus):
            object.__setattr__(self, "status", OutcomeStatus(self.status))
        if self.error_kind is not None and not isinstance(self.error_kind, ErrorKind):
            object.__setattr__(self, "error_kind", ErrorKind(self.error_kind))
        if self.limits and not all(isinstance(x, Limit) for x in self.limits):
            object.__setattr__(self, "limits", tuple(Limit(x) for x in self.limits))
        # ``ran`` worked out now, into the instance's __dict__, where the cached_property would keep it: its first
        # read (one of every outcome) would otherwise take the property's lock.
        self.__dict__["ran"] = _ran(self)

    @cached_property
    def json_fields(self) -> tuple[tuple[str, str], ...]:
        """outcome_to_dict's fields in order, each key with its value as compact JSON text: what the JSON report's
        tables are written from (each array or object value once) and the outcome cache's line (an outcome read
        from the cache carries the texts it was read from, so a filled cache's report cuts no text apart)."""
        return tuple([(k, _ENCODE(v)) for k, v in outcome_to_dict(self).items()])

    @cached_property
    def json_text(self) -> str:
        """outcome_to_dict as compact JSON text, made of json_fields."""
        return "{" + ",".join([f'"{k}":{v}' for k, v in self.json_fields]) + "}"

    @property
    def total_calls(self) -> int:
        return len(self.calls) + self.unrecorded_calls


_RAN_KINDS = frozenset({ErrorKind.RUNTIME, ErrorKind.BUDGET, ErrorKind.DEADLOCK, ErrorKind.BUILD})


def _ran(o: Outcome) -> bool:
    if Limit.TIME in o.limits:
        return False
    return o.status is OutcomeStatus.OK or o.error_kind in _RAN_KINDS


# Per log line of one run: the format its text follows (after pr_fmt, without KERN_<level>), the call's "path:line"
# and whether a %pV put a struct va_format's format in (models.machine.LineSource), or None where no one call made
# the line alone (models.printkstore.store).
LineSources = tuple[LineSource | None, ...]


@record
class LogSource:
    """Where a log line came from: the format its text follows, after pr_fmt (bytes as latin-1 text), and its call's
    ``path:line``; ``inner``: a %pV of the call printed a struct va_format there, and ``fmt`` holds that struct's
    format in its place (lib/vsprintf.c va_format(), models.printk.line_format), whose conversions read the
    struct's arguments, none of the call's."""

    fmt: str
    site: str
    inner: bool = False


@record
class LogSources:
    """Where the log lines of a code group's runs came from: each distinct format and site once (``formats``), and
    per run, in the lane's scenario order, each log line's index into them (-1: not one call's alone); empty when
    not known (an older cache entry, groups that did not run)."""

    formats: tuple[LogSource, ...] = ()
    runs: tuple[tuple[int, ...], ...] = ()

    def of_run(self, index: int) -> tuple[LogSource | None, ...]:
        """The sources of one run's log lines (none known: empty)."""
        if index >= len(self.runs):
            return ()
        return tuple(self.formats[i] if i >= 0 else None for i in self.runs[index])


def log_sources(per_run: list[LineSources]) -> LogSources:
    """A group's runs' line sources as one table of formats and each run's indexes (equal ones one tuple)."""
    table: dict[LineSource, int] = {}
    seen: dict[tuple[int, ...], tuple[int, ...]] = {}
    runs = []
    for lines in per_run:
        index = tuple([-1 if x is None else table.setdefault(x, len(table)) for x in lines])
        runs.append(seen.setdefault(index, index))
    if not table:
        return NO_LOG_SOURCES
    return LogSources(tuple(LogSource(f.decode("latin-1"), w, inner) for f, w, inner in table), tuple(runs))


NO_LOG_SOURCES = LogSources()


LockDep = tuple[str, str, str, str, str]  # models.lockdep.run_deps(): two classes, two locks, where
RunDeps = tuple[LockDep, ...]


@record
class Coverage:
    """Statement coverage of some runs: the "path:line" of each statement they executed (only runs that ran:
    Outcome.ran), and of each statement compiled so far, executed or not (a statement's first line; the
    compiled ones bound the lines a statement spans). Kept beside outcomes, never part of them: two runs
    that behave alike are equal however their code is laid out.

    ``runs``: what each run of a code group executed (its ``ran``), in the lane's scenario order, so that a rule
    counts only the runs of the scenarios it selects (harness.leafsame: a test of the leaf that came out true
    under one entry point and false under another is not a test both ways of either); empty when not known
    (a union of groups, an older cache entry), which a rule then reads as nothing shown."""

    ran: frozenset[str] = frozenset()
    starts: frozenset[str] = frozenset()
    runs: tuple[frozenset[str], ...] = ()
    log: LogSources = NO_LOG_SOURCES  # where each run's log lines came from: a group's too, never a union's
    # Per run, the lock-order dependencies lockdep added (models.lockdep.run_deps()): a group's, never a union's;
    # empty when no run added one, or not known.
    deps: tuple[RunDeps, ...] = ()

    def __or__(self, other: Coverage) -> Coverage:
        return Coverage(self.ran | other.ran, self.starts | other.starts)  # the runs of a union: not one group's


NO_COVERAGE = Coverage()
_outcome_fields = attrgetter(*(f.name for f in fields(Outcome)))  # the fields' values as one tuple, read in C
_NOT_SENT = frozenset({"_hash", "json_fields", "json_text"})  # kept for this process only
NOT_PROVIDED = Outcome(OutcomeStatus.NOT_PROVIDED)


def idle_sides(a: Outcome, b: Outcome) -> tuple[bool, bool]:
    """Which of two outcomes of one scenario give nothing to compare: one that did not run, and both when both
    failed to build (ErrorKind.BUILD). A failed build is a fact against a side that ran, but two of them say
    nothing of behaviour, whatever their texts: "did not build" on both sides, never "the same" nor a difference."""
    unbuilt = a.error_kind is ErrorKind.BUILD and b.error_kind is ErrorKind.BUILD
    return not a.ran or unbuilt, not b.ran or unbuilt


def comparable(a: Outcome, b: Outcome) -> bool:
    """Whether two outcomes of one scenario can be compared (idle_sides: neither side is idle)."""
    return a.ran and b.ran and not (a.error_kind is ErrorKind.BUILD and b.error_kind is ErrorKind.BUILD)


def step_cut(stop: int) -> int:
    """The step at which a run allowed ``stop`` steps (models.machine.Machine.stop, above 0) is stopped, the step
    count being checked every 64 steps: a run of fewer steps ends as it would with no limit."""
    return (stop // 64 + 1) * 64


def out_of_time(error: str) -> Outcome:
    """A run stopped, or never started, because its code group's budget ran out (its steps, or the wall-clock
    backstop): nothing is known of it."""
    return Outcome(OutcomeStatus.ERROR, error=error, limits=(Limit.TIME,))


@lru_cache(maxsize=1)
def mirror_version() -> str:
    """A hash of the mirror's own source: any change to the interpreter or the prelude changes it."""
    return kept_source_digest(Path(__file__).resolve().parent)[:16]


# Compact, ASCII (a string's tab or other control character is escaped, never written as it is: the outcome cache
# separates an outcome's fields by tabs).
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode
# Every key outcome_to_dict writes, in its order.
OUTCOME_KEYS = ("status", "calls", "ret", "ret_type", "errno", "log", "log_open", "events", "regs_out", "error",
                "error_kind", "limits", "state", "unrecorded")
CALL_FIELDS = ("function", "leaf", "component", "returned", "preempt_count", "irqs_disabled", "percpu", "where",
               "args")
EVENT_FIELDS = ("kind", "detail", "where")


def _runs(items: list[list[Any]], records: Sequence[object] | None = None) -> list[list[Any]]:
    """Consecutive equal records as one, with the count appended when over 1 (a retry loop's ten equal
    SEAMCALLs are one record). ``records``: what ``items`` write, compared instead of them where writing
    loses a difference (a call's per-CPU values and args as JSON objects, equal in any order)."""
    if len(items) < 2:
        return items  # one record repeats nothing (most outcomes' calls and lines)
    keys: Sequence[object] = items if records is None else records
    out: list[list[Any]] = []
    counts: list[int] = []
    last: object = None
    for item, key in zip(items, keys, strict=True):
        if out and last == key:
            counts[-1] += 1
        else:
            out.append(item)
            counts.append(1)
            last = key
    return [[*item, n] if n > 1 else item for item, n in zip(out, counts, strict=True)]


def outcome_to_dict(o: Outcome) -> dict[str, Any]:
    """An Outcome as plain JSON data (the eval report's outcome table, the outcome cache; docs/json-schema.md).

    Calls, log lines and events are arrays of their fields (CALL_FIELDS, [level, text], EVENT_FIELDS), a
    count appended to a record that repeats; a call's ``args`` is left out when no register passed in is
    set. Only ``status`` is always there: every other field at its default (no calls, log lines, events or
    registers; a null ``ret``, ``ret_type`` or ``errno``; no error, limit or changed state; ``log_open`` false) is
    left out, so that a report's size goes with what its outcomes hold (outcome_from_dict puts the defaults back).
    """
    out: dict[str, Any] = {"status": o.status.value}
    if o.calls:  # a call's first six fields as they are (CALL_FIELDS), read as one slice
        out["calls"] = _runs([[*c[:6], dict(c.percpu), c.where, dict(c.args)] if c.args else
                              [*c[:6], dict(c.percpu), c.where] for c in o.calls], o.calls)
    if o.ret is not None:
        out["ret"] = o.ret
    if o.ret_type is not None:
        out["ret_type"] = o.ret_type
    if o.errno is not None:
        out["errno"] = o.errno
    if o.log:
        out["log"] = _runs([[x.level, x.text] for x in o.log])
    if o.log_open:
        out["log_open"] = True
    if o.events:
        out["events"] = _runs([[e.kind, e.detail, e.where] for e in o.events])
    if o.regs_out:
        out["regs_out"] = dict(o.regs_out)
    if o.error is not None:
        out["error"] = o.error
    if o.error_kind is not None:  # a run cut short by time has an error but no kind: nothing of it is known
        out["error_kind"] = o.error_kind.value
    if o.limits:
        out["limits"] = [x.value for x in o.limits]
    if o.state:
        out["state"] = [list(x) for x in o.state]
    if o.unrecorded_calls or o.unrecorded_log or o.unrecorded_events:
        out["unrecorded"] = {"calls": o.unrecorded_calls, "log": o.unrecorded_log, "events": o.unrecorded_events}
    return out


def _calls(raw: list[list[Any]]) -> tuple[SeamCall, ...]:
    """Call arrays as SeamCalls, a repeated one as many times as its count says; ``args`` is left out when no
    register passed in is set (the commonest case: a few bytes of every call record), so what follows
    ``where`` is then the count."""
    out: list[SeamCall] = []
    for c in raw:
        args = c[8] if len(c) > 8 and isinstance(c[8], dict) else None
        count = c[8 if args is None else 9] if len(c) > (8 if args is None else 9) else 1
        call = SeamCall(c[0], c[1], c[2], c[3], c[4], c[5], tuple(c[6].items()), c[7],
                        tuple(args.items()) if args else ())
        out.extend((call,) * count)  # equal records, one immutable object
    return tuple(out)


def outcome_from_dict(d: dict[str, Any]) -> Outcome:
    """The inverse of outcome_to_dict: a record with a count appended stands for that many equal ones. Decoded for
    every distinct outcome a run reads from the outcome cache (thousands): each kind of record in one loop."""
    log: list[LogLine] = []
    for x in d.get("log", ()):
        log.extend((LogLine(x[0], x[1]),) * (x[2] if len(x) > 2 else 1))
    events: list[Event] = []
    for e in d.get("events", ()):
        events.extend((Event(e[0], e[1], e[2]),) * (e[3] if len(e) > 3 else 1))
    more = d.get("unrecorded", {})
    return Outcome(OutcomeStatus(d["status"]), _calls(d.get("calls", ())), d.get("ret"), d.get("ret_type"),
                   d.get("errno"), tuple(log), tuple(events), tuple(d.get("regs_out", {}).items()), d.get("error"),
                   d.get("error_kind"), tuple(Limit(x) for x in d.get("limits", ())),
                   int(more.get("calls", 0)), int(more.get("log", 0)), int(more.get("events", 0)),
                   tuple((str(x[0]), str(x[1])) for x in d.get("state", ())), bool(d.get("log_open", False)))


def record_limits(calls: Record[SeamCall], log: Record[LogLine], events: Record[Event]) -> tuple[Limit, ...]:
    """The record caps a run went past (the mirror's and the native child's outcomes alike)."""
    return tuple(limit for limit, kept in ((Limit.CALLS, calls), (Limit.LOG, log), (Limit.EVENTS, events))
                 if kept.dropped)

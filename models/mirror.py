"""The mirror's library API: load a variant's C once, then run entry points against scripted answers."""

from __future__ import annotations

import traceback
from collections import OrderedDict
from pathlib import Path

from pycparser import c_ast

from models import cload, cparselimit, cpp, cppexpand, loader, printkargs, unions
from models.cload import Program, load_program
from models.ctype import Int, Struct
from models.eflags import flag_helpers
from models.errnos import ERRNO_NAMES
from models.errors import ENTRY_SITE, BudgetExceeded, BuildFailure, CRuntimeError, Deadlock, MirrorError, StepsUnknown
from models.filestops import file_stop, undecided_assertion
from models.linecoord import file_line
from models.loader import EntryPoint, Source
from models.lockdep import key_copies, run_deps
from models.machine import Answer, Machine, OutOfTime
from models.onceunits import UNIT_COPY
from models.outcome import (
    NOT_PROVIDED,
    SEAM_FUNCTIONS,
    Coverage,
    ErrorKind,
    Limit,
    LineSources,
    Outcome,
    OutcomeStatus,
    RunDeps,
    RunRequest,
    mirror_version,
    out_of_time,
    outcome_from_dict,
    outcome_to_dict,
    record_limits,
    step_cut,
)
from models.outparams import OUT_PREFIX, out_label, out_named
from models.outstate import out_members
from models.percpuwatch import Watch, watched
from models.preemptleak import check_return
from models.runcontext import CONTEXTS, TASK
from models.slicer import ASSERT_NAME, ERROR_NAME, Definition
from models.statements import Compiler
from models.statetext import object_names, state_text
from models.stmtkinds import check_static_assert
from models.values import new_struct

__all__ = [  # the outcome types are defined apart (models/outcome.py, light) and offered here too
    "NOT_PROVIDED", "SEAM_FUNCTIONS", "ErrorKind", "Limit", "Mirror", "Outcome", "OutcomeStatus", "RunRequest",
    "cached_mirror", "clear_caches", "error_kind", "load_mirror", "mirror_version", "out_of_time",
    "outcome_from_dict", "outcome_to_dict", "record_limits",
]


class Mirror:
    """A loaded variant: its program, compiled lazily and shared by all runs."""

    def __init__(self, program: Program, seam_functions: frozenset[str] = SEAM_FUNCTIONS,
                 checks: tuple[Definition, ...] = ()) -> None:
        self.program = program
        self._checks = checks  # the files' file-scope assertions and #error lines, with their conditions
        self.compiler = Compiler(program, seam_functions)
        self._strings = self.compiler.types.strings  # asked before each run (_compiler_for)
        # Compilers for runs whose pr_fmt gives a string literal the compiler sized another prefix (_compiler_for).
        self._seam_functions = seam_functions
        self._others: list[Compiler] = []
        self.build_error = self._file_assertions()
        self.replayed = 0  # runs answered from an earlier run that looked at the same answers (run())
        # A replayed run executed what the run it replays did: its statements come with its outcome.
        self._replays: dict[tuple[object, ...], dict[int, dict[tuple[int, ...], tuple[Outcome, frozenset[str],
                                                                                     LineSources, RunDeps, int]]]]
        self._replays = {}
        self.last_log: LineSources = ()  # where each log line of the last run() came from (Machine.log_src)
        self.last_deps: RunDeps = ()  # the lock-order dependencies the last run() added (lockdep.run_deps())
        # The steps the last run() took (a replay: the steps of the run it replays), charged to its code group's
        # step budget by the caller: the same whether the run was made or replayed.
        self.last_steps = 0
        self._machine: Machine | None = None  # the last run's, while run() reads what it kept
        # Each distinct set of "path:line" of the statements a run since take_coverage() executed (``ran`` is their
        # union, made there once: the corpus' 90 code groups made a union per run executed, 4,052, of 499 sets).
        self._since: dict[frozenset[str], None] = {}
        self.last_ran: frozenset[str] = frozenset()  # those the last run() executed (none: it could not run)
        # Each distinct ``ran`` of the runs as one object: the replays keep one per run executed, and most runs of a
        # group execute the same statements (the corpus: 2,052 kept, 3 MB of them copies of another).
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        self._args_type: Struct | None = None  # struct tdx_module_args, looked up at the first run

    def _resolve_args_type(self) -> Struct:
        """The program's struct tdx_module_args (raises when it is not defined, at every run that needs it)."""
        self._args_type = self.compiler.types.resolve_tag("tdx_module_args")
        return self._args_type

    def _file_assertions(self) -> tuple[str, ErrorKind] | None:
        """Why gcc would refuse these files (an active #error, a file-scope static_assert fails), why the mirror
        refuses them (such an assertion it cannot read or evaluate: a name the lines known do not define), or why
        whether gcc builds them is not known (such a line under an #if not decided), or None.

        Every entry point is then an error outcome with that reason: nothing of these files would run. A failure gcc
        is sure to stop at is said before a refusal, and a refusal before what is not known.
        """
        stop = file_stop(self._checks)
        if stop is not None and stop.certain:
            return stop.reason, ErrorKind.BUILD
        refused = None
        if ASSERT_NAME in self.program.dropped:
            refused = f"a file-scope assertion the mirror cannot read: {self.program.dropped[ASSERT_NAME]}"
        maybe = None if stop is None else stop.reason
        for node in self.program.ast.ext:
            if isinstance(node, c_ast.StaticAssert):
                try:
                    check_static_assert(self.compiler, node, [])
                except MirrorError as exc:
                    cond = undecided_assertion(self._checks, file_line(self.program.where, node.coord))
                    if cond is None and isinstance(exc, BuildFailure):
                        return str(exc), ErrorKind.BUILD
                    if cond is None:  # not evaluated (UnsupportedConstruct): gcc decides, with what is not known
                        refused = refused or f"{exc} (a file-scope assertion the mirror cannot evaluate: gcc " \
                                             "decides it)"
                    else:
                        maybe = maybe or (f"{exc}, under {cond}, which the mirror cannot decide: whether gcc builds "
                                          "these files is not known")
        said = refused or maybe
        return None if said is None else (said, ErrorKind.UNSUPPORTED)

    def provides(self, entry: str) -> bool:
        return entry in self.program.entries

    def run(self, req: RunRequest, deadline: float | None = None, steps: int = 0) -> Outcome:
        """Run one entry point; errors in the C become an ``error`` outcome, never an exception.

        ``deadline`` is a ``time.monotonic()`` value past which the run is stopped (a ``time`` limit); ``steps``
        (above 0) the steps it may take (Machine.stop): past them it is stopped alike, at the same step on any host.
        A run depends on its script only through the answers it looked at (Machine.read): a request whose
        script starts with the same answers as one run before, with every other input equal, gets that
        run's outcome (counted in ``replayed``), since the mirror is deterministic.
        """
        inputs = (req.entry, req.leaf, req.pr_fmt, req.regs_in, req.budget, req.max_depth, req.seam_functions,
                  req.max_records, req.cpu, req.context, req.features)
        known = self._replays.get(inputs, {})
        script = answer_numbers(req.script)
        n = len(script)
        for read, by_answers in known.items():
            hit = by_answers.get(script[:read] if read <= n else script + script[-1:] * (read - n))  # looked_at()'s
            # A run the step limit would stop is made again (and stopped), never answered by one that ran further.
            if hit is not None and (steps <= 0 or hit[4] < step_cut(steps)):
                self.replayed += 1
                self.last_ran, self.last_log, self.last_deps, self.last_steps = hit[1], hit[2], hit[3], hit[4]
                self._since[hit[1]] = None
                return hit[0]
        self._machine = None
        try:
            outcome, read, ran = self._run(req, deadline, steps)
        finally:
            self._strings.pr_fmt = None  # outside a run (the native build's reading) no pr_fmt is known
            for compiler in self._others:
                compiler.types.strings.pr_fmt = None
        kept = frozenset(ran) if outcome.ran else frozenset()  # a run that could not run covers nothing
        kept = self._sets.setdefault(kept, kept)
        self.last_ran = kept
        self._since[kept] = None
        self.last_log = _line_sources(self._machine, outcome)
        self.last_deps = run_deps(self._machine)
        self.last_steps = 0 if self._machine is None else self._machine.steps
        self._machine = None
        if Limit.TIME not in outcome.limits:
            known.setdefault(read, {})[script[:read] + script[-1:] * max(0, read - len(script))] = (
                outcome, kept, self.last_log, self.last_deps, self.last_steps)
            self._replays[inputs] = known
        return outcome

    @property
    def ran(self) -> frozenset[str]:
        """"path:line" of the statements the runs since take_coverage() executed."""
        return frozenset().union(*self._since)

    def take_coverage(self) -> Coverage:
        """The statements the runs since the last call executed, and every statement of the functions they
        entered: only code the runs reached, so that the coverage holds for every variant whose code for
        these runs is the same (harness.runner shares a code group between them)."""
        ran = frozenset().union(*self._since)
        self._since.clear()
        starts = [s for c in (self.compiler, *self._others) for s in c.starts.values() if not s.isdisjoint(ran)]
        return Coverage(ran, frozenset().union(*starts))

    def forget_runs(self) -> None:
        """Start a new set of runs: no replay of runs done before (so that what a report counts as replayed
        depends on its own runs only, not on what this process ran earlier)."""
        self._replays.clear()
        self._sets.clear()
        self.replayed = 0
        self._since.clear()
        self.last_ran = frozenset()

    def _compiler_for(self, pr_fmt: str) -> Compiler:
        """A compiler whose code holds for a run with this pr_fmt: string literals with pr_fmt() in them that it
        sized (an array's length and bytes, sizeof) have the same prefix there (models.sizedstrings); code it
        compiles from now on sizes them with this pr_fmt. Almost always the first: another only for a run whose
        pr_fmt gives such a literal a prefix other than the one it was compiled with."""
        if self._strings.fits(pr_fmt):
            self._strings.pr_fmt = pr_fmt
            return self.compiler
        for compiler in self._others:
            if compiler.types.strings.fits(pr_fmt):
                compiler.types.strings.pr_fmt = pr_fmt
                return compiler
        compiler = Compiler(self.program, self._seam_functions)
        compiler.types.strings.pr_fmt = pr_fmt
        self._others.append(compiler)
        return compiler

    def _run(self, req: RunRequest, deadline: float | None, steps: int) -> tuple[Outcome, int, set[str]]:
        """The outcome of one run, how many answers of its script it looked at, the statements it executed."""
        if not self.provides(req.entry):
            return NOT_PROVIDED, 0, set()
        refused = self.build_error or (None if (twice := self.program.redefined.get(req.entry)) is None else
                                       (twice, ErrorKind.BUILD))
        if refused is None and (clash := self.program.refused.get(req.entry)) is not None:
            refused = (clash, ErrorKind.UNSUPPORTED)
        if refused is not None:
            return Outcome(OutcomeStatus.ERROR, error=refused[0], error_kind=refused[1]), 0, set()
        compiler = self._compiler_for(req.pr_fmt)
        if compiler.flag_helpers is None:  # what the state shows of members keeping saved flags
            compiler.flag_helpers = flag_helpers(self.program)
        m = Machine(req.script, pr_fmt=req.pr_fmt, budget=req.budget, max_depth=req.max_depth,
                    seam_functions=req.seam_functions, max_records=req.max_records, deadline=deadline, stop=steps,
                    once_sites=compiler.once_sites, cpu=req.cpu, features=req.features,
                    flag_members=compiler.flag_helpers.members, lock_scopes=lambda: compiler.lock_scopes,
                    static_lines=compiler.static_lines, one_copy=self.program.noinline,
                    inlined=self.program.always_inline)
        if req.context != TASK:
            m.preempt = m.preempt_base = CONTEXTS[req.context][0]
            m.irqs_disabled = CONTEXTS[req.context][1]
        self._machine = m
        if leaves := watched(compiler):  # the code's per-CPU objects, as they are before the run
            m.percpu_watch = Watch(m, leaves)
        struct = self._resolve_args_type() if self._args_type is None else self._args_type
        args = new_struct(struct, zero=True)
        for reg, value in req.regs_in:
            if reg in args:  # a member the code's struct lacks is not set: the native build's struct has none either
                args[reg] = value
        try:
            compiler.invoke(m, self.program.entries[req.entry], [req.leaf, args], ENTRY_SITE, ENTRY_SITE)
        except OutOfTime as exc:
            return out_of_time(str(exc)), m.read, m.ran
        except MirrorError as exc:
            return _outcome(m, args, OutcomeStatus.ERROR, str(exc), error_kind(exc),
                            isinstance(exc, (BudgetExceeded, StepsUnknown))), m.read, m.ran
        except RecursionError:
            stop = BudgetExceeded("<entry>", f"{req.entry}(): Python recursion limit reached")
            return _outcome(m, args, OutcomeStatus.ERROR, str(stop), ErrorKind.BUDGET, True), m.read, m.ran
        except Exception as exc:  # a bug, or C the mirror does not model that slipped past its checks
            return (_outcome(m, args, OutcomeStatus.ERROR, _internal(req.entry, exc), ErrorKind.UNSUPPORTED), m.read,
                    m.ran)
        check_return(m, req.entry)
        return _outcome(m, args, OutcomeStatus.OK, None), m.read, m.ran


def _line_sources(m: Machine | None, outcome: Outcome) -> LineSources:
    """Machine.log_src for each line of the outcome's log (none where nothing printed: most runs)."""
    if m is None or not outcome.log:
        return ()
    src = m.log_src
    return tuple(src) + (None,) * (len(outcome.log) - len(src)) if len(src) < len(outcome.log) else tuple(src)


def _internal(entry: str, exc: Exception) -> str:
    """One run's failure inside the mirror itself, said as what could not run and where in the mirror: the
    other runs go on (a crash of the whole eval would lose them), and nothing is claimed for this one."""
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
    return (f"<entry>: the mirror cannot run {entry}(): {type(exc).__name__}: {exc} (at {where}; C it does not "
            "model, or a bug in seamharness)")


def looked_at(script: tuple[Answer, ...], read: int) -> tuple[Answer, ...]:
    """The first ``read`` answers a run gets from a script (past its end the last one repeats; none: 0)."""
    if not script:
        return (Answer(0),) * read
    return script[:read] + (script[-1],) * max(0, read - len(script))


# Each distinct answer's number, and each script's answers as numbers (kept with the script): replay keys are tuples
# of ints, hashed in C, where tuples of answers hashed each answer in Python at every look-up of every run.
_NUMBERS: dict[Answer, int] = {}
_SCRIPTS: dict[int, tuple[tuple[Answer, ...], tuple[int, ...]]] = {}


def answer_numbers(script: tuple[Answer, ...]) -> tuple[int, ...]:
    """The script's answers as numbers, equal answers as equal numbers; a script without answers as one answer of 0
    (looked_at: what a run reads of either is the same)."""
    kept = _SCRIPTS.get(id(script))
    if kept is not None and kept[0] is script:
        return kept[1]
    numbers = tuple([_NUMBERS.setdefault(a, len(_NUMBERS)) for a in script or (Answer(0),)])
    if len(_SCRIPTS) > 4096:
        _SCRIPTS.clear()
    _SCRIPTS[id(script)] = (script, numbers)
    return numbers


def _limits(m: Machine, stopped: bool) -> tuple[Limit, ...]:
    """The limits a run hit: what stopped it (steps or depth), and which records overflowed."""
    out: tuple[Limit, ...] = (Limit.STEPS if m.steps > m.budget else Limit.DEPTH,) if stopped else ()
    if m.calls.dropped or m.log.dropped or m.events.dropped:  # none overflowed in nearly every run
        out += record_limits(m.calls, m.log, m.events)
    return out


def error_kind(exc: MirrorError) -> ErrorKind:
    """The kind of an error outcome, from the mirror's exception class."""
    if isinstance(exc, CRuntimeError):
        return ErrorKind.RUNTIME
    if isinstance(exc, BudgetExceeded):
        return ErrorKind.BUDGET
    if isinstance(exc, BuildFailure):
        return ErrorKind.BUILD
    if isinstance(exc, Deadlock):
        return ErrorKind.DEADLOCK
    return ErrorKind.UNSUPPORTED


def _outcome(m: Machine, args: dict[str, int], status: OutcomeStatus, error: str | None,
             kind: ErrorKind | None = None, stopped: bool = False) -> Outcome:
    ret = ret_type = errno = None
    if m.percpu_watch is not None:  # the stores to per-CPU objects since the last look (sh_state()'s last call)
        m.percpu_watch.flush(m, "<entry>")
    if m.result is not None and status is OutcomeStatus.OK:
        value, t = m.result
        ret_type = t.name()
        if isinstance(value, int):
            ret = value
            if isinstance(t, Int) and t.signed and value < 0:
                errno = ERRNO_NAMES.get(-value)
    state = changed_state(m)
    error = out_named(error) if error is not None and OUT_PREFIX in error else error
    # The fields in order, as outcome_from_dict makes one: matching sixteen keywords was most of making it.
    return Outcome(status, tuple(m.calls), ret, ret_type, errno, tuple(m.log), tuple(m.events),
                   tuple([(k, v) for k, v in args.items() if v and isinstance(v, int)]), error, kind,
                   _limits(m, stopped), m.calls.dropped, m.log.dropped, m.events.dropped, state, m.log_open > 0)


def changed_state(m: Machine) -> tuple[tuple[str, str], ...]:
    """File-scope and static variables whose value at the end of the run differs from their initial one,
    as (name, value) sorted by name: a static local is ``function::name``; a pointer shows the object it
    points to (models.statetext.state_text). So are the statics the kernel keeps behind a pr_err_once(), WARN_ONCE()
    or ratelimit that fired (``function::pr_err_once()``, with how many times it printed): the next call
    prints nothing, so pr_err() and pr_err_once() are not the same behaviour (once_state); and a header's
    mutex_init() key static a second unit's copy used (``function::__key in the unit of FILE.c``: models.lockdep)."""
    names = object_names([(label, m.globals[slot], t) for slot, (_, t, label) in m.initial.items()])
    out = once_state(m) + key_copies(m)  # a header's mutex_init() key in a second unit: see harness.crosscheck
    for slot, (then, t, label) in m.initial.items():
        unions.sync_all(m.globals[slot], t)
        now = state_text(m.globals[slot], t, names, hidden=m.flag_members)
        # A header static's copy in a second unit is listed even unchanged: the native build has one copy, and
        # harness.crosscheck does not compare a run that has two (the run may have read the second)
        if label.startswith(OUT_PREFIX):  # an out-parameter's object by its position: *(parameter 2).field
            out += out_members(out_label(label), then, m.globals[slot], t, names, m.flag_members)
        elif now != state_text(then, t, names, hidden=m.flag_members) or UNIT_COPY in label:
            out.append((label, now))
    return tuple(sorted(out))


def once_state(m: Machine) -> list[tuple[str, str]]:
    """(name, count) of each once or ratelimit state the run set: a call site's by its function and primitive,
    numbered in source order when one function has several (``f::pr_err_once()#2``), so that a moved line keeps
    its name; the kernel's own (lib/vsprintf.c's WARN_ONCE, might_sleep()'s, printk_ratelimit()'s) by key."""
    if not any(m.once.values()):
        return []  # none set: no site needs its name (most runs; the sites are every one compiled so far)
    ranked: dict[str, list[str]] = {}
    for site, label in m.once_sites.items():
        ranked.setdefault(label, []).append(site)
    number: dict[str, str] = {}
    for label, sites in ranked.items():
        in_order = sorted(sites, key=_site_order)
        for i, site in enumerate(in_order, start=1):
            number[site] = label if len(in_order) == 1 else f"{label}#{i}"
    return [(number.get(key, f"kernel::{key}"), str(count)) for key, count in m.once.items() if count]


def _site_order(site: str) -> tuple[str, int, int]:
    path, line, column = site.rsplit(":", 2)
    return path, int(line) if line.isdigit() else 0, int(column) if column.isdigit() else 0


def load_mirror(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...],
                seam_functions: frozenset[str] = SEAM_FUNCTIONS) -> Mirror:
    """Load the C of a variant for these entry points (see models.cload.load_program)."""
    table = loader.definitions(sources)
    return Mirror(load_program(sources, entries), seam_functions,
                  (*table.get(ERROR_NAME, ()), *table.get(ASSERT_NAME, ())))


_LOADED: OrderedDict[tuple[object, ...], Mirror] = OrderedDict()
_LOADED_MAX = 64


def clear_caches() -> None:
    """Forget every loaded mirror, cached parse and expansion and kept printk output (for cold measurements, and after
    patching the mirror): every lru_cache of the modules that load C, found by looking, so that a cache added
    later is forgotten too (a test patching pcpp or vsnprintf() read results the cache kept from before)."""
    _LOADED.clear()
    for module in (loader, cpp, cppexpand, cload, cparselimit):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == module.__name__:
                value.cache_clear()
    printkargs.forget_formatted()


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

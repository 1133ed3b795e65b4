"""crosscheck_result: the same helper code compiled natively, every outcome compared with the mirror's."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.coverage import UNKNOWN_FUNCTION, mail_gap, missing_reason
from harness.crossraw import ORIGINAL as ORIGINAL  # re-exported: the tests take it from here
from harness.crossraw import RawRuns, comparable, raw_outcomes
from harness.crossrefuse import gcc_refusals, refused_alike
from harness.crossview import counted
from harness.eventwords import event_at, first_change
from harness.explain import show_ret, signature
from harness.runner import MatrixResult, variant_sources
from harness.rununits import run_unit, scenario_pr_fmt
from harness.unitmoves import unit_at
from harness.variants import Variant
from models.ctype import VOID
from models.errors import MirrorError
from models.loader import EntryPoint, entry_files
from models.lockdep import KEY_COPY
from models.mirror import Mirror, Outcome, OutcomeStatus, load_mirror
from models.native.codegen import NativeSource, generate
from models.native.rawtu import native_object
from models.native.run import NOT_KERNEL_TEXT, NOT_LOADED, FormatCount, NativeError, NativeRun, build, run_native
from models.onceunits import INLINED_COPY, UNIT_COPY
from models.outcome import ErrorKind
from models.record import record

PROBE_TIMEOUT = 5.0


@record
class Disagreement:
    variant: str
    scenario: str
    mirror: Outcome
    native: Outcome
    divergence: str


@dataclass
class CrossResult:
    """Per variant: runs compared and agreeing, disagreements, and what could not be compared. With the
    ``original`` source, ``raw_*`` count the outcomes whose native side gcc built from the variant's own text
    and ``fallback`` says, per entry point, why the rest were built from the mirror's expansion."""

    compared: dict[str, int] = field(default_factory=dict)
    agreed: dict[str, int] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)
    not_compared: dict[str, list[str]] = field(default_factory=dict)  # why, with how many scenarios
    not_compared_runs: dict[str, int] = field(default_factory=dict)  # scenarios provided but not compared
    # Scenarios whose build gcc and the mirror both refuse, for the same reason (harness.crossrefuse): agreement
    # on refusal, with gcc's message; counted apart from the outcomes compared.
    refused_alike: dict[str, list[str]] = field(default_factory=dict)  # why, with how many scenarios
    refused_alike_runs: dict[str, int] = field(default_factory=dict)
    native_seconds: float = 0.0
    native_runs: int = 0
    probe_runs: int = 0  # of native_runs: probes of a scenario the mirror stopped on (one per distinct code)
    probes: dict[str, tuple[str, str]] = field(default_factory=dict)
    compiler: str = "gcc"  # the name of the compiler that built the native side (--cc)
    source: str = ORIGINAL  # what the native side is built from (harness.crossraw.SOURCES)
    raw_compared: dict[str, int] = field(default_factory=dict)
    raw_agreed: dict[str, int] = field(default_factory=dict)
    fallback: dict[str, list[str]] = field(default_factory=dict)  # variant -> "entry (unit): why"
    formats: FormatCount = field(default_factory=FormatCount)  # every native run's records, each run once
    log_records: dict[str, FormatCount] = field(default_factory=dict)  # variant -> its compared outcomes' records
    # Why nothing could be compared when no variant provides any scenario (the matrix's entry points are in no
    # line read: a series from mail alone), as eval says it; "" when some variant provides one.
    provided_none: str = ""
    # A variant's other names (``base``: Variant.aliases), for the table to say beside it as eval does.
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        """1 when an outcome disagrees or nothing at all was compared (agreement is never claimed of nothing; a
        build both sides refuse alike is a comparison)."""
        return 1 if self.disagreements or not (sum(self.compared.values()) or sum(self.refused_alike_runs.values())) \
            else 0


def first_divergence(m: Outcome, n: Outcome) -> str:
    """Where two outcomes stop agreeing, in the order things happen."""
    if m.status != n.status:
        return f"status: mirror {m.status} ({m.error}), native {n.status} ({n.error})"
    for i, (a, b) in enumerate(zip(m.calls, n.calls, strict=False)):
        ka = (a.function, a.leaf, a.returned, a.preempt_count, a.irqs_disabled, a.percpu, a.args)
        kb = (b.function, b.leaf, b.returned, b.preempt_count, b.irqs_disabled, b.percpu, b.args)
        if ka != kb:
            return f"SEAMCALL {i + 1}: mirror {ka}, native {kb}"
    if m.total_calls != n.total_calls:
        return f"SEAMCALLs: mirror made {m.total_calls}, native {n.total_calls}"
    for i, (x, y) in enumerate(zip(m.log, n.log, strict=False)):
        if (x.level, x.text) != (y.level, y.text):
            return f"log line {i + 1}: mirror [{x.level}] {x.text!r}, native [{y.level}] {y.text!r}"
    if (len(m.log), m.unrecorded_log) != (len(n.log), n.unrecorded_log):
        return f"log: mirror {len(m.log) + m.unrecorded_log} lines, native {len(n.log) + n.unrecorded_log}"
    if m.log_open != n.log_open:
        return f"log: last line left open (no newline): mirror {m.log_open}, native {n.log_open}"
    if (at := first_change(m.events, n.events)) is not None:  # in the words comparison notes use (eventwords)
        return f"event {at + 1}: mirror {event_at(m.events, at)}, native {event_at(n.events, at)}"
    if m.unrecorded_events != n.unrecorded_events:
        return (f"events past the {len(m.events)} recorded: mirror {m.unrecorded_events:,} more, "
                f"native {n.unrecorded_events:,} more")
    if (m.ret, m.errno) != (n.ret, n.errno):
        return f"return: mirror {show_ret(m)}, native {show_ret(n)}"  # an errno as -EIO (show_ret)
    if m.regs_out != n.regs_out:
        return f"registers: mirror {m.regs_out}, native {n.regs_out}"
    return f"state left behind: mirror {dict(m.state)}, native {dict(n.state)}"


def crosscheck_result(result: MatrixResult, cc: str, timeout: float = 30.0,
                      progress: Callable[[int, int], None] | None = None, source: str = ORIGINAL) -> CrossResult:
    """Compare the mirror outcomes of a matrix run with the same code compiled by ``cc``: from each variant's
    own text (``source`` ``original``: gcc preprocesses and parses it, harness.crossraw), falling back per entry
    point to C generated from the mirror's expansion where that text does not build; or from the mirror's
    expansion alone (``mirror``).

    ``progress(done, total)`` is called after each variant (variants, not runs: a build dominates).
    """
    out = CrossResult(compiler=Path(cc).name, source=source,
                      aliases={v.name: v.aliases for v in result.variants if v.aliases})
    seen = _Seen()
    with tempfile.TemporaryDirectory(prefix="seamharness-native-") as tmp:
        native_o = native_object(cc, Path(tmp)) if source == ORIGINAL else None
        for done, v in enumerate(result.variants, start=1):
            if progress is not None:
                progress(done - 1, len(result.variants))
            _variant(v, result, cc, timeout, out, seen, native_o)
    out.provided_none = _provided_none(result)
    return out


def _provided_none(result: MatrixResult) -> str:
    """Why no variant provides a scenario of the matrix, its entry points each said as eval says it of the newest
    state (harness.coverage.missing_reason: "v1 does not define demo_call() ...; give --tree"); "" when one does."""
    if not result.variants or any(result.outcome(v.name, s.id).status is not OutcomeStatus.NOT_PROVIDED
                                  for v in result.variants for s in result.matrix.scenarios):
        return ""
    newest = max(reversed(result.variants), key=lambda v: len(v.applied))  # v1 rather than v1:02, its alias
    names = list(dict.fromkeys(s.entry.name for s in result.matrix.scenarios))
    said = [missing_reason(newest, n) for n in names[:3]] + ([f"{len(names) - 3} more"] if len(names) > 3 else [])
    return f"no variant provides an entry point of the matrix: {'; '.join(said)}"


@dataclass
class _Seen:
    """What was built and run per distinct code (variant_sources), shared by the variants that have it."""

    natives: dict[tuple[object, ...], dict[str, Outcome]] = field(default_factory=dict)
    built: dict[tuple[object, ...], NativeSource] = field(default_factory=dict)
    raw: dict[tuple[object, ...], RawRuns] = field(default_factory=dict)
    errors: dict[tuple[object, ...], str] = field(default_factory=dict)  # gcc refuses the expansion's C
    formats: dict[tuple[object, ...], dict[str, FormatCount]] = field(default_factory=dict)  # per run key


def _variant(v: Variant, result: MatrixResult, cc: str, timeout: float, out: CrossResult, seen: _Seen,
             native_o: Path | None) -> None:
    """Cross-check one variant: its own text first (native_o given), the mirror's expansion for the rest."""
    sources = variant_sources(v)
    out.not_compared.setdefault(v.name, [])
    try:
        mirror = load_mirror(sources, tuple(EntryPoint(e.name, e.args) for e in result.matrix.entries))
    except MirrorError as exc:
        provided = sum(1 for s in result.matrix.scenarios
                       if result.outcome(v.name, s.id).status is not OutcomeStatus.NOT_PROVIDED)
        out.not_compared[v.name].append(counted(f"the mirror does not load this variant: {exc}", provided))
        out.not_compared_runs[v.name] = provided
        return
    raw = RawRuns()
    if native_o is not None:
        if sources not in seen.raw:
            seen.raw[sources] = raw_outcomes(v, mirror, result, cc, native_o, timeout, out.formats)
            out.native_seconds += seen.raw[sources].seconds
            out.native_runs += len(seen.raw[sources].outcomes)
            out.probe_runs += seen.raw[sources].probe is not None
            out.native_runs += seen.raw[sources].probe is not None
        raw = seen.raw[sources]
        out.fallback[v.name] = [f"{entry}: {why}" for entry, why in raw.refused.items()]
        if raw.probe is not None:
            n = raw.probe[1]
            out.probes[v.name] = (result.outcome(v.name, raw.probe[0]).error or "", n.error or n.status)
    _expanded(v, mirror, result, cc, timeout, out, seen, raw)


def _expanded(v: Variant, mirror: Mirror, result: MatrixResult, cc: str, timeout: float, out: CrossResult,
              seen: _Seen, raw: RawRuns) -> None:
    """The scenarios ``raw`` has no native outcome of, built from the mirror's expansion (only when there are
    such); then every comparison, the raw ones counted apart."""
    sources = variant_sources(v)
    if sources not in seen.natives:
        seen.natives[sources], seen.built[sources], seen.formats[sources] = {}, NativeSource("", {}, {}), {}
        if _needs_expansion(v, result, raw):
            _build_expanded(v, mirror, result, cc, timeout, out, seen, raw)
    source = seen.built[sources]
    runs, probe, why_not = _plan(v, mirror, source, result, raw.outcomes, gcc_refusals(raw.refused))
    if sources in seen.errors:
        why_not[seen.errors[sources]] = len(runs)
        runs, probe = [], None
    alike = {why: n for why, n in why_not.items() if why.startswith(_ALIKE)}
    _skip(out, v.name, {why: n for why, n in why_not.items() if why not in alike})
    out.refused_alike[v.name] = [counted(why.removeprefix(_ALIKE), n) for why, n in alike.items()]
    out.refused_alike_runs[v.name] = sum(alike.values())
    # An entry point both sides refuse alike fell back to nothing: it is not said to come from the expansion.
    alone = {why.removeprefix(_ALIKE).partition(":")[0] for why in alike} \
        - {why.partition(":")[0] for why in why_not if why not in alike}
    out.fallback[v.name] = _compared_fallback(v, result, runs, [f for f in out.fallback.get(v.name, [])
                                                                if f.partition(" (")[0] not in alone])
    if probe is not None and probe.key in seen.natives[sources]:
        n = seen.natives[sources][probe.key]
        out.probes[v.name] = (result.outcome(v.name, probe.key).error or "", n.error or n.status)
    out.compared[v.name] = out.agreed[v.name] = 0
    out.log_records[v.name] = FormatCount()
    _compare(v.name, runs, seen.natives[sources], result, out, source.state_names, seen.formats[sources])
    compared, agreed = out.compared[v.name], out.agreed[v.name]
    _compare(v.name, [NativeRun(key, "", 0, (), "", VOID) for key in raw.outcomes], raw.outcomes, result, out,
             raw.state_names, raw.formats)
    out.raw_compared[v.name] = out.compared[v.name] - compared
    out.raw_agreed[v.name] = out.agreed[v.name] - agreed


def _compared_fallback(v: Variant, result: MatrixResult, runs: list[NativeRun], fallback: list[str]) -> list[str]:
    """The reasons ("entry (unit): why") of entry points some scenario of which ``runs`` compares from the
    mirror's expansion: one none of whose scenarios is compared there (the mirror did not run it, gcc refused the
    expansion too) fell back to nothing, and not_compared says why. A function that is no entry point (left out of
    a unit with its callers) stays while anything is compared from the expansion."""
    sources = variant_sources(v)
    scenarios = {s.id: s for s in result.matrix.scenarios}
    done: set[str] = set()
    for run in runs:
        s = scenarios[run.key]
        unit = run_unit(sources, s.entry.name, unit_at(v.moved, s.unit.path)).rpartition("/")[2]
        done.add(f"{s.entry.name} ({unit})")
    entries = {s.entry.name for s in scenarios.values()}
    return [f for f in fallback
            if f.partition(": ")[0] in done or (done and f.partition(" (")[0] not in entries)]


def _needs_expansion(v: Variant, result: MatrixResult, raw: RawRuns) -> bool:
    """Whether a scenario the mirror ran has no native outcome from the variant's own text."""
    return any(s.id not in raw.outcomes and comparable(result.outcome(v.name, s.id)) for s in result.matrix.scenarios)


def _build_expanded(v: Variant, mirror: Mirror, result: MatrixResult, cc: str, timeout: float, out: CrossResult,
                    seen: _Seen, raw: RawRuns) -> None:
    """Build the C generated from the mirror's expansion and run the scenarios ``raw`` lacks."""
    sources = variant_sources(v)
    with tempfile.TemporaryDirectory(prefix="seamharness-native-") as tmp:
        started = time.perf_counter()
        source, lib = build_isolating(mirror, cc, Path(tmp))
        seen.built[sources] = source
        if isinstance(lib, NativeError):
            # gcc refuses what the mirror wrote of this variant: nothing of it is compared, the rest is.
            seen.errors[sources] = lib.message.removesuffix(".")
            return
        runs, probe, _ = _plan(v, mirror, source, result, raw.outcomes)
        got = run_native(lib, runs, timeout, out.formats, seen.formats[sources])
        if probe is not None:
            got.update(run_native(lib, [probe], PROBE_TIMEOUT))
        out.native_seconds += time.perf_counter() - started
        out.native_runs += len(runs) + (probe is not None)
        out.probe_runs += probe is not None
    seen.natives[sources] = got


def _skip(out: CrossResult, name: str, *why_not: dict[str, int]) -> None:
    """Count the scenarios provided but not compared, with why and how many."""
    for reasons in why_not:
        out.not_compared[name].extend(counted(why, n) for why, n in reasons.items())
        out.not_compared_runs[name] = out.not_compared_runs.get(name, 0) + sum(reasons.values())


MAX_LEFT_OUT = 16  # functions gcc does not build that are left out before a variant is given up (builds are slow)


def build_isolating(mirror: Mirror, cc: str, workdir: Path) -> tuple[NativeSource, Path | NativeError]:
    """The generated C and its library; a function gcc does not build is left out with gcc's error (its callers
    too), so that the others are still compared. The error when gcc's error is outside any function or more
    than MAX_LEFT_OUT are left out."""
    left_out: dict[str, str] = {}
    while True:
        source = generate(mirror, left_out)
        try:
            return source, build(source, cc, workdir)
        except NativeError as exc:
            m = re.search(r"gen\.c:(\d+):", exc.message)
            name = source.function_at(int(m.group(1))) if m is not None else None
            if name is None or name in left_out or len(left_out) >= MAX_LEFT_OUT:
                return source, exc
            left_out[name] = exc.message.replace(str(workdir) + "/", "")


_ALIKE = "\0alike\0"  # marks, in _plan's reasons, the scenarios both sides refuse to build alike


def _plan(v: Variant, mirror: Mirror, source: NativeSource, result: MatrixResult, done: dict[str, Outcome],
          gcc: dict[str, str] | None = None) -> tuple[list[NativeRun], NativeRun | None, dict[str, int]]:
    """The native runs of a variant from the mirror's expansion, one to probe a scenario the mirror stopped on,
    and the scenarios provided but not compared, by why: every provided scenario is compared (here, or in
    ``done``: built from the variant's own text) or counted there. ``gcc``: per entry point, gcc's refusal of
    its text; where the mirror refuses its build alike (harness.crossrefuse), the reason starts with _ALIKE."""
    why_not: dict[str, int] = {}
    runs: list[NativeRun] = []
    probe = None
    sources = variant_sources(v)
    reach = entry_files(sources, tuple(EntryPoint(e.name, e.args) for e in result.matrix.entries))
    for s in result.matrix.scenarios:
        mo = result.outcome(v.name, s.id)
        if mo.status is OutcomeStatus.NOT_PROVIDED or s.id in done:
            continue
        refusal = (gcc or {}).get(s.entry.name) if mo.status is OutcomeStatus.ERROR else None
        # Both refuse the variant's own text alike, whether or not the mirror's expansion builds (it does for code
        # in a header the unit does not include: the expansion is one translation unit of everything).
        if refused_alike(mo, refusal):
            reason = f"{_ALIKE}{s.entry.name}: both refuse to build it; {refusal}"
            why_not[reason] = why_not.get(reason, 0) + 1
            continue
        if not comparable(mo) and s.entry.name not in source.entries:
            reason = _mirror_stopped(v, s.entry.name, mo)
            why_not[reason] = why_not.get(reason, 0) + 1
            continue
        if s.entry.name not in source.entries:
            why = source.skipped.get(mirror.program.entries.get(s.entry.name, "")) or "the native build leaves it out"
            reason = f"{s.entry.name}: {_left_out(v, s.entry.name, why)}"
            why_not[reason] = why_not.get(reason, 0) + 1
            continue
        # The native records carry each pr_*() call's site, as the mirror's; the table is the mirror's own.
        fmt = scenario_pr_fmt(v, sources, s.entry.name, s.unit.path, reach.get(s.entry.name))
        run = NativeRun(s.id, mirror.program.entries[s.entry.name], s.leaf, s.script.answers, fmt,
                        source.entries[s.entry.name], s.script.cpu, source.layout, s.script.inputs, s.script.context,
                        s.script.features, s.entry.name)
        if not comparable(mo):
            probe = probe or run  # the mirror stopped; one native run shows the child is bounded too
            reason = _mirror_stopped(v, s.entry.name, mo)
            why_not[reason] = why_not.get(reason, 0) + 1
            continue
        runs.append(run)
    return runs, probe, why_not


def _compare(name: str, runs: list[NativeRun], native: dict[str, Outcome], result: MatrixResult,
             out: CrossResult, state_names: frozenset[str], formats: dict[str, FormatCount]) -> None:
    """Count each run as compared and agreeing or a disagreement (adding to what the variant has so far), and
    who formatted the log records of the native outcomes compared (``formats``, by run key)."""
    unknown: dict[str, int] = {}
    for run in runs:
        m, n = result.outcome(name, run.key), native.get(run.key)
        if n is not None and n.error_kind is ErrorKind.UNSUPPORTED:  # what the native run printed is not known
            said = n.error or ""
            why = said if said.startswith((NOT_LOADED, NOT_KERNEL_TEXT)) else \
                f"the native run's log cannot be read: {said}"
            unknown[why] = unknown.get(why, 0) + 1
            continue
        copies = [x for x, _ in m.state if UNIT_COPY in x]  # two units' statics of one header site: the build has one
        if any(INLINED_COPY in x for x, _ in m.state):  # an __always_inline helper's WARN_ON_ONCE() per copy
            unknown[_INLINED] = unknown.get(_INLINED, 0) + 1
            continue
        if copies:
            why = _ONE_KEY if any(KEY_COPY + UNIT_COPY in x for x in copies) else _ONE_COPY
            unknown[why] = unknown.get(why, 0) + 1
            continue
        out.compared[name] += 1
        if run.key in formats:
            out.log_records[name].add(formats[run.key])
        if any(x not in state_names for x, _ in m.state):
            # The native build reports file-scope integers only: the rest of the state is not compared.
            m = replace(m, state=tuple(x for x in m.state if x[0] in state_names))
        if n is None:
            n = Outcome(OutcomeStatus.ERROR, error="no native outcome")
        if signature(m) == signature(n):
            out.agreed[name] += 1
        else:
            out.disagreements.append(Disagreement(name, run.key, m, n, first_divergence(m, n)))
    _skip(out, name, unknown)


_ONE_COPY = ("a header's pr_*_once(), WARN_ONCE() or ratelimit keeps a static per translation unit, as does a "
             "header's static object or lock (C11 6.2.2p3), and the run reached one from two units; this build holds "
             "one copy of each header function and object")
_INLINED = ("an __always_inline helper's WARN_ON_ONCE() keeps a flag per place gcc inlines it (x86's __WARN_FLAGS()), "
            "and the run warned from two; this build keeps one C static per site")
_ONE_KEY = ("a header's mutex_init() or spin_lock_init() keeps its lock_class_key in a static per translation unit, "
            "so locks set up there from two units are two lockdep classes (kernel/locking/lockdep.c), and the run "
            "set up locks there from two units; this build holds one copy of each header function, so one class")


def _mirror_stopped(v: Variant, entry: str, mo: Outcome) -> str:
    """Why the mirror did not run ``entry``: a call to a function the variant's lines do not define is said as eval
    says it (harness.coverage.missing_reason: "...: none of the files read has it ...; give --tree"), else the error."""
    first = (mo.error or "").splitlines()[0] if mo.error else ""
    return f"{entry}: the mirror did not run it: {_unknown_said(v, first)}{mail_gap((v,), first)}"


def _left_out(v: Variant, entry: str, why: str) -> str:
    """Why the native build left ``entry`` out (models.native.codegen), its own wrapper's link in the chain
    ("busy: needs busy(), which ...") dropped, and a call of a function nothing defines said as eval says it."""
    return _unknown_said(v, why.removeprefix(f"needs {entry}(), which the native build leaves out: "))


def _unknown_said(v: Variant, why: str) -> str:
    """``why`` with the mirror's "call to unknown function f(): ..." (to its line's end) said as eval says it
    (harness.coverage.missing_reason: "v1:02 does not define f(): none of the files read has it ...; give --tree")."""
    m = UNKNOWN_FUNCTION.search(why)
    if m is None:
        return why
    end = why.find("\n", m.end())
    return why[:m.start()] + missing_reason(v, m.group(1)) + (why[end:] if end >= 0 else "")  # the call's place kept

"""crosscheck_result: the same helper code compiled natively, every outcome compared with the mirror's."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.explain import show_ret, signature
from harness.runner import MatrixResult, scenario_pr_fmt, variant_sources
from harness.variants import Variant
from models.errors import MirrorError
from models.loader import EntryPoint, entry_files
from models.mirror import Mirror, Outcome, OutcomeStatus, load_mirror
from models.native.codegen import NativeSource, generate
from models.native.run import NativeError, NativeRun, build, run_native
from models.outcome import ErrorKind

PROBE_TIMEOUT = 5.0


@dataclass(frozen=True)
class Disagreement:
    variant: str
    scenario: str
    mirror: Outcome
    native: Outcome
    divergence: str


@dataclass
class CrossResult:
    """Per variant: runs compared and agreeing, disagreements, and what could not be compared."""

    compared: dict[str, int] = field(default_factory=dict)
    agreed: dict[str, int] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)
    not_compared: dict[str, list[str]] = field(default_factory=dict)  # why, with how many scenarios
    not_compared_runs: dict[str, int] = field(default_factory=dict)  # scenarios provided but not compared
    native_seconds: float = 0.0
    native_runs: int = 0
    probe_runs: int = 0  # of native_runs: probes of a scenario the mirror stopped on (one per distinct code)
    probes: dict[str, tuple[str, str]] = field(default_factory=dict)
    compiler: str = "gcc"  # the name of the compiler that built the native side (--cc)

    @property
    def exit_status(self) -> int:
        """1 when an outcome disagrees or nothing at all was compared (agreement is never claimed of nothing)."""
        return 1 if self.disagreements or not sum(self.compared.values()) else 0


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
    for i, (e, f) in enumerate(zip(m.events, n.events, strict=False)):
        if (e.kind, e.detail) != (f.kind, f.detail):
            return f"event {i + 1}: mirror {e.kind}: {e.detail}, native {f.kind}: {f.detail}"
    if (len(m.events), m.unrecorded_events) != (len(n.events), n.unrecorded_events):
        return f"events: mirror {len(m.events) + m.unrecorded_events}, native {len(n.events) + n.unrecorded_events}"
    if (m.ret, m.errno) != (n.ret, n.errno):
        return f"return: mirror {show_ret(m)} ({m.errno}), native {show_ret(n)} ({n.errno})"
    if m.regs_out != n.regs_out:
        return f"registers: mirror {m.regs_out}, native {n.regs_out}"
    return f"state left behind: mirror {dict(m.state)}, native {dict(n.state)}"


def crosscheck_result(result: MatrixResult, cc: str, timeout: float = 30.0,
                      progress: Callable[[int, int], None] | None = None) -> CrossResult:
    """Compare the mirror outcomes of a matrix run with the same code compiled by ``cc``.

    ``progress(done, total)`` is called after each variant (variants, not runs: a build dominates).
    """
    matrix = result.matrix
    entries = tuple(EntryPoint(e.name, e.args) for e in matrix.entries)
    out = CrossResult(compiler=Path(cc).name)
    natives: dict[tuple[object, ...], dict[str, Outcome]] = {}
    built: dict[tuple[object, ...], NativeSource] = {}
    for done, v in enumerate(result.variants, start=1):
        if progress is not None:
            progress(done - 1, len(result.variants))
        sources = variant_sources(v)
        skipped = out.not_compared.setdefault(v.name, [])
        try:
            mirror = load_mirror(sources, entries)
        except MirrorError as exc:
            provided = sum(1 for s in matrix.scenarios
                           if result.outcome(v.name, s.id).status is not OutcomeStatus.NOT_PROVIDED)
            skipped.append(f"the mirror does not load this variant: {exc} ({provided} scenarios)")
            out.not_compared_runs[v.name] = provided
            continue
        if sources not in natives:
            with tempfile.TemporaryDirectory(prefix="seamharness-native-") as tmp:
                started = time.perf_counter()
                source, lib = build_isolating(mirror, cc, Path(tmp))
                built[sources] = source
                runs, probe, why_not = _plan(v, mirror, source, result)
                if isinstance(lib, NativeError):
                    # gcc refuses what the mirror wrote of this variant: nothing of it is compared, the rest is.
                    _skip(out, v.name, why_not, {f"{lib.message.removesuffix('.')}": len(runs)})
                    out.compared[v.name] = out.agreed[v.name] = 0
                    continue
                got = run_native(lib, runs, timeout)
                if probe is not None:
                    got.update(run_native(lib, [probe], PROBE_TIMEOUT))
                out.native_seconds += time.perf_counter() - started
                out.native_runs += len(runs) + (probe is not None)
                out.probe_runs += probe is not None
            natives[sources] = got
        source = built[sources]
        runs, probe, why_not = _plan(v, mirror, source, result)
        _skip(out, v.name, why_not)
        if probe is not None and probe.key in natives[sources]:
            n = natives[sources][probe.key]
            out.probes[v.name] = (result.outcome(v.name, probe.key).error or "", n.error or n.status)
        _compare(v.name, runs, natives[sources], result, out, source.state_names)
    return out


def _skip(out: CrossResult, name: str, *why_not: dict[str, int]) -> None:
    """Count the scenarios provided but not compared, with why and how many."""
    for reasons in why_not:
        out.not_compared[name].extend(f"{why} ({n} scenario{'s' if n != 1 else ''})" for why, n in reasons.items())
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


def _plan(v: Variant, mirror: Mirror, source: NativeSource, result: MatrixResult
          ) -> tuple[list[NativeRun], NativeRun | None, dict[str, int]]:
    """The native runs of a variant, one to probe a scenario the mirror stopped on, and the scenarios
    provided but not compared, by why: every provided scenario is compared or counted there."""
    why_not: dict[str, int] = {}
    runs: list[NativeRun] = []
    probe = None
    sources = variant_sources(v)
    reach = entry_files(sources, tuple(EntryPoint(e.name, e.args) for e in result.matrix.entries))
    for s in result.matrix.scenarios:
        mo = result.outcome(v.name, s.id)
        if mo.status is OutcomeStatus.NOT_PROVIDED:
            continue
        if s.entry.name not in source.entries:
            why = source.skipped.get(mirror.program.entries.get(s.entry.name, "")) or "the native build leaves it out"
            reason = f"{s.entry.name}: {why}"
            why_not[reason] = why_not.get(reason, 0) + 1
            continue
        # The native records carry each pr_*() call's site, as the mirror's; the table is the mirror's own.
        fmt = scenario_pr_fmt(v, sources, s.entry.name, s.unit.path, reach.get(s.entry.name))
        run = NativeRun(s.id, mirror.program.entries[s.entry.name], s.leaf, s.script.answers, fmt,
                        source.entries[s.entry.name])
        if mo.status is OutcomeStatus.ERROR:
            probe = probe or run  # the mirror stopped; one native run shows the child is bounded too
            reason = f"{s.entry.name}: the mirror did not run it: {(mo.error or '').splitlines()[0]}"
            why_not[reason] = why_not.get(reason, 0) + 1
            continue
        runs.append(run)
    return runs, probe, why_not


def _compare(name: str, runs: list[NativeRun], native: dict[str, Outcome], result: MatrixResult,
             out: CrossResult, state_names: frozenset[str] = frozenset()) -> None:
    out.compared[name] = out.agreed[name] = 0
    unknown: dict[str, int] = {}
    for run in runs:
        m, n = result.outcome(name, run.key), native.get(run.key)
        if n is not None and n.error_kind is ErrorKind.UNSUPPORTED:  # what the native run printed is not known
            why = f"the native run's log cannot be read: {n.error}"
            unknown[why] = unknown.get(why, 0) + 1
            continue
        out.compared[name] += 1
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

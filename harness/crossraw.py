"""raw_outcomes: a variant's scenarios run natively from its own text, which gcc preprocesses and parses."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pycparser import c_ast

from harness.crossview import HUNKS_ONLY
from harness.kbuilddefs import COMMAND_LINE, build_defines
from harness.prfmt import kbuild_modname
from harness.runner import MatrixResult, variant_sources
from harness.rununits import run_unit
from harness.unitmoves import unit_at
from harness.variants import Variant
from models.ctype import VOID, CType, Int
from models.errors import MirrorError
from models.loader import FEED_EXPRESSIONS, EntryPoint, Source, definitions, entry_files, sliced
from models.lockpaths import lock_paths
from models.mirror import Mirror, Outcome, OutcomeStatus
from models.native.argslayout import ARGS_REGS, args_layout
from models.native.codegen import (
    _percpu_types,
    c_string,
    entry_type,
    undeclared_locks,
)
from models.native.declared import declared_only, incomplete_objects
from models.native.rawtu import RawEntry, RawUnit, build_unit
from models.native.run import FormatCount, NativeRun, run_native
from models.outcome import ErrorKind
from models.outparams import OUT_FEED
from models.percpuwatch import leaf_files
from models.prelude import PR_FMT
from models.slicer import Kind
from models.statickeys import count_path

ORIGINAL = "original"  # the variant's own text, gcc -E (the default of crosscheck)
MIRROR = "mirror"  # C generated from the mirror's expanded AST (models/native/codegen.py)
SOURCES = (ORIGINAL, MIRROR)
PROBE_TIMEOUT = 5.0  # seconds for the native run of a scenario the mirror stopped on (harness.crosscheck's)


@dataclass
class RawRuns:
    """The native outcomes of a variant's scenarios built from its own text, by scenario id; per entry point
    whose scenarios it could not build, why (they are compared from the mirror's expansion instead)."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # "entry (unit)" -> why
    state_names: frozenset[str] = frozenset()  # the file-scope integers the built units report
    probe: tuple[str, Outcome] | None = None  # a scenario the mirror stopped on, run natively: bounded too
    seconds: float = 0.0
    builds: int = 0
    formats: dict[str, FormatCount] = field(default_factory=dict)  # who formatted each run's log records


def _text(src: Source) -> str:
    return "".join(line + "\n" for _, lines in src.pieces for line in lines)


def _whole(sources: tuple[Source, ...], entry: str, reach: dict[str, frozenset[str]]) -> str | None:
    """Why ``entry``'s code cannot be compiled from the files as gcc reads them (one is known only from hunks)."""
    complete = {s.path for s in sources if s.complete}
    partial = sorted(reach.get(entry, frozenset()) - complete)
    if partial:
        return f"{partial[0]} {HUNKS_ONLY} (give --tree)"
    return None


def _pr_fmt_line(v: Variant, unit: str) -> tuple[str | None, str | None]:
    """A unit the variant does not hold whole: its ``#define pr_fmt`` as the known part of the file writes it,
    else mainline's prefix (models.prelude.PR_FMT), else none (printk.h's default); (line, why not)."""
    f = v.file(unit)
    if f is not None and f.absent:
        return None, None  # the tree lacks it in this state: nothing is assumed, as the mirror does (prfmt)
    found = sorted({d.text for frag in (f.fragments() if f is not None else ())
                    for d in sliced(unit, frag.start, tuple(frag.lines))
                    if d.kind is Kind.MACRO and d.name == "pr_fmt"})
    if len(found) > 1:
        return None, f"{unit} defines pr_fmt {len(found)} ways in what is known of it: which one applies is not known"
    if found:
        return found[0], None
    prefix = PR_FMT.get(unit)
    return (f"#define pr_fmt(fmt) {c_string(prefix)} fmt" if prefix else None), None


def _state_vars(mirror: Mirror, percpu: set[str]) -> tuple[tuple[str, str], ...]:
    """(name, file) of each file-scope integer variable of the mirror's program, 128-bit ones too (sh_state()
    reports them, whole)."""
    out = []
    for ext in mirror.program.ast.ext:
        if not isinstance(ext, c_ast.Decl) or not ext.name or isinstance(ext.type, c_ast.FuncDecl) \
                or "extern" in ext.storage:
            continue  # a per-CPU variable the code declares is its object, compared as any other
        var = mirror.compiler.global_var(ext.name)
        if var is not None and isinstance(var.ctype, Int) and mirror.program.c_name(ext.name) == ext.name:
            out.append((ext.name, str(getattr(ext.coord, "file", ""))))
    return tuple(dict.fromkeys(out))


def _lock_vars(mirror: Mirror) -> tuple[tuple[str, str], ...]:
    """(C path, file) of each lock a file-scope object of the mirror's program is or holds (sh_state() registers
    them: models.lockpaths.lock_paths())."""
    out: list[tuple[str, str]] = []
    for ext in mirror.program.ast.ext:
        if not isinstance(ext, c_ast.Decl) or not ext.name or isinstance(ext.type, c_ast.FuncDecl) \
                or "extern" in ext.storage:
            continue
        var = mirror.compiler.global_var(ext.name)
        if var is not None and mirror.program.c_name(ext.name) == ext.name:
            out.extend((path, str(getattr(ext.coord, "file", ""))) for path, _ in lock_paths(ext.name, var.ctype))
    return tuple(dict.fromkeys(out))


def _key_vars(mirror: Mirror) -> tuple[tuple[str, str, str], ...]:
    """(C name, its count's C path, file) of each file-scope static key of the mirror's program (models.statickeys:
    sh_state() hands the count to sh_static_key(), which sets it where the script turns the key on or off)."""
    out = []
    for ext in mirror.program.ast.ext:
        if isinstance(ext, c_ast.Decl) and ext.name and "extern" not in ext.storage \
                and (var := mirror.compiler.global_var(ext.name)) is not None \
                and mirror.program.c_name(ext.name) == ext.name \
                and (count := count_path(ext.name, getattr(var.ctype, "tag", None))) is not None:
            out.append((ext.name, count, str(getattr(ext.coord, "file", ""))))
    return tuple(dict.fromkeys(out))


def plan_units(v: Variant, mirror: Mirror, result: MatrixResult) -> tuple[dict[str, RawUnit], dict[str, str]]:
    """The translation units of a variant's text, by run unit (harness.rununits.run_unit), each with the entry
    points of its scenarios; per "entry (unit)" that cannot be one, why."""
    sources = variant_sources(v)
    entries = tuple(EntryPoint(e.name, e.args) for e in result.matrix.entries)
    reach = entry_files(sources, entries)
    table = definitions(sources)
    files = tuple((s.path, _text(s)) for s in sources if s.complete and s.path != COMMAND_LINE)
    complete = {p for p, _ in files}
    funcs = [n for n in mirror.program.ast.ext if isinstance(n, c_ast.FuncDef)]
    percpu = _percpu_types(mirror, funcs)[1]
    undeclared = tuple(sorted(n for n in percpu if mirror.compiler.global_var(n) is None))
    state = _state_vars(mirror, percpu)
    locks, keys = _lock_vars(mirror), _key_vars(mirror)
    no_locks = tuple(undeclared_locks(mirror, funcs))
    layout = args_layout(mirror)  # the registers the code's struct passes, or why they are not known
    wanted: dict[str, dict[str, RawEntry]] = {}
    refused: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    for s in result.matrix.scenarios:
        name = s.entry.name
        if (name, s.unit.path) in seen or name not in mirror.program.entries \
                or result.outcome(v.name, s.id).status is OutcomeStatus.NOT_PROVIDED:
            continue
        seen.add((name, s.unit.path))
        unit = run_unit(sources, name, unit_at(v.moved, s.unit.path))
        why = _whole(sources, name, reach) or (layout if isinstance(layout, str) else None)
        ret = _returned(mirror, name)
        if why is not None or isinstance(ret, str):
            refused.setdefault(f"{name} ({unit.rpartition('/')[2]})", why or str(ret))
            continue
        if any(a.startswith(OUT_FEED) for a in s.entry.args):
            # the native unit's wrapper has no object for it (models.outparams): not compared, said so
            refused.setdefault(f"{name} ({unit.rpartition('/')[2]})", "an out-parameter the native build is not "
                               "handed an object for")
            continue
        call = tuple(FEED_EXPRESSIONS[a] for a in s.entry.args)
        wanted.setdefault(unit, {})[name] = RawEntry(name, call, ret)
    units: dict[str, RawUnit] = {}
    for unit, found in wanted.items():
        main = unit if unit in complete and unit.endswith(".c") else None
        line, why = (None, None) if main else _pr_fmt_line(v, unit)
        home = table[next(iter(found))][0].path
        if why is not None:
            refused.update({f"{n} ({unit.rpartition('/')[2]})": why for n in found})
            continue
        units[unit] = RawUnit(files, tuple(found.values()), main, None if main else home, line,
                              kbuild_modname(v, unit), undeclared, state, locks, no_locks,
                              layout if isinstance(layout, tuple) else ARGS_REGS, declared_only(mirror),
                              incomplete_objects(mirror), keys, build_defines(v).defines, leaf_files(mirror.compiler))
    return units, refused


def _returned(mirror: Mirror, name: str) -> CType | str:
    """The type an entry point returns, or why the native cross-check cannot compare it."""
    try:
        ret = entry_type(mirror, mirror.program.entries[name])
    except (MirrorError, KeyError, AttributeError, IndexError) as exc:
        return f"the mirror has no typed call of it: {exc}"
    if not isinstance(ret, Int) and ret != VOID:  # a pointer's value is an address: as codegen says
        return f"{name} returns {ret}, which the native cross-check does not compare"
    return ret


def raw_outcomes(v: Variant, mirror: Mirror, result: MatrixResult, cc: str, native_o: Path, timeout: float,
                 count: FormatCount) -> RawRuns:
    """Build each unit of the variant's text with ``cc`` (models.native.rawtu) and run its scenarios; what gcc
    does not build is said per entry point, with gcc's error."""
    units, refused = plan_units(v, mirror, result)
    out = RawRuns(refused=refused)
    started = time.perf_counter()
    for unit_path, unit in units.items():
        short = unit_path.rpartition("/")[2]
        with tempfile.TemporaryDirectory(prefix="seamharness-raw-") as tmp:
            build = build_unit(unit, cc, Path(tmp), native_o)
            out.builds += 1
            out.refused.update({f"{n} ({short})": why for n, why in build.left_out.items()})
            if build.lib is None:
                out.refused.update({f"{e.name} ({short})": f"gcc: {build.error}" for e in unit.entries
                                    if e.name not in build.left_out})
                continue
            built = {e.name: e for e in unit.entries if e.name not in build.left_out}
            out.state_names |= frozenset(build.state)
            runs = list(_runs(v, result, built, unit_path, unit.layout))
            out.outcomes.update(run_native(build.lib, runs, timeout, count, out.formats))
            probe = None if out.probe else next(_runs(v, result, built, unit_path, unit.layout, compared=False), None)
            if probe is not None:
                out.probe = (probe.key, run_native(build.lib, [probe], PROBE_TIMEOUT)[probe.key])
    out.seconds = time.perf_counter() - started
    return out


def comparable(o: Outcome) -> bool:
    """Whether a mirror outcome is compared with a native run: one that ran to its end, or to a deadlock (the task
    takes a lock it holds; the native harness ends its run there alike, sh_native.c deadlock()). Any other error
    stopped the mirror where the native run goes on: that scenario is run natively once, as a probe."""
    return o.status is OutcomeStatus.OK or o.error_kind is ErrorKind.DEADLOCK


def _runs(v: Variant, result: MatrixResult, built: dict[str, RawEntry], unit: str, layout: tuple[str, ...],
          compared: bool = True) -> Iterator[NativeRun]:
    """A native run for each scenario of these entries in this unit whose mirror outcome is ``comparable()``
    (``compared``) or an error that is not; ``layout``: the members of the unit's struct tdx_module_args."""
    sources = variant_sources(v)
    units: dict[tuple[str, str], str] = {}
    for s in result.matrix.scenarios:
        e = built.get(s.entry.name)
        mo = result.outcome(v.name, s.id)
        if e is None or mo.status is OutcomeStatus.NOT_PROVIDED or comparable(mo) is not compared:
            continue
        key = (s.entry.name, s.unit.path)
        if key not in units:
            units[key] = run_unit(sources, key[0], unit_at(v.moved, key[1]))
        if units[key] != unit:
            continue
        yield NativeRun(s.id, e.wrapper, s.leaf, s.script.answers, "", e.ret_type, s.script.cpu, layout,
                        s.script.inputs, s.script.context, s.script.features, e.name)

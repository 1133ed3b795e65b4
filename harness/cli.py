"""The seamharness command line: build a request, call the library, render; errors exit 2 here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import IntEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from harness import __version__
from harness.atomic import atomic_write_text
from harness.budgets import TIME_BUDGET
from harness.errors import SeamError
from harness.lore import DEFAULT_LORE
from models.errors import MirrorError
from reports.safe import clean

app = typer.Typer(
    name="seamharness",
    help="Review and regression harness for the kernel's SEAMCALL helper patches.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output is read by people in pagers and CI logs: do not crop it to 80 columns.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

Paths = Annotated[list[str], typer.Argument(help="mbox/.eml files, directories, Message-IDs or lore URLs")]
Lore = Annotated[str, typer.Option("--lore", help="lore server for Message-IDs")]
Offline = Annotated[bool, typer.Option("--offline", help="never touch the network; use fetched threads only")]
Cache = Annotated[Path | None, typer.Option("--cache-dir", help="where fetched threads are kept")]
NoCache = Annotated[bool, typer.Option("--no-cache", help="run every scenario, ignoring the outcome cache")]


class ExitStatus(IntEnum):
    """Every exit status of seamharness, decided here only."""

    OK = 0
    FAILED = 1  # gate: an error rule fails; crosscheck: mirror and native disagree
    BAD_INPUT = 2  # one line on stderr: an input refused (others may have been read), a bad option
    INTERRUPTED = 130


def handled(func: F) -> F:
    """Turn library errors into one line on stderr and exit status 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (SeamError, MirrorError) as exc:
            err.print(f"seamharness: {clean(str(exc))}", markup=False)
            raise typer.Exit(ExitStatus.BAD_INPUT) from None
        except KeyboardInterrupt:
            err.print("seamharness: interrupted", markup=False)
            raise typer.Exit(ExitStatus.INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def _progress(msg: str) -> None:
    err.print(msg, markup=False, style="dim")


def _finish(series: Any, status: ExitStatus = ExitStatus.OK) -> None:
    """Report skipped inputs and exit: a skipped input makes the exit status 2 whatever else happened."""
    for s in series.skipped:
        err.print(clean(f"seamharness: {s.where}: {s.reason} (skipped)"), markup=False)
    raise typer.Exit(ExitStatus.BAD_INPUT if series.skipped else status)


def _write(path: Path | None, render: Callable[[], str]) -> None:
    if path is not None:
        atomic_write_text(path, render())


def _series_request(paths: list[str], lore: str, offline: bool, cache_dir: Path | None, **more: Any) -> Any:
    from harness.pipeline import SeriesRequest

    return SeriesRequest(tuple(paths), lore=lore, offline=offline, thread_cache=cache_dir, **more)


@app.command()
@handled
def series(paths: Paths, json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
           lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None) -> None:
    """List revisions, patches, replies, proposals and the variants that can be built."""
    from harness.pipeline import read_inputs
    from harness.variants import variant_names
    from reports.series_view import series_to_dict, series_tree

    s = read_inputs(_series_request(paths, lore, offline, cache_dir), _progress, need_patches=False)
    names = variant_names(s)
    if json_out:
        sys.stdout.write(json.dumps(series_to_dict(s, names), indent=2) + "\n")
    else:
        out.print(series_tree(s, names))
    _finish(s)


@app.command()
@handled
def fetch(msgid: Annotated[str, typer.Argument(help="Message-ID or lore URL of any message in the thread")],
          out_file: Annotated[Path | None, typer.Option("--out", help="copy the mbox.gz here")] = None,
          lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None) -> None:
    """Download a thread from lore into the cache (or --out)."""
    from harness.lore import FetchRequest, as_msgid, fetch_thread

    mid = as_msgid(msgid)
    if mid is None:
        raise SeamError(None, f"not a Message-ID: {msgid!r}")
    path = fetch_thread(FetchRequest(mid, lore, cache_dir, offline, out_file), _progress)
    out.print(str(path), markup=False)


Tree = Annotated[Path | None, typer.Option("--tree", help="kernel git tree to read base files from")]
Base = Annotated[str | None, typer.Option("--base", help="base commit in --tree (default: base-commit: or HEAD)")]
ManifestOpt = Annotated[Path | None, typer.Option("--manifest", help="series manifest (default: bundled match)")]


@app.command()
@handled
def apply(paths: Paths,
          variant: Annotated[str, typer.Option("--variant", help="variant name, e.g. v3:06")],
          out_dir: Annotated[Path, typer.Option("--out", help="directory to write the files into")],
          tree: Tree = None, base: Base = None, manifest: ManifestOpt = None,
          lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None) -> None:
    """Write one variant's files (full, or marked fragments) and provenance.json."""
    from harness.export import write_variant
    from harness.pipeline import build_variants, read_inputs

    req = _series_request(paths, lore, offline, cache_dir, tree=tree, base=base, manifest=manifest)
    s = read_inputs(req, _progress)
    v = build_variants(req, s, (variant,)).get(variant)
    for path in write_variant(v, out_dir):
        out.print(clean(str(path)), markup=False)
    for f in v.findings:
        err.print(clean(f"seamharness: {f}"), markup=False)
    _finish(s)


Variants = Annotated[list[str] | None, typer.Option("--variant", help="variant to evaluate (repeatable)")]
MatrixOpt = Annotated[Path | None, typer.Option("--matrix", help="scenario matrix TOML (default: the series')")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="review rules TOML (default: the series')")]
Jobs = Annotated[int, typer.Option("--jobs", min=0, help="worker processes (0: one per core)")]
TimeBudget = Annotated[float, typer.Option(
    "--time-budget", min=0, help="wall-clock seconds each piece of code may run over an entry point's scenarios; "
    "scenarios past it are reported as cut short (limit 'time'); 0: no limit")]


def _progress_bar() -> tuple[Any, Callable[[int, int], None] | None]:
    """A rich progress bar on a terminal, nothing when stderr is piped."""
    if not err.is_terminal:
        return None, None
    from rich.progress import Progress

    bar = Progress(console=err, transient=True)
    task = bar.add_task("running scenarios", total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


def _with_progress(run: Callable[[Callable[[int, int], None] | None], Any]) -> Any:
    bar, progress = _progress_bar()
    if bar is None:
        return run(None)
    with bar:
        return run(progress)


def _outcomes(no_cache: bool) -> Path | None:
    from harness.outcome_cache import default_cache_dir

    return None if no_cache else default_cache_dir()


@app.command(name="eval")
@handled
def eval_cmd(paths: Paths, variant: Variants = None,
             against: Annotated[str | None, typer.Option("--against", help="compare every variant with this one")]
             = None, matrix: MatrixOpt = None, tree: Tree = None, base: Base = None, manifest: ManifestOpt = None,
             html: Annotated[Path | None, typer.Option("--html", help="write the HTML report here")] = None,
             json_file: Annotated[Path | None, typer.Option("--json", help="write the JSON report here")] = None,
             rules: RulesOpt = None, crosscheck: Annotated[bool, typer.Option("--crosscheck",
                                                                               help="also run the C natively")]
             = False, cc: Annotated[str | None, typer.Option("--cc", help="C compiler for --crosscheck")] = None,
             jobs: Jobs = 0, time_budget: TimeBudget = TIME_BUDGET, lore: Lore = DEFAULT_LORE,
             offline: Offline = False, cache_dir: Cache = None, no_cache: NoCache = False) -> None:
    """Run every variant through the behaviour matrix and report what each patch and proposal changes."""
    from harness.pipeline import EvalRequest, evaluate
    from harness.report import report_model
    from reports.formats import EVAL_FORMATS
    from reports.terminal import eval_summary

    req = EvalRequest(tuple(paths), lore=lore, offline=offline, thread_cache=cache_dir, tree=tree, base=base,
                      manifest=manifest, matrix=matrix, rules=rules, jobs=jobs, cache=_outcomes(no_cache),
                      variants=tuple(variant or ()), against=against, crosscheck=crosscheck, cc=cc,
                      time_budget=time_budget)
    ev = _with_progress(lambda progress: evaluate(req, progress, _progress))
    rep = report_model(ev)
    _write(json_file, lambda: EVAL_FORMATS["json"](rep))
    _write(html, lambda: EVAL_FORMATS["html"](rep))
    out.print(eval_summary(rep))
    _finish(ev.series)


@app.command()
@handled
def gate(paths: Paths, variant: Annotated[str, typer.Option("--variant", help="the variant to judge, e.g. v3")],
         rules: RulesOpt = None,
         junit: Annotated[Path | None, typer.Option("--junit", help="write JUnit XML here")] = None,
         json_file: Annotated[Path | None, typer.Option("--json", help="write patchwork/b4 JSON here")] = None,
         matrix: MatrixOpt = None, tree: Tree = None, base: Base = None, manifest: ManifestOpt = None,
         jobs: Jobs = 0, time_budget: TimeBudget = TIME_BUDGET, lore: Lore = DEFAULT_LORE, offline: Offline = False,
         cache_dir: Cache = None, no_cache: NoCache = False) -> None:
    """Judge a variant against every review rule: exit 0 if no error rule fails, 1 if one does."""
    from harness.gate import GateRequest, evaluate_gate
    from reports.formats import GATE_FORMATS
    from reports.gate_report import gate_summary

    req = GateRequest(tuple(paths), variant, lore=lore, offline=offline, thread_cache=cache_dir, tree=tree,
                      base=base, manifest=manifest, matrix=matrix, rules=rules, jobs=jobs, cache=_outcomes(no_cache),
                      time_budget=time_budget)
    g = _with_progress(lambda progress: evaluate_gate(req, progress, _progress))
    _write(junit, lambda: GATE_FORMATS["junit"](g))
    _write(json_file, lambda: GATE_FORMATS["json"](g))
    out.print(gate_summary(g))
    _finish(g.series, ExitStatus.FAILED if g.exit_status else ExitStatus.OK)


@app.command()
@handled
def crosscheck(paths: Paths, variant: Variants = None,
               cc: Annotated[str | None, typer.Option("--cc", help="C compiler (default: cc, gcc or clang)")] = None,
               matrix: MatrixOpt = None, tree: Tree = None, base: Base = None, manifest: ManifestOpt = None,
               timeout: Annotated[float, typer.Option("--timeout", min=1, help="seconds per native child")] = 30.0,
               jobs: Jobs = 0, time_budget: TimeBudget = TIME_BUDGET, lore: Lore = DEFAULT_LORE,
               offline: Offline = False, cache_dir: Cache = None, no_cache: NoCache = False) -> None:
    """Compile each variant's helpers natively and check every outcome against the mirror."""
    from harness.pipeline import CrossRequest, cross_check
    from reports.terminal import crosscheck_summary

    req = CrossRequest(tuple(paths), lore=lore, offline=offline, thread_cache=cache_dir, tree=tree, base=base,
                       manifest=manifest, matrix=matrix, jobs=jobs, cache=_outcomes(no_cache),
                       variants=tuple(variant or ()), cc=cc, timeout=timeout, time_budget=time_budget)
    found = _with_progress(lambda progress: cross_check(req, progress, _progress))
    out.print(crosscheck_summary(found.result))
    _finish(found.series, ExitStatus.FAILED if found.result.disagreements else ExitStatus.OK)


@app.command()
@handled
def printk(fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="a printk format, e.g. '%#016llx'")],
           args: Annotated[list[str] | None, typer.Argument(help="integers (0x.. too) or strings")] = None) -> None:
    """Print what the kernel's vsprintf() makes of FORMAT and ARGs (x86-64)."""
    from models.printk import PrintkError, format_printk

    values: list[int | str] = []
    for a in args or []:
        try:
            values.append(int(a, 0))
        except ValueError:
            values.append(a)
    try:
        text = format_printk(fmt.encode().decode("unicode_escape"), *values)
    except PrintkError as exc:
        raise SeamError(None, f"printk: {exc}") from exc
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
@handled
def prelude() -> None:
    """Print the kernel prelude the mirror adds (types, compiler words, bit macros, errno, SEAM constants)."""
    from models.prelude import prelude_text

    for n, line in enumerate(prelude_text().splitlines(), start=1):
        out.print(f"{n:4d}  {line}", markup=False)


@app.command()
@handled
def cache(prune: Annotated[bool, typer.Option("--prune", help="remove entries an older mirror wrote")] = False,
          clear: Annotated[bool, typer.Option("--clear", help="remove every entry")] = False) -> None:
    """Show the outcome cache (where, how big, how much is stale); prune or clear it."""
    from harness.outcome_cache import OutcomeCache, default_cache_dir

    store = OutcomeCache(default_cache_dir())
    if prune or clear:
        out.print(f"removed {store.prune(everything=clear)} entries", markup=False)
    u = store.usage()
    out.print(f"{u.folder}: {u.entries} entries, {u.size / 1e6:.1f} MB, {u.stale} stale", markup=False)


@app.command()
@handled
def version() -> None:
    """Print the version."""
    out.print(f"seamharness {__version__}")


def main(argv: list[str] | None = None) -> int:
    """Console entry point: usage errors become one line on stderr and exit status 2, like input errors."""
    from typer.main import get_command

    try:
        code = get_command(app).main(args=argv, prog_name="seamharness", standalone_mode=False)
    except typer.TyperException as exc:
        message = exc.format_message()
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.stdout.write(message + "\n")
            return ExitStatus.OK
        err.print(f"seamharness: {' '.join(message.split())}", markup=False)
        return ExitStatus.BAD_INPUT
    except typer.Abort:
        err.print("seamharness: interrupted", markup=False)
        return ExitStatus.INTERRUPTED
    return code if isinstance(code, int) else ExitStatus.OK


def run() -> None:
    """The ``seamharness`` console script."""
    sys.exit(main())


__all__ = ["app", "main", "run"]

"""The seamharness command line: build a request, call the library, render; errors exit 2 here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from harness import __version__
from harness.atomic import atomic_write_text
from harness.errors import InputError, SeamError
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


def handled(func: F) -> F:
    """Turn library errors into one line on stderr and exit status 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (SeamError, MirrorError) as exc:
            err.print(f"seamharness: {clean(str(exc))}", markup=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("seamharness: interrupted", markup=False)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _progress(msg: str) -> None:
    err.print(msg, markup=False, style="dim")


def _load(paths: list[str], lore: str, offline: bool, cache: Path | None) -> Any:
    from harness.ingest import IngestRequest, parse_series
    from harness.inputs import InputSpec, resolve_inputs

    local = resolve_inputs(InputSpec(tuple(paths), lore, offline, cache), _progress)
    return parse_series(IngestRequest(local))


def _usable(series: Any) -> Any:
    """A series with patches; when every input was refused, the first refusal is the error."""
    if not series.revisions and series.skipped:
        first = series.skipped[0]
        more = f" ({len(series.skipped) - 1} more inputs skipped)" if len(series.skipped) > 1 else ""
        raise InputError(first.where, first.reason + more)
    return series


def _report_skipped(series: Any) -> int:
    for s in series.skipped:
        err.print(clean(f"seamharness: {s.where}: {s.reason} (skipped)"), markup=False)
    return 2 if series.skipped else 0


@app.command()
@handled
def series(paths: Paths, json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
           lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None) -> None:
    """List revisions, patches, replies, proposals and the variants that can be built."""
    from harness.variants import variant_names
    from reports.series_view import series_to_dict, series_tree

    s = _load(paths, lore, offline, cache_dir)
    names = variant_names(s)
    if json_out:
        sys.stdout.write(json.dumps(series_to_dict(s, names), indent=2) + "\n")
    else:
        out.print(series_tree(s, names))
    raise typer.Exit(_report_skipped(s))


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
    from harness.apply import ApplyRequest, apply_variants
    from harness.export import write_variant

    s = _usable(_load(paths, lore, offline, cache_dir))
    v = apply_variants(ApplyRequest(s, tree, base, manifest, (variant,))).get(variant)
    for path in write_variant(v, out_dir):
        out.print(clean(str(path)), markup=False)
    for f in v.findings:
        err.print(clean(f"seamharness: {f}"), markup=False)
    raise typer.Exit(2 if _report_skipped(s) else 0)


Variants = Annotated[list[str] | None, typer.Option("--variant", help="variant to evaluate (repeatable)")]
MatrixOpt = Annotated[Path | None, typer.Option("--matrix", help="scenario matrix TOML (default: the series')")]
Jobs = Annotated[int, typer.Option("--jobs", min=0, help="worker processes (0: one per core)")]


def _progress_bar() -> tuple[Any, Callable[[int, int], None] | None]:
    """A rich progress bar on a terminal, nothing when stderr is piped."""
    if not err.is_terminal:
        return None, None
    from rich.progress import Progress

    bar = Progress(console=err, transient=True)
    task = bar.add_task("running scenarios", total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


def _evaluate(req: Any) -> Any:
    from harness.pipeline import evaluate

    bar, progress = _progress_bar()
    if bar is None:
        return evaluate(req)
    with bar:
        return evaluate(req, progress)


@app.command(name="eval")
@handled
def eval_cmd(paths: Paths, variant: Variants = None,
             against: Annotated[str | None, typer.Option("--against", help="compare every variant with this one")]
             = None, matrix: MatrixOpt = None, tree: Tree = None, base: Base = None, manifest: ManifestOpt = None,
             html: Annotated[Path | None, typer.Option("--html", help="write the HTML report here")] = None,
             json_file: Annotated[Path | None, typer.Option("--json", help="write the JSON report here")] = None,
             rules: Annotated[Path | None, typer.Option("--rules", help="review rules (default: the series')")]
             = None, crosscheck: Annotated[bool, typer.Option("--crosscheck", help="also run the C natively")]
             = False, cc: Annotated[str | None, typer.Option("--cc", help="C compiler for --crosscheck")] = None,
             jobs: Jobs = 0, lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None,
             no_cache: NoCache = False) -> None:
    """Run every variant through the behaviour matrix and report what each patch and proposal changes."""
    from harness.inputs import InputSpec, resolve_inputs
    from harness.pipeline import EvalRequest
    from reports.terminal import eval_summary

    local = resolve_inputs(InputSpec(tuple(paths), lore, offline, cache_dir), _progress)
    ev = _evaluate(EvalRequest(local, tree, base, manifest, matrix, tuple(variant or ()), against, jobs, rules,
                               crosscheck, cc, _outcomes(no_cache)))
    _write_reports(ev, html, json_file)
    out.print(eval_summary(ev))
    raise typer.Exit(_report_skipped(ev.series))


def _outcomes(no_cache: bool) -> Path | None:
    from harness.outcome_cache import default_cache_dir

    return None if no_cache else default_cache_dir()


def _write_reports(ev: Any, html: Path | None, json_file: Path | None) -> None:
    from reports.html_report import render_html
    from reports.json_report import eval_json

    if json_file is not None:
        atomic_write_text(json_file, eval_json(ev))
    if html is not None:
        atomic_write_text(html, render_html(ev))


@app.command()
@handled
def gate(paths: Paths, variant: Annotated[str, typer.Option("--variant", help="the variant to judge, e.g. v3")],
         rules: Annotated[Path | None, typer.Option("--rules", help="rules TOML (default: the series')")] = None,
         junit: Annotated[Path | None, typer.Option("--junit", help="write JUnit XML here")] = None,
         json_file: Annotated[Path | None, typer.Option("--json", help="write patchwork/b4 JSON here")] = None,
         matrix: MatrixOpt = None, tree: Tree = None, base: Base = None, manifest: ManifestOpt = None,
         jobs: Jobs = 0, lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None,
         no_cache: NoCache = False) -> None:
    """Judge a variant against every review rule: exit 0 if no error rule fails, 1 if one does."""
    from harness.gate import GateRequest, evaluate_gate
    from harness.inputs import InputSpec, resolve_inputs
    from reports.gate_report import gate_dict, gate_junit, gate_summary

    local = resolve_inputs(InputSpec(tuple(paths), lore, offline, cache_dir), _progress)
    g = evaluate_gate(GateRequest(local, variant, rules, tree, base, manifest, matrix, jobs, _outcomes(no_cache)))
    if junit is not None:
        atomic_write_text(junit, gate_junit(g))
    if json_file is not None:
        atomic_write_text(json_file, json.dumps(gate_dict(g), indent=2) + "\n")
    out.print(gate_summary(g))
    raise typer.Exit(g.exit_status)


@app.command()
@handled
def crosscheck(paths: Paths, variant: Variants = None,
               cc: Annotated[str | None, typer.Option("--cc", help="C compiler (default: cc, gcc or clang)")] = None,
               matrix: MatrixOpt = None, manifest: ManifestOpt = None,
               timeout: Annotated[float, typer.Option("--timeout", min=1, help="seconds per native child")] = 30.0,
               lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None) -> None:
    """Compile each variant's helpers natively and check every outcome against the mirror."""
    from harness.crosscheck import CrossRequest
    from harness.crosscheck import crosscheck as run_crosscheck
    from harness.inputs import InputSpec, resolve_inputs
    from reports.terminal import crosscheck_summary

    local = resolve_inputs(InputSpec(tuple(paths), lore, offline, cache_dir), _progress)
    result = run_crosscheck(CrossRequest(local, tuple(variant or ()), cc, matrix, manifest, timeout))
    out.print(crosscheck_summary(result))
    raise typer.Exit(result.exit_status)


@app.command(context_settings={"ignore_unknown_options": True})  # "-5" is an argument, not an option
@handled
def printk(fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="a printk format, e.g. '%#016llx'")],
           args: Annotated[list[str] | None, typer.Argument(help="integers (0x.., -5) or strings")] = None) -> None:
    """Print what the kernel's vsprintf() makes of FORMAT (a C string, escapes included) and ARGs (x86-64)."""
    from models.printk import PrintkError, command_line

    try:
        result = command_line(fmt, args or [])
    except PrintkError as exc:
        raise SeamError(None, f"printk: {exc}") from exc
    for warning in result.warnings:
        err.print(f"seamharness: the kernel would warn: {warning}", markup=False)
    sys.stdout.flush()
    sys.stdout.buffer.write(result.text if result.text.endswith(b"\n") else result.text + b"\n")


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
            return 0
        err.print(f"seamharness: {' '.join(message.split())}", markup=False)
        return 2
    except typer.Abort:
        err.print("seamharness: interrupted", markup=False)
        return 130
    return code if isinstance(code, int) else 0


def run() -> None:
    """The ``seamharness`` console script."""
    sys.exit(main())


__all__ = ["app", "main", "run"]

"""``nox -s bench`` / ``python -m harness.bench``: how fast seamharness is, as ratios to ``b4 am``.

Every command is measured as a user runs it (a fresh process; wall time; peak RSS from wait4) in one
interleaved loop with ``b4 am`` reading one thread of the corpus, so a busy host slows both alike; the
goals (TARGETS, issue 18) are ratios of medians. Also: report sizes, the synthetic scale case with both
reports written, mirror throughput, (``--sweeps``) how cost grows with revisions, patches, scenarios, and
(``--stages``) where an eval's time goes, stage by stage (harness.benchstages).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import mailbox
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness.atomic import Output, resolve_output, write_output
from harness.benchstages import keep_compiled_template
from harness.errors import UsageError, os_reason

ROOT = Path(__file__).resolve().parents[1]
# Issue 18's goals: ratios to `b4 am` reading one thread, measured in the same interleaved loop.
TARGETS = {"series_ratio": 0.6, "eval_cold_ratio": 2.0, "eval_warm_ratio": 1.2, "json_mb": 1.5, "peak_mb": 100,
           "scale_seconds": 10, "scale_json_mb": 200}
SCALE = (20, 30, 10000)
SWEEPS = {
    "revisions": [(5, 30, 2000), (10, 30, 2000), (20, 30, 2000)],
    "patches": [(20, 10, 2000), (20, 20, 2000), (20, 30, 2000)],
    "scenarios": [(20, 30, 2500), (20, 30, 5000), (20, 30, 10000)],
}


def _launcher() -> list[str]:
    script = shutil.which("seamharness")
    return [script] if script else [sys.executable, "-m", "harness"]


def timed_process(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, from wait4) of one child process; RuntimeError if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd,
                            env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError, StopIteration):
        model = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                     if ln.startswith("model name"))
    return {"cpus": os.cpu_count(), "cpu": model or platform.processor(), "python": platform.python_version(),
            "system": platform.platform()}


def thread_mbox(folder: Path, out: Path) -> Path:
    """The messages of one thread folder (.eml files) as one mbox, which `b4 am -m` reads."""
    box = mailbox.mbox(out)
    for path in sorted(folder.glob("*.eml")):
        box.add(mailbox.mboxMessage(path.read_bytes()))
    box.flush()
    return out


def _patch_mails(folder: Path) -> int:
    """How many of a folder's messages are patches or cover letters (Subject: [...], not a reply)."""
    return sum(1 for p in folder.glob("*.eml")
               if re.search(rb"^Subject: *\[", p.read_bytes()[:65536], re.MULTILINE | re.IGNORECASE))




def bench_loop(corpus: Path, thread: Path, runs: int) -> dict[str, Any]:
    """One interleaved loop: each round runs `b4 am` on ``thread``, then `series`, `eval` with an empty
    outcome cache and `eval` with a filled one on the whole ``corpus``, so the host's changing speed
    affects every command alike. Ratios are medians over the median of `b4 am`."""
    launcher = _launcher()
    b4 = shutil.which("b4")
    times: dict[str, list[float]] = {"b4_am": [], "series": [], "eval_cold": [], "eval_warm": [], "help": []}
    peak = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        box = thread_mbox(thread, Path(tmp) / "thread.mbox")
        out = Path(tmp) / "out"
        out.mkdir()
        ev = [*launcher, "eval", str(corpus), "--html", str(out / "report.html"), "--json", str(out / "report.json")]
        timed_process(ev, {"XDG_CACHE_HOME": f"{tmp}/warm"})  # fills the cache and the OS file cache
        for n in range(runs):
            keep_compiled_template(Path(f"{tmp}/warm"), Path(f"{tmp}/cold{n}"))
            if b4 is not None:
                # --offline-mode: b4 never asks lore for newer revisions or follow-ups.
                times["b4_am"].append(timed_process([b4, "--offline-mode", "am", "-m", str(box), "-o", str(out / "b4")],
                                                    cwd=Path(tmp))[0])
            times["series"].append(timed_process([*launcher, "series", str(corpus)])[0])
            cold, mb = timed_process(ev, {"XDG_CACHE_HOME": f"{tmp}/cold{n}"})
            times["eval_cold"].append(cold)
            warm, mb_warm = timed_process(ev, {"XDG_CACHE_HOME": f"{tmp}/warm"})
            times["eval_warm"].append(warm)
            times["help"].append(timed_process([*launcher, "--help"])[0])
            peak = max(peak, mb, mb_warm)
        sizes: dict[str, Any] = {"json_mb": (out / "report.json").stat().st_size / 1e6,
                                 "json_layout": json.loads((out / "report.json").read_bytes())["layout"],
                                 "html_mb": (out / "report.html").stat().st_size / 1e6}
        for layout in ("rows", "by-variant"):  # each layout asked for, whichever auto chose
            timed_process([*ev[:-1], str(out / f"{layout}.json"), "--json-layout", layout],
                          {"XDG_CACHE_HOME": f"{tmp}/warm"})
            sizes[f"json_{layout.replace('-', '_')}_mb"] = (out / f"{layout}.json").stat().st_size / 1e6
    # A command never run (b4 not installed) has no median: NaN was written, which is no JSON.
    medians = {k: statistics.median(v) for k, v in times.items() if v}
    peer = medians.get("b4_am")
    ratios = {f"{k}_ratio": medians[k] / peer for k in ("series", "eval_cold", "eval_warm")} if peer else {}
    return {"b4": b4 and _b4_version(b4), "runs": runs, "all": times, "median": medians, **ratios,
            "peak_mb": peak, **sizes}


def _b4_version(b4: str) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        return subprocess.run([b4, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    return "?"


def bench_scale_reports(revisions: int, patches: int, scenarios: int, layout: str) -> dict[str, Any]:
    """The synthetic scale case as a user runs it, with both reports written (JSON in ``layout``), in a fresh
    process with an empty outcome cache."""
    from harness import synthetic

    with tempfile.TemporaryDirectory() as tmp:
        mbox, matrix = synthetic.write(Path(tmp), revisions, patches, scenarios)
        cmd = [*_launcher(), "eval", str(mbox), "--matrix", str(matrix), "--json", f"{tmp}/r.json",
               "--html", f"{tmp}/r.html", "--json-layout", layout]
        seconds, mb = timed_process(cmd, {"XDG_CACHE_HOME": f"{tmp}/cache"})
        return {"revisions": revisions, "patches": patches, "scenarios": scenarios, "layout": layout,
                "seconds": seconds, "peak_mb": mb, "json_mb": Path(f"{tmp}/r.json").stat().st_size / 1e6,
                "html_mb": Path(f"{tmp}/r.html").stat().st_size / 1e6}


def bench_matrix(corpus: Path) -> dict[str, Any]:
    """The matrix stage alone, in this process: cold (nothing loaded) and with every mirror loaded."""
    from harness.crosscheck import crosscheck_result
    from harness.pipeline import SeriesRequest, build_variants, read_inputs, resolve_matrix, run_variants
    from models.mirror import clear_caches
    from models.native.run import find_compiler

    req = SeriesRequest((corpus,), jobs=1)
    series = read_inputs(req)
    variants = build_variants(req, series)
    matrix = resolve_matrix(req, variants, series)
    clear_caches()
    start = time.perf_counter()
    result = run_variants(req, variants, variants.variants, matrix)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    run_variants(req, variants, variants.variants, matrix)
    warm = time.perf_counter() - start
    cells = len(variants.variants) * len(matrix.scenarios)
    out: dict[str, Any] = {
        "variants": len(variants.variants), "scenarios": len(matrix.scenarios), "runs_executed": result.executed,
        "runs_reused": result.reused, "cold_seconds": cold, "cached_seconds": warm,
        "mirror_runs_per_second_cold": result.executed / cold, "mirror_runs_per_second": result.executed / warm,
        "outcomes_per_second": cells / warm,
    }
    try:
        cc = find_compiler(None)
    except Exception:
        return out
    cross = crosscheck_result(result, cc)
    out.update(native_runs=cross.native_runs, native_seconds=cross.native_seconds,
               native_runs_per_second=cross.native_runs / cross.native_seconds if cross.native_seconds else 0.0,
               native_disagreements=len(cross.disagreements))
    return out


def scale_point(revisions: int, patches: int, scenarios: int) -> dict[str, Any]:
    """One synthetic case in this process: the whole pipeline without report writing."""
    from harness import synthetic
    from harness.pipeline import EvalRequest, evaluate

    with tempfile.TemporaryDirectory() as tmp:
        mbox, matrix = synthetic.write(Path(tmp), revisions, patches, scenarios)
        start = time.perf_counter()
        ev = evaluate(EvalRequest((mbox,), matrix=matrix))
        seconds = time.perf_counter() - start
    return {"revisions": revisions, "patches": patches, "scenarios": len(ev.matrix.scenarios),
            "variants": len(ev.result.variants), "runs_executed": ev.result.executed,
            "outcomes": len(ev.result.variants) * len(ev.matrix.scenarios), "seconds": seconds}


def bench_scale(quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, points in SWEEPS.items():
        rows = []
        for r, p, s in points[:2] if quick else points:
            proc = subprocess.run([sys.executable, "-m", "harness.bench", "--scale-point", f"{r},{p},{s}"],
                                  capture_output=True, text=True, check=True, cwd=ROOT)
            rows.append(json.loads(proc.stdout))
        out[name] = rows
    return out


def _row(t: Any, what: str, value: float, unit: str, target: float | None, fmt: str = ".2f") -> None:
    shown = f"{value:{fmt}}{unit}"
    goal = "" if target is None else f"<= {target:g}{unit}"
    verdict = "" if target is None else ("met" if value <= target else "NOT met")
    t.add_row(what, shown, goal, verdict)


def _table(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    t = Table(title="seamharness benchmark (medians of one interleaved loop)", title_justify="left")
    for col in ("measure", "value", "target", ""):
        t.add_column(col)
    loop, med = results["loop"], results["loop"]["median"]
    if loop["b4"]:
        _row(t, f"b4 am on the thread ({loop['b4']})", med["b4_am"], " s", None)
        _row(t, "series on the corpus / b4 am", loop["series_ratio"], "x", TARGETS["series_ratio"])
        _row(t, "eval --html --json, empty cache / b4 am", loop["eval_cold_ratio"], "x", TARGETS["eval_cold_ratio"])
        _row(t, "eval --html --json, filled cache / b4 am", loop["eval_warm_ratio"], "x", TARGETS["eval_warm_ratio"])
    else:
        # Text, not markup: "[bench]" read as a style tag printed "pip install -e '.'", which installs no b4.
        t.add_row(Text("b4 is not installed: no ratios (pip install -e '.[bench]')"), "", "", "")
    for key, what in (("series", "series"), ("eval_cold", "eval, empty cache"), ("eval_warm", "eval, filled cache"),
                      ("help", "--help")):
        _row(t, f"{what}, wall", med[key], " s", None)
    _row(t, f"report.json (auto, the default: {loop['json_layout']})", loop["json_mb"], " MB", TARGETS["json_mb"])
    _row(t, "report.json --json-layout rows", loop["json_rows_mb"], " MB", TARGETS["json_mb"])
    _row(t, "report.json --json-layout by-variant", loop["json_by_variant_mb"], " MB", TARGETS["json_mb"])
    _row(t, "report.html", loop["html_mb"], " MB", None)
    _row(t, "peak memory of eval", loop["peak_mb"], " MB", TARGETS["peak_mb"], ".0f")
    for sc in results.get("scale", []):
        shown = "auto, the default" if sc["layout"] == "auto" else sc["layout"]
        name = f"scale {sc['revisions']}x{sc['patches']}x{sc['scenarios']:,}, json {shown}"
        _row(t, f"{name}, with reports", sc["seconds"], " s", TARGETS["scale_seconds"], ".1f")
        _row(t, f"{name}: report.json", sc["json_mb"], " MB", TARGETS["scale_json_mb"], ".0f")
        _row(t, f"{name}: peak memory", sc["peak_mb"], " MB", None, ".0f")
    if (mx := results.get("matrix")) is not None:
        _row(t, "matrix: mirror runs/s, cold", mx["mirror_runs_per_second_cold"], "", None, ".0f")
        if "native_runs_per_second" in mx:
            _row(t, "native cross-check runs/s (build included)", mx["native_runs_per_second"], "", None, ".0f")
    for name, rows in results.get("sweeps", {}).items():
        for row in rows:
            _row(t, f"sweep {name}: {row['revisions']} x {row['patches']} x {row['scenarios']} (no reports)",
                 row["seconds"], " s", None)
    Console().print(t)


def _parser() -> argparse.ArgumentParser:
    """python -m harness.bench's options."""
    ap = argparse.ArgumentParser(prog="python -m harness.bench", description=__doc__)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--thread", type=Path, help="folder of .eml files b4 am reads (default: the corpus' "
                                                "folder with the most messages)")
    ap.add_argument("--runs", type=_positive, default=5, help="timed runs of each command (1 or more; default 5)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench.json",
                    help="where the results' JSON is written (its folder made if missing)")
    ap.add_argument("--quick", action="store_true", help="no scale case, no mirror throughput")
    ap.add_argument("--sweeps", action="store_true", help="also the scale sweeps (revisions, patches, scenarios)")
    ap.add_argument("--stages", action="store_true", help="also eval's time stage by stage (empty and filled cache)")
    ap.add_argument("--scale-point", help=argparse.SUPPRESS)
    ap.add_argument("--stage-child", help=argparse.SUPPRESS)
    return ap


def _positive(text: str) -> int:
    """--runs: a whole number of 1 or more (0 runs have no median: the table failed after the whole loop)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} is below the minimum 1")
    return n


def _output(path: Path) -> Output:
    """--out resolved before anything is measured (its folder made): a directory or a read-only folder was a
    traceback after minutes of runs, the results lost."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {path}", f"cannot make its folder: {os_reason(exc)}") from None
    return resolve_output(path, "--out")


def _child(args: argparse.Namespace) -> bool:
    """Measure what a child process of the bench is started for (--stage-child, --scale-point: one stage, one
    point of a sweep, each in a fresh interpreter) and print it as JSON; whether this process is such a child."""
    if args.stage_child:
        from harness.benchstages import stage_times

        print(json.dumps(stage_times(json.loads(args.stage_child))))
        return True
    if args.scale_point:
        r, p, s = (int(x) for x in args.scale_point.split(","))
        print(json.dumps(scale_point(r, p, s)))
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if _child(args):
        return 0
    folders = [d for d in args.corpus.iterdir() if d.is_dir() and any(d.glob("*.eml"))] if args.corpus.is_dir() else []
    if not folders:
        print(f"bench: no corpus at {args.corpus} (pass --corpus)", file=sys.stderr)
        return 2
    try:
        out = _output(args.out)
    except UsageError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    if args.thread is not None and not (args.thread.is_dir() and any(args.thread.glob("*.eml"))):
        print(f"bench: --thread {args.thread}: no folder of .eml files", file=sys.stderr)  # b4 am read nothing
        return 2
    thread = args.thread or max(folders, key=lambda d: (_patch_mails(d), d.name))
    # A regular pip install compiles bytecode; an editable one under PYTHONDONTWRITEBYTECODE never does,
    # and would then pay for compiling every module at every start. Measure what users run.
    for package in ("harness", "models", "reports"):
        compileall.compile_dir(ROOT / package, quiet=1)
    results: dict[str, Any] = {"machine": machine(), "targets": TARGETS, "thread": str(thread),
                               "loop": bench_loop(args.corpus, thread, args.runs)}
    if not args.quick:
        # auto is the default (by-variant past a million rows: docs/json-schema.md); rows shows what forcing
        # a row per result costs.
        results["scale"] = [bench_scale_reports(*SCALE, layout) for layout in ("auto", "rows")]
        results["matrix"] = bench_matrix(args.corpus)
    if args.sweeps:
        results["sweeps"] = bench_scale(quick=False)
    if args.stages:
        from harness.benchstages import bench_stages

        results["stages"] = bench_stages(args.corpus, args.runs)
    write_output(out, (json.dumps(results, indent=2) + "\n").encode("utf-8"))  # whole or not at all
    _table(results)
    if "stages" in results:
        from rich.console import Console

        from harness.benchstages import stages_table

        Console().print(stages_table(results["stages"]))
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``nox -s bench`` / ``python -m harness.bench``: how fast seamharness is, as a table and as JSON.

End to end and start-up are measured as a user runs them (a fresh process, median of N, peak RSS from
wait4); the matrix, the native cross-check and the scale sweeps in-process or in a child per point.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"e2e_seconds": 1.5, "e2e_peak_mb": 200, "help_seconds": 0.3, "scale_seconds": 20}
SWEEPS = {
    "revisions": [(5, 30, 2000), (10, 30, 2000), (20, 30, 2000)],
    "patches": [(20, 10, 2000), (20, 20, 2000), (20, 30, 2000)],
    "scenarios": [(20, 30, 2500), (20, 30, 5000), (20, 30, 10000)],
}


def _launcher() -> list[str]:
    script = shutil.which("seamharness")
    return [script] if script else [sys.executable, "-m", "harness"]


def timed_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
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
            "system": platform.platform(), "bytecode_cache": not os.environ.get("PYTHONDONTWRITEBYTECODE")}


def bench_cli(corpus: Path, runs: int) -> dict[str, Any]:
    """--help, then eval with an empty outcome cache (the target) and with the cache a previous run left."""
    launcher = _launcher()
    helps = [timed_process([*launcher, "--help"])[0] for _ in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [*launcher, "eval", str(corpus), "--html", f"{tmp}/r.html", "--json", f"{tmp}/r.json"]
        timed_process(cmd, {"XDG_CACHE_HOME": f"{tmp}/warm"})  # fills the cache and the OS file cache
        e2e = [timed_process(cmd, {"XDG_CACHE_HOME": f"{tmp}/cold{n}"}) for n in range(runs)]
        warm = [timed_process(cmd, {"XDG_CACHE_HOME": f"{tmp}/warm"})[0] for _ in range(runs)]
    return {"help_seconds": statistics.median(helps), "help_all": helps,
            "e2e_seconds": statistics.median(t for t, _ in e2e), "e2e_all": [t for t, _ in e2e],
            "e2e_peak_mb": max(m for _, m in e2e), "e2e_warm_seconds": statistics.median(warm), "e2e_warm_all": warm}


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


def _table(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title="seamharness benchmark", title_justify="left")
    for col in ("measure", "value", "target"):
        t.add_column(col)
    cli, mx = results["cli"], results["matrix"]
    t.add_row("eval on the corpus, median wall, empty cache", f"{cli['e2e_seconds']:.2f} s",
              f"<= {TARGETS['e2e_seconds']} s")
    t.add_row("eval on the corpus, median wall, outcomes cached", f"{cli['e2e_warm_seconds']:.2f} s", "")
    t.add_row("eval on the corpus, peak memory", f"{cli['e2e_peak_mb']:.0f} MB", f"< {TARGETS['e2e_peak_mb']} MB")
    t.add_row("--help start-up, median", f"{cli['help_seconds']:.3f} s", f"< {TARGETS['help_seconds']} s")
    t.add_row("matrix: mirror runs/s, cold / cached",
              f"{mx['mirror_runs_per_second_cold']:.0f} / {mx['mirror_runs_per_second']:.0f}", "")
    t.add_row("matrix: outcomes/s with identical code reused", f"{mx['outcomes_per_second']:.0f}", "")
    if "native_runs_per_second" in mx:
        t.add_row("native cross-check runs/s (build included)", f"{mx['native_runs_per_second']:.0f}", "")
    for name, rows in results["scale"].items():
        for row in rows:
            t.add_row(f"scale {name}: {row['revisions']} rev x {row['patches']} patches x {row['scenarios']} sc.",
                      f"{row['seconds']:.2f} s ({row['outcomes']:,} outcomes)",
                      f"< {TARGETS['scale_seconds']} s" if row["scenarios"] >= 10000 else "")
    Console().print(t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m harness.bench", description=__doc__)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results" / "bench.json")
    ap.add_argument("--quick", action="store_true", help="two points per sweep")
    ap.add_argument("--scale-point", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.scale_point:
        r, p, s = (int(x) for x in args.scale_point.split(","))
        print(json.dumps(scale_point(r, p, s)))
        return 0
    if not (args.corpus / "v3").is_dir():
        print(f"bench: no corpus at {args.corpus} (pass --corpus)", file=sys.stderr)
        return 2
    results = {"machine": machine(), "targets": TARGETS, "cli": bench_cli(args.corpus, args.runs),
               "matrix": bench_matrix(args.corpus), "scale": bench_scale(args.quick)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    _table(results)
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

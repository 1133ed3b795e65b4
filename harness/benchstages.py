"""Where an eval's time goes: every pipeline stage timed in a fresh process (``python -m harness.bench --stages``).

The child runs the command line's own ``main()`` (after the collector tuning ``run()`` does) with the
stage functions wrapped by timers, so the stages are the ones ``eval`` composes, not a copy of them.
Modules are imported first and timed apart; a stage's time is then its own work, its callees included.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.process import tune_gc

# (module, function, label): what evaluate() and the eval command call, in order.
STAGES = (
    ("harness.pipeline", "read_inputs", "read mail"),
    ("harness.pipeline", "build_variants", "build variants"),
    ("harness.discover", "discover_entries", "find entry points"),
    # The counts the matrix adds at the retry loops' bounds: every variant's C is loaded for them (the matrix's runs
    # then find it loaded). Untimed, it was some 0.2 s of the total in no row.
    ("harness.retrycounts", "with_bounds", "retry loops' bounds (loads each variant's C)"),
    ("harness.pipeline", "run_variants", "run the matrix (or read the cache)"),
    ("harness.compare", "compare_outcomes", "compare"),
    ("harness.verdictjobs", "judge_span", "judge review rules"),
    ("harness.report", "report_model", "report model"),
    ("harness.atomic", "write_all", "write the files"),  # harness.console.emit imports it when it writes, all or none
    ("harness.runshown", "_show", "terminal summary"),  # show_eval shows it (harness.console.show)
)
# Renderers by format name (reports.formats.EVAL_FORMATS): timed apart from writing.
RENDERERS = {"json": "make the JSON", "json-by-variant": "make the JSON", "html": "make the HTML (jinja2 import too)"}
# This process' wait for the child's last verdict makes the report's parts that read no verdict (harness.pipeline's
# idle steps), which the report model then finds made: timed here, not in the report model's row.
WAIT = "judge review rules (a child beside compare, then both: the rest; the report's parts meanwhile)"
# The CPU seconds of that child (its own times do not come back): how busy the second core was beside compare. Read
# as the WAIT row alone, the child looked idle beside compare where it judged rules for as long as compare took.
CHILD = "judge review rules: the child's CPU"
IMPORTS = ("harness.workers", "harness.cli", "harness.pipeline", "harness.discover", "harness.retrycounts",
           "harness.compare", "harness.judge", "harness.verdictjobs", "harness.report", "harness.runner",
           "harness.runshown", "harness.outcome_cache", "reports.formats", "reports.terminal", "reports.json_report",
           "reports.html_report")


def _timed(times: dict[str, float], label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` timed into ``times[label]``, less the renderers' time spent inside it (write_all makes each report's
    bytes as it stages them: timed apart, as RENDERERS)."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        inner = sum(times.get(r, 0.0) for r in set(RENDERERS.values()) - {label})
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            made = sum(times.get(r, 0.0) for r in set(RENDERERS.values()) - {label}) - inner
            times[label] = times.get(label, 0.0) + time.perf_counter() - start - made
    return wrapper


def _children_cpu() -> float:
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _child_cpu(times: dict[str, float], beside: Callable[..., Any]) -> Callable[..., Any]:
    """harness.workers.shared_jobs with its wait timed (WAIT) and its child's CPU seconds (CHILD): what the children
    this process waited for used from the fork until the results were in (the child is awaited in the results)."""
    def shared_jobs(count: int, fn: Callable[[int], Any], workers: int, last: frozenset[int] = frozenset()
                    ) -> Callable[[], Any]:
        if workers <= 1:
            plain: Callable[[], Any] = beside(count, fn, workers, last)
            return plain
        before = _children_cpu()
        results = _timed(times, WAIT, beside(count, fn, workers, last))

        def awaited(idle: Any = ()) -> Any:
            try:
                return results(idle)
            finally:
                times[CHILD] = times.get(CHILD, 0.0) + _children_cpu() - before
        return awaited
    return shared_jobs


def _one_by_one(atomic: Any) -> None:
    """write_all making every file in this process, one after the other: eval makes its HTML in a forked child beside
    its JSON (harness.stagebeside), whose renderer's time would not come back here, so its row would be missing."""
    write_all = atomic.write_all

    def in_turn(outputs: Any, beside: bool = False) -> None:
        write_all(outputs)
    atomic.write_all = in_turn


def stage_times(argv: list[str]) -> dict[str, float]:
    """Seconds per stage of ``seamharness`` run with ``argv`` in this process (meant to be a fresh one)."""
    start = time.perf_counter()
    from harness import recache

    recache.install()  # as the console script does before the modules load: patterns from their kept code
    for name in IMPORTS:
        importlib.import_module(name)
    times = {"imports": time.perf_counter() - start}
    _one_by_one(sys.modules["harness.atomic"])
    for module, function, label in STAGES:
        mod = sys.modules[module]
        setattr(mod, function, _timed(times, label, getattr(mod, function)))
    # With two cores the rules are judged in a child beside the comparisons, then by both (harness.workers.shared_jobs):
    # the child's own times do not come back, so what is timed here is the rules this process judges and the wait,
    # and the child's CPU seconds from the processes this one waited for (_child_cpu).
    workers: Any = sys.modules["harness.workers"]
    workers.shared_jobs = _child_cpu(times, workers.shared_jobs)
    formats = sys.modules["reports.formats"].EVAL_FORMATS
    for name, label in RENDERERS.items():
        formats[name] = _timed(times, label, lambda rep, make=formats[name]: list(make(rep)))
    cli = sys.modules["harness.cli"]
    tune_gc()  # as the console script does
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(argv)
    if code not in (0, 1):
        raise RuntimeError(f"seamharness {' '.join(argv)} exited {code}")
    times["total in process"] = time.perf_counter() - start
    recache.save()  # as the console script leaves (harness.process.leave): the next run reads the patterns' code
    return times


def bench_stages(corpus: Path, runs: int) -> dict[str, dict[str, float]]:
    """Median seconds per stage of ``eval CORPUS --html --json``, with an empty and with a filled outcome
    cache (the page template compiled beforehand, as in the bench's loop)."""
    found: dict[str, dict[str, list[float]]] = {"empty cache": {}, "filled cache": {}}
    with tempfile.TemporaryDirectory() as tmp:
        argv = ["eval", str(corpus), "--html", f"{tmp}/r.html", "--json", f"{tmp}/r.json"]
        child = [sys.executable, "-m", "harness.bench", "--stage-child", json.dumps(argv)]
        subprocess.run(child, capture_output=True, check=True, env={**os.environ, "XDG_CACHE_HOME": f"{tmp}/first"})
        for n in range(runs):
            # An empty outcome cache that the first run fills and the second reads.
            keep_compiled_template(Path(f"{tmp}/first"), Path(f"{tmp}/cache{n}"))
            env = {**os.environ, "XDG_CACHE_HOME": f"{tmp}/cache{n}"}
            for case in ("empty cache", "filled cache"):
                proc = subprocess.run(child, capture_output=True, text=True, check=True, env=env)
                for label, seconds in json.loads(proc.stdout).items():
                    found[case].setdefault(label, []).append(seconds)
    return {case: {k: statistics.median(v) for k, v in rows.items()} for case, rows in found.items()}


def keep_compiled_template(filled: Path, empty: Path) -> None:
    """Give an empty cache folder the page template's compiled form, the regular expressions' and the records'
    ``__init__`` compiled code, and the source digests, from a filled one.

    "Empty cache" means no outcomes (issue 18): jinja2 compiles the template once per install and keeps it beside
    them, harness.recache the code of the patterns and of the @record shapes' ``__init__``, and models.sourcedigest
    the digests of the harness's own source under their files' stat stamp, as Python keeps .pyc files, which this
    bench also compiles before it measures.
    """
    # The folder's name holds the environment's options (reports.html_report._bytecode_cache): every such one.
    for source in (filled / "seamharness").glob("jinja*"):
        if source.is_dir():
            shutil.copytree(source, empty / "seamharness" / source.name, dirs_exist_ok=True)
    for source in [*(filled / "seamharness").glob("regex-*.marshal"),
                   *(filled / "seamharness").glob("record-init-*.marshal"),
                   *(filled / "seamharness").glob("source-*")]:
        shutil.copyfile(source, empty / "seamharness" / source.name)


def stages_table(stages: dict[str, dict[str, float]]) -> Any:
    """The medians as a rich table, a row per stage and a column per cache state."""
    from rich.table import Table

    t = Table(title="eval of the corpus, stage by stage (medians, seconds, in one process)", title_justify="left")
    t.add_column("stage")
    for case in stages:
        t.add_column(case, justify="right")
    judged = [label for _, _, label in STAGES].index("judge review rules") + 1
    labels = ["imports", *(label for _, _, label in STAGES[:judged]), WAIT, CHILD,
              *(label for _, _, label in STAGES[judged:-2]), *dict.fromkeys(RENDERERS.values()),
              *(label for _, _, label in STAGES[-2:]), "total in process"]
    for label in (x for x in labels if any(x in times for times in stages.values())):  # a stage that ran
        t.add_row(label, *(f"{stages[case].get(label, 0.0):.3f}" for case in stages))
    return t

"""run_matrix: identical code runs once, pr_fmt per unit, not provided, serial == parallel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from harness import runner
from harness.filestate import full_file
from harness.matrix import Matrix
from harness.outcome_cache import OutcomeCache
from harness.prfmt import pr_fmt_of
from harness.runner import MatrixRequest, run_matrix
from harness.variants import Variant
from models.capped import MAX_RECORDS
from models.mirror import Limit
from tests.harness.variantgen import HELPER, matrix, variant


def test_same_code_runs_once(tmp_path: Path) -> None:
    m = matrix(tmp_path)
    vs = (variant("a"), variant("b"), variant("c", tries=5))
    r = run_matrix(MatrixRequest(vs, m, jobs=1))
    per_variant = len(m.scenarios)
    assert r.executed == 2 * per_variant and r.reused == per_variant
    assert r.outcome("a", "demo_retry/ONE/busy-x5/demo.c") == r.outcome("b", "demo_retry/ONE/busy-x5/demo.c")
    assert len(r.outcome("a", "demo_retry/ONE/busy-x5/demo.c").calls) == 3
    assert len(r.outcome("c", "demo_retry/ONE/busy-x5/demo.c").calls) == 5


def test_a_change_only_in_one_function_reruns_only_its_entries(tmp_path: Path) -> None:
    m = matrix(tmp_path)
    vs = (variant("a"), variant("b", fmt="%#llx"))
    r = run_matrix(MatrixRequest(vs, m, jobs=1))
    # demo_retry does not reach the printer, so its 8 scenarios are shared; demo_prerr's are not.
    assert r.executed == 8 + 8 + 8 and r.reused == 8
    assert r.outcome("b", "demo_prerr/ONE/fail/demo.c").log[0].text == "DEMO (0x1) failed: 0x8000000000000001"


def test_not_provided_and_pr_fmt(tmp_path: Path) -> None:
    m = matrix(tmp_path)
    unit = full_file("demo/demo.c", '#define pr_fmt(fmt) "demo: " fmt\n#include "helper.h"\n', "test")
    with_unit = Variant("u", "d", (*variant("u").files, unit), (), (), (), "t")
    empty = Variant("e", "d", (full_file(HELPER, "static int other(void) { return 1; }\n", "t"),), (), (), (), "t")
    r = run_matrix(MatrixRequest((with_unit, empty), m, jobs=1))
    assert pr_fmt_of(with_unit, "demo/demo.c") == "demo: "
    assert r.outcome("u", "demo_prerr/ONE/fail/demo.c").log[0].text.startswith("demo: DEMO (1) failed")
    assert r.outcome("e", "demo_prerr/ONE/fail/demo.c").status == "not-provided"


def test_parallel_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    m = matrix(tmp_path)
    vs = tuple(variant(f"v{i}", tries=i + 1) for i in range(4))
    serial = run_matrix(MatrixRequest(vs, m, jobs=1))
    monkeypatch.setattr(runner, "PARALLEL_MIN_RUNS", 1)
    parallel = run_matrix(MatrixRequest(vs, m, jobs=2))
    assert all(parallel.outcomes_of(v.name) == serial.outcomes_of(v.name) for v in vs)


def _counting_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The children forked from now on (their pids); no pool of workers may be made where a process can fork."""
    import concurrent.futures
    import os

    forks: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            forks.append(pid)
        return pid

    def no_pool(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a pool where the process can fork")

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(runner, "PARALLEL_MIN_RUNS", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    return forks


def test_forked_workers_inherit_their_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers are this process, which takes the first share, and one forked child, which inherits its share
    rather than receive the run requests pickled (4 MB and 0.4 s at 20 x 30 x 10,000 before a worker could start)
    and sends its outcomes back: they are those of a serial run."""
    import os

    if not hasattr(os, "fork"):
        pytest.skip("workers are forked only where a process can fork")
    m = matrix(tmp_path)
    vs = tuple(variant(f"v{i}", tries=i + 1) for i in range(4))
    serial = run_matrix(MatrixRequest(vs, m, jobs=1))
    forks = _counting_forks(monkeypatch)
    parallel = run_matrix(MatrixRequest(vs, m, jobs=2))
    assert len(forks) == 1
    assert all(parallel.outcomes_of(v.name) == serial.outcomes_of(v.name) for v in vs)


def test_workers_are_held_to_the_cores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --jobs 100000 once forked thousands of processes on two cores: a request is held to the cores.
    import os

    if not hasattr(os, "fork"):
        pytest.skip("workers are forked only where a process can fork")
    forks = _counting_forks(monkeypatch)
    vs = tuple(variant(f"v{i}", tries=i + 1) for i in range(4))
    run_matrix(MatrixRequest(vs, matrix(tmp_path), jobs=100_000))
    assert len(forks) == 1  # this process and one child: two cores


def _in_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Matrix, tuple[Variant, ...], OutcomeCache]:
    """Four variants of different code, a matrix and an outcome cache, with workers from the first run."""
    monkeypatch.setattr(runner, "PARALLEL_MIN_RUNS", 1)
    return matrix(tmp_path), tuple(variant(f"v{i}", tries=i + 1) for i in range(4)), OutcomeCache(tmp_path / "cache")


def test_workers_keep_their_outcomes_in_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    m, vs, cache = _in_workers(tmp_path, monkeypatch)
    first = run_matrix(MatrixRequest(vs, m, jobs=2, cache=cache))
    again = run_matrix(MatrixRequest(vs, m, jobs=2, cache=cache))
    assert first.executed > 0 and first.cached == 0
    assert again.executed == 0 and again.cached == first.executed
    assert all(again.outcomes_of(v.name) == first.outcomes_of(v.name) for v in vs)


def test_workers_read_the_code_facts_the_rules_need(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whoever ran a job (this process its first share, a child the other) hands back its facts and keeps them in
    # the cache, so that neither this run's rules nor the next run parse the C again.
    from harness.judge import FactsCache
    from models.loader import EntryPoint
    from models.source import code_facts

    m, vs, cache = _in_workers(tmp_path, monkeypatch)
    r = run_matrix(MatrixRequest(vs, m, jobs=2, cache=cache))
    entries = tuple(EntryPoint(e.name, e.args) for e in m.entries)
    for v in vs:
        sources = runner.variant_sources(v)
        assert r.facts[sources] == code_facts(sources, entries)
        assert cache.get_data(cache.key(runner.facts_description(sources, entries))) == r.facts[sources].to_dict()
        assert FactsCache(r, cache)(v) == r.facts[sources]
    assert not run_matrix(MatrixRequest(vs, m, jobs=1)).facts  # in one process the rules reuse its C


def test_unloadable_code_becomes_error_outcomes(tmp_path: Path) -> None:
    m = matrix(tmp_path)
    bomb = "#define A0 x x\n" + "".join(f"#define A{i} A{i - 1} A{i - 1}\n" for i in range(1, 40))
    bad = variant("bad", extra=bomb + "static int use(void) { return A39; }\n")
    bad = Variant("bad", "d", (full_file(HELPER, bad.files[0].text.replace("int tries = 3;", "int tries = A39;"),
                                         "t"),), (), (), (), "t")  # type: ignore[arg-type]
    r = run_matrix(MatrixRequest((bad,), m, jobs=1))
    out = r.outcome("bad", "demo_retry/ONE/ok/demo.c")
    assert out.status == "error" and "expands to more than" in (out.error or "")
    assert "bad" in r.load_errors


SPIN = "\twhile (1)\n\t\tret = __seamcall(fn, args);\n"


def _spinning(name: str, tries: int = 3) -> Variant:
    v = variant(name, tries=tries)
    text = v.files[0].text or ""
    return Variant(name, "d", (full_file(HELPER, text.replace("\tdo {\n", SPIN + "\tdo {\n"), "t"),), (), (), (), "t")


def test_a_group_past_its_time_budget_is_cut_short(tmp_path: Path) -> None:
    from harness.outcome_cache import OutcomeCache

    m = matrix(tmp_path)
    cache = OutcomeCache(tmp_path / "cache")
    # A scenario of the spinning code takes a tenth of a second or more: 10 ms cut every group short, always.
    r = run_matrix(MatrixRequest((_spinning("spin"),), m, jobs=1, cache=cache, time_budget=0.01))
    assert all(not o.ran and o.limits == (Limit.TIME,) for o in r.outcomes_of("spin"))
    # What the budget cut short depends on the machine's speed: not cached, run again next time.
    again = run_matrix(MatrixRequest((_spinning("spin"),), m, jobs=1, cache=cache, time_budget=0.01))
    assert again.executed == len(m.scenarios) and again.cached == 0
    assert all(o.ran for o in run_matrix(MatrixRequest((variant("ok"),), m, jobs=1)).outcomes_of("ok"))


def test_without_a_time_budget_every_runaway_scenario_runs_to_its_step_budget(tmp_path: Path) -> None:
    one = '[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n' \
          '[[entry]]\nname = "demo_retry"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n'
    m = matrix(tmp_path, one)
    r = run_matrix(MatrixRequest((_spinning("spin"),), m, jobs=1, time_budget=0))
    out = r.outcome("spin", "demo_retry/ONE/ok/demo.c")
    assert out.ran and out.limits == (Limit.STEPS, Limit.CALLS) and len(out.calls) == MAX_RECORDS


def _unknown_call(name: str, tries: int) -> Variant:
    text = variant(name, tries=tries).files[0].text or ""
    body = text.replace("\tdo {\n", "\tunknown_helper();\n\tdo {\n")
    return Variant(name, "d", (full_file(HELPER, body, "t"),), (), (), (), "t")


def test_outcomes_that_did_not_run_stay_apart_across_code(tmp_path: Path) -> None:
    from harness.groups import outcome_groups

    m = matrix(tmp_path)
    # Two different pieces of code that the mirror cannot run, with equal outcomes by value: neither
    # behaviour is known, so they must never become one object (and so one group, or "no difference").
    vs = tuple(_unknown_call(name, tries) for name, tries in (("u3", 3), ("u5", 5)))
    r = run_matrix(MatrixRequest(vs, m, jobs=1))
    for s in m.scenarios:
        a, b = r.outcome("u3", s), r.outcome("u5", s)
        assert a == b and a is not b and not a.ran and "unknown_helper" in (a.error or "")
    assert all(len(g) == 2 for g in outcome_groups(r).values())
    # Runs that ran and are equal are one object, whatever code group they came from.
    ok = run_matrix(MatrixRequest((variant("a"), variant("c", tries=5)), m, jobs=1))
    s = "demo_retry/ONE/fail/demo.c"
    assert ok.outcome("a", s) is ok.outcome("c", s)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _running(pid: int) -> bool:
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False


def _eval_signalled(corpus: Path, tmp_path: Path) -> tuple[subprocess.Popen[bytes], bytes, list[int]] | None:
    """An eval with two workers, sent SIGTERM as soon as a worker is seen: the process, its stderr and the workers
    seen (None: no worker was seen before the run ended)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    argv = ["eval", str(corpus), "--no-cache", "--jobs", "2", "--json", str(tmp_path / "r.json")]
    proc = subprocess.Popen([sys.executable, "-m", "harness", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env)
    deadline = time.monotonic() + 20
    workers: list[int] = []
    while time.monotonic() < deadline and not workers and proc.poll() is None:
        workers = _children(proc.pid)  # one: the command itself takes the first share
        time.sleep(0.02)
    if not workers:
        proc.kill()
        proc.communicate()
        return None
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)  # the pipes reach EOF: no worker holds them open
    return proc, err, workers


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_sigterm_to_eval_alone_ends_its_workers(corpus: Path, tmp_path: Path) -> None:
    # A CI job's timeout signals the command, not its process group: workers must not outlive it, holding
    # its output open (a reader of that output would wait forever).
    for attempt in range(3):
        # The worker seen may be the rules' child, forked near the end: on a loaded host the run can finish
        # (whole outputs, exit 0) before the signal lands; that run tells nothing, so another is made.
        got = _eval_signalled(corpus, tmp_path / str(attempt))
        if got is None:
            pytest.skip("the run ended before its workers could be seen")
        proc, err, workers = got
        if proc.returncode != 0:
            break
        assert (tmp_path / str(attempt) / "r.json").is_file()
    else:
        pytest.skip("each run finished before the signal landed")
    assert proc.returncode == 143 and b"seamharness: terminated" in err
    time.sleep(0.5)
    end = time.monotonic() + 5
    while time.monotonic() < end and any(_running(w) for w in workers):
        time.sleep(0.05)
    assert not any(_running(w) for w in workers)
    out = tmp_path / str(attempt)
    assert not (out / "r.json").exists() and not list(out.glob("*.tmp*"))


def test_a_lanes_description_reprs_each_script_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The outcome cache's key: the very text repr() of each run's (leaf, script[, cpu]) gives, each script's repr
    # made once however many runs and lanes share it (a repr of every answer record was a tenth of planning).
    from models.machine import Answer
    from models.outcome import RunRequest

    busy, ok = (Answer(5, (("rcx", 1),)), Answer(0)), (Answer(0),)
    reqs = tuple(RunRequest("demo", leaf, script, cpu=cpu)
                 for leaf in (1, 2) for script in (busy, ok) for cpu in (0, 3))
    old = "\0".join([repr(("demo", (), 100_000, 48, sorted(reqs[0].seam_functions), MAX_RECORDS)),
                     *(repr((x.leaf, x.script, *((x.cpu,) if x.cpu else ()))) for x in reqs)])
    made: list[object] = []
    real = repr
    monkeypatch.setattr("builtins.repr", lambda obj: made.append(obj) or real(obj))
    scripts: dict[int, str] = {}
    assert runner._lane_description(reqs, scripts) == old
    assert [x for x in made if isinstance(x, tuple) and x and isinstance(x[0], Answer)] == [busy, ok]
    made.clear()
    assert runner._lane_description(reqs[:4], scripts) == "\0".join(old.split("\0")[:5])  # another lane, same scripts
    assert not [x for x in made if isinstance(x, tuple) and x and isinstance(x[0], Answer)]


def test_a_runs_input_registers_are_in_its_cache_key() -> None:
    # A run whose struct tdx_module_args starts with other members set (a matrix script's inputs) is another run:
    # with the key blind to them, a cached outcome of the all-zero run was handed back for it.
    from models.machine import Answer
    from models.outcome import RunRequest

    script, first = (Answer(0),), RunRequest("demo", 1, (Answer(5),))  # a lane's runs after its first
    plain = runner._lane_description((first, RunRequest("demo", 1, script)))
    given = runner._lane_description((first, RunRequest("demo", 1, script, regs_in=(("rdx", 2),))))
    other = runner._lane_description((first, RunRequest("demo", 1, script, regs_in=(("rdx", 3),))))
    assert len({plain, given, other}) == 3
    assert plain.split("\0")[1:] == [repr((1, first.script)), repr((1, script))]  # keys of all-zero runs as before


def test_equal_statement_sets_of_runs_are_one_object_across_code(tmp_path: Path) -> None:
    """Two pieces of code laid out alike execute the same "path:line" sets: kept until the report is written, each
    distinct set is one object whichever job (or worker) ran it."""
    m = matrix(tmp_path)
    r = run_matrix(MatrixRequest((variant("a"), variant("b", fmt="%lld")), m, jobs=1, time_budget=0))
    sets = [s for v in ("a", "b") for p in range(len(m.scenarios)) if (s := r.run_coverage(v, p))]
    assert len(set(sets)) < len(sets)  # the same sets, run by both codes
    assert len({id(s) for s in sets}) == len(set(sets))


def test_a_lanes_requests_are_made_once_for_every_code_group_with_its_pr_fmt(tmp_path: Path) -> None:
    from harness.runner import _Building, _lanes, _plan

    m = matrix(tmp_path)
    variants = (variant("a", tries=3), variant("b", tries=4), variant("c", tries=5))
    jobs = _plan(MatrixRequest(variants, m, jobs=1), _lanes(m), _Building())
    by_lane: dict[str, list[tuple[object, ...]]] = {}
    for job in jobs:
        for _, reqs in job.runs:
            by_lane.setdefault(reqs[0].entry, []).append(reqs)
    # three pieces of code per entry point, each lane's runs one object: a filled cache runs none of them
    assert sorted(len(r) for r in by_lane.values()) == [3, 3]
    assert all(all(r is rs[0] for r in rs) for rs in by_lane.values())


def test_an_outcome_two_jobs_make_is_encoded_once_for_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """Two variants apart in their printer are two jobs (two sets of sources) whose scenarios that print nothing end
    alike: each distinct outcome is made into JSON once for the cache, not once per job that made it."""
    from models import outcome

    m = matrix(tmp_path)
    encoded: list[object] = []
    real = outcome.outcome_to_dict

    def counting(o: outcome.Outcome) -> dict[str, object]:
        encoded.append(o)
        return real(o)

    monkeypatch.setattr(outcome, "outcome_to_dict", counting)
    vs = (variant("a"), variant("b", fmt="%lld"))
    r = run_matrix(MatrixRequest(vs, m, jobs=1, cache=OutcomeCache(tmp_path / "cache"), time_budget=0))
    distinct = {o for v in vs for o in r.outcomes_of(v.name)}
    assert len(set(encoded)) == len(distinct) < len(m.scenarios) * 2  # alike across the jobs
    assert len(encoded) == len(distinct)


def test_outcome_numbers_name_the_outcome_objects(tmp_path: Path) -> None:
    # MatrixResult.outcome_numbers stand for the objects (harness.compare and harness.groups key by them): one number,
    # one object; an object that ran, one number.
    m = matrix(tmp_path)
    r = run_matrix(MatrixRequest((variant("a"), variant("b", fmt="%#llx"), variant("c", tries=5)), m, jobs=1))
    objects: dict[int, object] = {}
    numbers: dict[int, set[int]] = {}
    for n in range(len(r.lanes)):
        for g in {r.code_group(v, n) for v in ("a", "b", "c")}:
            for o, k in zip(r.group_outcomes(n, g), r.outcome_numbers(n, g), strict=True):
                assert objects.setdefault(k, o) is o
                if o.ran:
                    numbers.setdefault(id(o), set()).add(k)
    assert numbers and all(len(ks) == 1 for ks in numbers.values())
    assert len(numbers) > 1 and len(objects) == len(numbers)  # every run here ran: a number per distinct outcome

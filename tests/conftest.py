"""Shared fixtures: the corpus beside the project (skipped cleanly when absent)."""

from __future__ import annotations

import compileall
import gc
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

import harness.budgets
from tests.freshtables import fresh_tables

if TYPE_CHECKING:
    from harness.pipeline import Evaluation

# Property tests check values, never speed (the benchmark does): a slow first example on a busy or cold CI
# machine (modules loading, bytecode compiling) must not fail them.
settings.register_profile("seamharness", deadline=None)
settings.load_profile("seamharness")

# Likewise a code group's wall-clock budget (5 s, the product's guard against a runaway loop): on a host loaded by
# the tests' own workers it cut groups short, and a test of what the code does read "not run: time budget". Set
# before any test module imports the defaults that name it; the tests of the budget give theirs (--time-budget 1).
harness.budgets.TIME_BUDGET = 120.0

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def pytest_configure(config: pytest.Config) -> None:
    """Two costs of the test process itself, not of what a test checks (measured on a sample of 534 gate and
    eval tests: the cyclic collector was about 12% of their CPU, and typer rebuilding the click command tree of
    harness.cli's app on every CliRunner.invoke about 19 ms a call):
    - the collector runs every 100,000 new objects rather than every 700 (the console script's harness.process
      .tune_gc takes a million; cycles are still collected, tests of tune_gc set and restore their own);
    - typer.testing builds each app's command once per process: the tree depends only on the app's declared
      commands, which no test changes after import, and click runs a command object any number of times."""
    del config
    gc.set_threshold(100_000, 50, 100)
    import functools

    import typer.testing

    built: dict[int, object] = {}
    build = typer.testing._get_command

    @functools.wraps(build)
    def command_of(app):  # type: ignore[no-untyped-def]
        key = id(app)
        if key not in built:
            built[key] = (app, build(app))  # the app kept alive: its id cannot name another
        return built[key][1]

    typer.testing._get_command = command_of  # type: ignore[assignment]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Bytecode for the package, as a regular pip install writes it: under PYTHONDONTWRITEBYTECODE (CI machines
    set it) an editable install never gets any, and each of the hundreds of seamharness commands the tests
    start would compile every module from source, a third of its start-up. quiet=2: a read-only tree only
    stays slower. The tests' own helpers likewise, and their test modules as pytest rewrites them."""
    if sys.dont_write_bytecode:
        for package in ("harness", "models", "reports", "series"):
            compileall.compile_dir(ROOT / package, quiet=2)
        compileall.compile_dir(ROOT / "tests", quiet=2, rx=_REWRITTEN)
        _rewrite_for_workers(session.config)


# Test modules and conftests: pytest imports them rewritten (their asserts explained), from its own bytecode.
_REWRITTEN = re.compile(r"[/\\](test_[^/\\]*|conftest)\.py$")


def _rewrite_for_workers(config: pytest.Config) -> None:
    """pytest-xdist's controller rewrites the test modules once, split over as many processes as it starts workers,
    and writes pytest's bytecode of them (which pytest reads even where it writes none). Under
    PYTHONDONTWRITEBYTECODE each worker rewrote all 500 modules itself as it collected: some 17 s of CPU each, at the
    same moment, before any test ran. Nothing is written when this is no controller or by pytest's private API
    changing: the workers then rewrite as before."""
    workers = getattr(config.option, "numprocesses", None)
    if hasattr(config, "workerinput") or not isinstance(workers, int) or workers < 1:
        return
    try:
        from _pytest.assertion.rewrite import PYC_TAIL, _rewrite_test, _write_pyc, assertstate_key, get_cache_dir
    except ImportError:
        return
    files = sorted(p for p in (ROOT / "tests").rglob("*.py") if _REWRITTEN.search(str(p)))
    state = config.stash[assertstate_key]
    shares = min(workers, os.cpu_count() or 1)
    children = []
    for share in range(shares):
        pid = os.fork()
        if pid == 0:  # a child: its share, then out without the parent's exit handlers
            status = 0
            try:
                for fn in files[share::shares]:
                    source_hash, code = _rewrite_test(fn, config)
                    cache = get_cache_dir(fn)
                    cache.mkdir(exist_ok=True)
                    _write_pyc(state, code, source_hash, cache / (fn.name[:-3] + PYC_TAIL))
            except BaseException:  # whatever went wrong, the workers rewrite what is missing
                status = 1
            os._exit(status)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """What the tests left is collected once, before a pytest-xdist worker says it is done, and then frozen: pytest
    collects twice more as the process ends, each a walk over every object the worker made (seconds of CPU on a
    loaded host), and execnet sends a worker still busy 5 s after the end SIGINT (.ci/run ended with a
    KeyboardInterrupt raised inside hypothesis' gc callback)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "v3").is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_series(corpus: Path):  # type: ignore[no-untyped-def]
    from harness.ingest import IngestRequest, parse_series

    return parse_series(IngestRequest((corpus,)))


@pytest.fixture(scope="session")
def corpus_variants(corpus_series):  # type: ignore[no-untyped-def]
    from harness.apply import ApplyRequest, apply_variants

    return apply_variants(ApplyRequest(corpus_series))


@pytest.fixture(scope="session")
def corpus_eval(corpus: Path) -> Evaluation:
    """The whole corpus evaluated as `seamharness eval` evaluates it, once for every test that reads it (each
    evaluation takes seconds of CPU; a dozen modules read the same one). Tests only read it."""
    from harness.pipeline import EvalRequest, evaluate

    return evaluate(EvalRequest((corpus,)))


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Commands the tests run (in process or as children) cache under a temporary XDG_CACHE_HOME, never ~/.cache."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(autouse=True)
def _fresh_consoles() -> Iterator[None]:
    """Each test's commands get consoles made for them, as each command line does: harness.console makes its
    consoles once per process, and one made while COLUMNS was set keeps that width, so a test at 80 columns
    narrowed every later test of the same worker (test_a_pass_says_what_it_rests_on failed under -n 2)."""
    from harness import console

    console.out.cache_clear()
    console.err.cache_clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs with the library's bounded process tables empty (tests.freshtables), as one command starts
    with them: a worker's earlier tests brought harness.memo's near its bound, it started again halfway through a
    test, and the test counting reads saw one twice (test_countedalike failed once under -n auto). The process'
    tables come back after the test as they were."""
    fresh_tables(monkeypatch)


@pytest.fixture(autouse=True)
def _trees_released() -> Iterator[None]:
    """After each test, the git cat-file processes of the trees it read are stopped: the commands release them
    themselves (harness.gitrepo.release_repos), but a test calling apply_variants or revision_base directly left
    them to the worker until a collection, children a later test of processes held would count."""
    yield
    gitrepo = sys.modules.get("harness.gitrepo")
    if gitrepo is not None:
        gitrepo.release_repos()

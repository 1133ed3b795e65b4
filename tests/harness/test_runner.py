"""run_matrix: identical code runs once, pr_fmt per unit, not provided, serial == parallel."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import runner
from harness.filestate import full_file
from harness.runner import MatrixRequest, pr_fmt_of, run_matrix
from harness.variants import Variant
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
    unit = full_file("demo/demo.c", '#define pr_fmt(fmt) "demo: " fmt\n', "test")
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

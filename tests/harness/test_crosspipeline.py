"""``seamharness crosscheck``'s pipeline (harness/crosspipeline.py): shared cases' variants agree with gcc's values."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosspipeline import CrossRequest, cross_check
from harness.runner import MatrixRequest, run_matrix

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"
# gcc's values for ../shared/cases/10-gnu-c-extensions (its check), answers success, 0x5, UD, OPERAND_INVALID.
GCC_VALUES = {"sc_elvis": [1, -5, -13, -5], "sc_case_range": [0, -5, -5, 0], "sc_stmt_expr": [0, -5, -5, -5],
              "sc_typeof": [0, -5, -5, -5], "sc_field_get": [0, 0, 255, 1], "sc_ratelimited": [0, -5, -13, -5]}


def _case(name: str) -> Path:
    found = sorted(CASES.glob(f"{name}*"))
    if not found:
        pytest.skip(f"../shared/cases/{name} is not present")
    return found[0]


def test_gnu_c_case_runs_with_gccs_values_in_both() -> None:
    case = _case("10-")
    r = cross_check(CrossRequest((case,), variants=("v3",), matrix=case / "matrix.toml")).result
    # 24 scenarios of the matrix's sc_* entries; not the 24 of the seamcall*() macros found in the code (_fn, __args):
    # the case's patches create seamcall.h and no file of them includes it, so no build compiles them (not run).
    assert r.compared["v3"] == r.agreed["v3"] == 24 and r.disagreements == []
    from harness.apply import ApplyRequest, apply_variants
    from harness.ingest import IngestRequest, parse_series
    from harness.matrix import load_matrix

    vset = apply_variants(ApplyRequest(parse_series(IngestRequest((case,))), names=("v3",)))
    result = run_matrix(MatrixRequest(vset.variants, load_matrix(case / "matrix.toml"), jobs=1))
    for entry, values in GCC_VALUES.items():
        for script, value in zip(("success", "small-status", "ud", "operand-invalid"), values, strict=True):
            o = result.outcome("v3", f"{entry}/TDH_SYS_INIT/{script}/tdx.c")
            assert (o.status, o.ret) == ("ok", value), (entry, script, o.error)


@pytest.mark.parametrize(("case", "a", "b"), [("06-", "v3:02", "v3:03"), ("08-", "v3:03", "v3:04")])
def test_guard_and_generated_helper_cases_agree_with_gcc(case: str, a: str, b: str) -> None:
    r = cross_check(CrossRequest((_case(case),), variants=(a, b))).result
    assert r.compared[a] == r.agreed[a] == 420 and r.compared[b] == r.agreed[b] == 420
    assert r.disagreements == [] and r.not_compared[b] == []

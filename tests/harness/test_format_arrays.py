"""A printer whose format is a char array handed to WARN() runs as printk(fmt, ...).

A printer whose format is a char array, 'static const char fmt[] = "..."', handed to WARN(): run as printk(fmt, ...)
is (models.printkargs.format_string), not refused as 'a printk format that is not a string literal'."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, preparing_series
from tests.mailgen import write_mbox

PRINT = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'


def _warned(conversion: str) -> str:
    """The helper header with seamcall_err() warning through a format array printing the leaf with ``conversion``."""
    assert PRINT in PRINTERS
    fmt = f'\tstatic const char fmt[] = "SEAMCALL ({conversion}) failed: %#016llx\\n";\n\n\tWARN(1, fmt, fn, err);\n'
    return PREAMBLE + RETRY_SAFE + "\n" + PRINTERS.replace(PRINT, fmt) + TAIL


@pytest.mark.parametrize(("conversion", "want"), [("%#llx", VerdictStatus.PASS), ("%llu", VerdictStatus.FAIL)])
def test_a_warning_with_a_format_array_is_run_and_judged(tmp_path: Path, conversion: str, want: VerdictStatus) -> None:
    # Before: INCONCLUSIVE both ('the mirror cannot run seamcall_prerr() in v2: ...: a printk format that is not a
    # string literal'); now the hex printer passes and its decimal twin fails, each leaf printed as the array says.
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(_warned(conversion)))
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    rule = found["leaf-in-hex-for-both"]
    assert rule.status is want, (rule.status, rule.note, [e.actual for e in rule.evidence])
    if want is VerdictStatus.FAIL:
        assert any("SEAMCALL (" in e.actual and "decimal" in e.actual for e in rule.evidence), rule.evidence

"""Equivalence rules that claim every entry point ("the kernel's SEAMCALL behaviour stays as it was") on changes
outside the matrix's own entry points: a wrapper found in the code is compared too, never passed over."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

CALL = "\tguard(preempt)();\n\treturn seamldr_prerr(fn, args);\n"
# The 'Prepare' patch makes the P-SEAMLDR wrapper (no matrix entry point: found in the code) try again on -EIO.
RETRYING = WRAPPER_C.replace(CALL, "\tint ret, tries = 3;\n\n\tguard(preempt)();\n\tdo {\n"
                                   "\t\tret = seamldr_prerr(fn, args);\n\t} while (ret == -EIO && --tries);\n"
                                   "\treturn ret;\n")


def _nak(tmp_path: Path, wrapper: str) -> tuple[VerdictStatus, str]:
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
        Step(PREPARE, ((WRAPPER, WRAPPER_C, wrapper),)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "nak-no-kernel-change")
    shown = " | ".join(f"{e.place} {e.expected} -> {e.actual}" for e in found.evidence)
    return found.status, f"{found.note} | {shown}"


def test_a_retry_added_to_a_wrapper_found_in_the_code_fails_the_nak(tmp_path: Path) -> None:
    # Before: 264 matrix scenarios compared, all the same, and the NAK rule passed.
    status, said = _nak(tmp_path, RETRYING)
    assert status is VerdictStatus.FAIL, said
    assert "seamldr_query" in said, said


def test_an_unchanged_wrapper_is_compared_and_passes(tmp_path: Path) -> None:
    # The 'Prepare' patch only reflows the wrapper: the same behaviour, with the wrapper's scenarios counted.
    status, said = _nak(tmp_path, WRAPPER_C.replace(CALL, "\tguard(preempt)();\n\n\treturn seamldr_prerr(fn, args);\n"))
    assert status is VerdictStatus.PASS, said
    assert said.startswith("330 scenarios compared with v2:02"), said

"""A retry helper no run reaches keeps a behaviour rule naming it from passing.

A retry helper of sc_retry()'s shape (it calls the SEAMCALL it is handed) that no run reaches: its callers are in
the tree or a later patch, so the matrix never ran it, and a behaviour rule naming it must not pass over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    PRINTERS,
    RETRY_SAFE,
    WRAPPER,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

HEAD = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt

#include "seamcall_internal.h"

#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL

int seamldr_call(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
"""
LOOP = "\tint left = 10;\n\tu64 err;\n\n\tdo {\n\t\terr = op(fn, args);\n" \
       "\t} while (err == SEAMLDR_RND_NO_ENTROPY && --left);\n"
TWICE = "\tu64 err = op(fn, args);\n\n\tif (err == SEAMLDR_RND_NO_ENTROPY)\n\t\terr = op(fn, args);\n"
TAIL = "\treturn err ? -EIO : 0;\n}\n"
CALLER = "\nint seamldr_info(struct tdx_module_args *args)\n{\n\tguard(preempt)();\n" \
         "\treturn seamldr_call(__seamcall, 0x8000000000000000ULL, args);\n}\n"


def _verdict(tmp_path: Path, body: str) -> tuple[VerdictStatus, str]:
    hexed = helpers(RETRY_SAFE).replace(PRINTERS, PRINTERS.replace("SEAMCALL (%llu)", "SEAMCALL (%#llx)"))
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, hexed),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR call helper", ((WRAPPER, None, HEAD + body), BUILD_WRAPPER)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "seamldr-no-entropy-not-retried")
    return found.status, found.note


@pytest.mark.parametrize("retry", [LOOP, TWICE], ids=["loop", "twice"])
def test_a_helper_retrying_the_call_it_is_handed_that_never_ran_is_no_pass(tmp_path: Path, retry: str) -> None:
    # Before: PASS. seamldr_call() names no SEAM function (its callers hand it __seamcall), so it was no code that
    # reaches a SEAMCALL, and the matrix cannot feed its sc_func_t parameter: the retry never ran, unsaid.
    status, note = _verdict(tmp_path, retry + TAIL)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "seamldr_call() (arch/x86/virt/vmx/tdx/seamldr_ops.c:8) calls op(), a call it is handed" in note, note


def test_the_same_helper_run_by_a_caller_fails(tmp_path: Path) -> None:
    # The reverse: a caller in the files hands it __seamcall and runs it: the retry is seen, FAIL (before and after).
    status, note = _verdict(tmp_path, LOOP + TAIL + CALLER)
    assert status is VerdictStatus.FAIL, (status, note)

"""leaf-base-consistent for a .c file printing through ``static const char fmt[] = KERN_ERR pr_fmt("...")``."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import wrapper_revision
from tests.mailgen import write_mbox

# The wrapper file's own P-SEAMLDR printer: its format a char array built with the file's pr_fmt, sized at build.
ARRAY_WRAPPER = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt

#include "seamcall_internal.h"

static int seamldr_call(u64 fn, struct tdx_module_args *args)
{
	static const char fmt[] = KERN_ERR pr_fmt("P-SEAMLDR call LEAF failed: %016llx, %zu\\n");
	u64 err = sc_retry(__seamcall, fn, args);

	if (err == TDX_SUCCESS)
		return 0;
	printk(fmt, fn, err, sizeof(fmt));
	return -EIO;
}

static int seamldr_query(u64 fn, struct tdx_module_args *args)
{
	guard(preempt)();
	return seamldr_call(fn, args);
}
"""


def _verdict(tmp_path: Path, leaf: str) -> tuple[VerdictStatus, str, list[str]]:
    msgs = wrapper_revision(ARRAY_WRAPPER.replace("LEAF", leaf))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-base-consistent")
    return found.status, found.note, [e.actual for e in found.evidence]


@pytest.mark.parametrize(("leaf", "status"), [("(%llu)", VerdictStatus.FAIL), ("(%#llx)", VerdictStatus.PASS)],
                         ids=["decimal", "hex"])
def test_a_printer_formatting_from_a_pr_fmt_array_is_judged(tmp_path: Path, leaf: str, status: VerdictStatus) -> None:
    # Before: the array was refused ("the size of a string with pr_fmt() in it") and the P-SEAMLDR printer never
    # ran: the decimal one passed, judged on seamcall_prerr() alone.
    found, note, actual = _verdict(tmp_path, leaf)
    assert found is status, note
    if status is VerdictStatus.FAIL:
        # The file's pr_fmt, and sizeof(fmt) as gcc gives it: KERN_ERR's two bytes, the prefix, the text, the NUL.
        size = len(f"\x013seamldr-ops: P-SEAMLDR call {leaf} failed: %016llx, %zu\n") + 1
        assert any(f"'seamldr-ops: P-SEAMLDR call (33) failed: 8000020300000000, {size}'" in a for a in actual), actual

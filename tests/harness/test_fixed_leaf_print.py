"""leaf-base on a wrapper with a fixed leaf that prints the leaf it issues.

leaf-base on a wrapper with a fixed leaf (``int f(void)``) that prints the leaf it issues: judged with the
component its leaf's bit 63 names, whether or not the rule lists that leaf."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREAMBLE,
    PREPARE,
    PRINTERS,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

# seamldr_shutdown() issues a P-SEAMLDR leaf no rule lists (bit 63 set) and prints it itself, in the base given.
SHUTDOWN_C = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt

#include "seamcall_internal.h"

#define SEAMLDR_SHUTDOWN\tLEAFULL

int seamldr_shutdown(void)
{
\tstruct tdx_module_args args = {};
\tu64 err;

\tguard(preempt)();
\terr = seamcall(SEAMLDR_SHUTDOWN, &args);
\tif (err) {
\t\tpr_err("P-SEAMLDR call (CONV) failed: %#016llx\\n", SEAMLDR_SHUTDOWN, err);
\t\treturn -EIO;
\t}
\treturn 0;
}
"""


def _leaf_rules(tmp_path: Path, leaf: str, conv: str, wrapper: str = SHUTDOWN_C
                ) -> dict[str, tuple[VerdictStatus, str, list[str]]]:
    hexed = PRINTERS.replace("SEAMCALL (%llu) failed", "SEAMCALL (%#llx) failed")
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, PREAMBLE + RETRY_SAFE + "\n" + hexed + TAIL),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR shutdown call",
             ((WRAPPER, None, wrapper.replace("LEAF", leaf).replace("CONV", conv)), BUILD_WRAPPER)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    return {v.rule.id: (v.status, v.note, [e.actual for e in v.evidence]) for v in g.verdicts
            if v.rule.id in ("leaf-base-consistent", "leaf-in-hex-for-both")}


@pytest.mark.parametrize("leaf", ["0x8000000000000005", "0x8000000000000000"], ids=["unlisted", "listed"])
def test_a_fixed_leaf_printed_in_the_other_base_fails(tmp_path: Path, leaf: str) -> None:
    # Before: a leaf the rule does not list (0x8000000000000005) printed in decimal PASSED: a run issuing a leaf
    # of its own choosing was left out of the runs judged, and only seamcall_prerr() (hex) was read. The rule's
    # own SEAMLDR_INFO, issued the same way, failed.
    for status, note, actual in _leaf_rules(tmp_path, leaf, "%llu").values():
        assert status is VerdictStatus.FAIL, (status, note)
        assert any(f"P-SEAMLDR call ({int(leaf, 16)}) failed" in a for a in actual), actual


def test_a_fixed_leaf_printed_in_hex_passes(tmp_path: Path) -> None:
    # The reverse: the same wrapper printing its leaf in hex, as the module's printer does, passes.
    for status, note, _ in _leaf_rules(tmp_path, "0x8000000000000005", "%#llx").values():
        assert status is VerdictStatus.PASS, (status, note)


# The same wrapper printing its leaf in decimal only on an answer no script gives, in hex otherwise.
ODD = '\tif (err == 0x8000000000099999ULL) {\n\t\tpr_err("P-SEAMLDR call (%llu) odd\\n", SEAMLDR_SHUTDOWN);\n' \
      '\t\treturn -EIO;\n\t}\n'


def test_a_fixed_leaf_printed_on_a_path_no_script_drives_is_never_a_pass(tmp_path: Path) -> None:
    # Before: PASS on the hex line that ran. The leaf is a constant, not the entry's fn, so models.leafflow lists no
    # print of it: every print with an integer conversion in what the wrapper reaches must have run.
    shutdown = SHUTDOWN_C.replace("\tif (err) {", ODD + "\tif (err) {")
    assert shutdown != SHUTDOWN_C
    for status, note, _ in _leaf_rules(tmp_path, "0x8000000000000005", "%#llx", shutdown).values():
        assert status is VerdictStatus.INCONCLUSIVE, (status, note)
        assert "a printk-family call at arch/x86/virt/vmx/tdx/seamldr_ops.c:16" in note, note
        assert "never ran in any run of v2" in note, note

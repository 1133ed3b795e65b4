"""Rules that name a helper follow a rename split in two patches (harness.follow, harness.renames.split_renames)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.renamegen import CREATE, prepared
from tests.harness.seriesgen import (
    NEW_HOME,
    PREAMBLE,
    PREPARE,
    PRINTERS,
    RETRY_BY_LEAF,
    RETRY_SAFE,
    TAIL,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

RETRY_H = "arch/x86/virt/vmx/tdx/seamcall_retry.h"  # the new name's own header
RULES = ("no-unlikely-in-sc-retry", "retry-code-chosen-in-one-place")


def split_after_prepare(loop: str) -> list[EmailMessage]:
    """v4: the helper header, the Prepare patch, then seamcall_retry() added in a header of its own (``loop`` under
    the new name), then sc_retry() dropped and its callers switched: the rename split over the last two patches."""
    new = loop.replace("sc_retry(", "seamcall_retry(").replace("sc_mark_dirty", "seamcall_mark_dirty")
    header = "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef SH_RETRY_H\n#define SH_RETRY_H\n\n" + new + "\n#endif\n"
    base = helpers(RETRY_SAFE)
    switched = prepared(PREAMBLE + PRINTERS.replace("sc_retry(", "seamcall_retry(") + TAIL)
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, prepared(base)),)),
                        Step("x86/virt/tdx: Add seamcall_retry()", ((RETRY_H, None, header),)),
                        Step("x86/virt/tdx: Switch to seamcall_retry()", ((NEW_HOME, prepared(base), switched),))])


def _gate(tmp_path: Path, msgs: list[EmailMessage]) -> dict[str, tuple[VerdictStatus, str]]:
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "g.mbox", msgs),), "v4", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts if v.rule.id in RULES}


SHOWN = "followed sc_retry -> seamcall_retry, renamed in v4 04/4 (an earlier patch added seamcall_retry()), body "


@pytest.mark.parametrize(("loop", "unlikely", "together"), [
    (RETRY_SAFE, VerdictStatus.PASS, VerdictStatus.NOT_APPLICABLE),
    (RETRY_BY_LEAF, VerdictStatus.FAIL, VerdictStatus.FAIL),
], ids=["faithful", "unlikely and retry code by leaf"])
def test_rules_follow_a_rename_split_in_two_patches(tmp_path: Path, loop: str, unlikely: VerdictStatus,
                                                    together: VerdictStatus) -> None:
    # Before: both inconclusive, 'nothing in v4's code names sc_retry() (renamed or removed? ...)'.
    found = _gate(tmp_path, split_after_prepare(loop))
    assert found["no-unlikely-in-sc-retry"][0] is unlikely, found
    assert found["retry-code-chosen-in-one-place"][0] is together, found
    assert all(note.startswith(SHOWN) for _, note in found.values()), found


def test_a_helper_unlike_the_one_it_replaces_is_not_followed(tmp_path: Path) -> None:
    # Below git's -M threshold the new helper is no rename of sc_retry(): never judged in its place.
    other = "static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n" \
            "\treturn op(fn, args) ? TDX_RND_NO_ENTROPY : 0;\n}\n"
    found = _gate(tmp_path, split_after_prepare(other))
    assert all(s is VerdictStatus.INCONCLUSIVE and "followed" not in note for s, note in found.values()), found

"""A report naming the patch first or last ("With this applied, TDX init hangs."), of any failure, read as one."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import request_in
from harness.objections import ObjectionKind
from harness.regressions import regression
from tests.harness.test_gate_drops import REVIEWER
from tests.harness.test_regressions import _gate

# Each was read as nothing below the patch: 'v2: READY', exit 0.
REPORTED = [
    "With this applied, TDX init hangs on my machine.",
    "TDX init fails on my machine with this applied.",
    # The patch first: applied, applying, since; a failure that is not boot.
    "After applying this, module load fails.",
    "Since this patch, the tdx selftest fails.",
    "With this patch applied, loading kvm_intel fails.",
    "With this patch, I get a WARN splat in tdx_init().",
    "With v2 applied, the TDX module times out on every SEAMCALL.",
    "Since this commit, kexec gets stuck on my SPR box.",
    "With this applied, there's a lockdep splat at boot.",
    "With the patch applied, dmesg shows a WARN in tdx_init().",
    "Applied on top of 6.19-rc1, TDX init hangs.",
    # The patch last.
    "The kvm module fails to load with this applied.",
    "kvm_intel fails to probe on SPR with this patch.",
    "The TDX selftest times out with this series applied.",
    "TDX init hangs since this patch.",
    # The patch making something fail, its subject named any way.
    "This commit makes TDX init hang.",
    "This patch makes kvm_intel fail to load on my SPR box.",
    "It makes TDX module init oops.",
    "This makes the guest WARN at boot.",
]

# Success, the failure gone, the failure without the patch (arguing for it), a condition, the patch's design said.
NOT_REPORTED = [
    "With this applied, TDX init works on my machine.",
    "Tested: no hang with this applied.",
    "Without this applied, TDX init hangs on my machine.",
    "With this applied, TDX init no longer hangs on my machine.",
    "With this applied, my box no longer hangs.",
    "With this applied my machine never crashes.",
    "Since this patch, my box no longer crashes at boot.",
    "With this patch, nothing hangs anymore.",
    "With this applied, the hang I saw is gone.",
    "With this patch, I see the WARN go away.",
    "With this patch, TDX init fails if the module is missing, as it should.",
    "With this patch, tdx_init() fails cleanly instead of hanging.",
    "This patch makes the loader fail instead of hanging.",
    "This makes TDX init fail gracefully when the loader is busy.",
    "This patch makes the failure path clearer.",
    "The selftest fails on v1 but passes with this patch.",
    "TDX init never fails with this applied.",
    "TDX init fails without this patch.",
    "Does TDX init hang with this applied?",
    "If TDX init hangs with this applied, we revert it.",
    "TDX init hung before this patch; with this applied it works.",
    "Everything works with this applied, but the selftest hangs without it.",
    "With this series, KVM fails the VM creation when TDX is off, which is what we want.",
    "With it, the code warns about a missing leaf.",
    "This makes the retry loop time out after 1s.",
    "Applied, thanks.",
]


@pytest.mark.parametrize("said", REPORTED)
def test_a_report_naming_the_patch_first_or_last_is_read(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_REPORTED)
def test_what_reports_no_failure_of_the_patch_is_not_read_as_one(said: str) -> None:
    assert regression(said, request_in) is None, said


@pytest.mark.parametrize("body", [
    "With this applied, TDX init hangs on my machine.\n",
    "TDX init fails on my machine with this applied.\n",
    "> +\t} while (err == BUSY);\n\nSince this patch, the tdx selftest fails.\n",
])
def test_a_report_naming_the_patch_blocks_the_gate(tmp_path: Path, body: str) -> None:
    # Before: 'v2: READY', exit 0.
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert g.exit_status == 1 and [(o.kind, o.target, o.msgid) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "v2 02/3", "r0@example.org")], g.headline()


@pytest.mark.parametrize("body", [
    "With this applied, TDX init works on my machine.\n",
    "Tested: no hang with this applied.\n",
    "Without this applied, TDX init hangs on my machine.\n",
    "With this applied, my box no longer hangs.\n",
])
def test_what_argues_for_the_patch_leaves_the_gate_to_the_rules(tmp_path: Path, body: str) -> None:
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert not g.objections and g.exit_status == 0, g.headline()

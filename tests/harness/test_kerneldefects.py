"""harness.kerneldefects: a defect named in the kernel's own terms is a review point; one denied or fixed is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.concernwords import concern_stated
from harness.pointwords import point_sentence
from tests.harness.test_gate_naks import MAE, _objections, _replies

# Each was read as nothing before harness.kerneldefects: the gate READY, exit 0. By kind: code no build uses, a
# pointer's lifetime, context (atomic, preemption, locks), a tool's warning, a breakage of the build/ABI/bisection,
# an error path reporting success, two places disagreeing, a printk's newline.
STATED = [
    "The 'ret' variable is now unused.", "tdx_sysinfo is set but not used.", "This is dead code now.",
    "The else branch is unreachable.", "'err' may be used uninitialized on the early return.",
    "Potential NULL pointer dereference if kzalloc() fails.", "Use-after-free on the error path.",
    "Double free when tdx_init() fails twice.", "seamldr_call() sleeps in atomic context.",
    "mutex_lock() under the spinlock means sleeping in atomic context.",
    "The lock isn't held on this path.",
    "This reads the list without holding the lock.", "Sparse warns about the cast to u32.",
    "Smatch complains about the unchecked return.", "Lockdep splats on the hotplug path.",
    "This breaks bisection: patch 4 uses a helper patch 5 adds.", "ABI break for the sysfs file.",
    "The failure path returns 0.", "It returns success on an error.",
    "The two helpers disagree on the leaf's format.", "The pr_err() has no trailing newline.",
    "That message lacks a \\n.", "This path can schedule while atomic.",
    # Memory past its object (round 68's blind list: "Your v5 still has the out-of-bounds read ..." passed READY).
    "There is an out-of-bounds access here.", "OOB write on the error path.",
    "Out-of-bounds index when the module returns more entries.",
]
# The same words of a defect denied, fixed, asked, conditional, conceded or of the old code.
NOT_STATED = [
    "No out-of-bounds access here, the index is checked.", "The out-of-bounds write from v4 is fixed, thanks.",
    "No more dead code, thanks.", "This fixes the NULL pointer dereference.",
    "The old code had a use-after-free; this version is fine.", "This is safe to call with preemption enabled.",
    "Runs with interrupts disabled, as intended.", "Is the lock held here?", "The lock is held by the caller.",
    "If CONFIG_KVM=n, the helper is unused, which is fine.", "This does not break the build.",
    "It doesn't break bisection, I checked each patch.", "Sparse is happy now.", "No lockdep splats.",
    "Nothing sleeps in atomic context here.", "The error path returns -EIO, good.",
    "The unreachable() annotation is right.", "Good, the message has a trailing newline now.",
    "I disagree on the naming, but either is fine by me.", "Keep in mind this runs with preemption disabled.",
    "checkpatch reports no warnings.", "This is unused, so dropping it is fine.", "Sparse flags nothing here.",
    # The build broken is harness.regressions' to read (and to place: below a proposal it judges the proposal).
    "This breaks the build.",
]


def test_the_reader() -> None:
    assert [s for s in STATED if not concern_stated(s) or point_sentence(s) != s] == []
    assert [s for s in NOT_STATED if concern_stated(s)] == []


@pytest.mark.parametrize("words", ["seamldr_call() sleeps in atomic context.", "The failure path returns 0."])
def test_a_kernel_defect_below_the_patch_blocks(tmp_path: Path, words: str) -> None:
    # Before: 'v2: READY', exit 0, the reviewer's words said nowhere.
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("q1@example.org", words)]

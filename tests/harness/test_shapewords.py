"""harness.shapewords: a flaw stated by its shape alone is a review point; the same words granted or denied are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.concernwords import concern_stated
from harness.pointwords import point_sentence
from harness.shapewords import shape_stated
from tests.harness.test_gate_naks import MAE, _objections, _replies

# Each was read as nothing before harness.shapewords: the gate READY, exit 0 (round 67: a flaw stated plainly, with
# no request verb and no word of a flaw). By kind: an ability the code's user lacks, a thing not the one it should
# be, a correction "A, not B", a use before its check, a return value ignored, a format for the wrong type, an errno
# for the wrong case, a context the callee must not run in, a lock or a reference unbalanced.
STATED = [
    "There is no way for the caller to distinguish -EBUSY from a real error.",
    "There is no way for userspace to tell a timeout from a firmware failure.",
    "Nothing lets the caller retry after -EAGAIN.",
    "The printed leaf is not the leaf that failed.", "The cpu you pick is not the cpu that holds the lock.",
    "The reported size is not the size that was allocated.",
    "The address printed here is the virtual one, not the physical one the firmware sees.",
    "It writes the status to the stack copy, not to the caller's struct.",
    "size_t is printed with %zu, not %d.", "%llx, not %lx: this is a u64.",
    "The mask covers bit 31, not bit 63 as the spec says.",
    "The bounds check has to happen before the array access, not after.",
    "It dereferences args before the NULL check.", "The length is used before it is validated.",
    "You read hdr->size and only then check that hdr is non-NULL.",
    "The lock is taken after the list is walked, so the walk is unprotected.",
    "You free the buffer and then print its contents.",
    "You're ignoring the return value of regulator_enable().",
    "The return value of seamldr_call() is dropped on the floor.",
    "u64 is printed with %d here.", "The format string prints a pointer as an int.",
    "The helper returns -EINVAL for a busy module.", "This returns -ENOMEM when the module is simply busy.",
    "The busy case falls through to -EPERM.",
    "It calls the helper with preemption enabled.", "sc_retry() is called with preemption enabled here.",
    "msleep() is called from the IPI handler.", "This code calls schedule() with a spinlock held.",
    "This unlocks a lock it never took.", "The counter is decremented on the success path too, so it goes negative.",
    "The version check compares the minor number against the major limit.",
    "The comment says 4K, but the check uses 2M.",
    # The same kinds in other words (written after the reader, to see it generalize).
    "There's no way for the admin to find out which CPU failed the update.",
    "The user has no way to recover from a half-applied update.",
    "Userspace can't know whether the module was updated.",
    "The value you print is not the value that the firmware returned.",
    "The lock you take here is not the lock that protects the list.", "This checks the old pointer, not the new one.",
    "It reads from the shadow copy, not from the hardware register.",
    "The bounds check is after the memcpy, not before.",
    "It uses len before the range check.", "The pointer is dereferenced before it is checked for NULL.",
    "hdr is validated only after it has been used.", "You drop the lock and then touch the list.",
    "You're ignoring the error from seamldr_install().", "Nobody looks at the return value of tdx_enable().",
    "A u64 is printed with %lu here.", "The size_t len is printed with %d.", "This prints a u64 as a pointer.",
    "You print the phys_addr_t with %lx.", "%u for a u64 will truncate on 32-bit.",
    "It returns -EIO when the module is busy.", "The timeout case returns -EBUSY.",
    "The helper is called with interrupts enabled.", "It invokes seamldr_call() with preemption enabled.",
    "cond_resched() is called with a spinlock held.", "mutex_lock() is called from the timer callback.",
    "This releases a reference it never took.", "The error path puts a device it never got.",
    "You return without releasing the mutex on the -EBUSY path.", "The refcount goes negative on the second remove.",
    "It compares the lower bound with the upper limit.",
    # The held-out list's misses, read after it was measured: a past tense inside the shape's own clause, "been used
    # to", stop_machine() as a context.
    "The caller has no way to know the update was only partially applied.",
    "Nothing tells the caller that the update was skipped.",
    "The index is checked after it has already been used to read the table.",
    "The callback runs under stop_machine() and calls vmalloc(), which can sleep.",
    "The timeout is in milliseconds, but msecs_to_jiffies() is never applied.",
    # A negator denies the flaw word after it, not one past a turn.
    "This is not racy but it hides the error.", "It is not slow but racy.",
]
# The same words of no flaw: an assurance, a question, a condition, granted, the flaw fixed or of the past, the
# sender's own, a thought taken back, a case named.
NOT_STATED = [
    "There is no way this can fail: the caller holds the lock.",
    "There is no way for the caller to get here with a NULL args, so the check is fine.",
    "%zu, not %d, is what v3 uses now, good.", "The check now happens before the access.",
    "It returns -EBUSY for a busy module, as it should.",
    "Is there a way for the caller to distinguish -EBUSY from a real error?",
    "v1 printed size_t with %d; this version uses %zu. Thanks.",
    "The old code ignored the return value of regulator_enable(); this patch fixes that.",
    "Previously it dereferenced args before the NULL check; now it's the other way round. Good.",
    "My test module ignored the return value, that's why I saw the warning; the patch is fine.",
    "Does the helper return -EINVAL for a busy module?",
    "It calls the helper with preemption disabled, which is what the helper needs.",
    "sc_retry() is called with preemption disabled here, good.",
    "The leaf printed is the one that failed, which is what we want.", "u64 is printed with %llu, fine.",
    "The return value of seamldr_call() is checked right below.", "The length is validated before it is used.",
    "The index is checked before it is used to read the table.",
    "Userspace cannot tell which CPU failed, but it doesn't need to; the log has it.",
    "-ENOENT for a missing module, -EBUSY for a busy one: that matches the other callers.",
    "The offset is into the module, not the page, which matches the spec.",
    "The pointer is printed with %p, which is right.", "This is safe to call with preemption enabled.",
    "The old code returned -EINVAL for a busy module; -EBUSY is much better.",
    "The changelog explains why the caller cannot retry after a failure, which makes sense to me.",
    "The caller can distinguish a missing loader from an old one by the error code now.",
    "The comment says 4K and the check uses 4K, consistent.",
    "I first thought this called schedule() with a spinlock held, but the lock is dropped just before.",
    "It returns -EBUSY only when the module is busy.", "No way to tell from the log.",
    "It is called with preemption enabled, so it may sleep.", "This runs with preemption enabled.",
    "The helper is always called with interrupts enabled, so GFP_KERNEL is fine.",
    "I have no way to test this on SPR.", "Userspace can tell the two apart from the exit code.",
    "This returns -EAGAIN when the module is busy, so the caller retries.", "We print it with %llx since it is a u64.",
    "It prints the size with %zu.", "It frees the buffer and then returns -ENOMEM.",
    "We check the size before it is used.",
    "I'm ignoring the return value on purpose here.", "This is not the only caller that needs it.",
    "-EBUSY, not -EAGAIN, is what the spec says, and that's what it returns.", "This goes to x86, not to mm.",
    "I tested it on SPR, not on EMR.", "Patch 3, not 2.", "pr_fmt() is not a prefix the mirror models.",
    "The old code called it with preemption enabled; this patch disables it.",
    "The caller had no way to know the update was partial; v3 fixes that.",
    "The callback runs under stop_machine() and only touches per-cpu data, which is fine.",
    "It compares the major number against the major limit and the minor against the minor one.",
    "The helper is in place, but it is never called with NULL.",
    "It's not the patch that breaks boot, it's the firmware.",
]


def test_the_reader() -> None:
    assert [s for s in STATED if not concern_stated(s) or point_sentence(s) != s] == []
    assert [s for s in NOT_STATED if concern_stated(s) or point_sentence(s) is not None] == []


def test_shapes_alone() -> None:
    # The shapes read with no exclusion of concernwords': granted or denied in the sentence itself.
    assert shape_stated("It returns -EINVAL when the module is busy.")
    assert not shape_stated("It returns -EBUSY when the module is busy.")
    assert not shape_stated("It doesn't return -EINVAL for a busy module.")
    assert shape_stated("The size_t is printed with %u.") and not shape_stated("The size_t is printed with %zx.")
    assert shape_stated("%d for a size_t") and not shape_stated("%pa for a phys_addr_t")


@pytest.mark.parametrize("words", ["There is no way for the caller to distinguish -EBUSY from a real error.",
                                   "The helper returns -EINVAL for a busy module.",
                                   "You're ignoring the return value of regulator_enable(). If it fails we go on "
                                   "and touch unpowered hardware."])
def test_a_flaw_stated_by_its_shape_blocks(tmp_path: Path, words: str) -> None:
    # Before: 'v2: READY', exit 0, through `seamharness gate` (the CLI), the reviewer's words said nowhere.
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("q1@example.org", words.split(". ")[0].rstrip(".") + ".")]


@pytest.mark.parametrize("words", ["It returns -EBUSY for a busy module, as it should.",
                                   "There is no way this can fail: the caller holds the lock."])
def test_the_same_shape_granted_passes(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == []

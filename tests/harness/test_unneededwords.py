"""A thing said not needed asks to drop it only where the patch adds it or the reply quotes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pointwords import point_sentence
from harness.unneededwords import added_in, unneeded_thing
from tests.harness.test_gate_naks import MAE, _objections, _replies

# Each blocked the gate as a review point (round 70): a virtue denied read as a flaw of the patch, whose patch 2 adds
# no check, lock, barrier or READ_ONCE() (its one "if" a loop's condition and a leaf's bit test).
NOT_ADDED = [
    "No check is needed here.", "No NULL check is needed here, the pointer comes from the caller which already "
    "validated it.", "No lock is needed here: the list is only touched at probe time.",
    "No extra locking is needed here.", "No need for a barrier here, the lock orders it.",
    "No barrier is needed here, the lock provides the ordering.",
    "Good point about READ_ONCE(), but it is not needed here since we hold the lock. So the patch is fine.",
    "Fair point about the barrier, but it isn't needed here because the spinlock already orders these accesses.",
    "Re Jane's suggestion of adding a lockdep assert: it is not needed here since the only caller holds the mutex.",
    "As for the smp_mb() Jane proposed: not needed here, we already hold the lock.\n\nReviewed-by: Mae Maint "
    "<mae@example.org>",
    "Good catch about the memset, but it's not needed here as kzalloc already zeroes the buffer. Patch looks fine.",
    "I see why Dan suggested an extra barrier, but it's not required here: the atomic op already implies one.",
]
# The thing quoted as the patch adds it, named by the code around it, or a change asked beside it.
ASKED = [
    "> +\tx = READ_ONCE(y);\n\nREAD_ONCE() is not needed here.",
    "> +\tsmp_mb();\n\nThe smp_mb() is not needed here since we hold the lock.",
    "> +\tif (!ptr)\n> +\t\treturn -EINVAL;\n\nNo check is needed here, the caller guarantees ptr is valid.",
    "> +\tif (!ptr)\n> +\t\treturn -EINVAL;\n\nThis check is not needed here, the caller guarantees ptr is valid.",
    "> +\tspin_lock(&l);\n\nNo lock is needed here: the list is only touched at probe time.",
    "No check is needed here, but please add a comment.",
    "> +\tsmp_wmb();\n\nNo need for a barrier here, the lock orders it.",
    "The lock is not needed here and the patch adds it in a hot path.",
    "Good point about READ_ONCE(), and it is needed here since we don't hold the lock. Please add it.",
    "No check is needed here. The loop never ends on a busy status though, please bound it.",
]


@pytest.mark.parametrize("words", NOT_ADDED)
def test_a_thing_not_needed_that_the_patch_does_not_add_passes(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("u1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == []


@pytest.mark.parametrize("words", ASKED)
def test_one_the_patch_adds_or_a_change_beside_it_blocks(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("u1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox), words


def test_the_thing_and_where_it_is_read() -> None:
    reads = lambda w: point_sentence(w) is not None  # noqa: E731
    assert unneeded_thing("No NULL check is needed here.", reads) == "NULL check"
    assert unneeded_thing("This check is not needed here.", reads) is None  # the code quoted
    assert unneeded_thing("READ_ONCE() is not needed here, drop it.", reads) is None
    assert added_in("check", ["\tif (IS_ERR(p))"]) and not added_in("check", ["\tif (err != busy || !--left)"])
    assert added_in("barrier", ["\tsmp_store_release(&x, 1);"]) and added_in("locking", ["\tmutex_lock(&m);"])
    assert added_in("", ["x"])  # nothing read of it: taken as added

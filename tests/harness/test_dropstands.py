"""harness.dropstands: a maintainer's drop by number is lifted by their later word that those patches are applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.test_maintainer_drop import _two


@pytest.mark.parametrize("applied", ["Applied 2/3 again, thanks.", "Applied 1-3, thanks.", "Applied patches 1-3.",
                                     "Re-applied 2/3.", "Pulled 2/3 after all.", "Took patch 2 back, thanks."])
def test_a_numbered_drop_then_those_patches_applied_blocks_nothing(tmp_path: Path, applied: str) -> None:
    # Before: the numbered "Applied" was read as nothing, the drop stood: NOT READY, exit 1.
    assert _two(tmp_path, "Dropped 2/3, thanks.", applied) == 0


@pytest.mark.parametrize("applied", ["Applied 1/3, thanks.", "Applied 1/3 and 3/3.", "I haven't applied 2/3.",
                                     "If it builds, applied 2/3.", "Applied 2/3?", "Pulled 2/3 from my tree.",
                                     "I haven't pulled 2/3."])
def test_other_patches_applied_or_not_applied_leave_the_drop(tmp_path: Path, applied: str) -> None:
    assert _two(tmp_path, "Dropped 2/3, thanks.", applied) == 1


def test_a_numbered_applied_dated_before_the_drop_leaves_it(tmp_path: Path) -> None:
    mon, tue = "Mon, 01 Dec 2026 10:00:00 +0000", "Tue, 02 Dec 2026 10:00:00 +0000"
    assert _two(tmp_path, "Dropped 2/3, thanks.", "Applied 2/3 again, thanks.", (tue, mon), answers=False) == 1


@pytest.mark.parametrize("keep", ["Never mind, keep patch 2 of the other series.", "Never mind, keep patch 2 of v1.",
                                  "Actually, keep 2/3 from your other patch set.",
                                  "Never mind, keep patch 2 in the other thread.",
                                  "Never mind, keep patch 2 from another posting.",
                                  "Never mind, keep patch 2 (other series).", "Never mind, keep patch 2 (v1).",
                                  "Never mind, keep patch 2 of Olga's series.", "Actually, keep Olga's 2/3.",
                                  "Never mind, keep patch 2 from Thomas' patch set.",
                                  "Never mind, keep patch 2 of her series.",
                                  "Never mind, keep patch 2 of the KVM series."])
def test_a_keep_of_another_series_or_revision_leaves_the_drop(tmp_path: Path, keep: str) -> None:
    # Before: v2 READY, exit 0: a keep naming another series' (or revision's) patch 2 lifted "Please drop patch 2." of
    # this one.
    assert _two(tmp_path, "Please drop patch 2.", keep) == 1


@pytest.mark.parametrize("keep", ["Never mind, keep patch 2.", "Never mind, keep patch 2 of this series.",
                                  "Never mind, keep patch 2 of v2.", "Never mind, keep 2/3 of version 2.",
                                  "Never mind, keep patch 2 (v2).", "Never mind, keep patch 2 of the patch set.",
                                  "Never mind, keep patch 2 of the whole series."])
def test_a_keep_of_this_series_lifts_the_drop(tmp_path: Path, keep: str) -> None:
    assert _two(tmp_path, "Please drop patch 2.", keep) == 0

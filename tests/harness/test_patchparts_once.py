"""harness.patchparts reads a patch's changed lines, and works out a split, once.

harness.patchparts reads a patch's changed lines, and works out a split, once per patch and revisions: the judge
places a rule's patch for every variant and rule, and read them again each time (41% of a filled-cache eval)."""

from __future__ import annotations

from pathlib import Path

from harness import patchparts
from harness.pipeline import SeriesRequest, read_inputs
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_BY_LEAF, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))


def test_lines_and_parts_worked_out_once(tmp_path: Path) -> None:
    base, picked = helpers(RETRY_SAFE), helpers(RETRY_BY_LEAF)
    mbox = write_mbox(tmp_path / "s.mbox", revision(3, [CREATE, Step(PREPARE, ((NEW_HOME, base, picked),))])
                      + revision(4, [CREATE,
                                     Step("x86/virt/tdx: Pick the P-SEAMLDR retry code", ((NEW_HOME, base, picked),)),
                                     Step(PREPARE, ((NEW_HOME, picked, picked),))]))
    series = read_inputs(SeriesRequest((mbox,)))
    v3, v4 = series.revision(3), series.revision(4)
    assert v3 is not None and v4 is not None
    patch = v3.patches[1]
    first = patchparts.changed_lines(patch)
    assert first and patchparts.changed_lines(patch) is first
    parts = patchparts.split_parts(v4, 3, v3, 2)
    assert parts is not None and parts.numbers == (2, 3), parts
    assert patchparts.split_parts(v4, 3, v3, 2) is parts
    assert patchparts.split_parts(v4, 2, v3, 2) is not parts  # another number, worked out for itself

"""A unit that includes a header a later patch of the revision creates does not build before that patch.

``seamldr.c`` (patch 1) includes ``"seamldr_local.h"``, which patch 2 creates (``new file``: it was not there):
gcc stops at the include (fatal error: no such file). The state after patch 1 ran the wrapper as if it built, and
patch 2 read "no behaviour change" (found with a git format-patch series of a small tree of our own; gcc -E of the
tree at that commit is the oracle).
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from harness.pipeline import EvalRequest, evaluate
from models.outcome import OutcomeStatus
from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, Step, revision, with_objects
from tests.harness.test_unread_include import HEADER, LOADER, WRAPPER
from tests.mailgen import write_mbox

LOCAL = "arch/x86/virt/vmx/tdx/seamldr_local.h"


def _series(split: bool) -> list[EmailMessage]:
    """v10: the wrapper including its own header, created in a second patch (``split``) or beside it."""
    wrapper = ((LOADER, None, WRAPPER.format(header='"seamldr_local.h"', busy="TDX_RND_NO_ENTROPY")),
               (MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "seamldr.o")))
    header = ((LOCAL, None, HEADER),)
    if split:
        return revision(10, [Step("x86/virt/tdx: Add a P-SEAMLDR query", wrapper),
                             Step("x86/virt/tdx: Add the P-SEAMLDR query header", header)])
    return revision(10, [Step("x86/virt/tdx: Add a P-SEAMLDR query", wrapper + header)])


def _query(tmp_path: Path, split: bool, state: str) -> tuple[OutcomeStatus, str]:
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", _series(split)),), jobs=1, time_budget=0))
    outs = [o for s, o in zip(ev.matrix.scenarios, ev.result.outcomes_of(state), strict=True)
            if s.entry.name == "seamldr_query"]
    assert outs
    return outs[0].status, outs[0].error or ""


def test_a_header_created_later_is_not_there_yet(tmp_path: Path) -> None:
    status, error = _query(tmp_path, True, "v10:01")
    assert status is OutcomeStatus.ERROR
    assert error.endswith(f'{LOADER}:4 includes "seamldr_local.h", which v10 02/2 creates later: gcc stops there '
                          "(no such file)"), error


def test_the_patch_that_creates_it_makes_it_build(tmp_path: Path) -> None:
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", _series(True)),), jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.label.startswith("v10 02/2")]
    assert cmp.changed, cmp.summary()


def test_a_header_created_with_it_builds(tmp_path: Path) -> None:
    status, error = _query(tmp_path, False, "v10")
    assert status is OutcomeStatus.OK, error

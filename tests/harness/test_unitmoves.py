"""A unit a patch deletes is absent after it (never built again from the tree); a renamed unit moves with its file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.diffmodel import PatchedFile
from harness.errors import Where
from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.unitmoves import file_moves, unit_at
from harness.variants import Variant
from harness.verdict import VerdictStatus
from models.outcome import OutcomeStatus
from tests.gitoracle import Change, am, init_repo, mailsplit
from tests.harness.seriesgen import NEW_HOME, WRAPPER
from tests.harness.unitgen import (
    MATRIX,
    PRINTS,
    RENAMED,
    base_files,
    creating,
    deleting,
    mail_base,
    mailed,
    renaming,
)
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
CREATE = creating()


def _eval(tmp: Path, changes: list[Change], tree: bool) -> tuple[Path, object]:
    base = base_files() if tree else mail_base()
    mbox = write_mbox(tmp / "s.mbox", mailed(tmp, base, changes))
    (tmp / "m.toml").write_text(MATRIX)
    linux = init_repo(tmp / "linux", base) if tree else None
    ev = evaluate(EvalRequest((mbox,), tree=linux, base="HEAD" if tree else None, matrix=tmp / "m.toml", jobs=1))
    return mbox, ev


def _am_paths(tmp: Path, mbox: Path, base: dict[str, str]) -> list[set[str]]:
    """The oracle: the files of each commit git am makes of the series on ``base`` (index 0: the base)."""
    repo = init_repo(tmp / "oracle", base)
    mails = [m for m in mailsplit(tmp, mbox) if b"] Units move" not in m]
    for n, raw in enumerate(mails):
        (tmp / f"mail-{n}").write_bytes(raw)
    commits, err = am(repo, [tmp / f"mail-{n}" for n in range(len(mails))])
    assert not err, err
    return [set(base)] + [set(c.blobs) for c in commits]


def _agrees(v: Variant, present: set[str], touched: set[str]) -> None:
    for path in touched:
        f = v.file(path)
        if path in present:
            assert f is not None and not f.absent, (v.name, path)
        else:
            assert f is None or f.absent, (v.name, path)


@pytest.mark.parametrize("tree", [False, True])
def test_a_deleted_unit_is_absent_after_its_patch_and_its_scenarios_not_provided(tmp_path: Path, tree: bool) -> None:
    changes = deleting() if tree else [CREATE, *deleting()]
    mbox, ev = _eval(tmp_path, changes, tree)
    paths = _am_paths(tmp_path, mbox, base_files() if tree else mail_base())
    last = len(changes)
    before, after = ev.result.variant(f"v1:{last - 1:02d}"), ev.result.variant(f"v1:{last:02d}")
    touched = {WRAPPER} if tree else {WRAPPER, NEW_HOME}  # the files the series' patches touch
    _agrees(before, paths[last - 1], touched)
    _agrees(after, paths[last], touched)
    gone = after.file(WRAPPER)
    assert gone is not None and gone.absent and gone.provenance[0].startswith(f"deleted by v1 {last:02d}/{last} <")
    assert ev.result.outcome(before.name, PRINTS).status is OutcomeStatus.OK
    # The header is still there, but no unit to build its printer in: not provided, as before a unit is created.
    assert ev.result.outcome(after.name, PRINTS).status is OutcomeStatus.NOT_PROVIDED
    cmp = ev.comparison.per_patch[-1]
    assert not cmp.unchanged and "no behaviour change" not in cmp.verdict()
    # Each entry point of the unit is said not compared, and why: the patch deleted the file it runs in.
    lacks = f"in {WRAPPER}, which v1:{last:02d} lacks (deleted by v1 {last:02d}/{last} <"  # '() run in' for several
    assert any("seamldr_prerr" in g.entries and lacks in g.reason for g in cmp.gaps), cmp.summary()
    # The function the unit defined: not compared for the same reason, or said gone; never the same.
    assert any("seamldr_query" in g.entries and lacks in g.reason for g in cmp.gaps) \
        or any(d.scenario.entry.name == "seamldr_query" and "seamldr_query() is gone" in " ".join(d.notes)
               for d in cmp.differences), cmp.summary()


@pytest.mark.parametrize("tree", [False, True])
@pytest.mark.parametrize("prefix", [None, "seamldr-calls: "])
def test_a_renamed_unit_moves_with_its_file(tmp_path: Path, tree: bool, prefix: str | None) -> None:
    changes = renaming(prefix) if tree else [CREATE, *renaming(prefix)]
    mbox, ev = _eval(tmp_path, changes, tree)
    text = (tmp_path / "s.mbox").read_text()
    assert f"rename from {WRAPPER}" in text and f"rename to {RENAMED}" in text
    paths = _am_paths(tmp_path, mbox, base_files() if tree else mail_base())
    last = len(changes)
    after = ev.result.variant(f"v1:{last:02d}")
    _agrees(after, paths[last], {WRAPPER, RENAMED} if tree else {WRAPPER, RENAMED, NEW_HOME})
    assert after.moved == ((WRAPPER, RENAMED),)
    out = ev.result.outcome(after.name, PRINTS)
    assert out.status is OutcomeStatus.OK
    assert any(line.text.startswith(prefix or "seamldr-ops: ") for line in out.log), out.log
    cmp = ev.comparison.per_patch[-1]
    if prefix is None:  # a pure rename: the same code built in the same unit, under its new name
        assert cmp.unchanged, cmp.summary()
    else:
        assert cmp.changed and not cmp.unchanged


def test_moves_follow_renames_swaps_deletions_and_recreation() -> None:
    a, b, c = "x/a.c", "x/b.c", "x/c.c"

    def pf(src: str | None, dst: str | None) -> PatchedFile:
        return PatchedFile(src, dst, None, None, None, None, False, False, (), Where("t"))

    assert file_moves([[pf(a, b)], [pf(b, c)]]) == ((a, c),)
    assert file_moves([[pf(a, b), pf(b, a)]]) == ((a, b), (b, a))
    assert file_moves([[pf(a, b)], [pf(b, None)]]) == ()
    assert file_moves([[pf(a, b)], [pf(None, a)]]) == ()
    assert unit_at(((a, c),), a) == c and unit_at(((a, c),), b) == b


OTHER = "arch/x86/virt/vmx/tdx/seamldr_other.c"  # a second unit that includes the helpers and stays
OTHER_C = ('// SPDX-License-Identifier: GPL-2.0\n#define pr_fmt(fmt) "seamldr-other: " fmt\n\n'
           '#include "seamcall_internal.h"\n')
KEEPS = """[[rule]]
id = "keeps-behaviour"
reviewer = "R"
summary = "removing the wrapper keeps the printer's behaviour"
severity = "error"
[rule.check]
kind = "equivalence"
reference = "before:1"
scenarios = { entry = "seamldr_prerr" }
"""


def test_an_equivalence_never_passes_on_what_ran_in_a_unit_the_patch_deleted(tmp_path: Path) -> None:
    # The printer ran in the deleted unit before the patch and in the other unit on both sides: the other unit's
    # runs are the same, but what ran in the deleted one is gone. It passed on the other unit alone.
    base = {**base_files(), OTHER: OTHER_C}
    mbox = write_mbox(tmp_path / "s.mbox", mailed(tmp_path, base, deleting()))
    (tmp_path / "m.toml").write_text(MATRIX.replace('[[entry]]\nname = "seamldr_prerr"\nunits = ["ops.c"]',
                                                    f'[[unit]]\nname = "other.c"\npath = "{OTHER}"\n[[entry]]\n'
                                                    'name = "seamldr_prerr"\nunits = ["ops.c", "other.c"]'))
    (tmp_path / "r.toml").write_text(KEEPS)
    linux = init_repo(tmp_path / "linux", base)
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, rules=tmp_path / "r.toml", matrix=tmp_path / "m.toml",
                                  tree=linux, base="HEAD"))
    [v] = g.verdicts
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert f"{WRAPPER} is gone from v1 (deleted by v1 01/1 <" in v.note and "1 scenario compared with v1:00" in v.note


def test_the_moves_of_every_prefix_are_those_of_the_prefix_alone() -> None:
    # One pass gives each prefix's moves (variants.revision_variants); each prefix's anew was quadratic.
    import random

    from harness.unitmoves import prefix_moves

    def pf(src: str | None, dst: str | None) -> PatchedFile:
        return PatchedFile(src, dst, None, None, None, None, False, False, (), Where("t"))

    rnd = random.Random(3)
    names = [None, "a.c", "b.c", "c.c", "d.c"]
    for _ in range(200):
        patches = [[pf(rnd.choice(names), rnd.choice(names)) for _ in range(rnd.randrange(1, 3))]
                   for _ in range(rnd.randrange(0, 6))]
        assert prefix_moves(patches) == [file_moves(patches[:k]) for k in range(len(patches) + 1)]

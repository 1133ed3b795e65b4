"""A move split in two patches (harness.moves.rehomed): the copy added by one, the original removed by the next."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.findings import FindingKind
from harness.gate import GateRequest, evaluate_gate
from harness.ingest import IngestRequest, parse_series
from harness.moves import earlier_in, rehomed
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    RETRY_LOST,
    RETRY_SAFE,
    TAIL,
    Step,
    helpers,
    moving_series,
    revision,
    split_moving_series,
    split_rename_series,
)
from tests.mailgen import write_mbox

RULE = "move-preserves-behaviour"


def _move(tmp_path: Path, faithful: bool, msgs: list | None = None) -> tuple[VerdictStatus, str]:  # type: ignore[type-arg]
    mbox = write_mbox(tmp_path / "v4.mbox", msgs or split_moving_series(faithful))
    found = next(v for v in evaluate_gate(GateRequest((mbox,), "v4", jobs=1)).verdicts if v.rule.id == RULE)
    return found.status, found.note


def test_the_second_half_of_a_split_move_moves_what_the_first_added(tmp_path: Path) -> None:
    series = parse_series(IngestRequest((write_mbox(tmp_path / "v4.mbox", split_moving_series(True)),)))
    first, second, third = series.revision(4).patches  # type: ignore[union-attr]
    moved = rehomed(second, earlier_in(series, second))
    assert moved and set(moved.values()) == {(OLD_HOME, NEW_HOME)}, moved
    assert {"sc_retry", "seamcall", "sc_retry_prerr"} <= set(moved), moved
    # Alone it moves nothing; nor does a patch whose earlier ones added nothing it removes.
    assert rehomed(second, ()) == {} and rehomed(first, ()) == {} and rehomed(third, (first, second)) == {}
    # A copy removed again before the patch is no copy of it: its callers get none.
    new = helpers(RETRY_SAFE).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    msgs = revision(5, [Step("x86/virt/tdx: Add a header", ((NEW_HOME, None, new),)),
                        Step("x86/virt/tdx: Remove it", ((NEW_HOME, new, None),)),
                        Step("x86/virt/tdx: Drop the helpers", ((OLD_HOME, helpers(RETRY_SAFE), PREAMBLE + TAIL),))])
    series = parse_series(IngestRequest((write_mbox(tmp_path / "v5.mbox", msgs),)))
    last = series.revision(5).patches[-1]  # type: ignore[union-attr]
    assert len(earlier_in(series, last)) == 2 and rehomed(last, earlier_in(series, last)) == {}


def test_a_faithful_move_in_two_patches_is_judged_across_the_second(tmp_path: Path) -> None:
    # Before: n/a, 'no patch of this variant moves code': neither patch removes and adds a definition.
    status, note = _move(tmp_path, faithful=True)
    assert status is VerdictStatus.PASS, (status, note)
    assert note.startswith("02/3 moves ") and f"({OLD_HOME} -> {NEW_HOME})" in note, note


def test_a_move_in_two_patches_that_loses_preemption_is_never_passed_over(tmp_path: Path) -> None:
    # Before: n/a as above, the gate blind to a copy that makes its SEAMCALLs with preemption on. From mail alone
    # the state between the patches holds both copies, unlike, under an #if not known, which the mirror cannot run:
    # inconclusive until round 49; now the two patches are judged as one move, from before the copy to after the
    # removal, and fail as the same move made in one patch does (moving_series: the same end states, git am says).
    status, note = _move(tmp_path, faithful=False)
    assert status is VerdictStatus.FAIL, (status, note)
    [e, *_] = _evidence(tmp_path)
    assert e.expected.startswith("01/3 and 02/3 together moves sc_retry (body 84% the same"), e.expected
    [one] = [v for v in evaluate_gate(GateRequest((write_mbox(tmp_path / "one.mbox", moving_series(False)),), "v4",
                                                  jobs=1)).verdicts if v.rule.id == RULE]
    assert one.status is VerdictStatus.FAIL and one.evidence[0].actual == e.actual, (one, e)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "lost.mbox", split_moving_series(False)),), jobs=1))
    kinds = {f.kind for f in ev.comparison.findings}
    assert kinds & {FindingKind.CODE_MOVE_CHANGED, FindingKind.CODE_MOVE_NOT_COMPARED}, kinds
    assert FindingKind.CODE_MOVE not in kinds, kinds


@pytest.mark.parametrize(("loop", "status"), [
    (RETRY_SAFE, VerdictStatus.PASS),
    (RETRY_LOST, VerdictStatus.FAIL),
], ids=["faithful", "preemption lost"])
def test_a_rename_in_two_patches_is_judged_across_the_second(tmp_path: Path, loop: str, status: VerdictStatus) -> None:
    # seamcall_retry() added first (nothing calls it), then sc_retry() removed and its callers switched. Before: n/a,
    # 'no patch of this variant moves code', whatever the new body does.
    got, note = _move(tmp_path, True, split_rename_series(loop))
    assert got is status, (got, note)
    assert "02/3 moves sc_retry -> seamcall_retry (body " in (note or " ".join(
        e.expected for e in _evidence(tmp_path))), note


def test_a_helper_unlike_the_one_it_replaces_is_no_rename(tmp_path: Path) -> None:
    # The new helper shares too little with the old one (below git's -M threshold): a rewrite, which equivalence
    # rules judge, not a move.
    other = "static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n" \
            "\treturn op(fn, args) ? TDX_RND_NO_ENTROPY : 0;\n}\n"
    got, note = _move(tmp_path, True, split_rename_series(other))
    assert got is VerdictStatus.NOT_APPLICABLE, (got, note)


def _evidence(tmp_path: Path) -> list:  # type: ignore[type-arg]
    found = next(v for v in evaluate_gate(GateRequest((tmp_path / "v4.mbox",), "v4", jobs=1)).verdicts
                 if v.rule.id == RULE)
    return list(found.evidence)


def test_a_c_files_own_macro_or_static_function_is_no_copy_of_another_files(tmp_path: Path) -> None:
    # A new .c file with its own pr_fmt and a static helper of a common name, then another .c file dropping its own:
    # those were never the copy its users get. A function of the new file that is not static is one.
    old = '#define pr_fmt(fmt) "old: " fmt\n\nstatic int sc_log(u64 fn)\n{\n\treturn 0;\n}\n\nint sc_entry(u64 fn)\n' \
          '{\n\treturn 1;\n}\n'
    new = '#define pr_fmt(fmt) "new: " fmt\n\nstatic int sc_log(u64 fn)\n{\n\treturn 1;\n}\n\nint sc_entry(u64 fn)\n' \
          '{\n\treturn 1;\n}\n'
    msgs = revision(5, [Step("demo: Add new.c", (("drivers/demo/new.c", None, new),)),
                        Step("demo: Trim old.c", (("drivers/demo/old.c", old, "/* empty */\n"),))])
    series = parse_series(IngestRequest((write_mbox(tmp_path / "v5.mbox", msgs),)))
    last = series.revision(5).patches[-1]  # type: ignore[union-attr]
    assert rehomed(last, earlier_in(series, last)) == {"sc_entry": ("drivers/demo/old.c", "drivers/demo/new.c")}


def _split(copy: str, between: bool = False, also: bool = False) -> list:  # type: ignore[type-arg]
    """v4: the helpers' new header added with ``copy``'s loop (``also``: the patch drops a comment line of asm/tdx.h
    too), ``between``: a patch of a wrapper between, then the helpers dropped from asm/tdx.h."""
    old, new = helpers(RETRY_SAFE), helpers(copy).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    marked = old.replace("#define SEAMLDR_LEAF_BIT", "/* the helpers */\n#define SEAMLDR_LEAF_BIT")
    first = Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                 ((NEW_HOME, None, new), *(((OLD_HOME, marked, old),) if also else ())))
    steps = [first, *([Step("x86/virt/tdx: Add a note", (("Documentation/x86/tdx-note.rst", None, "Note.\n"),))]
                      if between else []),
             Step("x86/virt/tdx: Drop the SEAMCALL helpers from asm/tdx.h", ((OLD_HOME, old, PREAMBLE + TAIL),))]
    return revision(4, steps)


@pytest.mark.parametrize(("between", "also"), [(True, False), (False, True)],
                         ids=["a patch between", "the copy's patch removes a line"])
def test_a_split_move_judged_whole_only_where_the_two_patches_are_the_move(tmp_path: Path, between: bool,
                                                                           also: bool) -> None:
    # Near misses: judged from before the copy, a patch between, or a line the copy's patch removes, would be put down
    # to the move: the state between still cannot run, and the rule is inconclusive as before, never a pass.
    status, note = _move(tmp_path, True, _split(RETRY_LOST, between, also))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "cannot run" in note and " together" not in note, note


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_split_and_the_single_move_end_in_the_same_tree_as_git_am_builds_them(tmp_path: Path) -> None:
    # The premise of judging the two patches as the move: applied by git am on a tree holding the helpers, the split
    # series and the one-patch move end in the same files (git diff --exit-code between the two).
    from tests.gitoracle import init_repo

    ends = []
    for name, msgs in (("split", split_moving_series(False)), ("one", moving_series(False))):
        repo = init_repo(tmp_path / name, {OLD_HOME: helpers(RETRY_SAFE)})
        count = 2 if name == "split" else 1
        mbox = write_mbox(tmp_path / f"{name}.mbox", msgs[1:1 + count])
        subprocess.run(["git", "-C", str(repo), "am", "-q", str(mbox)], check=True, capture_output=True)
        ends.append({p: (repo / p).read_text() for p in (OLD_HOME, NEW_HOME)})
    assert ends[0] == ends[1]

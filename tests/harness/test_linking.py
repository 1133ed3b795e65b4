"""A .c file a series creates is built only when a Makefile names its object: linked, not linked, or unknown."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.comparison import Comparison
from harness.filestate import LINK_MODE, FileState, full_file, unmodelled
from harness.linking import Link, unit_links
from harness.pipeline import EvalRequest, Evaluation, evaluate
from models.outcome import OutcomeStatus
from tests.gitoracle import am, init_repo, mailsplit
from tests.harness.linkgen import CALL, CALL_C, OPS, deleting_ops, inlining_header, moving_wrapper
from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, NEW_HOME, RETRY_SAFE, Step, helpers, revision, with_objects
from tests.mailgen import write_mbox

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
OURS = ("ldr_call", "ldr_query")


def _eval(tmp_path: Path, first: str | None, second: str | None, tree: Path | None = None) -> Evaluation:
    mbox = write_mbox(tmp_path / "v5.mbox", moving_wrapper(first, second))
    return evaluate(EvalRequest((mbox,), tree=tree, jobs=1))


def _move(ev: Evaluation) -> Comparison:
    """The comparison of patch 2, which moves ldr_call() into its new file."""
    return ev.comparison.per_patch[1]


def _ours(c: Comparison) -> tuple[list[str], list[str]]:
    """The notes of the differences and the gap reasons of the loader's entry points in a comparison."""
    notes = [n for d in c.differences if d.scenario.entry.name in OURS for n in d.notes]
    gaps = [g.reason for g in c.gaps if set(g.entries) & set(OURS)]
    return notes, gaps


def _oracle_makefile(tmp_path: Path, tree: dict[str, str], mbox: Path) -> str:
    """The Makefile git am leaves after the whole series on a repository holding ``tree`` ("" for none)."""
    repo = init_repo(tmp_path / "oracle", tree)
    mails = mailsplit(tmp_path, mbox)
    paths = []
    for n, raw in enumerate(mails[1:]):  # the cover letter has no diff
        paths.append(tmp_path / f"mail-{n}")
        paths[-1].write_bytes(raw)
    _, err = am(repo, paths)
    assert err == ""
    return (repo / MAKEFILE).read_text() if (repo / MAKEFILE).exists() else ""


def _status(ev: Evaluation, variant: str, path: str) -> Link:
    return next(u.status for u in ev.result.variant(variant).links if u.path == path)


@needs_git
def test_a_new_file_a_makefile_hunk_lists_is_linked_and_compared(tmp_path: Path) -> None:
    ev = _eval(tmp_path, "ldr_ops.o", "ldr_call.o")
    assert "ldr_call.o" in _oracle_makefile(tmp_path, {MAKEFILE: MAKEFILE_BASE}, tmp_path / "v5.mbox").split()
    assert _status(ev, "v5:02", CALL) is Link.LINKED and _status(ev, "v5:02", OPS) is Link.LINKED
    notes, gaps = _ours(_move(ev))
    assert notes == [] and gaps == []  # the moved wrapper ran on both sides, the same
    assert _move(ev).ran_both["ldr_call"] > 0


def test_a_new_file_without_makefile_text_from_mail_alone_is_inconclusive(tmp_path: Path) -> None:
    ev = _eval(tmp_path, None, None)
    assert _status(ev, "v5:02", CALL) is Link.UNKNOWN
    move = _move(ev)
    notes, gaps = _ours(move)
    assert notes == [] and not move.unchanged
    assert any("ldr_call.c:6" in g and "give --tree" in g and "no Makefile line for ldr_call.o" in g for g in gaps)


@needs_git
def test_a_new_file_the_series_makefile_hunks_leave_out_is_a_link_error(tmp_path: Path) -> None:
    ev = _eval(tmp_path, "ldr_ops.o", None)
    assert "ldr_call.o" not in _oracle_makefile(tmp_path, {MAKEFILE: MAKEFILE_BASE}, tmp_path / "v5.mbox").split()
    assert _status(ev, "v5:02", CALL) is Link.NOT_LINKED and _status(ev, "v5:01", OPS) is Link.LINKED
    move = _move(ev)
    notes, _ = _ours(move)
    assert move.changed and not move.unchanged
    assert any(n.startswith("status ok -> error: link error: ldr_call() is defined at " + CALL + ":6") for n in notes)
    assert any("ldr_query() uses ldr_call()" in n for n in notes)  # its caller in the linked file does not link
    assert ev.result.outcome("v5:02", "ldr_query/TDH_SYS_INIT/success/ldr_ops.c").error_kind == "build"


@needs_git
@pytest.mark.parametrize(("listed", "linked"), [(("ldr_ops.o", "ldr_call.o"), True), (("ldr_ops.o",), False)])
def test_the_trees_makefile_decides_with_tree(tmp_path: Path, listed: tuple[str, ...], linked: bool) -> None:
    tree = {MAKEFILE: with_objects(MAKEFILE_BASE, *listed)}
    init_repo(tmp_path / "linux", tree)
    ev = _eval(tmp_path, None, None, tree=tmp_path / "linux")
    after = _oracle_makefile(tmp_path, tree, tmp_path / "v5.mbox").split()
    assert ("ldr_call.o" in after) is linked
    assert _status(ev, "v5:02", CALL) is (Link.LINKED if linked else Link.NOT_LINKED)
    assert _status(ev, "v5:01", OPS) is Link.LINKED
    notes, gaps = _ours(_move(ev))
    assert gaps == []
    assert (notes == []) is linked
    assert linked or any(f"{MAKEFILE} names no ldr_call.o" in n for n in notes)


def _state(*files: FileState) -> dict[str, FileState]:
    return {f.path: f for f in files}


def _hunk(path: str, start: int, lines: list[str]) -> FileState:
    """A file known only from lines ``start``.. (what a hunk shows)."""
    return FileState(path, False, {start + i: (t, "hunk") for i, t in enumerate(lines)}, None, ("hunk",))


@pytest.mark.parametrize(("makefile", "status"), [
    ("obj-y += a.o \\\n\tldr_call.o \\\n\tb.o\n", Link.LINKED),  # a continued list
    ("obj-$(CONFIG_X) += ldr_call.o\n", Link.LINKED),
    ("ldr-y := ldr_call.o ldr_ops.o\nobj-m += ldr.o\n", Link.LINKED),  # a module's objects
    ("obj-y += a.o # not ldr_call.o\n", Link.NOT_LINKED),  # a comment
    ("CFLAGS_ldr_call.o := -O2\nccflags-y += ldr_call.o\nobj-y += a.o\n", Link.NOT_LINKED),  # flags, no list
    ("obj-n += ldr_call.o\n", Link.NOT_LINKED),
    ("obj-y += $(patsubst %.c,%.o,$(wildcard *.c))\n", Link.UNKNOWN),  # by pattern: not read
])
def test_makefile_lines_that_name_an_object(makefile: str, status: Link) -> None:
    state = _state(full_file(CALL, "int f(void) { return 0; }\n", "x"), full_file(MAKEFILE, makefile, "x"))
    (link,) = unit_links(state, {CALL}, set(), None)
    assert link.status is status, link.why


def test_a_hunk_alone_decides_only_for_a_makefile_the_patches_change() -> None:
    state = _state(full_file(CALL, "int f(void) { return 0; }\n", "x"), _hunk(MAKEFILE, 4, ["obj-y += a.o"]))
    assert unit_links(state, {CALL}, {MAKEFILE}, None)[0].status is Link.NOT_LINKED
    assert unit_links(state, {CALL}, set(), None)[0].status is Link.UNKNOWN  # learnt from a later patch's hunk
    continued = _state(state[CALL], _hunk(MAKEFILE, 4, ["\tldr_call.o \\"]))  # its assignment in no hunk
    assert unit_links(continued, {CALL}, {MAKEFILE}, None)[0].status is Link.UNKNOWN


def test_a_file_another_includes_or_a_parent_makefile_lists_is_linked() -> None:
    includer = full_file(OPS, '#include "ldr_call.c"\n', "x")
    state = _state(full_file(CALL, "int f(void) { return 0; }\n", "x"), includer)
    assert unit_links(state, {CALL}, set(), None)[0].why == f"{OPS}:1 includes it"
    digraph = _state(state[CALL], full_file(OPS, '%:include "ldr_call.c"\n', "x"))  # '%:' is '#' (C11 6.4.6p3)
    assert unit_links(digraph, {CALL}, set(), None)[0].why == f"{OPS}:1 includes it"
    parent = full_file("arch/x86/virt/vmx/Makefile", "obj-y += tdx/ldr_call.o\n", "x")
    state = _state(state[CALL], parent)
    assert unit_links(state, {CALL}, set(), lambda p: None)[0].status is Link.LINKED
    assert unit_links(_state(state[CALL]), {CALL}, set(), lambda p: None)[0].status is Link.NOT_LINKED  # tree, none


@pytest.mark.parametrize("listed", ["seamldr.o", "other.o"])
def test_a_header_helper_run_in_a_created_unit_needs_the_unit_built(tmp_path: Path, listed: str) -> None:
    # The matrix runs seamldr_prerr() in seamldr.c: a unit the series creates exists in the kernel only if built.
    unit = "arch/x86/virt/vmx/tdx/seamldr.c"
    msgs = revision(5, [Step("x86/virt/tdx: Add the loader's unit", (
        (NEW_HOME, None, helpers(RETRY_SAFE)), (unit, None, '#define pr_fmt(fmt) "seamldr: " fmt\n\n'
                                                          '#include "seamcall_internal.h"\n'),
        (MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, listed))))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "u.mbox", msgs),), jobs=1))
    out = ev.result.outcome("v5:01", "seamldr_prerr/TDH_SYS_INIT/success/seamldr.c")
    if listed == "seamldr.o":
        assert out.status == "ok"
    else:
        assert out.error_kind == "build" and out.error is not None
        assert out.error.startswith(f"link error: seamldr_prerr() runs in {unit}, a created file that is not built "
                                    f"(the patches change {MAKEFILE}, and no hunk of it names seamldr.o)")


def _revisions(tmp_path: Path, first: str | None, tree: Path | None = None) -> Evaluation:
    """v4 and v5 of the same series (moving_wrapper): patch 1 adds ``first`` to the Makefile, patch 2 nothing."""
    boxes = tuple(write_mbox(tmp_path / f"v{n}.mbox", moving_wrapper(first, None, version=n)) for n in (4, 5))
    return evaluate(EvalRequest(boxes, tree=tree, jobs=1))


@needs_git
@pytest.mark.parametrize("tree", [False, True])
def test_the_same_link_error_in_two_revisions_is_no_difference_and_not_compared(tmp_path: Path, tree: bool) -> None:
    # Both revisions leave ldr_call.c unbuilt: mail whose Makefile hunk names only ldr_ops.o, or a tree whose
    # directory has no Makefile at all. Neither side built: no difference, no "same", and each side says why.
    linux = init_repo(tmp_path / "linux", {"README": "a tree without a Makefile in arch/x86/virt/vmx/tdx\n"}) \
        if tree else None
    ev = _revisions(tmp_path, None if tree else "ldr_ops.o", tmp_path / "linux" if linux is not None else None)
    made = _oracle_makefile(tmp_path, {"README": "x\n"} if tree else {MAKEFILE: MAKEFILE_BASE}, tmp_path / "v5.mbox")
    assert "ldr_call.o" not in made.split() and (made == "") is tree
    for v in ("v4", "v5"):
        assert _status(ev, v, CALL) is Link.NOT_LINKED
        assert ev.result.outcome(v, "ldr_query/TDH_SYS_INIT/success/ldr_ops.c").error_kind == "build"
    across = next(c for c in ev.comparison.across if (c.a, c.b) == ("v4", "v5"))
    notes, gaps = _ours(across)
    assert notes == [] and not across.unchanged and not across.ran_both.get("ldr_call")
    why = f"{MAKEFILE[:-len('/Makefile')]} has no Makefile or Kbuild" if tree else \
        f"the patches change {MAKEFILE}, and no hunk of it names ldr_call.o"
    assert any(f"did not run in v4 or v5: link error: ldr_call() is defined at {CALL}:6, a created file that is not "
               f"built ({why})" in g for g in gaps), gaps
    move = _move_of(ev, "v5")  # within a revision, the patch that leaves its file unbuilt still differs
    assert any(n.startswith("status ok -> error: link error: ldr_call()") for n in _ours(move)[0]) is (not tree)


def _move_of(ev: Evaluation, rev: str) -> Comparison:
    return next(c for c in ev.comparison.per_patch if c.b == f"{rev}:02")


HOST = f"{MAKEFILE[:-len('/Makefile')]}/ldrhost"  # a directory the series creates, with its own Makefile


@pytest.mark.parametrize(("parent", "known", "made", "status"), [
    (MAKEFILE_BASE, "whole", True, Link.NOT_LINKED),  # the parent, known whole, does not descend into ldrhost/
    (with_objects(MAKEFILE_BASE, "ldrhost/"), "whole", True, Link.LINKED),
    (MAKEFILE_BASE + "obj-$(CONFIG_LDR) += ldrhost/\n", "whole", True, Link.LINKED),
    ("obj-y += ldr_ops.o", "changed", True, Link.NOT_LINKED),  # a hunk of a Makefile the patches change
    ("obj-y += ldr_ops.o", "later", True, Link.UNKNOWN),  # only a later patch's hunk: whether it descends is unknown
    ("obj-y += ldrhost/", "changed", True, Link.LINKED),
    (MAKEFILE_BASE, "whole", False, Link.LINKED),  # the directory is the tree's: taken as built, as before
    (None, "", True, Link.UNKNOWN),  # mail alone, no text of the parent: unknown (it was taken as built)
])
def test_a_directory_the_series_creates_is_built_only_when_its_parent_names_it(
        parent: str | None, known: str, made: bool, status: Link) -> None:
    unit, own = f"{HOST}/ldr_call.c", f"{HOST}/Makefile"
    files = [full_file(unit, "int f(void) { return 0; }\n", "x"), full_file(own, "obj-y += ldr_call.o\n", "x")]
    if parent is not None:
        files.append(full_file(MAKEFILE, parent, "x") if known == "whole" else _hunk(MAKEFILE, 4, [parent]))
    changed = {unit, own} | ({MAKEFILE} if known == "changed" else set())
    (link,) = unit_links(_state(*files), {unit}, changed, None, frozenset({unit, own} if made else {unit}))
    assert link.status is status, link.why
    assert status is Link.LINKED or link.why in (
        f"{MAKEFILE} names no ldrhost/, a directory the patches create",
        f"the patches change {MAKEFILE}, and no hunk of it names ldrhost/, a directory they create",
        f"{MAKEFILE} is known only from hunks of later patches, which do not name ldrhost/, a directory the patches "
        "create: give --tree",
        f"no Makefile or Kbuild text of {MAKEFILE[:-len('/Makefile')]} is known from mail alone, so whether kbuild "
        "descends into ldrhost/, a directory the patches create, is unknown: give --tree, or the series adds no line "
        "for ldrhost/")
    includer = full_file(OPS, '#include "ldrhost/ldr_call.c"\n', "x")  # built with a file of a built directory
    assert unit_links(_state(*files, includer), {unit}, changed, None, frozenset({unit, own})
                      )[0].status is Link.LINKED


@needs_git
@pytest.mark.parametrize("descends", [True, False])
def test_a_created_directory_with_tree_needs_its_parent_makefile_line(tmp_path: Path, descends: bool) -> None:
    unit, own = f"{HOST}/ldr_call.c", f"{HOST}/Makefile"
    parent = with_objects(MAKEFILE_BASE, "ldrhost/") if descends else MAKEFILE_BASE
    tree = {MAKEFILE: parent}
    init_repo(tmp_path / "linux", tree)
    msgs = revision(5, [Step("x86/virt/tdx: Add the loader host directory", (
        (NEW_HOME, None, helpers(RETRY_SAFE)), (own, None, "obj-y += ldr_call.o\n"), (unit, None, CALL_C)))])
    mbox = write_mbox(tmp_path / "v5.mbox", msgs)
    assert ("ldrhost/" in _oracle_makefile(tmp_path, tree, mbox).split()) is descends
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", jobs=1))
    link = next(u for u in ev.result.variant("v5:01").links if u.path == unit)
    assert link.status is (Link.LINKED if descends else Link.NOT_LINKED), link.why


@pytest.mark.parametrize(("makefile", "status"), [
    ("ldr-y := ldr_call.o\n", Link.NOT_LINKED),  # a composite no list names: ldr.o is not built, nor its parts
    ("ldr-objs := a.o \\\n\tldr_call.o\nobj-$(CONFIG_LDR) += ldr.o\n", Link.LINKED),
    ("ldr-$(CONFIG_X) += ldr_call.o\nobj-m += ldr.o\n", Link.LINKED),
    ("LDR_OBJS := ldr_call.o\nobj-y += $(LDR_OBJS)\n", Link.UNKNOWN),  # through a variable: not read
    ("obj-y += a.o \\\n\t$(LDR_OBJS)\n", Link.UNKNOWN),
])
def test_composite_lists_and_variables(makefile: str, status: Link) -> None:
    # The composite was linked, and a variable's objects a link error.
    state = _state(full_file(CALL, "int f(void) { return 0; }\n", "x"), full_file(MAKEFILE, makefile, "x"))
    (link,) = unit_links(state, {CALL}, set(), None)
    assert link.status is status, link.why


def test_a_composite_whose_object_only_a_hunk_may_list_is_unknown() -> None:
    state = _state(full_file(CALL, "int f(void) { return 0; }\n", "x"), _hunk(MAKEFILE, 4, ["ldr-y += ldr_call.o"]))
    assert unit_links(state, {CALL}, {MAKEFILE}, None)[0].status is Link.UNKNOWN


def test_a_kbuild_file_is_read_instead_of_the_makefile() -> None:
    # kbuild reads Kbuild where a directory has one; the Makefile's line linked a file Kbuild leaves out.
    kbuild = MAKEFILE.replace("Makefile", "Kbuild")
    unit = full_file(CALL, "int f(void) { return 0; }\n", "x")
    for kb, status in (("obj-y += a.o\n", Link.NOT_LINKED), ("obj-y += ldr_call.o\n", Link.LINKED)):
        state = _state(unit, full_file(MAKEFILE, "obj-y += ldr_call.o\n", "x"), full_file(kbuild, kb, "x"))
        assert unit_links(state, {CALL}, set(), None)[0].status is status
        tree = {kbuild: full_file(kbuild, kb, "t"), MAKEFILE: full_file(MAKEFILE, "obj-y += ldr_call.o\n", "t")}
        assert unit_links(_state(unit), {CALL}, set(), tree.get)[0].status is status  # read from the tree


@pytest.mark.parametrize("how", ["symlink", "binary"])
def test_a_kbuild_file_whose_text_is_not_known_leaves_the_unit_unknown(how: str) -> None:
    # kbuild reads a Makefile that is a symlink (its target) or that the harness cannot read: whether it names the
    # object is not known, never "has no Makefile" nor "names no ldr_call.o" (the link's target path as its text).
    unit = full_file(CALL, "int f(void) { return 0; }\n", "x")
    mk = (replace(full_file(MAKEFILE, "../common/Makefile.ldr", "t"), mode=LINK_MODE) if how == "symlink"
          else unmodelled(MAKEFILE, ("t",), "100644"))
    for state, read in ((_state(unit, mk), None), (_state(unit), {MAKEFILE: mk}.get)):
        (link,) = unit_links(state, {CALL}, set(), read)
        assert link.status is Link.UNKNOWN, link.why
        assert MAKEFILE in link.why, link.why
    parent = full_file("arch/x86/virt/vmx/Makefile", "obj-y += tdx/ldr_call.o\n", "x")  # a line elsewhere decides
    assert unit_links(_state(unit, mk, parent), {CALL}, set(), None)[0].status is Link.LINKED


def _host_series(tmp_path: Path) -> Path:
    unit, own = f"{HOST}/ldr_call.c", f"{HOST}/Makefile"
    msgs = revision(5, [Step("x86/virt/tdx: Add the loader host directory", (
        (NEW_HOME, None, helpers(RETRY_SAFE)), (own, None, "obj-y += ldr_call.o\n"), (unit, None, CALL_C)))])
    return write_mbox(tmp_path / "v5.mbox", msgs)


def test_a_created_directory_whose_parent_makefile_mail_does_not_show_is_unknown(tmp_path: Path) -> None:
    # The series creates ldrhost/ with its Makefile; no hunk shows the parent's. Whether kbuild descends into it
    # is not known from mail alone: ldr_call() ran as built, a new function of the patch.
    ev = evaluate(EvalRequest((_host_series(tmp_path),), jobs=1))
    link = next(u for u in ev.result.variant("v5:01").links if u.path == f"{HOST}/ldr_call.c")
    assert link.status is Link.UNKNOWN and "give --tree" in link.why, link.why
    out = ev.result.outcome("v5:01", "ldr_call/TDH_SYS_INIT/success/ldr_call.c")
    assert out.status is OutcomeStatus.ERROR and out.error_kind == "unsupported", out
    assert "whether kbuild descends into ldrhost/" in (out.error or "")
    notes = [n for d in ev.comparison.per_patch[0].differences if d.scenario.entry.name == "ldr_call" for n in d.notes]
    assert not any("is new" in n for n in notes), notes


@needs_git
def test_a_created_directory_whose_parent_has_no_makefile_in_the_tree_is_not_built(tmp_path: Path) -> None:
    init_repo(tmp_path / "linux", {"README": "no Makefile in arch/x86/virt/vmx/tdx\n"})
    mbox = _host_series(tmp_path)
    assert _oracle_makefile(tmp_path, {"README": "x\n"}, mbox) == ""  # git am leaves the parent without one
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", jobs=1))
    link = next(u for u in ev.result.variant("v5:01").links if u.path == f"{HOST}/ldr_call.c")
    assert link.status is Link.NOT_LINKED and "has no Makefile or Kbuild to name ldrhost/" in link.why, link.why


# kbuild's rule for an object list, nothing else: each object made from its source by make's built-in rules
KBUILD_STUB = "obj-y :=\ninclude $(DIR)/Makefile\nall: $(addprefix $(DIR)/,$(obj-y))\n"


def _make_builds(tmp_path: Path, tree: dict[str, str], mbox: Path) -> tuple[bool, str]:
    """The oracle: git am the series on ``tree``, then make (dry run, its built-in %.o: %.c rule, every CONFIG_
    option set) the objects the directory's Makefile lists: whether it has a rule for each, and what it says."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    _oracle_makefile(tmp_path, tree, mbox)
    repo = tmp_path / "oracle"
    (repo / "stub.mk").write_text(KBUILD_STUB)
    run = subprocess.run(["make", "-n", "-f", "stub.mk", f"DIR={MAKEFILE[:-len('/Makefile')]}", "CONFIG_LDR=y"],
                         cwd=repo, capture_output=True, text=True, timeout=60)
    return run.returncode == 0, run.stderr


SOURCES = {MAKEFILE: MAKEFILE_BASE, f"{MAKEFILE[:-len('Makefile')]}seamcall.c": "int a;\n",
           f"{MAKEFILE[:-len('Makefile')]}tdx.c": '#define pr_fmt(fmt) "virt/tdx: " fmt\nint b;\n'}


@needs_git
@pytest.mark.parametrize("tree", [False, True])
@pytest.mark.parametrize("keep_line", [True, False])
def test_a_deleted_file_whose_object_a_makefile_still_lists_is_a_build_error(tmp_path: Path, tree: bool,
                                                                             keep_line: bool) -> None:
    # Patch 2 deletes ldr_ops.c and leaves 'obj-y += ldr_ops.o': make stops, nothing is built. The runs of v5:02
    # were compared as if it built: "no behaviour change" in what ran on both sides.
    mbox = write_mbox(tmp_path / "v5.mbox", deleting_ops(keep_line))
    builds, said = _make_builds(tmp_path, SOURCES, mbox)
    assert builds is not keep_line and (not keep_line or ("No rule to make target" in said and "ldr_ops.o" in said))
    linux = init_repo(tmp_path / "linux", SOURCES) if tree else None
    ev = evaluate(EvalRequest((mbox,), tree=linux, jobs=1))
    gone = [u for u in ev.result.variant("v5:02").links if u.status is Link.GONE]
    move = _move(ev)
    if not keep_line:
        assert gone == [] and not move.changed and "no behaviour change" in move.verdict(), move.summary()
        return
    line = 3  # the line patch 1 added, known from its hunk (mail alone) or the tree's file after the series
    why = f"{MAKEFILE}:{line} names ldr_ops.o, and the patches take {OPS} away: make has no rule to make " \
          f"{OPS[:-2]}.o"
    assert [u.why for u in gone] == [why]
    for sid in ("ldr_query/TDH_SYS_INIT/success/ldr_ops.c", "seamcall/TDH_SYS_INIT/success/tdx.c"):
        out = ev.result.outcome("v5:02", sid)
        assert out.status is OutcomeStatus.ERROR and out.error_kind == "build" and out.error == f"build error: {why}"
    assert move.changed and not move.unchanged, move.summary()  # verdict() is what is said when nothing differs
    notes = [n for d in move.differences for n in d.notes]
    assert any(n.startswith(f"status ok -> error: build error: {MAKEFILE}:{line} names ldr_ops.o") for n in notes)


@needs_git
@pytest.mark.parametrize("keep_include", [True, False])
def test_a_deleted_header_a_c_file_still_includes_is_a_build_error(tmp_path: Path, keep_include: bool) -> None:
    # Patch 2 deletes the helper header and copies its helpers into ldr_ops.c, which still includes it: gcc stops
    # (no such file). Everything ran as before: "no behaviour change". Without the include the helpers run in
    # ldr_ops.c, with its pr_fmt: differences, none a build error.
    _deleted_header_stops_the_build(tmp_path, inlining_header(keep_include), keep_include, f"{OPS}:4")


@needs_git
@pytest.mark.parametrize("keep_include", [True, False])
def test_a_deleted_header_a_header_of_a_unit_still_includes_is_a_build_error(tmp_path: Path,
                                                                            keep_include: bool) -> None:
    # Patch 2 deletes the helper header, which ldr.h (included by ldr_ops.c) still includes: gcc stops in ldr.h.
    # Only .c files' includes were read: everything ran as before, "no behaviour change".
    from tests.harness.linkgen import LDR_H, nesting_header

    _deleted_header_stops_the_build(tmp_path, nesting_header(keep_include), keep_include, f"{LDR_H}:2")


def _deleted_header_stops_the_build(tmp_path: Path, mails: list[EmailMessage], keep_include: bool, at: str) -> None:
    """gcc -E stops at ``at`` (FILE:LINE of the include of the deleted header) exactly when the include is kept,
    and so does the harness: a build error naming that line, the move no longer 'unchanged'."""
    mbox = write_mbox(tmp_path / "v5.mbox", mails)
    _oracle_makefile(tmp_path, SOURCES, mbox)
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    run = subprocess.run(["gcc", "-E", "-o", "/dev/null", str(tmp_path / "oracle" / OPS)], capture_output=True,
                         text=True, timeout=60, env={**os.environ, "LC_ALL": "C"})
    assert (run.returncode == 0) is not keep_include
    assert not keep_include or f"{at}:10: fatal error: seamcall_internal.h: No such file or directory" \
        in run.stderr, run.stderr
    ev = evaluate(EvalRequest((mbox,), jobs=1))
    gone = [u for u in ev.result.variant("v5:02").links if u.status is Link.GONE]
    move = _move(ev)
    if not keep_include:
        assert gone == [] and not any("build error" in n for d in move.differences for n in d.notes), move.summary()
        return
    why = f'{at} includes "seamcall_internal.h", and the patches take {NEW_HOME} away: gcc stops there (no such file)'
    assert [u.why for u in gone] == [why]
    out = ev.result.outcome("v5:02", "ldr_query/TDH_SYS_INIT/success/ldr_ops.c")
    assert out.error_kind == "build" and out.error == f"build error: {why}", out
    assert move.changed and not move.unchanged, move.summary()


def test_a_function_of_a_module_of_its_own_is_not_known_to_link_into_another_object(tmp_path: Path) -> None:
    # 'obj-m += ldr_call.o' makes ldr_call.ko: ldr_query() of the built-in ldr_ops.o cannot link ldr_call() (an
    # undefined reference in vmlinux), another module only if it is exported. Before: the move compared the same,
    # nothing said.
    mbox = write_mbox(tmp_path / "v5.mbox", moving_wrapper("ldr_ops.o", None, MAKEFILE_BASE + "obj-m += ldr_call.o\n"))
    ev = evaluate(EvalRequest((mbox,), jobs=1))
    _, gaps = _ours(_move(ev))
    assert any("ldr_query() uses ldr_call(), defined at arch/x86/virt/vmx/tdx/ldr_call.c:6, a created file kbuild "
               "builds only as a module of its own (arch/x86/virt/vmx/tdx/Makefile:3 names ldr_call.o in obj-m)" in g
               for g in gaps), gaps

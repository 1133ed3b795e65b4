"""A next revision that splits the reviewed patch or moves part of it (harness.patchparts).

A next revision that splits the reviewed patch, or moves part of it into a neighbour (harness.patchparts), and
the states a rule on that patch judges."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.errors import InputError
from harness.gate import GateRequest, evaluate_gate
from harness.patchparts import Parts, split_parts
from harness.pipeline import SeriesRequest, read_inputs
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_BY_LEAF, RETRY_SAFE, WRAPPER, Step, helpers, revision
from tests.mailgen import write_mbox

CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
BASE = helpers(RETRY_SAFE)
PICKED = helpers(RETRY_BY_LEAF)  # the retry code chosen by leaf, under unlikely(): what the review objected to
PRINTER = "\nstatic inline void seamldr_note(u64 fn)\n{\n\tpr_info(\"P-SEAMLDR leaf %llx\\n\", fn);\n}\n"
FULL = PICKED.replace("\n#endif\n", PRINTER + "\n#endif\n")
UNRELATED = "x86/virt/tdx: Add a module version reader"
VERSION_C = "arch/x86/virt/vmx/tdx/version.c"
VERSION_TEXT = "// SPDX-License-Identifier: GPL-2.0\nstatic int tdx_version_major;\nstatic int tdx_version_minor;\n"


def _v3() -> list[EmailMessage]:
    return revision(3, [CREATE, Step(PREPARE, ((NEW_HOME, BASE, FULL),))])


def _gate(tmp_path: Path, v4: list[Step]) -> dict[str, tuple[VerdictStatus, str, str]]:
    mbox = write_mbox(tmp_path / "s.mbox", _v3() + revision(4, v4))
    g = evaluate_gate(GateRequest((mbox,), "v4", jobs=1))
    return {v.rule.id: (v.status, v.note, " ".join(e.actual for e in v.evidence)) for v in g.verdicts}


def test_a_part_split_off_before_the_titled_patch_is_judged_with_it(tmp_path: Path) -> None:
    # v4 picks the retry code in a new patch of its own, then "Prepare" adds only the printer: judged from the
    # state before the titled patch alone, the unlikely() and the P-SEAMLDR retry sat in the reference and passed.
    found = _gate(tmp_path, [CREATE, Step("x86/virt/tdx: Pick the P-SEAMLDR retry code", ((NEW_HOME, BASE, PICKED),)),
                             Step(PREPARE, ((NEW_HOME, PICKED, FULL),))])
    for rule in ("no-unlikely-in-sc-retry", "nak-no-kernel-change"):
        status, note, _ = found[rule]
        assert status is VerdictStatus.FAIL, (rule, note)
        assert note.startswith("v4 02/3 'x86/virt/tdx: Pick the P-SEAMLDR retry code' makes "), note
        assert "of the changed lines of v3 02/2: the change is judged from v4:01 to v4:03" in note, note
    assert "judged from" not in found["no-leaf-dependent-retry"][1]  # it judges the whole variant anyway


def test_a_part_moved_into_the_next_patch_is_judged_with_it(tmp_path: Path) -> None:
    # "Prepare" makes the retry change; the next patch, new in v4, adds the printer: the no-new-printer point
    # reads the state after both.
    found = _gate(tmp_path, [CREATE, Step(PREPARE, ((NEW_HOME, BASE, PICKED),)),
                             Step("x86/virt/tdx: Note P-SEAMLDR leaves", ((NEW_HOME, PICKED, FULL),))])
    status, note, evidence = found["reuse-seamcall-err"]
    assert status is VerdictStatus.FAIL and evidence == "seamldr_note() prints a message itself", (note, evidence)
    assert note.startswith("v4 03/3 'x86/virt/tdx: Note P-SEAMLDR leaves' makes 2 of the changed lines of v3 02/2: "
                           "the change is judged from v4:01 to v4:03"), note


def test_a_state_inside_a_split_change_is_judged_on_its_own_code(tmp_path: Path) -> None:
    # v4:02 stops before the part that adds the printer: "right after the change" is v4:02 itself, not v4:03,
    # whose printer v4:02 does not have (it failed with it).
    mbox = write_mbox(tmp_path / "s.mbox", _v3() + revision(4, [
        CREATE, Step(PREPARE, ((NEW_HOME, BASE, PICKED),)),
        Step("x86/virt/tdx: Note P-SEAMLDR leaves", ((NEW_HOME, PICKED, FULL),))]))
    found = next(v for v in evaluate_gate(GateRequest((mbox,), "v4:02", jobs=1)).verdicts
                 if v.rule.id == "reuse-seamcall-err")
    assert found.status is VerdictStatus.PASS and not found.evidence, (found.note, found.evidence)
    # Before: the note said "the change is judged from v4:01 to v4:03", a state v4:02 does not hold.
    assert ("the change is judged from v4:01 to v4:03, the patches that make it; v4:02 holds them up to 02/3: judged "
            "on those alone; not shown to fail") in found.note, found.note  # its cited review is not in the input


def test_a_new_patch_of_other_lines_leaves_the_reference_where_it_was(tmp_path: Path) -> None:
    found = _gate(tmp_path, [CREATE, Step(UNRELATED, ((VERSION_C, None, VERSION_TEXT),)),
                             Step(PREPARE, ((NEW_HOME, BASE, FULL),))])
    status, note, _ = found["nak-no-kernel-change"]
    assert status is VerdictStatus.FAIL and "judged from" not in note and "compared with v4:02" in note, note


def test_split_parts_counts_only_lines_a_patch_gained(tmp_path: Path) -> None:
    # A patch of the earlier revision's title keeps its own lines; only those it gained from the reviewed patch
    # make it a part.
    mbox = write_mbox(tmp_path / "s.mbox", _v3() + revision(4, [
        Step(CREATE.title, ((NEW_HOME, None, PICKED),)), Step(PREPARE, ((NEW_HOME, PICKED, FULL),))]))
    series = read_inputs(SeriesRequest((mbox,)))
    v3, v4 = series.revision(3), series.revision(4)
    assert v3 is not None and v4 is not None
    parts = split_parts(v4, 2, v3, 2)
    assert parts is not None and parts.numbers == (1, 2) and parts.said.startswith("v4 01/2 "), parts
    same = write_mbox(tmp_path / "t.mbox", _v3() + revision(4, [CREATE, Step(PREPARE, ((NEW_HOME, BASE, FULL),))]))
    again = read_inputs(SeriesRequest((same,)))
    v3, v4 = again.revision(3), again.revision(4)
    assert v3 is not None and v4 is not None and split_parts(v4, 2, v3, 2) is None


def test_a_title_a_next_revision_gives_two_patches_judges_them_together(tmp_path: Path) -> None:
    # v4 splits 'Prepare' into '...: printer' and '...: retry code': the shipped rules, written for v3 where the
    # title is one patch's, were refused ("give words of one title only", exit 2) on every gate of v4.
    first = Step(f"{PREPARE}: the printer", ((NEW_HOME, BASE, PICKED),))
    found = _gate(tmp_path, [CREATE, first, Step(f"{PREPARE}: the rest", ((NEW_HOME, PICKED, FULL),))])
    status, note, _ = found["nak-no-kernel-change"]
    assert status is VerdictStatus.FAIL and "the change is judged from v4:01 to v4:03" in note, note


def test_a_patch_folded_into_another_of_a_new_title_is_not_said_dropped(tmp_path: Path) -> None:
    # v4 creates the header with the Prepare change in it, under a title of its own: the note said "(it was v3 02/2:
    # dropped)" and then that v4 01/1 makes its changed lines.
    found = _gate(tmp_path, [Step(f"{CREATE.title}, P-SEAMLDR ready", ((NEW_HOME, None, FULL),))])
    status, note, _ = found["reuse-seamcall-err"]
    title = PREPARE.split(": ", 1)[1]
    assert status is VerdictStatus.FAIL and note.startswith(
        f"'{title}' is not in v4 by that title (it was v3 02/2): judged on v4's own code; v4 01/1 "), note
    assert "dropped" not in note and "dropped" not in found["changelog-no-vmcs"][1], found["changelog-no-vmcs"]


def test_lines_the_titled_patch_still_makes_are_no_part_elsewhere(tmp_path: Path) -> None:
    # v4 keeps "Prepare" as v3 had it, then adds a wrapper that repeats three of its lines (the retry code picked
    # by leaf, in a loop of its own): the change is all in "Prepare" still, yet the wrapper was said to make 3 of
    # its changed lines, and the rule judged from v4:01 to v4:03 (the wrapper's own behaviour taken for Prepare's).
    wrapper = ("// SPDX-License-Identifier: GPL-2.0\n#include \"seamcall_internal.h\"\n\n"
               "static u64 seamldr_keep_trying(u64 fn, struct tdx_module_args *args)\n{\n"
               "\tu64 busy = TDX_RND_NO_ENTROPY;\n\tu64 err;\n\n"
               "\tif (unlikely(fn & SEAMLDR_LEAF_BIT))\n\t\tbusy = SEAMLDR_RND_NO_ENTROPY;\n"
               "\tdo {\n\t\terr = seamcall(fn, args);\n\t} while (err == busy);\n\treturn err;\n}\n")
    prepare = Step(PREPARE, ((NEW_HOME, BASE, PICKED),))
    mbox = write_mbox(tmp_path / "s.mbox", revision(3, [CREATE, prepare]) + revision(4, [
        CREATE, prepare, Step("x86/virt/tdx: Add a P-SEAMLDR retry wrapper", ((WRAPPER, None, wrapper),))]))
    series = read_inputs(SeriesRequest((mbox,)))
    v3, v4 = series.revision(3), series.revision(4)
    assert v3 is not None and v4 is not None
    assert split_parts(v4, 2, v3, 2) is None
    # where the titled patch no longer makes them, the patch that does is still a part
    moved = write_mbox(tmp_path / "t.mbox", revision(3, [CREATE, prepare]) + revision(4, [
        CREATE, Step(PREPARE, ((NEW_HOME, BASE, BASE.replace("#endif", "/* prepared */\n#endif")),)),
        Step("x86/virt/tdx: Add a P-SEAMLDR retry wrapper", ((WRAPPER, None, wrapper),))]))
    again = read_inputs(SeriesRequest((moved,)))
    v3, v4 = again.revision(3), again.revision(4)
    assert v3 is not None and v4 is not None
    parts = split_parts(v4, 2, v3, 2)
    assert parts is not None and parts.numbers == (2, 3) and parts.said.startswith("v4 03/3 "), parts


def test_a_new_file_beginning_with_the_same_includes_is_no_part_of_a_move(tmp_path: Path) -> None:
    # v3 moves the helpers into a new header that includes three headers; v4's move includes another one, and a new
    # patch adds a file that begins with the three includes: it was said to make 3 of the move's changed lines, and a
    # rule on the move judged from v4:01 to v4:02 (the other patch's code taken for the move's).
    from tests.harness.seriesgen import OLD_HOME, PREAMBLE, TAIL

    includes = "#include <linux/types.h>\n#include <asm/tdx.h>\n#include <asm/cpufeature.h>\n"
    moved = BASE.replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    guard = "#define SH_TEST_INTERNAL_H\n"

    def move(extra: str) -> Step:
        return Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
                    ((OLD_HOME, BASE, PREAMBLE + TAIL), (NEW_HOME, None, moved.replace(guard, f"{guard}\n{extra}"))))

    reader = Step(UNRELATED, ((VERSION_C, None, "// SPDX-License-Identifier: GPL-2.0\n" + includes + "\n"
                                                + VERSION_TEXT.split("\n", 1)[1]),))
    mbox = write_mbox(tmp_path / "s.mbox", revision(3, [move(includes)]) + revision(4, [
        move("#include <linux/bitfield.h>\n"), reader]))
    series = read_inputs(SeriesRequest((mbox,)))
    v3, v4 = series.revision(3), series.revision(4)
    assert v3 is not None and v4 is not None
    assert split_parts(v4, 1, v3, 1) is None


_HOME = helpers(RETRY_SAFE)
_VERSION = Step(UNRELATED, ((VERSION_C, None, VERSION_TEXT),))


def _move_parts(tmp_path: Path, v4: list[Step]) -> Parts | None:
    """Where v4 puts v3 01/2, a move of the helpers into a header, which v4 does not hold by that title."""
    from tests.harness.seriesgen import OLD_HOME

    move = Step("x86/virt/tdx: Move the SEAMCALL helpers to an internal header",
                ((OLD_HOME, _HOME, ""), (NEW_HOME, None, _HOME)))
    mbox = write_mbox(tmp_path / "m.mbox", revision(3, [move, _VERSION]) + revision(4, v4))
    series = read_inputs(SeriesRequest((mbox,)))
    v3, v4r = series.revision(3), series.revision(4)
    assert v3 is not None and v4r is not None
    return split_parts(v4r, None, v3, 1)


def test_a_rewrite_of_the_lines_a_dropped_move_removed_is_not_the_move(tmp_path: Path) -> None:
    # v4 leaves the helpers where they were and renames 'err' 'ret' there: it removes the lines the move removed,
    # and puts them nowhere. Before: "makes 12 of the changed lines of v3 01/2", the move said to live on in it.
    from tests.harness.seriesgen import OLD_HOME

    rewrite = Step("x86/virt/tdx: Name the SEAMCALL status ret", ((OLD_HOME, _HOME, _HOME.replace("err", "ret")),))
    assert _move_parts(tmp_path, [rewrite, _VERSION]) is None


def test_a_move_split_or_changed_on_the_way_is_still_the_move(tmp_path: Path) -> None:
    from tests.harness.seriesgen import OLD_HOME

    add = Step("x86/virt/tdx: Add an internal SEAMCALL header", ((NEW_HOME, None, _HOME),))
    drop = Step("x86/virt/tdx: Drop the old SEAMCALL helpers", ((OLD_HOME, _HOME, ""),))
    parts = _move_parts(tmp_path, [add, drop, _VERSION])
    assert parts is not None and parts.numbers == (1, 2), parts
    renamed = Step("x86/virt/tdx: Move the helpers, the status named ret",
                   ((OLD_HOME, _HOME, ""), (NEW_HOME, None, _HOME.replace("err", "ret"))))
    (tmp_path / "r").mkdir()
    parts = _move_parts(tmp_path / "r", [renamed, _VERSION])
    assert parts is not None and parts.numbers == (1,), parts


def test_a_rewrite_in_place_beside_a_new_file_of_other_lines_is_not_the_move(tmp_path: Path) -> None:
    # The rewrite of test_a_rewrite_of_the_lines_a_dropped_move_removed_is_not_the_move, with a new .c file of other
    # lines in the same patch: a file it removes nothing from made it 'carry' the move, and it was said to make 12 of
    # the changed lines of v3 01/2 (a rule on the move judged on the rewrite). Nothing the move took away lands there.
    from tests.harness.seriesgen import OLD_HOME

    rewrite = Step("x86/virt/tdx: Name the SEAMCALL status ret", ((OLD_HOME, _HOME, _HOME.replace("err", "ret")),
                                                                  (VERSION_C, None, VERSION_TEXT)))
    assert _move_parts(tmp_path, [rewrite]) is None


def test_a_prefix_before_where_a_dropped_patch_s_change_went_is_not_judged(tmp_path: Path) -> None:
    # v4 begins with a new patch, then makes v3's "Prepare" change in two patches of other titles: the change is in
    # v4 03 and 04 only. v4:01 and v4:02 stop before it, yet nak-no-kernel-change passed there, compared with v4:00:
    # its pass was about v4 01 and 02, which do not make the change.
    v4 = [_VERSION, CREATE, Step("x86/virt/tdx: Pick the P-SEAMLDR retry code", ((NEW_HOME, BASE, PICKED),)),
          Step("x86/virt/tdx: Note P-SEAMLDR leaves", ((NEW_HOME, PICKED, FULL),))]
    mbox = write_mbox(tmp_path / "s.mbox", _v3() + revision(4, v4))
    for name in ("v4:01", "v4:02"):
        found = {v.rule.id: v for v in evaluate_gate(GateRequest((mbox,), name, jobs=1)).verdicts}
        for rule in ("nak-no-kernel-change", "reuse-seamcall-err"):
            status, note = found[rule].status, found[rule].note
            assert status is VerdictStatus.NOT_APPLICABLE, (name, rule, status, note)
            assert note.endswith("; the variant stops before v4 03/4, the first of the patches that make its "
                                 "change"), (name, rule, note)
    whole = {v.rule.id: v for v in evaluate_gate(GateRequest((mbox,), "v4", jobs=1)).verdicts}
    assert whole["nak-no-kernel-change"].status is VerdictStatus.FAIL, whole["nak-no-kernel-change"].note


def test_a_dropped_title_s_change_is_judged_right_after_the_patches_that_make_it(tmp_path: Path) -> None:
    # v4 drops "Prepare" and makes its change in two patches of other titles, the second adding a printer that WARN()s
    # (a printer in the change's own state, as pr_err() is). The no-new-printer point judged the whole of v4 as "a
    # later patch's" code, where a WARN() is not counted, and passed; v4:02 (holding the first part alone) was not said
    # to be judged on it alone.
    warned = PICKED.replace("\n#endif\n", PRINTER.replace("pr_info(", "WARN(1, ") + "\n#endif\n")
    v4 = [CREATE, Step("x86/virt/tdx: Pick the P-SEAMLDR retry code", ((NEW_HOME, BASE, PICKED),)),
          Step("x86/virt/tdx: Note P-SEAMLDR leaves", ((NEW_HOME, PICKED, warned),))]
    mbox = write_mbox(tmp_path / "s.mbox", revision(3, [CREATE, Step(PREPARE, ((NEW_HOME, BASE, warned),))])
                      + revision(4, v4))
    whole = next(v for v in evaluate_gate(GateRequest((mbox,), "v4", jobs=1)).verdicts
                 if v.rule.id == "reuse-seamcall-err")
    assert whole.status is VerdictStatus.FAIL, whole.note
    assert [e.actual for e in whole.evidence] == ["seamldr_note() prints a message itself"], whole.evidence
    assert "the change is judged from v4:01 to v4:03, the patches that make it" in whole.note, whole.note
    assert any(r.state == "v4:03" and r.how == "the state right after them" and "the patches that make the rule's "
               "change add" in r.what for r in whole.read), whole.read  # not "the rule's patch", which v4 lacks
    inside = next(v for v in evaluate_gate(GateRequest((mbox,), "v4:02", jobs=1)).verdicts
                  if v.rule.id == "reuse-seamcall-err")
    assert inside.status is VerdictStatus.PASS and not inside.evidence, (inside.note, inside.evidence)
    assert "v4:02 holds them up to 02/3: judged on those alone" in inside.note, inside.note


def test_a_part_moved_into_the_patch_before_reworded_is_judged_with_it(tmp_path: Path) -> None:
    # v4 moves the retry code chosen by leaf into the patch before "Prepare", a variable renamed and the bit tested
    # otherwise: no three lines alike, so no part, and judged from v4:01 (which holds the unlikely()) both rules
    # passed. It brings in two names v3's "Prepare" brought in and v4's no longer does.
    reworded = PICKED.replace("busy", "retry_on").replace("(fn & SEAMLDR_LEAF_BIT)", "(fn >> 63)")
    noted = reworded.replace("\n#endif\n", PRINTER + "\n#endif\n")
    found = _gate(tmp_path, [Step(CREATE.title, ((NEW_HOME, None, reworded),)),
                             Step(PREPARE, ((NEW_HOME, reworded, noted),))])
    for rule in ("no-unlikely-in-sc-retry", "nak-no-kernel-change"):
        status, note, _ = found[rule]
        assert status is VerdictStatus.FAIL, (rule, note)
        assert note.startswith(f"v4 01/2 '{CREATE.title}' newly uses SEAMLDR_RND_NO_ENTROPY, unlikely, which v3 02/2 "
                               "brought in and v4 02/2 no longer does: the change is judged from v4:00 to v4:02"), note


_TEST = "if (err != TDX_RND_NO_ENTROPY || !--left)"
_KCONFIG = "arch/x86/virt/vmx/tdx/Kconfig"


def _single_parts(tmp_path: Path, v3_prepare: tuple[str, str], v4_create: tuple[str, str]) -> Parts | None:
    """Where v4 puts v3's "Prepare" change: v3's "Prepare" adds the printer and changes a file (path, text; the
    helper header or a new one) that v4's first patch (``v4_create``) makes otherwise, v4's "Prepare" adding only the
    printer."""
    noted = BASE.replace("\n#endif\n", PRINTER + "\n#endif\n")
    made = [(NEW_HOME, BASE, v3_prepare[1].replace("\n#endif\n", PRINTER + "\n#endif\n"))] \
        if v3_prepare[0] == NEW_HOME else [(NEW_HOME, BASE, noted), (v3_prepare[0], None, v3_prepare[1])]
    create = [(NEW_HOME, None, v4_create[1])] if v4_create[0] == NEW_HOME else \
        [*CREATE.changes, (v4_create[0], None, v4_create[1])]
    first = v4_create[1] if v4_create[0] == NEW_HOME else BASE
    v3 = revision(3, [CREATE, Step(PREPARE, tuple(made))])
    v4 = revision(4, [Step(CREATE.title, tuple(create)),
                      Step(PREPARE, ((NEW_HOME, first, first.replace("\n#endif\n", PRINTER + "\n#endif\n")),))])
    series = read_inputs(SeriesRequest((write_mbox(tmp_path / "s.mbox", v3 + v4),)))
    v3r, v4r = series.revision(3), series.revision(4)
    assert v3r is not None and v4r is not None
    return split_parts(v4r, 2, v3r, 2)


def test_one_helper_moved_into_the_patch_before_reworded_is_judged_with_it(tmp_path: Path) -> None:
    # v3's "Prepare" puts sc_retry()'s test in unlikely(); v4 makes it in the patch before, the unlikely() around a
    # part of the test: no line alike, one name brought in (MIN_NAMES was 2), and judged from v4:01 (which holds the
    # unlikely()) the bundled rules no-unlikely-in-sc-retry and nak-no-kernel-change PASSED.
    v3 = helpers(RETRY_SAFE.replace(_TEST, "if (unlikely(err != TDX_RND_NO_ENTROPY || !--left))"))
    v4 = helpers(RETRY_SAFE.replace(_TEST, "if (unlikely(err != TDX_RND_NO_ENTROPY) || !--left)"))
    parts = _single_parts(tmp_path, (NEW_HOME, v3), (NEW_HOME, v4))
    assert parts is not None and parts.numbers == (1, 2), parts
    assert parts.said == "v4 01/2 'x86/virt/tdx: Add an internal SEAMCALL helper header' newly uses unlikely, which " \
        "v3 02/2 brought in and v4 02/2 no longer does", parts.said


def test_one_name_moved_outside_c_code_is_no_part(tmp_path: Path) -> None:
    # A lone Kconfig symbol a neighbour now names is no part of the change: only C code's one name is.
    parts = _single_parts(tmp_path, (_KCONFIG, "config DEMO_SEAMLDR\n\tdepends on TDX_HOST_DEMO\n"),
                          (_KCONFIG, "menuconfig DEMO_SEAMLDR_OPS\n\tselect TDX_HOST_DEMO\n"))
    assert parts is None, parts


def test_a_revision_of_the_parts_alone_is_judged_as_with_the_one_before(tmp_path: Path) -> None:
    # The same split given without v3 (a CI gating the new revision alone): no revision holds the title in one
    # patch, and the rules were refused ('... is in the titles of v4 02/3 ... and v4 03/3 ...: give words of one
    # title only', exit 2), though each title is the rule's but for its part number.
    split = [CREATE, Step(f"{PREPARE}: part 1", ((NEW_HOME, BASE, PICKED),)),
             Step(f"{PREPARE} (part 2/2)", ((NEW_HOME, PICKED, FULL),))]
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", revision(4, split)),), "v4", jobs=1))
    found = {v.rule.id: (v.status, v.note) for v in g.verdicts}
    status, note = found["nak-no-kernel-change"]
    assert status is VerdictStatus.FAIL and "the change is judged from v4:01 to v4:03" in note, note
    # Titles that hold the words and more than a part number are still two patches: refused as before.
    other = [CREATE, Step(f"{PREPARE}: part 1", ((NEW_HOME, BASE, PICKED),)),
             Step(f"{PREPARE} and print them", ((NEW_HOME, PICKED, FULL),))]
    with pytest.raises(InputError, match="give words of one title only"):
        evaluate_gate(GateRequest((write_mbox(tmp_path / "o.mbox", revision(4, other)),), "v4", jobs=1))

"""Where a rule's patch was, in a next revision that dropped it (harness.patchplace): the states its rules judge."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_BY_LEAF, RETRY_SAFE, Step, helpers, retry_loop, revision
from tests.mailgen import write_mbox

CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
BASE = helpers(RETRY_SAFE)
PICKED = helpers(RETRY_BY_LEAF)
VERSION_C = "arch/x86/virt/vmx/tdx/version.c"
VERSION_TEXT = "// SPDX-License-Identifier: GPL-2.0\nstatic int tdx_version_major;\n"
UNRELATED = Step("x86/virt/tdx: Add a module version reader", ((VERSION_C, None, VERSION_TEXT),))


def _v3() -> list[EmailMessage]:
    return revision(3, [CREATE, UNRELATED, Step(PREPARE, ((NEW_HOME, BASE, PICKED),))])


def _gate(tmp_path: Path, v4: list[Step]) -> dict[str, tuple[VerdictStatus, str]]:
    mbox = write_mbox(tmp_path / "s.mbox", _v3() + revision(4, v4))
    g = evaluate_gate(GateRequest((mbox,), "v4", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


def test_a_patch_that_came_after_the_dropped_one_ends_where_it_was(tmp_path: Path) -> None:
    # v4 drops "Prepare", retries by leaf in a new patch of its own words, and moves the unrelated patch last: the
    # last patch that preceded "Prepare" in v3 is now v4's last, so the whole of v4 "stopped before where it was"
    # and every rule on the patch was n/a. v4 runs with patches that came before it only up to 01.
    found = _gate(tmp_path, [CREATE, Step("x86/virt/tdx: Retry P-SEAMLDR calls on their own code",
                                          ((NEW_HOME, BASE, helpers(retry_loop("while", "code", False))),)),
                             UNRELATED])
    for rule in ("no-unlikely-in-sc-retry", "nak-no-kernel-change"):
        status, note = found[rule]
        assert status is VerdictStatus.FAIL, (rule, note)
        assert note.startswith(f"'{PREPARE.split(': ', 1)[1]}' is not in v4 "), note
    assert "compared with v4:01" in found["nak-no-kernel-change"][1]


def test_a_dropped_patch_folded_into_the_patch_before_it_is_judged_from_before_that(tmp_path: Path) -> None:
    # v4 has no "Prepare": its change went into the patch before it, under that patch's title. Judged from the
    # state after that patch, the change sat in the reference and the rules passed.
    folded = Step(UNRELATED.title, (*UNRELATED.changes, (NEW_HOME, BASE, PICKED)))
    found = _gate(tmp_path, [CREATE, folded])
    status, note = found["nak-no-kernel-change"]
    assert status is VerdictStatus.FAIL, note
    assert "v4 02/2 'x86/virt/tdx: Add a module version reader' makes " in note, note
    assert "of the changed lines of v3 03/3: the change is judged from v4:01" in note, note
    assert found["no-unlikely-in-sc-retry"][0] is VerdictStatus.FAIL
    assert found["changelog-no-vmcs"][0] is VerdictStatus.INCONCLUSIVE  # never a silent n/a


def test_a_dropped_patch_reworded_into_the_patch_before_it_is_judged_from_before_that(tmp_path: Path) -> None:
    # v4 has no "Prepare": the patch before it creates the header with the retry code already chosen by leaf, in
    # words of its own (no three lines alike). Judged from after that patch, the unlikely() and the leaf's retry
    # code sat in the reference: both rules passed. unlikely(), the one name of Prepare's it brings in, used beside
    # the same code (harness.patchparts._enough), makes it a part: judged from before it.
    reworded = PICKED.replace("busy", "retry_on").replace("(fn & SEAMLDR_LEAF_BIT)", "(fn >> 63)").replace(
        "SEAMLDR_RND_NO_ENTROPY", "P_SEAMLDR_NO_ENTROPY")  # only unlikely() of the names it brought in
    found = _gate(tmp_path, [Step(CREATE.title, ((NEW_HOME, None, reworded),)), UNRELATED])
    for rule in ("no-unlikely-in-sc-retry", "nak-no-kernel-change"):
        status, note = found[rule]
        assert status is VerdictStatus.FAIL, (rule, note)
        assert f"v4 01/2 '{CREATE.title}' newly uses unlikely, which v3 03/3 brought in: the change is judged " \
               "from v4:00 to v4:01, the patches that make it" in note, (rule, note)
    assert "compared with v4:00" in found["nak-no-kernel-change"][1]


def test_a_warn_printer_new_in_a_revision_that_dropped_the_patch_is_a_new_printer(tmp_path: Path) -> None:
    # v4 drops "Prepare"; a new patch adds a printer that WARN()s. No patch makes the dropped one's lines, so every
    # patch since where it was may be the one making its change: a WARN() there was read as a later patch's, not
    # counted, and reuse-seamcall-err passed.
    warned = BASE.replace("\n#endif\n", "\nstatic inline void seamldr_warn(u64 leaf)\n{\n"
                                        "\tWARN(leaf, \"P-SEAMLDR call %llx failed\\n\", leaf);\n}\n\n#endif\n")
    found = _gate(tmp_path, [CREATE, UNRELATED, Step("x86/virt/tdx: Warn on failed P-SEAMLDR calls",
                                                     ((NEW_HOME, BASE, warned),))])
    status, note = found["reuse-seamcall-err"]
    assert status is VerdictStatus.FAIL, note
    assert note.startswith(f"'{PREPARE.split(': ', 1)[1]}' is not in v4 (it was v3 03/3: dropped): judged on v4's "
                           "own code"), note


def test_a_subsystem_prefix_respelt_keeps_the_patches_before_a_dropped_one(tmp_path: Path) -> None:
    # v4 respells every prefix "x86/tdx:" and drops "Prepare": the patches that preceded it are the same ones, yet
    # matched by whole title none did, and the rules judged from v4:00 (seamcall_err() of v4 01 a "new printer").
    from harness.patchparts import bare_title
    from harness.patchplace import place_of
    from harness.pipeline import SeriesRequest, read_inputs
    from harness.variants import Variant

    def respelt(step: Step) -> Step:
        return Step(step.title.replace("x86/virt/tdx: ", "x86/tdx: "), step.changes)

    v4 = [respelt(CREATE), respelt(UNRELATED), Step("x86/tdx: Retry P-SEAMLDR calls on their own code", (
        (NEW_HOME, BASE, helpers(retry_loop("while", "code", False))),))]
    series = read_inputs(SeriesRequest((write_mbox(tmp_path / "s.mbox", _v3() + revision(4, v4)),)))
    place = place_of(PREPARE.split(": ", 1)[1], None, Variant("v4", "", (), (), (), (), "t", 4), series)
    assert place is not None and place.number is None and place.anchor == 2, place
    assert [bare_title(t) for t in ("x86/virt/tdx: Add X", "KVM: x86: Add X", "x86/tdx: Prepare: part 1")] == \
        ["add x", "add x", "prepare: part 1"]
    # A rule naming the patch with its prefix ("x86/virt/tdx: Prepare ...") finds it respelt, "x86/tdx: Prepare ...":
    # it was "not in v4 (it was v3 03/3: dropped)", its changelog rules not judged.
    kept = [respelt(CREATE), respelt(UNRELATED), respelt(Step(PREPARE, ((NEW_HOME, BASE, PICKED),)))]
    (tmp_path / "k").mkdir()
    again = read_inputs(SeriesRequest((write_mbox(tmp_path / "k" / "s.mbox", _v3() + revision(4, kept)),)))
    found = place_of(PREPARE, None, Variant("v4", "", (), (), (), (), "t", 4), again)
    assert found is not None and found.number == 3 and found.dropped is None, found


def test_a_title_respelt_in_the_shortlog_of_a_revision_the_input_lacks_a_patch_of(tmp_path: Path) -> None:
    # v4's 02/3 is not in the input; its cover letter's shortlog lists "x86/tdx: Prepare ...". A rule naming
    # "x86/virt/tdx: Prepare ..." was told it was dropped, not that the input lacks the patch that holds it.
    from harness.patchplace import place_of
    from harness.pipeline import SeriesRequest, read_inputs
    from harness.variants import Variant

    shortlog = ("Ann Author (3):\n  x86/tdx: Add an internal SEAMCALL helper header\n  x86/tdx: Prepare to support "
                "P-SEAMLDR SEAMCALLs\n  x86/tdx: Add a module version reader\n")
    v4: list[EmailMessage] = revision(4, [CREATE, UNRELATED], total=3, numbers=[1, 3])
    v4[0].set_content(f"Our cover.\n\n{shortlog}")
    series = read_inputs(SeriesRequest((write_mbox(tmp_path / "s.mbox", _v3() + v4),)))
    place = place_of(PREPARE, None, Variant("v4", "", (), (), (), (), "t", 4), series)
    assert place is not None and place.missing, place
    assert place.dropped == f"'{PREPARE}' is a patch of v4 (its cover letter lists it), and the input lacks v4 2 " \
                           "(of 3): give it", place


def test_words_of_a_title_misspelt_are_named_with_the_title(tmp_path: Path) -> None:
    # A rule quotes words of a title; one slip in them ("helper" for "helpers") was no title nearly so as a whole,
    # so the rule judged the variant without its patch, and passed. Words near no title stay unrefused.
    from harness.ingest import IngestRequest, parse_series
    from harness.patchplace import close_titles

    series = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", _v3()),)))
    assert close_titles("internal SEAMCALL helpers header", series) == [
        "'x86/virt/tdx: Add an internal SEAMCALL helper header' (v3 01/3)"]
    assert close_titles("internal SEAMCALL helper header", series) == []  # it holds them: no slip
    assert close_titles("Rework the frobnicator", series) == []
    assert close_titles("internal helper", series) == []  # two words: too few to tell a slip from another patch


LATER = Step("x86/virt/tdx: Retry with a code of its own", ((NEW_HOME, BASE, helpers(retry_loop("do", "code", True))),))
LATER_RULE = """[[rule]]
id = "later-patch-equivalent"
reviewer = "Rev"
summary = "the later patch changes no behaviour"
severity = "error"
patch = "Retry with a code of its own"
[rule.check]
kind = "equivalence"
reference = "before:patch"
"""


def _later_verdicts(tmp_path: Path, v2: list[Step], v3: list[Step]) -> dict[str, tuple[VerdictStatus, str]]:
    mbox = write_mbox(tmp_path / "s.mbox", revision(2, v2) + revision(3, v3))
    (tmp_path / "rules.toml").write_text(LATER_RULE)
    out = {}
    for name in ("v2", "v3"):
        g = evaluate_gate(GateRequest((mbox,), name, jobs=1, rules=tmp_path / "rules.toml"))
        [v] = [v for v in g.verdicts if v.rule.id == "later-patch-equivalent"]
        out[name] = (v.status, v.note)
    return out


def test_a_before_patch_rule_on_a_patch_only_a_later_revision_has_does_not_apply_to_the_earlier(tmp_path: Path
                                                                                                ) -> None:
    # v2 runs up to 01 with patches that came before the later patch in v3; 'Prepare' ends the run, so before:patch
    # on v2 was v2:01 and the rule compared v2 with it: FAIL, for a change v2's own 'Prepare' makes, which the rule
    # is not about. v2 has no such patch: not applicable there, as a changelog rule is.
    found = _later_verdicts(tmp_path, [CREATE, Step(PREPARE, ((NEW_HOME, BASE, PICKED),))], [CREATE, LATER])
    status, note = found["v2"]
    assert status is VerdictStatus.NOT_APPLICABLE, found["v2"]
    assert note.startswith("v2 has no such patch: 'Retry with a code of its own' is not in v2 (it is v3 02/2, of a "
                           "later revision)"), note
    assert found["v3"][0] is VerdictStatus.FAIL, found["v3"]  # where it is, it is judged

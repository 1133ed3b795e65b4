"""A change put in a patch before the rule's own, with no earlier revision in the input to find it by title."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    PREPARE,
    PRINTERS,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

UNCHANGED, NAK = "tdx-module-calls-unchanged", "nak-no-kernel-change"


def _v4(tmp_path: Path, second: str, first: str = RETRY_SAFE) -> dict[str, tuple[VerdictStatus, str]]:
    """The verdicts on v4 alone: 01 adds the helpers (``first``), 02 ``second`` turns them into another text, 03 is
    the rule's titled patch adding only a comment, 04 a wrapper."""
    base = helpers(first)
    more = helpers(second)
    after = more.replace("\tfor (;;) {\n", "\tfor (;;) {\t/* until answered */\n", 1)
    assert after != more
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Tidy the SEAMCALL helpers", ((NEW_HOME, base, more),)),
                        Step(PREPARE, ((NEW_HOME, more, after),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1)).verdicts
    return {v.rule.id: (v.status, v.note) for v in got}


def test_a_change_in_an_earlier_patch_is_not_passed_unseen(tmp_path: Path) -> None:
    # Before: both PASS, 'compared with v4:02', a state that already holds the doubled retry bound.
    doubled = RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 2 * RDRAND_RETRY_LOOPS;")
    assert doubled != RETRY_SAFE
    found = _v4(tmp_path, doubled)
    for rule in (UNCHANGED, NAK):
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, found[rule])
        assert "v4 02/4" in note and "Tidy the SEAMCALL helpers" in note, note
        assert "--tree" not in note, note  # a change to a file 01/4 made: no tree would show it elsewhere
        # Before: "(give an earlier revision of the series too)", all a series' first posting was told.
        assert note.endswith('or, where there is none, a rule of your own with reference = "before:3" judges v4 '
                             "03/4 against the state right before it, taking the patches before it for no part of "
                             "its change)"), note
    # And that rule does: 03/4 adds a comment, which changes nothing against v4:02.
    (tmp_path / "own.toml").write_text('[[rule]]\nid = "own"\nreviewer = "A. Reviewer"\nsummary = "s"\n'
                                       'severity = "error"\n[rule.check]\nkind = "equivalence"\n'
                                       'reference = "before:3"\n')
    msgs = tmp_path / "v4.mbox"
    (own,) = evaluate_gate(GateRequest((msgs,), "v4:03", rules=tmp_path / "own.toml", jobs=1)).verdicts
    assert own.status is VerdictStatus.PASS and "v4:02" in own.note, own


def test_an_earlier_patch_changing_nothing_the_rule_runs_keeps_the_pass(tmp_path: Path) -> None:
    # The same shape, the earlier patch a comment only: what the rule compares is the same from v4:00 on.
    same = RETRY_SAFE.replace("\tu64 err;\n", "\tu64 err;\t/* kept */\n", 1)
    assert same != RETRY_SAFE
    found = _v4(tmp_path, same)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: VerdictStatus.PASS,
                                                                   NAK: VerdictStatus.PASS}, found


def test_an_annotation_an_earlier_patch_adds_is_not_passed_unseen(tmp_path: Path) -> None:
    # A source rule alike: 02/4 adds the unlikely() no-unlikely-in-sc-retry forbids, 03/4 (the titled patch) a
    # comment. Before: PASS, read against v4:02, which already holds it.
    test = "if (err != TDX_RND_NO_ENTROPY || !--left)"
    assert test in RETRY_SAFE
    found = _v4(tmp_path, RETRY_SAFE.replace(test, "if (unlikely(err != TDX_RND_NO_ENTROPY) || !--left)"))
    status, note = found["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.INCONCLUSIVE and "v4 02/4" in note and "unlikely" in note, found[
        "no-unlikely-in-sc-retry"]
    # What the annotation changes of the runs is nothing: the equivalence rules keep their pass.
    assert found[UNCHANGED][0] is VerdictStatus.PASS, found[UNCHANGED]


OLD_MACRO = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
NEW_MACRO = OLD_MACRO.replace("sc_retry_prerr(", "sl_retry_prerr(")
# A P-SEAMLDR printer of its own and the helper reporting through it: what reuse-seamcall-err forbids.
OWN_PRINTER = """\
static inline void seamldr_err(u64 fn, u64 err)
{
	pr_err("P-SEAMLDR (%llx) failed: %#016llx\\n", fn, err);
}

static __always_inline int sl_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	u64 err = sc_retry(op, fn, args);

	if (err == TDX_SUCCESS)
		return 0;
	seamldr_err(fn, err);
	return -EIO;
}

"""
OWN_HOME = "arch/x86/virt/vmx/tdx/seamldr_err.h"
REUSE = "reuse-seamcall-err"


def _gate(tmp_path: Path, steps: list[Step]) -> dict[str, tuple[VerdictStatus, str]]:
    """The verdicts on v4 alone: 01 adds the helper header (RETRY_SAFE), then ``steps``."""
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                             ((NEW_HOME, None, helpers(RETRY_SAFE)),)), *steps])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1)).verdicts
    return {v.rule.id: (v.status, v.note) for v in got}


def test_a_printer_an_earlier_patch_adds_to_the_helpers_is_not_passed_unseen(tmp_path: Path) -> None:
    # 02/3 gives seamldr_prerr() a printer of its own in the header 01/3 made; 03/3 (the titled patch) adds a
    # comment. Before: PASS, read against v4:02, which already holds seamldr_err().
    first = "#define seamcall(_fn"
    printers = PRINTERS.replace(OLD_MACRO, NEW_MACRO).replace(first, OWN_PRINTER + first)
    own = PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL
    commented = own.replace("\tfor (;;) {\n", "\tfor (;;) {\t/* until answered */\n", 1)
    found = _gate(tmp_path, [Step("x86/virt/tdx: Tidy the SEAMCALL helpers", ((NEW_HOME, helpers(RETRY_SAFE), own),)),
                             Step(PREPARE, ((NEW_HOME, own, commented),))])
    status, note = found[REUSE]
    assert status is VerdictStatus.INCONCLUSIVE and "v4 02/3" in note and "seamldr_err() prints" in note, found[REUSE]


def _created(tmp_path: Path, switched: bool) -> tuple[VerdictStatus, str]:
    """02/3 creates a header of a P-SEAMLDR printer and its helper, and a wrapper reporting through them (its own
    entry point); 03/3 (the titled patch) switches seamldr_prerr() to that helper (``switched``), or adds a comment."""
    base = helpers(RETRY_SAFE)
    header = "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef SH_SEAMLDR_ERR_H\n#define SH_SEAMLDR_ERR_H\n\n" \
        + OWN_PRINTER + "#endif\n"
    wrapper = WRAPPER_C.replace('#include "seamcall_internal.h"\n', '#include "seamcall_internal.h"\n'
                                '#include "seamldr_err.h"\n').replace("seamldr_prerr(fn, args)",
                                                                       "sl_retry_prerr(__seamcall, fn, args)")
    after = base.replace(OLD_MACRO, NEW_MACRO) if switched else \
        base.replace("\tfor (;;) {\n", "\tfor (;;) {\t/* until answered */\n", 1)
    assert after != base and wrapper != WRAPPER_C
    found = _gate(tmp_path, [Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                                  ((OWN_HOME, None, header), (WRAPPER, None, wrapper),
                                   BUILD_WRAPPER)),
                             Step(PREPARE, ((NEW_HOME, base, after),))])
    return found[REUSE]


def test_a_printer_of_a_file_an_earlier_patch_creates_that_the_patch_takes_up_is_not_passed_unseen(
        tmp_path: Path) -> None:
    # seamldr_err() is new code of a file 02/3 creates, reached only by 02/3's own wrapper; 03/3 makes the matrix's
    # seamldr_prerr() report through it. Before: PASS, v4:02 already reaching seamldr_err() from the wrapper.
    status, note = _created(tmp_path, switched=True)
    assert status is VerdictStatus.INCONCLUSIVE and "v4 02/3" in note and "seamldr_err() prints" in note, (status,
                                                                                                         note)


def test_a_file_an_earlier_patch_creates_that_the_patch_does_not_take_up_keeps_the_pass(tmp_path: Path) -> None:
    # The same file, the titled patch a comment: new code of its own patch, which no code that was there reaches
    # (as 01/3's header, whose seamcall_err() every test series creates, which must keep the rule's pass).
    status, note = _created(tmp_path, switched=False)
    assert status is VerdictStatus.PASS, (status, note)


def test_a_change_made_where_the_mirror_cannot_run_is_judged_with_the_next_patch(tmp_path: Path) -> None:
    # 02/5 doubles the retry bound in code the mirror refuses (floating point), 03/5 drops that and keeps the bound:
    # neither patch can be judged alone (inconclusive on one side), together they change the retries. Before: PASS
    # against v4:03 with nothing said of 02-03; the change made there must not pass unseen.
    doubled = RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 2 * RDRAND_RETRY_LOOPS;")
    refused = doubled.replace("\tu64 err;\n", "\tu64 err;\n\tdouble unused = 0.5;\n\n\t(void)unused;\n", 1)
    assert RETRY_SAFE != doubled != refused
    base, mid, kept = helpers(RETRY_SAFE), helpers(refused), helpers(doubled)
    after = kept.replace("\tfor (;;) {\n", "\tfor (;;) {\t/* until answered */\n", 1)
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Try the SEAMCALL helpers", ((NEW_HOME, base, mid),)),
                        Step("x86/virt/tdx: Tidy the SEAMCALL helpers", ((NEW_HOME, mid, kept),)),
                        Step(PREPARE, ((NEW_HOME, kept, after),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1)).verdicts
    status, note = next((v.status, v.note) for v in got if v.rule.id == UNCHANGED)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "v4 02/5" in note and "v4 03/5" in note and "together" in note, note


def _on_tree(tmp_path: Path, base_retry: str, tidied_retry: str) -> dict[str, tuple[VerdictStatus, str]]:
    """The verdicts on v4 alone over a git tree (--tree) whose header holds ``base_retry``: 01/3 turns it into
    ``tidied_retry``, 02/3 (the titled patch) adds a comment, 03/3 a wrapper."""
    from tests.gitoracle import init_repo

    base, tidied = helpers(base_retry), helpers(tidied_retry)
    after = tidied.replace("\tfor (;;) {\n", "\tfor (;;) {\t/* until answered */\n", 1)
    assert after != tidied
    tree = init_repo(tmp_path / "tree", {NEW_HOME: base, BUILD_WRAPPER[0]: BUILD_WRAPPER[1],
                                         "arch/x86/virt/vmx/tdx/tdx.c": '#include "seamcall_internal.h"\n'})
    msgs = revision(4, [Step("x86/virt/tdx: Tidy the SEAMCALL helpers", ((NEW_HOME, base, tidied),)),
                        Step(PREPARE, ((NEW_HOME, tidied, after),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1, cache=None, tree=tree,
                                    base="HEAD")).verdicts
    return {v.rule.id: (v.status, v.note) for v in got}


_TEST = "if (err != TDX_RND_NO_ENTROPY || !--left)"


def test_an_earlier_patch_whose_change_cannot_be_judged_keeps_the_rule_inconclusive(tmp_path: Path) -> None:
    # The tree's retry loop ends on SC_DONE(), a macro no file read defines: the base cannot run, so what 01/3
    # changes (it spells the test out and doubles the bound) is not known. Before: PASS against v4:01 with "not
    # compared with the patches before ... (v4 01/3: inconclusive there)" in the note, a pass over a patch nobody
    # judged, which may be the part of the titled patch's change this check is there to find.
    odd = RETRY_SAFE.replace(_TEST, "if (SC_DONE(err, left))")
    doubled = RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 2 * RDRAND_RETRY_LOOPS;")
    assert odd != RETRY_SAFE and doubled != RETRY_SAFE
    found = _on_tree(tmp_path, odd, doubled)
    for rule in (UNCHANGED, NAK):
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, found[rule])
        assert "v4 01/3: inconclusive there" in note and "SC_DONE()" in note, note
    # Judged with the titled patch against v4:00 it is no pass either: v4:00 still cannot run.
    assert "passes too" not in found[NAK][1]


def test_an_earlier_patch_judged_to_change_nothing_on_a_tree_keeps_the_pass(tmp_path: Path) -> None:
    # The neighbour: the tree's loop runs, and 01/3 only adds a comment: judged, it changes nothing the rules
    # compare, and the passes stand.
    commented = RETRY_SAFE.replace("\tu64 err;\n", "\tu64 err;\t/* kept */\n", 1)
    assert commented != RETRY_SAFE
    found = _on_tree(tmp_path, RETRY_SAFE, commented)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: VerdictStatus.PASS,
                                                                   NAK: VerdictStatus.PASS}, found


def test_an_earlier_patch_judged_only_with_the_titled_one_keeps_a_pass_it_shares(tmp_path: Path) -> None:
    # 01/3 adds a document; sc_retry() is in neither v4:00 nor v4:01, so 01/3 cannot be judged alone (the source
    # rule has no sc_retry() to read on either side). Judged together with the titled patch, which adds the helper
    # header, against v4:00, the rule passes too: however the change is split between them, nothing it forbids came
    # in, and the pass stands (the proof said in the note).
    doc = ("Documentation/arch/x86/seamldr.rst", None, "P-SEAMLDR\n=========\n\nOur own words.\n")
    msgs = revision(4, [Step("x86/virt/tdx: Say what the P-SEAMLDR is", (doc,)),
                        Step(PREPARE, ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1)).verdicts
    status, note = next((v.status, v.note) for v in got if v.rule.id == "no-unlikely-in-sc-retry")
    assert status is VerdictStatus.PASS, note
    assert "v4 01/3 could not be judged alone: judged with 'Prepare to support P-SEAMLDR SEAMCALLs', against " \
           "v4:00, it passes too" in note, note


def test_a_branch_an_earlier_patch_adds_that_no_run_tells_apart_is_not_passed_unseen(tmp_path: Path) -> None:
    # 02/4 adds a retry branch on an answer no script gives (more retries there): judged alone it is inconclusive
    # (a changed condition no run tells apart), and so is the titled patch (a comment) judged with it against v4:01.
    # Before: both PASS against v4:02, which already holds the branch, 02/4 only "not compared" in the note.
    test = "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n"
    branch = RETRY_SAFE.replace(test, "\t\tif (err == 0x8000000000000042ULL)\n\t\t\tleft += RDRAND_RETRY_LOOPS;\n"
                                + test)
    assert branch != RETRY_SAFE
    found = _v4(tmp_path, branch)
    for rule in (UNCHANGED, NAK):
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, found[rule])
        assert "v4 02/4: inconclusive there" in note and "0x8000000000000042ULL" in note, note


def _reuse(tmp_path: Path, tree: bool) -> tuple[VerdictStatus, str]:
    """reuse-seamcall-err on v4: 01/3 puts the helpers, seamldr_prerr() printing through its own seamldr_err(), in
    the internal header (from mail alone a file it creates; with ``tree`` a move out of asm/tdx.h, which the tree
    holds), 02/3 (the titled patch) switches seamldr_prerr() to seamcall_err(), 03/3 adds a wrapper."""
    from tests.gitoracle import init_repo

    first = "#define seamcall(_fn"
    own = PREAMBLE + RETRY_SAFE + "\n" + PRINTERS.replace(OLD_MACRO, NEW_MACRO).replace(first, OWN_PRINTER + first) \
        + TAIL
    moved = own.replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    reuse = moved.replace(NEW_MACRO, OLD_MACRO)
    assert reuse != moved
    changes = ((OLD_HOME, own, PREAMBLE + TAIL), (NEW_HOME, None, moved)) if tree else ((NEW_HOME, None, moved),)
    msgs = revision(4, [Step("x86/virt/tdx: Move the SEAMCALL helpers to an internal header", changes),
                        Step(PREPARE, ((NEW_HOME, moved, reuse),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))])
    box = write_mbox(tmp_path / "v4.mbox", msgs)
    at = init_repo(tmp_path / "tree", {OLD_HOME: own, BUILD_WRAPPER[0]: BUILD_WRAPPER[1]}) if tree else None
    got = evaluate_gate(GateRequest((box,), "v4", jobs=1, cache=None, tree=at, base="HEAD" if tree else None))
    return next((v.status, v.note) for v in got.verdicts if v.rule.id == REUSE)


def test_a_printer_reused_from_a_file_an_earlier_patch_creates_from_mail_alone_names_the_tree(tmp_path: Path) -> None:
    # From mail alone seamcall_err() is new code of 01/3's header, and the titled patch takes it up: as in the
    # evasion above (a printer of its own made in 02/3 and switched to), whether it is a part of the titled patch's
    # change cannot be told, and the rule stays inconclusive. What tells: the tree, where the header's code was.
    # Before: the note named an earlier revision alone.
    status, note = _reuse(tmp_path, tree=False)
    assert status is VerdictStatus.INCONCLUSIVE and "v4 01/3" in note and "seamcall_err() prints" in note, note
    assert "or --tree: from mail alone, code a patch moves into a file it creates reads as new there" in note, note


def test_a_printer_reused_from_code_the_tree_held_passes(tmp_path: Path) -> None:
    # With --tree the same series moves seamcall_err() out of asm/tdx.h: no new printer at 01/3, and the reuse passes.
    status, note = _reuse(tmp_path, tree=True)
    assert status is VerdictStatus.PASS, note


def test_a_change_after_a_patch_the_mirror_cannot_run_is_not_passed_unseen(tmp_path: Path) -> None:
    # Round 48's p83 (h453): 01/4 makes the helpers with an asm statement the mirror does not run, 02/4 drops it and
    # tries 3 times, not RDRAND_RETRY_LOOPS: 02/4 cannot be judged against v4:01, and v4 was READY before 1cac0afc.
    fenced = RETRY_SAFE.replace("\t\tpreempt_disable();\n", '\t\tasm volatile("lfence");\n\t\tpreempt_disable();\n', 1)
    three = RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 3;")
    assert fenced != RETRY_SAFE and three != RETRY_SAFE
    found = _v4(tmp_path, three, fenced)
    for rule in (UNCHANGED, NAK):
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, found[rule])
        assert "v4 02/4: inconclusive there" in note and "the mirror cannot run" in note, note

"""A change put in a patch before the rule's own, with no earlier revision in the input to find it by title."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
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


def _v4(tmp_path: Path, second: str) -> dict[str, tuple[VerdictStatus, str]]:
    """The verdicts on v4 alone: 01 adds the helpers, 02 ``second`` turns them into another text, 03 is the
    rule's titled patch adding only a comment, 04 a wrapper."""
    base = helpers(RETRY_SAFE)
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

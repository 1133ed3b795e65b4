"""A value a patch computes otherwise only for answers or leaves no scenario takes is no "no behaviour change"."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import Verdict, VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    PREPARE_KEEPS_RULES,
    PRINTERS,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    preparing_series,
    revision,
)
from tests.mailgen import write_mbox

RULES = PREPARE_KEEPS_RULES


def _header(retry: str = RETRY_SAFE, printers: str = PRINTERS) -> str:
    return PREAMBLE + retry + "\n" + printers + TAIL


# Each computes otherwise than the base only where bit 4 of the status or the leaf is set: no scripted answer (nor
# leaf) has it. gcc agrees: a script answering 0x10 makes sc_retry() return 0x0 for 0x10 (crosscheck, all agree).
RETURNED = _header(RETRY_SAFE.replace("\treturn err;\n}", "\treturn err & ~0x10ULL;\n}"))
PASSED = _header(printers=PRINTERS.replace("seamcall_err(fn, err, args);", "seamcall_err(fn, err & ~0x10ULL, args);"))
CALLED = "\tu64 err = sc_retry(op, fn, args);\n"
THROUGH_LOCAL = _header(printers=PRINTERS.replace(CALLED, CALLED + "\tu64 shown = err & ~0x10ULL;\n").replace(
    "seamcall_err(fn, err, args);", "seamcall_err(fn, shown, args);"))
PRINTED_LEAF = _header(printers=PRINTERS.replace("fn, err);", "fn & ~0x10ULL, err);"))


def _verdict(tmp_path: Path, header: str) -> Verdict:
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    (tmp_path / "r.toml").write_text(RULES)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml"))
    (v,) = g.verdicts
    return v


def _gate(tmp_path: Path, header: str) -> tuple[VerdictStatus, str]:
    v = _verdict(tmp_path, header)
    return v.status, v.note


@pytest.mark.parametrize("header", [RETURNED, PASSED, THROUGH_LOCAL], ids=["returned", "passed", "through-local"])
def test_a_status_masked_outside_any_condition_is_run_where_it_differs(tmp_path: Path, header: str) -> None:
    status, note = _gate(tmp_path, header)
    assert status is VerdictStatus.FAIL, (status, note)  # before: PASS (no scripted answer has bit 4 set)


def test_a_leaf_printed_masked_is_not_known_never_the_same(tmp_path: Path) -> None:
    status, note = _gate(tmp_path, PRINTED_LEAF)
    # Before: PASS. No scenario's leaf has bit 4 set, and a leaf is no answer a value run can give.
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "a value of seamcall_err() changed" in note and "fn & ~0x10ULL" in note and "fn = 0x10" in note, note
    ev = evaluate(EvalRequest((tmp_path / "v2.mbox",), cache=None, jobs=1))
    cmp = ev.comparison.per_patch[1]
    assert not cmp.changed and cmp.verdict().endswith("changes a value that none of them tells apart"), cmp.verdict()


def test_a_changed_value_below_a_line_directive_is_quoted_from_the_line_the_file_holds(tmp_path: Path) -> None:
    # gcc numbers pr_err()'s line 900 (C11 6.10.4): the file has no such line, and the note quoted '?' (900) on both
    # sides. It quotes each side's text at the file's line, as without the directive.
    printers = PRINTERS.replace("{\n\tpr_err(", "{\n#line 900\n\tpr_err(")
    base, masked = (PREAMBLE + RETRY_SAFE + "\n" + p + TAIL for p in (printers, printers.replace(
        "fn, err);", "fn & ~0x10ULL, err);")))
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(masked, base=base))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    line = base.splitlines().index("\tpr_err(\"SEAMCALL (%llu) failed: %#016llx\\n\", fn, err);") + 1
    at = f"({NEW_HOME}:{line})"
    assert f"failed: %#016llx\\n\", fn, err);' {at} in v2:01 -> 'pr_err(" in v.note, v.note
    assert f"fn & ~0x10ULL, err);' {at} in v2: the two compute otherwise for fn = 0x10" in v.note, v.note


@pytest.mark.parametrize("new", ["\treturn err | 0;\n}", "\treturn (u64)(err + 0);\n}"])
def test_a_value_respelt_to_compute_the_same_stays_no_change(tmp_path: Path, new: str) -> None:
    status, note = _gate(tmp_path, _header(RETRY_SAFE.replace("\treturn err;\n}", new)))
    assert status is VerdictStatus.PASS, (status, note)


def test_a_move_that_masks_the_status_on_the_way_fails_the_move_rule(tmp_path: Path) -> None:
    # The bundled move rule passed (before: PASS, 'sc_retry (body 95% the same: changed in the move)'): the masked
    # return agrees with the original on every scripted answer.
    masked = RETRY_SAFE.replace("\treturn err;\n}", "\treturn err & ~0x10ULL;\n}")
    moved = helpers(masked).replace("SH_TEST_TDX_H", "X_H")
    msgs = revision(4, [
        Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
             ((OLD_HOME, helpers(RETRY_SAFE), PREAMBLE + TAIL), (NEW_HOME, None, moved))),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1))
    (move,) = [v for v in g.verdicts if v.rule.id == "move-preserves-behaviour"]
    assert move.status is VerdictStatus.FAIL, (move.status, move.note)
    # What ran, said (before: '01/2 moves ... without changing behaviour', of a value run as of a scenario).
    ran = [e.expected for e in move.evidence if e.scenario is not None and e.scenario.script.name == "neighbour-0x10"]
    assert ran and all(e.endswith(" without changing behaviour, with the SEAMCALL answering 0x10, then SUCCESS (a "
                                  "value run: an answer no scenario gives)") for e in ran), ran


# A statement a patch adds before the return: the value returned is the one it stores. Before: INCONCLUSIVE, for
# a wrong reason (the loop's condition 'reads a name whose definition changed', though the store comes after the
# loop); with the store as '=' after the loop and no condition reading err after it, the value was compared nowhere.
ADDED_STORE = _header(RETRY_SAFE.replace("\treturn err;\n}", "\terr &= ~0x10ULL;\n\treturn err;\n}"))
ADDED_PRINTED = _header(printers=PRINTERS.replace("{\n\tpr_err(", "{\n\terr = err & ~0x10ULL;\n\tpr_err("))


ADDED_IN_BRANCH = _header(RETRY_SAFE.replace("\treturn err;\n}", "\tif (err)\n\t\terr &= ~0x10ULL;\n\treturn err;\n}"))


@pytest.mark.parametrize("header", [ADDED_STORE, ADDED_PRINTED, ADDED_IN_BRANCH],
                         ids=["before-return", "before-print", "in-a-branch"])
def test_a_store_a_patch_adds_is_run_where_the_value_it_leaves_differs(tmp_path: Path, header: str) -> None:
    status, note = _gate(tmp_path, header)
    # gcc agrees: a script answering 0x10 makes sc_retry() return 0x0 (crosscheck of that matrix: all agree).
    # Before: INCONCLUSIVE (the loop's condition), PASS; in a branch INCONCLUSIVE, the loop's condition again.
    assert status is VerdictStatus.FAIL, (status, note)


def test_a_value_reading_the_answer_and_the_leaf_is_never_the_same_on_no_run(tmp_path: Path) -> None:
    # Bit 4 of the status is cleared where the leaf has it: no scenario's leaf has, so no run can show it.
    masked = RETRY_SAFE.replace("\treturn err;\n}", "\treturn err & ~(fn & 0x10ULL);\n}")
    status, note = _gate(tmp_path, _header(masked))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)  # before: PASS
    assert "'return err & ~(fn & 0x10ULL);'" in note and "(err, fn) = (" in note and "0x10)" in note, note


def test_a_value_run_s_evidence_says_what_ran(tmp_path: Path) -> None:
    # Before: 'as v2:01: the answers next to a changed condition', of a run no condition asked for (no condition
    # changed: the value returned did).
    v = _verdict(tmp_path, ADDED_STORE)
    said = {e.expected for e in v.evidence if e.scenario is not None and e.scenario.script.name == "neighbour-0x10"}
    assert said == {"as v2:01, with the SEAMCALL answering 0x10, then SUCCESS (a value run: an answer no scenario "
                    "gives)"}, said


LOOP = "\tfor (;;) {\n\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n" \
    "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n\t}\n"
DO_WHILE = "\tdo {\n\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n" \
    "\t} while (err == TDX_RND_NO_ENTROPY && --left);\n"


def _rewrite(tmp_path: Path, new: str) -> Verdict:
    """The 'Prepare' patch turning sc_retry()'s do/while loop into ``new`` (RETRY_SAFE's for (;;) loop, or not)."""
    from tests.harness.seriesgen import BUILD_WRAPPER, NEW_HOME, PREPARE, WRAPPER, WRAPPER_C, Step, helpers, revision

    assert LOOP in RETRY_SAFE
    old = helpers(RETRY_SAFE.replace(LOOP, DO_WHILE))
    mbox = write_mbox(tmp_path / "v2.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, old),)),
        Step(PREPARE, ((NEW_HOME, old, helpers(RETRY_SAFE.replace(LOOP, new))),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))]))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    return v


def test_a_do_while_made_for_with_its_test_turned_is_the_same(tmp_path: Path) -> None:
    # Before: INCONCLUSIVE, 'a changed condition no run tells apart: ... '} while (err == TDX_RND_NO_ENTROPY &&
    # --left);' ... -> 'if (err != TDX_RND_NO_ENTROPY || !--left)'', though every run agreed. gcc agrees: crosscheck
    # of the series, 1,260 of 1,260 outcomes agree with the mirror's.
    v = _rewrite(tmp_path, LOOP)
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    assert v.note.startswith("280 scenarios compared with v2:01; not run: neither v2:01 nor v2 defines "
                             "seamcall_saved_ret(), seamcall_prerr_ret()"), v.note  # what did not run, said


def test_a_for_loop_testing_first_is_no_such_rewrite(tmp_path: Path) -> None:
    # The test moved before the body: the first SEAMCALL is made only if the uninitialised err says so.
    first = LOOP.replace("\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n", "")
    first = first.replace("\t\t\tbreak;\n", "\t\t\tbreak;\n\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, "
                          "args);\n\t\tpreempt_enable();\n").replace("\tfor (;;) {\n", "\terr = 0;\n\tfor (;;) {\n")
    v = _rewrite(tmp_path, first)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)


def test_a_do_while_made_for_with_its_test_turned_in_unlikely_is_the_same(tmp_path: Path) -> None:
    # Before: INCONCLUSIVE, the two tests listed as a changed condition no run tells apart: 'unlikely(E)' was read as
    # a call, not as E. gcc agrees with the mirror on the series (crosscheck: every outcome agrees).
    turned = "if (unlikely(err != TDX_RND_NO_ENTROPY || !--left))"
    v = _rewrite(tmp_path, LOOP.replace("if (err != TDX_RND_NO_ENTROPY || !--left)", turned))
    assert v.status is VerdictStatus.PASS, (v.status, v.note)


def test_a_loop_test_in_likely_that_is_not_the_negation_fails(tmp_path: Path) -> None:
    wrong = "if (likely(err != TDX_RND_NO_ENTROPY && !--left))"  # stops only when both hold: retries on success
    v = _rewrite(tmp_path, LOOP.replace("if (err != TDX_RND_NO_ENTROPY || !--left)", wrong))
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert v.evidence and all(e.scenario is not None for e in v.evidence), v.evidence


THREE_NAMES = _header(RETRY_SAFE.replace("\treturn err;\n}", "\treturn (err & ~0x10ULL) | (fn & (u64)left & 0);\n}"))


def test_a_value_reading_three_names_is_run_where_it_differs(tmp_path: Path) -> None:
    # Before: PASS (three names were left to the runs, and no scripted answer has bit 4 set). gcc agrees: a script
    # answering all ones makes sc_retry() return it with bit 4 clear (crosscheck of that matrix: all agree).
    v = _verdict(tmp_path, THREE_NAMES)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any(e.scenario is not None and e.scenario.script.name.startswith("neighbour-") for e in v.evidence)


def _from(tmp_path: Path, old: str, new: str) -> Verdict:
    """The 'Prepare' patch turning the helper header ``old`` into ``new`` (the rule on it, as _verdict)."""
    from tests.harness.seriesgen import BUILD_WRAPPER, NEW_HOME, PREPARE, WRAPPER, WRAPPER_C, Step, revision

    mbox = write_mbox(tmp_path / "v2.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, old),)),
        Step(PREPARE, ((NEW_HOME, old, new),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))]))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    return v


CALL = "\t\terr = sc_mark_dirty(op, fn, args);\n"
IN_LOOP = _header(RETRY_SAFE.replace(CALL, CALL + "\t\terr &= ~0x10ULL;\n"))
BLOCK_BODY = "\tif (err != TDX_SUCCESS) {\n\t\tseamcall_err(fn, err, args);\n\t\treturn -EIO;\n\t}\n\treturn 0;\n"
BLOCK = _header(printers=PRINTERS.replace("\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n\tseamcall_err(fn, err, args);\n"
                                          "\treturn -EIO;\n", BLOCK_BODY))
PRINT = "\t\tseamcall_err(fn, err, args);\n"
IN_BLOCK = BLOCK.replace(PRINT, "\t\terr &= ~0x10ULL;\n" + PRINT)
IN_BLOCK_THEN_AFTER = _header(RETRY_SAFE.replace("\treturn err;\n}", "\tif (err) {\n\t\terr &= ~0x10ULL;\n"
                                                 "\t\tbarrier();\n\t}\n\treturn err;\n}"))


@pytest.mark.parametrize(("old", "new"), [(_header(), IN_LOOP), (BLOCK, IN_BLOCK), (_header(), IN_BLOCK_THEN_AFTER)],
                         ids=["loop-body", "if-block", "if-block-read-after"])
def test_a_store_added_in_a_nested_block_is_run_where_the_value_it_leaves_differs(tmp_path: Path, old: str,
                                                                                    new: str) -> None:
    # Before: INCONCLUSIVE for each, for a wrong reason (a condition the same on both sides 'reads a name whose
    # definition changed': whether it differs for other answers is not known), though a run with 0x10 shows the
    # value changed: the store, in a nested block, was compared nowhere ('&=' was no store at all). gcc agrees: a
    # script answering 0x10 makes sc_retry() return 0x0 and seamcall_err() print 0x0 where the base returns and
    # prints 0x10 (crosscheck of each series with that matrix: all outcomes agree).
    v = _from(tmp_path, old, new)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    ran = {e.scenario.script.name for e in v.evidence if e.scenario is not None}
    assert "neighbour-0x10" in ran, ran


def test_a_store_added_in_a_loop_that_no_run_shows_is_not_known(tmp_path: Path) -> None:
    # The leaf masked inside the loop: no scenario's leaf has bit 4 set, and a leaf is no answer a value run gives.
    # Before: PASS (a store in a loop body, compared nowhere).
    status, note = _gate(tmp_path, _header(RETRY_SAFE.replace(CALL, "\t\tfn &= ~0x10ULL;\n" + CALL)))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "a value of sc_retry() changed, none in v2:01 -> 'fn &= ~0x10ULL;' (" in note and \
        "the value it stores and the one the name held before compute otherwise for fn = 0x" in note, note


def test_a_value_reading_more_names_than_are_worked_out_is_not_known(tmp_path: Path) -> None:
    # Two counters the patch adds, stepped in the loop, make five names: past models.valueexprs.NAMES_MAX.
    counted = RETRY_SAFE.replace("\tu64 err;\n", "\tu64 err;\n\tint tries = 0, spins = 0;\n").replace(
        CALL, CALL + "\t\ttries++;\n\t\tspins++;\n").replace(
        "\treturn err;\n}", "\treturn (err & ~0x10ULL) | ((u64)(tries & spins & left) & fn & 0);\n}")
    status, note = _gate(tmp_path, _header(counted))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)  # before: PASS (no scripted answer has bit 4 set)
    # What is not provided by design ('; not run: ...') comes after it, as after 'all as expected'.
    assert "in v2: it reads 5 names (err, fn, left, spins, tries), more than are worked out, and no run that ran " \
           "shows it: whether it changes behaviour is not known; not run: " in note, note


@pytest.mark.parametrize("new", ["if (unlikely(err != TDX_RND_NO_ENTROPY || !--left))",
                                 "if (likely(err != TDX_RND_NO_ENTROPY) || unlikely(!--left))"])
def test_a_loop_test_put_in_unlikely_in_place_is_the_same(tmp_path: Path, new: str) -> None:
    # Before: INCONCLUSIVE, 'neither the scenarios that ran nor the answers next to what it tests ... tell the two
    # apart' (a test reading a counter is not worked out both ways). gcc agrees with the mirror on the series
    # (crosscheck: every outcome agrees).
    status, note = _gate(tmp_path, _header(RETRY_SAFE.replace("if (err != TDX_RND_NO_ENTROPY || !--left)", new)))
    assert status is VerdictStatus.PASS, (status, note)


CLEAN = "static inline u64 sc_clean(u64 e)\n{\n\treturn e & ~0x10ULL;\n}\n\n"


@pytest.mark.parametrize("retry", [CLEAN + RETRY_SAFE.replace("\treturn err;\n}", "\treturn sc_clean(err);\n}"),
                                   CLEAN + RETRY_SAFE.replace(CALL, CALL + "\t\terr = sc_clean(err);\n")],
                         ids=["returned", "stored-in-the-loop"])
def test_a_value_a_helper_computes_otherwise_is_run_where_it_differs(tmp_path: Path, retry: str) -> None:
    # Before: PASS (a call was left to the runs, and no scripted answer has bit 4 set), INCONCLUSIVE for a wrong
    # reason (the loop's test 'reads a name whose definition changed'). gcc agrees: a script answering 0x10 makes
    # sc_retry() return 0x0 where the base returns 0x10 (crosscheck with that matrix: every outcome agrees).
    v = _verdict(tmp_path, _header(retry))
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any(e.scenario is not None and e.scenario.script.name == "neighbour-0x10" for e in v.evidence)


def test_an_answer_put_in_another_local_and_masked_is_run_where_it_differs(tmp_path: Path) -> None:
    # 'err = sc_mark_dirty(...)' made 'raw = sc_mark_dirty(...); err = raw & ~0x10ULL;': before, INCONCLUSIVE with
    # '(err, raw) = (0x0, 0x5), (0x0, 0x21), ...' (two names tried apart, never at one answer), no run with bit 4.
    # gcc agrees: a script answering 0x10 makes sc_retry() return 0x0 where the base returns 0x10 (crosscheck).
    raw = RETRY_SAFE.replace("\tu64 err;\n", "\tu64 err, raw;\n").replace(
        CALL, "\t\traw = sc_mark_dirty(op, fn, args);\n\t\terr = raw & ~0x10ULL;\n")
    v = _verdict(tmp_path, _header(raw))
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any(e.scenario is not None and e.scenario.script.name == "neighbour-0x10" for e in v.evidence)


def test_a_register_the_entry_returns_masked_is_not_known_never_the_same(tmp_path: Path) -> None:
    # 'args->rdx &= ~0x10ULL;' added before sc_retry()'s return: what the caller reads back changes where rdx has bit
    # 4 set, which no script's registers have, and value runs vary the status alone. Before: PASS.
    status, note = _gate(tmp_path, _header(RETRY_SAFE.replace("\treturn err;\n}",
                                                              "\targs->rdx &= ~0x10ULL;\n\treturn err;\n}")))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "a value of sc_retry() changed, none in v2:01 -> 'args->rdx &= ~0x10ULL;' (" in note and \
        "what it stores is not worked out (it reads or stores through a pointer, a member or a call)" in note, note


CLEANS = "static inline void sc_clean(u64 *e)\n{\n\t*e &= ~0x10ULL;\n}\n\n"
SEEN = "static u64 sc_seen;\n\nstatic inline void sc_note(u64 e)\n{\n\tsc_seen |= e & 0x10ULL;\n}\n\n"


@pytest.mark.parametrize("retry", [
    CLEANS + RETRY_SAFE.replace("\treturn err;\n}", "\tsc_clean(&err);\n\treturn err;\n}"),
    CLEANS.replace("\t*e &=", "\tu64 *p = e;\n\n\t*p &=") + RETRY_SAFE.replace("\treturn err;\n}",
                                                                         "\tsc_clean(&err);\n\treturn err;\n}"),
    SEEN + RETRY_SAFE.replace("\treturn err;\n}", "\tsc_note(err);\n\treturn err;\n}")],
    ids=["through-a-pointer", "through-a-local-pointer", "into-a-global"])
def test_a_store_a_called_helper_makes_is_run_where_it_differs(tmp_path: Path, retry: str) -> None:
    # Before: PASS for each (the helper's lines all ran; what its store computes otherwise, for a status with bit 4
    # set, was compared nowhere: a call statement has no value). gcc agrees: a script answering 0x10 makes sc_retry()
    # return 0x0 (or leave sc_seen 0x10) where the base returns 0x10 (leaves it 0).
    v = _verdict(tmp_path, _header(retry))
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any(e.scenario is not None and e.scenario.script.name.startswith("neighbour-") for e in v.evidence)


@pytest.mark.parametrize(("helper", "call"), [
    ("static inline void sc_fix(struct tdx_module_args *a)\n{\n\ta->rdx &= ~0x10ULL;\n}\n\n", "\treturn err;\n}"),
    ("static inline void sc_fix(struct tdx_module_args *a)\n{\n\ta->rcx &= ~0x10ULL;\n}\n\n", CALL)],
    ids=["output-register", "input-register"])
def test_a_register_a_called_helper_masks_is_not_known_never_the_same(tmp_path: Path, helper: str, call: str) -> None:
    # Before: PASS (no script's registers have bit 4 set; the helper's store was compared nowhere). As the same store
    # written in sc_retry() itself: not worked out, said.
    status, note = _gate(tmp_path, _header(helper + RETRY_SAFE.replace(call, "\tsc_fix(args);\n" + call)))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "a value of sc_retry() changed, none in v2:01 -> 'a->r" in note and \
        "what it stores is not worked out (it reads or stores through a pointer, a member or a call)" in note, note


ANSWER = "\treturn op(fn, args);\n"


@pytest.mark.parametrize("retry", [
    RETRY_SAFE.replace(ANSWER, "\treturn op(fn, args) & ~0x10ULL;\n"),
    RETRY_SAFE.replace("sc_mark_dirty", "sc_call_dirty").replace(ANSWER, "\treturn op(fn, args) & ~0x10ULL;\n")],
    ids=["in-place", "renamed"])
def test_the_seamcall_s_answer_masked_in_a_helper_is_run_where_it_differs(tmp_path: Path, retry: str) -> None:
    # Before: PASS for each: 'op(fn, args)', a call condeval cannot work out, was left to the runs (none answers with
    # bit 4 set), and a helper renamed on the way was compared with nothing. gcc agrees: a script answering 0x10 makes
    # sc_retry() return 0x0 where the base returns 0x10 (crosscheck with that matrix: every outcome agrees).
    v = _verdict(tmp_path, _header(retry))
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any(e.scenario is not None and e.scenario.script.name == "neighbour-0x10" for e in v.evidence)


EXTRA = "static inline u64 sc_extra(struct tdx_module_args *a)\n{\n\treturn a->rdx & 0x10ULL;\n}\n\n"
OLD_CLEAN = CLEANS.replace("~0x10ULL", "~0x0ULL") + RETRY_SAFE.replace("\treturn err;\n}",
                                                                       "\tsc_clean(&err);\n\treturn err;\n}")


@pytest.mark.parametrize(("old", "new"), [
    (_header(), _header(RETRY_SAFE.replace("\treturn err;\n}", "\treturn err | (args->rdx & 0x10ULL);\n}"))),
    (_header(), _header(printers=PRINTERS.replace("seamcall_err(fn, err, args);",
                                                  "seamcall_err(fn, err | (args->r8 & 0x10ULL), args);"))),
    (_header(), _header(EXTRA + RETRY_SAFE.replace("\treturn err;\n}", "\treturn err | sc_extra(args);\n}"))),
    (_header(OLD_CLEAN), _header(OLD_CLEAN.replace("~0x0ULL", "~0x10ULL")))],
    ids=["returned", "printed", "through-a-helper", "a-helper-s-store-changed"])
def test_a_value_read_through_a_register_is_not_known_never_the_same(tmp_path: Path, old: str, new: str) -> None:
    # Before: PASS for each (a value read through a member or pointer was left to the runs, which vary the SEAMCALL's
    # answer and never a register: none has bit 4 set).
    v = _from(tmp_path, old, new)
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert "is not worked out (it reads or stores through a pointer, a member or a call)" in v.note, v.note


def test_a_helper_returning_what_a_pointer_holds_is_worked_out_as_the_same(tmp_path: Path) -> None:
    got = "static inline u64 sc_get(const u64 *e)\n{\n\treturn *e;\n}\n\n"
    v = _verdict(tmp_path, _header(got + RETRY_SAFE.replace("\treturn err;\n}", "\treturn sc_get(&err);\n}")))
    assert v.status is VerdictStatus.PASS, (v.status, v.note)


EARLY = "\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n\tseamcall_err(fn, err, args);\n\treturn -EIO;\n"
TO_GOTO = "\tif (err != TDX_SUCCESS)\n\t\tgoto fail;\n\treturn 0;\nfail:\n\tseamcall_err(fn, err, args);\n" \
    "\treturn -EIO;\n"


@pytest.mark.parametrize("printers", [PRINTERS.replace(EARLY, TO_GOTO), PRINTERS.replace(EARLY, BLOCK_BODY)],
                         ids=["goto", "error-path-in-the-block"])
def test_a_test_turned_round_with_its_ways_swapped_is_the_same(tmp_path: Path, printers: str) -> None:
    # Before: INCONCLUSIVE, 'a condition of sc_retry_prerr() changed, 'if (err == TDX_SUCCESS)' ... -> 'if (err !=
    # TDX_SUCCESS)' ...: neither the scenarios that ran nor the answers next to what it tests ... tell the two apart',
    # though the answers split as before and each part ran on both sides. gcc agrees with the mirror on each series
    # (crosscheck with scripts answering 0x10 and all ones too: 1,404 of 1,404 outcomes agree).
    status, note = _gate(tmp_path, _header(printers=printers))
    assert status is VerdictStatus.PASS, (status, note)


def test_a_test_turned_round_with_its_ways_kept_fails(tmp_path: Path) -> None:
    status, note = _gate(tmp_path, _header(printers=PRINTERS.replace(EARLY, EARLY.replace("==", "!="))))
    assert status is VerdictStatus.FAIL, (status, note)  # returns 0 on a failure: every failing script shows it


COUNT = "\tint left = RDRAND_RETRY_LOOPS;\n"


@pytest.mark.parametrize("retry", [
    RETRY_SAFE.replace(COUNT, "\tconst int tries = RDRAND_RETRY_LOOPS;\n\tint left = tries;\n"),
    "static const int sc_tries = RDRAND_RETRY_LOOPS;\n\n" + RETRY_SAFE.replace(COUNT, "\tint left = sc_tries;\n")],
    ids=["a-const-local", "a-file-scope-const"])
def test_a_retry_count_put_in_a_const_is_the_same(tmp_path: Path, retry: str) -> None:
    # Before: INCONCLUSIVE ('a condition of sc_retry() reads a name whose definition changed ... not worked out', the
    # loop's '!--left' over a counter now set from a const; or 'a value of sc_retry() changed, 'int left =
    # RDRAND_RETRY_LOOPS;' -> 'int left = sc_tries;': the two compute otherwise for sc_tries = 0x1, ...'), though
    # the const holds what the macro did.
    status, note = _gate(tmp_path, _header(retry))
    assert status is VerdictStatus.PASS, (status, note)


@pytest.mark.parametrize(("retry", "want"), [
    ("static const int sc_tries = 3;\n\n" + RETRY_SAFE.replace(COUNT, "\tint left = sc_tries;\n"), VerdictStatus.FAIL),
    ("static int sc_tries = RDRAND_RETRY_LOOPS;\nmodule_param(sc_tries, int, 0444);\n\n" +
     RETRY_SAFE.replace(COUNT, "\tint left = sc_tries;\n"), VerdictStatus.INCONCLUSIVE)],
    ids=["a-const-of-another-count", "a-module-parameter"])
def test_a_retry_count_put_in_a_name_holding_another_count_is_never_the_same(tmp_path: Path, retry: str,
                                                                              want: VerdictStatus) -> None:
    status, note = _gate(tmp_path, _header(retry))
    assert status is want, (status, note)  # a variable not const may be set where no code read shows it


SWITCH = "\tswitch (err) {\n\tcase 0x10:\n\tcase 0x20:\n\t\terr = 0;\n\t\tbreak;\n\tdefault:\n\t\tbreak;\n\t}\n"


@pytest.mark.parametrize(("old", "new"), [
    (_header(), _header(RETRY_SAFE.replace("\treturn err;\n}", SWITCH + "\treturn err;\n}"))),
    (_header(RETRY_SAFE.replace("\treturn err;\n}", SWITCH + "\treturn err;\n}")),
     _header(RETRY_SAFE.replace("\treturn err;\n}", SWITCH.replace("0x20", "0x30") + "\treturn err;\n}")))],
    ids=["added", "a-label-changed"])
def test_a_switch_s_labels_are_run_as_answers(tmp_path: Path, old: str, new: str) -> None:
    # Before: INCONCLUSIVE for each (a switch's labels were no decisions models.neighbours compared: no value run at
    # 0x10, 0x20 or 0x30, and the loop's test 'reads a name whose definition changed'). gcc agrees: a script answering
    # 0x10 makes sc_retry() return 0x0 where the base returns 0x10 (crosscheck with that matrix: all agree).
    v = _from(tmp_path, old, new)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any(e.scenario is not None and e.scenario.script.name.startswith("neighbour-0x") for e in v.evidence)


def _wrapped(retry: str) -> str:
    """sc_retry()'s body moved into a new __sc_retry(), sc_retry() left as a wrapper handing its call on whole."""
    return retry.replace("static __always_inline u64 sc_retry(", "static __always_inline u64 __sc_retry(") + \
        "\nstatic __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n" \
        "\treturn __sc_retry(op, fn, args);\n}\n"


@pytest.mark.parametrize(("old", "new", "want"), [
    (_header(), _header(_wrapped(RETRY_SAFE)), VerdictStatus.PASS),
    (_header(_wrapped(RETRY_SAFE)), _header(), VerdictStatus.PASS),
    (_header(), _header(_wrapped(RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY",
                                                    "(err & ~0x10ULL) != TDX_RND_NO_ENTROPY"))), VerdictStatus.FAIL),
    (_header(), _header(_wrapped(RETRY_SAFE.replace("\treturn err;\n}", "\treturn err & ~0x10ULL;\n}"))),
     VerdictStatus.FAIL)],
    ids=["moved-behind-a-wrapper", "the-wrapper-folded-back", "moved-with-its-test-masked",
         "moved-with-its-value-masked"])
def test_a_body_moved_behind_a_wrapper_is_compared_with_itself(tmp_path: Path, old: str, new: str,
                                                               want: VerdictStatus) -> None:
    # Before: INCONCLUSIVE, INCONCLUSIVE, INCONCLUSIVE, FAIL: the loop's test compared in sc_retry() alone ('changed,
    # ... -> none in v2'), the moved body against nothing. gcc agrees with the mirror on the masked ones (crosscheck
    # with scripts answering 0x10 and all ones: every outcome agrees).
    v = _from(tmp_path, old, new)
    assert v.status is want, (v.status, v.note)


PEELED = "\tpreempt_disable();\n\terr = sc_mark_dirty(op, fn, args);\n\tpreempt_enable();\n"


@pytest.mark.parametrize(("new", "want"), [
    (PEELED + "\twhile (err == TDX_RND_NO_ENTROPY && --left) {\n" + PEELED.replace("\t", "\t\t") + "\t}\n",
     VerdictStatus.PASS),
    ("again:\n" + PEELED + "\tif (err == TDX_RND_NO_ENTROPY && --left)\n\t\tgoto again;\n", VerdictStatus.PASS),
    (PEELED + "\twhile ((err & ~0x10ULL) == TDX_RND_NO_ENTROPY && --left) {\n" + PEELED.replace("\t", "\t\t") +
     "\t}\n", VerdictStatus.FAIL),
    ("again:\n" + PEELED + "\tif ((err | 0x10ULL) == (TDX_RND_NO_ENTROPY | 0x10ULL) && --left)\n\t\tgoto again;\n",
     VerdictStatus.FAIL)],
    ids=["a-while-after-its-body", "a-goto-back", "a-while-with-its-test-masked", "a-goto-with-its-test-masked"])
def test_a_retry_loop_rewritten_as_a_while_or_a_goto_is_the_same_loop(tmp_path: Path, new: str,
                                                                      want: VerdictStatus) -> None:
    # sc_retry()'s 'for (;;) { B; if (err != TDX_RND_NO_ENTROPY || !--left) break; }' made 'B; while (err ==
    # TDX_RND_NO_ENTROPY && --left) { B; }' or 'again: B; if (err == TDX_RND_NO_ENTROPY && --left) goto again;'.
    # Before: INCONCLUSIVE for the first two ('a changed condition no run tells apart'), though each is the same loop;
    # a test masked on the way FAILs (value runs next to TDX_RND_NO_ENTROPY), as before. gcc agrees with the mirror on
    # the two same loops (crosscheck with scripts answering 0x10 and all ones: every outcome agrees).
    assert LOOP in RETRY_SAFE
    v = _verdict(tmp_path, _header(RETRY_SAFE.replace(LOOP, new)))
    assert v.status is want, (v.status, v.note)


CLEANUP = "\tint ret = 0;\n\n\tif (err == TDX_SUCCESS)\n\t\tgoto out;\n\tseamcall_err(fn, err, args);\n" \
    "\tret = -EIO;\nout:\n\treturn ret;\n"


@pytest.mark.parametrize(("printers", "want"), [
    (PRINTERS.replace(EARLY, CLEANUP), VerdictStatus.PASS),
    (PRINTERS.replace(EARLY, CLEANUP.replace("-EIO", "-ENODEV")), VerdictStatus.FAIL),
    (PRINTERS.replace(EARLY, CLEANUP.replace("out:\n", "\tif (err & 0x10)\n\t\tret = 0;\nout:\n")),
     VerdictStatus.FAIL)],
    ids=["the-same", "another-error", "a-new-test-of-the-answer"])
def test_early_returns_made_one_exit_through_a_local_are_judged_by_the_paths(tmp_path: Path, printers: str,
                                                                             want: VerdictStatus) -> None:
    # sc_retry_prerr()'s 'return 0;' and 'return -EIO;' made 'int ret = 0; ... goto out; ... ret = -EIO; out: return
    # ret;'. Before: INCONCLUSIVE ('a value of sc_retry_prerr() changed, 'return -EIO;' ... -> 'return ret;' ...: the
    # two compute otherwise for ret = 0x1, ...'), though ret holds one constant or another by the path taken, and each
    # path ran on both sides. A constant changed, or a new test of the answer, FAILs (runs, value runs at 0x10).
    status, note = _gate(tmp_path, _header(printers=printers))
    assert status is want, (status, note)

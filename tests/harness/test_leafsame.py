"""same_across_leaves: a retry code chosen by leaf fails whatever names the choice uses (no-leaf-dependent-retry)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.leafsame import leaf_differences
from harness.matrix import Entry, Scenario, Script, Unit
from harness.verdict import VerdictStatus
from models.machine import LogLine
from models.outcome import Outcome, OutcomeStatus
from tests.harness.seriesgen import RETRY_SAFE, dropping_series, helpers, preparing_series
from tests.mailgen import write_mbox

RULE = "no-leaf-dependent-retry"
LOOP = "err != TDX_RND_NO_ENTROPY"


def _verdict(tmp_path: Path, msgs: list, variant: str = "v2") -> tuple[VerdictStatus, str]:  # type: ignore[type-arg]
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "in.mbox", msgs),), variant, jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == RULE)
    return found.status, found.note


def _by(choice: str) -> str:
    """The safe loop retrying the "no entropy" code ``choice`` picks (``fn`` is the leaf)."""
    return RETRY_SAFE.replace("\tu64 err;\n", f"\tu64 err;\n\tu64 busy = {choice};\n", 1).replace(LOOP, "err != busy")


@pytest.mark.parametrize("choice", [
    "(fn >> 63) ? 0x8000000000030001ULL : TDX_RND_NO_ENTROPY",  # the top bit by hand
    "(fn & SEAMLDR_LEAF_BIT) ? 0x8000000000030001ULL : TDX_RND_NO_ENTROPY",  # a mask of the patch's own
], ids=["shift", "own mask"])
def test_a_retry_code_chosen_by_leaf_fails_whatever_it_is_called(tmp_path: Path, choice: str) -> None:
    # Before: the rule looked for the names is_seamldr_call and SEAMLDR_SEAMCALL_MASK in sc_retry() and passed.
    status, note = _verdict(tmp_path, preparing_series(helpers(_by(choice))))
    assert status is VerdictStatus.FAIL, (status, note)
    assert "compared across leaves" in note, note


def test_the_dropped_patch_of_the_generated_series_fails_it(tmp_path: Path) -> None:
    # seriesgen's RETRY_BY_LEAF picks the code with unlikely(fn & SEAMLDR_LEAF_BIT): it passed before.
    assert _verdict(tmp_path, dropping_series(), "v2")[0] is VerdictStatus.FAIL


def test_one_retry_for_both_codes_whatever_the_leaf_passes(tmp_path: Path) -> None:
    # The point met: retry either "no entropy" code, for any leaf (what the reviewer argued for).
    retry = RETRY_SAFE.replace(f"if ({LOOP} || !--left)",
                               f"if (({LOOP} && err != 0x8000000000030001ULL) || !--left)")
    status, note = _verdict(tmp_path, preparing_series(helpers(retry)))
    assert status is VerdictStatus.PASS, (status, note)


def test_scenarios_of_one_leaf_compare_nothing() -> None:
    assert leaf_differences([]) == ([], 0)


UNSEEN = "0x8000000000099999ULL"  # an answer no script of the matrix gives
_CHECK = f"\t\tif ({LOOP} || !--left)"


def _unrun_choice(retry: str) -> str:
    """The safe loop with ``retry``, a choice by leaf for an answer the matrix never gives, before its check."""
    return RETRY_SAFE.replace(_CHECK, retry + _CHECK)


@pytest.mark.parametrize(("retry", "top"), [
    (f"\t\tif (err == {UNSEEN} && !(fn >> 63) && --left)\n\t\t\tcontinue;\n", ""),
    (f"\t\tif (err == {UNSEEN} && !sc_for_loader(fn) && --left)\n\t\t\tcontinue;\n",
     "static inline bool sc_for_loader(u64 leaf)\n{\n\treturn leaf & SEAMLDR_LEAF_BIT;\n}\n\n"),
    (f"\t\tif (err == {UNSEEN}) {{\n\t\t\tswitch (fn >> 63) {{\n\t\t\tcase 0:\n\t\t\t\tif (--left)\n"
     "\t\t\t\t\tcontinue;\n\t\t\t\tbreak;\n\t\t\tdefault:\n\t\t\t\tbreak;\n\t\t\t}\n\t\t}\n", ""),
    (f"\t\tif (err == {UNSEEN})\n\t\t\tbusy = sc_busy_codes[fn >> 63];\n",
     "static const u64 sc_busy_codes[2] = { TDX_RND_NO_ENTROPY, 0x8000000000030001ULL };\n\n"),
], ids=["test", "helper", "switch", "table"])
def test_a_choice_by_leaf_no_scenario_reaches_is_never_a_pass(tmp_path: Path, retry: str, top: str) -> None:
    # Before: every scenario issued as many SEAMCALLs whatever its leaf, since no script answers UNSEEN, and the
    # rule passed on code that retries UNSEEN for TDX-module leaves only.
    head = "static __always_inline u64 sc_retry("
    code = _unrun_choice(retry).replace(head, top + head)
    if "busy" in retry:  # the table's code is retried, the module's until the unseen answer comes
        code = code.replace("\tu64 err;\n", "\tu64 err;\n\tu64 busy = TDX_RND_NO_ENTROPY;\n", 1).replace(
            f"if ({LOOP} || !--left)", "if (err != busy || !--left)")
    status, note = _verdict(tmp_path, preparing_series(helpers(code)))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "in sc_retry() at arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note, note
    assert any(said in note for said in ("never tested", "never picked", "never ran")), note
    assert "a scenario that runs them would decide" in note, note


def test_a_retry_rewritten_as_goto_with_an_unrun_leaf_test_is_never_a_pass(tmp_path: Path) -> None:
    code = RETRY_SAFE.replace("\tfor (;;) {\n", "again:\n\t{\n").replace(
        _CHECK + "\n\t\t\tbreak;\n\t}\n",
        f"\t}}\n\tif ((err == TDX_RND_NO_ENTROPY || (err == {UNSEEN} && !(fn >> 63))) && --left)\n\t\tgoto again;\n")
    status, note = _verdict(tmp_path, preparing_series(helpers(code)))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "goto" not in note and "if ((err == TDX_RND_NO_ENTROPY" in note, note


def test_a_test_of_the_leaf_that_ran_both_ways_with_the_same_calls_passes(tmp_path: Path) -> None:
    # The reverse: the leaf picks a line that prints alike whichever it picks, and both ways ran: a pass, not
    # inconclusive (a line that reads otherwise by leaf fails: test_a_leaf_that_picks_..._fails below).
    header = helpers(RETRY_SAFE).replace(
        '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n',
        '\tif (fn & SEAMLDR_LEAF_BIT)\n\t\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
        '\telse\n\t\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n')
    assert "if (fn & SEAMLDR_LEAF_BIT)" in header
    status, note = _verdict(tmp_path, preparing_series(header))
    assert status is VerdictStatus.PASS, (status, note)


# A P-SEAMLDR leaf no scenario has (the matrix's are 0x8000000000000000 and ...01) retried on "no entropy", in an
# operand that starts where the operand around it starts: pycparser places "!(fn == X && ...)" and "fn == X" at
# one column, and the first came out both ways while the second never came out true.
UNSEEN_LEAF = RETRY_SAFE.replace(
    _CHECK, "\t\tif (((err != TDX_RND_NO_ENTROPY) && !(fn == 0x8000000000000002ULL && err == 0x8000000000030001ULL))"
            " || !--left)")


def _rules(tmp_path: Path, header: str) -> dict[str, tuple[VerdictStatus, str]]:
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "in.mbox", preparing_series(header)),), "v2", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


def test_a_leaf_test_sharing_its_column_with_another_is_judged_on_its_own(tmp_path: Path) -> None:
    # Before: both decisions were one coverage site, true from one and false from the other: a pass.
    assert UNSEEN_LEAF != RETRY_SAFE
    found = _rules(tmp_path, helpers(UNSEEN_LEAF))
    status, note = found[RULE]
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "always came out false" in note, note
    # The same leaf test leaves "not retried" unshown for the leaf it picks (it passed: no scenario has it).
    status, note = found["seamldr-no-entropy-not-retried"]
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "a test of the leaf in sc_retry()" in note, note


@pytest.mark.parametrize("leaf", ["0x8000000000000002ULL", "0x10021ULL"])
def test_a_changed_leaf_test_masked_by_its_condition_leaves_equivalence_unshown(tmp_path: Path, leaf: str) -> None:
    # "fn == X || ..." for a leaf no scenario has: its condition, placed at the same column, came out both ways.
    # Before: nak-no-kernel-change and tdx-module-calls-unchanged passed over the changed line (harness.linecover).
    masked = _CHECK.replace("if (", f"if (fn == {leaf} || ")
    found = _rules(tmp_path, helpers(RETRY_SAFE.replace(_CHECK, masked)))
    for rule in ("nak-no-kernel-change", "tdx-module-calls-unchanged", RULE):
        status, note = found[rule]
        if rule == "tdx-module-calls-unchanged" and leaf.startswith("0x8"):
            # A P-SEAMLDR leaf: bit 63 makes the test false for every TDX-module leaf, all this rule compares
            # (models.leafbits); a versioned TDX-module leaf (0x10021: leaf 33, version 1) is not proven either way.
            assert status is VerdictStatus.PASS, (rule, status, note)
            continue
        assert status is VerdictStatus.INCONCLUSIVE, (rule, status, note)
        assert "seamcall_internal.h:24" in note, note


# Both ways per entry point and per group compared: a test of the leaf whose true and false came from runs that were
# never compared with each other showed nothing. BIT_ULL(62) is set in no leaf of the matrix: a leaf that sets it
# (a later leaf number) takes the branch the runs of its entry point, or its script, never took.
_KEY = "\tu64 key = op == __seamcall_ret ? fn : fn | BIT_ULL(62);\n"
_ENTRY_APART = RETRY_SAFE.replace("\tu64 err;\n", "\tu64 err;\n" + _KEY, 1).replace(
    _CHECK, "\t\tif (!(key & BIT_ULL(62)))\n\t\t\tbreak;\n" + _CHECK)
_SCRIPT_APART = RETRY_SAFE.replace(_CHECK, "\t\tif ((fn | err) & BIT_ULL(62))\n\t\t\tbreak;\n" + _CHECK)


def test_a_leaf_test_true_under_one_entry_point_and_false_under_another_is_not_both_ways(tmp_path: Path) -> None:
    # Before: coverage was the union of every run of the variant: seamcall() made the test false, seamcall_ret()
    # true, and both rules passed though no entry point's runs took both sides (seamcall_ret() with a leaf that
    # sets bit 62 retries, with 33 it does not: a choice by leaf no run compared).
    assert _ENTRY_APART.count("key") == 2
    found = _rules(tmp_path, helpers(_ENTRY_APART))
    for rule in (RULE, "seamldr-no-entropy-not-retried"):
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, status, note)
        assert "('if (!(key & BIT_ULL(62)))')" in note, note
        assert "always came out true under seamcall_ret()" in note, note
        assert "always came out false under seamcall()" in note, note


def test_a_leaf_test_true_under_one_script_and_false_under_another_is_not_compared_across_leaves(
        tmp_path: Path) -> None:
    # OPERAND_INVALID sets bit 62, no other answer does: per entry point the test came out both ways, but each
    # group of scenarios compared across leaves (entry, script, unit) saw one side only. Before: a pass.
    found = _rules(tmp_path, helpers(_SCRIPT_APART))
    status, note = found[RULE]
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "came out true and false only in runs of different scripts or units" in note, note
    # "not retried" selects the P-SEAMLDR "no entropy" scripts only: the true side came from a script it does not
    # select (operand-invalid), which showed nothing of the runs it judges.
    status, note = found["seamldr-no-entropy-not-retried"]
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "((fn | err) & BIT_ULL(62))') always came out false in v2" in note, note


def test_a_leaf_test_both_ways_within_each_group_still_passes(tmp_path: Path) -> None:
    # The reverse of the two above: "fn >> 63" picks between two lines that print alike, and within every group
    # (each script, each entry point) one leaf took each side: a pass, as before.
    header = helpers(RETRY_SAFE).replace(
        '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n',
        '\tif (fn >> 63)\n\t\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
        '\telse\n\t\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n')
    assert "(fn >> 63)" in header
    status, note = _rules(tmp_path, header)[RULE]
    assert status is VerdictStatus.PASS, (status, note)


# same_across_leaves compared SEAMCALL counts only: a leaf that picks the message, the return value or a side effect
# chooses as much as one that picks the retry code, with as many SEAMCALLs (the leaf's own number aside).
_PRINTED = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'


@pytest.mark.parametrize(("old", "new", "said"), [
    (_PRINTED, '\tif (fn >> 63)\n\t\tpr_err("P-SEAMLDR (%llx) failed: %#016llx\\n", fn, err);\n\telse\n\t' + _PRINTED,
     "log differs with SEAMLDR_INFO (the same answers, 10 SEAMCALLs): 'virt/tdx: SEAMCALL (<leaf decimal>) failed: "
     "0x8000020300000000' / 'virt/tdx: P-SEAMLDR (<leaf hex>) failed: 0x8000020300000000'"),
    ("\treturn err;\n}", "\treturn (fn >> 63) && err ? err | 1 : err;\n}",
     "return value differs with SEAMLDR_INFO (the same answers, 10 SEAMCALLs): 9223374248762933248 / "
     "9223374248762933249"),
    ("\tthis_cpu_write(cache_state_incoherent, true);", "\tthis_cpu_write(cache_state_incoherent, !(fn >> 63));",
     "side effects differ with SEAMLDR_INFO (the same answers, 1 SEAMCALL): ('percpu-write', "
     "'cache_state_incoherent = 1'"),
], ids=["message", "return", "percpu"])
def test_a_leaf_that_picks_what_is_done_with_as_many_seamcalls_fails(tmp_path: Path, old: str, new: str,
                                                                      said: str) -> None:
    # Before: a pass (each group issued as many SEAMCALLs for every leaf).
    header = helpers(RETRY_SAFE)
    assert old in header
    status, note = _rules(tmp_path, header.replace(old, new, 1))[RULE]
    assert status is VerdictStatus.FAIL, (status, note)
    found = evaluate_gate(GateRequest((tmp_path / "in.mbox",), "v2", jobs=1))
    evidence = [e.actual for v in found.verdicts if v.rule.id == RULE for e in v.evidence]
    assert any(said in e for e in evidence), evidence


def _scenario(leaf: int) -> Scenario:
    return Scenario(f"e/{leaf}/s/u", Entry("e", ("u",), ("fn",)), str(leaf), leaf, Script("s", (), ""),
                    Unit("u", "u.c"))


def test_the_leaf_printed_by_one_padded_conversion_reads_alike_for_every_leaf() -> None:
    # %#016llx pads 33 to 16 characters and prints a P-SEAMLDR leaf whole (18): one conversion, not a choice by
    # leaf (lib/vsprintf.c number()); %#06llx against %#016llx is two.
    def line(leaf: int, text: str) -> Outcome:
        return Outcome(OutcomeStatus.OK, ret=0, log=(LogLine("err", text),))
    pad = [(f"x ({v}) y", leaf) for v, leaf in (("0x00000000000021", 33), ("0x8000000000000000", 1 << 63))]
    short = [("x (0x0021) y", 33), ("x (0x00000000000023) y", 35)]
    upper = [("x (21) y", 33), ("x (2A) y", 42)]  # %llX: no letter in 21 says nothing of the case
    prefix = [("x (0x21) y", 33), ("x (0X23) y", 35)]
    mixed = [("x (2a) y", 42), ("x (2B) y", 43)]
    octal = [("x (41) y", 33), ("x (43) y", 35)]  # %llo: read as no leaf, the lines differed by leaf
    octal_hash = [("x (041) y", 33), ("x (01000000000000000000000) y", 1 << 63)]  # %#llo
    octal_two = [("x (41) y", 33), ("x (043) y", 35)]  # %llo for one leaf, %#llo for the other
    for lines, same in ((pad, True), (short, False), (upper, True), (prefix, False), (mixed, False), (octal, True),
                        (octal_hash, True), (octal_two, False)):
        outs = [(_scenario(leaf), line(leaf, text)) for text, leaf in lines]
        evidence, groups = leaf_differences(outs)
        assert groups == 1 and (not evidence) is same, evidence


def test_a_line_of_several_leaf_tests_names_each_entry_point_once() -> None:
    # Two decisions on one line (a condition and its operand), neither shown by a(); b() shows both. The note
    # names a() once, and only a(): "under a(), a()" miscounted a() as every entry point reaching the line.
    from harness.leafsame import unshown_leaf_sites
    from harness.variants import Variant
    from models.facts import CodeFacts

    tests = [["f", "decision", "?d/h.h:7:6~20"], ["f", "decision", "?d/h.h:7:20~6"]]
    facts = CodeFacts(("f",), {}, {}, {}, {}, leaf_sites={"a": tests, "b": tests})
    shown = frozenset(f"{key}:{value}" for _, _, key in tests for value in "TF")
    falses = frozenset({"?d/h.h:7:6~20:F", "?d/h.h:7:20~6:F"})
    said = unshown_leaf_sites(Variant("v9", "d", (), (), (), (), "t"), facts, {"a": [falses], "b": [shown]})
    assert len(said) == 2 and said[0].endswith("always came out false under a() in v9"), said


def test_the_sites_left_out_are_counted_in_english() -> None:
    # Two entry points the facts lack, one place said: '1 more places' was said of the other.
    from harness.leafsame import unshown_leaf_sites
    from harness.linecover import HINT
    from harness.variants import Variant
    from models.facts import CodeFacts

    facts = CodeFacts(("f",), {}, {}, {}, {}, leaf_sites={})
    said = unshown_leaf_sites(Variant("v9", "d", (), (), (), (), "t"), facts, {"a": [], "b": []}, limit=1)
    assert said[1:] == ["1 more place", HINT], said


def test_leaf_differences_asked_again_of_the_same_runs_are_a_new_list_worked_out_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # variants that run the same code, and every rule judging them, ask again of the very same scenarios and outcomes
    import harness.leafsame as leafsame

    worked: list[object] = []
    real = leafsame._leaf_differences
    monkeypatch.setattr(leafsame, "_leaf_differences", lambda outs: worked.append(outs) or real(outs))
    outs = [(_scenario(leaf), Outcome(OutcomeStatus.OK, ret=ret)) for leaf, ret in ((33, 1), (35, 2))]
    first, groups = leaf_differences(outs)
    assert groups == 1 and len(first) == 1 and len(worked) == 1
    first.clear()  # a caller's list is its own
    again = leaf_differences(list(outs))  # another list of the same pairs
    assert len(again[0]) == 1 and again[1] == 1 and len(worked) == 1
    equal = [(s, Outcome(OutcomeStatus.OK, ret=o.ret)) for s, o in outs]  # equal outcomes, other objects
    assert len(leaf_differences(equal)[0]) == 1 and len(worked) == 2


def test_the_aspects_of_each_run_leave_the_shared_table_to_other_kinds() -> None:
    # An entry per run and per leaf group (2,432 of the 3,640 the shared table held at the end of the corpus' eval):
    # a series some twice the corpus filled that table and started it again, losing every other kind's entries.
    import harness.memo as memo

    before = dict(memo._KEPT)
    for n in range(40):  # 40 groups of two leaves, their runs other objects each time
        outs = [(_scenario(leaf), Outcome(OutcomeStatus.OK, ret=ret + n)) for leaf, ret in ((33, 1), (35, 2))]
        evidence, groups = leaf_differences(outs)
        assert groups == 1 and len(evidence) == 1
    kinds = {key[0] for key in memo._KEPT.keys() - before.keys()}
    assert kinds <= {"leaf differences"}, kinds

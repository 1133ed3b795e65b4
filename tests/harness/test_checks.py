"""Gate checks on outcomes that hit a limit: what was not seen never passes a rule."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from harness.expectations import expectation_failures
from harness.explain import describe
from harness.rules import Expect
from harness.verdict import Verdict
from models.machine import Event, LogLine, SeamCall
from models.mirror import Limit, Outcome, OutcomeStatus, out_of_time
from models.outcome import ErrorKind
from tests.harness.demomatrix import demo_matrix

CALL = SeamCall("__seamcall", 1, "TDX module", 0, 0, False, (), "x.h:1")
CUT = Outcome(OutcomeStatus.OK, (CALL,) * 100, 0, "int", None, (LogLine("err", "ok"),) * 100,
              (Event("preempt", "count 1", "x.h:2"),) * 100, limits=(Limit.CALLS, Limit.LOG, Limit.EVENTS),
              unrecorded_calls=5, unrecorded_log=7, unrecorded_events=9)


def header_and_unit(code: str, header: str = "demo/h.h") -> str:
    """The diffs adding ``header`` of ``code`` and the unit including it, demo/demo.c, built (demo/Makefile, and the
    top Kbuild's line for demo/): a header no unit includes is compiled by no build, its code not run."""
    import posixpath

    from tests.mailgen import diff

    kbuild = "obj-y += init/\n"
    return (diff(header, None, code) + diff("demo/demo.c", None, f'#include "{posixpath.relpath(header, "demo")}"\n')
            + diff("demo/Makefile", None, "obj-y += demo.o\n") + diff("Kbuild", kbuild, kbuild + "obj-y += demo/\n"))


def _rule_verdict(folder: Path, code: str, matrix: str, rules: str) -> Verdict:
    """The verdict on v1 of the first rule of ``rules``, for a one-patch series adding header ``code`` and the unit
    including it, run with ``matrix``: what a gate says of it end to end (mail, mirror, rule)."""
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import message, patch_body, write_mbox

    folder.mkdir(parents=True, exist_ok=True)
    box = write_mbox(folder / "c.mbox", [message("[PATCH] demo: add", "c1@x",
                                                 patch_body("Add.", header_and_unit(code)))])
    (folder / "m.toml").write_text(matrix)
    (folder / "rules.toml").write_text(rules)
    ev = evaluate(EvalRequest((box,), variants=("v1",), rules=folder / "rules.toml", matrix=folder / "m.toml"))
    assert ev.judgement is not None
    return ev.judgement.rows[0].verdicts["v1"]


@pytest.mark.parametrize("expect", [
    Expect(status=OutcomeStatus.ERROR), Expect(calls_at_most=1000), Expect(log_not_match=(re.compile("x"),)),
    Expect(no_events=("warning",)),
])
def test_a_run_cut_short_by_time_fails_every_expectation(expect: Expect) -> None:
    assert expectation_failures(out_of_time("not run: budget"), expect) == (
        [("a run that completes", "error: not run: budget; limits: time")], [])


@pytest.mark.parametrize(("expect", "fails"), [
    (Expect(calls=100), True), (Expect(calls=105), False), (Expect(calls_at_most=100), True),
    (Expect(calls_at_least=105), False),
    (Expect(log_not_match=(re.compile("secret"),)), True),  # it may be in the 7 lines not kept
    (Expect(log_match=(re.compile("ok"),)), False),
    (Expect(no_events=("warning",)), True),  # one of the 9 events not kept may be a warning
])
def test_past_a_record_cap_what_was_not_seen_counts_against_the_rule(expect: Expect, fails: bool) -> None:
    assert bool(expectation_failures(CUT, expect)[0]) is fails
    whole = replace(CUT, limits=(), unrecorded_calls=0, unrecorded_log=0, unrecorded_events=0)
    if expect.log_not_match or expect.no_events:
        assert not expectation_failures(whole, expect)[0]


STOPPED = [Outcome(OutcomeStatus.ERROR, (CALL,), None, "", None, (), error="h.h:9: shift by 64 is undefined",
                   error_kind=ErrorKind.RUNTIME),
           Outcome(OutcomeStatus.ERROR, (CALL,), None, "", None, (), error="h.h:3: loop still running",
                   error_kind=ErrorKind.BUDGET, limits=(Limit.STEPS,))]


@pytest.mark.parametrize("stopped", STOPPED)
@pytest.mark.parametrize("expect", [
    Expect(log_not_match=(re.compile("failed"),)), Expect(no_events=("warning",)), Expect(no_retry=True),
    Expect(calls_at_most=1), Expect(calls=1), Expect(status=OutcomeStatus.OK),
])
def test_a_run_the_c_stopped_passes_no_expectation_about_the_whole_run(stopped: Outcome, expect: Expect) -> None:
    # The mirror stopped at undefined behaviour or a runaway loop: what the code does after that never ran, so
    # "it prints nothing", "no retry", "at most one call" seen so far are not shown (gcc's code goes on).
    assert expectation_failures(stopped, expect, leaf=1)[0] == [("a run that completes", describe(stopped))]


@pytest.mark.parametrize("stopped", STOPPED)
def test_a_rule_that_expects_the_error_judges_the_stopped_run(stopped: Outcome) -> None:
    assert not expectation_failures(stopped, Expect(status=OutcomeStatus.ERROR))[0]
    assert expectation_failures(stopped, Expect(status=OutcomeStatus.ERROR, calls=2))[0]


PRINTED = Outcome(OutcomeStatus.OK, (CALL,), -5, "int", "EIO",
                  (LogLine("err", "virt/tdx: SEAMCALL (0x21) failed: 0xc000010000000000"),))


@pytest.mark.parametrize(("pattern", "want", "assumed", "undecided"), [
    # Known pr_fmt: the printed line decides.
    ("^virt/tdx: SEAMCALL", True, None, False),
    # Assumed pr_fmt: a pattern about the prefix is not decided by the assumption ...
    ("^virt/tdx: SEAMCALL", True, "virt/tdx: ", True),
    ("^SEAMCALL", True, "virt/tdx: ", True),
    ("tdx: SEAMCALL", False, "virt/tdx: ", True),
    # ... one about the message is, whatever the prefix.
    (r"SEAMCALL \(0x21\) failed", True, "virt/tdx: ", False),
    ("P-SEAMLDR", False, "virt/tdx: ", False),
    # No prefix assumed (a file mainline does not know): any line might have one.
    ("^SEAMCALL", True, "", True),
    ("failed: 0x", True, "", False),
    # A pattern anchored on a prefix the unknown pr_fmt could be: never decided by the stand-ins.
    ("^tdx-lp: ", False, "", True),
    ("(?i)^TDX-LP: SEAMCALL", False, "", True),
])
def test_a_log_pattern_that_depends_on_an_assumed_pr_fmt_is_undecided(pattern: str, want: bool,
                                                                       assumed: str | None, undecided: bool) -> None:
    text = PRINTED.log[0].text if assumed != "" else PRINTED.log[0].text.removeprefix("virt/tdx: ")
    o = replace(PRINTED, log=(LogLine("err", text),))
    for expect in (Expect(log_match=(re.compile(pattern),)), Expect(log_not_match=(re.compile(pattern),))):
        failures, open_ = expectation_failures(o, expect, assumed)
        assert bool(open_) is undecided
        if not undecided:
            assert bool(failures) is (want if expect.log_not_match else not want)


def test_reasons_that_differ_only_in_the_function_are_said_once() -> None:
    from harness.verdict import merge_reasons

    mail = "(from mail: only the files the patches change); give --tree"
    counts = {f"v1 does not define a(): none of the files read has it {mail}": 3,
              f"v1 does not define b(): none of the files read has it {mail}": 2,
              "the mirror cannot run c() in v1: goto": 1}
    assert sorted(merge_reasons(counts)) == [
        ("the mirror cannot run c() in v1: goto", 1),
        (f"v1 does not define a(), b(): none of the files read has them {mail}", 5)]


def test_a_component_that_prints_no_leaf_fails_a_leaf_base_rule(tmp_path: Path) -> None:
    # "the leaf in decimal for every component": one component prints its failures without the leaf.
    from tests.harness.variantgen import MATRIX

    code = ('static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tu64 r = __seamcall(fn, args);\n'
            '\tif (r)\n\t\tpr_err("SEAMCALL (%llu) failed: %llx\\n", fn, r);\n\treturn r ? -5 : 0;\n}\n\n'
            'static inline int demo_quiet(u64 fn, struct tdx_module_args *args)\n{\n\tu64 r = __seamcall(fn, args);\n'
            '\tif (r)\n\t\tpr_err("init failed: %llx\\n", r);\n\treturn r ? -5 : 0;\n}\n')
    matrix = MATRIX + '\n[[entry]]\nname = "demo_quiet"\n'
    rules = ('[[rule]]\nid = "dec"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "consistency"\n'
             'property = "leaf-base"\nbase = "decimal"\n[rule.check.components."A"]\nentries = ["demo_prerr"]\n'
             'leaves = ["ONE"]\n[rule.check.components."B"]\nentries = ["demo_quiet"]\nleaves = ["ONE"]\n')
    got = _rule_verdict(tmp_path / "said", code, matrix, rules)
    assert got.status == "fail" and got.evidence[0].actual.startswith("B no leaf 'init failed: "), got
    # Printing nothing at all on a failure shows no leaf either: it was left out and A judged alone, a pass.
    quiet = code.replace('\t\tpr_err("init failed: %llx\\n", r);\n', "\t\t;\n")
    assert quiet != code
    got = _rule_verdict(tmp_path / "silent", quiet, matrix, rules)
    assert got.status == "fail" and got.evidence[0].actual == "B logs nothing when its SEAMCALL fails", got


def test_no_retry_sees_a_failed_seamcall_issued_again() -> None:
    failed = CALL._replace(returned=0x8000000000030001)
    retried = Outcome(OutcomeStatus.OK, (failed, CALL), 0, "int")
    other_leaf = Outcome(OutcomeStatus.OK, (failed, CALL._replace(leaf=2)), 0, "int")  # info, then install
    once = Outcome(OutcomeStatus.OK, (failed,), -5, "int", "EIO")
    expect = Expect(no_retry=True)
    assert expectation_failures(retried, expect)[0] and not expectation_failures(other_leaf, expect)[0]
    assert not expectation_failures(once, expect)[0]


def test_no_retry_sees_a_retry_with_other_calls_between_and_judges_the_scenarios_leaf() -> None:
    # A retry loop that issues another leaf between tries (SEAMINFO, then INFO again) still retries INFO; a
    # failed call of another leaf than the scenario's, issued again, is not this scenario's retry.
    failed = CALL._replace(returned=0x8000000000030001)
    between = Outcome(OutcomeStatus.OK, (failed, CALL._replace(leaf=2), CALL), 0, "int")
    expect = Expect(no_retry=True)
    assert expectation_failures(between, expect, leaf=CALL.leaf)[0]
    assert expectation_failures(between, expect)[0]  # no scenario leaf: any leaf
    assert not expectation_failures(between, expect, leaf=2)[0]


@pytest.mark.parametrize(("line", "leaf", "style"), [
    ("P-SEAMLDR (0) failed: 0x8000020300000000", 1 << 63, "either base"),  # %llu or %llx of fn & ~BIT(63)
    ("P-SEAMLDR (0000000000000001) failed", (1 << 63) | 1, "either base"),
    ("P-SEAMLDR (0x0) failed", 1 << 63, "hex with 0x, 1 digit"),
    ("SEAMCALL (0X21) failed", 0x21, "hex with 0X, 2 digits"),  # %#llX's prefix, said as printed
    ("SEAMCALL (9223372036854775808) failed", 1 << 63, "decimal"),
])
def test_a_leaf_whose_digits_read_the_same_in_both_bases_tells_no_base(line: str, leaf: int, style: str) -> None:
    from harness.leafstyle import leaf_style as _leaf_style

    assert _leaf_style(line, leaf) == style


def test_a_source_check_names_what_it_could_not_read() -> None:
    from collections import Counter

    from harness.codechecks import _unread
    from harness.rules import SourceCheck
    from models.facts import CodeFacts

    facts = CodeFacts(("sc_retry",), {"sc_retry": Counter({"helper": 1})}, {"sc_retry": frozenset({"helper"})}, {},
                      {"sc_retry": "a.h:1"}, {}, {"helper": "a.h:9: not parsed", "other": "b.c:3: not parsed"})
    assert _unread(SourceCheck(function="sc_retry", no_new_calls=("unlikely",)), "sc_retry", facts) == \
        ["helper: a.h:9: not parsed"]  # only what the function reaches
    assert len(_unread(SourceCheck(no_new_printers=True), None, facts)) == 2  # a printer could be anywhere
    assert CodeFacts.from_dict(facts.to_dict()) == facts


def test_no_retry_is_not_passed_by_scenarios_that_never_issue_their_leaf(tmp_path: Path) -> None:
    # demo_fixed() calls leaf 5 whatever the scenario's leaf: no scenario issues its own leaf, so nothing
    # shows whether a failed one would be issued again.
    from tests.harness.variantgen import MATRIX

    code = ("static inline int demo_fixed(u64 fn, struct tdx_module_args *args)\n{\n"
            "\treturn __seamcall(5, args) ? -5 : 0;\n}\n")
    matrix = MATRIX.replace('name = "demo_retry"', 'name = "demo_fixed"')
    matrix = matrix.replace('[[entry]]\nname = "demo_prerr"\n', "")
    rules = ('[[rule]]\nid = "nr"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "behaviour"\n'
             'scenarios = { entry = "*" }\nexpect = { no_retry = true }\n')
    got = _rule_verdict(tmp_path, code, matrix, rules)
    assert got.status == "inconclusive" and "issued a SEAMCALL of its leaf" in got.note, got


def test_a_component_that_prints_the_leaf_in_both_bases_fails_a_leaf_base_rule(tmp_path: Path) -> None:
    # Only the first failure line seen was judged: hex for one answer, decimal for another, and the rule passed.
    code = ('static inline int two_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tu64 r = __seamcall(fn, args);\n'
            '\tif (r == 0x11)\n\t\tpr_err("SEAMCALL (%#llx) busy\\n", fn);\n'
            '\telse if (r)\n\t\tpr_err("SEAMCALL (%llu) failed: %llx\\n", fn, r);\n\treturn r ? -5 : 0;\n}\n\n'
            'static inline int hex_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tu64 r = __seamcall(fn, args);\n'
            '\tif (r)\n\t\tpr_err("LDR (%#llx) failed: %llx\\n", fn, r);\n\treturn r ? -5 : 0;\n}\n')
    matrix = ('[codes]\nOK = 0\nBUSY = 0x11\nBAD = 0x8000000000000001\n[leaves]\nA = 33\nB = 0x8000000000000001\n'
              '[[unit]]\nname = "u"\n[[entry]]\nname = "two_prerr"\n[[entry]]\nname = "hex_prerr"\n'
              '[[script]]\nname = "busy"\nanswers = ["BUSY"]\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
    for n, base in enumerate(('base = "hex"\n', "")):
        rules = ('[[rule]]\nid = "hex"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "consistency"\n'
                 f'property = "leaf-base"\n{base}[rule.check.components."TDX"]\nentries = ["two_prerr"]\n'
                 'leaves = ["A"]\n[rule.check.components."LDR"]\nentries = ["hex_prerr"]\nleaves = ["B"]\n')
        got = _rule_verdict(tmp_path / str(n), code, matrix, rules)
        assert got.status == "fail", got
        (e,) = got.evidence
        assert e.expected == "one base in every failure line of a component"
        # the hex line is another scenario's than the one the evidence is filed under: it says whose
        assert e.actual == "TDX hex with 0x, 2 digits 'SEAMCALL (0x21) busy' (in two_prerr/A/busy/u); decimal " \
                           "'SEAMCALL (33) failed: 8000000000000001'", e.actual
        assert e.scenario is not None and e.scenario.id != "two_prerr/A/busy/u", e.scenario


def test_preempt_disabled_sees_a_seamcall_made_with_preemption_enabled() -> None:
    # v3 03/26 dropped preempt_disable() around the SEAMCALL: "no violation event" still passed, since the
    # lockdep assertion went with it; the preempt count at each SEAMCALL is what the point is about.
    held = CALL._replace(preempt_count=1)
    expect = Expect(preempt_disabled=True)
    assert not expectation_failures(Outcome(OutcomeStatus.OK, (held, held), 0, "int"), expect)[0]
    bare = Outcome(OutcomeStatus.OK, (held, CALL._replace(where="s.h:9")), 0, "int")
    assert expectation_failures(bare, expect)[0] == [
        ("every SEAMCALL issued with preemption disabled", f"{describe(bare)}; __seamcall() at s.h:9, preempt count 0")]
    cut = replace(CUT, calls=(held,) * 100)  # 5 more calls not kept: any of them may be made preemptible
    assert expectation_failures(cut, expect)[0]


def test_a_component_whose_runs_stop_on_undefined_behaviour_says_so(tmp_path: Path) -> None:
    # It said "its entry points are not in the matrix" of an entry that is, and ran into a shift by 64.
    code = ('static inline int ub_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tint s = 64;\n'
            '\tu64 r = __seamcall(fn, args) << s;\n\n\tif (r)\n\t\tpr_err("SEAMCALL (%#llx) failed\\n", fn);\n'
            '\treturn r ? -5 : 0;\n}\n')
    matrix = ('[codes]\nBAD = 0x8000000000000001\n[leaves]\nA = 33\n[[unit]]\nname = "u"\n'
              '[[entry]]\nname = "ub_prerr"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
    rules = ('[[rule]]\nid = "hex"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "consistency"\n'
             'property = "leaf-base"\nbase = "hex"\n[rule.check.components."A"]\nentries = ["ub_prerr"]\n'
             'leaves = ["A"]\n')
    got = _rule_verdict(tmp_path, code, matrix, rules)
    assert got.status == "inconclusive" and "not in the matrix" not in got.note, got
    assert got.note.startswith("A: nothing ran: ub_prerr() did not run in v1: demo/h.h:4: shift by 64 "), got.note


@pytest.mark.parametrize("sep", ["\x0c", "\x85", "\u2028", "\x1e"])
def test_a_changelog_line_is_a_line_as_git_reads_it(tmp_path: Path, sep: str) -> None:
    # str.splitlines() also ends a line at a form feed, NEL (a cp1252 ellipsis read as latin-1), U+2028 and the
    # like: "VMCS<FF>handling" was two lines, and "VMCS\s+handling" matched neither.
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import HELPER_PATH, HELPER_V0, diff, message, patch_body, write_mbox

    box = write_mbox(tmp_path / "c.mbox", [message("[PATCH] demo: add helper", "c1@x", patch_body(
        f"Add it.\n\nIt talks about VMCS{sep}handling here.", diff(HELPER_PATH, None, HELPER_V0)))])
    (tmp_path / "m.toml").write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\n'
                                     'name = "demo_retry"\nargs = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "no-vmcs"\nreviewer = "r"\nsummary = "s"\npatch = "add helper"\n[rule.check]\n'
                     'kind = "changelog"\nmust_not_match = "VMCS\\\\s+handling"\n')
    ev = evaluate(EvalRequest((box,), variants=("v1",), rules=rules, matrix=tmp_path / "m.toml"))
    assert ev.judgement is not None
    assert ev.judgement.rows[0].verdicts["v1"].status == "fail"


_FORMAT_MATRIX = ('[codes]\nOK = 0\nBAD = 0x8000000000000001\n[leaves]\nA = 33\nB = 0x21\nBIG = 0x8000000000000021\n'
                  '[[unit]]\nname = "u"\n[[entry]]\nname = "tdx_prerr"\n[[entry]]\nname = "ldr_prerr"\n'
                  '[[script]]\nname = "bad"\nanswers = ["BAD"]\n')


def _printer(name: str, fmt: str) -> str:
    return (f'static inline int {name}(u64 fn, struct tdx_module_args *args)\n{{\n\tu64 r = __seamcall(fn, args);\n'
            f'\tif (r)\n\t\tpr_err("SEAMCALL ({fmt}) failed: %llx\\n", fn, r);\n\treturn r ? -5 : 0;\n}}\n\n')


def _format_rule(ldr_leaf: str, extra: str = "") -> str:
    return ('[[rule]]\nid = "same"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "consistency"\n'
            f'property = "leaf-format"\n{extra}[rule.check.components."TDX"]\nentries = ["tdx_prerr"]\nleaves = ["A"]\n'
            f'[rule.check.components."LDR"]\nentries = ["ldr_prerr"]\nleaves = ["{ldr_leaf}"]\n')


def test_leaf_format_tells_hash_016llx_from_0x_016llx_where_leaf_base_cannot(tmp_path: Path) -> None:
    # The series' own debate: '%#016llx' counts the 0x inside the field width, '0x%016llx' does not. Both are
    # hex, so leaf-base passes them; leaf-format fails them where a line shows the padding (lib/vsprintf.c).
    code = _printer("tdx_prerr", "%#016llx") + _printer("ldr_prerr", "0x%016llx")
    base = _rule_verdict(tmp_path / "base", code, _FORMAT_MATRIX,
                         _format_rule("B").replace('"leaf-format"', '"leaf-base"'))
    assert base.status == "pass", base
    got = _rule_verdict(tmp_path / "fmt", code, _FORMAT_MATRIX, _format_rule("B"))
    assert got.status == "fail", got
    (e,) = got.evidence
    assert e.expected == "the leaf printed by one conversion in every component"
    assert e.actual == ("TDX hex with 0x, zero-padded to 16 characters with the 0x 'SEAMCALL (0x00000000000021) "
                        "failed: 8000000000000001'; LDR hex with 0x, zero-padded to 18 characters with the 0x "
                        "'SEAMCALL (0x0000000000000021) failed: 8000000000000001' (in ldr_prerr/B/bad/u)"), e.actual
    # One conversion for both components passes, and says what its lines show.
    same = _rule_verdict(tmp_path / "same", _printer("tdx_prerr", "%#016llx") + _printer("ldr_prerr", "%#016llx"),
                         _FORMAT_MATRIX, _format_rule("B"))
    assert same.status == "pass" and "TDX hex with 0x, zero-padded to 16 characters with the 0x" in same.note, same
    # A leaf with bit 63 needs all 16 digits: both conversions print it alike, so those lines refute nothing,
    # and the note says that no line of LDR shows its field width.
    big = _rule_verdict(tmp_path / "big", code, _FORMAT_MATRIX, _format_rule("BIG"))
    assert big.status == "pass" and "LDR hex with 0x, 16 digits, not zero-padded" in big.note, big
    assert "no line shows its field width" in big.note
    # A decimal component against a hex one is two conversions, as leaf-base says too.
    dec = _rule_verdict(tmp_path / "dec", _printer("tdx_prerr", "%llu") + _printer("ldr_prerr", "%#016llx"),
                        _FORMAT_MATRIX, _format_rule("B"))
    assert dec.status == "fail" and "TDX decimal, 2 digits, not zero-padded" in dec.evidence[0].actual, dec


def test_leaf_format_fails_a_width_that_would_have_padded_a_shorter_line(tmp_path: Path) -> None:
    # '%#018llx' pads 33 to 18 chars; '%#llx' prints it in 4: no one conversion prints both.
    code = _printer("tdx_prerr", "%#llx") + _printer("ldr_prerr", "%#018llx")
    got = _rule_verdict(tmp_path, code, _FORMAT_MATRIX, _format_rule("B"))
    assert got.status == "fail", got
    assert got.evidence[0].actual.startswith("LDR hex with 0x, zero-padded to 18 characters with the 0x"), \
        got.evidence[0].actual
    assert "TDX hex with 0x, 2 digits, not zero-padded" in got.evidence[0].actual


SEAMLDR_INFO = 1 << 63
NO_ENTROPY = 0x8000000000030001


def test_no_retry_judges_a_wrapper_that_issues_a_fixed_leaf_of_the_scenario_leafs_component() -> None:
    # int f(void) issuing P-SEAMLDR leaf 5 whatever the scenario's leaf: the script's "no entropy" answer meant
    # for the scenario's P-SEAMLDR leaf went to it, and issuing it again is the retry the rule forbids.
    failed = CALL._replace(leaf=SEAMLDR_INFO | 5, component="P-SEAMLDR", returned=NO_ENTROPY)
    retried = Outcome(OutcomeStatus.OK, (failed, failed._replace(returned=0)), 0, "int")
    assert expectation_failures(retried, Expect(no_retry=True), leaf=SEAMLDR_INFO)[0]
    # A TDX-module leaf of its own issued again is no retry of the scenario's P-SEAMLDR leaf.
    tdx = Outcome(OutcomeStatus.OK, (failed._replace(leaf=33, component="TDX module"), CALL._replace(leaf=33)), 0,
                  "int")
    assert not expectation_failures(tdx, Expect(no_retry=True), leaf=SEAMLDR_INFO)[0]


# A P-SEAMLDR wrapper that takes the leaf (the matrix's one entry point), and a rule that it does not retry.
DEMO_CALL = ("static inline int demo_call(u64 fn, struct tdx_module_args *args)\n{\n"
             "\treturn __seamcall(fn, args) ? -5 : 0;\n}\n\n")
WRAPPER_MATRIX = ('[codes]\nOK = 0\nNO_ENTROPY = 0x8000000000030001\n[leaves]\nINFO = 0x8000000000000000\n'
                  '[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\nname = "demo_call"\n'
                  '[[script]]\nname = "no-entropy"\nanswers = ["NO_ENTROPY", "OK"]\n')
NO_RETRY = ('[[rule]]\nid = "once"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "behaviour"\n'
            'scenarios = { entry = "*", leaf = ["INFO"], script = "no-entropy" }\nexpect = { no_retry = true }\n')


def test_a_fixed_leaf_wrapper_that_retries_fails_the_no_retry_rule(tmp_path: Path) -> None:
    # Passed before: none of its runs issued the scenario's leaf, so none was checked, and the rule passed on the
    # entry points that take the leaf.
    code = (DEMO_CALL +
            "static inline int demo_shutdown(void)\n{\n\tstruct tdx_module_args args = {};\n\tint tries = 3;\n"
            "\tu64 r;\n\n\tdo {\n\t\tr = __seamcall(0x8000000000000005ULL, &args);\n"
            "\t} while (r == 0x8000000000030001ULL && --tries);\n\treturn r ? -5 : 0;\n}\n")
    matrix, rules = WRAPPER_MATRIX.replace("[[script]]", '[[entry]]\nname = "demo_shutdown"\n[[script]]'), NO_RETRY
    got = _rule_verdict(tmp_path / "fixed", code, matrix, rules)
    assert got.status == "fail", got
    assert [e.scenario.entry.name for e in got.evidence] == ["demo_shutdown"], got
    # The same wrapper without its loop: no retry seen; the pass rests on the entry point that takes the leaf.
    once = code.replace("\t} while (r == 0x8000000000030001ULL && --tries);\n", "\t} while (0);\n")
    got = _rule_verdict(tmp_path / "once", once, matrix, rules)
    assert got.status == "pass" and got.note.startswith("1 scenario checked (of 2 that ran"), got


def test_seamcall_code_no_entry_point_runs_keeps_a_behaviour_rule_from_passing(tmp_path: Path) -> None:
    # demo_op() retries a P-SEAMLDR "no entropy" answer, but the matrix cannot feed (unsigned int op, const char
    # *why): it never ran, and the rule passed on demo_call() alone.
    code = (DEMO_CALL +
            "static inline int demo_op(unsigned int op, const char *why)\n{\n\tstruct tdx_module_args args = {};\n"
            "\tint tries = 3;\n\tu64 r;\n\n\tdo {\n\t\tr = __seamcall(0x8000000000000005ULL + op, &args);\n"
            "\t} while (r == 0x8000000000030001ULL && --tries);\n\treturn r ? -5 : 0;\n}\n")
    matrix, rules = WRAPPER_MATRIX, NO_RETRY
    got = _rule_verdict(tmp_path / "op", code, matrix, rules)
    assert got.status == "inconclusive", got
    assert "demo_op() (demo/h.h:6) reaches a SEAMCALL, but no entry point that ran reaches it" in got.note, got
    # A rule naming other entry points, or none (the matrix's own), passed on demo_call() alone, silent on the
    # retrying wrapper a later revision adds under another name: it says what never ran (test_behaviour.py).
    for folder, other in (("named", rules.replace('entry = "*"', 'entry = "demo_call"')),
                          ("own", rules.replace('entry = "*", ', ""))):
        got = _rule_verdict(tmp_path / folder, code, matrix, other)
        assert got.status == "inconclusive", got
        assert "demo_op() (demo/h.h:6) reaches a SEAMCALL through a retry loop (demo_op()), but the rule" in got.note
    # Code it does not name that reaches a SEAMCALL with no retry loop is not about it.
    once = code.replace("\t} while (r == 0x8000000000030001ULL && --tries);\n", "\t} while (0);\n")
    assert _rule_verdict(tmp_path / "once", once, matrix, rules.replace('entry = "*"', 'entry = "demo_call"')
                         ).status == "pass"


def test_an_entry_point_mail_alone_does_not_show_is_not_absent(tmp_path: Path) -> None:
    # Mail alone, a helper header the series does not create: 'Prepare' makes the retry code depend on the leaf,
    # in lines where no seamcall*() macro shows; a later patch shows seamcall_err() whole. Only seamcall_err()
    # runs (it matches 'seamcall*' and makes no SEAMCALL); seamcall() and the rest may be in lines no hunk shows.
    # Both rules passed on seamcall_err()'s runs alone, as if the others were absent by design.
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.seriesgen import (
        OLD_HOME,
        PREAMBLE,
        PREPARE,
        PRINTERS,
        RETRY_BY_LEAF,
        RETRY_SAFE,
        TAIL,
        Step,
        revision,
    )
    from tests.mailgen import write_mbox

    pad = "".join(f"/* filler line {i} between the loop and the printers */\n" for i in range(12))
    base = PREAMBLE + RETRY_SAFE + "\n" + pad + PRINTERS + TAIL
    prep = base.replace(RETRY_SAFE, RETRY_BY_LEAF)
    line = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
    later = prep.replace(line, line.replace("%llu", "%#llx"))
    msgs = revision(2, [Step(PREPARE, ((OLD_HOME, base, prep),)), Step("x86/virt/tdx: Print the leaf in hex",
                                                                        ((OLD_HOME, prep, later),))])
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2",
                                                             jobs=1)).verdicts}
    for rule in ("no-leaf-dependent-retry", "tdx-module-calls-unchanged"):
        assert found[rule].status.value == "inconclusive", (rule, found[rule].status, found[rule].note)
        assert "seamcall_prerr()" in found[rule].note and "give --tree" in found[rule].note, found[rule].note


def test_leaf_format_reads_a_leaf_printed_in_octal(tmp_path: Path) -> None:
    # lib/vsprintf.c number(), base 8: '%#llo' prints 33 as '041' (the '#' 0 before the digits), '%llo' as '41'. Both
    # failed, the lines read as printing no leaf; one conversion in both components passes, two fail.
    same = _rule_verdict(tmp_path / "same", _printer("tdx_prerr", "%#llo") + _printer("ldr_prerr", "%#llo"),
                         _FORMAT_MATRIX, _format_rule("B"))
    assert same.status == "pass" and "TDX octal with 0, 2 digits" in same.note, same
    two = _rule_verdict(tmp_path / "two", _printer("tdx_prerr", "%llo") + _printer("ldr_prerr", "%#llo"),
                        _FORMAT_MATRIX, _format_rule("B"))
    assert two.status == "fail", two
    assert two.evidence[0].actual == ("TDX octal, 2 digits, not zero-padded 'SEAMCALL (41) failed: 8000000000000001'; "
                                      "LDR octal with 0, 2 digits, not zero-padded 'SEAMCALL (041) failed: "
                                      "8000000000000001' (in ldr_prerr/B/bad/u)"), two.evidence[0].actual


def test_a_changelog_rule_whose_patch_no_revision_has_says_so_once(tmp_path: Path) -> None:
    # The changelog check and the gate both said the patch was nowhere: the note read the sentence twice.
    from tests.harness.variantgen import MATRIX, RETRY_C

    code = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
    rules = ('[[rule]]\nid = "log"\nreviewer = "R"\nsummary = "s"\nseverity = "warning"\n'
             'patch = "Rework the frobnicator"\n[rule.check]\nkind = "changelog"\nmust_not_match = "x"\n')
    found = _rule_verdict(tmp_path / "c", code, MATRIX, rules)
    assert found.status == "inconclusive", found
    assert found.note.count("no revision of the input has a patch titled 'Rework the frobnicator'") == 1, found.note


def test_an_entry_point_in_a_file_that_could_not_be_built_is_not_absent(tmp_path: Path) -> None:
    # 'Prepare' adds seamldr_prerr() in a hunk whose tabs a mailer turned into spaces: the header is not usable in
    # v2, and a rule that needs seamldr_prerr() was n/a, "the variant does not provide seamldr_prerr".
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus
    from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_SAFE, Step, helpers, revision
    from tests.mailgen import write_mbox

    full = helpers(RETRY_SAFE)
    line = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
    base = full.replace(line, "")
    assert base != full
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, full),))])
    head, _, rest = msgs[2].get_content().partition("@@ ")
    msgs[2].set_content(head + "@@ " + rest.replace("\t", "        "))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-in-hex-for-both")
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert f"({NEW_HOME} not usable in v2: see its apply findings)" in found.note, found.note


UNREACHED_PRINT = """\
#define DEMO_ODD 0x1234

static void demo_err(u64 fn, u64 err)
{
	pr_err("DEMO (0x%016llx) failed: 0x%016llx\\n", fn, err);
}

int demo_call(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (!err)
		return 0;
	if (err == DEMO_ODD)
		pr_err("DEMO %llu failed\\n", fn);
	else
		demo_err(fn, err);
	return -EIO;
}
"""

UNREACHED_MATRIX = demo_matrix()

UNREACHED_RULES = """\
[[rule]]
id = "failure-log-format"
reviewer = "R"
summary = "A failed call prints the leaf as 0x%016llx"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "demo_call", script = "fail" }
expect = { log_match = ['DEMO \\(0x[0-9a-f]{16}\\) failed'] }
"""


def test_a_log_rule_does_not_pass_over_a_print_of_the_leaf_no_run_made(tmp_path: Path) -> None:
    # The failure printed under an answer no script gives ('DEMO %llu failed', the leaf in decimal) never ran: the
    # rule passed on the runs that printed the other line ('1 scenario checked'), though the code breaks the point.
    from harness.verdict import VerdictStatus

    got = _rule_verdict(tmp_path / "odd", UNREACHED_PRINT, UNREACHED_MATRIX, UNREACHED_RULES)
    assert got.status is VerdictStatus.INCONCLUSIVE, got
    assert "demo/h.h:15" in got.note and "DEMO %llu failed" in got.note, got.note
    # Every print of the leaf ran: a pass, as before.
    odd = "\tif (err == DEMO_ODD)\n\t\tpr_err(\"DEMO %llu failed\\n\", fn);\n\telse\n\t"
    plain = UNREACHED_PRINT.replace(odd, "\t")
    assert plain != UNREACHED_PRINT
    got = _rule_verdict(tmp_path / "plain", plain, UNREACHED_MATRIX, UNREACHED_RULES)
    assert got.status is VerdictStatus.PASS, got


BUDGET_CODE = """\
#define DEMO_BUSY 0x8000000000000010ULL

static int demo_budget = 6;

int demo_call(u64 fn, struct tdx_module_args *args)
{
	int retry = 3;
	u64 err;

	do {
		err = __seamcall(fn, args);
	} while (err == DEMO_BUSY && --retry && --demo_budget > 0);
	return err ? -EIO : 0;
}
"""

BUDGET_RULES = """\
[[rule]]
id = "busy-tried-three-times"
reviewer = "R"
summary = "A busy answer is tried three times"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "demo_call", script = "busy" }
expect = { calls = 3 }
"""


def test_a_behaviour_rule_does_not_pass_on_a_first_call_that_leaves_state_for_the_next(tmp_path: Path) -> None:
    # A retry budget kept across calls: each run starts from the initial state and tries three times, so the rule
    # passed ('1 scenario checked'); the third busy call tries twice (gcc: 3, 3, 2 calls). A run that leaves state
    # a later call starts from shows a first call alone.
    from harness.verdict import VerdictStatus

    # An "ok" script beside "busy": the loop's test comes out both ways in some run (a test no run took both ways
    # keeps an exact count from passing, as it does a bound).
    matrix = UNREACHED_MATRIX.replace('name = "fail"\nanswers = ["FAIL"]', 'name = "busy"\nanswers = ["BUSY"]\n\n'
                                      '[[script]]\nname = "ok"\nanswers = ["OK"]') \
        .replace("[codes]\n", "[codes]\nBUSY = 0x8000000000000010\n")
    got = _rule_verdict(tmp_path / "budget", BUDGET_CODE, matrix, BUDGET_RULES)
    assert got.status is VerdictStatus.INCONCLUSIVE, got
    assert "demo_budget" in got.note and "first call" in got.note, got.note
    kept = BUDGET_CODE.replace(" && --demo_budget > 0", "")  # no state left: a pass, as before
    assert _rule_verdict(tmp_path / "plain", kept, matrix, BUDGET_RULES).status is VerdictStatus.PASS
    # A pr_err_once() fired changes what a later call prints, not how often it retries.
    once = kept.replace("\treturn err ? -EIO : 0;", "\tif (err)\n\t\tpr_err_once(\"demo %llx failed\\n\", fn);\n"
                                                 "\treturn err ? -EIO : 0;")
    assert once != kept
    assert _rule_verdict(tmp_path / "once", once, matrix, BUDGET_RULES).status is VerdictStatus.PASS
    logged = BUDGET_RULES.replace("expect = { calls = 3 }", "expect = { calls = 3, log_match = ['demo 1 failed'] }")
    got = _rule_verdict(tmp_path / "logged", once, matrix, logged)
    assert got.status is VerdictStatus.INCONCLUSIVE and "pr_err_once()" in got.note, got


def test_a_wrapper_found_in_the_code_that_breaks_a_rule_without_entry_patterns_keeps_it_from_passing(
        tmp_path: Path) -> None:
    # demo_ldr() (u64 fn, args: the matrix feeds it, and it ran) retries a P-SEAMLDR 'no entropy' answer; the rule,
    # with no entry pattern, selects the matrix's demo_call() alone and passed, though the runs showed the retry.
    code = (DEMO_CALL +
            "int demo_ldr(u64 fn, struct tdx_module_args *args)\n{\n\tint tries = 3;\n\tu64 r;\n\n\tdo {\n"
            "\t\tr = __seamcall(fn, args);\n\t} while (r == 0x8000000000030001ULL && --tries);\n"
            "\treturn r ? -5 : 0;\n}\n")
    rules = NO_RETRY.replace('entry = "*", ', "")
    got = _rule_verdict(tmp_path / "ldr", code, WRAPPER_MATRIX, rules)
    assert got.status == "inconclusive", got
    assert "demo_ldr(), an entry point found in the code that the rule's scenarios leave out" in got.note, got.note
    assert "demo_ldr/INFO/no-entropy/demo.c: expected no SEAMCALL of the leaf issued again" in got.note, got.note
    # Without the loop it meets the rule: the pass on demo_call() stands.
    once = code.replace("\t} while (r == 0x8000000000030001ULL && --tries);\n", "\t} while (0);\n")
    assert _rule_verdict(tmp_path / "once", once, WRAPPER_MATRIX, rules).status == "pass"


def test_a_wrapper_found_in_the_code_that_chooses_by_leaf_keeps_a_same_across_leaves_rule_from_passing(
        tmp_path: Path) -> None:
    # demo_pick() retries a 'no entropy' answer for TDX-module leaves only (bit 63 clear): the rule with no entry
    # pattern compared demo_call()'s runs alone, alike for both leaves, and passed.
    matrix = WRAPPER_MATRIX.replace("INFO = 0x8000000000000000\n", "INFO = 0x8000000000000000\nINIT = 33\n")
    rules = ('[[rule]]\nid = "same"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "behaviour"\n'
             'scenarios = { script = "no-entropy" }\nexpect = { same_across_leaves = true }\n')
    code = (DEMO_CALL +
            "int demo_pick(u64 fn, struct tdx_module_args *args)\n{\n\tint tries = 3;\n\tu64 r;\n\n\tdo {\n"
            "\t\tr = __seamcall(fn, args);\n\t} while (r == 0x8000000000030001ULL && !(fn >> 63) && --tries);\n"
            "\treturn r ? -5 : 0;\n}\n")
    got = _rule_verdict(tmp_path / "pick", code, matrix, rules)
    assert got.status == "inconclusive", got
    assert "demo_pick(), an entry point found in the code that the rule's scenarios leave out" in got.note, got.note
    alike = code.replace(" && !(fn >> 63)", "")
    assert _rule_verdict(tmp_path / "alike", alike, matrix, rules).status == "pass"


def test_a_retry_s_evidence_names_the_answer_retried() -> None:
    # A P-SEAMLDR leaf answered with the TDX module's "no entropy" code (a script without `leaves` answers every
    # leaf) and issued again: the evidence said '2 SEAMCALLs (P-SEAMLDR), returns 0', never which answer the code
    # retried, so a rule on the P-SEAMLDR's leaves failing under tdx-no-entropy-* read as a P-SEAMLDR answer.
    leaf = 1 << 63
    busy = SeamCall("__seamcall", leaf, "P-SEAMLDR", 0x8000020300000000, 1, False, (), "x.h:4")
    done = busy._replace(returned=0)
    twice = Outcome(OutcomeStatus.OK, (busy, done), 0, "int", None, ())
    (failed,) = expectation_failures(twice, Expect(no_retry=True), leaf=leaf)[0]
    assert failed[1] == f"{describe(twice)}; issued again after SEAMCALL 1 returned 0x8000020300000000", failed
    assert not expectation_failures(replace(twice, calls=(busy,)), Expect(no_retry=True), leaf=leaf)[0]

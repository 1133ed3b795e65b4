"""leaf-base (consistency) when a revision prints through a wrapper no component names: judged on that path too."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

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
    preparing_series,
    revision,
    wrapper_revision,
)
from tests.mailgen import write_mbox

OLD_MACRO = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
# The 'Prepare' patch prints the TDX module's leaf in hex, drops seamldr_prerr() and gives the P-SEAMLDR its own
# seamldr_call(), which prints the leaf in decimal; the wrapper calls seamldr_call().
SEAMLDR_CALL = """
static inline int seamldr_call(u64 fn, struct tdx_module_args *args)
{
	u64 err = sc_retry(__seamcall, fn, args);

	if (err == TDX_SUCCESS)
		return 0;
	pr_err("P-SEAMLDR call %llu failed: %#016llx\\n", fn, err);
	return -EIO;
}
"""


def test_a_component_printing_through_a_wrapper_found_in_the_code_is_judged_there(tmp_path: Path) -> None:
    printers = PRINTERS.replace("SEAMCALL (%llu) failed", "SEAMCALL (%#llx) failed").replace(OLD_MACRO, "")
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, PREAMBLE + RETRY_SAFE + "\n" + printers + SEAMLDR_CALL + TAIL),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
             ((WRAPPER, None, WRAPPER_C.replace("seamldr_prerr(fn, args)", "seamldr_call(fn, args)")), BUILD_WRAPPER)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-base-consistent")
    # Before: a pass, the P-SEAMLDR component judged through seamcall_prerr() (its fallback entry), which prints hex.
    assert found.status is VerdictStatus.FAIL, found
    said = [(e.place, e.actual) for e in found.evidence]
    assert any((place.startswith("seamldr_call/SEAMLDR_") and "decimal 'seamldr-ops: P-SEAMLDR call 922" in actual)
               or "P-SEAMLDR call 9223372036854775808" in actual for place, actual in said), said


HEX = helpers(RETRY_SAFE).replace('"SEAMCALL (%llu) failed: %#016llx\\n"', '"SEAMCALL (%#llx) failed: %#016llx\\n"')
PRINT = '\tpr_err("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n'
UNSEEN = "0x8000000000099999ULL"  # an answer no script of the matrix gives


def _leaf_rules(tmp_path: Path, header: str) -> dict[str, tuple[VerdictStatus, str]]:
    assert PRINT in HEX and header != HEX
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(header)),), "v2", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts
            if v.rule.id in ("leaf-base-consistent", "leaf-in-hex-for-both")}


@pytest.mark.parametrize("below", [
    '\tif (fn & SEAMLDR_LEAF_BIT)\n\t\tpr_err("P-SEAMLDR leaf %llu\\n", fn);\n',  # a second printk line
    '\tWARN(fn & SEAMLDR_LEAF_BIT, "P-SEAMLDR leaf %llu\\n", fn);\n',  # a WARN()'s message
], ids=["pr_err", "WARN"])
def test_a_failure_printing_the_leaf_in_the_other_base_below_its_first_line_fails(tmp_path: Path, below: str) -> None:
    # Before: only a run's first log line was read, and a WARN() message not at all: both rules passed.
    found = _leaf_rules(tmp_path, HEX.replace(PRINT, PRINT + below))
    for status, note in found.values():
        assert status is VerdictStatus.FAIL, (status, note)


@pytest.mark.parametrize("odd", [
    f'\tif (err == {UNSEEN}) {{\n\t\tpr_err("SEAMCALL (%llu) odd: %#016llx\\n", fn, err);\n\t\treturn;\n\t}}\n',
    f'\tWARN(err == {UNSEEN}, "SEAMCALL (%llu) odd\\n", fn);\n',
], ids=["pr_err", "WARN"])
def test_a_leaf_printed_on_a_path_no_script_drives_is_never_a_pass(tmp_path: Path, odd: str) -> None:
    # Before: both passed on what ran (hex), whatever the line no run reached prints.
    found = _leaf_rules(tmp_path, HEX.replace(PRINT, odd + PRINT))
    for status, note in found.values():
        assert status is VerdictStatus.INCONCLUSIVE, (status, note)
        assert "printing the leaf in seamcall_err() at arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note, note
        assert "never ran" in note or "never fired" in note, note


def test_every_print_of_the_leaf_in_hex_and_run_passes(tmp_path: Path) -> None:
    # The reverse: the same shapes with the odd line in hex and on a path the matrix drives still pass.
    found = _leaf_rules(tmp_path, HEX.replace(PRINT, PRINT + '\tif (fn & SEAMLDR_LEAF_BIT)\n'
                                                       '\t\tpr_err("P-SEAMLDR leaf %#llx\\n", fn);\n'))
    for status, note in found.values():
        assert status is VerdictStatus.PASS, (status, note)


def test_a_leaf_printed_through_a_format_chosen_at_run_time_is_judged_by_what_it_printed(tmp_path: Path) -> None:
    # printk(fmt, ...) with fmt picked by the leaf: the text is not in the code, the runs print it (decimal for the
    # P-SEAMLDR): never a pass.
    fmt = ('\tconst char *fmt = (fn & SEAMLDR_LEAF_BIT) ? "SEAMCALL (%llu) failed: %#016llx\\n" :\n'
           '\t\t\t\t\t\t\t  "SEAMCALL (%#llx) failed: %#016llx\\n";\n\n\tprintk(fmt, fn, err);\n')
    for status, note in _leaf_rules(tmp_path, HEX.replace(PRINT, fmt)).values():
        assert status is VerdictStatus.FAIL, (status, note)


RET = """static inline void seamcall_err_ret(u64 fn, u64 err, struct tdx_module_args *args)
{
	pr_err("SEAMCALL (LEAF) failed: %#016llx\\n", fn, err);
	pr_err("RCX 0x%016llx\\n", args->rcx);
}

static __always_inline int sc_retry_prerr_ret(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	u64 err = sc_retry(op, fn, args);

	if (err == TDX_SUCCESS)
		return 0;
	seamcall_err_ret(fn, err, args);
	return -EIO;
}

#define seamcall_prerr_ret(_fn, _args)	sc_retry_prerr_ret(__seamcall_ret, (_fn), (_args))
"""


@pytest.mark.parametrize(("leaf", "want"), [("%llu", VerdictStatus.FAIL), ("%#llx", VerdictStatus.PASS)],
                         ids=["decimal", "hex"])
def test_every_entry_a_component_names_prints_the_leaf_in_one_base(tmp_path: Path, leaf: str,
                                                                     want: VerdictStatus) -> None:
    # The TDX module's second entry, seamcall_prerr_ret(), prints the leaf in decimal where seamcall_prerr() prints
    # it in hex: only the first entry that ran was read, and both rules passed. The same in hex passes.
    header = HEX.replace("#define seamcall(_fn", RET.replace("LEAF", leaf) + "#define seamcall(_fn")
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(header)),), "v2", jobs=1))
    for found in (v for v in g.verdicts if v.rule.id in ("leaf-base-consistent", "leaf-in-hex-for-both")):
        assert found.status is want, found
        if want is VerdictStatus.FAIL:
            assert found.evidence[0].scenario is not None and found.evidence[0].scenario.entry.name == \
                "seamcall_prerr_ret", found.evidence
            assert "decimal 'virt/tdx: SEAMCALL (33) failed" in found.evidence[0].actual, found.evidence


def test_a_wrappers_own_print_of_the_leaf_on_a_path_no_script_drives_is_never_a_pass(tmp_path: Path) -> None:
    # The wrapper a later patch adds (an entry point found in the code, which the rule judges) prints the P-SEAMLDR
    # leaf in decimal when its call returns -EBUSY, which no script makes it do. Before: both rules passed on
    # the hex lines that ran (only the prints of the entry points the components name had to run).
    wrap = WRAPPER_C.replace("\treturn seamldr_prerr(fn, args);\n", "\tint ret = seamldr_prerr(fn, args);\n\n"
                             "\tif (ret == -EBUSY)\n\t\tpr_err(\"P-SEAMLDR (%llu) busy\\n\", fn);\n\treturn ret;\n")
    assert wrap != WRAPPER_C
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, HEX),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                            ((WRAPPER, None, wrap), BUILD_WRAPPER))])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "in.mbox", msgs),), "v2", jobs=1))
    for rule in ("leaf-base-consistent", "leaf-in-hex-for-both"):
        found = next(v for v in g.verdicts if v.rule.id == rule)
        assert found.status is VerdictStatus.INCONCLUSIVE, (rule, found.status, found.note)
        assert "a line printing the leaf in seamldr_query() at arch/x86/virt/vmx/tdx/seamldr_ops.c:" in found.note
        assert "never ran in v2" in found.note, found.note


def test_an_entry_that_ignores_its_leaf_is_read_for_the_leaf_it_issued(tmp_path: Path) -> None:
    # Every line prints the leaf in hex without 0x ("%llx"); the wrapper's file also has an init function of no
    # parameters that issues a fixed TDX leaf (35, printed '23'). Run for each scenario leaf, its line was read
    # against the scenario's leaf (33, or a P-SEAMLDR one), which no reading of '23' equals: taken as decimal,
    # and the rule failed on a series printing hex throughout (a v4 probe: tdx.c's init_lp()).
    printers = PRINTERS.replace("SEAMCALL (%llu) failed", "SEAMCALL (%llx) failed")
    fixed = WRAPPER_C + ("\nstatic int demo_init(void)\n{\n\tstruct tdx_module_args args = {};\n\n"
                         "\treturn seamcall_prerr(35, &args);\n}\n")
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, fixed),)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-base-consistent")
    assert found.status is VerdictStatus.PASS, (found.status, found.note, found.evidence)


# The P-SEAMLDR's line prints its leaf with bit 63 masked off (0 or 1: digits that tell no base) by %llu, the error
# code in parentheses; the TDX module's prints its leaf in hex.
MASKED = ('\tif (fn & SEAMLDR_LEAF_BIT)\n'
          '\t\tpr_err("P-SEAMLDR call %llu failed (%#llx)\\n", fn & ~SEAMLDR_LEAF_BIT, err);\n'
          '\telse\n\t\tpr_err("SEAMCALL %#llx failed (%#llx)\\n", fn, err);\n')


@pytest.mark.parametrize(("printing", "decimal"), [
    (MASKED, True),  # passed: the error code in parentheses was read as the leaf, in hex
    (MASKED.replace("failed (%#llx)", "failed: %#llx"), True),  # failed: 'no leaf' in it
    ('\tpr_err("SEAMCALL failed (%#llx)\\n", err);\n', False),  # passed: no leaf printed at all
], ids=["masked, error in parentheses", "masked", "no leaf, error in parentheses"])
def test_a_number_in_parentheses_that_is_not_the_leaf_shows_nothing_of_its_base(
        tmp_path: Path, printing: str, decimal: bool) -> None:
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(HEX.replace(PRINT, printing))),),
                                  "v2", jobs=1))
    for rule in ("leaf-base-consistent", "leaf-in-hex-for-both"):
        found = next(v for v in g.verdicts if v.rule.id == rule)
        assert found.status is VerdictStatus.FAIL, (found.status, found.note)
        said = " ".join(e.actual for e in found.evidence)
        # The masked leaf's 0 is told by its conversion, %llu (harness.leafconv): decimal beside the module's hex
        # (inconclusive before round 49: 'digits that read the same'); never the error code's hex.
        assert ("P-SEAMLDR decimal by '%llu' at seamcall_internal.h:" in said) is decimal, said


@pytest.mark.parametrize(("leaf", "want"), [("%llu", VerdictStatus.FAIL), ("%#llx", VerdictStatus.PASS)],
                         ids=["decimal", "hex"])
def test_a_rule_requiring_an_entry_point_applies_where_another_prints_its_leaves(tmp_path: Path, leaf: str,
                                                                                 want: VerdictStatus) -> None:
    # The 'Prepare' patch drops seamldr_prerr() (the entry leaf-in-hex-for-both requires) for a seamldr_call() of its
    # own that prints the P-SEAMLDR's leaves: the rule was n/a, whatever base seamldr_call() printed them in.
    printers = PRINTERS.replace("SEAMCALL (%llu) failed", "SEAMCALL (%#llx) failed").replace(OLD_MACRO, "")
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, PREAMBLE + RETRY_SAFE + "\n" + printers +
                        SEAMLDR_CALL.replace("call %llu", f"call {leaf}") + TAIL),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
             ((WRAPPER, None, WRAPPER_C.replace("seamldr_prerr(fn, args)", "seamldr_call(fn, args)")), BUILD_WRAPPER)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-in-hex-for-both")
    assert found.status is want, found


@pytest.mark.parametrize(("leaf", "want"), [
    ("%#llx", {"leaf-base-consistent": VerdictStatus.PASS, "leaf-in-hex-for-both": VerdictStatus.PASS}),
    ("%llu", {"leaf-base-consistent": VerdictStatus.PASS, "leaf-in-hex-for-both": VerdictStatus.FAIL}),
], ids=["hex", "decimal"])
def test_a_failure_giving_the_leaf_on_its_second_line_is_read_there(tmp_path: Path, leaf: str,
                                                                    want: dict[str, VerdictStatus]) -> None:
    # 'SEAMCALL failed' first, the leaf on the next line: both rules failed, 'no leaf' in the first line.
    printing = f'\tpr_err("SEAMCALL failed\\n");\n\tpr_err("leaf {leaf}, error %#016llx\\n", fn, err);\n'
    found = _leaf_rules(tmp_path, HEX.replace(PRINT, printing))
    assert {rule: status for rule, (status, _) in found.items()} == want, found


@pytest.mark.parametrize("leaf", ["%llo", "%#llo"])
def test_a_leaf_printed_in_octal_is_read_as_octal(tmp_path: Path, leaf: str) -> None:
    # lib/vsprintf.c number() prints 33 as '41' ('041' with '#'): both rules failed, the line read as printing no
    # leaf. Both components print it so: one base (octal), not hex.
    printing = f'\tpr_err("SEAMCALL ({leaf}) failed: %#016llx\\n", fn, err);\n'
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(HEX.replace(PRINT, printing))),),
                                  "v2", jobs=1))
    found = {v.rule.id: v for v in g.verdicts if v.rule.id in ("leaf-base-consistent", "leaf-in-hex-for-both")}
    assert found["leaf-base-consistent"].status is VerdictStatus.PASS, found["leaf-base-consistent"]
    hex_rule = found["leaf-in-hex-for-both"]
    assert hex_rule.status is VerdictStatus.FAIL, hex_rule
    said = [e.actual for e in hex_rule.evidence]
    assert said and all(" octal" in a and "SEAMCALL (" in a for a in said), said


def test_a_printer_the_mirror_cannot_run_is_never_said_to_print_nothing(tmp_path: Path) -> None:
    # seamcall_err() prints through dev_err() on a device the code declares extern (a pointer to a struct device it
    # never defines, which C allows): every run that reaches it stops (the pointer's value is not known), those that
    # do not (a retried "no entropy", a GP) print nothing, as they should.
    # Before: fail, 'TDX module logs nothing when its SEAMCALL fails', said of a printer that never ran.
    line = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
    head = "static inline void seamcall_err("
    assert line in PRINTERS and head in PRINTERS
    printers = PRINTERS.replace(line, line.replace("pr_err(", "dev_err(sc_dev, ")).replace(
        head, "extern struct device *sc_dev;\n\n" + head)
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(
        PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL)),), "v2", jobs=1))
    for rule in ("leaf-base-consistent", "leaf-in-hex-for-both"):
        found = next(v for v in g.verdicts if v.rule.id == rule)
        assert found.status is VerdictStatus.INCONCLUSIVE, (rule, found)
        assert "logs nothing" not in found.note and "that ran printed a failure" in found.note, found.note
        assert "sc_dev is declared extern" in found.note and "is not known" in found.note, found.note


def test_a_component_whose_own_entry_did_not_run_is_not_judged_by_a_later_one(tmp_path: Path) -> None:
    # seamldr_prerr() hands its failures to a printer declared only (its body in a file no patch touches): it cannot
    # run. Before: leaf-base-consistent passed on seamcall_prerr()'s runs with P-SEAMLDR leaves, the component's
    # fallback entry, which prints in decimal as the TDX module does: another path than the P-SEAMLDR's own.
    head = "static __always_inline int sc_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{"
    macro = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))"
    assert head in PRINTERS and macro in PRINTERS
    own = ("void seamldr_report(u64 fn, u64 err);\n\nstatic __always_inline int sc_ldr_prerr(sc_func_t op, u64 fn, "
           "struct tdx_module_args *args)\n{\n\tu64 err = sc_retry(op, fn, args);\n\n\tif (err == TDX_SUCCESS)\n"
           "\t\treturn 0;\n\tseamldr_report(fn, err);\n\treturn -EIO;\n}\n\n")
    printers = PRINTERS.replace(head, own + head).replace(macro, macro.replace("sc_retry_prerr(", "sc_ldr_prerr("))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(
        PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL)),), "v2", jobs=1))
    found = {v.rule.id: v for v in g.verdicts}
    same = found["leaf-base-consistent"]
    assert same.status is VerdictStatus.INCONCLUSIVE, same
    assert "seamldr_prerr() did not run, so how it prints a failure is not known (only seamcall_prerr() ran)" \
        in same.note, same.note
    # The TDX module, which ran, prints the leaf in decimal: "in hex for both" fails on that alone.
    hexed = found["leaf-in-hex-for-both"]
    assert hexed.status is VerdictStatus.FAIL, hexed
    assert [e.actual.split(" '")[0] for e in hexed.evidence] == ["TDX module decimal"], hexed.evidence


def test_evidence_says_which_scenario_printed_each_line_it_quotes(tmp_path: Path) -> None:
    # seamcall_prerr_ret() prints the leaf in decimal, seamcall_prerr() in hex: the evidence is filed under the
    # former's scenario and quoted the latter's line as if that scenario had printed it too.
    header = HEX.replace("#define seamcall(_fn", RET.replace("LEAF", "%llu") + "#define seamcall(_fn")
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(header)),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-base-consistent")
    (e,) = found.evidence
    assert e.scenario is not None and e.scenario.entry.name == "seamcall_prerr_ret", e
    assert "failed: 0x8000020300000000' (in seamcall_prerr/" in e.actual, e.actual


HEX_RULE = """\
[[rule]]
id = "tdx-leaf-in-hex"
reviewer = "Rita Reviewer"
summary = "The TDX module prints the leaf in hex"
severity = "error"
[rule.check]
kind = "consistency"
property = "leaf-base"
base = "hex"
[rule.check.components."TDX module"]
entries = ["seamcall_prerr"]
leaves = ["TDH_SYS_INIT"]
"""


def test_a_failing_line_is_said_once(tmp_path: Path) -> None:
    # The TDX module prints the leaf in decimal: the rule fails on its line, and its note said that line again, so
    # the gate read "got X (X)". The note says only what the evidence does not (here nothing).
    (tmp_path / "rules.toml").write_text(HEX_RULE)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                             ((NEW_HOME, None, helpers(RETRY_SAFE)),))])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", rules=tmp_path / "rules.toml",
                                  jobs=1))
    (found,) = g.verdicts
    assert found.status is VerdictStatus.FAIL and found.evidence, found
    assert "decimal 'virt/tdx: SEAMCALL (33) failed" in found.evidence[0].actual, found.evidence
    assert not any(e.actual in found.note for e in found.evidence), (found.note, found.evidence)


def _wrapped(tmp_path: Path, header: str, below: str, rules: Path | None = None
             ) -> dict[str, tuple[VerdictStatus, str]]:
    """The leaf rules on v2 whose third patch adds seamldr_query() (an entry point found in the code, which the rules
    read), printing ``below`` after its call of seamldr_prerr() fails."""
    wrap = WRAPPER_C.replace("\treturn seamldr_prerr(fn, args);\n", "\tint ret = seamldr_prerr(fn, args);\n\n"
                             f"\tif (ret)\n\t\t{below}\n\treturn ret;\n")
    assert wrap != WRAPPER_C
    tmp_path.mkdir(parents=True, exist_ok=True)
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, header),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, wrap), BUILD_WRAPPER))])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "in.mbox", msgs),), "v2", rules=rules, jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


def test_a_wrappers_second_line_printing_the_leaf_in_the_other_base_fails(tmp_path: Path) -> None:
    # Its first line (seamcall_err()'s, hex) was the only one of the wrapper's runs judged, while the print of its
    # second line (decimal) counted as shown: both rules passed.
    found = _wrapped(tmp_path, HEX, 'pr_err("P-SEAMLDR query %llu failed\\n", fn);')
    for rule in ("leaf-base-consistent", "leaf-in-hex-for-both"):
        status, note = found[rule]
        assert status is VerdictStatus.FAIL, (rule, status, note)
    # In hex, the same line meets both.
    found = _wrapped(tmp_path / "hex", HEX, 'pr_err("P-SEAMLDR query %#llx failed\\n", fn);')
    assert [found[r][0] for r in ("leaf-base-consistent", "leaf-in-hex-for-both")] == [VerdictStatus.PASS] * 2, found


FORMAT_RULE = """\
[[rule]]
id = "leaf-one-format"
reviewer = "seamharness"
summary = "One conversion prints every leaf"
severity = "error"
[rule.check]
kind = "consistency"
property = "leaf-format"
[rule.check.components."TDX module"]
entries = ["seamcall_prerr", "seamcall_prerr_ret"]
leaves = ["TDH_SYS_INIT", "TDH_SYS_LP_INIT"]
[rule.check.components."P-SEAMLDR"]
entries = ["seamldr_prerr", "seamcall_prerr"]
leaves = ["SEAMLDR_INFO", "SEAMLDR_INSTALL"]
"""


@pytest.mark.parametrize("below", [
    'pr_err("P-SEAMLDR query 0x%018llx failed\\n", fn);',  # a wider field than the '%#llx' above it
    'pr_err("P-SEAMLDR query %#llX failed\\n", fn);',  # 0X and capitals: hex all the same
], ids=["width", "case"])
def test_leaf_format_reads_every_line_of_every_run_it_counts_as_shown(tmp_path: Path, below: str) -> None:
    # leaf-format read one line per run of each component's first entry point; the wrapper's lines, in hex as
    # leaf-base wants, were judged for their base alone, yet their print counted as shown: a pass.
    (tmp_path / "rules.toml").write_text(FORMAT_RULE)
    status, note = _wrapped(tmp_path, HEX, below, tmp_path / "rules.toml")["leaf-one-format"]
    assert status is VerdictStatus.FAIL, (status, note)
    status, note = _wrapped(tmp_path / "same", HEX, 'pr_err("P-SEAMLDR query %#llx failed\\n", fn);',
                            tmp_path / "rules.toml")["leaf-one-format"]
    assert status is VerdictStatus.PASS, (status, note)



# The 'Prepare' patch makes seamcall_ret(), an entry point of the matrix no component names, print its failures, the
# leaf in decimal, where the printers the components name print it in hex: a macro of its own, no function found.
RET_MACRO = "#define seamcall_ret(_fn, _args)\tsc_retry(__seamcall_ret, (_fn), (_args))\n"
RET_LOGGED = ("#define seamcall_ret(_fn, _args) ({\t\t\t\t\t\\\n"
              "\tu64 __err = sc_retry(__seamcall_ret, (_fn), (_args));\t\\\n"
              '\tif (__err != TDX_SUCCESS)\t\t\t\t\\\n\t\tpr_err("SEAMCALL %llu failed: %#016llx\\n", (u64)(_fn), '
              "__err);\t\\\n\t__err;\t\t\t\t\t\t\\\n})\n")


def test_a_changed_entry_point_no_component_names_printing_the_other_base_fails(tmp_path: Path) -> None:
    # Before: a pass: the rule read its components' entry points and the wrappers found in the code, never the
    # matrix's seamcall_ret() that the patch changed to print the leaf in decimal.
    assert RET_MACRO in HEX
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(HEX.replace(RET_MACRO,
                                                                                            RET_LOGGED))),),
                                  "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-base-consistent")
    assert found.status is VerdictStatus.FAIL, found.note
    assert any(e.place.startswith("seamcall_ret/") and "decimal" in e.actual for e in found.evidence), found.evidence


def test_an_unchanged_entry_point_no_component_names_is_left_out_as_before(tmp_path: Path) -> None:
    # Printing so in the base already, the patch changing only the components' printers: left out on purpose.
    base = helpers(RETRY_SAFE).replace(RET_MACRO, RET_LOGGED)
    changed = base.replace('"SEAMCALL (%llu) failed: %#016llx\\n"', '"SEAMCALL (%#llx) failed: %#016llx\\n"')
    assert changed != base
    tree = tmp_path / "tree"
    (tree / NEW_HOME).parent.mkdir(parents=True)
    (tree / NEW_HOME).write_text(base)
    for unit, prefix in (("tdx.c", "virt/tdx: "), ("seamldr.c", "seamldr: ")):  # the matrix's units, including it
        (tree / NEW_HOME).with_name(unit).write_text(f'#define pr_fmt(fmt) "{prefix}" fmt\n\n'
                                                     '#include "seamcall_internal.h"\n')
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm",
                                                 "base"]):
        subprocess.run(["git", "-C", str(tree), *args], check=True)
    msgs = revision(2, [Step(PREPARE, ((NEW_HOME, base, changed),))])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1, tree=tree))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-base-consistent")
    assert found.status is VerdictStatus.PASS, found


# A wrapper the mirror refuses (inline asm before its SEAMCALL), printing the P-SEAMLDR leaf itself.
UNRUNNABLE = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt

#include "seamcall_internal.h"

static int seamldr_call(u64 fn, struct tdx_module_args *args)
{
	u64 vmcs;
	u64 err;

	asm volatile("vmptrst %0" : "=m"(vmcs));
	err = sc_retry(__seamcall, fn, args);
	if (err == TDX_SUCCESS)
		return 0;
	pr_err("P-SEAMLDR call LEAF failed: %016llx\\n", fn, err);
	return -EIO;
}

static int seamldr_query(u64 fn, struct tdx_module_args *args)
{
	guard(preempt)();
	return seamldr_call(fn, args);
}
"""


@pytest.mark.parametrize("leaf", ["(%llu)", "(%#llx)"], ids=["decimal", "hex"])
def test_a_found_wrapper_the_mirror_cannot_run_is_no_pass(tmp_path: Path, leaf: str) -> None:
    # Before: PASS either way, judged on seamcall_prerr() alone, though the wrapper's own print (decimal in the
    # first case) never ran. Now inconclusive, naming the print that never ran and why its wrapper did not run.
    msgs = wrapper_revision(UNRUNNABLE.replace("LEAF", leaf))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-base-consistent")
    assert found.status is VerdictStatus.INCONCLUSIVE, found.note
    assert f"P-SEAMLDR call {leaf} failed" in found.note and "never ran" in found.note, found.note
    assert "inline asm is not modelled" in found.note, found.note

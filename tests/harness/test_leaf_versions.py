"""A SEAMCALL leaf issued again in another version is that leaf again (models.leafabi).

A SEAMCALL leaf issued again in another version (``fn | BIT_ULL(16)``, RAX[23:16]) is that leaf again: a retry,
for either component; a call of another leaf number after a failure is not (models.leafabi)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.expectations import expectation_failures
from harness.gate import GateRequest, evaluate_gate
from harness.rules import Expect
from harness.verdict import Verdict, VerdictStatus
from models.machine import SeamCall
from models.mirror import Outcome, OutcomeStatus
from tests.harness.seriesgen import BUILD_WRAPPER, WRAPPER, WRAPPER_C, Step, moving_series, revision
from tests.mailgen import message, patch_body, write_mbox

SEAMLDR_INFO, SEAMLDR_NO_ENTROPY = 1 << 63, 0x8000000000030001
TDH_SYS_INIT, TDX_NO_ENTROPY = 33, 0x8000020300000000
V1 = 1 << 16  # version 1: RAX[23:16]


def _ldr_series(again: str) -> list:  # type: ignore[type-arg]
    """A revision whose new P-SEAMLDR wrapper issues ``again`` after a 'no entropy' answer to its first call."""
    ldr = WRAPPER_C + ("\n#define LDR_VERSION_SHIFT\t16\n\n"
                       "static int tdx_ldr_call(u64 fn, struct tdx_module_args *args)\n{\n"
                       "\tu64 ret = __seamcall(fn, args);\n\n\tif (ret == 0x8000000000030001ULL)\n"
                       f"\t\tret = __seamcall({again}, args);\n\treturn ret ? -5 : 0;\n}}\n")
    return moving_series(faithful=True)[:-1] + revision(4, [Step("x86/virt/seamldr: Add a P-SEAMLDR call", (
        (WRAPPER, None, ldr), BUILD_WRAPPER))], total=2, numbers=[2])[1:]


def _no_entropy_rule(tmp_path: Path, again: str) -> Verdict:
    mbox = write_mbox(tmp_path / "ldr.mbox", _ldr_series(again))
    g = evaluate_gate(GateRequest((mbox,), "v4", jobs=1))
    return next(v for v in g.verdicts if v.rule.id == "seamldr-no-entropy-not-retried")


@pytest.mark.parametrize("again", ["fn | BIT_ULL(16)", "fn | (1ULL << LDR_VERSION_SHIFT)"])
def test_a_p_seamldr_wrapper_reissuing_its_leaf_with_a_version_bit_fails_the_no_entropy_rule(
        tmp_path: Path, again: str) -> None:
    # Passed before (no verdict but the corpus' missing entry points kept it from it): the second call's RAX is
    # another number, and the rule compared leaves with ==.
    got = _no_entropy_rule(tmp_path, again)
    assert got.status is VerdictStatus.FAIL, (got.status, got.note)
    first = got.evidence[0]
    assert first.scenario is not None and first.scenario.entry.name == "tdx_ldr_call"
    assert first.actual.endswith(
        "; SEAMCALL 2 (__seamcall() at arch/x86/virt/vmx/tdx/seamldr_ops.c:19) issued SEAMLDR_INFO v1 again after "
        "SEAMCALL 1 (SEAMLDR_INFO) returned 0x8000000000030001"), first.actual


# A TDX-module wrapper of the demo's, a matrix feeding it TDH_SYS_INIT, and a rule that it does not retry.
TDX_MATRIX = ('[codes]\nOK = 0\nNO_ENTROPY = 0x8000020300000000\n[leaves]\nINIT = 33\n'
              '[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\nname = "demo_call"\n'
              '[[script]]\nname = "no-entropy"\nanswers = ["NO_ENTROPY", "OK"]\n'
              # runs that take the wrapper's tests the other way too (else no pass stands: harness.linecover)
              '[[script]]\nname = "ok"\nanswers = ["OK"]\n[[script]]\nname = "stuck"\nanswers = ["NO_ENTROPY"]\n')
NO_RETRY = ('[[rule]]\nid = "once"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "behaviour"\n'
            'scenarios = { entry = "demo_call", leaf = ["INIT"], script = "no-entropy" }\n'
            'expect = { no_retry = true }\n')


def _verdict(folder: Path, code: str, rules: str = NO_RETRY) -> Verdict:
    """The first rule's verdict on v1 of a one-patch series adding header ``code`` and the unit including it, run
    with TDX_MATRIX."""
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.test_checks import header_and_unit

    folder.mkdir(parents=True)
    box = write_mbox(folder / "c.mbox", [message("[PATCH] demo: add", "c1@x",
                                                 patch_body("Add.", header_and_unit(code)))])
    (folder / "m.toml").write_text(TDX_MATRIX)
    (folder / "rules.toml").write_text(rules)
    ev = evaluate(EvalRequest((box,), variants=("v1",), rules=folder / "rules.toml", matrix=folder / "m.toml"))
    assert ev.judgement is not None
    return ev.judgement.rows[0].verdicts["v1"]


def _tdx_verdict(folder: Path, first: str, again: str) -> Verdict:
    """The no_retry rule's verdict where demo_call() issues ``first``, then ``again`` after a 'no entropy' answer."""
    return _verdict(folder, "#define DEMO_VERSION_SHIFT\t16\n\n"
                            "static inline int demo_call(u64 fn, struct tdx_module_args *args)\n"
                            f"{{\n\tu64 err = __seamcall({first}, args);\n\n\tif (err == 0x8000020300000000ULL)\n"
                            f"\t\terr = __seamcall({again}, args);\n\treturn err ? -5 : 0;\n}}\n")


def test_a_tdx_module_call_retried_with_a_version_bit_is_a_retry_and_another_leaf_number_is_not(
        tmp_path: Path) -> None:
    got = _tdx_verdict(tmp_path / "v1", "fn", "fn | (1ULL << DEMO_VERSION_SHIFT)")
    assert got.status == "fail" and "issued INIT v1 again after SEAMCALL 1 (INIT) returned" in got.evidence[0].actual
    # Issued in version 1 both times: the scenario's leaf was issued (checked, not "none issued their leaf").
    got = _tdx_verdict(tmp_path / "both", "fn | BIT_ULL(16)", "fn | BIT_ULL(16)")
    assert got.status == "fail" and got.note.startswith("1 scenario checked"), (got.status, got.note)
    # Leaf 35 after leaf 33 failed is another leaf, whatever the bits: no retry.
    got = _tdx_verdict(tmp_path / "other", "fn", "fn + 2")
    assert got.status == "pass", (got.status, got.note)


def _printer(name: str, static: str, leaf: str, conversion: str) -> str:
    return (f"{static}int {name}(u64 fn, struct tdx_module_args *args)\n{{\n\tu64 err = __seamcall({leaf}, args);\n\n"
            f'\tif (err)\n\t\tpr_err("SEAMCALL ({conversion}) failed\\n", {leaf});\n\treturn err ? -5 : 0;\n}}\n\n')


def test_leaf_base_judges_a_wrapper_found_in_the_code_that_issues_its_leaf_in_another_version(
        tmp_path: Path) -> None:
    # demo_v1() (no component names it) is given INIT and issues INIT v1, printing that in decimal where the
    # component prints hex. Before, its runs counted as issuing another leaf than given: their lines were read for
    # nothing, and the rule was inconclusive ("only in runs whose lines the rule does not judge").
    rules = ('[[rule]]\nid = "hex"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "consistency"\n'
             'property = "leaf-base"\nbase = "hex"\n[rule.check.components."A"]\nentries = ["demo_call"]\n'
             'leaves = ["INIT"]\n')
    code = _printer("demo_call", "static inline ", "fn", "%#llx") + _printer("demo_v1", "", "fn | BIT_ULL(16)", "%llu")
    got = _verdict(tmp_path / "v1", code, rules)
    assert got.status == "fail", (got.status, got.note)
    assert any("SEAMCALL (65569) failed" in e.actual for e in got.evidence), got.evidence
    # The same wrapper printing hex, as the component does: nothing against the rule.
    got = _verdict(tmp_path / "hex", code.replace("%llu", "%#llx"), rules)
    assert got.status == "pass", (got.status, got.note)


CALL = SeamCall("__seamcall", TDH_SYS_INIT, "TDX module", TDX_NO_ENTROPY, 1, False, (), "x.h:3")


# (failed call, the next one, whether that is a retry of the first)
CASES = [
    (CALL, CALL._replace(leaf=TDH_SYS_INIT | V1, returned=0), True),
    (CALL._replace(leaf=TDH_SYS_INIT | V1), CALL._replace(returned=0), True),  # back to version 0: still the leaf
    (CALL._replace(leaf=SEAMLDR_INFO, component="P-SEAMLDR", returned=SEAMLDR_NO_ENTROPY),
     CALL._replace(leaf=SEAMLDR_INFO | V1, component="P-SEAMLDR", returned=0), True),
    (CALL, CALL._replace(leaf=TDH_SYS_INIT + 2, returned=0), False),  # another leaf number
    (CALL, CALL._replace(leaf=(TDH_SYS_INIT + 2) | V1, returned=0), False),
    (CALL, CALL._replace(leaf=SEAMLDR_INFO | TDH_SYS_INIT, component="P-SEAMLDR", returned=0), False),  # bit 63
]


def test_no_retry_reads_a_leaf_without_its_version() -> None:
    for failed, again, retried in CASES:
        o = Outcome(OutcomeStatus.OK, (failed, again), 0, "int")
        for leaf in (failed.leaf, None):
            assert bool(expectation_failures(o, Expect(no_retry=True), leaf=leaf)[0]) is retried, (again, leaf)

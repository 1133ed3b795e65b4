"""A source rule's counted calls behind a macro no line read defines (harness.unreadcode.hidden_calls).

The 'Prepare' patch of a generated v2 (tests.harness.seriesgen.preparing_series) wraps sc_retry()'s loop test in
``sc_rare()``: a tree's wrapper of ``unlikely()``, or of nothing. Defined in the lines read, the rule counts what its
body calls; defined nowhere the mail shows, the gate passed ``no-unlikely-in-sc-retry`` (0 unlikely() calls counted),
though the reviewer's point may not be met: now inconclusive, naming the call.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    NEW_HOME,
    PREAMBLE,
    PREPARE,
    PRINTERS,
    RETRY_SAFE,
    TAIL,
    Step,
    preparing_series,
    retry_loop,
    revision,
)
from tests.mailgen import write_mbox

TEST = "if (err != TDX_RND_NO_ENTROPY || !--left)"
WRAPPED = RETRY_SAFE.replace(TEST, "if (sc_rare(err != TDX_RND_NO_ENTROPY) || !--left)")
RULES = """\
[[rule]]
id = "no-new-unlikely"
reviewer = "Test Reviewer"
summary = "sc_retry() gains no likely()/unlikely()"
severity = "error"
patch = "Prepare to support P-SEAMLDR SEAMCALLs"
[rule.check]
kind = "source"
function = "sc_retry"
no_new_calls = ["likely", "unlikely"]
reference = "before:patch"

[[rule]]
id = "no-success-test"
reviewer = "Test Reviewer"
summary = "sc_retry() leaves telling success apart to its callers"
severity = "error"
[rule.check]
kind = "source"
function = "sc_retry"
not_referencing = ["TDX_SUCCESS"]
"""


def _verdicts(tmp_path: Path, header: str) -> dict[str, tuple[VerdictStatus, str]]:
    (tmp_path / "r.toml").write_text(RULES)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml"))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


def _header(macro: str | None) -> str:
    text = PREAMBLE + WRAPPED + "\n" + PRINTERS + TAIL
    return text if macro is None else text.replace("#define SEAMLDR_LEAF_BIT", macro + "\n#define SEAMLDR_LEAF_BIT")


def test_a_call_of_a_macro_no_line_read_defines_is_inconclusive(tmp_path: Path) -> None:
    got = _verdicts(tmp_path, _header(None))
    for rule in ("no-new-unlikely", "no-success-test"):
        status, note = got[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, status, note)
        assert "sc_retry() calls sc_rare() (arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note, note
        assert "neither define nor declare" in note and "give --tree" in note, note


@pytest.mark.parametrize(("macro", "want"), [
    ("#define sc_rare(x) unlikely(x)", {"no-new-unlikely": VerdictStatus.FAIL,
                                        "no-success-test": VerdictStatus.PASS}),
    ("#define sc_rare(x) ((x) && err != TDX_SUCCESS)", {"no-new-unlikely": VerdictStatus.PASS,
                                                        "no-success-test": VerdictStatus.FAIL}),
    ("#define sc_rare(x) (x)", {"no-new-unlikely": VerdictStatus.PASS,
                                "no-success-test": VerdictStatus.PASS}),
], ids=["unlikely", "success-test", "nothing"])
def test_a_macro_the_lines_define_is_read(tmp_path: Path, macro: str, want: dict[str, VerdictStatus]) -> None:
    got = _verdicts(tmp_path, _header(macro))
    assert {k: s for k, (s, _) in got.items()} == want, got


def test_a_call_the_reference_made_too_is_no_new_one(tmp_path: Path) -> None:
    # The reviewed loop already called sc_rare(); the patch adds a barrier(): no call is new, the count stands.
    # v1 holds the same two patches: the earlier patch is then known to be no part of the titled one (on v2 alone,
    # 01/2 making sc_retry() call sc_rare(), whose body is not read, cannot be judged: harness.earlierchange).
    before = _header(None)
    after = before.replace("\treturn err;\n}", "\tbarrier();\n\treturn err;\n}", 1)
    (tmp_path / "r.toml").write_text(RULES.split("\n\n")[0] + "\n")
    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, before),)),
             Step(PREPARE, ((NEW_HOME, before, after),))]
    msgs = revision(1, steps) + revision(2, steps)
    (v,) = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1,
                                     rules=tmp_path / "r.toml")).verdicts
    assert v.status is VerdictStatus.PASS, v.note


SET_RULE = """\
[[rule]]
id = "busy-set-together"
reviewer = "Test Reviewer"
summary = "busy is chosen in one place"
severity = "error"
patch = "Prepare to support P-SEAMLDR SEAMCALLs"
[rule.check]
kind = "source"
function = "sc_retry"
set_together = "busy"
"""


@pytest.mark.parametrize(("call", "want"), [
    ("\tSC_OVERRIDE(busy, fn);\n", VerdictStatus.INCONCLUSIVE),  # a macro not read may assign busy: set apart
    ("\tSC_NOTE(fn);\n", VerdictStatus.PASS),  # handed no busy: whatever it is, it cannot set it
], ids=["handed-the-variable", "handed-something-else"])
def test_a_macro_no_line_read_defines_handed_the_variable_may_set_it(tmp_path: Path, call: str,
                                                                      want: VerdictStatus) -> None:
    # Before: SC_OVERRIDE(busy, fn) two statements after busy's default passed; defined as an assignment, it fails.
    loop = retry_loop("do", "busy", True).replace("\tu64 err;\n\n", "\tu64 err;\n\n" + call)
    (tmp_path / "r.toml").write_text(SET_RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    assert v.status is want, v.note
    if want is VerdictStatus.INCONCLUSIVE:
        assert "sc_retry() hands busy to SC_OVERRIDE() (arch/x86/virt/vmx/tdx/seamcall_internal.h:" in v.note, v.note


PRINTER_RULE = """\
[[rule]]
id = "no-new-printer"
reviewer = "Test Reviewer"
summary = "no new error printer for P-SEAMLDR calls"
severity = "error"
patch = "Prepare to support P-SEAMLDR SEAMCALLs"
[rule.check]
kind = "source"
no_new_printers = true
reference = "before:patch"
"""
REPORTED = PRINTERS.replace("\tseamcall_err(fn, err, args);\n", "\tif (fn & SEAMLDR_LEAF_BIT)\n"
                            "\t\tSC_LOADER_REPORT(fn, err);\n\telse\n\t\tseamcall_err(fn, err, args);\n")
PRINTING = '#define SC_LOADER_REPORT(f, e) pr_err("loader %llx %llx\\n", f, e)\n\nstatic inline void seamcall_err'


@pytest.mark.parametrize(("printers", "want"), [
    (REPORTED, VerdictStatus.INCONCLUSIVE),  # before: PASS, exit 0
    (REPORTED.replace("static inline void seamcall_err", PRINTING), VerdictStatus.FAIL),
], ids=["macro-not-read", "macro-read"])
def test_a_function_of_the_reference_newly_calling_a_name_not_read_may_print(tmp_path: Path, printers: str,
                                                                             want: VerdictStatus) -> None:
    (tmp_path / "r.toml").write_text(PRINTER_RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL))
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    assert v.status is want, v.note
    if want is VerdictStatus.INCONCLUSIVE:
        assert "sc_retry_prerr() (arch/x86/virt/vmx/tdx/seamcall_internal.h:" in v.note and \
            "calls SC_LOADER_REPORT(), which the lines read neither define nor declare" in v.note, v.note

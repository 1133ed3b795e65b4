"""leaf-base (consistency) when a revision prints through a wrapper no component names: judged on that path too."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
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
             ((WRAPPER, None, WRAPPER_C.replace("seamldr_prerr(fn, args)", "seamldr_call(fn, args)")),)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-base-consistent")
    # Before: a pass, the P-SEAMLDR component judged through seamcall_prerr() (its fallback entry), which prints hex.
    assert found.status is VerdictStatus.FAIL, found
    said = [(e.place, e.actual) for e in found.evidence]
    assert any((place.startswith("seamldr_call/SEAMLDR_") and "decimal 'seamldr-ops: P-SEAMLDR call 922" in actual)
               or "P-SEAMLDR call 9223372036854775808" in actual for place, actual in said), said

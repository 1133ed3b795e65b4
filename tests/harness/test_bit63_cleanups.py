"""tdx-module-calls-unchanged and bit 63: a call a cleanup makes at the end of its scope is one of the runs' calls."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness import seriesgen as sg
from tests.mailgen import write_mbox

_CHECK = "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)"
_PRERR = "\tu64 err = sc_retry(op, fn, args);\n"
_BREAK = "\t\tif ((fn & BIT_ULL(63)) && err == TDX_RND_NO_ENTROPY)\n\t\t\tbreak;\n"
_LOADER_ONLY = "\t\tif (fn & BIT_ULL(63))\n\t\t\tleft = {};\n"  # a statement only a P-SEAMLDR leaf runs
# The cleanup's own loop asks a function of the program, not the TDX module: the same answer for every scenario.
_PROBE = ("static u64 busy_probe(u64 fn, struct tdx_module_args *args)\n{\n\treturn TDX_RND_NO_ENTROPY;\n}\n\n"
          "static inline void probe_leaf(u64 *p)\n{\n\tstruct tdx_module_args a = {};\n\n"
          "\tCALL;\n}\n\n")


def _calls_unchanged(tmp_path: Path, call: str, old: str = "", new: str = _BREAK) -> tuple[VerdictStatus, str]:
    """The rule on a 'Prepare' patch turning ``old`` before the safe loop's test into ``new``, while
    sc_retry_prerr() holds args->rcx in a variable whose cleanup makes ``call`` (of ``*p``)."""
    printers = sg.PRINTERS.replace(_PRERR, "\tu64 rcx __cleanup(probe_leaf) = args->rcx;\n" + _PRERR)
    assert printers != sg.PRINTERS and _CHECK in sg.RETRY_SAFE
    base, header = (sg.PREAMBLE + sg.RETRY_SAFE.replace(_CHECK, r + _CHECK) + "\n" + _PROBE.replace("CALL", call)
                    + printers + sg.TAIL for r in (old, new))
    msgs = sg.revision(2, [  # seriesgen.preparing_series, the cleanup in both sides
        sg.Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((sg.NEW_HOME, None, base),)),
        sg.Step(sg.PREPARE, ((sg.NEW_HOME, base, header),)),
        sg.Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                ((sg.WRAPPER, None, sg.WRAPPER_C), sg.BUILD_WRAPPER)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "in.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "tdx-module-calls-unchanged")
    return found.status, found.note


def test_a_leaf_a_cleanup_passes_can_take_the_changed_break(tmp_path: Path) -> None:
    # The cleanup of sc_retry_prerr()'s rcx calls sc_retry() with args->rcx, whose bit 63 any caller may set, in the
    # runs of the TDX-module entry points: the break can run for them, and no scenario's rcx made it. Before, the
    # proof of bit 63 and the leaf's carriers (models.leafbits, models.leafcalls) did not see the cleanup's call,
    # held sc_retry()'s fn to the TDX-module leaf, and the rule passed.
    status, note = _calls_unchanged(tmp_path, "sc_retry(busy_probe, *p, &a)")
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "'if ((fn & BIT_ULL(63)) && err == TDX_RND_NO_ENTROPY)'" in note, note


def test_a_cleanup_that_never_reaches_the_changed_code_keeps_the_proof(tmp_path: Path) -> None:
    # The same cleanup calling the probe itself: sc_retry()'s leaf is the entry point's, the break cannot run.
    status, note = _calls_unchanged(tmp_path, "busy_probe(*p, &a)")
    assert status is VerdictStatus.PASS, note


def test_a_statement_a_cleanups_leaf_can_reach_is_not_dead(tmp_path: Path) -> None:
    # The test is unchanged, the statement under it changed: for a TDX-module leaf it cannot run, but the cleanup's
    # args->rcx can have bit 63 set. Before, models.leafbits held that statement dead for the compared runs and the
    # rule passed though no run ran it.
    old, new = _LOADER_ONLY.format(1), _LOADER_ONLY.format(2)
    status, note = _calls_unchanged(tmp_path, "sc_retry(busy_probe, *p, &a)", old, new)
    assert status is VerdictStatus.INCONCLUSIVE, note
    (tmp_path / "control").mkdir()
    status, note = _calls_unchanged(tmp_path / "control", "busy_probe(*p, &a)", old, new)
    # Known imprecision, never a pass it should not be: harness.valuereaders (51f56da) holds the loop's test, which
    # reads 'left', not known where a store to 'left' changed, without models.leafbits' proof that the store is dead
    # for the compared leaves; the dead statement itself is no longer what keeps it from passing.
    assert status is VerdictStatus.PASS or (
        status is VerdictStatus.INCONCLUSIVE and "reads a name whose value changed" in note
        and "'left = 1;' in v2:01 -> 'left = 2;' in v2" in note), note

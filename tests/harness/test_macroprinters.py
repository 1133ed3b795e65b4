"""'No new error printer' on printers that are function-like macros.

'No new error printer' on printers that are function-like macros: a macro of the code whose body prints is a
printer as a function is, whether a function of the state uses it or not."""

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
    WRAPPER,
    WRAPPER_C,
    Step,
    revision,
)
from tests.mailgen import write_mbox

RULE = "reuse-seamcall-err"
OLD_MACRO = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
MSG = '"P-SEAMLDR (%llx) failed: %#016llx\\n", (u64)(fn), err'
# seamldr_prerr() become a statement expression that retries, then prints a P-SEAMLDR failure itself.
OWN_PRERR = ("#define seamldr_prerr(fn, _args) ({ u64 err = sc_retry(__seamcall, (fn), (_args)); "
             f"if (err) pr_err({MSG}); err ? -EIO : 0; }})\n")
# A printer of one line, seamldr_err(), that seamldr_prerr() or nothing of the state uses.
OWN_ERR = f"#define seamldr_err(fn, err)\tpr_err({MSG})\n"


def _gate(tmp_path: Path, prepared: str, later: str | None = None) -> tuple[VerdictStatus, str]:
    """v2: the helper header, 'Prepare' turning its printers into ``prepared``, the P-SEAMLDR wrapper, and, with
    ``later``, a last patch turning them into that."""
    base = PREAMBLE + RETRY_SAFE + "\n" + PRINTERS + "\n#endif\n"
    mine = base.replace(PRINTERS, prepared)
    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
             Step(PREPARE, ((NEW_HOME, base, mine),)),
             Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C),))]
    if later is not None:
        steps.append(Step("x86/virt/seamldr: Report P-SEAMLDR failures",
                          ((NEW_HOME, mine, base.replace(PRINTERS, later)),)))
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", revision(2, steps)),),
                                                             "v2", jobs=1)).verdicts}
    return found[RULE].status, " ".join([found[RULE].note, *(e.actual for e in found[RULE].evidence)])


@pytest.mark.parametrize(("printers", "name"), [
    (PRINTERS.replace(OLD_MACRO, OWN_PRERR), "seamldr_prerr"),
    (PRINTERS.replace(OLD_MACRO, OLD_MACRO + "\n" + OWN_ERR), "seamldr_err"),
    # Through another macro of the code: seamldr_report() prints by seamldr_err(), a WARN() with a message too.
    (PRINTERS.replace(OLD_MACRO, OLD_MACRO + "\n" + OWN_ERR.replace("pr_err(", "WARN(1, ")
                      + "#define seamldr_report(fn, err)\tseamldr_err(fn, err)\n"), "seamldr_err"),
], ids=["statement expression", "unused one-line macro", "WARN through a macro"])
def test_a_printing_macro_the_patch_adds_fails(tmp_path: Path, printers: str, name: str) -> None:
    # Before: a pass (gate exit 0 on this rule): only functions counted as printers, and no function of the state
    # calls the macro.
    status, note = _gate(tmp_path, printers)
    assert status is VerdictStatus.FAIL, (status, note)
    assert f"{name}() prints a message itself (a function-like macro)" in note, note


def test_a_printing_macro_of_the_helpers_a_later_patch_adds_fails(tmp_path: Path) -> None:
    # As for a function: seamldr_prerr() become a printer of its own two patches later reports the P-SEAMLDR's
    # failures whichever patch makes it so.
    plain = PRINTERS.replace("SEAMCALL (%llu)", "SEAMCALL (%#llx)")
    status, note = _gate(tmp_path, plain, later=plain.replace(OLD_MACRO, OWN_PRERR))
    assert status is VerdictStatus.FAIL, (status, note)
    assert "seamldr_prerr() prints a message itself (a function-like macro)" in note, note


def test_a_later_printing_macro_outside_the_helpers_is_not_put_down_to_the_patch(tmp_path: Path) -> None:
    plain = PRINTERS.replace("SEAMCALL (%llu)", "SEAMCALL (%#llx)")
    status, note = _gate(tmp_path, plain, later=plain.replace(OLD_MACRO, OLD_MACRO + "\n" + OWN_ERR))
    assert status is VerdictStatus.PASS, (status, note)


def test_a_macro_handing_on_to_the_existing_printer_passes(tmp_path: Path) -> None:
    reuse = "#define seamldr_err(fn, err)\tseamcall_err((fn), (err), NULL)\n"
    status, note = _gate(tmp_path, PRINTERS.replace("SEAMCALL (%llu)", "SEAMCALL (%#llx)")
                         .replace(OLD_MACRO, OLD_MACRO + "\n" + reuse))
    assert status is VerdictStatus.PASS, (status, note)

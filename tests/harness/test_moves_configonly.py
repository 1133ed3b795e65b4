"""A move and code only another kernel configuration builds.

A move and code only another kernel configuration builds: an #else the move carries unchanged is no change, and an
#else stub it brings, in place of a helper that prints, is one (harness.configonly.unbuilt_reached, ``stubs``)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, OLD_HOME, PREAMBLE, RETRY_SAFE, TAIL, Step, helpers, revision
from tests.mailgen import write_mbox

PRINTER_END = 'failed: %#016llx\\n", fn, err);\n}\n'


def _debug_only(text: str, stub: str) -> str:
    """The helpers with seamcall_err() built only with CONFIG_TDX_DEBUG, ``stub`` its #else body."""
    head = "static inline void seamcall_err("
    return text.replace(head, "#ifdef CONFIG_TDX_DEBUG\n" + head) \
        .replace(PRINTER_END, PRINTER_END + "#else\nstatic inline void seamcall_err(u64 fn, u64 err, "
                 "struct tdx_module_args *args) { " + stub + " }\n#endif\n")


def _move(old: str, new: str) -> list[EmailMessage]:
    return revision(4, [Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
                             ((OLD_HOME, old, PREAMBLE + TAIL),
                              (NEW_HOME, None, new.replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H"))))])


def _verdict(tmp_path: Path, msgs: list[EmailMessage]) -> tuple[VerdictStatus, str]:
    mbox = write_mbox(tmp_path / "v4.mbox", msgs)
    found = next(v for v in evaluate_gate(GateRequest((mbox,), "v4", jobs=1)).verdicts
                 if v.rule.id == "move-preserves-behaviour")
    return found.status, found.note


def test_a_move_that_puts_a_printer_under_an_ifdef_with_an_empty_stub_is_not_passed(tmp_path: Path) -> None:
    # Built without CONFIG_TDX_DEBUG, a failed SEAMCALL is no longer printed. The stub, 'no alternative' (it cannot
    # retry or print), was passed over, and the move passed on the branch the mirror builds.
    base = helpers(RETRY_SAFE)
    status, note = _verdict(tmp_path, _move(base, _debug_only(base, "")))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert f"another definition of seamcall_err ({NEW_HOME}:36) under #else ({NEW_HOME}:35) of #ifdef " \
        f"CONFIG_TDX_DEBUG ({NEW_HOME}:30) never ran in v4:01" in note, note


@pytest.mark.parametrize("stub", ["", 'pr_err("SEAMCALL failed\\n");'], ids=["empty", "printing"])
def test_a_move_carrying_an_else_unchanged_changes_no_configuration(tmp_path: Path, stub: str) -> None:
    # The #else moved as it was: the same code in a kernel without CONFIG_TDX_DEBUG on both sides. One that prints
    # made the rule inconclusive ('another definition of seamcall_err ... never ran in v4:00').
    guarded = _debug_only(helpers(RETRY_SAFE), stub)
    status, note = _verdict(tmp_path, _move(guarded, guarded))
    assert status is VerdictStatus.PASS, (status, note)

"""A wrapper found in the code that a patch moves into a new .c file, compared across units.

A SEAMCALL wrapper found in the code (no list names it) that a patch moves, with its caller, into a .c file it
creates: one helper in two translation units, compared across them (harness.discover, harness.unitpair)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    MAKEFILE,
    MAKEFILE_BASE,
    NEW_HOME,
    RETRY_SAFE,
    WRAPPER,
    Step,
    helpers,
    revision,
    with_objects,
)
from tests.mailgen import write_mbox

CORE = "arch/x86/virt/vmx/tdx/seamldr_core.c"
HEAD = '// SPDX-License-Identifier: GPL-2.0\n#define pr_fmt(fmt) "seamldr-ops: " fmt\n\n' \
    '#include "seamcall_internal.h"\n\n'
QUERY = "static int seamldr_query(u64 fn, struct tdx_module_args *args)\n{\n\tguard(preempt)();\n" \
        "\treturn seamldr_prerr(fn, args);\n}\n"
CALLER = "int seamldr_info(void)\n{\n\tstruct tdx_module_args args = {};\n\n" \
         "\treturn seamldr_query(0x8000000000000000ULL, &args);\n}\n"
OTHER = "int seamldr_other(void)\n{\n\treturn 0;\n}\n"


def _move(tmp_path: Path, deleted: bool, moved_query: str = QUERY) -> tuple[VerdictStatus, str]:
    """v4: the helper header, then seamldr_ops.c with static seamldr_query() and its caller, then both moved into
    seamldr_core.c, which the patch creates (the query as ``moved_query`` there); seamldr_ops.c deleted or left
    with another function. The bundled rules' moves rule on v4."""
    ops = HEAD + QUERY + "\n" + CALLER + ("" if deleted else "\n" + OTHER)
    built = with_objects(MAKEFILE_BASE, "seamldr_ops.o")
    left = ((WRAPPER, ops, None), (MAKEFILE, built, with_objects(MAKEFILE_BASE, "seamldr_core.o"))) if deleted \
        else ((WRAPPER, ops, HEAD + OTHER), (MAKEFILE, built, with_objects(built, "seamldr_core.o")))
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                             ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
                        Step("x86/virt/seamldr: Add P-SEAMLDR query wrappers",
                             ((WRAPPER, None, ops), (MAKEFILE, MAKEFILE_BASE, built))),
                        Step("x86/virt/seamldr: Move the P-SEAMLDR wrappers to their own file",
                             ((CORE, None, HEAD + moved_query + "\n" + CALLER), *left))])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1)).verdicts
    return next((v.status, v.note + "".join(f"; {e.place}: {e.actual}" for e in v.evidence)) for v in got
                if v.rule.id == "move-preserves-behaviour")


@pytest.mark.parametrize("deleted", [False, True])
def test_a_found_wrapper_moved_with_its_caller_into_a_created_file_is_compared_there(tmp_path: Path,
                                                                                     deleted: bool) -> None:
    # Before: FAIL, 'seamldr_query() is gone from seamldr_ops.c: in v4:03 it is a static function of
    # seamldr_core.c:6, which seamldr_ops.c cannot call': found in seamldr_ops.c alone, it had no unit after the move.
    status, note = _move(tmp_path, deleted)
    assert status is VerdictStatus.PASS, (status, note)
    assert "seamldr_info, seamldr_query" in note and "ran on both sides" in note, note


def test_a_found_wrapper_changed_in_the_move_still_fails(tmp_path: Path) -> None:
    # The same move, the guard(preempt)() lost on the way: its runs in the new file differ from those in the old
    # (failed before too, on the caller's runs: kept so by comparing the moved helper).
    status, note = _move(tmp_path, False, QUERY.replace("\tguard(preempt)();\n", ""))
    assert status is VerdictStatus.FAIL and "preempt count at SEAMCALL" in note, (status, note)


@pytest.mark.parametrize("lost", [False, True])
def test_a_found_wrapper_moved_into_a_file_an_earlier_patch_created_is_compared_there(tmp_path: Path,
                                                                                      lost: bool) -> None:
    # As above, seamldr_core.c created by 02/3 with a function of its own and 03/3 moving the two into it. Before:
    # FAIL, 'seamldr_query() is gone from seamldr_ops.c' (unitpair paired only a file the change creates). With the
    # guard(preempt)() lost in the move it fails on what the runs show.
    moved = QUERY.replace("\tguard(preempt)();\n", "") if lost else QUERY
    core = HEAD + "int seamldr_core_init(void)\n{\n\treturn 0;\n}\n"
    ops = HEAD + QUERY + "\n" + CALLER + "\n" + OTHER
    built = with_objects(with_objects(MAKEFILE_BASE, "seamldr_ops.o"), "seamldr_core.o")
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                             ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
                        Step("x86/virt/seamldr: Add P-SEAMLDR query wrappers",
                             ((WRAPPER, None, ops), (CORE, None, core), (MAKEFILE, MAKEFILE_BASE, built))),
                        Step("x86/virt/seamldr: Move the P-SEAMLDR wrappers to their own file",
                             ((CORE, core, core + "\n" + moved + "\n" + CALLER), (WRAPPER, ops, HEAD + OTHER)))])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1)).verdicts
    status, note = next((v.status, v.note + "".join(f"; {e.place}: {e.actual}" for e in v.evidence)) for v in got
                        if v.rule.id == "move-preserves-behaviour")
    if lost:
        assert status is VerdictStatus.FAIL and "preempt count at SEAMCALL" in note, (status, note)
    else:
        assert status is VerdictStatus.PASS and "ran on both sides" in note, (status, note)

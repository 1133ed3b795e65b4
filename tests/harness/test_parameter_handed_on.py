"""A call through a function pointer parameter read as a call of each function handed.

A call through a function pointer parameter that callers give different functions, or hand on from a parameter of
their own (sc_retry_prerr(op, ...) calling sc_retry(op, ...)): read as a call of each function named (models.passedon,
harness.unreadcode), so a `before:patch` printer rule on a lone revision whose first patch moves the helpers into a
header of its own and rewrites sc_retry() is judged, not left inconclusive."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    PREPARE,
    RETRY_LOST,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

RULE = "reuse-seamcall-err"  # no new printer, against the state before 'Prepare ...'
MACRO = "#define seamcall(_fn, _args)\t\tsc_retry(__seamcall, (_fn), (_args))\n"


def _verdict(tmp_path: Path, moved: str) -> tuple[VerdictStatus, str]:
    """v4 alone: 01/3 moves the helpers from asm/tdx.h into a header it creates, as ``moved`` (sc_retry() now calling
    its op() itself: a changed function), 02/3 'Prepare ...' adds a comment, 03/3 the wrapper."""
    new = moved.replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    prep = new.replace("#define SEAMLDR_LEAF_BIT", "/* P-SEAMLDR leaves set bit 63 */\n#define SEAMLDR_LEAF_BIT")
    assert prep != new
    msgs = revision(4, [
        Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
             ((OLD_HOME, helpers(RETRY_SAFE), PREAMBLE + TAIL), (NEW_HOME, None, new))),
        Step(PREPARE, ((NEW_HOME, new, prep),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == RULE)
    return found.status, found.note


def test_a_parameter_handed_on_from_callers_naming_seamcalls_is_read(tmp_path: Path) -> None:
    # sc_retry()'s op() is __seamcall or __seamcall_ret (the macros), or sc_retry_prerr()'s op, which its own macros
    # give __seamcall: no printer. Before: inconclusive ('calls op(), its parameter: what its callers pass is not
    # followed'), v4 01/3 unjudged.
    status, note = _verdict(tmp_path, helpers(RETRY_LOST))
    assert status is VerdictStatus.PASS, note


LOUD = ("static u64 sc_loud(u64 fn, struct tdx_module_args *args)\n{\n\tpr_err(\"SEAMCALL %llu\\n\", fn);\n"
        "\treturn __seamcall(fn, args);\n}\n\n")


@pytest.mark.parametrize(("moved", "said"), [
    # a caller gives sc_retry() a printer of the new header's: a printer the existing seamcall() now reaches
    (helpers(RETRY_LOST).replace(MACRO, LOUD + MACRO.replace("__seamcall,", "sc_loud,")), "sc_loud"),
    # a caller gives sc_retry_prerr() the printer, which hands it on to sc_retry()
    (helpers(RETRY_LOST).replace(MACRO, LOUD + MACRO).replace(
        "#define seamcall_prerr(_fn, _args)\tsc_retry_prerr(__seamcall,", "#define seamcall_prerr(_fn, _args)\t"
        "sc_retry_prerr(sc_loud,"), "sc_loud"),
    # a caller gives it a pointer variable: what it holds when called is not followed
    (helpers(RETRY_LOST).replace(MACRO, "static sc_func_t sc_hook = __seamcall;\n" + MACRO.replace(
        "__seamcall,", "sc_hook,")), "what its callers pass is not followed"),
    # sc_retry_prerr() hands on its op after assigning it: no longer what it was given
    (helpers(RETRY_LOST).replace("\tu64 err = sc_retry(op, fn, args);", "\tif (!op)\n\t\top = __seamcall_ret;\n"
                                 "\tu64 err = sc_retry(op, fn, args);"), "what its callers pass is not followed"),
    # a caller gives it a function whose body no line read holds: it may print
    (helpers(RETRY_LOST).replace(MACRO, "u64 sc_far(u64 fn, struct tdx_module_args *args);\n" + MACRO.replace(
        "__seamcall,", "sc_far,")), "sc_far()"),
], ids=["a printer", "a printer handed on", "a pointer variable", "assigned before handed on", "a function not read"])
def test_a_parameter_given_what_may_print_or_is_not_followed_is_never_passed(tmp_path: Path, moved: str,
                                                                            said: str) -> None:
    # Near misses: each gives sc_retry()'s op() something that prints, or that cannot be told: never a pass.
    assert moved != helpers(RETRY_LOST)
    status, note = _verdict(tmp_path, moved)
    assert status is not VerdictStatus.PASS, note
    assert said in note, note

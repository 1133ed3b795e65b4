"""A new entry point whose unit does not build it says so beside 'is new'.

A patch that adds an entry point whose unit does not build it (an #include forgotten) says so beside "is new",
rather than "seamldr_shutdown() is new: this patch defines it" alone over runs that never happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.harness.seriesgen import BUILD_WRAPPER, NEW_HOME, RETRY_SAFE, WRAPPER, Step, helpers, revision
from tests.mailgen import write_mbox

SHUTDOWN_C = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt
{include}
int seamldr_shutdown(void)
{{
\tstruct tdx_module_args args = {{}};

\treturn seamldr_prerr(0x8000000000000002ULL, &args);
}}
"""


@pytest.mark.parametrize("include", ['#include "seamcall_internal.h"\n', ""])
def test_a_new_entry_point_that_does_not_build_says_so(tmp_path: Path, include: str) -> None:
    base = helpers(RETRY_SAFE)
    msgs = revision(1, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Add a P-SEAMLDR shutdown call",
                             ((WRAPPER, None, SHUTDOWN_C.format(include=include)), BUILD_WRAPPER))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v1.mbox", msgs),), jobs=1))
    (added,) = [c for c in ev.comparison.per_patch if c.b == "v1:02"]
    text = " ".join(" ".join(added.summary(limit=50)).split())
    assert "seamldr_shutdown() is new: this patch defines it" in text, text
    if include:
        assert "does not build" not in text, text
    else:
        assert ("seamldr_shutdown() is new: this patch defines it, and its runs end in error: "
                f"{WRAPPER} does not build seamldr_shutdown(): ") in text, text
        assert f"are defined in {NEW_HOME}, which {WRAPPER} does not include" in text, text


CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
WRAP = Step("x86/virt/tdx: Add a P-SEAMLDR shutdown call",
            ((WRAPPER, None, SHUTDOWN_C.format(include='#include "seamcall_internal.h"\n')), BUILD_WRAPPER))
SEAMCALL_RET = "#define seamcall_ret(_fn, _args)\tsc_retry(__seamcall_ret, (_fn), (_args))\n"


@pytest.mark.parametrize(("later", "fact"), [
    # v5 without seamcall_ret(): its 66 runs in v4 were "not compared" under "no behaviour change".
    ([CREATE, Step("x86/virt/tdx: Remove seamcall_ret()",
                   ((NEW_HOME, helpers(RETRY_SAFE), helpers(RETRY_SAFE).replace(SEAMCALL_RET, "")),))],
     "seamcall_ret() is gone: v5 does not define it (v4 does)"),
    ([CREATE, WRAP], "seamldr_shutdown() is new: v5 defines it, v4 does not"),
])
def test_a_revision_dropping_or_adding_an_entry_point_says_so(tmp_path: Path, later: list[Step], fact: str) -> None:
    msgs = revision(4, [CREATE]) + revision(5, later)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v.mbox", msgs),), jobs=1, time_budget=0))
    (across,) = [c for c in ev.comparison.across if (c.a, c.b) == ("v4", "v5")]
    text = " ".join(" ".join(across.summary(limit=50)).split())
    assert across.changed and fact in text, text
    assert "no behaviour change" not in text, text


def test_an_entry_point_a_revision_may_have_in_lines_no_hunk_shows_is_not_called_gone(tmp_path: Path) -> None:
    """v5 removes seamcall_ret() from a file the mails show only in hunks: another definition may lie in lines no
    hunk shows, so its absence is no fact (a tree tells)."""
    old = helpers(RETRY_SAFE)
    noted = old.replace(SEAMCALL_RET, SEAMCALL_RET.replace("\n", " /* with the registers */\n"))
    msgs = revision(4, [Step("x86/virt/tdx: Note seamcall_ret()", ((NEW_HOME, old, noted),))]) \
        + revision(5, [Step("x86/virt/tdx: Remove seamcall_ret()", ((NEW_HOME, old, old.replace(SEAMCALL_RET, "")),))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v.mbox", msgs),), jobs=1, time_budget=0))
    (across,) = [c for c in ev.comparison.across if (c.a, c.b) == ("v4", "v5")]
    text = " ".join(" ".join(across.summary(limit=50)).split())
    assert "not compared: seamcall_ret (70 scenarios)" in text and "give --tree" in text, text
    assert "is gone" not in text, text


def test_a_prefix_state_against_a_revision_keeps_the_later_patch_that_adds_an_entry_point(tmp_path: Path) -> None:
    """--against v4 of v5:01: v5:01 lacks seamldr_shutdown() for now, v5 02/2 adding it: said so, not "gone"."""
    msgs = revision(4, [CREATE, WRAP]) + revision(5, [CREATE, WRAP])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v.mbox", msgs),), variants=("v4", "v5:01"), against="v4",
                              jobs=1, time_budget=0))
    (against,) = [c for c in ev.comparison.across if (c.a, c.b) == ("v4", "v5:01")]
    text = " ".join(" ".join(against.summary(limit=50)).split())
    assert "is gone" not in text and "v5 02/2 adds it later" in text, text

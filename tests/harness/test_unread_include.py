"""From mail alone, a C file the series creates whole that includes a header of the tree the mail lacks.

``#include "tdx.h"`` next to a new ``seamldr.c`` (or ``<asm/tdx.h>``): that header may define anything
(``seamcall()`` and the retry loop, in the tree this was found with). A name the mail's code does not define is then
unknown there, not absent: the rule selecting ``seamcall`` passed on the new wrapper alone, 'v10 does not define
seamcall() ... (every C file it touches is known whole: the name is not in this code)', while with --tree seamcall()
ran and failed it.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, Step, revision, with_objects
from tests.mailgen import write_mbox

LOADER = "arch/x86/virt/vmx/tdx/seamldr.c"

# Our own P-SEAMLDR query: its own retry loop (one call too many), and an include of a header the mail lacks.
WRAPPER = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr: " fmt

#include {header}

int seamldr_query(u64 fn, struct tdx_module_args *args)
{{
	int left = RDRAND_RETRY_LOOPS;
	u64 ret;

again:
	ret = __seamcall(fn, args);
	if (ret == {busy} && left--)
		goto again;

	return ret ? -EIO : 0;
}}
"""

HEADER = "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef SH_LOCAL_H\n#define SH_LOCAL_H\n#endif\n"

RULES = """\
[[rule]]
id = "eleven-calls"
reviewer = "seamharness"
summary = "every SEAMCALL path makes eleven calls on a busy module"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = ["seamcall", "seamldr_query"], script = "tdx-no-entropy-x11", leaf = ["TDH_SYS_INIT"] }
expect = { calls = 11 }
"""


# How the wrapper includes its header, and where a patch of the series creates it when the mail holds it.
QUOTED = ('"seamldr_local.h"', "arch/x86/virt/vmx/tdx/seamldr_local.h")
ANGLED = ("<asm/seamldr_local.h>", "arch/x86/include/asm/seamldr_local.h")


def _series(with_header: bool, include: tuple[str, str] = QUOTED, busy: str = "TDX_RND_NO_ENTROPY"
            ) -> list[EmailMessage]:
    """v10: the wrapper in a new file (its Makefile line too), retrying on ``busy``; ``with_header``: the header it
    includes is created by the same patch (so the mail holds it), else it is a tree's header the mail lacks."""
    changes = ((LOADER, None, WRAPPER.format(header=include[0], busy=busy)),
               (MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "seamldr.o")))
    if with_header:
        changes += ((include[1], None, HEADER),)
    return revision(10, [Step("x86/virt/tdx: Add a P-SEAMLDR query", changes)])


def _gate(tmp_path: Path, with_header: bool, include: tuple[str, str] = QUOTED) -> tuple[VerdictStatus, str]:
    mbox = write_mbox(tmp_path / "s.mbox", _series(with_header, include))
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    (verdict,) = evaluate_gate(GateRequest((mbox,), "v10", rules=rules, jobs=1, time_budget=0)).verdicts
    return verdict.status, verdict.note


@pytest.mark.parametrize("include", [QUOTED, ANGLED], ids=["quoted", "angled"])
def test_a_name_an_unread_header_may_define_is_not_absent(tmp_path: Path, include: tuple[str, str]) -> None:
    # "tdx.h" next to the file, or <asm/...> (mainline's <asm/tdx.h> held the SEAMCALL helpers): not in the mail.
    status, note = _gate(tmp_path, False, include)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "v10 does not define seamcall(): none of the files read has it (from mail: only the files the patches " \
        "change); give --tree" in note
    assert "the name is not in this code" not in note


@pytest.mark.parametrize("include", [QUOTED, ANGLED], ids=["quoted", "angled"])
def test_a_header_the_mail_holds_leaves_the_absence_known(tmp_path: Path, include: tuple[str, str]) -> None:
    # The same wrapper including a header the same patch creates: every file it reads is in the mail, and seamcall()
    # is absent from that code by design; the rule rests on the wrapper's run.
    status, note = _gate(tmp_path, True, include)
    assert status is VerdictStatus.PASS, note


def test_eval_says_a_tree_would_help(tmp_path: Path) -> None:
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", _series(False)),), jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.label.startswith("v10 01/1")]
    reasons = " ".join(g.reason for g in cmp.gaps)
    assert "seamcall()" in reasons and "give --tree" in reasons
    assert "known whole" not in reasons


def test_a_constant_no_line_of_the_mail_defines_is_a_gap_in_the_mail(tmp_path: Path) -> None:
    # The wrapper's retry code comes from the header the mail lacks: the mirror stops at the unknown name, and the
    # reason puts the gap in the mail ('give --tree'), not in the C the mirror models ("the mirror cannot run").
    mbox = write_mbox(tmp_path / "s.mbox", _series(False, busy="SH_BUSY_CODE"))
    ev = evaluate(EvalRequest((mbox,), jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.label.startswith("v10 01/1")]
    (reason,) = [g.reason for g in cmp.gaps if "seamldr_query" in g.entries]
    assert "unknown identifier 'SH_BUSY_CODE', which no line the mail shows defines; give --tree" in reason, reason
    assert "the mirror cannot run" not in reason

"""Helpers renamed together in one patch that resemble each other's new names: each paired with its own successor.

``sc_retry()`` and ``sc_retry_prerr()`` take the same parameters and call the same SEAMCALL, so each is at least 50%
like the other's new name too. A patch renaming both to ``seamcall_retry()`` and ``seamcall_retry_prerr()`` read
as two candidates for each: the rename was no code move and a rule on ``sc_retry`` was inconclusive (found with a
git format-patch series of a small tree of our own).
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from harness.findings import FindingKind
from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.renames import find_renames
from harness.verdict import VerdictStatus
from models.loader import Source, definitions
from tests.harness.seriesgen import NEW_HOME, Step, revision
from tests.mailgen import write_mbox

# Our own helper header: a short retry loop and a printing wrapper of it, alike in their parameters and calls.
HEADER = """\
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SH_TOGETHER_H
#define SH_TOGETHER_H

typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);

static __always_inline u64 sc_retry(sc_func_t func, u64 fn, struct tdx_module_args *args)
{
	int retry = RDRAND_RETRY_LOOPS;
	u64 ret;

	do {
		preempt_disable();
		ret = func(fn, args);
		preempt_enable();
	} while (ret == TDX_RND_NO_ENTROPY && --retry);

	return ret;
}

static __always_inline int sc_retry_prerr(sc_func_t func, u64 fn, struct tdx_module_args *args)
{
	u64 ret = sc_retry(func, fn, args);

	if (ret == TDX_SUCCESS)
		return 0;

	pr_err("SEAMCALL (%llu) failed: 0x%016llx\\n", fn, ret);
	return -EIO;
}

#define seamcall(_fn, _args)		sc_retry(__seamcall, (_fn), (_args))
#define seamcall_prerr(_fn, _args)	sc_retry_prerr(__seamcall, (_fn), (_args))

#endif
"""

RENAMED = HEADER.replace("sc_retry_prerr(", "seamcall_retry_prerr(").replace("sc_retry(", "seamcall_retry(")

RULES = """\
[[rule]]
id = "no-unlikely-in-retry"
reviewer = "seamharness"
summary = "sc_retry() gets no likely()/unlikely()"
severity = "error"
[rule.check]
kind = "source"
function = "sc_retry"
no_new_calls = ["likely", "unlikely"]
reference = "before:2"
"""


def _series() -> list[EmailMessage]:
    return revision(4, [Step("x86/virt/tdx: Add a SEAMCALL helper header", ((NEW_HOME, None, HEADER),)),
                        Step("x86/virt/tdx: Rename the SEAMCALL retry helpers", ((NEW_HOME, HEADER, RENAMED),))])


def _table(text: str) -> dict:  # type: ignore[type-arg]
    return definitions((Source("a.h", ((1, tuple(text.splitlines())),), True),))


def test_two_helpers_renamed_together_are_each_followed() -> None:
    found = find_renames(_table(HEADER), _table(RENAMED), "in v4 02/2")
    assert [(r.old, r.new, r.similarity) for r in found.found] == [
        ("sc_retry", "seamcall_retry", 100), ("sc_retry_prerr", "seamcall_retry_prerr", 100)]
    assert not found.undecided


def test_a_spare_look_alike_still_leaves_two_candidates() -> None:
    # A third new helper like sc_retry(), which no old name takes: sc_retry() has two candidates, not followed.
    spare = RENAMED.replace("#define seamcall(", HEADER[HEADER.index("static __always_inline u64 sc_retry("):
                                                     HEADER.index("static __always_inline int")]
                            .replace("sc_retry(", "sc_retry_once(").replace("RDRAND_RETRY_LOOPS", "1")
                            + "#define seamcall(")
    found = find_renames(_table(HEADER), _table(spare), "in v4 02/2")
    assert "sc_retry" in [u.old for u in found.undecided]
    assert "sc_retry" not in [r.old for r in found.found]


def test_the_rename_is_a_code_move_and_a_rule_follows_it(tmp_path: Path) -> None:
    mbox = write_mbox(tmp_path / "s.mbox", _series())
    ev = evaluate(EvalRequest((mbox,), jobs=1, time_budget=0))
    moves = [f.text for f in ev.comparison.findings if f.kind is FindingKind.CODE_MOVE]
    assert moves and moves[0].startswith("renames sc_retry -> seamcall_retry (body 100% the same), sc_retry_prerr "
                                         "-> seamcall_retry_prerr (body 100% the same)")
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    g = evaluate_gate(GateRequest((mbox,), "v4", rules=rules, jobs=1, time_budget=0))
    (verdict,) = g.verdicts
    assert verdict.status is VerdictStatus.PASS, verdict.note
    assert verdict.note.startswith("followed sc_retry -> seamcall_retry, renamed in v4 02/2, body 100% the same")

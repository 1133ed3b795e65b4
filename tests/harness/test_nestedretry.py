"""A retry loop around a call that itself retries (harness.nestedretry).

A retry loop around a call that itself retries (harness.nestedretry): a bound on the SEAMCALLs the scripts meet
one loop at a time is not shown for answers that make both go round."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import BUILD_WRAPPER, NEW_HOME, RETRY_SAFE, WRAPPER, Step, helpers, revision
from tests.mailgen import write_mbox

SENDER = "Ann Author <ann@example.org>"
# A P-SEAMLDR wrapper that goes round sc_retry(), which goes round the SEAMCALL: a module answering the TDX
# module's "no entropy" nine times, then the P-SEAMLDR's, over and over, gets 10 x 10 SEAMCALLs.
NESTED = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt

#include "seamcall_internal.h"

#define SEAMLDR_RND_NO_ENTROPY	0x8000000000030001ULL

static u64 seamldr_keep_trying(u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		err = sc_retry(__seamcall, fn, args);
	} while (err == SEAMLDR_RND_NO_ENTROPY && --left);
	return err;
}
"""
# The same wrapper trying once: no loop around the loop.
ONCE = NESTED.replace("\tdo {\n\t\terr = sc_retry(__seamcall, fn, args);\n\t} while (err == SEAMLDR_RND_NO_ENTROPY && "
                      "--left);\n", "\terr = sc_retry(__seamcall, fn, args);\n\t(void)left;\n")
RULE = """\
[[rule]]
id = "seamldr-bounded"
reviewer = "Ann Author"
summary = "a P-SEAMLDR call makes at most RDRAND_RETRY_LOOPS SEAMCALLs"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "seamldr_keep_trying", leaf = ["SEAMLDR_INFO", "SEAMLDR_INSTALL"] }
expect = { calls_at_most = 10 }
"""


def _judge(tmp_path: Path, wrapper: str) -> tuple[VerdictStatus, str]:
    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
             Step("x86/virt/tdx: Add a P-SEAMLDR wrapper", ((WRAPPER, None, wrapper), BUILD_WRAPPER))]
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, steps, sender=SENDER, cover="demo: a P-SEAMLDR wrapper"))
    (tmp_path / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v1", rules=tmp_path / "rules.toml", jobs=1, time_budget=0))
    (v,) = [v for v in g.verdicts if v.rule.id == "seamldr-bounded"]
    return v.status, v.note


def test_a_bound_over_a_retry_loop_around_a_retry_loop_is_not_shown(tmp_path: Path) -> None:
    # Every script answers one "no entropy" code: at most 10 SEAMCALLs in every run, and the rule PASSED, though
    # answers that make both loops go round give 100 (gcc agrees: the C run natively with such answers).
    status, note = _judge(tmp_path, NESTED)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "seamldr_keep_trying() (arch/x86/virt/vmx/tdx/seamldr_ops.c:8) goes round a call that reaches another " \
        "retry loop, sc_retry() (arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note, note
    assert "answers that make both go round multiply the SEAMCALLs" in note, note


def test_one_retry_loop_keeps_its_pass(tmp_path: Path) -> None:
    status, note = _judge(tmp_path, ONCE)
    assert status is VerdictStatus.PASS, note


_BOTH = """\
#define SEAMLDR_RND_NO_ENTROPY	0x8000000000030001ULL

static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		err = op(fn, args);
	} while ((err == TDX_RND_NO_ENTROPY || err == SEAMLDR_RND_NO_ENTROPY) && --left);
	return err;
}
"""
# The same codes retried by a loop on one around a loop on the other: answers 'TDX no entropy' x 9, the P-SEAMLDR's,
# then success make 10 SEAMCALLs returning the P-SEAMLDR's code before, 11 returning success after (gcc, natively).
_SPLIT = """\
#define SEAMLDR_RND_NO_ENTROPY	0x8000000000030001ULL

static __always_inline u64 sc_retry_code(sc_func_t op, u64 fn, struct tdx_module_args *args, u64 code)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		err = op(fn, args);
	} while (err == code && --left);
	return err;
}

static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		err = sc_retry_code(op, fn, args, TDX_RND_NO_ENTROPY);
	} while (err == SEAMLDR_RND_NO_ENTROPY && --left);
	return err;
}
"""


def test_a_patch_nesting_a_retry_loop_in_another_is_not_said_to_keep_behaviour(tmp_path: Path) -> None:
    # Every script answers one "no entropy" code: each run makes as many SEAMCALLs and returns alike on both sides,
    # every line ran and every test came out both ways, and eval said "no behaviour change".
    from harness.pipeline import EvalRequest, evaluate

    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(_BOTH)),)),
             Step("x86/virt/tdx: Split sc_retry() by retry code", ((NEW_HOME, helpers(_BOTH), helpers(_SPLIT)),))]
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, steps, sender=SENDER, cover="demo: split the retry"))
    ev = evaluate(EvalRequest((mbox,), jobs=1, time_budget=0, cache=None))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v1:02"]
    assert not cmp.changed and cmp.compared, cmp.verdict()
    assert cmp.verdict().endswith("but the patch changes a retry loop nested in another that none of them tells "
                                  "apart"), cmp.verdict()
    (note,) = cmp.undecided
    assert note.startswith("a retry loop around another in v1:02: sc_retry() (arch/x86/virt/vmx/tdx/"
                           "seamcall_internal.h:") and "reaches the retry loop of sc_retry_code() (" in note, note


def test_an_equivalence_rule_over_a_nest_the_patch_made_is_not_passed(tmp_path: Path) -> None:
    # The same split judged by 'the patch keeps behaviour': it PASSED on runs that agree.
    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(_BOTH)),)),
             Step("x86/virt/tdx: Split sc_retry() by retry code", ((NEW_HOME, helpers(_BOTH), helpers(_SPLIT)),))]
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, steps, sender=SENDER, cover="demo: split the retry"))
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nid = "split-keeps"\nreviewer = "Ann Author"\nsummary = "the split keeps behaviour"\n'
        'severity = "error"\npatch = "Split sc_retry() by retry code"\n[rule.check]\nkind = "equivalence"\n'
        'reference = "before:patch"\n')
    g = evaluate_gate(GateRequest((mbox,), "v1", rules=tmp_path / "rules.toml", jobs=1, time_budget=0))
    (v,) = g.verdicts
    assert v.status is VerdictStatus.INCONCLUSIVE and "a retry loop around another in v1: sc_retry() (" in v.note, \
        (v.status, v.note)


# The P-SEAMLDR's retry by recursion around sc_retry()'s loop: the same nest, no while, for or goto.
RECURSIVE = NESTED.replace("""static u64 seamldr_keep_trying(u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		err = sc_retry(__seamcall, fn, args);
	} while (err == SEAMLDR_RND_NO_ENTROPY && --left);
	return err;
}
""", """static u64 seamldr_try(u64 fn, struct tdx_module_args *args, int left)
{
	u64 err = sc_retry(__seamcall, fn, args);

	if (err == SEAMLDR_RND_NO_ENTROPY && left > 1)
		return seamldr_try(fn, args, left - 1);
	return err;
}

static u64 seamldr_keep_trying(u64 fn, struct tdx_module_args *args)
{
	return seamldr_try(fn, args, RDRAND_RETRY_LOOPS);
}
""")


def test_a_retry_by_recursion_around_a_retry_loop_is_a_nest(tmp_path: Path) -> None:
    # It PASSED 'calls_at_most = 10' (gate exit 0): a matrix script answering 'TDX no entropy' x 9, the P-SEAMLDR's,
    # twice, then success gives 21 SEAMCALLs (crosscheck: every outcome agrees with gcc; the rule then fails).
    assert RECURSIVE != NESTED
    status, note = _judge(tmp_path, RECURSIVE)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "seamldr_try() (arch/x86/virt/vmx/tdx/seamldr_ops.c:8) goes round a call that reaches another retry loop, " \
        "sc_retry() (" in note, note

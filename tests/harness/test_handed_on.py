"""sc_retry()'s loop moved into a helper it hands its call on to, compared with the old loop.

sc_retry()'s loop moved into a new helper that sc_retry() hands its call on to, with constants for the helper's other
parameters (models.handedon): the equivalence rules compare the helper's decisions and values with the old loop's."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, TAIL, preparing_series
from tests.mailgen import write_mbox

PASS, FAIL, INCONCLUSIVE = VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.INCONCLUSIVE
RULES = ("nak-no-kernel-change", "tdx-module-calls-unchanged")  # the bundled rules: behaviour as before 'Prepare'

# The loop of seriesgen.RETRY_SAFE in sc_retry_loop(), given the code it retries on (and the count of tries).
HELPER = """\
static __always_inline u64 sc_mark_dirty(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	lockdep_assert_preemption_disabled();
	this_cpu_write(cache_state_incoherent, true);
	return op(fn, args);
}

static __always_inline u64 sc_retry_loop(sc_func_t op, u64 fn, struct tdx_module_args *args, u64 busy)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	for (;;) {
		preempt_disable();
		err = sc_mark_dirty(op, fn, args);
		preempt_enable();
		if (err != busy || !--left)
			break;
	}
	return err;
}

static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	return sc_retry_loop(op, fn, args, TDX_RND_NO_ENTROPY);
}
"""
COUNTED = HELPER.replace("u64 busy)\n{\n\tint left = RDRAND_RETRY_LOOPS;\n", "u64 busy, int left)\n{\n").replace(
    "TDX_RND_NO_ENTROPY);", "TDX_RND_NO_ENTROPY, RDRAND_RETRY_LOOPS);")
RETURNED = "\t}\n\treturn err;\n}\n\nstatic __always_inline u64 sc_retry("

CASES = {
    # The same behaviour: INCONCLUSIVE before ('a condition of sc_retry() changed, ... -> none in v2').
    "given-the-code": (HELPER, PASS),
    "given-the-code-and-the-count": (COUNTED, PASS),
    # The twins, each changing behaviour: never a pass.
    "given-another-code": (HELPER.replace("TDX_RND_NO_ENTROPY);", "TDX_RND_NO_ENTROPY | 1);"), FAIL),
    "the-code-narrowed-by-its-parameter": (HELPER.replace("u64 busy)", "u32 busy)"), FAIL),
    "given-another-count": (COUNTED.replace("RDRAND_RETRY_LOOPS);", "RDRAND_RETRY_LOOPS + 6);"), FAIL),
    "testing-a-bit-the-answers-lack": (HELPER.replace("if (err != busy ", "if ((err | 0x10) != (busy | 0x10) "),
                                       FAIL),
    # A value of the helper, not a condition: with the decisions paired alone (and not the values) a false PASS.
    "a-bit-of-the-answer-cleared": (HELPER.replace(RETURNED, RETURNED.replace("err;", "err & ~BIT_ULL(37);", 1)),
                                    FAIL),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_loop_handed_on_to_a_helper_is_compared_there(tmp_path: Path, name: str) -> None:
    helper, want = CASES[name]
    assert helper != HELPER or name == "given-the-code"
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + helper + "\n" + PRINTERS + TAIL))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    for rule in RULES:
        assert got[rule][0] is want, (rule, got[rule])

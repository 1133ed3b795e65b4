"""no_retry on loops whose retry waits on something no run met: each test must go both ways.

The "no entropy is not retried" rule (no_retry) on retry loops whose retry of the P-SEAMLDR's answer waits on
something no run met: a pass needs each test of the loop's function to have come out both ways in some run."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

RULE = "seamldr-no-entropy-not-retried"
TEST = "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n"
HEAD = "static __always_inline u64 sc_retry("


def _verdict(tmp_path: Path, retry: str) -> tuple[VerdictStatus, str]:
    assert retry != RETRY_SAFE
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, helpers(retry)),))])
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2",
                                                             jobs=1)).verdicts}
    return found[RULE].status, found[RULE].note


@pytest.mark.parametrize(("decls", "test"), [
    # A module parameter no run sets: the P-SEAMLDR's "no entropy" is retried once an administrator sets it.
    ("static bool sc_retry_ldr;\nmodule_param(sc_retry_ldr, bool, 0644);\n\n",
     "\t\tif ((err == TDX_RND_NO_ENTROPY || (sc_retry_ldr && err == 0x8000000000030001ULL)) && --left)\n"
     "\t\t\tcontinue;\n\t\tbreak;\n"),
    # A count of earlier answers no run reaches.
    ("static unsigned long sc_ldr_busy;\n\n",
     "\t\tif (err == 0x8000000000030001ULL && ++sc_ldr_busy > 100 && --left)\n\t\t\tcontinue;\n" + TEST),
    # The same flag in a helper the loop asks (no loop of its own).
    ("static bool sc_retry_ldr;\n\nstatic bool sc_again(u64 err)\n{\n\treturn err == TDX_RND_NO_ENTROPY || "
     "(sc_retry_ldr && err == 0x8000000000030001ULL);\n}\n\n",
     "\t\tif (!sc_again(err) || !--left)\n\t\t\tbreak;\n"),
], ids=["module parameter", "count", "in a helper"])
def test_a_retry_under_a_test_no_run_took_both_ways_is_not_passed(tmp_path: Path, decls: str, test: str) -> None:
    # Before: a pass, no run having retried: the line that would was never reached.
    assert TEST in RETRY_SAFE
    status, note = _verdict(tmp_path, RETRY_SAFE.replace(TEST, test).replace(HEAD, decls + HEAD))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert f"() at {NEW_HOME}:" in note and "always came out false" in note, note


def test_a_loop_whose_tests_all_ran_both_ways_passes(tmp_path: Path) -> None:
    # The same loop with its SEAMCALL in a do-while(0) macro: 'while (0)' is false for every leaf (models.leafbits),
    # the loop's own test came out both ways (TDX-module leaves retried, P-SEAMLDR ones not).
    call = "\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"
    macro = ("#define SC_CALL_QUIET(e) do { preempt_disable(); e = sc_mark_dirty(op, fn, args); preempt_enable(); } "
             "while (0)\n")
    status, note = _verdict(tmp_path, RETRY_SAFE.replace(call, macro + "\t\tSC_CALL_QUIET(err);\n"))
    assert status is VerdictStatus.PASS, (status, note)


def test_a_test_before_the_retry_loop_decides_no_retry(tmp_path: Path) -> None:
    # A WARN_ON_ONCE() of the arguments no run fires, above the loop: it returns, it does not retry.
    decl = "\tint left = RDRAND_RETRY_LOOPS;\n\tu64 err;\n"
    assert decl in RETRY_SAFE
    guarded = RETRY_SAFE.replace(decl, decl + "\n\tif (WARN_ON_ONCE(!args))\n\t\treturn 0;\n")
    status, note = _verdict(tmp_path, guarded)
    assert status is VerdictStatus.PASS, (status, note)


CALL = "\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"


@pytest.mark.parametrize(("decls", "guard", "status"), [
    # scoped_guard(preempt) always enters (cleanup.h: a DEFINE_LOCK_GUARD_0 class cannot fail): no test of the
    # loop's function stays untaken. It was inconclusive: 'scoped_guard(preempt)' always came out true.
    ("", "scoped_guard(preempt)", VerdictStatus.PASS),
    # A _try class may not acquire: whether it enters is a test no run took both ways.
    ("static DEFINE_RAW_SPINLOCK(sc_lock);\n\n", "scoped_guard(raw_spinlock_try, &sc_lock)",
     VerdictStatus.INCONCLUSIVE),
], ids=["preempt", "try"])
def test_a_scoped_guard_that_cannot_fail_is_no_untaken_test(tmp_path: Path, decls: str, guard: str,
                                                             status: VerdictStatus) -> None:
    assert CALL in RETRY_SAFE
    scoped = RETRY_SAFE.replace(CALL, f"\t\t{guard}\n\t\t\terr = sc_mark_dirty(op, fn, args);\n")
    got, note = _verdict(tmp_path, scoped.replace(HEAD, decls + HEAD))
    assert got is status, (got, note)
    assert ("always came out true" in note) is (status is VerdictStatus.INCONCLUSIVE), note



def _wrapped(tmp_path: Path, body: str, top: str = "") -> tuple[VerdictStatus, str]:
    """The rule on v2 whose wrapper (a new .c file, built) runs ``body`` before its P-SEAMLDR call, with ``top``
    above it."""
    head = "static int seamldr_query("
    wrapper = WRAPPER_C.replace("\tguard(preempt)();\n", body).replace(head, top + head)
    assert body not in WRAPPER_C and head in WRAPPER_C
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, wrapper), BUILD_WRAPPER))])
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2",
                                                             jobs=1)).verdicts}
    return found[RULE].status, found[RULE].note


_IS_LOADER = "static inline bool sc_is_loader(u64 leaf)\n{\n\treturn leaf & BIT_ULL(63);\n}\n\n"


@pytest.mark.parametrize(("guard", "top"), [
    ("\tif (!(fn >> 63))\n\t\treturn -EINVAL;\n", ""),
    ("\tif (!sc_is_loader(fn))\n\t\treturn -EINVAL;\n", _IS_LOADER),
], ids=["shift", "helper"])
def test_a_wrapper_refusing_tdx_module_leaves_is_judged_on_the_loaders(tmp_path: Path, guard: str, top: str) -> None:
    # The rule judges P-SEAMLDR leaves, all of which set bit 63 (models.leafbits): the refusal cannot come out true
    # for them, and the one way it came out showed all it decides for them. Before: inconclusive, 'a test of the
    # leaf in seamldr_query() ... always came out false', for a wrapper as a next revision writes it.
    status, note = _wrapped(tmp_path, guard, top)
    assert status is VerdictStatus.PASS, (status, note)


def test_a_wrapper_retrying_loaders_of_a_bit_no_run_has_stays_unjudged(tmp_path: Path) -> None:
    # Bit 62 is the ABI's for neither component: a P-SEAMLDR leaf may set it (none of the matrix's does), and then
    # its "no entropy" is retried. Only bit 63 decides for a whole component.
    retry = ("\tif (fn & BIT_ULL(62)) {\n\t\tint ret, left = 3;\n\n\t\tdo {\n\t\t\tret = seamldr_prerr(fn, args);\n"
             "\t\t} while (ret == -EIO && --left);\n\t\treturn ret;\n\t}\n")
    status, note = _wrapped(tmp_path, retry)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "seamldr_query() at arch/x86/virt/vmx/tdx/seamldr_ops.c:" in note and "always came out false" in note, note


_STRAIGHT = """\
static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	u64 err;

	preempt_disable();
	err = sc_mark_dirty(op, fn, args);
	if (err == 0x8000000000030001ULL && sc_retry_ldr)
		err = sc_mark_dirty(op, fn, args);
	preempt_enable();
	return err;
}
"""


def test_a_second_seamcall_under_a_test_no_run_took_both_ways_is_not_passed(tmp_path: Path) -> None:
    # No loop: the P-SEAMLDR's "no entropy" answered by one more SEAMCALL, once a flag no run sets is set. The rule
    # passed, no run having issued the second call (only loops' tests were held to have run both ways).
    head = RETRY_SAFE.index(HEAD)
    straight = RETRY_SAFE[:head] + "static bool sc_retry_ldr;\n\n" + _STRAIGHT
    status, note = _verdict(tmp_path, straight)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert f"a test in sc_retry() at {NEW_HOME}:" in note and "always came out false" in note, note
    # In a caller too: the wrapper asks the loader again, after a failure, while a flag no run sets is set.
    status, note = _wrapped(tmp_path, "\tif (seamldr_again && seamldr_prerr(fn, args))\n\t\tpr_info(\"again\\n\");\n",
                            "static bool seamldr_again;\n\n")
    assert status is VerdictStatus.INCONCLUSIVE and "a test in seamldr_query() at " in note, (status, note)


def test_one_operand_that_ran_one_way_is_said_to_be_part_of_the_test(tmp_path: Path) -> None:
    # A bound of 100 no script uses up: 'err != NO_ENTROPY || !--left' came out both ways, its '!--left' never true.
    # Before: "a test in sc_retry() at FILE:LINE ('if (err != ... || !--left)') always came out false", read as the
    # whole condition (the loop never left), which came out both ways. Read from a table by the leaf: a constant 100
    # is run at its bound (harness.retrycounts), a table's is not.
    retry = "static const int sc_tries[2] = { 100, 100 };\n\n" + RETRY_SAFE.replace(
        "int left = RDRAND_RETRY_LOOPS;", "int left = sc_tries[fn >> 63];")
    status, note = _verdict(tmp_path, retry)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert f"a part of the test in sc_retry() at {NEW_HOME}:" in note and "') always came out false" in note, note

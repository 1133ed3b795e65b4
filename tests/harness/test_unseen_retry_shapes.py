"""Retry loops of shapes no revision used yet, judged by the gate on code that ran.

Retry loops of shapes no revision so far used, judged by the gate on code that ran: the status bits compared under
a mask, a head-tested counted loop, the codes retried kept in a const table; each with the bugs a next revision may
bring (every error retried, the P-SEAMLDR's "no entropy" retried, a bound one off)."""

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

PASS, FAIL, UNSURE = VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.INCONCLUSIVE
NO_RETRY, UNCHANGED, NAK = "seamldr-no-entropy-not-retried", "tdx-module-calls-unchanged", "nak-no-kernel-change"
ONE_PLACE = "retry-code-chosen-in-one-place"
LDR = "#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n\n"
MASKED = "(err & TDX_SEAMCALL_STATUS_MASK)"
_HEAD = RETRY_SAFE[:RETRY_SAFE.index("\tint left")]  # sc_mark_dirty() and sc_retry()'s first line
_CALL = "\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"


def tail_loop(test: str, count: str = "RDRAND_RETRY_LOOPS") -> str:
    """sc_retry() as ``do { } while (TEST && --retries);``."""
    return _HEAD + f"\tint retries = {count};\n\tu64 err;\n\n\tdo {{\n{_CALL}\t}} while ({test} && --retries);\n\n" \
        "\treturn err;\n}\n"


def break_loop(test: str, count: str = "RDRAND_RETRY_LOOPS", head: str = "for (;;)") -> str:
    """sc_retry() as ``for (;;)`` (or ``head``) left by ``if (TEST || !--left) break;``."""
    return _HEAD + f"\tint left = {count};\n\tu64 err;\n\n\t{head} {{\n{_CALL}\t\tif ({test} || !--left)\n" \
        "\t\t\tbreak;\n\t}\n\treturn err;\n}\n"


def gate(tmp_path: Path, before: str, after: str) -> dict[str, tuple[VerdictStatus, str]]:
    """Every rule's verdict and note on v2, whose 'Prepare' patch turns sc_retry() from ``before`` into ``after``."""
    base = helpers(before)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, helpers(after)),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))])
    got = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1)).verdicts
    return {v.rule.id: (v.status, v.note) for v in got}


def _check(found: dict[str, tuple[VerdictStatus, str]], want: dict[str, VerdictStatus]) -> None:
    got = {rule: found[rule][0] for rule in want}
    assert got == want, {rule: found[rule] for rule in want if got[rule] != want[rule]}


@pytest.mark.parametrize(("after", "want"), [
    # One more try: run at the bounds of both loops (16 and 17 answers), the difference is seen.
    (tail_loop(f"{MASKED} == TDX_RND_NO_ENTROPY", "17"), {UNCHANGED: FAIL, NAK: FAIL, NO_RETRY: PASS}),
    # Every error retried: the P-SEAMLDR's "no entropy" too.
    (tail_loop("err != TDX_SUCCESS", "16"), {UNCHANGED: FAIL, NO_RETRY: FAIL}),
    # The P-SEAMLDR's "no entropy" retried as well.
    (LDR + tail_loop(f"({MASKED} == TDX_RND_NO_ENTROPY || err == SEAMLDR_RND_NO_ENTROPY)", "16"),
     {NAK: FAIL, NO_RETRY: FAIL}),
], ids=["one more", "every error", "loader retried"])
def test_a_loop_comparing_the_status_bits_is_judged(tmp_path: Path, after: str, want: dict[str, VerdictStatus]) -> None:
    # Before: inconclusive where the bound moved ('--retries' never ran out, no script answering "no entropy" 16
    # times): the loop, its test comparing 'err & MASK', was not read as a retry loop, and nothing ran at its bound.
    found = gate(tmp_path, tail_loop(f"{MASKED} == TDX_RND_NO_ENTROPY", "16"), after)
    _check(found, want)
    # It compares with a constant itself: no variable holds the code, nothing to set in one place.
    assert found[ONE_PLACE][0] is VerdictStatus.NOT_APPLICABLE, found[ONE_PLACE]


def test_masking_the_status_retries_what_was_not_retried(tmp_path: Path) -> None:
    # 'no entropy' with detail bits set (0x8000020300000001) was returned at once; masked, it is retried.
    found = gate(tmp_path, RETRY_SAFE, tail_loop(f"{MASKED} == TDX_RND_NO_ENTROPY"))
    _check(found, {UNCHANGED: FAIL, NO_RETRY: PASS})


def head_loop(test: str = "err != TDX_RND_NO_ENTROPY", head: str = "for (tries = 1; tries <= RDRAND_RETRY_LOOPS; "
              "tries++)", top: str = "") -> str:
    """sc_retry() as a loop counting its tries at the head (``head``), left by ``if (TEST) break;``."""
    return top + _HEAD + f"\tint tries = 0;\n\tu64 err = 0;\n\n\t{head} {{\n{_CALL}\t\tif ({test})\n" \
        "\t\t\tbreak;\n\t}\n\treturn err;\n}\n"


SAME = {UNCHANGED: PASS, NAK: PASS, NO_RETRY: PASS}


@pytest.mark.parametrize(("after", "want"), [
    (head_loop(), SAME),
    (head_loop(head="while (tries++ < SC_TRIES)", top="#define SC_TRIES\t10\n\n"), SAME),
    (head_loop(head="for (tries = 0; tries < sc_tries; ++tries)", top="static const int sc_tries = 10;\n\n"), SAME),
    (head_loop(head="for (tries = 1; tries < RDRAND_RETRY_LOOPS; tries++)"), {UNCHANGED: FAIL, NO_RETRY: PASS}),
    (head_loop(head="while (tries++ <= RDRAND_RETRY_LOOPS)"), {UNCHANGED: FAIL, NO_RETRY: PASS}),
    (head_loop("err == TDX_SUCCESS"), {UNCHANGED: FAIL, NO_RETRY: FAIL}),
    (LDR + head_loop("err != TDX_RND_NO_ENTROPY && err != SEAMLDR_RND_NO_ENTROPY"), {NAK: FAIL, NO_RETRY: FAIL}),
], ids=["for", "while, a macro", "a const", "one less", "one more", "every error", "loader retried"])
def test_a_loop_counting_its_tries_at_the_head_is_judged(tmp_path: Path, after: str,
                                                         want: dict[str, VerdictStatus]) -> None:
    # Before: the same ten tries inconclusive on both equivalence rules, 'a changed condition no run tells apart':
    # the counter test moved from the break into the for's head, each side's test read alone.
    _check(gate(tmp_path, RETRY_SAFE, after), want)


def test_a_masked_loop_of_another_shape_going_round_as_often_passes(tmp_path: Path) -> None:
    # do { } while (A && --retries) made while (1) { if (!A || !--left) break; }: before, inconclusive on both.
    found = gate(tmp_path, tail_loop(f"{MASKED} == TDX_RND_NO_ENTROPY", "16"),
                 break_loop(f"{MASKED} != TDX_RND_NO_ENTROPY", "16", "while (1)"))
    _check(found, SAME)


def table_loop(codes: str, lookup: str = "i < ARRAY_SIZE(retry_codes)", count: str = "RDRAND_RETRY_LOOPS") -> str:
    """sc_retry() retrying while is_retryable() finds the answer in a const table of ``codes``."""
    return LDR + f"static const u64 retry_codes[] = {{ {codes} }};\n\nstatic bool is_retryable(u64 err)\n{{\n" \
        f"\tint i;\n\n\tfor (i = 0; {lookup}; i++)\n\t\tif (err == retry_codes[i])\n\t\t\treturn true;\n" \
        "\treturn false;\n}\n\n" + tail_loop("is_retryable(err)", count).replace("retries", "left")


@pytest.mark.parametrize(("after", "want"), [
    (table_loop("TDX_RND_NO_ENTROPY, SEAMLDR_RND_NO_ENTROPY"), {NAK: FAIL, NO_RETRY: FAIL}),
    (table_loop("SEAMLDR_RND_NO_ENTROPY"), {UNCHANGED: FAIL, NO_RETRY: FAIL}),
    (table_loop("TDX_RND_NO_ENTROPY", count="RDRAND_RETRY_LOOPS + 1"), {UNCHANGED: FAIL, NO_RETRY: PASS}),
    # One element past the table: the mirror stops at the read (index 1 outside retry_codes[1]), never a pass.
    (table_loop("TDX_RND_NO_ENTROPY", "i <= ARRAY_SIZE(retry_codes)"), {UNCHANGED: FAIL, NO_RETRY: FAIL}),
], ids=["loader retried", "module not retried", "one more", "past the table"])
def test_a_retry_table_with_a_bug_fails_the_rule_it_breaks(tmp_path: Path, after: str,
                                                          want: dict[str, VerdictStatus]) -> None:
    _check(gate(tmp_path, RETRY_SAFE, after), want)


@pytest.mark.parametrize("lookup", ["i < ARRAY_SIZE(retry_codes)", "i < 1"])
def test_a_retry_table_of_the_same_codes_passes(tmp_path: Path, lookup: str) -> None:
    # is_retryable(err) keeping a do/while going where 'err != TDX_RND_NO_ENTROPY' left a for (;;): the same answers
    # retried (models.retryset), as often. Before: inconclusive on both equivalence rules, 'a changed condition no
    # run tells apart' (the runs agreed; the tests, spelt apart, were not compared).
    found = gate(tmp_path, RETRY_SAFE, table_loop("TDX_RND_NO_ENTROPY", lookup))
    _check(found, SAME)
    # The codes are the const table's, read through the helper: no variable holds them, nothing to set in one place.
    # Before: inconclusive, "tests 'is_retryable(err)', which checks err otherwise than by comparing it with a value".
    assert found[ONE_PLACE][0] is VerdictStatus.NOT_APPLICABLE, found[ONE_PLACE]
    assert "with 0x8000020300000000ULL (is_retryable()'s) itself" in found[ONE_PLACE][1], found[ONE_PLACE]


def test_a_retry_helper_reading_more_than_the_answer_stays_unjudged(tmp_path: Path) -> None:
    # A flag of file scope in the helper: its codes are not a set of the answer alone (models.retryset), so neither
    # the equivalence rules nor the warning are judged by it; the runs compare what they can.
    flagged = table_loop("TDX_RND_NO_ENTROPY").replace("static bool is_retryable(u64 err)\n{\n",
                                                       "static bool sc_ldr_retry;\n\nstatic bool is_retryable(u64 err)"
                                                       "\n{\n\tif (sc_ldr_retry && err == SEAMLDR_RND_NO_ENTROPY)\n"
                                                       "\t\treturn true;\n")
    found = gate(tmp_path, RETRY_SAFE, flagged)
    _check(found, {UNCHANGED: UNSURE, NAK: UNSURE, ONE_PLACE: UNSURE, NO_RETRY: UNSURE})


def switch_loop(labels: str, count: str = "RDRAND_RETRY_LOOPS") -> str:
    """sc_retry() retrying while is_retryable() says so by a switch on the answer (``labels``, then 'return false')."""
    return LDR + f"static bool is_retryable(u64 err)\n{{\n\tswitch (err) {{\n{labels}\t}}\n\treturn false;\n}}\n\n" + \
        tail_loop("is_retryable(err)", count).replace("retries", "left")


_NE = "\tcase TDX_RND_NO_ENTROPY:\n"


@pytest.mark.parametrize(("after", "want"), [
    (switch_loop(_NE + "\t\treturn true;\n"), SAME),
    (switch_loop(_NE + "\t\treturn true;\n\tdefault:\n\t\tbreak;\n"), SAME),
    (switch_loop(_NE + "\tcase SEAMLDR_RND_NO_ENTROPY:\n\t\treturn true;\n"), {NAK: FAIL, NO_RETRY: FAIL}),
    # Nothing retried: is_retryable() is false on every path, so the loop's test cannot come out true for any answer
    # (models.idleloop; gcc: tests/models/test_idleloop.py) and no failed SEAMCALL is issued again: a pass, saying
    # why. It was inconclusive ('a test ... always came out false / never tested'), of a way round that is no code.
    (switch_loop(_NE + "\t\tfallthrough;\n\tdefault:\n\t\treturn false;\n"), {UNCHANGED: FAIL, NO_RETRY: PASS}),
    (switch_loop(_NE + "\t\treturn true;\n", "RDRAND_RETRY_LOOPS + 1"), {UNCHANGED: FAIL, NO_RETRY: PASS}),
    (switch_loop("\tcase TDX_SUCCESS:\n\t\treturn false;\n\tdefault:\n\t\treturn true;\n"),
     {UNCHANGED: FAIL, NO_RETRY: FAIL}),
], ids=["same", "default break", "loader retried", "falls into no retry", "one more", "every error"])
def test_a_retry_switch_is_judged(tmp_path: Path, after: str, want: dict[str, VerdictStatus]) -> None:
    # is_retryable(err) as a switch on the answer. Before: the same codes retried as often was inconclusive on both
    # equivalence rules ('a changed condition no run tells apart': the switch was not read as a set of answers).
    _check(gate(tmp_path, RETRY_SAFE, after), want)


def struct_loop(rows: str, answer: str = "return retry_codes[i].retry") -> str:
    """sc_retry() retrying while is_retryable() finds the answer in a const table of structs (code, retry)."""
    return LDR + "struct sc_retry_code {\n\tu64 code;\n\tbool retry;\n};\n\nstatic const struct sc_retry_code " \
        f"retry_codes[] = {{\n{rows}}};\n\nstatic bool is_retryable(u64 err)\n{{\n\tint i;\n\n" \
        "\tfor (i = 0; i < ARRAY_SIZE(retry_codes); i++)\n\t\tif (retry_codes[i].code == err)\n" \
        f"\t\t\t{answer};\n\treturn false;\n}}\n\n" + tail_loop("is_retryable(err)").replace("retries", "left")


@pytest.mark.parametrize(("after", "want"), [
    (struct_loop("\t{ TDX_RND_NO_ENTROPY, true },\n\t{ SEAMLDR_RND_NO_ENTROPY, false },\n"), SAME),
    (struct_loop("\t{ .code = TDX_RND_NO_ENTROPY, .retry = true },\n"), SAME),
    (struct_loop("\t{ TDX_RND_NO_ENTROPY, true },\n\t{ SEAMLDR_RND_NO_ENTROPY, true },\n"),
     {NAK: FAIL, NO_RETRY: FAIL}),
    (struct_loop("\t{ TDX_RND_NO_ENTROPY, false },\n\t{ TDX_RND_NO_ENTROPY, true },\n"), {UNCHANGED: FAIL}),
], ids=["same", "designated", "loader retried", "first says no"])
def test_a_retry_table_of_structs_is_judged(tmp_path: Path, after: str, want: dict[str, VerdictStatus]) -> None:
    # is_retryable(err) looking the answer up in a const table of structs. Before: the same codes retried as often
    # was inconclusive on both equivalence rules ('a changed condition no run tells apart').
    _check(gate(tmp_path, RETRY_SAFE, after), want)


_MASK_VAR = "\tu64 err;\n\tconst u64 mask = MASK;\n"


@pytest.mark.parametrize(("test", "mask", "want"), [
    ("(err >> 32) == (TDX_RND_NO_ENTROPY >> 32)", "", SAME),
    ("upper_32_bits(err) == upper_32_bits(TDX_RND_NO_ENTROPY)", "", SAME),
    ("(err & mask) == TDX_RND_NO_ENTROPY", "TDX_SEAMCALL_STATUS_MASK", SAME),
    # One bit more or less than the status: 0x80000203_80000000 retried before, not now (or the other way).
    ("(err >> 31) == (TDX_RND_NO_ENTROPY >> 31)", "", {UNCHANGED: FAIL, NAK: FAIL}),
    ("(err & mask) == TDX_RND_NO_ENTROPY", "0xFFFFFFFF80000000ULL", {UNCHANGED: FAIL, NAK: FAIL}),
], ids=["shift", "upper_32_bits", "mask in a local", "shift one short", "mask one bit more"])
def test_the_status_bits_read_otherwise_are_judged(tmp_path: Path, test: str, mask: str,
                                                    want: dict[str, VerdictStatus]) -> None:
    # The status compared under TDX_SEAMCALL_STATUS_MASK before; after, by a shift, upper_32_bits() or a mask held in
    # a local: the same answers retried pass, one bit apart fails (a run at the answer that tells them apart).
    after = tail_loop(test, "16")
    if mask:
        after = after.replace("\tu64 err;\n", _MASK_VAR.replace("MASK", mask), 1)
    _check(gate(tmp_path, tail_loop(f"{MASKED} == TDX_RND_NO_ENTROPY", "16"), after), want)


def test_a_loop_retrying_nothing_says_why_no_retry_passes(tmp_path: Path) -> None:
    found = gate(tmp_path, RETRY_SAFE, switch_loop(_NE + "\t\tfallthrough;\n\tdefault:\n\t\treturn false;\n"))
    status, note = found[NO_RETRY]
    assert status is PASS and "sc_retry()'s retry loop (arch/x86/virt/vmx/tdx/seamcall_internal.h:33) retries " \
        "nothing: its test 'is_retryable(err) && (--left)' is false for every answer (is_retryable() is true for " \
        "none)" in note, note


# What is retried decided by a helper called through a const file-scope pointer, its test of the leaf under an
# answer no script gives (0x8000020500000000): a P-SEAMLDR leaf is not retried where a TDX-module one is.
BUSY_BY_POINTER = """\
static bool sc_busy(u64 fn, u64 err)
{
	if (err == TDX_RND_NO_ENTROPY)
		return true;
	if (err == 0x8000020500000000ULL && !(fn & SEAMLDR_LEAF_BIT))
		return true;
	return false;
}

static bool (*const sc_busy_fn)(u64, u64) = sc_busy;

"""


def test_a_test_of_the_leaf_behind_a_file_scope_pointer_must_run(tmp_path: Path) -> None:
    # h469's probe. Before 988b8cdc leafflow did not follow a call of a file-scope pointer by its name, so the test
    # in sc_busy() was no leaf site: no-leaf-dependent-retry PASSED once the mirror ran the code; and before this
    # commit the mirror did not ("call to unknown function", or a crash for a bool return type): the rules FAILED.
    found = gate(tmp_path, RETRY_SAFE, BUSY_BY_POINTER + RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY",
                                                                            "!sc_busy_fn(fn, err)"))
    _check(found, {"no-leaf-dependent-retry": UNSURE, NO_RETRY: UNSURE, UNCHANGED: UNSURE, NAK: UNSURE})
    assert "a test of the leaf in sc_busy() at arch/x86/virt/vmx/tdx/seamcall_internal.h:12" in \
        found["no-leaf-dependent-retry"][1], found["no-leaf-dependent-retry"][1]

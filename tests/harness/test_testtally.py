"""harness.testtally: a test run's counted summary in a reply, and how many of its tests it counts failed."""

from __future__ import annotations

import pytest

from harness.droprequest import request_in
from harness.pointwords import point_sentence
from harness.regressions import regression
from harness.testtally import failed_run, tallied_failures, tally_words

# kselftest's, KUnit's and LTP's summaries as testers paste them, and testers' own shorthand.
NONE_FAILED = [
    "Ran the tdx selftests: PASS 58, SKIP 2, FAIL 0.", "Test results: PASS: 12 FAIL: 0 SKIP: 1.",
    "selftests: tdx: # Totals: pass:21 fail:0 xfail:0 xpass:0 skip:3 error:0",
    "Ran kselftest tdx: ok 14, not ok 0, skip 1.",
    "Ran 37 tests: passed: 37", "Tested with LTP syscalls: 1234 passed, 0 failed, 12 skipped.",
    "Summary:\npassed   310\nfailed   0\nbroken   0\nskipped  4\nwarnings 0", "kunit: tdx_module: 9/9 tests passed.",
]
FAILED = [
    ("Ran the tdx selftests: PASS 56, SKIP 2, FAIL: 2.", 2), ("Ran 37 tests: passed: 35, failed: 2", 2),
    ("selftests: tdx: # Totals: pass:19 fail:2 xfail:0 xpass:0 skip:3 error:0", 2),
    ("Ran kselftest tdx: ok 12, not ok 2, skip 1.", 2), ("Tested with LTP syscalls: 1230 passed, 4 failed.", 4),
    ("kunit: tdx_module: 7/9 tests passed, 2 failed.", 2), ("kunit: tdx_module: 7/9 tests passed.", 2),
    ("not ok 1 selftests: tdx: tdx_test # FAIL", 1),
("LTP: passed 300 failed 10 broken 0", 10),
]
# No tally: one count, a number of tries or boots, a number in a request.
NO_TALLY = ["Cap the retries at 16.", "Retry 16 times, not 8.", "Tested on 2 boxes.",
            "Previously this failed 3 out of 10 boots.", "Use 2 tests.", "SEAMCALL 1 failed: 0x0", "seamldr: fail 7",
            "seam_stats.fails = 3;", "v3: NOT READY: 6 error rules fail, 1 passed",
            "not ok 3 selftests: tdx: sgx_test # SKIP no SGX"]


@pytest.mark.parametrize("words", NONE_FAILED)
def test_a_tally_with_no_failure_counts_none_and_is_no_review_point(words: str) -> None:
    assert tallied_failures(" ".join(words.split())) == 0
    assert point_sentence(words) is None  # "PASS 58" read as an imperative, "FAIL" as a flaw: NOT READY before


@pytest.mark.parametrize(("words", "failed"), FAILED)
def test_a_tally_with_failures_counts_them_and_is_a_reported_regression(words: str, failed: int) -> None:
    assert tallied_failures(words) == failed
    # One verdict for a run's output, whatever its shape: "ok 12, not ok 2" was a regression (failshapes' FAIL lines)
    # and "passed: 35, failed: 2" a review point (this tally) before; both are the report of a failed run now.
    assert failed_run().search(words) is not None
    assert regression(words, request_in) is not None
    assert point_sentence(words) is None


# A run's FAIL lines that are no tally (one count, a test's name): the same reading.
FAIL_LINES = ["FAIL: 3", "# FAIL: tdx_seamldr_test.update_twice", "not ok 3 tdx_vm_init # FAIL"]


@pytest.mark.parametrize("words", FAIL_LINES)
def test_a_fail_line_is_a_reported_regression_and_no_review_point(words: str) -> None:
    assert regression(words, request_in) is not None
    assert point_sentence(words) is None


@pytest.mark.parametrize("words", NONE_FAILED + NO_TALLY)
def test_a_clean_run_or_no_run_is_no_failed_run(words: str) -> None:
    assert failed_run().search(" ".join(words.split())) is None


@pytest.mark.parametrize("words", NO_TALLY)
def test_a_lone_count_or_a_count_of_tries_is_no_tally(words: str) -> None:
    assert tallied_failures(words) is None


def test_the_words_after_a_clean_tally_are_read_for_a_point() -> None:
    assert tally_words("PASS 58, FAIL 0, but please add a comment.") == ("", ", but please add a comment.")
    assert tally_words("Test results: PASS: 12 FAIL: 0.") == ("", ".")
    assert point_sentence("PASS 58, FAIL 0, but please add a comment.") is not None
    assert point_sentence("Test results: PASS: 12 FAIL: 0 SKIP: 1. Looks good.") is None

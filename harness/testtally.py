"""A test run's output in a reply, its one reader: a counted summary ("PASS 58, FAIL 0"), a TAP or FAIL line."""

from __future__ import annotations

import functools
import re

from models.lazyre import lazy
from models.record import record

# Why: a tester's tally of a kselftest, KUnit or LTP run read as words: "Ran the tdx selftests: PASS 58, SKIP 2,
# FAIL 0." and "Test results: PASS: 12 FAIL: 0 SKIP: 1." blocked the gate as review points ("PASS" read as an
# imperative, "FAIL" as a flaw), while "KUnit: ... passed: 35, failed: 2" and "not ok 2" passed READY: a count of
# failures was read as no word of failing. Here a tally is told by its counts, each a label and a number either way
# round ("FAIL 0", "fail:0", "failures: 0", "0 failed", "not ok 2", "7/9 tests passed"), whatever lies between them.
_FAILED = r"fail(?:ed|s|ures?)?|not\s+ok|errors?|broken|crash(?:ed|es)?|time[ds]?\s*out|timeouts?|brok|bad"
_OTHER = r"pass(?:ed|es)?|ok|skip(?:ped|s)?|xfail(?:ed)?|xpass(?:ed)?|warn(?:ings?|s)?|todo|conf|tests?|total|good"
# A label, then an optional colon or equals sign, then its number; or the number, then the label.
# Not a count of runs ("failed 3 out of 10 boots", "failed 2 times"): a number of tries, no test's.
_RUNS = r"(?!\s+(?:(?:out\s+)?of|times|tries|runs|boots|iterations)\b)"
# Not a member of code ("seam_stats.fails = 3"), nor a number-then-label naming another thing ("6 error rules fail").
_ITEM = lazy(rf"(?<![\w.>-])(?:(?P<label>{_FAILED}|{_OTHER})\s*:?\s*(?P<n>\d+)(?![\w/%-]|\.\d){_RUNS}"
             rf"|(?P<n2>\d+)\s+(?:tests?\s+|cases?\s+)?(?P<label2>{_FAILED}|{_OTHER})(?=\s*(?:[,;.:)]|$|\s+(?:\d|and\b))){_RUNS}"
             r"|(?P<done>\d+)\s*/\s*(?P<of>\d+)\s+(?:tests?\s+|cases?\s+)?(?:passed|pass|ok|succeeded)(?![\w-]))", re.I)
_FAILED_AT = lazy(rf"^(?:{_FAILED})$", re.I)
# A TAP line of a test that failed, as kselftest prints it: "not ok 1 selftests: tdx: tdx_test # FAIL" (not one
# skipped or to do: "not ok 3 foo # SKIP").
_TAP_FAILED = lazy(r"(?<![\w-])not\s+ok\s+\d+\s+(?:-\s+)?[A-Za-z_][\w/.:-]*(?![^#\n]*#\s*(?:SKIP|TODO)\b)", re.I)


# A test's own FAIL lines pasted: "not ok 3 tdx_vm_init # FAIL", "# FAIL: tdx_seamldr_test.update_twice", "FAIL: 3,
# PASS: 55", "# Totals: pass:55 fail:3": not "FAIL 0", "fail:0", "not ok 2 foo # SKIP".
_FAIL_LINE = lazy(r"\bnot\s+ok\s+(?!0\b)\d+\b(?![^\n]*#\s*(?:SKIP|TODO|XFAIL)\b)"
                  r"|(?-i:#\s*FAIL(?:ED)?\b|^\W*FAIL(?:ED)?:\s+(?!0\b)[\w.:/-]+)"
                  r"|(?-i:\bFAIL(?:ED)?\s*[:=]?\s*[1-9]\d*\b)|\bfail\s*:\s*[1-9]\d*\b", re.I)


@functools.lru_cache(maxsize=1024)  # asked of every sentence of every reply, for every state judged
def tallied_failures(sentence: str) -> int | None:
    """How many tests ``sentence`` counts as failed (not ok, errors, broken, crashed, timed out; "7/9 passed": 2), when
    it is a test run's tally: two counts or more, an "N/M passed" or a TAP line of a failed test; None when it is
    none."""
    if not any(c.isdigit() for c in sentence):
        return None
    items = list(_ITEM().finditer(sentence))
    failed, fractions, counts, missing = 0, 0, 0, 0
    for m in items:
        if m.group("done") is not None:
            fractions += 1
            missing += max(int(m.group("of")) - int(m.group("done")), 0)
            continue
        counts += 1
        label, n = (m.group("label"), m.group("n")) if m.group("label") else (m.group("label2"), m.group("n2"))
        if _FAILED_AT().match(" ".join(label.split())):
            failed += int(n)
    failed = max(failed, missing)  # "7/9 tests passed, 2 failed": the same two
    # One count alone is a log line's or a value's ("SEAMCALL 1 failed: 0x0", "seamldr: fail 7"), no run's tally.
    return failed if counts >= 2 or fractions or _TAP_FAILED().search(sentence) else None


def tally_words(sentence: str) -> tuple[str, str]:
    """The words of ``sentence`` before its tally's first count and after its last, which its tester says beside it
    ("PASS 58, FAIL 0, but it hangs on reboot." gives ", but it hangs on reboot."); those before are none when they
    end in a colon, a label ("Test results:", "Ran the tdx selftests:")."""
    items = list(_ITEM().finditer(sentence))
    if not items:
        return sentence, ""
    head = sentence[:items[0].start()]
    return ("" if head.rstrip().endswith(":") else head), sentence[items[-1].end():]


def _failed_count(m: re.Match[str]) -> bool:
    """Whether ``m``, one of _ITEM's counts, counts a test failed ("FAIL: 2", "not ok 1", "7/9 passed")."""
    if m.group("done") is not None:
        return int(m.group("of")) > int(m.group("done"))
    label, n = (m.group("label"), m.group("n")) if m.group("label") else (m.group("label2"), m.group("n2"))
    return int(n) > 0 and _FAILED_AT().match(" ".join(label.split())) is not None


_FAIL_WORDS = ("fail", "error", "brok", "crash", "bad")
_FRACTION = lazy(r"\d\s*/\s*\d")


@record
class _FailedRun:
    """Where a test run's output tells a test failed: its tally's first count of failures (tallied_failures), else a
    FAIL line of its own (_FAIL_LINE: "FAIL: 3", "# FAIL: tdx_seamldr_test.update_twice")."""

    def search(self, string: str, pos: int = 0, /) -> re.Match[str] | None:
        # Each failure it reads holds a word of _FAILED or _FAIL_LINE, or is an "N/M passed": a text with neither is
        # not scanned (failshapes' gate lets "/" and "time" through, which nearly every text holds).
        low = string.lower()
        if not any(w in low for w in _FAIL_WORDS) and not ("not" in low and "ok" in low) \
                and not ("time" in low and "out" in low) and _FRACTION().search(string, pos) is None:
            return None
        failed = next((m for m in _ITEM().finditer(string, pos) if _failed_count(m)), None) \
            if tallied_failures(string) else None
        return failed or _FAIL_LINE().search(string, pos)


@functools.cache
def failed_run() -> _FailedRun:
    """The one reading of a failed test run (harness.regressions reads it as a report that the patch breaks something;
    harness.pointwords reads no tally as a review point)."""
    return _FailedRun()

"""A retry loop retrying through a ``switch`` on the answer, its counter spelt otherwise, against gcc's build.

``do { <the call> switch (err) { case TDX_RND_NO_ENTROPY: break; default: return err; } } while (--left);`` made
``while (left-- > 1)``, or its counter a ``u8``: the loops go round as often where the retry-count walk
(models.retrycount, the switch read by models.retryswitch) counts the same SEAMCALLs for every code the loop compares
the answer with, a case label among them (models.comparedcodes). Before, the walk refused every switch ('a switch
(err) is not read') and each form here was INCONCLUSIVE ('a changed condition no run tells apart'). gcc makes the same
SEAMCALLs and returns the same for 0 to 400 'no entropy' answers then success, another error or the next code; the
twins with one more try fail; a switch the walk does not read stays INCONCLUSIVE."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import FAIL, INCONCLUSIVE, PASS, judged_between
from tests.harness.test_switch_retry_loop import CASES_OF, _switch

SWITCHED = _switch()
U8 = "u8 left = RDRAND_RETRY_LOOPS;"
INT = "int left = RDRAND_RETRY_LOOPS;"
WRAPPED = "u8 left = RDRAND_RETRY_LOOPS + {};"
ABOVE = "\t\t\tleft += 0;\n" + CASES_OF  # a statement above the first label: never run (gcc), not read by the walk

# name: (v2:01's loop, v2's loop, want)
CASES = {
    "from the if, counted at the test's end": (RETRY_SAFE, _switch(test="left-- > 1"), PASS),
    "from the if, a u8 counter": (RETRY_SAFE, SWITCHED.replace(INT, U8), PASS),
    "both switches, counted at the test's end": (SWITCHED, _switch(test="left-- > 1"), PASS),
    # Twins: one more try.
    "from the if, one more try": (RETRY_SAFE, _switch(test="left-- > 0"), FAIL),
    "both switches, one more try": (SWITCHED, _switch(test="left-- > 0"), FAIL),
    "both switches, a u8 counter one more": (SWITCHED, _switch(test="left-- > 0").replace(INT, U8), FAIL),
    # Not read: gcc counts alike, the walk refuses the switch.
    "a statement above the first label": (SWITCHED, _switch(ABOVE, test="left-- > 1"), INCONCLUSIVE),
    # The counter's type changed under a loop test that is the counter alone (harness.countedalike._same_role: K
    # alone as well as 'A || K'); INCONCLUSIVE before ('reads a name whose value changed: left'). 266 wraps to 10 in a
    # u8 (gcc alike), 267 to 11 (one more try).
    "both switches, a u8 counter": (SWITCHED, SWITCHED.replace(INT, U8), PASS),
    "both switches, a u8 counter of 266": (SWITCHED, SWITCHED.replace(INT, WRAPPED.format(256)), PASS),
    "both switches, a u8 counter of 267": (SWITCHED, SWITCHED.replace(INT, WRAPPED.format(257)), FAIL),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_switch_loop_counted_otherwise_is_judged_as_gcc_counts_it(tmp_path: Path, name: str) -> None:
    judged_between(tmp_path, CASES[name], name)

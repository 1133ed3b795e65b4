"""A retry loop that goes round through a ``continue`` at the end of its round, against gcc's build of both loops.

``for (;;) { ...; if (err == TDX_RND_NO_ENTROPY && --left) continue; break; }`` is v2:01's ``for (;;) { ... if (err
!= TDX_RND_NO_ENTROPY || !--left) break; }`` (harness.loopflags.continued): a ``continue`` in an endless loop goes
round as the end of its body does, so the ``break`` after it runs where the test is false. gcc makes the same SEAMCALLs
and returns the same for 0 to 400 'no entropy' answers then success, another error or the next code. So is ``do { ...;
if (err != TDX_RND_NO_ENTROPY) break; } while (--left);`` (harness.loopflags.do_broken): the loop's test asks the
counter where the answer test let the round end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_as_gcc_counts

RETURN = "\treturn err;\n}"
NINE = "\tunsigned int left = RDRAND_RETRY_LOOPS - 1;\n"
NINE_TEST = "err == TDX_RND_NO_ENTROPY && left--"
TEST = "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n"


def _continued(test: str = "err == TDX_RND_NO_ENTROPY && --left", count: str = DECL, between: str = "",
               go: str = "\t\t\tcontinue;\n") -> str:
    """RETRY_SAFE with its counter declared by ``count`` and its exit test made ``if (test) continue;`` (``go``),
    ``between``, then ``break;``."""
    assert TEST in RETRY_SAFE and DECL in RETRY_SAFE
    return RETRY_SAFE.replace(DECL, count).replace(TEST, f"\t\tif ({test})\n{go}{between}\t\tbreak;\n")


CASES = {
    # Already decided before (the test is the exit test turned round, models.nearvalues): PASS before and after.
    "continue then break": (_continued(), PASS),
    "continue in a block": (_continued(go="\t\t{\n\t\t\tcontinue;\n\t\t}\n"), PASS),
    "in a while (1)": (_continued().replace("for (;;)", "while (1)"), PASS),
    # The counter spelt otherwise as well: INCONCLUSIVE before ('a changed condition no run tells apart: ... -> 'if
    # (err == TDX_RND_NO_ENTROPY && left--)' ...').
    "unsigned counter from 9, left--": (_continued(NINE_TEST, NINE), PASS),
    "unsigned counter from 9, left--, in a block": (_continued(NINE_TEST, NINE, go="\t\t{\n\t\t\tcontinue;\n"
                                                                                  "\t\t}\n"), PASS),
    # Twins the runs show apart: one more try, each way.
    "one more try": (_continued(count="\tint left = RDRAND_RETRY_LOOPS + 1;\n"), FAIL),
    "left-- from 10": (_continued(NINE_TEST), FAIL),
    "unsigned counter from 10, left--": (_continued(NINE_TEST, "\tunsigned int left = RDRAND_RETRY_LOOPS;\n"), FAIL),
    # Near misses gcc counts alike, not read: a statement between the continue and the break, the counter read after
    # the loop, a goto in the function.
    "left--, a statement between": (_continued(NINE_TEST, NINE, between="\t\terr |= 0;\n"), INCONCLUSIVE),
    "left--, counter read after": (_continued(NINE_TEST, NINE).replace(RETURN, "\treturn left ? err : err;\n}"),
                                   INCONCLUSIVE),
    "left--, goto": (_continued(NINE_TEST, NINE).replace(RETURN, "\tgoto out;\nout:\n" + RETURN), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_continue_ending_the_round_goes_round_as_the_exit_test_does(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)


DO = RETRY_SAFE.replace("\tfor (;;) {\n", "\tdo {\n")


def _do(count: str = DECL, cond: str = "--left", after: str = "", end: str = "") -> str:
    """RETRY_SAFE with its counter declared by ``count`` and its loop made ``do { ...; if (err != TDX_RND_NO_ENTROPY)
    break; after } while (cond);`` (``end`` in place of that ``if``)."""
    assert TEST + "\t}\n" in DO
    end = end or "\t\tif (err != TDX_RND_NO_ENTROPY)\n\t\t\tbreak;\n"
    return DO.replace(DECL, count).replace(TEST + "\t}\n", f"{end}{after}\t}} while ({cond});\n")


GO_ON = "\t\tif (err == TDX_RND_NO_ENTROPY)\n\t\t\tcontinue;\n\t\tbreak;\n"


DO_CASES = {
    # The same behaviour: INCONCLUSIVE before ('a changed condition no run tells apart: ... -> 'if (err !=
    # TDX_RND_NO_ENTROPY)' ...').
    "while (--left)": (_do(), PASS),
    "unsigned counter from 9, while (left--)": (_do(NINE, "left--"), PASS),
    # Twins the runs show apart: one more try, each way.
    "one more try": (_do("\tint left = RDRAND_RETRY_LOOPS + 1;\n"), FAIL),
    "while (left--) from 10": (_do(cond="left--"), FAIL),
    # Near misses gcc counts alike, not read: a statement after the break, the counter read after the loop.
    "a statement after the break": (_do(after="\t\terr |= 0;\n"), INCONCLUSIVE),
    "counter read after": (_do().replace(RETURN, "\treturn left ? err : err;\n}"), INCONCLUSIVE),
    # 'if (A) continue; break;' last in a do/while: the continue goes to its test (INCONCLUSIVE before).
    "continue then break, while (--left)": (_do(end=GO_ON), PASS),
    "continue then break, one more try": (_do("\tint left = RDRAND_RETRY_LOOPS + 1;\n", end=GO_ON), FAIL),
    "continue, a statement, then break": (_do(end=GO_ON.replace("\t\tbreak;", "\t\terr |= 0;\n\t\tbreak;")),
                                          INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(DO_CASES))
def test_a_do_while_ending_in_a_break_on_the_answer_asks_its_counter_as_the_exit_test_does(tmp_path: Path,
                                                                                          name: str) -> None:
    loop, want = DO_CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)

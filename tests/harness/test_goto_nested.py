"""A retry loop written with a label, retrying by a ``goto`` nested in an ``if``'s block, against gcc's build.

``again: <the call> if (err == TDX_RND_NO_ENTROPY) { if (--left) goto again; } return err;`` is ``if (err ==
TDX_RND_NO_ENTROPY && --left) goto again;`` (K tested only where A holds, C17 6.5.13p4), the tail test of a loop
written with a label (models.looptests), v2:01's ``if (err != TDX_RND_NO_ENTROPY || !--left) break;`` turned round.
Before, the two tests of the nested ``if``s stood against v2:01's one (models.neighbours pairs conditions one side
replaced by others), and each form here was INCONCLUSIVE ('a changed condition no run tells apart'). gcc makes the
same SEAMCALLs and returns the same for 0 to 400 'no entropy' answers then success, another error or the next code;
the twins with one more try, or another code retried, fail; a statement beside the inner ``if``, or the tests
nested the other way round, are not read so (INCONCLUSIVE), though gcc counts them alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_between

HEAD = RETRY_SAFE[:RETRY_SAFE.index(DECL)]
CALL = "\tpreempt_disable();\n\terr = sc_mark_dirty(op, fn, args);\n\tpreempt_enable();\n"
NESTED = "\tif (err == TDX_RND_NO_ENTROPY) {\n\t\tif (--left)\n\t\t\tgoto again;\n\t}\n"


def _again(test: str = NESTED, counter: str = DECL) -> str:
    """sc_retry() as ``again: <the call> TEST return err;``, its counter declared by ``counter``."""
    return HEAD + counter + f"\tu64 err;\n\nagain:\n{CALL}{test}\treturn err;\n}}\n"


PLAIN = "\tif (err == TDX_RND_NO_ENTROPY && --left)\n\t\tgoto again;\n"
CASES = {
    # The same behaviour: INCONCLUSIVE before.
    "from the for loop": (RETRY_SAFE, _again(), PASS),
    "from the plain goto": (_again(PLAIN), _again(), PASS),
    "from the for loop, unbraced": (RETRY_SAFE, _again(NESTED.replace(" {\n", "\n").replace("\t}\n", "")), PASS),
    "from the for loop, the goto braced": (RETRY_SAFE, _again(NESTED.replace(
        "\t\t\tgoto again;\n", "\t\t{\n\t\t\tgoto again;\n\t\t}\n")), PASS),
    # Twins the runs show apart.
    "from the for loop, one more try": (RETRY_SAFE, _again(counter=DECL.replace("LOOPS;", "LOOPS + 1;")), FAIL),
    "from the for loop, another code retried": (RETRY_SAFE, _again(NESTED.replace("TDX_RND_NO_ENTROPY", "0x1234")),
                                                FAIL),
    # Near misses gcc counts alike, not read: a statement beside the inner if; the counter tested first.
    "a statement beside the inner if": (RETRY_SAFE, _again(NESTED.replace("\t\tif (--left)", "\t\terr |= 0;\n"
                                                                          "\t\tif (--left)")), INCONCLUSIVE),
    "the counter tested first": (RETRY_SAFE, _again("\tif (--left) {\n\t\tif (err == TDX_RND_NO_ENTROPY)\n"
                                                    "\t\t\tgoto again;\n\t}\n"), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_goto_nested_in_an_ifs_block_is_the_loops_tail_test(tmp_path: Path, name: str) -> None:
    judged_between(tmp_path, CASES[name], name)

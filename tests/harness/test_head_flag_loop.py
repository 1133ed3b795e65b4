"""A retry loop whose exit test is kept in a flag the loop tests at its head, against gcc's build of both loops.

``bool again = true; while (again) { ...; again = err == X && --left; }`` is ``do { ... } while (err == X &&
--left);`` (harness.loopflags.head_flagged): the same SEAMCALLs and return as v2:01's ``for (;;) { ... if (err
!= X || !--left) break; }`` for 0 to 400 'no entropy' answers then success, another error or the next code (gcc)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import FAIL, INCONCLUSIVE, PASS, judged_as_gcc_counts

LOOP = ("\tfor (;;) {\n\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"
        "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n\t}\n")
STORE = "\t\tagain = err == TDX_RND_NO_ENTROPY && --left;\n"
RETURN = "\treturn err;\n}"


def _head(store: str = STORE, decl: str = "\tbool again = true;\n", cond: str = "again", first: str = "") -> str:
    """RETRY_SAFE with its loop made ``while (cond) { ... store }``, the flag declared by ``decl`` before it."""
    assert LOOP in RETRY_SAFE
    return RETRY_SAFE.replace(LOOP, f"{decl}\n\twhile ({cond}) {{\n{first}\t\tpreempt_disable();\n"
                                    f"\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n{store}\t}}\n")


CASES = {
    # The same behaviour: INCONCLUSIVE before ('a condition of sc_retry() changed, 'if (err != TDX_RND_NO_ENTROPY ||
    # !--left)' ... -> 'while (again) {' ...: neither the scenarios that ran nor the answers next to what it tests
    # tell the two apart').
    "flag": (_head(), PASS),
    "int flag set to 1": (_head(decl="\tint again = 1;\n"), PASS),
    "flag of the exit test": (_head("\t\tdone = err != TDX_RND_NO_ENTROPY || !--left;\n", "\tint done = 0;\n",
                                    "!done"), PASS),
    # Twins the runs show apart.
    "one more try": (_head(STORE.replace("--left", "left--")), FAIL),
    "flag of the other sense": (_head(STORE.replace("&&", "||")), FAIL),
    # Near misses gcc counts alike, not read: the flag read after the loop, a statement after its store, a static
    # flag, the flag set in both branches of an if, a 'continue' (which skips the store), a goto in the function.
    "flag read after": (_head().replace(RETURN, "\treturn again ? err : err;\n}"), INCONCLUSIVE),
    "statement after the store": (_head(STORE + "\t\terr |= 0;\n"), INCONCLUSIVE),
    "static flag": (_head(decl="\tstatic bool again;\n\n\tagain = true;\n"), INCONCLUSIVE),
    "flag set in an if": (_head("\t\tif (err == TDX_RND_NO_ENTROPY)\n\t\t\tagain = --left;\n\t\telse\n"
                                "\t\t\tagain = false;\n"), INCONCLUSIVE),
    "continue": (_head(STORE.replace("\t\tagain", "\t\tif (err != TDX_RND_NO_ENTROPY) {\n\t\t\tagain = false;\n"
                                     "\t\t\tcontinue;\n\t\t}\n\t\tagain")), INCONCLUSIVE),
    "goto": (_head().replace(RETURN, "\tgoto out;\nout:\n" + RETURN), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_an_exit_test_kept_in_a_flag_tested_at_the_head_is_the_same_test(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)

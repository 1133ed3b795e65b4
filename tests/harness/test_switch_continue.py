"""A retry loop whose answer test and counter test sit in a ``switch`` case that ``continue``s, against gcc's build.

``for (;;) { <the call> switch (err) { case TDX_RND_NO_ENTROPY: if (--left) continue; break; default: break; }
break; }`` goes round where the answer is 'no entropy' and ``--left`` holds, and leaves otherwise: it is
``if (err == TDX_RND_NO_ENTROPY && --left) continue; break;`` (harness.switchform.case_continued), v2:01's loop
turned round (harness.loopflags.continued). gcc makes the same SEAMCALLs and returns the same for 0 to 400 'no
entropy' answers then success, another error or the next code; the twins with one more try, or the continuing case
of another code, fail. So in a do/while: ``case X: continue;`` goes to its test ``--left`` (``if (err == X) continue;
break;``, continued's do/while form), and an endless ``do { } while (1)`` is read as a ``for (;;)``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_answeralike import _gcc_runs
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_as_gcc_counts
from tests.harness.test_switch_shapes import CALL, _endless, _sw
from tests.harness.test_unseen_retry_shapes import NAK, UNCHANGED, gate

GO_ON = "\t\t\tif (--left)\n\t\t\t\tcontinue;\n\t\t\tbreak;\n"
DEFAULT = "\t\tdefault:\n\t\t\tbreak;\n"


def _cased(cases: str, count: str = DECL, head: str = "for (;;)") -> str:
    """RETRY_SAFE's loop made an endless one ending in ``switch (err) { cases } break;``, the counter by ``count``."""
    return _endless(_sw(cases) + "\t\tbreak;\n", head).replace(DECL, count)


def _done(case: str, count: str = "RDRAND_RETRY_LOOPS", test: str = "--left", label: str = "TDX_RND_NO_ENTROPY") -> str:
    """RETRY_SAFE's loop made ``do { <the call> switch (err) { case LABEL: CASE default: break; } break; } while
    (TEST);``, the counter set to ``count``."""
    head = RETRY_SAFE[:RETRY_SAFE.index(DECL)]
    switch = _sw(f"\t\tcase {label}:\n{case}{DEFAULT}")
    return head + f"\tint left = {count};\n\tu64 err;\n\n\tdo {{\n{CALL}{switch}\t\tbreak;\n\t}} while ({test});\n" \
        "\treturn err;\n}\n"


def _block(before: str) -> str:
    """A case's ``if (--left) { BEFORE continue; } break;``."""
    return f"\t\t\tif (--left) {{\n\t\t\t\t{before}\n\t\t\t\tcontinue;\n\t\t\t}}\n\t\t\tbreak;\n"


def _breaks(test: str) -> str:
    """A group's ``if (TEST) break; continue;``."""
    return f"\t\t\tif ({test})\n\t\t\t\tbreak;\n\t\t\tcontinue;\n"


X_CASE = "\t\tcase TDX_RND_NO_ENTROPY:\n"
_SUCCESS = "\t\tcase 0:\n\t\t\tbreak;\n\t\tdefault:\n"
TEST_OR = "err != TDX_RND_NO_ENTROPY || !--left"
COUNTER_FIRST = "!--left || err != TDX_RND_NO_ENTROPY"
MORE = "\tint left = RDRAND_RETRY_LOOPS + 1;\n"
HELPER = "static bool sc_no_entropy(u64 e)\n{\n\treturn e == TDX_RND_NO_ENTROPY;\n}\n\n"
HELPER_FIRST = "!--left || !sc_no_entropy(err)"
TRIES = DECL + "\tint tries = 0;\n"  # a count of the tries nothing reads
MEMBER = DECL + "\tstruct { int n; long m; } st = { 0 };\n"  # the same in a local struct's member
TWO = TRIES + "\tint n = 0;\n"
COMMA = "\t\t\ttries++, n += 2;\n"
TAG = "struct sc_tally {\n\tint n;\n\tlong m;\n};\n\n"
TAGGED = DECL + "\tstruct sc_tally st = { 0 };\n"

CASES = {
    # INCONCLUSIVE before ('a changed condition no run tells apart': the case label).
    "default breaks": (_cased("\t\tcase TDX_RND_NO_ENTROPY:\n" + GO_ON + DEFAULT), PASS),
    "no default": (_cased("\t\tcase TDX_RND_NO_ENTROPY:\n" + GO_ON), PASS),
    "0 breaks, in while (1)": (_cased("\t\tcase 0:\n\t\t\tbreak;\n\t\tcase TDX_RND_NO_ENTROPY:\n" + GO_ON
                                            + DEFAULT, head="while (1)"), PASS),
    # Twins the runs show apart.
    "one more try": (_cased("\t\tcase TDX_RND_NO_ENTROPY:\n" + GO_ON + DEFAULT,
                            "\tint left = RDRAND_RETRY_LOOPS + 1;\n"), FAIL),
    "another code continues": (_cased("\t\tcase 0:\n" + GO_ON + DEFAULT), FAIL),
    # Near miss gcc counts alike, not read: a statement in the case before its test.
    "a statement before the test": (_cased("\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\terr |= 0;\n" + GO_ON + DEFAULT),
                                    INCONCLUSIVE),
    # A statement before the test that does nothing a run sees (INCONCLUSIVE before); one more try fails; a delay
    # (time a rate limit would see) is not left out.
    "cpu_relax() before the test": (_cased("\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tcpu_relax();\n" + GO_ON + DEFAULT),
                                    PASS),
    "cpu_relax() before, one more try": (_cased("\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tcpu_relax();\n" + GO_ON + DEFAULT,
                                                "\tint left = RDRAND_RETRY_LOOPS + 1;\n"), FAIL),
    "udelay(1) before the test": (_cased("\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tudelay(1);\n" + GO_ON + DEFAULT),
                                  INCONCLUSIVE),
    "do/while, cpu_relax() before": (_done("\t\t\tcpu_relax();\n\t\t\tcontinue;\n"), PASS),
    # A helper of the files before the test, read in its body: it only relaxes.
    "a helper that relaxes before the test": (
        "static inline void sc_pause(void)\n{\n\tcpu_relax();\n}\n\n" + _cased(
            "\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tsc_pause();\n" + GO_ON + DEFAULT), PASS),
    # In a do/while (INCONCLUSIVE before): the case's bare 'continue' goes to the loop's test '--left', or the loop
    # is an endless 'do { } while (1)' whose test holds.
    "do/while, the case continues": (_done("\t\t\tcontinue;\n"), PASS),
    "do/while (1), the counter in the case": (_done(GO_ON, test="1"), PASS),
    # Twins the runs show apart: one more try; another code continuing.
    "do/while, one more try": (_done("\t\t\tcontinue;\n", "RDRAND_RETRY_LOOPS + 1"), FAIL),
    "do/while (1), one more try": (_done(GO_ON, "RDRAND_RETRY_LOOPS + 1", "1"), FAIL),
    "do/while, another code continues": (_done("\t\t\tcontinue;\n", label="0"), FAIL),
    # Near miss gcc counts alike, not read: a statement before the bare 'continue'.
    "do/while, a statement before": (_done("\t\t\terr |= 0;\n\t\t\tcontinue;\n"), INCONCLUSIVE),
    # A store into a local nothing reads ('tries++;'), before the case's test or the switch, or in the plain loop:
    # left out (INCONCLUSIVE before). Twins: one more try (FAIL); the count read after the loop, or volatile: said.
    "an unread count before the test": (_cased(X_CASE + "\t\t\ttries++;\n" + GO_ON + DEFAULT, TRIES), PASS),
    "an unread count before the switch": (_cased(X_CASE + GO_ON + DEFAULT, TRIES).replace(
        "\t\tswitch (err)", "\t\ttries += 2;\n\t\tswitch (err)"), PASS),
    "an unread count in the plain loop": (RETRY_SAFE.replace(DECL, TRIES).replace(
        "\t\tif (err !=", "\t\ttries -= 1;\n\t\tif (err !="), PASS),
    "an unread count, one more try": (_cased(X_CASE + "\t\t\ttries++;\n" + GO_ON + DEFAULT,
                                             TRIES.replace("LOOPS;", "LOOPS + 1;")), FAIL),
    "a count read after the loop": (_cased(X_CASE + "\t\t\ttries++;\n" + GO_ON + DEFAULT, TRIES).replace(
        "\treturn err;\n", "\treturn tries > 100 ? 0 : err;\n"), INCONCLUSIVE),
    "a volatile count": (_cased(X_CASE + "\t\t\ttries++;\n" + GO_ON + DEFAULT,
                                TRIES.replace("int tries", "volatile int tries")), INCONCLUSIVE),
    # The unread store cast to void, in the for's start and step, or into a local struct's member: left out
    # (INCONCLUSIVE before h604). Twins: one more try (FAIL); the member read after the loop, a volatile struct: said.
    "an unread count cast to void": (_cased(X_CASE + "\t\t\t(void)tries++;\n" + GO_ON + DEFAULT, TRIES), PASS),
    "an unread count in the for's start and step": (
        _cased(X_CASE + GO_ON + DEFAULT, TRIES, "for (tries = 3;; tries += 2)"), PASS),
    "an unread member count": (_cased(X_CASE + "\t\t\tst.n++;\n" + GO_ON + DEFAULT, MEMBER), PASS),
    "an unread count cast to void, one more try": (_cased(X_CASE + "\t\t\t(void)tries++;\n" + GO_ON + DEFAULT,
                                                          TRIES.replace("LOOPS;", "LOOPS + 1;")), FAIL),
    "an unread count in the for's step, one more try": (_cased(X_CASE + GO_ON + DEFAULT, TRIES.replace(
        "LOOPS;", "LOOPS + 1;"), "for (;; tries++)"), FAIL),
    "an unread member count, one more try": (_cased(X_CASE + "\t\t\tst.n++;\n" + GO_ON + DEFAULT,
                                                    MEMBER.replace("LOOPS;", "LOOPS + 1;")), FAIL),
    "a member count read after the loop": (_cased(X_CASE + "\t\t\tst.n++;\n" + GO_ON + DEFAULT, MEMBER).replace(
        "\treturn err;\n", "\treturn st.n > 100 ? 0 : err;\n"), INCONCLUSIVE),
    "a member count of a volatile struct": (_cased(X_CASE + "\t\t\tst.n++;\n" + GO_ON + DEFAULT, MEMBER.replace(
        "struct {", "volatile struct {")), INCONCLUSIVE),
    # A comma of unread stores in the case (INCONCLUSIVE before h613). Twins: one more try (FAIL); an operand read
    # after the loop, or one storing into the answer: said.
    "a comma of unread counts": (_cased(X_CASE + COMMA + GO_ON + DEFAULT, TWO), PASS),
    "a comma of unread counts, one more try": (_cased(X_CASE + COMMA + GO_ON + DEFAULT, TWO.replace(
        "LOOPS;", "LOOPS + 1;")), FAIL),
    "a comma of counts, one read after the loop": (_cased(X_CASE + COMMA + GO_ON + DEFAULT, TWO).replace(
        "\treturn err;\n", "\treturn n > 100 ? 0 : err;\n"), INCONCLUSIVE),
    # A member of a struct declared by a file-scope tag (INCONCLUSIVE before h613). Twins: one more try (FAIL); the
    # member read after the loop, a volatile member: said.
    "an unread member count of a tag's struct": (TAG + _cased(X_CASE + "\t\t\tst.n++;\n" + GO_ON + DEFAULT, TAGGED),
                                                 PASS),
    "an unread member count of a tag's struct, one more try": (TAG + _cased(
        X_CASE + "\t\t\tst.n++;\n" + GO_ON + DEFAULT, TAGGED.replace("LOOPS;", "LOOPS + 1;")), FAIL),
    "a member count of a tag's struct read after the loop": (TAG + _cased(
        X_CASE + "\t\t\tst.n++;\n" + GO_ON + DEFAULT, TAGGED).replace(
        "\treturn err;\n", "\treturn st.n > 100 ? 0 : err;\n"), INCONCLUSIVE),
    "a volatile member count of a tag's struct": (TAG.replace("\tint n;", "\tvolatile int n;") + _cased(
        X_CASE + "\t\t\tst.n++;\n" + GO_ON + DEFAULT, TAGGED), INCONCLUSIVE),
    "a comma of a count and a store into the answer": (_cased(X_CASE + COMMA.replace("n += 2", "err |= 0") + GO_ON
                                                              + DEFAULT, TWO), INCONCLUSIVE),
    # 'if (--left) { ...; continue; }': what the block runs before its 'continue' does nothing a run sees (INCONCLUSIVE
    # before h604). Twins: one more try (FAIL); a delay, a store into the answer: said.
    "cpu_relax() in the block before the continue": (_cased(X_CASE + _block("cpu_relax();") + DEFAULT), PASS),
    "an unread count in the block": (_cased(X_CASE + _block("tries++;") + DEFAULT, TRIES), PASS),
    "cpu_relax() in the block, one more try": (_cased(X_CASE + _block("cpu_relax();") + DEFAULT,
                                                      "\tint left = RDRAND_RETRY_LOOPS + 1;\n"), FAIL),
    "udelay(1) in the block": (_cased(X_CASE + _block("udelay(1);") + DEFAULT), INCONCLUSIVE),
    "a store into the answer in the block": (_cased(X_CASE + _block("err |= 0;") + DEFAULT), INCONCLUSIVE),
    # 'if (T) break; continue;': the group leaving where T holds, going on elsewhere, is 'if (!T) continue; break;'
    # ('!' taken in through '||', '!!K' as K; the counter tested first put last, the answer test pure): INCONCLUSIVE
    # before h604. Twins: one more try, another code, '&&' for '||', the counter first and read after the loop (FAIL).
    "the case breaks on its counter, else continues": (_cased(X_CASE + _breaks("!--left") + DEFAULT), PASS),
    "the default breaks on the answer or its counter": (_cased(_SUCCESS + _breaks(TEST_OR)), PASS),
    "the case breaks on its counter, one more try": (_cased(X_CASE + _breaks("!--left") + DEFAULT, MORE), FAIL),
    "the default breaks on the answer or its counter, one more try": (_cased(_SUCCESS + _breaks(TEST_OR), MORE), FAIL),
    "the default breaks on another answer or its counter": (_cased(_SUCCESS + _breaks(TEST_OR.replace(
        "TDX_RND_NO_ENTROPY", "0x1234"))), FAIL),
    "the default breaks on the answer and its counter": (_cased(_SUCCESS + _breaks(TEST_OR.replace("||", "&&"))),
                                                         FAIL),
    "the default breaks on its counter or the answer": (_cased(_SUCCESS + _breaks(COUNTER_FIRST)), PASS),
    "the default breaks on its counter or the answer, one more try": (_cased(_SUCCESS + _breaks(COUNTER_FIRST), MORE),
                                                                      FAIL),
    "the default breaks on its counter or the answer, the counter read after": (_cased(
        _SUCCESS + _breaks(COUNTER_FIRST)).replace("\treturn err;\n", "\treturn err + left;\n"), FAIL),
    # The answer asked of a helper returning a value of its parameter (INCONCLUSIVE before, either order); twins: one
    # more try, the counter read after (FAIL); a helper reading a file-scope variable is not put before the step.
    "the default breaks on its counter or a helper's answer": (HELPER + _cased(_SUCCESS + _breaks(HELPER_FIRST)), PASS),
    "the default breaks on a helper's answer or its counter": (HELPER + _cased(_SUCCESS + _breaks(
        "!sc_no_entropy(err) || !--left")), PASS),
    "the default breaks on its counter or a helper's answer, one more try": (
        HELPER + _cased(_SUCCESS + _breaks(HELPER_FIRST), MORE), FAIL),
    "the default breaks on its counter or a helper's answer, the counter read after": (HELPER + _cased(
        _SUCCESS + _breaks(HELPER_FIRST)).replace("\treturn err;\n", "\treturn err + left;\n"), FAIL),
    "the default breaks on its counter or a helper's answer, the helper reading a file's variable": (
        "static u64 sc_seen;\n\n" + HELPER.replace("TDX_RND_NO_ENTROPY;", "TDX_RND_NO_ENTROPY && !sc_seen;") +
        _cased(_SUCCESS + _breaks(HELPER_FIRST)), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_case_that_continues_on_its_counter_is_the_exit_test_turned_round(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)


ALL_BUT = RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY", "err == TDX_SUCCESS")  # every error retried
DEFAULT_GOES_ON = "\t\tdefault:\n" + GO_ON


def _default_tests(test: str) -> str:
    """Success's group breaking, the default's ``if (TEST && --left) continue; break;``."""
    return f"\t\tcase TDX_SUCCESS:\n\t\t\tbreak;\n\t\tdefault:\n\t\t\tif ({test} && --left)\n\t\t\t\tcontinue;\n" \
        "\t\t\tbreak;\n"


DEFAULT_CASES = {
    # The default's group continuing: taken where the answer is no other group's constant (INCONCLUSIVE before).
    "default continues": (ALL_BUT, "\t\tcase TDX_SUCCESS:\n\t\t\tbreak;\n" + DEFAULT_GOES_ON, "", PASS),
    "a case falls into the default": (
        ALL_BUT, "\t\tcase TDX_SUCCESS:\n\t\t\tbreak;\n\t\tcase TDX_RND_NO_ENTROPY:\n" + DEFAULT_GOES_ON, "", PASS),
    # Twins the runs show apart: one more try; success retried too.
    "default continues, one more try": (ALL_BUT, "\t\tcase TDX_SUCCESS:\n\t\t\tbreak;\n" + DEFAULT_GOES_ON, " + 1",
                                        FAIL),
    "default continues, success retried": (ALL_BUT, "\t\tcase 0x1234:\n\t\t\tbreak;\n" + DEFAULT_GOES_ON, "", FAIL),
    # The default testing the answer again with its counter, 'default: if (err == X && --left) continue;': read as
    # 'err != TDX_SUCCESS && err == X && --left', the loop going on for X alone (INCONCLUSIVE before).
    "default tests the code": (RETRY_SAFE, _default_tests("err == TDX_RND_NO_ENTROPY"), "", PASS),
    "default tests the code in unlikely()": (RETRY_SAFE, _default_tests("unlikely(err == TDX_RND_NO_ENTROPY)"), "",
                                             PASS),
    # Twins the runs show apart: one more try; another code; one more code (0x1234).
    "default tests the code, one more try": (RETRY_SAFE, _default_tests("err == TDX_RND_NO_ENTROPY"), " + 1", FAIL),
    "default tests another code": (RETRY_SAFE, _default_tests("err == 0x1234"), "", FAIL),
    "default tests one more code": (
        RETRY_SAFE, _default_tests("(err == TDX_RND_NO_ENTROPY || err == 0x1234)"), "", FAIL),
}


@pytest.mark.parametrize("name", list(DEFAULT_CASES))
def test_a_default_that_continues_is_the_test_of_every_other_answer(tmp_path: Path, name: str) -> None:
    before, cases, more, want = DEFAULT_CASES[name]
    after = _cased(cases, f"\tint left = RDRAND_RETRY_LOOPS{more};\n")
    assert (_gcc_runs(tmp_path, before) == _gcc_runs(tmp_path, after)) is (want is PASS), name
    found = gate(tmp_path, before, after)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: want, NAK: want}, found


LDR = "#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n\n"
TWO_DONE = LDR + RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY", "err == TDX_SUCCESS || err == SEAMLDR_RND_NO_ENTROPY")
TWO_KEPT = LDR + RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY",
                                    "(err != TDX_RND_NO_ENTROPY && err != SEAMLDR_RND_NO_ENTROPY)")
EITHER = "err == TDX_RND_NO_ENTROPY || err == SEAMLDR_RND_NO_ENTROPY"


def _inside(test: str) -> str:
    """A group's ``if (TEST) { if (--left) continue; } break;``."""
    return f"\t\t\tif ({test}) {{\n\t\t\t\tif (--left)\n\t\t\t\t\tcontinue;\n\t\t\t}}\n\t\t\tbreak;\n"


BOTH_DONE = "\t\tcase TDX_SUCCESS:\n\t\tcase SEAMLDR_RND_NO_ENTROPY:\n\t\t\tbreak;\n"
BOTH_KEPT = "\t\tcase TDX_RND_NO_ENTROPY:\n\t\tcase SEAMLDR_RND_NO_ENTROPY:\n" + GO_ON + DEFAULT
SEVERAL = {
    # 'if (err == A || err == B || !--left) break;' against the switch breaking on A and B, the default going on;
    # '(err != A && err != B) || !--left' against A and B's group going on: INCONCLUSIVE before.
    "two break codes": (TWO_DONE, BOTH_DONE + DEFAULT_GOES_ON, "", PASS),
    "two break codes, a group each": (TWO_DONE, "\t\tcase TDX_SUCCESS:\n\t\t\tbreak;\n"
                                      "\t\tcase SEAMLDR_RND_NO_ENTROPY:\n\t\t\tbreak;\n" + DEFAULT_GOES_ON, "", PASS),
    "two continuing codes": (TWO_KEPT, BOTH_KEPT, "", PASS),
    # Twins the runs show apart: one more try; one code dropped.
    "two break codes, one more try": (TWO_DONE, BOTH_DONE + DEFAULT_GOES_ON, " + 1", FAIL),
    "one break code of two": (TWO_DONE, "\t\tcase TDX_SUCCESS:\n\t\t\tbreak;\n" + DEFAULT_GOES_ON, "", FAIL),
    "two continuing codes, one more try": (TWO_KEPT, BOTH_KEPT, " + 1", FAIL),
    "one continuing code of two": (TWO_KEPT, "\t\tcase TDX_RND_NO_ENTROPY:\n" + GO_ON + DEFAULT, "", FAIL),
    # The default's own test an '||' of the two codes (pinned, PASS since h591's _and_after); twin: one code another.
    "two codes the default tests": (TWO_KEPT, _default_tests(f"({EITHER})"), "", PASS),
    "two codes the default tests, one another": (TWO_KEPT, _default_tests(f"({EITHER})".replace(
        "SEAMLDR_RND_NO_ENTROPY", "0x1234")), "", FAIL),
    # 'if (P) { if (K) continue; } break;' is 'if (P && K) continue; break;' (INCONCLUSIVE before h604); twins.
    "two codes the default tests, its counter inside": (TWO_KEPT, _SUCCESS + _inside(EITHER), "", PASS),
    "two codes the default tests, its counter inside, one more try": (TWO_KEPT, _SUCCESS + _inside(EITHER), " + 1",
                                                                      FAIL),
    "two codes the default tests, its counter inside, one another": (TWO_KEPT, _SUCCESS + _inside(EITHER.replace(
        "SEAMLDR_RND_NO_ENTROPY", "0x1234")), "", FAIL),
}


@pytest.mark.parametrize("name", list(SEVERAL))
def test_several_codes_of_an_if_are_the_switch_of_their_cases(tmp_path: Path, name: str) -> None:
    before, cases, more, want = SEVERAL[name]
    after = LDR + _cased(cases, f"\tint left = RDRAND_RETRY_LOOPS{more};\n")
    assert (_gcc_runs(tmp_path, before) == _gcc_runs(tmp_path, after)) is (want is PASS), name
    found = gate(tmp_path, before, after)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: want, NAK: want}, found

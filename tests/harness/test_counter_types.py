"""sc_retry()'s counter declared otherwise, or its exit test split, against gcc.

sc_retry()'s counter declared otherwise under the same exit test ('int left' made 'u8 left'), or its exit test split
into an early return and a counter test: the same decision where both loops go round as many times
(harness.countedalike), checked against gcc's build of both loops."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, helpers, preparing_series
from tests.mailgen import write_mbox

PASS, FAIL, INCONCLUSIVE = VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.INCONCLUSIVE
RULES = ("nak-no-kernel-change", "tdx-module-calls-unchanged")  # the bundled rules: behaviour as before 'Prepare'
DECL = "\tint left = RDRAND_RETRY_LOOPS;\n"


def _declared(decl: str, before: str = "") -> str:
    """RETRY_SAFE with its counter declared by ``decl``, ``before`` written above sc_retry()."""
    assert DECL in RETRY_SAFE
    return RETRY_SAFE.replace(DECL, f"\t{decl}\n").replace("static __always_inline u64 sc_retry(",
                                                           before + "static __always_inline u64 sc_retry(", 1)


CASES = {
    # The same behaviour: INCONCLUSIVE before ('reads a name whose value changed: left ... the value it reads is not
    # worked out (set by a call or more than once, or stored to)').
    "u8": (_declared("u8 left = RDRAND_RETRY_LOOPS;"), PASS),
    "unsigned short": (_declared("unsigned short left = RDRAND_RETRY_LOOPS;"), PASS),
    "long": (_declared("long left = RDRAND_RETRY_LOOPS;"), PASS),
    # Near misses. 300 tries kept in a u8 are 44 (gcc), and one more try: the runs answering 'no entropy' show them.
    "u8 of 300": (_declared("u8 left = 300;"), FAIL),
    "one more": (_declared("int left = RDRAND_RETRY_LOOPS + 1;"), FAIL),
    # gcc counts these alike too, but the count is not worked out: plain char (signed or not by -f[un]signed-char),
    # a typedef of the file's own. Never guessed.
    "char": (_declared("char left = RDRAND_RETRY_LOOPS;"), INCONCLUSIVE),
    "own typedef": (_declared("sc_count_t left = RDRAND_RETRY_LOOPS;", "typedef unsigned char sc_count_t;\n\n"),
                    INCONCLUSIVE),
    # The counter read past the loop: no longer the exit test's alone.
    "read after": (_declared("u8 left = RDRAND_RETRY_LOOPS;").replace("\treturn err;\n}",
                                                                      "\treturn left ? err : err;\n}"), INCONCLUSIVE),
}

_ORACLE = """\
#include <stdbool.h>
#include <stdio.h>
typedef unsigned long long u64;
typedef unsigned char u8;
struct tdx_module_args { int unused; };
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#define __always_inline inline
#define RDRAND_RETRY_LOOPS 10
#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL
#define lockdep_assert_preemption_disabled() do { } while (0)
#define this_cpu_write(var, val) do { } while (0)
#define preempt_disable() do { } while (0)
#define cpu_relax() __asm__ __volatile__("rep; nop" ::: "memory")
#define udelay(n) do { } while (0)
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#define preempt_enable() do { } while (0)
static int calls, busy;
static u64 last;
static u64 answer(u64 fn, struct tdx_module_args *args) { return ++calls <= busy ? TDX_RND_NO_ENTROPY : last; }
"""


def _gcc_counts(tmp_path: Path, loop: str) -> list[str]:
    """The SEAMCALLs gcc's build of ``loop`` makes and what it returns when the first k answers are 'no entropy' (k =
    0 to 400), then success, another error or the next code; as the kernel builds (-funsigned-char)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    main = ("int main(void)\n{\n\tstatic const u64 lasts[] = { 0, 0x1234, TDX_RND_NO_ENTROPY + 1 };\n"
            "\tfor (int i = 0; i < 3; i++)\n\t\tfor (busy = 0; busy <= 400; busy++) {\n\t\t\tcalls = 0;\n"
            "\t\t\tlast = lasts[i];\n\t\t\tu64 ret = sc_retry(answer, 1, 0);\n"
            "\t\t\tprintf(\"%d:%llx \", calls, ret);\n\t\t}\n\treturn 0;\n}\n")
    src.write_text(_ORACLE + loop + main)
    subprocess.run(["gcc", "-O1", "-funsigned-char", "-Wall", "-Wno-overflow", "-Wno-unused-function", "-o", str(exe),
                    str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()


def judged_as_gcc_counts(tmp_path: Path, loop: str, want: VerdictStatus, name: str) -> None:
    """gcc's build of ``loop`` counts as RETRY_SAFE's (the same SEAMCALLs and return for every answer) unless
    ``want`` is FAIL, and the bundled rules judge v2 of the series with ``loop`` as ``want``: an INCONCLUSIVE one
    naming the changed condition no run tells apart."""
    alike = _gcc_counts(tmp_path, loop) == _gcc_counts(tmp_path, RETRY_SAFE)
    assert alike is (want is not FAIL), name
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    for rule in RULES:
        assert got[rule][0] is want, (rule, got[rule])
    if want is INCONCLUSIVE:
        assert all("a changed condition no run tells apart" in got[r][1] for r in RULES), got



def judged_between(tmp_path: Path, case: tuple[str, str, VerdictStatus], name: str) -> None:
    """For ``case`` (before, after, want), the sc_retry() bodies of a series' base and of its v2 (seriesgen.helpers):
    gcc's builds count alike unless ``want`` is FAIL, and the bundled rules judge v2 as ``want``, an INCONCLUSIVE one
    naming the changed condition no run tells apart."""
    before, after, want = case
    alike = _gcc_counts(tmp_path, after) == _gcc_counts(tmp_path, before)
    assert alike is (want is not FAIL), name
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(after), base=helpers(before)))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    for rule in RULES:
        assert got[rule][0] is want, (name, rule, got[rule])
    if want is INCONCLUSIVE:
        assert all("a changed condition no run tells apart" in got[r][1] for r in RULES), got

@pytest.mark.parametrize("name", list(CASES))
def test_a_counter_declared_otherwise_is_the_same_test_where_the_counts_agree(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    assert loop != RETRY_SAFE
    alike = _gcc_counts(tmp_path, loop) == _gcc_counts(tmp_path, RETRY_SAFE)
    assert alike is (want is not FAIL), name  # gcc: the same SEAMCALLs for every answer, but where it fails
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    for rule in RULES:
        assert got[rule][0] is want, (rule, got[rule])
    if want is INCONCLUSIVE:
        assert all("reads a name whose value changed: left" in got[r][1] or "'return left ? err : err;'" in got[r][1]
                   for r in RULES), got


TEST = "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n"
EARLY = "\t\tif (err != TDX_RND_NO_ENTROPY)\n\t\t\treturn err;\n\t\tif (!--left)\n\t\t\tbreak;\n"
RETURN = "\treturn err;\n}"
FIRST = "\t\tif (!--left)\n\t\t\tbreak;\n\t\tif (err != TDX_RND_NO_ENTROPY)\n\t\t\treturn err;\n"
DONE = "static inline int sc_done(u64 err)\n{\n\treturn err != TDX_RND_NO_ENTROPY;\n}\n\n"
CALLED = RETRY_SAFE.replace(TEST, FIRST.replace("err != TDX_RND_NO_ENTROPY", "sc_done(err)")).replace(
    "static __always_inline u64 sc_retry(", DONE + "static __always_inline u64 sc_retry(", 1)
ELSE_CALLED = CALLED.replace("\t\tif (sc_done(err))\n\t\t\treturn err;\n", "\t\telse if (sc_done(err))\n\t\t\tbreak;\n")
SEEN = CALLED.replace("static inline int sc_done", "static u64 sc_seen;\n\nstatic inline int sc_done").replace(
    "return err != TDX_RND_NO_ENTROPY;", "return err != TDX_RND_NO_ENTROPY || sc_seen;")  # a file's variable read
EARLY_CASES = {
    # The same behaviour: INCONCLUSIVE before ('a condition of sc_retry() changed ... -> 'if (err !=
    # TDX_RND_NO_ENTROPY)' ...; none in v2:01 -> 'if (!--left)' ...: neither the scenarios that ran nor ...').
    "early return": (RETRY_SAFE.replace(TEST, EARLY), PASS),
    "early return in a while (1)": (RETRY_SAFE.replace(TEST, EARLY).replace("for (;;)", "while (1)"), PASS),
    # Twins: the runs show these apart.
    "another value once the tries run out": (RETRY_SAFE.replace(TEST, EARLY).replace(RETURN, "\treturn -16;\n}"),
                                             FAIL),
    "one more try": (RETRY_SAFE.replace(TEST, EARLY.replace("!--left", "left-- == 0")), FAIL),
    "another value for one answer": (RETRY_SAFE.replace(TEST, EARLY.replace("return err;",
                                                                            "return err == 0x1234 ? 0 : err;")), FAIL),
    # The counter tested first: it steps in the round the early return ends too, where nothing reads it after
    # (INCONCLUSIVE before, h474's near miss).
    "counter tested first": (RETRY_SAFE.replace(TEST, FIRST), PASS),
    "counter tested first in a while (1)": (RETRY_SAFE.replace(TEST, FIRST).replace("for (;;)", "while (1)"), PASS),
    # Its twins: the runs show these apart.
    "counter first, another value once the tries run out": (RETRY_SAFE.replace(TEST, FIRST).replace(
        RETURN, "\treturn -16;\n}"), FAIL),
    "counter first, one more try": (RETRY_SAFE.replace(TEST, FIRST.replace("!--left", "!left--")), FAIL),
    # The counter tested first before an answer test calling a helper that returns a value of its parameter alone
    # (models.valuecalls.pure_in: nothing the counter test, true, skips is seen), an early return or an 'else if'
    # breaking (INCONCLUSIVE before); twins: one more try FAIL, a helper reading a file's variable not read.
    "counter first before a call": (CALLED, PASS),
    "counter first before a call, else breaking": (ELSE_CALLED, PASS),
    "counter first before a call, one more try": (CALLED.replace("!--left", "!left--"), FAIL),
    "counter first before a call, else breaking, one more try": (ELSE_CALLED.replace("!--left", "!left--"), FAIL),
    "counter first before a call reading a file's variable": (SEEN, INCONCLUSIVE),
    # Near misses, the same behaviour (gcc) but not read: a statement between the loop and its return.
    "a statement between": (RETRY_SAFE.replace(TEST, EARLY).replace(RETURN, "\terr |= 0;\n" + RETURN), INCONCLUSIVE),
    "counter first, a statement between": (RETRY_SAFE.replace(TEST, FIRST).replace(RETURN, "\terr |= 0;\n" + RETURN),
                                           INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(EARLY_CASES))
def test_an_exit_test_split_into_an_early_return_is_the_same_test_where_the_counts_agree(tmp_path: Path,
                                                                                         name: str) -> None:
    loop, want = EARLY_CASES[name]
    assert loop != RETRY_SAFE and TEST not in loop
    judged_as_gcc_counts(tmp_path, loop, want, name)


FLAG = "\t\tagain = err == TDX_RND_NO_ENTROPY && --left;\n\t\tif (!again)\n\t\t\tbreak;\n"
OUTER = "\tu64 err;\n"  # the flag declared beside err, at the top of sc_retry()


def _flag(test: str = FLAG, decl: str = "\tbool again;\n") -> str:
    return RETRY_SAFE.replace(TEST, test).replace(OUTER, OUTER + decl)


FLAG_CASES = {
    # The exit test kept in a flag set right before it: INCONCLUSIVE before ('a condition of sc_retry() changed ... ->
    # 'if (!again)' ...: neither the scenarios that ran nor the answers next to what it tests tell the two apart').
    "flag": (_flag(), PASS),
    "flag declared in the loop": (RETRY_SAFE.replace(TEST, "\t\tbool again = err == TDX_RND_NO_ENTROPY && --left;\n\n"
                                                           "\t\tif (!again)\n\t\t\tbreak;\n"), PASS),
    "flag of the exit test": (_flag("\t\tdone = err != TDX_RND_NO_ENTROPY || !--left;\n\t\tif (done)\n\t\t\tbreak;\n",
                                    "\tint done;\n"), PASS),
    # Twins the runs show apart.
    "flag, one more try": (_flag(FLAG.replace("--left", "left--")), FAIL),
    "flag of the other sense": (_flag(FLAG.replace("&&", "||")), FAIL),
    # Near misses, not read: the flag read after the loop, a statement between it and its test, a static flag,
    # another answer retried too (gcc: not alike, for an answer no script gives).
    "flag read after": (_flag().replace(RETURN, "\treturn again ? err : err;\n}"), INCONCLUSIVE),
    "statement between": (_flag(FLAG.replace("\t\tif (!again)", "\t\terr |= 0;\n\t\tif (!again)")), INCONCLUSIVE),
    "static flag": (_flag(decl="\tstatic bool again;\n"), INCONCLUSIVE),
    # The counter declared otherwise: gcc alike, and the flag loop's count walked (harness.retrycounts.walked_counts;
    # INCONCLUSIVE before it, no count of a flag loop worked out).
    "u8 counter": (_flag().replace(DECL, "\tu8 left = RDRAND_RETRY_LOOPS;\n"), PASS),
    "another answer retried": (_flag(FLAG.replace("err == TDX_RND_NO_ENTROPY", "(err == TDX_RND_NO_ENTROPY || err == "
                                                                               "0x1234)")), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(FLAG_CASES))
def test_an_exit_test_kept_in_a_flag_right_before_it_is_the_same_test(tmp_path: Path, name: str) -> None:
    loop, want = FLAG_CASES[name]
    assert loop != RETRY_SAFE and TEST not in loop
    alike = _gcc_counts(tmp_path, loop) == _gcc_counts(tmp_path, RETRY_SAFE)
    assert alike is (want is not FAIL and name != "another answer retried"), name
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    for rule in RULES:
        assert got[rule][0] is want, (rule, got[rule])

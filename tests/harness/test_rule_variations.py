"""The review rules against what a next revision may write: helpers renamed or added, logging moved, counts spelt anew.

Each case is the 'Prepare' patch of a generated v2 (tests.harness.seriesgen.preparing_series) making one change of
sc_retry() or sc_retry_prerr(), with the verdict the rule owes it: PASS where the code does what it did (a proof on
both sides, or runs that show every way), FAIL where a run shows a difference, INCONCLUSIVE where what differs is
not worked out (a register no value run sets, inline asm the mirror does not run). A false PASS is the worst verdict
a gate gives: the cases that changed behaviour for answers or leaves no script gives are here with theirs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, preparing_series
from tests.harness.test_changed_values import RULES as RULE
from tests.mailgen import write_mbox

RET = "\treturn err;\n}"
CALL = "\t\terr = sc_mark_dirty(op, fn, args);\n"
PASS, FAIL, INCONCLUSIVE = VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.INCONCLUSIVE


def _h(retry: str = RETRY_SAFE, printers: str = PRINTERS) -> str:
    return PREAMBLE + retry + "\n" + printers + TAIL


LOG_HELPER = PRINTERS.replace(
    "static __always_inline int sc_retry_prerr(",
    "static inline int sc_report(u64 fn, u64 err, struct tdx_module_args *args)\n{\n\tseamcall_err(fn, err, args);\n"
    "\treturn -EIO;\n}\n\nstatic __always_inline int sc_retry_prerr(").replace(
    "\tseamcall_err(fn, err, args);\n\treturn -EIO;\n}\n\n#define", "\treturn sc_report(fn, err, args);\n}\n\n#define")
TRIES = "#define SC_TRIES\tRDRAND_RETRY_LOOPS\n#define SEAMLDR_LEAF_BIT"
ENUM_TRIES = "enum sc_counts {{ SC_FIRST = 7, SC_SECOND, SC_TRIES = SC_SECOND + {} - 8 }};\n#define SEAMLDR_LEAF_BIT"

CASES = {
    # The same behaviour, written otherwise.
    "helper-renamed": (_h(RETRY_SAFE.replace("sc_mark_dirty", "sc_call_dirty")), PASS),
    "logging-moved-into-a-helper": (_h(printers=LOG_HELPER), PASS),
    "count-as-a-macro": (_h(RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = SC_TRIES;")).replace(
        "#define SEAMLDR_LEAF_BIT", TRIES), PASS),
    # An enumerator of file scope is its int value (models.fileenums): before, 'a value of sc_retry() changed ...
    # for SC_TRIES = 0x1, 0x2, ...' left the enum's count inconclusive, blocking the gate on a respelt constant.
    "count-in-an-enum": (_h(RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = SC_TRIES;")).replace(
        "#define SEAMLDR_LEAF_BIT", ENUM_TRIES.format(10)), PASS),
    "count-in-an-enum-one-fewer": (_h(RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = SC_TRIES;")
                                      ).replace("#define SEAMLDR_LEAF_BIT", ENUM_TRIES.format(9)), FAIL),
    "a-barrier-added": (_h(RETRY_SAFE.replace(RET, "\tbarrier();\n" + RET)), PASS),
    "cpu-relax-between-tries": (_h(RETRY_SAFE.replace("\t\t\tbreak;\n\t}\n", "\t\t\tbreak;\n\t\tcpu_relax();\n\t}\n")),
                                PASS),
    # Behaviour changed where a run shows it.
    "fewer-tries-in-a-const": (_h(RETRY_SAFE.replace("\tint left = RDRAND_RETRY_LOOPS;\n",
                                                     "\tconst int tries = 3;\n\tint left = tries;\n")), FAIL),
    "count-up-one-too-many": (_h(RETRY_SAFE.replace("\tint left = RDRAND_RETRY_LOOPS;\n", "\tint tries = 0;\n").replace(
        "!--left", "++tries > RDRAND_RETRY_LOOPS")), FAIL),
    "an-output-register-cleared": (_h(RETRY_SAFE.replace(RET, "\targs->rdx = 0;\n" + RET)), FAIL),
    "a-mask-in-a-macro": (_h("#define sc_clean(e) ((e) & ~0x10ULL)\n\n" + RETRY_SAFE.replace(
        RET, "\treturn sc_clean(err);\n}")), FAIL),
    "a-helper-with-a-loop-storing-through-a-pointer": (_h(
        "static inline void sc_clean(u64 *e)\n{\n\tint i;\n\n\tfor (i = 0; i < 1; i++)\n\t\t*e &= ~0x10ULL;\n}\n\n" +
        RETRY_SAFE.replace(RET, "\tsc_clean(&err);\n" + RET)), FAIL),
    "a-statement-macro-storing": (_h("#define SC_CLEAN(e) do { (e) &= ~0x10ULL; } while (0)\n\n" + RETRY_SAFE.replace(
        RET, "\tSC_CLEAN(err);\n" + RET)), FAIL),
    "a-static-counter-in-a-helper": (_h(
        "static inline u64 sc_limit(u64 e)\n{\n\tstatic int n;\n\n\tif (++n > 1000)\n\t\treturn 0;\n"
        "\treturn e;\n}\n\n" + RETRY_SAFE.replace(RET, "\treturn sc_limit(err);\n}")), FAIL),
    "args-cleared-on-a-bit": (_h(RETRY_SAFE.replace(RET, "\tif (err & 0x10)\n\t\tmemset(args, 0, sizeof(*args));\n" +
                                                    RET)), FAIL),
    "a-second-retry-code": (_h(RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY",
                                                  "err != TDX_RND_NO_ENTROPY && err != 0x8000020300000010ULL")), FAIL),
    # Changed where no run can show it, and not worked out: said, never passed.
    "inline-asm-on-the-answer": (_h(RETRY_SAFE.replace(RET, '\tasm volatile("andq $-17, %0" : "+r"(err));\n' + RET)),
                                 INCONCLUSIVE),
    "the-leaf-masked-into-the-seamcall": (_h(RETRY_SAFE.replace(CALL, "\t\terr = sc_mark_dirty(op, fn & ~0x10ULL, "
                                                                      "args);\n")), INCONCLUSIVE),
    "a-store-through-a-local-pointer": (_h(RETRY_SAFE.replace("\tu64 err;\n", "\tu64 err;\n\tu64 *p = &err;\n").replace(
        RET, "\t*p &= ~0x10ULL;\n" + RET)), INCONCLUSIVE),
    "an-input-register-masked": (_h(RETRY_SAFE.replace(CALL, "\t\targs->rcx &= ~0x10ULL;\n" + CALL)), INCONCLUSIVE),
    "an-output-register-tested": (_h(RETRY_SAFE.replace(RET, "\tif (args->r8 & 0x10)\n\t\targs->r8 = 0;\n" + RET)),
                                  INCONCLUSIVE),
    "args-restored-on-a-bit": (_h(RETRY_SAFE.replace(
        "\tu64 err;\n", "\tu64 err;\n\tstruct tdx_module_args saved = *args;\n").replace(
        RET, "\tif (err & 0x10)\n\t\t*args = saved;\n" + RET)), INCONCLUSIVE),
    "the-answer-cleared-for-a-leaf": (_h(RETRY_SAFE.replace(RET, "\tif (fn == 0x10)\n\t\terr = 0;\n" + RET)),
                                      INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_equivalence_rule_s_verdict_on_a_rewrite(tmp_path: Path, name: str) -> None:
    header, want = CASES[name]
    (tmp_path / "r.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    assert v.status is want, (v.status, v.note)


SEAMLDR_BUSY = "0x8000000000030001ULL"
BUNDLED = {  # the bundled rules (series/p-seamldr/rules.toml) on a rewrite: rule id -> the verdict owed
    "retried-through-a-helper": (_h(
        f"static inline bool sc_busy(u64 err)\n{{\n\treturn err == TDX_RND_NO_ENTROPY || err == {SEAMLDR_BUSY};\n}}\n\n"
        + RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY", "!sc_busy(err)")),
        {"seamldr-no-entropy-not-retried": FAIL, "tdx-module-calls-unchanged": FAIL}),
    "retried-through-a-switch": (_h(RETRY_SAFE.replace(
        "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n",
        f"\t\tswitch (err) {{\n\t\tcase TDX_RND_NO_ENTROPY:\n\t\tcase {SEAMLDR_BUSY}:\n\t\t\tif (--left)\n"
        "\t\t\t\tcontinue;\n\t\t}\n\t\tbreak;\n")), {"seamldr-no-entropy-not-retried": FAIL}),
    "unlikely-through-a-macro": (_h(RETRY_SAFE.replace(
        "if (err != TDX_RND_NO_ENTROPY || !--left)", "if (sc_rare(err != TDX_RND_NO_ENTROPY) || !--left)")).replace(
        "#define SEAMLDR_LEAF_BIT", "#define sc_rare(x) unlikely(x)\n#define SEAMLDR_LEAF_BIT"),
        {"no-unlikely-in-sc-retry": FAIL, "nak-no-kernel-change": PASS}),
    "logging-moved-into-a-helper": (_h(printers=LOG_HELPER),
                                    {"nak-no-kernel-change": PASS, "seamldr-no-entropy-not-retried": PASS}),
}


@pytest.mark.parametrize("name", list(BUNDLED))
def test_the_bundled_rules_verdicts_on_a_rewrite(tmp_path: Path, name: str) -> None:
    header, want = BUNDLED[name]
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    got = {v.rule.id: v.status for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    assert {k: got.get(k) for k in want} == want, got

"""A bound on the SEAMCALLs met only because each script stopped answering a retried code.

A bound on the SEAMCALLs that the runs met only because each script stopped answering what the code retries on
(harness.retrybound)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

RULE = """\
[[rule]]
id = "bounded"
reviewer = "Ann Author"
summary = "a SEAMCALL is made at most 12 times"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = "seamcall" }
expect = { calls_at_most = 12 }
"""
_COUNT = "\tint left = RDRAND_RETRY_LOOPS;\n"
# The bundled matrix answers "no entropy" at most 11 times in a row, then success.
TRIES = {10: RETRY_SAFE, 13: RETRY_SAFE.replace(_COUNT, "\tint left = RDRAND_RETRY_LOOPS + 3;\n"),
         # a module parameter of 13
         131: "static int sc_tries = 13;\nmodule_param(sc_tries, int, 0444);\n\n"
         + RETRY_SAFE.replace(_COUNT, "\tint left = sc_tries;\n"),
         # 13 read from a table by the leaf: a bound the code does not fix (harness.retrycounts adds no count)
         132: "static const int sc_tries[2] = { 13, 13 };\n\n"
         + RETRY_SAFE.replace(_COUNT, "\tint left = sc_tries[fn >> 63];\n")}


def _judge(tmp_path: Path, loop: str, matrix: Path | None = None, rule: str = RULE
           ) -> tuple[VerdictStatus, str, list[str]]:
    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(loop)),))]
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, steps, sender="Ann Author <ann@example.org>", cover="demo"))
    (tmp_path / "rules.toml").write_text(rule)
    g = evaluate_gate(GateRequest((mbox,), "v1", rules=tmp_path / "rules.toml", matrix=matrix, jobs=1,
                                  time_budget=0))
    (v,) = g.verdicts
    return v.status, v.note, [e.actual for e in v.evidence]


def test_a_bound_the_code_fixes_is_run_at(tmp_path: Path) -> None:
    # 13 tries made at most 12 SEAMCALLs in every run of the matrix's counts (11 "no entropy", then success): the
    # rule PASSED, then was INCONCLUSIVE. The scripts now also answer 12, 13 and 14 times (harness.retrycounts): 13
    # SEAMCALLs, as gcc makes natively (crosscheck --matrix with repeat_first 20: every outcome agrees). A script of
    # the matrix's own answering 20 times failed it the same way (that test is this one now); the loop counted up,
    # 'i <= 12', is counted as 13 tries in tests/models/test_retrycount.py.
    status, note, evidence = _judge(tmp_path, TRIES[13])
    assert status is VerdictStatus.FAIL and "13 SEAMCALLs (TDX module), returns 0x8000020300000000" in evidence, note


def test_a_bound_past_every_scripts_answers_is_not_passed(tmp_path: Path) -> None:
    # A count of 13 the code does not fix (read from a table: a module parameter's is below): no script runs at it,
    # and the rule is not passed on runs that stop at 12.
    status, note, _ = _judge(tmp_path, TRIES[132])
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "seamcall (leaf TDH_SYS_INIT, TDH_SYS_LP_INIT, SEAMLDR_INFO, SEAMLDR_INSTALL) went round all 11 answers " \
        "0x8000020300000000 of script tdx-no-entropy-x11 and stopped at the next: no run stops while still answered " \
        "0x8000020300000000, so that it gives up within 12 SEAMCALLs on more such answers is not shown" in note, note


def test_a_loop_seen_giving_up_keeps_its_pass(tmp_path: Path) -> None:
    # 10 tries: the run answered 11 times stops at 10 while still answered "no entropy": its bound is shown.
    status, note, _ = _judge(tmp_path, TRIES[10])
    assert status is VerdictStatus.PASS, note


_TEST = "err != TDX_RND_NO_ENTROPY || !--left"
# A retry no script's answers take: on an output register (seamcall_ret() writes the answer's rcx back into args), or
# through a helper reading one.
UNTAKEN = {"register": RETRY_SAFE.replace(_TEST, "err != TDX_RND_NO_ENTROPY || args->rcx != 5 || !--left"),
           "helper": "static inline bool is_retryable(u64 err, struct tdx_module_args *args)\n{\n"
                     "\treturn err == TDX_RND_NO_ENTROPY && args->rdx == 0x77;\n}\n\n"
                     + RETRY_SAFE.replace(_TEST, "!is_retryable(err, args) || !--left")}


@pytest.mark.parametrize("kind", sorted(UNTAKEN))
def test_a_bound_over_a_retry_no_run_took_is_not_passed(tmp_path: Path, kind: str) -> None:
    # 'at most 1 SEAMCALL': every run made one, and the rule PASSED, though the loop retries "no entropy" answered
    # with rcx 5. gcc, natively, with a script answering that: 10 SEAMCALLs (crosscheck: every outcome agrees).
    rule = RULE.replace("calls_at_most = 12", "calls_at_most = 1").replace('"seamcall"', '"seamcall_ret"')
    status, note, _ = _judge(tmp_path, UNTAKEN[kind], rule=rule)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "a test in sc_retry() at arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note, note
    assert "a scenario that runs them would decide" in note, note


def test_a_script_taking_the_retry_fails_the_bound(tmp_path: Path) -> None:
    from harness.manifest import bundled_manifests

    matrix = tmp_path / "m.toml"
    bundled = (bundled_manifests()[0].parent / "matrix.toml").read_text()
    matrix.write_text(bundled.replace('[[script]]\nname = "success"', '[[script]]\nname = "rcx5"\n'
                                      'answers = [{ code = "TDX_NO_ENTROPY", rcx = 0x5 }]\n\n'
                                      '[[script]]\nname = "success"', 1))
    rule = RULE.replace("calls_at_most = 12", "calls_at_most = 1").replace('"seamcall"', '"seamcall_ret"')
    status, note, evidence = _judge(tmp_path, UNTAKEN["register"], matrix, rule)
    assert status is VerdictStatus.FAIL and "10 SEAMCALLs (TDX module), returns 0x8000020300000000" in evidence, \
        (note, evidence)


def test_two_seamcalls_after_success_are_no_retry() -> None:
    # A script answering success, then something else: code making a second SEAMCALL of its own after success went
    # "round" no retried answer, and nothing is said of it.
    from harness.matrix import Entry, Script, Unit
    from harness.matrix import Scenario as Cell
    from harness.retrybound import unshown_bounds
    from models.machine import Answer, SeamCall
    from models.outcome import Outcome, OutcomeStatus

    script = Script("success-then-busy", (Answer(0), Answer(5)), "")
    cell = Cell("e/L/s/u", Entry("e", ("u",), ("fn", "args")), "L", 1, script, Unit("u", "u.c"))
    calls = tuple(SeamCall("__seamcall", 1, "TDX module", code, 1, False, (), "x.c:1") for code in (0, 5))
    assert unshown_bounds([(cell, Outcome(OutcomeStatus.OK, calls))], 3) == []
    busy = Script("busy-then-success", (Answer(5), Answer(0)), "")
    again = Cell("e/L/b/u", cell.entry, "L", 1, busy, cell.unit)
    said = unshown_bounds([(again, Outcome(OutcomeStatus.OK, calls[::-1]))], 3)
    assert said and said[0].startswith("e (leaf L) went round all 1 answers 0x5 of script busy-then-success"), said



@pytest.mark.parametrize("kind", ["deadlock", "runtime"])
def test_a_run_the_c_stopped_shows_no_bound(kind: str) -> None:
    # One run went round the busy answer its script gives once and stopped at the next; another, of three busy
    # answers, stopped on the C itself after the first (a lock it held taken again, undefined behaviour): it never
    # gave up, so it shows no bound, and the first run's note stays. It hid the note before.
    from harness.matrix import Entry, Script, Unit
    from harness.matrix import Scenario as Cell
    from harness.retrybound import unshown_bounds
    from models.machine import Answer, SeamCall
    from models.outcome import ErrorKind, Outcome, OutcomeStatus

    entry, unit = Entry("e", ("u",), ("fn", "args")), Unit("u", "u.c")
    once = Cell("e/L/once/u", entry, "L", 1, Script("once", (Answer(5), Answer(0)), ""), unit)
    three = Cell("e/L/three/u", entry, "L", 1, Script("three", (Answer(5),) * 3 + (Answer(0),), ""), unit)
    calls = tuple(SeamCall("__seamcall", 1, "TDX module", code, 1, False, (), "x.c:1") for code in (5, 0))
    stuck = Outcome(OutcomeStatus.ERROR, calls[:1], error="x.c:2: stopped", error_kind=ErrorKind(kind))
    said = unshown_bounds([(once, Outcome(OutcomeStatus.OK, calls)), (three, stuck)], 3)
    assert said and said[0].startswith("e (leaf L) went round all 1 answers 0x5 of script once"), said


def test_a_bound_on_a_count_a_module_parameter_gives_is_not_passed(tmp_path: Path) -> None:
    # 'int left = sc_tries;' with sc_tries a module parameter of 10 (RDRAND_RETRY_LOOPS): every run stops at 10, and
    # 'calls_at_most = 10' PASSED, though 'modprobe ... sc_tries=11' (or a write to its sysfs file) makes 11.
    loop = ("static int sc_tries = RDRAND_RETRY_LOOPS;\nmodule_param(sc_tries, int, 0644);\n\n"
            + RETRY_SAFE.replace(_COUNT, "\tint left = sc_tries;\n"))
    status, note, _ = _judge(tmp_path, loop, rule=RULE.replace("calls_at_most = 12", "calls_at_most = 10"))
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "sc_retry() (arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note, note
    assert "reads sc_tries, a module parameter (arch/x86/virt/vmx/tdx/seamcall_internal.h:9): the runs take it at " \
        "its initial value" in note, note


def test_a_bound_on_a_count_code_no_run_executes_sets_is_not_passed(tmp_path: Path) -> None:
    # The same count set by a __setup() handler ('sc_tries=11' on the kernel command line): every run stops at 10,
    # and 'calls_at_most = 10' passed, only module_param() being read as a count set from outside the runs.
    setup = ('static int sc_tries = RDRAND_RETRY_LOOPS;\n\nstatic int __init sc_tries_setup(char *s)\n{\n'
             '\treturn !kstrtoint(s, 0, &sc_tries);\n}\n__setup("sc_tries=", sc_tries_setup);\n\n')
    status, note, _ = _judge(tmp_path, setup + RETRY_SAFE.replace(_COUNT, "\tint left = sc_tries;\n"),
                             rule=RULE.replace("calls_at_most = 12", "calls_at_most = 10"))
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_tries, a variable code no run executes may set: sc_tries_setup() (arch/x86/virt/vmx/tdx/" \
        "seamcall_internal.h:" in note and "the runs take it at its initial value" in note, note


def test_a_bound_on_a_count_a_pointer_holds_is_not_passed(tmp_path: Path) -> None:
    # A pointer holding sc_tries' address (a cast hid the '&'), written through by a setter no entry point reaches:
    # 'calls_at_most = 10' passed, every run reading sc_tries at its initializer.
    head = "static int sc_tries = RDRAND_RETRY_LOOPS;\nstatic int *sc_knob = (int *)&sc_tries;\n\n" \
        "static void sc_knob_set(int n)\n{\n\t*sc_knob = n;\n}\n\n"
    status, note, _ = _judge(tmp_path, head + RETRY_SAFE.replace(_COUNT, "\tint left = sc_tries;\n"),
                             rule=RULE.replace("calls_at_most = 12", "calls_at_most = 10"))
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_tries, a variable code no run executes may set: sc_knob (arch/x86/virt/vmx/tdx/seamcall_internal" \
        ".h:9) holds its address, taken at arch/x86/virt/vmx/tdx/seamcall_internal.h:9" in note, note


def test_module_parameters_are_read_in_each_form() -> None:
    from harness.retrybound import module_parameters
    from models.loader import Source

    text = ("static int a = 1;\nmodule_param(a, int, 0444);\nstatic int b;\nmodule_param_named(tries, b, int, 0644);\n"
            "static int c;\nmodule_param_cb(c_knob, &ops, &c, 0644);\nmodule_param(d->e, int, 0);\n")
    found = module_parameters([Source("x.c", ((1, tuple(text.splitlines())),), True)])
    assert found == {"a": "x.c:2", "b": "x.c:4", "c": "x.c:6"}, found


def test_module_parameters_read_a_piece_once_and_the_first_file_s_line_wins() -> None:
    # Each variant's sources hold the same pieces again: each is read once, whatever Source holds it.
    from harness import retrybound
    from models.loader import Source

    piece = (1, ("static int a;", "module_param(a, int, 0444);"))
    other = (5, ("static int b;", "module_param(b, int, 0444);", "module_param_named(a2, a, int, 0644);"))
    retrybound._piece_parameters.cache_clear()
    first = retrybound.module_parameters([Source("x.c", (piece,), False), Source("y.c", (other,), False)])
    again = retrybound.module_parameters([Source("x.c", (piece,), False), Source("y.c", (other,), False)])
    assert first == again == {"a": "x.c:2", "b": "y.c:6"}
    assert retrybound._piece_parameters.cache_info().misses == 2
    assert retrybound.module_parameters([Source("y.c", (other,), False)]) == {"b": "y.c:6", "a": "y.c:7"}


def _exact(count: int, entry: str = "seamcall", script: str | None = None) -> str:
    """RULE with an exact count (``calls = N``) over ``entry`` (and one script)."""
    where = f'{{ entry = "{entry}"' + (f', script = "{script}"' if script else "") + " }"
    return RULE.replace("calls_at_most = 12", f"calls = {count}").replace('{ entry = "seamcall" }', where)


_PARAM10 = ("static int sc_tries = RDRAND_RETRY_LOOPS;\nmodule_param(sc_tries, int, 0644);\n\n"
            + RETRY_SAFE.replace(_COUNT, "\tint left = sc_tries;\n"))
# An exact count met short of a retry no run took (a loop of 13 tries: its count never ran out, '!--left' never true),
# or at a module parameter's initial value: each PASSED (gate exit 0), as calls_at_most did before 53592f1, 85c2c47.
EXACT = {"retry not taken": (UNTAKEN["register"], _exact(1, "seamcall_ret"), "a scenario that runs them would decide"),
         "count never out": (TRIES[132], _exact(12, script="tdx-no-entropy-x11"), "!--left)') always came out false"),
         "module parameter": (_PARAM10, _exact(10, script="tdx-no-entropy-x11"), "reads sc_tries, a module parameter"),
         # a least count the same: 'sc_tries=1' makes one SEAMCALL
         "least, module parameter": (_PARAM10, _exact(10, script="tdx-no-entropy-x11").replace("calls =",
                                                                                             "calls_at_least ="),
                                     "reads sc_tries, a module parameter")}


@pytest.mark.parametrize("kind", sorted(EXACT))
def test_an_exact_count_the_runs_met_as_a_bound_is_not_passed(tmp_path: Path, kind: str) -> None:
    loop, rule, said = EXACT[kind]
    status, note, _ = _judge(tmp_path, loop, rule=rule)
    assert status is VerdictStatus.INCONCLUSIVE and said in note, note


@pytest.mark.parametrize("script, count", [("tdx-no-entropy-x11", 10), ("tdx-no-entropy-x1", 2)])
def test_an_exact_count_of_a_script_keeps_its_pass(tmp_path: Path, script: str, count: int) -> None:
    # 10 tries, whose count other runs saw run out: 11 "no entropy" answers stop them at 10 while still answered;
    # one such answer, then success, makes 2, that script's count (no run of x1 gives up while answered: no matter).
    status, note, _ = _judge(tmp_path, TRIES[10], rule=_exact(count, script=script))
    assert status is VerdictStatus.PASS, note


def test_an_exact_count_past_the_answers_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # The oracle: with "no entropy" answered 20 times, gcc from the variant's own text makes the SEAMCALLs the mirror
    # does (crosscheck: every outcome agrees), and 'calls = 12' on the 11-answer script, met there, then fails on the
    # 20-answer one: 13 SEAMCALLs.
    from harness.crosspipeline import CrossRequest, cross_check
    from harness.manifest import bundled_manifests
    matrix = tmp_path / "m.toml"
    bundled = bundled_manifests()[0].parent / "matrix.toml"
    matrix.write_text(bundled.read_text().replace("repeat_first = [1, 9, 10, 11]", "repeat_first = [1, 9, 10, 11, 20]"))
    rule = RULE.replace("calls_at_most = 12", "calls = 12").replace(
        '{ entry = "seamcall" }', '{ entry = "seamcall", script = ["tdx-no-entropy-x11", "tdx-no-entropy-x20"] }')
    status, note, evidence = _judge(tmp_path, TRIES[13], matrix, rule)
    assert status is VerdictStatus.FAIL and "13 SEAMCALLs (TDX module), returns 0x8000020300000000" in evidence, note
    r = cross_check(CrossRequest((tmp_path / "s.mbox",), matrix=matrix, jobs=1, time_budget=0)).result
    assert r.disagreements == [] and sum(r.compared.values()) > 0, [d.divergence for d in r.disagreements]


# sc_retry() as a macro whose loop reads a module parameter: the macro entry point seamcall() expands to the loop in
# the wrapper that runs it (CodeFacts.retry_roles keys it by the entry), which no function of the facts reads.
_MACRO_LOOP = ("static unsigned int retries = RDRAND_RETRY_LOOPS;\nmodule_param(retries, uint, 0644);\n\n"
               + RETRY_SAFE.split("static __always_inline u64 sc_retry(", 1)[0]
               + "#define sc_retry(op, fn, args) ({\t\t\t\t\\\n\tint __left = retries;\t\t\t\\\n"
               "\tu64 __err;\t\t\t\t\\\n\t\t\t\t\t\t\\\n"
               "\tdo {\t\t\t\t\t\\\n\t\t__err = sc_mark_dirty(op, fn, args);\t\\\n"
               "\t} while (__err == TDX_RND_NO_ENTROPY && --__left);\t\\\n\t__err;\t\t\t\t\t\\\n})\n")


def test_a_count_a_module_parameter_gives_a_macro_entrys_loop_is_not_passed(tmp_path: Path) -> None:
    status, note, _ = _judge(tmp_path, _MACRO_LOOP, rule=RULE.replace("calls_at_most = 12", "calls_at_most = 10"))
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "seamcall() (arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note, note
    assert "reads retries, a module parameter (arch/x86/virt/vmx/tdx/seamcall_internal.h:9): the runs take it at " \
        "its initial value" in note, note

"""An equivalence rule over code that reads a variable a new module parameter sets.

An equivalence rule over code that reads a variable a module parameter newly sets (harness.newparams): the runs
take its initial value, and another, given at load time or through sysfs, is compared nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import Verdict, VerdictStatus
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

RULE = "tdx-module-calls-unchanged"  # the bundled one: TDX-module SEAMCALLs retry and return as before
HEAD = "static __always_inline u64 sc_retry("
COUNTED = helpers(RETRY_SAFE).replace("\tint left = RDRAND_RETRY_LOOPS;\n", "\tint left = sc_tries;\n").replace(
    HEAD, "static int sc_tries = RDRAND_RETRY_LOOPS;\n\n" + HEAD)
PARAM = "module_param(sc_tries, int, 0644);\n"


def _verdict(tmp_path: Path, base: str, prepared: str) -> Verdict:
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, prepared),))])
    found = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1)).verdicts
    return next(v for v in found if v.rule.id == RULE)


def test_a_count_made_a_module_parameter_is_not_passed(tmp_path: Path) -> None:
    # 'Prepare' adds the module_param() line alone: every run the same (sc_tries loaded as 10), and the rule passed
    # (gate exit 0 on it), though 'modprobe ... sc_tries=1' stops TDX-module calls retrying.
    found = _verdict(tmp_path, COUNTED, COUNTED.replace(HEAD, PARAM + "\n" + HEAD))
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert f"sc_tries ({NEW_HOME}:" in found.note and "is set outside the runs in v2, not in v2:01: a module " \
        f"parameter sets it ({NEW_HOME}:" in found.note, found.note
    assert "at load time or through sysfs; sc_retry() reads it: the runs take its initial value" in found.note, \
        found.note


def test_a_module_parameter_both_sides_have_is_compared_as_before(tmp_path: Path) -> None:
    # Both sides load it alike: the change (a comment) is judged on its runs.
    tuned = COUNTED.replace(HEAD, PARAM + "\n" + HEAD)
    found = _verdict(tmp_path, tuned, tuned.replace("\tu64 err;\n", "\tu64 err; /* the answer */\n", 1))
    assert found.status is VerdictStatus.PASS, (found.status, found.note)


def test_a_module_parameter_no_compared_code_reads_is_no_matter(tmp_path: Path) -> None:
    other = COUNTED.replace(HEAD, "static bool sc_verbose;\nmodule_param(sc_verbose, bool, 0644);\n\n" + HEAD)
    found = _verdict(tmp_path, COUNTED, other)
    assert found.status is VerdictStatus.PASS, (found.status, found.note)


SETTERS = {
    "__setup": 'static int __init sc_tries_setup(char *s)\n{\n\treturn !kstrtoint(s, 0, &sc_tries);\n}\n'
               '__setup("sc_tries=", sc_tries_setup);\n',
    "debugfs": 'static int __init sc_debugfs_init(void)\n{\n\tdebugfs_create_u32("sc_tries", 0644, NULL, &sc_tries);\n'
               '\treturn 0;\n}\nlate_initcall(sc_debugfs_init);\n',
    "a store no entry point reaches": "static inline void sc_set_tries(int n)\n{\n\tsc_tries = n;\n}\n",
    "sysctl": 'static struct ctl_table sc_table[] = {\n\t{ .procname = "sc_tries", .data = &sc_tries, '
              '.maxlen = sizeof(int), .mode = 0644 },\n};\n',
}


@pytest.mark.parametrize("setter", list(SETTERS))
def test_a_count_code_no_run_executes_sets_is_not_passed(tmp_path: Path, setter: str) -> None:
    # As a module parameter: a handler of the kernel command line, a debugfs file, a setter nothing compared calls.
    # Each passed (gate exit 0 on the rule): no run executes them, and the runs read sc_tries at its initializer.
    found = _verdict(tmp_path, COUNTED, COUNTED.replace(HEAD, SETTERS[setter] + "\n" + HEAD))
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert f"sc_tries ({NEW_HOME}:" in found.note and "is set outside the runs in v2, not in v2:01: " in found.note, \
        found.note
    said = {"sysctl": "holds its address, taken at",
            "a store no entry point reaches": "which no run executes, stores to it"}
    assert said.get(setter, "which no run executes, takes its address at") in found.note, \
        found.note


# A function no run executes testing a bit of the count, '(n) & sc_tries' (a parameter and'ed with it), and its twin
# handing on the count's address behind a cast to a typedef of the file, '(sc_addr_t) & sc_tries', which text alone
# reads the same.
TESTER = "static bool sc_tries_has(int n)\n{\n\treturn (n) & sc_tries;\n}\n"
CASTER = "typedef unsigned long sc_addr_t;\n\nstatic void sc_knob_init(void)\n{\n" \
    "\tsc_knob_register((sc_addr_t) & sc_tries);\n}\n"


def test_a_count_a_function_no_run_executes_and_s_with_a_value_is_compared_as_before(tmp_path: Path) -> None:
    # Inconclusive before ('sc_tries_has() ..., which no run executes, takes its address'): a read, no address.
    found = _verdict(tmp_path, COUNTED, COUNTED.replace(HEAD, TESTER + "\n" + HEAD))
    assert found.status is VerdictStatus.PASS, (found.status, found.note)
    found = _verdict(tmp_path, COUNTED, COUNTED.replace(HEAD, CASTER + "\n" + HEAD))
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert f"is set outside the runs in v2, not in v2:01: sc_knob_init() ({NEW_HOME}:19), which no run executes, " \
        f"takes its address at {NEW_HOME}:21" in found.note, found.note


KNOB_SET = "static void sc_knob_set(int n)\n{\n\t*sc_knob = n;\n}\n"
# A variable whose address goes where no run follows it, and a setter writing through the pointer it is given there.
ESCAPES = {
    "a cast": "static int *sc_knob = (int *)&sc_tries;\n",
    "parentheses": "static int *sc_knob = &(sc_tries);\n",
}


@pytest.mark.parametrize("escape", list(ESCAPES))
def test_a_count_whose_address_a_pointer_holds_is_not_passed(tmp_path: Path, escape: str) -> None:
    # Each passed (gate exit 0 on the rule): the cast or the parentheses hid the '&' from the scan; the runs read
    # sc_tries at its initializer, and sc_knob_set(), which none executes, writes through the pointer.
    found = _verdict(tmp_path, COUNTED, COUNTED.replace(HEAD, ESCAPES[escape] + "\n" + KNOB_SET + "\n" + HEAD))
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert f"is set outside the runs in v2, not in v2:01: sc_knob ({NEW_HOME}:17) holds its address, taken at " \
        f"{NEW_HOME}:17" in found.note, found.note


def test_an_array_a_table_holds_is_not_passed(tmp_path: Path) -> None:
    # A sysctl table's '.data = sc_counts': an array's name is its address (C11 6.3.2.1p3), and no '&' was there.
    counted = COUNTED.replace("static int sc_tries = RDRAND_RETRY_LOOPS;",
                              "static int sc_counts[2] = { RDRAND_RETRY_LOOPS, 1 };").replace(
        "\tint left = sc_tries;\n", "\tint left = sc_counts[0];\n")
    table = 'static struct ctl_table sc_table[] = {\n\t{ .procname = "sc_counts", .data = sc_counts, ' \
            '.maxlen = sizeof(sc_counts), .mode = 0644 },\n};\n'
    found = _verdict(tmp_path, counted, counted.replace(HEAD, table + "\n" + HEAD))
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert f"sc_counts ({NEW_HOME}:15) is set outside the runs in v2, not in v2:01: sc_table ({NEW_HOME}:17) holds " \
        f"its address, taken at {NEW_HOME}:18" in found.note, found.note


def test_a_const_count_whose_address_goes_is_compared_as_before(tmp_path: Path) -> None:
    # A store through the pointer would be undefined (C11 6.7.3p6): the initial value is the only one; it was
    # inconclusive ('sc_knob holds its address').
    fixed = COUNTED.replace("static int sc_tries", "static const int sc_tries")
    found = _verdict(tmp_path, fixed, fixed.replace(HEAD, "static const int *sc_knob = &sc_tries;\n\n" + HEAD))
    assert found.status is VerdictStatus.PASS, (found.status, found.note)


def test_an_address_taken_only_in_code_that_ran_is_compared_as_before(tmp_path: Path) -> None:
    # The runs follow the local pointer: the change (a comment) is judged on them.
    pointed = COUNTED.replace("\tint left = sc_tries;\n", "\tint *count = &sc_tries;\n\tint left = *count;\n")
    found = _verdict(tmp_path, pointed, pointed.replace("\tu64 err;\n", "\tu64 err; /* the answer */\n", 1))
    assert found.status is VerdictStatus.PASS, (found.status, found.note)


def test_a_count_read_through_a_getter_code_no_run_executes_writes_through_is_not_passed(tmp_path: Path) -> None:
    # sc_retry() reads the count through sc_count() on both sides; the variant adds sc_set(), which stores through
    # it: passed, the runs reading sc_tries at its initializer and no store to sc_tries spelt anywhere.
    getter = COUNTED.replace(HEAD, "static int *sc_count(void)\n{\n\treturn &sc_tries;\n}\n\n" + HEAD).replace(
        "\tint left = sc_tries;\n", "\tint left = *sc_count();\n")
    found = _verdict(tmp_path, getter, getter.replace(HEAD, "static void sc_set(int n)\n{\n\t*sc_count() = n;\n}\n\n"
                                                      + HEAD))
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert f"is set outside the runs in v2, not in v2:01: sc_count() returns its address ({NEW_HOME}:19), and " \
        f"sc_set() ({NEW_HOME}:22), which no run executes, calls it; sc_count() reads it" in found.note, found.note

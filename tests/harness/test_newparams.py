"""An equivalence rule over code that reads a variable a module parameter newly sets (harness.newparams): the runs
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
    assert ("holds its address" if setter == "sysctl" else "which no run executes, stores to it") in found.note, \
        found.note

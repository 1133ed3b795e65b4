"""A patch handing the build a preprocessor macro: no rule passes on code not run as built.

A patch handing the build a preprocessor macro (``ccflags-y += -DSC_RETRY_LOOPS=1`` over ``#ifndef SC_RETRY_LOOPS``)
in a Makefile known from hunks only, or a tree's line not read: the mirror cannot run the code as built, so no rule
passes on it (lines read are applied: tests/harness/test_kbuilddefs.py). Oracle: gcc -E with and without the flag."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    MAKEFILE,
    MAKEFILE_BASE,
    NEW_HOME,
    PREPARE,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
    with_objects,
)
from tests.mailgen import write_mbox

BASE = helpers(RETRY_SAFE)
# A default the build may override: what 'Prepare' makes of sc_retry()'s bound.
GUARDED = BASE.replace("typedef u64", "#ifndef SC_RETRY_LOOPS\n#define SC_RETRY_LOOPS\tRDRAND_RETRY_LOOPS\n#endif\n\n"
                       "typedef u64", 1).replace("int left = RDRAND_RETRY_LOOPS;", "int left = SC_RETRY_LOOPS;")
KEPT = ("nak-no-kernel-change", "tdx-module-calls-unchanged")


def _verdicts(tmp: Path, flags: str | None) -> dict[str, tuple[VerdictStatus, str]]:
    """v4: the helper header, 'Prepare' making its bound ``SC_RETRY_LOOPS`` (and adding ``flags`` to the Makefile),
    then a wrapper whose Makefile line builds it."""
    made = MAKEFILE_BASE + (f"{flags}\n" if flags else "")
    prepare = ((NEW_HOME, BASE, GUARDED), *(((MAKEFILE, MAKEFILE_BASE, made),) if flags else ()))
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, BASE),)),
                        Step(PREPARE, prepare),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), (MAKEFILE, made, with_objects(made, "seamldr_ops.o"))))])
    g = evaluate_gate(GateRequest((write_mbox(tmp / "v4.mbox", msgs),), "v4", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


@pytest.mark.parametrize("flags", ["ccflags-y += -DSC_RETRY_LOOPS=1", "CFLAGS_tdx.o := -D SC_RETRY_LOOPS=1",
                                   "ccflags-y += -I$(src) \\\n\t-DSC_RETRY_LOOPS=1"])
def test_a_preprocessor_flag_a_patch_adds_leaves_no_pass(tmp_path: Path, flags: str) -> None:
    # Before: both passed (v4: READY, exit 0), the runs built without the flag: 10 tries on both sides.
    found = _verdicts(tmp_path, flags)
    for rule in KEPT:
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE and "v4 02/3 adds '" in note and \
            "a C preprocessor flag of the build, which the mirror does not apply" in note and \
            "known from the patches' hunks only (give --tree)" in note, (rule, status, note)


def test_without_the_flag_the_default_passes(tmp_path: Path) -> None:
    found = _verdicts(tmp_path, None)
    assert all(found[rule][0] is VerdictStatus.PASS for rule in KEPT), {r: found[r] for r in KEPT}


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_the_flag_changes_the_code_gcc_builds(tmp_path: Path) -> None:
    # The premise, from gcc: the bound is the flag's value when the build gives it, the default otherwise.
    (tmp_path / "h.h").write_text(GUARDED)

    def bound(*flags: str) -> str:
        out = subprocess.run(["gcc", "-E", "-P", "-DRDRAND_RETRY_LOOPS=10", *flags, str(tmp_path / "h.h")],
                             capture_output=True, text=True, check=True).stdout
        return next(line.strip() for line in out.splitlines() if "int left" in line)

    assert (bound(), bound("-DSC_RETRY_LOOPS=1")) == ("int left = 10;", "int left = 1;")


def _tree_flag_gate(tmp: Path, makefile: str) -> tuple[VerdictStatus, str]:
    """With --tree: a patch makes demo_retry()'s tries ``DEMO_TRIES`` with a default of 3; the tree's
    demo/Makefile is ``makefile``. The equivalence rule's verdict and note."""
    from tests.harness.variantgen import RETRY_C, tree_rule_gate

    before = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
    after = "#ifndef DEMO_TRIES\n#define DEMO_TRIES 3\n#endif\n" + before.replace("int tries = 3;",
                                                                                "int tries = DEMO_TRIES;")
    v = tree_rule_gate(tmp, before, after, others={"demo/Makefile": makefile})
    return v.status, v.note


def test_a_flag_the_trees_makefile_gives_a_macro_the_code_names_is_run_as_built(tmp_path: Path) -> None:
    # Once a false PASS (3 tries on both sides in the mirror), then INCONCLUSIVE; kbuild builds the patched code with
    # 1 try, which the mirror now runs (harness.kbuilddefs; gcc counts in tests/harness/test_kbuilddefs.py).
    status, note = _tree_flag_gate(tmp_path, "obj-y += demo.o\nccflags-y += -DDEMO_TRIES=1\n")
    assert status is VerdictStatus.FAIL, note


def test_a_flag_of_the_trees_makefile_not_read_leaves_no_pass(tmp_path: Path) -> None:
    status, note = _tree_flag_gate(tmp_path, "obj-y += demo.o\nifdef DEMO_FAST\nccflags-y += -DDEMO_TRIES=1\nendif\n")
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "'ccflags-y += -DDEMO_TRIES=1' (demo/Makefile:3, in the tree)" in note, note


def test_a_flag_of_the_trees_makefile_for_a_macro_the_code_does_not_name_keeps_the_pass(tmp_path: Path) -> None:
    status, note = _tree_flag_gate(tmp_path, "obj-y += demo.o\nccflags-y += -DDEMO_OTHER=1\n")
    assert status is VerdictStatus.PASS, note

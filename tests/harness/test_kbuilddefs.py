"""kbuild's -D/-U (ccflags-y, subdir-ccflags-y, CFLAGS_x.o) taken as gcc takes them, against make and gcc.

Oracles: GNU make reads the Kbuild file (what ``$(ccflags-y) $(CFLAGS_demo.o)`` holds), gcc builds the patched
header with those flags and counts the SEAMCALLs; the gate's verdict must match gcc's count (PASS where the tries are
as before, FAIL where not), or stay INCONCLUSIVE for a line the project does not read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.errors import InputError
from harness.filestate import full_file
from harness.kbuilddefs import COMMAND_LINE, build_defines
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import VerdictStatus
from tests.harness.variantgen import RETRY_C, tree_rule_gate

PASS, FAIL, INCONCLUSIVE = VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.INCONCLUSIVE
BEFORE = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
AFTER = "#ifndef DEMO_TRIES\n#define DEMO_TRIES 3\n#endif\n" + BEFORE.replace("int tries = 3;",
                                                                            "int tries = DEMO_TRIES;")
_COUNT = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args { int unused; };
#define pr_err(...) 0
#define EIO 5
static int calls, busy;
static u64 leaf;
static u64 __seamcall(u64 fn, struct tdx_module_args *args);
"""
_MAIN = ("static u64 __seamcall(u64 fn, struct tdx_module_args *args)\n{\n\tleaf = fn;\n"
         "\treturn ++calls <= busy ? 0x8000000000000010ULL : 0;\n}\n"
         "int main(void)\n{\n\tfor (busy = 0; busy <= 12; busy++) {\n\t\tcalls = 0;\n"
         "\t\tu64 ret = demo_retry(1, 0);\n\t\tprintf(\"%d:%llx:%llx \", calls, ret, leaf);\n\t}\n\treturn 0;\n}\n")


def _make_flags(tmp: Path, makefile: str) -> list[str]:
    """What GNU make gives demo.o from ``makefile``: ``$(subdir-ccflags-y) $(ccflags-y) $(CFLAGS_demo.o)``."""
    if shutil.which("make") is None:
        pytest.skip("make (the Makefile oracle) is not installed")
    (tmp / "Kbuild.mk").write_text(makefile)
    (tmp / "oracle.mk").write_text("src := demo\ninclude Kbuild.mk\nprint:\n\t@echo $(subdir-ccflags-y) $(ccflags-y) "
                                   "$(CFLAGS_demo.o)\n")
    return subprocess.run(["make", "-s", "-f", "oracle.mk", "print"], cwd=tmp, capture_output=True, text=True,
                          check=True).stdout.split()


def _gcc_calls(tmp: Path, header: str, flags: list[str]) -> list[str]:
    """SEAMCALLs and return of gcc's build of demo_retry() with ``flags`` (their -D/-U), for 0 to 12 busy answers."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp / "count.c", tmp / "count"
    src.write_text(_COUNT + header.replace("static inline int demo_prerr", "static inline int unused_prerr") + _MAIN)
    defines = [f for i, f in enumerate(flags) if f.startswith(("-D", "-U")) or (flags[i - 1] in ("-D", "-U") and i)]
    subprocess.run(["gcc", "-O1", "-w", *defines, "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()


# The busy code the loop retries on, built from a base the build may override (the module's answer stays
# 0x8000000000000010: _MAIN).
CODED = BEFORE.replace("#define DEMO_BUSY 0x8000000000000010ULL\n", "#ifndef DEMO_BUSY_BASE\n#define DEMO_BUSY_BASE "
                       "0x8000000000000000ULL\n#endif\n#define DEMO_BUSY (DEMO_BUSY_BASE | 0x10ULL)\n")

CASES = {
    # Before each of these: INCONCLUSIVE ('a C preprocessor flag of the build, which the mirror does not apply').
    "one try": ("obj-y += demo.o\nccflags-y += -DDEMO_TRIES=1\n", FAIL),
    "the default's value": ("obj-y += demo.o\nccflags-y += -DDEMO_TRIES=3\n", PASS),
    "the object's own": ("obj-y += demo.o\nCFLAGS_demo.o := -D DEMO_TRIES=2\n", FAIL),
    "another object's": ("obj-y += demo.o other.o\nCFLAGS_other.o += -DDEMO_TRIES=2\n", PASS),
    "undefined after": ("obj-y += demo.o\nccflags-y += -DDEMO_TRIES=1 -UDEMO_TRIES\n", PASS),
    "set again": ("obj-y += demo.o\nccflags-y += -DDEMO_TRIES=1\nccflags-y := -I$(src)\n", PASS),
    "continued": ("obj-y += demo.o\nccflags-y += -I$(src) \\\n\t-DDEMO_TRIES=4 # four\n", FAIL),
    "defined twice": ("obj-y += demo.o\nccflags-y += -DDEMO_TRIES=1\nCFLAGS_demo.o += -DDEMO_TRIES=3\n", PASS),
    "code base kept": ("obj-y += demo.o\nccflags-y += -DDEMO_BUSY_BASE=0x8000000000000000ULL\n", PASS),
    "code base moved": ("obj-y += demo.o\nccflags-y += -DDEMO_BUSY_BASE=0x4000000000000000ULL\n", FAIL),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_flag_read_is_run_as_gcc_builds_it(tmp_path: Path, name: str) -> None:
    makefile, want = CASES[name]
    after = CODED if "BUSY_BASE" in makefile else AFTER
    alike = _gcc_calls(tmp_path, after, _make_flags(tmp_path, makefile)) == _gcc_calls(tmp_path, BEFORE, [])
    assert alike is (want is PASS), name
    v = tree_rule_gate(tmp_path / "gate", BEFORE, after, others={"demo/Makefile": makefile})
    assert v.status is want, (name, v.status, v.note)
    if name == "the default's value":  # a pass says what it ran with
        assert v.note.endswith("; ran as kbuild builds it, with -DDEMO_TRIES=3"), v.note


_OTHER = "#ifndef OTHER_KNOB\n#define OTHER_KNOB 1\n#endif\nint other_knob = OTHER_KNOB;\n"
# demo_retry() in demo.c, its tries demo.c's own macro: no other file names it, so only demo.o's flags reach it.
_OWN = ('#include "h.h"\n#ifndef DEMO_UNIT_TRIES\n#define DEMO_UNIT_TRIES 3\n#endif\n'
        + BEFORE.replace("int tries = 3;", "int tries = DEMO_UNIT_TRIES;"))
UNITS = {
    # Before each of these: INCONCLUSIVE ('the units are built with different macros'), other.c being a unit of the
    # variant (its patch touches it) built without demo.o's CFLAGS or with its own.
    "another unit's own macro": ("CFLAGS_other.o += -DOTHER_KNOB=2\n", AFTER, PASS),
    "the unit's own macro": ("CFLAGS_demo.o += -DDEMO_UNIT_TRIES=1\n", _OWN, FAIL),
    "the unit's own macro, its default": ("CFLAGS_demo.o += -DDEMO_UNIT_TRIES=3\n", _OWN, PASS),
    "both units' own": ("CFLAGS_demo.o += -DDEMO_UNIT_TRIES=2\nCFLAGS_other.o += -DOTHER_KNOB=2\n", _OWN, FAIL),
    # h.h names DEMO_TRIES and only demo.c reads it, in the order gcc reads each unit (harness.tuorder): its code has
    # demo.o's flag (before: INCONCLUSIVE, 'named by demo/h.h, which more than one unit may read').
    "a header only the unit reads": ("CFLAGS_demo.o += -DDEMO_TRIES=1\n", AFTER, FAIL),
    "a header only the unit reads, its default": ("CFLAGS_demo.o += -DDEMO_TRIES=3\n", AFTER, PASS),
    # Twin: other.c reads h.h too, without the flag (3 tries there, 1 in demo.c): no one value for h.h's code.
    "a header both units read": ("CFLAGS_demo.o += -DDEMO_TRIES=1\n", AFTER, INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(UNITS))
def test_a_flag_of_one_unit_is_run_as_gcc_builds_each(tmp_path: Path, name: str) -> None:
    flags, after, want = UNITS[name]
    makefile = "obj-y += demo.o other.o\n" + flags
    other = '#include "h.h"\n' + _OTHER if "both units" in name else _OTHER
    others = {"demo/Makefile": makefile, "demo/other.c": other}
    also = {"demo/other.c": other + "int other_more;\n"}
    header = (BEFORE, after)
    if after is _OWN:  # demo.c's code is patched (h.h's comment too: the gate's patch always touches h.h)
        others["demo/demo.c"], also["demo/demo.c"], header = '#include "h.h"\n' + BEFORE, _OWN, ("/* h */\n", "/**/\n")
    v = tree_rule_gate(tmp_path / "gate", *header, others=others, also=also)
    if want is INCONCLUSIVE:  # both units read h.h: which unit's DEMO_TRIES it is read with is not one
        assert v.status is want and "DEMO_TRIES differs between demo/demo.c, demo/other.c, which name it or read " \
            "demo/h.h, which names it" in v.note, v.note
        return
    built = _make_flags(tmp_path, makefile)
    alike = _gcc_calls(tmp_path, after.replace('#include "h.h"\n', ""), built) == _gcc_calls(tmp_path, BEFORE, built)
    assert alike is (want is PASS), name
    assert v.status is want, (name, v.status, v.note)
    if name == "another unit's own macro":  # demo.o is not built with it: which unit is, is said
        assert v.note.endswith("; ran as kbuild builds it, with -DOTHER_KNOB=2 (demo/other.c)"), v.note


REFUSED = {
    "under ifdef": ("obj-y += demo.o\nifdef DEMO_FAST\nccflags-y += -DDEMO_TRIES=1\nendif\n", "under an ifeq/ifdef"),
    "by option": ("obj-y += demo.o\nccflags-$(CONFIG_DEMO) += -DDEMO_TRIES=1\n", "sets ccflags-$(CONFIG_DEMO)"),
    "by make": ("obj-y += demo.o\nccflags-y += $(call cc-option,-DDEMO_TRIES=1)\n", "made by make"),
    "function-like": ("obj-y += demo.o\nccflags-y += -DDEMO_TRIES(x)=1\n", "a function-like macro"),
    "quoted": ("obj-y += demo.o\nccflags-y += '-DDEMO_TRIES=1'\n", "quoted"),
    "makefile included": ("obj-y += demo.o\nccflags-y += -DDEMO_TRIES=3\ninclude $(src)/more.mk\n",
                          "includes another makefile"),
    "reset under ifdef": ("obj-y += demo.o\nccflags-y += -DDEMO_TRIES=1\nifdef X\nccflags-y :=\nendif\n",
                          "under an ifeq/ifdef"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_line_not_read_keeps_the_verdict_inconclusive_and_says_why(tmp_path: Path, name: str) -> None:
    makefile, why = REFUSED[name]
    v = tree_rule_gate(tmp_path, BEFORE, AFTER, others={"demo/Makefile": makefile})
    assert v.status is INCONCLUSIVE and "a C preprocessor flag of the build" in v.note and why in v.note, v.note


def test_a_flag_gcc_refuses_in_a_line_the_unit_is_built_with_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"demo/Makefile:2: 'ccflags-y \+= -D9TRIES': .*must be identifiers"):
        tree_rule_gate(tmp_path, BEFORE, AFTER, others={"demo/Makefile": "obj-y += demo.o\nccflags-y += -D9TRIES\n"})


def test_one_for_an_object_not_built_here_is_not_read(tmp_path: Path) -> None:
    v = tree_rule_gate(tmp_path, BEFORE, AFTER, others={"demo/Makefile": "obj-y += demo.o\nCFLAGS_x.o += -D9X\n"})
    assert v.status is PASS, v.note


def _variant(files: dict[str, str], kbuild: tuple[tuple[str, str], ...] = ()) -> Variant:
    return Variant("v", "v", tuple(full_file(p, t, "test") for p, t in sorted(files.items())), (), (), (), "t",
                   kbuild=kbuild)


HEADER = "#ifndef N\n#define N 3\n#endif\nstatic int n(void) { return N; }\n"


def test_subdir_flags_reach_the_folders_below_in_order_and_the_units_own_last() -> None:
    v = _variant({"a/b/x.c": '#include "h.h"\nint m = N + M;\n', "a/b/h.h": HEADER},
                 (("a/Makefile", "subdir-ccflags-y += -DN=1 -DM=1\nccflags-y += -DN=9\n"),
                  ("a/b/Makefile", "subdir-ccflags-y += -DN=2\nccflags-y += -DM=5\nCFLAGS_x.o += -UN -DN=4\n")))
    assert build_defines(v).defines == (("M", "5"), ("N", "4"))  # -UN took the first N away


def test_a_kbuild_file_hides_its_folders_makefile() -> None:
    v = _variant({"a/x.c": "int m = N;\n", "a/Makefile": "ccflags-y += -DN=1\n"}, (("a/Kbuild", "obj-y += x.o\n"),))
    assert build_defines(v).defines == ()


def test_units_built_with_different_macros_apply_none() -> None:
    v = _variant({"a/x.c": "int m = N;\n", "a/y.c": "int k = N;\n", "a/Makefile": "CFLAGS_x.o += -DN=1\n"})
    found = build_defines(v)
    assert found.defines == () and "the units are built with different macros: a/x.c: N=1; a/y.c: none" in found.why
    assert "N differs between a/x.c, a/y.c, which name it" in found.why


def test_a_macro_of_one_unit_named_by_it_alone_is_applied_as_that_unit_has_it() -> None:
    # gcc reads a -D only where the unit's text names it: y.c builds alike with or without N.
    v = _variant({"a/x.c": "int m = N + M;\n", "a/y.c": "int k = M;\n",
                  "a/Makefile": "ccflags-y += -DM=2\nCFLAGS_x.o += -DN=1\nCFLAGS_y.o += -UN\n"})
    found = build_defines(v)
    assert found.defines == (("M", "2"), ("N", "1")) and not found.why, found.why
    assert found.units == (("N", "a/x.c"),)


def test_a_macro_of_a_header_one_unit_alone_reads_is_applied_as_that_unit_has_it() -> None:
    # gcc reads the -D in x.c's copy of h.h; y.c reads no h.h (tuorder.unit_order), so builds alike.
    v = _variant({"a/x.c": '#include "h.h"\n', "a/h.h": HEADER, "a/y.c": "int k;\n",
                  "a/Makefile": "CFLAGS_x.o += -DN=1\n"})
    found = build_defines(v)
    assert found.defines == (("N", "1"),) and found.units == (("N", "a/x.c"),), found.why


@pytest.mark.parametrize(("files", "why"), [
    ({"a/x.c": '#include "h.h"\n', "a/h.h": HEADER, "a/w.c": '#include "h.h"\n'},
     "N differs between a/w.c, a/x.c, which name it or read a/h.h, which names it"),
    ({"a/x.c": "int m = N;\n", "a/z.c": '#include "x.c"\n'}, "a file includes a/x.c, which names N"),
    # A backslash-newline is removed first (C11 5.1.1.2p1 phase 2): an include it splits is read whole.
    ({"a/x.c": "int m = N;\n", "a/z.c": '#include \\\n"x.c"\n'}, "a file includes a/x.c, which names N"),
    # and a comment is one space (phase 3): '# /* c */ include' is an include (models.cdirectives).
    ({"a/x.c": "int m = N;\n", "a/z.c": '# /* c */ include "x.c"\n'}, "a file includes a/x.c, which names N"),
    # a kernel header: a unit may read it through a header the variant lacks, which unit_order does not follow
    ({"a/x.c": "#include <asm/h.h>\n", "arch/x86/include/asm/h.h": HEADER},
     "N is named by arch/x86/include/asm/h.h, which more than one unit may read"),
])
def test_a_macro_of_one_unit_that_another_file_may_read_applies_none(files: dict[str, str], why: str) -> None:
    v = _variant({**files, "a/y.c": "int k;\n", "a/Makefile": "CFLAGS_x.o += -DN=1\n"})
    found = build_defines(v)
    assert found.defines == () and why in found.why, found.why


def test_a_macro_of_the_prelude_is_not_taken() -> None:
    v = _variant({"a/x.c": "int m = RDRAND_RETRY_LOOPS;\n", "a/Makefile": "ccflags-y += -DRDRAND_RETRY_LOOPS=1\n"})
    assert "a macro the mirror's prelude or configuration sets" in build_defines(v).why


def test_the_mirror_reads_the_macros_first_and_decides_the_headers_ifndef_by_them() -> None:
    v = _variant({"a/x.c": '#include "h.h"\n', "a/h.h": HEADER, "a/Makefile": "ccflags-y += -DN=7 -DOTHER\n"})
    first, *rest = variant_sources(v)
    assert first.path == COMMAND_LINE and first.pieces == ((1, ("#define N 7",)),)
    assert all(s.defines == (("N", "7"),) for s in rest)
    assert build_defines(v).read == frozenset()  # -DOTHER: a macro the code does not name, its line still said


@pytest.mark.parametrize(("header", "want"), [
    ("#ifndef DEMO_TRIES\n#define DEMO_TRIES 3\n#endif\nstatic inline u64 busy(u64 fn, struct tdx_module_args *args)"
     "\n{\n\treturn __seamcall(fn, args) + DEMO_TRIES;\n}\n", 7),
    # A branch inside the body, which the mirror's preprocessing decides (models.cload), by the same -D.
    ("static inline u64 busy(u64 fn, struct tdx_module_args *args)\n{\n#ifdef DEMO_FAST\n\treturn 11;\n#else\n"
     "\treturn 22;\n#endif\n}\n", 11),
])
def test_the_native_cross_check_builds_the_unit_with_the_same_macros(tmp_path: Path, header: str, want: int) -> None:
    # Before: the mirror ran 3 (the header's default) and 22 while kbuild builds 7 and 11, and gcc built the raw unit
    # without -D.
    from harness.crosscheck import crosscheck_result
    from harness.matrix import load_matrix
    from harness.runner import MatrixRequest, run_matrix
    from models.native.run import find_compiler

    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    v = _variant({"demo/h.h": header, "demo/demo.c": '#include <linux/types.h>\n#include "h.h"\n',
                  "demo/Makefile": "obj-y += demo.o\nccflags-y += -DDEMO_TRIES=7 -DDEMO_FAST\n"})
    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\n'
        'name = "busy"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    result = run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1, time_budget=0))
    assert result.outcome("v", "busy/ONE/ok/demo.c").ret == want
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["v"] == 1 and r.disagreements == [], r.fallback


def test_the_native_cross_check_builds_each_unit_s_own_macro(tmp_path: Path) -> None:
    # demo.o's CFLAGS name a macro of demo.c alone, other.o's one of other.c alone: the mirror and gcc's raw build of
    # demo.c both run with demo.o's (7, not the default 3); other.c's is named by no file demo.c reads.
    from harness.crosscheck import crosscheck_result
    from harness.matrix import load_matrix
    from harness.runner import MatrixRequest, run_matrix
    from models.native.run import find_compiler

    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    v = _variant({"demo/demo.c": "#include <linux/types.h>\n#ifndef DEMO_UNIT\n#define DEMO_UNIT 3\n#endif\n"
                                 "u64 busy(u64 fn, struct tdx_module_args *args)\n{\n"
                                 "\treturn __seamcall(fn, args) + DEMO_UNIT;\n}\n",
                  "demo/other.c": _OTHER,
                  "demo/Makefile": "obj-y += demo.o other.o\nCFLAGS_demo.o += -DDEMO_UNIT=7\n"
                                   "CFLAGS_other.o += -DOTHER_KNOB=2\n"})
    assert build_defines(v).defines == (("DEMO_UNIT", "7"), ("OTHER_KNOB", "2"))
    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\n'
        'name = "busy"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    result = run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1, time_budget=0))
    assert result.outcome("v", "busy/ONE/ok/demo.c").ret == 7
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["v"] == 1 and r.disagreements == [], r.fallback


REMOVED = {
    # Before each of these: INCONCLUSIVE ('v1 01/1 removes ...': the state before was built with it).
    "the default's value": ("ccflags-y += -DDEMO_TRIES=3\n", PASS),
    "one try": ("ccflags-y += -DDEMO_TRIES=1\n", FAIL),
    "the unit's own": ("CFLAGS_demo.o += -DDEMO_TRIES=2\n", FAIL),
    "not read": ("ifdef DEMO_FAST\nccflags-y += -DDEMO_TRIES=1\nendif\n", INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(REMOVED))
def test_a_flag_line_a_patch_removes_is_run_as_the_state_before_was_built(tmp_path: Path, name: str) -> None:
    # The state before the patch (the rule's reference) ran with the line the patch removes, as kbuild built it: the
    # comparison is of both states as built (gcc with make's flags before, without them after).
    lines, want = REMOVED[name]
    old, new = "obj-y += demo.o\n" + lines, "obj-y += demo.o\n"
    tidied = AFTER.replace("#endif\n", "#endif\n/* tidied */\n")
    v = tree_rule_gate(tmp_path / "gate", AFTER, tidied, others={"demo/Makefile": old}, also={"demo/Makefile": new})
    if want is INCONCLUSIVE:
        assert v.status is want and "removes 'ccflags-y += -DDEMO_TRIES=1' (demo/Makefile:3)" in v.note, v.note
        return
    alike = _gcc_calls(tmp_path, tidied, _make_flags(tmp_path, new)) == _gcc_calls(tmp_path, AFTER,
                                                                                  _make_flags(tmp_path, old))
    assert alike is (want is PASS), name
    assert v.status is want, (name, v.status, v.note)


def test_a_removed_line_stays_said_where_an_earlier_state_did_not_run_as_built(tmp_path: Path) -> None:
    # v1:00 builds demo.c with -DDEMO_TRIES=1 (one try) but also other.c, which reads h.h too: the mirror ran it
    # without (3 tries). Patch 1 deletes other.c, so v1:01 runs with it; patch 2 removes the line. v1:02 compared
    # with v1:00 passed (3 tries each) where gcc builds 1 try and 3: the line stays said, the verdict inconclusive.
    from harness.gate import GateRequest, evaluate_gate
    from tests.gitoracle import init_repo
    from tests.harness.variantgen import MATRIX
    from tests.mailgen import diff, message, patch_body, write_mbox

    old, new = "obj-y += demo.o other.o\nCFLAGS_demo.o += -DDEMO_TRIES=1\n", "obj-y += demo.o\n"
    other = '#include "h.h"\nint other;\n'
    tree = init_repo(tmp_path / "tree", {"demo/h.h": AFTER, "demo/demo.c": '#include "h.h"\n', "demo/other.c": other,
                                         "demo/Makefile": old})
    tidied = AFTER.replace("#endif\n", "#endif\n/* tidied */\n")
    mbox = write_mbox(tmp_path / "t.mbox", [
        message("[PATCH 1/2] demo: drop other", "t1@x", patch_body("Drop.", diff("demo/other.c", other, None))),
        message("[PATCH 2/2] demo: tidy", "t2@x", patch_body("Tidy.", diff("demo/h.h", AFTER, tidied)
                                                                + diff("demo/Makefile", old, new)), parent="t1@x")])
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "tidy-changes-nothing"\nreviewer = "R"\nsummary = "s"\n'
                                     'patch = "tidy"\n[rule.check]\nkind = "equivalence"\nreference = "v1:00"\n')
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, cache=None, tree=tree, base="HEAD",
                                  matrix=tmp_path / "m.toml", rules=tmp_path / "r.toml"))
    [v] = g.verdicts
    assert _gcc_calls(tmp_path, tidied, _make_flags(tmp_path, new)) != _gcc_calls(tmp_path, AFTER,
                                                                                 _make_flags(tmp_path, old))
    assert v.status is INCONCLUSIVE and "removes 'CFLAGS_demo.o += -DDEMO_TRIES=1' (demo/Makefile:2)" in v.note, v.note


@pytest.mark.parametrize("pound", ["#", "%:"])
def test_a_pass_against_a_state_not_run_as_built_is_inconclusive(tmp_path: Path, pound: str) -> None:
    # v1:00's demo.c is built with -DDEMO_TRIES=1, which its h.h names, but other.c reads h.h too: the mirror ran it
    # with the default 3. The patch makes h.h's tries 3 outright, so v1:01 names no flagged macro: it passed against
    # v1:00 (3 tries each) where gcc builds 1 try before and 3 after. '%:include' is '#include' (C11 6.4.6p3): it
    # was read as no include, the flag applied to h.h for both units (FAIL, a difference gcc's other.o does not have).
    other = pound + 'include "h.h"\nint other;\n'
    makefile = "obj-y += demo.o other.o\nCFLAGS_demo.o += -DDEMO_TRIES=1\n"
    v = tree_rule_gate(tmp_path / "gate", AFTER, BEFORE, others={"demo/other.c": other, "demo/Makefile": makefile},
                       also={"demo/other.c": other + "int more;\n"})
    built = _make_flags(tmp_path, makefile)
    assert _gcc_calls(tmp_path, BEFORE, built) != _gcc_calls(tmp_path, AFTER, built)
    assert v.status is INCONCLUSIVE and "in v1:00, the state compared with, 'CFLAGS_demo.o += -DDEMO_TRIES=1'" in v.note


def test_a_macro_of_one_unit_where_a_file_pastes_tokens_applies_none() -> None:
    # y.c's '#if CAT(N_, X)' reads N_X without its text naming it: gcc builds y.c without -DN_X=1 (k = 2), a command
    # line for both would give it k = 1.
    y = "#define CAT(a, b) a##b\n#if CAT(N_, X)\nint k = 1;\n#else\nint k = 2;\n#endif\n"
    v = _variant({"a/x.c": "int m = N_X;\n", "a/y.c": y, "a/Makefile": "CFLAGS_x.o += -DN_X=1\n"})
    found = build_defines(v)
    assert found.defines == () and "a/y.c pastes tokens, which may spell N_X without naming it" in found.why, found.why


def test_the_gate_runs_no_unit_with_another_s_macro_a_file_may_paste(tmp_path: Path) -> None:
    # h.h's demo_retry() tries 3 times only under '#if CAT(DEMO_, MORE)', a name no text of demo.o spells; only
    # other.o is built with -DDEMO_MORE=1. gcc: demo.o calls once on a busy answer, so 'a busy answer is retried
    # once' fails. Merged into one command line, the mirror ran demo.c with it: PASS ('ran as kbuild builds it').
    from harness.gate import GateRequest, evaluate_gate
    from tests.gitoracle import init_repo
    from tests.harness.variantgen import MATRIX
    from tests.mailgen import diff, message, patch_body, write_mbox

    pasted = "#define CAT(a, b) a##b\n" + BEFORE.replace("int tries = 3;", "int tries = 1;").replace(
        "\tu64 ret;\n", "\tu64 ret;\n\n#if CAT(DEMO_, MORE)\n\ttries = 3;\n#endif\n")
    makefile = "obj-y += demo.o other.o\nCFLAGS_other.o += -DDEMO_MORE=1\n"
    assert _gcc_calls(tmp_path, pasted, _make_flags(tmp_path, makefile))[1].startswith("1:")
    assert _gcc_calls(tmp_path, pasted, ["-DDEMO_MORE=1"])[1].startswith("2:")  # other.o's flag would retry
    demo = '#include "h.h"\n'
    tree = init_repo(tmp_path / "tree", {"demo/h.h": BEFORE, "demo/demo.c": demo, "demo/other.c": "int other;\n",
                                         "demo/Makefile": makefile})
    mbox = write_mbox(tmp_path / "t.mbox", [message("[PATCH] demo: tries", "t1@x", patch_body(
        "Tries.", diff("demo/h.h", BEFORE, pasted) + diff("demo/demo.c", demo, demo + "/* demo */\n")
        + diff("demo/other.c", "int other;\n", "int other = DEMO_MORE;\n")))])
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "busy-retried-once"\nreviewer = "R"\nsummary = "s"\n'
                                     'severity = "error"\n[rule.check]\nkind = "behaviour"\nscenarios = { entry = '
                                     '["demo_retry"], script = "busy-x1" }\nexpect = { calls = 2 }\n')
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, cache=None, tree=tree, base="HEAD",
                                  matrix=tmp_path / "m.toml", rules=tmp_path / "r.toml"))
    [v] = g.verdicts
    assert v.status is FAIL, v.note

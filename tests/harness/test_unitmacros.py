"""A macro a .c file defines for a header it includes after the definition (harness.unitmacros); gcc the oracle.

The header demo/h.h's demo_retry() takes its tries from DEMO_TRIES, which only demo/demo.c defines. gcc builds the
unit demo/demo.c (its own #include lines, read by its cpp) and counts demo_retry()'s SEAMCALLs; the gate's rule
(tidy-changes-nothing, against h.h with 3 tries) must say PASS where the tries are as before, FAIL where not, and
never PASS where gcc does not build the unit or where which definition the header's code sees is not known.
Before: every form was INCONCLUSIVE ("that code sees it only if its file is included after the definition, which
the mirror does not follow"), or FAIL where the unit does not build (harness.tuorder)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.filestate import full_file
from harness.unitmacros import unit_macros
from harness.variants import Variant
from harness.verdict import VerdictStatus
from models.ambiguity import DEFAULT_FIRST
from tests.harness.test_kbuilddefs import _COUNT, _MAIN, BEFORE
from tests.harness.variantgen import tree_rule_gate

PASS, FAIL, INCONCLUSIVE = VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.INCONCLUSIVE
AFTER = BEFORE.replace("int tries = 3;", "int tries = DEMO_TRIES;")
A_H = '#include "h.h"\n'
UNIT2 = '[[unit]]\nname = "other.c"\npath = "demo/other.c"\n'

# name: (demo/demo.c, more files of the tree, want, what the note says)
FORMS: dict[str, tuple[str, dict[str, str], VerdictStatus, str]] = {
    "defined above the include": ('#define DEMO_TRIES 1\n#include "h.h"\n', {}, FAIL, ""),
    "the same value above the include": ('#define DEMO_TRIES 3\n#include "h.h"\n', {}, PASS, ""),
    "through a header included below": ('#define DEMO_TRIES 1\n#include "a.h"\n', {"demo/a.h": A_H}, FAIL, ""),
    # Twins: gcc does not build the unit, or the value is not known: never a PASS.
    "defined below the include": ('#include "h.h"\n#define DEMO_TRIES 3\n', {}, FAIL, "does not build demo_retry()"),
    "a header above brings it in first": ('#include "a.h"\n#define DEMO_TRIES 3\n#include "h.h"\n', {"demo/a.h": A_H},
                                          FAIL, "does not build demo_retry()"),
    "under #if 0": ('#if 0\n#define DEMO_TRIES 3\n#endif\n#include "h.h"\n', {}, INCONCLUSIVE,
                    "unknown identifier 'DEMO_TRIES'"),
    "#undef between": ('#define DEMO_TRIES 3\n#undef DEMO_TRIES\n#include "h.h"\n', {}, INCONCLUSIVE,
                       "demo/demo.c defines it under an #if, more than once or #undefs it"),
    "included under an #if": ('#define DEMO_TRIES 3\n#ifdef CONFIG_DEMO_X\n#include "h.h"\n#endif\n', {},
                              INCONCLUSIVE, "demo/demo.c:3 includes demo/h.h under an #if"),
    "a header the variant lacks above it": ('#include "zz.h"\n#define DEMO_TRIES 3\n#include "h.h"\n', {},
                                            INCONCLUSIVE, "its order is not known"),
    # A backslash-newline in a directive's head (C11 5.1.1.2p1 phase 2: gcc reads '#un' 'def' as '#undef'). The
    # slicer read its first line alone: the #undef as none (PASS, where gcc does not build the unit), the #define as
    # none (INCONCLUSIVE, 'unknown identifier').
    "#undef split by a backslash-newline": ('#define DEMO_TRIES 3\n#un\\\ndef DEMO_TRIES\n#include "h.h"\n', {},
                                            INCONCLUSIVE, "demo/demo.c defines it under an #if, more than once or "
                                            "#undefs it"),
    "#define split before its name": ('#define \\\nDEMO_TRIES 1\n#include "h.h"\n', {}, FAIL, ""),
    "#define split in its word": ('#def\\\nine DEMO_TRIES 3\n#include "h.h"\n', {}, PASS, ""),
}


def _gcc(tmp: Path, files: dict[str, str], flags: tuple[str, ...] = ()) -> list[str] | None:
    """demo_retry()'s SEAMCALLs and return for 0 to 12 busy answers, as gcc builds the unit demo/demo.c from
    ``files`` (its cpp reads its #include lines); None where gcc does not build it."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    for path, text in files.items():
        (tmp / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp / path).write_text(text)
    (tmp / "main.c").write_text(_COUNT + '#include "demo/demo.c"\n' + _MAIN)
    built = subprocess.run(["gcc", "-O1", "-w", *flags, "-o", str(tmp / "count"), str(tmp / "main.c")],
                           capture_output=True, text=True)
    if built.returncode:
        return None
    return subprocess.run([str(tmp / "count")], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.parametrize("name", list(FORMS))
def test_a_header_sees_the_units_macro_as_gcc_builds_the_unit(tmp_path: Path, name: str) -> None:
    demo, more, want, said = FORMS[name]
    before = _gcc(tmp_path / "before", {"demo/h.h": BEFORE, "demo/demo.c": demo, **more})
    after = _gcc(tmp_path / "after", {"demo/h.h": AFTER, "demo/demo.c": demo, **more})
    if want is PASS:
        assert after is not None and after == before, name
    elif want is FAIL and not said:
        assert after is not None and after != before, name
    else:  # gcc does not build the patched unit (or, under the #if, builds it only with the option)
        assert after is None, name
    v = tree_rule_gate(tmp_path / "gate", BEFORE, AFTER, others={"demo/demo.c": demo, **more})
    assert v.status is want, (name, v.status, v.note)
    assert said in v.note + str(v.evidence), (name, v.note)


def test_a_header_another_unit_reads_with_its_own_value_is_not_judged(tmp_path: Path) -> None:
    # demo.c's copy keeps 3 tries, other.c's takes 1 (gcc): the mirror's one copy of h.h cannot be both.
    files = {"demo/demo.c": '#define DEMO_TRIES 3\n#include "h.h"\n', "demo/other.c": '#define DEMO_TRIES 1\n' + A_H}
    base = _gcc(tmp_path / "b", {"demo/h.h": BEFORE, **files})
    assert _gcc(tmp_path / "a", {"demo/h.h": AFTER, **files}) == base
    other = {**files, "demo/demo.c": files["demo/other.c"]}
    assert _gcc(tmp_path / "o", {"demo/h.h": AFTER, **other}) != base
    v = tree_rule_gate(tmp_path / "gate", BEFORE, AFTER, others=files,
                       also={"demo/other.c": files["demo/other.c"] + "int more;\n"})
    assert v.status is INCONCLUSIVE and "DEMO_TRIES is defined 2 times" in v.note, v.note
    # Said as what it is: each unit builds h.h's code with its own value, where the mirror loads one program.
    assert "once in each of those .c files, and used by the code at demo/h.h:2: each unit reading it builds it with " \
           "its own definition, and the mirror loads one program of the variant's files, not one per unit" in v.note


# name: (demo/demo.c, demo/other.c, want, what the note says). Before: INCONCLUSIVE ('demo/other.c reads demo/h.h
# too') for the first three: each unit's copy of h.h's code sees its own definition, the same text in both (gcc).
ALIKE: dict[str, tuple[str, str, VerdictStatus, str]] = {
    "the same value in both": ('#define DEMO_TRIES 3\n#include "h.h"\n', '#define DEMO_TRIES 3\n#include "h.h"\n',
                               PASS, ""),
    "the same other value in both": ('#define DEMO_TRIES 1\n#include "h.h"\n', '#define DEMO_TRIES 1\n' + A_H, FAIL,
                                     ""),
    # Twins: spelt otherwise (gcc alike), or through a macro each unit defines otherwise (gcc: other.c's one try).
    "spelt otherwise": ('#define DEMO_TRIES 3\n#include "h.h"\n', '#define DEMO_TRIES (3)\n#include "h.h"\n',
                        INCONCLUSIVE, "defined 2 times"),
    "through a macro each defines": ('#define N 3\n#define DEMO_TRIES N\n#include "h.h"\n',
                                     '#define N 1\n#define DEMO_TRIES N\n' + A_H, INCONCLUSIVE, "N is defined"),
}


@pytest.mark.parametrize("name", list(ALIKE))
@pytest.mark.parametrize("both_run", [False, True])
def test_units_that_each_define_it_alike_above_the_header_give_its_code_that_value(tmp_path: Path, name: str,
                                                                                   both_run: bool) -> None:
    demo, other, want, said = ALIKE[name]
    base = _gcc(tmp_path / "b", {"demo/h.h": BEFORE, "demo/demo.c": demo})
    seen = [_gcc(tmp_path / c, {"demo/h.h": AFTER, "demo/demo.c": t}) for c, t in (("d", demo), ("o", other))]
    if want is not INCONCLUSIVE:  # gcc: both units' copies as want says
        assert all((s == base) is (want is PASS) for s in seen), seen
    v = tree_rule_gate(tmp_path / "gate", BEFORE, AFTER, others={"demo/demo.c": demo, "demo/other.c": other},
                       also={"demo/other.c": other + "int more;\n"}, matrix_add=UNIT2 if both_run else "")
    assert v.status is want, (name, v.status, v.note)
    assert said in v.note, (name, v.note)


def test_a_run_of_the_headers_code_in_another_unit_is_refused(tmp_path: Path) -> None:
    # The matrix runs demo_retry() in other.c too, a unit that does not see demo.c's DEMO_TRIES: those runs are
    # refused with why; demo.c's are compared (3 tries: as before), so no PASS rests on them alone.
    files = {"demo/demo.c": '#define DEMO_TRIES 3\n#include "h.h"\n', "demo/other.c": "int other;\n"}
    v = tree_rule_gate(tmp_path, BEFORE, AFTER, others=files, matrix_add=UNIT2)
    assert v.status is INCONCLUSIVE, v.note
    assert "demo/h.h's code uses DEMO_TRIES, which demo/demo.c defines above its first #include of demo/h.h: that " \
           "code sees it in the unit of demo/demo.c only, and this run is in demo/other.c" in v.note, v.note


def _variant(files: dict[str, str]) -> Variant:
    return Variant("v", "v", tuple(full_file(p, t, "test") for p, t in sorted(files.items())), (), (), (), "t")


def test_unit_macros_says_for_each_header_naming_the_macro_whether_its_code_sees_it() -> None:
    v = _variant({"a/x.c": '#include "early.h"\n#define N 1\n#define M 2\n#include "h.h"\nint k = N;\n',
                  "a/early.h": "#ifndef EARLY_H\n#define EARLY_H\nstatic int e(void) { return N; }\n#endif\n",
                  "a/h.h": "static int h(void) { return N + M; }\n", "a/y.c": "int y;\n"})
    assert unit_macros(v) == {"a/x.c": (("N", "a/early.h", "a/x.c reads a/early.h above the definition"),
                                        ("N", "a/h.h", ""), ("M", "a/h.h", ""))}
    both = _variant({"a/x.c": '#define N 1\n#include "h.h"\n', "a/y.c": '#include "h.h"\n',
                     "a/h.h": "static int h(void) { return N; }\n"})
    assert unit_macros(both) == {"a/x.c": (("N", "a/h.h", "a/y.c reads a/h.h too"),)}
    alike = _variant({"a/x.c": '#define N 1\n#include "h.h"\n', "a/y.c": '#define N 1\n#include "h.h"\n',
                      "a/h.h": "static int h(void) { return N; }\n"})
    assert unit_macros(alike) == {"a/x.c": (("N", "a/h.h", ""),), "a/y.c": (("N", "a/h.h", ""),)}
    below = _variant({"a/x.c": '#define N 1\n#include "h.h"\n',
                      "a/y.c": '#include "h.h"\n#define N 1\n', "a/h.h": "static int h(void) { return N; }\n"})
    assert unit_macros(below) == {"a/x.c": (("N", "a/h.h", "a/y.c reads a/h.h too"),),
                                  "a/y.c": (("N", "a/h.h", "a/y.c reads a/h.h above the definition"),)}
    default = "#ifndef N\n#define N 2\n#endif\nstatic int h(void) { return N; }\n"
    late = _variant({"a/x.c": '#include "h.h"\n#define N 1\n', "a/h.h": default, "a/y.c": '#include "h.h"\n'})
    assert unit_macros(late) == {"a/x.c": (("N", "a/h.h", DEFAULT_FIRST),)}  # y.c's copy has the default too
    used = _variant({"a/x.c": '#include "h.h"\n#define N 1\nint k = N;\n', "a/h.h": default})
    assert unit_macros(used) == {"a/x.c": (("N", "a/h.h", "a/x.c reads a/h.h above the definition"),)}
    bare = _variant({"a/x.c": '#include "h.h"\n#define N 1\n', "a/h.h": "static int h(void) { return N; }\n"})
    assert unit_macros(bare) == {"a/x.c": (("N", "a/h.h", "a/x.c reads a/h.h above the definition"),)}


def _defaulted(tries: int) -> str:
    """h.h with its own '#ifndef DEMO_TRIES' default (the kernel's fallback idiom), ``tries`` of them."""
    return f"#ifndef DEMO_TRIES\n#define DEMO_TRIES {tries}\n#endif\n" + AFTER


# name: (demo/demo.c, h.h's default, other.c of the variant or "", want, what the note says)
DEFAULTED: dict[str, tuple[str, int, str, VerdictStatus, str]] = {
    # demo.c's definition is in force where it reads h.h: the default's group is skipped (gcc). Before: INCONCLUSIVE
    # ('DEMO_TRIES is defined 2 times ... under #ifndef DEMO_TRIES, which the mirror cannot decide').
    "defined above the include": ('#define DEMO_TRIES 1\n#include "h.h"\n', 3, "", FAIL, ""),
    "the same value above the include": ('#define DEMO_TRIES 3\n#include "h.h"\n', 1, "", PASS, ""),
    # demo.c reads h.h first: h.h's default is the one its code sees (gcc), demo.c's #define below reaching no code.
    # Before: INCONCLUSIVE ('defined 2 times'); demo.c's value taken would be a false PASS (3 over a default 1).
    "defined below the include": ('#include "h.h"\n#define DEMO_TRIES 3\n', 1, "", FAIL, ""),
    "the default's value, defined otherwise below": ('#include "h.h"\n#define DEMO_TRIES 1\n', 3, "", PASS, ""),
    # Twins not decided: demo.c's own code sees its 1 (gcc), h.h's code the default; h.h perhaps read below the #define.
    "the unit uses its own below": ('#include "h.h"\n#define DEMO_TRIES 1\nint demo_n = DEMO_TRIES;\n', 3, "",
                                    INCONCLUSIVE, "defined 2 times"),
    "read first under an #if": ('#ifdef CONFIG_DEMO_X\n#include "h.h"\n#endif\n#define DEMO_TRIES 1\n#include "h.h"\n',
                                3, "", INCONCLUSIVE, "defined 2 times"),
    "another unit reads it with the default": ('#define DEMO_TRIES 3\n#include "h.h"\n', 1, '#include "h.h"\n',
                                               INCONCLUSIVE, "defined 2 times"),
}


@pytest.mark.parametrize("name", list(DEFAULTED))
def test_a_headers_default_the_unit_defines_first_is_skipped_as_gcc_skips_it(tmp_path: Path, name: str) -> None:
    demo, tries, other, want, said = DEFAULTED[name]
    before = _gcc(tmp_path / "before", {"demo/h.h": BEFORE, "demo/demo.c": demo})
    after = _gcc(tmp_path / "after", {"demo/h.h": _defaulted(tries), "demo/demo.c": demo})
    assert after is not None, name
    truth = PASS if after == before else FAIL
    if other:  # demo.c's copy keeps 3 tries, other.c's takes h.h's default: one try
        truth = FAIL
        assert _gcc(tmp_path / "other", {"demo/h.h": _defaulted(tries), "demo/demo.c": other}) != before
    assert want in (truth, INCONCLUSIVE), (name, truth)
    others = {"demo/demo.c": demo, **({"demo/other.c": other} if other else {})}
    v = tree_rule_gate(tmp_path / "gate", BEFORE, _defaulted(tries), others=others,
                       also={"demo/other.c": other + "int more;\n"} if other else None)
    assert v.status is want, (name, v.status, v.note)
    assert said in v.note, (name, v.note)


def test_a_kernel_header_a_lacking_header_may_read_first_is_not_seen() -> None:
    # <linux/kernel.h> (not in the variant: unit_order reads none of it) may include <asm/h.h> above the #define.
    h = {"arch/x86/include/asm/h.h": "static int h(void) { return N; }\n", "a/y.c": "int y;\n"}
    v = _variant({"a/x.c": '#include <linux/kernel.h>\n#define N 1\n#include <asm/h.h>\n', **h})
    assert unit_macros(v) == {"a/x.c": (("N", "arch/x86/include/asm/h.h", "a/x.c:1 includes a header the variant "
                                         "lacks above the definition, which may include arch/x86/include/asm/h.h"),)}
    below = _variant({"a/x.c": '#define N 1\n#include <asm/h.h>\n#include <linux/kernel.h>\n', **h})
    assert unit_macros(below) == {"a/x.c": (("N", "arch/x86/include/asm/h.h", ""),)}

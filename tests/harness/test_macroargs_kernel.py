"""A kernel macro a file macro hands an argument to is counted as cpp expands it: DIV_ROUND_UP()'s divisor twice."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.macroargs import _macro_counts, _type_counts
from harness.verdict import VerdictStatus
from models.loader import Source, definitions
from models.prelude import macro_lines, prelude_closure
from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series
from tests.harness.test_macroargs import OLD, ONCE, RULES, TWICE_ALWAYS, _gcc_after_call
from tests.mailgen import write_mbox

# The kernel's own macros (models.prelude's plain ones) are expanded as cpp does: DIV_ROUND_UP()'s d and ALIGN()'s a
# twice (include/linux/math.h, align.h), round_up()'s y once (include/linux/math.h: x's type read by __typeof__).
DIVIDES_ONCE = "#define __seamldr_div(_fn, _args, _d)\t({ u64 __d = (_d);\t\t\\\n" \
    "\tsc_retry_prerr(__seamcall, ((_fn) + __d - 1) / __d, (_args)); })\n"
CALLS_DIV = "#define seamldr_prerr(_fn, _args)\t__seamldr_div(_fn, _args, 1)\n"


def _divides_by(macro: str) -> str:
    return f"#define __seamldr_div(_fn, _args, _d)\tsc_retry_prerr(__seamcall, {macro}(_fn, _d), (_args))\n"


def _prelude_of(macro: str) -> str:
    """The prelude's definitions of ``macro`` and what it needs (what gcc is given; the mirror's own)."""
    needed = prelude_closure({macro})
    return "".join(f"#define {n}{p} {b}\n" for n, p, b in macro_lines() if n in needed)


# What gcc is asked: how many times the size is computed ('i' counts the calls; two unsequenced 'i++' would be UB).
NEXT_SIZE = "static u64 next_size(u64 *i)\n{\n\treturn ++*i, 4;\n}\n"


@pytest.mark.parametrize(("macro", "gcc_says"), [("DIV_ROUND_UP", "2 1"), ("ALIGN", "2 1"), ("round_up", "1 1")])
def test_an_argument_a_kernel_macro_evaluates_twice_is_counted_so(tmp_path: Path, macro: str, gcc_says: str) -> None:
    call = "__seamldr_div(8, 0, next_size(&i))"
    assert _gcc_after_call(tmp_path, NEXT_SIZE + DIVIDES_ONCE, 0, call).split()[::2] == ["1", "1"]
    kernel = NEXT_SIZE + _prelude_of(macro) + _divides_by(macro)
    assert _gcc_after_call(tmp_path, kernel, 0, call).split()[::2] == gcc_says.split()
    new, base = (helpers(RETRY_SAFE).replace(OLD, m + CALLS_DIV) for m in (_divides_by(macro), DIVIDES_ONCE))
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(new, base=base))  # the prelude gives the kernel macro
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    if gcc_says.startswith("1"):
        assert v.status is VerdictStatus.PASS and "macro argument" not in v.note, (v.status, v.note)
        return
    # Before: PASS ('280 scenarios compared with v2:01'): the kernel macro was read as a call, each argument once.
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert "__seamldr_div() evaluates its argument _d twice in v2 (" in v.note, v.note
    assert f"through {macro}()), once in v2:01" in v.note, v.note


def test_a_kernel_macro_the_files_define_is_theirs() -> None:
    # The prelude's are #ifndef fallbacks: a file's own DIV_ROUND_UP (a macro, or a function) is the one expanded.
    text = "#define A(n, d)\tDIV_ROUND_UP(n, d)\n#define B(x, y)\tmax(x, y) + ALIGN_DOWN(x, y)\n"
    own = ("", "#define DIV_ROUND_UP(n, d)\t((n) / (d))\n", "static inline int DIV_ROUND_UP(int n, int d)\n{\n}\n")
    counted = [_macro_counts(definitions((Source("a/h.h", ((1, tuple((o + text).split("\n"))),), True),)))
               for o in own]
    assert [c["A"][1] for c in counted] == [(ONCE, TWICE_ALWAYS), (ONCE, ONCE), (ONCE, ONCE)]
    # max(): the kernel's evaluates each once (include/linux/minmax.h), the mirror's __sh_careful_cmp() is a call.
    assert counted[0]["B"][1] == (frozenset({2}), frozenset({4})) and counted[0]["B"][4] == ("ALIGN_DOWN", "ALIGN")
    # Said through the kernel's names, not the mirror's own helpers (before: 'through do_div(), __sh_do_div()').
    swapped = "#define C(n, b)\tdo_div(n, b)\n#define __sh_mine(x)\tdo_div(x, 2)\n#define D(x)\t__sh_mine(x)\n"
    said = _macro_counts(definitions((Source("a/h.h", ((1, tuple(swapped.split("\n"))),), True),)))
    assert said["C"][1] == (frozenset({3}), ONCE) and said["C"][4] == ("do_div",), said["C"]
    assert said["D"][4] == ("__sh_mine", "do_div"), said["D"]  # a file's own macro is said, whatever its name


def _counted(macro: str) -> int:
    """How many times the file macro 'f(a)' whose body is ``macro`` (``@`` standing for a) evaluates a, as counted."""
    text = "#define f(a)\t" + macro.replace("@", "(a)") + "\n"
    (paths,) = _macro_counts(definitions((Source("a/h.h", ((1, tuple(text.split("\n"))),), True),)))["f"][1]
    assert paths is not None and len(paths) == 1, paths
    return next(iter(paths))


def _gcc_counts(tmp_path: Path, macro: str) -> int:
    """gcc's build of ``macro`` with ``@`` a call's lvalue, the prelude's definitions before it: the calls made."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    needed = prelude_closure(set(re.findall(r"\w+", macro)))
    src, exe = tmp_path / "kernel.c", tmp_path / "kernel"
    src.write_text("#include <stdio.h>\ntypedef _Bool bool;\ntypedef unsigned int u32;\ntypedef unsigned long long u64;"
                   "\ntypedef long long s64;\n" + "".join(f"#define {n}{p} {b}\n" for n, p, b in macro_lines()
                                                        if n in needed) +
                   "static u64 cell = 8, y = 2;\nstatic u64 *next(int *i)\n{\n\t++*i;\n\treturn &cell;\n}\n"
                   "int main(void)\n{\n\tint i = 0;\n\n\t" + macro.replace("@", "*next(&i)") + ";\n"
                   "\tprintf(\"%d\\n\", i);\n\treturn (int)y;\n}\n")
    subprocess.run(["gcc", "-O1", "-Wall", "-Werror", "-Wno-unused-value", "-o", str(exe), str(src)], check=True)
    return int(subprocess.run([str(exe)], check=False, capture_output=True, text=True).stdout)


@pytest.mark.parametrize(("macro", "times"), [
    ("(void)DIV_ROUND_UP(8, @)", 2), ("(void)ALIGN(8ULL, @)", 2), ("(void)ALIGN_DOWN(8ULL, @)", 3),
    ("swap(@, y)", 2), ("(void)do_div(@, 3)", 3),  # include/linux/minmax.h, asm-generic/div64.h: an lvalue read again
    ("(void)round_up(@, 4ULL)", 1), ("(void)roundup(@, 4ULL)", 1), ("(void)min_t(u64, @, 3)", 1),
    ("(void)is_power_of_2(@)", 1), ("(void)upper_32_bits(@)", 1), ("(void)BIT_ULL(@)", 1),
])
def test_a_kernel_macro_evaluates_as_gcc_builds_it(tmp_path: Path, macro: str, times: int) -> None:
    assert _gcc_counts(tmp_path, macro) == times
    assert _counted(macro) == times  # before: once for each (every kernel macro read as a call)


# A type handed to min_t() (the prelude's declares a variable of it twice) is no evaluation: gcc makes no call a
# type argument spells (C11 6.7, typeof of no variably modified type), and the value arguments keep their counts.
NEVER = frozenset({0})
MIN_ONCE = "#define __seamldr_min(_fn, _args, _t)\t({ _t __m = (_fn);\t\t\\\n" \
    "\tsc_retry_prerr(__seamcall, __m, (_args)); })\n"
MIN_T = "#define __seamldr_min(_fn, _args, _t)\tsc_retry_prerr(__seamcall, min_t(_t, _fn, ~0ULL), (_args))\n"
CALLS_MIN = "#define seamldr_prerr(_fn, _args)\t__seamldr_min(_fn, _args, u64)\n"


def test_a_type_argument_is_no_evaluation(tmp_path: Path) -> None:
    assert _gcc_counts(tmp_path, "(void)min_t(__typeof__(@), 5, 3)") == 0
    assert _gcc_counts(tmp_path, "(void)max_t(u64, 2, @)") == 1
    counted = [_macro_counts(definitions((Source("a/h.h", ((1, tuple(text.split("\n"))),), True),)))["__seamldr_min"]
               for text in (MIN_ONCE, MIN_T, MIN_T.replace("_fn, ~0ULL)", "_fn, (_t)(_fn))"))]
    # Before: _t twice in the min_t() form (each declaration of it counted), once in the open-coded one.
    assert [c[1] for c in counted] == [(ONCE, ONCE, NEVER), (ONCE, ONCE, NEVER), (TWICE_ALWAYS, ONCE, NEVER)]
    new, base = (helpers(RETRY_SAFE).replace(OLD, m + CALLS_MIN) for m in (MIN_T, MIN_ONCE))
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(new, base=base))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    # Before: INCONCLUSIVE ('__seamldr_min() evaluates its argument _t twice in v2 (...), once in v2:01').
    assert v.status is VerdictStatus.PASS and "macro argument" not in v.note, (v.status, v.note)


def test_a_variably_modified_type_argument_named_another_number_of_times_is_said(tmp_path: Path) -> None:
    # gcc evaluates a variably modified type's size where a declaration names it (C11 6.7.6.2p5, typeof of one: gcc's
    # manual): min_t() declares its type twice, so 2 calls; the open-coded form once. A plain type keeps the pass.
    assert _gcc_counts(tmp_path, "(void)min_t(__typeof__(u64 (*)[@]), 0, 0)") == 2
    counted = [_macro_counts(definitions((Source("a/h.h", ((1, tuple(text.split("\n"))),), True),)))["__seamldr_min"]
               for text in (MIN_ONCE, MIN_T)]
    assert [_type_counts(c) for c in counted] == [{2: 1}, {2: 2}]
    notes = []
    for calls in (CALLS_MIN, CALLS_MIN.replace("u64)", "__typeof__(u64 (*)[sc_knob_n()]))")):
        new, base = (helpers(RETRY_SAFE).replace(OLD, m + calls) for m in (MIN_T, MIN_ONCE))
        mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(new, base=base))
        (tmp_path / "r.toml").write_text(RULES)
        (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
        notes.append((v.status, v.note))
    assert notes[0][0] is VerdictStatus.PASS and "macro argument" not in notes[0][1], notes[0]
    # Before: no word of it (only the mirror's refusal of 'sc_knob_n()' as an array size).
    assert notes[1][0] is VerdictStatus.INCONCLUSIVE, notes[1]
    assert "__seamldr_min() names its type argument _t twice in v2" in notes[1][1], notes[1]
    assert "once in v2:01, and is handed '__typeof__(u64 (*)[sc_knob_n()])', which may be variably modified" in \
        notes[1][1], notes[1]

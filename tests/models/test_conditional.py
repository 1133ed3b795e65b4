"""Preprocessor conditionals: the branch gcc builds is the one the mirror runs (C11 6.10.1), or none is picked.

Expected values are what gcc computes for the same file built with every CONFIG_ option the code tests
set (the configuration models.conditional documents); tests/harness/test_crosscheck.py compiles the
mirror's reading with gcc.
"""

from __future__ import annotations

import pytest

from models.conditional import Conditions
from tests.models.cprog import run

HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("expr", "want"), [
    ("0", False), ("1", True), ("3 > 5", False), ("(1 << 3) > 4", True), ("1UL == 1", True),
    ("0x10 == 16", True), ("(0xffUL & 0x0f) == 15", True),
    ("defined(CONFIG_INTEL_TDX_HOST)", True), ("IS_ENABLED(CONFIG_X) && !IS_MODULE(CONFIG_X)", True),
    ("!defined(__ASSEMBLY__)", True), ("defined __KERNEL__", True),
    ("!2 == 0", True),  # C's ! binds tighter than ==
    # C's arithmetic (C11 6.10.1p4, checked with gcc -E): truncating division, the dividend's sign for %,
    # & below ==, no chained comparisons, unsigned wins, ~0 is -1, ?: and octal.
    ("(-7 / 2) == -3", True), ("(-7 % 2) == -1", True), ("6 & 2 == 2", False), ("3 > 2 > 1", False),
    ("-1 > 0u", True), ("~0 == -1", True), ("(1 ? 2 : 3) == 2", True), ("010 == 8", True),
    ("0xffffffffffffffff > 0", True), ("-1 < 0", True), ("1 / 0", None), ("1 << 64", None), ("1 +", None),
    # Not known here: undecided, never guessed.
    ("FOO > 3", None), ("LINUX_VERSION_CODE >= 0x60000", None), ("defined(SOMETHING)", None),
    # Bounded: no power operator, no shift past 64.
    ("2**99999", None), ("1 << 99999", None),
])
def test_if_expressions(expr: str, want: bool | None) -> None:
    assert Conditions("x.h").evaluate(expr) is want


def _program(text: str) -> str:
    return text + HEAD + "\treturn g();\n}\n"


@pytest.mark.parametrize(("code", "want"), [
    # An #if on a macro defined above; #else taken.
    ("#define RETRIES 3\n#if RETRIES > 5\n#define LIMIT 100\n#else\n#define LIMIT 200\n#endif\n"
     "static int g(void) { return LIMIT; }\n", 200),
    # #elif chains: the first true branch only.
    ("#if 0\nstatic int g(void) { return 1; }\n#elif 1\nstatic int g(void) { return 2; }\n"
     "#else\nstatic int g(void) { return 3; }\n#endif\n", 2),
    # The kernel's config stub pattern: the configured code, not the stub.
    ("#ifdef CONFIG_INTEL_TDX_HOST\nstatic int g(void) { return 7; }\n#else\n"
     "static inline int g(void) { return -19; }\n#endif\n", 7),
    ("#ifndef CONFIG_INTEL_TDX_HOST\nstatic int g(void) { return -19; }\n#else\nstatic int g(void) { return 7; }\n"
     "#endif\n", 7),
    # #undef then #define: what follows sees the new value.
    ("#define B 1\n#undef B\n#define B 2\nstatic int g(void) { return B; }\n", 2),
    # A header guard is not defined yet; nested groups.
    ("#ifndef GUARD_H\n#define GUARD_H\n#if defined(__KERNEL__) && !defined(__ASSEMBLY__)\n"
     "static int g(void) { return 5; }\n#endif\n#endif\n", 5),
])
def test_the_built_branch_runs(code: str, want: int) -> None:
    out = run(_program(code))
    assert out.status == "ok" and out.ret == want, out.error


@pytest.mark.parametrize(("body", "want"), [
    # Inside a function body too (pcpp reads it): the same configuration as at file scope.
    ("#ifdef CONFIG_INTEL_TDX_HOST\n\treturn 10;\n#else\n\treturn 20;\n#endif\n", 10),
    ("#if IS_ENABLED(CONFIG_INTEL_TDX_HOST) && !IS_MODULE(CONFIG_KVM)\n\treturn 11;\n#else\n\treturn 21;\n"
     "#endif\n", 11),
    # IS_ENABLED() in C (include/linux/kconfig.h): 1 for a set option.
    ("\tif (IS_ENABLED(CONFIG_INTEL_TDX_HOST))\n\t\treturn 12;\n\treturn 22;\n", 12),
    # x86-64: the 32-bit options are not set.
    ("#ifdef CONFIG_X86_32\n\treturn 32;\n#else\n\treturn 64;\n#endif\n", 64),
    ("\treturn IS_ENABLED(CONFIG_X86_32) * 10 + IS_ENABLED(CONFIG_X86_64);\n", 1),
])
def test_the_configuration_inside_function_bodies(body: str, want: int) -> None:
    out = run(HEAD + body + "}\n")
    assert out.status == "ok" and out.ret == want, out.error


def test_a_name_undefined_by_undef_is_zero_in_an_if() -> None:
    # C11 6.10.1p4: a name no macro replaces is 0; after '#undef A' none does (gcc -E agrees): decided, not unknown.
    cond = Conditions("x.h")
    cond.directive("#undef SH_A", 1)
    assert (cond.evaluate("defined(SH_A) && SH_A > 1"), cond.evaluate("SH_A == 0"), cond.evaluate("SH_B")) == (
        False, True, None)


def test_a_define_in_an_undecided_branch_decides_nothing() -> None:
    # It may or may not have happened: what depends on it is not decided, and two bodies are refused.
    code = ("#ifdef SOME_DEBUG_OPTION\n#define MODE 2\n#endif\n#ifdef MODE\nstatic int g(void) { return 1; }\n"
            "#else\nstatic int g(void) { return 2; }\n#endif\n")
    out = run(_program(code))
    assert out.status == "error" and "g is defined 2 times" in (out.error or "")


def test_ifndef_of_a_macro_defined_above_is_no_header_guard() -> None:
    # LIMIT stays 9, so "#if LIMIT > 6" is true (gcc -E agrees).
    code = ("#define LIMIT 9\n#ifndef LIMIT\n#define LIMIT 5\n#endif\n#if LIMIT > 6\nstatic int g(void) { return 2; }\n"
            "#else\nstatic int g(void) { return 1; }\n#endif\n")
    assert run(_program(code)).ret == 2


def test_two_definitions_under_an_undecided_condition_are_not_guessed() -> None:
    code = ("#ifdef SOME_DEBUG_OPTION\nstatic int g(void) { return 1; }\n#else\n"
            "static int g(void) { return 2; }\n#endif\n")
    out = run(_program(code))
    assert out.status == "error" and "g is defined 2 times" in (out.error or "")
    assert "#ifdef SOME_DEBUG_OPTION (test/prog.c:1)" in (out.error or "")
    # One definition under an undecided condition has no rival: it is the one.
    assert run(_program("#ifdef SOME_DEBUG_OPTION\nstatic int g(void) { return 1; }\n#endif\n")).ret == 1


def test_line_is_the_real_files_line_where_it_is_expanded() -> None:
    # C11 6.10.8.1: the presumed line of the current source line, also inside a macro's expansion.
    code = "#define HERE __LINE__\n" + HEAD + "\tint a = __LINE__;\n\n\treturn a * 100 + HERE;\n}\n"
    assert run(code).ret == 406


def test_a_hunk_showing_an_else_without_its_if_decides_nothing() -> None:
    # What a hunk shows of asm/tdx.h: a stub before "#else", the real function after it; the "#if" is above
    # the hunk. Which one is built is not known from the mail: refused, not the first one run.
    from models.loader import EntryPoint, Source
    from models.machine import Answer
    from models.mirror import RunRequest, load_mirror

    shown = ("static inline int probe(void) { return -19; }", "#else", "static inline int probe(void) { return 1; }",
             "#endif", "")
    entry = ("long long f(u64 fn, struct tdx_module_args *args)", "{", "\treturn probe();", "}", "")
    m = load_mirror((Source("x/tdx.h", ((40, shown),), False), Source("x/user.c", ((1, entry),), True)),
                    (EntryPoint("f"),))
    out = m.run(RunRequest("f", 0, (Answer(0),), ""))
    assert out.status == "error" and "probe is defined 2 times (x/tdx.h:40, x/tdx.h:42)" in (out.error or "")
    assert "#else (x/tdx.h:41) (its #if is not in what is known of the file)" in (out.error or "")


@pytest.mark.parametrize(("code", "want"), [
    # A redefinition holds from where it is (gcc -E): uses after it see it ...
    ("#define B 1\n#undef B\n#define B 2\n" + HEAD + "\treturn B;\n}\n", 2),
    ("#define C 7\n#define C 8\n" + HEAD + "\treturn C;\n}\n", 8),
    # ... also one inside a function body, for the functions after it.
    ("static int g(void)\n{\n#define W 6\n\treturn W;\n}\n" + HEAD + "\treturn W + g();\n}\n", 12),
    ("#define W 5\nstatic int g(void)\n{\n#undef W\n#define W 6\n\treturn W;\n}\n" + HEAD + "\treturn W;\n}\n", 6),
])
def test_a_macro_redefined_is_seen_after_its_redefinition(code: str, want: int) -> None:
    out = run(code)
    assert out.status == "ok" and out.ret == want, out.error


def test_a_use_before_a_redefinition_sees_the_first_definition() -> None:
    # Its only use is before the #undef, with nothing in between: it sees 1, as in gcc (loader._pin_redefinitions).
    code = ("#define B 1\nstatic int before(void) { return B; }\n#undef B\n#define B 2\n" + HEAD
            + "\treturn before();\n}\n")
    out = run(code)
    assert out.status == "ok" and out.ret == 1, out.error
    # Used on both sides of the redefinition: each use sees the #define above it, as gcc (models.macroat).
    both = code.replace("\treturn before();", "\treturn before() + B * 10;")
    out = run(both)
    assert (out.status, out.ret) == ("ok", 21), out.error


def test_line_in_strings_and_on_continued_lines() -> None:
    # Inside a literal it is text; each physical line is its own (gcc -E), in a macro's arguments too.
    code = ("#define TWO(a, b) ((a) * 1000 + (b))\n" + HEAD + '\tpr_err("__LINE__ %d\\n", __LINE__);\n'
            "\tint c = __LINE__ + \\\n\t\t__LINE__;\n\treturn TWO(__LINE__,\n\t\t__LINE__) + c * 100000;\n}\n")
    out = run(code)
    assert out.status == "ok" and [x.text for x in out.log] == ["__LINE__ 4"], out.error
    assert out.ret == (5 + 6) * 100000 + 7 * 1000 + 8


def test_a_config_options_value_is_not_known() -> None:
    # The mirror sets options (=y); it does not know their values: gcc with CONFIG_NR_CPUS=64 takes the branch
    # a value of 1 would skip. Tested by value, the condition is not decided; used as a value, the run stops.
    out = run(HEAD + "\tint r = 5;\n#if CONFIG_NR_CPUS > 1\n\tr += 1000;\n#endif\n\treturn r;\n}\n")
    assert out.status == "error" and "test/prog.c:4: #if tests CONFIG_NR_CPUS's value" in (out.error or "")
    out = run(HEAD + "\treturn 5 + CONFIG_NR_CPUS;\n}\n")
    assert out.status == "error" and "CONFIG_NR_CPUS's value is not known" in (out.error or "")
    # Set or not is known: #ifdef, defined() and IS_ENABLED() decide.
    assert run(HEAD + "\tint r = 5;\n#if defined(CONFIG_FOO) && IS_ENABLED(CONFIG_BAR)\n\tr += 1;\n#endif\n"
                      "#ifdef CONFIG_X\n\tr += 10;\n#endif\n\treturn r;\n}\n").ret == 16


def test_command_line_macros_are_defined_before_the_text() -> None:
    # gcc -DSH_N=4 -DSH_E=: '#ifndef SH_N' is not taken, SH_N is 4 in an #if, an empty SH_E is defined, its value
    # not read as a number (gcc refuses '#if SH_E'); a guard of the same name is no guard (gcc -E agrees).
    cond = Conditions("x.h").command_line((("SH_N", "4"), ("SH_E", "")))
    cond.directive("#ifndef SH_N", 1, "#define SH_N")
    assert cond.built() is False
    cond.directive("#endif", 3)
    assert (cond.evaluate("SH_N > 3"), cond.evaluate("defined(SH_E)"), cond.evaluate("SH_E")) == (True, True, None)

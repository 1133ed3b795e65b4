"""An #if on gcc's and kbuild's predefined macros reads them as an x86-64 kernel build has them.

An #if inside a definition on gcc's and kbuild's predefined macros reads them as an x86-64 kernel build has them;
gcc's version is refused where its value is read. pcpp defined none of them: '#ifdef __x86_64__' in a function's
body took the branch no kernel build takes, and the run said ok. Another name of gcc's form (__NAME__) no line read
defines is refused, as gcc may define it; any other name no line the mirror reads defines is undefined, as before
(harness.configwords names it where a verdict rests on such a branch)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.cpp import _preprocess
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cppgen import GCC, case_tokens, cases, gcc_e
from tests.models.cprog import line_of, run

needs_gcc = pytest.mark.skipif(GCC is None, reason="needs gcc (the oracle)")

_BUSY = """\
static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	long long r = (ret != 0);

#if defined(__x86_64__) && __SIZEOF_LONG__ == 8 && __STDC_VERSION__ >= 201112L
	r += 10;
#endif
#ifdef __CHAR_UNSIGNED__
	r += 100;
#endif
#ifndef __KERNEL__
	r += 1000;
#endif
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && !defined(__ASSEMBLY__) && !defined(__cplusplus)
	r += 10000;
#endif
	return r;
}
"""


def test_gcc_s_predefined_macros_decide_a_body_s_if_as_in_a_kernel_build(tmp_path: Path) -> None:
    # the mirror returned 0 and 1 (every name undefined); gcc's build returns 10110 and 10111
    agrees_with_gcc(tmp_path, "pre", "demo/pre.h", _BUSY, 0x8000020300000000, (10110, 10111))


def _body(lines: str) -> str:
    return f"int f(u64 fn, struct tdx_module_args *args)\n{{\n\tint r = 1;\n\n{lines}\treturn r;\n}}\n"


def test_a_body_s_if_reading_gcc_s_version_is_refused_at_its_line() -> None:
    # it ran with __GNUC__ read as 0 (status ok); gcc defines it to its own version, which the mirror does not know
    code = _body("#if __GNUC__ >= 5\n\tr = 2;\n#endif\n")
    out = run(code)
    assert out.status == "error" and out.error is not None
    assert f"test/prog.c:{line_of(code, '__GNUC__')}:" in out.error and "the version of the gcc" in out.error


@pytest.mark.parametrize(("lines", "want"), [
    ("#undef THING\n#ifdef THING\n\tr = 2;\n#endif\n#if THING\n\tr = 3;\n#endif\n", 1),
    ("#ifdef __ASSEMBLY__\n\tr = 2;\n#elif defined(__CHECKER__) || defined(CONFIG_X86_32)\n\tr = 3;\n#endif\n", 1),
    ("#if defined(__GNUC__) && defined(__LINE__) && defined __COUNTER__\n\tr = 2;\n#endif\n", 2),
    ("#ifdef ARCH_HAS_THING\n\tr = 2;\n#endif\n#if THING_LEVEL > 1\n\tr = 3;\n#endif\n", 1),
    ("#ifdef BIT\n\tr = BIT(3);\n#endif\n", 8),
])
def test_a_body_s_if_on_a_name_known_defined_or_not_runs(lines: str, want: int) -> None:
    # an #undef above, an option the configuration leaves unset, what no C build defines, gcc's own, the prelude's,
    # a name no line defines (undefined, as C reads it)
    out = run(_body(lines))
    assert out.status == "ok", out.error
    assert out.ret == want


@needs_gcc
@pytest.mark.parametrize("seed", range(3))
def test_predefined_macros_are_gcc_s_with_kbuild_s_flags(seed: int) -> None:
    # 221 of 300 generated #if cases took the other branch (and every text line kept the names unexpanded)
    for source in cases("predefined", seed, 60):
        want = gcc_e(source, kbuild=True)
        assert want is not None
        assert case_tokens(_preprocess(source)) == case_tokens(want), source


@pytest.mark.parametrize(("code", "want"), [
    ("#undef BIT\n" + _body("#ifdef BIT\n\tr = 2;\n#endif\n"), 1),
    ("#define Q 3\n#undef Q\n" + _body("#ifdef Q\n\tr = 2;\n#endif\n"), 1),
    ("#define Q 3\n" + _body("#ifdef Q\n\tr = 2;\n#endif\n") + "#undef Q\n", 2),
])
def test_a_body_s_ifdef_below_the_file_s_undef_reads_no_macro(code: str, want: int) -> None:
    # the #undef above in the file (models.macroat) is in the definition's macro block, so its #ifdef knows the
    # name is no macro there, as gcc reads the file top to bottom
    out = run(code)
    assert out.status == "ok", out.error
    assert out.ret == want


_LIMITS = """\
static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	long long r = (ret != 0);

#if __INT_MAX__ == 2147483647 && __LONG_MAX__ > __INT_MAX__ && __SIZE_MAX__ == __UINT64_MAX__
	r += 10;
#endif
#if __WCHAR_MIN__ < 0 && __SCHAR_MAX__ + 1 == __UINT8_MAX__ - 127 && __SIZEOF_SIZE_T__ == 8
	r += 100;
#endif
#if defined(__amd64__) && __FLOAT_WORD_ORDER__ == __ORDER_LITTLE_ENDIAN__
	r += 1000;
#endif
	return r;
}
"""


def test_gcc_s_limits_and_sizes_decide_a_body_s_if_as_gcc_does(tmp_path: Path) -> None:
    # the mirror returned 0 and 1 (each name read as 0 or undefined, the run ok); gcc's build returns 1110 and 1111
    agrees_with_gcc(tmp_path, "lim", "demo/lim.h", _LIMITS, 0x8000020300000000, (1110, 1111))


@pytest.mark.parametrize("cond", ["__INT_WIDTH__ >= 32", "defined(__OPTIMIZE_SIZE__)", "!defined __SSE2__",
                                  "__INCLUDE_LEVEL__ == 0", "__SANITIZE_ADDRESS__ + 1 > 0"])
def test_a_body_s_if_on_another_name_gcc_may_define_is_refused_at_its_line(cond: str) -> None:
    # each took a branch as if gcc defined no such name (the run ok); gcc defines some by version (__INT_WIDTH__
    # since gcc 7), -m flag or configuration, and the include depth by where the header is read
    code = _body(f"#if {cond}\n\tr = 2;\n#endif\n")
    out = run(code)
    assert out.status == "error" and out.error is not None, out.ret
    assert f"test/prog.c:{line_of(code, '#if')}:" in out.error and "reserved to the compiler" in out.error


@pytest.mark.parametrize(("lines", "want"), [
    ("#define __PW_OWN__ 4\n#if defined(__PW_OWN__) && __PW_OWN__ == 4\n\tr = 2;\n#endif\n", 2),
    ("#if defined(__clang__) || __ASSEMBLY__ || defined(__i386__) || __CHECKER__\n\tr = 2;\n#endif\n", 1),
    ("#undef __SSE2__\n#ifdef __SSE2__\n\tr = 2;\n#endif\n", 1),
    ("#ifdef __always_inline\n\tr = 2;\n#endif\n#ifdef __PW_unknown\n\tr = 3;\n#endif\n", 2),
    ("#ifndef __attribute_const__\n\tr = 2;\n#endif\n#if defined(__pw_attr__) || defined(__pic__)\n\tr = 3;\n"
     "#endif\n", 1),
])
def test_a_body_s_if_on_a_reserved_name_known_defined_or_not_runs(lines: str, want: int) -> None:
    # one the code defines, ones no kernel build of C defines, one an #undef above leaves undefined, the prelude's;
    # lower-case ones (the kernel's attribute macros, __attribute_const__, the prelude defines under #ifndef)
    out = run(_body(lines))
    assert out.status == "ok", out.error
    assert out.ret == want

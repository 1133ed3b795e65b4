"""Enumerators past int get the type gcc gives them.

Enumerators past int: gcc gives the enum the narrowest of (unsigned) int and long that holds every value and
such an enumerator that type (those that fit stay ints); the mirror's values pinned to gcc's, and what gcc
refuses ("overflow in enumeration values") refused with FILE:LINE."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import line_of, ret_for_err, run

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")

ENUMS = """\
enum sc_hi { SC_HI = 0x80000000, SC_HI_NEXT };
enum sc_mixed { SC_MIX_HI = 0x80000000, SC_MIX_NEG = -1 };
enum sc_code { SC_RND = 0x8000020300000000ULL, SC_RND_NEXT, SC_SMALL = 5 };
enum { SC_ANON = 1ULL << 40 };
"""

# Values, sizes and signedness of the enumerators and the enums, in arithmetic against a u64 error code and in a
# switch: each term a decimal digit group of the result.
CODE = ENUMS + """\
long long f(u64 err, struct tdx_module_args *args)
{
	enum sc_code k = err;
	long long r = 0;

	r += sizeof(SC_HI) + sizeof(enum sc_hi) * 10 + ((enum sc_hi)0 - 1 > 0) * 100 + (SC_HI_NEXT & 0xf) * 1000;
	r += sizeof(SC_MIX_HI) * 10000 + (SC_MIX_HI - 0x80000001 < 0) * 100000 + (SC_MIX_NEG < 0) * 1000000;
	r += sizeof(SC_RND) * 10000000 + sizeof(SC_SMALL) * 100000000LL + ((enum sc_code)0 - 1 > 0) * 1000000000LL;
	r += sizeof(enum sc_mixed) * 10000000000LL + sizeof(SC_ANON) * 100000000000LL;
	r ^= (long long)(SC_RND_NEXT - err) << 48;
	r += ((k == SC_RND) + ((err >> 32) == (SC_RND >> 32)) * 2) * 1000000000000LL;
	switch (err & ~0xffffffffULL) {
	case SC_RND:
		r += 10000000000000LL;
		break;
	case SC_ANON:
		r += 20000000000000LL;
		break;
	}
	return r;
}
"""

ARGS = (0, 0x8000020300000000, 0x8000020300000042, 1 << 40)


def _gcc(tmp_path: Path, code: str) -> list[int]:
    gcc = shutil.which("gcc")
    assert gcc is not None
    src, exe = tmp_path / "e.c", tmp_path / "e"
    calls = "".join(f'\tprintf("%lld\\n", f({a:#x}ULL, 0));\n' for a in ARGS)
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
                   + code + f"int main(void)\n{{\n{calls}\treturn 0;\n}}\n")
    subprocess.run([gcc, "-std=gnu11", "-fwrapv", "-O1", "-o", str(exe), str(src)], check=True, capture_output=True)
    return [int(x) for x in subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()]


@needs_gcc
def test_enumerators_past_int_have_the_enums_type_as_gcc_gives_it(tmp_path: Path) -> None:
    assert [ret_for_err(CODE, a) for a in ARGS] == _gcc(tmp_path, CODE)


@pytest.mark.parametrize("enum", [
    "enum e { A = 0x7fffffff, B };",  # B = INT_MAX + 1 in int
    "enum e { A = 0x7fffffffLL, B };",  # A fits int, so it is an int from there
    "enum e { A = 0xffffffffU, B };",  # unsigned int wraps
    "enum e { A = 0xffffffffffffffffULL, B };",
    "enum e { A = 0x80000000, B = 0xffffffffU, C };",  # B is fine, C overflows: gcc refuses the whole enum
    "enum e { A = -1, B = 0xffffffffffffffffULL };",  # no 64-bit type holds both (gcc warns)
])
def test_what_gcc_refuses_or_cannot_type_is_refused_where_used(enum: str) -> None:
    code = enum + "\nlong f(u64 fn, struct tdx_module_args *args)\n{\n\treturn B;\n}\n"
    out = run(code)
    assert out.status == "error" and f"test/prog.c:{line_of(code, 'return B')}:" in (out.error or ""), out.error


@needs_gcc
def test_gcc_refuses_the_enums_the_mirror_refuses(tmp_path: Path) -> None:
    # The refusals above are gcc's build errors, but the last, which gcc builds with a warning.
    for enum in ("enum e { A = 0x7fffffff, B };", "enum e { A = 0x7fffffffLL, B };", "enum e { A = 0xffffffffU, B };",
                 "enum e { A = 0xffffffffffffffffULL, B };", "enum e { A = 0x80000000, B = 0xffffffffU, C };"):
        (tmp_path / "r.c").write_text(enum + "\n")
        r = subprocess.run([str(shutil.which("gcc")), "-std=gnu11", "-c", "-o", "/dev/null", str(tmp_path / "r.c")],
                           capture_output=True, text=True)
        assert r.returncode != 0 and "overflow in enumeration values" in r.stderr, enum


def test_wide_enums_agree_with_gcc_under_crosscheck(tmp_path: Path) -> None:
    code = CODE.replace("long long f(u64 err, struct tdx_module_args *args)\n{\n",
                        "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
                        "\tu64 err = __seamcall(fn, args);\n")
    result = header_result(tmp_path, "we", "demo/we.h", code, 0x8000020300000042)
    assert all(result.outcome("we", f"busy/ONE/{s}/demo.c").status == "ok" for s in ("ok", "big"))
    r = crosscheck_result(result, find_compiler(None), source=ORIGINAL)
    assert r.compared["we"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


# An enum gcc sizes by an attribute: __packed makes it the narrowest type holding its values (one byte here: 300
# stored is 44), which the mirror gave 4 bytes and 300. Each spelling is refused where the type is used; its
# enumerators alone stay ints.
PACKED = (
    "enum __attribute__((__packed__)) e { A = 1, B = 200 };\n",
    "enum e { A = 1, B = 200 } __attribute__((__packed__));\n",
    "typedef enum { A = 1, B = 200 } __attribute__((__packed__)) e_t;\n",
)
PACKED_USE = ("long long f(u64 err, struct tdx_module_args *args)\n{\n\tT x = B + err;\n"
              "\treturn sizeof(x) * 1000 + x;\n}\n")


@needs_gcc
@pytest.mark.parametrize("decl", PACKED, ids=["before the tag", "after the braces", "typedef"])
def test_a_packed_enum_is_refused_where_its_type_is_used(tmp_path: Path, decl: str) -> None:
    code = decl + PACKED_USE.replace("T", "e_t" if "typedef" in decl else "enum e")
    assert _gcc(tmp_path, code) == [1200, 1200, 1010, 1200]  # gcc: one byte, 200 + err's low byte, wrapped
    out = run(code.replace("long long f(u64 err,", "static long long g(u64 err,")
              + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn g(0x100, args);\n}\n")
    assert out.status == "error" and "attribute packed (its size) is not modelled" in (out.error or ""), out
    assert (out.error or "").startswith("test/prog.c:"), out.error
    only = decl + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn B + sizeof(A);\n}\n"
    assert ret_for_err(only.replace("u64 fn,", "u64 err,"), 0) == 204


@needs_gcc
def test_the_enumerators_of_a_typedef_enum_are_found(tmp_path: Path) -> None:
    # 'typedef enum { ... } t;' defines its enumerators too: code naming one and not the typedef stopped with
    # 'unknown identifier' (the slicer found the typedef by its name only).
    code = ("typedef enum tg { TE_A = 3, TE_B = TE_A + 4 } te_t;\ntypedef enum { TE_C = -2 } tc_t;\n"
            "long long f(u64 err, struct tdx_module_args *args)\n{\n\treturn TE_B * 100 + TE_C * 10 + (err >> 63)"
            " + sizeof(enum tg) * 1000;\n}\n")
    assert [ret_for_err(code, a) for a in ARGS] == _gcc(tmp_path, code)


@needs_gcc
def test_a_file_scope_array_sized_by_an_enumerator_or_a_macro_is_that_array(tmp_path: Path) -> None:
    # 'static const unsigned short tab[TE_N]' was found as a definition of TE_N (the last name before '='), not of
    # tab: code indexing tab stopped ('indexing a pointer').
    code = ("enum { TE_N = 3 };\n#define TE_M (TE_N + 1)\nstatic const unsigned short tab[TE_N] = { 5, 0xffff, 7 };\n"
            "static u64 more[TE_M], last[2];\n"
            "long long f(u64 err, struct tdx_module_args *args)\n{\n\tmore[err % TE_M] = err;\n\tlast[1] = 3;\n"
            "\treturn tab[err % TE_N] + sizeof(tab) * 1000000 + (more[err % TE_M] >> 60) * 10000000"
            " + sizeof(more) * 100000 + last[1];\n}\n")
    assert [ret_for_err(code, a) for a in ARGS] == _gcc(tmp_path, code)

"""GNU C's __builtin_types_compatible_p(type1, type2), against gcc.

GNU C's __builtin_types_compatible_p(type1, type2) (gcc manual, "Other Builtins"): 1 where gcc takes the two
types as compatible, top-level qualifiers aside (typedefs resolved, an enum and its integer type, typeof of an
expression, arrays of one length). It did not parse. Two pointer types alike but for the qualifiers of what they
point at (``const int *`` and ``int *``, which gcc tells apart) are refused, by __same_type() too, which said 1
where gcc says 0, and a _Generic association of a pointer type, which chose 'int *' for a 'const int *' (gcc 1,
the mirror 2 below): the mirror keeps no qualifiers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

PAIRS = r"""
enum tc_e { TC_A, TC_B };
enum tc_f { TC_C = -1 };

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	const int ci = 1;
	int arr[4];
	long long r = 0;

	r = r * 2 + __builtin_types_compatible_p(u64, unsigned long long);
	r = r * 2 + __builtin_types_compatible_p(u64, unsigned long);
	r = r * 2 + __builtin_types_compatible_p(int, signed);
	r = r * 2 + __builtin_types_compatible_p(const int, int);
	r = r * 2 + __builtin_types_compatible_p(char, signed char);
	r = r * 2 + __builtin_types_compatible_p(char, unsigned char);
	r = r * 2 + __builtin_types_compatible_p(typeof(err), u64);
	r = r * 2 + __builtin_types_compatible_p(typeof(ci), int);
	r = r * 2 + __builtin_types_compatible_p(enum tc_e, unsigned int);
	r = r * 2 + __builtin_types_compatible_p(enum tc_f, int);
	r = r * 2 + __builtin_types_compatible_p(typeof(arr), int[4]);
	r = r * 2 + __builtin_types_compatible_p(typeof(arr), int[5]);
	r = r * 2 + __builtin_types_compatible_p(int *, long *);
	r = r * 2 + __builtin_types_compatible_p(struct tdx_module_args, typeof(*args));
	r = r * 2 + __builtin_types_compatible_p(long, long long);
	r = r * 2 + __builtin_types_compatible_p(bool, _Bool);
	BUILD_BUG_ON(!__builtin_types_compatible_p(typeof(r), s64));
	return r * 2 + (err & 1) + __builtin_choose_expr(__builtin_types_compatible_p(typeof(err), u64), 0, 1);
}
"""


def test_type_pairs_as_gcc_compares_them(tmp_path: Path) -> None:
    # gcc: 1 0 1 1 0 0 1 1 1 1 1 0 0 1 0 1 (0b1011001111100101 = 46053), times 2, plus err & 1
    agrees_with_gcc(tmp_path, "tc", "demo/tc.h", PAIRS, 0x8000020300000043, (92106, 92107))


@pytest.mark.parametrize("expr", ["__builtin_types_compatible_p(typeof(p), int *)", "__same_type(p, (int *)0)",
                                  "__builtin_types_compatible_p(const int *[2], int *[2])"])
def test_pointers_alike_but_for_qualifiers_are_refused(expr: str) -> None:
    # gcc: 0 for each (const int * is not int *); the mirror, keeping no qualifiers, said 1 for __same_type()
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tconst int *p = NULL;\n\n\treturn "
              + expr + ";\n}\n")
    assert out.status == "error" and "test/prog.c:5" in (out.error or "") \
        and "qualifiers of what they point at" in (out.error or ""), out.error


def test_pointers_to_different_types_stay_a_no() -> None:
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn __same_type(args, (u64 *)0) + "
              "__builtin_types_compatible_p(int *, char *);\n}\n")
    assert (out.status, out.ret) == ("ok", 0), out.error


@pytest.mark.parametrize("decl", ["const int *p = NULL", "int *p = NULL"])
def test_a_generic_association_of_a_pointer_is_refused(decl: str) -> None:
    # gcc: 1 for 'const int *p', 3 for 'int *p'; the mirror chose 'int *: 2' for the first, 'const int *: 1' for both
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\t" + decl + ";\n\n\treturn _Generic(p, "
              "int *: 2, const int *: 1, default: 3);\n}\n".replace("int *: 2, ", "int *: 2, " if "const" in decl
                                                                      else ""))
    assert out.status == "error" and "test/prog.c:5" in (out.error or "") \
        and "qualifiers of what they point at" in (out.error or ""), out.error
    assert run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn _Generic(fn, u64: 1, "
               "default: 2) + _Generic(args, u64: 10, default: 20);\n}\n").ret == 21  # no pointer chosen: as gcc

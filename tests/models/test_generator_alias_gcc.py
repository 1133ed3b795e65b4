"""An object-like macro naming a function-like generator defines the functions, as gcc does.

A file-scope invocation of an object-like macro that names a function-like generator (``#define DEFINE_HELPER
DEFINE_SC_OP`` then ``DEFINE_HELPER(sc_a, 40)``): gcc rescans the alias with the arguments after it and defines the
functions; the mirror finds them and runs them as gcc does. An alias of a name no file defines generates nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.loader import Source, definitions
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ALIASED = r"""
#define DEFINE_SC_OP(name, leaf)					\
static inline u64 name(struct tdx_module_args *args)			\
{									\
	return __seamcall(leaf, args) + (leaf);				\
}									\
static inline int name##_prerr(struct tdx_module_args *args)		\
{									\
	u64 r = name(args);						\
	return r == (leaf) ? 0 : -EIO;					\
}
#define DEFINE_HELPER		DEFINE_SC_OP	/* the name of the revision before */
#define DEFINE_HELPER2		DEFINE_HELPER
#define PW_LEAF			41
DEFINE_HELPER(pw_alias_a, 40)
DEFINE_HELPER2(pw_alias_b, PW_LEAF);

static long long pw_alias(u64 fn, struct tdx_module_args *args)
{
	long long a = pw_alias_a(args);
	long long b = pw_alias_b(args);
	int c = pw_alias_a_prerr(args);

	return a * 100 + b * 3 + c * 7 + pw_alias_b_prerr(args);
}
"""


def test_functions_an_aliased_generator_defines_run_as_gcc_runs_them(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "alias", "arch/x86/virt/vmx/tdx/alias.h", ALIASED)


def test_an_alias_of_no_generator_defines_nothing() -> None:
    # EXPORT_SYMBOL and the like, behind an alias: no file defines the macro it names, so no definition is made.
    text = ("#define EXPORT_IT EXPORT_SYMBOL_GPL\nEXPORT_IT(seam_kick);\n"
            "#define LOOP_A LOOP_B\n#define LOOP_B LOOP_A\nLOOP_A(seam_loop);\n")
    table = definitions((Source("a/b.c", ((1, tuple(text.split("\n"))),), True),))
    assert "seam_kick" not in table and "seam_loop" not in table

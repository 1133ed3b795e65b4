"""va_list as gcc has it on x86-64: an array of one 24-byte struct, a pointer where a parameter, against gcc."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.valist import BUILTIN_TYPES, VA_LIST
from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

SIZES = r"""
static int pw_sz(const char *fmt, va_list args)
{
	__builtin_va_list mine;

	return (int)sizeof(args) * 100 + (int)sizeof(mine) + (int)sizeof(*args);
}

static __printf(1, 2) int pw_vs(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pw_sz(fmt, ap);
	va_end(ap);
	return n;
}

static long long pw_vsz(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	return pw_vs("%llx", err) + (long long)(err & 1);
}
"""


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="needs a C compiler")
def test_a_va_list_is_an_array_of_one_tag_and_a_pointer_where_a_parameter(tmp_path: Path) -> None:
    # Before: "'va_list' is used as a type, and no typedef of it is in what is known of the code".
    result = runs_as_gcc(tmp_path, "vs", "demo/vs.h", SIZES)
    assert result.outcome("vs", "busy/ONE/ok/demo.c").ret == 8 * 100 + 24 + 24


def test_the_builtin_type_name_is_the_one_the_prelude_typedef_names() -> None:
    assert BUILTIN_TYPES == {"__builtin_va_list": VA_LIST}
    code = ("long long f(u64 fn, struct tdx_module_args *args)\n{\n"
            "\treturn sizeof(va_list) + sizeof(__builtin_va_list);\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 48), out.error

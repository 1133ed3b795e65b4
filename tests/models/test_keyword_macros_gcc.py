"""A macro named like a C keyword applies to every line after it, as gcc's preprocessor applies it.

A macro named like a C keyword (``#define unsigned signed``, ``#define if(x) ...``) applies to every line after
it, as gcc's preprocessor applies any macro: the mirror's slicer left keywords out of the names a definition uses,
so such a macro never reached the definitions below it and their runs returned what no build of the code returns,
under ``ok``. Both builds run the same C."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc

_BUSY = """\
static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
%s
}
"""

# (the macro, the body using the word, gcc's returns under answer 0 and under answer 0x8000020300000000)
_CASES = [
    ("#define unsigned signed\n", "\tunsigned char c = 200;\n\n\treturn (c < 0) * 10 + (ret != 0);", (10, 11)),
    ("#define if(x) if (!(x))\n", "\tif (ret)\n\t\treturn 7;\n\treturn 5;", (7, 5)),
    ("#define int long\n", "\treturn sizeof(int) * 10 + (ret != 0);", (80, 81)),
]


@pytest.mark.parametrize(("macro", "body", "want"), _CASES, ids=["unsigned", "if", "int"])
def test_a_macro_named_as_a_keyword_applies_below_it_as_gcc_reads_it(tmp_path: Path, macro: str, body: str,
                                                                     want: tuple[int, int]) -> None:
    # undefined again below it, so the native build's own code after the header reads its keywords as C does
    undef = "#undef " + macro.split()[1].split("(")[0] + "\n"
    agrees_with_gcc(tmp_path, "kw", "demo/kw.h", macro + _BUSY % body + undef, 0x8000020300000000, want)

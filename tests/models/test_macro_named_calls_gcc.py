"""A call of a function whose name a macro spells runs the function its expansion declares.

A call of a function whose name a macro of the files spells (``static int SEAMLDR_FN(info)(...)``, the macro
pasting ``seamldr_##op``): the mirror runs the function its expansion declares, with gcc's values, at the lines of
its definition; where the macro is defined under an undecided condition, or not in the files, the call is refused
at its file:line, never run."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.native.run import find_compiler
from tests.models.cprog import PATH, gcc_returns, line_of, run

SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef unsigned int u32;
struct tdx_module_args { u64 rcx; };
"""

NAME = "#define SEAMLDR_FN(op) seamldr_##op\n"

# seamldr_sum() calls seamldr_info() by the name the expansion declares; f() calls seamldr_sum() by the macro; the
# head of seamldr_check() spans lines, so a line past it is the definition's own only if the body keeps its lines.
CODE = """\
struct seamldr_info { u32 version; u32 count; };

static int SEAMLDR_FN(info)(struct seamldr_info *p, u64 fn)
{
	p->version = (u32)(fn & 0xff);
	p->count = (u32)(fn >> 8);
	return p->count ? 0 : -5;
}

static int
SEAMLDR_FN(check)(u64 fn,
			int k)
{
	return (int)(fn & 0xf) / k;
}

static long long SEAMLDR_FN(sum)(u64 fn)
{
	struct seamldr_info x;
	int err = seamldr_info(&x, fn);

	if (err)
		return err;
	return x.version * 1000LL + x.count + seamldr_check(fn, (int)(fn >> 4 & 3));
}

long long f(u64 fn, struct tdx_module_args *args)
{
	return SEAMLDR_FN(sum)(fn) * 10 + seamldr_info(&(struct seamldr_info){ 0, 0 }, fn >> 1);
}
"""

ARGS = (0x1234, 0x10, 0x2fff, 0x3a1, 0xff17)


def _mirror(code: str, arg: int) -> tuple[str, int | None, str | None]:
    code = code.replace("long long f(u64 fn,", "static long long h(u64 fn,") + (
        f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn h({arg:#x}ULL, args);\n}}\n")
    out = run(code)
    return str(out.status), out.ret, out.error


def test_a_function_a_macro_names_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    runs = [_mirror(NAME + CODE, a) for a in ARGS]
    assert all(status == "ok" for status, _, _ in runs), runs
    assert [r for _, r, _ in runs] == gcc_returns(tmp_path, SHIM + NAME + CODE, ARGS, find_compiler(None))


def test_a_fault_in_it_is_reported_at_its_definitions_line() -> None:
    status, _, error = _mirror(NAME + CODE, 0x105)  # fn >> 4 & 3 is 0: the division by zero
    line = line_of(NAME + CODE, "return (int)(fn & 0xf) / k;")
    assert status == "error" and (error or "").startswith(f"{PATH}:{line}:"), error


UNKNOWN = {
    "either-condition": "#ifdef SEAMLDR_NEW_ABI\n#define SEAMLDR_FN(op) seamldr_##op\n#else\n"
                        "#define SEAMLDR_FN(op) seamldr_v1_##op\n#endif\n",
    "one-condition": "#ifdef SEAMLDR_NEW_ABI\n#define SEAMLDR_FN(op) seamldr_##op\n#endif\n",
    "twice": "#define SEAMLDR_FN(op) seamldr_##op\n#undef SEAMLDR_FN\n#define SEAMLDR_FN(op) seamldr_v1_##op\n",
    "not-in-the-files": "",
}


@pytest.mark.parametrize("name", UNKNOWN.values(), ids=UNKNOWN.keys())
def test_a_call_of_a_function_whose_macro_is_not_known_is_refused_at_its_line(name: str) -> None:
    # by the macro: the function's definition is named; by the expanded name: no function declares it
    status, ret, error = _mirror(name + CODE, 0x1234)
    line = line_of(name + CODE, "return SEAMLDR_FN(sum)(fn)")
    assert (status, ret) == ("error", None), (status, ret)
    assert (error or "").startswith(f"{PATH}:{line}: SEAMLDR_FN() is not available: {PATH}:"), error
    assert "which function it declares is not known" in (error or ""), error
    code = name + CODE.replace("SEAMLDR_FN(sum)(fn) * 10 + ", "")
    status, ret, error = _mirror(code, 0x1234)
    line = line_of(code, "return seamldr_info(&")
    assert (status, ret) == ("error", None), (status, ret)
    assert (error or "").startswith(f"{PATH}:{line}: call to unknown function seamldr_info()"), error

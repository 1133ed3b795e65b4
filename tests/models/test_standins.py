"""A string # makes of a prelude stand-in's expansion is refused at its line.

A string # makes of the expansion of a prelude stand-in for a kernel macro is refused at its line (gcc prints the
kernel header's text, which the mirror does not read); what the code and the kernel write alike is printed as gcc
prints it."""

from __future__ import annotations

import ast
import subprocess

import pytest

from models.native.run import NativeError, find_compiler
from tests.models.cprog import PATH, line_of, run

_OWN = """\
#define SC_STR(x)	#x
#define SC_XSTR(x)	SC_STR(x)
#define SC_MASK		(SC_LOW | 0x10)
#define SC_LOW		0xfULL
"""
_ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{{\n\tpr_err(\"[%s]\\n\", {use});\n\treturn 7;\n}}\n"


@pytest.mark.parametrize(("use", "name"), [
    ("SC_XSTR(TDX_SW_ERROR)", "TDX_SW_ERROR"),       # a status code the prelude builds from GENMASK_ULL()
    ("__stringify(GENMASK_ULL(47, 40))", "GENMASK_ULL"),
    ("__stringify(SC_MASK | BIT_ULL(63))", "BIT_ULL"),  # the code's own macro beside a stand-in
    ("SC_XSTR(\n\t\tBIT(3))", "BIT"),                 # said at the stand-in's own line
    ("__stringify(true)", "true"),                     # an enumerator in the kernel (include/linux/stddef.h)
])
def test_a_string_of_a_stand_ins_expansion_is_refused_at_its_line(use: str, name: str) -> None:
    code = _OWN + _ENTRY.format(use=use)
    out = run(code)
    assert out.status == "error" and out.ret is None, (out.status, out.ret, out.log)
    at = line_of(code, name if "\n" in use else use.split("\n")[0])
    assert f"{PATH}:{at}: macro {name} is made a string here (#) after expansion" in str(out.error)


# What the kernel's headers write as the prelude does (one number: include/uapi/asm-generic/errno-base.h,
# arch/x86/include/asm/shared/tdx_errno.h), the code's own macros, # of an argument not expanded, and the strings the
# prelude's own macros make for themselves (min(), BUILD_BUG_ON()).
_KEPT = ("__stringify(EIO)", "SC_XSTR(TDX_SUCCESS)", "__stringify(SC_MASK)", "SC_STR(GENMASK_ULL(47, 40))",
         "SC_STR(TDX_SW_ERROR)")
_KERNEL_TEXT = "#define EIO 5\n#define TDX_SUCCESS 0ULL\n#define __stringify_1(x...) #x\n" \
               "#define __stringify(x...) __stringify_1(x)\n"


def test_what_the_kernel_writes_alike_is_printed_as_gcc_prints_it() -> None:
    try:
        cc = find_compiler(None)
    except NativeError:
        pytest.skip("no C compiler, the oracle")
    body = "".join(f"const char *s{i} = {use};\n" for i, use in enumerate(_KEPT))
    gcc = subprocess.run([cc, "-E", "-P", "-x", "c", "-"], input=_KERNEL_TEXT + _OWN + body, capture_output=True,
                         text=True, check=True).stdout
    want = [ast.literal_eval(ln.split(" = ", 1)[1].rstrip(";")) for ln in gcc.splitlines() if ln.startswith("const")]
    code = _OWN + _ENTRY.format(use=", ".join(_KEPT)).replace('"[%s]', '"' + "[%s]" * len(_KEPT)) \
        .replace("return 7;", "BUILD_BUG_ON(SC_MASK != GENMASK_ULL(4, 0));\n\treturn min(7, 8);")
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["".join(f"[{w}]" for w in want)] and out.ret == 7

"""``__LINE__`` as gcc gives it, in and out of macro expansions.

``__LINE__`` as gcc gives it: a token's own line when read from the file or from an argument expanded
before substitution; the outermost macro's line when it comes out of an expansion (a body, or an operand of
``##`` such as the printing macros' ``, ##__VA_ARGS__``). C11 6.10.3.1, 6.10.8.1; gcc's expansion point.

The expected values are gcc's for the same lines; ``test_gcc_agrees`` compiles the program with gcc (the
printing macros as include/linux/printk.h defines them: variadic arguments passed on with ``##``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import run

PROGRAM = """\
#define TWO(a, b) ((a) * 1000 + (b))
#define HERE __LINE__
#define LOG(fmt, ...) pr_info("%d " fmt, __LINE__, ##__VA_ARGS__)
long long f(u64 fn, struct tdx_module_args *args)
{
	int c = __LINE__ + \\
		__LINE__;
	int d = TWO(__LINE__,
		__LINE__);
	int e = TWO(1,
		HERE);
	int f = TWO(HERE,
		2) + HERE;

	pr_info("%d %d %d %d\\n", c, d, e, f);
	pr_info("%d %d\\n", 1,
		__LINE__);
	LOG("%d\\n",
		__LINE__);
	LOG("%d %d\\n", TWO(HERE,
		HERE), HERE);
	pr_info("%s\\n", __stringify(__LINE__));
	pr_info_once("%d\\n",
		HERE);
	return __LINE__;
}
"""

# What gcc 12 prints for PROGRAM (the continued line and pre-expanded arguments: their own lines; the body
# of LOG and the ##-passed arguments of pr_info/LOG: the line of the call's name).
GCC_LOG = ["13 8009 1011 12015", "1 16", "18 18", "20 20020 20", "22", "23"]
GCC_RET = 25


def test_line_numbers_are_gccs() -> None:
    out = run(PROGRAM)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == GCC_LOG
    assert out.ret == GCC_RET


_STUBS = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args;
#define pr_info(fmt, ...) printf(fmt, ##__VA_ARGS__)
#define pr_info_once(fmt, ...) printf(fmt, ##__VA_ARGS__)
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc, the oracle")
def test_gcc_agrees(tmp_path: Path) -> None:
    src = tmp_path / "line.c"
    src.write_text(_STUBS + "#line 1\n" + PROGRAM + 'int main(void) { printf("%lld\\n", f(0, 0)); return 0; }\n')
    subprocess.run(["gcc", "-o", str(tmp_path / "line"), str(src)], check=True)
    printed = subprocess.run([str(tmp_path / "line")], capture_output=True, text=True, check=True).stdout
    assert printed.splitlines() == [*GCC_LOG, str(GCC_RET)]


def test_a_pasting_macros_argument_keeps_its_backslashes() -> None:
    # What ## can make of a call's arguments is looked for in them as written: "\x41" is text there, not
    # a regular-expression escape (it stopped the load before).
    code = ('#define SAY(fmt, ...) pr_info("say " fmt, ##__VA_ARGS__)\n'
            'long long f(u64 fn, struct tdx_module_args *args)\n{\n\tSAY("\\x41\\1\\n");\n\treturn 0;\n}\n')
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["say A\x01"]

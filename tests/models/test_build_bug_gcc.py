"""BUILD_BUG() is a call gcc refuses to build unless constant folding removes it.

BUILD_BUG() (include/linux/build_bug.h) is a call gcc refuses to build unless constant folding removes it: in a
branch an ``if`` with a constant condition skips, the build goes on, as gcc -O2 builds it; anywhere else (a branch
taken, one a run-time value decides) it is the build failure it was."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"

PIECES = r"""
static long long pw_build_bug_folded(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	long long r = 0;

	if (0)
		BUILD_BUG();
	if (sizeof(u32) == 8) {
		BUILD_BUG();
	} else {
		r += 1;
	}
	if (BITS_PER_LONG == 64)
		r += 2;
	else
		BUILD_BUG();
	switch (sizeof(u64)) {
	case 4:
		BUILD_BUG();
	case 8:
		r += 4;
		break;
	default:
		BUILD_BUG();
	}
	switch (BITS_PER_LONG / 32) {
	case 2:
		r += 8;
		return r + (long long)(err & 0xff);
	case 1:
		BUILD_BUG();
	}
	return r;
}
"""


def test_a_build_bug_folding_removes_builds_as_gcc_builds_it(tmp_path: Path) -> None:
    # Before: "static assertion failed: BUILD_BUG failed", a build failure, where gcc -O2 builds and runs it.
    runs_as_gcc(tmp_path, "bb", "demo/bb.h", PIECES)


# build_bug.h's mechanism, written for gcc: a call of a function declared with the error attribute.
_GCC_BUILD_BUG = ("#define BUILD_BUG() do { extern void bb(void) __attribute__((__error__(\"BUILD_BUG failed\")));"
                  " bb(); } while (0)\ntypedef unsigned long long u64;\n")


@pytest.mark.parametrize("body", [
    "\tBUILD_BUG();\n\treturn 0;\n",
    "\tif (fn)\n\t\tBUILD_BUG();\n\treturn 0;\n",
    "\tif (1)\n\t\tBUILD_BUG();\n\treturn 0;\n",
    "\tif (0)\n\t\treturn 1;\n\telse\n\t\tBUILD_BUG();\n\treturn 0;\n",
    "\tswitch (fn) {\n\tcase 1:\n\t\treturn 1;\n\tdefault:\n\t\tBUILD_BUG();\n\t}\n\treturn 0;\n",
    "\tswitch (2) {\n\tcase 2:\n\t\tfn++;\n\tdefault:\n\t\tBUILD_BUG();\n\t}\n\treturn 0;\n",
])
def test_a_build_bug_left_in_fails_the_build_as_in_gcc(tmp_path: Path, body: str) -> None:
    code = ENTRY + body + "}\n"
    out = run(code)
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.error)
    assert f"{PATH}:{line_of(code, 'BUILD_BUG')}" in (out.error or ""), out.error
    src = tmp_path / "t.c"
    src.write_text(_GCC_BUILD_BUG + "long long f(u64 fn, void *args)\n{\n" + body + "}\n")
    cc = shutil.which("gcc") or shutil.which("cc")
    assert cc is not None
    proc = subprocess.run([cc, "-O2", "-c", "-o", str(tmp_path / "t.o"), str(src)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode != 0 and "BUILD_BUG failed" in proc.stderr, proc.stderr


UNREACHABLE = r"""
#define BBU_KIND 2

static long long pw_bbu_switch(u64 fn, struct tdx_module_args *args)
{
	switch (BBU_KIND) {
	case 1:
		return 10;
	case 2:
		return 20 + (long long)(__seamcall(fn, args) & 0xff);
	default:
		return 30;
	}
	BUILD_BUG();
	BUILD_BUG_ON(1);
}

static long long pw_bbu_runtime_switch(u64 fn, struct tdx_module_args *args)
{
	switch (fn & 3) {
	case 1:
		return 1;
	default:
		return 2;
	}
	BUILD_BUG();
}

static long long pw_bbu_jumps(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;

	if (0)
		BUILD_BUG_ON(sizeof(u64) == 8);
	do {
		r += 3;
		if (fn)
			break;
		r += 4;
	} while (0);
	for (;;) {
		if (BBU_KIND == 2)
			return r;
		BUILD_BUG();
	}
	BUILD_BUG();
}
"""


def test_a_build_bug_no_path_reaches_builds_as_gcc_builds_it(tmp_path: Path) -> None:
    # Before: "static assertion failed: BUILD_BUG failed" (and "BUILD_BUG_ON failed: 1", also in 'if (0)') after a
    # constant switch whose every case returns, a switch with a default, a loop left only by return
    runs_as_gcc(tmp_path, "bbu", "demo/bbu.h", UNREACHABLE)


@pytest.mark.parametrize("body", [
    "\tswitch (2) {\n\tcase 1:\n\t\treturn 1;\n\tcase 2:\n\t\tbreak;\n\t}\n\tBUILD_BUG();\n\treturn 0;\n",
    "\tswitch (fn) {\n\tcase 1:\n\t\treturn 1;\n\t}\n\tBUILD_BUG();\n\treturn 0;\n",
    "\twhile (fn) {\n\t\treturn 1;\n\t}\n\tBUILD_BUG();\n\treturn 0;\n",
    "\tdo {\n\t\tif (fn)\n\t\t\tcontinue;\n\t\treturn 1;\n\t} while (0);\n\tBUILD_BUG();\n\treturn 0;\n",
])
def test_a_build_bug_a_path_reaches_still_fails_the_build(tmp_path: Path, body: str) -> None:
    test_a_build_bug_left_in_fails_the_build_as_in_gcc(tmp_path, body)

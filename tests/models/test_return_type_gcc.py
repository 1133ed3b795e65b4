"""A run reaching the end of a non-void function (C11 6.9.1p12): gcc's -Wreturn-type sees that path, and the kernel's
-Werror=return-type (top-level Makefile) makes it a build error; the mirror said so only as 'the mirror cannot run
f(): TypeError' where the value was used, and ran on where it was not."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import PATH, run

HELPERS = """\
typedef unsigned long long u64;
static u64 sc_status(u64 err)
{
	if (err)
		return err >> 32;
}

static int sc_note(u64 err)
{
	err++;
}
"""


@pytest.mark.parametrize(("body", "name", "line"), [("\treturn sc_status(fn - fn);\n", "sc_status", 2),
                                                    ("\tsc_note(fn);\n\treturn 1;\n", "sc_note", 8),
                                                    ("\treturn sc_note(fn) + 1;\n", "sc_note", 8)])
def test_reaching_the_end_of_a_non_void_function_is_the_kernels_build_error(body: str, name: str, line: int) -> None:
    out = run(HELPERS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n" + body + "}\n")
    assert (out.status, out.error_kind) == ("error", "build"), (out.ret, out.error)
    assert out.error == f"{PATH}:{line}: control reaches end of non-void function '{name}' [-Werror=return-type]"


def test_a_return_on_every_path_that_runs_is_no_error() -> None:
    out = run(HELPERS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn sc_status(1ULL << 40);\n}\n")
    assert (out.status, out.ret) == ("ok", 256), out.error


def _gcc(c: Path, code: str) -> subprocess.CompletedProcess[str]:
    """gcc compiling ``code`` (written to ``c``) under kbuild's -Werror=return-type, as the kernel builds."""
    c.write_text(code)
    return subprocess.run(["gcc", "-Werror=return-type", "-c", "-O2", "-o", str(c.with_suffix(".o")), str(c)],
                          capture_output=True, text=True, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"}, check=False)


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_gcc_refuses_both_under_the_kernels_flag(tmp_path: Path) -> None:
    done = _gcc(tmp_path / "r.c", HELPERS + "int use(void) { return (int)sc_status(1) + sc_note(2); }\n")
    # sc_note()'s is said by the front end ("no return statement in function returning non-void"), a build error too
    assert done.returncode != 0
    assert "r.c:6:1: error: control reaches end of non-void function [-Werror=return-type]" in done.stderr, done.stderr
    assert done.stderr.count("[-Werror=return-type]") == 2, done.stderr


# A return statement of the wrong kind, and a void value used, are build errors wherever they are (gcc's front end:
# -Wreturn-type, an error under kbuild's -Werror=return-type; "void value not ignored" always): each was run, or
# refused as 'the mirror cannot run f(): TypeError' / 'conversion from void'.
KINDS = """\
typedef unsigned long long u64;
static void sc_void(u64 x)
{
}

static u64 sc_bare(u64 x)
{
	if (x)
		return 1;
	return;
}

static void sc_valued(u64 x)
{
	return x;
}

static void sc_passes(u64 x)
{
	return sc_void(x);
}
"""


@pytest.mark.parametrize(("expr", "line", "says"), [
    ("({ sc_bare(1); 2; })", 10, "'return' with no value, in function returning non-void [-Werror=return-type]"),
    ("({ sc_valued(1); 3; })", 15, "'return' with a value, in function returning void [-Werror=return-type]"),
    ("({ u64 v = sc_void(1); v; })", 24, "void value not ignored as it ought to be"),
])
def test_a_return_of_the_wrong_kind_or_a_void_value_used_is_a_build_error(expr: str, line: int, says: str) -> None:
    out = run(KINDS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn " + expr + ";\n}\n")
    assert (out.status, out.error_kind, out.error) == ("error", "build", f"{PATH}:{line}: {says}"), out.ret


def test_a_void_call_returned_from_a_void_function_runs() -> None:
    out = run(KINDS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tsc_passes(fn);\n\treturn 4;\n}\n")
    assert (out.status, out.ret) == ("ok", 4), out.error


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_gcc_refuses_the_wrong_returns_and_the_void_value(tmp_path: Path) -> None:
    use = "u64 use(void) { u64 v = sc_void(1); sc_passes(2); return v + sc_bare(3); }\n"
    done = _gcc(tmp_path / "k.c", KINDS + use)
    errors = [ln.split(": error: ", 1)[1] for ln in done.stderr.splitlines() if ": error: " in ln]
    assert sorted(errors) == sorted(["'return' with no value, in function returning non-void [-Werror=return-type]",
                                     "'return' with a value, in function returning void [-Werror=return-type]",
                                     "void value not ignored as it ought to be"]), done.stderr

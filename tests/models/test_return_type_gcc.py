"""A run reaching the end of a non-void function is a build error under -Werror=return-type.

A run reaching the end of a non-void function (C11 6.9.1p12): gcc's -Wreturn-type sees that path, and the kernel's
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


# At the function's closing brace, where gcc says it (r.c:6:1 below), so that crosscheck finds the two refusals alike.
@pytest.mark.parametrize(("body", "name", "line"), [("\treturn sc_status(fn - fn);\n", "sc_status", 6),
                                                    ("\tsc_note(fn);\n\treturn 1;\n", "sc_note", 11),
                                                    ("\treturn sc_note(fn) + 1;\n", "sc_note", 11)])
def test_reaching_the_end_of_a_non_void_function_is_the_kernels_build_error(body: str, name: str, line: int) -> None:
    out = run(HELPERS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n" + body + "}\n")
    assert (out.status, out.error_kind) == ("error", "build"), (out.ret, out.error)
    assert out.error == f"{PATH}:{line}: control reaches end of non-void function '{name}' [-Werror=return-type]"


def test_an_end_no_run_reaches_is_the_build_error_all_the_same() -> None:
    # gcc decides on the flow graph, not the run: the kernel's build refused the file that the mirror ran (ok 256)
    out = run(HELPERS + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn sc_status(1ULL << 40);\n}\n")
    assert (out.status, out.error_kind, out.error) == (
        "error", "build", f"{PATH}:6: control reaches end of non-void function 'sc_status' [-Werror=return-type]")


# Non-void helpers each called so that its run returns, and what gcc -O2 -Werror=return-type says of each ("end":
# control reaches the end; "" builds; "refused": the mirror cannot say what gcc's folder makes of it).
SHAPES = [
    ("if (x) return 1;", "end"),
    ("if (x) return 1; else return 2;", ""),
    ("while (1) { if (x) return 1; }", ""),
    ("for (;;) { if (x) return 1; x++; }", ""),
    ("do { if (x) return 1; } while (1);", ""),
    ("if (1) return 1;", ""),
    ("switch (x) { case 0: return 2; default: return 1; }", ""),
    ("switch (x) { case 1: return 1; case 0: return 2; }", "end"),
    ("if (x) return 1; BUG();", ""),
    ("if (x) return 1; __builtin_unreachable();", ""),
    ("if (x) return 1; unreachable();", ""),
    ("while (1) { if (x) break; }", "end"),
    ("do { if (x) break; return 2; } while (0);", "end"),
    ("int i; for (i = 0; i < 3; i++) return 1;", "refused"),
    ("int i; for (i = 0; i != 1; i++) return 1;", "end"),
    ("while (x) return 1;", "end"),
    ("again: if (x) return 1; goto again;", ""),
    ("if (!x) goto out; return 1; out: ;", "end"),
    ("u64 y = 1; if (y) return 1;", "end"),
    ("const u64 k = 1; if (k) return 1;", "refused"),
    ("if (x || 1) return 1;", "refused"),
    ("if (!x || x) return 1;", "refused"),
    ("if (x >= 0) return 1;", "refused"),
    ("if (x == 1 || g_lim != 0) return 1;", "end"),
    ("if (unlikely(x)) return 1;", "end"),
    ("if (x) return 1; else if (!x) return 2;", "end"),
    ("if (x) return 1; stop();", "end"),
    ("if (x) return 1; die();", ""),
    ("if (x) return 1; die2();", ""),
    ("if (x) return 1; die3(2);", ""),
    ("if (x) return 1; die4();", ""),
    ("switch (x) { case 1: return 1; default: die2(); }", ""),
    ("({ if (x) return 1; 0; }); return 2;", ""),
    ("u64 v = ({ if (x) return 1; 0; }); (void)v;", "refused"),
    ("switch (x) { case 0: again: return 1; default: if (x != 0) goto again; return 2; }", "refused"),
    ("if (x) return 1; BUG_ON(1);", ""),
    ("if (x) return 1; BUG_ON(x);", "end"),
    ("if (likely(!x)) return 1; else if (unlikely(x)) return 2;", "end"),
    ("if (x) return 1; if (WARN_ON(1)) return 2;", "refused"),
]
PROLOGUE = """\
typedef unsigned long long u64;
u64 g_lim;
static void stop(void) { g_lim++; }
static void __attribute__((noreturn)) die(void) { for (;;) ; }
/* declared noreturn as the kernel spells it (compiler_attributes.h), in a prototype only, as C11 does */
static void __noreturn die2(void) { for (;;) ; }
static void die3(int v) __attribute__((__noreturn__));
static void die3(int v) { for (;;) g_lim = v; }
static _Noreturn void die4(void) { for (;;) ; }
void __noreturn back(void) { g_lim++; }
"""


def _shapes() -> str:
    return "".join(f"static int h{i}(u64 x)\n{{\n\t{body}\n}}\n" for i, (body, _) in enumerate(SHAPES))


@pytest.mark.parametrize("i", range(len(SHAPES)))
def test_the_end_of_a_non_void_function_as_gcc_sees_it(i: int) -> None:
    body, says = SHAPES[i]
    out = run(PROLOGUE + _shapes() + f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn h{i}(1);\n}}\n")
    line = PROLOGUE.count("\n") + 4 * i + 1
    got = {"ok": "", "build": "end", "unsupported": "refused"}[out.error_kind if out.status == "error" else "ok"]
    assert got == says, (body, out.status, out.error)
    if says == "end":
        assert out.error == f"{PATH}:{line + 3}: control reaches end of non-void function 'h{i}' [-Werror=return-type]"
    if says == "refused":
        assert out.error.startswith(f"{PATH}:{line + 2}: whether gcc sees the end of non-void function 'h{i}'"), \
            out.error


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_gcc_says_so_of_each_shape(tmp_path: Path) -> None:
    # one compile; BUG() as the kernel's (a trap gcc knows never returns); unlikely() as compiler.h's
    head = ("#define __noreturn __attribute__((__noreturn__))\n"
            "#define BUG() __builtin_trap()\n#define unreachable() do { __builtin_unreachable(); } while (0)\n"
            "#define unlikely(x) __builtin_expect(!!(x), 0)\n"
            "#define likely(x) __builtin_expect(!!(x), 1)\n#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)\n"
            "#define WARN_ON(c) ({ int __r = !!(c); if (unlikely(__r)) __builtin_printf(\"w\"); unlikely(__r); })\n")
    done = _gcc(tmp_path / "s.c", head + PROLOGUE + _shapes().replace("static int", "int"))
    first = (head + PROLOGUE).count("\n") + 1
    ends = {(int(ln.split(":")[1]) - first) // 4 for ln in done.stderr.splitlines()
            if "control reaches end of non-void function" in ln}
    assert ends >= {i for i, (_, says) in enumerate(SHAPES) if says == "end"}, done.stderr
    assert not ends & {i for i, (_, says) in enumerate(SHAPES) if says == ""}, done.stderr
    # a refusal is where gcc went each way: for `i < 3` it sees the end, for `!x || x` it folds the condition
    assert {i for i, (_, says) in enumerate(SHAPES) if says == "refused"} - ends, done.stderr
    assert {i for i, (_, says) in enumerate(SHAPES) if says == "refused"} & ends, done.stderr
    assert "'noreturn' function does return" in done.stderr  # back(): a run returning from it is undefined


def test_a_call_of_a_noreturn_function_that_returns_is_undefined() -> None:
    # C11 6.7.4p8; gcc builds no way back (its warning above): the mirror ran on after back() returned (ok 0)
    out = run(PROLOGUE + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tback();\n\treturn 0;\n}\n")
    line = PROLOGUE.count("\n") + 3
    assert (out.status, out.error_kind) == ("error", "runtime"), out.error
    assert out.error == (f"{PATH}:{line}: back() ({PATH}:{line - 3}) is declared noreturn and returned: "
                         "undefined behaviour")


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


FALLS_OFF = """\
static int sc_class(u64 err)
{
	if (err)
		return 1;
	if (!err)
		return 0;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	return sc_class(__seamcall(fn, args));
}
"""


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_crosscheck_finds_gcc_refusing_the_file_alike(tmp_path: Path) -> None:
    from harness.crosscheck import crosscheck_result
    from models.native.run import find_compiler
    from tests.harness.variantgen import header_result

    result = header_result(tmp_path, "falls", "demo/rt.h", FALLS_OFF, 0x8000020300000042)
    r = crosscheck_result(result, find_compiler(None))
    assert r.refused_alike_runs["falls"] == 2 and r.disagreements == [], (r.refused_alike, r.not_compared)
    assert "demo/rt.h:7: error: control reaches end of non-void function" in r.refused_alike["falls"][0]

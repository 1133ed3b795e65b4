"""A macro used above its file's only #define is refused at the use's line, as gcc fails.

A macro the code uses above its file's only #define of it: gcc, reading the file top to bottom, does not expand it
there and the file does not build; the mirror refuses that code at the use's line, naming the #define, and runs the
same code with the #define above it as gcc runs it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from models.native.run import NativeError, find_compiler
from tests.models.cprog import PATH, gcc_returns, line_of, run

SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx; };
#define EIO 5
"""

MACROS = """\
#define SC_FAIL		(-EIO)
#define SC_CHECK(ret)	((ret) > 9 ? SC_FAIL : (long long)(ret) * 3)
#define DEFINE_CHECKED(name)						\\
static long long name(u64 fn)						\\
{									\\
	return SC_CHECK(fn & 0xff) + SC_LIMIT;				\\
}
#define SC_LIMIT	100
"""

# g() is made by a macro: its body expands where DEFINE_CHECKED(g) is, which is what must follow every #define.
CODE = """\
DEFINE_CHECKED(g)

long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = g(fn);

	return r + SC_CHECK(fn >> 8);
}
"""
ARGS = (0x0, 0x7, 0xa03, 0x1ff)


def _cc() -> str:
    try:
        return find_compiler(None)
    except NativeError:
        pytest.skip("no C compiler, the oracle")


def _builds(cc: str, program: str, tmp_path: Path) -> bool:
    src = tmp_path / "order.c"
    src.write_text(program)
    return subprocess.run([cc, "-std=gnu11", "-Werror=implicit-function-declaration", "-fsyntax-only", str(src)],
                          capture_output=True).returncode == 0


def test_the_code_with_every_define_above_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    code = MACROS + CODE
    outs = [run(code, leaf=a) for a in ARGS]
    assert all(o.status == "ok" for o in outs), [o.error for o in outs]
    assert [o.ret for o in outs] == gcc_returns(tmp_path, SHIM + code, ARGS, _cc())


MOVED = {  # which #define goes below the code, and the line of the use said
    "SC_LIMIT": "DEFINE_CHECKED(g)",  # through the macro that makes g()
    "SC_FAIL": "return r + SC_CHECK(fn >> 8);",  # through SC_CHECK(), f()'s own (g() too reaches it)
    "SC_CHECK": "return r + SC_CHECK(fn >> 8);",  # f()'s own use, a function-like macro: an undeclared function
}


@pytest.mark.parametrize("name", MOVED)
def test_a_macro_defined_only_below_its_use_is_refused_at_the_use(name: str, tmp_path: Path) -> None:
    define = next(ln for ln in MACROS.split("\n") if ln.startswith(f"#define {name}"))
    code = MACROS.replace(define + "\n", "") + CODE + define + "\n"
    _refused_as_gcc_refuses(code, f"{PATH}:{line_of(code, MOVED[name])}: macro {name} is used here but defined only "
                                  f"below, at {PATH}:{line_of(code, define)}", tmp_path)


def _refused_as_gcc_refuses(code: str, said: str, tmp_path: Path) -> None:
    """gcc does not build ``code``, and the mirror's run of it stops with ``said`` in its error."""
    assert not _builds(_cc(), SHIM + code, tmp_path)  # gcc's own verdict
    out = run(code, leaf=0x7)
    assert (out.status, out.ret) == ("error", None), (out.status, out.ret, out.error)
    assert said in (out.error or ""), out.error


def test_a_name_the_file_also_declares_is_no_such_use(tmp_path: Path) -> None:
    # A function of the name: gcc calls it above the #define, and the mirror runs that call.
    code = ("static long long sc_twice(long long x) { return x * 2; }\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn sc_twice((long long)fn);\n}\n"
            "#define sc_twice(x) (x)\n")
    assert _builds(_cc(), SHIM + code, tmp_path)
    outs = [run(code, leaf=a) for a in ARGS]
    assert [o.ret for o in outs] == gcc_returns(tmp_path, SHIM + code, ARGS, _cc()), [o.error for o in outs]


# f's body tests SC_LATER, which the file defines only below f: gcc builds it and takes SC_LATER as undefined there
# (its #else, 0 in an #if); g below the #define sees it. Before, f was refused ("defined only below").
_TESTED = ("#ifdef SC_LATER\n\tn = 2;\n#else\n\tn = 1;\n#endif\n", "#ifndef SC_LATER\n\tn = 1;\n#endif\n",
           "#if SC_LATER > 2\n\tn = 2;\n#elif !defined(SC_LATER)\n\tn = 1;\n#endif\n",
           "#if defined SC_LATER || SC_LATER\n\tn = 2;\n#else\n\tn = 1;\n#endif\n#undef SC_LATER\n")
_BELOW_LATER = ("#define SC_LATER 3\nstatic long long g(void)\n{\n#ifdef SC_LATER\n\treturn SC_LATER * 10;\n#else\n"
                "\treturn 0;\n#endif\n}\n")


@pytest.mark.parametrize("body", _TESTED, ids=["ifdef", "ifndef", "if-elif", "if-defined-undef"])
def test_an_ifdef_in_the_body_of_a_macro_defined_below_takes_it_as_undefined_as_gcc(tmp_path: Path, body: str
                                                                                    ) -> None:
    code = ("static long long g(void);\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\tint n = 0;\n"
            f"{body}\treturn n * 1000 + g();\n}}\n{_BELOW_LATER}")
    want = gcc_returns(tmp_path, SHIM + code, (0,), _cc())
    assert want == [1030]
    out = run(code)
    assert (out.status, out.error, [out.ret]) == ("ok", None, want)


def test_a_body_that_also_uses_a_macro_defined_below_outside_its_tests_is_refused(tmp_path: Path) -> None:
    # gcc does not build it: SC_LATER in the return is an undeclared name there
    code = ("long long f(u64 fn, struct tdx_module_args *args)\n{\n#ifdef SC_LATER\n\treturn 1;\n#else\n"
            "\treturn SC_LATER;\n#endif\n}\n#define SC_LATER 3\n")
    assert not _builds(_cc(), SHIM + code, tmp_path)
    out = run(code)
    assert (out.status, out.ret) == ("error", None), (out.status, out.ret, out.error)
    assert f"{PATH}:{line_of(code, '#ifdef SC_LATER')}: macro SC_LATER is used here" in (out.error or ""), out.error


ORDERED = """\
enum { SC_LOW = 3, SC_HIGH = 9 };
struct sc_ops { long long (*sc_twice)(u64); int SC_HIGH; };

static long long sc_twice(u64 x)
{
	return (long long)x * 2 + SC_LOW;
}

static long long sc_other(u64 x)
{
	return (long long)x - 1;
}

long long f(u64 fn, struct tdx_module_args *args)
{
	struct sc_ops o = { .sc_twice = sc_other, .SC_HIGH = 4 };
	struct sc_ops *p = &o;

	return sc_twice(fn) * 100 + SC_HIGH + o.sc_twice(fn) * 10000 + p->sc_twice(fn) + o . SC_HIGH;
}
"""


def test_a_static_function_and_an_enumerator_above_their_use_run_as_gcc_runs_them(tmp_path: Path) -> None:
    # The members of the same names (.sc_twice, ->sc_twice, .SC_HIGH) are members wherever their names are declared.
    outs = [run(ORDERED, leaf=a) for a in ARGS]
    assert all(o.status == "ok" for o in outs), [o.error for o in outs]
    assert [o.ret for o in outs] == gcc_returns(tmp_path, SHIM + ORDERED, ARGS, _cc())


ENUM = "enum { SC_LOW = 3, SC_HIGH = 9 };\n"
TWICE = ORDERED[ORDERED.index("static long long sc_twice"):ORDERED.index("static long long sc_other")]
BELOW = {  # the code with one declaration moved below f(), the name, the use said (f()'s line) and the declaration
    "static function": (ORDERED.replace(TWICE, "") + "\n" + TWICE, "sc_twice", "return sc_twice(fn) * 100",
                        "static long long sc_twice"),
    "enumerator": (ORDERED.replace(ENUM, "") + ENUM, "SC_HIGH", "return sc_twice(fn) * 100", "enum {"),
}


@pytest.mark.parametrize("what", BELOW)
def test_one_declared_only_below_its_use_is_refused_at_the_use(what: str, tmp_path: Path) -> None:
    code, name, use, declared = BELOW[what]
    _refused_as_gcc_refuses(code, f"{PATH}:{line_of(code, use)}: {name} is used here but declared only below, at "
                                  f"{PATH}:{line_of(code, declared)}", tmp_path)


def test_a_prototype_above_declares_the_function(tmp_path: Path) -> None:
    code = BELOW["static function"][0].replace("long long f(", "static long long sc_twice(u64 x);\n\nlong long f(")
    outs = [run(code, leaf=a) for a in ARGS]
    assert all(o.status == "ok" for o in outs), [o.error for o in outs]
    assert [o.ret for o in outs] == gcc_returns(tmp_path, SHIM + code, ARGS, _cc())


def test_a_body_if_calling_a_function_like_macro_defined_below_is_gccs_error_not_a_run(tmp_path: Path) -> None:
    # SC_LATER_F is no macro at the #if (defined below): gcc stops ("missing binary operator"), never takes the #else
    code = ("long long f(u64 fn, struct tdx_module_args *args)\n{\n#if SC_LATER_F(3)\n\treturn 2;\n#else\n"
            "\treturn 1;\n#endif\n}\n#define SC_LATER_F(x) (x)\n")
    assert not _builds(_cc(), SHIM + code, tmp_path)
    out = run(code)
    assert (out.status, out.ret) == ("error", None), (out.status, out.ret, out.error)
    assert "missing binary operator" in (out.error or ""), out.error

"""A function compiled once for all programs that read the same when compiling it (models.sharing), and only then."""

from __future__ import annotations

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Mirror, RunRequest, load_mirror
from models.statements import Compiled

CALLER = """\
struct box { int v; };
int g(int x);
static int calls;
int f(unsigned long fn, struct tdx_module_args *args)
{
\tstruct box b = { .v = 2 };
\tcalls++;
\tpr_err_once("first\\n");
\treturn g(b.v) + calls;
}
"""

INDIRECT = """\
int g(int x);
int f(unsigned long fn, struct tdx_module_args *args)
{
\tint (*p)(int) = g;
\treturn p(3);
}
"""


def _mirror(caller: str, other: str) -> Mirror:
    """``caller`` in a.c (the same text at the same place in every program), ``other`` in b.c."""
    return load_mirror((Source("test/a.c", ((1, tuple(caller.split("\n"))),), True),
                        Source("test/b.c", ((1, tuple(other.split("\n"))),), True)),
                       (EntryPoint("f", ("fn", "args")),))


def _run(m: Mirror) -> tuple[int | None, tuple[tuple[str, str], ...]]:
    out = m.run(RunRequest("f", 0, (Answer(0),)))
    assert out.status == "ok", out.error
    return out.ret, out.state


def _f(m: Mirror) -> Compiled:
    return m.compiler.funcs["f"]


def test_same_reads_share_the_compiled_function_and_each_run_calls_its_own_callee() -> None:
    one = _mirror(CALLER, "int g(int x)\n{\n\treturn x * 10;\n}\n")
    two = _mirror(CALLER, "int g(int x)\n{\n\treturn x * 100;\n}\n")
    assert _run(one)[0] == 21
    assert _run(two)[0] == 201  # the shared f calls two's g, not one's
    assert _f(two) is _f(one)
    assert _run(one)[0] == 21  # and one's still calls its own
    # What compiling f adds to its compiler comes with it: its statements, its pr_err_once() site, its static.
    assert two.compiler.starts["f"] == one.compiler.starts["f"] and two.compiler.starts["f"]
    assert two.compiler.once_sites == one.compiler.once_sites and two.compiler.once_sites
    assert _run(two)[1] == _run(one)[1] == (("calls", "1"), ("f::pr_err_once()", "1"))
    assert two.take_coverage() == one.take_coverage()


def test_a_call_through_a_pointer_in_shared_code_reaches_the_runs_program() -> None:
    one = _mirror(INDIRECT, "int g(int x)\n{\n\treturn x + 1;\n}\n")
    two = _mirror(INDIRECT, "int g(int x)\n{\n\treturn x + 2;\n}\n")
    assert (_run(one)[0], _run(two)[0], _run(one)[0]) == (4, 5, 4)
    assert _f(two) is _f(one)


def test_what_compiling_reads_of_the_program_keeps_it_apart() -> None:
    """A type, a variable's initialiser, an enumerator, a callee's signature, a responder set: each read while
    compiling, so that a program where one differs compiles the function again, and runs it its own way."""
    uses = """\
int f(unsigned long fn, struct tdx_module_args *args)
{
\tstruct box b = { .v = 7 };
\treturn b.v + start + E + (int)sizeof(g(0));
}
"""
    base = "struct box { int v; };\nstatic int start = 1;\nenum { E = 10 };\nint g(int x)\n{\n\treturn x;\n}\n"
    first = _mirror(uses, base)
    assert _run(first)[0] == 7 + 1 + 10 + 4
    others = {
        "type": base.replace("struct box { int v; };", "struct box { char v; };"),
        "variable": base.replace("start = 1", "start = 2"),
        "enumerator": base.replace("E = 10", "E = 20"),
        "signature": base.replace("int g(int x)", "long g(int x)"),
    }
    wanted = {"type": 7 + 1 + 10 + 4, "variable": 7 + 2 + 10 + 4, "enumerator": 7 + 1 + 20 + 4,
              "signature": 7 + 1 + 10 + 8}
    for what, other in others.items():
        m = _mirror(uses, other)
        assert _run(m)[0] == wanted[what], what
        assert _f(m) is not _f(first), what
    same = _mirror(uses, base.replace("return x;", "return x + 1;"))  # only a body: shared
    assert _run(same)[0] == wanted["type"] and _f(same) is _f(first)
    responders = Mirror(first.program, frozenset({"__seamcall"}))
    assert _run(responders)[0] == wanted["type"] and _f(responders) is not _f(first)

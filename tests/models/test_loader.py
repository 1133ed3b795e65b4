"""Loading: slicing fragments, the needed closure, provenance, and refusing hostile C."""

from __future__ import annotations

import pytest

from models.errors import LoadError, UnsupportedConstruct
from models.loader import EntryPoint, Source, _preprocess, load_program
from models.slicer import Kind, slice_fragment


def test_slice_fragment_starting_mid_function_and_comment() -> None:
    lines = [
        "\treturn x;",
        "}",
        " * tail of a comment */",
        "#define TWO \\",
        "\t2",
        "typedef u64 (*fn_t)(u64 a);",
        "static inline int one(void)",
        "{",
        "\treturn 1; /* } */",
        "}",
        "struct s { int a; };",
        "enum { A = 1, B };",
        "int proto(int a);",
        "static int counter;",
        "error:",
        "static int cut(void)",
        "{",
    ]
    got = [(d.kind, d.name, d.line) for d in slice_fragment(lines, "x.h", 10)]
    assert got == [(Kind.MACRO, "TWO", 13), (Kind.TYPEDEF, "fn_t", 15), (Kind.FUNCTION, "one", 16),
                   (Kind.STRUCT, "s", 20), (Kind.ENUM, "A", 21), (Kind.ENUM, "B", 21), (Kind.PROTOTYPE, "proto", 22),
                   (Kind.VARIABLE, "counter", 23)]


def _load(code: str, *entries: str):  # type: ignore[no-untyped-def]
    return load_program((Source("a/b.h", ((1, tuple(code.split("\n"))),), True),),
                        tuple(EntryPoint(e) for e in entries))


def test_only_the_closure_is_loaded_with_provenance() -> None:
    code = ("#define K TDX_RND_NO_ENTROPY\nstatic int used(u64 fn) { return fn == K; }\n"
            "static int unused(void) { return 2; }\n#define entry(f, a) used(f)\n")
    p = _load(code, "entry", "absent")
    assert set(p.functions) == {"used", "__sh_entry_entry"}
    assert p.missing_entries == ("absent",)
    rows = {name: where for name, _, where in p.provenance()}
    assert rows["used"] == "a/b.h:2" and rows["K"] == "a/b.h:1" and rows["entry"] == "a/b.h:4"
    from models.prelude import prelude_text

    path, line = rows["TDX_RND_NO_ENTROPY"].split(":")
    assert path == "<prelude>"
    assert prelude_text().splitlines()[int(line) - 1].startswith("#define TDX_RND_NO_ENTROPY ")


def test_variant_definition_wins_over_prelude() -> None:
    p = _load("#define RDRAND_RETRY_LOOPS 3\nstatic int f(u64 fn, struct tdx_module_args *a)"
              " { return RDRAND_RETRY_LOOPS; }\n", "f")
    from models.machine import Answer
    from models.mirror import Mirror, RunRequest

    assert Mirror(p).run(RunRequest("f", 0, (Answer(0),))).ret == 3


def test_include_is_never_followed() -> None:
    p = _load('#include "/etc/passwd"\nstatic int f(u64 fn, struct tdx_module_args *a) { return 1; }\n', "f")
    assert "root:" not in str(p.ast)
    with pytest.raises(LoadError, match="#include is not allowed"):
        _preprocess('#include "/etc/passwd"\n')


def test_exponential_macro_is_refused() -> None:
    code = "#define A0 x x\n" + "".join(f"#define A{i} A{i - 1} A{i - 1}\n" for i in range(1, 40))
    code += "static int f(u64 fn, struct tdx_module_args *a) { return A39; }\n"
    with pytest.raises(UnsupportedConstruct, match=r"a/b.h:\d+: macro A\d+ expands to more than"):
        _load(code, "f")


def test_unparsable_definition_is_dropped_with_reason() -> None:
    code = ("static int bad(void) { return 1 +; }\n"
            "static int f(u64 fn, struct tdx_module_args *a) { return 2; }\n"
            "static int g(u64 fn, struct tdx_module_args *a) { return bad(); }\n")
    p = _load(code, "f", "g")
    assert p.dropped["bad"].startswith("a/b.h:1: C the mirror does not parse")
    assert "f" in p.functions


def test_provenance_order_does_not_depend_on_string_hashing() -> None:
    import os
    import subprocess
    import sys

    code = ("from models.loader import EntryPoint, Source, provenance_of\n"
            "c = 'static int f(int a) { return g(a) + h(a) + k(a); }\\n' + ''.join(\n"
            "    f'static int {n}(int a) {{ return a; }}\\n' for n in 'ghk')\n"
            "src = (Source('x.c', ((1, tuple(c.splitlines())),), True),)\n"
            "print(provenance_of(src, (EntryPoint('f', ()),)))\n")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(outs) == 1 and "'g'" in outs.pop()

"""Several files read as one: what a translation unit of gcc's would see differently is refused, never run
with another unit's definition or a macro defined after the code that uses it (gcc 12 for the values)."""

from __future__ import annotations

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Outcome, RunRequest, load_mirror

_ENTRY = "long long {name}(u64 fn, struct tdx_module_args *args)\n{{\n\treturn {body};\n}}\n"


def _run(files: dict[str, str], entry: str) -> Outcome:
    sources = tuple(Source(path, ((1, tuple(text.split("\n"))),), True) for path, text in files.items())
    return load_mirror(sources, (EntryPoint(entry),)).run(RunRequest(entry, 0, (Answer(0),), ""))


def test_a_static_function_in_two_c_files_is_never_the_other_ones() -> None:
    # Each .c file calls its own sc_probe(); gcc gives tdx_probe() 1 and seamldr_probe() 2. The mirror keeps
    # one sc_probe: a call from the other file is refused, never given the wrong one.
    tdx = "static int sc_probe(void) { return 1; }\n" + _ENTRY.format(name="tdx_probe", body="sc_probe()")
    ldr = "static int sc_probe(void) { return 2; }\n" + _ENTRY.format(name="seamldr_probe", body="sc_probe()")
    files = {"x/tdx.c": tdx, "x/seamldr.c": ldr}
    outs = {entry: _run(files, entry) for entry in ("tdx_probe", "seamldr_probe")}
    for entry, want in (("tdx_probe", 1), ("seamldr_probe", 2)):
        out = outs[entry]
        assert out.ret == want if out.status == "ok" else "each translation unit sees its own" in (out.error or "")
    assert any(o.status == "error" for o in outs.values())


def test_a_macro_of_a_c_file_used_by_a_header_is_refused_not_replaced_by_the_prelude() -> None:
    # tdx.c redefines RDRAND_RETRY_LOOPS after including the header: gcc expands the header's loop with the
    # earlier value (10), the mirror cannot tell the order: refused, and the prelude's 10 does not stand in.
    header = ("static inline int tries(void)\n{\n\tint retry = RDRAND_RETRY_LOOPS;\n\treturn retry;\n}\n")
    unit = "#undef RDRAND_RETRY_LOOPS\n#define RDRAND_RETRY_LOOPS 3\n" + _ENTRY.format(name="f", body="tries()")
    out = _run({"x/seamcall.h": header, "x/tdx.c": unit}, "f")
    assert out.status == "error" and "macro RDRAND_RETRY_LOOPS is defined in x/tdx.c:2, a .c file" in (out.error or "")
    # Used in its own file, after its definition, it is that file's: 3.
    own = "#define LOOPS 3\n" + _ENTRY.format(name="f", body="LOOPS")
    assert _run({"x/tdx.c": own}, "f").ret == 3


def test_a_static_variable_in_two_c_files_says_why_it_is_refused() -> None:
    tdx = "static int nr_fail;\n" + _ENTRY.format(name="f", body="++nr_fail")
    ldr = "static int nr_fail = 2;\n" + _ENTRY.format(name="g", body="nr_fail += 5")
    files = {"x/tdx.c": tdx, "x/ldr.c": ldr}
    assert _run(files, "f").ret == 1  # only tdx.c's code uses the one kept: its own, certain
    out = _run(files, "g")
    assert out.status == "error" and "nr_fail is defined 2 times" in (out.error or "")
    assert "unknown name" not in (out.error or "")

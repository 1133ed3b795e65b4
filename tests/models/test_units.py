"""Several files read as one: what a gcc translation unit sees differently is refused.

Several files read as one: what a translation unit of gcc's would see differently is refused, never run
with another unit's definition or a macro defined after the code that uses it (gcc 12 for the values)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Outcome, RunRequest, load_mirror

_ENTRY = "long long {name}(u64 fn, struct tdx_module_args *args)\n{{\n\treturn {body};\n}}\n"


def _run(files: dict[str, str], entry: str) -> Outcome:
    sources = tuple(Source(path, ((1, tuple(text.split("\n"))),), True) for path, text in files.items())
    return load_mirror(sources, (EntryPoint(entry),)).run(RunRequest(entry, 0, (Answer(0),), ""))


def test_a_static_function_in_two_c_files_is_each_files_own() -> None:
    # Each .c file calls its own sc_probe(); gcc gives tdx_probe() 1 and seamldr_probe() 2.
    tdx = "static int sc_probe(void) { return 1; }\n" + _ENTRY.format(name="tdx_probe", body="sc_probe()")
    ldr = "static int sc_probe(void) { return 2; }\n" + _ENTRY.format(name="seamldr_probe", body="sc_probe()")
    files = {"x/tdx.c": tdx, "x/seamldr.c": ldr}
    assert {entry: _run(files, entry).ret for entry in ("tdx_probe", "seamldr_probe")} == \
        {"tdx_probe": 1, "seamldr_probe": 2}


def test_one_run_reaches_both_copies_each_from_its_own_files_code() -> None:
    # both() (tdx.c) calls its sc_probe() and ldr_probe() (seamldr.c), which calls seamldr.c's: 1 * 10 + 2,
    # and each copy's __func__ is the name in the C, as gcc prints it.
    tdx = ("int ldr_probe(void);\nstatic int sc_probe(void) { pr_err(\"%s\\n\", __func__); return 1; }\n"
           + _ENTRY.format(name="both", body="sc_probe() * 10 + ldr_probe()"))
    ldr = ("static int sc_probe(void) { pr_err(\"%s\\n\", __func__); return 2; }\n"
           "int ldr_probe(void)\n{\n\treturn sc_probe();\n}\n")
    out = _run({"x/tdx.c": tdx, "x/seamldr.c": ldr}, "both")
    assert out.status == "ok" and out.ret == 12, out.error
    assert [x.text for x in out.log] == ["sc_probe", "sc_probe"]


def test_a_copy_named_by_a_headers_code_is_refused() -> None:
    # The header's inline is compiled in each unit that includes it and calls that unit's sc_probe(): which
    # one a run's copy calls is not known to the mirror, which reads the files as one.
    header = "static inline int probe_twice(void)\n{\n\treturn 2 * sc_probe();\n}\n"
    tdx = "static int sc_probe(void) { return 1; }\n" + _ENTRY.format(name="f", body="probe_twice()")
    ldr = "static int sc_probe(void) { return 2; }\nint g(void) { return sc_probe(); }\n"
    out = _run({"x/seamcall.h": header, "x/tdx.c": tdx, "x/seamldr.c": ldr}, "f")
    assert out.status == "error" and "each translation unit sees its own" in (out.error or "")


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


def test_a_static_variable_in_two_c_files_is_each_files_own() -> None:
    # f() (tdx.c) counts in tdx.c's nr_fail, then calls g() (ldr.c), which adds 5 to ldr.c's (2): 1 + 7; the
    # state names each as the C does.
    # (++nr_fail in a statement of its own: beside g() in one expression, its load may come after the call.)
    tdx = "static int nr_fail;\nlong long g(void);\n" + _ENTRY.format(name="f",
                                                                      body="({ int a = ++nr_fail; a + g(); })")
    ldr = "static int nr_fail = 2;\nlong long g(void)\n{\n\treturn nr_fail += 5;\n}\n"
    out = _run({"x/tdx.c": tdx, "x/ldr.c": ldr}, "f")
    assert out.status == "ok" and out.ret == 8, out.error
    assert out.state == (("nr_fail", "1"), ("nr_fail", "7"))
    # A header's code that names it is in each unit that includes it: which copy it reads is not known.
    header = "static inline int fails(void)\n{\n\treturn nr_fail;\n}\n"
    out = _run({"x/tdx.h": header, "x/tdx.c": tdx.replace("++nr_fail", "fails()"), "x/ldr.c": ldr}, "f")
    assert out.status == "error" and "nr_fail is defined 2 times" in (out.error or "")


def test_a_macro_the_mirror_cannot_decide_is_never_printed_as_its_name() -> None:
    # __stringify(X) expands X first (include/linux/stringify.h): gcc prints "v8" or "v9" depending on the
    # branch; the mirror cannot decide it, so the string is refused where it is made, not printed "vTDX_VER".
    code = ("#ifdef HAVE_ARCH_TDX_VER\n#define TDX_VER 9\n#else\n#define TDX_VER 8\n#endif\n"
            "#define __stringify_1(x) #x\n#define __stringify(x) __stringify_1(x)\n"
            + _ENTRY.format(name="f", body='printk("v" __stringify(TDX_VER) "\\n")'))
    out = _run({"x/tdx.c": code}, "f")
    assert out.status == "error" and "x/tdx.c:10: macro TDX_VER is made a string here (#)" in (out.error or "")
    assert "under" in (out.error or "")  # and why it is not known
    # # of the name itself is the name, whatever its value: gcc prints "vTDX_VER" too.
    direct = code.replace("__stringify(TDX_VER)", "__stringify_1(TDX_VER)")
    assert _run({"x/tdx.c": direct}, "f").log[0].text == "vTDX_VER"


def test_the_state_a_run_leaves_in_file_scope_and_static_variables() -> None:
    code = ("static u64 last_err;\nstatic int nr_fail = 3;\nstatic bool dead;\nstatic int table[3] = {1, 2, 3};\n"
            "static int untouched = 7;\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tstatic int calls;\n\tcalls++;\n"
            "\tlast_err = fn - 1;\n\tnr_fail += untouched - 7;\n\tdead = true;\n\tdead = false;\n\ttable[1] = 5;\n"
            "\treturn 0;\n}\n")
    out = _run({"x/tdx.c": code}, "f")
    # Left at its initial value (nr_fail, dead) or never written (untouched): not state a run leaves.
    assert out.state == (("f::calls", "1"), ("last_err", str((1 << 64) - 1)), ("table", "{1, 5, 3}"))


def test_a_redefinition_before_its_uses_is_the_one_they_see() -> None:
    # A header defines TDX_VER under a condition the mirror cannot decide; the .c file redefines it before
    # its only use, with no #include in between: gcc's use sees 3 whatever the header said.
    header = "#ifdef HAVE_X\n#define TDX_VER 9\n#else\n#define TDX_VER 8\n#endif\n"
    unit = ('#include "tdx.h"\n#undef TDX_VER\n#define TDX_VER 3\n'
            + _ENTRY.format(name="f", body='printk("v" __stringify(TDX_VER) "\\n") * 0 + TDX_VER'))
    out = _run({"x/tdx.h": header, "x/tdx.c": unit}, "f")
    assert out.status == "ok" and out.ret == 3 and [x.text for x in out.log] == ["v3"], out.error
    # Used through a macro defined before the redefinition: it expands at its use, after it (gcc: 2); the
    # mirror does not follow that, so it refuses rather than give 1.
    through = ("#define TDX_VER 1\n#define SHOW() TDX_VER\n#undef TDX_VER\n#define TDX_VER 2\n"
               + _ENTRY.format(name="f", body="SHOW()"))
    got = _run({"x/tdx.c": through}, "f")
    assert got.ret == 2 if got.status == "ok" else "defined 2 times" in (got.error or "")


@pytest.mark.parametrize("between", ['#include "tdx.h"\n', '#inc\\\nlude "tdx.h"\n', '# /* c */ include "tdx.h"\n'])
def test_a_header_included_between_a_definition_and_its_use_may_redefine_it(between: str, tmp_path: Path) -> None:
    # The .c file's TDX_VER, then an include of a header that redefines it under a condition the mirror cannot
    # decide: gcc's use sees 8 (or 9), never 3. Before, a split or commented include between was not read, and the
    # .c file's 3 was taken as the one the use sees (loader._pin_redefinitions); now the mirror refuses, as with
    # '#include "tdx.h"' written plainly.
    header = "#ifdef HAVE_X\n#define TDX_VER 9\n#else\n#define TDX_VER 8\n#endif\n"
    unit = "#define TDX_VER 3\n" + between + _ENTRY.format(name="f", body="TDX_VER")
    out = _run({"x/tdx.h": header, "x/tdx.c": unit}, "f")
    assert out.status == "error" and "TDX_VER is defined 3 times" in (out.error or ""), out
    if shutil.which("gcc") is not None:
        (tmp_path / "tdx.h").write_text(header)
        (tmp_path / "tdx.c").write_text(unit.split("long long")[0] + "int v = TDX_VER;\n")
        said = subprocess.run(["gcc", "-E", "-P", str(tmp_path / "tdx.c")], capture_output=True, text=True,
                              check=True, timeout=60).stdout
        assert "int v = 8;" in said, said


@pytest.mark.parametrize("header_first", [True, False])
def test_an_include_between_a_definition_and_its_use_may_redefine_it_plainly(header_first: bool, tmp_path: Path
                                                                             ) -> None:
    # The header redefines TDX_VER with no condition and no #undef: gcc warns "redefined" and the use sees 9. The
    # mirror took the .c file's 3 (the latest listed) when the header came first among the sources; it refuses now,
    # naming the include, in either order. Its twin with the include above the definition still runs 3 (gcc 3).
    header, use = "#define TDX_VER 9\n", _ENTRY.format(name="f", body="TDX_VER")
    for unit, gcc_says in (('#define TDX_VER 3\n#include "tdx.h"\n' + use, 9),
                           ('#include "tdx.h"\n#define TDX_VER 3\n' + use, 3)):
        files = {"x/tdx.h": header, "x/tdx.c": unit}
        out = _run(files if header_first else dict(reversed(files.items())), "f")
        if gcc_says == 3:
            assert out.status == "ok" and out.ret == 3, out
        else:
            assert out.status == "error" and "TDX_VER is defined 2 times" in (out.error or ""), out
            assert not header_first or "x/tdx.c:2 includes a file" in (out.error or ""), out.error
        if shutil.which("gcc") is not None:
            (tmp_path / "tdx.h").write_text(header)
            (tmp_path / "tdx.c").write_text(unit.split("long long")[0] + "int v = TDX_VER;\n")
            said = subprocess.run(["gcc", "-E", "-P", str(tmp_path / "tdx.c")], capture_output=True, text=True,
                                  check=True, timeout=60).stdout
            assert f"int v = {gcc_says};" in said, said


def test_the_state_shows_where_pointers_point_and_whose_static_it_is() -> None:
    code = ("struct ps { int a; int b; };\nstatic struct ps g_ps[2];\nstatic struct ps *g_pp = &g_ps[0];\n"
            "static int g_x, g_y;\nstatic int *g_pq = &g_x;\nstatic int g_ia[3];\nstatic int *g_ip = &g_ia[0];\n"
            "static struct ps g_z;\nstatic struct ps *g_zp = &g_z;\n"
            "static int helper_a(void) { static int n; n += 11; return n; }\n"
            "static int helper_b(void) { static int n; n += 22; return n; }\n"
            + _ENTRY.format(name="f", body="(g_pp = &g_ps[1], g_pq = &g_y, g_ip = &g_ia[1], g_zp->b = 4, "
                                          "helper_a() + helper_b())"))
    out = _run({"x/tdx.c": code}, "f")
    # A pointer is the object it points to, never that object's contents: g_zp still points to g_z.
    assert out.state == (("g_ip", "&g_ia[1]"), ("g_pp", "&g_ps[1]"), ("g_pq", "&g_y"), ("g_z", "{.a = 0, .b = 4}"),
                         ("helper_a::n", "11"), ("helper_b::n", "22")), out.error


def test_a_pointer_to_an_element_or_member_is_fixed_when_taken() -> None:
    # C11 6.5.3.2: &a[i] and &q->x name one object; changing i or q afterwards does not move the pointer (gcc: 12105).
    body = ("({ int a[3] = {1, 2, 3}; int i = 0; int *p = &a[i]; struct { int x; } one = { 5 }, two = { 7 }, "
            "*q = &one; int *m = &q->x; i = 2; q = &two; *p += 10; *p * 100 + *m + a[0] * 1000; })")
    out = _run({"x/tdx.c": _ENTRY.format(name="f", body=body)}, "f")
    assert out.status == "ok" and out.ret == 12105, out.error


def test_every_declarator_of_a_declaration_is_defined() -> None:
    code = ("static int g_j1, g_j2 = 4, *g_p, g_arr[2] = {1, 2};\nstatic struct pr { int a; } g_x, g_y;\n"
            + _ENTRY.format(name="f", body="(g_j1 = 3, g_x.a = 2, g_y.a = 5, g_j1 + g_x.a + g_j2 * 10 + g_arr[1] * 100"
                                           " + g_y.a * 1000)"))
    out = _run({"x/tdx.c": code}, "f")
    assert out.status == "ok" and out.ret == 5245, out.error  # gcc 12


def test_the_registers_passed_to_a_seamcall_are_recorded() -> None:
    code = _ENTRY.format(name="f", body="(args->rcx = 7, args->r8 = fn, __seamcall(fn, args))")
    out = _run({"x/tdx.c": code}, "f")
    assert out.status == "ok" and out.calls[0].args == (("rcx", 7),), out.error  # fn is 0 here: r8 left out


def test_a_definition_that_exists_only_under_an_undecided_condition_is_not_assumed() -> None:
    # gcc without -DOTHER_FEATURE has no LONEV: the mirror cannot tell, so it refuses rather than print 5.
    header = "#if defined(OTHER_FEATURE)\n#define LONEV 5\n#endif\n"
    out = _run({"x/h.h": header, "x/tdx.c": _ENTRY.format(name="f", body="LONEV")}, "f")
    assert out.status == "error" and "macro LONEV is defined only under #if defined(OTHER_FEATURE)" in (out.error or "")
    # The fallback idiom (#ifndef NAME around its default) gives the default, as a header guard is assumed.
    fallback = "#ifndef TRIES\n#define TRIES 10\n#endif\n"
    assert _run({"x/h.h": fallback, "x/tdx.c": _ENTRY.format(name="f", body="TRIES")}, "f").ret == 10


def test_a_macro_before_an_endif_a_hunk_shows_alone_is_used() -> None:
    # What a hunk near the end of a header shows: its last macros, then the guard's #endif, whose #ifndef is
    # above the hunk. The guard is assumed, as for a whole file: the macro is used.
    hunk = Source("x/tdx.h", ((60, ("#define TRIES 10", "", "#endif /* _X_TDX_H */")),), False)
    unit = Source("x/tdx.c", ((1, tuple(_ENTRY.format(name="f", body="TRIES").split("\n"))),), True)
    out = load_mirror((hunk, unit), (EntryPoint("f"),)).run(RunRequest("f", 0, (Answer(0),), ""))
    assert out.status == "ok" and out.ret == 10, out.error


def test_a_static_of_two_files_used_by_one_of_them_is_that_files() -> None:
    # Both .c files have their own static helper(); only b.c's code calls one: it is b.c's (gcc: 2).
    a = "static int helper(void) { return 1; }\n"
    b = "static int helper(void) { return 2; }\n" + _ENTRY.format(name="f", body="helper()")
    out = _run({"x/a.c": a, "x/b.c": b}, "f")
    assert out.status == "ok" and out.ret == 2, out.error


def test_an_ifdef_of_a_macro_the_mirror_cannot_decide_is_refused() -> None:
    # gcc without OTHER_FEATURE returns 2; with it 1: the mirror cannot tell which, so it does not run it.
    header = "#if defined(OTHER_FEATURE)\n#define LONEV 5\n#define LONEF(x) (x)\n#endif\n"
    for name in ("LONEV", "LONEF"):
        code = ("long long f(u64 fn, struct tdx_module_args *args)\n{\n"
                f"#ifdef {name}\n\treturn 1;\n#else\n\treturn 2;\n#endif\n}}\n")
        out = _run({"x/h.h": header, "x/tdx.c": code}, "f")
        assert out.status == "error" and f"x/tdx.c:3: #if tests macro {name}, which is not known" in (out.error or "")


def test_a_seamcall_hands_over_the_registers_tdxcall_loads() -> None:
    # TDX_MODULE_CALL (arch/x86/virt/vmx/tdx/tdxcall.S): RCX, RDX, R8-R11; all 13 for __seamcall_saved_ret.
    body = "({{ struct tdx_module_args a = {{}}; a.rcx = 1; a.r12 = 9; {fn}(fn, &a); }})"
    plain = _run({"x/tdx.c": _ENTRY.format(name="f", body=body.format(fn="__seamcall"))}, "f")
    saved = _run({"x/tdx.c": _ENTRY.format(name="f", body=body.format(fn="__seamcall_saved_ret"))}, "f")
    assert plain.calls[0].args == (("rcx", 1),) and saved.calls[0].args == (("rcx", 1), ("r12", 9))
    # One it loads that was never set: the module gets whatever the stack held; never read as zero.
    unset = _run({"x/tdx.c": _ENTRY.format(name="f", body="({ struct tdx_module_args a; a.rcx = 1; "
                                                          "__seamcall(fn, &a); })")}, "f")
    assert unset.status == "error" and unset.error_kind == "runtime"
    assert "__seamcall() hands over rdx, r8, r9, r10, r11, which are never set" in (unset.error or "")


def test_a_guard_in_a_block_with_a_label_is_released_on_return() -> None:
    # v5-style: guard(mutex) and an error label nothing jumps to; return leaves the block: gcc releases it.
    code = ("static DEFINE_MUTEX(lk);\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\tguard(mutex)(&lk);\n"
            "\tif (fn)\n\t\treturn -5;\n\treturn 0;\nunused:\n\treturn 1;\n}\n")
    out = _run({"x/tdx.c": code}, "f")
    assert out.status == "ok" and [e.detail for e in out.events] == ["lk acquired", "lk released"], out.error


def test_each_files_copy_agrees_with_gcc(tmp_path: Path) -> None:
    # The same two files as a matrix of two units, the copies' C names kept apart in the native build.
    from harness.crosscheck import crosscheck_result
    from harness.filestate import full_file
    from harness.matrix import load_matrix
    from harness.runner import MatrixRequest, run_matrix
    from harness.variants import Variant
    from models.native.run import find_compiler

    helper = "static int nr;\nstatic int sc_check(u64 r)\n{{\n\tpr_err(\"%s: %llx\\n\", __func__, r);\n" \
             "\tnr += {bad};\n\treturn r ? {bad} : 0;\n}}\n"
    entry = "int {name}(u64 fn, struct tdx_module_args *args)\n{{\n\treturn sc_check(__seamcall(fn, args));\n}}\n"
    files = {"x/tdx.c": helper.format(bad="-EIO") + entry.format(name="tdx_call"),
             "x/ldr.c": helper.format(bad="-EINVAL") + entry.format(name="ldr_call")}
    v = Variant("v", "v", tuple(full_file(p, text, "test") for p, text in files.items()), (), (), (), "t")
    (tmp_path / "m.toml").write_text(
        '[codes]\nBAD = 5\n[leaves]\nONE = 1\n[[unit]]\nname = "tdx.c"\npath = "x/tdx.c"\n[[entry]]\n'
        'name = "tdx_call"\n[[entry]]\nname = "ldr_call"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
    result = run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))
    rets = {s.entry.name: result.outcome("v", s.id).ret for s in result.matrix.scenarios}
    assert rets == {"tdx_call": -5, "ldr_call": -22}
    states = {s.entry.name: dict(result.outcome("v", s.id).state) for s in result.matrix.scenarios}
    assert states == {"tdx_call": {"nr": "-5"}, "ldr_call": {"nr": "-22"}}
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["v"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]

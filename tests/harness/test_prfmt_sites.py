"""run_pr_fmt: each pr_*() call has the pr_fmt of where it is written, against gcc.

run_pr_fmt: each pr_*() call has the pr_fmt of where it is written (its .c file's, a header's own), run both
in the mirror and, where a C compiler is installed, by gcc (models/native) with the same outcome."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.prfmt import run_pr_fmt
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.variants import Variant
from models.prfmt_site import per_file_pr_fmt, site_pr_fmt

HELPER = "int {name}(u64 fn, struct tdx_module_args *args)\n{{\n\tu64 r = __seamcall(fn, args);\n\n" \
         "\tpr_err(\"failed: %llu\\n\", r);\n\treturn r ? -EIO : 0;\n}}\n"


def _run(tmp_path: Path, files: dict[str, str], units: dict[str, str], entry: str) -> MatrixResult:
    v = Variant("v", "v", tuple(full_file(p, text, "test") for p, text in files.items()), (), (), (), "t")
    toml = "[codes]\nBAD = 5\n[leaves]\nONE = 1\n"
    toml += "".join(f'[[unit]]\nname = "{n}"\npath = "{p}"\n' for n, p in units.items())
    toml += f'[[entry]]\nname = "{entry}"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n'
    (tmp_path / "m.toml").write_text(toml)
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))


def _logs(result: MatrixResult, entry: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for s in result.matrix.scenarios:
        o = result.outcome("v", s.id)
        if s.entry.name == entry:
            out[s.unit.name] = [x.text for x in o.log] if o.ran else o.error
    return out


def _agrees_with_gcc(result: MatrixResult, compared: int) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler")
    r = crosscheck_result(result, cc)
    assert r.compared["v"] == compared and r.disagreements == [], ([d.divergence for d in r.disagreements],
                                                                   r.not_compared)


@pytest.mark.parametrize(("files", "entry", "prefix"), [
    # gcc compiles fa() only in a.c's translation unit: "a: ", whichever unit's scenario calls it.
    ({"demo/a.c": '#define pr_fmt(fmt) "a: " fmt\n\n' + HELPER.format(name="fa"),
      "demo/b.c": '#define pr_fmt(fmt) "b: " fmt\n\nint fb(void)\n{\n\treturn pr_err("b\\n");\n}\n'}, "fa", "a: "),
    # x_call() exists only in x.c's translation unit, and so does its copy of the header's inline h_err().
    ({"demo/demo.h": "static inline " + HELPER.format(name="h_err"),
      "demo/a.c": '#define pr_fmt(fmt) "x: " fmt\n#include "demo.h"\n\n'
                  'int x_call(u64 fn, struct tdx_module_args *args)\n{\n\treturn h_err(fn, args);\n}\n',
      "demo/b.c": '#define pr_fmt(fmt) "y: " fmt\n#include "demo.h"\n'}, "x_call", "x: "),
])
def test_code_of_a_c_file_has_that_files_pr_fmt_in_every_unit(tmp_path: Path, files: dict[str, str], entry: str,
                                                              prefix: str) -> None:
    result = _run(tmp_path, files, {"a.c": "demo/a.c", "b.c": "demo/b.c"}, entry)
    assert _logs(result, entry) == {"a.c": [f"{prefix}failed: 5"], "b.c": [f"{prefix}failed: 5"]}
    _agrees_with_gcc(result, 2)


def test_a_headers_code_has_the_pr_fmt_of_the_c_file_whose_code_called_it(tmp_path: Path) -> None:
    # a_call() (a.c, "a: ") calls b_call() (b.c, "b: "), which calls the header's inline h_err(): gcc compiled
    # that copy of h_err() in b.c's translation unit, so it prints "b: ", whichever unit the scenario names.
    files = {"demo/demo.h": "static inline " + HELPER.format(name="h_err"),
             "demo/a.c": '#define pr_fmt(fmt) "a: " fmt\n#include "demo.h"\n\nint b_call(u64 fn, struct '
                         'tdx_module_args *args);\n\nint a_call(u64 fn, struct tdx_module_args *args)\n{\n'
                         '\tpr_err("in a\\n");\n\treturn b_call(fn, args);\n}\n',
             "demo/b.c": '#define pr_fmt(fmt) "b: " fmt\n#include "demo.h"\n\nint b_call(u64 fn, struct '
                         'tdx_module_args *args)\n{\n\treturn h_err(fn, args);\n}\n'}
    result = _run(tmp_path, files, {"a.c": "demo/a.c"}, "a_call")
    assert _logs(result, "a_call") == {"a.c": ["a: in a", "b: failed: 5"]}
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is not None:  # one program holds one copy of h_err(): not compared, never a false agreement
        r = crosscheck_result(result, cc)
        assert r.compared.get("v", 0) == 0 and r.disagreements == []
        assert "translation unit whose code called it" in str(r.not_compared)


@pytest.mark.parametrize(("define", "want"), [
    # pr_fmt() may pass arguments after fmt; printk() gets them before the call's own (include/linux/printk.h).
    ('"%s: " fmt, __func__', ["fa: failed: 5"]),
    ('KBUILD_MODNAME ":%s:%d: " fmt, __func__, __LINE__', ["a:fa:8: failed: 5"]),  # the line of pr_err's name
    ('"%s: " fmt, some_global', "not a prefix the mirror models"),
])
def test_a_pr_fmt_that_passes_func_and_line(tmp_path: Path, define: str, want: object) -> None:
    code = (f"#define pr_fmt(fmt) {define}\n\nint fa(u64 fn, struct tdx_module_args *args)\n{{\n"
            "\tu64 r = __seamcall(fn, args);\n\n\tif (r)\n\t\tpr_err(\"failed: %llu\\n\",\n\t\t       r);\n"
            "\treturn r ? -EIO : 0;\n}\n")
    result = _run(tmp_path, {"demo/a.c": code}, {"a.c": "demo/a.c"}, "fa")
    got = _logs(result, "fa")["a.c"]
    assert got == want if isinstance(want, list) else str(want) in str(got)
    if isinstance(want, list):
        _agrees_with_gcc(result, 1)


def test_an_explicit_pr_fmt_use_of_one_that_passes_arguments_is_refused(tmp_path: Path) -> None:
    code = ('#define pr_fmt(fmt) "%s: " fmt, __func__\n\nint fa(u64 fn, struct tdx_module_args *args)\n{\n'
            '\tprintk(KERN_ERR pr_fmt("x %llu\\n"), __seamcall(fn, args));\n\treturn 0;\n}\n')
    got = _logs(_run(tmp_path, {"demo/a.c": code}, {"a.c": "demo/a.c"}, "fa"), "fa")["a.c"]
    assert "pr_fmt() passes __func__ after fmt" in str(got)


def test_site_pr_fmt_takes_the_calling_units_for_a_headers_code() -> None:
    fmt = per_file_pr_fmt("a: ", {"b.c": [(0, "b: ")], "h.h": [(5, "h: ")]}, "a.c", {"b.c": {"h.h": [(5, "hb: ")]}})
    assert site_pr_fmt(fmt, "h.h:3") == "a: " and site_pr_fmt(fmt, "h.h:3", "a.c") == "a: "
    assert site_pr_fmt(fmt, "h.h:3", "b.c") == "b: " and site_pr_fmt(fmt, "h.h:9", "b.c") == "hb: "
    assert site_pr_fmt(fmt, "h.h:9", "a.c") == "h: " and site_pr_fmt(fmt, "b.c:2", "a.c") == "b: "
    assert site_pr_fmt(fmt, "h.h:3", None).startswith("\x05")


# A backslash-newline is removed before anything is read (C11 5.1.1.2p1 phase 2), in a literal too: gcc prints
# 'hdr: '. Before, the definition's lines were joined with a space: 'hd r: ' printed.
@pytest.mark.parametrize("define", ['#define pr_fmt(fmt) "hdr: " fmt\n', '#define pr_fmt(fmt) "hd\\\nr: " fmt\n',
                                    '#define pr_fmt(fmt) "hdr: " f\\\nmt\n'])
def test_a_header_that_defines_pr_fmt_gives_it_to_its_code_below(tmp_path: Path, define: str) -> None:
    header = define + '\nstatic inline ' + HELPER.format(name="f_one")
    unit = '#define pr_fmt(fmt) "unit: " fmt\n\n' + HELPER.format(name="f_unit")
    result = _run(tmp_path, {"demo/demo.h": header, "demo/other.c": unit}, {"x.c": "demo/x.c"}, "f_one")
    assert _logs(result, "f_one") == {"x.c": ["hdr: failed: 5"]}
    _agrees_with_gcc(result, 1)


@pytest.mark.parametrize(("header", "want"), [
    # The latest #define above the use wins; after #undef and a new #define, the new one.
    ('#define pr_fmt(fmt) "one: " fmt\n#undef pr_fmt\n#define pr_fmt(fmt) "two: " fmt\n', ["two: failed: 5"]),
    # Code above the header's definition has the unit's (here: none known, the unit is not among the files).
    ("", ["failed: 5"]),
    # #undef with no new definition: pr_err() would not build.
    ('#define pr_fmt(fmt) "one: " fmt\n#undef pr_fmt\n', "#undef"),
    # The fallback idiom: taken only if nothing defined pr_fmt before (the unit, or printk.h): not known.
    ('#ifndef pr_fmt\n#define pr_fmt(fmt) "fb: " fmt\n#endif\n', "is not known"),
])
def test_a_headers_definitions_are_read_as_the_preprocessor_reads_them(tmp_path: Path, header: str,
                                                                       want: object) -> None:
    text = header + "\nstatic inline " + HELPER.format(name="f_one")
    if not header:
        text += '\n#define pr_fmt(fmt) "late: " fmt\n'
    got = _logs(_run(tmp_path, {"demo/demo.h": text}, {"x.c": "demo/x.c"}, "f_one"), "f_one")["x.c"]
    assert got == want if isinstance(want, list) else str(want) in str(got)


def test_the_fallback_idiom_is_not_taken_when_the_unit_defined_pr_fmt_first(tmp_path: Path) -> None:
    header = '#ifndef pr_fmt\n#define pr_fmt(fmt) "fb: " fmt\n#endif\n\nstatic inline ' + HELPER.format(name="f_one")
    unit = '#define pr_fmt(fmt) "unit: " fmt\n\n#include "demo.h"\n'
    result = _run(tmp_path, {"demo/demo.h": header, "demo/x.c": unit}, {"x.c": "demo/x.c"}, "f_one")
    assert _logs(result, "f_one") == {"x.c": ["unit: failed: 5"]}


def test_a_units_own_code_after_including_a_defining_header_is_refused(tmp_path: Path) -> None:
    # Its pr_err() below the #include sees the header's pr_fmt (the latest #define): not modelled, refused.
    unit = '#define pr_fmt(fmt) "unit: " fmt\n#include "demo.h"\n\n' + HELPER.format(name="f_unit")
    files = {"demo/demo.h": '#define pr_fmt(fmt) "hdr: " fmt\n', "demo/x.c": unit}
    got = _logs(_run(tmp_path, files, {"x.c": "demo/x.c"}, "f_unit"), "f_unit")["x.c"]
    assert "also defined in demo/demo.h" in str(got)


def test_one_c_file_and_no_defining_header_keeps_the_units_pr_fmt() -> None:
    v = Variant("v", "v", (full_file("demo/x.c", '#define pr_fmt(fmt) "x: " fmt\nint x;\n', "test"),), (), (), (), "t")
    assert run_pr_fmt(v, "demo/x.c") == "x: "  # the plain form: cache keys of such runs stay as they were


def test_the_per_file_form_picks_the_latest_definition_above_the_site() -> None:
    fmt = per_file_pr_fmt("u: ", {"h.h": [(3, "one: "), (9, "two: ")], "a.c": [(0, "a: ")]})
    assert [site_pr_fmt(fmt, w) for w in ("h.h:2", "h.h:4", "h.h:10", "a.c:1", "b.c:5")] == \
        ["u: ", "one: ", "two: ", "a: ", "u: "]
    assert per_file_pr_fmt("u: ", {}) == "u: "


# printk.h as the unit includes it first: its default pr_fmt unless one is defined (include/linux/printk.h).
_PRINTK = "#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n" \
          "#ifndef pr_fmt\n#define pr_fmt(fmt) fmt\n#endif\n" \
          "#define pr_err(fmt, ...) printf(pr_fmt(fmt), ##__VA_ARGS__)\n" \
          "static u64 __seamcall(u64 fn, struct tdx_module_args *a) { (void)fn; (void)a; return 5; }\n#define EIO 5\n"


def _gcc_whole_file(tmp_path: Path, text: str, entry: str) -> list[str] | None:
    """What gcc prints compiling ``text`` as one file, top to bottom, and running ``entry`` (None: no build)."""
    cc = shutil.which("gcc")
    if cc is None:
        pytest.skip("gcc (the C oracle) is not installed")
    (tmp_path / "printk.h").write_text(_PRINTK)
    (tmp_path / "w.c").write_text(f"{text}\nint main(void)\n{{\n\tstruct tdx_module_args a = {{0}};\n\n"
                                  f"\t{entry}(0, &a);\n\treturn 0;\n}}\n")
    built = subprocess.run([cc, "-Werror=implicit-function-declaration", "-include", str(tmp_path / "printk.h"),
                            "-o", str(tmp_path / "w"), str(tmp_path / "w.c")], capture_output=True, check=False)
    if built.returncode:
        return None
    return subprocess.run([str(tmp_path / "w")], capture_output=True, text=True, check=True).stdout.splitlines()


_LATE = '#define pr_fmt(fmt) "late: " fmt\n'


@pytest.mark.parametrize(("text", "entry", "want"), [
    # A function above the unit's own #define pr_fmt expanded printk.h's default; one below, the definition.
    (HELPER.format(name="f_one") + _LATE + HELPER.format(name="f_two"), "f_one", ["failed: 5"]),
    (HELPER.format(name="f_one") + _LATE + HELPER.format(name="f_two"), "f_two", ["late: failed: 5"]),
    # Defined above everything: the whole file has it.
    (_LATE + HELPER.format(name="f_one"), "f_one", ["late: failed: 5"]),
    # #undef with code below and no new #define: pr_err() there does not build; refused, never printed.
    ('#define pr_fmt(fmt) "one: " fmt\n' + HELPER.format(name="f_one") + "#undef pr_fmt\n"
     + HELPER.format(name="f_two"), "f_two", None),
    # #undef and a new #define between two functions; a redefinition with no #undef (gcc warns, and takes it).
    ('#define pr_fmt(fmt) "one: " fmt\n' + HELPER.format(name="f_one") + "#undef pr_fmt\n" + _LATE
     + HELPER.format(name="f_two"), "f_one", ["one: failed: 5"]),
    ('#define pr_fmt(fmt) "one: " fmt\n' + HELPER.format(name="f_one") + "#undef pr_fmt\n" + _LATE
     + HELPER.format(name="f_two"), "f_two", ["late: failed: 5"]),
    ('#define pr_fmt(fmt) "one: " fmt\n' + HELPER.format(name="f_one") + _LATE + HELPER.format(name="f_two"),
     "f_two", ["late: failed: 5"]),
    # A #define inside a function's body holds for the functions below it.
    (HELPER.format(name="f_one").replace("{\n", "{\n" + _LATE, 1) + HELPER.format(name="f_two"), "f_two",
     ["late: failed: 5"]),
    # #undef right before the new #define: nothing expands between them.
    (HELPER.format(name="f_one") + "#undef pr_fmt\n" + _LATE + HELPER.format(name="f_two"), "f_one", ["failed: 5"]),
])
def test_a_units_code_sees_the_pr_fmt_defined_above_it_in_its_file(tmp_path: Path, text: str, entry: str,
                                                                  want: list[str] | None) -> None:
    result = _run(tmp_path, {"demo/x.c": text}, {"x.c": "demo/x.c"}, entry)
    got = _logs(result, entry)["x.c"]
    if want is None:
        assert "#undef'd here" in str(got)  # refused where gcc does not build it
    else:
        assert got == want
        _agrees_with_gcc(result, 1)  # the native build reads the same sites
    assert _gcc_whole_file(tmp_path, text, entry) == want

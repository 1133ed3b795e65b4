"""A header's once and ratelimit statics: one per translation unit (models/onceunits.py).

A header's pr_*_once(), WARN_ONCE() and ratelimit statics: one per translation unit (models/onceunits.py), as
gcc compiles a `static inline` function, its statics with it, into each .c file that includes it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.variants import Variant
from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Outcome, RunRequest, load_mirror

HEADER = ("static inline void report(int n)\n{\n\tpr_err_once(\"report %d\\n\", n);\n"
          "\tWARN_ONCE(n > 0, \"warned %d\\n\", n);\n\tpr_warn_ratelimited(\"limited %d\\n\", n);\n}\n")
A_C = '#include "h.h"\nvoid a_show(int n)\n{\n\treport(n);\n}\n'
B_C = ('#include "h.h"\nvoid a_show(int n);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n'
       "\treport(1);\n\ta_show(2);\n\ta_show(3);\n\treport(4);\n\treturn 0;\n}\n")


def _run(files: dict[str, str]) -> Outcome:
    sources = tuple(Source(p, ((1, tuple(t.split("\n"))),), True) for p, t in files.items())
    return load_mirror(sources, (EntryPoint("f", ("fn", "args")),)).run(RunRequest("f", 0, (Answer(0),)))


def test_each_unit_has_its_own_static_of_a_header_site() -> None:
    # b.c's f() (the run's unit) and a.c's a_show() each call their unit's copy of report(): each copy's
    # pr_err_once() and WARN_ONCE() print the first time that copy runs. Before: once in all ('report 2' missing).
    out = _run({"d/h.h": HEADER, "d/a.c": A_C, "d/b.c": B_C})
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["report 1", "warned 1", "limited 1", "report 2", "warned 2", "limited 2",
                                         "limited 3", "limited 4"]
    assert [name for name, _ in out.state] == [
        "report::WARN_ONCE()", "report::WARN_ONCE() in the unit of d/a.c", "report::pr_err_once()",
        "report::pr_err_once() in the unit of d/a.c", "report::pr_warn_ratelimited()",
        "report::pr_warn_ratelimited() in the unit of d/a.c"]


def test_one_unit_keeps_one_static_and_its_name() -> None:
    # Every call from the run's own unit: one static, named as a .c file's site is.
    out = _run({"d/h.h": HEADER, "d/b.c": B_C.replace("\ta_show(2);\n\ta_show(3);\n", "").replace(
        "void a_show(int n);\n", "")})
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["report 1", "warned 1", "limited 1", "limited 4"]
    assert [name for name, _ in out.state] == ["report::WARN_ONCE()", "report::pr_err_once()",
                                               "report::pr_warn_ratelimited()"]


def test_a_c_files_site_has_one_static_whatever_calls_it() -> None:
    # The same function in a .c file: one copy in the program, so one static.
    out = _run({"d/a.c": A_C.replace('#include "h.h"\n', HEADER), "d/b.c": B_C.replace('#include "h.h"\n', "")
               .replace("\treport(1);\n", "").replace("\treport(4);\n", "")})
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["report 2", "warned 2", "limited 2", "limited 3"]


def _matrix(tmp_path: Path, files: dict[str, str]) -> MatrixResult:
    v = Variant("v", "v", tuple(full_file(p, text, "test") for p, text in files.items()), (), (), (), "t")
    (tmp_path / "m.toml").write_text('[codes]\nBAD = 5\n[leaves]\nONE = 1\n[[unit]]\nname = "b.c"\npath = "d/b.c"\n'
                                     '[[entry]]\nname = "f"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))


def test_the_native_build_with_one_copy_does_not_compare_it(tmp_path: Path) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler")
    result = _matrix(tmp_path, {"d/h.h": HEADER, "d/a.c": A_C, "d/b.c": B_C})
    out = next(result.outcome("v", s.id) for s in result.matrix.scenarios)
    assert [x.text for x in out.log][:4] == ["report 1", "warned 1", "limited 1", "report 2"], out.error
    r = crosscheck_result(result, cc)  # one program, one copy of report(): not compared, never a false agreement
    assert r.compared.get("v", 0) == 0 and r.disagreements == [], [d.divergence for d in r.disagreements]
    assert "keeps a static per translation unit" in str(r.not_compared)
    one = _matrix(tmp_path, {"d/h.h": HEADER, "d/b.c": B_C.replace("\ta_show(2);\n\ta_show(3);\n", "").replace(
        "void a_show(int n);\n", "")})
    r = crosscheck_result(one, cc)  # one unit: compared, and gcc agrees
    assert r.compared["v"] == 1 and r.disagreements == [], ([d.divergence for d in r.disagreements], r.not_compared)


def test_the_entry_points_own_unseen_unit_against_another_is_refused() -> None:
    # f() in the header runs in a unit no matrix unit names, which may be a.c's: one static or two is not known.
    entry = B_C.replace('#include "h.h"\n', "")
    out = _run({"d/h.h": HEADER + entry, "d/a.c": A_C})
    assert out.status == "error", out.log
    assert (out.error or "").startswith("d/h.h:3: ") and "may be the same one" in (out.error or ""), out.error


def test_a_headers_lockdep_assert_warns_once_per_unit() -> None:
    # lockdep_assert_irqs_disabled() is WARN_ON_ONCE() (include/linux/lockdep.h): its flag too is the unit's copy's
    # (a.c's a_show(), out of line, reached twice: one copy of check() there, models.onceunits._warn_copy()).
    header = "static inline void check(void)\n{\n\tlockdep_assert_irqs_disabled();\n}\n"
    a = '#include "h.h"\nvoid a_show(int n)\n{\n\tcheck();\n}\n'
    b = ('#include "h.h"\nvoid a_show(int n);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n'
         "\tcheck();\n\ta_show(2);\n\ta_show(3);\n\treturn 0;\n}\n")
    out = _run({"d/h.h": header, "d/a.c": a, "d/b.c": b})
    assert out.status == "ok", out.error
    assert [(e.kind, e.where) for e in out.events if e.kind == "violation"] == [("violation", "d/h.h:3")] * 2


def test_a_headers_static_local_is_one_per_unit() -> None:
    # gcc compiles bump() into b.c's and a.c's units, each with its own count: bump() * 10 + a_bump() is 11.
    header = "static inline int bump(void)\n{\n\tstatic int count;\n\treturn ++count;\n}\n"
    a = '#include "h.h"\nint a_bump(void)\n{\n\treturn bump();\n}\n'
    b = ('#include "h.h"\nint a_bump(void);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n'
         "\treturn bump() * 10 + a_bump();\n}\n")
    out = _run({"d/h.h": header, "d/a.c": a, "d/b.c": b})
    assert out.status == "ok", out.error
    assert out.ret == 11


def _gcc_ret(tmp_path: Path, files: dict[str, str]) -> int:
    """What f() returns where gcc compiles each .c file as a unit of its own and links them (the kernel's build)."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler")
    for path, text in files.items():
        (tmp_path / Path(path).name).write_text(text)
    (tmp_path / "pre.h").write_text("typedef unsigned long long u64;\nstruct tdx_module_args;\n")
    (tmp_path / "main.c").write_text('#include <stdio.h>\n#include "pre.h"\n'
                                     "long f(u64 fn, struct tdx_module_args *a);\n"
                                     'int main(void)\n{\n\tprintf("%ld", f(0, 0));\n\treturn 0;\n}\n')
    units = [str(tmp_path / Path(p).name) for p in files if p.endswith(".c")]
    subprocess.run([cc, "-include", str(tmp_path / "pre.h"), "-o", str(tmp_path / "x"), *units,
                    str(tmp_path / "main.c")], check=True, capture_output=True)
    return int(subprocess.run([str(tmp_path / "x")], check=True, capture_output=True, text=True).stdout)


def test_a_headers_static_local_is_one_per_unit_as_gcc_links_them(tmp_path: Path) -> None:
    header = "static inline int bump(void)\n{\n\tstatic int count;\n\treturn ++count;\n}\n"
    a = '#include "h.h"\nint a_bump(void)\n{\n\treturn bump();\n}\n'
    b = ('#include "h.h"\nint a_bump(void);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n'
         "\tint r = bump() * 10;\n\n\tr += a_bump() * 100;\n\treturn r + bump();\n}\n")
    files = {"d/h.h": header, "d/a.c": a, "d/b.c": b}
    out = _run(files)
    assert out.status == "ok", out.error
    assert out.ret == _gcc_ret(tmp_path, files) == 112
    assert out.state == (("bump::count", "2"), ("bump::count in the unit of d/a.c", "1"))


def test_a_pointer_to_a_units_static_points_there_from_another_unit(tmp_path: Path) -> None:
    # a.c's copy of counter() gives a.c's count; b.c writes it through the pointer, its own count stays 0.
    header = "static inline int *counter(void)\n{\n\tstatic int count;\n\treturn &count;\n}\n"
    a = '#include "h.h"\nint *a_counter(void)\n{\n\treturn counter();\n}\n'
    b = ('#include "h.h"\nint *a_counter(void);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n'
         "\tint *p = a_counter();\n\tint *q = counter();\n\n\t*p = 5;\n\treturn *q * 10 + *a_counter();\n}\n")
    files = {"d/h.h": header, "d/a.c": a, "d/b.c": b}
    out = _run(files)
    assert out.status == "ok", out.error
    assert out.ret == _gcc_ret(tmp_path, files) == 5


def test_a_second_units_copy_is_listed_unchanged_and_not_cross_checked(tmp_path: Path) -> None:
    # a.c's copy ends as it began, but the native build's one copy would have given 'peek' 1 there: the state
    # names the copy, so the cross-check does not compare the run.
    header = "static inline int peek(int d)\n{\n\tstatic int seen;\n\tseen += d;\n\treturn seen;\n}\n"
    a = '#include "h.h"\nint a_peek(void)\n{\n\treturn peek(0);\n}\n'
    b = ('#include "h.h"\nint a_peek(void);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n'
         "\tint r = peek(1) * 10;\n\n\treturn r + a_peek();\n}\n")
    files = {"d/h.h": header, "d/a.c": a, "d/b.c": b}
    out = _run(files)
    assert out.ret == _gcc_ret(tmp_path, files) == 10, out.error
    assert out.state == (("peek::seen", "1"), ("peek::seen in the unit of d/a.c", "0"))
    result = _matrix(tmp_path, files)
    r = crosscheck_result(result, shutil.which("cc") or "gcc")
    assert r.compared.get("v", 0) == 0 and r.disagreements == [], [d.divergence for d in r.disagreements]
    assert "keeps a static per translation unit" in str(r.not_compared)

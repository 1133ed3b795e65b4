"""The generated C builds for what the mirror runs; a function gcc refuses stays local.

The generated C builds for what the mirror runs (tables of function pointers, printk()'s value, per-CPU
structs), and a function gcc refuses leaves only itself and its callers uncompared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import CrossResult, crosscheck_result
from harness.matrixresult import MatrixResult
from models.native import codegen
from tests.harness.test_crosscheck import _demo

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="no C compiler")

UNRELATED = "\nstatic inline int unrelated(u64 fn, struct tdx_module_args *args)\n{\n" \
            "\treturn __seamcall(fn, args) ? -EIO : 0;\n}\n"


def _cross(result: MatrixResult) -> CrossResult:
    # The C generated from the mirror's expansion (models/native/codegen.py) is what these tests are about.
    return crosscheck_result(result, shutil.which("cc") or shutil.which("gcc") or "cc", source="mirror")


def _both(tmp_path: Path, code: str) -> tuple[MatrixResult, MatrixResult]:
    files = {"demo/demo.h": code + UNRELATED}
    scripts = {"ok": ("OK",), "bad": ("BAD",)}
    codes = {"OK": 0, "BAD": 0x8000020300000001}
    return (_demo(tmp_path, "v", files, codes, scripts, "busy"),
            _demo(tmp_path, "v", files, codes, scripts, "unrelated"))


@pytest.mark.parametrize("code", [
    # A file-scope table of function pointers: each function declared before the table.
    "static int twice(int x) { return 2 * x; }\nstatic int thrice(int x) { return 3 * x; }\n"
    "static int (*const ops[])(int) = { twice, thrice };\n\n"
    "int busy(u64 fn, struct tdx_module_args *args)\n{\n\treturn ops[__seamcall(fn, args) & 1](10);\n}\n",
    # pr_err()'s and printk()'s value: the length of the record they stored (kernel/printk/printk.c).
    '#define pr_fmt(fmt) "demo: " fmt\n\nint busy(u64 fn, struct tdx_module_args *args)\n{\n'
    '\tint len = pr_err("SEAMCALL %llu failed\\n", fn);\n\n'
    '\tlen += printk(KERN_WARNING "seam %d\\n", len) * 100;\n'
    "\treturn __seamcall(fn, args) ? len : 0;\n}\n",
    # A per-CPU struct, and its member read and written (the member's type).
    "struct seam_stats { u32 calls; int last; };\nDEFINE_PER_CPU(struct seam_stats, seam_stats);\n\n"
    "int busy(u64 fn, struct tdx_module_args *args)\n{\n\tu64 r = __seamcall(fn, args);\n\n"
    "\tthis_cpu_inc(seam_stats.calls);\n\tthis_cpu_write(seam_stats.last, (int)r);\n"
    "\treturn this_cpu_read(seam_stats.last) < 0 ? -EIO : (int)this_cpu_read(seam_stats.calls);\n}\n",
    # A struct whose members are a union and a struct array of types the code reaches only through it (the
    # mirror loads the outer type first): each member's type is written before the struct that holds it.
    "union seam_ver { u64 raw; struct { u16 update; u8 minor, major; u32 build; }; };\n"
    "struct seam_reg { u32 lo, hi; };\ntypedef struct seam_reg seam_reg_t;\n"
    "enum seam_n { SEAM_NR = 2 };\n"
    "struct seam_info { u32 attrs; union seam_ver ver; seam_reg_t regs[SEAM_NR]; };\n\n"
    "int busy(u64 fn, struct tdx_module_args *args)\n{\n"
    "\tstruct seam_info i = { .ver.raw = __seamcall(fn, args) };\n\n"
    "\ti.regs[1].hi = i.ver.update;\n\treturn i.ver.major + i.regs[1].hi;\n}\n",
])
def test_the_generated_c_builds_and_agrees(tmp_path: Path, code: str) -> None:
    for result in _both(tmp_path, code):
        r = _cross(result)
        assert r.compared["v"] == 2 and r.agreed["v"] == 2, (r.not_compared, [d.divergence for d in r.disagreements])


def test_printks_value_is_the_records_length(tmp_path: Path) -> None:
    code = '#define pr_fmt(fmt) "demo: " fmt\n\nint busy(u64 fn, struct tdx_module_args *args)\n{\n' \
           '\treturn pr_err("SEAMCALL %llu failed\\n", fn) + __seamcall(fn, args) * 0;\n}\n'
    result = _both(tmp_path, code)[0]
    assert result.outcome("v", "busy/ONE/ok/demo.c").ret == len("demo: SEAMCALL 1 failed")


def test_a_function_gcc_refuses_leaves_the_others_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = "static int helper(int x) { return x + 1; }\n\n" \
           "int busy(u64 fn, struct tdx_module_args *args)\n{\n\treturn helper(__seamcall(fn, args) ? 1 : 0);\n}\n"
    visit = codegen.GnuGenerator.visit_FuncDef

    def broken(self: codegen.GnuGenerator, n: object) -> str:  # what gcc would refuse, in helper() only
        text = str(visit(self, n))
        return text.replace("return x + 1;", "return x + ;") if "helper" in text.split("(")[0] else text

    monkeypatch.setattr(codegen.GnuGenerator, "visit_FuncDef", broken)
    busy, unrelated = _both(tmp_path, code)
    r = _cross(busy)
    assert r.compared["v"] == 0 and "helper" in " ".join(r.not_compared["v"]), r.not_compared
    assert "does not build" in " ".join(r.not_compared["v"])
    r = _cross(unrelated)
    assert r.compared["v"] == 2 and r.agreed["v"] == 2, r.not_compared


def test_the_native_side_holds_every_answer_a_matrix_may_give() -> None:
    # A shorter cap made the native run repeat its last kept answer early: false disagreements past it.
    import re

    from harness.matrix import MAX_ANSWERS

    text = (Path(__file__).resolve().parents[2] / "models" / "native" / "sh_native.c").read_text()
    m = re.search(r"#define SH_MAX_SCRIPT (\d+)", text)
    assert m is not None and int(m.group(1)) >= MAX_ANSWERS


@pytest.mark.parametrize(("command", "said"), [
    # `--cc false`: "does not build:  (416 scenarios)" gave no reason at all.
    ("false", r"exited with status 1 and said nothing"),
    # `--cc true`: every run then started a child that failed, and 330 "disagreements" blamed the mirror.
    ("true", r"exited with status 0 but made no library"),
])
def test_a_compiler_that_makes_nothing_is_said_before_any_run(tmp_path: Path, command: str, said: str) -> None:
    from models.native.codegen import NativeSource
    from models.native.run import NativeError, build

    found = shutil.which(command)
    if found is None:
        pytest.skip(f"no {command}(1)")
    with pytest.raises(NativeError, match=said):
        build(NativeSource("int x;\n", {}, {}), found, tmp_path)


@pytest.mark.parametrize("cc", ["gcc -O2", "", " "])
def test_cc_is_one_command(cc: str) -> None:
    # "gcc -O2" said "no C compiler found"; "" took the default compiler without a word.
    from models.native.run import NativeError, find_compiler

    with pytest.raises(NativeError, match="give a compiler's name or path alone"):
        find_compiler(cc)

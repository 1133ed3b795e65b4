"""The native cross-check passes registers in the code's own struct tdx_module_args.

The native cross-check passes SEAMCALL registers in the code's own struct tdx_module_args (a tree's or a series'
layout, as the mirror reads it), and says why where it cannot follow one, never comparing a made-up layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import CrossResult, crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.matrixresult import MatrixResult
from harness.runner import MatrixRequest, run_matrix
from harness.variants import Variant
from models.prelude import TYPES

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="no C compiler")


def _struct(members: str) -> str:
    return "struct tdx_module_args {\n" + "".join(f"\t{m};\n" for m in members.split(";")) + "};\n"


def _mainline() -> str:
    start = TYPES.index("struct tdx_module_args {")
    return TYPES[start:TYPES.index("};", start) + 3]


# Registers in (rcx, r9), out (rdx, r8 written by the answer of __seamcall_ret), all handed over again by
# __seamcall_saved_ret; the result depends on what came back.
BUSY = """
static int busy(u64 fn, struct tdx_module_args *args)
{
	u64 r;

	args->rcx = fn + 1;
	args->r9 = 0x20;
	r = __seamcall_ret(fn, args);
	if (r)
		return -5;
	if (__seamcall_saved_ret(fn | 2, args))
		return -16;
	return (int)(args->rdx * 3 + args->r8);
}
"""
MATRIX = """\
[codes]
OK = 0
BAD = 5
[leaves]
ONE = 1
[[unit]]
name = "demo.c"
path = "demo/demo.c"
[[entry]]
name = "busy"
[[script]]
name = "ok"
answers = [{ code = "OK", rdx = 3, r8 = 4, r12 = 9 }, "OK"]
[[script]]
name = "late"
answers = [{ code = "OK", rdx = 1, rsi = 2 }, { code = "BAD", r8 = 7 }]
[[script]]
name = "bad"
answers = ["BAD"]
"""


def _result(tmp_path: Path, name: str, struct: str, apart: bool = False) -> MatrixResult:
    """The variant's busy() after its struct, in one header, or ``apart``: the struct in a header of its own."""
    files = (full_file("demo/args.h", struct, "test"), full_file("demo/b.h", BUSY, "test")) if apart else \
        (full_file("demo/b.h", struct + BUSY, "test"),)
    v = Variant(name, name, files, (), (), (), "t")
    (tmp_path / "m.toml").write_text(MATRIX)
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))


def _cross(result: MatrixResult, source: str) -> CrossResult:
    return crosscheck_result(result, shutil.which("cc") or shutil.which("gcc") or "cc", source=source)


@pytest.mark.parametrize("source", ["original", "mirror"])
@pytest.mark.parametrize("struct", [
    _struct("u64 rcx;u64 rdx;u64 r8;u64 r9"),  # a series' own four registers
    _struct("u64 r9;u64 r8;u64 rdx;u64 rcx"),  # the same, another order: records in the struct's
    _mainline(),  # mainline's 13
], ids=["four", "four-reversed", "mainline"])
def test_the_codes_own_struct_is_passed_and_compared(tmp_path: Path, struct: str, source: str) -> None:
    result = _result(tmp_path, "l", struct)
    outs = {s.script.name: result.outcome("l", s.id) for s in result.matrix.scenarios}
    assert {k: o.ret for k, o in outs.items()} == {"ok": 13, "late": -16, "bad": -5}, {k: o.error for k, o in
                                                                                      outs.items()}
    r = _cross(result, source)
    assert r.compared["l"] == 3 and r.agreed["l"] == 3 and r.disagreements == [], (r.not_compared, [
        d.divergence for d in r.disagreements])
    assert (r.raw_compared["l"] == 3) is (source == "original"), r.fallback
    assert r.exit_status == 0
    # Handed over in the struct's order, which the native records are compared with.
    assert [reg for reg, _ in outs["ok"].calls[0].args] == sorted(("rcx", "r9"), key=struct.index)
    regs = dict(outs["late"].regs_out)
    assert regs["rdx"] == 1 and ("rsi" in regs) is ("rsi" in struct)  # a member the struct lacks is not written


@pytest.mark.parametrize("source", ["original", "mirror"])
@pytest.mark.parametrize(("struct", "why"), [
    (_struct("u64 rcx;u32 flags;u64 rdx;u64 r8;u64 r9"), "member flags is unsigned int, not an unsigned 64-bit"),
    (_struct("u64 rcx;u64 rdx;u64 r8;u64 r9;u64 rax"), "member rax is no register the harness passes"),
    (_struct("u64 rcx;u64 rdx;u64 r8;u64 r9;u64 spare[2]"), "member spare is unsigned long long[2], not an unsigned"),
    (_struct("u64 rcx:32;u64 rdx;u64 r8;u64 r9"), "member rcx is a bit-field of 32 bits"),
], ids=["u32", "rax", "array", "bit-field"])
def test_a_struct_the_harness_cannot_pass_is_not_compared_with_why(tmp_path: Path, struct: str, why: str,
                                                                   source: str) -> None:
    result = _result(tmp_path, "n", struct)
    r = _cross(result, source)
    assert r.compared["n"] == 0 and r.disagreements == [] and r.exit_status == 1
    said = [w for w in r.not_compared["n"] if w.startswith("busy: its struct tdx_module_args cannot be passed")]
    assert said and why in said[0], r.not_compared


def test_a_struct_gcc_does_not_see_as_the_mirror_reads_it_is_not_passed_blind(tmp_path: Path) -> None:
    # The struct in a header the unit does not include: the mirror reads one program of every file, gcc the unit
    # alone, whose struct is not the mirror's (gcc's layout check refuses it); the expansion is compared instead.
    result = _result(tmp_path, "s", _struct("u64 rcx;u64 rdx;u64 r8;u64 r9"), apart=True)
    r = _cross(result, "original")
    assert r.raw_compared["s"] == 0 and r.compared["s"] == r.agreed["s"] == 3 and r.disagreements == []
    assert r.fallback["s"] and all("not laid out as the mirror reads it" in why for why in r.fallback["s"]), \
        r.fallback

"""Inline asm (models/asmstub.py): a run reaching it stops there, refused with its FILE:LINE.

Inline asm (models/asmstub.py): a run that reaches an asm statement stops there, refused with its FILE:LINE, the
instruction and what runs instead; code whose asm is off the run's path runs, an asm in a macro's body too (was: the
whole function "C the mirror does not parse"); a compiler barrier does nothing; an asm label is refused by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import runs_as_gcc

HEAD = "long f(u64 fn, struct tdx_module_args *args)\n{\n"
VMPTRST = '#define save_vmcs(v) asm goto("1: vmptrst %0\\n\\t" : "=m" (v) : : "cc" : error)\n'


@pytest.mark.parametrize(("code", "needle", "insn"), [
    (HEAD + '\tasm volatile("nop");\n\treturn 0;\n}\n', "asm volatile", "nop"),
    (VMPTRST + HEAD + "\tu64 v;\n\tsave_vmcs(v);\n\treturn 0;\nerror:\n\treturn 1;\n}\n", "save_vmcs(v);", "vmptrst"),
    (HEAD + '\tasm_inline volatile("lfence");\n\treturn 0;\n}\n', "asm_inline", "lfence"),
    (HEAD + '\treturn ({ unsigned long sp; asm("mov %%rsp, %0" : "=r" (sp)); sp; }) & 1;\n}\n', "return", "mov"),
])
def test_a_run_that_reaches_asm_stops_there_saying_what_runs_instead(code: str, needle: str, insn: str) -> None:
    out = run(code)
    assert out.status == "error" and out.error_kind == "unsupported", out.error
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, needle)}: inline asm is not modelled ({insn}): "), \
        out.error
    assert "[[entry]]" in (out.error or "")


def test_asm_off_the_runs_path_lets_the_rest_run() -> None:
    # The run's fn is 0: the macro's asm goto and the statement are never reached; the barrier does nothing.
    code = (VMPTRST + HEAD + "\tu64 v = 0;\n\tif (fn == 7) {\n\t\tsave_vmcs(v);\n\t\tasm volatile(\"nop\");\n\t}\n"
            '\tasm volatile("" ::: "memory");\n\tpr_err("ran %llu\\n", v);\n\treturn 2;\nerror:\n\treturn 1;\n}\n')
    out = run(code)
    assert out.status == "ok" and out.ret == 2 and [x.text for x in out.log] == ["ran 0"], out.error


def test_an_asm_label_is_refused_by_name() -> None:
    code = HEAD + '\tregister unsigned long sp asm("rsp");\n\treturn sp & 1;\n}\n'
    out = run(code)
    assert out.status == "error" and f"{PATH}:3: an asm label" in (out.error or ""), out.error


BARRIER = """\
#define sh_barrier() asm volatile("" ::: "memory")

static long long pw_asm_paths(u64 fn, struct tdx_module_args *args)
{
	long long r = 5;

	sh_barrier();
	if (fn == 99)
		asm volatile("pause");
	asm volatile("" : : "r" (r) : "memory");
	return r + (long long)(fn & 1);
}
"""


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="needs a C compiler, the oracle")
def test_asm_off_the_path_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "asmp", "demo/asmp.h", BARRIER)

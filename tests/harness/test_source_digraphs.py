"""A source rule reads a digraph directive ('%:define', '%:undef') as gcc does; gcc the oracle."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, TAIL, preparing_series
from tests.harness.test_retry_code_set_outside import LOOP
from tests.mailgen import write_mbox

_CALL = "\tseamcall_err(fn, err, args);\n"
_QUIET = "#define SC_PR(...) do { } while (0)\n"
# seamldr_err(), new in the patch the rule 'reuse-seamcall-err' (no new printers) is about, printing through SC_PR.
_NEW = ('static inline void seamldr_err(u64 fn, u64 err)\n{\n\tSC_PR("SEAMLDR (%llu) failed: %#016llx\\n", fn, err);\n'
        '}\n\n')
_FORMS = {"%:undef then %:define": (_QUIET + "%:undef SC_PR\n%:define SC_PR(...) pr_err(__VA_ARGS__)\n", True),
          "the quiet one alone": (_QUIET, False)}


def _prints(tmp: Path, macros: str) -> bool:
    """Whether gcc's build of seamldr_err() under ``macros`` prints (pr_err() as printf())."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp / "p.c", tmp / "p"
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\n#define pr_err printf\n" + macros + _NEW
                   + "int main(void)\n{\n\tseamldr_err(1, 2);\n\treturn 0;\n}\n")
    subprocess.run(["gcc", "-std=gnu11", "-w", "-o", str(exe), str(src)], check=True)
    return bool(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize("form", sorted(_FORMS))
def test_a_printer_a_digraph_directive_defines_is_read(tmp_path: Path, form: str) -> None:
    # gcc takes '%:undef' and '%:define' as directives (C11 6.4.6p3): seamldr_err() prints, a new printer, and the
    # rule fails. The slicer read no '%:' line, so SC_PR stayed the quiet macro: PASS.
    macros, prints = _FORMS[form]
    assert _prints(tmp_path, macros) is prints
    printers = PRINTERS.replace("static __always_inline int sc_retry_prerr(", macros + _NEW
                                + "static __always_inline int sc_retry_prerr(")
    printers = printers.replace(_CALL, "\tif (fn & SEAMLDR_LEAF_BIT)\n\t\tseamldr_err(fn, err);\n\telse\n\t" + _CALL)
    loop = LOOP.format(const="const ", setter="")
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + printers + TAIL))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None))
    (v,) = [v for v in gate.verdicts if v.rule.id == "reuse-seamcall-err"]
    assert v.status is (VerdictStatus.FAIL if prints else VerdictStatus.PASS), v.note

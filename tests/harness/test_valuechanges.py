"""The changes of two sides' programs that value runs decide: a changed value a changed condition speaks for."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.filestate import full_file
from harness.gate import GateRequest, evaluate_gate
from harness.valuechanges import branch_lines, guarded_values
from harness.variants import Variant
from harness.verdict import VerdictStatus
from models.cload import Program, load_program
from models.loader import EntryPoint, Source
from models.neighbours import changed_decisions
from models.valueexprs import ChangedValue
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, preparing_series
from tests.harness.test_changed_values import RULES
from tests.mailgen import write_mbox

PATH = "n/p.c"
CODE = """typedef unsigned long long u64;
int pick(u64 fn)
{
	int err = 1;
	if (COND) {
		err = 0;
		fn = fn + 1;
	}
	err = err + ADD;
	return err;
}
"""


def _side(cond: str, add: int) -> tuple[Program, Variant]:
    text = CODE.replace("COND", cond).replace("ADD", str(add))
    program = load_program((Source(PATH, ((1, tuple(text.splitlines())),), True),), (EntryPoint("pick", ("fn",)),))
    return program, Variant("v", "a side", (full_file(PATH, text, "test"),), (), (), (), "base")


def test_the_branch_lines_of_a_condition_are_its_statements_alone() -> None:
    program, _ = _side("fn == 3", 1)
    decision = changed_decisions(program, _side("fn == 3 || fn == 5", 1)[0])[0].a
    assert decision is not None
    assert branch_lines(program, decision) == {f"{PATH}:5", f"{PATH}:6", f"{PATH}:7"}


def test_a_store_the_same_inside_a_changed_branch_is_the_condition_s_and_one_after_it_is_not() -> None:
    (pa, va), (pb, vb) = _side("fn == 3", 1), _side("fn == 3 || fn == 5", 2)
    changed = changed_decisions(pa, pb)
    inside = ChangedValue("pick", f"{PATH}:6", f"{PATH}:6", ("fn",), ((5,),))
    after = ChangedValue("pick", f"{PATH}:9", f"{PATH}:9", ("fn",), ((0,),))
    elsewhere = ChangedValue("pick", f"{PATH}:6", f"{PATH}:9", ("fn",), ((0,),))
    assert guarded_values(changed, [inside, after, elsewhere], (pa, pb), (va, vb)) == [inside]
    assert guarded_values([], [inside, after], (pa, pb), (va, vb)) == []


# sc_retry_prerr()'s end with a '#line' in its body, the test respelt (err != TDX_SUCCESS -> err: the same for every
# answer) and the value printed inside its branch masked. gcc numbers the lines below the directive from 900: the
# file has no line 900, and both sides' text "there" read as the same ('?'), the masked value was taken for the
# condition's own (a store the same on both sides) and never run: the gate said PASS.
_OLD_END = "\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n\tseamcall_err(fn, err, args);\n\treturn -EIO;\n"
_MASKED = "err & ~0x10000000000000ULL"  # bit 52: no scripted answer or value next to a condition has it


def _end(cond: str, printed: str, line: str) -> str:
    return f"{line}\tif ({cond}) {{\n\t\tseamcall_err(fn, {printed}, args);\n\t\treturn -EIO;\n\t}}\n\treturn 0;\n"


def _printers(cond: str, printed: str, line: str) -> str:
    assert _OLD_END in PRINTERS
    return PRINTERS.replace(_OLD_END, _end(cond, printed, line))


def _gcc_printed(tmp_path: Path, line: str) -> list[str]:
    """What gcc's build of the two ends prints for an answer with bit 52 set."""
    main = "#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args { int unused; };\n" \
        "#define TDX_SUCCESS 0ULL\n#define EIO 5\n" \
        "static void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args)\n" \
        "{\n\t(void)fn; (void)args;\n\tprintf(\"%#llx\\n\", err);\n}\n"
    for name, cond, printed in (("a", "err != TDX_SUCCESS", "err"), ("b", "err", _MASKED)):
        main += f"static int {name}(u64 fn, u64 err, struct tdx_module_args *args)\n{{\n" \
            f"{_end(cond, printed, line)}}}\n"
    main += "int main(void)\n{\n\ta(1, 0x10000000000005ULL, NULL);\n\tb(1, 0x10000000000005ULL, NULL);\n" \
        "\treturn 0;\n}\n"
    (tmp_path / "ends.c").write_text(main)
    subprocess.run(["gcc", "-Wall", "-o", str(tmp_path / "ends"), str(tmp_path / "ends.c")], check=True)
    return subprocess.run([str(tmp_path / "ends")], check=True, capture_output=True, text=True).stdout.split()


@pytest.mark.parametrize("line", ["", "#line 900\n"], ids=["plain", "line-directive"])
def test_a_value_masked_in_a_respelt_branch_below_a_line_directive_is_no_pass(tmp_path: Path, line: str) -> None:
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    assert _gcc_printed(tmp_path, line) == ["0x10000000000005", "0x5"]
    base, new = (PREAMBLE + RETRY_SAFE + "\n" + _printers(c, p, line) + TAIL
                 for c, p in (("err != TDX_SUCCESS", "err"), ("err", _MASKED)))
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(new, base=base))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    # Before, with the directive: PASS. The value runs give the answers where the two differ, as without it.
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any("'0x10000000000005' -> '0x00000000000005'" in e.actual for e in v.evidence), v.evidence[:3]


def test_a_value_masked_in_a_respelt_branch_below_a_file_scope_line_directive_is_no_pass(tmp_path: Path) -> None:
    # The directive above sc_retry_prerr() numbers its lines from 900 (gcc). Before it was followed, nothing of the
    # header ran ('#line 900' at file scope: INCONCLUSIVE); followed, its lines are compared at the file's lines.
    head = "static __always_inline int sc_retry_prerr("
    base, new = (PREAMBLE + RETRY_SAFE + "\n" + _printers(c, p, "").replace(head, "#line 900\n" + head) + TAIL
                 for c, p in (("err != TDX_SUCCESS", "err"), ("err", _MASKED)))
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(new, base=base))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any("'0x10000000000005' -> '0x00000000000005'" in e.actual for e in v.evidence), v.evidence[:3]

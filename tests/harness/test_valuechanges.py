"""The changes of two sides' programs that value runs decide: a changed value a changed condition speaks for."""

from __future__ import annotations

from harness.filestate import full_file
from harness.valuechanges import branch_lines, guarded_values
from harness.variants import Variant
from models.cload import Program, load_program
from models.loader import EntryPoint, Source
from models.neighbours import changed_decisions
from models.valueexprs import ChangedValue

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

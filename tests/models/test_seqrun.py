"""Measuring unsequenced operands as they run, only while such a node is being checked.

Measuring unsequenced operands as they run (models/seqrun.py): what a call did is counted only while a
node whose operands may depend on their order is being checked; outside one nothing looks at it."""

from __future__ import annotations

from models.machine import Answer, Machine
from models.values import new_struct
from tests.models.cprog import PATH, line_of, mirror_of, run

CHECKED = """\
static int pair(int a, int b) { return a * 10 + b; }
static int look(void) { return 1; }
int f(u64 fn, struct tdx_module_args *args)
{
	pr_err("before\\n");
	return pair(look(), look()) + pair(look(), 2);
}
"""


def _machine_after(code: str) -> Machine:
    mirror = mirror_of(code, "f")
    m = Machine((Answer(0),))
    args = new_struct(mirror.compiler.types.resolve_tag("tdx_module_args"), zero=True)
    mirror.compiler.invoke(m, mirror.program.entries["f"], [0, args], "<entry>", "<entry>")
    return m


def test_a_checked_node_leaves_no_open_measurement_behind() -> None:
    m = _machine_after(CHECKED)
    assert m.result is not None and m.result[0] == 23
    assert m.seq_stack == {}  # each checked node's stack closed and gone: none open
    assert [line.text for line in m.log] == ["before"]


def test_calls_outside_a_checked_node_do_not_hide_what_the_calls_inside_do() -> None:
    code = CHECKED.replace("return pair(look(), look())", "return pair(pr_err(\"a\\n\"), pr_err(\"b\\n\"))")
    out = run(code)
    assert out.status == "error" and (out.error or "").startswith(
        f"{PATH}:{line_of(code, 'return pair')}: the order in which the arguments of pair() are evaluated"), out.error
    assert run(CHECKED).ret == 23

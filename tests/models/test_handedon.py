"""models.handedon: a wrapper handing its call on to a new helper, constants given for the helper's other parameters."""

from __future__ import annotations

from pycparser import c_generator

from models.cload import Program, load_program
from models.handedon import bound_node, handed_on
from models.loader import EntryPoint, Source
from models.neighbours import changed_decisions, same_truth

OLD = """typedef unsigned long long u64;
u64 op(u64 fn);
u64 f(u64 fn)
{
	int left = 10;
	u64 err;

	do {
		err = op(fn);
	} while (err == 0x8000020300000000ULL && --left);
	return err;
}
"""
HELPER = """typedef unsigned long long u64;
u64 op(u64 fn);
static u64 loop(u64 fn, u64 busy, int left)
{
	u64 err;

	do {
		err = op(fn);
	} while (err == busy && --left);
	return err;
}
u64 f(u64 fn)
{
	return loop(fn, 0x8000020300000000ULL, 10);
}
"""


def _program(text: str) -> Program:
    return load_program((Source("a/f.h", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("f"),))


def test_the_helper_s_decisions_stand_for_the_wrapper_s_with_its_constants_in_place() -> None:
    a, b = _program(OLD), _program(HELPER)
    name, bound = handed_on(b, "f", a)
    assert name == "loop" and sorted(bound) == ["busy"]  # 'left' counts down: the old local of its name and value
    text = c_generator.CGenerator().visit(bound["busy"])
    assert text == "(u64) 0x8000020300000000ULL", text
    # Before: the loop's test read as removed from f() (none on b's side), which no value run decides; now a pair
    # whose two forms agree for every answer (the cast to the parameter's type changes nothing of a u64 constant).
    (c,) = changed_decisions(a, b)
    assert c.a is not None and c.b is not None and c.b.function == "loop"
    assert same_truth(a, c.a, b, c.b, []) is True


def test_a_helper_given_otherwise_is_not_taken_for_the_old_body() -> None:
    a = _program(OLD)
    for new in (HELPER.replace("0x8000020300000000ULL, 10", "0x8000020300000000ULL, 11"),  # another count
                HELPER.replace("return loop(fn,", "return loop(fn + 1,"),  # not its own parameter
                HELPER.replace("u64 err;\n\n\tdo", "u64 err;\n\n\tbusy |= 1;\n\tdo")):  # a constant it changes
        b = _program(new)
        assert handed_on(b, "f", a) == ("f", {}), new
    # Given as a narrower parameter, the constant is cut: the forms differ (at the old code itself).
    narrowed = _program(HELPER.replace("u64 busy", "unsigned int busy"))
    (c,) = changed_decisions(a, narrowed)
    assert c.a is not None and c.b is not None and same_truth(a, c.a, narrowed, c.b, []) is False


def test_a_member_of_the_parameter_s_name_is_left_alone() -> None:
    from pycparser import c_ast

    node = c_ast.BinaryOp("==", c_ast.StructRef(c_ast.ID("args"), "->", c_ast.ID("busy")), c_ast.ID("busy"))
    out = bound_node(node, {"busy": c_ast.Constant("int", "5")})
    assert c_generator.CGenerator().visit(out) == "args->busy == 5"
    assert c_generator.CGenerator().visit(node) == "args->busy == busy"


def test_a_wrapper_calling_its_helper_through_a_const_table_hands_on_alike() -> None:
    # Before: 'return loops[0](fn, ...)' was no call handed on (only a direct call was read): the loop's test read as
    # removed from f(), which no value run decides.
    table = HELPER.replace("u64 f(u64 fn)", "static u64 (*const loops[])(u64 fn, u64 busy, int left) = { loop };\n"
                           "u64 f(u64 fn)").replace("return loop(fn,", "return loops[0](fn,")
    a, b = _program(OLD), _program(table)
    name, bound = handed_on(b, "f", a)
    assert name == "loop" and sorted(bound) == ["busy"]
    (c,) = changed_decisions(a, b)
    assert c.a is not None and c.b is not None and c.b.function == "loop"
    assert same_truth(a, c.a, b, c.b, []) is True

"""harness.loopflags on loaded programs: an exit test kept in a flag stored at the end of the round, and its count.

The count is harness.retrycounts.walked_counts' walk in gcc's types; tests/harness/test_tail_flag_loop.py holds gcc's
build of the same loops to it through the gate."""

from __future__ import annotations

import pytest
from pycparser import c_ast

from harness.loopflags import tail_flagged
from harness.retrycounts import loop_counts, walked_counts
from models.cload import Program, load_program
from models.loader import EntryPoint, Source

HEAD = "typedef unsigned long long u64;\nu64 __seamcall(u64 fn, void *args);\n"
BUSY = 0x8000020300000000
FLAG = HEAD + """u64 f(u64 fn, void *args)
{
	unsigned int left = 9;
	_Bool busy;
	u64 err;

	do {
		err = __seamcall(fn, args);
		busy = err == 0x8000020300000000ULL;
	} while (busy && left--);
	return err;
}
"""


def _program(text: str) -> Program:
    return load_program((Source("a/f.h", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("f"),))


def _tail(text: str) -> tuple[object, bool] | None:
    """tail_flagged of f()'s do/while: the shape of the answer test it reads, and whether the loop goes on where
    that test holds; None where it reads none."""
    from models.condeval import shape

    func = _program(text).functions["f"]
    loop = next(n for n in func.body.block_items if isinstance(n, c_ast.DoWhile))
    found = tail_flagged(func, loop, loop.stmt.block_items)
    return None if found is None else (shape(found[0].test), found[0].keeps)


def test_a_flag_stored_right_before_the_test_is_the_test_it_holds() -> None:
    from models.condeval import shape

    got = _tail(FLAG)
    assert got is not None and got[1]
    stored = next(n for n in _program(FLAG).functions["f"].body.block_items if isinstance(n, c_ast.DoWhile))
    assert got[0] == shape(stored.stmt.block_items[-1].rvalue)


@pytest.mark.parametrize(("why", "old", "new"), [
    ("the flag read after the loop", "\treturn err;", "\treturn busy ? err : err;"),
    ("the flag static", "\t_Bool busy;", "\tstatic _Bool busy;"),
    ("a statement after the store", "\t\tbusy = err == 0x8000020300000000ULL;\n",
     "\t\tbusy = err == 0x8000020300000000ULL;\n\t\terr |= 0;\n"),
    ("the test reads another flag", "while (busy && left--)", "while (err && left--)"),
    ("an || test", "while (busy && left--)", "while (busy || left--)"),
    ("a goto in the function", "\treturn err;", "\tgoto out;\nout:\n\treturn err;"),
])
def test_otherwise_no_flag_is_read(why: str, old: str, new: str) -> None:
    assert old in FLAG
    assert _tail(FLAG.replace(old, new)) is None, why


STORE = "\t\tbusy = err == 0x8000020300000000ULL;\n"
GLOBAL = "u64 sc_code;\n"


@pytest.mark.parametrize(("why", "after", "value", "read"), [
    ("a call that cannot reach err", "\t\t(void)__seamcall(fn, args);\n", "", True),
    ("a store to another local", "\t\tleft = left;\n", "", True),
    ("a store to err", "\t\terr = 0;\n", "", False),
    ("err stepped", "\t\terr++;\n", "", False),
    ("a break", "\t\tif (err == 7)\n\t\t\tbreak;\n", "", False),
    ("a return", "\t\tif (err == 7)\n\t\t\treturn 1;\n", "", False),
    ("a global stored, which a call may change", "\t\t(void)__seamcall(fn, args);\n", "err == sc_code", False),
    ("a call stored", "\t\t(void)err;\n", "__seamcall(fn, args) == 0", False),
    ("err's address taken", "\t\t(void)&err;\n", "", False),
])
def test_a_flag_stored_before_the_rounds_last_statements(why: str, after: str, value: str, read: bool) -> None:
    # h519 left this form unread: 'flag = A; S;' where S leaves A's value as it was is the same test (gcc:
    # tests/harness/test_tail_flag_loop.py).
    store = STORE.replace("err == 0x8000020300000000ULL", value) if value else STORE
    text = FLAG.replace("u64 f(u64 fn", GLOBAL + "u64 f(u64 fn").replace(STORE, store + after)
    assert (_tail(text) is not None) is read, why


def test_the_flag_loop_is_counted_where_loop_counts_reads_no_retry_loop() -> None:
    # models.retryloop reads no retry loop in a test of a flag: loop_counts has none; the walk counts 10 tries (9
    # steps of an unsigned counter from 9, the test after the store) and one call for any other answer.
    program = _program(FLAG)
    assert loop_counts(program, [BUSY]) == []
    assert walked_counts(program, "f", [BUSY, 0, 0x1234]) == {BUSY: 10, 0: 1, 0x1234: 1}
    assert walked_counts(program, "nothing_of_that_name", [BUSY]) == {BUSY: None}


BROKEN = FLAG.replace("\tdo {\n", "\tfor (;;) {\n").replace(
    "\t} while (busy && left--);\n", "\t\tif (!(busy && left--))\n\t\t\tbreak;\n\t}\n")


def _broken(text: str) -> bool:
    """Whether break_flagged reads f()'s endless loop."""
    from harness.loopflags import break_flagged

    func = _program(text).functions["f"]
    loop = next(n for n in func.body.block_items if isinstance(n, c_ast.For))
    return break_flagged(func, loop.stmt.block_items) is not None


@pytest.mark.parametrize(("why", "old", "new", "read"), [
    ("the flag stored right before '!(flag && K)'", "", "", True),
    ("the flag read after the loop", "\treturn err;", "\treturn busy ? err : err;", False),
    ("'!(flag || K)' goes on otherwise", "!(busy && left--)", "!(busy || left--)", False),
    ("another name tested", "!(busy && left--)", "!(err && left--)", False),
    ("a statement between", "\t\tif (!(busy", "\t\terr |= 0;\n\t\tif (!(busy", False),
])
def test_an_endless_loop_breaking_on_a_flag_stored_right_before(why: str, old: str, new: str, read: bool) -> None:
    assert old in BROKEN
    assert _broken(BROKEN.replace(old, new) if old else BROKEN) is read, why


PEELED = HEAD + """u64 f(u64 fn, void *args)
{
	unsigned int left = 9;
	u64 err;

	err = __seamcall(fn, args);
	while (err == 0x8000020300000000ULL && left--) {
		err = __seamcall(fn, args);
	}
	return err;
}
"""


def _peeled(text: str) -> bool:
    """Whether peeled reads f()'s while loop as a do/while."""
    from harness.loopflags import peeled

    func = _program(text).functions["f"]
    loop = next(n for n in func.body.block_items if isinstance(n, c_ast.While))
    return peeled(func, loop, loop.stmt.block_items) is not None


@pytest.mark.parametrize(("why", "old", "new", "read"), [
    ("the round made right before the loop", "", "", True),
    ("another statement before it", "\terr = __seamcall(fn, args);\n\twhile",
     "\terr = __seamcall(fn + 1, args);\n\twhile", False),
    ("nothing before it", "\terr = __seamcall(fn, args);\n\twhile", "\terr = 0;\n\tleft = 9;\n\twhile", False),
    ("a break in the round", "\t\terr = __seamcall(fn, args);\n\t}", "\t\terr = __seamcall(fn, args);\n\t\tbreak;\n\t}",
     False),
    ("an || test", "0x8000020300000000ULL && left--", "0x8000020300000000ULL || left--", False),
    # After the first round, statements that write nothing the answer test reads (their calls are counted apart).
    ("a call more after the round", "\terr = __seamcall(fn, args);\n\twhile",
     "\terr = __seamcall(fn, args);\n\t__seamcall(fn + 1, args);\n\twhile", True),
    ("a store to the answer after the round", "\terr = __seamcall(fn, args);\n\twhile",
     "\terr = __seamcall(fn, args);\n\terr |= 1;\n\twhile", False),
    ("a declaration after the round", "\terr = __seamcall(fn, args);\n\twhile",
     "\terr = __seamcall(fn, args);\n\tu64 seen = err;\n\twhile", False),
    ("a return after the round", "\terr = __seamcall(fn, args);\n\twhile",
     "\terr = __seamcall(fn, args);\n\tif (!err)\n\t\treturn 0;\n\twhile", False),
])
def test_a_head_tested_loop_whose_first_round_is_made_before_it(why: str, old: str, new: str, read: bool) -> None:
    assert old in PEELED
    assert _peeled(PEELED.replace(old, new) if old else PEELED) is read, why


CONTINUED = HEAD + """u64 f(u64 fn, void *args)
{
	unsigned int left = 9;
	u64 err;

	for (;;) {
		err = __seamcall(fn, args);
		if (err == 0x8000020300000000ULL && left--)
			continue;
		break;
	}
	return err;
}
"""


def _continued(text: str) -> tuple[object, bool, object] | None:
    """continued of f()'s endless loop: the shapes of the answer test and of the counter test it reads, and whether
    the loop goes on where the answer test holds; None where it reads none."""
    from harness.loopflags import continued
    from models.condeval import shape

    func = _program(text).functions["f"]
    loop = next(n for n in func.body.block_items if isinstance(n, c_ast.For))
    found = continued(func, loop.stmt.block_items)
    return None if found is None else (shape(found[0].test), found[0].keeps, shape(found[1]))


def test_an_endless_loop_going_round_through_a_continue_before_its_break() -> None:
    from models.condeval import shape

    test = _program(CONTINUED).functions["f"].body.block_items[2].stmt.block_items[1].cond
    want_a, want_k = shape(test.left), shape(test.right)
    assert _continued(CONTINUED) == (want_a, True, want_k)
    assert _continued(CONTINUED.replace("\t\t\tcontinue;\n", "\t\t{\n\t\t\tcontinue;\n\t\t}\n")) == (want_a, True,
                                                                                                 want_k)


@pytest.mark.parametrize(("why", "old", "new"), [
    ("a statement between", "\t\tbreak;\n\t}", "\t\terr |= 0;\n\t\tbreak;\n\t}"),
    ("no break after", "\t\tbreak;\n\t}", "\t}"),
    ("an || test", "0x8000020300000000ULL && left--", "0x8000020300000000ULL || left--"),
    ("another continue", "\t\terr = __seamcall(fn, args);\n\t\tif", "\t\terr = __seamcall(fn, args);\n\t\tif (!err)\n"
                                                                     "\t\t\tcontinue;\n\t\tif"),
    ("an else", "\t\t\tcontinue;\n", "\t\t\tcontinue;\n\t\telse\n\t\t\terr = 0;\n"),
    ("a goto", "\treturn err;", "\tgoto out;\nout:\n\treturn err;"),
    ("two statements in the block", "\t\t\tcontinue;\n", "\t\t{\n\t\t\terr = 0;\n\t\t\tcontinue;\n\t\t}\n"),
])
def test_otherwise_no_continue_is_read(why: str, old: str, new: str) -> None:
    assert old in CONTINUED
    assert _continued(CONTINUED.replace(old, new)) is None, why


DO_BROKEN = HEAD + """u64 f(u64 fn, void *args)
{
	int left = 10;
	u64 err;

	do {
		err = __seamcall(fn, args);
		if (err != 0x8000020300000000ULL)
			break;
	} while (--left);
	return err;
}
"""


def _do_broken(text: str) -> tuple[object, bool, object] | None:
    """do_broken of f()'s do/while: the shapes of its answer test and counter test, and whether the loop goes on
    where the answer test holds; None where it reads none."""
    from harness.loopflags import do_broken
    from models.condeval import shape

    func = _program(text).functions["f"]
    loop = next(n for n in func.body.block_items if isinstance(n, c_ast.DoWhile))
    found = do_broken(loop, loop.stmt.block_items)
    return None if found is None else (shape(found[0].test), found[0].keeps, shape(found[1]))


def test_a_do_while_ending_in_a_break_on_the_answer() -> None:
    from models.condeval import shape

    loop = _program(DO_BROKEN).functions["f"].body.block_items[2]
    assert _do_broken(DO_BROKEN) == (shape(loop.stmt.block_items[1].cond), False, shape(loop.cond))


@pytest.mark.parametrize(("why", "old", "new"), [
    ("a statement after the break", "\t\t\tbreak;\n", "\t\t\tbreak;\n\t\terr |= 0;\n"),
    ("an else", "\t\t\tbreak;\n", "\t\t\tbreak;\n\t\telse\n\t\t\terr = 0;\n"),
    ("a return, not a break", "\t\t\tbreak;\n", "\t\t\treturn err;\n"),
    ("a test of two parts", "while (--left)", "while (err && --left)"),
])
def test_otherwise_no_break_before_the_test_is_read(why: str, old: str, new: str) -> None:
    assert old in DO_BROKEN
    assert _do_broken(DO_BROKEN.replace(old, new)) is None, why


def test_a_do_while_ending_in_a_continue_then_a_break() -> None:
    from harness.loopflags import continued
    from models.condeval import shape

    text = DO_BROKEN.replace("\t\tif (err != 0x8000020300000000ULL)\n\t\t\tbreak;\n",
                             "\t\tif (err == 0x8000020300000000ULL)\n\t\t\tcontinue;\n\t\tbreak;\n")
    func = _program(text).functions["f"]
    loop = func.body.block_items[2]
    found = continued(func, loop.stmt.block_items, loop)
    assert found is not None and (shape(found[0].test), found[0].keeps, shape(found[1])) == (
        shape(loop.stmt.block_items[1].cond), True, shape(loop.cond))
    two = _program(text.replace("while (--left)", "while (err && --left)")).functions["f"]
    assert continued(two, two.body.block_items[2].stmt.block_items, two.body.block_items[2]) is None

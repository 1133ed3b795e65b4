"""harness.countedalike on loaded programs: what a counter is, and the loops whose exit tests it takes for the same."""

from __future__ import annotations

import pytest

from harness.countedalike import counted_alike
from models.cload import Program, load_program
from models.condeval import nodes
from models.loader import EntryPoint, Source
from models.mirror import clear_caches
from models.neighbours import case_decisions, changed_decisions, decisions

HEAD = "typedef unsigned long long u64;\nu64 __seamcall(u64 fn, void *args);\n"
DOWN = HEAD + """u64 f(u64 fn, void *args)
{
	int left = 10;
	u64 err;

	for (;;) {
		err = __seamcall(fn, args);
		if (err != 0x8000020300000000ULL || !--left)
			break;
	}
	return err;
}
"""
UP = HEAD + """u64 f(u64 fn, void *args)
{
	int tries;
	u64 err;

	for (tries = 1; ; tries++) {
		err = __seamcall(fn, args);
		if (err != 0x8000020300000000ULL || tries == 10)
			break;
	}
	return err;
}
"""


def _program(text: str) -> Program:
    return load_program((Source("a/f.h", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("f"),))


def _alike(new: str, old: str = DOWN) -> bool:
    a, b = _program(old), _program(new)
    return any(counted_alike(c, (a, b)) for c in changed_decisions(a, b))


def test_a_counter_counted_up_to_the_same_count_is_the_same_test() -> None:
    assert _alike(UP)
    # Both sides reading the answer the same way, each its own spelling of the count: the loop and its test again.
    body = "\t\terr = __seamcall(fn, args);\n"
    assert _alike(UP.replace(body, body + "\t\terr &= ~1ULL;\n"), DOWN.replace(body, body + "\t\terr &= ~1ULL;\n"))


@pytest.mark.parametrize(("why", "old", "new"), [
    ("one more try", "tries == 10", "tries == 11"),
    ("a continue steps the counter past the test",
     "\t\terr = __seamcall(fn, args);\n", "\t\terr = __seamcall(fn, args);\n\t\tif (err == 5)\n\t\t\tcontinue;\n"),
    ("the counter read after the loop", "\treturn err;", "\treturn err + tries;"),
    ("the counter stepped in the body", "\t\terr = __seamcall(fn, args);\n",
     "\t\terr = __seamcall(fn, args);\n\t\ttries += 0;\n"),
    ("the counter part reads the leaf", "tries == 10", "tries == 10 + (fn == 0x1234)"),
    ("the counter a static", "\tint tries;", "\tstatic int tries;"),
])
def test_otherwise_it_is_not_taken_for_the_same(why: str, old: str, new: str) -> None:
    assert old in UP
    assert not _alike(UP.replace(old, new)), why
    if old in DOWN:  # the same change on both sides: the exit tests still the one difference
        assert not _alike(UP.replace(old, new), DOWN.replace(old, new)), why


def test_loops_whose_bodies_differ_are_not_counted_alike() -> None:
    # Two SEAMCALLs a round and 5 rounds make the 10 of one a round and 10 rounds: the counts agree, the tests do not.
    body = "\t\terr = __seamcall(fn, args);\n"
    assert not _alike(UP.replace(body, body + body).replace("tries == 10", "tries == 5"))


def test_the_constants_of_a_unit_are_read_once_per_program(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every changed condition of every comparison and rule asks for them, and each reading walks the whole unit.
    import models.retryconsts

    read: list[int] = []
    real = models.retryconsts.file_constants
    monkeypatch.setattr(models.retryconsts, "file_constants",
                        lambda ast, where: read.append(id(ast)) or real(ast, where))
    # A counter tested at the head of a for: the loops' forms are read, and the constants with them.
    loop = "\tfor (;;) {\n\t\terr = __seamcall(fn, args);\n\t\tif (err != 0x8000020300000000ULL || !--left)\n" \
        "\t\t\tbreak;\n\t}\n"
    head = "\tfor (tries = 1; tries <= 10; tries++) {\n\t\terr = __seamcall(fn, args);\n" \
        "\t\tif (err != 0x8000020300000000ULL)\n\t\t\tbreak;\n\t}\n"
    a, b = _program(DOWN), _program(DOWN.replace(loop, head).replace("int left = 10;", "int tries;"))
    said = [[counted_alike(c, (a, b)) for c in changed_decisions(a, b)] for _ in range(3)]
    assert said[0] and all(said[0]) and said[0] == said[1] == said[2]
    assert sorted(read) == sorted({id(a.ast), id(b.ast)})


def test_a_program_loaded_again_is_read_in_its_own_nodes() -> None:
    # The same C loaded again after the parses were dropped (models.mirror.clear_caches; a long run's bounded caches)
    # is a program of the same key with nodes of its own: its decisions, kept by that key, held the first load's
    # nodes, no loop of the new program's functions had that exit test, and the same test was read as undecided.
    assert _alike(UP)
    clear_caches()
    assert _alike(UP)
    switch = HEAD + "int g(u64 fn)\n{\n\tswitch (fn) {\n\tcase 3:\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n"
    for _ in range(2):
        clear_caches()
        p = load_program((Source("a/g.h", ((1, tuple(switch.split("\n"))),), True),), (EntryPoint("g"),))
        own = {id(n) for f in p.functions.values() for n in nodes(f)}
        assert all(id(d.node) in own for ds in decisions(p).values() for d in ds)
        (case,) = case_decisions(p, "g")
        assert id(case.node.left) in own  # the switch's own condition

"""models.cload: a program's key stands for all its code, the macros expanded into it too."""

from __future__ import annotations

from models.cload import load_program
from models.loader import EntryPoint, Source
from models.neighbours import changed_decisions

CODE = """typedef unsigned long long u64;
#define DEMO_MASK MASK
static inline int pick(u64 ret)
{
	if (ret & DEMO_MASK)
		return 1;
	return 0;
}"""


def _program(mask: str):  # type: ignore[no-untyped-def]
    text = CODE.replace("MASK\n", mask + "\n", 1)
    return load_program((Source("n/p.h", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("pick"),))


def test_programs_apart_only_by_a_macro_have_keys_apart() -> None:
    # The key hashed the functions' text, not the macros expanded into them: '#define DEMO_MASK 0xff' and '0x1ff' gave
    # one key, and the caches keyed by it (models.neighbours, condeval, decided) answered for the other program: the
    # changed condition was not found, and a move changing the mask read "without changing behaviour".
    a, b = _program("0xff"), _program("0x1ff")
    assert a.key != b.key
    assert [(c.a.where, c.b.where) for c in changed_decisions(a, b) if c.a and c.b] == [("n/p.h:5", "n/p.h:5")]
    assert _program("0xff").key == a.key  # the same code, the same key: what is worked out once stays so


CALLER = """typedef unsigned long long u64;
static inline int pick(u64 ret)
{
	return helper(ret);
}"""
TWO_HELPERS = """#if DEMO_LEVEL > 1
static inline int helper(u64 ret) { return 1; }
#else
static inline int helper(u64 ret) { return 2; }
#endif"""


def test_a_name_dropped_as_ambiguous_is_part_of_the_key() -> None:
    # helper() defined under a condition the mirror cannot decide is dropped with why, so no definition's text holds
    # it: the program keyed as the one where helper() is not defined at all, and the caches keyed by it (condeval's
    # types, decided) answered for the other.
    def program(helpers: str):  # type: ignore[no-untyped-def]
        sources = (Source("n/p.h", ((1, tuple(CALLER.split("\n"))),), True),)
        if helpers:
            sources += (Source("n/h.h", ((1, tuple(helpers.split("\n"))),), True),)
        return load_program(sources, (EntryPoint("pick"),))

    ambiguous, undefined = program(TWO_HELPERS), program("")
    assert "helper" in ambiguous.dropped and "helper" not in undefined.dropped
    assert ambiguous.key != undefined.key

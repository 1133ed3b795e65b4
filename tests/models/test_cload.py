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

"""models.fileconsts.constants: the names of file scope an expression reads put as their values, in their types."""

from __future__ import annotations

from pycparser import c_generator

from models.cload import Program, load_program
from models.condeval import nodes
from models.fileconsts import constants
from models.loader import EntryPoint, Source

HEAD = """typedef unsigned long long u64;
static const u64 K = 7;
static const volatile u64 V = 8;
enum { SMALL = 3 };
enum wide { BIG = 0x8000020300000000ULL };
enum sgn { NEG = -2, HUGE = 0x100000000LL };
u64 h(u64 a);
"""


def _program(body: str) -> Program:
    text = HEAD + "static inline u64 f(u64 err)\n{\n" + body + "}"
    return load_program((Source("a/f.h", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("f"),))


def _put(body: str) -> str:
    p = _program(body)
    ret = [n for n in nodes(p.functions["f"]) if type(n).__name__ == "Return"][-1]
    return str(c_generator.CGenerator().visit(constants(p, "f", ret.expr)))


def test_consts_and_enumerators_are_put_in_their_types() -> None:
    assert _put("\treturn err == K;\n") == "err == ((const u64) 7)"
    assert _put("\treturn err == SMALL;\n") == "err == ((int) 3)"
    # past int: the enum's type as gcc gives it (unsigned long; long where one is negative)
    assert _put("\treturn err == BIG;\n") == "err == ((unsigned long) 0x8000020300000000ULL)"
    # NEG, an int beside a wide one, is not read here (models.fileenums.int_enumerators): it stays a name
    assert _put("\treturn err == HUGE || err == NEG;\n") == "(err == ((long) 0x100000000ULL)) || (err == NEG)"


def test_a_volatile_and_a_hidden_name_stay() -> None:
    assert _put("\treturn err == V;\n") == "err == V"  # C11 6.7.3p7: it may change unseen
    assert _put("\tu64 BIG = h(err);\n\treturn err == BIG;\n") == "err == BIG"

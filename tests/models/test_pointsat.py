"""What a pointer may point at (models.pointsat): file-scope initialisers, stores in any function, locals, unknowns."""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program, load_program
from models.loader import EntryPoint, Source
from models.pointsat import UNKNOWN, address_stores, file_targets, pointees, stored_base

CODE = """\
typedef unsigned long long u64;
static u64 a, b, c, *pa = &a, *pb, **pp = &pa, *table[2] = { &b, &c }, *unknown;

static u64 *give(void)
{
\treturn &c;
}

static void init(void)
{
\tpb = &b;
\tunknown = give();
}

static void use(u64 *param, u64 v)
{
\tu64 *mine = pb;
\tu64 *none;
\tu64 a;

\t*mine = v;
\t*param = v;
\tnone = &a;
\tinit();
}
"""


def _program() -> Program:
    return load_program((Source("a/p.h", ((1, tuple(CODE.splitlines())),), True),), (EntryPoint("use"),))


def test_a_file_scope_pointer_points_at_what_initialisers_and_any_functions_stores_name_through_any_chain() -> None:
    found = file_targets(_program())
    assert found["pa"] == {"a"} and found["pb"] == {"b"}
    assert found["pp"] == {"pa", "a"}  # *pp = x stores into pa; **pp = x into a
    assert found["table"] == {"b", "c"}
    assert found["unknown"] == {UNKNOWN}  # what give() returns is not followed: anything


def test_a_local_points_at_what_its_stores_name_and_says_whether_it_read_outside_its_function() -> None:
    program = _program()
    use = program.functions["use"]
    assert pointees(program, use, "mine") == ({"pb", "b"}, True)  # through the file-scope pb: read outside
    assert pointees(program, use, "none") == (frozenset(), False)  # the local a, not the file's a
    assert pointees(program, use, "param") == (frozenset(), False)  # what callers hand it: not followed here
    assert pointees(program, use, "pp") == ({"pa", "a"}, True)  # the file's, read through its name


def test_the_base_of_an_lvalue_and_whether_it_stores_through_it() -> None:
    def base(text: str) -> tuple[str | None, bool]:
        stmt = load_program((Source("a/q.h", ((1, ("static void f(void)", "{", f"\t{text} = 0;", "}")),), True),),
                            (EntryPoint("f"),)).functions["f"].body.block_items[0]
        assert isinstance(stmt, c_ast.Assignment)
        return stored_base(stmt.lvalue)
    assert base("x") == ("x", False) and base("s.m[1]") == ("s", True) and base("s.m") == ("s", False)
    assert base("*p") == ("p", True) and base("p->m") == ("p", True) and base("*(p + 1)") == (None, True)


def test_the_stores_of_a_body_are_read_once_per_body() -> None:
    program = _program()
    body = program.functions["use"].body
    assert ("mine", frozenset({"pb"})) in address_stores(body) and ("none", frozenset({"a"})) in address_stores(body)
    hits = address_stores.cache_info().hits
    address_stores(body)
    assert address_stores.cache_info().hits == hits + 1


def test_a_store_through_a_chain_of_locals_reaches_what_the_first_one_names() -> None:
    code = ("typedef unsigned long long u64;\nstatic u64 keep, *dst, *dst2;\nstatic u64 *give(void);\n"
            "static void use(void)\n{\n\tu64 *a = &keep;\n\tu64 *b = a;\n\tu64 *c = give();\n\tu64 *d = c;\n\n"
            "\tdst = b;\n\tdst2 = d;\n}\n")
    program = load_program((Source("a/c.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("use"),))
    found = file_targets(program)
    assert found["dst"] == {"keep"} and found["dst2"] == {UNKNOWN}  # one local deep: none of either


def test_a_local_whose_address_is_taken_may_point_at_anything_but_not_for_a_member_of_what_it_points_at() -> None:
    code = ("typedef unsigned long long u64;\ntypedef u64 *up;\ntypedef up upp;\n"
            "struct s { u64 *m; };\nstatic u64 keep;\n"
            "static void aim(u64 **out);\nstatic void count(u64 *n);\n"
            "static void use(struct s *t)\n{\n\tu64 *p = &keep;\n\tu64 *r = &keep;\n\tupp u = &keep;\n\tu64 n = 0;\n\n"
            "\taim(&p);\n\taim(&t->m);\n\taim(&u);\n\tcount(&n);\n\t*p = 1;\n\t*r = 1;\n}\n")
    program = load_program((Source("a/d.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("use"),))
    use = program.functions["use"]
    assert pointees(program, use, "p") == ({"keep", UNKNOWN}, True) and pointees(program, use, "r") == ({"keep"}, True)
    assert pointees(program, use, "t") == (frozenset(), False)  # '&t->m' is the address of what t points at
    assert pointees(program, use, "u") == ({"keep", UNKNOWN}, True)  # a typedef of a typedef of a pointer
    assert pointees(program, use, "n") == (frozenset(), False)  # no pointer: nothing to point at

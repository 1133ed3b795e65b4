"""models.looptests: a loop's test turned inside out by a do/while -> for (;;) rewrite is the same test."""

from __future__ import annotations

from models.cload import Program, load_program
from models.loader import EntryPoint, Source
from models.neighbours import changed_decisions

HEAD = "typedef unsigned long long u64;\nu64 call(u64 fn);\nu64 f(u64 fn)\n{\n\tint left = 3;\n\tu64 err;\n\n"
DO = "\tdo {\n\t\terr = call(fn);\n\t} while (err == 0x10 && --left);\n\treturn err;\n}"
FOR = "\tfor (;;) {\n\t\terr = call(fn);\n\t\tif (err != 0x10 || !--left)\n\t\t\tbreak;\n\t}\n\treturn err;\n}"


def _program(body: str) -> Program:
    text = HEAD + body
    return load_program((Source("a/f.c", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("f"),))


def _changed(a: str, b: str) -> list[tuple[str | None, str | None]]:
    return [(c.a.where if c.a else None, c.b.where if c.b else None)
            for c in changed_decisions(_program(a), _program(b))]


def test_a_do_while_made_for_with_the_test_negated_is_no_changed_condition() -> None:
    # Before: [('a/f.c:10', 'a/f.c:10')]: 'err == 0x10 && --left' against 'err != 0x10 || !--left', opposite at
    # every value (one goes on, the other stops), so no run could decide it.
    assert _changed(DO, FOR) == []
    assert _changed(FOR, DO) == []
    while_ = "\twhile (err != 0 && left > 0) {\n\t\terr = call(fn);\n\t\tleft--;\n\t}\n\treturn err;\n}"
    broken = "\tfor (;;) {\n\t\tif (err == 0 || left <= 0)\n\t\t\tbreak;\n\t\terr = call(fn);\n\t\tleft--;\n\t}\n" \
        "\treturn err;\n}"
    assert _changed(while_, broken) == []  # tested first, both


def test_a_test_not_the_negation_or_at_the_other_end_stays_changed() -> None:
    assert _changed(DO, FOR.replace("err != 0x10 || !--left", "err != 0x10 && !--left")) == [("a/f.c:10", "a/f.c:10")]
    top = "\tfor (;;) {\n\t\tif (err != 0x10 || !--left)\n\t\t\tbreak;\n\t\terr = call(fn);\n\t}\n\treturn err;\n}"
    assert _changed(DO, top) == [("a/f.c:10", "a/f.c:9")]  # tested before the body: the first pass differs
    skipping = FOR.replace("\t\terr = call(fn);\n", "\t\terr = call(fn);\n\t\tif (!err)\n\t\t\tcontinue;\n")
    assert ("a/f.c:10", "a/f.c:12") in _changed(DO, skipping)  # 'continue' skips the test in for (;;) alone


def test_a_loop_test_in_likely_or_unlikely_is_the_same_test_as_without() -> None:
    # Before: each listed as a changed condition, '(a/f.c:10, a/f.c:10)': likely(E) was read as a call, not as E.
    assert _changed(DO, FOR.replace("if (err != 0x10 || !--left)", "if (unlikely(err != 0x10 || !--left))")) == []
    assert _changed(DO.replace("while (err == 0x10 && --left)", "while (likely(err == 0x10 && --left))"), FOR) == []
    spelt = FOR.replace("if (err != 0x10 || !--left)", "if (__builtin_expect(!!(err != 0x10) || !--left, 0))")
    assert _changed(spelt, DO) == []
    do = "\tdo {\n\t\terr = call(fn);\n\t} while (err);\n\treturn err;\n}"
    assert _changed(do, "\tfor (;;) {\n\t\terr = call(fn);\n\t\tif (likely(!err))\n\t\t\tbreak;\n\t}\n"
                        "\treturn err;\n}") == []
    first = "\twhile (unlikely(err == 0x10)) {\n\t\terr = call(fn);\n\t\tleft--;\n\t}\n\treturn err;\n}"
    broken = "\tfor (;;) {\n\t\tif (err != 0x10)\n\t\t\tbreak;\n\t\terr = call(fn);\n\t\tleft--;\n\t}\n\treturn err;\n}"
    assert _changed(first, broken) == []


def test_a_loop_test_in_likely_that_is_not_the_negation_stays_changed() -> None:
    wrong = FOR.replace("if (err != 0x10 || !--left)", "if (unlikely(err != 0x10 && !--left))")
    assert _changed(DO, wrong) == [("a/f.c:10", "a/f.c:10")]
    top = "\tfor (;;) {\n\t\tif (likely(err != 0x10 || !--left))\n\t\t\tbreak;\n\t\terr = call(fn);\n\t}\n" \
        "\treturn err;\n}"
    assert _changed(DO, top) == [("a/f.c:10", "a/f.c:9")]  # tested before the body
    # A function of the program named likely() is no __builtin_expect: its body may compute anything. The macro
    # #undef'd first, as gcc needs (else it expands the definition's name too: models.preludeclash refuses that).
    own = HEAD.replace("u64 f(u64 fn)", "#undef likely\nstatic int likely(int x) { return !x; }\nu64 f(u64 fn)")
    a = load_program((Source("a/f.c", ((1, tuple((own + DO).split("\n"))),), True),), (EntryPoint("f"),))
    b = load_program((Source("a/f.c", ((1, tuple((own + FOR.replace("if (err != 0x10 || !--left)",
                     "if (likely(err != 0x10 || !--left))")).split("\n"))),), True),), (EntryPoint("f"),))
    assert len(changed_decisions(a, b)) == 1


def test_a_test_put_in_likely_or_unlikely_in_place_is_no_changed_condition() -> None:
    # Before: [('a/f.c:10', 'a/f.c:10')]: a test reading a counter ('--left') is not worked out both ways, and
    # 'unlikely(E)' was another shape than 'E'.
    assert _changed(FOR, FOR.replace("if (err != 0x10 || !--left)", "if (unlikely(err != 0x10 || !--left))")) == []
    assert _changed(DO.replace("while (err == 0x10 && --left)", "while (likely(err == 0x10) && unlikely(--left))"),
                    DO) == []
    assert _changed(FOR, FOR.replace("if (err != 0x10 || !--left)", "if (unlikely(err != 0x10 && !--left))")) == \
        [("a/f.c:10", "a/f.c:10")]  # another test, wrapped: changed

"""no_retry when an unrun setter's statement starts 'SC_X * ...' (a product or a declaration) or casts to a type."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_retry_code_bare_forms import _STORE, _setter
from tests.harness.test_retry_code_set_outside import LOOP, _gcc, _judge

_VALUE = "writes {} as a statement or a value, which no file read defines"
# A function of the files the setter calls, whose parameter p the statement names.
_MUL = "\nstatic void sc_knob_mul(int *p)\n{{\n\t{}\n}}\n"
# (the files' own definitions, the setter's body): each statement starts with a header's SC_KNOB_STORE and a '*'
_PRODUCTS = {
    "SC_X * *p; p a local": ("", "\tint n = 1;\n\tint *p = &n;\n\n\tSC_KNOB_STORE * *p;\n"),
    "SC_X * *p; p a parameter": (_MUL.format("SC_KNOB_STORE * *p;"), "\tint n = 1;\n\n\tsc_knob_mul(&n);\n"),
    "SC_X * p;": ("", "\tint p = 2;\n\n\tSC_KNOB_STORE * p;\n"),
    "SC_X * *p, n;": ("", "\tint n = 1;\n\tint *p = &n;\n\n\tSC_KNOB_STORE * *p, n;\n"),
    "SC_X * p[0];": ("", "\tint p[2] = { 1, 2 };\n\n\tSC_KNOB_STORE * p[0];\n"),
    "SC_X * 2;": ("", "\tSC_KNOB_STORE * 2;\n"),
    "SC_X * p + 1;": ("", "\tint p = 2;\n\n\tSC_KNOB_STORE * p + 1;\n"),
    "else SC_X * *p;": ("", "\tint n = 1;\n\tint *p = &n;\n\n\tif (!n)\n\t\tn++;\n\telse\n\t\tSC_KNOB_STORE * *p;\n"),
    "out: SC_X * *p;": ("", "\tint n = 1;\n\tint *p = &n;\n\n\tif (!n)\n\t\tgoto out;\nout:\n\tSC_KNOB_STORE * *p;\n"),
    "n ? m : SC_X * *p": ("", "\tint n = 1;\n\tint *p = &n;\n\n\tn = !n ? 0 : SC_KNOB_STORE * *p;\n\t(void)n;\n"),
}


@pytest.mark.parametrize("form", sorted(_PRODUCTS))
def test_a_statement_multiplying_a_header_s_name_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the statement is a product, whose operand the header's macro stores. Each was PASS:
    # 'SC_X * *p;' was read as a declaration of p, the same tokens as 'T **p;'. A declaration cannot declare p again
    # in the block where p stands already (C11 6.7p3), nor follow else (6.8), nor have '2' or 'p + 1' as its
    # declarator, nor be a conditional's operand; and SC_KNOB_STORE is no type any file uses (after a label, where
    # gcc takes a declaration too).
    macros, body = _PRODUCTS[form]
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


# Declarations of a header's type that another line of the files uses as one ('sc_knob_t m = 0;').
_DECLARATIONS = ["\tsc_knob_t **pp;\n\n\t(void)pp;\n", "\tsc_knob_t *q, *r;\n\n\t(void)q;\n\t(void)r;\n",
                 "\tsc_knob_t *a[2];\n\n\t(void)a;\n", "\tsc_knob_t **pp = 0;\n\n\t(void)pp;\n",
                 "\tint n = 1;\n\tint *p = &n;\n\n\t(void)p;\n\t{\n\t\tsc_knob_t **p;\n\n\t\t(void)p;\n\t}\n"]


@pytest.mark.parametrize("body", _DECLARATIONS)
def test_a_pointer_declaration_of_a_type_the_files_use_keeps_the_pass(tmp_path: Path, body: str) -> None:
    # gcc: 1 SEAMCALL before the setter and after: a declaration stores nothing (the inner block's p is a new p).
    loop = LOOP.format(const="", setter=_setter("\tsc_knob_t m = 0;\n\n\t(void)m;\n" + body))
    assert _gcc(tmp_path, "typedef long sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


def test_a_pointer_declaration_of_a_type_no_other_line_uses_is_inconclusive(tmp_path: Path) -> None:
    # gcc: 1 1 here, but only the header tells 'sc_knob_t *q;' from 'SC_KNOB_STORE * q;' (q in no scope): no pass
    # claimed. The line's first name said: q, which nothing then declares, or sc_knob_t.
    loop = LOOP.format(const="", setter=_setter("\tsc_knob_t *q;\n\n\tq = 0;\n\t(void)q;\n"))
    assert _gcc(tmp_path, "typedef long sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("sc_knob_t") in note or _VALUE.format("q") in note, note


# The only line of the files using sc_knob_t as a type, besides the cast '(sc_knob_t)-1' C's syntax leaves open.
_TYPED = {"a prototype's pointer parameter": ("long sc_knob_id(sc_knob_t *v);\n", ""),
          "a cast of a character": ("", "\tlong m = (sc_knob_t)'c';\n\n\t(void)m;\n"),
          "a compound literal": ("", "\tlong m = (sc_knob_t){ 1 };\n\n\t(void)m;\n"),
          "sizeof of a qualified type": ("", "\tlong m = sizeof(const sc_knob_t);\n\n\t(void)m;\n")}


@pytest.mark.parametrize("typed", sorted(_TYPED))
def test_a_cast_to_a_type_a_prototype_or_a_cast_of_a_character_uses_keeps_the_pass(tmp_path: Path,
                                                                                  typed: str) -> None:
    # gcc: 1 SEAMCALL before the setter and after. Each was INCONCLUSIVE, naming sc_knob_t: those uses were not
    # counted as a type's (only a definition's parameter list, a cast of a name or a number).
    outside, inside = _TYPED[typed]
    body = inside + "\tlong n = 1;\n\n\tn = (sc_knob_t)-1;\n\t(void)n;\n"
    loop = LOOP.format(const="", setter=outside + _setter(body))
    assert _gcc(tmp_path, "typedef long sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


def test_sizeof_a_name_alone_is_no_type_s_use(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL, then 2: 'sizeof(SC_KNOB_STORE)' measures a value (not evaluated), '(SC_KNOB_STORE) - 1'
    # stores. sizeof of a name alone takes a type or an expression alike (C11 6.5.3.4): counted as a type's, the
    # second would be read as a cast.
    body = "\tlong n = sizeof(SC_KNOB_STORE);\n\n\tn = (SC_KNOB_STORE) - 1;\n\t(void)n;\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


# A header's SC_KNOB_STORE after '*' and a name: (the files' own definitions, the setter's body)
_OPERANDS = {
    "n = n * SC_X;": ("", "\tint n = 1;\n\n\tn = n * SC_KNOB_STORE;\n\t(void)n;\n"),
    "n * SC_X;": ("", "\tint n = 1;\n\n\tn * SC_KNOB_STORE;\n"),
    "return n * SC_X;": ("\nstatic int sc_knob_mul(int n)\n{\n\treturn n * SC_KNOB_STORE;\n}\n", "\tsc_knob_mul(1);\n"),
    "f(n, n * SC_X)": ("", "\tint n = 1;\n\n\tsc_knob_take(n, n * SC_KNOB_STORE);\n"),
    "a[0] * SC_X": ("", "\tint a[2] = { 1, 2 };\n\tint n;\n\n\tn = a[0] * SC_KNOB_STORE;\n\t(void)n;\n"),
}


@pytest.mark.parametrize("form", sorted(_OPERANDS))
def test_a_header_s_name_multiplied_by_a_name_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2. Each was PASS: 'n * SC_KNOB_STORE' matched a pointer declaration's pattern ('u64 *n'),
    # and the piece was taken to declare SC_KNOB_STORE as its own local. A pointer declaration's type starts its
    # statement or parameter, after specifiers only, and alone there is a type: C's, the prelude's or one the files
    # use as such.
    macros, body = _OPERANDS[form]
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


@pytest.mark.parametrize("body", ["\tsc_knob_t *q;\n\n\tq = 0;\n\t(void)q;\n", "\tu64 *q;\n\n\tq = 0;\n\t(void)q;\n",
                                  "\tstruct sc_knob_s *s = &sc_knob;\n\n\ts->n = 1;\n",
                                  "\tsc_knob_t *q = 0;\n\n\tq++;\n\t(void)q;\n"])
def test_a_local_pointer_of_a_type_keeps_the_pass(tmp_path: Path, body: str) -> None:
    # gcc: 1 SEAMCALL before the setter and after: q and s are the setter's own (sc_knob_t a type a parameter of the
    # files' sc_knob_id() has).
    setter = "\nstruct sc_knob_s { int n; };\nstatic struct sc_knob_s sc_knob;\n" \
        "static long sc_knob_id(sc_knob_t *v)\n{\n\treturn v != 0;\n}\n" + _setter(body)
    loop = LOOP.format(const="", setter=setter)
    assert _gcc(tmp_path, "typedef long sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


# 'sc_knob_t *q;' where no other line uses sc_knob_t as a type, then q used as a pointer: (header, setter's body).
_POINTER_USES = {
    "q->n = 1;": ("typedef struct sc_knob_s { long n; } sc_knob_t;\n",
                  "\tstruct sc_knob_s m = { 0 };\n\tsc_knob_t *q;\n\n\tq = &m;\n\tq->n = 1;\n"),
    "*q = 1;": ("typedef long sc_knob_t;\n", "\tlong m = 0;\n\tsc_knob_t *q;\n\n\tq = &m;\n\tif (q)\n\t\t*q = 1;\n"),
}


@pytest.mark.parametrize("form", sorted(_POINTER_USES))
def test_a_pointer_declaration_whose_name_is_then_used_as_a_pointer_keeps_the_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL before the setter and after. Each was INCONCLUSIVE (h577's price): 'sc_knob_t *q;' has the
    # tokens of 'SC_KNOB_STORE * q;'. A product needs q arithmetic (C11 6.5.5p2); 'q->n' and '*q' need a pointer
    # (gcc refuses them on an int), and nothing between declares q again: only the declaration compiles.
    header, body = _POINTER_USES[form]
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, header, loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


_TOUCH = "\nstatic void sc_knob_touch(long *p)\n{\n\t(void)p;\n}\n"
# 'sc_knob_t *q;', then a call of a function the files define with a body (and never #define) before q's pointer use,
# or that use in the call's argument: (the setter's body).
_M_Q = "\tstruct sc_knob_s m = { 0 };\n\tsc_knob_t *q;\n\n"
_CALLED_BETWEEN = {
    "a call between": _M_Q + "\tsc_knob_touch(&m.n);\n\tq = &m;\n\tq->n = 1;\n",
    "the use in a call's argument": _M_Q + "\tq = &m;\n\tsc_knob_touch(&q->n);\n",
}


@pytest.mark.parametrize("form", sorted(_CALLED_BETWEEN))
def test_a_call_of_a_function_of_the_files_before_the_pointer_s_use_keeps_the_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL before the setter and after. INCONCLUSIVE before h604: a statement a name starts stopped the
    # search (a macro there may declare q). A call of a function the files define with a body, and never #define, is
    # an expression statement (C11 6.8.3) whose arguments are compiled: it declares nothing.
    loop = LOOP.format(const="", setter=_TOUCH + _setter(_CALLED_BETWEEN[form]))
    assert _gcc(tmp_path, "typedef struct sc_knob_s { long n; } sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


_STRUCT = "struct sc_knob_s { long n; };\n"
# 'SC_KNOB_STORE * q;' (q a file-scope int: a product) then a later line using a q as a pointer, which each of
# these makes another q or no code: (the files' definitions before the setter, the setter's body).
_LATER_POINTERS = {
    "declared again": ("static struct sc_knob_s sc_s;\n",
                       "\tSC_KNOB_STORE * q;\n\tstruct sc_knob_s *q = &sc_s;\n\n\tq->n = 1;\n"),
    "declared again inside": ("static struct sc_knob_s sc_s;\n",
                              "\tSC_KNOB_STORE * q;\n\t{\n\t\tstruct sc_knob_s *q = &sc_s;\n\n\t\tq->n = 1;\n\t}\n"),
    "declared by the files' macro": ("static struct sc_knob_s sc_s;\n#define SC_DECL_Q struct sc_knob_s *q = &sc_s\n",
                                     "\tSC_KNOB_STORE * q;\n\tSC_DECL_Q;\n\n\tq->n = 1;\n"),
    "declared by the files' macro in a statement expression": (
        "static struct sc_knob_s sc_s;\n#define SC_DECL_Q struct sc_knob_s *q = &sc_s\n",
        "\tSC_KNOB_STORE * q;\n\t(void)({ SC_DECL_Q; q->n = 1; });\n"),
    "declared by the files' macro after static": (
        "static struct sc_knob_s sc_s;\n#define SC_DECL_Q struct sc_knob_s *q = &sc_s\n",
        "\tSC_KNOB_STORE * q;\n\tstatic SC_DECL_Q;\n\n\tq->n = 1;\n"),
    "declared by the files' macro as a declarator": (
        "static struct sc_knob_s sc_s;\n#define SC_Q_AT *q = &sc_s\n",
        "\tSC_KNOB_STORE * q;\n\tstruct sc_knob_s SC_Q_AT;\n\n\tq->n = 1;\n"),
    "declared by the files' macro after a label": (
        "static struct sc_knob_s sc_s;\n#define SC_DECL_Q struct sc_knob_s *q = &sc_s\n",
        "\tSC_KNOB_STORE * q;\n\tgoto out;\nout:\n\tSC_DECL_Q;\n\tq->n = 1;\n"),
    "declared by the files' macro in a for": (
        "static struct sc_knob_s sc_s;\n#define SC_DECL_Q struct sc_knob_s *q = &sc_s\n",
        "\tSC_KNOB_STORE * q;\n\tfor (SC_DECL_Q; !q->n; )\n\t\tq->n = 1;\n"),
    "left out by #if 0": ("", "\tSC_KNOB_STORE * q;\n#if 0\n\tq->n = 1;\n#endif\n"),
    "declared by a macro of the files that a function of theirs is too": (
        "static struct sc_knob_s sc_s;\nstatic void sc_knob_touch(void)\n{\n}\n"
        "#define sc_knob_touch() struct sc_knob_s *q = &sc_s\n",
        "\tSC_KNOB_STORE * q;\n\tsc_knob_touch();\n\n\tq->n = 1;\n"),
    "declared by a macro of the files that a function of theirs is too, '%:define'": (
        "static struct sc_knob_s sc_s;\nstatic void sc_knob_touch(void)\n{\n}\n"
        "%:define sc_knob_touch() struct sc_knob_s *q = &sc_s\n",
        "\tSC_KNOB_STORE * q;\n\tsc_knob_touch();\n\n\tq->n = 1;\n"),
    "a macro's argument it drops": ("#define SC_NOP(x)\n", "\tSC_KNOB_STORE * q;\n\tif (q)\n\t\tSC_NOP(q->n);\n"),
    "two stars": ("static int *sc_p = &q;\n", "\tSC_KNOB_STORE * *sc_p;\n\t*sc_p = 1;\n"),
}


@pytest.mark.parametrize("form", sorted(_LATER_POINTERS))
def test_a_product_whose_name_a_later_line_uses_as_a_pointer_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the statement is a product, whose operand the header's macro stores; the later
    # pointer's use is another q's, no code's, or (two stars) a pointer's the product itself dereferences.
    files, body = _LATER_POINTERS[form]
    loop = LOOP.format(const="", setter="\nstatic int q = 2;\n" + files + _setter(body))
    assert _gcc(tmp_path, _STORE + _STRUCT, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


def test_a_generic_association_s_type_keeps_the_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL before the setter and after. Was INCONCLUSIVE naming sc_knob_t: a _Generic association's
    # 'sc_knob_t:' is a type name (C11 6.5.1.1), the only line typing it besides '(sc_knob_t)-1'.
    body = "\tlong n = 1;\n\tlong m = _Generic(n, sc_knob_t: 1, default: 0);\n\n\tn = (sc_knob_t)-1;\n" \
        "\t(void)n;\n\t(void)m;\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, "typedef long sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


# A header's SC_KNOB_STORE where _Generic or _Alignof takes a value, then '(SC_KNOB_STORE) - 1', which stores.
_NOT_TYPES = {"_Generic's controlling expression": "_Generic(SC_KNOB_STORE, long: 1, default: 0)",
              "a conditional's middle operand after a comma": "_Generic(n, int: n ? 0, SC_KNOB_STORE : 0, default: 0)",
              "_Alignof of a name": "_Alignof(SC_KNOB_STORE)", "__alignof__ of a name": "__alignof__(SC_KNOB_STORE)"}


@pytest.mark.parametrize("form", sorted(_NOT_TYPES))
def test_a_name_generic_or_alignof_may_take_as_a_value_is_no_type_s_use(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: none of these evaluates SC_KNOB_STORE (an unselected association, the controlling
    # expression, gcc's _Alignof of an expression), and '(SC_KNOB_STORE) - 1' stores. Counted as a type's, the last
    # would be read as a cast.
    body = f"\tlong n = 1;\n\tlong m = {_NOT_TYPES[form]};\n\n\tn = (SC_KNOB_STORE) - 1;\n\t(void)n;\n\t(void)m;\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


def test_gcc_s_alignof_is_no_header_s_macro(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL before the setter and after. Was INCONCLUSIVE: '__alignof__(long)' was read as a call of a
    # function-like macro no file defines; it is gcc's keyword (_Alignof's GNU spelling, gcc's extend.texi).
    body = "\tlong m = __alignof__(long) + __alignof(long);\n\n\t(void)m;\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, "", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


# A type's use of SC_KNOB_STORE in a conditional group no build here compiles, then '(SC_KNOB_STORE) - 1'.
_CONDITIONAL = {"#if 0": "#if 0\n\tSC_KNOB_STORE m = 0;\n#endif\n",
                "#ifdef of an unset option": "#ifdef CONFIG_SC_NEVER\n\tSC_KNOB_STORE m = 0;\n#endif\n"}


@pytest.mark.parametrize("form", sorted(_CONDITIONAL))
def test_a_type_s_use_a_conditional_group_may_leave_out_is_none(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the group is left out, and '(SC_KNOB_STORE) - 1' stores. Each was PASS: the group's
    # 'SC_KNOB_STORE m = 0;' counted as a type's use, and the line was read as a cast.
    body = f"\tlong n = 1;\n{_CONDITIONAL[form]}\n\tn = (SC_KNOB_STORE) - 1;\n\t(void)n;\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


def test_a_type_s_use_outside_the_conditional_groups_keeps_the_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL before the setter and after: 'sc_knob_t m' outside the group (in the header's include guard)
    # types sc_knob_t wherever the group goes.
    body = "\tlong n = 1;\n#ifdef CONFIG_SC_NEVER\n\tn++;\n#endif\n\tsc_knob_t m = 0;\n\n\tn = (sc_knob_t)-1;\n" \
        "\t(void)n;\n\t(void)m;\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, "typedef long sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


# A declaration of SC_KNOB_STORE's name in a group no build here compiles, then the header's macro after it.
_GROUP_DECLARED = {"SC_X;": "#if 0\n\tlong SC_KNOB_STORE;\n#endif\n\n\tSC_KNOB_STORE;\n",
                   "n = SC_X;": "#ifdef CONFIG_SC_NEVER\n\tlong SC_KNOB_STORE = 0;\n#endif\n\n\tn = SC_KNOB_STORE;\n"}


@pytest.mark.parametrize("form", sorted(_GROUP_DECLARED))
def test_a_local_a_conditional_group_declares_is_none_after_it(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the group is left out, and the line after it is the header's macro, which stores. Each
    # was PASS: the group's declaration made SC_KNOB_STORE read as the setter's own local.
    body = f"\tlong n = 1;\n{_GROUP_DECLARED[form]}\t(void)n;\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "SC_KNOB_STORE" in note, note


@pytest.mark.parametrize("body", ["#ifdef CONFIG_SC_NEVER\n\tlong sc_m = 0;\n\n\tsc_m++;\n\t(void)sc_m;\n#endif\n",
                                  "\tlong sc_m = 0;\n\n#ifdef CONFIG_SC_NEVER\n\tsc_m++;\n#endif\n\t(void)sc_m;\n"])
def test_a_local_declared_where_it_is_used_keeps_the_pass(tmp_path: Path, body: str) -> None:
    # gcc: 1 SEAMCALL before the setter and after: sc_m is the setter's own, declared in the group it is used in, or
    # outside every group.
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, "", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


_SC_SET = "#define SC_SET(a) (a = SC_KNOB_STORE)\n"


def test_a_local_a_conditional_group_declares_is_none_for_a_files_macro(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL, then 2: 'SC_SET(n)' expands to the header's macro, the group's local left out. Was PASS: a
    # declaration anywhere in the files dropped what the files' macro reads.
    body = "\tlong n = 1;\n#if 0\n\tlong SC_KNOB_STORE;\n#endif\n\n\tSC_SET(n);\n\t(void)n;\n"
    loop = LOOP.format(const="", setter=_SC_SET + _setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


def test_the_files_macro_reading_a_local_declared_outside_the_groups_keeps_the_pass(tmp_path: Path) -> None:
    # gcc (no header defining SC_KNOB_STORE): 1 SEAMCALL before the setter and after: 'SC_SET(n)' reads the setter's
    # own local.
    body = "\tlong n = 1;\n\tlong SC_KNOB_STORE = 2;\n\n\tSC_SET(n);\n\t(void)n;\n"
    loop = LOOP.format(const="", setter=_SC_SET + _setter(body))
    assert _gcc(tmp_path, "", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note

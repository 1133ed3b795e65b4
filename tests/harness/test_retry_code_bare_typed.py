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

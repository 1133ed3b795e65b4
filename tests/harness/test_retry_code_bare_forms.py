"""no_retry when an unrun setter names a header's object-like macro inside a statement, not alone on its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_retry_code_set_outside import LOOP, _gcc, _judge

_STORE = "#define SC_KNOB_STORE (sc_busy_code = SEAMLDR_RND_NO_ENTROPY)\n"
_TAKE = "\nstatic inline void sc_knob_take(int a, u64 b)\n{\n}\n"
# Each runs SC_KNOB_STORE (no file defines it: a header's) once when the setter is called; gcc stores through it.
_FORMS = {
    "else": "\tint n = 0;\n\n\tif (n)\n\t\tn++;\n\telse SC_KNOB_STORE;\n",
    "if": "\tint n = 0;\n\n\tif (!n) SC_KNOB_STORE;\n",
    "do": "\tdo SC_KNOB_STORE; while (0);\n",
    "label": "\tint n = 0;\n\n\tif (n)\n\t\tgoto out;\n\tn++;\nout: SC_KNOB_STORE;\n",
    "argument": "\tint n = 0;\n\n\tsc_knob_take(n, SC_KNOB_STORE);\n",
    "comma": "\tint n = 0;\n\n\tn++, SC_KNOB_STORE;\n",
}


def _setter(body: str) -> str:
    return f"{_TAKE}\nstatic inline void sc_retry_seamldr_busy(void)\n{{\n{body}}}\n"


@pytest.mark.parametrize("form", sorted(_FORMS))
def test_an_undefined_statement_macro_inside_a_statement_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the setter ran the macro. Each was PASS: only a line of the name alone was read,
    # and ', SC_KNOB_STORE)' was taken for a declaration of it.
    loop = LOOP.format(const="", setter=_setter(_FORMS[form]))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "writes SC_KNOB_STORE as a statement or a value, which no file read defines" in note, note


def test_declared_names_labels_and_known_calls_keep_the_pass(tmp_path: Path) -> None:
    # Locals declared in a list and handed on, a label, a goto, a cast and an enumerator: all defined by the text,
    # so nothing the setter does may store to sc_busy_code.
    body = "\tint a = 0, b;\n\n\tb = (int)SC_KNOB_ONE;\n\tif (a)\n\t\tgoto out;\n\tsc_knob_take(a, b), a++;\n" \
           "out:\n\treturn;\n"
    setter = "\nenum { SC_KNOB_ONE = 1 };\n" + _setter(body)
    status, note = _judge(tmp_path, LOOP.format(const="", setter=setter))
    assert status is VerdictStatus.PASS, note


# A call of a name no file defines nor declares: the kernel's builds refuse an implicit declaration, so it is a
# header's function-like macro, which may store to any variable (a run-of-the-mill one taking no lvalue of it).
_CALLS = {
    "no argument": ("#define SC_KNOB_STORE() (sc_busy_code = SEAMLDR_RND_NO_ENTROPY)\n", "\tSC_KNOB_STORE();\n",
                    "calls SC_KNOB_STORE(), which no file read defines"),
    "a local": ("#define sc_knob_poke(x) (sc_busy_code = SEAMLDR_RND_NO_ENTROPY + (x))\n",
                "\tint n = 0;\n\n\tsc_knob_poke(n);\n", "calls sc_knob_poke(), which no file read defines"),
    "a pointer": ("#define SC_KNOB_PTR (&sc_busy_code)\n", "\t*SC_KNOB_PTR = SEAMLDR_RND_NO_ENTROPY;\n",
                  "writes SC_KNOB_PTR as a statement or a value, which no file read defines"),
}


@pytest.mark.parametrize("form", sorted(_CALLS))
def test_an_undefined_callee_or_pointer_macro_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the setter ran. Each was PASS: only names handed to the callee were looked at.
    defines, body, said = _CALLS[form]
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, defines, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert said in note, note


def test_a_setter_an_undefined_file_scope_macro_may_define_is_not_a_pass(tmp_path: Path) -> None:
    # 'SC_DEFINE_SETTER(seamldr);' names nothing else: a header's macro pasting it into the name of a setter it
    # defines, as gcc shows with one: 1 SEAMCALL, then 2. It was PASS.
    loop = LOOP.format(const="", setter="\nSC_DEFINE_SETTER(seamldr);\n")
    define = "#define SC_DEFINE_SETTER(x) \\\n\tstatic inline void sc_retry_##x##_busy(void) " \
             "{ sc_busy_code = SEAMLDR_RND_NO_ENTROPY; }\n"
    assert _gcc(tmp_path, define, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "invokes SC_DEFINE_SETTER(seamldr) at file scope, which no file read defines, and no file names seamldr " \
           "elsewhere" in note, note


def test_a_file_scope_macro_defining_what_the_files_use_keeps_the_pass(tmp_path: Path) -> None:
    # 'static LIST_HEAD(sc_list);' defines sc_list, which the files then use; 'module_init(sc_init);' hands a
    # function of theirs: nothing the text does may store to sc_busy_code.
    setter = "\nstatic LIST_HEAD(sc_list);\n\nstatic int sc_init(void)\n{\n\treturn sc_list.next == &sc_list;\n}\n" \
             "module_init(sc_init);\n"
    status, note = _judge(tmp_path, LOOP.format(const="", setter=setter))
    assert status is VerdictStatus.PASS, note


# A function whose name a macro of the files pastes ('static void SC_FN(reset)(u64 v)' is sc_knob_reset()).
_PASTED_FN = "\n#define SC_FN(x) sc_knob_##x\nstatic void SC_FN(reset)(u64 v)\n{\n}\n"


@pytest.mark.parametrize("call", ["sc_knob_reset(1)", "sc_knob_reset(sc_busy_code)"])
def test_a_call_of_a_function_whose_name_a_macro_of_the_files_pastes_keeps_the_pass(tmp_path: Path,
                                                                                    call: str) -> None:
    # gcc: 1 SEAMCALL before the setter and after: the function takes a copy and stores nothing. Each was
    # INCONCLUSIVE ("calls sc_knob_reset(), which no file read defines"): the files were read twice, so the macro
    # was defined twice and the function stayed under the macro's name (models.loader._named_by_macros).
    loop = LOOP.format(const="", setter=_PASTED_FN + _setter(f"\t{call};\n"))
    assert _gcc(tmp_path, "", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


# A name no file defines handed alone to a kernel macro that expands it as an expression ('(x) = (val)'): a
# header's object-like macro standing for the retry code variable or for a store to it.
_HANDED = {
    "the value": ("#define SC_KNOB_STORE (sc_busy_code = SEAMLDR_RND_NO_ENTROPY)\n",
                  "\tint n = 0;\n\n\tWRITE_ONCE(n, SC_KNOB_STORE);\n", "SC_KNOB_STORE"),
    "the place": ("#define SC_KNOB_CODE sc_busy_code\n", "\tWRITE_ONCE(SC_KNOB_CODE, SEAMLDR_RND_NO_ENTROPY);\n",
                  "SC_KNOB_CODE"),
}


@pytest.mark.parametrize("form", sorted(_HANDED))
def test_an_undefined_name_a_kernel_macro_expands_as_an_expression_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc (WRITE_ONCE as include/asm-generic/rwonce.h stores): 1 SEAMCALL, then 2 once the setter ran. Each was
    # PASS: the arguments of a macro were not read, as a macro's argument may be a member or a type.
    defines, body, name = _HANDED[form]
    loop = LOOP.format(const="", setter=_setter(body))
    once = "#define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)\n"
    assert _gcc(tmp_path, once + defines, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"writes {name} as a statement or a value, which no file read defines" in note, note


def test_a_member_or_a_pasted_word_handed_to_a_kernel_macro_keeps_the_pass(tmp_path: Path) -> None:
    # sizeof_field() names a member, __stringify() makes a string of its word: neither expands it as an expression.
    body = "\tu64 n = 0;\n\tconst char *s = __stringify(SC_KNOB_NAME);\n\n\tif (s)\n" \
           "\t\tWRITE_ONCE(n, sizeof_field(struct tdx_module_args, rcx));\n"
    status, note = _judge(tmp_path, LOOP.format(const="", setter=_setter(body)))
    assert status is VerdictStatus.PASS, note


# A name no file defines handed to a macro that uses its parameter bare ('a = b'), or only by handing it on to
# another macro that reads it (round_up()'s y, which __round_mask() writes '(y)').
_ROUND = "#define __round_mask(x, y) ((__typeof__(x))((y) - 1))\n" \
         "#define round_up(x, y) ((((x) - 1) | __round_mask(x, y)) + 1)\n"
_SET = "\n#define SC_SET(a, b) a = b\n"
_HANDED_ON = {
    "bare value": (_STORE, _SET, "\tint n = 0;\n\n\tSC_SET(n, SC_KNOB_STORE);\n", "SC_KNOB_STORE"),
    "bare place": ("#define SC_KNOB_CODE sc_busy_code\n", _SET,
                   "\tSC_SET(SC_KNOB_CODE, SEAMLDR_RND_NO_ENTROPY);\n", "SC_KNOB_CODE"),
    "handed on": (_ROUND + _STORE, "", "\tint n = 0;\n\n\tn = round_up(1, SC_KNOB_STORE);\n", "SC_KNOB_STORE"),
    "handed on by the files": (_STORE, "\n#define SC_PUT(a, b) SC_SET(a, b)" + _SET,
                               "\tint n = 0;\n\n\tSC_PUT(n, SC_KNOB_STORE);\n", "SC_KNOB_STORE"),
}


@pytest.mark.parametrize("form", sorted(_HANDED_ON))
def test_an_undefined_name_a_macro_uses_bare_or_hands_on_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the setter ran. Each was PASS: only a parameter the macro wrote alone in
    # parentheses, '(b)', counted as expanded as an expression.
    header, macros, body, name = _HANDED_ON[form]
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, header, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"writes {name} as a statement or a value, which no file read defines" in note, note


@pytest.mark.parametrize("define", ["#define SC_SET(a, b) a = sizeof b", "#define SC_SET(a, b) a = sizeof(b)",
                                    "#define SC_SET(a, b) a = (long)#b", "#define SC_SET(a, b) a = sc_knob_##b",
                                    "#define SC_SET(a, b) a = (long)&((struct sc_knob *)0)->b",
                                    "#define SC_SET(a, b) a = __stringify(b)[0]"])
def test_a_name_a_macro_measures_pastes_or_takes_as_a_member_keeps_the_pass(tmp_path: Path, define: str) -> None:
    # sizeof, '#', '##' and '->' do not expand SC_KNOB_NAME as an expression ('sc_knob_##b' makes the files'
    # sc_knob_SC_KNOB_NAME): nothing may store to sc_busy_code.
    setter = f"\nstruct sc_knob {{ long SC_KNOB_NAME; }};\nstatic long sc_knob_SC_KNOB_NAME;\n{define}\n" + \
        _setter("\tlong n = 0;\n\n\tSC_SET(n, SC_KNOB_NAME);\n")
    status, note = _judge(tmp_path, LOOP.format(const="", setter=setter))
    assert status is VerdictStatus.PASS, note


# SC_KNOB_STORE before a backslash-newline: gcc removes it before reading a token (C11 5.1.1.2p1, phase 2).
_SPLICED = {"alone": "\tSC_KNOB_STORE \\\n;\n", "argument": "\tint n = 0;\n\n\tsc_knob_take(n, SC_KNOB_STORE \\\n);\n"}


@pytest.mark.parametrize("form", sorted(_SPLICED))
def test_an_undefined_macro_before_a_backslash_newline_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the setter ran the macro. Both were PASS: each physical line read alone, the name
    # with no ';' nor ')' after it.
    loop = LOOP.format(const="", setter=_setter(_SPLICED[form]))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "SC_KNOB_STORE" in note and "which no file read defines" in note, note

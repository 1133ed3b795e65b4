"""no_retry when an unrun setter hands a header's macro in a longer argument, before '.', as callee or at file scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_retry_code_bare_forms import _STORE, _setter
from tests.harness.test_retry_code_set_outside import LOOP, _gcc, _judge

_VALUE = "writes {} as a statement or a value, which no file read defines"
_INNER = "\n#define SC_INNER(x) ((x) * 2)\n"
# The struct a header's SC_S stands for, with a store to the retry code variable on the way.
_S = "#define SC_S (*(sc_busy_code = SEAMLDR_RND_NO_ENTROPY, &sc_knob))\n"
_KNOB = "\nstruct sc_knob_s { int n; };\nstatic struct sc_knob_s sc_knob;\n"
_POKE = "#define SC_KNOB_POKE(x) (sc_busy_code = SEAMLDR_RND_NO_ENTROPY + (x))\n"
_CALL = "\n#define SC_CALL(f, x) f(x)\n"
# (header gcc is handed, the files' own definitions, the setter's body, what the note says)
_FORMS = {
    "a parameter in a longer argument": (_STORE, _INNER + "#define SC_SET(a, b) a = SC_INNER(b + 1)\n",
                                         "\tint n = 0;\n\n\tSC_SET(n, SC_KNOB_STORE);\n",
                                         _VALUE.format("SC_KNOB_STORE")),
    "a parameter in a longer argument of a kernel macro": (
        "#define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)\n" + _STORE,
        "\n#define SC_SET(a, b) WRITE_ONCE(a, b + 1)\n", "\tint n = 0;\n\n\tSC_SET(n, SC_KNOB_STORE);\n",
        _VALUE.format("SC_KNOB_STORE")),
    "a name in a longer argument": (_STORE, _INNER, "\tint n = 0;\n\n\tn = SC_INNER(SC_KNOB_STORE + 1);\n",
                                    _VALUE.format("SC_KNOB_STORE")),
    "a name before '.'": (_S, _KNOB, "\tSC_S.n = 1;\n", _VALUE.format("SC_S")),
    "a parameter before '.'": (_S, _KNOB + "#define SC_PUT(s, v) s.n = v\n", "\tSC_PUT(SC_S, 1);\n",
                               _VALUE.format("SC_S")),
    "a parameter called": (_POKE, _CALL, "\tint n = 0;\n\n\tSC_CALL(SC_KNOB_POKE, n);\n",
                           "calls SC_KNOB_POKE(), which no file read defines"),
    "a parameter called, handed on": (_POKE, _CALL + "#define SC_CALL2(g, y) SC_CALL(g, y)\n",
                                      "\tint n = 0;\n\n\tSC_CALL2(SC_KNOB_POKE, n);\n",
                                      "calls SC_KNOB_POKE(), which no file read defines"),
}


@pytest.mark.parametrize("form", sorted(_FORMS))
def test_an_undefined_name_a_macro_expands_in_a_longer_argument_or_calls_is_not_a_pass(tmp_path: Path,
                                                                                       form: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the setter ran the header's macro. Each was PASS: a macro's argument was followed
    # only when it was the name alone, a name before '.' was taken for a struct not read, and a parameter the macro
    # calls was not followed at all.
    header, macros, body, said = _FORMS[form]
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, header, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert said in note, note


_KEPT = {
    "a member in a longer argument": "#define SC_SET(a, b) a = SC_INNER(sc_knob.b + 1)\n",
    "a measured longer argument": "#define SC_SET(a, b) a = SC_INNER(sizeof(b) + 1)\n",
    "a stringized longer argument": "#define SC_SET(a, b) a = SC_INNER(#b[0] + 1)\n",
}


@pytest.mark.parametrize("form", sorted(_KEPT))
def test_a_member_or_measured_word_in_a_longer_argument_keeps_the_pass(tmp_path: Path, form: str) -> None:
    # '.b', sizeof and '#' do not expand SC_KNOB_NAME as an expression: nothing may store to sc_busy_code.
    setter = "\nstruct sc_knob_s { long SC_KNOB_NAME; };\nstatic struct sc_knob_s sc_knob;\n" + _INNER + _KEPT[form] + \
        _setter("\tlong n = 0;\n\n\tSC_SET(n, SC_KNOB_NAME);\n")
    status, note = _judge(tmp_path, LOOP.format(const="", setter=setter))
    assert status is VerdictStatus.PASS, note


def test_a_known_function_called_through_a_macro_or_a_local_struct_keeps_the_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL before the setter and after: the function takes a copy, the local struct is the setter's own.
    body = "\tstruct sc_knob_s k = { 0 };\n\n\tk.n = 1;\n\tSC_CALL(sc_knob_use, k.n);\n"
    setter = _KNOB + _CALL + "\nstatic void sc_knob_use(int v)\n{\n}\n" + _setter(body)
    loop = LOOP.format(const="", setter=setter)
    assert _gcc(tmp_path, "", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


_SETTER_DEF = "#define SC_DEFINE_SETTER(x, v) \\\n" \
    "\tstatic inline void sc_retry_##x##_busy(void) { sc_busy_code = v; }\n"


@pytest.mark.parametrize("invocation", ["SC_DEFINE_SETTER(seamldr, (SEAMLDR_RND_NO_ENTROPY));",
                                        "SC_DEFINE_SETTER(seamldr,\n\t\t SEAMLDR_RND_NO_ENTROPY);",
                                        "static SC_DEFINE_SETTER(seamldr,\n\t\t\t(SEAMLDR_RND_NO_ENTROPY | 0));"])
def test_a_file_scope_invocation_over_lines_or_with_parentheses_is_not_a_pass(tmp_path: Path,
                                                                              invocation: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the header's macro pastes seamldr into the setter it defines. Each was PASS: only an
    # invocation on one line with one level of parentheses was read.
    loop = LOOP.format(const="", setter=f"\n{invocation}\n")
    header = _SETTER_DEF.replace("\tstatic", "\t") if invocation.startswith("static") else _SETTER_DEF
    assert _gcc(tmp_path, header, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "at file scope, which no file read defines, and no file names seamldr elsewhere" in note, note


_PEEK = "#define sc_knob_peek(x) (sc_busy_code = SEAMLDR_RND_NO_ENTROPY + (x))\n"
# A macro of the files the setter invokes, whose replacement list names a header's macro: (header, files', body)
_THROUGH = {
    "a call": (_PEEK, "\n#define SC_SET(a, b) a = sc_knob_peek(b)\n", "\tint n = 0;\n\n\tSC_SET(n, 0);\n",
               "calls sc_knob_peek(), which no file read defines"),
    "a value": (_STORE, "\n#define SC_SET(a, b) a = b + SC_KNOB_STORE\n", "\tint n = 0;\n\n\tSC_SET(n, 0);\n",
                _VALUE.format("SC_KNOB_STORE")),
    "a statement": (_STORE, "\n#define SC_DO() do { SC_KNOB_STORE; } while (0)\n", "\tSC_DO();\n",
                    _VALUE.format("SC_KNOB_STORE")),
    "an object-like macro": (_STORE, "\n#define SC_DO SC_KNOB_STORE\n", "\tSC_DO;\n", _VALUE.format("SC_KNOB_STORE")),
}


@pytest.mark.parametrize("form", sorted(_THROUGH))
def test_a_macro_of_the_files_naming_an_undefined_name_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the setter's macro expands to the header's, which stores. Each was PASS: a macro's
    # replacement list was read only for what it does with its parameters.
    header, macros, body, said = _THROUGH[form]
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, header, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert said in note, note


@pytest.mark.parametrize("macros", ["\n#define SC_BUMP(a) do { a = n + 1; } while (0)\n",
                                    "\n#define SC_BUMP(a) a = sc_knob_##a##_s + #a[0]\n"
                                    "#define SC_UNUSED SC_KNOB_STORE\n"])
def test_a_macro_naming_the_invoker_s_local_or_never_invoked_keeps_the_pass(tmp_path: Path, macros: str) -> None:
    # n is the setter's own local; a pasted or stringized word is no name; SC_UNUSED is never expanded.
    setter = "\nstatic int sc_knob_a_s;\n" + macros + _setter("\tint n = 0, a = 0;\n\n\tSC_BUMP(a);\n")
    status, note = _judge(tmp_path, LOOP.format(const="", setter=setter))
    assert status is VerdictStatus.PASS, note


# The kernel's printers evaluate their values (lib/vsprintf.c reads them): gcc is handed one that prints to stderr.
_PR = "#include <stdio.h>\n#define pr_err(fmt, ...) fprintf(stderr, fmt, ##__VA_ARGS__)\n" + _STORE
_PRINTED = {
    "a printer's value": ("", "\tpr_err(\"%llu\\n\", SC_KNOB_STORE);\n"),
    "a printer's longer value": ("", "\tpr_err(\"%d\\n\", (int)SC_KNOB_STORE + 1);\n"),
    "a variadic macro's": ("\n#define SC_LOG(fmt, ...) pr_err(fmt, ##__VA_ARGS__)\n",
                           "\tSC_LOG(\"%d %llu\\n\", 1, SC_KNOB_STORE);\n"),
    "a named variadic macro's": ("\n#define SC_LOG(fmt, args...) pr_err(fmt, ## args)\n",
                                 "\tSC_LOG(\"%llu\\n\", SC_KNOB_STORE);\n"),
    "a variadic function's": ("\nstatic void sc_log(const char *f, ...)\n{\n}\n"
                              "#define SC_LOG(fmt, ...) sc_log(fmt, __VA_ARGS__)\n",
                              "\tSC_LOG(\"%llu\\n\", SC_KNOB_STORE);\n"),
}


@pytest.mark.parametrize("form", sorted(_PRINTED))
def test_an_undefined_name_handed_to_a_variadic_parameter_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the printer's value is the header's store. Each was PASS: a macro's variadic
    # parameter ('...', __VA_ARGS__, GNU's 'args...' and ', ##') was left out, and pr_err()'s own too.
    macros, body = _PRINTED[form]
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, _PR, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


def test_the_predefined_names_a_printer_is_handed_keep_the_pass(tmp_path: Path) -> None:
    # __func__ (C11 6.4.2.2) and __LINE__ (C11 6.10.8.1) are the compiler's: no header's macro.
    body = "\tpr_err(\"%s:%d\\n\", __func__, __LINE__);\n"
    status, note = _judge(tmp_path, LOOP.format(const="", setter=_setter(body)))
    assert status is VerdictStatus.PASS, note


_OPS = "\nstruct sc_ops_s { void (*fn)(long v); };\nstatic void sc_fn1(long v)\n{\n}\n" \
       "static struct sc_ops_s sc_ops_v = { .fn = sc_fn1 };\nstatic struct sc_ops_s *sc_ops = &sc_ops_v;\n"
_FUNCTIONS = {
    "a call through a pointer member": (_OPS, "\tsc_ops->fn(SC_KNOB_STORE);\n"),
    "a call through a member": (_OPS, "\tsc_ops_v.fn(SC_KNOB_STORE);\n"),
    "gcc's builtin": ("", "\tif (__builtin_expect(SC_KNOB_STORE, 0))\n\t\treturn;\n"),
    "a primitive of the mirror": ("", "\tif (likely(SC_KNOB_STORE))\n\t\treturn;\n"),
    "a primitive's longer argument": ("", "\tif (unlikely(!SC_KNOB_STORE))\n\t\treturn;\n"),
}


@pytest.mark.parametrize("form", sorted(_FUNCTIONS))
def test_an_undefined_name_handed_to_a_function_the_files_do_not_define_is_not_a_pass(tmp_path: Path,
                                                                                      form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: a function reads its arguments. Each was PASS: only a call of a function of the files
    # read its arguments; a pointer member's, a builtin's and a primitive's (likely(), unlikely(): include/linux/
    # compiler.h) were not.
    macros, body = _FUNCTIONS[form]
    loop = LOOP.format(const="", setter=macros + _setter(body))
    likely = "#define likely(x) __builtin_expect(!!(x), 1)\n#define unlikely(x) __builtin_expect(!!(x), 0)\n"
    assert _gcc(tmp_path, likely + _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


def test_a_name_gcc_s_builtin_does_not_evaluate_keeps_the_pass(tmp_path: Path) -> None:
    # __builtin_constant_p() does not evaluate its argument (gcc's manual): 1 SEAMCALL before the setter and after.
    loop = LOOP.format(const="", setter=_setter("\tif (__builtin_constant_p(SC_KNOB_STORE))\n\t\treturn;\n"))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


def test_a_variable_s_name_a_primitive_takes_keeps_the_pass(tmp_path: Path) -> None:
    # this_cpu_write()'s and spin_lock()'s first argument names a per-CPU variable or a lock (the mirror's
    # name_args), defined by a file not read: no value the call reads.
    body = "\tthis_cpu_write(sc_knob_pcpu, 1);\n\tspin_lock(&sc_knob_lock);\n\tspin_unlock(&sc_knob_lock);\n"
    status, note = _judge(tmp_path, LOOP.format(const="", setter=_setter(body)))
    assert status is VerdictStatus.PASS, note


@pytest.mark.parametrize("invocation", ["\tSC_P(STORE_X);\n", "\tint n = 0;\n\n\tn = SC_P(STORE_X) + 1;\n",
                                        "\tint n = 0;\n\n\tn = SC_P(STORE_X + 1);\n"])
def test_a_header_s_name_a_macro_of_the_files_pastes_is_not_a_pass(tmp_path: Path, invocation: str) -> None:
    # gcc: 1 SEAMCALL, then 2: 'SC_KNOB_##x' with STORE_X makes the header's SC_KNOB_STORE_X. Each was PASS: a pasted
    # word was no name of the replacement list's, and what the invocation makes was not built.
    loop = LOOP.format(const="", setter="\n#define SC_P(x) SC_KNOB_##x\n" + _setter(invocation))
    assert _gcc(tmp_path, "#define SC_KNOB_STORE_X (sc_busy_code = SEAMLDR_RND_NO_ENTROPY)\n", loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "invokes SC_P(), which pastes SC_KNOB_STORE_X of its arguments, which no file read defines" in note, note


@pytest.mark.parametrize(("macros", "invocation"), [
    ("\n#define SC_TMP(x) do { long tmp_##x = 1; (void)tmp_##x; } while (0)\n", "\tSC_TMP(a);\n"),
    ("\nstatic long sc_knob_a;\n#define SC_GET(x) sc_knob_##x\n", "\tlong n = SC_GET(a);\n\n\t(void)n;\n"),
    ("\nstatic long sc_knob_a;\n#define SC_GET(x) sc_knob_##x\n", "\tlong n = SC_GET(a + 1);\n\n\t(void)n;\n")])
def test_a_pasted_name_the_files_or_the_expansion_define_keeps_the_pass(tmp_path: Path, macros: str,
                                                                      invocation: str) -> None:
    # tmp_a is the expansion's own local, sc_knob_a a variable of the files ('a + 1' pastes its first token only).
    status, note = _judge(tmp_path, LOOP.format(const="", setter=macros + _setter(invocation)))
    assert status is VerdictStatus.PASS, note


@pytest.mark.parametrize(("macros", "body"), [
    ("", "\tint n = 1;\n\n\tn = sizeof(char[n + !SC_KNOB_STORE]);\n\t(void)n;\n"),
    ("", "\tint n = 1;\n\n\tn = sizeof(char[n][!SC_KNOB_STORE + 1]);\n\t(void)n;\n"),
    ("", "\tint n = 1;\n\n\tn = sizeof(__typeof__(char[n + !SC_KNOB_STORE]));\n\t(void)n;\n"),
    ("\n#define SC_VLA(x) sizeof(char[1 + !(x)])\n", "\tint n = SC_VLA(SC_KNOB_STORE);\n\n\t(void)n;\n")])
def test_an_undefined_name_in_an_array_size_sizeof_measures_is_not_a_pass(tmp_path: Path, macros: str,
                                                                          body: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the size of a variable length array type is evaluated where sizeof or typeof names it
    # (C11 6.5.3.4p2, 6.7.6.2p5; a header's name may be no constant). Each was PASS: nothing inside sizeof was read.
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


_OFFSETOF = "#define offsetof(T, M) __builtin_offsetof(T, M)\n"  # include/linux/stddef.h's
_ARRAY = "\nstruct sc_knob_s { int n; int a[4]; };\n"


@pytest.mark.parametrize(("macros", "body"), [
    ("", "\tunsigned long n = __builtin_offsetof(struct sc_knob_s, a[!SC_KNOB_STORE]);\n\n\t(void)n;\n"),
    (_OFFSETOF, "\tunsigned long n = offsetof(struct sc_knob_s, a[!SC_KNOB_STORE]);\n\n\t(void)n;\n"),
    (_OFFSETOF + "#define SC_OFF(x) offsetof(struct sc_knob_s, a[x])\n",
     "\tunsigned long n = SC_OFF(!SC_KNOB_STORE);\n\n\t(void)n;\n"),
    ("", "\tint n = 0;\n\n\tn = _Generic(n, int: !SC_KNOB_STORE, default: 0);\n\t(void)n;\n"),
    ("", "\tint n = 0;\n\n\tn = _Generic(n, long: 0, default: (SC_KNOB_STORE, 1));\n\t(void)n;\n"),
    ("#define SC_G(x) _Generic(0, int: x, default: 0)\n", "\tint n = SC_G(!SC_KNOB_STORE);\n\n\t(void)n;\n"),
    ("", "\tint n = 1;\n\n\tn = n ? !SC_KNOB_STORE : 0;\n\t(void)n;\n"),
    ("", "\tint n = 1;\n\n\tif (n ? SC_KNOB_STORE : 0)\n\t\treturn;\n"),
    ("#define SC_PICK(c, x) ((c) ? x : 0)\n", "\tint n = SC_PICK(1, !SC_KNOB_STORE);\n\n\t(void)n;\n"),
    ("", '\tasm("" : : "r"(SC_KNOB_STORE));\n'), ("", '\t__asm__("" : : "r"(!SC_KNOB_STORE));\n'),
    ("", '\tint n;\n\n\tasm("mov %1, %0" : "=r"(n) : [v] "r"(SC_KNOB_STORE));\n\t(void)n;\n'),
    ('#define SC_ASM(x) asm("" : : "r"(x))\n', "\tSC_ASM(SC_KNOB_STORE);\n"),
    ("", "\tint n = 1;\n\n\tn = SC_KNOB_STORE * 2;\n\t(void)n;\n"), ("", "\tsc_knob_take(1, SC_KNOB_STORE * 2);\n"),
    ("", "\tint n = 1;\n\n\tif (SC_KNOB_STORE * n)\n\t\treturn;\n")])
def test_an_undefined_name_offsetof_generic_or_a_conditional_evaluates_is_not_a_pass(tmp_path: Path, macros: str,
                                                                                    body: str) -> None:
    # gcc: 1 SEAMCALL, then 2: offsetof()'s array index is evaluated (gcc's manual, Offsetof: any expression),
    # _Generic's selected association (C11 6.5.1.1p3) and a conditional's middle operand where the condition holds
    # (6.5.15), an asm operand (gcc's manual, Extended Asm), a product's or a subscript's operand. Each was PASS: none
    # was read (offsetof's, _Generic's and asm's words taken for a type's or a template's, ':' for a label's, '*' for
    # a pointer declarator's, '[' for an array's).
    loop = LOOP.format(const="", setter=_ARRAY + macros + _setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


@pytest.mark.parametrize("body", ["\tint n = SC_KNOB_ARR[1];\n\n\t(void)n;\n", "\tSC_KNOB_ARR[0] = 1;\n"])
def test_an_undefined_name_subscripted_is_not_a_pass(tmp_path: Path, body: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the header's array stands for an expression storing on the way. Each was PASS: '['
    # after a name was taken for an array declarator's.
    header = "static int sc_knob_arr[2];\n#define SC_KNOB_ARR (sc_busy_code = SEAMLDR_RND_NO_ENTROPY, sc_knob_arr)\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, header, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_ARR") in note, note


@pytest.mark.parametrize("body", ["\tint n = 0;\n\n\tn = _Generic(SC_KNOB_STORE, default: 0);\n\t(void)n;\n",
                                  "\tint n = 0;\n\n\tn = _Generic(n, sc_knob_t: 1, default: 0);\n\t(void)n;\n",
                                  "\tunsigned long n = __builtin_offsetof(struct sc_knob_s, a[1]);\n\n\t(void)n;\n",
                                  '\tint n = 0;\n\n\tasm("" : : [sc_knob_op] "r"(n));\n'])
def test_generic_s_controlling_expression_and_types_or_a_constant_index_keep_the_pass(tmp_path: Path,
                                                                                     body: str) -> None:
    # _Generic's controlling expression is not evaluated (C11 6.5.1.1p3), an association's type is no value, nor an asm
    # operand's symbolic name.
    loop = LOOP.format(const="", setter=_ARRAY + "typedef long sc_knob_t;\n" + _setter(body))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


@pytest.mark.parametrize(("body", "want"), [
    ("\tunsigned long n = offsetof(struct sc_knob_s, a[1]);\n\n\t(void)n;\n", VerdictStatus.PASS),
    ("\tunsigned long n = offsetof(struct sc_knob_s, n);\n\n\t(void)n;\n", VerdictStatus.PASS),
    ("\tunsigned long n = offsetof(struct sc_knob_s, a[!SC_KNOB_STORE]);\n\n\t(void)n;\n", VerdictStatus.INCONCLUSIVE)])
def test_offsetof_no_file_defines_is_the_builtin(tmp_path: Path, body: str, want: VerdictStatus) -> None:
    # gcc, offsetof() as include/linux/stddef.h defines it (__builtin_offsetof), a header the files do not define it
    # in here: 1 SEAMCALL, then 1 (2 where the index stores). The first two were INCONCLUSIVE ('calls offsetof(), which
    # no file read defines'): the mirror's compile-time builtin, no header's macro (harness.sysheaders.prelude_names).
    loop = LOOP.format(const="", setter=_ARRAY + _setter(body))
    assert _gcc(tmp_path, _STORE + _OFFSETOF, loop) == ["1", "1" if want is VerdictStatus.PASS else "2"]
    status, note = _judge(tmp_path, loop)
    assert status is want, note
    assert want is VerdictStatus.PASS or _VALUE.format("SC_KNOB_STORE") in note, note


# this_cpu_write() and spin_lock() as the kernel's expand their name argument: an lvalue (include/linux/percpu-defs.h).
_PRIMITIVES = "#define this_cpu_write(pcp, val) do { (pcp) = (val); } while (0)\n#define spin_lock(l) ((void)(l))\n" \
    "#define spin_unlock(l) ((void)(l))\nstruct sc_knob_l { int lock; };\n"
_DIRECT = "\nstatic int sc_knob_v;\n#define SC_KNOB_PCPU (*(sc_busy_code = SEAMLDR_RND_NO_ENTROPY, &sc_knob_v))\n"
_THROUGH_HEADER = "\nstatic struct sc_knob_l sc_knob_v;\n#define SC_KNOB_PCPU (*(SC_KNOB_STORE, &sc_knob_v))\n"
_NAMES = {
    "a per-CPU name storing": (_DIRECT, "\tthis_cpu_write(SC_KNOB_PCPU, 1);\n", "through SC_KNOB_PCPU, expanded"),
    "a lock's address storing": (_DIRECT, "\tspin_lock(&SC_KNOB_PCPU);\n\tspin_unlock(&sc_knob_v);\n",
                                 "through SC_KNOB_PCPU, expanded"),
    "a per-CPU name naming a header's": (_THROUGH_HEADER, "\tthis_cpu_write(SC_KNOB_PCPU.lock, 1);\n",
                                         _VALUE.format("SC_KNOB_STORE")),
    "a lock's member naming a header's": (_THROUGH_HEADER, "\tspin_lock(&SC_KNOB_PCPU.lock);\n",
                                          _VALUE.format("SC_KNOB_STORE")),
    "a pasted name": ("\n#define SC_PCPU(x) SC_KNOB_##x\n", "\tthis_cpu_write(SC_PCPU(PCPU), 1);\n",
                      "invokes SC_PCPU(), which pastes SC_KNOB_PCPU of its arguments, which no file read defines"),
}


@pytest.mark.parametrize("form", sorted(_NAMES))
def test_a_macro_of_the_files_a_primitive_takes_as_a_variable_s_name_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2: the kernel's this_cpu_write()/spin_lock() expand the name as an lvalue, and the files'
    # macro there stores (itself, or through a header's name its replacement list reads, or the one it pastes). The
    # files' macros are expanded wherever they stand (harness.macrostores, unknowncallees' replacement lists): a
    # primitive's name argument is no exception. Only a plain name no file defines is taken for the variable itself.
    macros, body, said = _NAMES[form]
    header = _PRIMITIVES + _STORE + "#define SC_KNOB_PCPU (*(sc_busy_code = SEAMLDR_RND_NO_ENTROPY, &sc_knob_h))\n" \
        "static int sc_knob_h;\n"
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, header if form == "a pasted name" else _PRIMITIVES + _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert said in note, note


# A files' variadic function reading its va_list through a header's name: va_arg() evaluates its va_list operand.
_VA = ("\nstatic va_list *sc_knob_app;\n\nstatic int sc_knob_va(int n, ...)\n{{\n\tva_list ap;\n\tint v;\n\n"
       "\tva_start(ap, n);\n\tsc_knob_app = &ap;\n\tv = {}(SC_KNOB_AP, int);\n\tva_end(ap);\n\treturn v;\n}}\n")
_AP = "#include <stdarg.h>\n#define SC_KNOB_AP (*(sc_busy_code = SEAMLDR_RND_NO_ENTROPY, sc_knob_app))\n"
_OPERANDS = {
    "(SC_X) * 2": ("", "\tint n = 1;\n\n\tn = (SC_KNOB_STORE) * 2;\n\t(void)n;\n", "SC_KNOB_STORE"),
    "(SC_X) & 1": ("", "\tint n = 1;\n\n\tn = (SC_KNOB_STORE) & 1;\n\t(void)n;\n", "SC_KNOB_STORE"),
    "(int)SC_X * 2": ("", "\tint n = 1;\n\n\tn = (int)SC_KNOB_STORE * 2;\n\t(void)n;\n", "SC_KNOB_STORE"),
    "n = SC_X * *p": ("", "\tint n = 1;\n\tint *p = &n;\n\n\tn = SC_KNOB_STORE * *p;\n\t(void)n;\n", "SC_KNOB_STORE"),
    "va_arg": (_VA.format("va_arg"), "\tsc_knob_va(1, 5);\n", "SC_KNOB_AP"),
    "__builtin_va_arg": (_VA.format("__builtin_va_arg"), "\tsc_knob_va(1, 5);\n", "SC_KNOB_AP"),
}


@pytest.mark.parametrize("form", sorted(_OPERANDS))
def test_an_undefined_name_no_type_can_be_or_va_arg_s_list_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2. '(T) * 2' and '(T) & 1' are no casts (unary '*' and '&' take no constant), a name
    # after a cast's ')' or an operator is an operand, and va_arg() evaluates its va_list (gcc stores through it, not
    # inside sizeof). Each was PASS: taken for a cast's type, a pointer declarator's, or va_arg()'s words unread.
    macros, body, name = _OPERANDS[form]
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, _AP + _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format(name) in note, note


# A cast C's syntax cannot tell from a grouping ('(X) - 1'): of a header's name no file uses as a type, a value.
_EITHER = {"(SC_X) - 1": "\tint n = 1;\n\n\tn = (SC_KNOB_STORE) - 1;\n\t(void)n;\n",
           "(SC_X) & n": "\tint n = 1;\n\n\tn = (SC_KNOB_STORE) & n;\n\t(void)n;\n",
           "(SC_X) * p": "\tint n = 1, p = 2;\n\n\tn = (SC_KNOB_STORE) * p;\n\t(void)n;\n",
           "(SC_X) * (p)": "\tint n = 1, p = 2;\n\n\tn = (SC_KNOB_STORE) * (p);\n\t(void)n;\n",
           "in a macro": "#define SC_KNOB_LESS(x) ((SC_KNOB_STORE) - (x))\n\tint n = 1;\n\n\tn = SC_KNOB_LESS(n);\n"
                         "\t(void)n;\n"}


@pytest.mark.parametrize("form", sorted(_EITHER))
def test_a_header_s_name_no_file_uses_as_a_type_grouped_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2. Each was PASS: '(SC_KNOB_STORE)' taken for a cast's type.
    loop = LOOP.format(const="", setter=_setter(_EITHER[form]))
    assert _gcc(tmp_path, _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note, note


# Where the files use sc_knob_t as a type: a local's declaration, a pointer parameter's, a cast of a name.
_TYPED = ["\tsc_knob_t m = 0;\n\n\t(void)m;\n", "",
          "\tlong m = 0;\n\n\tm = (sc_knob_t)m;\n\t(void)m;\n"]


@pytest.mark.parametrize("typed", range(len(_TYPED)))
@pytest.mark.parametrize("body", ["\tlong n = 1;\n\n\tn = (sc_knob_t)-1;\n\t(void)n;\n",
                                  "\tlong n = 1;\n\tlong *p = &n;\n\n\tn = (sc_knob_t)*p;\n\t(void)n;\n",
                                  "\tlong n = 1;\n\n\tn = (sc_knob_t)&n == 0;\n\t(void)n;\n",
                                  "\tlong n = 1, p = 2;\n\n\tn = (sc_knob_t)(p);\n\t(void)n;\n"])
def test_a_cast_to_a_header_s_type_the_files_use_as_one_keeps_the_pass(tmp_path: Path, body: str, typed: int) -> None:
    # A cast of '-1', '*p', '&n' or '(p)' to a type no file read defines stores nothing: read as a cast where the
    # files use that name as a type elsewhere.
    used = "static long sc_knob_id(sc_knob_t *v)\n{\n\treturn v != 0;\n}\n" if typed == 1 else ""
    loop = LOOP.format(const="", setter=used + _setter(_TYPED[typed] + body))
    assert _gcc(tmp_path, "typedef long sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


def test_a_cast_to_a_header_s_name_no_file_uses_as_a_type_is_inconclusive(tmp_path: Path) -> None:
    # gcc: 1 1 here, but only the header tells '(sc_knob_t)-1' from '(SC_KNOB_STORE) - 1': no pass claimed.
    loop = LOOP.format(const="", setter=_setter("\tlong n = 1;\n\n\tn = (sc_knob_t)-1;\n\t(void)n;\n"))
    assert _gcc(tmp_path, "typedef long sc_knob_t;\n", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("sc_knob_t") in note, note


# A header's per-CPU variable and lock, as the kernel's primitives take their names.
_PCPU = _PRIMITIVES.replace("struct sc_knob_l { int lock; };\n", "") + \
    "static int sc_knob_pcpu;\nstatic int sc_knob_lock;\n"


@pytest.mark.parametrize(("macros", "body"), [
    ("\n#define SC_PCPU_FLAG sc_knob_pcpu\n", "\tthis_cpu_write(SC_PCPU_FLAG, 1);\n"),
    ("\n#define SC_PCPU_FLAG \\\n\tsc_knob_pcpu\n", "\tthis_cpu_write(SC_PCPU_FLAG, 1);\n"),  # on a second line
    ("\n#define SC_PCPU_A sc_knob_pcpu\n#define SC_PCPU_FLAG SC_PCPU_A\n", "\tthis_cpu_write(SC_PCPU_FLAG, 1);\n"),
    ("\n#define SC_LOCK sc_knob_lock\n", "\tspin_lock(&SC_LOCK);\n\tspin_unlock(&SC_LOCK);\n")])
def test_a_macro_of_the_files_naming_a_header_s_per_cpu_variable_keeps_the_pass(tmp_path: Path, macros: str,
                                                                                body: str) -> None:
    # gcc: 1 SEAMCALL before the setter and after. The macro leaves the name where it stands (C11 6.10.3), a per-CPU
    # primitive's name argument, as 'this_cpu_write(sc_knob_pcpu, 1)' written directly (PASS). Each was INCONCLUSIVE:
    # the macro's replacement list was read alone, as a statement naming the header's name.
    loop = LOOP.format(const="", setter=macros + _setter(body))
    assert _gcc(tmp_path, _PCPU, loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


@pytest.mark.parametrize("body", ["\tint n = 1;\n\n\tn = SC_ALIAS;\n\t(void)n;\n", "\tSC_ALIAS;\n",
                                  "\tthis_cpu_write(sc_knob_pcpu, SC_ALIAS);\n"])
def test_a_macro_of_the_files_naming_a_header_s_macro_read_as_a_value_is_not_a_pass(tmp_path: Path, body: str) -> None:
    # gcc: 1 SEAMCALL, then 2: read as a value (or alone), the name it stands for is the header's storing macro.
    loop = LOOP.format(const="", setter="\n#define SC_ALIAS SC_KNOB_STORE\n" + _setter(body))
    assert _gcc(tmp_path, _PCPU + _STORE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert _VALUE.format("SC_KNOB_STORE") in note or "writes SC_KNOB_STORE; alone" in note, note

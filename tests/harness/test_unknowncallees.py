"""Names handed alone to a callee no file read defines (harness.unknowncallees): a header's macro may store to them."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from harness.unknowncallees import bare_unknown, handed_unknown
from models.loader import Source


def _src(body: str) -> tuple[Source, ...]:
    text = "static int sc_tries;\n\nstatic void sc_use(int n)\n{\n}\n\n" \
        f"static void sc_set(int n)\n{{\n\t{body};\n}}\n"
    return (Source("x/a.h", ((1, tuple(text.splitlines())),), True),)


def test_a_name_handed_to_an_undefined_callee_is_said_with_where() -> None:
    src = _src("sc_knob_store(sc_tries, n)")
    assert handed_unknown("sc_tries", src, src) == \
        "x/a.h:9 hands it to sc_knob_store(), which no file read defines: a macro of a header not read may store to it"


@pytest.mark.parametrize("body", ["sc_use(sc_tries)", "this_cpu_read(sc_tries)", "n = READ_ONCE(sc_tries)",
                                  "sc_knob_store(sc_tries + 1, n)", "sc_knob_store(n, n)", "n = sizeof(sc_tries)",
                                  'seq_printf(NULL, "%d\\n", sc_tries)', 'sc_trace("tries", n,\n\t\t sc_tries)'])
def test_a_defined_callee_a_kernel_primitive_or_no_bare_name_is_none(body: str) -> None:
    # A function of the files takes a copy; the prelude's macros and primitives are read for their effects elsewhere
    # (harness.macroeffects); an expression is no lvalue a macro could store to; a format's values are read by value.
    src = _src(body)
    assert handed_unknown("sc_tries", src, src) is None


def test_a_name_no_file_defines_written_alone_as_a_statement_is_said_with_where() -> None:
    # 'SC_KNOB_STORE;' names no variable: an object-like macro of a header not read may store to any of them.
    src = _src("n++;\n\tSC_KNOB_STORE")
    assert bare_unknown(src, src) == ("x/a.h:10 writes SC_KNOB_STORE; alone, which no file read defines: an "
                                      "object-like macro of a header not read may store to it")


@pytest.mark.parametrize("body", ["fallthrough", "return", "sc_tries", "n", "SC_KNOWN",
                                  "/* a comment */ n = 1", 'n = sizeof("SC_X;")'])
def test_a_statement_of_a_known_name_or_of_c_s_own_word_is_none(body: str) -> None:
    # The prelude's macros (fallthrough), C's one-word statements, a variable or parameter of the files, a macro they
    # define; nothing alone on its line.
    src = _src(body)
    src = (Source("x/k.h", ((1, ("#define SC_KNOWN do { } while (0)",)),), True), *src)
    assert bare_unknown(src, src) is None


def test_a_name_alone_after_else_is_no_declaration() -> None:
    src = _src("if (n)\n\t\tn++;\n\telse\n\t\tSC_KNOB_STORE")
    assert (bare_unknown(src, src) or "").startswith("x/a.h:12 writes SC_KNOB_STORE; alone")


@pytest.mark.parametrize("body", ["n++, SC_KNOB_STORE", "sc_use(n, SC_KNOB_STORE)", "if (n) SC_KNOB_STORE",
                                  "do SC_KNOB_STORE; while (0)"])
def test_a_name_after_a_comma_or_on_a_statement_s_line_is_no_declaration(body: str) -> None:
    # A comma expression's operand or a later argument declares nothing ('int a, n;' does), nor does a statement
    # sharing its line with an if or a do.
    src = _src(body)
    assert (bare_unknown(src, src) or "").startswith("x/a.h:9 writes SC_KNOB_STORE as a statement or a value"), body


@pytest.mark.parametrize("body", ["int a, sc_b;\n\tsc_b = a", "u64 *p = NULL, *sc_b;\n\tsc_use(n, sc_b)"])
def test_a_later_declarator_of_a_declaration_is_declared(body: str) -> None:
    src = _src(body)
    assert bare_unknown(src, src) is None, body


def test_each_piece_s_calls_are_read_once_for_every_name_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    # outside_writes asks of each variable in turn: a piece's callees and what they are handed are read once.
    import harness.unknowncallees as uc

    read: list[str] = []
    real = uc._past_formats
    monkeypatch.setattr(uc, "_past_formats", lambda text, callees: read.append(text) or real(text, callees))
    src = _src("sc_knob_store(sc_tries, n);\n\tsc_poke(n, sc_tries)")
    assert handed_unknown("sc_tries", src, src) == \
        "x/a.h:9 hands it to sc_knob_store(), which no file read defines: a macro of a header not read may store to it"
    assert handed_unknown("n", src, src) is not None
    assert handed_unknown("sc_use", src, src) is None
    assert len(read) == 1


def test_a_piece_s_values_and_declarations_are_read_once_for_files_holding_it_again() -> None:
    # Each variant's sources are other objects holding most pieces again: their reading is kept by content.
    import harness.declaredname as dn
    import harness.unknowncallees as uc

    uc._values_read.cache_clear()
    dn.declared.cache_clear()
    said = [bare_unknown(src, src) for src in (_src("int a, sc_b;\n\tsc_b = a"), _src("int a, sc_b;\n\tsc_b = a"))]
    assert said == [None, None]
    assert uc._values_read.cache_info().misses == 1 and uc._values_read.cache_info().hits == 1
    assert dn.declared.cache_info().hits >= 1


def test_a_file_scope_invocation_handing_a_name_no_file_names_elsewhere_is_said() -> None:
    # 'SC_DEFINE_SETTER(seamldr);': a header's macro may paste seamldr into the name of a function it defines.
    # A comment spelling it is no use of it.
    src = (Source("x/b.h", ((1, ("static int sc_tries;", "/* the seamldr setter */", "SC_DEFINE_SETTER(seamldr);")),),
                  True),)
    assert bare_unknown(src, src) == (
        "x/b.h:3 invokes SC_DEFINE_SETTER(seamldr) at file scope, which no file read defines, and no file names "
        "seamldr elsewhere: a macro of a header not read may paste it into a function's name it defines, which may "
        "store to it")


@pytest.mark.parametrize("text", ["static LIST_HEAD(sc_list);\n\nstatic int sc_f(void)\n{\n\treturn sc_list.n;\n}",
                                  "static int sc_init(void)\n{\n\treturn 0;\n}\nmodule_init(sc_init);",
                                  'MODULE_LICENSE("GPL");'])
def test_a_file_scope_invocation_defining_what_the_files_use_or_handing_theirs_is_none(text: str) -> None:
    src = (Source("x/b.h", ((1, tuple(text.splitlines())),), True),)
    assert bare_unknown(src, src) is None, text


def test_a_function_whose_name_a_macro_pastes_is_defined_and_known() -> None:
    # 'static void SC_FN(reset)(int v)' defines sc_knob_reset(): calling it or handing it a variable is no header's
    # macro. The files are read once (each twice defined the macro twice, and the name stayed the macro's).
    text = "static int sc_tries;\n#define SC_FN(x) sc_knob_##x\nstatic void SC_FN(reset)(int v)\n{\n}\n\n" \
           "static void sc_set(int n)\n{\n\tsc_knob_reset(sc_tries);\n}"
    src = (Source("x/p.h", ((1, tuple(text.splitlines())),), True),)
    assert handed_unknown("sc_tries", src, src) is None
    assert bare_unknown(src, src) is None


@pytest.mark.parametrize(("define", "found"), [("#define SC_SET(a, b) ((a) = (b))", True),
                                               ("#define SC_SET(a, b) ((a) = sizeof(b))", False),
                                               ("#define SC_SET(a, b) ((a) = __stringify(b))", False)])
def test_a_name_a_macro_of_the_files_expands_as_an_expression_is_read(define: str, found: bool) -> None:
    # SC_X handed alone to SC_SET's b: read as code only where SC_SET's expansion puts it alone in parentheses.
    src = _src("SC_SET(n, SC_X)")
    src = (Source("x/k.h", ((1, (define,)),), True), *src)
    said = bare_unknown(src, src)
    assert (said == "x/a.h:9 writes SC_X as a statement or a value, which no file read defines: an object-like "
                    "macro of a header not read may store to it") is found, said


@pytest.mark.parametrize(("define", "found"), [
    ("#define SC_SET(a, b) a = b", True), ("#define SC_SET(a, b) SC_PUT(a, b)\n#define SC_PUT(x, y) x = y", True),
    ("#define SC_SET(a, b) a = round_up(1, b)", True), ("#define SC_SET(a, b) sc_use(b)", True),
    ("#define SC_SET(a, b) SC_PUT(a, b)\n#define SC_PUT(x, y) x = sizeof(y)", False),
    ("#define SC_SET(a, b) a = __stringify(b)", False), ("#define SC_SET(a, b) a = sc_##b", False),
    ("#define SC_SET(a, b) a = (long)&((struct sc *)0)->b", False)])
def test_a_name_a_macro_of_the_files_uses_bare_or_hands_on_is_read(define: str, found: bool) -> None:
    # SC_X handed alone to SC_SET's b: read as code where SC_SET's expansion reads b, itself or through the macro
    # or function of the files it hands b to (round_up()'s y reaches '(y)' of the prelude's __round_mask()).
    src = _src("SC_SET(n, SC_X)")
    src = (Source("x/k.h", ((1, tuple(define.splitlines())),), True), *src)
    said = bare_unknown(src, src)
    assert (said == "x/a.h:9 writes SC_X as a statement or a value, which no file read defines: an object-like "
                    "macro of a header not read may store to it") is found, said


def test_equal_sets_of_names_worked_out_for_other_files_are_one_object() -> None:
    # Each pair of files is kept with its sets (harness.memo); files alike in their macros share one set, and the
    # prelude's own names are kept once, not in each: the corpus' eval kept 18 sets of 2 distinct values.
    from harness import unknowncallees as uc

    a, b = _src("WRITE_ONCE(n, 1)"), _src("WRITE_ONCE(n, 2)")
    assert all(x is y for x, y in zip(uc._expressions(a, a), uc._expressions(b, b), strict=True))
    assert ("WRITE_ONCE", 1) in uc._expressions(a, a)[0]
    assert "WRITE_ONCE" in uc._prelude_names() and "WRITE_ONCE" not in uc._named(a, a)
    assert uc._named(a, a) is uc._named(b, b) and "sc_set" in uc._named(a, a)
    assert uc._known(a, a) is uc._known(b, b) and "sc_use" in uc._known(a, a)


def _declared_oracle(name: str, text: str) -> bool:
    """_declared as it was written with the two patterns naming the name (re decides their matches)."""
    import re

    from harness.declaredname import _DECLARATION

    v = re.escape(name)
    for m in re.finditer(rf"(\w+|\])\s+\**\s*\b{v}\s*[,;)=\[]", text):
        if m.group(1) not in {"break", "continue", "return", "else", "do", "default", "case", "goto"}:
            return True
    for m in re.finditer(rf"[*,]\s*\**\s*\b{v}\s*[,;=\[]", text):
        head = text[max(text.rfind(c, 0, m.start()) for c in ";{}") + 1:m.start()]
        if head.count("(") == head.count(")") and _DECLARATION.match(head):
            return True
    return False


_PARTS = ["n", "nn", "int", "u64", "x", "return", "case", "else", " ", "  ", "\t", "\n", "\u00a0", "\x1c", "*", "**",
          ",", ";", ")", "(", "=", "[", "]", "{", "}", "é", "\u00b7", "1", "_", "."]


_NAMES = ["n", "nn", "x", "int", "é", "n\u00b7", "", "*"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), max_size=14), st.sampled_from(_NAMES))
def test_declared_finds_what_the_patterns_naming_the_name_find(parts: list[str], name: str) -> None:
    # No pattern is compiled per name: each match's start is read backwards (a rigid head) and bounded by the match
    # before, as finditer resumes there: a ',' ending one declarator starts the next ('int a, n, n;').
    from harness import declaredname as dn

    text = "".join(parts)
    assert dn.declared.__wrapped__(name, text) == _declared_oracle(name, text), (name, text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["n", "a", " ", "\t", "*", ",", ";", "=", "[", "]", ")", "é"]), max_size=16),
       st.sampled_from(["n", "é"]))
@example(list("a, n,*n;"), "n")
def test_each_match_start_is_finditer_s(parts: list[str], name: str) -> None:
    # The starts themselves, which _declared's answer hides (a later match's head only extends the one before): the
    # leftmost start, and after a match ending in ',' the next starting past it ('int a, n,*n;' starts at '*').
    import re

    from harness import declaredname as dn

    text, v = "".join(parts), re.escape(name)
    for head, before, after in ((r"(\w+|\])\s+\**\s*", dn._TYPE_BEFORE, dn._TYPE_AFTER),
                                (r"[*,]\s*\**\s*", dn._LIST_BEFORE, dn._LIST_AFTER)):
        expected = [m.start() for m in re.finditer(head + rf"\b{v}" + after.pattern, text)]
        assert list(dn._starts(text, text[::-1], name, before, after)) == expected, (name, text, head)


@pytest.mark.parametrize(("name", "text", "declared"), [
    ("n", "int a, n, n;", True), ("n", "return n;", False), ("n", "return  *n;", False), ("n", "x]  n;", True),
    ("n", "f(a, n);", False), ("n", "int a,\n\t*n = 0;", True), ("n", "else n, n;", False), ("n", "u64 * *n;", False),
    ("n", "nn n;", True), ("n", "case n: n;", False), ("n", "n, n;", False), ("n", "int x, n,*n;", True)])
def test_declared_worked_cases(name: str, text: str, declared: bool) -> None:
    from harness import declaredname as dn

    assert dn.declared.__wrapped__(name, text) is declared is _declared_oracle(name, text)


@pytest.mark.parametrize("body", ["n = n * SC_KNOB_STORE", "n * SC_KNOB_STORE", "sc_use(n * SC_KNOB_STORE)",
                                  "n = sc_tries * SC_KNOB_STORE", "if (n)\n\t\tn = n *SC_KNOB_STORE"])
def test_a_name_multiplied_is_no_pointer_declaration(body: str) -> None:
    # 'n * SC_X' has the pattern of 'u64 *SC_X', but n is no type: it stands after an operator, or alone where the
    # statement starts and no file uses it as a type.
    src = _src(body)
    assert "writes SC_KNOB_STORE as a statement or a value" in (bare_unknown(src, src) or ""), body


@pytest.mark.parametrize("body", ["u64 *q = 0;\n\tq++", "sc_t *q;\n\tq = 0", "static sc_t *q;\n\tq = 0",
                                  "sc_t **q = 0;\n\tq++", "unsigned long *q;\n\tq = 0"])
def test_a_local_pointer_of_a_type_is_declared(body: str) -> None:
    # u64 is the prelude's, sc_t a type the files use as one (a parameter of a prototype): q is the body's own.
    src = _src(body)
    src = (Source("x/t.h", ((1, ("typedef long sc_t;", "long sc_id(sc_t *v);")),), True), *src)
    assert bare_unknown(src, src) is None, body


def test_a_piece_is_read_once_whatever_else_the_files_define_but_again_for_a_name_it_spells() -> None:
    # A variant adding a file defines more callees and macros: a piece spelling none of them reads as before, kept
    # (harness.unknowncallees._narrowed); one it calls is read anew, as the piece's words then read otherwise.
    import harness.unknowncallees as uc

    shared = _src("sc_knob(n, SC_X)")
    other = Source("x/b.h", ((1, ("static int sc_other(int n)", "{", "\treturn n;", "}",
                                  "#define SC_OTHER(a) sc_other(a)")),), True)
    callee = Source("x/c.h", ((1, ("static int sc_knob(int n, int m)", "{", "\treturn n + m;", "}")),), True)
    uc._values_read.cache_clear()
    uc._macros_read.cache_clear()
    alone, beside = bare_unknown(shared, shared), bare_unknown((*shared, other), (*shared, other))
    assert alone == beside and beside is not None and "sc_knob" in beside, beside
    assert uc._values_read.cache_info().hits == 1, uc._values_read.cache_info()  # the shared piece, read once
    assert uc._macros_read.cache_info().hits == 1, uc._macros_read.cache_info()
    called = bare_unknown((*shared, callee), (*shared, callee))  # sc_knob() a function: SC_X read as its argument
    assert called == "x/a.h:9 writes SC_X as a statement or a value, which no file read defines: an object-like " \
                     "macro of a header not read may store to it", called


def test_a_piece_s_macros_are_read_once_whatever_its_functions_call() -> None:
    # _macros_read reads a piece's #define lines alone: a callee its functions name, defined by one variant's files
    # only, leaves the reading of its macros as it was (harness.unknowncallees._macro_names).
    import harness.unknowncallees as uc

    text = "#define SC_SET(a, b) a = (b)\n\nstatic void sc_set(int n)\n{\n\tSC_SET(n, SC_X);\n\tsc_helper(n);\n}\n"
    piece = (Source("x/a.h", ((1, tuple(text.splitlines())),), True),)
    helper = Source("x/h.h", ((1, ("static void sc_helper(int n)", "{", "}")),), True)
    uc._macros_read.cache_clear()
    said = [bare_unknown(src, src) for src in (piece, (*piece, helper))]
    assert said[0] == said[1] and said[1] is not None and "SC_X" in said[1], said
    assert uc._macros_read.cache_info().hits == 1, uc._macros_read.cache_info()

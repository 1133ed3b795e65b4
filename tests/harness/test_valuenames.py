"""Names a function's body reads as values or statements (harness.valuenames): where a header's macro expands."""

from __future__ import annotations

import pytest

from harness.valuenames import MacroReads, Use, body_values, macro_reads, replacement_values, takes, variadic_names

_FN = "static void sc_set(int n)\n{{\n{}\n}}\n"


def _names(body: str) -> list[str]:
    return [name for _, name, use in body_values(_FN.format(body).splitlines(), frozenset({"sc_use"}))
            if name != "n" and use is Use.VALUE]


@pytest.mark.parametrize("body", ["\tif (n) SC_X;", "\tif (n)\n\t\tn++;\n\telse SC_X;", "\tdo SC_X; while (0);",
                                  "out: SC_X;", "\tn++, SC_X;", "\tsc_use(n, SC_X);", "\tn = SC_X + 0x1ULL;",
                                  "\tn = 1e+5 * SC_X;", "\treturn SC_X;", "\tSC_X->n = 1;", "\tSC_X.n = 1;",
                                  "\tif (SC_X)\n\t\tn++;", "\tn = (int)SC_X;",
                                  "\tn = __builtin_expect(SC_X, 0);"])
def test_a_name_read_as_a_value_or_a_statement_is_found(body: str) -> None:
    assert _names(body) == ["SC_X"], body


@pytest.mark.parametrize("body", ["\tsc_type_t x;", "\tsc_type_t *x;", "\tn = (sc_type_t)n;", "\tn = p->SC_X;",
                                  "\tn = s.SC_X;", "\tn = s.SC_X.m;", "\tgoto SC_X;", "SC_X:\n\tn++;",
                                  "\tSC_MACRO(n, SC_X);",
                                  "\tn = sizeof(SC_X);", "\tint a __attribute__((SC_X));",
                                  "\tn = __builtin_constant_p(SC_X);",
                                  "#ifdef SC_X\n\tn++;\n#endif", "\t/* SC_X; */",
                                  '\tsc_use("SC_X;");', "\tn = 'X';", "\tSC_X(n);"])
def test_a_type_member_label_macro_argument_or_unread_word_is_not(body: str) -> None:
    # A type, a member, a label or goto's, the argument of a macro (a member or a type, maybe: harness.unknowncallees'
    # callee rule), sizeof's and attributes', a directive's, a comment's or a literal's, a callee.
    assert "SC_X" not in _names(body), body


@pytest.mark.parametrize("body", ["\tsc_ops->fn(SC_X);", "\tsc_ops.fn(n, SC_X);", "\tsc_fns[0](SC_X);"])
def test_an_argument_of_a_call_through_a_pointer_is_read(body: str) -> None:
    # A pointer to a function, a member's or an array's, takes its arguments' values, as the pointer itself is read.
    assert "SC_X" in _names(body), body


@pytest.mark.parametrize("body", ["\tSC_X();", "\tsc_use(SC_X(n));", "\tif (n)\n\t\tSC_X(1);"])
def test_a_callee_is_a_call(body: str) -> None:
    assert ("SC_X", Use.CALL) in [(name, use) for _, name, use in body_values(
        _FN.format(body).splitlines(), frozenset())], body


def test_names_outside_a_function_body_are_not_read() -> None:
    # A struct's members, an enum's constants and an initializer's words are no statement a function runs.
    text = "struct sc { int SC_X, b; };\nenum { SC_Y, SC_Z };\nstatic int v[] = { SC_W, 1 };\n"
    assert body_values(text.splitlines(), frozenset()) == []


def test_the_line_is_the_offset_in_the_lines() -> None:
    assert body_values(_FN.format("\tn++;\n\telse SC_X;").splitlines(), frozenset()) == [
        (2, "n", Use.VALUE), (3, "SC_X", Use.VALUE)]


@pytest.mark.parametrize(("body", "found"), [
    ("\tSC_MACRO(n, SC_X);", True), ("\tSC_MACRO(SC_X, n);", False), ("\tSC_MACRO(n, SC_X + 1);", True),
    ("\tSC_MACRO(n, s.SC_X + 1);", False), ("\tSC_MACRO(n, (sc_t)SC_X);", True),
    ("\tSC_MACRO(n, (SC_X));", True), ("\tSC_MACRO(n, sizeof(SC_X));", False), ("\tSC_MACRO(f(1, 2), SC_X);", True),
    ("\tn = sizeof(SC_MACRO(n, SC_X));", False)])
def test_a_name_alone_as_an_argument_a_macro_expands_as_an_expression_is_read(body: str, found: bool) -> None:
    # Only argument 1 of SC_MACRO is an expression: a name alone or read as a value there is read ('SC_X + 1', not
    # a member's '.SC_X'), and a nested call's commas are its own.
    names = [name for _, name, use in body_values(_FN.format(body).splitlines(), frozenset(),
                                                  frozenset({("SC_MACRO", 1)})) if use is Use.VALUE]
    assert ("SC_X" in names) is found, body


@pytest.mark.parametrize(("body", "direct", "handed"), [
    ("((a) = (b))", {0, 1}, ()), ("a = b", {0, 1}, ()), ("a = \\\n\tb", {0, 1}, ()),
    ("do { a = b; } while (0)", {0, 1}, ()), ("a = sizeof b", {0}, ()), ("a = sizeof(b)", {0}, ()),
    ("a = sizeof((b))", {0}, ()), ("a = #b", {0}, ()), ("a = sc_##b", {0}, ()), ("a = b##_x", {0}, ()),
    ("a->b = 1", {0}, ()), ("a.b = 1", {0}, ()), ("a = SC_INNER(1, b)", {0}, ((1, "SC_INNER", 1, None),)),
    ("a = SC_INNER(b + 1)", {0}, ((1, "SC_INNER", 0, Use.VALUE),)), ("a = SC_INNER(s.b + 1)", {0}, ()),
    ("a = SC_INNER(sizeof(b) + 1)", {0}, ()), ("a = SC_INNER(b(1))", {0}, ((1, "SC_INNER", 0, Use.CALL),)),
    ('a = "b"', {0}, ())])
def test_a_macro_reads_the_parameters_it_expands_as_an_expression(
        body: str, direct: set[int], handed: tuple[tuple[int, str, int, Use | None], ...]) -> None:
    # Bare, in parentheses or in a statement, before '.': read. Measured, stringized, pasted, a member, a string's
    # word: not. Handed to a call: alone, as the callee reads that argument; in a longer argument, as it stands.
    assert macro_reads(("a", "b"), body) == MacroReads(frozenset(direct), frozenset(), handed), body


@pytest.mark.parametrize(("body", "calls"), [("a = b(1)", {1}), ("if (b(a)) a++", {1}), ("a = s.b(1)", set()),
                                             ("a = sizeof(b(1))", set()), ("(b)(a)", set())])
def test_a_macro_calls_a_parameter_followed_by_a_call_s_parenthesis(body: str, calls: set[int]) -> None:
    # '#define CALL(f, x) f(x)': an object-like or function-like macro handed as f is expanded and called; a member
    # called or a measured call is not; '(b)(a)' is b read as a value (a function-like macro is not expanded there).
    assert macro_reads(("a", "b"), body).calls == frozenset(calls), body


def test_a_name_alone_as_an_argument_a_macro_calls_is_a_call() -> None:
    found = body_values(_FN.format("\tSC_CALL(SC_X, n);\n\tSC_CALL(SC_Y->fn, n);").splitlines(), frozenset(),
                        frozenset(), frozenset({("SC_CALL", 0)}))
    assert [(name, use) for _, name, use in found if name not in ("n", "SC_CALL")] == [
        ("SC_X", Use.CALL), ("SC_Y", Use.VALUE)]


@pytest.mark.parametrize(("params", "body", "found"), [
    (None, " SC_X", [(0, "SC_X", Use.VALUE)]), (("a", "b"), " a = sc_f(b)", [(0, "sc_f", Use.CALL)]),
    ((), " do { \\\n\tSC_X; \\\n} while (0)", [(1, "SC_X", Use.VALUE), (2, "while", Use.CALL)]),
    (("a",), " a = sc_##a##_s + #a[0]", []), (("fmt", "..."), " sc_f(fmt, __VA_ARGS__)", [(0, "sc_f", Use.CALL)]),
    (("args...",), " sc_f(args)", [(0, "sc_f", Use.CALL)]), (None, " s.SC_Y", [(0, "s", Use.VALUE)])])
def test_a_replacement_list_reads_what_the_body_it_is_expanded_in_would(
        params: tuple[str, ...] | None, body: str, found: list[tuple[int, str, Use]]) -> None:
    # Its parameters, __VA_ARGS__ and the words '#' and '##' make are no names of its own; lines are the body's.
    assert replacement_values(params, body, frozenset()) == found, body


@pytest.mark.parametrize(("params", "body", "handed"), [
    (("fmt", "..."), "pr_err(fmt, ##__VA_ARGS__)", ((0, "pr_err", 0, None), (1, "pr_err", 1, None))),
    (("fmt", "args..."), "sc_f(fmt, ## args)", ((0, "sc_f", 0, None), (1, "sc_f", 1, None))),
    (("fmt", "..."), "sc_f(#__VA_ARGS__)", ())])
def test_a_variadic_parameter_is_read_under_the_name_its_list_gives_it(
        params: tuple[str, ...], body: str, handed: tuple[tuple[int, str, int, Use | None], ...]) -> None:
    # __VA_ARGS__ for '...', args for GNU's 'args...'; ', ##' before it drops a comma, pastes nothing.
    assert macro_reads(params, body).handed == handed, body


def test_a_variadic_parameter_takes_every_argument_from_its_own_on() -> None:
    assert variadic_names(("fmt", "...")) == ("fmt", "__VA_ARGS__")
    assert variadic_names(("fmt", "args ...")) == ("fmt", "args")
    pairs = frozenset({("pr_err", -2), ("WRITE_ONCE", 1)})
    assert [takes(pairs, "pr_err", i) for i in range(4)] == [False, True, True, True]
    assert [takes(pairs, "WRITE_ONCE", i) for i in range(3)] == [False, True, False]
    names = [name for _, name, use in body_values(_FN.format('\tpr_err("%d %d", n, SC_X + 1);').splitlines(),
                                                  frozenset(), pairs)]
    assert "SC_X" in names


@pytest.mark.parametrize(("body", "found"), [
    ("\tn = sizeof(char[n + SC_X]);", ["SC_X"]), ("\tn = sizeof(char[n][SC_X + 1]);", ["SC_X"]),
    ("\tn = sizeof(__typeof__(char[SC_X]));", ["SC_X"]), ("\tn = sizeof(char[sizeof(SC_X)]);", []),
    ("\tn = a[sizeof(SC_X)];", []), ("\tn = sizeof(char[SC_M(SC_X)]);", [])])
def test_an_array_size_inside_sizeof_is_read(body: str, found: list[str]) -> None:
    # A variable length array's size is evaluated where sizeof or typeof names its type (C11 6.5.3.4p2); sizeof's own
    # operand is not, nor a macro's argument (SC_M may be any macro: as elsewhere).
    assert [n for n in _names(body) if n != "a"] == found, body


def test_a_parameter_in_an_array_size_inside_sizeof_is_an_expression() -> None:
    assert macro_reads(("x",), " sizeof(char[1 + (x)])").values == {0}
    assert macro_reads(("x",), " sizeof(char[1 + x])").values == {0}
    assert macro_reads(("x",), " sizeof(x[1])").values == frozenset()


@pytest.mark.parametrize(("body", "found"), [
    ("\tn = __builtin_offsetof(struct s, a[SC_X]);", ["SC_X"]),
    ("\tn = offsetof(struct s, a[n].b[SC_X + 1]);", ["SC_X"]),
    ("\tn = offsetof(struct s, SC_X);", []), ("\tn = offsetof(struct s, a[sizeof(SC_X)]);", []),
    ("\tn = _Generic(n, int: SC_X, default: 0);", ["SC_X"]), ("\tn = _Generic(n, long: 0, default: !SC_X);", ["SC_X"]),
    ("\tn = _Generic(n, int: n ? SC_X : 0);", ["SC_X"]), ("\tn = _Generic(SC_X, default: 0);", []),
    ("\tn = _Generic(n ? SC_X : 0, default: 0);", []), ("\tn = _Generic(n, SC_X: 0, default: 0);", []),
    ("\tn = _Generic(n, struct SC_X *: 0);", []), ("\tn = _Generic(n, int: (SC_X)0);", [])])
def test_offsetof_s_index_and_generic_s_results_are_read(body: str, found: list[str]) -> None:
    # offsetof()'s array index is any expression gcc evaluates (gcc's manual, Offsetof); _Generic evaluates the
    # association it selects, not its controlling expression nor a type (C11 6.5.1.1p3).
    assert [n for n in _names(body) if n not in ("a", "b")] == found, body


def test_a_parameter_in_offsetof_s_index_or_generic_s_result_is_an_expression() -> None:
    assert macro_reads(("x",), " offsetof(struct s, a[x])").values == {0}
    assert macro_reads(("x", "y"), " _Generic(x, int: y, default: 0)").values == {1}
    assert macro_reads(("x",), " _Generic((x), char: (char)0, default: 0)").values == frozenset()


@pytest.mark.parametrize(("body", "found"), [
    ("\tn = n ? SC_X : 0;", ["SC_X"]), ("\tn = n ? 1 + SC_X : 0;", ["SC_X"]), ("\tn = n ? m ? SC_X : 1 : 2;", ["SC_X"]),
    ("\tsc_use(n, (n ? SC_X : 0));", ["SC_X"]), ("\tn = n ? (int)SC_X : 0;", ["SC_X"]),
    ("\tn = n ? f(a) : SC_X;", ["SC_X"]), ("out: SC_X;", ["SC_X"]), ("out:\n\tn++;", []),
    ("\tswitch (n) {\n\tcase SC_X:\n\t\tbreak;\n\t}", []), ("\tswitch (n) {\n\tcase 1: SC_L:\n\t\tbreak;\n\t}", []),
    ("\tif (n)\n\t\tn++;\n\telse SC_L: n--;", [])])
def test_a_conditional_s_middle_operand_is_read_a_label_or_a_case_is_not(body: str, found: list[str]) -> None:
    # 'n ? SC_X : 0' evaluates SC_X where n holds (C11 6.5.15); 'SC_L:' is a label, 'case SC_X:' a constant (6.6p3).
    assert [n for n in _names(body) if n not in ("a", "m", "f", "break")] == found, body


@pytest.mark.parametrize(("body", "found"), [
    ('\tasm("" : : "r"(SC_X));', ["SC_X"]), ('\t__asm__("" : "=r"(SC_X));', ["SC_X"]),
    ('\tasm("" : : [v] "r"(SC_X + 1) : "memory");', ["SC_X"]), ('\tasm("" : : [SC_X] "r"(n));', []),
    ('\tasm("" : : "r"(sizeof(SC_X)));', []), ('\tasm goto("" : : : : SC_X);', [])])
def test_an_asm_operand_is_read(body: str, found: list[str]) -> None:
    # An asm operand's expression is evaluated (gcc's manual, Extended Asm); its symbolic name and a label are not.
    assert [n for n in _names(body) if n not in ("asm", "__asm__", "goto")] == found, body
    assert macro_reads(("x",), ' asm("" : : "r"(x + 1))').values == {0}


@pytest.mark.parametrize(("body", "found"), [
    ("\tn = SC_X * 2;", ["SC_X"]), ("\tif (SC_X * n)\n\t\tn++;", ["SC_X"]), ("\tsc_use(n, SC_X * 2);", ["SC_X"]),
    ("\treturn SC_X * n;", ["SC_X"]), ("\tn = SC_X[0];", ["SC_X"]), ("\tSC_X[n] = 1;", ["SC_X"]),
    ("\tsc_t *p = 0;", []), ("\tsc_t * const p = 0;", []), ("\tsc_t **p;", []), ("\tp = (sc_t *)q;", []),
    ("\tfor (sc_t *p = q; p; p++)\n\t\tn++;", []), ("\tint (*fn)(sc_t *p) = 0;", []), ("\tsc_use(n, (sc_t *)p);", []),
    ("\tp = (sc_t[]){ 1 };", []), ("\tsc_t a[2];", []), ("\tstruct { sc_t *p; } s;", []),
    ("\tn = sizeof(sc_t *);", [])])
def test_a_product_or_a_subscript_is_read_a_pointer_or_array_declarator_is_not(body: str, found: list[str]) -> None:
    # 'SC_X * 2' and 'SC_X[0]' evaluate SC_X; 'sc_t *p', '(sc_t *)q', 'sc_t a[2]' and '(sc_t[]){ 1 }' name a type.
    assert [n for n in _names(body) if n not in ("a", "p", "q", "s", "fn")] == found, body
    assert macro_reads(("x",), " (x * 2)").values == macro_reads(("x",), " x[0]").values == {0}
    assert macro_reads(("T", "p"), " ((T *)(p))").values == {1}


@pytest.mark.parametrize(("body", "found"), [
    ("\tn = (SC_X) * 2;", ["SC_X"]), ("\tn = (SC_X) & 1;", ["SC_X"]), ("\tn = (SC_X) * ' ';", ["SC_X"]),
    ("\tn = (int)SC_X * 2;", ["SC_X"]), ("\tn = (int)SC_X * *p;", ["SC_X"]), ("\tn = SC_X * *p;", ["SC_X"]),
    ("\treturn SC_X * *p;", ["SC_X"]), ("\tif (SC_X * *p)\n\t\tn++;", ["SC_X"]), ("\tif (n)\n\t\tSC_X * n;", ["SC_X"]),
    ("\tn = __builtin_va_arg(SC_X, sc_t);", ["SC_X"]), ("\tn = (SC_X) - 1;", []), ("\tn = (SC_X) & n;", []),
    ("\tn = (SC_X) * p;", []), ("\tn = (SC_X) * (p);", []), ("\tsc_t * *p;", []), ("\t__aligned(8) sc_t *p;", []),
    ("\tint a __attribute__((aligned(8))), *p;", []), ("\tn = sizeof(__builtin_va_arg(SC_X, int));", [])])
def test_an_operand_no_type_can_be_and_va_arg_s_list_are_read(body: str, found: list[str]) -> None:
    # '(T) * 2' and '(T) & 1' are no casts (unary '*' and '&' take no constant); after an operator, a condition's '('
    # or a cast's ')' a name is an operand ('n = SC_X * *p'); __builtin_va_arg evaluates its va_list, not its type.
    # '(SC_X) - 1', '(SC_X) & n' and '(SC_X) * p' are casts as much as groupings: a name no file defines keeps the cast.
    assert [n for n in _names(body) if n not in ("a", "p", "sc_t")] == found, body
    assert macro_reads(("v", "T"), " __builtin_va_arg(v, T)").values == {0}
    assert macro_reads(("x",), " ((x) * 2)").values == macro_reads(("x",), " (int)x * *p").values == {0}


@pytest.mark.parametrize("body", ["\tn = (SC_X) - 1;", "\tn = (SC_X) & n;", "\tn = (SC_X) * n;", "\tn = (SC_X)(n);",
                                  "\tn = (SC_X) + 1;"])
@pytest.mark.parametrize(("types", "found"), [(None, []), (frozenset({"SC_X"}), []), (frozenset(), ["SC_X"]),
                                              (frozenset({"sc_t"}), ["SC_X"])])
def test_a_name_syntax_leaves_a_cast_s_or_a_value_is_a_type_only_among_types(body: str, types: frozenset[str] | None,
                                                                              found: list[str]) -> None:
    lines = _FN.format(body).splitlines()
    assert [name for _, name, use in body_values(lines, frozenset(), types=types) if name != "n"] == found, body


@pytest.mark.parametrize("body", ["\tn = (SC_X)n;", "\tn = (SC_X)1;", "\tn = (SC_X)~n;", "\tn = (SC_X)'c';",
                                  "\tn = (SC_X){ 1 };"])
def test_a_cast_syntax_tells_is_one_whatever_the_types(body: str) -> None:
    lines = _FN.format(body).splitlines()
    assert [name for _, name, _ in body_values(lines, frozenset(), types=frozenset()) if name != "n"] == [], body


# A statement starting 'X *': a product or a pointer declaration. (statement, the names of X and of whatever
# follows read where the files use X as a type elsewhere, and where they do not)
_STATEMENTS = [("\tSC_X * *q;", ["q"], ["SC_X", "q"]), ("\tSC_X * *p;", ["SC_X", "p"], ["SC_X", "p"]),
               ("\tSC_X * q, n;", ["q", "n"], ["SC_X", "q", "n"]),
               ("\tSC_X * q[1];", ["q"], ["SC_X", "q"]), ("\tSC_X * f(n);", ["f"], ["SC_X", "f"]),
               ("\tSC_X * (q);", ["q"], ["SC_X", "q"]),
               ("\tn++;\n\tSC_X * *q;", ["n", "q"], ["n", "SC_X", "q"]),
               ("\tif (n) {\n\t\tSC_X * *p;\n\t}", ["if", "n", "p"], ["if", "n", "SC_X", "p"]),
               ("\tint *q = p;\n\n\tSC_X * *q;", ["q", "p", "SC_X", "q"], ["q", "p", "SC_X", "q"]),
               ("\tint *q = p;\n\n\t{\n\t\tSC_X * *q;\n\t}", ["q", "p", "q"], ["q", "p", "SC_X", "q"]),
               ("\ts.q = p;\n\tSC_X * *q;", ["s", "p", "q"], ["s", "p", "SC_X", "q"]),
               ("\tSC_X * 2;", ["SC_X"], ["SC_X"]), ("\tSC_X * -n;", ["SC_X", "n"], ["SC_X", "n"]),
               ("\tSC_X * q + 1;", ["SC_X", "q"], ["SC_X", "q"]), ("\tSC_X * q->n;", ["SC_X", "q"], ["SC_X", "q"]),
               ("\tSC_X * q == n;", ["SC_X", "q", "n"], ["SC_X", "q", "n"]),
               ("\tif (n)\n\t\tn++;\n\telse\n\t\tSC_X * *q;", ["if", "n", "n", "SC_X", "q"],
                ["if", "n", "n", "SC_X", "q"]),
               ("\tfor (; SC_X * *q; )\n\t\tn++;", ["for", "SC_X", "q", "n"], ["for", "SC_X", "q", "n"]),
               ("\tSC_X * const q;", [], []), ("\tSC_X **q = p;", ["q", "p"], ["q", "p"]),
               ("\tint *q;", ["q"], ["q"]), ("out:\n\tSC_X * *q;", ["q"], ["SC_X", "q"]),
               ("\tn = n ? n : SC_X * *q;", ["n", "n", "n", "SC_X", "q"], ["n", "n", "n", "SC_X", "q"])]


@pytest.mark.parametrize(("body", "typed", "untyped"), _STATEMENTS)
def test_a_statement_starting_x_star_is_a_product_unless_a_declaration_of_a_type_the_files_use(
        body: str, typed: list[str], untyped: list[str]) -> None:
    # 'SC_X * *q;' is 'T **q;' but where q stands in the block already (a declaration would declare it again: C11
    # 6.7p3; a parameter in the function's block, 6.2.1p4; an inner block's may: 'if (n) { T **p; }'), after else
    # (6.8), in a for's condition, or with no declarator ('* 2', '* q + 1').
    lines = ["static void f(int n, int *p)", "{", *body.splitlines(), "}"]
    assert [n for _, n, _ in body_values(lines, frozenset(), types=frozenset({"SC_X"}))] == typed, body
    assert [n for _, n, _ in body_values(lines, frozenset(), types=frozenset())] == untyped, body

"""'X * q;' read as a pointer declaration where q's first later use is a pointer's (harness.pointeruse)."""

from __future__ import annotations

import pytest

from harness.pointeruse import declared_by_use, pointer_types
from harness.typednames import typed_names

# Each declares q: its first later occurrence where nothing declares it again is 'q->' or a unary '*q'.
_DECLARATIONS = ["void f(void) { sc_t *q; q->n = 1; }", "void f(void) { sc_t *q; q = g(); q->n = 1; }",
                 "void f(long *p) { sc_t *q; q = p; *q = 1; }", "void f(void) { sc_t *q; if (q) *q = 1; }",
                 "void f(void) { sc_t *q; if (!q) return; return *q; }", "void f(void) { sc_t *q; {\n q->n++; } }",
                 "void f(void) { sc_t *q; for (;;) { q->n = 0; } }", "void f(void) { sc_t *q; q = (q) + 1; *q = 0; }",
                 "void f(int m) { sc_t *q; return m ? *q : 0; }",
                 "void f(void) { n++; sc_t *q; return sizeof(*q); }", "void f(void) { sc_t *q; return ({ q->n; }); }",
                 "void f(void) { sc_t *q; switch (n) { case 1: *q = 0; } }",
                 "void f(void) { sc_t *q; for (q = 0; q; ) q->n = 1; }",
                 # a call of a function the text defines with a body between, or the use in its argument (h604)
                 "static void g(long *p) { }\nvoid f(void) { sc_t *q; g(&n); q->n = 1; }",
                 "static void g(long *p) { }\nvoid f(void) { sc_t *q; q = 0; g(q); g(&q->n); }",
                 "static int *g(long p) { return 0; }\nvoid f(void) { sc_t *q; g(*q); }"]
# Each leaves q a product's operand possible: no pointer's use, another q's, one a macro's argument or a
# directive may leave out, a statement a name starts between (a macro may declare q), or two '*'s.
_OPEN = ["void f(void) { sc_t *q; q = 0; }", "void f(void) { sc_t *q; }",
         "void f(void) { sc_t *q; struct s *q = &v; q->n = 1; }",
         "void f(void) { sc_t *q; { long *q = &n; *q = 1; } }", "void f(void) { sc_t *q; long n, *q; *q = 1; }",
         "void f(void) { sc_t *q; struct { long n; } q; q.n = 1; }",
         "void f(void) { sc_t *q;\n#if 0\n q->n = 1;\n#endif\n}",
         "void f(void) { sc_t *q; SC_NOP(q->n); }", "void f(void) { sc_t *q; if (q) SC_NOP(q->n); }",
         "void f(void) { sc_t *q; SC_DECL_Q; q->n = 1; }", "void f(void) { sc_t *q; n = 1; *q = 0; }",
         "void f(void) { sc_t **q; *q = 0; }", "void f(void) { sc_t *q, *r; q->n = 1; }",
         "void f(void) { sc_t *q; g(*q); }", "void f(void) { sc_t *q; m = n++ * q; }",
         "void f(void) { sc_t *q; } void g(void) { q->n = 1; }", "void f(int m) { m = sc_t * q; q->n = 1; }",
         "void f(void) { sc_t *q; long (q); *q = 1; }", "void f(void) { sc_t *q; return (long) *q; }",
         "void f(void) { sc_t *q; return ({ SC_DECL_Q; q->n; }); }",
         # a declaration, a label or a for's first clause between: a macro there may declare q
         "void f(void) { sc_t *q; long n = *q; }", "void f(void) { sc_t *q; static SC_DECL_Q; q->n = 1; }",
         "void f(void) { sc_t *q; struct s SC_Q_AT; q->n = 1; }", "void f(void) { sc_t *q; out: SC_DECL_Q; q->n = 1; }",
         "void f(void) { sc_t *q; for (SC_DECL_Q; ; ) q->n = 1; }", "void f(void) { sc_t *q; out: q->n = 1; }",
         "void f(void) { sc_t *q; return ({ long n = 1; q->n; }); }", "void f(void) { sc_t *q; n = sizeof(*q); }",
         "void f(void) { sc_t *q; for (i = 0; i < 2; i++) q->n = 1; }",
         # a call of a function the text only declares, or also #defines (the macro in force where it is called), or
         # the use inside another name's parenthesis within the call
         "static void g(long *p);\nvoid f(void) { sc_t *q; g(&n); q->n = 1; }",
         "static void g(void) { }\n#define g() struct s *q = 0\nvoid f(void) { sc_t *q; g(); q->n = 1; }",
         "static void g(long *p) { }\nvoid f(void) { sc_t *q; g(SC_X(q->n)); }",
         "SC_FN(g) { }\nvoid f(void) { sc_t *q; g(&n); q->n = 1; }"]


@pytest.mark.parametrize("text", _DECLARATIONS)
def test_a_later_pointer_s_use_makes_the_statement_a_declaration(text: str) -> None:
    assert pointer_types(text) == {"sc_t"}, text
    assert "sc_t" in typed_names([text]), text


@pytest.mark.parametrize("text", _OPEN)
def test_no_pointer_s_use_of_the_same_q_leaves_it_open(text: str) -> None:
    assert pointer_types(text) == frozenset(), text
    assert "sc_t" not in typed_names([text]), text


def test_declared_by_use_reads_the_tokens_from_the_statement_on() -> None:
    tokens = ["{", "sc_t", "*", "q", ";", "if", "(", "q", ")", "q", "->", "n", "=", "1", ";", "}"]
    assert declared_by_use(tokens, 1)
    assert not declared_by_use(tokens, 7)  # no 'X * q;' there
    assert not declared_by_use(["{", "sc_t", "*", "*", "q", ";", "*", "q", "=", "0", ";", "}"], 1)


def test_a_function_defined_under_if_0_is_no_call_s_proof() -> None:
    text = "#if 0\nstatic void g(long *p) { }\n#endif\nvoid f(void) { sc_t *q; g(&n); q->n = 1; }"
    assert "sc_t" not in typed_names([text])  # the conditional group blanked first (harness.typednames)
    assert "sc_t" in typed_names([text.replace("#if 0", "#if 1").replace("#endif", "").replace("#if 1", "")])

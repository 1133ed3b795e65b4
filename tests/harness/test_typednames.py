"""Names the files use as types somewhere (harness.typednames): what '(X) - 1' may stand for."""

from __future__ import annotations

import pytest

from harness.typednames import typed_names


@pytest.mark.parametrize("text", ["typedef long sc_t;", "typedef int (*sc_t)(int a);",
                                  "typedef struct { int a; } sc_t, *sc_p;", "typedef char sc_t[4];",
                                  "void f(void) { sc_t n; }", "void f(void) { static sc_t *p = 0; }",
                                  "void f(int n, sc_t *p) { }", "void f(sc_t n) { }",
                                  "void f(void) { const sc_t **pp; }",
                                  "void f(int n) { n = (sc_t)n; }", "void f(int n) { n = (sc_t)1; }",
                                  "void f(int n) { return (sc_t)n; }", "void f(int *p) { p = (sc_t *)p; }",
                                  "void f(int *p) { p = (const sc_t **)p; }", "int f(sc_t *p);",
                                  "static u64 f(int n, sc_t **pp);", "void f(int n) { n = (sc_t)'c'; }",
                                  "void f(int n) { n = (sc_t){ 1 }; }", "void f(int n) { n = sizeof(const sc_t); }",
                                  "void f(void) { sc_t *p = 0; }", "struct s { sc_t *p; };",
                                  "void f(void) { struct s { int n; sc_t **pp; } v; }",
                                  "void f(int m) { m = _Generic(m, sc_t: 1, default: 0); }",
                                  "void f(int m) { m = _Generic(m, const sc_t *: 1, default: 0); }",
                                  "void f(int m) { m = _Generic(m, long: (m ? 1 : 2), sc_t: 1); }",
                                  "#ifndef SC_H\n#define SC_H\nvoid f(void) { sc_t n; }\n#endif\n",
                                  "#ifdef C\nint a;\n#endif\nvoid f(void) { sc_t n; }\n"])
def test_a_type_s_use_names_it(text: str) -> None:
    assert "sc_t" in typed_names([text]), text


@pytest.mark.parametrize("text", ["void f(int n) { n = (sc_t) - 1; }", "void f(int n) { n = (sc_t) & n; }",
                                  "void f(int n) { n = (sc_t) * n; }", "void f(int n) { if (sc_t) n++; }",
                                  "void f(int n) { if (n) sc_t = 1; }", "void f(int n) { return sc_t * n; }",
                                  "void f(int n) { n = sc_t * *p; }", "void f(int n) { g(n, sc_t * n); }",
                                  "void f(int n) { struct sc_t *p; }", "void f(int n) { n = s.sc_t; }",
                                  "#define sc_t int x;\n", "void f(int n) { g(sc_t) n; }",
                                  "void f(int n) { n = sizeof(sc_t) n; }", "void f(int n) { n = sizeof(sc_t); }",
                                  "void f(int *p) { sc_t * *p; }", "void f(int n) { sc_t * q, n; }",
                                  "void f(int n) { sc_t * q[1]; }", "void f(int *p) { sc_t * p == 0; }",
                                  "void f(int n) { g(n, sc_t * p); }", "void f(int n) { return g(sc_t * p); }",
                                  "sc_t * p;", "void f(int m) { m = _Generic(sc_t, long: 1); }",
                                  "void f(int m) { m = _Generic(m, long: m ? sc_t : 0); }",
                                  "void f(int m) { m = _Generic(m, long: m ? 0, sc_t : 0); }",
                                  "void f(int m) { m = _Generic(m, long: g(m, sc_t), default: 0); }",
                                  "void f(int m) { m = _Alignof(sc_t); }", "void f(int m) { m = __alignof__(sc_t); }",
                                  "#if 0\nvoid f(void) { sc_t n; }\n#endif\n",
                                  "#ifdef C\nint a;\n#else\nvoid f(void) { sc_t n; }\n#endif\n",
                                  "void f(void) { sc_t n; }\n#endif\n", "#ifdef C\nvoid f(void) { sc_t n; }\n",
                                  "#ifndef G\nvoid f(void) { sc_t n; }\n#endif\n",
                                  "#ifndef SC_DEBUG\n#define SC_DEBUG 1\nvoid f(void) { sc_t n; }\n#endif\n",
                                  "#ifndef SC_H\n#define SC_H\n#ifdef C\ntypedef long sc_t;\n#endif\n#endif\n"])
def test_a_use_syntax_leaves_open_or_no_type_s_does_not(text: str) -> None:
    assert "sc_t" not in typed_names([text]), text

"""Brace elision in initializers (models/elision.py), as gcc reads it (C11 6.7.9p20).

Brace elision in initializers (models/elision.py): an aggregate member written without its braces takes the
initializers it needs (C11 6.7.9p20), as gcc reads it; the same program compiled by gcc too."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.models.cprog import run

HEAD = "struct p { u64 code; int e; };\nstruct w { struct p in; int a[2]; int c; };\n" \
       "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("code", "want"), [
    ("struct p t[2] = { 1, 2, 3, 4 }; return t[1].code * 10 + t[1].e;", 34),
    ("struct p t[4] = { 1, 2 }; return t[0].code * 10 + t[0].e + t[1].e * 100;", 12),
    ("struct p t[] = { 1, 2, 3 }; return ARRAY_SIZE(t) * 100 + t[1].code * 10 + t[1].e;", 230),
    ("struct p t[3] = { 1, 2, { 3 }, 4 }; return t[1].code * 100 + t[1].e * 10 + t[2].code;", 304),
    ("struct p t[] = { [2] = 1, 2, 3 }; return ARRAY_SIZE(t) * 100 + t[2].e * 10 + t[3].code;", 423),
    ("struct w v = { 1, 2, 3, 4, 5 }; return v.in.e * 1000 + v.a[0] * 100 + v.a[1] * 10 + v.c;", 2345),
    ("struct w v = { .in = 7, 8, .c = 9 }; return v.in.code * 100 + v.in.e * 10 + v.c;", 789),
    ("struct p s = { 9, 8 }; struct p t[] = { s, 1, 2 }; return ARRAY_SIZE(t) * 100 + t[0].e * 10 + t[1].e;", 282),
    ("int a[2][2] = { 1, 2, 3 }; return a[0][1] * 10 + a[1][0];", 23),
    ("char s[2][4] = { \"ab\", \"c\" }; return s[1][0] == 'c' && s[0][1] == 'b';", 1),
])
def test_an_aggregate_without_its_braces_takes_the_initializers_it_needs(code: str, want: int) -> None:
    out = run(HEAD + "\t" + code + "\n}\n")
    assert out.status == "ok", out.error
    assert out.ret == want


ELISION_C = """\
struct ent { u64 code; int err; const char *name; };
static const struct ent table[] = {
	0x8000020300000000ULL, -11, "no entropy",
	{ 0x8000000000000001ULL, -5, "fail" },
	0, 0,
};

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	struct { struct ent e; u8 b[2]; } x = { 1, 2, "x", 255, 256 };

	for (int i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].code == r)
			return i * 1000 + table[i].err + x.e.err * 100000 + x.b[1] * 10 + (table[i].name != NULL);
	return -1;
}
"""


def test_brace_elision_agrees_with_gcc(tmp_path: Path) -> None:
    from tests.harness.variantgen import header_result

    result = header_result(tmp_path, "el", "demo/el.h", ELISION_C, 0x8000000000000001)
    ok, big = result.outcome("el", "busy/ONE/ok/demo.c"), result.outcome("el", "busy/ONE/big/demo.c")
    assert (ok.ret, big.ret) == (2 * 1000 + 200000, 1000 - 5 + 200000 + 1), (ok.error, big.error)
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["el"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]

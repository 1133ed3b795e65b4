"""Enumerators a macro writes (X-macro lists, a macro per item), as gcc's preprocessor makes them.

Enumerators a macro writes: an X-macro list expanded inside an enum (``enum idx { ERRS(AS_ENUM) E_NR };``) or a
macro per item (``EN(A) EN(B)``) defines every enumerator it names, as gcc's preprocessor makes it; they were
unknown identifiers (the slicer split the enum's text at commas and kept the parts that were names)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.loader import Source, definitions
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import ret

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

XMACRO = r"""
#define EM_SUCCESS 0ULL
#define EM_OPERAND_INVALID 0xC000010000000000ULL
#define EM_RND_NO_ENTROPY 0x8000020300000000ULL
#define EM_STATUS_MASK 0xFFFFFFFF00000000ULL
#define EM_ERRS(X) X(SUCCESS) X(OPERAND_INVALID) X(RND_NO_ENTROPY)
#define EM_NAME(e) { EM_##e, #e },
#define EM_ENUM(e) EI_##e,
struct em_name { u64 code; const char *name; };
static const struct em_name em_names[] = { EM_ERRS(EM_NAME) };
enum em_idx { EM_ERRS(EM_ENUM) EI_NR };
#define EM_PAIRS(X) X(LOW, 3) X(HIGH, 9)
#define EM_VALUE(e, v) EV_##e = v,
enum { EM_PAIRS(EM_VALUE) EV_AFTER };

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int v = EV_HIGH;
	int i;

	for (i = 0; i < EI_NR; i++) {
		if ((err & EM_STATUS_MASK) == em_names[i].code) {
			pr_err("seamcall %s (%d of %d)\n", em_names[i].name, i, EI_NR);
			return i * 1000 + EI_RND_NO_ENTROPY * 100 + EV_AFTER * 10 + v + sizeof(EI_NR);
		}
	}
	return -1;
}
"""


def test_an_x_macro_enum_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # gcc: SUCCESS is item 0, RND_NO_ENTROPY item 2; EI_RND_NO_ENTROPY 2, EV_AFTER 10, EV_HIGH 9, sizeof 4
    result = agrees_with_gcc(tmp_path, "em", "demo/em.h", XMACRO, 0x8000020300000043, (313, 2313))
    logs = [[x.text for x in result.outcome("em", f"busy/ONE/{s}/demo.c").log] for s in ("ok", "big")]
    assert logs == [["seamcall SUCCESS (0 of 3)"], ["seamcall RND_NO_ENTROPY (2 of 3)"]]


def test_each_enumerator_is_listed_once() -> None:
    code = "#define EN(e) E_##e,\nenum idx { EN(A) EN(B) E_NR };\n"
    table = definitions((Source("t/x.h", ((1, tuple(code.split("\n"))),), True),))
    assert [(len(table[n]), table[n][0].line) for n in ("E_A", "E_B", "E_NR", "enum idx")] == [(1, 2)] * 4


def test_an_item_macro_enum_and_an_unknown_macro() -> None:
    head = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
    # a typedef of an anonymous enum (no tag another use could bring in), its enumerators named by a macro each
    assert ret("#define EN(e, v) E_##e = v,\ntypedef enum { EN(A, 2) EN(B, 7) } idx_t;\n" + head
               + "\treturn E_B;\n}\n") == 7
    from tests.models.cprog import run

    out = run("enum idx { NOPE(A) E_NR };\n" + head + "\treturn E_NR;\n}\n")  # gcc: a syntax error
    assert out.status == "error" and "test/prog.c:4" in (out.error or ""), out.error

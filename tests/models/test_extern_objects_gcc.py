"""An object only declared extern: its address is a pointer the code may hold (models.storage).

An object only declared extern (defined in a file the mirror does not have) of a struct type, complete or never
defined, or an array of known length (models.storage): its address is a pointer the code may hold, pass, test and
write through (C11 6.5.3.2: taking it reads nothing), a member or element the run wrote is read back, and one it did
not is refused where read, naming the declaration; gcc, through `seamharness crosscheck`, agrees on what runs (the
native build gives an object of a type never defined storage of the assembler's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL
from tests.models.cprog import PATH, busy_agrees_with_gcc, line_of, run

DECLS = """\
struct seam_opaque;
struct seam_ctx { u64 last; u32 fails; u32 flags; };
extern struct seam_opaque seam_token;
extern struct seam_ctx seam_stats;
extern u64 seam_row[4];
extern u64 seam_tbl[];
"""

CODE = DECLS + """
static int seam_note(struct seam_opaque *t, struct seam_ctx *c, u64 err)
{
	if (!t)
		return -1;
	c->last = err;
	c->fails++;
	return 0;
}

long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;
	struct seam_ctx *c = &seam_stats;
	u64 *row = seam_row;
	u32 *fails = &seam_stats.fails;

	*fails = 0;
	row[1] = fn;
	r = seam_note(&seam_token, c, fn);
	r = r * 1000 + seam_stats.fails + (seam_stats.last == fn) * 10 + (&seam_token != NULL) * 100;
	r = r * 1000 + (row[1] & 0xff) + (c == &seam_stats) * 7;
	return r;
}
"""


def test_an_extern_objects_address_is_held_passed_and_written_through() -> None:
    out = run(CODE)
    assert (out.status, out.ret) == ("ok", 111 * 1000 + 7), out.error
    state = dict(out.state)
    assert state["seam_stats"] == "{.last = 0, .fails = 1, .flags = <not modelled>}", state
    assert state["seam_row"] == "{<not modelled>, 0, <not modelled>, <not modelled>}", state


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_gcc_agrees_under_crosscheck(tmp_path: Path, source: str) -> None:
    busy_agrees_with_gcc(tmp_path, CODE, 40, ("ext", "demo/ext.h"), 0x0000030000000000, source)


ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("body", "needle", "says"), [
    ("\treturn seam_stats.last;\n", "return", "reading 'last': seam_stats is declared extern (test/prog.c:4)"),
    ("\tstruct seam_ctx c = seam_stats;\n\n\treturn c.fails;\n", "return", "reading 'fails': seam_stats is declared "
     "extern"),
    ("\tseam_stats.fails++;\n\treturn 0;\n", "fails++", "reading 'fails': seam_stats is declared extern"),
    ("\treturn seam_row[2];\n", "return", "reading 'seam_row[2]': seam_row is declared extern (test/prog.c:5)"),
    ("\treturn seam_tbl[1];\n", "return", "seam_tbl is declared extern without a length (test/prog.c:6)"),
    ("\tu64 *p = seam_tbl;\n\n\treturn *p;\n", "return", "seam_tbl is declared extern without a length"),
    ("\treturn seam_tbl + 1 != NULL;\n", "return", "its elements and its length are not known"),
    ("\treturn sizeof(seam_token);\n", "return", "struct seam_opaque is used but never defined"),
])
def test_what_the_run_did_not_write_is_refused_where_read(body: str, needle: str, says: str) -> None:
    code = DECLS + ENTRY + body + "}\n"
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert f"{PATH}:{line_of(code, needle)}: " in (out.error or "") and says in (out.error or ""), out.error


def test_a_whole_struct_written_first_is_the_runs() -> None:
    out = run(DECLS + ENTRY + "\tseam_stats = (struct seam_ctx){ .fails = 2 };\n\n"
              "\treturn seam_stats.fails + seam_stats.last;\n}\n")
    assert (out.status, out.ret) == ("ok", 2), out.error


def test_an_extern_object_only_pointed_at_is_no_change_of_state() -> None:
    # its object is made where first used: it was listed as changed ('{.last = <not modelled>, ...}'), so a revision
    # passing &seam_stats where the other did not differed in state though neither wrote it
    out = run(DECLS + "static int seam_has(struct seam_ctx *c)\n{\n\treturn c != NULL;\n}\n\n" + ENTRY
              + "\treturn seam_has(&seam_stats) + (seam_row != NULL);\n}\n")
    assert (out.status, out.ret, out.state) == ("ok", 2, ()), out.error


# An array declared extern without a length is an object all the same: its address is no NULL pointer, two uses of
# it are one array, another object is not it (C11 6.3.2.1p3, 6.5.9p6); `seam_tbl != NULL` was refused as a read of
# its value. sizeof of it is gcc's build error (it was 0).
UNSIZED = DECLS + """
static int seam_has(const u64 *t)
{
	return t != NULL;
}

long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;
	const u64 *t = seam_tbl;

	r = seam_has(seam_tbl) + (seam_tbl != NULL) * 10 + (t == seam_tbl) * 100 + (t == seam_row) * 1000;
	r += !seam_tbl * 10000 + ((void *)seam_tbl == (void *)&seam_stats) * 20000 + (fn != 0);
	return r;
}
"""


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_an_extern_array_without_a_length_is_an_object_not_null_as_gcc_says(tmp_path: Path, source: str) -> None:
    out = run(UNSIZED)
    assert (out.status, out.ret) == ("ok", 111), out.error
    busy_agrees_with_gcc(tmp_path, UNSIZED, 40, ("unsized", "demo/unsized.h"), 0x0000030000000000, source)


def test_sizeof_an_array_without_a_length_is_gccs_build_error() -> None:
    for expr in ("sizeof(seam_tbl)", "ARRAY_SIZE(seam_tbl)", "sizeof(u64[])"):
        out = run(DECLS + ENTRY + f"\treturn {expr};\n}}\n")
        assert (out.status, out.error_kind) == ("error", "build"), (expr, out.ret, out.error)
        assert "invalid application of 'sizeof' to incomplete type" in (out.error or ""), out.error


def test_a_pointer_to_an_array_without_a_length_is_named_in_the_state() -> None:
    # It was '&(unnamed object)' for any of them: two revisions pointing at two arrays showed one state.
    code = ("extern u64 seam_tbl[], seam_alt[];\nstatic const u64 *seam_at;\n\n" + ENTRY
            + "\tseam_at = NAME;\n\treturn 0;\n}\n")
    states = [run(code.replace("NAME", name)).state for name in ("seam_tbl", "seam_alt")]
    assert states == [(("seam_at", "&seam_tbl[0]"),), (("seam_at", "&seam_alt[0]"),)], states

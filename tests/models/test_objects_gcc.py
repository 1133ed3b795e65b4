"""tests/models/test_objects.py's unions, member arrays, tag names and pasted names, compiled by gcc too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from harness.crosscheck import crosscheck_result
from harness.matrixresult import MatrixResult
from models.native.run import find_compiler
from tests.harness.variantgen import agrees_with_gcc, header_result
from tests.models.cprog import run

OBJECTS_C = """\
#define CAT(a, b) a##b
#define SEAM_RETRY_LOOPS 3
#define TRIES(kind) CAT(kind, _RETRY_LOOPS)

union pun { u64 full; u32 lo; u8 b; s8 sb; };
struct win { u32 n; u64 arr[3]; };
struct stats { u64 calls; u8 fails; };
static struct stats stats;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);
	union pun u = { .full = r | 0x1122334455667788ULL };
	union pun v;
	struct win w = { .n = 2 };
	struct win *p = &w;
	u32 *lo = &v.lo;

	u.b = 0xff;
	v.full = r;
	*lo += 0x80000001;
	w.arr[1] = r & 0xff;
	p->arr[2] = 7;
	p->arr[w.n] += TRIES(SEAM);
	stats.fails = r;
	stats.fails++;
	return u.sb * 1000 + (long long)(u.full & 0xffff) + v.full + (v.b << 8) + w.arr[1] * 100 + p->arr[2]
		+ CAT(BIT, _ULL)(20) * stats.fails;
}
"""


def _run(tmp_path: Path) -> MatrixResult:

    return header_result(tmp_path, "obj", "demo/obj.h", OBJECTS_C, 0x80000203000000FF)


def test_unions_member_arrays_and_pasted_names_agree_with_gcc(tmp_path: Path) -> None:
    result = _run(tmp_path)
    ok = result.outcome("obj", "busy/ONE/ok/demo.c")
    # u: ...77ff, sb -1; v: 0x80000001 (its low byte 1 << 8); arr 0, 10; stats.fails 1 << 20
    assert ok.status == "ok" and ok.ret == -1000 + 0x77FF + 0x80000001 + 0x100 + 0 + 10 + (1 << 20), ok.error
    big = result.outcome("obj", "busy/ONE/big/demo.c")
    assert big.status == "ok", big.error  # u8 stats.fails 0xff + 1 wraps to 0
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["obj"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


PUNNING_C = """\
static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args) | 0x8000000000000010ULL;
	u64 w = r;
	u32 *lo = (u32 *)&r;
	s16 *half = (s16 *)&w;
	u8 *byte = (u8 *)&w;
	s64 *same = (s64 *)&r;
	long long got = *lo;

	*half = -2;
	*byte += 3;
	got += *same / 1024 + (*lo >> 1);
	*lo = 0xfffffff0;
	return got + (long long)(r >> 4) + (long long)(w & 0xffffff);
}
"""


def test_an_integer_read_through_a_narrower_or_other_signed_pointer_is_its_low_bytes_as_gcc_reads_them(
        tmp_path: Path) -> None:
    # The kernel's -fno-strict-aliasing: *(u32 *)&u64_var is the low 4 bytes (x86-64 is little-endian), a write
    # through it changes only those. The mirror read the whole 64-bit value (0x8000000000000010 for 0x10).

    result = header_result(tmp_path, "pun", "demo/pun.h", PUNNING_C, 0x00000123000000F0)
    ok = result.outcome("pun", "busy/ONE/ok/demo.c")
    r = 0x8000000000000010
    w = (r & ~0xFFFF) | 0xFFFE
    w = (w & ~0xFF) | ((0xFE + 3) & 0xFF)
    r_signed = r - (1 << 64)
    expect = 0x10 - (-r_signed // 1024) + (0x10 >> 1) + (((r & ~0xFFFFFFFF) | 0xFFFFFFF0) >> 4) + (w & 0xFFFFFF)
    assert ok.status == "ok" and ok.ret == expect, (ok.error, ok.ret, expect)
    cross = crosscheck_result(result, find_compiler(None))
    assert cross.compared["pun"] == 2 and cross.disagreements == [], [d.divergence for d in cross.disagreements]


def test_an_object_read_through_a_wider_pointer_is_refused_not_read_whole() -> None:
    from tests.models.cprog import run

    head = "struct two { u64 a; u64 b; };\nstatic long long f(u64 fn, struct tdx_module_args *args)\n{\n"
    for body in ("\tu32 y = 5;\n\treturn *(u64 *)&y;\n}\n", "\tstruct two s = { .a = 3 };\n\treturn *(u64 *)&s;\n}\n"):
        out = run(head + body)
        assert out.status == "error" and out.error_kind == "unsupported", out.error
        assert "through a pointer to unsigned long long" in (out.error or "") and "prog.c:5" in (out.error or "")


# A variable an extern declaration names before its definition: the definition's object, initializer and all (the
# declaration was the one kept: the mirror read 0 and 0 where gcc reads 5 and 9).
DECLARED = """\
extern u32 dc_count;
extern u64 dc_tab[];
u32 dc_count = 5;
u64 dc_tab[2] = { 7, 9 };

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);

	return dc_count * 100 + dc_tab[1] + (r != 0);
}
"""


def test_a_variable_declared_extern_before_its_definition_is_the_definitions(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "dc", "demo/dc.h", DECLARED, 0x8000020300000042, (509, 510))


def test_a_variable_only_declared_extern_is_refused_where_read_before_written_not_read_as_zero() -> None:
    # Its definition is in a file the mirror does not have: the value it holds is not known (it read 0); read
    # before the run writes it (an element of an array too, a read-modify-write), it is refused.
    for body in ("return dc_count;", "dc_count++;\n\treturn 1;", "return dc_tab[1];"):
        code = ("extern u32 dc_count;\nextern u64 dc_tab[2];\nlong f(u64 fn, struct tdx_module_args *args)\n{\n\t"
                + body + "\n}\n")
        out = run(code)
        assert out.status == "error", (body, out.ret)
        assert (out.error or "").startswith("test/prog.c:"), out.error
        assert "is declared extern (test/prog.c:" in (out.error or "") and "not known" in (out.error or ""), out.error
    assert run("extern u32 dc_count;\nlong f(u64 fn, struct tdx_module_args *args)\n{\n\treturn dc_count;\n}\n"
               ).error == ("test/prog.c:4: dc_count is declared extern (test/prog.c:1) and defined in no file the "
                           "mirror has, and the run has not written it: the value it holds when the code runs is not "
                           "known")


# Written before it is read, it is the run's (as a per-CPU variable only DECLARE_PER_CPU() names): a later revision
# that keeps the last status in an object another file defines ran nothing (was refused at the write: 'the value
# it holds when the code runs is not known'); the one the run leaves is its state, the value before not known.
WRITTEN = """\
extern u32 dw_last;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);

	dw_last = (u32)r;
	dw_last += 1;
	return dw_last;
}
"""


def test_a_variable_only_declared_extern_is_the_runs_once_written(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "dw", "demo/dw.h", WRITTEN, 0x8000020300000042, (1, 0x43))
    assert ("dw_last", "67") in result.outcome("dw", "busy/ONE/big/demo.c").state, \
        result.outcome("dw", "busy/ONE/big/demo.c").state


# Variables declared with their struct, union or enum: after the brace that closes the type, not the initializers'
# last (they were unknown identifiers where an initializer followed, and after an enum always).
WITH_TYPE = """\
static struct wt_pair { int a; u8 b; } wt_one = { 7, 300 }, wt_two = { 2 };
static union { u32 w; u8 b[4]; } wt_u = { .w = 0x01020304 };
enum wt_state { WT_IDLE, WT_BUSY } wt_cur = WT_BUSY;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);

	wt_two.b = r;
	return wt_one.a * 100000 + wt_one.b * 1000 + wt_two.a * 100 + wt_u.b[0] * 10 + wt_cur + wt_two.b;
}
"""


def test_variables_declared_with_their_type_are_found(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "wt", "demo/wt.h", WITH_TYPE, 0x8000020300000042, (744241, 744241 + 0x42))


# A file-scope pointer to a function returning a typedef'd type: named by its declarator (it was filed under 'u64').
FN_POINTER = """\
static u64 fp_add(u64 x) { return x + 3; }
static u64 (*fp_op)(u64) = fp_add;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	return fp_op(__seamcall(fn, args) & 0xff);
}
"""


def test_a_file_scope_function_pointer_is_found_by_its_declarator(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "fp", "demo/fp.h", FN_POINTER, 0x8000020300000042, (3, 0x45))


# '#pragma pack' lays structs out packed (gcc: sizeof 5 here, 8 without it); the mirror read past the pragma and laid
# them out as x86-64 does by default, so sizeof and a union's bytes were not gcc's. Under pack(1) laid out packed, as
# gcc does (another pack(n) refused: tests/models/test_packed_structs_gcc.py), and not after '#pragma pack(pop)'.
PACKED = """\
#pragma pack(push, 1)
struct pk_one { u8 a; u32 b; };
typedef struct { u8 a; u64 b; } pk_two_t;
#pragma pack(pop)
struct pk_after { u8 a; u32 b; };
"""


def test_a_struct_under_pragma_pack_is_laid_out_as_gcc_lays_it_out(tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is not None:
        src = tmp_path / "p.c"
        src.write_text("#include <stdio.h>\ntypedef unsigned char u8;\ntypedef unsigned int u32;\n"
                       "typedef unsigned long long u64;\n" + PACKED
                       + 'int main(void)\n{\n\tprintf("%zu %zu %zu\\n", sizeof(struct pk_one), sizeof(pk_two_t), '
                       "sizeof(struct pk_after));\n\treturn 0;\n}\n")
        subprocess.run([gcc, "-o", str(tmp_path / "p"), str(src)], check=True, capture_output=True)
        assert subprocess.run([str(tmp_path / "p")], check=True, capture_output=True, text=True).stdout == "5 9 8\n"
    for t, size in (("struct pk_one", 5), ("pk_two_t", 9)):
        out = run(PACKED + f"long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn sizeof({t});\n}}\n")
        assert (out.status, out.ret) == ("ok", size), out.error
    out = run(PACKED + "long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn sizeof(struct pk_after);\n}\n")
    assert (out.status, out.ret) == ("ok", 8), out.error


def test_a_packed_typedef_struct_is_packed_and_an_aligned_variable_is_found(tmp_path: Path) -> None:
    # 'typedef struct { ... } __packed t;' was laid out unpacked (sizeof 8 where gcc says 5); 'static u8 v
    # __attribute__((aligned(16))) = 3;' was filed under 'aligned' (v an unknown identifier), and 'static struct
    # __attribute__((packed)) { ... } v;' read as a function of no name. Both are laid out packed, as gcc does.
    decls = ("typedef struct { u8 a; u32 b; } __attribute__((__packed__)) tq_t;\n"
             "static struct __attribute__((__packed__)) { u8 a; u32 b; } pv;\n"
             "static u8 av __attribute__((aligned(16))) = 3;\n")
    for use in ("sizeof(tq_t)", "sizeof(pv)"):
        out = run(decls + f"long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn {use};\n}}\n")
        assert (out.status, out.ret) == ("ok", 5), out.error
    out = run(decls + "long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn av * 10 + sizeof(av);\n}\n")
    assert (out.status, out.ret) == ("ok", 31), out.error
    gcc = shutil.which("gcc")
    if gcc is not None:
        src = tmp_path / "p.c"
        src.write_text("#include <stdio.h>\ntypedef unsigned char u8;\ntypedef unsigned int u32;\n" + decls
                       + 'int main(void)\n{\n\tprintf("%zu %zu %d\\n", sizeof(tq_t), sizeof(pv), av * 10 + '
                       "(int)sizeof(av));\n\treturn 0;\n}\n")
        subprocess.run([gcc, "-o", str(tmp_path / "p"), str(src)], check=True, capture_output=True)
        assert subprocess.run([str(tmp_path / "p")], check=True, capture_output=True, text=True).stdout == "5 5 31\n"


def test_an_array_the_mirror_could_not_read_is_said_to_be_so_where_indexed() -> None:
    # An initializer the parser does not read (a designator spelled with digraphs, which gcc reads): the array is
    # dropped, and indexing it said 'indexing a pointer (pointer arithmetic)', which it is not; an array nothing
    # defines is an unknown identifier.
    out = run("static int rd[4] = { <:0:> = 6 };\n"
              "long f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn rd[1];\n}\n")
    assert (out.error or "").startswith("test/prog.c:4: 'rd' is not available: test/prog.c:1: the digraph <: "
                                        "(C11 6.4.6p3) is not read by the mirror"), out.error
    out = run("long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn nowhere[1];\n}\n")
    assert out.error == "test/prog.c:3: unknown identifier 'nowhere'", out.error


# Variables whose names start with underscores, the kernel's way for a file's own (a later revision's cached
# result): each is the variable its declaration names (the slicer took 'u64' for the name, and the code that read it
# an unknown identifier), and gcc agrees on what they hold.
UNDERSCORED = """\
static u64 __seam_cached = 3;
static struct tdx_module_args __seam_args;
static unsigned int __seam_hits __read_mostly = 2;
static u64 *__seam_at = &__seam_cached;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);

	__seam_args.rcx = r;
	__seam_hits += (unsigned int)r;
	*__seam_at += 1;
	return (long long)(__seam_args.rcx >> 60) + __seam_hits * 100LL + __seam_cached * 10000LL;
}
"""


def test_variables_named_with_underscores_are_theirs(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "us", "demo/us.h", UNDERSCORED, 0x8000020300000042, (40200, 8 + 6800 + 40000))

"""A write to a const variable, member or element is a build failure, as gcc makes it.

A write to a variable declared const, or to a member or element of one, is a build failure at its FILE:LINE, as
gcc makes it ("assignment of read-only variable 'm'"): the mirror keeps no qualifiers in its types, and ran such
code (a next revision that makes 'ret' const and still retries into it passed as working code). So is a write
through a pointer variable declared to point at const ('const struct tdx_module_args *args; args->rcx = 0'). A
pointer to const may itself change, and a const pointer's target may be written: those run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import run

GCC = shutil.which("gcc") or shutil.which("cc")
pytestmark = pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")
HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
CASES = [
    ("\tconst u64 ret = 0;\n\tret = fn;\n\treturn ret;\n", 4, "assignment of read-only variable 'ret'"),
    ("\tconst int tries = 3;\n\tint n = 0;\n\twhile (tries--)\n\t\tn++;\n\treturn n;\n", 5,
     "decrement of read-only variable 'tries'"),
    ("\tconst struct tdx_module_args a = { .rcx = 1 };\n\ta.rcx = 2;\n\treturn a.rcx;\n", 4,
     "assignment of member 'rcx' in read-only object 'a'"),
    ("\tstatic const u64 codes[2] = { 1, 2 };\n\tcodes[1] += fn;\n\treturn codes[1];\n", 4,
     "assignment of location in read-only object 'codes'"),
    ("\tstruct tdx_module_args *const p = args;\n\tp = NULL;\n\treturn 0;\n", 4,
     "assignment of read-only variable 'p'"),
    ("\tconst struct tdx_module_args *c = args;\n\tc->rcx = fn;\n\treturn 0;\n", 4,
     "assignment of member 'rcx' in read-only object '*c'"),
    ("\tconst struct tdx_module_args *c = args;\n\tc->rdx++;\n\treturn 0;\n", 4,
     "increment of member 'rdx' in read-only object '*c'"),
    ("\tu64 a[2] = { 1, 2 };\n\tconst u64 *p = a;\n\n\tp[1] = fn;\n\t*p = 0;\n\treturn a[1];\n", 6,
     "assignment of location in read-only object '*p'"),
]


def _gcc_refuses(tmp_path: Path, body: str, pre: str = "") -> str:
    src = tmp_path / "ro.c"
    src.write_text("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx, rdx; };\n"
                   "#define NULL ((void *)0)\n" + pre + HEAD + body + "}\n")
    res = subprocess.run([str(GCC), "-fsyntax-only", str(src)], capture_output=True, text=True, check=False)
    assert res.returncode != 0, "gcc built it"
    return res.stderr


@pytest.mark.parametrize(("body", "line", "says"), CASES)
def test_a_write_to_a_const_object_fails_the_build(tmp_path: Path, body: str, line: int, says: str) -> None:
    assert "read-only" in _gcc_refuses(tmp_path, body)
    out = run(HEAD + body + "}\n")
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.ret)
    assert (out.error or "").startswith(f"test/prog.c:{line}: ") and says in (out.error or ""), out.error


def test_a_const_parameter_written_in_a_helper_fails_the_build(tmp_path: Path) -> None:
    helper = "static void fill(const struct tdx_module_args *a, u64 v)\n{\n\ta->rcx = v;\n}\n"
    src = tmp_path / "h.c"
    src.write_text("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx, rdx; };\n" + helper)
    res = subprocess.run([str(GCC), "-fsyntax-only", str(src)], capture_output=True, text=True, check=False)
    assert res.returncode != 0 and "read-only" in res.stderr
    out = run(helper + HEAD + "\tfill(args, fn);\n\treturn args->rcx;\n}\n")
    assert str(out.error_kind) == "build" and (out.error or "").startswith("test/prog.c:3: "), out.error


def test_what_const_leaves_writable_runs() -> None:
    # gcc builds and returns 7: a pointer to const moves, a const pointer's target and a copy of a const change
    body = ("\tconst u64 c = 3;\n\tu64 x = c;\n\tconst u64 *p = &c;\n\tu64 y = 1;\n\tu64 *const q = &y;\n\n"
            "\tp = &x;\n\t*q = 2;\n\tx++;\n\treturn *p + *q + c - 2;\n")
    out = run(HEAD + body + "}\n")
    assert (out.status, out.ret) == ("ok", 7), out.error


PRE = ("typedef const u64 ro_cu64;\ntypedef ro_cu64 ro_ccu64;\ntypedef const u64 *ro_cp64;\n"
       "struct ro_s { const int a; int b; };\nstruct ro_o { struct ro_s in; int c; };\n"
       "struct ro_h { const u64 *p; u64 *w; };\n"
       "static const struct tdx_module_args *ro_view(struct tdx_module_args *a)\n{\n\treturn a;\n}\n")
HIDDEN = [  # const reached through a typedef, typeof, a const member, a cast or a member pointer (found by helpers)
    ("\tro_cu64 x = 1;\n\tx = fn;\n\treturn x;\n", 4, "read-only variable 'x'"),
    ("\tro_ccu64 y = 1;\n\ty++;\n\treturn y;\n", 4, "read-only variable 'y'"),
    ("\tro_cp64 p = &args->rcx;\n\t*p = fn;\n\treturn 0;\n", 4, "read-only object '*p'"),
    ("\tconst u64 c = 1;\n\ttypeof(c) z = 2;\n\tz = fn;\n\treturn z;\n", 5, "read-only variable 'z'"),
    ("\ttypeof(const u64) z = 2;\n\tz += fn;\n\treturn z;\n", 4, "read-only variable 'z'"),
    ("\tstruct ro_s v = { 1, 2 };\n\tv.a = fn;\n\treturn v.a;\n", 4, "read-only member 'a'"),
    ("\tstruct ro_s v = { 1, 2 };\n\tstruct ro_s *sp = &v;\n\tsp->a++;\n\treturn v.a;\n", 5, "read-only member 'a'"),
    ("\tstruct ro_o w = {};\n\tw.in.a = fn;\n\treturn w.in.a;\n", 4, "read-only member 'a'"),
    ("\tstruct ro_s v = { 1, 2 }, v2 = v;\n\tv2 = v;\n\treturn v2.b;\n", 4, "read-only"),
    ("\t*(const u64 *)&args->rcx = fn;\n\treturn 0;\n", 3, "read-only object"),
    ("\t((const u64 *)&args->rcx)[0] = fn;\n\treturn 0;\n", 3, "read-only object"),
    ("\tstruct ro_h h = { &args->rcx, &args->rdx };\n\t*h.p = fn;\n\treturn 0;\n", 4, "read-only object"),
    ("\tconst u64 *p = &args->rcx;\n\t*(p + 1) = fn;\n\treturn 0;\n", 4, "read-only object"),
    ("\tconst u64 c = 1, *tbl[1] = { &c };\n\t*tbl[0] = fn;\n\treturn 0;\n", 4, "read-only object"),
    ("\tro_view(args)->rcx = fn;\n\treturn 0;\n", 3, "read-only object"),
]


@pytest.mark.parametrize(("body", "line", "says"), HIDDEN)
def test_a_const_the_declaration_hides_fails_the_build(tmp_path: Path, body: str, line: int, says: str) -> None:
    """gcc refuses each; the mirror ran them (its types keep no qualifiers, the declaration did not say const)."""
    assert "read-only" in _gcc_refuses(tmp_path, body, PRE)
    out = run(PRE + HEAD + body + "}\n")
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.ret, out.error)
    at = line + PRE.count("\n")
    assert (out.error or "").startswith(f"test/prog.c:{at}: ") and says in (out.error or ""), out.error


def test_what_a_hidden_const_leaves_writable_runs(tmp_path: Path) -> None:
    # gcc builds it and returns 7: a typedef'd pointer to const moves, a struct's other member and a pointer
    # member to non-const are written, typeof of an rvalue is not const
    body = ("\tu64 a = 2, b = 3;\n\tro_cp64 p = &a;\n\tstruct ro_s v = { 1, 2 };\n\tstruct ro_h h = { &a, &b };\n"
            "\ttypeof(a + 0) t = 0;\n\n\tp = &b;\n\tv.b = 1;\n\t*h.w = 4;\n\tt = 1;\n\treturn *p + v.b + t + a - 1;\n")
    src = tmp_path / "ok.c"
    src.write_text("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx, rdx; };\n" + PRE + HEAD + body
                   + "}\nint main(void) { return f(0, 0) != 7; }\n")
    res = subprocess.run([str(GCC), "-o", str(tmp_path / "ok"), str(src)], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    assert subprocess.run([str(tmp_path / "ok")], check=False).returncode == 0
    out = run(PRE + HEAD + body + "}\n")
    assert (out.status, out.ret) == ("ok", 7), out.error


DEEPER = [  # const reached through pointers to pointers, a statement expression, &x, typeof of *pp or of a value
    ("\tconst u64 *p = &args->rcx;\n\tconst u64 **pp = &p;\n\t**pp = fn;\n\treturn 0;\n", 5, "read-only"),
    ("\tconst u64 *p = &args->rcx;\n\tconst u64 **pp = &p;\n\tpp[0][0] = fn;\n\treturn 0;\n", 5, "read-only"),
    ("\tconst u64 *p = &args->rcx;\n\tconst u64 **pp = &p;\n\t(*pp)[1] = fn;\n\treturn 0;\n", 5, "read-only"),
    ("\tconst u64 *p = &args->rcx, **pp = &p, ***ppp = &pp;\n\t***ppp = fn;\n\treturn 0;\n", 4, "read-only"),
    ("\tu64 *p = &args->rcx;\n\tu64 *const *pp = &p;\n\t*pp = 0;\n\treturn 0;\n", 5, "read-only"),
    ("\t*({ const u64 *q = &args->rcx; q; }) = fn;\n\treturn 0;\n", 3, "read-only"),
    ("\t({ const u64 *q = &args->rcx; q + 1; })[-1] = fn;\n\treturn 0;\n", 3, "read-only"),
    ("\tconst u64 c = 1;\n\t*&c = fn;\n\treturn c;\n", 4, "read-only"),
    ("\tconst u64 *p = &args->rcx;\n\tconst u64 **pp = &p;\n\ttypeof(*pp) q = p;\n\t*q = fn;\n\treturn 0;\n", 6,
     "read-only"),
    ("\tconst u64 *p = &args->rcx;\n\ttypeof(p + 0) q = p;\n\tq[0] = fn;\n\treturn 0;\n", 5, "read-only"),
]


@pytest.mark.parametrize(("body", "line", "says"), DEEPER)
def test_a_const_reached_deeper_fails_the_build(tmp_path: Path, body: str, line: int, says: str) -> None:
    """gcc refuses each; the mirror ran them (it kept one level of pointer const, and none of a statement
    expression's value or of &x)."""
    assert "read-only" in _gcc_refuses(tmp_path, body)
    out = run(HEAD + body + "}\n")
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"test/prog.c:{line}: ") and says in (out.error or ""), out.error


def test_what_deeper_const_leaves_writable_runs(tmp_path: Path) -> None:
    # gcc builds it and returns 16: *pp of a pointer to a pointer to const moves, **pp of a const pointer to a
    # pointer is written, a statement expression's plain pointer is written through, typeof(*pp) of u64 ** too
    body = ("\tu64 a = 1, b = 2, *w = &a, **ww = &w;\n\tconst u64 *p = &a;\n\tconst u64 **pp = &p;\n"
            "\tu64 *const *cp = &w;\n\ttypeof(*ww) t = &b;\n\n\t*pp = &b;\n\t**cp = 5;\n"
            "\t*({ u64 *q = &b; q; }) = 7;\n\t*t += 1;\n\treturn **pp + a + 0 * fn;\n")
    src = tmp_path / "ok.c"
    src.write_text("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx, rdx; };\n" + HEAD + body
                   + "}\nint main(void) { return f(0, 0); }\n")
    res = subprocess.run([str(GCC), "-o", str(tmp_path / "ok"), str(src)], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    assert subprocess.run([str(tmp_path / "ok")], check=False).returncode == 13
    out = run(HEAD + body + "}\n")
    assert (out.status, out.ret) == ("ok", 13), out.error


ANON = "typedef struct { u64 a; const u64 c; struct { u32 lo; } w; } ro_anon_t;\nstatic ro_anon_t ro_g;\n"


@pytest.mark.parametrize("body", ["\tro_anon_t *p = &ro_g;\n\n\tp->c = fn;\n\treturn 0;\n",
                                  "\tro_anon_t *p = &ro_g;\n\n\t*&p->c = fn;\n\treturn 0;\n"])
def test_a_const_member_of_an_untagged_struct_fails_the_build(tmp_path: Path, body: str) -> None:
    """The members of an untagged struct (a typedef's) were not found: its const member was written."""
    assert "read-only" in _gcc_refuses(tmp_path, body, ANON)
    out = run(ANON + HEAD + body + "}\n")
    assert (str(out.error_kind), (out.error or "").split(": ")[0]) == ("build", "test/prog.c:7"), out.error


def test_a_member_of_an_untagged_struct_is_written_through_its_address() -> None:
    # gcc builds it and returns 7 (was refused: 'a pointer that may point at const')
    out = run(ANON + HEAD + "\tro_anon_t *p = &ro_g;\n\n\t(&p->w)->lo = 3;\n\t*&ro_g.a = 4 + fn;\n"
              "\treturn ro_g.w.lo + ro_g.a;\n}\n")
    assert (out.status, out.ret) == ("ok", 7), out.error


FNPTR_PRE = ("static u64 ro_g;\nstatic const u64 *ro_get(void)\n{\n\treturn &ro_g;\n}\n"
             "static u64 *ro_wget(void)\n{\n\treturn &ro_g;\n}\n"
             "typedef const u64 *(*ro_getter_t)(void);\n"
             "struct ro_ops { const u64 *(*get)(void); ro_getter_t get2; u64 *(*wget)(void); };\n"
             "static const struct ro_ops ro_my_ops = { ro_get, ro_get, ro_wget };\n"
             "static const struct tdx_module_args *ro_aget(void)\n{\n\treturn 0;\n}\n"
             "static void ro_use(const u64 *(*cb)(void))\n{\n\t*cb() = 1;\n}\n")
FNPTR = [  # a write through what a call through a function pointer returns, a pointer to const (found by h196)
    ("\tconst u64 *(*fp)(void) = ro_get;\n\t*fp() = fn;\n\treturn 0;\n", 4),
    ("\tconst u64 *(*fp)(void) = ro_get;\n\t*(*fp)() = fn;\n\treturn 0;\n", 4),
    ("\tro_getter_t fp = ro_get;\n\tfp()[0] = fn;\n\treturn 0;\n", 4),
    ("\t*ro_my_ops.get() = fn;\n\treturn 0;\n", 3),
    ("\t*ro_my_ops.get2() += fn;\n\treturn 0;\n", 3),
    ("\tconst struct ro_ops *o = &ro_my_ops;\n\t(*o->get())++;\n\treturn 0;\n", 4),
    ("\tconst u64 *(*fps[1])(void) = { ro_get };\n\t*fps[0]() = fn;\n\treturn 0;\n", 4),
    ("\t*(&ro_get)() = fn;\n\treturn 0;\n", 3),
    ("\ttypeof(&ro_get) fp = ro_get;\n\t*fp() = fn;\n\treturn 0;\n", 4),
    ("\tconst struct tdx_module_args *(*ap)(void) = ro_aget;\n\tap()->rcx = fn;\n\treturn 0;\n", 4),
    ("\t*((const u64 *(*)(void))ro_wget)() = fn;\n\treturn 0;\n", 3),
    ("\t*(fn ? ro_my_ops.get : ro_my_ops.get2)() = 1;\n\treturn 0;\n", 3),
]


@pytest.mark.parametrize(("body", "line"), FNPTR)
def test_a_write_through_a_function_pointers_const_result_fails_the_build(tmp_path: Path, body: str, line: int
                                                                         ) -> None:
    """gcc refuses each ('assignment of read-only location'); the mirror ran them: only a call of a function the
    code defines had its return type's const looked at."""
    assert "read-only" in _gcc_refuses(tmp_path, body, FNPTR_PRE.replace("\t*cb() = 1;\n", ""))
    out = run(FNPTR_PRE.replace("\t*cb() = 1;\n", "") + HEAD + body + "}\n")
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.ret, out.error)
    at = line + FNPTR_PRE.count("\n") - 1
    assert (out.error or "").startswith(f"test/prog.c:{at}: ") and "read-only" in (out.error or ""), out.error


def test_a_write_through_a_function_pointer_parameters_const_result_fails_the_build(tmp_path: Path) -> None:
    assert "read-only" in _gcc_refuses(tmp_path, "\tro_use(ro_get);\n\treturn 0;\n", FNPTR_PRE)
    out = run(FNPTR_PRE + HEAD + "\tro_use(ro_get);\n\treturn 0;\n}\n")
    assert (str(out.error_kind), (out.error or "").split(": ")[0]) == ("build", "test/prog.c:19"), out.error


def test_what_a_function_pointer_returns_writable_is_written(tmp_path: Path) -> None:
    # gcc builds it and returns 9: a function pointer to u64 *, a member of a const struct of them, a cast to one
    body = ("\tu64 *(*fp)(void) = ro_wget;\n\tstruct ro_ops o = { ro_get, ro_get, ro_wget };\n\n\t*fp() = 5;\n"
            "\t*o.wget() += 1;\n\tro_my_ops.wget()[0]++;\n\t*((u64 *(*)(void))ro_get)() += 2 + 0 * fn;\n"
            "\treturn ro_g + (o.get != 0);\n")
    pre = FNPTR_PRE.replace("\t*cb() = 1;\n", "")
    src = tmp_path / "ok.c"
    src.write_text("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx, rdx; };\n" + pre + HEAD + body
                   + "}\nint main(void) { return f(0, 0); }\n")
    res = subprocess.run([str(GCC), "-o", str(tmp_path / "ok"), str(src)], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    assert subprocess.run([str(tmp_path / "ok")], check=False).returncode == 10
    out = run(pre + HEAD + body + "}\n")
    assert (out.status, out.ret) == ("ok", 10), out.error


# arch/x86/include/asm/percpu.h percpu_to_op(): the variable is the asm's "+m" output
PCPU_GCC = ('#define this_cpu_write(v, x) asm volatile("movq %1, %%gs:%0" : "+m"(v) : "re"((u64)(x)))\n'
            "#define this_cpu_inc(v) this_cpu_write(v, 1)\nstatic const u64 ro_pc;\n")


@pytest.mark.parametrize("op", ["this_cpu_write(ro_pc, fn)", "this_cpu_inc(ro_pc)"])
def test_a_per_cpu_write_to_a_const_per_cpu_variable_fails_the_build(tmp_path: Path, op: str) -> None:
    """gcc: "read-only variable 'ro_pc' used as 'asm' output"; the mirror wrote it."""
    assert "read-only" in _gcc_refuses(tmp_path, f"\t{op};\n\treturn 0;\n", PCPU_GCC)
    out = run("static DEFINE_PER_CPU(const u64, ro_pc);\n" + HEAD + f"\t{op};\n\treturn 0;\n}}\n")
    assert (str(out.error_kind), (out.error or "").split(": ")[0]) == ("build", "test/prog.c:4"), out.error
    assert "read-only variable 'ro_pc'" in (out.error or "")


NESTED_ANON = ("union ro_st { u64 raw; struct { u32 details; union { u16 cls; u8 b[2]; } c; const u8 sub; }; };\n"
               "static union ro_st ro_gs;\n")


@pytest.mark.parametrize(("body", "says"), [
    ("\tro_gs.sub = fn;\n\treturn 0;\n", "read-only member 'sub'"),
    ("\tunion ro_st *p = &ro_gs;\n\n\tp->sub++;\n\treturn 0;\n", "read-only member 'sub'"),
    ("\ttypeof(ro_gs.sub) x = 1;\n\n\tx = fn;\n\treturn x;\n", "read-only variable 'x'"),
])
def test_a_const_member_of_an_anonymous_struct_fails_the_build(tmp_path: Path, body: str, says: str) -> None:
    """A member of an anonymous struct or union member (C11 6.7.2.1p13) was not found: its const was not seen (the
    write ran), and typeof() of it was refused as not modelled (found by h196's generator)."""
    assert "read-only" in _gcc_refuses(tmp_path, body, "typedef unsigned int u32;\ntypedef unsigned short u16;\n"
                                       "typedef unsigned char u8;\n" + NESTED_ANON)
    out = run(NESTED_ANON + HEAD + body + "}\n")
    at = NESTED_ANON.count("\n") + 2 + body[:body.rindex(";\n\treturn")].count("\n") + 1
    assert (str(out.error_kind), (out.error or "").split(": ")[0]) == ("build", f"test/prog.c:{at}"), out.error
    assert says in (out.error or ""), out.error


def test_a_member_of_an_anonymous_struct_is_written_through_a_pointer_typed_by_typeof() -> None:
    # gcc returns 5 << 32: c's first byte at offset 4 (refused before: 'a pointer that may point at const')
    out = run(NESTED_ANON + HEAD + "\ttypeof(ro_gs.c) *pc = &ro_gs.c;\n\n\tpc->b[0] = 5;\n\treturn ro_gs.raw;\n}\n")
    assert (out.status, out.ret) == ("ok", 5 << 32), out.error


def test_typeof_unqual_drops_the_types_own_const() -> None:
    """C23 6.7.2.5p5 (gcc 14's __typeof_unqual__; the gcc here has neither, so the standard is the reference):
    typeof_unqual(const u64) is u64, written as any; a pointer to const keeps its target's const (the build fails
    at the write through it, as gcc's typeof would)."""
    body = ("\tconst u64 c = fn;\n\ttypeof_unqual(const u64) a = fn;\n\t__typeof_unqual__(c) b = 2;\n\n"
            "\ta += 1;\n\tb++;\n\treturn a + b;\n")
    out = run(HEAD + body + "}\n")
    assert (out.status, out.ret) == ("ok", 4), out.error
    body = "\tconst u64 c = fn;\n\ttypeof_unqual(const u64 *) p = &c;\n\n\t*p = 1;\n\treturn 0;\n"
    out = run(HEAD + body + "}\n")
    assert (out.status, out.error_kind) == ("error", "build") and "read-only" in (out.error or ""), out.error


# typeof in a file-scope declaration (a static_call()-like hook: 'static typeof(seam_real) *hook = seam_real;'): a
# function designator has no qualifiers, a file-scope variable its declaration's. The hook's update was refused as
# 'declared by typeof of an lvalue whose qualifiers are not modelled'.
FILE_TYPEOF = ("static u64 seam_real(u64 fn)\n{\n\treturn fn + 1;\n}\n\n"
               "static u64 seam_fake(u64 fn)\n{\n\treturn 7;\n}\n\n"
               "static const u64 seam_k = 5;\nstatic u64 seam_w = 2;\n"
               "static typeof(seam_real) *seam_hook = seam_real;\n"
               "static typeof(seam_k) seam_c = 3;\nstatic typeof(seam_w) seam_v = 4;\nstatic typeof(seam_k) *seam_p;\n")


def test_a_file_scope_typeof_keeps_what_its_operand_has(tmp_path: Path) -> None:
    body = "\tu64 r = seam_hook(fn);\n\n\tseam_hook = seam_fake;\n\tseam_v++;\n\tseam_p = &seam_w;\n" \
           "\treturn r + seam_hook(fn) * 10 + seam_v * 100 + *seam_p * 1000 + seam_c * 10000;\n"
    out = run(FILE_TYPEOF + HEAD + body + "}\n")
    assert (out.status, out.ret) == ("ok", 1 + 70 + 500 + 2000 + 30000), out.error
    for body, says in (("\tseam_c = fn;\n\treturn 0;\n", "read-only variable 'seam_c'"),
                       ("\tseam_p = &seam_w;\n\t*seam_p = fn;\n\treturn 0;\n", "read-only object '*seam_p'")):
        assert "read-only" in _gcc_refuses(tmp_path, body, FILE_TYPEOF)
        out = run(FILE_TYPEOF + HEAD + body + "}\n")
        assert (out.status, str(out.error_kind)) == ("error", "build") and says in (out.error or ""), out.error

"""Unions, member arrays, per-CPU struct members, tag names and pasted macro names, with gcc's values.

Expected values are gcc's for the same code (x86-64, little-endian; tests/models/test_objects_gcc.py runs
it through gcc); what the mirror does not model is refused with the line, never guessed.
"""

from __future__ import annotations

import pytest

from tests.models.cprog import PATH, ret, run


def fn(body: str, ret_type: str = "u64", head: str = "") -> str:
    return f"{head}\nstatic {ret_type} f(u64 fn, struct tdx_module_args *args)\n{{\n{body}\n}}\n"


PUN = "union pun { u64 full; u32 lo; u8 b; s8 sb; bool flag; };\n"


@pytest.mark.parametrize(("body", "want"), [
    # Every member at offset 0, sharing little-endian bytes: writing one is reading the others.
    ("\tunion pun u = { .full = 0x1122334455667788 };\n\tu.b = 0xff;\n"
     "\treturn u.sb * 1000 + (long long)(u.full & 0xffff);", -1000 + 0x77ff),
    ("\tunion pun u;\n\tu.full = 0x1122334455667788ULL;\n\treturn u.lo;", 0x55667788),
    ("\tunion pun u = { .full = 0x100 };\n\tu.lo += 0xffffffff;\n\treturn u.full;", 0xff),
    ("\tunion pun u = { .full = 0 };\n\tu32 *p = &u.lo;\n\t*p = 0x80000001;\n\treturn u.full + u.flag;", 0x80000002),
    ("\tunion pun u = {};\n\tu.sb = -2;\n\treturn u.full;", 0xfe),
])
def test_union_members_share_their_bytes(body: str, want: int) -> None:
    assert ret(fn(body, "long long", PUN)) == want


def test_a_static_union_starts_all_zero_and_is_one_object() -> None:
    code = fn("\tunion pun *p = &g;\n\tg.b = 0x80;\n\tp->full |= 0x100;\n\treturn g.full + g.b;", head=PUN +
              "static union pun g;")
    assert ret(code) == 0x180 + 0x80


@pytest.mark.parametrize(("body", "message"), [
    # Bytes past the initialized member are unspecified (C11 6.7.9p10; gcc 15 no longer zeroes them).
    ("\tunion pun u = { .b = 1 };\n\treturn u.full;",
     "test/prog.c:6: reading union member 'full': its bytes past 'b' are not modelled"),
    # A _Bool holding 2 has no value gcc defines.
    ("\tunion pun u = { .full = 2 };\n\treturn u.flag;",
     "test/prog.c:6: reading union member 'flag': a _Bool holding the byte 0x2"),
])
def test_union_bytes_the_mirror_does_not_know_are_refused(body: str, message: str) -> None:
    out = run(fn(body, "u64", PUN))
    assert out.status == "error" and message in (out.error or ""), out.error


@pytest.mark.parametrize(("body", "want"), [
    # Struct and array members of integers have bytes too, laid out as gcc lays them out (gcc's values).
    ("\tunion mix u = { .full = 0x1122334455667788 };\n\treturn u.s.a + u.s.b;", 0x55667788 + 0x11223344),
    ("\tunion mix u = { .full = 0x1122334455667788 };\n\treturn u.raw[0] + u.raw[7];", 0x88 + 0x11),
    ("\tunion mix u = {};\n\tu.s.a = 1;\n\tu.s.b = 2;\n\treturn u.full;", 0x200000001),
    ("\tunion mix u = {};\n\tu.raw[6] = 1;\n\tu.s.a |= 0xff;\n\treturn u.full;", 0x10000000000ff),
    ("\tunion mix u = {};\n\tu.s.b = 7;\n\treturn u.s.b;", 7),
    # Padding: storing a member of the struct keeps the bytes between its members (gcc stores 2 bytes).
    ("\tunion pad u = { .full = 0x1122334455667788 };\n\tu.p.a = 7;\n\treturn u.full;", 0x1122334455660007),
    ("\tunion pad u = { .full = ~0ULL };\n\tmemset(&u.p, 0, sizeof(u.p));\n\tu.p.b = 2;\n\treturn u.full;",
     0x200000000),  # memset() zeroes the padding too
])
def test_union_members_of_integers_share_their_bytes(body: str, want: int) -> None:
    head = "union mix { u64 full; struct { u32 a, b; } s; u8 raw[8]; };\n" \
        "struct pd { u16 a; u32 b; };\nunion pad { struct pd p; u64 full; };\n"
    assert ret(fn(body, "u64", head)) == want


def test_union_members_whose_bytes_are_not_modelled_are_refused_not_guessed() -> None:
    head = "union mix { u64 full; u64 *p; u16 h[4]; struct { u32 a, b; } s; };\nstruct pd { u16 a; u32 b; };\n" \
        "union pad { struct pd p; u64 full; };\n"
    # A member changed through a pointer to it is found when the union is read next (gcc's 0x30002) ...
    assert ret(fn("\tunion mix u = { .full = 1 };\n\tu16 *a = &u.h[1];\n\tu64 *f = &u.full;\n\t*f = 2;\n"
                  "\t*a = 3;\n\treturn u.full;", "u64", head)) == 0x30002
    # ... and so are two, each through a pointer to a scalar in it, in the order written (gcc's 0x200030001) ...
    assert ret(fn("\tunion mix u = { .full = 1 };\n\tu16 *a = &u.h[1];\n\tu32 *b = &u.s.b;\n\t*b = 2;\n"
                  "\t*a = 3;\n\treturn u.full;", "u64", head)) == 0x200030001
    # ... and a write through a pointer to a struct in a member after another member changed (gcc's 1): what it
    # reaches takes the union's bytes first (models.unions.holders)
    assert ret(fn("\tunion mix u = { .full = 1 };\n\ttypeof(u.s) *ps = &u.s;\n\tu16 *a = &u.h[1];\n"
                  "\t*a = 3;\n\tps->a = 1;\n\treturn u.full;", "u64", head)) == 1
    for body, why in (("\tunion mix u = {};\n\tu.p = &u.full;\n\treturn u.h[0];", "'p' was used last"),
                      ("\tunion pad u = { .full = 1 };\n\tstruct pd x = { 1, 2 };\n\tu.p = x;\n"
                       "\treturn u.full;", "struct assignment to 'struct pd' left its padding bytes unspecified")):
        out = run(fn(body, "u64", head))
        assert out.status == "error" and why in (out.error or ""), out.error


def test_bytes_of_a_union_never_written_are_an_uninitialized_read() -> None:
    out = run(fn("\tunion pun u;\n\tu.b = 1;\n\treturn u.full;", "u64", PUN))
    assert out.status == "error" and f"{PATH}:7: 'full' is read before it is set" in (out.error or ""), out.error


def test_an_array_member_is_indexed_as_gcc_does() -> None:
    head = "struct w { u32 n; u64 arr[3]; };"
    code = fn("\tstruct w w = { .n = 2 };\n\tstruct w *p = &w;\n\tu8 m[2][3] = {};\n\n\tw.arr[1] = 5;\n"
              "\tp->arr[2] = 7;\n\tp->arr[w.n]++;\n\tm[1][2] = 9;\n"
              "\treturn w.arr[1] * 100 + p->arr[2] + sizeof(w.arr[0]) + m[1][2] * 1000;", head=head)
    assert ret(code) == 500 + 8 + 8 + 9000
    out = run(fn("\tstruct w w = {};\n\tint i = 3;\n\treturn w.arr[i];", head=head))
    assert out.status == "error" and f"{PATH}:6: index 3 outside w.arr[3]" in (out.error or ""), out.error
    out = run(fn("\tstruct v v = {};\n\treturn v.p[1];", head="struct v { u64 *p; };"))
    assert out.status == "error" and "NULL pointer dereference" in (out.error or ""), out.error
    out = run(fn("\tu64 x = 1;\n\tstruct v v = { &x };\n\treturn v.p[1];", head="struct v { u64 *p; };"))
    assert out.status == "error" and "element 1 of a pointer to a single object (pointer arithmetic" \
        in (out.error or ""), out.error


STATS = "struct seam_stats { u64 calls; u8 fails; s8 delta; };\n"


def test_a_per_cpu_struct_members_accessors_have_the_members_type() -> None:
    # percpu-defs.h's this_cpu_*() are typed by typeof(pcp): a u8 member wraps, an s8 one reads negative.
    code = fn("\tthis_cpu_write(seam_stats.fails, 255);\n\tthis_cpu_inc(seam_stats.fails);\n"
              "\tthis_cpu_write(seam_stats.delta, 200);\n\tthis_cpu_add(seam_stats.calls, -1);\n"
              "\treturn this_cpu_read(seam_stats.fails) * 1000 + this_cpu_read(seam_stats.delta)\n"
              "\t\t+ (this_cpu_read(seam_stats.calls) == ~0ULL);", "int",
              STATS + "static DEFINE_PER_CPU(struct seam_stats, seam_stats);")
    assert ret(code) == 0 + -56 + 1


def test_a_per_cpu_struct_read_whole_or_through_an_unknown_member_is_refused() -> None:
    head = STATS + "DEFINE_PER_CPU(struct seam_stats, st);"
    out = run(fn("\treturn this_cpu_read(st);", "int", head))
    assert out.status == "error" and "per-CPU variable st has type struct seam_stats: only integers" in \
        (out.error or ""), out.error
    out = run(fn("\treturn this_cpu_read(st.nope);", "int", head))
    assert out.status == "error" and "per-CPU variable st.nope: struct seam_stats has no member 'nope'" in \
        (out.error or ""), out.error


def test_a_struct_tag_and_a_variable_of_one_name_are_both_kept() -> None:
    # C11 6.2.3: tags are a name space of their own (the kernel's "static struct foo foo;").
    assert ret(fn("\tseam_stats.fails = 3;\n\treturn seam_stats.fails;", "int",
                  STATS + "static struct seam_stats seam_stats;")) == 3


@pytest.mark.parametrize(("head", "expr", "want"), [
    # C11 6.10.3.3p3, 6.10.3.4: the token ## makes is rescanned, and expanded when it is a macro.
    ("#define CAT(a, b) a##b\n#define SEAM_RETRY_LOOPS 3\n#define TRIES(kind) CAT(kind, _RETRY_LOOPS)",
     "TRIES(SEAM)", 3),
    ("#define CAT(a, b) a##b", "CAT(BIT, _ULL)(40) + CAT(U32, _MAX)", (1 << 40) + 0xFFFFFFFF),  # the prelude's
    ("#define CAT3(a, b, c) a##b##c\n#define X_1_Y 7", "CAT3(X, _1, _Y)", 7),
])
def test_a_name_made_by_pasting_is_expanded_when_it_is_a_macro(head: str, expr: str, want: int) -> None:
    assert ret(fn(f"\treturn {expr};", "u64", head)) == want


def test_two_structs_alike_are_two_objects_to_pointer_equality() -> None:
    # gcc: &s == &t is 0 for two objects, however alike their members; the mirror compared them as values.
    body = ("\tstruct tdx_module_args s = { .rcx = 1 }, t = { .rcx = 1 }, *p = &s;\n\tstatic struct sl_x a, b;\n"
            "\treturn (&s == &t) + (p == &s) * 10 + (args == &s) * 100 + (&a == &b) * 1000 + (&a != &b) * 10000;")
    assert ret(fn(body, "u64", "struct sl_x { int n; };")) == 10010


def test_two_pointers_to_named_scalars_compare_by_the_object_they_name() -> None:
    # Each &x names its variable's object (tests/models/test_first_member_gcc.py checks gcc agrees); it was refused.
    assert ret(fn("\tint x = 1, y = 1;\n\tint *p = &x;\n\treturn (p == &y) + (p == &x) * 10;")) == 10


def test_comparing_a_pointer_into_an_array_with_a_struct_holding_it_is_refused() -> None:
    # A struct that holds the array is compared by offsets the mirror does not follow there, so the answer is not
    # guessed (a struct apart from the array, and a named scalar, are other objects: test_first_member_gcc.py).
    out = run(fn("\tstatic struct { u64 x[2]; u64 y; } h;\n\treturn (void *)h.x == (void *)&h.y;"))
    assert out.status == "error" and "comparing a pointer into an array" in (out.error or ""), out.error

"""A flexible array member in kmalloc(struct_size()) memory: its elements read and written as gcc's build does.

Before, indexing one was refused ("memory past the struct is not modelled"), whatever the allocation held: a helper
filling ``p->e[i]`` for the count it allocated was not run. Now the heap's struct holds every whole element the
memory reaches (models.flexarrays); one past them is KASAN's slab-out-of-bounds report, a run-time error; a struct
assignment copies only what sizeof() covers, the elements in the tail padding among them; krealloc() keeps them.
memcpy() and kmemdup() of a whole struct_size() allocation copy the elements too; kcalloc(n, sizeof(*p)) and
kmalloc_array() memory is n structs (p[1]). gcc -O2 below the raw prelude is the oracle (its memory is libc's). Where
the mirror does not hold the elements (a local or static struct), indexing them stays refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.test_prelude_named_functions_gcc import gcc_value, needs_cc

F = "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"
FL64 = "struct fl { u32 n; u64 e[]; };\n"
FL32 = "struct fl { u32 n; u32 e[]; };\n"
PADDED = "struct fl { u64 a; u8 n; u8 e[]; };\n"  # e at 9, sizeof 16: e[0..6] in the tail padding

RUN = {
    "kzalloc": FL64 + F % "({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if (p) "
                          "{ p->e[1] = 9; r = p->e[1] + p->e[0]; kfree(p); } r; })",
    "loop": FL32 + "static long long g(int n)\n{\n\tstruct fl *p = kmalloc(struct_size(p, e, n), GFP_KERNEL);\n"
                   "\tlong long s = 0;\n\n\tif (!p)\n\t\treturn -ENOMEM;\n\tp->n = n;\n\tfor (int i = 0; i < p->n; i++)"
                   "\n\t\tp->e[i] = i * 3;\n\tfor (int i = 0; i < p->n; i++)\n\t\ts = s * 10 + p->e[i];\n\tkfree(p);"
                   "\n\treturn s;\n}\n" + F % "g(4)",
    "padded": PADDED + F % "({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if (p) "
                           "{ p->e[5] = 7; r = p->e[5] + sizeof(*p) * 10; kfree(p); } r; })",
    "pointer": "struct fl { u32 n; u16 e[]; };\n"
               + F % "({ struct fl *p = kzalloc(struct_size(p, e, 3), GFP_KERNEL); long long r = -1; if (p) { "
                     "u16 *q = p->e; q[2] = 5; r = p->e[2] * 10 + (q + 3 - p->e); kfree(p); } r; })",
    "struct-elements": "struct ent { u32 a, b; };\nstruct fl { u32 n; struct ent e[]; };\n"
                       + F % "({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if (p) "
                             "{ p->e[1].b = 4; r = p->e[1].b + p->e[0].a; kfree(p); } r; })",
    "assignment": FL64 + F % "({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL), *q = kzalloc(struct_size(q, "
                             "e, 2), GFP_KERNEL); long long r = -1; if (p && q) { p->n = 1; p->e[0] = 5; *q = *p; "
                             "r = q->n * 10 + q->e[0]; } kfree(p); kfree(q); r; })",
    "assignment-padding": PADDED + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 10), GFP_KERNEL), *q = "
                                        "kzalloc(struct_size(q, e, 10), GFP_KERNEL); long long r = -1; if (p && q) { "
                                        "p->e[3] = 5; p->e[8] = 6; q->e[8] = 1; *q = *p; r = q->e[3] * 10 + q->e[8]; "
                                        "} kfree(p); kfree(q); r; })"),
    # memset() and memcpy() of sizeof() bytes: the members and the elements in the tail padding (gcc 0 and 30)
    "memset-sizeof": PADDED + F % ("({ struct fl *p = kmalloc(struct_size(p, e, 4), GFP_KERNEL); long long r = -1; "
                                   "if (p) { p->e[0] = 5; p->e[2] = 6; memset(p, 0, sizeof(*p)); r = p->e[0] * 10 + "
                                   "p->e[2] + p->a; kfree(p); } r; })"),
    "memcpy-sizeof": FL32 + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL), *q = kzalloc("
                                 "struct_size(q, e, 2), GFP_KERNEL); long long r = -1; if (p && q) { p->n = 3; "
                                 "p->e[0] = 4; memcpy(q, p, sizeof(*p)); r = q->n * 10 + q->e[0]; } kfree(p); "
                                 "kfree(q); r; })"),
    "krealloc": FL32 + F % "({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL), *q; long long r = -1; if (p) "
                           "{ p->e[1] = 7; q = krealloc(p, struct_size(q, e, 4), GFP_KERNEL); if (q) { q->e[3] = 1; "
                           "r = q->e[1] * 10 + q->e[3]; kfree(q); } else kfree(p); } r; })",
    "memcpy": FL64 + "static const u64 src[2] = { 3, 4 };\n"
              + F % "({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if (p) "
                    "{ memcpy(p->e, src, sizeof(src)); r = p->e[0] * 10 + p->e[1]; kfree(p); } r; })",
    "memset": FL64 + F % "({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if (p) { "
                         "p->n = 2; memset(p->e, 0xff, flex_array_size(p, e, p->n)); r = p->e[1] == ~0ULL; kfree(p); } "
                         "r; })",
    # memset() of the whole allocation: the struct's bytes and its elements' (gcc 0 and 1)
    "memset-whole": FL32 + F % ("({ struct fl *p = kmalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if "
                                "(p) { memset(p, 0, struct_size(p, e, 2)); r = p->e[1] + p->n; kfree(p); } r; })"),
    "memset-whole-padded": PADDED + F % ("({ struct fl *p = kmalloc(struct_size(p, e, 10), GFP_KERNEL); long long r = "
                                         "-1; if (p) { p->e[9] = 3; memset(p, 0, struct_size(p, e, 10)); r = p->e[9] "
                                         "+ p->e[2] + p->a + 1; kfree(p); } r; })"),
    # memset() of the whole allocation with another byte than 0: the members before the array (bit-fields and the
    # padding as laid out there) and the elements (before round 70: refused, "only 0 is modelled here"; gcc
    # 8589934590, 4295032829, 10855846, 471)
    "memset-whole-ff": FL32 + F % ("({ struct fl *p = kmalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; "
                                   "if (p) { memset(p, 0xff, struct_size(p, e, 2)); r = (long long)p->e[1] + p->n; "
                                   "kfree(p); } r; })"),
    "memset-whole-ff-u64": FL64 + F % ("({ struct fl *p = kmalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = "
                                       "-1; if (p) { memset(p, 0xff, struct_size(p, e, 2)); r = p->n + (p->e[1] & "
                                       "0xffff) + (long long)p->e[0]; kfree(p); } r; })"),
    "memset-whole-padded-a5": PADDED + F % ("({ struct fl *p = kmalloc(struct_size(p, e, 10), GFP_KERNEL); long long "
                                            "r = -1; if (p) { memset(p, 0xa5, struct_size(p, e, 10)); r = p->e[9] * "
                                            "0x10000 + p->e[2] * 0x100 + p->n + (p->a == 0xa5a5a5a5a5a5a5a5ULL); "
                                            "kfree(p); } r; })"),
    "memset-whole-bitfields": "struct fl { u32 lo : 3, hi : 5; u16 e[]; };\n"
                              + F % ("({ struct fl *p = kmalloc(struct_size(p, e, 3), GFP_KERNEL); long long r = -1; "
                                     "if (p) { memset(p, 0x3c, struct_size(p, e, 3)); r = p->lo * 100 + p->hi * 10 + "
                                     "(p->e[2] == 0x3c3c); kfree(p); } r; })"),
    # memcpy() and kmemdup() of a whole struct_size() allocation: the members and the elements, within the
    # allocations (before: refused as bytes past the members; gcc 340, 3149, 256, 271, 34)
    "memcpy-whole": FL32 + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL), *q = kzalloc("
                                "struct_size(q, e, 2), GFP_KERNEL); long long r = -1; if (p && q) { p->n = 3; "
                                "p->e[1] = 4; q->e[0] = 9; memcpy(q, p, struct_size(p, e, 2)); "
                                "r = q->n * 100 + q->e[1] * 10 + q->e[0]; } "
                                "kfree(p); kfree(q); r; })"),
    "memcpy-fewer": FL32 + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 3), GFP_KERNEL), *q = kzalloc("
                                "struct_size(q, e, 3), GFP_KERNEL); long long r = -1; if (p && q) { p->n = 3; "
                                "p->e[0] = 1; p->e[1] = 4; p->e[2] = 6; q->e[2] = 9; "
                                "memcpy(q, p, struct_size(p, e, 2)); r = q->n * 1000 + "
                                "q->e[0] * 100 + q->e[1] * 10 + q->e[2]; } kfree(p); kfree(q); r; })"),
    "memcpy-padded": PADDED + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 10), GFP_KERNEL), *q = kzalloc("
                                   "struct_size(q, e, 10), GFP_KERNEL); long long r = -1; if (p && q) { p->a = 2; "
                                   "p->e[3] = 5; p->e[9] = 6; memcpy(q, p, struct_size(p, e, 10)); r = q->a * 100 + "
                                   "q->e[3] * 10 + q->e[9]; } kfree(p); kfree(q); r; })"),
    "kmemdup-whole": FL32 + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL), *q; long long r = -1; "
                                 "if (p) { p->n = 2; p->e[1] = 7; q = kmemdup(p, struct_size(p, e, 2), GFP_KERNEL); if "
                                 "(q) { q->e[0] = 1; r = q->n * 100 + q->e[1] * 10 + q->e[0] + p->e[0]; kfree(q); } "
                                 "kfree(p); } r; })"),
    "kmemdup-padded": PADDED + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 10), GFP_KERNEL), *q; long long r = "
                                    "-1; if (p) { p->e[9] = 3; p->e[1] = 4; q = kmemdup(p, struct_size(p, e, 10), "
                                    "GFP_KERNEL); if (q) { r = q->e[9] * 10 + q->e[1]; kfree(q); } kfree(p); } r; })"),
    # kcalloc(3, sizeof(*p)): three structs, p[1] the second (round 68 refused it as pointer arithmetic; gcc 4)
    "kcalloc-structs": FL32 + F % ("({ struct fl *p = kcalloc(3, sizeof(*p), GFP_KERNEL); long long r = -1; if (p) { "
                                   "p[1].n = 4; r = p[1].n + p[2].n; kfree(p); } r; })"),
    "kmalloc_array-structs": FL64 + F % ("({ struct fl *p = kmalloc_array(2, sizeof(*p), GFP_KERNEL); long long r = "
                                         "-1; if (p) { p[0].n = 1; p[1].n = 5; r = p[1].n * 10 + p[0].n; kfree(p); } "
                                         "r; })"),
    "no-elements": FL64 + F % "({ struct fl *p = kzalloc(sizeof(*p), GFP_KERNEL); long long r = -1; if (p) "
                              "{ p->n = 3; r = p->n; kfree(p); } r; })",
}


@needs_cc
@pytest.mark.parametrize("name", RUN)
def test_elements_the_memory_holds_run_as_gcc_runs_them(tmp_path: Path, name: str) -> None:
    code = RUN[name]
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)), out.error


def test_one_past_the_elements_is_kasans_report() -> None:
    code = FL64 + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if (p) "
                       "{ r = p->e[2]; kfree(p); } r; })")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "runtime"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'return')}: index 2 outside p->e[2]"), out.error


REFUSED = {
    # no memory past a local's members: gcc reads the stack
    "local": FL64 + F % "({ struct fl s = { .n = 1 }; (long long)s.e[0]; })",
    "local-padding": PADDED + F % "({ struct fl s = { 0 }; s.e[2] = 4; (long long)s.e[2]; })",
    "static-padding": PADDED + "static struct fl s;\n" + F % "({ s.e[6] = 2; (long long)s.e[6] + s.e[1]; })",
    # a copy by value holds only its own bytes: the elements in its tail padding (gcc 4)
    "by-value": PADDED + "static int g(struct fl x)\n{\n\treturn x.e[1] + x.n;\n}\n"
                + F % "({ struct fl *p = kzalloc(struct_size(p, e, 4), GFP_KERNEL); long long r = -1; if (p) "
                      "{ p->e[1] = 3; p->n = 1; r = g(*p); kfree(p); } r; })",
}


@pytest.mark.parametrize("name", REFUSED)
def test_elements_the_mirror_does_not_hold_are_refused(name: str) -> None:
    out = run(REFUSED[name])
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert "indexing a flexible array member of a struct not in kmalloc() memory" in (out.error or ""), out.error


def test_an_element_partly_in_the_tail_padding_is_refused_at_the_conversion() -> None:
    # e at 9, sizeof 16: 7 bytes of padding hold two 3-byte elements and a part of a third, which an assignment
    # copies in part (not modelled)
    code = "struct tri { u8 x[3]; };\nstruct fl { u64 a; u8 b; struct tri e[]; };\n" + F % (
        "({ struct fl *p = kzalloc(struct_size(p, e, 4), GFP_KERNEL); long long r = -1; if (p) { p->e[1].x[2] = 5; "
        "r = p->e[1].x[2]; kfree(p); } r; })")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'return')}: struct fl's flexible array member e "
                                        "begins in the struct's tail padding"), out.error


@pytest.mark.parametrize("call", ["memcpy(&s, q, struct_size(q, e, 2))", "memcpy(q, &s, struct_size(q, e, 2))",
                                  "kfree(kmemdup(&s, struct_size(q, e, 2), GFP_KERNEL))"])
def test_bytes_past_the_members_are_refused_not_said_past_the_object(call: str) -> None:
    # a struct whose elements are no kmalloc() memory's (a local: gcc copies the stack past it) is refused, not said a
    # run past the object (the elements' bytes are not modelled)
    code = FL32 + F % ("({ struct fl s = { .n = 1 }, *q = kzalloc(struct_size(q, e, 2), GFP_KERNEL); long long r = -1; "
                       f"if (q) {{ {call}; r = q->n; }} kfree(q); r; }})")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert "past its members, into its flexible array member's elements (not modelled)" in (out.error or "")


@pytest.mark.parametrize("call", ["memcpy(q, p, struct_size(p, e, 3))", "memcpy(p, q, struct_size(p, e, 3))",
                                  "kfree(kmemdup(p, struct_size(p, e, 3), GFP_KERNEL))"])
def test_a_copy_past_either_allocation_is_kasans_report(call: str) -> None:
    code = FL32 + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL), *q = kzalloc(struct_size(q, e, "
                       f"4), GFP_KERNEL); long long r = -1; if (p && q) {{ {call}; r = 1; }} kfree(p); kfree(q); "
                       "r; })")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "runtime"), (out.status, out.ret, out.error)
    assert "whose memory holds 2 elements of e: past the allocation (KASAN: slab-out-of-bounds)" in (out.error or "")


def test_memset_past_the_allocation_is_kasans_report() -> None:
    code = FL32 + F % ("({ struct fl *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if (p) { "
                       "memset(p, 0, struct_size(p, e, 3)); r = 1; kfree(p); } r; })")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "runtime"), (out.status, out.ret, out.error)
    assert "memset() of 16 bytes of a struct fl whose memory holds 2 elements of e: past the allocation" \
        in (out.error or ""), out.error

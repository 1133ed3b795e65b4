"""harness.externconsts: the objects declared extern const (or a lock) that none of the files defines, each named.

C11 6.7.3p6 (a const object's initializer is its value whenever code runs) and 6.7.6 (a declaration list's
specifiers are each declarator's, its stars its own)."""

from __future__ import annotations

from harness.externconsts import extern_consts
from harness.filestate import full_file


def test_extern_consts_are_objects_declared_const_and_defined_in_none_of_the_files() -> None:
    h = ("extern const struct e a[];\nextern const u8 b[4];\nextern u64 *const c;\nextern const u64 *d;\n"
         "extern int e;\nextern const int f(void);\nextern const int g;\n"
         # a lock is free when a run starts wherever it is defined: followed; a pointer to one, another struct not
         "extern struct mutex h;\nextern spinlock_t i[2];\nextern raw_spinlock_t j;\nextern struct mutex *k;\n"
         "extern struct mutex_waiter l;\nextern struct mutex m;\n")
    files = {"x/s.h": full_file("x/s.h", h, "t"),
             "x/t.c": full_file("x/t.c", "const int g = 3;\nDEFINE_MUTEX(m);\nstruct mutex m;\n", "t")}
    assert extern_consts(files) == {"a", "b", "c", "h", "i", "j"}


def test_extern_consts_read_every_declarator_of_a_list() -> None:
    # C11 6.7.6: the list's specifiers are each declarator's, its stars its own. Before, only the last name was read,
    # with the names before it as its type: "extern struct mutex a, b, c;" followed none, and a run reading c was
    # refused ("declared extern ... and defined in no file the mirror has")
    h = ("extern struct mutex a, b, c;\nextern const int d, *e, *const f;\nextern spinlock_t g[2], *h;\n"
         "extern int i, j;\nextern struct mutex k, l;\n")
    files = {"x/s.h": full_file("x/s.h", h, "t"), "x/t.c": full_file("x/t.c", "struct mutex k, l;\n", "t")}
    assert extern_consts(files) == {"a", "b", "c", "d", "f", "g"}

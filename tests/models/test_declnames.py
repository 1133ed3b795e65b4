"""function_name and attributes_removed: the name a head declares past attribute macros with arguments."""

from __future__ import annotations

import pytest

from models.declnames import attributes_removed, function_name


@pytest.mark.parametrize(("head", "name"), [
    ("static __printf(1, 2) void sc_log(const char *fmt, u64 a[N + 1])", "sc_log"),
    ("static __alloc_size(1, 2) __malloc void *sc_arr(size_t n, size_t size)", "sc_arr"),
    ("static __diagnose_as(__builtin_strcat, 1, 2) char *sc_cat(char *d, const char *s)", "sc_cat"),
    ("static __aligned(sizeof(long)) int sc_each(void (*cb)(int a, int b))", "sc_each"),
    ("static void sc_lock(struct sc_lk *l) __acquires(&l->lock)", "sc_lock"),  # a context annotation after it
    ("static void sc_unlock(struct sc_lk *l) __releases(l)", "sc_unlock"),
    ("u64 (*sc_pick(int i))(u64)", "sc_pick"),  # a function returning a pointer to a function
    ("void *sc_keep(size_t) __alloc_size(1)", "sc_keep"),
    ("static int __init sc_init(void)", "sc_init"),
    # a macro invoked at file scope is named by itself, as before
    ("SYSCALL_DEFINE2(sc_call, int, a, int, b)", "SYSCALL_DEFINE2"),
    ("static DEFINE_GUARD(sc, T, lock(_T), unlock(_T))", "DEFINE_GUARD"),
    ('MODULE_LICENSE("GPL")', "MODULE_LICENSE"),
    ("static u64 sc_buf[4]", None),
])
def test_the_name_is_the_identifier_before_the_parameter_list(head: str, name: str | None) -> None:
    assert function_name(head) == name


@pytest.mark.parametrize(("text", "left"), [
    ("static u64 sc_page[4] __aligned(SC_ALIGN);", "static u64 sc_page[4] ;"),
    ("static u64 sc_word __aligned(sizeof(u64));", "static u64 sc_word ;"),
    ('static u64 sc_w __section(".data.sc");', "static u64 sc_w ;"),
    ("void *sc_keep(size_t) __alloc_size(1);", "void *sc_keep(size_t) ;"),
    ('MODULE_LICENSE("GPL");', 'MODULE_LICENSE("GPL");'),
    ("static DECLARE_BITMAP(sc_bits, SC_N);", "static DECLARE_BITMAP(sc_bits, SC_N);"),
    ("__printf(2, 3) int sc_say(int, const char *, ...);", "__printf(2, 3) int sc_say(int, const char *, ...);"),
])
def test_attributes_after_a_declarator_are_removed(text: str, left: str) -> None:
    assert " ".join(attributes_removed(text).split()) == left

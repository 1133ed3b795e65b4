"""The kernel's function attribute macros with arguments (__section(), __alloc_size(), ...) for the prelude.

include/linux/compiler_attributes.h and compiler_types.h as gcc builds them. Each expands to a GNU attribute, which
the mirror drops where it keeps none (models.cparse.gnu_attributes: only cleanup, packed, aligned), and gcc's native
builds keep: where a function's code goes (__section(); harness.sectionwords judges the section it names) or what
gcc may assume of its result, never what a run computes.
"""

from __future__ import annotations

ATTRIBUTE_MACROS: tuple[tuple[str, str], ...] = (
    ("__section(section)", "__attribute__((__section__(section)))"),
    ("__malloc", "__attribute__((__malloc__))"),
    # compiler_types.h with gcc's __alloc_size__ (compiler_attributes.h): the arguments are parameter numbers
    ("__alloc_size(x...)", "__attribute__((__alloc_size__(x))) __malloc"),
    ("__realloc_size(x...)", "__attribute__((__alloc_size__(x)))"),
    # clang's __diagnose_as_builtin__ only: nothing to gcc
    ("__diagnose_as(builtin...)", ""),
    ("__attribute_const__", "__attribute__((__const__))"),
    # compiler_types.h: noinline itself (the prelude's word, which models.noreturn reads in the text)
    ("noinline_for_stack", "noinline"),
)

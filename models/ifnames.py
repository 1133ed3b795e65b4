"""What an #if inside a definition reads of gcc's predefined macros, which pcpp does not define."""

from __future__ import annotations

import re
from typing import Any

from models.errors import LoadError

# What gcc 12 and kbuild define for an x86-64 kernel build whatever the configuration and the compiler's version:
# the target's (gcc -dM -E), -std=gnu11's, -funsigned-char's, -O2's or -Os's, and kbuild's -D__KERNEL__. pcpp
# defines none of them, so '#ifdef __x86_64__' in a function's body took the branch no kernel build takes.
PREDEFINED: tuple[tuple[str, str], ...] = (
    ("__KERNEL__", "1"), ("__x86_64__", "1"), ("__x86_64", "1"), ("__linux__", "1"), ("__linux", "1"),
    ("__gnu_linux__", "1"), ("__unix__", "1"), ("__unix", "1"), ("__ELF__", "1"), ("__LP64__", "1"), ("_LP64", "1"),
    ("__CHAR_UNSIGNED__", "1"), ("__STDC__", "1"), ("__STDC_VERSION__", "201112L"), ("__OPTIMIZE__", "1"),
    ("__CHAR_BIT__", "8"), ("__SIZEOF_SHORT__", "2"), ("__SIZEOF_INT__", "4"), ("__SIZEOF_LONG__", "8"),
    ("__SIZEOF_LONG_LONG__", "8"), ("__SIZEOF_POINTER__", "8"), ("__SIZEOF_INT128__", "16"),
    ("__ORDER_LITTLE_ENDIAN__", "1234"), ("__ORDER_BIG_ENDIAN__", "4321"), ("__ORDER_PDP_ENDIAN__", "3412"),
    ("__BYTE_ORDER__", "__ORDER_LITTLE_ENDIAN__"), ("__FLOAT_WORD_ORDER__", "__ORDER_LITTLE_ENDIAN__"),
    ("__amd64__", "1"), ("__amd64", "1"),
    # The x86-64 ABI's limits and sizes, as every gcc the kernel is built with defines them (<limits.h> and
    # <stdint.h> are made of them): '#if __INT_MAX__ == 2147483647' in a body took its #else, and the run said ok.
    ("__SCHAR_MAX__", "0x7f"), ("__SHRT_MAX__", "0x7fff"), ("__INT_MAX__", "0x7fffffff"),
    ("__LONG_MAX__", "0x7fffffffffffffffL"), ("__LONG_LONG_MAX__", "0x7fffffffffffffffLL"),
    ("__WCHAR_MAX__", "0x7fffffff"), ("__WCHAR_MIN__", "(-__WCHAR_MAX__ - 1)"), ("__WINT_MAX__", "0xffffffffU"),
    ("__WINT_MIN__", "0U"), ("__PTRDIFF_MAX__", "0x7fffffffffffffffL"), ("__SIZE_MAX__", "0xffffffffffffffffUL"),
    ("__INTMAX_MAX__", "0x7fffffffffffffffL"), ("__UINTMAX_MAX__", "0xffffffffffffffffUL"),
    ("__SIG_ATOMIC_MAX__", "0x7fffffff"), ("__SIG_ATOMIC_MIN__", "(-__SIG_ATOMIC_MAX__ - 1)"),
    ("__INT8_MAX__", "0x7f"), ("__INT16_MAX__", "0x7fff"), ("__INT32_MAX__", "0x7fffffff"),
    ("__INT64_MAX__", "0x7fffffffffffffffL"), ("__UINT8_MAX__", "0xff"), ("__UINT16_MAX__", "0xffff"),
    ("__UINT32_MAX__", "0xffffffffU"), ("__UINT64_MAX__", "0xffffffffffffffffUL"),
    ("__INTPTR_MAX__", "0x7fffffffffffffffL"), ("__UINTPTR_MAX__", "0xffffffffffffffffUL"),
    ("__SIZEOF_SIZE_T__", "8"), ("__SIZEOF_WCHAR_T__", "4"), ("__SIZEOF_WINT_T__", "4"),
    ("__SIZEOF_PTRDIFF_T__", "8"), ("__SIZEOF_FLOAT__", "4"), ("__SIZEOF_DOUBLE__", "8"),
    ("__SIZEOF_LONG_DOUBLE__", "16"),
)
# Defined by every gcc, each to what the gcc the kernel is built with says (its version): defined, of no value known.
_VERSIONED = frozenset({"__GNUC__", "__GNUC_MINOR__", "__GNUC_PATCHLEVEL__", "__VERSION__"})
# gcc's own macros that pcpp keeps no Macro for (it expands __LINE__ itself): each is defined until an #undef.
_BUILTIN = frozenset({"__LINE__", "__COUNTER__", "__INCLUDE_LEVEL__", "__BASE_FILE__", "__FILE_NAME__", "_Pragma"})
_ALWAYS = _VERSIONED | _BUILTIN
# gcc's own macros are named __NAME__ in capitals (all but a few: __x86_64__, __amd64, __pic__), and gcc -dM -E lists
# some 350, some by its version, -m flags or configuration (__OPTIMIZE_SIZE__, __SSE2__, __SANITIZE_ADDRESS__,
# __INT_WIDTH__): an #if reading one the mirror does not know (no line read defines it) is refused, not read as 0 or
# undefined. These no kernel build of x86-64 C defines: kbuild's for assembly, sparse's, genksyms', other languages'.
_GCC_NAME = re.compile(r"__[A-Z][A-Z0-9_]*__")
_ABSENT = frozenset({"__ASSEMBLY__", "__ASSEMBLER__", "__CHECKER__", "__GENKSYMS__", "__STRICT_ANSI__", "__NO_INLINE__",
                     "__ILP32__", "__OBJC__"})


def is_defined(pp: Any, tok: Any) -> bool:
    """Whether ``tok``'s name, which no macro of ``pp`` has, is defined to gcc in an ``#ifdef``/``defined``: gcc's
    own until an #undef; another name reserved to the compiler refused (_refuse_reserved); any other name is taken
    as undefined, as C reads it (a kernel header the mirror does not read may define it: harness.configwords says so
    where a verdict rests on such a branch)."""
    name = tok.value
    if name in pp.undone:
        return False
    if name in _ALWAYS:
        return True
    _refuse_reserved(pp, name, f"whether {name} is defined")
    return False


def value(pp: Any, name: str) -> int:
    """The value an #if gives ``name``, an identifier left after expansion: 0 (C11 6.10.1p4), but gcc's version,
    which gcc always defines to the version of the gcc the kernel is built with, and another name reserved to the
    compiler (_refuse_reserved; gcc's own pcpp does not expand, __INCLUDE_LEVEL__): refused."""
    if name in pp.undone:
        return 0
    if name in _VERSIONED:
        where = f"{pp.lastdirective.source}:{pp.lastdirective.lineno}"
        raise LoadError(where, f"#if reads {name}, the version of the gcc the kernel is built with, which the mirror "
                               "does not know")
    _refuse_reserved(pp, name, name)
    return 0


def _refuse_reserved(pp: Any, name: str, what: str) -> None:
    """A LoadError at the directive when ``name`` is named as gcc's own macros are (__NAME__ in capitals, reserved
    to the compiler: C11 7.1.3) and is not one no kernel build defines (_ABSENT): gcc may define it, to a value not
    known here. (The kernel's lower-case ones, __always_inline, __attribute_const__, which the prelude defines under
    #ifndef lines, and __clang__ or __i386__, stay undefined where no line defines them.)"""
    if _GCC_NAME.fullmatch(name) and name not in _ABSENT:
        where = f"{pp.lastdirective.source}:{pp.lastdirective.lineno}"
        raise LoadError(where, f"#if reads {what}: a name reserved to the compiler (C11 7.1.3) which gcc may "
                               "define (by its version, -m flags or configuration), not known to the mirror")

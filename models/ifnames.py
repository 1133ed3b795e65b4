"""What an #if inside a definition reads of gcc's predefined macros, which pcpp does not define."""

from __future__ import annotations

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
    ("__BYTE_ORDER__", "__ORDER_LITTLE_ENDIAN__"),
)
# Defined by every gcc, each to what the gcc the kernel is built with says (its version): defined, of no value known.
_VERSIONED = frozenset({"__GNUC__", "__GNUC_MINOR__", "__GNUC_PATCHLEVEL__", "__VERSION__"})
# gcc's own macros that pcpp keeps no Macro for (it expands __LINE__ itself): each is defined until an #undef.
_BUILTIN = frozenset({"__LINE__", "__COUNTER__", "__INCLUDE_LEVEL__", "__BASE_FILE__", "__FILE_NAME__", "_Pragma"})
_ALWAYS = _VERSIONED | _BUILTIN


def is_defined(pp: Any, tok: Any) -> bool:
    """Whether ``tok``'s name, which no macro of ``pp`` has, is defined to gcc in an ``#ifdef``/``defined``: gcc's
    own until an #undef; any other name is taken as undefined, as C reads it (a kernel header the mirror does not
    read may define it: harness.configwords says so where a verdict rests on such a branch)."""
    return tok.value in _ALWAYS and tok.value not in pp.undone


def value(pp: Any, name: str) -> int:
    """The value an #if gives ``name``, an identifier left after expansion: 0 (C11 6.10.1p4), but gcc's version,
    which gcc always defines to the version of the gcc the kernel is built with: refused."""
    if name in _VERSIONED and name not in pp.undone:
        where = f"{pp.lastdirective.source}:{pp.lastdirective.lineno}"
        raise LoadError(where, f"#if reads {name}, the version of the gcc the kernel is built with, which the mirror "
                               "does not know")
    return 0

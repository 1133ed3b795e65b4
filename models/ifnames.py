"""What an #if inside a definition reads of a name no macro the mirror has defines: gcc's, undefined, or not known."""

from __future__ import annotations

from typing import Any

from models.conditional import CONFIG_UNSET, NOT_DEFINED
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
# Names no build of C defines: the configuration's unset options, what only assemblers, checkers and C++ see, and
# 'defined' (no macro can be named so).
_UNDEFINED = NOT_DEFINED | CONFIG_UNSET | {"__cplusplus", "defined"}


def is_defined(pp: Any, tok: Any) -> bool:
    """Whether ``tok``'s name, which no macro of ``pp`` has, is defined to gcc in an ``#ifdef``/``defined``: gcc's
    own, known undefined, or else (pp.in_text()) refused, since a kernel header the mirror does not read may
    define it."""
    name = tok.value
    if name in _BUILTIN or name in _VERSIONED:
        return name not in pp.undone
    if name in _UNDEFINED or name in pp.undone or not pp.in_text():
        return False
    raise LoadError(f"{tok.source}:{tok.lineno}", _unknown(name))


def value(pp: Any, name: str) -> int:
    """The value an #if gives ``name``, an identifier left after expansion: 0 where it is known to be no macro (C11
    6.10.1p4); refused where it may be a kernel header's macro or is gcc's version."""
    where = f"{pp.lastdirective.source}:{pp.lastdirective.lineno}"
    if name in _VERSIONED and name not in pp.undone:
        raise LoadError(where, f"#if reads {name}, the version of the gcc the kernel is built with, which the mirror "
                               "does not know")
    if name in _UNDEFINED or name in pp.undone or not pp.in_text():
        return 0
    raise LoadError(where, _unknown(name))


def _unknown(name: str) -> str:
    return (f"#if reads {name}, which no file of the variant nor the prelude defines (a kernel header the mirror does "
            "not read may): which branch gcc builds is not known")

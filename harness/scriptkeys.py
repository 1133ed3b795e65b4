"""The static keys a matrix's scripts turn on or off (docs/matrix.md), checked against the code of the states run."""

from __future__ import annotations

import re
from collections.abc import Iterable

from harness.errors import InputError, Where
from harness.lazyre import lazy
from harness.matrix import Matrix
from models.loader import Source, definitions
from models.runcontext import feature_name
from models.slicer import Kind

# include/linux/jump_label.h: the macros that define a key, and the struct tags a key's type has.
_DEFINE = lazy(r"\bDEFINE_STATIC_KEY_(?:TRUE|FALSE)(?:_RO)?\s*\(\s*(\w+)\s*\)")
_KEY_STRUCT = lazy(r"\bstruct\s+static_key(?:_true|_false)?\s*$")
# Declaration specifiers whose type is known without the files (C11 6.7.1-6.7.3, and the kernel's fixed-width names):
# a definition written with these alone names no static key.
_PLAIN = frozenset("static extern const volatile register _Thread_local inline signed unsigned char short int long "
                   "float double _Bool bool void u8 u16 u32 u64 s8 s16 s32 s64 __u8 __u16 __u32 __u64 __s8 __s16 "
                   "__s32 __s64 size_t ssize_t atomic_t atomic64_t __read_mostly __ro_after_init".split())


def key_defined(name: str, text: str) -> bool | None:
    """Whether the top-level definition ``text`` (a models.slicer.Definition's, macros not expanded) of the variable
    ``name`` makes it a static key: True for a DEFINE_STATIC_KEY_*() of it or a ``struct static_key`` (``_true``,
    ``_false``) object of that name (include/linux/jump_label.h); False where its declaration specifiers are plain C
    types or another struct, or it is declared an array or pointer (no count a script can set by name); None where
    its type is not known from the text alone (a typedef name, another macro's invocation)."""
    if (m := _DEFINE().search(text)) is not None and m.group(1) == name:
        return True
    at = re.search(rf"\b{re.escape(name)}\b", text)
    head, tail = (text[:at.start()], text[at.end():]) if at else ("", "")
    words = re.findall(r"\w+|\S", head)
    if not words or "(" in words:  # not found, or written by a macro's invocation
        return None
    if "*" in words or tail.lstrip().startswith("["):
        return False
    if _KEY_STRUCT().search(head):
        return True
    tagged = {i + 1 for i, w in enumerate(words) if w in ("struct", "union", "enum")}
    return False if all(w in _PLAIN or w in ("struct", "union", "enum") or i in tagged
                        for i, w in enumerate(words)) else None


def check_keys(matrix: Matrix, states: Iterable[tuple[Source, ...]]) -> None:
    """Raise InputError at the line of the first static key a script of ``matrix`` names (static_keys_on,
    static_keys_off) that no file of any of ``states`` (each a variant's sources: harness.runner.variant_sources)
    defines as a file-scope variable, a DEFINE_STATIC_KEY_*() invocation's expanded (models.loader.definitions),
    or that every file defining it defines as no static key (key_defined(): a plain ``int``): the script's word would
    otherwise be unused, the key starting as its DEFINE_ macro says in every run. A definition whose type is not
    known from its text is let through: the mirror refuses a run that reads such an object
    (models.statickeys.start_key)."""
    named = {name: (path, line) for s in matrix.scripts for name, path, line in s.key_lines}
    if not named:
        return
    kinds: dict[str, set[bool | None]] = {}
    for sources in states:
        for n, defs in definitions(sources).items():
            if n in named:
                kinds.setdefault(n, set()).update(key_defined(n, d.text) for d in defs if d.kind is Kind.VARIABLE)
    bad = sorted((at, name) for name, at in named.items() if not kinds.get(name) and not feature_name(name))
    plain = sorted((at, name) for name, at in named.items() if kinds.get(name) == {False})
    if bad:
        (path, line), name = bad[0]
        raise InputError(Where(path, line),
                         f"static key {name}: no file of the code run defines it (DEFINE_STATIC_KEY_TRUE({name}) "
                         "or _FALSE, a file-scope struct static_key)")
    if plain:
        (path, line), name = plain[0]
        raise InputError(Where(path, line),
                         f"static key {name}: the code run defines {name} as no static key (not "
                         f"DEFINE_STATIC_KEY_TRUE({name}) or _FALSE, nor a struct static_key): a script cannot set it")

"""The static keys a matrix's scripts turn on or off (docs/matrix.md), checked against the code of the states run."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from harness.errors import InputError, Where
from harness.lazyre import lazy
from harness.matrix import Matrix
from models.loader import Source, definitions
from models.runcontext import feature_name
from models.slicer import Kind

# include/linux/jump_label.h: the macros that define a key, and the struct tags a key's type has.
_DEFINE = lazy(r"\bDEFINE_STATIC_KEY_(?:TRUE|FALSE)(?:_RO)?\s*\(\s*(\w+)\s*\)")
_KEY_TAG = lazy(r"static_key(?:_true|_false)?")
_TAGS = frozenset(("struct", "union", "enum"))
# Declaration specifiers whose type is known without the files (C11 6.7.1-6.7.3, and the kernel's fixed-width names):
# a definition written with these alone names no static key.
_PLAIN = frozenset("typedef static extern const volatile register _Thread_local inline signed unsigned char short int "
                   "long float double _Bool bool void u8 u16 u32 u64 s8 s16 s32 s64 __u8 __u16 __u32 __u64 __s8 __s16 "
                   "__s32 __s64 size_t ssize_t atomic_t atomic64_t __read_mostly __ro_after_init".split())
# What may stand between a declarator list's comma and the name (C11 6.7.6: its pointers and their qualifiers).
_POINTERS = lazy(r"(?:\*|\s|\b(?:const|volatile|restrict)\b)*$")
_FIRST_DECLARATOR = lazy(r"(?:\*|\s|\b(?:const|volatile|restrict)\b)*\b\w+\s*(?:\[[^]]*\]\s*)*$")


def _top_level(text: str, sep: str) -> list[str]:
    """``text`` split at each ``sep`` outside parentheses, brackets and braces (an initializer's commas, a struct's
    own member list)."""
    pieces, depth, last = [], 0, 0
    for i, c in enumerate(text):
        depth += (c in "([{") - (c in ")]}")
        if c == sep and depth == 0:
            pieces.append(text[last:i])
            last = i + 1
    return [*pieces, text[last:]]


def _specifiers(head: str) -> tuple[list[str], list[str]]:
    """The words of a declaration's specifiers and of the name's own pointer declarator, from ``head``, the text
    before the name (C11 6.7: ``int *a = 1, *k`` gives ``int`` and ``*``; a list's first declarator and its
    initializer are neither)."""
    pieces = _top_level(head, ",")
    if len(pieces) == 1:
        m = _POINTERS().search(head)
        cut = m.start() if m else len(head)
        spec, own = head[:cut], head[cut:]
    else:
        spec, own = _FIRST_DECLARATOR().sub("", _top_level(pieces[0], "=")[0]), pieces[-1]
    return re.findall(r"\w+|\S", spec), re.findall(r"\w+|\S", own)


def key_defined(name: str, text: str, typedefs: Mapping[str, tuple[str, ...]] | None = None, depth: int = 8) \
        -> bool | None:
    """Whether the top-level definition ``text`` (a models.slicer.Definition's, macros not expanded) of the variable
    ``name`` makes it a static key: True for a DEFINE_STATIC_KEY_*() of it or a ``struct static_key`` (``_true``,
    ``_false``) object of that name (include/linux/jump_label.h); False where its declaration specifiers are plain C
    types or another struct, or it is declared an array or pointer (no count a script can set by name); None where
    its type is not known from the text alone (a macro's invocation, a typedef name ``typedefs`` (name -> the
    texts of its definitions) does not hold, or holds as unknown, or with two answers). A name in a declarator list
    (``int a, k;``) has the list's specifiers and its own pointers, as gcc reads it (C11 6.7); a typedef name is
    read through its definition, ``depth`` typedefs deep at most."""
    if (m := _DEFINE().search(text)) is not None and m.group(1) == name:
        return True
    at = re.search(rf"\b{re.escape(name)}\b", text)
    if at is None:
        return None
    spec, own = _specifiers(text[:at.start()])
    if not spec or "(" in spec + own or set(own) - {"*", "const", "volatile", "restrict"}:
        return None  # not found, written by a macro's invocation, or a declarator not read here
    if "*" in own or text[at.end():].lstrip().startswith("["):
        return False
    tagged = {i + 1 for i, w in enumerate(spec) if w in _TAGS}
    rest = [w for i, w in enumerate(spec) if w not in _PLAIN and w not in _TAGS and i not in tagged]
    if not rest:
        return any(i in tagged and _KEY_TAG().fullmatch(w) is not None for i, w in enumerate(spec))
    if len(rest) > 1 or tagged or depth == 0 or not (typedefs or {}).get(rest[0]):
        return None
    said = {key_defined(rest[0], t, typedefs, depth - 1) for t in (typedefs or {})[rest[0]]}
    return said.pop() if len(said) == 1 else None


def check_keys(matrix: Matrix, states: Iterable[tuple[Source, ...]]) -> None:
    """Raise InputError at the line of the first static key a script of ``matrix`` names (static_keys_on,
    static_keys_off) that no file of any of ``states`` (each a variant's sources: harness.runner.variant_sources)
    defines as a file-scope variable, a DEFINE_STATIC_KEY_*() invocation's expanded (models.loader.definitions),
    or that every file defining it defines as no static key (key_defined(): a plain ``int``, one of a declarator
    list, a typedef of one, through the typedefs of the same state): the script's word would otherwise be unused, the
    key starting as its DEFINE_ macro says in every run. A definition whose type is not known from its text is let
    through: the mirror refuses a run that reads such an object
    (models.statickeys.start_key)."""
    named = {name: (path, line) for s in matrix.scripts for name, path, line in s.key_lines}
    if not named:
        return
    kinds: dict[str, set[bool | None]] = {}
    for sources in states:
        table = definitions(sources)
        typedefs = {n: tuple(d.text for d in defs if d.kind is Kind.TYPEDEF) for n, defs in table.items()}
        for n, defs in table.items():
            if n in named:
                kinds.setdefault(n, set()).update(key_defined(n, d.text, typedefs) for d in defs
                                                  if d.kind is Kind.VARIABLE)
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

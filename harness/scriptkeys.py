"""The static keys a matrix's scripts turn on or off (docs/matrix.md), checked against the code of the states run."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from harness.errors import InputError, Where
from harness.matrix import Matrix
from models.lazyre import lazy
from models.loader import Source, definitions
from models.macrogenerated import generated_text
from models.runcontext import feature_name
from models.slicer import Definition, Kind

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


@functools.cache
def _attributes() -> frozenset[str]:
    """The prelude's attribute macros (include/linux/compiler_attributes.h, compiler_types.h as models.prelude has
    them): those expanding to nothing or to a GNU ``__attribute__``, with GCC's own spellings of it."""
    from models.prelude import prelude_bodies

    return frozenset(n.partition("(")[0] for n, body in prelude_bodies().items()
                     if not body.strip() or body.startswith("__attribute__")) | {"__attribute__", "__attribute"}


@functools.cache
def _prelude_typedefs() -> dict[str, tuple[str, ...]]:
    """The typedefs of the prelude (include/linux/types.h's, models.prelude.TYPES) by name: a type a file names but
    does not define is the kernel header's."""
    from models.prelude import TYPES

    return {m.group(1): (m.group(0),) for m in re.finditer(r"\btypedef\b[^;{}()]*?\b(\w+)\s*;", TYPES)}


_WORD_OR_BODY = lazy(r"\{|\b(\w+)\b\s*")


def _plain_head(head: str, macros: frozenset[str]) -> str:
    """``head`` without what gives no type (C11 6.7.2.1, GNU attributes): a struct, union or enum's member list
    (``struct { int x; } k``: an anonymous struct, no static key), and each attribute macro of the prelude the files
    do not define themselves, with its arguments (``__aligned(8)``, ``__attribute__((unused))``)."""
    out, i = [], 0
    while i < len(head):
        m = _WORD_OR_BODY().search(head, i)
        if m is None:
            break
        out.append(head[i:m.start()])
        if m.group(0) == "{" or (m.group(1) in _attributes() and m.group(1) not in macros):
            end = m.end()
            if m.group(0) == "{" or head[end:end + 1] == "(":
                opening = "{" if m.group(0) == "{" else "("
                end = _closing(head, m.start() if opening == "{" else end, opening)
            out.append(" ")
            i = end
        else:
            out.append(m.group(0))
            i = m.end()
    return "".join(out) + head[i:]


def _closing(text: str, at: int, opening: str) -> int:
    """The index past the bracket closing the one ``opening`` at ``at`` (the text's end where none does)."""
    closing, depth = {"{": "}", "(": ")"}[opening], 0
    for j in range(at, len(text)):
        depth += (text[j] == opening) - (text[j] == closing)
        if depth == 0:
            return j + 1
    return len(text)


def key_defined(name: str, text: str, typedefs: Mapping[str, tuple[str, ...]] | None = None, depth: int = 8,
                macros: frozenset[str] = frozenset()) -> bool | None:
    """Whether the top-level definition ``text`` (a models.slicer.Definition's, macros not expanded) of the variable
    ``name`` makes it a static key: True for a DEFINE_STATIC_KEY_*() of it or a ``struct static_key`` (``_true``,
    ``_false``) object of that name (include/linux/jump_label.h); False where its declaration specifiers are plain C
    types or another struct, or it is declared an array or pointer (no count a script can set by name); None where
    its type is not known from the text alone (a macro's invocation, a typedef name neither ``typedefs`` (name ->
    the texts of its definitions) nor the prelude's holds, or held as unknown, or with two answers). A name in a
    declarator list (``int a, k;``) has the list's specifiers and its own pointers, as gcc reads it (C11 6.7); a
    typedef name is read through its definition, ``depth`` typedefs deep at most; a struct's member list and the
    prelude's attribute macros (``__aligned(8)``) are no part of the type (_plain_head; ``macros``: the names the
    files define as macros, whose invocations are theirs)."""
    if (m := _DEFINE().search(text)) is not None and m.group(1) == name:
        return True
    at = re.search(rf"\b{re.escape(name)}\b", text)
    if at is None:
        return None
    spec, own = _specifiers(_plain_head(text[:at.start()], macros))
    if not spec or "(" in spec + own or set(own) - {"*", "const", "volatile", "restrict"}:
        return None  # not found, written by a macro's invocation, or a declarator not read here
    if "*" in own or text[at.end():].lstrip().startswith("["):
        return False
    tagged = {i + 1 for i, w in enumerate(spec) if w in _TAGS}
    rest = [w for i, w in enumerate(spec) if w not in _PLAIN and w not in _TAGS and i not in tagged]
    if not rest:
        return any(i in tagged and _KEY_TAG().fullmatch(w) is not None for i, w in enumerate(spec))
    texts = (typedefs or {}).get(rest[0]) or (() if rest[0] in (typedefs or {}) else _prelude_typedefs().get(rest[0]))
    if len(rest) > 1 or tagged or depth == 0 or not texts:
        return None
    said = {key_defined(rest[0], t, typedefs, depth - 1, macros) for t in texts}
    return said.pop() if len(said) == 1 else None


def check_keys(matrix: Matrix, states: Iterable[tuple[Source, ...]]) -> None:
    """Raise InputError at the line of the first static key a script of ``matrix`` names (static_keys_on,
    static_keys_off) that no file of any of ``states`` (each a variant's sources: harness.runner.variant_sources)
    defines as a file-scope variable, a DEFINE_STATIC_KEY_*() invocation's expanded (models.loader.definitions),
    that every file defining it defines as no static key (key_defined(): a plain ``int``, one of a declarator
    list, a typedef of one, through the typedefs of the same state), or that a file defines by a text whose type is
    not read (a typedef no file nor the prelude defines, or defines twice otherwise), naming that definition: the
    script's word would otherwise be unused, the key starting as its DEFINE_ macro says in every run. A definition
    a file-scope invocation of a macro (the files' own, the prelude's) writes is read as it expands
    (models.macrogenerated.generated_text: ``#define SC_KEY(n) DEFINE_STATIC_KEY_FALSE(n)`` a key, ``#define
    SC_INT(n) int n`` none); one whose type a macro of the files writes inside it (``static SK_T(long) k;``) is let
    through: the mirror expands it, and refuses a run that reads such an object as no key
    (models.statickeys.start_key)."""
    named = {name: (path, line) for s in matrix.scripts for name, path, line in s.key_lines}
    if not named:
        return
    kinds: dict[str, set[bool | None]] = {}
    unread: dict[str, Definition] = {}
    for sources in states:
        table = definitions(sources)
        typedefs = {n: tuple(d.text for d in defs if d.kind is Kind.TYPEDEF) for n, defs in table.items()}
        macros = frozenset(n for n, defs in table.items() if any(d.kind is Kind.MACRO for d in defs))
        bodies = {n: defs[0] for n, defs in table.items() if defs[0].kind is Kind.MACRO}
        for n, defs in table.items():
            for d in (d for d in defs if n in named and d.kind is Kind.VARIABLE):
                text = generated_text(d, bodies) if d.generated_by is not None else d.text
                said = key_defined(n, text or d.text, typedefs, macros=macros)
                kinds.setdefault(n, set()).add(said)
                if said is None and text is not None and not _invokes(text, macros):
                    unread.setdefault(n, d)
    _refuse(named, kinds, unread)


def _invokes(text: str, macros: frozenset[str]) -> bool:
    """Whether ``text`` invokes a function-like macro of ``macros`` (the files' own)."""
    return any(w in macros for w in re.findall(r"\b(\w+)\s*\(", text))


def _refuse(named: dict[str, tuple[str, int]], kinds: dict[str, set[bool | None]],
            unread: dict[str, Definition]) -> None:
    """check_keys()' InputError for the first key (by its matrix line) it refuses, if any."""
    bad = sorted((at, name) for name, at in named.items() if not kinds.get(name) and not feature_name(name))
    plain = sorted((at, name) for name, at in named.items() if kinds.get(name) == {False})
    untold = sorted((at, name) for name, at in named.items() if name in unread)
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
    if untold:
        (path, line), name = untold[0]
        d = unread[name]
        raise InputError(Where(path, line),
                         f"static key {name}: its definition at {d.path}:{d.line} is of a type not known from the code "
                         "run (a typedef no file defines, or two that disagree): whether it is a static key a script "
                         "can set is not known")

"""File-scope definitions a file (or a unit's files) gives twice, or declarations gcc refuses together, from text."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping

from models.brackets import closing_brace
from models.declconflict import first_conflict, macro_named, name_where
from models.lazyre import lazy
from models.macronames import declared_as
from models.slicer import Definition, Kind, split_top_level
from models.wordfind import NO_WORD_AFTER, NOT_AFTER_WORD, has_name

# An ``extern inline`` function with gnu_inline (the kernel's ``inline`` under gnu89 rules) is no external definition:
# a file may define the function again, and gcc builds both (the second is the out-of-line copy).
_EXTERN_INLINE = lazy(r"\bextern\b[^{]*\binline\b|\binline\b[^{]*\bextern\b")
_TAGGED = lazy(r"^(?:[^{(=]*?)\b(?:struct|union|enum)\b[^{;=]*\{")


def initialised(name: str, text: str) -> bool:
    """Whether the declaration ``text`` (a definition's own, or what the macro invocation that generated it expands
    to) gives the variable ``name`` an initializer: ``int a = 1, *b;`` defines ``a``, only declares ``b`` (a tentative
    definition, C11 6.9.2, which a file may repeat and complete once)."""
    flat = " ".join(text.split())
    tagged = _TAGGED().match(flat)
    if tagged is not None:  # "struct pr { ... } g_x = { 1 }, g_y;": the declarators follow the type's body
        flat = flat[closing_brace(flat, tagged.end() - 1) + 1:]
    for part in split_top_level(flat.rstrip(" ;"), ","):
        sides = split_top_level(part, "=")
        if has_name(re.sub(r"\[[^\]]*\]", " ", sides[0]), name, NOT_AFTER_WORD, NO_WORD_AFTER):
            return len(sides) > 1
    return False


def defines(d: Definition, text: str) -> bool:
    """Whether ``d`` is a definition a file may give once (C11 6.7p3, 6.9p3): a function's body (not an ``extern
    inline`` one), a struct, union or enum body, an enumerator, a variable's initializer. A typedef may be repeated
    (C11), and a macro defined again is a warning, not an error."""
    if d.kind is Kind.FUNCTION:
        return _EXTERN_INLINE().search(text.split("{", 1)[0]) is None
    if d.kind is Kind.VARIABLE:
        return initialised(d.name, text)
    return d.kind in (Kind.STRUCT, Kind.ENUM)


def redefinitions(items: Iterable[tuple[Definition, str]], macros: Collection[str] | Mapping[str, Definition] = ()
                  ) -> dict[str, str]:
    """``path: "path:line: redefinition of ..."`` for each file that defines a name twice, or declares it in two ways
    gcc refuses together (first_clash), from the declarations of the files a unit reads, each with the text it is
    judged by (its own, or its macro invocation's expansion); ``macros``: the names the files define as macros, or
    their definitions by name (which first_clash expands a function's name with)."""
    by_path: dict[str, list[tuple[Definition, str]]] = {}
    for item in sorted(items, key=lambda item: (item[0].path, item[0].line)):
        by_path.setdefault(item[0].path, []).append(item)
    found = {}
    for path, own in by_path.items():
        clash = first_clash(own, macros, macros if isinstance(macros, Mapping) else None)
        if clash is not None:
            found[path] = f"{name_where(clash[0])}: {clash[1]}"
    return found


def first_clash(items: list[tuple[Definition, str]], macros: Collection[str] = (),
                defined: Mapping[str, Definition] | None = None) -> tuple[Definition, str] | None:
    """The first declaration of ``items`` (in the order gcc reads them: one file's, or what a translation unit reads
    of several) that gcc refuses beside one before it, with gcc's words and where that one is: a second definition
    of a name, or a declaration that conflicts with one before it (models.declconflict, which ``macros`` the files
    define it leaves alone: a linkage or a type).
    Definitions under a condition the slicer could not decide are left out: which of them is built is not known.
    Names are compared within C's name spaces: a tag (``s`` of a struct or union, ``enum e``) apart from ordinary
    identifiers. A function whose name a macro of ``defined`` (the files' macros by name) spells is judged as its
    expansion declares it (models.macronames.declared_as): ``int NAME(a)(void);`` beside ``long a_impl(void)``."""
    if defined:
        items = [_expanded(item, macros, defined) for item in items]
    places: dict[str, set[tuple[str, int]]] = {}
    for d, _ in items:
        places.setdefault(d.name, set()).add((d.path, d.line))
    again = [item for item in items if len(places[item[0].name]) > 1]  # the rest has one place
    if not again:
        return None
    twice = _defined_twice(again, macros)
    # the typedefs too, by which a type may be spelt
    clash = first_conflict((item for item in items if item[0].kind is Kind.TYPEDEF or len(places[item[0].name]) > 1),
                           macros)
    if clash is None:
        return twice
    if twice is None:
        return clash[:2]
    at = {id(d): i for i, (d, _) in enumerate(items)}
    # on one declaration gcc says first what its type does, then that it is a redefinition, then its linkage
    i, j = at[id(twice[0])], at[id(clash[0])]
    return twice if i < j or (i == j and not clash[2]) else clash[:2]


def _expanded(item: tuple[Definition, str], macros: Collection[str], defined: Mapping[str, Definition]
              ) -> tuple[Definition, str]:
    """``item`` as its expansion declares it where it is a function named by a macro (macro_named) whose expansion
    is known; else as it is (left unjudged, as macro_named)."""
    d, text = item
    if d.condition is not None or text is not d.text or not macro_named(d, text, macros) \
            or any(m in macros and (m not in defined or defined[m].condition is not None) for m in d.names_used()):
        return item
    found = declared_as(d, defined)
    return item if found is None or found is d else (found, found.text)


def _defined_twice(items: list[tuple[Definition, str]], macros: Collection[str]) -> tuple[Definition, str] | None:
    """The first definition of ``items`` of a name defined before, with gcc's words (none of a function named as a
    macro: models.declconflict.macro_named)."""
    first: dict[tuple[bool, str], Definition] = {}
    for d, text in items:
        if d.condition is not None or not defines(d, text) or macro_named(d, text, macros):
            continue
        before = first.setdefault((d.kind is Kind.STRUCT, d.name), d)
        if before.where != d.where:  # not one declaration listed twice (an enum's items a macro writes)
            return d, f"{_what(before, d)} (defined before at {name_where(before)})"
    return None


def _what(before: Definition, d: Definition) -> str:
    """gcc's words for the second definition ``d`` of a name ``before`` defined."""
    if d.kind is Kind.STRUCT:
        return f"redefinition of struct or union '{d.name}'"
    if before.kind is not d.kind:
        return f"'{d.name}' redeclared as different kind of symbol"
    if d.kind is Kind.ENUM and not d.name.startswith("enum "):
        return f"redeclaration of enumerator '{d.name}'"
    return f"redefinition of '{d.name}'" + (f" (by {d.generated_by}())" if d.generated_by else "")


def initialised_first(table: dict[str, list[Definition]], items: Iterable[tuple[Definition, str]]) -> None:
    """A variable one file declares without an initializer and defines with one (``static int x;`` then ``static
    int x = 2;``, tentative then complete) is the initialised one's object: it comes first, the one the mirror
    keeps (x read 0 where gcc reads 2)."""
    candidates = [name for name, ds in table.items() if len(ds) > 1 and len({d.path for d in ds}) == 1
                  and all(d.kind is Kind.VARIABLE for d in ds)]
    if not candidates:
        return
    texts = {id(d): text for d, text in items}
    for name in candidates:
        ds = table[name]
        own = next((d for d in ds if initialised(name, texts.get(id(d), d.text))), None)
        if own is not None and own is not ds[0]:
            table[name] = [own, *(d for d in ds if d is not own)]


# A weak definition's head (include/linux/compiler_attributes.h: __weak is __attribute__((__weak__))).
WEAK_MARK = re.compile(r"\b__weak\b|\b__attribute__\s*\(\(.*\b(?:__)?weak(?:__)?\b")


def weak_variable(d: Definition) -> bool:
    """Whether ``d`` is a variable's definition whose head, before its name, says it is weak (``int __weak n = 1;``,
    not static, not ``extern``): the linker takes another object file's strong definition over it."""
    head = d.text.split(d.name, 1)[0] if d.kind is Kind.VARIABLE else ""
    return WEAK_MARK.search(head) is not None and re.search(r"\b(?:static|extern)\b", head) is None


def const_object(d: Definition) -> bool:
    """Whether the variable ``d`` defines is itself const (``const u64 x``, ``u64 const x``; not ``const u64 *x``)."""
    return re.search(r"\bconst\b[^*]*$", d.text.split(d.name, 1)[0]) is not None


def _weak(d: Definition) -> bool:
    """Whether ``d`` is a weak variable's definition (not const) or a weak function's (``__weak`` in its head, not
    static): one ld links only where no other object file defines the name strong."""
    if d.kind is Kind.FUNCTION:
        head = d.text.split(d.name, 1)[0]
        return WEAK_MARK.search(head) is not None and re.search(r"\bstatic\b", head) is None
    return weak_variable(d) and not const_object(d)


def strong_over_weak(table: dict[str, list[Definition]]) -> None:
    """A variable (not const) or a function files define ``__weak`` and another file defines strong (not static,
    not ``extern``): ld links the strong one (its initializer is the value every file reads, its body the one every
    call runs: gcc inlines no weak function), so the weak definitions are left out (they were two definitions the
    mirror refused, or one it ran in the kernel's place: the weak one's value, the weak one's body). A const weak
    variable is kept (two definitions, refused): gcc -O1 and above fold its initializer where its own unit reads it,
    -O0 reads the object ld links."""
    for name, ds in table.items():
        if len(ds) < 2 or not any(_weak(d) for d in ds):
            continue
        kind = next(d.kind for d in ds if _weak(d))
        strong = [d for d in ds if d.kind is kind and not _weak(d) and not weak_variable(d)
                  and re.search(r"\b(?:static|extern)\b", d.text.split(name, 1)[0]) is None]
        if strong and {d.path for d in strong}.isdisjoint(d.path for d in ds if _weak(d)):
            table[name] = [d for d in ds if not _weak(d)]

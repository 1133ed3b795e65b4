"""File-scope declarations of one name that gcc refuses together, from text alone.

Neither defines it twice: a linkage that changes (``static int x; int x;``) or types that differ (``typedef int t;
typedef long t;``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from models.brackets import closing_brace, closing_paren
from models.declnames import ANNOTATIONS
from models.lazyre import lazy
from models.slicer import Definition, Kind, split_top_level
from models.wordfind import CALL_AFTER, CALLED_TWICE_AFTER, NO_WORD_AFTER, NOT_AFTER_WORD, has_name, name_spans

# Words around a declaration's type that gcc reads as no part of it: function specifiers and the kernel's
# annotations (include/linux/compiler_types.h, init.h, linkage.h: attributes, or sparse's marks, nothing to gcc).
_NO_TYPE = ANNOTATIONS | frozenset(
    "inline __inline __inline__ __always_inline noinline notrace noinstr asmlinkage __cold _Noreturn".split())
_QUALIFIERS = ("const", "volatile")
_BASIC = frozenset("char short int long signed unsigned void _Bool float double".split())
_NAME = re.compile(r"[A-Za-z_]\w*")
_MACRO = re.compile(r"_*[A-Z][A-Z0-9_]*")
_TOKEN = lazy(r"[A-Za-z_]\w*|\.\.\.|\S")
_ATTRIBUTE = re.compile(r"__attribute__\s*\(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\)")
_KINDS = (Kind.VARIABLE, Kind.PROTOTYPE, Kind.FUNCTION, Kind.TYPEDEF)


@dataclass(frozen=True)
class CType:
    """A type as gcc spells it in its messages: ``rest`` all but the top level's qualifiers ``top``, which a
    function's return type and parameters drop (C11 6.7.6.3p15) and gcc names apart ("conflicting type
    qualifiers")."""

    rest: str
    top: tuple[str, ...] = ()
    pointers: int = 0

    @property
    def spelled(self) -> str:
        if self.pointers:  # "char * const": a pointer's qualifiers follow its star
            return " ".join([self.rest, *self.top])
        return " ".join([*self.top, self.rest])


@dataclass(frozen=True)
class Declared:
    """What one file-scope declaration says of its name: ``static``, ``extern`` or neither, and its type (None when
    text alone does not tell it: ``typeof``, a type name not known, a typedef's array)."""

    storage: str
    type: CType | None


def _basic(words: list[str]) -> str | None:
    """gcc's spelling of the arithmetic type these specifier words name ("long unsigned int"), None if none."""
    count = Counter(words)
    longs, unsigned, signed, ints = (count.pop(w, 0) for w in ("long", "unsigned", "signed", "int"))
    if longs > 2 or max(unsigned, signed, ints, *count.values()) > 1 or (unsigned and signed) or len(count) > 1:
        return None
    size = next(iter(count), None)  # short, char, void, _Bool, float, double
    if size is None:
        return " ".join(["long"] * longs + ["unsigned"] * unsigned + ["int"])
    if size == "short" and not longs:
        return "short unsigned int" if unsigned else "short int"
    if size == "char" and not longs and not ints:
        return "unsigned char" if unsigned else "signed char" if signed else "char"
    if size == "double" and longs <= 1 and not (ints or unsigned or signed):
        return "long double" if longs else "double"
    return size if not (longs or ints or unsigned or signed) else None


def _type(tokens: list[str], typedefs: Mapping[str, CType]) -> tuple[str, CType] | None:
    """The storage class and type of a declaration's specifiers and pointer stars (``tokens``, no name); None when
    text alone does not tell it."""
    storage, quals, words = "", set[str](), list[str]()
    base: CType | None = None
    cur: CType | None = None  # the type so far, once a star is read
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t == "*":
            cur = _specified(base, words, quals) if cur is None else CType(cur.rest, _ordered(quals), cur.pointers)
            if cur is None:
                return None
            cur, quals = CType(cur.spelled + ("*" if cur.pointers and not cur.top else " *"), (), 1), set()
        elif t in ("static", "extern"):
            storage = t
        elif t in _QUALIFIERS:
            quals.add(t)
        elif t in _NO_TYPE:
            pass
        elif cur is not None:
            return None  # a type word after a star
        elif t in _BASIC:
            words.append(t)
        elif t in ("struct", "union") and i + 1 < len(tokens) and _NAME.fullmatch(tokens[i + 1]) and base is None:
            base, i = CType(f"{t} {tokens[i + 1]}"), i + 1
        else:
            known = typedefs.get(t)
            if known is None or base is not None:
                return None  # an enum (its compatible type is gcc's choice), a type this text does not define
            base = known
        i += 1
    cur = _specified(base, words, quals) if cur is None else CType(cur.rest, _ordered(quals), cur.pointers)
    return None if cur is None else (storage, cur)


def _ordered(quals: Iterable[str]) -> tuple[str, ...]:
    return tuple(q for q in _QUALIFIERS if q in quals)


def _specified(base: CType | None, words: list[str], quals: set[str]) -> CType | None:
    """The type the specifiers before any star name: arithmetic ``words`` or ``base`` (a tag, a typedef's type),
    with the qualifiers ``quals`` added to its own."""
    if words:
        spelled = _basic(words)
        if spelled is None or base is not None:
            return None
        base = CType(spelled)
    if base is None:
        return None
    return CType(base.rest, _ordered(quals | set(base.top)), base.pointers)


def declared(d: Definition, text: str, typedefs: Mapping[str, CType]) -> Declared | None:
    """What ``d`` (a variable, prototype, function or typedef, judged by ``text``, its own or its macro invocation's
    expansion) declares of its name; None when its linkage is not known from text either (more than one
    declarator, a name the text does not spell)."""
    flat = " ".join(_ATTRIBUTE.sub(" ", text).split())
    if d.kind is Kind.FUNCTION:
        flat = flat.split("{", 1)[0]
    elif d.kind is Kind.VARIABLE:
        own = _one_declarator(d.name, flat)
        if own is None:
            return None
        flat = own
    elif "{" in flat:  # "typedef struct t { ... } t_t;" is struct t's name; an anonymous struct's, no type told
        m = re.match(r"typedef\s+((?:(?:const|volatile)\s+)*(?:struct|union)\s+[A-Za-z_]\w*)\s*\{", flat)
        if m is None:
            return Declared("", None)
        flat = f"typedef {m.group(1)} {flat[closing_brace(flat, m.end() - 1) + 1:]}"
    flat = flat.rstrip(" ;")
    if d.kind in (Kind.FUNCTION, Kind.PROTOTYPE):
        return _function(d.name, flat, typedefs)
    if d.kind is Kind.TYPEDEF:
        own = _one_declarator(d.name, flat)
        if own is None:
            return None
        flat = own
    tokens = _TOKEN().findall(flat.removeprefix("typedef") if d.kind is Kind.TYPEDEF else flat)
    tags = {i + 1 for i, t in enumerate(tokens) if t in ("struct", "union")}
    at = [i for i, t in enumerate(tokens) if t == d.name and i not in tags]
    if len(at) != 1:
        return None
    if at[0] < len(tokens) - 1:
        derived = _derived(tokens[:at[0]], tokens[at[0] + 1:], typedefs)
        # a typedef's derived type is not one _type() spells further ("arr_t *p"): left untold
        return derived if derived is None or d.kind is Kind.VARIABLE else Declared(derived.storage, None)
    if any(t in "()[]" for t in tokens):
        return Declared(_storage(tokens), None)
    found = _type(tokens[:-1], typedefs)
    return Declared(_storage(tokens), None if found is None else found[1])


def _derived(head: list[str], tail: list[str], typedefs: Mapping[str, CType]) -> Declared | None:
    """What a declarator with ``head`` before its name and ``tail`` after it declares: an array of literal bounds
    (``int *a[3][2]``: gcc's 'int *[3][2]'; its qualifiers are its elements', none at its top), a pointer to one
    ('int (*)[3]') or to a function (``u64 (*fp)(int a)``: 'long long unsigned int (*)(int)'). None for any other
    declarator, or where a bound is no decimal literal or a part is not known: gcc judges the types before the
    linkage, and its words would be other than ours."""
    storage = _storage(head + tail)
    if re.fullmatch(r"(?:\[[^\[\]]*\])+", "".join(tail)):
        dims = "".join(tail)
        elem = _type(head, typedefs) if re.fullmatch(r"(?:\[[1-9]\d*\])+", dims) else None
        return None if elem is None else Declared(storage, CType(f"{elem[1].spelled}{dims}"))
    if head[-2:] != ["(", "*"] or tail[:1] != [")"]:
        return None
    if re.fullmatch(r"(?:\[[1-9]\d*\])+", "".join(tail[1:])):  # a pointer to an array: 'int (*)[3]'
        elem = _type(head[:-2], typedefs)
        return None if elem is None else Declared(storage, CType(f"{elem[1].spelled} (*){''.join(tail[1:])}"))
    params_text = " ".join(tail[1:])
    if tail[1:2] != ["("] or closing_paren(params_text, 0) != len(params_text) - 1:
        return None
    returned, params = _type(head[:-2], typedefs), _params(" ".join(tail[2:-1]), typedefs)
    if returned is None or params is None or any(q in tail for q in _QUALIFIERS):
        return None  # gcc names a parameter's qualifiers ('int (*)(const int)') that its type drops
    return Declared(storage, CType(f"{returned[1].rest} (*)({',  '.join(params)})"))


def _one_declarator(name: str, flat: str) -> str | None:
    """The declaration ``flat`` (no ``;``) cut to the one declarator that declares ``name``, its initializer left out:
    ``static u64 x = 1, *y`` is ``static u64 *y`` for y (C11 6.7p1: the specifiers are every declarator's, a star
    its own). None where no one declarator names it, or the specifiers hold a struct's body."""
    parts = [split_top_level(p, "=")[0] for p in split_top_level(flat.rstrip(" ;"), ",")]
    if "{" in parts[0]:
        return None
    if len(parts) == 1:
        return parts[0]
    own = [i for i, p in enumerate(parts) if has_name(p, name, NOT_AFTER_WORD, NO_WORD_AFTER)]
    if len(own) != 1:
        return None
    if own[0] == 0:
        return parts[0]
    # The first declarator starts at its first star or parenthesis, else at its name (before any '[').
    tokens = _TOKEN().findall(parts[0])
    ends = [i for i, t in enumerate(tokens) if t in ("*", "(")]
    ends.append(tokens.index("[") - 1 if "[" in tokens else len(tokens) - 1)
    return " ".join([*tokens[:min(ends)], parts[own[0]]])


def _storage(tokens: list[str]) -> str:
    """``static``, ``extern`` or "" for neither; "?" when a word in capitals may be a macro that gives one."""
    if "static" in tokens or "extern" in tokens:
        return "static" if "static" in tokens else "extern"
    return "?" if any(_MACRO.fullmatch(t) for t in tokens) else ""


def _function(name: str, head: str, typedefs: Mapping[str, CType]) -> Declared | None:
    """What a function's prototype or head (``static u64 f(u64 fn)``) declares: its storage class, and its type
    when its return type and every parameter's are known (a prototype, no ``...``)."""
    m = next(name_spans(head, name, NOT_AFTER_WORD, CALL_AFTER), None)
    if m is None:
        return None
    close = closing_paren(head, m[1] - 1)
    before = _TOKEN().findall(head[:m[0]])
    if close is None or any(t in "()[]" for t in before) or name in before:
        return None
    storage = _storage(before)
    after = _TOKEN().findall(head[close + 1:])
    returned = _type(before, typedefs)
    params = _params(head[m[1]:close], typedefs)
    if returned is None or params is None or any(t in "()[]" for t in after):
        return Declared(storage, None)
    return Declared(storage, CType(f"{returned[1].rest}({',  '.join(params)})"))


def _params(text: str, typedefs: Mapping[str, CType]) -> list[str] | None:
    """gcc's spelling of each parameter's type (their names and top-level qualifiers dropped); None for ``()`` (no
    prototype), ``...`` or a parameter text alone does not tell."""
    if not text.strip():
        return None
    if text.strip() == "void":
        return ["void"]
    out = []
    for part in split_top_level(text, ","):
        tokens = _TOKEN().findall(part)
        if not tokens or any(t in "()[]" or t == "..." for t in tokens):
            return None
        found = _type(tokens, typedefs) or _type(tokens[:-1], typedefs)  # unnamed, or its name last
        if found is None or found[0]:
            return None
        out.append(found[1].rest)
    return out


@lru_cache(maxsize=1)
def prelude_typedefs() -> Mapping[str, CType]:
    """The types of the kernel's typedefs the mirror's prelude gives (include/linux/types.h's, x86-64), by name."""
    from models.atomic import LATE_TYPES
    from models.prelude import TYPES

    table: dict[str, CType] = {}
    for text in re.findall(r"typedef [^;]*;", TYPES + LATE_TYPES):
        name = _NAME.findall(text)[-1]
        found = declared(Definition(Kind.TYPEDEF, name, text, "", 0), text, table)
        if found is not None and found.type is not None:
            table.setdefault(name, found.type)
    return table


def name_where(d: Definition) -> str:
    """``path:line`` of the name ``d`` declares, where gcc reports it (a function's name on the line below its return
    type, an enumerator on its own line in the enum's body, a typedef's name after its struct's body); the line ``d``
    starts on where its text does not spell the name (an invocation of a macro that pastes it)."""
    spelt = [at for at, _ in name_spans(d.text, d.name.split()[-1], NOT_AFTER_WORD, NO_WORD_AFTER)]
    if not spelt:
        return d.where
    at = spelt[-1] if d.kind is Kind.TYPEDEF else spelt[0]  # "typedef struct t {...} t;": the last declares it
    return f"{d.path}:{d.line + d.text.count(chr(10), 0, at)}"


def first_conflict(items: Iterable[tuple[Definition, str]], macros: Collection[str] = ()
                   ) -> tuple[Definition, str, bool] | None:
    """The first declaration of ``items`` (each with the text it is judged by, in the order gcc reads them) that gcc
    refuses beside one before it of the same name and kind, with gcc's words and where the other is, and whether they
    are of its type (gcc's first check of a declaration, before a redefinition or the linkage): a static
    declaration after one with external linkage, a variable's declaration without ``static`` after a static one (a
    function's takes the linkage before it, as ``extern`` does), a type that differs, or another kind (a variable,
    a function, a typedef: "redeclared as different kind of symbol"). Declarations under a
    condition the slicer could not decide are left out, and so is what text alone does not tell, a name the files
    define as a macro, and a function named as a macro (macro_named)."""
    typedefs = dict(prelude_typedefs())
    own: set[str] = set()
    seen: dict[tuple[str, int], list[tuple[Definition, Declared]]] = {}
    kinds: dict[str, Definition] = {}  # the first declaration of each name: a variable, a function or a typedef
    for d, text in items:
        if d.kind not in _KINDS or d.condition is not None or d.name in macros or macro_named(d, text, macros):
            continue
        other = kinds.setdefault(d.name, d)
        # a name in capitals may be a macro's that the slicer read as a declarator ("typedef int t DEPRECATED;")
        if _CLASS[other.kind] != _CLASS[d.kind] and not _MACRO.fullmatch(d.name):
            return d, f"'{d.name}' redeclared as different kind of symbol (declared before at " \
                      f"{name_where(other)})", True
        found = declared(d, text, typedefs)
        if found is None:
            continue
        if d.kind is Kind.TYPEDEF and found.type is not None and d.name not in own:
            own.add(d.name)
            typedefs[d.name] = found.type
        before = seen.setdefault((d.name, _CLASS[d.kind]), [])
        why = _clash(d, found, before) if before else None
        if why is not None:
            return d, *why
        before.append((d, found))
    return None


_CLASS = {Kind.VARIABLE: 0, Kind.PROTOTYPE: 1, Kind.FUNCTION: 1, Kind.TYPEDEF: 2}


def macro_named(d: Definition, text: str, macros: Collection[str]) -> bool:
    """Whether ``d`` (judged by ``text``) is a function or prototype named as one of ``macros``, in capitals, or by a
    call (``int enter(open)(void *args)``): what the slicer read as its name may be a macro's that makes the name
    (``struct cmac_ctx CMAC_CTX(struct aes_ctx);``, ``int TRANS(Open)(int fd) {...}``)."""
    if d.kind not in (Kind.FUNCTION, Kind.PROTOTYPE):
        return False
    return d.name in macros or _MACRO.fullmatch(d.name) is not None or \
        has_name(text.split("{", 1)[0], d.name, NOT_AFTER_WORD, CALLED_TWICE_AFTER)


def _clash(d: Definition, found: Declared, before: list[tuple[Definition, Declared]]) -> tuple[str, bool] | None:
    """gcc's words for ``d`` declared ``found`` after the declarations ``before`` of its name, and whether they are
    of its type (which gcc checks first, before a redefinition or the linkage); or None."""
    typed = _type_clash(d, found, before)
    if typed is not None:
        return typed, True
    first_d, first = before[0]
    if d.kind is Kind.TYPEDEF or "?" in (first.storage, found.storage):
        return None
    if found.storage == "static" and first.storage != "static":
        return f"static declaration of '{d.name}' follows non-static declaration (declared before at " \
               f"{name_where(first_d)})", False
    if not found.storage and d.kind is Kind.VARIABLE and first.storage == "static":
        return f"non-static declaration of '{d.name}' follows static declaration (declared before at " \
               f"{name_where(first_d)})", False
    return None


def _type_clash(d: Definition, found: Declared, before: list[tuple[Definition, Declared]]) -> str | None:
    """gcc's words for ``d``'s type beside the first declaration ``before`` of another: a variable's qualifiers at its
    top level differ (whatever else does), or the types differ."""
    if found.type is None:
        return None
    for b, other in before:
        if other.type is None or other.type == found.type:
            continue
        if d.kind is Kind.VARIABLE and other.type.top != found.type.top:
            return f"conflicting type qualifiers for '{d.name}' (declared before at {name_where(b)})"
        return (f"conflicting types for '{d.name}'; have '{found.type.spelled}' (declared before at "
                f"{name_where(b)} with type '{other.type.spelled}')")
    return None

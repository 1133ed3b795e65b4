"""A function of the variant named like a prelude macro: gcc expands its name too, so the prelude's never stands in."""

# The prelude's macros stand for the kernel headers a file includes at its top: a definition or prototype below
# them whose name is one of them (``static int fls(unsigned int x)``) has its name expanded by gcc as well (C11
# 6.10.3p10), which declares another function (``ffs`` -> ``__builtin_ffs``, run as such) or none at all, a build
# error. Before, the mirror dropped the latter as C it does not parse while every call of the name still expanded the
# prelude's macro: the patch's function never ran, nor was a run refused. Now the name is refused (models.cload puts
# it among the dropped names, whose prelude fallback is withheld): a use is a call of what is not available, at its
# file:line, the reason naming the definition's.

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from models.declconflict import declared, name_where, prelude_typedefs
from models.macroat import ends, prelude_ends
from models.macronames import expanded_name
from models.prelude import PRELUDE_PATH, macro_line, macro_lines, prelude_bodies
from models.primnames import PRIMITIVE_NAMES
from models.slicer import Definition, Kind, top_level_items

_PRIVATE = "__sh_"  # the mirror's own primitives (sh_native.h): what the kernel's header has there is other text
_OWN = (_PRIVATE, "__builtin_")  # no header's: the mirror's own names and gcc's
# a kernel header (include/linux/slab.h, arch/x86/include/asm/processor.h): where the kernel's own definition is
_KERNEL_HEADER = re.compile(r"(?:^|/)include/")


def prelude_clashes(used: Iterable[Definition], undefs: Iterable[Definition], macros: Collection[str],
                    headers: Collection[str] = ()) -> dict[str, str]:
    """Why each definition of ``used`` whose name is a prelude macro in force where it is defined (no macro of the
    variant of that name, ``macros``, and no ``#undef`` of it above in its file, ``undefs``) is not run: gcc's
    expansion of a function's or prototype's head declares no function, or one of the mirror's own; a variable or an
    enumerator named like an object-like macro (``static const int EIO = 77;``, ``enum { GFP_KERNEL = 5 }``) is no
    declaration at all (a constant where its name goes), unless a kernel header holds it (``headers``: those taken
    from the tree; the prelude's macro may stand for that very enumerator). By name, "FILE:LINE: why"."""
    bodies = prelude_bodies()
    kernel = prelude_ends(undefs, macros)
    out: dict[str, str] = {}
    for d in used:
        if d.kind in (Kind.VARIABLE, Kind.ENUM) and (d.path in headers or _KERNEL_HEADER.search(d.path)):
            continue
        name = _clashing_name(d, bodies)
        if name is None or name in macros:
            continue
        told = [ends(u, d.path, d.line) for u in kernel.get(name, ())]
        if True in told:
            continue  # #undef'ed above it: no macro there (models.macroat)
        at = f"{PRELUDE_PATH}:{macro_line(name)}"
        if None in told:
            out[d.name] = (f"{d.where}: {name} is a kernel header's macro (the prelude's, {at}) whose #undef may "
                           "or may not come above this definition: whether gcc expands its name here is not known")
        elif (said := _what_gcc_declares(d, name)) is not None:
            out[d.name] = (f"{d.where}: {name} is a kernel header's macro (the prelude's, {at}) in force here: gcc "
                           f"expands the name of this {d.kind.value} too, which "
                           f"then {said} (a build error with the kernel's headers), so neither it nor the macro "
                           f"stands for {d.name} here")
    return out


def _clashing_name(d: Definition, bodies: dict[str, str]) -> str | None:
    """The name of ``d`` (for an enum, of any of its enumerators) that a prelude macro has, else None."""
    if d.kind in (Kind.FUNCTION, Kind.PROTOTYPE):
        return d.name if d.name in bodies else None
    if d.kind in (Kind.VARIABLE, Kind.ENUM):  # any declarator of the declaration: none of it builds
        names = _declared(d.text, d.path, d.line, d.kind)
        return next((n for n in names if n in _object_like()), None)
    return None


def _what_gcc_declares(d: Definition, name: str) -> str | None:
    """What gcc makes of ``d`` below the prelude's ``name``, where that is not ``d`` as written; None where it is."""
    if d.kind in (Kind.FUNCTION, Kind.PROTOTYPE):
        got = expanded_name(d)
        if got is None or got.startswith(_PRIVATE):
            return "declares no function" if got is None else f"declares {got}(), the mirror's own"
        return None
    body = _object_like()[name]
    if re.fullmatch(r"[A-Za-z_]\w*", body.strip()):
        return None  # another name: declared under it (the mirror's own spelling of it would stand for it)
    return f"declares no {'enumerator' if d.kind is Kind.ENUM else 'variable'} ({name} is {body.strip()[:40]})"


@lru_cache(maxsize=1)
def _object_like() -> dict[str, str]:
    """The prelude's object-like macros' bodies, by name (errno values, GFP_KERNEL, PAGE_SIZE, true)."""
    return {name: body for name, params, body in macro_lines() if not params}


@lru_cache(maxsize=256)
def _declared(text: str, path: str, line: int, kind: Kind) -> tuple[str, ...]:
    """The names of ``kind`` one declaration's text declares: a variable's declarators, an enum's enumerators."""
    return tuple(x.name for x in top_level_items(text, path, line) if x.kind is kind and " " not in x.name)


def primitive_clashes(used: Iterable[Definition], headers: Collection[str], undefs: Iterable[Definition] = ()
                      ) -> dict[str, str]:
    """Why each function the variant's own files define (not the kernel's headers, ``headers`` the paths of those
    taken from the tree) whose name is a kernel primitive the mirror models (models.primnames: kfree(), kmalloc(),
    memcpy(), cpu_relax() ...) is not run: the kernel's headers declare or define that name, so gcc refuses a static
    definition (a conflict with the declaration, or a redefinition) and the link a second one in vmlinux; the
    primitive does not stand for it either; unless an ``#undef`` of the name above it in its file (``undefs``) took
    the header's macro away ("#undef likely" then "static int likely(int x)": gcc builds the code's own). By name,
    "FILE:LINE: why"."""
    out: dict[str, str] = {}
    undone = {(u.name, u.path): u.line for u in undefs}
    for d in used:
        if d.kind is not Kind.FUNCTION or d.name not in PRIMITIVE_NAMES or d.name.startswith(_OWN) \
                or d.path in headers or _KERNEL_HEADER.search(d.path) \
                or undone.get((d.name, d.path), d.line) < d.line:
            continue
        out.setdefault(d.name, f"{d.where}: {d.name} is a kernel function the mirror models (models/kernel.py), which "
                       "the kernel's headers declare or define: gcc refuses a static definition of it here (it "
                       "conflicts with the header's), and a second global one fails the link, so neither this "
                       f"definition nor the kernel's stands for {d.name} here")
    return out


def typedef_clashes(items: Iterable[Definition], headers: Collection[str]) -> dict[str, str]:
    """``path: why`` of each file of the variant (not ``headers``, the tree's) with a typedef of a name the kernel's
    headers define as a typedef too (include/linux/types.h's u8, bool, size_t, as the prelude gives them) with
    another type: gcc refuses it ("conflicting types"), in every unit that reads the file. The same type spelt another
    way builds (``typedef long long unsigned int u64;``), as does one text alone does not tell (left alone)."""
    kernel = prelude_typedefs()
    out: dict[str, str] = {}
    for d in items:
        if d.condition is not None or d.path in headers or d.path in out:
            continue
        if d.kind is Kind.STRUCT and d.name in _KERNEL_TAGS and "{" in d.text:
            if not d.path.endswith(_KERNEL_TAGS[d.name]):  # a patch to the header that defines it: its own
                out[d.path] = (f"{name_where(d)}: redefinition of 'struct {d.name}' (the kernel's headers, "
                               f"{_KERNEL_TAGS[d.name]}, define it): gcc refuses it")
            continue
        if d.kind is not Kind.TYPEDEF or d.name not in kernel:
            continue
        found, theirs = declared(d, d.text, kernel), kernel[d.name]
        if _PRIVATE in theirs.rest:  # spinlock_t, atomic_t: the prelude's struct stands in for the kernel's
            have = found.type.spelled if found and found.type else "struct {...}" if "{" in d.text else None
            if not d.path.endswith(_STAND_IN_HOMES.get(d.name, "include/linux/types.h")) \
                    and (why := _stand_in_clash(d, have)) is not None:
                out[d.path] = why
            continue
        if found is not None and found.type == theirs:
            continue
        have = found.type.spelled if found is not None and found.type is not None else None
        if have is None and not theirs.pointers and _derived(d.name).search(d.text):
            have = "a pointer, array or function type"  # never the kernel's arithmetic type, whatever its base
        if have is None:
            continue
        out[d.path] = (f"{name_where(d)}: conflicting types for '{d.name}'; have '{have}' (the kernel's headers, "
                       f"include/linux/types.h as the prelude gives it, have '{theirs.spelled}'): gcc refuses this "
                       "typedef, and neither type stands for the other here")
    return out


# Struct tags the kernel's headers define, which every unit reads (include/linux/types.h's; spinlock_types_raw.h,
# spinlock_types.h and mutex_types.h, which the prelude stands for): a definition of one of the variant's is gcc's
# "redefinition". The typedefs the prelude gives a stand-in struct of its own (``struct __sh_spinlock``) name these
# in the kernel: ``typedef struct spinlock spinlock_t;`` is the same type; atomic_t's and atomic64_t's structs have
# no tag, so every other typedef of them conflicts.
_KERNEL_TAGS = {**dict.fromkeys(("list_head", "hlist_head", "hlist_node", "callback_head"), "include/linux/types.h"),
                "raw_spinlock": "include/linux/spinlock_types_raw.h", "spinlock": "include/linux/spinlock_types.h",
                "mutex": "include/linux/mutex_types.h"}
_STAND_IN_TAGS = {"spinlock_t": "spinlock", "raw_spinlock_t": "raw_spinlock"}
_STAND_IN_HOMES = {"spinlock_t": _KERNEL_TAGS["spinlock"], "raw_spinlock_t": _KERNEL_TAGS["raw_spinlock"]}


def _stand_in_clash(d: Definition, have: str | None) -> str | None:
    """Why a typedef of a name the prelude gives a stand-in struct (spinlock_t, atomic_t) conflicts with the kernel's,
    or None where it names the kernel's own struct (``typedef struct spinlock spinlock_t;``)."""
    tag = _STAND_IN_TAGS.get(d.name)
    if tag is not None and have == f"struct {tag}" and "{" not in d.text:
        return None
    theirs = f"struct {tag}" if tag else "a struct of its own, with no tag"
    return (f"{name_where(d)}: conflicting types for '{d.name}'; have '{have or 'a type of its own'}' (the kernel's "
            f"headers have '{theirs}'): gcc refuses this typedef, and the mirror's stand-in is not it")


@lru_cache(maxsize=64)
def _derived(name: str) -> re.Pattern[str]:
    """A declarator of ``name`` that derives a type: a pointer (``*u8``, ``(*u8)(void)``), an array (``u8[4]``), a
    function (``u8(void)``); not the name alone in parentheses (``typedef unsigned char (u8);`` is u8's own type)."""
    word = re.escape(name)
    return re.compile(rf"\*\s*(?:(?:const|volatile)\s+)*{word}\b|(?<![\w.]){word}\s*[\[(]")

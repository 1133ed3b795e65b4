"""Why a name of a variant's C cannot be given one definition: undecided conditions, redefinitions, a copy per unit."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from typing import Protocol

from models.cdirectives import directives
from models.closure import local_copies, namespaces
from models.macroat import each_sees_one, in_one_file, unplaced_undef
from models.macronames import called_name
from models.slicer import UNDEF_NAME, Definition, Kind


class UnitSource(Protocol):
    """What is read here of a models.loader.Source: its path, and the macros its one unit defines above it
    (harness.unitmacros). A protocol: models.loader imports this module, so importing it back would be a cycle
    (tests/models/test_structure.py)."""

    @property
    def path(self) -> str: ...

    @property
    def unit_macros(self) -> tuple[tuple[str, str, str], ...]: ...

    @property
    def pieces(self) -> tuple[tuple[int, tuple[str, ...]], ...]: ...


def ambiguous(table: dict[str, list[Definition]], name: str, used: Iterable[Definition] = (),
              whole: Container[str] = (), sources: tuple[UnitSource, ...] = ()) -> str | None:
    """Why a name cannot be given one definition, or None when it can:

    - different definitions under preprocessor conditions the slicer could not decide (models.conditional):
      which one is built is unknown;
    - a macro defined differently in more than one place (a redefinition, ``#undef`` then ``#define``):
      a use sees the definition before it, and the mirror keeps one per name (the latest, listed first),
      so it is refused unless every use in ``used`` comes after that one, in its file, or each sees the one in force
      there (models.macroat.each_sees_one; ``whole``: the paths of the files known whole, where a kernel header's
      macro the file defines only below a use is the header's there);
    - a macro a .c file defines that another file's code uses, unless that is a header's the .c file reads below
      the definition, the only unit to read it (``sources``: Source.unit_macros, harness.unitmacros).
    """
    for found in namespaces(table.get(name, [])):
        why = _ambiguous_in(found, name, used, table.get(UNDEF_NAME, []), whole, sources)
        if why is not None:
            return why
    return None


def _ambiguous_in(found: list[Definition], name: str, used: Iterable[Definition], undefs: list[Definition],
                  whole: Container[str] = (), sources: tuple[UnitSource, ...] = ()) -> str | None:
    """ambiguous() for the definitions of one name space."""
    spelt = next((d for d in found if d.kind is Kind.FUNCTION and called_name(d)), None)
    if spelt is not None:  # _named_by_macros left it: gcc would not declare a function of the macro's name
        return (f"the function's name is spelt by {name}(...), a macro these files do not define, or define more "
                "than once or under a condition the mirror cannot decide: which function it declares is not known")
    undecided = _undecided_undef(found, name, used, undefs)
    if undecided is not None:
        return undecided
    if len(found) == 1 and each_sees_one(found, undefs, used, whole):  # its #undef too (models.macroat)
        return None
    if len({d.text for d in found}) < 2:
        cond = next((d.condition for d in found if d.condition and d.kind is Kind.MACRO), None)
        if cond is not None and not _fallback(cond, name):
            # A function or variable defined only there is the one any build that links has; code that uses an
            # undefined macro still builds (#ifdef, # of its name) and does something else: not assumed.
            return (f"macro {name} is defined only under {cond}, which the mirror cannot decide: whether it "
                    "exists is not known")
        return (_unit_macro(found[0], used, sources) or unplaced_undef(found, undefs, used)) if found else None
    where = ", ".join(d.where for d in found)
    users = _users(name, used)
    cond = next((d.condition for d in found if d.condition), None)
    if cond is not None:
        return f"{name} is defined {len(found)} times ({where}) under {cond}, which the mirror cannot decide"
    if found[0].kind is not Kind.MACRO:
        # Two .c files may each have their own static one: a call sees its translation unit's. The mirror
        # reads the variant's files as one: calls from the code of a file with its own copy of a function
        # reach that copy (models.cload), the rest (a header's code, a macro's) cannot be told.
        if local_copies(found):  # a macro's use is expanded elsewhere: which copy it names cannot be told
            certain = all(d.path in {c.path for c in found} and d.kind is not Kind.MACRO for d in users)
        else:
            certain = all(d.path == found[0].path for d in users)
        if len({d.path for d in found}) > 1 and not (users and certain):
            return (f"{name} is defined {len(found)} times ({where}): each translation unit sees its own, and the "
                    "mirror reads the files as one")
        return None
    unplaced = unplaced_undef(found, undefs, used)  # an #undef in a header: the latest #define may be no use's
    if unplaced is not None:
        return unplaced
    last = found[0]
    below = all(d.path == last.path and d.line > last.line for d in users)
    between = _included_between(found, users, sources) if below else None
    if (below and between is None) or each_sees_one(found, undefs, used, whole):
        return None
    if between is not None:
        return (f"macro {name} is defined {len(found)} times ({where}): {last.path}:{between} includes a file "
                f"between {last.where} and its use, which may define it again (gcc's cpp then expands that one): "
                "which one a use sees there is not followed")
    if in_one_file(found, undefs):  # else models.macroat gives each use the one in force there
        return (f"macro {name} is defined {len(found)} times ({where}): a use where none is in force (above the "
                "first, or #undef'ed since) or with one inside its own lines is not followed")
    units = {d.path for d in found}
    header = next((u.where for u in users if u.path not in units), None)
    if len(units) == len(found) and all(p.endswith(".c") for p in units) and header is not None:
        # Each .c file its own translation unit: a header's code is built in each with that unit's definition.
        return (f"macro {name} is defined {len(found)} times ({where}), once in each of those .c files, and used "
                f"by the code at {header}: each unit reading it builds it with its own definition, and the mirror "
                "loads one program of the variant's files, not one per unit")
    return (f"macro {name} is defined {len(found)} times ({where}): a use sees the definition before it, which "
            "the mirror does not follow")


def _included_between(found: list[Definition], users: list[Definition], sources: tuple[UnitSource, ...]
                       ) -> int | None:
    """The line of an ``#include`` between the latest definition ``found[0]`` and a use below it in its file while
    another file defines the macro too: the included file (or one it includes) may define it again, and gcc's use
    then sees that one (``#define TDX_VER 3`` then ``#include "tdx.h"`` defining it 9: cpp warns "redefined" and
    expands 9), not the one above; None when there is none. Read as gcc reads directives (models.cdirectives)."""
    last = found[0]
    if all(d.path == last.path for d in found) or not users:
        return None
    end = max(u.line + u.text.count("\n") for u in users)
    return next((d.line for s in sources if s.path == last.path for d in directives(s.pieces)
                 if last.line < d.line <= end and d.name == "include"), None)


def _undecided_undef(found: list[Definition], name: str, used: Iterable[Definition], undefs: list[Definition]
                     ) -> str | None:
    """Why a use of the variant's macro ``name`` is refused when an #undef of it under an #if the mirror does not
    decide lies above the use in its file (or in a header, which the use's file may include): whether the macro is
    in force there is not known. Before, the #undef was taken as certain (the macro withheld: 'unknown identifier')
    or not at all (g(3) ran as the macro g where gcc may call the function g)."""
    if not any(d.kind is Kind.MACRO for d in found):
        return None
    for u in undefs:
        if u.name != name or u.condition is None:
            continue
        if any(d.line > u.line if d.path == u.path else u.path.endswith(".h") for d in _users(name, used)):
            return (f"{u.where}: #undef {name} under {u.condition}, which the mirror cannot decide: whether {name} "
                    "is a macro below it is not known")
    return None


def _fallback(condition: str, name: str) -> bool:
    """Whether an undecided condition is the kernel's fallback idiom for ``name`` (``#ifndef name`` /
    ``#if !defined(name)`` around its default definition), or an ``#if`` a hunk does not show: what the code
    gets unless an unseen header overrides it, which the mirror then assumes, as for a header guard."""
    if "its #if is not in what is known" in condition:
        return True  # a hunk that shows an #endif (or #else) alone: nearly always the header guard's
    return default_unless_defined(condition, name)


# Source.unit_macros' why for a header a .c file reads above its #define of a macro the header defaults (#ifndef), that
# definition reaching no code (harness.unitmacros): the header's code has its default, as gcc's cpp gives it there.
DEFAULT_FIRST = "the header, read above the definition, has its own #ifndef default of it, which its code sees"


def default_unless_defined(condition: str, name: str) -> bool:
    """Whether ``condition`` (Definition.condition) is ``#ifndef name`` or ``#if !defined(name)``: a definition under
    it is a default, taken only where no definition of ``name`` is in force."""
    return re.match(rf"#(?:ifndef\s+{re.escape(name)}\b|if\s+!\s*defined\s*\(?\s*{re.escape(name)}\b)",
                    condition) is not None


def _users(name: str, used: Iterable[Definition]) -> list[Definition]:
    """The definitions among ``used`` that use ``name``: looked for only where a verdict needs them (every name
    of a program asking over all its definitions is quadratic: 30 s for a chain of 3,000 macros)."""
    return [d for d in used if d.name != name and d.uses(name)]


def _unit_macro(d: Definition, used: Iterable[Definition], sources: tuple[UnitSource, ...]) -> str | None:
    """A macro a .c file defines reaches code of another file only if that file is included after the definition
    (and never another .c file's code): a header's code sees it where the harness found the .c file to be the one
    unit reading the header, first below the definition (Source.unit_macros: harness.unitmacros; a run in another
    unit is refused there: harness.rununits), else such a use is refused, with the harness's reason."""
    if d.kind is not Kind.MACRO or not d.path.endswith(".c"):
        return None
    told = {(n, h): why for s in sources if s.path == d.path for n, h, why in s.unit_macros}
    for u in used:
        if u.path == d.path or u.name == d.name or not u.uses(d.name):
            continue
        why = told.get((d.name, u.path), "which the mirror does not follow")
        if why:
            return (f"macro {d.name} is defined in {d.where}, a .c file, and used in {u.where}: that code sees it only "
                    f"if its file is included after the definition, {why}")
    return None

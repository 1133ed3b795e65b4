"""What a created .c file's link status means for a run of the state: a link or build error, or nothing claimed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.linking import Link, UnitLink
from models.loader import EntryPoint, Source, definitions, entry_files
from models.outcome import ErrorKind
from models.provenance import provenance_of

if TYPE_CHECKING:
    from harness.variants import Variant

LINK_ERROR = "link error: "
BUILD_ERROR = "build error: "
LINK_UNKNOWN = "not known to be built: "


def link_problems(v: Variant, sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]
                  ) -> dict[str, tuple[ErrorKind, str]]:
    """Entry points whose code lies in a created .c file that is not built (a link error: ErrorKind.BUILD) or
    not known to be (ErrorKind.UNSUPPORTED: nothing may be claimed), with why and the definition's file:line."""
    bad = {u.path: u for u in v.links if u.status in (Link.NOT_LINKED, Link.UNKNOWN)
           or (u.status is Link.LINKED and u.module)}
    if not bad:
        return {}
    files = entry_files(sources, entries)
    out: dict[str, tuple[ErrorKind, str]] = {}
    for e in entries:
        if not files.get(e.name, frozenset()) & bad.keys():
            continue
        own = {d.path for d in definitions(sources).get(e.name, [])}
        for name, _, where in provenance_of(sources, (e,)):
            path = where.rsplit(":", 1)[0]
            if path in bad and bad[path].status is Link.LINKED:
                if path not in own:  # code of the module's own object links it: another object's may not
                    out[e.name] = (ErrorKind.UNSUPPORTED, f"{LINK_UNKNOWN}{e.name}() uses {name}(), defined at "
                                   f"{where}, a created file {module_words(bad[path])}")
                    break
            elif path in bad:
                out[e.name] = _problem(v, sources, e.name, (name, where), bad[path])
                break
    return out


def module_words(u: UnitLink) -> str:
    """Why code of another object than a module's own may not link a function of it."""
    return (f"kbuild builds only as a module of its own ({u.module}): code built in cannot link its functions, "
            "and another module only those it exports")


def _problem(v: Variant, sources: tuple[Source, ...], entry: str, used: tuple[str, str], u: UnitLink
             ) -> tuple[ErrorKind, str]:
    name, where = used
    what = f"{entry}() is defined at {where}" if name == entry else f"{entry}() uses {name}(), defined at {where}"
    also = sorted({d.where for d in definitions(sources).get(name, []) if d.path.endswith(".c")
                   and d.path not in {x.path for x in v.links if x.status in (Link.NOT_LINKED, Link.UNKNOWN)}})
    # The text names no state (v5:02): the same failure in two revisions is one outcome; reports name the states.
    if u.status is Link.NOT_LINKED and not also:
        return ErrorKind.BUILD, f"{LINK_ERROR}{what}, a created file that is not built ({u.why})"
    if also:
        return ErrorKind.UNSUPPORTED, f"{LINK_UNKNOWN}{what}, a created file that " \
            f"{'is not built' if u.status is Link.NOT_LINKED else 'may not be built'} ({u.why}); " \
            f"{', '.join(also)} defines it too: the kernel would link that one, not the copy the mirror ran"
    return ErrorKind.UNSUPPORTED, f"{LINK_UNKNOWN}{what}, a created file: whether it is built is unknown ({u.why})"


def unit_problem(v: Variant, entry: str, unit: str) -> tuple[ErrorKind, str] | None:
    """Why a run of ``entry`` compiled in translation unit ``unit`` is no run of the kernel's: the unit is a .c file
    the variant creates that is not built (ErrorKind.BUILD) or not known to be (ErrorKind.UNSUPPORTED)."""
    u = next((x for x in v.links if x.path == unit and x.status in (Link.NOT_LINKED, Link.UNKNOWN)), None)
    if u is None:
        return None
    if u.status is Link.NOT_LINKED:
        return ErrorKind.BUILD, f"{LINK_ERROR}{entry}() runs in {unit}, a created file that is not built ({u.why})"
    return ErrorKind.UNSUPPORTED, f"{LINK_UNKNOWN}{entry}() runs in {unit}, a created file: whether it is built is " \
        f"unknown ({u.why})"


def build_break(v: Variant) -> str | None:
    """Why nothing of ``v`` is built (a Makefile line names the object of a .c file its patches took away: make
    stops there), as the error of every run; None when nothing says so."""
    u = next((x for x in v.links if x.status is Link.GONE), None)
    return None if u is None else f"{BUILD_ERROR}{u.why}"


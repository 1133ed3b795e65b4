"""Where and whether an entry point's run is built in a variant: its translation unit, a broken or hidden file."""

from __future__ import annotations

from harness.coverage import known_removed
from harness.prfmt import run_pr_fmt
from harness.tuorder import removed_called
from harness.undeclaredcall import undeclared_call
from harness.unitmoves import unit_at
from harness.variants import Variant
from harness.visibility import not_included
from models.loader import EntryPoint, Source, definitions, reachable
from models.outcome import ErrorKind
from models.slicer import Kind


def broken_entries(v: Variant, entries: tuple[EntryPoint, ...]) -> dict[str, str]:
    """Entry points whose code involves a C file that is broken in this variant, with why.

    A file is broken when building the variant failed on it (a hunk that does not apply, a blob that does
    not match its index line, a file the base lacks): its text is not this state's, so nothing that
    reaches it may run. Its last known text still tells which definitions live there.
    """
    broken = {f.path: f for f in v.c_files if not f.usable
              and any(x.path == f.path for x in v.findings)}
    if not broken:
        return {}
    whole = tuple(Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete)
                  for f in v.c_files)
    table = definitions(whole)
    out: dict[str, str] = {}
    for e in entries:
        paths = sorted({d.path for name in reachable(whole, e.name) for d in table.get(name, [])[:1]} & broken.keys())
        if paths:
            # The problems only: a note (a pre-image applied to as git am applies to it) is not why, and said it
            # twice over in every reason that names the file.
            why = "; ".join(str(f) for f in v.findings if f.path in paths and not f.note)
            out[e.name] = f"{', '.join(paths)} is not usable: {why}"  # the reports name the state
    return out


def hidden_from(v: Variant, sources: tuple[Source, ...], entry: str, tu: tuple[str, frozenset[str] | None],
                seen: dict[tuple[str, str], tuple[ErrorKind, str] | None]) -> tuple[ErrorKind, str] | None:
    """Why ``entry`` does not build in translation unit ``tu[0]`` (harness.visibility.not_included: code it
    reaches, the files ``tu[1]``, is in a header the unit does not include; harness.tuorder.removed_called: it calls
    what a patch removed; harness.undeclaredcall.undeclared_call: it calls another .c file's function its unit does not
    declare), or is not known to compute there what the mirror loads (unit_macro_elsewhere), remembered in
    ``seen``."""
    key = (entry, tu[0])
    if key not in seen:
        hidden = not_included(v.files, sources, entry, tu[0], tu[1] or frozenset(), v.headers.read)
        seen[key] = (ErrorKind.BUILD, hidden) if hidden is not None \
            else removed_called(sources, entry, known_removed(v)) \
            or undeclared_call(v.files, sources, entry, tu[0], v.headers.read) \
            or unit_macro_elsewhere(sources, tu)  # a call no declaration reaches; a header seeing a unit's macro
    return seen[key]


def unit_macro_elsewhere(sources: tuple[Source, ...], tu: tuple[str, frozenset[str] | None]
                         ) -> tuple[ErrorKind, str] | None:
    """Why a run in translation unit ``tu[0]`` reaching the files ``tu[1]`` (None: any) is refused where a header
    among them computes with a macro another .c file defines above its first #include of the header
    (Source.unit_macros, harness.unitmacros): the mirror loads the header's code as that unit's copy sees it, and
    this unit's copy (gcc: one per unit) would not see that definition, unless this unit gives it the same one
    (harness.unitmacros: its own, of the same text, in force where it reads the header)."""
    here = {(name, header) for s in sources if s.path == tu[0] for name, header, why in s.unit_macros if not why}
    for s in sources:
        for name, header, why in s.unit_macros:
            if not why and s.path != tu[0] and (tu[1] is None or header in tu[1]) and (name, header) not in here:
                return ErrorKind.UNSUPPORTED, (f"{header}'s code uses {name}, which {s.path} defines above its first "
                                               f"#include of {header}: that code sees it in the unit of {s.path} "
                                               f"only, and this run is in {tu[0] or 'a unit the variant lacks'}")
    return None


def scenario_pr_fmt(v: Variant, sources: tuple[Source, ...], entry: str, unit: str,
                    reach: frozenset[str] | None = None) -> str:
    """The pr_fmt of a run of ``entry`` in scenario unit ``unit`` (harness.prfmt.run_pr_fmt), compiled in the
    entry point's own .c file when it has one: it, and the header code it calls, exist only in that
    translation unit, whatever unit the scenario names; an entry in a header runs in the scenario's unit."""
    return run_pr_fmt(v, run_unit(sources, entry, unit_at(v.moved, unit)), reach)


def unit_absent(v: Variant, path: str) -> bool:
    """Whether the translation unit at ``path`` is known not to exist in ``v``: the tree lacks it at this state
    (a later patch creates it). Its scenarios are then not provided, not run with the pr_fmt of no file; from
    mail alone a file no patch shows is unknown, never absent."""
    f = v.file(path)
    return f is not None and f.absent


def private_elsewhere(sources: tuple[Source, ...], entry: str, unit: str) -> str | None:
    """Where ``entry`` is a static function or a macro of another .c file than ``unit`` (``a static function of
    FILE:LINE``), else None: only its own translation unit sees it (gcc: implicit declaration, or an undefined
    reference at link time), so a scenario naming ``unit`` is not provided, never a run of the other file's copy
    (a helper a later patch moves into a header the unit includes is then new to that unit, not a change of what
    it printed)."""
    found = definitions(sources).get(entry)
    if not found or not found[0].path.endswith(".c") or found[0].path == unit:
        return None
    d = found[0]
    if d.kind is Kind.MACRO:
        return f"a macro of {d.where}"
    static = d.kind is Kind.FUNCTION and "static" in d.text.split("(", 1)[0].split()
    return f"a static function of {d.where}" if static else None


def run_unit(sources: tuple[Source, ...], entry: str, unit: str) -> str:
    """The translation unit a run of ``entry`` in scenario unit ``unit`` is compiled in (scenario_pr_fmt)."""
    found = definitions(sources).get(entry)
    home = found[0].path if found else ""
    return home if home.endswith(".c") else unit

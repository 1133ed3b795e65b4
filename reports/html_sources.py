"""The page's helper source of each variant: printed once, later variants as diffs.

A text printed once, a later variant's changes to it as a diff; the definitions its entry points use as what they add to
and take from the list of the variant it extends.
"""

from __future__ import annotations

import difflib

from harness.reportview import DefinitionUse, EvalReport, SourceFile
from models.record import record


@record
class ShownSource:
    """A source file as a variant's section shows it: in full, as ``same_as`` shows it, or as the text the
    section of ``changed_from`` shows with the changes in ``diff`` (a unified diff, as git apply reads it)."""

    file: SourceFile
    same_as: str | None = None
    changed_from: str | None = None
    diff: str = ""


def _whole(f: SourceFile) -> str | None:
    """A complete file's text (fragments are shown piece by piece, in full)."""
    return f.pieces[0][1] if f.complete and len(f.pieces) == 1 else None


def _diff(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(old.split("\n"), new.split("\n"), f"a/{path}", f"b/{path}", lineterm="")
    return "\n".join(lines)


def shown_sources(rep: EvalReport) -> list[list[ShownSource]]:
    """Per variant its source files as its section shows them (none when it has another's code). A text shown
    already is named; a file the variant it extends has with another text is that text's diff, unless the diffs
    since the text was last shown whole outweigh it: a file every patch of a long series edits was printed whole
    in every prefix's section (the square of the patches), and is read back through a few diffs at most."""
    first: dict[SourceFile, tuple[str, int]] = {}  # a text -> the section showing it, diff bytes since shown whole
    printer: dict[str, str] = {}  # a variant -> the variant whose section shows its code
    shown: dict[str, dict[str, SourceFile]] = {}  # section -> path -> the file it shows
    out = []
    for view, line in zip(rep.variants, rep.lineage, strict=True):
        name = view.variant.name
        printer[name] = view.same_code_as or name
        files: list[ShownSource] = []
        if view.same_code_as is None:
            before = shown.get(printer.get(line.extends or "", ""), {})
            shown[name] = {f.path: f for f in view.sources}
            for f in view.sources:
                entry, since = _shown(f, first, before.get(f.path))
                files.append(entry)
                first.setdefault(f, (name, since))
        out.append(files)
    return out


def _shown(f: SourceFile, first: dict[SourceFile, tuple[str, int]], before: SourceFile | None
           ) -> tuple[ShownSource, int]:
    """How a section shows ``f``, and the diff bytes read back to its text last shown whole."""
    if f in first:
        return ShownSource(f, same_as=first[f][0]), first[f][1]
    new = _whole(f)
    old = _whole(before) if before is not None else None
    if before is None or new is None or old is None:
        return ShownSource(f), 0
    diff = _diff(f.path, old, new)
    where, since = first[before]
    if since + len(diff) >= len(new):
        return ShownSource(f), 0
    return ShownSource(f, changed_from=where, diff=diff), since + len(diff)


@record
class ShownUses:
    """The definitions the entry points use as a variant's section lists them: ``whole``, or those the section of
    ``changed_from`` lists with ``added`` and without ``removed``."""

    whole: tuple[DefinitionUse, ...] = ()
    changed_from: str | None = None
    added: tuple[DefinitionUse, ...] = ()
    removed: tuple[DefinitionUse, ...] = ()


def shown_uses(rep: EvalReport) -> list[ShownUses]:
    """Per variant its definitions as its section lists them (nothing when it has another's code): what they add
    to and take from the list of the variant it extends, unless the changes since a list was last shown whole
    outweigh it. A series whose every patch adds a function the entry points reach listed them all again in every
    prefix's section (the square of the patches)."""
    printer: dict[str, str] = {}  # a variant -> the variant whose section shows its code
    listed: dict[str, tuple[frozenset[DefinitionUse], int]] = {}  # section -> its list, changes since shown whole
    out = []
    for view, line in zip(rep.variants, rep.lineage, strict=True):
        name = view.variant.name
        printer[name] = view.same_code_as or name
        if view.same_code_as is not None:
            out.append(ShownUses())
            continue
        now = frozenset(view.definitions)
        where = printer.get(line.extends or "")
        if where is None or where not in listed:
            listed[name] = (now, 0)
            out.append(ShownUses(whole=view.definitions))
            continue
        before, since = listed[where]
        added = tuple(d for d in view.definitions if d not in before)
        removed = tuple(d for d in before if d not in now)
        if since + len(added) + len(removed) >= len(view.definitions):
            listed[name] = (now, 0)
            out.append(ShownUses(whole=view.definitions))
        else:
            listed[name] = (now, since + len(added) + len(removed))
            out.append(ShownUses(changed_from=where, added=added, removed=tuple(sorted(removed, key=_order))))
    return out


def _order(d: DefinitionUse) -> tuple[str, str, str]:
    return d.where, d.name, d.kind

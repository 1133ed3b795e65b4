"""The page's helper source of each variant: a text printed once; a later variant's changes to it as a diff."""

from __future__ import annotations

import difflib

from harness.reportview import EvalReport, SourceFile
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

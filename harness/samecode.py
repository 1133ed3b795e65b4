"""Whether two revisions hold the same code: each file either changes, by its blob after applying, on both sides."""

from __future__ import annotations

from enum import Enum

from harness.diffmodel import PatchedFile
from harness.filestate import FileState
from harness.model import Series
from harness.statenames import state_gap
from harness.variants import Variant
from models.record import record


class CodeMatch(Enum):
    """What the blobs after applying show of two states' files."""

    SAME = "same"  # every file either changes has one blob on both sides, computed from its applied text
    UNKNOWN = "unknown"  # no file is seen to differ, but some could not be compared (said why)
    DIFFERENT = "different"  # some file is seen to differ: what that changes is the comparison's business


@record
class CodeIdentity:
    """The two states' files compared by content, as b4 and git tell a tree: by blob id, never by a patch's title,
    subject or Message-ID (a resend of the same code under a reworded commit message is the same code)."""

    a: str
    b: str
    match: CodeMatch
    blobs: tuple[tuple[str, str], ...] = ()  # (path, blob) of each file both sides hold alike, computed
    unknown: tuple[str, ...] = ()  # each file, or state, that could not be compared, and why
    differ: tuple[str, ...] = ()  # the files seen to differ

    def said(self) -> str:
        """The one sentence the terminal, the page and the JSON give ("" when the code is seen to differ)."""
        files = ", ".join(f"{path} {blob[:12]}" for path, blob in self.blobs)
        count = f"{len(self.blobs)} file{'s' if len(self.blobs) != 1 else ''}"
        if self.match is CodeMatch.SAME:
            return (f"{self.b}'s code is {self.a}'s: every file either changes has the same blob after applying "
                    f"({count}: {files}); anything else that differs is in the mails (commit messages, notes, "
                    "trailers)")
        if self.match is CodeMatch.UNKNOWN:
            alike = f" ({count} the same after applying: {files})" if self.blobs else ""
            return f"whether {self.b}'s code is {self.a}'s is not known{alike}: {'; '.join(self.unknown)}"
        return ""


def _patched(v: Variant, series: Series) -> list[PatchedFile]:
    """The file parts of the patches ``v`` applies, in order."""
    rev = series.revision(v.revision) if v.revision is not None else None
    applied = {a.rsplit(" <", 1)[-1].rstrip(">") for a in v.applied}
    return [f for p in rev.patches if p.mail.msgid in applied for f in p.files] if rev else []


def _changed_files(v: Variant, series: Series) -> dict[str, FileState]:
    """The files the state's patches change (not one only read from the tree, nor a unit the tree lacks)."""
    paths = {f.path for f in _patched(v, series)}
    return {f.path: f for f in v.files if f.path in paths}


def _unusable_why(path: str, v: Variant) -> str:
    found = next((str(f) for f in v.base_problems if f.path == path), "see its apply findings")
    return f"{path} could not be built in {v.name} ({found})"


def _claimed(v: Variant, series: Series, path: str) -> str | None:
    """The blob the index line of the last patch of ``v`` changing ``path`` names after it (abbreviated)."""
    files = [f for f in _patched(v, series) if f.path == path]
    return files[-1].new_blob if files else None


def _claims(path: str, a: Variant, b: Variant, series: Series) -> str:
    """", though both revisions' index lines name blob X after it" where they agree: git's id where the patches were
    made, on a base not read here, so no proof of this state's blob."""
    found = [_claimed(v, series, path) for v in (a, b)]
    if found[0] is None or found[1] is None:
        return ""
    short = min(len(found[0]), len(found[1]))
    if found[0][:short] != found[1][:short]:
        return ""
    return f", though both revisions' index lines name blob {found[0][:short]} after them (git's id where they " \
           "were made, on a base not read here)"


def _one_file(path: str, fa: FileState | None, fb: FileState | None, a: Variant, b: Variant, claims: str
              ) -> tuple[str, str] | tuple[None, str]:
    """('same', blob), ('differ', path) or (None, why not compared) for one path of the two states; ``claims``:
    what the index lines say of its blob (_claims)."""
    if fa is None or fb is None:
        lacks = a if fa is None else b
        return "differ", f"{path} (only {b.name if fa is None else a.name} changes it, not {lacks.name})"
    for f, v in ((fa, a), (fb, b)):
        if not f.usable:
            return None, _unusable_why(path, v)
    if fa.absent or fb.absent:
        return ("same", "deleted") if fa.absent and fb.absent else ("differ", path)
    if fa.blob is not None and fb.blob is not None:
        return ("same", fa.blob) if fa.blob == fb.blob else ("differ", path)
    # One file has one text at each line: a line both sides show with two texts is another file. Lines shown on one
    # side only (a hunk with more context) tell nothing.
    texts = [{n: line for n, (line, _) in f.lines.items()} for f in (fa, fb)]
    other = next((n for n in sorted(texts[0].keys() & texts[1].keys()) if texts[0][n] != texts[1][n]), None)
    if other is not None:
        return "differ", f"{path} (line {other} differs)"
    partial = " and ".join(v.name for f, v in ((fa, a), (fb, b)) if f.blob is None)
    shown = "the lines they show are the same on both sides" if texts[0].keys() == texts[1].keys() else \
        "the lines both sides show are the same"
    return None, (f"{path} is known only from hunks in {partial}: {shown}, but its blob after applying is not "
                  f"known{claims}: give --tree")


def code_identity(a: Variant, b: Variant, series: Series) -> CodeIdentity:
    """The files of ``a`` and ``b`` (two revisions, whole) compared by their blobs after applying."""
    gaps = [why for v in (a, b) if (why := state_gap(v, series)) is not None]
    fa, fb = _changed_files(a, series), _changed_files(b, series)
    blobs: list[tuple[str, str]] = []
    unknown: list[str] = list(gaps)
    differ: list[str] = []
    for path in sorted(fa.keys() | fb.keys()):
        kind, what = _one_file(path, fa.get(path), fb.get(path), a, b, _claims(path, a, b, series))
        if kind == "same":
            blobs.append((path, what))
        elif kind == "differ":
            differ.append(what)
        else:
            unknown.append(what)
    if not fa and not fb:
        unknown.append(f"neither {a.name} nor {b.name} changes a file that could be read")
    match = CodeMatch.DIFFERENT if differ else CodeMatch.UNKNOWN if unknown else CodeMatch.SAME
    return CodeIdentity(a.name, b.name, match, tuple(blobs), tuple(unknown), tuple(differ))

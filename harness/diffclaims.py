"""What git apply checks of a file's patch as it reads it: its git header and its hunks' claims.

Where its git header ends, and its hunks against the creation or deletion the header claims.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.diffmodel import LineKind, PatchedFile
from harness.errors import InputError, Where
from harness.githeader import GitNames


def check_claims(pf: PatchedFile, named: tuple[str | None, str | None] | GitNames | None) -> None:
    """apply.c parse_single_patch: a file created (``new file mode``, or a traditional ``--- /dev/null``) whose hunks
    have context or removed lines "depends on old contents", one deleted (``deleted file mode``, ``+++ /dev/null``)
    whose hunks have context or added lines "still has contents"; git apply refuses the whole patch as it reads it,
    whatever the tree holds. ``named``: the names the diff's header gave (a git diff's, or a traditional diff's
    (old, new)); None for a diff git does not read so (no check). Raises InputError at the first such hunk."""
    if isinstance(named, GitNames):
        created, deleted = named.is_new, named.is_delete
    elif named is not None:
        created, deleted = named[0] is None, named[1] is None
    else:
        return
    for claimed, kept, name, says in ((created, LineKind.ADDED, pf.target_path, "depends on old contents (a hunk has "
                                       "context or removed lines)"),
                                      (deleted, LineKind.REMOVED, pf.source_path, "still has contents (a hunk has "
                                       "context or added lines)")):
        if not claimed:
            continue
        hunk = next((h for h in pf.hunks if any(ln.kind is not kept for ln in h.lines)), None)
        if hunk is not None:
            kind = "new" if kept is LineKind.ADDED else "deleted"
            raise InputError(hunk.where, f"bad diff: {kind} file {name} {says}, which git apply refuses")


def header_ended(lines: list[str], start: int, i: int, line_of: Sequence[int], where: Where) -> None:
    """Line ``i``, which git does not know as an extended header line, ends the header of the ``diff --git`` line
    ``start`` (apply.c parse_git_diff_header: gitdiff_unrecognized), so --- and +++ lines below it name nothing; past
    header lines a hunk must follow, or a binary patch, unless a mode changed or a rename, copy, creation or deletion
    says it all (else git apply: "patch with only garbage"). A header of that one line git skips, as it skips
    garbage."""
    head = [ln.rstrip("\r\n") for ln in lines[start + 1 : i]]
    metadata = ("old mode ", "new mode ", "deleted file mode ", "new file mode ", "rename ", "copy ")
    if head and not any(ln.startswith(metadata) for ln in head) and not (
            lines[i].startswith("GIT binary patch") or binary_line(lines[i])):
        raise InputError(Where(where.path, line_of[i], where.msgid), f"bad diff: patch with only garbage at "
                         f"{lines[i].rstrip()[:40]!r} (the header ends there, no hunk follows it)")


def binary_line(line: str) -> bool:
    """Whether a line that ends a git diff's header is a binary patch without data, as apply.c parse_chunk reads it:
    "Binary files " or "Files " first, " differ" last, then a line end without a CR. Any other wording (GNU diff's
    "... has changed", a CR, a space or no line end after "differ") is garbage to git: "patch with only garbage"."""
    return line.startswith(("Binary files ", "Files ")) and line.endswith(" differ\n")

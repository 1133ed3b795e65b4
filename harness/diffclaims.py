"""A file's hunks against the creation or deletion its header claims, as git apply checks them when it reads them."""

from __future__ import annotations

from harness.errors import InputError
from harness.githeader import GitNames
from harness.model import LineKind, PatchedFile


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

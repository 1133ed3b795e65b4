"""A patch's diff as git apply reads it: PatchedFile (one file's part) -> Hunk -> HunkLine, by LineKind."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from harness.errors import Where
from models.record import record


class LineKind(Enum):
    """The three kinds of line in a hunk body."""

    CONTEXT = " "
    REMOVED = "-"
    ADDED = "+"


# slots, not @record: one object per diff line, the most numerous of a parse (428 -> 180 bytes a line; a 22 MB
# mbox's peak RSS 338 -> 237 MB); frozen and compared as a record is.
@dataclass(frozen=True, slots=True)
class HunkLine:
    """One line of a hunk body, with its line numbers on each side.

    ``no_newline`` is set when ``\\ No newline at end of file`` follows the line: on its side(s) of the
    diff the line is the file's last and has no line end (git apply.c, apply_one_fragment). ``bare``: an
    empty context line written without its " " (newer GNU diff) that such a line follows: a context line for
    the hunk's counts, but no bytes of either image (apply.c adds nothing of it).
    """

    kind: LineKind
    text: str
    source_no: int | None
    target_no: int | None
    no_newline: bool = False
    bare: bool = False


@record
class Hunk:
    """One ``@@ -a,b +c,d @@`` hunk."""

    source_start: int
    source_length: int
    target_start: int
    target_length: int
    section: str
    lines: tuple[HunkLine, ...]
    where: Where

    @property
    def header(self) -> str:
        return (
            f"@@ -{self.source_start},{self.source_length} "
            f"+{self.target_start},{self.target_length} @@"
        )

    @property
    def source_lines(self) -> tuple[str, ...]:
        return tuple(ln.text for ln in self.lines if ln.kind is not LineKind.ADDED)

    @property
    def target_lines(self) -> tuple[str, ...]:
        return tuple(ln.text for ln in self.lines if ln.kind is not LineKind.REMOVED)


@record
class PatchedFile:
    """One file's part of a diff; blob ids are the abbreviated ones of the ``index`` line."""

    source_path: str | None
    target_path: str | None
    old_blob: str | None
    new_blob: str | None
    old_mode: str | None
    new_mode: str | None
    is_binary: bool
    is_symlink: bool
    hunks: tuple[Hunk, ...]
    where: Where
    copy: bool = False  # "copy from"/"copy to": the source stays, the target starts as its copy
    similarity: int | None = None  # "similarity index N%" of a rename or copy
    # A "GIT binary patch"'s forward hunk, inflated: ("literal", the new bytes) or ("delta", git's delta data).
    binary: tuple[str, bytes] | None = field(default=None, repr=False)
    # A diff without a "diff --git" line whose one hunk starts at line 0 (@@ -0,0 +1,N @@), no /dev/null or epoch
    # saying so: git apply creates the file where the tree lacks it (apply.c check_preimage, is_new unknown).
    maybe_new: bool = False
    # A git diff whose --- and +++ lines name two files with no rename or copy line (edited by hand): git apply
    # moves the one to the other as a rename does, but over a file already there (apply.c check_to_create runs
    # for a rename, copy or creation only).
    overwrites: bool = False
    # Read from a format=flowed mail (git mailinfo's reading): its mailer strips the blanks ending lines (RFC 3676
    # 4.2), which a post-image blob that is not the index line's may come from (harness.patching._blob_check).
    flowed: bool = False

    @property
    def path(self) -> str:
        return self.target_path or self.source_path or ""

    @property
    def is_new(self) -> bool:
        return self.source_path is None

    @property
    def is_deleted(self) -> bool:
        return self.target_path is None

    @property
    def is_rename(self) -> bool:
        return (
            not self.copy
            and self.source_path is not None
            and self.target_path is not None
            and self.source_path != self.target_path
        )

    @property
    def is_mode_change(self) -> bool:
        """``old mode``/``new mode`` differ (with or without hunks)."""
        return self.old_mode is not None and self.new_mode is not None and self.old_mode != self.new_mode

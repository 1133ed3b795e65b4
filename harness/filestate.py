"""What is known of one file in one state: full text, or lines known from hunks, with origins."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import field, replace
from functools import cached_property
from itertools import pairwise

from harness.diffmodel import Hunk, PatchedFile
from models.cdirectives import Directive, directives, in_text
from models.lazyre import lazy
from models.record import record


def git_blob_id(text: str) -> str:
    """``git hash-object`` of a file's text (bytes that are not UTF-8 travel as surrogate escapes)."""
    data = text.encode("utf-8", errors="surrogateescape")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@record
class Fragment:
    """A run of consecutive known lines: its first line number, its text and where it came from."""

    start: int
    lines: tuple[str, ...]
    origins: tuple[str, ...]

    @property
    def end(self) -> int:
        return self.start + len(self.lines) - 1


@record
class FileState:
    """One file in one state. ``lines`` maps line number to (text, origin), line ends left out.

    ``missing_newline``: the last line has no line end (``\\ No newline at end of file``); ``mode`` is
    the git mode when a diff or the tree said it (``100644``, ``100755``).
    """

    path: str
    complete: bool
    lines: dict[int, tuple[str, str]] = field(hash=False, compare=False)
    length: int | None
    provenance: tuple[str, ...]
    usable: bool = True
    absent: bool = False
    missing_newline: bool = False
    mode: str | None = None
    included: bool = False  # a header no patch touches, read from the tree for the mirror (with_local_headers)
    last: int | None = None  # fragments: the file's last line number, where a hunk at its end showed it (fileend)
    last_ended: bool | None = None  # fragments: whether line ``last`` has a line end, as that hunk showed it

    @cached_property  # a state never changes once built; reports ask for text and blob of each many times
    def text(self) -> str | None:
        if not self.complete or self.length is None:
            return None
        text = "".join(self.lines[n][0] + "\n" for n in range(1, self.length + 1))
        return text[:-1] if self.missing_newline and text else text

    @cached_property
    def blob(self) -> str | None:
        """git's id of the file: its blob's, or for a submodule the commit it names."""
        text = self.text
        if text is not None and self.mode == GITLINK_MODE:
            pointer = GITLINK().match(text)
            return pointer.group(1) if pointer else None
        return git_blob_id(text) if text is not None else None

    def fragments(self) -> tuple[Fragment, ...]:
        return self._fragments

    @cached_property  # every reader of #include lines asks, each state's files once (no patch changes most)
    def includes(self) -> dict[int, tuple[str, str]]:
        """Line -> bracket (``"`` or ``<``) and name of each ``#include`` of the known lines, read as gcc reads it
        (models.cdirectives: ``#inc\\`` then ``lude "x.h"``, ``%:include``, ``# /*c*/ include``)."""
        return {d.line: got for d in self.directives() if (got := d.included()) is not None}

    def directives(self) -> Iterator[Directive]:
        """The directives of the known lines, read as gcc reads them (models.cdirectives), each time asked: a whole
        file's from the text it keeps (its blob's), joined once."""
        text = self.text
        return in_text(text) if text is not None else iter(directives((fr.start, fr.lines) for fr in self._fragments))

    @cached_property  # asked for by every stage that reads the variant's C (runner.variant_sources)
    def _fragments(self) -> tuple[Fragment, ...]:
        return tuple(_runs(self.lines))


def _runs(lines: dict[int, tuple[str, str]]) -> Iterator[Fragment]:
    run: list[int] = []
    for n in sorted(lines):
        if run and n != run[-1] + 1:
            yield _fragment(lines, run)
            run = []
        run.append(n)
    if run:
        yield _fragment(lines, run)


def _fragment(lines: dict[int, tuple[str, str]], run: list[int]) -> Fragment:
    origins = tuple(dict.fromkeys(lines[n][1] for n in run))
    return Fragment(run[0], tuple(lines[n][0] for n in run), origins)


def absent_file(path: str, origin: str) -> FileState:
    """A file the base is known not to have (a git tree without it)."""
    return FileState(path, False, {}, None, (origin,), usable=False, absent=True)


def full_file(path: str, text: str, origin: str, mode: str | None = None) -> FileState:
    """A file whose whole text is known; lines split at LF only (a CR stays part of its line)."""
    body = text.split("\n")
    missing = body[-1] != ""
    if not missing:
        body.pop()
    lines = {i: (t, origin) for i, t in enumerate(body, start=1)}
    return FileState(path, True, lines, len(body), (origin,), missing_newline=missing, mode=mode)


LINK_MODE = "120000"
GITLINK_MODE = "160000"
# What a symlink or a submodule named as C source holds for the mirror: nothing it could run.
POINTER_C = {LINK_MODE: "a symlink: its text is the link's target, not the C code it points to (not followed)",
             GITLINK_MODE: "a submodule: its text is the commit it points to, not C code"}
# A submodule as git apply reads and writes it (apply.c read_blob_object, add_index_file: get_oid_hex).
GITLINK = lazy(r"Subproject commit ([0-9a-f]{40})")


def gitlink_text(oid: str) -> str:
    """The text git apply patches for a submodule at commit ``oid``."""
    return f"Subproject commit {oid}\n"


# A Git LFS pointer (git-lfs docs/spec.md: "version https://git-lfs.github.com/spec/v1", an oid, a size, at most 1024
# bytes): the blob holds where the text is stored, not the text. The checked-out file gcc builds is the text a smudge
# filter put there, which neither a tree's objects nor a patch of the pointer hold: nothing for the mirror to run.
LFS_POINTER_MAX = 1024
_LFS = lazy(r"\Aversion https://(?:git-lfs|hawser)\.github\.com/spec/v1\n(?:[a-z0-9.-]+ [^\n]*\n)*"
                  r"oid sha256:[0-9a-f]{64}\n(?:[a-z0-9.-]+ [^\n]*\n)*\Z")
LFS_NOTE = ("a Git LFS pointer: the object holds where the file is stored, not the C code gcc builds from the "
            "checked-out file (git lfs smudges it there), which is not read")


def lfs_pointer(state: FileState) -> bool:
    """Whether the state is a .c or .h file whose whole text is a Git LFS pointer."""
    first = state.lines.get(1, ("", ""))[0] if state.complete and state.path.endswith((".c", ".h")) else ""
    text = state.text if first.startswith("version https://") and (state.length or 0) < 64 else None
    return text is not None and len(text) <= LFS_POINTER_MAX and _LFS().match(text) is not None


def lfs_state(state: FileState) -> FileState:
    """A .c or .h file whose whole text is a Git LFS pointer: unusable, saying why; any other state as it is."""
    if not lfs_pointer(state):
        return state
    said = state.provenance if LFS_NOTE in state.provenance else (*state.provenance, LFS_NOTE)
    return replace(state, usable=False, provenance=said)


def pointer_state(state: FileState) -> FileState:
    """A symlink or submodule named as C source: its blob and text known, but no C text for the mirror."""
    return replace(state, usable=False, provenance=(*state.provenance, POINTER_C[state.mode or LINK_MODE]))


def dir_mode_link(state: FileState) -> FileState:
    """A file a patch creates with a directory's mode other than 040000 itself (``new file mode 040755``) as git am
    commits it: git apply writes the text, but its index entry is a submodule's (create_ce_mode: 160000) naming the
    blob of that text as its commit, so the state (a checkout, the kernel's build) has a submodule there, no C text.
    Where the text is not known whole, not modelled."""
    if not state.complete or not state.usable or state.text is None:
        return unmodelled(state.path, (*state.provenance, "created with a directory's mode: not modelled"),
                          GITLINK_MODE)
    linked = full_file(state.path, gitlink_text(git_blob_id(state.text)), state.provenance[0], GITLINK_MODE)
    return replace(linked, provenance=(*state.provenance, "created with a directory's mode: git am commits a "
                                       "submodule naming the text's blob"))


def unmodelled(path: str, provenance: tuple[str, ...], mode: str | None = None) -> FileState:
    """A file that exists but whose content is not modelled (a binary, a tree): never usable."""
    return FileState(path, False, {}, None, provenance, usable=False, mode=mode)


def hunk_side(hunk: Hunk, target: bool, origin: str) -> dict[int, tuple[str, str]]:
    """The lines a hunk shows of the file before (source) or after (target) the patch."""
    start = hunk.target_start if target else hunk.source_start
    text = hunk.target_lines if target else hunk.source_lines
    return {start + i: (t, origin) for i, t in enumerate(text)}


@record
class LineMap:
    """How a patch moves the lines it does not touch: the ranges its hunks cover on each side."""

    touched_source: tuple[tuple[int, int], ...]
    touched_target: tuple[tuple[int, int], ...]

    @staticmethod
    def of(pf: PatchedFile) -> LineMap:
        src: list[tuple[int, int]] = []
        tgt: list[tuple[int, int]] = []
        for h in pf.hunks:
            # A pure insertion ("-N,0") sits after line N; it touches no source line.
            s0 = h.source_start if h.source_length else h.source_start + 1
            t0 = h.target_start if h.target_length else h.target_start + 1
            src.append((s0, s0 + h.source_length))
            tgt.append((t0, t0 + h.target_length))
        return LineMap(tuple(src), tuple(tgt))

    @cached_property
    def _ordered(self) -> bool:
        """Whether the hunks follow each other on both sides without overlapping, as git's do."""
        return all(_in_order(side) for side in (self.touched_source, self.touched_target))

    def forward(self, line: int) -> int | None:
        return _move(line, self.touched_source, self.touched_target, self._ordered)

    def backward(self, line: int) -> int | None:
        return _move(line, self.touched_target, self.touched_source, self._ordered)


def _in_order(ranges: tuple[tuple[int, int], ...]) -> bool:
    return all(a <= b for a, b in ranges) and all(b <= c for (_, b), (c, _) in pairwise(ranges))


def _move(line: int, here: tuple[tuple[int, int], ...], there: tuple[tuple[int, int], ...], ordered: bool
          ) -> int | None:
    """``line`` on the other side: None when a hunk touches it, else moved by the hunks before it. Hunks in
    order are found by bisection (a patch of 20,000 hunks moves each known line in microseconds, not the
    milliseconds of a scan of them all); any other order by the scan, whose last hunk below the line counts."""
    if ordered:
        i = bisect_right(here, line, key=lambda r: r[0]) - 1
        if i < 0:
            return line
        if line < here[i][1]:
            return None
        return line + there[i][1] - here[i][1]
    delta = 0
    for (a, b), (_, d) in zip(here, there, strict=True):
        if a <= line < b:
            return None
        if line >= b:
            delta = d - b
    return line + delta


def merge(into: dict[int, tuple[str, str]], extra: dict[int, tuple[str, str]]) -> list[int]:
    """Add known lines; return the line numbers where the two disagree (existing text wins)."""
    conflicts = []
    for n, (text, origin) in extra.items():
        have = into.get(n)
        if have is None:
            into[n] = (text, origin)
        elif _norm(have[0]) != _norm(text):
            conflicts.append(n)
    return conflicts


def _norm(text: str) -> str:
    return " ".join(text.split())


def move_lines(lines: dict[int, tuple[str, str]], where: Callable[[int], int | None]) -> dict[int, tuple[str, str]]:
    """Known lines at their numbers on the other side of a patch; lines a hunk touches are dropped."""
    moved = {}
    for n, v in lines.items():
        m = where(n)
        if m is not None:
            moved[m] = v
    return moved


def learn_backward(later: FileState, pf: PatchedFile, earlier: FileState | None, origin: str) -> FileState:
    """What a later state and the patch between teach about the state before it (fragments only)."""
    if earlier is not None and earlier.absent:
        return earlier
    lines = dict(earlier.lines) if earlier else {}
    for h in pf.hunks:
        merge(lines, hunk_side(h, target=False, origin=f"pre-image of {origin}"))
    merge(lines, move_lines(later.lines, LineMap.of(pf).backward))
    base = earlier or FileState(pf.source_path or pf.path, False, {}, None, ())
    if base.complete:
        return base
    return FileState(base.path, False, lines, None, base.provenance or (f"fragments before {origin}",), base.usable)


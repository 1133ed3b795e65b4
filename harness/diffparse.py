"""Unified diffs (via unidiff) into PatchedFile/Hunk as git apply reads them: blob ids, modes, renames, copies.

What git apply accepts is checked first (apply.c parse_fragment: hunk bodies by their counts, only
``' '``, ``'-'``, ``'+'``, empty and ``\\ `` lines, each with a line end, at least one change); header
lines lose a carriage return (quoted CRLF mail), hunk lines keep theirs, since git applies them so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from unidiff.errors import UnidiffParseError
from unidiff.patch import Hunk as UHunk
from unidiff.patch import PatchedFile as UPatchedFile
from unidiff.patch import PatchSet

from harness.diffbinary import check_binary
from harness.diffclaims import binary_line, check_claims, header_ended
from harness.diffpaths import safe_path, strip_prefix, unquote_path, unsafe_path
from harness.errors import InputError, Where
from harness.githeader import GitNames, HeaderError, read_header
from harness.model import Hunk, HunkLine, LineKind, PatchedFile
from harness.tradnames import Depth, traditional_header
from models.lazyre import lazy

_INDEX = re.compile(r"^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d{6}))?$")
_NEW_MODE = re.compile(r"^new file mode (\d{6})$")
_DELETED_MODE = re.compile(r"^deleted file mode (\d{6})$")
_OLD_MODE = re.compile(r"^old mode (\d{6})$")
_MODE = re.compile(r"^new mode (\d{6})$")
_FROM_TO = re.compile(r"^(rename|copy) (from|to|old|new) (.+)$")
_SIMILARITY = re.compile(r"^similarity index (\d+)%$")
_DIFF_START = re.compile(r"^(diff --git |Index: |--- \S[^\n]*\n\+\+\+ \S)", re.MULTILINE)
_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")
_ZERO_BLOB = lazy(r"^0+$")
# A number int() cannot read (past 4,300 digits: CVE-2020-10735) where numbers are read: a hunk's ranges, a
# similarity (a binary hunk's size: _binary_hunk). git's strtoul() reads ULONG_MAX; here it is a bad diff.
_HUGE_NUMBER = re.compile(r"\d{4301}")
# What may follow "diff --git" in a git header (apply.c parse_git_diff_header's table, less "@@ -", which
# right after the "diff --git" line leaves a header git skips).
GIT_HEADER_LINES = ("--- ", "+++ ", "old mode ", "new mode ", "deleted file mode ", "new file mode ", "copy from ",
                    "copy to ", "rename old ", "rename new ", "rename from ", "rename to ", "similarity index ",
                    "dissimilarity index ", "index ")
_UNUSUAL_MODES = ("120000", "160000")
# The lines of one message's diff read: each is held several times over while it is read (the mail's lines,
# the diff's, unidiff's and our hunk lines: about 800 bytes a line of a few characters, 5.3 GB for a 32 MiB
# message of 700,000 hunks), so a bound on the message's bytes is none on them. A message of kernel code
# under the 32 MiB cap (some 40 bytes a line) has fewer; git apply reads more, and a longer diff is refused.
MAX_DIFF_LINES = 1_000_000


def _header_facts(info: Sequence[str]) -> dict[str, str | None]:
    facts: dict[str, str | None] = {"old_blob": None, "new_blob": None, "old_mode": None, "new_mode": None}
    for raw in info:
        line = raw.rstrip("\n")
        if (m := _INDEX.match(line)) is not None:
            facts["old_blob"], facts["new_blob"] = m.group(1), m.group(2)
            if m.group(3):  # the old mode (apply.c gitdiff_index -> gitdiff_oldmode); the new one where none is said
                facts["old_mode"], facts["new_mode"] = m.group(3), facts["new_mode"] or m.group(3)
        elif (m := _NEW_MODE.match(line) or _MODE.match(line)) is not None:
            facts["new_mode"] = m.group(1)
            facts["created"] = "1" if m.re is _NEW_MODE else facts.get("created")
        elif (m := _DELETED_MODE.match(line) or _OLD_MODE.match(line)) is not None:
            facts["old_mode"] = m.group(1)
            facts["deleted"] = "1" if m.re is _DELETED_MODE else facts.get("deleted")
        elif (m := _FROM_TO.match(line)) is not None:
            side = "source" if m.group(2) in ("from", "old") else "target"
            facts[side] = unquote_path(m.group(3))
            facts["kind"] = m.group(1)
        elif (m := _SIMILARITY.match(line)) is not None:
            facts["similarity"] = m.group(1)
    return facts


def _vanishes(diff_line_no: int | None, view: Sequence[str]) -> bool:
    """Whether the view's line is a bare empty line (no " " prefix: newer GNU diff's empty context line) that a
    "\\ No newline at end of file" line follows: apply.c apply_one_fragment adds nothing of it to either image."""
    i = (diff_line_no or 0) - 1
    return 0 <= i < len(view) - 1 and view[i] == "\n" and view[i + 1].startswith("\\ ")


def _hunk(h: UHunk, path: str, line_of: Sequence[int], msgid: str | None, view: Sequence[str]) -> Hunk:
    kinds = {" ": LineKind.CONTEXT, "-": LineKind.REMOVED, "+": LineKind.ADDED}
    lines: list[HunkLine] = []
    body = list(h)
    for ln in body:
        if ln.line_type in kinds:
            lines.append(HunkLine(kinds[ln.line_type], ln.value.rstrip("\n"), ln.source_line_no, ln.target_line_no,
                                  bare=ln.line_type == " " and _vanishes(ln.diff_line_no, view)))
        elif ln.line_type == "\\" and lines:
            # "\ No newline at end of file": the line before it has no line end (apply.c).
            last = lines[-1]
            lines[-1] = HunkLine(last.kind, last.text, last.source_no, last.target_no, no_newline=True, bare=last.bare)
    header = (h[0].diff_line_no or 2) - 1 if len(h) else 1
    return Hunk(
        source_start=h.source_start,
        source_length=h.source_length,
        target_start=h.target_start,
        target_length=h.target_length,
        section=h.section_header,
        lines=tuple(lines),
        where=Where(path, line_of[min(header, len(line_of)) - 1], msgid),
    )


def diff_start(text: str) -> int | None:
    """Offset of the first diff header in a message body, or None."""
    m = _DIFF_START.search(text)
    return m.start() if m else None


def diff_start_line(lines: Sequence[str]) -> int | None:
    """Index of the first line that starts a diff (``diff --git``, ``Index:``, ``---`` then ``+++``), or None."""
    for i, line in enumerate(lines):
        if line.startswith(("diff --git ", "Index: ")):
            return i
        if line.startswith("--- ") and line[4:5].strip() and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            return i
    return None


def _corrupt(line_of: Sequence[int], index: int, where: Where, what: str) -> InputError:
    return InputError(Where(where.path, line_of[index], where.msgid), f"bad diff: {what}")


def _starts_patch(lines: list[str], i: int) -> bool:
    """Whether line ``i`` starts a file's patch where git apply looks for one between patches (apply.c
    find_header): ``diff --git`` (read as a header even alone, when git skips it: its names may be refused, and
    are kept for the next header, _View.stale), or ``---`` then ``+++`` then ``@@ -``."""
    def at(k: int) -> str:
        return lines[k].rstrip("\r\n") if k < len(lines) else ""

    if at(i).startswith("diff --git "):
        return True
    return at(i).startswith("--- ") and at(i + 1).startswith("+++ ") and at(i + 2).startswith("@@ -")


@dataclass
class _Open:
    """The hunk whose body is being read: its header's index, the lines each side still lacks, changes seen."""

    at: int
    old: int
    new: int
    changes: int = 0

    def take(self, lines: Sequence[str], i: int, line_of: Sequence[int], where: Where) -> bool:
        """Check line ``i``, of the hunk's body, as apply.c parse_fragment does; True once the hunk is complete.

        A line that is not context, added or removed (a long line a mailer wrapped, a signature where the hunk
        counts lie), or one without a line end, is where git apply stops: "corrupt patch at line N", this one.
        """
        line = lines[i]
        first = line[:1]
        if first == "\\" and line.startswith("\\ ") and len(line) >= 12:
            return False
        if not line.endswith("\n") or first not in (" ", "-", "+", "\n"):
            what = "has no line end" if first in (" ", "-", "+") else "is not context, added or removed"
            raise _corrupt(line_of, i, where, (
                f"corrupt patch: {line.rstrip(chr(13) + chr(10))[:40]!r} {what} inside the hunk at line "
                f"{line_of[self.at]} (git apply stops here; a line a mailer wrapped, or hunk counts that lie?)"))
        self.old -= first in (" ", "-", "\n")
        self.new -= first in (" ", "+", "\n")
        self.changes += first in ("-", "+")
        if self.old < 0 or self.new < 0:
            raise self._longer(lines, i, line_of, where)
        if self.old or self.new:
            return False
        if not self.changes:
            raise _corrupt(line_of, self.at, where, "hunk without any added or removed line")
        return True

    def _longer(self, lines: Sequence[str], i: int, line_of: Sequence[int], where: Where) -> InputError:
        """A hunk with more lines of one side than its header counts: git apply reads on over hunk lines (apply.c
        parse_fragment) and stops, "corrupt patch at line N", at the first other line or past the diff's end."""
        j = i + 1
        while j < len(lines) and lines[j].endswith("\n") and lines[j][:1] in (" ", "-", "+", "\n", "\\"):
            j += 1
        side = "old" if self.old < 0 else "new"
        if j == len(lines):  # git's line past the end would be one the file does not have: name the diff's last
            return InputError(Where(where.path, _last(line_of, where), where.msgid), (
                f"bad diff: corrupt patch: the hunk at line {line_of[self.at]} has more {side} lines than its header "
                "counts, up to the diff's end here (git apply stops here; hunk counts that lie?)"))
        return InputError(Where(where.path, line_of[j], where.msgid), (
            f"bad diff: corrupt patch at line {line_of[j]}: the hunk at line {line_of[self.at]} has more {side} lines "
            "than its header counts (git apply stops here; hunk counts that lie?)"))

    def short(self, line_of: Sequence[int], where: Where) -> InputError:
        """A hunk the diff ends inside: git apply reads on past the diff's end and stops, "corrupt patch at line N"
        (the line after the last: in a mail the next one, or none); a line a mailer joined (a format=flowed soft
        break) makes it. The place named is the diff's last line, one the file has."""
        lacks = " and ".join(f"{n} {side} line{'s' if n != 1 else ''}" for n, side in ((self.old, "old"),
                                                                                     (self.new, "new")) if n)
        return InputError(Where(where.path, _last(line_of, where), where.msgid), (
            f"bad diff: corrupt patch: the diff ends here, inside the hunk at line {line_of[self.at]}, which lacks "
            f"{lacks} its header counts (git apply stops past it; a line a mailer joined or wrapped, or hunk counts "
            "that lie?)"))


def _last(line_of: Sequence[int], where: Where) -> int:
    """The file's line of the diff's last line (``where``'s, the diff's first, when no line is known)."""
    return line_of[-1] if line_of else where.line


# The view's line that ends a git diff whose header needed no hunk (a mode change, a rename) where lines git skips
# follow: unidiff ends a file's header at a "Binary files" line only (else it reads the next patch's ---/+++ lines as
# this header's), so the file is marked binary there and unmarked after (parse_diff, by the ``closed`` set).
_CLOSE = "Binary files a/_ and b/_ differ\n"


def _git_view(lines: list[str], line_of: Sequence[int], where: Where,
              binaries: dict[int, tuple[str, bytes]] | None = None,
              names: dict[int, GitNames] | None = None, closed: set[int] | None = None) -> list[str]:
    """The diff's lines as git apply reads them; a hunk git would call corrupt is refused at its header.
    ``binaries`` gets each binary patch's forward hunk, ``names`` each git diff's names (harness.githeader, at the
    -p a traditional patch before it fixed), ``closed`` the git diffs the view ends by ``_CLOSE``, by the number of
    its file's ``diff --git`` line (0 first).

    After a file's last hunk, or its binary patch, lines up to the next file's patch are skipped as git apply skips
    them (text after the diff: a list footer, a mail's HTML copy), and a hunk there has no file (apply.c find_header).
    """
    view = _View(lines, line_of, where, binaries, {} if names is None else names, set() if closed is None else closed)
    for i, line in enumerate(lines):
        view.read(i, line)
    return view.finish()


@dataclass
class _View:
    """Where _git_view is in the diff's lines, and the lines it has made of them so far."""

    lines: list[str]
    line_of: Sequence[int]
    where: Where
    binaries: dict[int, tuple[str, bytes]] | None
    names: dict[int, GitNames]
    closed: set[int]
    out: list[str] = field(default_factory=list)
    extended: int = -1  # a "diff --git" line whose extended header lines are being read
    headers: int = -1  # "diff --git" lines read, less one
    depth: Depth = field(default_factory=Depth)  # git apply's -p: a traditional patch's names may fix it at 0
    hunk: _Open | None = None  # the hunk whose body is being read
    ended: int = -1  # index of the line that completed the last hunk
    last: int = -1  # the last line of the last hunk, its "\ No newline" line included
    between: bool = False  # past a file's last hunk, before the next file's patch
    binary_end: int = -1  # index of the line past a git binary patch's data
    stale: tuple[int, str] | None = None  # a lone diff --git line's index and name, which git keeps for the next

    def read(self, i: int, line: str) -> None:
        """Read line ``i``: a binary patch's data, a marker, a line between patches, a hunk's body, or a header line."""
        if i < self.binary_end:  # read by check_binary; past it lines are skipped up to the next file's patch
            self.out.append("#\n")
            self.last, self.between = i, True
            return
        if self.hunk is None and self.extended < 0 and line.startswith("\\"):  # in a git header: its end
            self._marker(i, line)
            return
        if self.hunk is None and self._between_patches(i, line):
            return
        if self.hunk is not None:
            self.out.append(line)
            if self.hunk.take(self.lines, i, self.line_of, self.where):
                self.hunk, self.ended, self.last = None, i, i
            return
        self._header_line(i, line)

    def _marker(self, i: int, line: str) -> None:
        # Right after a hunk, any wording says "no newline" (git only looks at "\ "); elsewhere it is garbage.
        marker = self.ended == i - 1 and len(line) >= 12
        self.out.append("\\ No newline at end of file\n" if marker else "#\n")
        self.last = i if marker else self.last

    def _between_patches(self, i: int, line: str) -> bool:
        """Whether line ``i``, past a file's last hunk, is skipped before the next file's patch."""
        if self.last < 0 or not (self.between or not (self.last == i - 1 and line.startswith("@@ -"))):
            return False
        self.between = not _starts_patch(self.lines, i)
        if self.between and _HUNK.match(line):
            raise _corrupt(self.line_of, i, self.where, "patch fragment without header")
        if self.between:
            self.out.append("#\n")
            return True
        self.last = -1
        return False

    def _header_line(self, i: int, line: str) -> None:
        """Read line ``i``, outside any hunk: a header line, a hunk's header, a binary patch."""
        line_of, where = self.line_of, self.where
        if _HUGE_NUMBER.search(_numbers_read(line)):
            raise _corrupt(line_of, i, where, "a number of more than 4300 digits")
        if line == "GIT binary patch\n" and self.extended < 0:  # no git header above it: garbage to git, as for
            self.out.append("#\n")  # a traditional patch's (apply.c parse_chunk reads one after a git header only)
            return
        if line == "GIT binary patch\n" and i > self.extended + 1:  # only this line: with a CR git sees none
            forward, self.binary_end = check_binary(self.lines, i + 1, line_of, where)
            if self.binaries is not None:
                self.binaries[sum(ln.startswith("diff --git ") for ln in self.out) - 1] = forward
        line = line.rstrip("\r\n") + "\n" if line.endswith("\n") and line != "GIT binary patch\r\n" else line
        if self.extended >= 0 and not line.startswith(GIT_HEADER_LINES):
            start = self.extended
            if self._close_header(i, line):  # the file's patch is whole without a hunk: line i is past it
                self.last = i - 1
                if self._between_patches(i, line):
                    if self.out[start] != "#\n":  # unidiff's file ends here, not at the next ---/+++ lines
                        self.out[-1] = _CLOSE
                        self.closed.add(self.headers)
                    return
            elif binary_line(self.lines[i]):  # the file's binary patch is this line: lines past it are skipped
                self.last, self.between = i, True
                line = _CLOSE  # the wording unidiff reads (not "Binary files differ", with no names)
        elif self.extended < 0 and line.startswith("--- ") and _starts_patch(self.lines, i):
            self.stale = None  # a traditional patch found: parse_traditional_patch() sets both names
            self.depth.guess(*(self.lines[k][4:].removesuffix("\n") for k in (i, i + 1)))
        if line.startswith("diff --git "):
            self.extended, self.headers = i, self.headers + 1
        if (m := _HUNK.match(line)) is not None:
            self.hunk = _Open(i, int(m.group(1) or 1), int(m.group(2) or 1))
            if self.hunk.old == self.hunk.new == 0:
                raise _corrupt(line_of, i, where, "empty hunk")
        self.out.append(line)

    def _close_header(self, i: int, line: str) -> bool:
        """The git diff header from ``self.extended`` ends at line ``i`` (``line``, "" at the diff's end): its names
        as git reads them (apply.c parse_git_diff_header: ``---``/``+++`` lines, mode, rename and copy lines, the
        ``diff --git`` line where they name nothing; a name may be empty, /dev/null without a deletion is the path
        dev/null), or git's refusal. The view's header is then made one unidiff reads, whatever it named (unidiff
        reads names other than git: an empty ``+++`` name, a ``+++`` name not the ``diff --git`` line's). True when
        no hunk or binary patch follows: lines up to the next file's patch are then skipped, as git skips them."""
        start, self.extended = self.extended, -1
        ended = bool(line) and not line.startswith(("diff --git ", "@@ -"))
        stale, self.stale = self.stale, None
        try:
            self.names[self.headers] = read_header(self.lines, start, i, self.depth.p, stale and stale[1])
        except HeaderError as exc:
            if ended and exc.at == start and "when removing" in exc.what:
                raise _corrupt(self.line_of, i, self.where, "git diff header lacks filename information (the header "
                               f"ends at {self.lines[i].rstrip()[:40]!r}, which no header line starts with: a line "
                               "a mailer wrapped?)") from None
            why = "" if stale is None else (f" (git apply reads this header with the names of the lone 'diff --git' "
                                            f"line at line {self.line_of[stale[0]]}, {stale[1]}: a header line lost "
                                            "below it?)")
            raise _corrupt(self.line_of, exc.at, self.where, exc.what + why) from None
        if i == start + 1:  # the diff --git line alone: git skips it (apply.c find_header), a hunk after it is lost
            self.out[start], self.headers = "#\n", self.headers - 1
            # ... but keeps the names it read for the next header it reads (the first lone line's, as both are set)
            named = self.names.pop(self.headers + 1)
            self.stale = stale or (start, named.old or "")
            if line.startswith("@@ -"):
                raise _corrupt(self.line_of, i, self.where, "patch fragment without header (no header line below "
                               "the diff --git line)")
            return ended
        if ended:
            header_ended(self.lines, start, i, self.line_of, self.where)
        self.out[start] = "diff --git a/_ b/_\n"
        target = "b/_"
        for k in range(start + 1, i):
            target = "/dev/null" if self.out[k].startswith("deleted file mode ") else target
            if self.out[k].startswith(("--- ", "+++ ")):
                self.out[k] = "--- a/_\n" if self.out[k].startswith("--- ") else f"+++ {target}\n"
        return ended and not (self.lines[i].startswith("GIT binary patch") or binary_line(self.lines[i]))

    def finish(self) -> list[str]:
        """The lines read, once a hunk left open or a header without a file name is refused."""
        if self.hunk is not None:
            raise self.hunk.short(self.line_of, self.where)
        if self.extended >= 0:
            self._close_header(len(self.lines), "")
        return self.out


def _numbers_read(line: str) -> str:
    """The part of a diff line outside a hunk whose numbers are read: a hunk's ranges, a similarity."""
    if line.startswith("@@ "):
        return line[3:].partition(" @@")[0]
    return line if line.startswith(("similarity index ", "dissimilarity index ")) else ""


def parse_diff(text: str, where: Where, line_of: Sequence[int] | None = None) -> tuple[PatchedFile, ...]:
    """Parse diff text whose first line is line ``where.line`` of ``where.path``.

    ``line_of`` gives the input line of each line of ``text`` when they are not consecutive (a mail
    that was base64, quoted-printable or format=flowed). Raises InputError (``bad diff: ...``) at the
    hunk git apply would refuse.
    """
    lines, numbers = _diff_lines(text, where, line_of)
    binaries: dict[int, tuple[str, bytes]] = {}
    names: dict[int, GitNames] = {}
    closed: set[int] = set()
    try:
        view = _git_view(lines, numbers, where, binaries, names, closed)
        patchset = PatchSet("".join(view))
    except UnidiffParseError as exc:
        raise InputError(Where(where.path, numbers[0] if numbers else where.line, where.msgid),
                         f"bad diff: {exc}") from exc
    files = []
    git_headers = -1
    depth = Depth()  # git apply's -p, guessed once for the whole diff
    for upf in patchset:
        is_git = any(ln.startswith("diff --git ") for ln in upf.patch_info or [])
        git_headers += is_git
        if not is_git and not len(upf):  # ---/+++ with no hunk below (apply.c find_header: garbage, no -p guess)
            continue
        named = _names(upf, lines, depth) or names.get(git_headers)
        pf = _file(upf, where, numbers, view, named)
        check_claims(pf, named)
        if pf.is_binary and git_headers in binaries:
            pf = replace(pf, binary=binaries[git_headers])
        elif git_headers in closed and (upf.patch_info or [""])[0].startswith("diff --git "):
            pf = replace(pf, is_binary=False)  # _CLOSE ended its header, no binary patch
        for path in {pf.path, pf.source_path, pf.target_path} - {None}:
            if not safe_path(str(path)):  # every command refuses it, not only those that write files
                raise InputError(pf.where, unsafe_path(str(path)))
        if _changes_something(pf, upf):
            files.append(pf)
        elif (upf.patch_info or [""])[0].startswith("diff --git "):
            raise InputError(pf.where, "bad diff: patch with only garbage (no hunk, no mode, rename or copy)")
    return tuple(files)


def _diff_lines(text: str, where: Where, line_of: Sequence[int] | None) -> tuple[list[str], list[int]]:
    """parse_diff's ``text`` as lines with their line ends, and the input line of each; InputError past
    MAX_DIFF_LINES."""
    if (count := text.count("\n")) > MAX_DIFF_LINES:
        at = MAX_DIFF_LINES  # the first line past the bound, named
        line = where.line + at if line_of is None else line_of[min(at, len(line_of) - 1)] if line_of else where.line
        raise InputError(Where(where.path, line, where.msgid), f"diff of {count:,} lines: more than "
                         f"{MAX_DIFF_LINES:,} lines in one message are not read (each costs about a kilobyte here)")
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    numbers = list(line_of) if line_of is not None else [where.line + i for i in range(len(lines))]
    numbers += [numbers[-1] if numbers else where.line] * max(0, len(lines) - len(numbers))
    return lines, numbers


def _changes_something(pf: PatchedFile, upf: UPatchedFile) -> bool:
    """Whether git apply takes a file's patch: hunks, or what it takes without a hunk (apply.c metadata_changes): a
    rename by its rename lines, not by ---/+++ names that differ ("overwrites"), which alone leave "patch with only
    garbage"; rename lines that name the file itself are a rename all the same, one that changes nothing (git am
    commits it, empty)."""
    renamed = pf.is_rename and not pf.overwrites
    return bool(pf.hunks or pf.is_binary or pf.is_new or pf.is_deleted or renamed or pf.copy or pf.is_mode_change
                or (pf.source_path == pf.target_path
                    and _header_facts(upf.patch_info or []).get("kind") == "rename"))


def _names(pf: UPatchedFile, lines: Sequence[str], depth: Depth) -> tuple[str | None, str | None] | None:
    """A traditional diff's (old, new) names from its ``---`` and ``+++`` lines as written (a carriage return kept,
    as git apply sees it in quoted-CRLF mail); None for a git diff."""
    if any(ln.startswith("diff --git ") for ln in pf.patch_info or []):
        return None
    at = pf[0][0].diff_line_no - 4 if len(pf) and len(pf[0]) and pf[0][0].diff_line_no else -1
    if at >= 0 and lines[at].startswith("--- ") and lines[at + 1].startswith("+++ "):
        first, second = (lines[k][4:].removesuffix("\n") for k in (at, at + 1))
    else:  # no hunk: no patch for git apply (find_header), dropped below; the names as unidiff read them
        sides = ((pf.source_file, pf.source_timestamp), (pf.target_file, pf.target_timestamp))
        first, second = ("/dev/null" if n is None else n + (f"\t{stamp}" if stamp else "") for n, stamp in sides)
    return traditional_header(first, second, depth)


def _file(pf: UPatchedFile, where: Where, numbers: Sequence[int], view: Sequence[str],
          named: tuple[str | None, str | None] | GitNames | None) -> PatchedFile:
    """One file's patch; ``named``: a traditional diff's (old, new) names, or a git diff's as its header gives them."""
    facts = _header_facts(list(pf.patch_info or []))
    if isinstance(named, GitNames):
        source, target = (None if named.is_new else named.old), (None if named.is_delete else named.new)
    elif named is not None:
        source, target = named
    else:
        source = facts.get("source") or strip_prefix(pf.source_file or "/dev/null")
        target = facts.get("target") or strip_prefix(pf.target_file or "/dev/null")
    # A git header says what is created or deleted by its mode lines (or /dev/null), as apply.c's is_new/is_delete:
    # an index line's zero id alone ('index 31562ab..0000000' of a reply's hand-edited diff) is no deletion there.
    # A diff of another kind has no such lines: its zero id says it.
    git = any(ln.startswith("diff --git ") for ln in pf.patch_info or [])
    if facts.get("created") or (not git and facts["old_blob"] and _ZERO_BLOB().match(facts["old_blob"] or "")):
        source = None
    if facts.get("deleted") or (not git and facts["new_blob"] and _ZERO_BLOB().match(facts["new_blob"] or "")):
        target = None
    line_no = pf.diff_line_no or 1
    hunks = tuple(_hunk(h, where.path, numbers, where.msgid, view) for h in pf)
    similarity = facts.get("similarity")
    return PatchedFile(
        source_path=source,
        target_path=target,
        old_blob=facts["old_blob"],
        new_blob=facts["new_blob"],
        old_mode=facts["old_mode"],
        new_mode=facts["new_mode"],
        is_binary=bool(pf.is_binary_file),
        is_symlink=bool({facts["old_mode"], facts["new_mode"]} & set(_UNUSUAL_MODES)),
        hunks=hunks,
        where=Where(where.path, numbers[min(line_no, len(numbers)) - 1], where.msgid),
        copy=facts.get("kind") == "copy",
        similarity=int(similarity) if similarity else None,
        maybe_new=isinstance(named, tuple) and source is not None and len(hunks) == 1 and not hunks[0].source_length,
        overwrites=git and "kind" not in facts and None not in (source, target) and source != target,
    )

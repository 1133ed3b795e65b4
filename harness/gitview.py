"""A diff's lines as git apply reads them (apply.c find_header, parse_fragment), before unidiff parses them.

Hunk bodies are read by their counts, only ``' '``, ``'-'``, ``'+'``, empty and ``\\ `` lines, each with a line end,
at least one change; lines between files' patches are skipped as git skips them; a git header's names are git's
(harness.githeader). What git would call corrupt is an InputError at its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.diffclaims import binary_line, header_ended
from harness.errors import InputError, Where
from harness.githeader import GitNames, HeaderError, read_header
from harness.tradnames import Depth

_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")
# A number int() cannot read (past 4,300 digits: CVE-2020-10735) where numbers are read: a hunk's ranges, a
# similarity (a binary hunk's size: _binary_hunk). git's strtoul() reads ULONG_MAX; here it is a bad diff.
_HUGE_NUMBER = re.compile(r"\d{4301}")
# What may follow "diff --git" in a git header (apply.c parse_git_diff_header's table, less "@@ -", which
# right after the "diff --git" line leaves a header git skips).
GIT_HEADER_LINES = ("--- ", "+++ ", "old mode ", "new mode ", "deleted file mode ", "new file mode ", "copy from ",
                    "copy to ", "rename old ", "rename new ", "rename from ", "rename to ", "similarity index ",
                    "dissimilarity index ", "index ")
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


def git_view(lines: list[str], line_of: Sequence[int], where: Where,
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
    """Where git_view is in the diff's lines, and the lines it has made of them so far."""

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
            from harness.diffbinary import check_binary  # loaded for a binary patch alone

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

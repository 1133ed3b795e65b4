"""Where a diff in a reply ends as git apply reads its hunks' counts, and what git says of a hunk left short."""

from __future__ import annotations

import itertools
import re

from harness.errors import Where
from harness.model import Mail, Skipped

HUNK_HEAD = re.compile(r"^\s*@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")

DIFF_META = ("diff ", "index ", "--- ", "+++ ", "new file mode", "deleted file mode", "old mode", "new mode",
             "similarity index", "dissimilarity index", "rename from", "rename to", "copy from", "copy to",
             "Binary files")


def diff_end(lines: list[tuple[int, str]], i: int) -> int:
    """Where the diff starting at ``lines[i]`` ends: past its file headers and each hunk's line counts (as git
    apply reads them; an empty line is a context line a mailer stripped)."""
    return diff_scan(lines, i)[0]


def diff_scan(lines: list[tuple[int, str]], i: int) -> tuple[int, bool]:
    """diff_end, and whether a hunk is left short of its counts there (git apply: "corrupt patch at line N")."""
    while i < len(lines):
        m = HUNK_HEAD.match(lines[i][1])
        if m is None:
            if not lines[i][1].startswith(DIFF_META):
                return i, False
            i += 1
            continue
        old, new = int(m.group(2) or 1), int(m.group(4) or 1)
        i += 1
        while i < len(lines) and (old > 0 or new > 0):
            mark = lines[i][1][:1]
            if mark not in ("", " ", "+", "-", "\\"):
                return i, True  # a hunk shorter than its counts (a mailer joined lines): git apply stops here

            old -= mark != "+" and mark != "\\"
            new -= mark != "-" and mark != "\\"
            i += 1
        if old > 0 or new > 0:
            return i, True
        while i < len(lines) and lines[i][1].startswith("\\"):
            i += 1  # "\ No newline at end of file" after the hunk's last line
    return i, False


def read_on(own: list[tuple[int, str]], block: list[tuple[int, str]], who: str, mail: Mail) -> Skipped | None:
    """A hunk the block ends inside (a mailer joined lines: a format=flowed soft break): git apply reads on, an empty
    line as context, and stops at the first line that is no hunk line ("corrupt patch at line N"), or at the end.
    None when the block's last hunk is whole (git's counts end within it: the diff's fault is another)."""
    start = next((k for k, (n, _) in enumerate(own) if n == block[0][0]), len(own))
    stop, short = diff_scan(own, start)
    if not any(n > block[-1][0] for n, _ in own[start:stop]):
        return None
    if not short:  # the empty lines below complete the hunk: git apply reads the diff, a line in the wrong place
        below = sum(1 for _ in itertools.takewhile(lambda item: not HUNK_HEAD.match(item[1]),
                                                   (item for item in own[start:stop] if item[0] > block[-1][0])))
        lines = "the empty line below the diff, which git apply reads as a context line" if below == 1 else \
            f"the {below} empty lines below the diff, which git apply reads as context lines"
        return Skipped(Where(mail.where.path, block[0][0], mail.msgid),
                       f"{who}: a hunk lacks lines its header counts, made up only by {lines} (a line a mailer joined "
                       "or dropped?)")
    line = own[stop][0] if stop < len(own) else own[-1][0] + 1
    what = f"{own[stop][1][:40]!r} is no hunk line" if stop < len(own) else "the message ends"
    return Skipped(Where(mail.where.path, line, mail.msgid),
                   f"{who}: corrupt patch at line {line} ({what}, and a hunk above it lacks lines its header counts, "
                   "which git apply refuses: a line a mailer joined or dropped?)")


def completed_below(own: list[tuple[int, str]], block: list[tuple[int, str]]) -> list[tuple[int, str]] | None:
    """The block with the empty lines right below it that complete its last hunk, as git apply reads them (apply.c:
    an empty line in a hunk is a context line, a blank one whose space a mailer stripped), or None: the hunk is
    whole, or the lines that would complete it are not all empty or not the mail's very next lines (a quote)."""
    start = next((k for k, (n, _) in enumerate(own) if n == block[0][0]), len(own))
    stop, short = diff_scan(own, start)
    past = [x for x in own[start:stop] if x[0] > block[-1][0]]
    if short or not past or any(t for _, t in past) or diff_end(block, 0) != len(block):
        return None
    numbers = [block[-1][0], *(n for n, _ in past)]
    return None if any(b != a + 1 for a, b in itertools.pairwise(numbers)) else [*block, *past]

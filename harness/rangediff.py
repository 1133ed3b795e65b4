"""A range-diff (git range-diff, format-patch --range-diff) in a cover letter, patch or reply: what it says changed."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from harness.errors import Where
from harness.mailinfo import MailInfo
from harness.model import Mail, Patch, Revision, Skipped
from harness.postings import Sent
from harness.sources import RawMessage
from models.lazyre import lazy
from models.record import record

# range-diff.c output_pair_header: "N:  OID S M:  OID TITLE", each side's number right-aligned, a side with no commit
# "-:  -------" (dashes as long as the abbreviated ids); S is '=' (same), '!' (changed), '<' (left only), '>' (right
# only).
_PAIR = lazy(r"^ *(\d+|-): +([0-9a-f]{4,64}|-{4,64}) ([=!<>]) +(\d+|-): +([0-9a-f]{4,64}|-{4,64}) (.*)$")
# What each pair's line holds ("N:  OID"), or a body that may hide one (base64), looked for in the message's bytes
# before its lines are read: a substring search costs a fraction of a line loop over every mail of a thread.
_MAYBE = (b":  ", b"ase64", b"ASE64")
# SGR escapes of `git range-diff --color=always` (color.c: ESC '[' digits and ';' 'm'), written around each side and
# the mark of a pair's line when its output is pasted into a mail as the terminal got it: dropped before a line is
# read.
_COLOR = lazy(r"\x1b\[[0-9;]*m")
# The narrowest line a mailer that wraps long lines keeps (Emacs and vim in mail modes wrap at 72, Gmail at 78).
_WRAP = 70
# format-patch's heading (builtin/log.c: "Range-diff against v%d:" with -vN, the revision before it).
_AGAINST = lazy(r"^Range-diff against v(\d+):\s*$")


@record
class Pair:
    """One line of a range-diff: the left and right side's patch numbers (None: '-'), its mark, the title shown and
    the line below it read as the rest of that title a mailer broke off ("" when none; see ``_title``)."""

    left: int | None
    right: int | None
    mark: str
    title: str
    rest: str = ""


@record
class RangeDiff:
    """A range-diff read from one mail: where its first line is, the revisions of its sides where the mail says them
    (``right``: the revision of the cover letter or patch it is in; ``left``: its heading's, else the one before
    ``right``),
    whose words it is (``who``) and its lines."""

    where: Where
    left: int | None
    right: int | None
    who: str
    pairs: tuple[Pair, ...]


def read_range_diff(data: bytes, info: MailInfo, mail: Mail, path: str, sent_patch: bool) -> RangeDiff | None:
    """The first range-diff of the mail's text (its commit message and the notes below ``---``, where format-patch
    puts one of a lone patch), unquoted lines only: a quoted one is the quoted mail's; None when there is none.
    ``data``: the message's bytes, whose lines are read only where they may hold one."""
    if not any(m in data for m in _MAYBE):
        return None
    lines = [(n, _COLOR().sub("", t) if "\x1b" in t else t) for n, t in (*info.log, *_notes(info.patch))]
    width = min(_WRAP, max((len(t) for _, t in lines), default=_WRAP))  # one wrapping at 66 left none longer
    pairs: list[Pair] = []
    first, against, previous = 0, None, ""
    shown = _shows_wrapping([t for _, t in lines])
    for k, (n, text) in enumerate(lines):
        if (head := _AGAINST().match(text)) is not None and not pairs:
            against = int(head.group(1))
        m = _PAIR().match(text)
        if m is None:
            # The paired lines' inner diffs are indented 4; git mailinfo gives a long one of a quoted-printable,
            # format=flowed DelSp=yes letter (Apple Mail) back with 3 (test_range_diff_git): any indent.
            if pairs and text and not text.startswith(" "):
                if not _wrapped(previous, text, width) or not (
                        shown or _inside(lines, k) or _broken_alike([t for _, t in lines], k, previous)):
                    break
                if _PAIR().match(previous):  # the rest of a pair's title
                    last = pairs[-1]
                    pairs[-1] = Pair(last.left, last.right, last.mark, last.title, text.strip())
            previous = text
            continue
        first, previous = first or n, text
        pairs.append(Pair(_side(m.group(1)), _side(m.group(4)), m.group(3), m.group(6).strip()))
    if not pairs:
        return None
    # A reply's range-diff may be of any two ranges (what a maintainer applied against what was sent): sides unnamed.
    right = mail.subject.version if sent_patch else None
    left = against if against is not None else (right - 1 if right is not None and right > 1 else None)
    who = (f"the cover letter of v{right}" if sent_patch and not mail.subject.number else
           f"v{right} patch {mail.subject.number}" if sent_patch else f"the reply of {mail.author}")
    who += f" <{mail.msgid}>" if mail.msgid_given else ""
    return RangeDiff(Where(path, first, mail.msgid), left, right, who, tuple(pairs))


def _wrapped(previous: str, text: str, width: int) -> bool:
    """Whether ``text`` is the rest of the line before it, which a mailer broke at a space to keep lines within
    ``width`` columns: 70 or more (Thunderbird 72, Outlook 76, Gmail's web client 78), or the mail's longest line
    where that is shorter (a client wrapping at 66 or 60): that line and the word that begins ``text`` would not
    have fitted. The signature's ``-- `` after the last inner line is never one."""
    word = text.split(maxsplit=1)[0] if text.strip() else ""
    return bool(word) and text != "-- " and len(previous) + 1 + len(word) > width


def _inside(lines: list[tuple[int, str]], k: int) -> bool:
    """Whether the range-diff goes on after line ``k``: the next line is a pair's or an inner (indented) one."""
    after = lines[k + 1][1] if k + 1 < len(lines) else ""
    return after.startswith(" ") or _PAIR().match(after) is not None


def _shows_wrapping(texts: list[str]) -> bool:
    """Whether the range-diff in ``texts`` shows a mailer broke its lines: its first line neither a pair's nor indented
    has a pair's or an inner line after it (range-diff writes none there). Without that, a line after the range-diff
    that would not have fitted on its last pair's line (prose with no blank line before it) is no title's rest where
    no other line was broken at a width that would have broken it (_broken_alike): the width guessed (read_range_diff)
    rests on the pairs' lines alone, or past 70 columns a mailer left the pair's line as it is."""
    start = next((k for k, t in enumerate(texts) if _PAIR().match(t)), len(texts))
    for k in range(start + 1, len(texts)):
        text = texts[k]
        if not text or text.startswith(" ") or _PAIR().match(text):
            continue
        after = texts[k + 1] if k + 1 < len(texts) else ""
        return after.startswith(" ") or _PAIR().match(after) is not None
    return False


def _broken_alike(texts: list[str], k: int, previous: str) -> bool:
    """Whether another line of the mail was broken at a width that would have broken ``previous`` before the word
    ``texts[k]`` starts with: a line of text (neither a pair's nor indented) with a line of text below it whose first
    word did not fit on it, at a width that both fit (a mailer's one width: prose it wrapped, a title of the
    range-diff wrapped before). Lines no mailer broke there (prose typed to 72 columns, the pairs' own) show none."""
    def word(t: str) -> int:
        return len(t.split(maxsplit=1)[0])

    low, high = len(previous), len(previous) + 1 + word(texts[k])  # a width W with low <= W < high broke it
    def text(t: str) -> bool:
        return bool(t.strip()) and not t.startswith(" ") and _PAIR().match(t) is None and t != "-- "

    return any(text(a) and text(b) and i + 1 != k and max(low, len(a)) < min(high, len(a) + 1 + word(b))
               for i, (a, b) in enumerate(itertools.pairwise(texts)))


def _notes(patch: tuple[tuple[int, bytes], ...]) -> list[tuple[int, str]]:
    """The lines from the patch break to the first diff (the notes below ``---``), as text."""
    out = []
    for n, data in patch:
        if data.startswith((b"diff ", b"Index: ", b"@@ ", b"--- a/", b"--- /dev/null")):
            break
        out.append((n, data.decode("utf-8", "replace").rstrip("\r\n")))
    return out


def _side(text: str) -> int | None:
    return None if text == "-" else int(text)


def range_diff_notes(messages: Iterable[tuple[RawMessage, MailInfo, Sent]], series: tuple[Revision, ...]
                     ) -> list[Skipped]:
    """One note a range-diff of the ``messages`` (read_range_diff): which patches it says changed, which are new and
    which dropped, and how many it says are the same; where the input holds both revisions and one it says is the
    same differs there (git patch-id of the diffs, which range-diff's '=' implies), that too: the range-diff was made
    of other commits than were sent."""
    found = (read_range_diff(raw.data, info, sent.mail, raw.where.path, sent.patch) for raw, info, sent in messages)
    return [Skipped(rd.where, _said(rd, series)) for rd in found if rd is not None]


def _said(rd: RangeDiff, series: tuple[Revision, ...]) -> str:
    rd = RangeDiff(rd.where, rd.left, rd.right, rd.who, tuple(
        Pair(p.left, p.right, p.mark, _title(series, rd, p)) for p in rd.pairs))
    left, right = _name(rd.left, "left side"), _name(rd.right, "right side")
    parts = []
    changed = [f"{right} {p.right} '{p.title}' (was {left} {p.left}{_alike(series, rd, p)})"
               for p in rd.pairs if p.mark == "!"]
    # A patch changed too much for range-diff to pair its two versions is shown dropped and new, each under its title.
    gone = {p.title: p for p in rd.pairs if p.mark == "<"}
    came = {p.title: p for p in rd.pairs if p.mark == ">"}
    unpaired = [f"{right} {p.right} '{t}' (was {left} {gone[t].left})" for t, p in came.items() if t in gone]
    new = [f"{right} {p.right} '{t}'" for t, p in came.items() if t not in gone]
    dropped = [f"{left} {p.left} '{t}'" for t, p in gone.items() if t not in came]
    same = [p for p in rd.pairs if p.mark == "="]
    for word, said in (("changed", changed), ("shown dropped and new under one title, changed too much to pair",
                                              unpaired), ("new", new), ("dropped", dropped)):
        if said:
            parts.append(f"{word}: {', '.join(said)}")
    if same:
        parts.append(f"{len(same)} the same")
    differ = [f"{right} {p.right}" for p in same if _differs(series, rd, p)]
    if differ:
        parts.append(f"but the input's {', '.join(differ)} differ{'s' if len(differ) == 1 else ''} from "
                     f"{left}'s by their diffs (git patch-id): the range-diff is of other commits than were sent")
    return f"range-diff in {rd.who}, read as git range-diff writes it: {'; '.join(parts)}"


def _title(series: tuple[Revision, ...], rd: RangeDiff, pair: Pair) -> str:
    """A pair's title with the line read as its rest, unless the input holds the patch whose title range-diff shows
    (range-diff.c output_pair_header: the left side's commit where there is one, else the right side's) and that
    patch's title is the one without it: in a mail a mailer wrapped, prose right below the last pair with no blank
    line would not have fitted on its line either, and the text alone cannot tell the two apart."""
    if not pair.rest:
        return pair.title
    version, number = (rd.left, pair.left) if pair.left is not None else (rd.right, pair.right)
    shown = _patch(series, version, number) if version is not None and number is not None else None
    if shown is not None and shown.mail.subject.title == pair.title:
        return pair.title
    return f"{pair.title} {pair.rest}"


def _name(version: int | None, side: str) -> str:
    return f"v{version}" if version is not None else side


def _differs(series: tuple[Revision, ...], rd: RangeDiff, pair: Pair) -> bool:
    """Whether the input holds both patches of a '=' pair and their diffs differ (git patch-id)."""
    if rd.left is None or rd.right is None or pair.left is None or pair.right is None:
        return False
    a, b = _patch(series, rd.left, pair.left), _patch(series, rd.right, pair.right)
    return a is not None and b is not None and a.patch_id is not None and a.patch_id != b.patch_id


def _alike(series: tuple[Revision, ...], rd: RangeDiff, pair: Pair) -> str:
    """What the input's two patches of a '!' pair show where their diffs have one git patch-id (which ignores white
    space and hunk positions): that the change is in the commit message or author (the range-diff's "Metadata" and
    "Commit message" sections), in white space, or in nothing range-diff compares, so the range-diff is of other
    commits than were sent; "" where the diffs differ or a side is not in the input."""
    if rd.left is None or rd.right is None or pair.left is None or pair.right is None:
        return ""
    a, b = _patch(series, rd.left, pair.left), _patch(series, rd.right, pair.right)
    if a is None or b is None or a.patch_id is None or a.patch_id != b.patch_id:
        return ""
    said = f"; its diff is {_name(rd.left, '')} {pair.left}'s by git patch-id"
    if _commit_text(a) != _commit_text(b):
        return said + ", its commit message or author changed"
    if _compared_diff(a.diff) != _compared_diff(b.diff):
        return said + ", only white space in it changed"
    return (said + ", and its commit message and author are the same: the range-diff is of other commits than were "
            "sent")


def _commit_text(p: Patch) -> tuple[str, str, str, str]:
    """What range-diff compares of a commit besides its diff: the author (its "Metadata") and the message."""
    return p.mail.author, p.mail.author_email, p.mail.subject.title, p.message


def _compared_diff(diff: str) -> list[str]:
    """A diff's lines as range-diff compares them: ``index`` lines left out, a hunk header's positions dropped (it
    keeps "@@" and the function name)."""
    return [line.split("@@", 2)[-1] if line.startswith("@@ ") else line
            for line in diff.splitlines() if not line.startswith("index ")]


def _patch(series: tuple[Revision, ...], version: int, number: int) -> Patch | None:
    rev = next((r for r in series if r.version == version), None)
    return next((p for p in rev.patches if p.number == number), None) if rev is not None else None

"""A request to drop that names nothing ("Please drop this."): of the patch, or of the code quoted right above it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.droprequest import unnamed_drop_sentence
from harness.model import Patch, Quote, Reply
from models.record import record

# A quoted line of a diff: a hunk or file header, a diffstat line, an added or removed line ("+\tpr_err(...);",
# "+ pr_err(...)", "-#define X"), or one indented (a diff's context line keeps its leading space; a log a changelog
# quotes). A "- " bullet of prose ("- Dropped the retry (Sean)") is none: no call, assignment or brace in it.
_DIFF = re.compile(r"^(?:@@|diff --git |index [0-9a-f]|--- |\+\+\+ |\s*\S+\s+\|\s+\d+|[+-](?! [A-Za-z])|\s+\S)")
_PROSE_BULLET = re.compile(r"^[+-] [A-Za-z]")
_CODE_MARK = re.compile(r"\w\(|[;{}=]|->|/\*|\*/|^[+-] (?:if|for|while|return|static|struct|int|u\d+|void)\b")
# A trailer or tag of the commit message: "drop this" under it drops the tag ("Cc: stable@...", "Fixes: ..."), not the
# patch.
_SNIP = re.compile(r"^\s*(?:\[\s*(?:\.\.\.|…|snip(?:ped)?)\s*\]|\.\.\.|…|<\s*snip(?:ped)?\s*>)\s*$", re.I)  # a cut
_TAG = re.compile(r"^\s*(?:[\w-]+-by|Fixes|Link|Closes|Cc|BugLink|Message-ID|Change-Id|Signed-off-by)\s*:", re.I)


def _code_or_tag(line: str) -> bool:
    """Whether a quoted line is code (a diff's, _DIFF) or a commit message's tag (_TAG): what "drop this" under it
    names."""
    if _TAG.match(line):
        return True
    if _PROSE_BULLET.match(line):
        return bool(_CODE_MARK.search(line))
    return bool(_DIFF.match(line))


@record
class UnnamedDrop:
    """A request to drop that names nothing, and the quoted lines right above it (None: above every quote)."""

    sentence: str
    under: tuple[str, ...] | None


def unnamed_drop(lines: Sequence[tuple[int, str]], quotes: Sequence[Quote]) -> UnnamedDrop | None:
    """The sentence of a reply's own ``lines`` (input line number, text) asking to drop what it does not name
    ("Please drop this.", "This should be dropped."; droprequest.unnamed_drop_sentence) where that can be the patch:
    above every quote (a top-post, or a reply with none), or below a quoted line of prose (of_patch decides, once the
    message answered is known). Below a quoted line of code it asks to drop that code, a proposal; below a quoted tag,
    the tag: none. None when there is none."""
    starts = [q.where.line for q in quotes]
    groups: list[tuple[int, list[str]]] = []  # (the quote right above, or -1), its own lines below
    for number, text in lines:
        above = max((i for i, s in enumerate(starts) if s < number), default=-1)
        if groups and groups[-1][0] == above:
            groups[-1][1].append(text)
        else:
            groups.append((above, [text]))
    for above, texts in groups:
        under = _last_with_words(quotes[: above + 1]) if above >= 0 else None
        if under is not None and under[-1] is not None and _code_or_tag(under[-1]):
            continue
        if (said := unnamed_drop_sentence("\n".join(texts))) is not None:
            return UnnamedDrop(said, under[0] if under is not None else None)
    return None


def _last_with_words(quotes: Sequence[Quote]) -> tuple[tuple[str, ...], str | None]:
    """The lines of the last of ``quotes`` that has a line with words, and that line (a mark of a cut, "[...]", is
    none); ((), None) when none has."""
    for q in reversed(quotes):
        last = next((t for t in reversed(q.lines) if t.strip() and not _SNIP.match(t)), None)
        if last is not None:
            return q.lines, last
    return (), None


def _flat(text: str) -> str:
    return " ".join(text.split())


def of_patch(r: Reply, head: Patch) -> bool:
    """Whether the reply's request to drop that names nothing (Reply.drop_said) is of ``head``, the patch (or cover
    letter) it is below: in a reply to ``head`` itself, above every quote or below a quote of its prose (the message
    answered is ``head``); in a reply to a reply, only below a quote of ``head``'s own subject or commit message,
    every quoted line of it there (whitespace aside: a mailer may wrap them anew). Below another reviewer's words, or
    above the quote of their message, "drop this" answers them, not the patch: it was read as a drop of the patch."""
    if not r.drop_said:
        return False
    parent = r.mail.in_reply_to or (r.mail.references[-1] if r.mail.references else "")
    if parent == head.mail.msgid:
        return True
    if not r.drop_under:
        return False
    own = _flat(f"{head.mail.subject.title}\n{head.message}")
    said = [_flat(t) for t in r.drop_under if t.strip() and not _SNIP.match(t)]
    return bool(said) and all(t in own for t in said)

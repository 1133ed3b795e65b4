"""A request to drop that names nothing ("Please drop this."): of the patch, or of the code quoted right above it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.droprequest import unnamed_drop_sentence
from harness.model import Quote

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


def unnamed_drop(lines: Sequence[tuple[int, str]], quotes: Sequence[Quote]) -> str | None:
    """The sentence of a reply's own ``lines`` (input line number, text) asking to drop what it does not name
    ("Please drop this.", "This should be dropped."; droprequest.unnamed_drop_sentence) where that is the patch: above
    every quote (a top-post, or a reply with none), or below a quote of the commit message or subject. Below a quoted
    line of code it asks to drop that code, a proposal; below a quoted tag, the tag: none. None when there is none."""
    starts = [q.where.line for q in quotes]
    groups: list[tuple[int, list[str]]] = []  # (the quote right above, or -1), its own lines below
    for number, text in lines:
        above = max((i for i, s in enumerate(starts) if s < number), default=-1)
        if groups and groups[-1][0] == above:
            groups[-1][1].append(text)
        else:
            groups.append((above, [text]))
    for above, texts in groups:
        if above >= 0 and _under_code(quotes[: above + 1]):
            continue
        if (said := unnamed_drop_sentence("\n".join(texts))) is not None:
            return said
    return None


def _under_code(quotes: Sequence[Quote]) -> bool:
    """Whether the last quoted line with words, in the last of ``quotes`` that has one, is code or a tag (a mark of
    a cut, "[...]", is no such line)."""
    for q in reversed(quotes):
        last = next((t for t in reversed(q.lines) if t.strip() and not _SNIP.match(t)), None)
        if last is not None:
            return _code_or_tag(last)
    return False

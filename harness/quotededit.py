"""A reply that edits a quoted patch in place: '+' lines written unquoted among the quoted lines of one of its hunks.

A reviewer who answers a patch by quoting it and writing the line they want in place of the quoted one (``> -\tint
tries = 3;`` then ``+\tint tries = 7;`` unquoted, then ``>  \tu64 ret;``) shows the patch as they would have it. The
lines between the quoted lines around them, in the patch as its mail has it (the body as git am reads it), are the
ones replaced: that makes a diff of the patch file, rebuilt into the reviewer's patch as any such diff is
(harness.patchfilediff: applied as git apply would to the mail's patch, then placed where it fits, in the patch's
place or on top of it, by harness.proposalfit). Where the quoted lines are not the patch's, or the diff does not
apply, a note says why and the lines stay a snippet (harness.codenotes says it is no variant).
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from harness.diffparse import parse_diff
from harness.diffspan import HUNK_HEAD
from harness.errors import InputError, Where
from harness.model import Patch, Proposal, ProposalKind, Quote, Reply, Skipped
from harness.patchfilediff import reviewers_patch

_CONTEXT = 3  # git diff's default context lines on each side of a change
_QUOTED_DIFF = (" ", "+", "-", "\\")


def edited_replies(p: Patch, replies: tuple[Reply, ...]) -> tuple[Reply, ...]:
    """``replies`` to patch ``p``, each snippet of '+' lines written unquoted inside a quoted hunk of ``p`` read as
    the reviewer's patch where it can be (a DIFF proposal in its place, and a note), else kept with a note on why."""
    return tuple(_edited(p, r) if _maybe(r) else r for r in replies)


def _maybe(r: Reply) -> bool:
    return len(r.quotes) > 1 and any(_plus_lines(s) for s in r.proposals)


def _plus_lines(s: Proposal) -> bool:
    """Whether a snippet is only '+' lines (``+\tint tries = 7;``): a patch's added lines, as a reviewer writes them."""
    return s.kind is ProposalKind.SNIPPET and all(t[:1] == "+" and t[1:2] != "+" for t in s.text.split("\n"))


def _edited(p: Patch, r: Reply) -> Reply:
    proposals, unread = list(r.proposals), list(r.unread)
    for s in r.proposals:
        around = _quoted_around(s, r.quotes) if _plus_lines(s) else None
        if around is None:
            continue
        got = _reviewers_edit(p, s, around, r)
        lines = "lines" if s.text.count("\n") else "line"
        who = (f"'+' {lines} written unquoted inside the quoted hunk of v{p.mail.subject.version} patch {p.label} in "
               f"the reply of {r.mail.author} <{r.mail.msgid}> (line {s.where.line})")
        if isinstance(got, tuple):
            proposals[proposals.index(s)], replaced = got
            said = f"{replaced} line{'s' if replaced != 1 else ''} of it between them replaced" if replaced else \
                "put between them"
            unread.append(Skipped(s.where, f"{who} read as the reviewer's edit of the patch (its version of the patch, "
                                           f"a proposal): the quoted lines around them are the patch's as the mail "
                                           f"has it, {said}"))
        else:
            unread.append(Skipped(s.where, f"{who} not read as an edit of the patch: {got}"))
    return replace(r, proposals=tuple(proposals), unread=tuple(unread))


def _quoted_around(s: Proposal, quotes: tuple[Quote, ...]) -> tuple[Quote, Quote] | None:
    """The quote runs right above and right below the snippet's lines when they are one quote's diff lines: the run
    above holds a hunk header with only diff lines after it, the run below starts with a diff line."""
    first, count = s.where.line, s.text.count("\n") + 1
    above = next((q for q in quotes if q.depth == 1 and q.where.line + len(q.lines) == first), None)
    below = next((q for q in quotes if q.depth == 1 and q.where.line == first + count), None)
    if above is None or below is None:
        return None
    heads = [i for i, t in enumerate(above.lines) if HUNK_HEAD.match(t)]
    if not heads or not all(_diff_line(t) for t in above.lines[heads[-1] + 1:]) or not _diff_line(below.lines[0]):
        return None
    return above, below


def _diff_line(text: str) -> bool:
    """A hunk's line as quoted: its mark, or nothing (a blank context line whose space a mailer stripped)."""
    return text[:1] in _QUOTED_DIFF or text == ""


def _reviewers_edit(p: Patch, s: Proposal, around: tuple[Quote, Quote], r: Reply) -> tuple[Proposal, int] | str:
    """The reviewer's patch the edit makes (harness.patchfilediff.reviewers_patch) and how many lines of the mail's
    patch its lines replace, or why it cannot be made."""
    above, below = around
    sent = ("\n" + p.above_diff + p.diff).split("\n")
    head = max(i for i, t in enumerate(above.lines) if HUNK_HEAD.match(t))
    quoted = [t.rstrip() for t in above.lines[head:]]
    starts = [i for i, t in enumerate(sent) if t.rstrip() == quoted[0]
              and [x.rstrip() for x in sent[i:i + len(quoted)]] == quoted]
    if not starts:
        return (f"the quoted hunk from its header {quoted[0][:40]!r} down to the lines is not {p.label}'s as the mail "
                "has it")
    end = starts[0] + len(quoted)
    after = [t.rstrip() for t in itertools.takewhile(_diff_line, below.lines)][:_CONTEXT]
    gap = next((j for j in range(end, min(len(sent), end + 1 + s.text.count("\n") + _CONTEXT))
                if [x.rstrip() for x in sent[j:j + len(after)]] == after), None)
    if gap is None:
        return f"the quoted lines below them ({after[0][:40]!r}) are not the next lines of {p.label}'s hunk"
    got = _rebuilt(p, s, sent, (starts[0], end, gap), r)
    return (got, gap - end) if isinstance(got, Proposal) else got


def _recounted(head: str, removed: list[str], added: list[str]) -> str:
    """The hunk header ``head`` of the mail's patch with its counts as the edit leaves them: a line of the patch put
    in place of another of the same kind leaves them, one more '+' line is one more new line (git apply reads a hunk
    by its counts: one line more than they say is a corrupt patch)."""
    m = HUNK_HEAD.match(head)
    assert m is not None
    def count(lines: list[str], marks: str) -> int:
        return sum(t[:1] in marks or t == "" for t in lines)
    old = int(m.group(2) or 1) + count(added, " -") - count(removed, " -")
    new = int(m.group(4) or 1) + count(added, " +") - count(removed, " +")
    section = f" {m.group(5)}" if m.group(5) else ""
    return f"@@ -{m.group(1)},{old} +{m.group(3)},{new} @@{section}"


def _rebuilt(p: Patch, s: Proposal, sent: list[str], cut: tuple[int, int, int], r: Reply) -> Proposal | str:
    """The diff of the patch file that puts the snippet's lines in place of ``sent[end:gap]`` (lines of the mail's
    patch text, 0-based; ``head``: its hunk's header, recounted), rebuilt into the reviewer's patch."""
    head, end, gap = cut
    removed, added, following = sent[end:gap], s.text.split("\n"), sent[gap:gap + _CONTEXT]
    header = _recounted(sent[head], removed, added)
    lead = [f"-{sent[head]}", f"+{header}"] if header != sent[head] else [f" {sent[head]}"]
    old = 1 + (end - head - 1) + len(removed) + len(following)
    new = old - len(removed) + len(added)
    name = f"{p.label.replace('/', '-')}.patch"
    body = [f"diff --git a/{name} b/{name}", f"--- a/{name}", f"+++ b/{name}",
            f"@@ -{head + 1},{old} +{head + 1},{new} @@",
            *lead, *(f" {t}" for t in sent[head + 1:end]), *(f"-{t}" for t in removed), *(f"+{t}" for t in added),
            *(f" {t}" for t in following)]
    where = Where(s.where.path, s.where.line, s.where.msgid)
    try:
        files = parse_diff("\n".join(body) + "\n", where, [s.where.line] * len(body))
    except InputError as exc:
        return f"the diff of the patch it makes is no diff git apply reads ({exc.message})"
    outer = Proposal(ProposalKind.DIFF, "\n".join(body), s.msgid, s.author, s.where, files=files)
    return reviewers_patch(p, outer, r)

"""A reply that edits a quoted patch in place: '+' lines written unquoted among the quoted lines of one of its hunks.

A reviewer who answers a patch by quoting it and writing the line they want in place of the quoted one (``> -\tint
tries = 3;`` then ``+\tint tries = 7;`` unquoted, then ``>  \tu64 ret;``) shows the patch as they would have it. The
lines between the quoted lines around them, in the patch as its mail has it (the body as git am reads it), are the
ones replaced: that makes a diff of the patch file, rebuilt into the reviewer's patch as any such diff is
(harness.patchfilediff: applied as git apply would to the mail's patch, then placed where it fits, in the patch's
place or on top of it, by harness.proposalfit). Where the quoted lines are not the patch's, or the diff does not
apply, a note says why and the lines stay a snippet (harness.codenotes says it is no variant).

'-' lines are read so too (a kept line shown as one to remove), unless they change what the hunk says the file
holds (a '+' line marked '-' to ask for it to go: git apply refuses that hunk), and lines equal to the patch's are
no edit: both get a note, never a proposal. A quote at any depth (a reply to a reply), its marks written with or
without a space after them (``>+\tint``, ``> \tu64 ret;``), is read. A quoted hunk that leaves out '+' lines, the
lines around them quoted (a reviewer deleting the line to drop), gets a note and no proposal: a trimmed quote looks
the same.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from harness.diffparse import parse_diff
from harness.diffspan import HUNK_HEAD
from harness.errors import InputError
from harness.model import Patch, Proposal, ProposalKind, Quote, Reply, Skipped
from harness.patchfilediff import reviewers_patch

_CONTEXT = 3  # git diff's default context lines on each side of a change
_QUOTED_DIFF = (" ", "+", "-", "\\")


def edited_replies(p: Patch, replies: tuple[Reply, ...]) -> tuple[Reply, ...]:
    """``replies`` to patch ``p``, each snippet of '+' lines written unquoted inside a quoted hunk of ``p`` read as
    the reviewer's patch where it can be (a DIFF proposal in its place, and a note), else kept with a note on why."""
    return tuple(_left_out(p, _edited(p, r) if _maybe(r) else r) for r in replies)


def _left_out(p: Patch, r: Reply) -> Reply:
    """``r`` with a note on each quoted hunk of ``p`` that leaves out '+' lines of it, the lines around them quoted as
    the patch has them (the reviewer deleting the line they would drop): not read as an edit, since a quote trimmed
    looks the same, though git apply takes the patch without those lines (one '+' line less changes no line the hunk
    says the file holds; --recount reads the counts anew)."""
    heads = [(q, i) for q in r.quotes for i, t in enumerate(q.lines) if HUNK_HEAD.match(t)]
    if not heads:
        return r
    sent, notes = _sent(p), []
    bare = _bare(sent)
    for q, i in heads:
        quoted = list(itertools.takewhile(lambda t: _diff_line(t, bare), q.lines[i + 1:]))
        gone = next((g for k in range(len(sent)) if sent[k].rstrip() == q.lines[i].rstrip()
                     if (g := _gaps(sent, k + 1, quoted)) is not None), None)
        if not gone:
            continue
        texts = ", ".join(repr(sent[k][:40]) for k, _ in gone[:3]) + (f" and {len(gone) - 3} more" if gone[3:] else "")
        many = "s" if len(gone) > 1 else ""
        notes.append(Skipped(replace(q.where, line=q.where.line + i + 1 + gone[0][1]), (
            f"the quoted hunk {q.lines[i].strip()[:40]!r} of v{p.mail.subject.version} patch {p.label} in the reply "
            f"of {r.mail.author} <{r.mail.msgid}> leaves out its line{many} {texts}, the lines around "
            f"{'them' if many else 'it'} quoted as the patch has them: not read as the reviewer's patch without "
            f"{'them' if many else 'it'} (a quote trimmed looks the same), though git apply would take that patch")))
    return replace(r, unread=(*r.unread, *notes)) if notes else r


def _gaps(sent: list[str], at: int, quoted: list[str]) -> list[tuple[int, int]] | None:
    """The '+' lines of ``sent`` from ``at`` on that ``quoted`` leaves out, each as (its index in ``sent``, the index
    in ``quoted`` of the line below it), when the rest are ``quoted`` in order and a quoted line follows the last;
    None when ``quoted`` is not so (or is ``sent``'s lines whole: no gap)."""
    gone, k = [], at
    for j, t in enumerate(quoted):
        while k < len(sent) and not _same(sent, k, [t]) and sent[k][:1] == "+" and sent[k][1:2] != "+":
            gone.append((k, j))
            k += 1
        if not _same(sent, k, [t]):
            return None
        k += 1
    return gone or None


def _maybe(r: Reply) -> bool:
    return len(r.quotes) > 1 and any(_plus_lines(s) for s in r.proposals)


def _plus_lines(s: Proposal) -> bool:
    """Whether a snippet is only '+' and '-' lines (``+\tint tries = 7;``, ``-\tu64 ret;``): a patch's added or
    removed lines as a reviewer writes them (not ``++``, ``---``, nor the ``-- `` of a signature)."""
    return s.kind is ProposalKind.SNIPPET and all(t[:1] in "+-" and t[1:2] != t[:1] for t in s.text.split("\n"))


def _marks(edits: list[Proposal]) -> str:
    """What the edits' lines are, as a note says it: "'+' line", "'-' lines", "'+' and '-' lines"."""
    lines = [t for s in edits for t in s.text.split("\n")]
    marks = " and ".join(f"'{m}'" for m in "+-" if any(t[:1] == m for t in lines))
    return f"{marks} line{'s' if len(lines) > 1 else ''}"


def _edited(p: Patch, r: Reply) -> Reply:
    proposals, unread = list(r.proposals), list(r.unread)
    for runs, edits in _groups(r, _bare(_sent(p))):
        got = _reviewers_edit(p, runs, edits, r)
        at = ", ".join(str(s.where.line) for s in edits)
        who = (f"{_marks(edits)} written unquoted inside the quoted hunk of v{p.mail.subject.version} "
               f"patch {p.label} in the reply of {r.mail.author} <{r.mail.msgid}> (line{'s' if len(edits) > 1 else ''} "
               f"{at})")
        if isinstance(got, tuple):
            made, replaced = got
            proposals = [made if q is edits[0] else q for q in proposals if q is edits[0] or q not in edits]
            said = f"{replaced} line{'s' if replaced != 1 else ''} of it between them replaced" if replaced else \
                "put between them"
            unread.append(Skipped(edits[0].where, f"{who} read as the reviewer's edit of the patch (its version of the "
                                                  "patch, a proposal): the quoted lines around them are the patch's as "
                                                  f"the mail has it, {said}"))
        else:
            unread.append(Skipped(edits[0].where, f"{who} not read as an edit of the patch: {got}"))
    return replace(r, proposals=tuple(proposals), unread=tuple(unread))


def _groups(r: Reply, bare: frozenset[str]) -> list[tuple[list[Quote], list[Proposal]]]:
    """Each quoted hunk the reply writes '+' lines into: its quote runs (the first holding the hunk's header, only
    diff lines after it; each next one right below an edit, at the same depth, starting with a diff line) and the
    snippets between them. A run below an edit that holds other lines than diff lines ends the hunk (the quote goes on
    past it). ``bare``: the patch's context lines without their space, diff lines too where a quote mark was written
    right before them (``>`` then `` \tu64 ret;``: the space the quote's reading strips is the line's own)."""
    runs = sorted(r.quotes, key=lambda q: q.where.line)
    by_line = {s.where.line: s for s in r.proposals if _plus_lines(s)}
    out = []
    for k, q in enumerate(runs):
        heads = [i for i, t in enumerate(q.lines) if HUNK_HEAD.match(t)]
        if not heads or not all(_diff_line(t, bare) for t in q.lines[heads[-1] + 1:]):
            continue
        group, edits = [q], []
        while (s := by_line.get(group[-1].where.line + len(group[-1].lines))) is not None and k + 1 < len(runs) and \
                runs[k + 1].where.line == s.where.line + s.text.count("\n") + 1 and \
                runs[k + 1].depth == q.depth and _diff_line(runs[k + 1].lines[0], bare):
            edits.append(s)
            group.append(runs[k := k + 1])
            if not all(_diff_line(t, bare) for t in group[-1].lines):
                break
        if edits:
            out.append((group, edits))
    return out


def _sent(p: Patch) -> list[str]:
    """The lines of ``p``'s patch as its mail has it (the text harness.patchfilediff diffs), a blank line first."""
    return ("\n" + p.above_diff + p.diff).split("\n")


def _bare(sent: list[str]) -> frozenset[str]:
    """The context lines of ``sent`` without their space and white space at their ends: as a quote reads them whose
    mark was written right before them."""
    return frozenset(t[1:].rstrip() for t in sent if t[:1] == " ")


def _diff_line(text: str, bare: frozenset[str]) -> bool:
    """A hunk's line as quoted: its mark, or nothing (a blank context line whose space a mailer stripped), or one of
    ``bare``, a context line of the patch whose space went with the quote mark's (``>`` written right before it)."""
    return text[:1] in _QUOTED_DIFF or text == "" or text.rstrip() in bare


def _same(sent: list[str], at: int, quoted: list[str]) -> bool:
    """Whether the mail's patch lines from ``at`` are the quoted ones, but for white space at their ends (a mailer
    strips a blank context line's space) and a context line's space (its quote mark written right before it, ``>``
    then `` \tu64 ret;``: the quote's reading takes one space after a mark, harness.attribution.QUOTE)."""
    return at + len(quoted) <= len(sent) and all(
        x.rstrip() == t.rstrip() or (x[:1] == " " and x[1:].rstrip() == t.rstrip())
        for x, t in zip(sent[at:at + len(quoted)], quoted, strict=False))


def _reviewers_edit(p: Patch, runs: list[Quote], edits: list[Proposal], r: Reply) -> tuple[Proposal, int] | str:
    """The reviewer's patch the edits make (harness.patchfilediff.reviewers_patch) and how many lines of the mail's
    patch their lines replace, or why it cannot be made: each quote run is found in the mail's patch text, the first
    from its hunk header on, each next one below the lines the edit before it replaces."""
    sent = _sent(p)
    first = runs[0].lines
    quoted = list(first[max(i for i, t in enumerate(first) if HUNK_HEAD.match(t)):])
    head = next((i for i in range(len(sent)) if _same(sent, i, quoted)), None)
    if head is None:
        return (f"the quoted hunk from its header {quoted[0].strip()[:40]!r} down to the lines is not {p.label}'s as "
                "the mail has it")
    end, cuts, bare = head + len(quoted), [], _bare(sent)
    for k, (s, below) in enumerate(zip(edits, runs[1:], strict=True)):
        after = list(itertools.takewhile(lambda t: _diff_line(t, bare), below.lines))
        after = after if k + 1 < len(edits) else after[:_CONTEXT]
        gap = next((j for j in range(end, min(len(sent), end + 1 + s.text.count("\n") + _CONTEXT))
                    if _same(sent, j, after)), None)
        if gap is None:
            return f"the quoted lines below line {s.where.line} ({after[0][:40]!r}) are not the next lines of its hunk"
        cuts.append((end, gap))
        end = gap + len(after)
    added = [s.text.split("\n") for s in edits]
    if all([t.rstrip() for t in sent[a:b]] == [t.rstrip() for t in new]
           for (a, b), new in zip(cuts, added, strict=True)):
        return "its lines are the patch's own there (no change to propose)"
    moved = _preimage_changed(sent, cuts, added)
    if moved:
        return moved
    got = _rebuilt(p, edits, sent, (head, cuts), r)
    return (got, sum(b - a for a, b in cuts)) if isinstance(got, Proposal) else got


def _preimage_changed(sent: list[str], cuts: list[tuple[int, int]], added: list[list[str]]) -> str:
    """Why the edit cannot be the reviewer's patch when it changes what the hunk says the file holds (its ' ' and '-'
    lines, the preimage git apply finds in the tree: apply.c find_pos), else "". The patch applies, so its preimage is
    the file's text there; another one is not, and git apply would refuse the reviewer's hunk. A '+' line turned into
    '-' (the reviewer showing the line to drop) is such a change: as written it removes a line the file lacks."""
    def pre(lines: list[str]) -> list[str]:
        return [t[1:].rstrip() for t in lines if t[:1] in " -" or t == ""]
    for (a, b), new in zip(cuts, added, strict=True):
        if pre(sent[a:b]) == pre(new):
            continue
        was = {t[1:].rstrip(): t for t in sent[a:b]}
        turned = [t for t in new if t[:1] == "-" and was.get(t[1:].rstrip(), "")[:1] == "+"]
        if turned:
            return (f"its line {turned[0][:40]!r} is the patch's added line marked '-': as written the hunk removes a "
                    "line the file does not hold there, which git apply refuses (the patch without that line would be "
                    "a guess at what the reply means)")
        return ("its lines change what the hunk says the file holds there (its ' ' and '-' lines), which the patch "
                "shows as the file's text: git apply would not find the reviewer's hunk")
    return ""


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


def _rebuilt(p: Patch, edits: list[Proposal], sent: list[str], at: tuple[int, list[tuple[int, int]]], r: Reply
             ) -> Proposal | str:
    """The diff of the patch file that puts each snippet's lines in place of the lines of the mail's patch text its
    cut names (``sent[a:b]``, 0-based; ``at``: the hunk header's index, recounted, and the cuts), rebuilt into the
    reviewer's patch."""
    head, cuts = at
    added = [s.text.split("\n") for s in edits]
    removed = [sent[a:b] for a, b in cuts]
    header = _recounted(sent[head], [t for x in removed for t in x], [t for x in added for t in x])
    lines = [f"-{sent[head]}", f"+{header}"] if header != sent[head] else [f" {sent[head]}"]
    pos = head + 1
    for (a, b), gone, new in zip(cuts, removed, added, strict=True):
        lines += [*(f" {t}" for t in sent[pos:a]), *(f"-{t}" for t in gone), *(f"+{t}" for t in new)]
        pos = b
    lines += [f" {t}" for t in sent[pos:pos + _CONTEXT]]
    old, new_count = sum(t[:1] in " -" for t in lines), sum(t[:1] in " +" for t in lines)
    name = f"{p.label.replace('/', '-')}.patch"
    body = [f"diff --git a/{name} b/{name}", f"--- a/{name}", f"+++ b/{name}",
            f"@@ -{head + 1},{old} +{head + 1},{new_count} @@", *lines]
    s = edits[0]
    try:
        files = parse_diff("\n".join(body) + "\n", s.where, [s.where.line] * len(body))
    except InputError as exc:
        return f"the diff of the patch it makes is no diff git apply reads ({exc.message})"
    outer = Proposal(ProposalKind.DIFF, "\n".join(body), s.msgid, s.author, s.where, files=files)
    return reviewers_patch(p, outer, r)

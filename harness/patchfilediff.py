"""A reply's diff of the patch file (``0003-x.patch``) rebuilt into the reviewer's version of the patch if it can."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from harness.diffparse import parse_diff
from harness.errors import InputError, Where
from harness.model import Patch, Proposal, ProposalKind, Reply, Revision, Skipped


def rebuilt_replies(p: Patch, replies: tuple[Reply, ...]) -> tuple[Reply, ...]:
    """``replies`` to patch ``p``, each diff of the patch file (Reply.patch_diffs) rebuilt: applied as git apply
    would to the patch as its mail has it (its body as git am reads it: a format-patch file's lines below its
    headers; git apply finds each hunk at its offset), the diff of the result read as git
    apply reads it is a proposal in the reply, found in the patch's place or on top of it as any reply's diff is
    (harness.proposalfit). Where it cannot be, the reply's note on it says why."""
    return tuple(_rebuilt(p, r) if r.patch_diffs else r for r in replies)


def unread_notes(replies: Iterable[Reply], revisions: tuple[Revision, ...]) -> list[Skipped]:
    """The notes on what each of ``replies`` (in their order) did not propose, then its other notes (Reply.notes), as
    the replies were threaded (rebuilt_replies: a diff of the patch file proposed, or why not); an orphan's as it was
    read."""
    threaded = {r.mail.msgid: r for rev in revisions for p in _posted(rev) for r in p.replies}
    return [n for r in replies for t in (threaded.get(r.mail.msgid, r),) for n in (*t.unread, *t.notes)]


def _posted(rev: Revision) -> Iterator[Patch]:
    """The cover letter, patches and superseded postings of ``rev``: each that replies are threaded to."""
    yield from (rev.cover,) if rev.cover is not None else ()
    for s in rev.slots:
        yield from s.superseded
        yield from (s.patch,) if s.patch is not None else ()


def _rebuilt(p: Patch, r: Reply) -> Reply:
    proposals, unread = list(r.proposals), list(r.unread)
    for outer, note in r.patch_diffs:
        got = reviewers_patch(p, outer, r)
        at = unread.index(note) if note in unread else None
        if isinstance(got, Proposal):
            proposals.append(got)
            if at is not None:
                del unread[at]
        elif at is not None:
            unread[at] = replace(note, reason=f"{note.reason}; it is not rebuilt into the reviewer's patch: {got}")
    return replace(r, proposals=tuple(proposals), unread=tuple(unread))


def reviewers_patch(p: Patch, outer: Proposal, r: Reply) -> Proposal | str:
    """The reviewer's patch as a proposal, or why it cannot be made."""
    if len(outer.files) != 1:
        return "it changes more than one patch file"
    if not p.diff:
        return f"the patch it answers, {p.label}, has no diff"
    # Imported here: `series` reads no patch otherwise, and few replies hold such a diff (0.5% of its start-up).
    from harness.filestate import full_file
    from harness.patching import apply_file

    (f,) = outer.files
    # The empty line that ends the mail's headers first: a hunk near the top holds it as context.
    sent = full_file(f.path, "\n" + p.above_diff + p.diff, "mail")
    try:
        new, findings = apply_file(sent, f, f"reply <{r.mail.msgid}>", proposal=True)
    except InputError as exc:
        return exc.message
    wrong = [x for x in findings if not x.note]
    if new is None or new.text is None or not new.usable or wrong:
        why = f"{wrong[0].hunk}: {wrong[0].reason}" if wrong else "the result is no whole text"
        return f"its hunks do not apply to {p.label}'s diff as the mail has it ({why})"
    text = new.text
    start = text.find("diff --git ")
    if start < 0:
        return "the result holds no diff --git line"
    inner = text[start:]
    lines = inner.split("\n")
    where = Where(outer.where.path, outer.where.line, outer.where.msgid)
    try:
        files = parse_diff(inner, where, [outer.where.line] * len(lines))
    except InputError as exc:
        return f"the patch it makes is no diff git apply reads ({exc.message})"
    if not files:
        return "the patch it makes changes no file"
    return Proposal(ProposalKind.DIFF, inner, outer.msgid, outer.author, outer.where, files=files)

"""Fixups sent below a posting not read: kept below the read patch of their number only where their diff applies to it.

A ``[PATCH v2 2/2 fixup]`` (harness.subject.ADDENDUM) answers patch 2/2 of the posting it was sent below; where that
posting is not read (refused or tied for another posting of v2: harness.postings), harness.replythread gives it to the
read v2 2/2 (Reply.answers_unread, its ``by_diff`` set). Its diff was written on the other posting's patch: it is that
patch's change, not the read one's, unless git apply takes it there too (harness.proposalfit, on the states the
variants use, the oracle git apply's own rules). Where it does not (or is not known to, or holds no diff), it is
left out: below no patch (an orphan, its trailers credited to nothing, a NAK in it every variant's:
harness.unplaced.unplaced), the notes on its diff (found by the places of its proposals) replaced by one note
naming each. Used by harness.pipeline.read_inputs.
"""

from __future__ import annotations

from dataclasses import replace

from harness.model import Patch, ProposalFit, ProposalKind, Reply, Series, Skipped
from harness.sentorder import where_key
from harness.subject import addendum


def left_out_fixups(series: Series, notes: tuple[Skipped, ...], fits: tuple[ProposalFit, ...]
                    ) -> tuple[Series, tuple[Skipped, ...]]:
    """``series`` with each fixup below a patch mail not read whose diff applies to the read patch of its number
    neither on top nor in its place (none of ``fits``, harness.proposalfit.unfit_proposals) moved to the orphans, and
    ``notes`` (unfit_proposals') without those on its diffs, one note naming them all added; unchanged when none."""
    marked = [(r, p) for rev in series.revisions for p in rev.patches for r in p.replies
              if r.answers_unread is not None and r.answers_unread.by_diff]
    by_id, fitted = {r.mail.msgid: r for r, _ in marked}, {f.msgid for f in fits}
    out = [(r, p) for r, p in marked if _left_out(r, by_id, fitted)]
    if not out:
        return series, notes
    gone = {r.mail.msgid for r, _ in out}
    kept = [n for n in notes if not any(_said_of(n, r) for r, _ in out)]
    revisions = tuple(replace(rev, slots=tuple(
        replace(s, patch=replace(s.patch, replies=tuple(r for r in s.patch.replies if r.mail.msgid not in gone)))
        if s.patch is not None and any(r.mail.msgid in gone for r in s.patch.replies) else s for s in rev.slots))
        for rev in series.revisions)
    orphans = tuple(sorted((*series.orphans, *(r for r, _ in out)), key=lambda r: where_key(r.mail.where)))
    return replace(series, revisions=revisions, orphans=orphans), (*kept, _note(out, notes))


def _left_out(reply: Reply, marked: dict[str, Reply], fitted: set[str]) -> bool:
    """Whether ``reply`` is left out: its diff (or bare hunks) none of ``fitted``; one with none (``Re: [PATCH v2 2/2
    fixup]``, tagged as the fixup it answers) goes as that fixup goes, left out when it answers none of ``marked``."""
    seen: set[str] = set()
    r: Reply | None = reply
    while r is not None and r.mail.msgid not in seen:
        if any(prop.kind is not ProposalKind.SNIPPET for prop in r.proposals):
            return r.mail.msgid not in fitted
        seen.add(r.mail.msgid)
        r = marked.get(r.parent or "")
    return True


def _said_of(note: Skipped, reply: Reply) -> bool:
    """Whether ``note`` (unfit_proposals') is on a diff (or bare hunks) of ``reply``: it is at one of its proposals'
    places (FILE:LINE and Message-ID: each such note is at the proposal it judges), whatever either's words say."""
    return any(note.where == prop.where for prop in reply.proposals)


def _note(out: list[tuple[Reply, Patch]], notes: tuple[Skipped, ...]) -> Skipped:
    """One note at the first fixup left out naming each (FILE:LINE, the patch mail it answers, the patch read of its
    number and why: what unfit_proposals said of its diff, its first such note), the first three, then how many more."""
    ordered = sorted(out, key=lambda e: where_key(e[0].mail.where))
    gone = {r.mail.msgid for r, _ in out}

    def why(r: Reply) -> str:
        said = next((n.reason for n in notes if _said_of(n, r)), None)
        if said:  # what it says after naming the reply, where it does ("diff in the reply of A <id> does not ...")
            return said.partition(f"<{r.mail.msgid}> ")[2] or said
        return f"answers <{r.parent}>, left out" if r.parent in gone else "holds no diff git apply takes there"

    shown = "; ".join(f"<{r.mail.msgid}> ({r.mail.where}) to <{r.answers_unread.msgid if r.answers_unread else ''}>, "
                      f"not <{p.mail.msgid}>: {why(r)}" for r, p in ordered[:3]) \
        + (f"; and {len(ordered) - 3} more" if len(ordered) > 3 else "")
    words = [("fixup", "fixups") if k else ("reply with a diff", "replies with a diff")  # fixups first
             for k in sorted({addendum(r.mail.subject) for r, _ in ordered}, reverse=True)]
    count = "a " + " or ".join(w[0] for w in words) if len(ordered) == 1 else \
        f"{len(ordered)} " + " or ".join(w[1] for w in words)
    return Skipped(ordered[0][0].mail.where, (
        f"{count} sent below patch mails not read left out ({shown}): each was written on another posting's patch "
        "than the one read of its number, and its diff is not shown to apply to that one (git apply's rules), so it is "
        "credited to no patch, kept as a reply placed below no patch, a NAK in it every variant's"))

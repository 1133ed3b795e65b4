"""The replies' proposals a manifest variant builds: left to it (its patch file), never said or judged as mail's."""

from __future__ import annotations

from pathlib import Path

from harness.model import ProposalKind, Series


def taken_hunks(series: Series, manifest: Path | None) -> frozenset[tuple[str, int]]:
    """(Message-ID, index) of the proposals a manifest variant builds, asked only when a reply pastes a bare hunk:
    those are left to it (harness.proposalfit judges the others, building the states they need)."""
    if not any(prop.kind is ProposalKind.HUNK for rev in series.revisions
               for p in ([rev.cover] if rev.cover else []) + list(rev.patches) for r in p.replies
               for prop in r.proposals):  # the cover letter's replies too: harness.proposalfit says theirs
        return frozenset()
    from harness.manifest import find_manifest

    found = find_manifest(series, manifest)
    return frozenset((v.proposal.msgid, v.proposal.index) for v in (found.variants if found is not None else ())
                     if v.proposal is not None)


def named_replies(series: Series, manifest: Path | None) -> frozenset[str]:
    """The Message-IDs of the replies a manifest variant is written for, asked only when a reply writes out C code
    with no diff lines (harness.codenotes): that variant's patch file builds it."""
    if not any(prop.kind is ProposalKind.SNIPPET for rev in series.revisions
               for p in ([rev.cover] if rev.cover else []) + list(rev.patches) + [q for s in rev.slots
                                                                                  for q in s.superseded]
               for r in p.replies for prop in r.proposals):
        return frozenset()
    from harness.manifest import find_manifest

    found = find_manifest(series, manifest)
    variants = found.variants if found is not None else ()
    return frozenset(v.msgid for v in variants) | frozenset(v.proposal.msgid for v in variants if v.proposal)

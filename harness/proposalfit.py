"""Reply diffs that apply neither after nor before the patch they answer, as the mails show its files: said."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.model import Patch, Proposal, ProposalKind, Reply, Revision, Series, Skipped

if TYPE_CHECKING:
    from harness.filestate import FileState


def unfit_proposals(series: Series) -> tuple[Skipped, ...]:
    """One note per diff a direct reply to a patch proposes that git apply would refuse on the patch's result
    and on the state before it (what the mails show of each file: a hunk fails only where its context is
    known and differs). A reply to a reply, or a patch with an earlier one missing, is not judged."""
    out: list[Skipped] = []
    for rev in series.revisions:
        wanted = [(k, p, r, prop) for k, p in enumerate(rev.patches) if _all_before(rev, k)
                  for r in p.replies if r.parent == p.mail.msgid
                  for prop in r.proposals if prop.kind is ProposalKind.DIFF]
        if not wanted:
            continue
        # Only here: building states loads the C side (harness.variants -> models), 40 ms of every `series`.
        from harness.variants import build_states

        states, _ = build_states(list(rev.patches), lambda _path: None)
        for k, p, r, prop in wanted:
            after, before = _refusal(states[k + 1], prop, r), _refusal(states[k], prop, r)
            if after is not None and before is not None:
                out.append(Skipped(prop.where, f"diff in the reply of {r.mail.author} <{r.mail.msgid}> does not apply "
                                   f"to {_name(rev, p)} (nor before it): {after}"))
    return tuple(out)


def _all_before(rev: Revision, k: int) -> bool:
    """Whether patches 1..N of the revision, up to its k-th present one, are all in the input."""
    return [p.number for p in rev.patches[: k + 1]] == list(range(1, rev.patches[k].number + 1))


def _name(rev: Revision, p: Patch) -> str:
    return f"v{rev.version} {p.number:02d}/{rev.total}"


def _refusal(state: dict[str, FileState], prop: Proposal, reply: Reply) -> str | None:
    """Why git apply refuses the proposal on the state (its first failing hunk), None when nothing fails."""
    from harness.patching import apply_file

    files = dict(state)
    for pf in prop.files:
        new, found = apply_file(files.get(pf.source_path or pf.path), pf, f"proposal <{reply.mail.msgid}>")
        failed = next((f for f in found if not f.note), None)
        if failed is not None:
            return f"{failed.path}{' ' + failed.hunk if failed.hunk else ''}: {failed.reason}"
        files.pop(pf.source_path or pf.path, None)
        if new is not None:
            files[new.path] = new
    return None

"""Reply diffs that apply neither after nor before the patch they answer, on the states the variants use: said."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from harness.diffmodel import PatchedFile
from harness.errors import Where
from harness.hunkfit import bare_hunks, fitting_file, hunk_files
from harness.model import Patch, Proposal, ProposalFit, ProposalKind, Reply, Revision, Series, Skipped, number_ranges

if TYPE_CHECKING:
    from harness.filestate import FileState
    from harness.statefiles import BaseReader

_States = tuple[dict[str, "FileState"], ...]
# Reply diffs made reviewer variants (harness.replyvariants) per input: each one is run through the whole
# matrix, and a thread of thousands of them must not take hours. Past it, said; a manifest names the rest.
MAX_REPLY_VARIANTS = 64


def _undecided(why: str) -> bool:
    """Whether a hunk's place lies in lines no mail shows (harness.contextmiss, loaded only for a diff that misses)."""
    from harness.contextmiss import UNDECIDED

    return UNDECIDED in why


def unfit_proposals(series: Series, base_for: Callable[[Revision], BaseReader] | None = None,
                    taken: frozenset[tuple[str, int]] = frozenset()
                    ) -> tuple[tuple[Skipped, ...], tuple[ProposalFit, ...]]:
    """One note per diff a reply below a patch proposes (a direct reply, or a reply to a reply) that git apply
    would refuse on the patch's result and on the state before it, and, for a reply to a reply, on those with
    the diffs of the replies it answers applied first (a counter-proposal written on top of one); and where
    each diff that does apply on the patch's result or the state before it applies (ProposalFit). The states
    are the variant build's: the base ``base_for`` gives the revision (a tree's commit: the tree's files plus
    the series up to the patch), else what the mails show of each file (a hunk fails only where its context
    is known and differs). A patch with an earlier one missing is not judged. A reply's bare hunks are judged
    together as the diff they make on the one file of the patch each fits (harness.hunkfit), unless a manifest
    variant builds them (``taken``: Message-ID and index): only then are the states built for them. Every fit is
    returned, those past MAX_REPLY_VARIANTS too (said in a note; capped gives the ones made variants): a fit past it
    still applies (harness.unreadfixups keeps a fixup that does below the read patch)."""
    out: list[Skipped] = []
    fits: list[ProposalFit] = []
    for rev in series.revisions:
        whole = bool(rev.patches) and not rev.missing and _complete_prefix(rev) == len(rev.patches)
        out.extend(_unjudged(rev, taken, whole))
        wanted = [(k, p, r) for k, p in enumerate(rev.patches[:_complete_prefix(rev)]) for r in p.replies
                  if any(prop.kind is ProposalKind.DIFF for prop in r.proposals) or bare_hunks(r, taken)]
        cover = rev.cover is not None and whole and any(prop.kind is ProposalKind.DIFF for r in rev.cover.replies
                                                        for prop in r.proposals)
        if not wanted and not cover:
            continue
        # Only here: building states loads the C side (harness.variants -> models), 40 ms of every `series`.
        from harness.variants import build_states

        base: BaseReader = base_for(rev) if base_for is not None else (lambda _path: None)
        states, _ = build_states(list(rev.patches), base)
        seen: dict[tuple[object, ...], tuple[Reply, int]] = {}
        for k, p, r in wanted:
            _judge(rev, (states[k + 1], states[k]), k, p, r, base, seen, out, fits)
            _judge_hunks(rev, (states[k + 1], states[k]), p, r, _created_later(rev, k, base), taken, seen, out, fits)
        if cover:
            _judge_cover(rev, states[-1], base, seen, out, fits)
    if len(fits) > MAX_REPLY_VARIANTS:
        more = len(fits) - MAX_REPLY_VARIANTS - 1
        out.append(Skipped(fits[MAX_REPLY_VARIANTS].where, f"a reply diff past the first {MAX_REPLY_VARIANTS} "
                           f"that apply: {f'this one and {more} more are no variants' if more else 'no variant'} "
                           "(name the ones wanted in a manifest, --manifest FILE)"))
    return tuple(out), tuple(fits)


def capped(fits: tuple[ProposalFit, ...]) -> tuple[ProposalFit, ...]:
    """The first MAX_REPLY_VARIANTS of ``fits`` (unfit_proposals'): those made reviewer variants, the rest said."""
    return fits[:MAX_REPLY_VARIANTS]


def _judge(rev: Revision, around: _States, k: int, p: Patch, r: Reply, base: BaseReader,
           seen: dict[tuple[object, ...], tuple[Reply, int]], out: list[Skipped], fits: list[ProposalFit]) -> None:
    """unfit_proposals for the diffs of one reply ``r`` below patch ``p`` (the ``k``-th), ``around`` the states
    after and before it: a note, or a fit (a diff the same as one made a fit before is said, not made twice)."""
    # Each state with the files a later patch creates known absent (git am would refuse that patch
    # otherwise), even from mail alone: a reply's diff to such a file cannot apply there.
    later = _created_later(rev, k, base)
    answered = _answered(p, r)
    on = _with_answered(around, answered, later)
    for index, prop in enumerate(r.proposals):
        if prop.kind is not ProposalKind.DIFF:
            continue
        why = [_applied(s, prop, r, later)[1] for s in on]
        if all(why):
            out.append(_note(rev, p, r, prop, str(why[0]), len(on) > 2))
        elif why[0] is not None and _placed_key(p, False, prop.files) == _placed_key(p, False, p.files):
            # In the patch's place and the patch's change itself (a tree bot's notice of it applied, a resend in a
            # reply): a variant of it would be the patch again.
            out.append(Skipped(prop.where, f"diff in the reply of {r.mail.author} <{r.mail.msgid}> is "
                                           f"{_name(rev, p)}'s own diff (the patch as it was applied or sent again): "
                                           "no variant of it", _of_reply(rev, p, r)))
        elif why[0] is None or why[1] is None:
            first, at = seen.setdefault((p.number, why[0] is None, *_diff_key(prop)), (r, index))
            if first is not r or at != index:
                out.append(Skipped(prop.where, f"diff in the reply of {r.mail.author} <{r.mail.msgid}> is the one "
                                               f"{first.mail.author} <{first.mail.msgid}> posted for {_name(rev, p)}: "
                                               "one variant, of the first", _of_reply(rev, p, r)))
                continue
            first, at = seen.setdefault(_placed_key(p, why[0] is None, prop.files), (r, index))
            if first is not r or at != index:  # the same change, posted before as bare hunks
                out.append(_same_change(rev, p, r, prop.where, "diff", first))
                continue
            fits.append(ProposalFit(rev.version, p.number, r.mail.msgid, index, r.mail.author,
                                    why[0] is None, prop.where, r.mail.author_email))
        else:  # a counter-proposal on top of the diffs it answers: built on the variant of the one it answers
            stacked = _stacked(around, r, index, prop, answered, later, fits)
            out.extend(() if stacked is not None else (_on_answered_note(rev, p, r, prop, answered),))
            fits.extend((stacked,) if stacked is not None else ())


def _judge_cover(rev: Revision, last: dict[str, FileState], base: BaseReader,
                 seen: dict[tuple[object, ...], tuple[Reply, int]], out: list[Skipped],
                 fits: list[ProposalFit]) -> None:
    """The diffs of the replies to the cover letter (they answer no one patch, and may touch several patches'
    files) tried on the revision's result, the state after its last patch: a fit on top of that patch where git
    apply takes one, said with the state it is built on; else a note of why not (no variant)."""
    assert rev.cover is not None
    p = rev.patches[-1]
    for r in rev.cover.replies:
        who = f"diff in the reply of {r.mail.author} <{r.mail.msgid}> to the cover letter"
        for index, prop in enumerate(r.proposals):
            if prop.kind is not ProposalKind.DIFF:
                continue
            why = _applied(last, prop, r, base)[1]
            if why is not None:
                verb = "is not known to apply" if _undecided(why) else "does not apply"
                out.append(Skipped(prop.where, f"{who} {verb} on top of {_name(rev, p)}, the revision's last "
                                               f"patch (the one state a diff answering no one patch is tried on): "
                                               f"{why}: no variant (a manifest variant names its start)"))
                continue
            first, at = seen.setdefault((p.number, True, *_diff_key(prop)), (r, index))
            if first is not r or at != index:
                out.append(Skipped(prop.where, f"{who} is the one {first.mail.author} <{first.mail.msgid}> posted "
                                               f"for {_name(rev, p)}: one variant, of the first"))
                continue
            out.append(Skipped(prop.where, f"{who} answers no one patch: git apply takes it on top of {_name(rev, p)}"
                                           ", the revision's last patch, and its variant is built there"))
            fits.append(ProposalFit(rev.version, p.number, r.mail.msgid, index, r.mail.author, True, prop.where,
                                    r.mail.author_email))


def _stacked(around: _States, r: Reply, index: int, prop: Proposal, answered: list[Reply], base: BaseReader,
             fits: list[ProposalFit]) -> ProposalFit | None:
    """The fit of a counter-proposal on the variant of the nearest diff it answers that is one (that variant's
    start, its diffs, then this one), when git apply takes it there; else None (said as before)."""
    found = _answered_variant(around, answered, base, fits)
    if found is None or _applied(found[2], prop, r, base)[1] is not None:
        return None
    below, under, _ = found
    return replace(below, msgid=r.mail.msgid, index=index, author=r.mail.author, where=prop.where,
                   email=r.mail.author_email, under=under)


def _answered_variant(around: _States, answered: list[Reply], base: BaseReader, fits: list[ProposalFit]
                      ) -> tuple[ProposalFit, tuple[tuple[str, int], ...], dict[str, FileState]] | None:
    """The fit of the nearest diff among the answered replies' that is a variant, the diffs that variant applies
    (Message-ID, index, in order) and the state they make; None when there is none or one no longer applies."""
    ids = {a.mail.msgid for a in answered}
    below = next((f for f in reversed(fits) if f.msgid in ids and not f.hunks), None)
    if below is None:
        return None
    by_id = {a.mail.msgid: a for a in answered}
    state: dict[str, FileState] | None = dict(around[0 if below.on_top else 1])
    under = (*below.under, (below.msgid, below.index))
    for msgid, i in under:
        a = by_id.get(msgid)
        if a is None or state is None:
            return None
        state = _applied(state, a.proposals[i], a, base)[0]
    return (below, under, state) if state is not None else None


def _judge_hunks(rev: Revision, around: _States, p: Patch, r: Reply, base: BaseReader,
                 taken: frozenset[tuple[str, int]], seen: dict[tuple[object, ...], tuple[Reply, int]],
                 out: list[Skipped], fits: list[ProposalFit]) -> None:
    """The reply's bare hunks (those no manifest variant builds) as one diff, each on the one file of the patch
    its lines fit (harness.hunkfit): a fit where git apply takes that diff after the patch, else before it, else
    on the variant of a diff the reply answers (a counter-proposal); or a note of why not. The same hunks posted
    again for the same patch are one variant, of the first (as a diff is: _judge)."""
    idx = bare_hunks(r, taken)
    if not idx:
        return
    paths = tuple(dict.fromkeys(pf.path for pf in p.files if not pf.is_deleted))
    tries: list[tuple[bool, dict[str, FileState], tuple[tuple[str, int], ...]]] = [(True, around[0], ()),
                                                                                  (False, around[1], ())]
    stacked = _answered_variant(around, _answered(p, r), base, fits)
    if stacked is not None:
        tries.append((stacked[0].on_top, stacked[2], stacked[1]))
    whys: list[str] = []
    for on_top, state, under in tries:
        found = [fitting_file(r.proposals[i], state, paths, _name(rev, p)) for i in idx]
        why = next((w for f, w in found if f is None), None)
        joined = tuple((i, str(f)) for i, (f, _) in zip(idx, found, strict=True))
        files = hunk_files(r, joined, state) if why is None else why
        if not isinstance(files, str):
            diff = Proposal(ProposalKind.DIFF, "", r.mail.msgid, r.mail.author, r.proposals[idx[0]].where,
                            files=files)
            files = _applied(state, diff, r, base)[1] or files
        if not isinstance(files, str):
            fit = ProposalFit(rev.version, p.number, r.mail.msgid, idx[0], r.mail.author, on_top,
                              r.proposals[idx[0]].where, r.mail.author_email, hunks=joined, under=under)
            copy = _hunk_copy(rev, p, r, fit, seen)
            if copy is None and not under:  # the same change, posted before as a diff
                first, _ = seen.setdefault(_placed_key(p, on_top, files), (r, idx[0]))
                copy = None if first is r else _same_change(rev, p, r, fit.where, "hunks" if len(idx) > 1 else "hunk",
                                                            first)
            out.extend((copy,) if copy is not None else ())
            fits.extend((fit,) if copy is None else ())
            return
        whys.append(files)
    what = "hunks in the reply of {} <{}> do not" if len(idx) > 1 else "hunk in the reply of {} <{}> does not"
    also = ", nor on the diffs it answers" if stacked is not None else ""
    out.append(Skipped(r.proposals[idx[0]].where, f"{what.format(r.mail.author, r.mail.msgid)} apply to "
                                                  f"{_name(rev, p)} (nor before it{also}): {whys[0]}",
                       _of_reply(rev, p, r)))


def _hunk_copy(rev: Revision, p: Patch, r: Reply, fit: ProposalFit,
               seen: dict[tuple[object, ...], tuple[Reply, int]]) -> Skipped | None:
    """The note for hunks the same as ones posted before for the same patch, put on the same state (what git
    apply reads: each one's file and lines): one variant, of the first; None for the first."""
    lines = tuple((path, tuple((ln.kind, ln.text) for ln in r.proposals[i].hunks[0].lines)) for i, path in fit.hunks)
    first, _ = seen.setdefault((p.number, fit.on_top, fit.under, "hunks", lines), (r, fit.index))
    if first is r:
        return None
    many = len(fit.hunks) > 1
    return Skipped(fit.where, f"{'hunks' if many else 'hunk'} in the reply of {r.mail.author} <{r.mail.msgid}> "
                              f"{'are those' if many else 'is the one'} {first.mail.author} <{first.mail.msgid}> "
                              f"posted for {_name(rev, p)}: one variant, of the first", _of_reply(rev, p, r))


def _placed_key(p: Patch, on_top: bool, files: tuple[PatchedFile, ...]) -> tuple[object, ...]:
    """What a reply's diff, or its bare hunks placed on their file, change in ``p``'s state (each file's hunks: start
    and lines), whichever form the mail gave: the same change posted as a diff and as bare hunks is one variant."""
    return (p.number, on_top, "placed", tuple(
        (pf.path, tuple((h.source_start, tuple((ln.kind, ln.text) for ln in h.lines)) for h in pf.hunks))
        for pf in files))


def _same_change(rev: Revision, p: Patch, r: Reply, where: Where, noun: str, first: Reply) -> Skipped:
    verb = "make" if noun == "hunks" else "makes"
    return Skipped(where, f"{noun} in the reply of {r.mail.author} <{r.mail.msgid}> {verb} the change "
                          f"{first.mail.author} <{first.mail.msgid}> posted for {_name(rev, p)}: one variant, of the "
                          "first", _of_reply(rev, p, r))


def _diff_key(prop: Proposal) -> tuple[object, ...]:
    """What git apply reads of a diff (paths, kinds, hunks and their lines), not where the mail holds it."""
    return tuple((pf.source_path, pf.path, pf.is_new, pf.is_deleted, pf.new_mode,
                  tuple((h.source_start, h.target_start, tuple((ln.kind, ln.text, ln.no_newline) for ln in h.lines))
                        for h in pf.hunks)) for pf in prop.files)


def _unjudged(rev: Revision, taken: frozenset[tuple[str, int]], whole: bool) -> list[Skipped]:
    """A note per diff (or a reply's bare hunks) that no patch's states are tried for, so that no variant is made of
    it unsaid: one in a reply below the cover letter (it answers no one patch; its diffs are tried on the last
    patch's state when the revision is ``whole``, _judge_cover, its bare hunks never), or below a patch with an
    earlier one missing."""
    lost = f"; v{rev.version} {'patches' if len(rev.missing) > 1 else 'patch'} {number_ranges(rev.missing)} " \
           f"(of {rev.total}) not in the input, so not on the last patch" if rev.missing else ""
    below: list[tuple[str, str, Patch]] = [("the cover letter", f"it answers no one patch{lost}", rev.cover)] \
        if rev.cover is not None else []
    for p in rev.patches[_complete_prefix(rev):]:
        gone = [n for n in rev.missing if n < p.number]
        below.append((_name(rev, p), f"v{rev.version} {'patches' if len(gone) > 1 else 'patch'} "
                                     f"{number_ranges(gone)} (of {rev.total}) not in the input", p))
    # A posting a point update replaced keeps its replies, but the variants are built on the newer posting.
    below += [(f"{_name(rev, q)} <{q.mail.msgid}>", f"{slot.patch.mail.subject.raw.strip()} replaced it", q)
              for slot in rev.slots if slot.patch is not None for q in slot.superseded]
    return [Skipped(prop.where, f"{noun} in the reply of {r.mail.author} <{r.mail.msgid}> to {where} is tried on no "
                                f"state ({why}): no variant (a manifest variant names its start)")
            for where, why, mail in below for r in mail.replies for noun, prop in _unjudged_proposals(r, taken)
            if not (whole and mail is rev.cover and noun == "diff")]


def _unjudged_proposals(r: Reply, taken: frozenset[tuple[str, int]]) -> list[tuple[str, Proposal]]:
    """A reply's diffs, and its bare hunks as one (they make one diff together, harness.hunkfit) unless a manifest
    variant builds them (``taken``), each with its noun: what _unjudged says of them (bare hunks below the cover
    letter were no variant, and said nothing)."""
    hunks = [prop for i, prop in enumerate(r.proposals) if prop.kind is ProposalKind.HUNK
             and (r.mail.msgid, i) not in taken]
    return [("diff", prop) for prop in r.proposals if prop.kind is ProposalKind.DIFF] + \
        ([("hunks" if len(hunks) > 1 else "hunk", hunks[0])] if hunks else [])


def _created_later(rev: Revision, k: int, base: BaseReader) -> BaseReader:
    """``base``, but a file that the ``k``-th present patch or a later one creates (``new file``) is absent: the
    states around patch k do not have it yet (the state after patch k holds what it creates, so it never asks).
    Without a tree, a file the patch itself creates was unknown before it: a diff to it was taken as applying there,
    a variant no build could make."""
    from harness.filestate import absent_file
    from harness.statefiles import overlaid

    created = {pf.path: _name(rev, p) for p in rev.patches[k:] for pf in p.files if pf.is_new}

    def read(path: str) -> FileState | None:
        by = created.get(path)
        return absent_file(path, f"{by} creates it later") if by is not None else base(path)
    return overlaid(base, read)


def _of_reply(rev: Revision, p: Patch, r: Reply) -> tuple[int, int, str, str]:
    """What a note on ``r``'s diff or hunks to ``p`` is about (Skipped.of_reply)."""
    return rev.version, p.number, r.mail.author, r.mail.author_email


def _note(rev: Revision, p: Patch, r: Reply, prop: Proposal, why: str, on_answered: bool) -> Skipped:
    also = ", nor on the diffs it answers" if on_answered else ""
    # From mail alone a hunk's place may lie in lines no mail shows: then whether git apply takes it is not known.
    verb = "is not known to apply to" if _undecided(why) else "does not apply to"
    return Skipped(prop.where, f"diff in the reply of {r.mail.author} <{r.mail.msgid}> {verb} "
                               f"{_name(rev, p)} (nor before it{also}): {why}", _of_reply(rev, p, r))


def _on_answered_note(rev: Revision, p: Patch, r: Reply, prop: Proposal, answered: list[Reply]) -> Skipped:
    under = ", ".join(f"{a.mail.author} <{a.mail.msgid}>" for a in answered
                      if any(x.kind is ProposalKind.DIFF for x in a.proposals))
    return Skipped(prop.where, f"diff in the reply of {r.mail.author} <{r.mail.msgid}> applies to {_name(rev, p)} "
                               f"only on top of the diffs before it ({under}): no variant (a manifest variant "
                               "builds it: those diffs as patch files, this one its proposal, --manifest FILE)",
                   _of_reply(rev, p, r))


def _answered(p: Patch, r: Reply) -> list[Reply]:
    """The replies between ``r`` and the patch, the patch's own reply first (none for a direct reply), and
    after them, for a patch of a series a reviewer sent in the thread (``[PATCH 2/2]`` below its ``0/2``), that
    series' patches before it, in order: git am of that series applies them first."""
    by_id = {x.mail.msgid: x for x in p.replies}
    chain: list[Reply] = []
    parent = by_id.get(r.parent or "")
    while parent is not None and parent not in chain and parent is not r:
        chain.append(parent)
        parent = by_id.get(parent.parent or "")
    own = r.mail.subject
    earlier = sorted((x for x in p.replies if own.is_patch and own.number and x.parent == r.parent and x is not r
                      and x.mail.author_email == r.mail.author_email and x.mail.subject.is_patch
                      and x.mail.subject.total == own.total and 0 < (x.mail.subject.number or 0) < own.number),
                     key=lambda x: x.mail.subject.number or 0)
    return chain[::-1] + earlier


def _with_answered(states: _States, answered: list[Reply], base: BaseReader) -> _States:
    """The states, and each with the diffs of the answered replies applied on it in turn (a diff that does not
    apply there is passed over), when one of those replies proposes a diff."""
    diffs = [(a, prop) for a in answered for prop in a.proposals if prop.kind is ProposalKind.DIFF]
    if not diffs:
        return states
    more = []
    for state in states:
        files = dict(state)
        for a, prop in diffs:
            files = _applied(files, prop, a, base)[0] or files
        more.append(files)
    return (*states, *more)


def _complete_prefix(rev: Revision) -> int:
    """How many of the revision's present patches have every patch before them in the input (1..N, no gap)."""
    n = 0
    for p in rev.patches:
        if p.number != n + 1:
            break
        n += 1
    return n


def _name(rev: Revision, p: Patch) -> str:
    return f"v{rev.version} {p.number:02d}/{rev.total}"


def _applied(state: dict[str, FileState], prop: Proposal, reply: Reply, base: BaseReader
             ) -> tuple[dict[str, FileState] | None, str | None]:
    """The state with the proposal applied, or None and why git apply refuses it (its first failing hunk). A
    file no patch touches is the base's (the tree's, or unknown without one)."""
    from harness.patching import apply_file
    from harness.statefiles import stored_blobs

    files = dict(state)
    for pf in prop.files:
        source = pf.source_path or pf.path
        new, found = apply_file(files[source] if source in files else base(source), pf,
                                f"proposal <{reply.mail.msgid}>", proposal=True, stored=stored_blobs(base))
        failed = next((f for f in found if not f.note), None)
        if failed is not None:
            return None, f"{failed.path}{' ' + failed.hunk if failed.hunk else ''}: {failed.reason}"
        files.pop(source, None)
        if new is not None:
            files[new.path] = new
    return files, None

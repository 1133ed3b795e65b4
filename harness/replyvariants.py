"""Reviewer variants read from the mail: a reply's diff that applies on the patch it answers, or in its place."""

from __future__ import annotations

from pathlib import Path

from harness.manifest import Manifest, ProposalRef, VariantSpec, find_manifest
from harness.model import ProposalFit, Revision, Series
from models.lazyre import lazy

_NOT_NAME = lazy(r"[^a-z0-9]+")
_REPLY_NAME = lazy(r"v(\d+):0*(\d+)[+~]([a-z0-9-]+)(?:\.\d+)?")


def reviewer_specs(series: Series, manifest: Manifest | None) -> tuple[VariantSpec, ...]:
    """The manifest's variants, then one per reply diff of the input (reply_specs)."""
    written = manifest.variants if manifest is not None else ()
    return (*written, *reply_specs(series, written))


def reply_specs(series: Series, written: tuple[VariantSpec, ...] = ()) -> tuple[VariantSpec, ...]:
    """A variant per diff a reply proposes that git apply takes on the patch it answers (harness.proposalfit):
    ``vN:KK+author`` is the revision up to patch KK with the diff on top, ``vN:KK~author`` the diff in patch
    KK's place (on the state before it, where it applies when not on top); either is compared with ``vN:KK``, and
    a counter-proposal built on another reply's diff (ProposalFit.under) with that diff's variant too.
    A second one of the same name is ``.2``, and so on; a diff a manifest variant (``written``) already builds
    from is left to it. Nothing is looked up by name or Message-ID: a thread nobody has written a manifest for
    gets its reviewers' diffs run and compared all the same."""
    taken = {(v.proposal.msgid, v.proposal.index): v.name for v in written if v.proposal is not None}
    names = {v.name for v in written}
    # (Message-ID, index) -> the variant made here of that diff: a counter-proposal's is built on it (a manifest's
    # variant of it may hold more than the diff: it is no variant the counter-proposal is built on)
    made: dict[tuple[str, int], str] = {}
    out: list[VariantSpec] = []
    for fit in series.proposal_fits:
        rev = series.revision(fit.version)
        if rev is None or (fit.msgid, fit.index) in taken:
            continue
        width = max(2, len(str(rev.total)))
        start = f"v{fit.version}:{fit.number:0{width}d}"
        # In the patch's place: the patch dropped from its own state, so the variant is compared with the patch.
        name = _unique(f"{start}{'+' if fit.on_top else '~'}{_sender(fit.author, fit.email)}", names)
        names.add(name)
        made[(fit.msgid, fit.index)] = name
        out.append(VariantSpec(name=name, start=start, drop=() if fit.on_top else (fit.number,), patches=(),
                               proposal=ProposalRef(fit.msgid, fit.index, None, fit.hunks, fit.under),
                               msgid=fit.msgid, author=fit.author,
                               description=_description(fit, rev.total, _to_cover(rev, fit)), where=fit.where,
                               over=made.get(fit.under[-1]) if fit.under else None))
    return tuple(out)


def _to_cover(rev: Revision, fit: ProposalFit) -> bool:
    """Whether the fit's reply answers the cover letter (harness.proposalfit builds its diff on the last patch)."""
    return rev.cover is not None and any(r.mail.msgid == fit.msgid for r in rev.cover.replies)


def _description(fit: ProposalFit, total: int, to_cover: bool) -> str:
    nth = f" (its diff {fit.index + 1})" if fit.index and not fit.hunks else ""
    what = ("the hunks" if len(fit.hunks) > 1 else "the hunk") if fit.hunks else "the diff"
    how = "on top of" if fit.on_top else "in place of"
    under = "".join(f" on top of that of <{m}>" for m, _ in reversed(fit.under))
    cover = " (a reply to the cover letter: on the revision's last patch)" if to_cover else ""
    return f"{what} of {fit.author} <{fit.msgid}>{nth}{under} {how} v{fit.version} {fit.number:02d}/{total}{cover}"


def _sender(author: str, email: str) -> str:
    """The sender's part of a reply variant's name: its name (_slug); a sender with no name (author 'anon@example.org')
    or none in ASCII letters by the address's local part; else 'reply'."""
    return (_slug(author) if author != email else "") or _slug(email.split("@")[0]) or "reply"


def _slug(author: str) -> str:
    """A name for the command line: the sender's name in lower-case ASCII letters and digits, words joined
    by '-' ("Dave Hansen" -> dave-hansen, "Jörg Rödel" -> jorg-rodel, "Łucja" -> lucja); empty when none is left
    ("李 雷": the caller takes the address's local part, li@example.org -> li, then "reply")."""
    from harness.personnames import bare_ascii  # a reply's variant name alone needs it

    ascii_name = bare_ascii(author)
    return _NOT_NAME().sub("-", ascii_name).strip("-")


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    n = 2
    while f"{name}.{n}" in taken:
        n += 1
    return f"{name}.{n}"


def variant_names(series: Series, manifest_path: Path | None = None) -> list[str]:
    """Every variant name that ``apply``/``eval`` can build from this series (the manifest's ones too:
    ``manifest_path``, else the bundled manifest that matches the series; and the replies' diffs)."""
    names: list[str] = []
    for rev in series.revisions:
        width = max(2, len(str(rev.total)))
        names.append(f"v{rev.version}:{0:0{width}d}")
        names.extend(f"v{rev.version}:{p.number:0{width}d}" for p in rev.patches)
        names.append(f"v{rev.version}")
    if len(series.revisions) == 1:
        names.append("base")
    names.extend(v.name for v in reviewer_specs(series, find_manifest(series, manifest_path))
                 if v.missing(series) is None)
    return names


def unbuildable(series: Series, manifest_path: Path | None = None) -> list[tuple[str, str]]:
    """(name, why) of each manifest variant this input cannot build (VariantSpec.missing), as eval says them."""
    found = [(v.name, v.missing(series)) for v in reviewer_specs(series, find_manifest(series, manifest_path))]
    return [(name, why) for name, why in found if why is not None]


def unfit_reason(series: Series, name: str) -> str:
    """For a name a reply variant would have (``v4:02+tre-e``) that this input, on this base, makes none of:
    why, from the notes of harness.proposalfit on that sender's diffs to that patch ('' when there are none).
    The mail alone may have listed it (``series``) where a tree's files refuse it."""
    m = _REPLY_NAME().fullmatch(name)
    if m is None:
        return ""
    why = [n.reason for n in series.notes if n.of_reply is not None
           and n.of_reply[:2] == (int(m[1]), int(m[2])) and m[3] == _sender(*n.of_reply[2:])]
    return f"; {'; '.join(why)}" if why else ""

"""The series listing: a tree for people (rich's, drawn without rich where no colour is) and JSON for programs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from harness.diffmodel import PatchedFile
from harness.droprequest import reported_alone
from harness.followups import Collected, collected
from harness.model import Mail, Patch, Proposal, Reply, Revision, Series, Skipped, Slot, Trailer
from harness.replyorder import later_than
from harness.tagwithdrawal import carried_withdrawal, trailer_withdrawn, unplaced_withdrawal
from harness.threadcache import CopyKind
from harness.variantchoices import BASE_ALIAS, base_alias
from reports.plaintree import Branch, Span
from reports.safe import clean

# Bumped when a field is removed or renamed (reports/series.schema.json; docs/json-schema.md).
SERIES_SCHEMA = "seamharness-series/1"
# The most characters of one text of mail a label shows: rich folds a label into lines, splitting each off with a
# copy of the rest (a 10 MB subject took 39 s, quadratic); a whole text is in series --json.
SHOWN_MAX = 10_000


def shown(text: str) -> str:
    """reports.safe.clean() of ``text`` cut to SHOWN_MAX characters, saying how many more there are."""
    if len(text) <= SHOWN_MAX:
        return clean(text)
    return clean(f"{text[:SHOWN_MAX]}... ({len(text) - SHOWN_MAX:,} more characters)")


def _in(style: str, *texts: str) -> Span:
    """A span of a label: ``texts`` shown (shown()), in rich's ``style`` ("" for none)."""
    return style, tuple(map(shown, texts))


def _file_dict(f: PatchedFile) -> dict[str, Any]:
    return {
        "path": f.path,
        "source": f.source_path,
        "target": f.target_path,
        "old_blob": f.old_blob,
        "new_blob": f.new_blob,
        "new_file": f.is_new,
        "deleted": f.is_deleted,
        "mode": f.new_mode,
        "hunks": [h.header for h in f.hunks],
    }


def _proposal_dict(p: Proposal) -> dict[str, Any]:
    return {"kind": p.kind.value, "line": p.where.line, "text": p.text,
            "files": [f.path for f in p.files]}


def _msgid_label(mail: Mail) -> str:
    """``<msgid>``, or what stands for it when the mail has none (harness.message.mail_of makes one of its bytes)."""
    return f"<{mail.msgid}>" if mail.msgid_given else f"(no Message-ID; called <{mail.msgid}> here)"


def shown_verdicts(r: Reply) -> tuple[str, ...]:
    """A reply's verdicts as said: ``regression`` for a ``drop-patch`` that is only a report that the patch breaks
    something ("This patch breaks boot.", harness.droprequest.reported_alone), as the gate counts it; it was listed as
    a request to drop, which its sender never made."""
    if "drop-patch" not in r.verdicts or not reported_alone(r.own_text):
        return r.verdicts
    return tuple("regression" if v == "drop-patch" else v for v in r.verdicts)


def _reply_dict(r: Reply) -> dict[str, Any]:
    return {
        "msgid": r.mail.msgid,
        "msgid_synthesized": not r.mail.msgid_given,
        "author": r.mail.author,
        "date": r.mail.date or None,  # null: the mail has no Date: header
        "in_reply_to": r.parent,
        "source": str(r.mail.where),
        "trailers": [{"key": t.key, "value": t.value} for t in r.trailers],
        "verdicts": list(shown_verdicts(r)),
        "quoted": sorted({q.who for q in r.quotes if q.who}),
        "proposals": [_proposal_dict(p) for p in r.proposals],
    }


_STATE = re.compile(r"v\d+(?::\d+)?")  # a revision state's name (harness.variants: v3, v3:06)
_NOTHING = Collected((), ())  # a cover letter's, or a superseded posting's: b4 am adds to the patches it applies


def _followup_dict(t: Trailer) -> dict[str, Any]:
    return {"key": t.key, "value": t.value, "msgid": t.where.msgid, "line": t.where.line}


# A Reviewed-by or Acked-by its sender took back since: the trailer, whether the patch carries it (else a reply gave
# it), the reply that took it back and its sentence.
Withdrawn = tuple[Trailer, bool, Reply, str]


def _withdrawn(p: Patch, got: Collected, cover: Patch | None, others: Sequence[Patch] = (),
               unplaced: Sequence[Reply] = ()) -> list[Withdrawn]:
    """The Reviewed-by and Acked-by trailers of ``p`` their senders took back since (tagwithdrawal.trailer_withdrawn):
    those the patch carries, taken back below it, and those ``b4 am`` would add (``got``), below it or below the
    cover letter, or below one of ``others`` (the input's patches) that carries it, dated later (carried_withdrawal:
    as the gate reads it), or in one of ``unplaced`` (the replies placed below nothing), dated later
    (unplaced_withdrawal: which patch's tag it takes back cannot be told). Listed as tags to add, a maintainer
    applying with b4 picked a withdrawn one up."""
    if not p.number:
        return []
    below = [*p.replies, *(cover.replies if cover is not None else ())]
    by_id = {r.mail.msgid: r for r in below}

    def later(a: Reply, b: Reply) -> bool:
        return later_than(a, b, by_id)
    out: list[Withdrawn] = []
    for t, carried in [*((t, True) for t in p.trailers), *((t, False) for t in got.applied)]:
        given = None if carried else by_id.get(t.where.msgid or "")
        if not carried and given is None:
            continue
        w = trailer_withdrawn(t, p.replies if carried else below, given, later)
        if w is None and given is not None:
            w = carried_withdrawal(others, given, f"{t.key}: {t.value}", lambda a, b: later_than(a, b, {}))
        if w is None:
            w = unplaced_withdrawal(unplaced, given or p, f"{t.key}: {t.value}", lambda a, b: later_than(a, b, {}))
        out.extend([(t, carried, *w)] if w is not None else [])
    return out


def _withdrawn_dict(w: Withdrawn) -> dict[str, Any]:
    return {**_followup_dict(w[0]), "carried": w[1], "withdrawn_msgid": w[2].mail.msgid, "sentence": w[3]}


def _patch_dict(p: Patch, got: Collected = _NOTHING, cover: Patch | None = None,
                others: Sequence[Patch] = (), unplaced: Sequence[Reply] = ()) -> dict[str, Any]:
    """A patch, with the follow-up trailers ``b4 am`` would add to it (harness.followups) but those taken back
    since, which ``withdrawn_trailers`` lists with those of its own taken back (_withdrawn)."""
    gone = _withdrawn(p, got, cover, others, unplaced)
    left = {id(w[0]) for w in gone}
    return {
        "number": p.number,
        "msgid": p.mail.msgid,
        "msgid_synthesized": not p.mail.msgid_given,
        "subject": p.mail.subject.raw,
        "title": p.mail.subject.title,
        "author": p.mail.author,
        "date": p.mail.date or None,
        "source": str(p.mail.where),
        "trailers": [{"key": t.key, "value": t.value} for t in p.trailers],
        "followup_trailers": [_followup_dict(t) for t in got.applied if id(t) not in left],
        "withdrawn_trailers": [_withdrawn_dict(w) for w in gone],
        "followup_mismatches": [_followup_dict(t) for t in got.mismatched],
        "changelog": [{"version": b.version, "lines": list(b.lines)} for b in p.changelog],
        "base_commit": p.base_commit,
        "files": [_file_dict(f) for f in p.files],
        "replies": [_reply_dict(r) for r in p.replies],
    }


def _revision_dict(r: Revision, others: Sequence[Patch] = (), revisions: tuple[Revision, ...] = (),
                   unplaced: Sequence[Reply] = ()) -> dict[str, Any]:
    return {
        "version": r.version,
        "rfc": r.rfc,
        "total": r.total,
        "cover": _patch_dict(r.cover) if r.cover else None,
        "patches": [_slot_dict(s, got, r.cover, others, unplaced) for got in (collected(r, revisions),)
                    for s in r.slots],
    }


def _slot_dict(s: Slot, got: dict[str, Collected], cover: Patch | None, others: Sequence[Patch],
               unplaced: Sequence[Reply]) -> dict[str, Any]:
    """A slot's patch; a point update (v2.1) lists the postings it replaced under ``supersedes``."""
    if s.patch is None:
        return {"number": s.number, "missing": True}
    out = _patch_dict(s.patch, got[s.patch.mail.msgid], cover, others, unplaced)
    if s.superseded:
        out["supersedes"] = [_patch_dict(p) for p in s.superseded]
    return out


def _skipped_dict(s: Skipped) -> dict[str, Any]:
    return {"path": s.where.file, "line": s.where.line, "reason": s.reason}


def _patches(series: Series) -> tuple[Patch, ...]:
    """Every revision's patches, where a tag given below one may be taken back below another carrying it."""
    return tuple(p for rev in series.revisions for p in rev.patches)


def series_to_dict(series: Series, variants: list[str]) -> dict[str, Any]:
    """The JSON form of ``seamharness series --json``; missing patches are explicit slots."""
    return {
        "schema": SERIES_SCHEMA,
        "title": series.title,
        "revisions": [_revision_dict(r, every, series.revisions, series.orphans) for every in (_patches(series),)
                      for r in series.revisions],
        "orphan_replies": [_reply_dict(r) for r in series.orphans],
        "skipped": [_skipped_dict(s) for s in series.skipped],
        "notes": [_skipped_dict(n) for n in series.notes],
        "threads": [t.as_dict() for t in series.threads],
        "variants": variants,
    }


def _reply_node(parent: Branch, r: Reply, gone: frozenset[tuple[str, str]] = frozenset()) -> None:
    """A reply, its tags taken back since (``gone``: Message-ID and trailer key) said so: "Reviewed-by (withdrawn)"."""
    verdicts = ", ".join(f"{v} (withdrawn)" if (r.mail.msgid, v.lower()) in gone else v for v in shown_verdicts(r))
    said = (_in("", "  "), _in("bold yellow", verdicts)) if verdicts else ()
    node = parent.add(_in("cyan", r.mail.author), _in("", " "), _in("dim", r.mail.date), *said, _in("", "  "),
                      _in("dim", _msgid_label(r.mail)))
    for p in r.proposals:
        first = p.text.strip().splitlines()[0] if p.text.strip() else ""
        node.add(_in("green", "proposal"), _in("", f" {p.kind.value} at ", str(p.where), ": ", first))
    for u in r.unread:  # a diff that is no proposal is said where the reply is, not only on stderr
        node.add(_in("red", "not a proposal"), _in("", " at ", str(u.where), ": ", u.reason))
    for n in r.notes:
        node.add(_in("yellow", "note"), _in("", " at ", str(n.where), ": ", n.reason))


def _patch_node(parent: Branch, p: Patch, total: int, superseded: tuple[Patch, ...] = (),
                got: Collected = _NOTHING, version: int | None = None, cover: Patch | None = None,
                others: Sequence[Patch] = (), unplaced: Sequence[Reply] = ()) -> None:
    """A patch of revision ``version``: one an earlier revision lends it (a partial reroll, harness.rerolls) is
    marked so, its replies listed under its own revision only."""
    width = max(2, len(str(total)))
    s = p.mail.subject
    carried = version is not None and s.version != version
    point = (_in("", " "), _in("yellow", f"v{'.'.join(str(n) for n in (s.version, *s.point))}")) if s.point \
        else (_in("", " "), _in("yellow", f"v{s.version}'s")) if carried else ()
    node = parent.add(_in("bold", f"[{p.number:0{width}d}/{total}]"), *point, _in("", " ", s.title, "  "),
                      _in("dim", p.mail.author))
    for old in superseded:
        # Its replies are listed with it: a NAK of the posting replaced is review a reader of the tree must see.
        onode = node.add(_in("dim", "supersedes ", _msgid_label(old.mail), " (", old.mail.subject.raw, ")"))
        for r in old.replies:
            _reply_node(onode, r)
    for f in p.files:
        # No index line (a change of mode or name alone): no blobs to show, as git apply --summary shows none.
        blobs = f"{f.old_blob or '?'}..{f.new_blob or '?'}" if f.old_blob or f.new_blob else ""
        tag = " (new)" if f.is_new else " (deleted)" if f.is_deleted else ""
        tag += (f" ({'copied' if f.copy else 'renamed'} from {f.source_path})" if f.is_rename or f.copy else "")
        tag += f" (mode change {f.old_mode} => {f.new_mode})" if f.is_mode_change else ""
        # A cover letter's diff (format-patch --interdiff) is shown, never applied: b4 am skips the cover letter.
        tag += " (in the cover letter: not applied)" if p.number == 0 else ""
        node.add(_in("magenta", f.path), _in("", f"{tag} "), _in("dim", blobs))
    gone = _withdrawn(p, got, cover, others, unplaced)
    left = {id(w[0]) for w in gone}
    for t in got.applied:  # as b4 am lists what it adds
        if id(t) not in left:
            node.add(_in("green", "+ ", t.key, ": ", t.value))
    for t in got.mismatched:
        node.add(_in("dim", "! ", t.key, ": ", t.value, " (not its sender's: b4 am -S adds it)"))
    for t, own, w, said in gone:  # b4 am adds (or keeps) it all the same: said so, never as a tag to add
        node.add(_in("red", "- ", t.key, ": ", t.value, f" ({'carried by the patch, ' if own else ''}withdrawn by its "
                     f"sender <{w.mail.msgid}>: \"{said}\"; ",
                     "b4 am keeps it: remove it)" if own else "b4 am still adds it: leave it out)"))
    given = frozenset((t.where.msgid or "", t.key.lower()) for t, own, _, _ in gone if not own)
    for r in () if carried else p.replies:
        _reply_node(node, r, given)


def series_tree(series: Series, variants: list[str]) -> Branch:
    """The tree (reports.plaintree.Branch, rich's Tree where rich draws it): revisions, patches (files, blob ids),
    replies and proposals, then variants."""
    root = Branch(_in("bold", series.title))
    for t in series.threads:  # which copy of each lore thread this rests on
        root.add(_in("bold red" if t.kind is CopyKind.STALE else "dim", t.describe()))
    every = _patches(series)
    for rev in series.revisions:
        present = len(rev.patches)
        kind = " RFC" if rev.rfc else ""
        rnode = root.add(_in("bold blue", f"v{rev.version}"), _in("", f"{kind}: {present} of {rev.total} patches"))
        if rev.cover:
            _patch_node(rnode, rev.cover, rev.total)
        elif rev.total > 1:  # said, as a missing patch is: its base-commit:, changelog and replies are not read
            rnode.add(_in("dim", f"[00/{rev.total}] cover letter not in the input"))
        got = collected(rev, series.revisions)
        for slot in rev.slots:
            if slot.patch is not None:
                _patch_node(rnode, slot.patch, rev.total, slot.superseded, got[slot.patch.mail.msgid], rev.version,
                            rev.cover, every, series.orphans)
        missing = [s.number for s in rev.slots if s.patch is None]
        if missing:
            rnode.add(_in("dim", f"{_ranges(missing)} of {rev.total} MISSING"))
    for r in series.orphans:
        _reply_node(root.add(_in("yellow", "reply not attached to any patch")), r)
    if variants:
        vnode = root.add(_in("bold", "variants"))
        groups: dict[str, list[str]] = {}
        alias = base_alias(variants)
        for name in variants:
            # A revision's states on one line (v3:00 ... v3); a reviewer variant, a reply's diff too, on its own;
            # base, vN:00's other name, said beside it rather than listed as a state of its own.
            if alias is None or name != BASE_ALIAS:
                groups.setdefault(name.split(":")[0] if _STATE.fullmatch(name) else name, []).append(name)
        for names in groups.values():
            said = " ".join(names)
            vnode.add(_in("", f"{said} ({BASE_ALIAS} is {alias})" if alias in names else said))
    return root


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], -1]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(f"[{start}]" if start == prev else f"[{start}-{prev}]")
        start = prev = n
    return ", ".join(parts)

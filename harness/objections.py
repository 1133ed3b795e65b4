"""NAKs and requests to drop in the input that no review rule cites: a reviewer's word the rules do not encode."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import partial

from harness.citing import judged
from harness.lifted import lifted_objections
from harness.memo import by_identity
from harness.model import Patch, Reply, Revision, Series
from harness.nakrevisions import later_answers, naked_revisions
from harness.quotednak import input_senders, names
from harness.replyobjections import Found, Objection, ObjectionKind
from harness.replyobjections import found as _found  # called by this name: tests count its passes (monkeypatch)
from harness.samechange import Kept, counterparts, kept_lines, recombined, same_change, title
from harness.takenback import withdrawn_below
from harness.unplaced import unplaced as _unplaced
from harness.variants import Variant
from models.record import record

# Objection and ObjectionKind are read from here by the gate, the reports and the tests (harness.replyobjections).
__all__ = ["EarlierObjection", "LiftedEarlier", "Objection", "ObjectionKind", "ReviewObjections", "counts",
           "earlier_lifted", "earlier_objections", "open_objections", "review_objections"]


def counts(objections: tuple[Objection, ...]) -> tuple[int, int, int, int, int, int]:
    """(NAKs, requests to drop, reported regressions, review tags withdrawn, review points, unreadable replies) among
    ``objections``."""
    naks, drops, regressions, tags, points = (sum(o.kind is k for o in objections) for k in (
        ObjectionKind.NAK, ObjectionKind.DROP, ObjectionKind.REGRESSION, ObjectionKind.TAG, ObjectionKind.POINT))
    return naks, drops, regressions, tags, points, len(objections) - naks - drops - regressions - tags - points


@record
class EarlierObjection:
    """An objection to an earlier revision's patch that no patch of the judged revision carries unchanged (no
    patch of it has the same ``git patch-id``): it changed since, or went. Not judged on this revision, and not
    taken as addressed. One whose patch went is a note; one whose patch is still there changed (its title kept, or
    half or more of its named lines added again: samechange.kept_lines), or of the series as a whole, blocks as
    an inconclusive error rule does (``changed``): whether the change answers it is not known, and a patch changed
    in a line the objection is not about passed the gate READY. A state applying none of the patches carrying it
    changed has none (earlier_objections)."""

    objection: Objection
    why: str  # "v2 02/3 has its title and another change (git patch-id)"
    changed: bool = False  # the patch is still there, changed (or the objection is of the series): not judged

    def describe(self) -> str:
        return f"{self.objection.describe()}: {self.why}"


@record
class ReviewObjections:
    """What the review said of one judged state that no rule judges: the objections that stand on it (each blocks),
    and those to an earlier revision's patch changed since (notes). The gate and eval read both from here."""

    standing: tuple[Objection, ...] = ()
    earlier: tuple[EarlierObjection, ...] = ()
    read: tuple[str, ...] = ()  # the replies not read that the user read (harness.readreplies), one line each
    lifted: tuple[str, ...] = ()  # those their own sender took back since, with what did (harness.lifted)
    # The replies not read whose sender's own review trailers were read (Tested-by: ...), one line each.
    trailed: tuple[str, ...] = ()
    # The review points no rule judges that the user read ([[read]]), one line each with what they say it asked.
    points_read: tuple[str, ...] = ()

    @property
    def not_blocking(self) -> tuple[str, ...]:
        """Every line of what no longer blocks, as the gate lists them: read by the user, read by its trailers,
        lifted by its sender."""
        return (*self.read, *self.trailed, *self.points_read, *self.lifted)

    def not_blocking_heading(self) -> str:
        """The heading over ``not_blocking``, naming each kind it holds: ``1 unreadable reply whose sender's own review
        trailers were read, 1 objection lifted by its own sender since: not blocking``; "" when none."""
        def n(count: int, one: str, more: str) -> str:
            return f"{count} {one if count == 1 else more}"

        # In the order of the lines below it.
        parts = [n(len(self.read), "unreadable reply the user read", "unreadable replies the user read")] \
            if self.read else []
        parts += [n(len(self.trailed), "unreadable reply whose sender's own review trailers were read",
                    "unreadable replies whose senders' own review trailers were read")] if self.trailed else []
        parts += [n(len(self.points_read), "review point the user read", "review points the user read")] \
            if self.points_read else []
        parts += [n(len(self.lifted), "objection lifted by its own sender since",
                    "objections lifted by their own senders since")] if self.lifted else []
        return f"{', '.join(parts)}: not blocking" if parts else ""

    def unjudged(self, allow_inconclusive: bool = False) -> tuple[EarlierObjection, ...]:
        """The earlier ones that block as an inconclusive error rule does (EarlierObjection.changed), none when
        ``allow_inconclusive``."""
        return () if allow_inconclusive else tuple(e for e in self.earlier if e.changed)

    def headline_note(self, allow_inconclusive: bool = False) -> str:
        """What a verdict line adds for the earlier ones that do not block (unjudged counts the others): said beside
        READY too, as they are not taken as addressed."""
        n = len(self.earlier) - len(self.unjudged(allow_inconclusive))
        return (f"; {n} objection{'s' if n != 1 else ''} to an earlier revision's patch changed or dropped since, "
                "not judged" if n else "")


def review_objections(series: Series, target: Variant, cited: frozenset[str],
                      quoted: Mapping[str, tuple[str, ...]] | None = None, warned: frozenset[str] = frozenset(),
                      read: Mapping[str, str] | None = None) -> ReviewObjections:
    """The objections no rule judges of the state ``target``: ``cited``, the messages rules cite as a whole (a rule
    with no quote), judge all of theirs; ``quoted``, messages whose rules each point at a sentence (cited_by), only
    the objection in those sentences (harness.citing): a NAK in another sentence of a message cited for one point
    stands. ``read``: the replies the user read themselves (harness.readreplies), which a reply not read no longer
    blocks on: said as read by them. ``warned``: messages a warning rule cites, whose review points it judges (the
    rules author made them warnings: harness.citehint.citing_rows). And those lifted, with what lifted them
    (harness.lifted): said, not blocking."""
    whole = frozenset(cited - (quoted or {}).keys())
    # A reviewer variant applies the proposal of the reply it is built from (Variant.sources): its point is made there.
    made = {m for m, _ in target.sources}
    standing = tuple(o for o in open_objections(series, target, whole)
                     if not (o.kind is ObjectionKind.POINT and o.msgid in made | warned))
    earlier = tuple(e for e in earlier_objections(series, target, whole)
                    if not (e.objection.kind is ObjectionKind.POINT and e.objection.msgid in warned))
    if quoted:
        # A review point of a message rules cite, each for a sentence of it, is theirs: those rules are the points of
        # it the user encoded (a NAK in another sentence still stands).
        standing = tuple(o for o in standing if not judged(o.msgid, o.sentence, quoted)
                         and not (o.kind is ObjectionKind.POINT and o.msgid in quoted))
        earlier = tuple(e for e in earlier if not judged(e.objection.msgid, e.objection.sentence, quoted))
    seen = [o for o in standing if o.kind is ObjectionKind.UNREAD and o.msgid in (read or {}) and not o.holds_nak]
    # A review point the user says they read, and what it asked (it may be met, or answered): listed, not blocking.
    read = read or {}
    points = [o for o in standing if o.kind is ObjectionKind.POINT and o.msgid in read]
    points_before = [e for e in earlier if e.objection.kind is ObjectionKind.POINT and e.objection.msgid in read]
    earlier = tuple(e for e in earlier if e not in points_before)
    # Words not read beside clear review trailers of the sender's own: the trailers are read, the words said unread.
    clear = [o for o in standing if o.kind is ObjectionKind.UNREAD and o.trailers and not o.holds_nak and o not in seen]
    lifts = earlier_lifted(series, target.revision, whole) if target.revision is not None else ()
    return ReviewObjections(tuple(o for o in standing if o not in seen and o not in clear and o not in points),
                            earlier,
                            tuple(f"{o.describe()}: read by the user, who says it said {(read or {})[o.msgid]}"
                                  for o in seen),
                            lifted_objections(series, target, cited, lifts),
                            tuple(f"{o.describe()}: its trailers read, in any language: {o.trailers}; what its other "
                                  "words say was not read" for o in clear),
                            tuple(f"{o.describe()}: read by the user, who says it asked {(read or {})[o.msgid]}"
                                  for o in (*points, *(e.objection for e in points_before))))


def open_objections(series: Series, target: Variant, cited: frozenset[str]) -> tuple[Objection, ...]:
    """The NAKs among the replies below the patches ``target`` applies and below its revision's cover letter
    (a reply to a reply too), less the messages a rule cites (``cited``: that rule judges the point); and those
    given below an earlier revision's patch that ``target`` applies unchanged (the same ``git patch-id``, or the
    same code but for comments: same_change)."""
    if target.revision is None:  # the base: no patch of the series, nobody's NAK of it
        return ()
    applied = _applied(series, target)
    # The same patches' objections, once: the rules and the report ask them of each variant, and a report's revision
    # and its reviewer variants apply the same patches (the corpus eval: 11 passes, 5 of them distinct).
    revision = target.revision
    mine = by_identity("applied patches' objections", (series, *applied), (revision, cited),
                       lambda: _found(series, revision, applied, cited))
    out = {f.objection.msgid: f for f in mine}
    retarget: dict[str, str] = {}
    for f, was, _, same, how in _latest_first(series, _earlier(series, target.revision, cited)[0]):
        q = next((q for q in same if q in applied), None)
        if not same and _names(f, target.revision) and f.objection.msgid not in out:
            # Of the revision as a whole: which of its patches the NAK means cannot be told, so every variant's.
            retarget[f.objection.msgid] = f"v{target.revision} (as {was}: {how})"
            out[f.objection.msgid] = replace(f, of=())
        if q is None or f.objection.msgid in out or _carries(q, f.objection):
            continue
        retarget[f.objection.msgid] = f"v{target.revision} {q.label} (as {was}: {how})"
        out[f.objection.msgid] = replace(f, of=(q,))
    # One cited by another of its sender's keeps its own patch's label (Objection.again).
    merged = (replace(o, target=retarget.get(o.msgid, o.target)) for o, _ in _merged(list(out.values())))
    # A reply below a read patch for its diff alone is every variant's (unplaced), once where its regression is found.
    return (*merged, *(o for o in _unplaced(series, target.revision, cited) if o.msgid not in out))


def earlier_objections(series: Series, target: Variant, cited: frozenset[str]) -> tuple[EarlierObjection, ...]:
    """The objections to an earlier revision's patches, standing there, whose change no patch of ``target``'s
    revision makes (git patch-id): the patch changed since, or went. Said, never judged on ``target``. One whose
    patch is still there changed, in patches ``target`` does not apply (a prefix stopping before them, a reviewer
    variant putting its proposal in their place), is not this state's code: left out, as one whose patch is there
    unchanged is (open_objections names it only on the states that apply it)."""
    if target.revision is None:
        return ()
    rev = series.revision(target.revision)
    applied = {id(q) for q in _applied(series, target)}
    out: dict[str, tuple[Found, str, bool]] = {}
    for f, was, p, same, _ in _latest_first(series, _earlier(series, target.revision, cited)[0]):
        if same or f.objection.msgid in out or _names(f, target.revision):
            continue
        titled = [q for q in (rev.patches if rev is not None else ()) if p.number and title(q) == title(p)]
        # No patch of its title: one adding again much of its code is it reworked (or split, a part changed).
        kept = kept_lines(p, list(rev.patches)) if rev is not None and p.number and not titled else Kept()
        cover = [rev.cover] if rev is not None and rev.cover is not None and not p.number else []
        if any(_withdrawn(f, q, rev, input_senders(series)) is not None for q in [*titled, *kept.carriers, *cover]):
            continue
        if (titled or kept.carriers) and not any(id(q) in applied for q in [*titled, *kept.carriers]):
            continue  # its patch is there changed, but not in this state
        # Still there, changed: whether the change answers the objection is not known (a rule citing it judges that).
        changed = (bool(titled) or bool(kept.carriers) or not p.number) and not _answered(f, target.revision)
        out[f.objection.msgid] = replace(f, of=(p,)), _why(f, p, target.revision, was, titled, kept, changed), changed
    said = {id(f): (why, changed) for f, why, changed in out.values()}
    return tuple(EarlierObjection(o, *said[id(f)]) for o, f in _merged([f for f, _, _ in out.values()]))


def _why(f: Found, p: Patch, revision: int, was: str, titled: list[Patch], kept: Kept, changed: bool) -> str:
    """Why an earlier objection to ``p`` (``was``) is not judged on ``revision`` (earlier_objections), and whether it
    blocks; ``kept``: the patches making much of ``p``'s change again, and how many of how many lines."""
    carriers = " and ".join(q.label for q in kept.carriers)
    verb, done = ("remove", "removed") if kept.removed else ("add", "added")
    why = (f"of the series as a whole, which no git patch-id follows to v{revision}: " if not p.number else
           f"v{revision} {titled[0].label} has its title and another change (git patch-id): " if titled else
           f"v{revision} {carriers} {verb}{'s' if len(kept.carriers) == 1 else ''} again {kept.kept} of the "
           f"{kept.total} lines of code naming something that {was} {done}, under another title and change (git "
           f"patch-id), so the code <{f.objection.msgid}> objects to may still be there: " if kept.carriers else
           f"no patch of v{revision} has its change or title (git patch-id): ")
    return why + ("not judged on this revision, nor addressed: it blocks as an inconclusive rule does until a rule "
                  "citing it judges the code or its sender takes it back" if changed else
                  "not judged on this revision, nor addressed")


def _latest_first(series: Series, found: tuple[_Carried, ...]) -> list[_Carried]:
    """``found`` (_earlier's), the later revisions' first: of one sender's objections to one change, the latest
    is the one listed (_merged), citing the others."""
    version = {p.mail.msgid: r.version for r in series.revisions for p in r.patches}
    return sorted(found, key=lambda e: -version.get(e[2].mail.msgid, 0))


def _merged(found: list[Found]) -> list[tuple[Objection, Found]]:
    """One objection per sender, kind and change: a sender's objection to a change (git patch-id) they objected to
    before, in another message, cites those (Objection.again) rather than being listed twice; ``found`` in the
    order to list them (the latest word first). Each with the found it is listed as."""
    firsts: list[tuple[Found, list[Objection]]] = []
    for f in found:
        again = next((again for g, again in firsts if _same_objection(g, f)), None)
        if again is None:
            firsts.append((f, []))
        else:
            again.append(f.objection)
    return [(replace(f.objection, again=tuple(again)) if again else f.objection, f) for f, again in firsts]


def _same_objection(a: Found, b: Found) -> bool:
    """Whether two objections are one sender's of the same kind to the same change (git patch-id)."""
    if _kind_of_one(a.objection.kind) is not _kind_of_one(b.objection.kind) or not a.of or not b.of \
            or not _same_sender(a, b):
        return False
    if {p.patch_id or p.mail.msgid for p in a.of} == {p.patch_id or p.mail.msgid for p in b.of}:
        return True
    # One patch each, the same code but for comments (same_change): a re-NAK of a next revision that reworded one.
    return len(a.of) == len(b.of) == 1 and same_change(a.of[0], b.of[0]) is not None


def _kind_of_one(kind: ObjectionKind) -> ObjectionKind:
    """The kind objections are one by: a sender's report that a change breaks something and their request to drop
    it are one objection, cited together, as they were when both were DROP."""
    return ObjectionKind.DROP if kind is ObjectionKind.REGRESSION else kind


def _same_sender(a: Found, b: Found) -> bool:
    """Whether two objections are by one sender: by address, else one's address or name in how the other (a quote's
    attribution, a trailer) names its sender."""
    if not (a.email or a.who or b.email or b.who):  # two quotes no attribution names a sender of: by their words
        return a.objection.sentence == b.objection.sentence
    if a.email and b.email:
        return a.email == b.email
    one, other = (a, b) if a.email else (b, a)
    if one.email and one.reply is not None:
        return names(other.who, one.reply)
    return bool(a.who) and a.who == b.who


def read_ahead(series: Series, target: Variant) -> None:
    """What open_objections reads of ``target``'s replies whatever the rules cite (each reply's objection, kept by
    identity: harness.replyobjections), read before the verdicts say which messages the rules cite there: eval's
    process does it while it waits for the rules' child's last verdict (harness.pipeline), its report then asks."""
    if target.revision is not None:
        _found(series, target.revision, _applied(series, target), frozenset())


def _applied(series: Series, target: Variant) -> list[Patch]:
    return [p for p in (series.find_message(m) for m, _ in target.sources) if isinstance(p, Patch)]


# An objection, the patch's label, the patch, the later ones making its change, and how that is known.
_Carried = tuple["Found", str, Patch, list[Patch], str]


# An earlier revision's NAK its sender took back below a patch of the judged revision making its change (or its cover
# letter): it, that patch, and the reply and words that took it back (harness.lifted says it).
LiftedEarlier = tuple[Objection, Patch, Reply, str]


def earlier_lifted(series: Series, revision: int, cited: frozenset[str]) -> tuple[LiftedEarlier, ...]:
    """The objections to an earlier revision's patches their sender took back below a patch of ``revision`` making
    the same change (or its cover letter), with what took each back."""
    return _earlier(series, revision, cited)[1]


def _earlier(series: Series, revision: int, cited: frozenset[str]
             ) -> tuple[tuple[_Carried, ...], tuple[LiftedEarlier, ...]]:
    """Each objection to a patch of a revision before ``revision`` (not the author's own plan), or of a later one
    whose words name ``revision`` as NAKed too ("NAK, and v1 too" below v2: the v1 gate passed), that its sender did
    not take back below a patch of ``revision`` making the same change: (it, the patch's label, the patch, those
    patches); and those they did (earlier_lifted)."""
    # open_objections, earlier_objections and the lifted lines read it, for every revision a report or gate judges.
    return by_identity("earlier objections", (series,), (revision, cited),
                       lambda: _earlier_found(series, revision, cited))


def _earlier_found(series: Series, revision: int, cited: frozenset[str]
                   ) -> tuple[tuple[_Carried, ...], tuple[LiftedEarlier, ...]]:
    rev = series.revision(revision)
    later = list(rev.patches) if rev is not None else []
    out, lifts, senders = [], [], input_senders(series)
    for old, found, replaced in _passes(series, revision, cited):
        for f in found:
            if old.version > revision and not _names(f, revision):
                continue
            # A NAK of the cover letter is the series' (no patch-id follows it), carried as a note only.
            for p in () if f.plan else f.of or ((old.cover,) if old.cover is not None else ()):
                same = [q for q in later if same_change(p, q)]
                how = same_change(p, same[0]) if same else None
                if not same and p.number and old.version < revision:
                    same, how = recombined(p, old, later)
                if not same and _names(f, revision):
                    same, how = counterparts(p, later, revision)
                named = rev is not None and rev.cover is not None and _names(f, revision)
                heads = same or ([rev.cover] if named and rev is not None and rev.cover is not None else [])
                lift = next(((f.objection, q, *by) for q in heads if (by := _withdrawn(f, q, rev, senders))), None)
                if lift is None:
                    out.append((f, replaced.get(id(p), f"v{old.version} {p.label}"), p, same, how or ""))
                lifts.extend([lift] if lift is not None else [])
    return tuple(out), tuple(lifts)


def _passes(series: Series, revision: int, cited: frozenset[str]
            ) -> Iterator[tuple[Revision, list[Found], dict[int, str]]]:
    """Each other revision's objections, then those below the postings a point update replaced, of every revision
    the judged one too ("[PATCH v4.1 2/3]" sent in reply to v4 2/3: a NAK of v4 2/3 is carried to v4.1 2/3 where it
    makes the same change, else said as an earlier one's; it went unsaid, and the gate passed on it), with the
    labels of those postings ("v4 02/3 <ID> (replaced by v4.1 02/3)") by id."""
    for old in (r for r in series.revisions if r.version != revision):
        # A revision's objections are the same whichever later revision carries them (one pass per revision).
        yield old, by_identity("revision objections", (series, old), (cited,),
                               partial(_found, series, old.version, list(old.patches), cited)), {}
    for rev in series.revisions:
        for k in range(max((len(s.superseded) for s in rev.slots if s.patch is not None), default=0)):
            # The k-th postings of the slots that had that many, the others' current ones: one pass per generation.
            slots = [s for s in rev.slots if s.patch is not None]
            applied = [s.superseded[k] if k < len(s.superseded) else s.patch for s in slots]
            replaced = {id(s.superseded[k]): f"{_posting(s.superseded[k])} <{s.superseded[k].mail.msgid}> (replaced "
                        f"by {_posting((*s.superseded, s.patch)[k + 1])})" for s in slots if k < len(s.superseded)}
            found = by_identity("replaced postings' objections", (series, rev), (k, cited),
                                partial(_found, series, rev.version, [p for p in applied if p is not None], cited))
            yield rev, [_replaced(f, replaced) for f in found if any(id(p) in replaced for p in f.of)], replaced


def _replaced(f: Found, replaced: dict[int, str]) -> Found:
    """``f`` of the replaced postings it is of alone, named as such where it is of one alone."""
    of = tuple(p for p in f.of if id(p) in replaced)
    target = replaced[id(of[0])] if len(f.of) == 1 else f.objection.target
    return replace(f, of=of, objection=replace(f.objection, target=target))


def _posting(p: Patch | None) -> str:
    """``v4.1 02/3``: a patch posting's revision, point update included, and number."""
    if p is None:
        return "?"
    s = p.mail.subject
    return f"v{s.version}{''.join(f'.{d}' for d in s.point)} {p.label}"


def _names(f: Found, revision: int) -> bool:
    """Whether a NAK given below an earlier revision names ``revision`` as NAKed too ("NAK, and v3 too", "NAK for v2
    and v3"): it is that revision's, whatever changed since (harness.nakrevisions); it was only noted."""
    return f.objection.kind is ObjectionKind.NAK and f.reply is not None and bool(f.email) \
        and revision in naked_revisions(f.reply.own_text, f.revision)


def _answered(f: Found, revision: int) -> bool:
    """Whether the objection's own words say ``revision`` answers it or is fine ("NAK, v2 fixes this." below v1)."""
    return f.reply is not None and f.revision is not None and later_answers(f.reply.own_text, revision, f.revision)


def _withdrawn(f: Found, head: Patch, rev: Revision | None, senders: frozenset[tuple[str, str]]
               ) -> tuple[Reply, str] | None:
    """The reply and words by which the NAK's sender took it back below ``head`` (takenback.withdrawn_below)."""
    if f.objection.kind is not ObjectionKind.NAK:
        return None
    return withdrawn_below((f.email, f.who, f.reply), head, rev, senders, f.reported)


def _carries(q: Patch, o: Objection) -> bool:
    """Whether the later patch carries the earlier one's ``Nacked-by:`` itself (its own objection says it)."""
    return o.msgid != q.mail.msgid and any(f"{t.key}: {t.value}" == o.sentence for t in q.trailers)



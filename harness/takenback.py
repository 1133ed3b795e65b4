"""Whether a NAK in a thread stands, or was taken back or fell with the NAK it agreed with.

Taken back by its sender (below the same message, or the cover letter naming its patch), fallen with the NAK it agreed
with, and a NAK a reply's Subject adds; Dates and answers decide the order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from email.utils import parsedate_to_datetime

from harness.language import unread_language
from harness.memo import by_identity
from harness.model import Patch, Reply, Revision
from harness.nakrevisions import carried_patches
from harness.nakwords import agrees_only, nak_sentence, nak_sentences, retracted_after, withdrawal_sentences
from harness.quotednak import Origins, withdrawer
from harness.replyorder import later_than, reply_chain, reply_date
from harness.replywords import ascii_forms
from harness.reportednak import gave
from harness.selfretract import answered_retraction
from harness.sentenceline import sentence_where
from harness.tagcondition import conditional_tag
from harness.tagwithdrawal import tag_withdrawn, withdrawal_of
from harness.titlenames import named_each, named_numbers, patch_total
from models.lazyre import lazy
from models.record import record


def subject_nak(r: Reply, replies: dict[str, Reply], heads: dict[str, Patch]) -> Reply:
    """The reply, a NAK when its Subject gives one its words do not ("NAK: Re: [PATCH 2/3] ..."): one the patch's own
    title has ("usb: handle a NAK") is none, nor one the message it answers had in its Subject (a thread's later
    replies keep it)."""
    if "NAK" in r.verdicts:
        return r
    up = replies.get(r.mail.in_reply_to or "") or heads.get(r.mail.in_reply_to or "")
    said = _subject_words(r.mail.subject.raw, heads)
    if said is None or (up is not None and _subject_words(up.mail.subject.raw, heads) is not None):
        return r
    return replace(r, own_text=f"{said}\n\n{r.own_text}", verdicts=(*r.verdicts, "NAK"))


def _subject_words(subject: str, heads: dict[str, Patch]) -> str | None:
    """The NAK a Subject gives, the series' titles and tags aside (None: none)."""
    subject = " ".join(subject.split())
    for h in heads.values():
        subject = subject.replace(" ".join(h.mail.subject.title.split()), " ")
    return nak_sentence(re.sub(r"\[[^]]*\]|\b(?:re|aw|sv|fwd?)\s*:", " ", subject, flags=re.I))


def taken_back(nak: Reply, below: dict[str, str], replies: dict[str, Reply], numbers: dict[str, int],
               patches: Sequence[Patch] = (), origins: Origins | None = None) -> bool:
    """Whether the NAK's author took it back ("Scratch my NAK.") below the same message, or below the cover letter
    naming its patch ("I withdraw my NAK of patch 2", or of its title among the revision's ``patches``;
    ``numbers``: each message's patch number, 0 the cover letter's), in a reply to it (or to a reply below it) or one
    sent no earlier by its Date; later in its own words; or gave the patch their Reviewed-by or Acked-by since
    (lifted_by); another reviewer cannot take it back. ``origins``: the whole input, where a tag may be taken back
    below another posting that carries it (reviewed_since)."""
    return lifted_by(nak, below, replies, numbers, patches, origins) is not None


def lifted_by(nak: Reply, below: dict[str, str], replies: dict[str, Reply], numbers: dict[str, int],
              patches: Sequence[Patch] = (), origins: Origins | None = None) -> tuple[Reply, str] | None:
    """The reply of the NAK's sender that takes it back (taken_back), and its sentence or trailer that does; None
    when none does."""
    if not nak.mail.author_email:
        return None
    if (said := retracted_here(nak, patches)) is not None:
        return nak, said
    who = nak.mail.own_address  # "" through a list that rewrote From:: no later mail is surely the NAK's sender's
    if not who:
        return None
    found = _withdrawals(nak, below, replies, numbers, patches, lambda ws: ws.by_email.get(who, ()))
    if found:
        return found[0], (withdrawal_sentences(found[0].own_text) or ["NAK-withdrawn"])[0].strip()
    return answered_retraction(nak, replies) or reviewed_since(nak, below, replies, origins)


def retracted_here(nak: Reply, patches: Sequence[Patch] = ()) -> str | None:
    """The sentence of the NAK's own words, after its last NAK, taking it back ("NAK. Actually, scratch that, I was
    wrong, no NAK.": retracted_after), naming no patch, no other revision and not the cover letter: "NAK for patch
    3. I withdraw my NAK of patch 2." leaves patch 3's."""
    said = retracted_after(nak.own_text)
    if said is None or _other(said, patch_total(patches)) is not None \
            or named_each(said, patches, withdrawal_sentences) != [None]:
        return None
    return said


# The trailers that give a patch its sender's approval: given later by the NAK's sender to the same patch, the NAK is
# lifted (b4 collects them as that sender's word on it). Tested-by is no approval.
_APPROVALS = ("reviewed-by", "acked-by")
_ADDRESS = lazy(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def reviewed_since(nak: Reply, below: dict[str, str], replies: dict[str, Reply],
                   origins: Origins | None = None) -> tuple[Reply, str] | None:
    """A Reviewed-by or Acked-by the NAK's sender gave, in a reply of their own (From: the NAK's address) with no NAK
    nor request to drop, below the same message, answering the NAK or dated after it, whose trailer names that
    address, and not taken back since (there, or below a posting of ``origins`` carrying it): the reply and the
    trailer. Another's tag (Olga's Reviewed-by, or one Mae passes on for Olga), one given before the NAK or at the
    same time, one below another patch, and one quoted, lift nothing."""
    who, at = nak.mail.own_address, below[nak.mail.msgid]
    for m, r in replies.items():
        if r is not nak and below.get(m) == at and (tag := approval(r, who)) and later_than(r, nak, replies) \
                and _withdrawal(r, tag, at, below, replies, origins) is None:  # "I retract my Reviewed-by."
            return r, tag
    return None


def approval(r: Reply, who: str) -> str:
    """The Reviewed-by or Acked-by trailer of reply ``r`` that sender ``who`` (an address, lower case) gives in their
    own reply with no NAK nor request to drop of its own ("" when there is none): their approval of the patch. In a
    reply whose words seamharness does not read, none ("Wenn die Schleife begrenzt ist, dann gerne:" above the tag
    lifted the NAK it puts a condition on)."""
    if not who or r.mail.own_address != who or "NAK" in r.verdicts or "drop-patch" in r.verdicts:
        return ""
    if unread_language(r.own_text) is not None:  # whether its words put the tag under a condition cannot be told
        return ""
    return next((f"{t.key}: {t.value}" for t in r.trailers if t.key.lower() in _APPROVALS
                 and who in (a.lower() for a in _ADDRESS().findall(t.value))
                 and not conditional_tag(r.own_text, t.key, t.value)), "")  # "With X fixed, feel free to add:"


def withdrawn_by_name(nak: Reply, below: dict[str, str], replies: dict[str, Reply], numbers: dict[str, int],
                      patches: Sequence[Patch] = (), origins: Origins | None = None) -> str:
    """What a maintainer should know of a standing NAK: a withdrawal of its sender of its very Date: (_withdrawals'
    ``tied``), and one that would take it back but comes from another
    address under the NAK's sender's name ("Mae Maint <mae@kernel.org>" for mae@work.example). The same name is no
    proof of the same sender, and no mailmap is read (b4 and git match by address), so the NAK stands; said, never
    passed silently ("" when there is none)."""
    who = nak.mail.own_address
    own = _withdrawals(nak, below, replies, numbers, patches, lambda ws: ws.by_email.get(who, ()), True) if who else []
    same = [f"a withdrawal <{w.mail.msgid}> ({w.mail.where}) has the NAK's own Date: and answers it not: which was "
            "sent later cannot be told" for w in own]
    return "; ".join([*same, *filter(None, [by_name_only(nak, _withdrawals(nak, below, replies, numbers, patches,
                                                                           lambda ws: ws.about(nak)))]),
                      *_tags_withdrawn(nak, below, replies, origins)])


def tag_taken_back(r: Reply, below: dict[str, str], replies: dict[str, Reply]) -> tuple[str, str] | None:
    """The sentence by which reply ``r`` takes back its sender's Reviewed-by or Acked-by, and which (tag_withdrawn),
    unless they gave it again since below the same message (a later reply of theirs with the tag naming them)."""
    if not any(v.endswith("-withdrawn") and v != "NAK-withdrawn" for v in r.verdicts):
        return None
    said, who, at = tag_withdrawn(r.own_text), r.mail.own_address, below.get(r.mail.msgid)
    if said is None:
        return None
    # A Tested-by approves nothing (approval), but given again since it stands again all the same.
    again = any(x is not r and below.get(m) == at and (_tested(x, who) if said[1] == "Tested-by" else approval(x, who))
                and later_than(x, r, replies) for m, x in replies.items())
    return None if again else said


def _tested(r: Reply, who: str) -> bool:
    """Whether reply ``r`` is sender ``who``'s own, with a Tested-by trailer naming them."""
    return bool(who) and r.mail.own_address == who and any(
        t.key.lower() == "tested-by" and who in (a.lower() for a in _ADDRESS().findall(t.value)) for t in r.trailers)


def _withdrawal(tagged: Reply, tag: str, at: str, below: dict[str, str], replies: dict[str, Reply],
                origins: Origins | None = None) -> tuple[Reply, str] | None:
    """The reply by which the sender of ``tagged`` took its ``tag`` back since, and its sentence: below ``at``
    (withdrawal_of), or below a posting of ``origins`` that carries the tag among its own trailers, dated after it
    (Origins.carried_withdrawal: "I retract my Reviewed-by." in a reply to v3, which carries v2's), or in a reply
    placed below nothing, dated after it (Origins.unplaced_withdrawal: of which patch cannot be told)."""
    def later(w: Reply) -> bool:
        return later_than(w, tagged, replies)
    w = withdrawal_of(tagged, tag, (x for k, x in replies.items() if below.get(k) == at), later)
    said = tag_withdrawn(w.own_text) if w is not None else None
    if w is not None and said is not None:
        return w, said[0]
    if origins is None:
        return None
    return origins.carried_withdrawal(tagged, tag, lambda a, b: _dated_after(b, a)) \
        or origins.unplaced_withdrawal(tagged, tag, lambda a, b: _dated_after(b, a))


def _dated_after(earlier: Reply, later: Reply) -> bool:
    return no_earlier(later, earlier) and later.mail.date != earlier.mail.date


def _tags_withdrawn(nak: Reply, below: dict[str, str], replies: dict[str, Reply],
                    origins: Origins | None = None) -> list[str]:
    """Why the NAK's sender's later Reviewed-by or Acked-by below the same message lifts it not: they took it back
    since, each said with the message that gave it and the one that took it back."""
    who, at, out = nak.mail.own_address, below[nak.mail.msgid], []
    for m, r in replies.items():
        if r is nak or below.get(m) != at or not (tag := approval(r, who)) or not later_than(r, nak, replies):
            continue
        if (back := _withdrawal(r, tag, at, below, replies, origins)) is not None:
            w, said = back
            out.append(f'its sender\'s "{tag}" <{r.mail.msgid}> ({r.mail.where}) would lift it, but was withdrawn '
                       f'<{w.mail.msgid}> ({sentence_where(w, said)}): "{said}"')
    return out


def by_name_only(nak: Reply, withdrawals: list[Reply]) -> str:
    """withdrawn_by_name, of the withdrawals placed where they would take ``nak`` back; and one where a mailing list
    rewrote From: (DMARC) of it or of the NAK, naming the other's address as the original sender (_via_list)."""
    name, who = _display_name(nak), nak.mail.author_email.lower()
    seen = [w for w in withdrawals if name and _display_name(w) == name and w.mail.author_email.lower() != who]
    return "; ".join([*(f'a withdrawal from "{w.mail.author} <{w.mail.author_email}>" was seen (<{w.mail.msgid}>, '
                        f"{w.mail.where}) and not matched: another address than the NAK's <{nak.mail.author_email}>, "
                        "and the same name is no proof of the same sender" for w in seen),
                      *(_via_list(nak, w) for w in withdrawals if w not in seen and _via_list(nak, w))])


def _via_list(nak: Reply, w: Reply) -> str:
    """Why a withdrawal the list's rewritten From: keeps from the NAK's sender was not matched ("" when none is): the
    original sender a list names (X-Original-From:, Reply-To:) is its word alone, which b4 takes only with a
    passing attestation of that address; none is checked here, so the NAK stands, said."""
    for rewritten, other in ((w, nak), (nak, w)):
        original, address = rewritten.mail.original_from, other.mail.author_email.lower()
        if original and address and address in original.lower():
            return (f'a withdrawal from "{w.mail.author} <{w.mail.author_email}>" was seen (<{w.mail.msgid}>, '
                    f'{w.mail.where}) and not matched: a mailing list rewrote the From: of the '
                    f'{"withdrawal" if rewritten is w else "NAK"} and names "{original}" as its original sender, '
                    "a header no signature was checked for (b4 takes it only with a passing attestation)")
    return ""


def _withdrawals(nak: Reply, below: dict[str, str], replies: dict[str, Reply], numbers: dict[str, int],
                 patches: Sequence[Patch], pick: Callable[[_Withdrawals], Iterable[int]], tied: bool = False
                 ) -> list[Reply]:
    """The replies, among those ``pick`` gives (by their sender: _Withdrawals), that take a NAK back where they would
    take ``nak`` back (taken_back), in the order of the input: answering it, or sent later by their Date: (or a reply
    they answer); ``tied``: those of its very Date: instead, not answering it, which take it back not (which was sent
    later cannot be told: three replies of one second, a NAK, a withdrawal and a NAK, were all taken back)."""
    at = below[nak.mail.msgid]
    version = patches[0].mail.subject.version if patches else None
    of: list[set[int]] = []  # what the NAK is of, worked out for the first withdrawal below its message
    date = reply_date(nak)
    found = _read_withdrawals(replies, patches)
    # Which were sent when is asked first: it is cheap, and an undated NAK asks its tied withdrawals nothing more.
    return [r.reply for r in (found.read[n] for n in sorted(set(pick(found)))) if r.reply is not nak
            and (not tied or (date is not None and date in r.dates))
            and (nak.mail.msgid in r.chain or any(_no_earlier(d, date) and d != date for d in r.dates)) != tied
            and (_covers(r.named, nak, numbers.get(at), patches, of) if below[r.msgid] == at
                 else _names_patch(r.named, numbers.get(below[r.msgid]), numbers.get(at)))
            and not _elsewhere(r.others, version, numbers.get(at))]


def withdrawn_part(nak: Reply, below: dict[str, str], replies: dict[str, Reply], numbers: dict[str, int],
                   patches: Sequence[Patch]) -> set[int]:
    """The patch numbers the NAK's sender's later withdrawals below the same message name, each naming patches, when
    they take back only part of it ("NAK for patch 2 and patch 3." then "I withdraw my NAK for patch 3.": {3}; the NAK
    stood whole on 2/3 and 3/3, _covers), or below another message of the revision (_part). set() when none does; one
    naming no patch below the NAK's own message takes it all back (taken_back)."""
    who, at = nak.mail.own_address, below[nak.mail.msgid]
    if not who:
        return set()
    version, date = (patches[0].mail.subject.version if patches else None), reply_date(nak)
    found = _read_withdrawals(replies, patches)
    out: set[int] = set()
    for r in (found.read[n] for n in found.by_email.get(who, ())):
        part = _part(r, below[r.msgid] == at, numbers.get(below[r.msgid]))
        if r.reply is nak or not part or _elsewhere(r.others, version, numbers.get(at)):
            continue
        if nak.mail.msgid in r.chain or any(_no_earlier(d, date) and d != date for d in r.dates):
            out |= part
    return out


def _part(r: _Read, here: bool, where: int | None) -> set[int]:
    """The patches a withdrawal ``r`` takes a NAK back for, as part of it (withdrawn_part): below the NAK's own message
    (``here``), those its sentences name, if each names some; below another message of the revision (patch ``where``,
    0 the cover letter), those it names, or with none named below a patch, that patch ("I withdraw my NAK." below 3/3
    after "NAK for patch 2 and patch 3." below the cover letter: 3/3's). Read only below the same message, each was
    left standing, and the gate blocked 3/3 on a NAK its sender had taken back."""
    named = {n for each in r.named for n in each or ()}
    if here:
        return set() if None in r.named else named
    if where is None:
        return set()
    return named or ({where} if where and all(each is None for each in r.named) else set())


@record
class _Read:
    """A withdrawal as every NAK asks about it: where it is listed, the patches each of its withdrawing sentences
    names, what each says the NAK it takes back was of (_other), the messages up its chain and their Dates."""

    msgid: str
    reply: Reply
    named: list[set[int] | None]
    others: tuple[tuple[str | None, bool] | None, ...]
    chain: frozenset[str]
    dates: tuple[datetime | None, ...]


@record
class _Withdrawals:
    """The withdrawals of a thread, read (_Read), and which of them each sender could have sent: by address, by
    display name, and those whose From: a list rewrote (X-Original-From:): a NAK asks only about those, not about
    every withdrawal (n NAKs and n withdrawals by others: n * n checks)."""

    read: tuple[_Read, ...]
    by_email: dict[str, tuple[int, ...]]
    by_name: dict[str, tuple[int, ...]]
    rewritten: tuple[int, ...]

    def about(self, nak: Reply) -> list[int]:
        """Those by_name_only may name for ``nak``: sent under its sender's name, or of a rewritten From: naming
        its address, or from an address its own rewritten From: names (_via_list)."""
        original, name = (nak.mail.original_from or "").lower(), _display_name(nak)
        named = self.by_name.get(name, ()) if name else ()
        listed = [n for email, ns in self.by_email.items() if original and email and email in original for n in ns]
        return [*named, *self.rewritten, *listed]


def _read_withdrawals(replies: dict[str, Reply], patches: Sequence[Patch]) -> _Withdrawals:
    """The withdrawals among ``replies``, each read once for every NAK asked about (a thread of n NAKs and n
    withdrawals read each withdrawal's words n times: 1,000 replies, 31 s of a gate)."""
    def read(m: str, w: Reply) -> _Read:
        chain = reply_chain(m, replies)
        return _Read(m, w, named_each(w.own_text, patches, withdrawal_sentences),
                     tuple(_other(s, patch_total(patches)) for s in withdrawal_sentences(w.own_text)),
                     frozenset(chain),
                     tuple(reply_date(replies[c]) for c in chain if c in replies))

    def index() -> _Withdrawals:
        found = tuple(read(m, w) for m, w in replies.items() if "NAK-withdrawn" in w.verdicts)
        by_email: dict[str, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        for n, r in enumerate(found):
            by_email.setdefault(r.reply.mail.author_email.lower(), []).append(n)
            by_name.setdefault(_display_name(r.reply), []).append(n)
        return _Withdrawals(found, {k: tuple(v) for k, v in by_email.items()},
                            {k: tuple(v) for k, v in by_name.items()},
                            tuple(n for n, r in enumerate(found) if r.reply.mail.original_from))
    return by_identity("withdrawals read", (replies, patches), (), index)


def _no_earlier(later: datetime | None, earlier: datetime | None) -> bool:
    """no_earlier of two Dates read: False when either is unknown or they compare not (one without a zone)."""
    try:
        return later is not None and earlier is not None and later >= earlier
    except TypeError:
        return False


# What a withdrawal says the NAK it takes back was of, when that is not this revision's patch: another revision ("my
# NAK of v1", "my v1 NAK", "my NAK on the previous version") or the cover letter.
_NAK_WORD = r"(?:NACK|NAK|Nack(?:ed)?-by|Nak(?:ed)?-by)s?\b"
_ELSEWHERE = lazy(rf"{_NAK_WORD}\s+(?:of|on|for|to|against)\s+(?:(?:the|my|your)\s+)?(?:v(\d+)\b|"
                        r"(cover(?:\s+letter)?)\b|(?:previous|earlier|last|old|prior|first)\s+(?:version|revision|"
                        rf"posting|series|round|spin)\b)|\bv(\d+)(?:['’]s)?\s+{_NAK_WORD}"
                        # A patch of a revision named: "my NAK of patch 2 of v1", "of v1's 2/3", "of 2/3 in v1" (each
                        # took back v2's NAK of patch 2, below its cover letter: the gate passed).
                        rf"|{_NAK_WORD}\s+(?:of|on|for|to|against)\s+(?:(?:the|my|your)\s+)?(?:v(\d+)['’]s\s+|"
                        r"(?:patch\s+)?#?\d+(?:/\d+)?\s+(?:of|in|from)\s+(?:the\s+)?v(\d+)\b)", re.I)
_COUNTED = lazy(r"(?<![\w/])\d+/(\d+)(?![\w/])")


def _elsewhere(others: tuple[tuple[str | None, bool] | None, ...], version: int | None, number: int | None) -> bool:
    """Whether every withdrawal sentence of a reply (``others``: what each names, _other) names what it takes back as
    another revision's NAK, or the cover letter's while the NAK is of patch ``number``: "I withdraw my NAK of v1"
    below v2 02/3 took back v2's NAK there (passed). Such a withdrawal is of the NAK it names (harness.objections
    carries it to the revision it names)."""
    return bool(others) and all(_names_other(o, version, number) for o in others)


def _other(sentence: str, total: int = 0) -> tuple[str | None, bool] | None:
    """What a withdrawal sentence says the NAK was of, when not this revision's patch: (the revision it names, or
    None; whether it names the cover letter); None when it says nothing of it. A patch counted in another total
    than this revision's ``total`` ("my NAK of 2/5" below 3 patches; 0: not known) is another series' (None, False):
    it took back the NAK of patch 2."""
    m = _ELSEWHERE().search(ascii_forms(sentence))
    if m is None:
        counted = {int(n) for n in _COUNTED().findall(sentence)}
        return (None, False) if total and counted and total not in counted else None
    return m.group(1) or m.group(3) or m.group(4) or m.group(5), bool(m.group(2))


def _names_other(other: tuple[str | None, bool] | None, version: int | None, number: int | None) -> bool:
    if other is None:
        return False
    revision, cover = other
    if revision is not None:
        return version is not None and int(revision) != version
    return bool(number) if cover else True


def _covers(named: list[set[int] | None], nak: Reply, number: int | None, patches: Sequence[Patch],
            of: list[set[int]]) -> bool:
    """Whether a withdrawal below the message the NAK is below (patch ``number``, 0 the cover letter), whose
    withdrawing sentences name ``named``, takes it back: one naming no patch does; one naming patches (by number or
    title) only when they are all the NAK is of (the patch it is below and those it names): "I withdraw my NAK of
    patch 3" below the cover letter leaves a NAK there "for patch 2" standing, and a NAK of the series. ``of``
    keeps what the NAK is of once worked out."""
    if None in named:
        return True
    if not of:
        # With the patches it carries the NAK on to ("NAK for patch 3, and 2 too"): a withdrawal of patch 3's
        # leaves 2's.
        of.append((named_numbers(nak.own_text, patches, nak_sentences) or set())
                  | carried_patches(nak.own_text, patches) | ({number} if number else set()))
    return bool(of[0]) and of[0] <= {n for each in named for n in each or ()}


def _display_name(r: Reply) -> str:
    """The sender's display name, folded (no name: "")."""
    name = " ".join(r.mail.author.split()).casefold()
    return "" if not name or name == r.mail.author_email.casefold() else name


def withdraws_at(w: Reply, where: int, number: int, patches: Sequence[Patch]) -> bool:
    """Whether withdrawal ``w``, below patch ``where`` (0: the cover letter) of a later revision, takes back a NAK of
    the earlier patch whose change that revision's patch ``number`` makes: below that patch, naming no patch or it
    (by number or title among ``patches``); below the cover letter, naming it."""
    named = named_each(w.own_text, patches, withdrawal_sentences)
    if where != number:
        return _names_patch(named, where, number)
    return None in named or any(number in each for each in named if each is not None)


def withdrawn_below(nak: tuple[str, str, Reply | None], head: Patch, rev: Revision | None,
                    senders: frozenset[tuple[str, str]], reported: bool = False) -> tuple[Reply, str] | None:
    """The reply and its words by which a NAK's sender (``nak``: their address, lower case, or how a quote or trailer
    names them, and the NAK's message) took it back below ``head`` (a patch of another revision, ``rev``), naming no
    patch or ``head`` ("my NAK of patch 2" below 3/3 keeps 3/3's), or below ``rev``'s cover letter naming ``head``,
    or gave ``head`` their Reviewed-by or Acked-by (approval), no earlier than the NAK by Date; None when none did.
    ``reported``: a NAK a reply reports of another, its sender named as a person would ("Boris", reportednak.gave)."""
    email, who, said = nak
    cover = rev.cover.replies if rev is not None and rev.cover is not None and head.number else ()
    for where, w in [*((head.number, w) for w in head.replies), *((0, w) for w in cover)]:
        tag = approval(w, email) if where == head.number and said is not None else ""
        if tag and withdrawal_of(w, tag, head.replies, functools.partial(_dated_after, w)):
            tag = ""  # taken back since ("I retract my Reviewed-by."): it approves nothing
        if not tag and ("NAK-withdrawn" not in w.verdicts or not withdraws_at(w, where, head.number,
                                                                             rev.patches if rev else ())):
            continue
        by = w.mail.own_address == email if email else gave(who, w, senders) if reported else \
            withdrawer(who, w, senders)
        if by and (said is None or no_earlier(w, said)):
            return w, tag or (withdrawal_sentences(w.own_text) or ["NAK-withdrawn"])[0].strip()
    return None


def _names_patch(named: list[set[int] | None], where: int | None, number: int | None) -> bool:
    """Whether a withdrawal below the cover letter (``where`` 0), whose withdrawing sentences name ``named``, names
    patch ``number`` ("my NAK of patch 2", or of its title)."""
    return where == 0 and bool(number) and any(number in (each or ()) for each in named)


def fallen(agreed: Reply, below: dict[str, str], replies: dict[str, Reply], numbers: dict[str, int],
           patches: Sequence[Patch] = ()) -> bool:
    """Whether the reply NAKs only by agreeing with another's NAK ("+1 to the NAK") and every NAK of the patch by
    another reviewer it can agree with (sent before it, its own words a NAK) was taken back. With none in the input
    (given elsewhere) it stands."""
    if not agrees_only(agreed.own_text):
        return False
    who = agreed.mail.author_email.lower()
    naks = [n for m, n in replies.items() if "NAK" in n.verdicts and n.mail.author_email.lower() != who
            and below[m] == below[agreed.mail.msgid] and not agrees_only(n.own_text) and _after(agreed, n, replies)]
    return bool(naks) and all(taken_back(n, below, replies, numbers, patches) for n in naks)


def _after(later: Reply, earlier: Reply, replies: dict[str, Reply]) -> bool:
    """Whether ``later`` answers ``earlier`` (up its In-Reply-To chain), or it or a reply it answers (another
    branch of the thread: the author's answer to the NAK, sent after it) is dated no earlier; unknown dates: not
    after (the NAK stands)."""
    chain = reply_chain(later.mail.msgid, replies)
    if earlier.mail.msgid in chain:
        return True
    return any(no_earlier(replies[m], earlier) for m in chain if m in replies)


def no_earlier(later: Reply, earlier: Reply) -> bool:
    """Whether ``later``'s Date is no earlier than ``earlier``'s; False when either is unknown or they compare not."""
    try:
        return parsedate_to_datetime(later.mail.date) >= parsedate_to_datetime(earlier.mail.date)
    except (TypeError, ValueError, IndexError):
        return False

"""Follow-up trailers: what a review reply gives a patch, and what each patch collects, as ``b4 am`` reads them."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import replace
from email.utils import parseaddr

from harness.errors import Where
from harness.model import Mail, Patch, Reply, Revision, Trailer
from models.lazyre import lazy
from models.record import record

# b4's LoreMessage.find_trailers(followup=True) and LoreMessage.__init__ (b4 0.16, b4/__init__.py).
_IGNORED = frozenset({"phone", "mail", "email", "e-mail", "prerequisite-message-id"})
_LINKS = frozenset({"link", "buglink", "closes"})
_NONPERSON = _LINKS | {"fixes", "subject", "date", "obsoleted-by", "change-id", "base-commit"}
# Commit or mail metadata, never a trailer a reply gives (b4's "badtrailers"): a reply's "Cc: x" is no trailer.
_HEADERS = frozenset({"subject", "date", "from"})  # taken only before any other line
_BRACKET = lazy(r"^\s*\[[^]]+]\s*$")
_METADATA = frozenset({"from", "author", "cc", "to", "date", "subject", "subscribe", "unsubscribe", "base-commit",
                       "change-id", "message-id"})
_UTILITY = frozenset({"fixes", "link", "buglink", "closes", "obsoleted-by", "message-id", "change-id",
                      "base-commit", "based-on"})
_LINE = re.compile(r"^\s*(\w\S+):\s+(\S.*)", re.I)
_URL = re.compile(r"https?://")
_HASH = lazy(r"^[0-9a-f]{6,}")
_MAILTO = re.compile(r"<mailto:[^>]+>")
# Two wrappings b4 undoes: "Fixes: abcd0123 (foo bar" + "baz)" and "Reviewed-by: Long Name" + "<addr>".
_WRAP = ((re.compile(r"^\S+:\s+[\da-f]+\s+\([^)]+$"), re.compile(r"^.+\)$")),
         (re.compile(r"^\S+:\s+[^<]+$"), re.compile(r"^<[^>]+>$")))


# b4 matches these with regular expressions that backtrack (quadratic or worse on a long line: 20 s for 2,000
# characters); the same answers, in linear time.


def _person(value: str) -> bool:
    """b4's ``\\S+@\\S+\\.\\S+``: a word with an ``@`` after its first character and a ``.`` at least two past
    that ``@`` and before the word's last character."""
    for word in value.split():
        at = word.find("@", 1)
        if at > 0 and word.rfind(".", 0, len(word) - 1) >= at + 2:
            return True
    return False


def _extinfo(value: str) -> tuple[str, str]:
    """b4's ``(.*\\S+)(\\s+#[^#]+)$``: the value and a trailing `` # comment`` (blank before the last ``#``,
    something after it), or the value and ``""``."""
    hash_at = value.rfind("#")
    before = value[:hash_at].rstrip()
    if hash_at < 1 or hash_at + 1 == len(value) or len(before) == hash_at or not before or "\n" in value:
        return value, ""
    return before, value[len(before):]


def _angle(value: str) -> tuple[str, str] | None:
    """b4's ``^(.*?)\\s*<([^>]+)>\\s*$``: (name, address) of a value that ends ``<address>``, or None."""
    text = value.rstrip()
    if not text.endswith(">") or "\n" in value:
        return None
    lt = text.find("<", text.rfind(">", 0, len(text) - 1) + 1)
    if lt < 0 or lt + 1 >= len(text) - 1:
        return None
    return value[:lt].rstrip(), text[lt + 1 : -1]


def _untag(address: str) -> str:
    """``re.sub(r"\\+[^@]+@", "@", address)``: a ``+tag`` taken out of the local part."""
    out: list[str] = []
    i = 0
    while (plus := address.find("+", i)) >= 0 and (at := address.find("@", plus + 1)) >= 0:
        if at == plus + 1:
            out.append(address[i : plus + 1])
            i = plus + 1
            continue
        out.append(address[i:plus] + "@")
        i = at + 1
    return "".join(out) + address[i:]


def _unwrapped(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines with a wrapped trailer's second line joined to its first (b4 find_trailers' two re.sub)."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(numbered):
        number, line = numbered[i]
        nxt = numbered[i + 1][1] if i + 1 < len(numbered) else None
        if nxt is not None and any(a.match(line) and b.match(nxt) for a, b in _WRAP):
            out.append((number, f"{line} {nxt}"))
            i += 2
            continue
        out.append((number, line))
        i += 1
    return out


def _clean(name: str) -> str:
    """A display name with its RFC 2047 words decoded and its blanks folded to one space (b4 clean_header, as
    format_addrs applies it); a name past 1,000 characters is not decoded (no name is that long, and the
    decoder's expression is slow on such a line)."""
    if "=?" in name and len(name) <= 1000:
        from email.header import decode_header  # only a name with RFC 2047 words: few replies have one

        decoded = ""
        for part, charset in decode_header(name):
            if isinstance(part, str):
                decoded += part
                continue
            try:
                decoded += part.decode(charset or "utf-8", errors="replace")
            except LookupError:
                decoded += part.decode("utf-8", errors="replace")
        name = decoded
    return re.sub(r"\n?\s+", " ", name).strip()


def _value(key: str, value: str) -> tuple[str, tuple[str, str] | None]:
    """A trailer's value as b4 writes it, and the (name, address) of a person trailer (b4 LoreTrailer):
    a person's value is re-spelt ``Name <addr>`` from what parseaddr reads (text after the address goes)."""
    if key.lower() in _UTILITY or "://" in value or not _person(value):
        return value, None
    value = _MAILTO.sub("", value)
    angle = _angle(value)
    name, addr = (angle[0].strip(), angle[1].strip()) if angle else parseaddr(value)
    if not name and not addr:
        return value, None
    shown = addr if not name or name == addr else f"{_clean(name)} <{addr}>"
    return shown, (name, addr)


def reply_trailers(numbered: list[tuple[int, str]], where: Where) -> tuple[Trailer, ...]:
    """The trailers a reply gives, from its own lines (quotes, a proposal's commit and the signature already
    left out), as b4 finds follow-up trailers: ``Token: value`` at a line's start (blanks before it allowed,
    any case: ``reviewed-by``, ``Tested-By`` are kept as typed), an ASCII token, a value naming a person by
    address unless the token is a link or ``Fixes`` (whose value starts with a hash); a URL only in a link;
    mail metadata (``Cc``, ``To``, ``From``, ...) never; a trailing ``# comment`` kept, or a ``[...]`` line below
    the trailer (the value's second line); a trailer wrapped over two lines joined. Each trailer's ``where`` is
    its line in the reply.
    """
    found: list[Trailer] = []
    last: tuple[int, str] | None = None  # (index in found, value without extinfo) of the trailer a "[...]" joins
    was_trailer = text_seen = False
    for number, line in _unwrapped(numbered):
        line = line.rstrip("\r")
        m = _LINE.search(line)
        if m is None:
            if was_trailer and len(line) > 2 and _BRACKET().match(line):
                if last is not None:  # b4's extinfo on the next line: kept below the trailer, "# ..." dropped
                    at, bare = last
                    found[at] = replace(found[at], value=f"{bare}\n{line}")
                was_trailer = False
                continue
            was_trailer, text_seen = False, True
            continue
        key, value = m.group(1), m.group(2)
        lkey = key.lower()
        if (lkey in _IGNORED or (text_seen and lkey in _HEADERS) or not lkey.isascii()
                or (not _person(value) and lkey not in _NONPERSON)
                or (_URL.search(value) and lkey not in _LINKS) or (lkey == "fixes" and not _HASH().search(value))):
            continue  # b4 find_trailers: not a trailer, and not text either
        was_trailer, last = True, None
        if lkey in _METADATA:  # a trailer to b4's find_trailers, dropped after (LoreMessage "badtrailers")
            continue
        value, extinfo = _extinfo(value)
        value = _value(key, value)[0]
        last = (len(found), value)
        found.append(Trailer(key, value + extinfo, Where(where.path, number, where.msgid)))
    return tuple(found)


def _bare(value: str) -> str:
    """A trailer's value without what b4 calls its extinfo: a ``# comment`` or a ``[...]`` line below it."""
    return _extinfo(value.split("\n", 1)[0])[0]


def _email_eq(ours: str, theirs: str) -> bool:
    """b4 LoreTrailer.email_eq: the same address, less a ``+tag``, or one domain a subdomain of the other."""
    ours, theirs = ours.lower(), theirs.lower()
    if ours == theirs:
        return True
    if "@" not in ours or "@" not in theirs:
        return False
    ours, theirs = _untag(ours), _untag(theirs)
    if ours == theirs:
        return True
    (olocal, odomain), (tlocal, tdomain) = ours.split("@", 1), theirs.split("@", 1)
    return olocal == tlocal and abs(odomain.count(".") - tdomain.count(".")) == 1 and (
        odomain.endswith(f".{tdomain}") or tdomain.endswith(f".{odomain}"))


def attributable(trailer: Trailer, reply: Reply) -> bool:
    """Whether ``b4 am`` applies a reply's trailer without ``-S``: one naming no person (a link, ``Fixes``, a
    URL), or one naming the reply's sender by address (less a ``+tag``, or a subdomain) or by name; from a
    sender whose name has a comma ("Hansen, Dave") any (b4 get_trailers). Every other trailer reply_trailers
    keeps named a person by address when read; its value as re-spelt is read again for that person."""
    return senders(trailer, reply.mail)


def senders(trailer: Trailer, mail: Mail) -> bool:
    """attributable, of a reply's ``mail``: whether the trailer is its sender's own (or names no person)."""
    value = _bare(trailer.value)
    if trailer.key.lower() in _UTILITY or "://" in value:
        return True
    angle = _angle(value)
    name, addr = (angle[0].strip(), angle[1].strip()) if angle else parseaddr(value)
    if not name and not addr:
        return True
    if _email_eq(addr, mail.author_email or ""):
        return True
    sender = (mail.author or "").lower()
    return _clean(name).lower() == sender or "," in sender[1:]


@record
class Collected:
    """A patch's follow-up trailers: ``applied`` as ``b4 am`` adds them below its own (each once, those of
    replies to the cover letter on every patch, after the patch's own replies'), and ``mismatched``: trailers
    naming someone other than the reply's sender, which b4 leaves out unless ``-S``."""

    applied: tuple[Trailer, ...]
    mismatched: tuple[Trailer, ...]


def _link_id(t: Trailer) -> str | None:
    """The Message-ID in a Link trailer's URL, lower case (b4 LoreTrailer._extract_link_msgid), or None."""
    if t.key.lower() != "link":
        return None
    m = re.search(r"^https?://[^@]+/([^/]+@[^/]+)", urllib.parse.unquote(t.value), re.I)
    return m.group(1).lower() if m else None


class _Seen:
    """Trailers kept so far, looked up as b4 LoreTrailer.__eq__ compares them: the same token and value (a
    ``# comment`` aside), case aside; two links also by the Message-ID in their URL. Sets, so that a thread of
    thousands of trailers takes linear time."""

    def __init__(self, kept: tuple[Trailer, ...] = ()) -> None:
        self.values: set[tuple[str, str]] = set()
        self.links: set[str] = set()
        for t in kept:
            self.add(t)

    def __contains__(self, t: Trailer) -> bool:
        link = _link_id(t)
        return (t.key.lower(), _bare(t.value).lower()) in self.values or (link is not None and link in self.links)

    def add(self, t: Trailer) -> None:
        self.values.add((t.key.lower(), _bare(t.value).lower()))
        if (link := _link_id(t)) is not None:
            self.links.add(link)


def _reaches(by_id: dict[str, Reply], target: frozenset[str]) -> dict[str, bool]:
    """For each reply, whether b4's walk up its In-Reply-To chain (through replies only) reaches ``target``; a
    chain through a message the input lacks, or a loop, does not. Each reply is walked once."""
    ends: dict[str, bool] = {}
    for start in by_id:
        path: dict[str, None] = {}
        up = start
        while up in by_id and up not in ends and up not in path:
            path[up] = None
            up = by_id[up].mail.in_reply_to or ""
        end = ends.get(up, up in target and up not in path)
        ends.update(dict.fromkeys(path, end))
    return ends


def _given(replies: list[Reply], target: frozenset[str], known: frozenset[str]) -> tuple[list[Trailer], list[Trailer]]:
    """The trailers the replies that b4 finds below the message ``target`` (its Message-IDs: the one read and
    those of its other postings, Patch.reposted, whose replies b4 finds by git patch-id on lore) give it, in b4's
    order, and those b4 leaves out as naming someone other than their reply's sender. A reply goes up by its
    In-Reply-To (or, with none, by the first message of References the thread has: ``known``), then each reply's
    In-Reply-To; one that does not reach ``target`` (a parent the input lacks) gives nothing. As b4 walks up from a
    reply with trailers, the trailers of every reply on the way are added after its own, all of them (b4
    LoreMailbox.get_series); a reply's already added once are added no more (they would be dropped as
    duplicates), so a long chain is walked once."""
    by_id = {r.mail.msgid: r for r in replies}
    carried: set[str] = set()
    given: list[Trailer] = []
    mismatched: list[Trailer] = []
    for reply, first in _giving(replies, by_id, target, known):
        for t in reply.trailers:
            (given if attributable(t, reply) else mismatched).append(t)
        up = first
        while up in by_id and up not in carried:
            carried.add(up)
            given.extend(by_id[up].trailers)
            up = by_id[up].mail.in_reply_to or ""
    return given, mismatched


def _giving(replies: list[Reply], by_id: dict[str, Reply], target: frozenset[str], known: frozenset[str]
            ) -> list[tuple[Reply, str]]:
    """Each of ``replies`` with trailers that b4 finds below ``target`` (_given), with the message it answers: its
    In-Reply-To, else the first message of References the thread has (``known``)."""
    reaches = _reaches(by_id, target)
    out: list[tuple[Reply, str]] = []
    for reply in replies:
        first = reply.mail.in_reply_to or next(
            (r for r in reply.mail.references if r in known and r != reply.mail.msgid), "")
        if reply.trailers and first != reply.mail.msgid and (first in target or reaches.get(first, False)):
            out.append((reply, first))
    return out


def _donors(others: tuple[Revision, ...]) -> dict[str, list[tuple[int, Patch]]]:
    """The patches of ``others`` that a reply with trailers is below, with their revision, by ``git patch-id
    --stable`` (only theirs is worked out: the replies give what _carried carries)."""
    out: dict[str, list[tuple[int, Patch]]] = {}
    for rev in others:
        for q in rev.patches:
            if any(r.trailers for r in q.replies) and q.patch_id is not None:
                out.setdefault(q.patch_id, []).append((rev.version, q))
    return out


def _carried(version: int, donors: list[tuple[int, Patch]]) -> tuple[list[Trailer], list[Trailer]]:
    """The trailers b4 0.16 carries to a patch of revision ``version`` from the replies to a patch of another
    revision that is its change (``donors``, _donors' of its ``git patch-id --stable``; b4/__init__.py's trailer_map,
    ``if pmsg.revision != revision``): each such reply's own, in input order, and those naming someone other than its
    sender. Those are the replies b4 finds below a patch read of another revision than ``version``, and those placed
    below one of any revision as answering a patch mail not read of another revision than ``version``
    (Reply.answers_unread, harness.replythread: b4 finds them below that mail)."""
    found: list[Reply] = []
    for at, q in donors:
        known = frozenset({*_ids(q), *(r.mail.msgid for r in q.replies)})
        by_id = {r.mail.msgid: r for r in q.replies}
        if at != version:
            found += [r for r, _ in _giving(list(q.replies), by_id, _ids(q), known)]
        for unread in {r.answers_unread for r in q.replies if r.answers_unread and not r.answers_unread.by_diff}:
            if unread.version != version:
                found += [r for r, _ in _giving(list(q.replies), by_id, frozenset({unread.msgid}),
                                                known | {unread.msgid}) if r.answers_unread == unread]
    given: list[Trailer] = []
    mismatched: list[Trailer] = []
    for reply in _in_order(found):
        for t in reply.trailers:
            (given if attributable(t, reply) else mismatched).append(t)
    return given, mismatched


def _in_order(replies: list[Reply]) -> list[Reply]:
    """Replies in input order (where each was read), as b4 goes through a thread's follow-ups."""
    return sorted(replies, key=lambda r: (r.mail.where.path, r.mail.where.line))


def _ids(patch: Patch) -> frozenset[str]:
    return frozenset({patch.mail.msgid, *patch.reposted})


def collected(revision: Revision, others: tuple[Revision, ...] = ()) -> dict[str, Collected]:
    """What ``b4 am`` adds to each present patch of ``revision``, by the patch's Message-ID: the trailers given
    below it, then those b4 carries to it from the same change of ``others`` (the series' revisions: _carried), then
    those given below the cover letter, each once, less those the patch already carries (b4
    LoreMessage.fix_trailers). A reply with no parent in the input gives nothing; one with References and no
    In-Reply-To goes to the first message of References the revision has (the cover letter: every patch), as
    in b4."""
    everyone = _in_order([r for p in (revision.cover, *revision.patches) if p is not None for r in p.replies])
    known = frozenset({m for p in (revision.cover, *revision.patches) if p is not None for m in _ids(p)}
                      | {r.mail.msgid for r in everyone})
    cover: tuple[list[Trailer], list[Trailer]] = ([], [])
    if revision.cover is not None:
        cover = _given(everyone, _ids(revision.cover), known)
    out: dict[str, Collected] = {}
    donors = _donors(others)
    for patch in revision.patches:
        given, mismatched = _given(_in_order(list(patch.replies)), _ids(patch), known)
        carried, odd_carried = _carried(revision.version, donors.get(patch.patch_id or "", [])) if donors else ([], [])
        seen = _Seen(patch.trailers)
        applied: list[Trailer] = []
        for t in [*given, *carried, *cover[0]]:
            if t not in seen:
                seen.add(t)
                applied.append(t)
        odd = _Seen()
        left: list[Trailer] = []
        for t in [*mismatched, *odd_carried, *cover[1]]:
            if t not in seen and t not in odd:
                odd.add(t)
                left.append(t)
        out[patch.mail.msgid] = Collected(tuple(applied), tuple(left))
    return out


def collect(patch: Patch, revision: Revision, others: tuple[Revision, ...] = ()) -> Collected:
    """What ``b4 am`` adds to ``patch`` of ``revision`` (``collected``)."""
    return collected(revision, others)[patch.mail.msgid]

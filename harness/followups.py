"""Follow-up trailers: what a review reply gives a patch, and what each patch collects, as ``b4 am`` reads them."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from email.utils import parseaddr

from harness.errors import Where
from harness.model import Patch, Reply, Revision, Trailer

# b4's LoreMessage.find_trailers(followup=True) and LoreMessage.__init__ (b4 0.16, b4/__init__.py).
_IGNORED = frozenset({"phone", "mail", "email", "e-mail", "prerequisite-message-id"})
_LINKS = frozenset({"link", "buglink", "closes"})
_NONPERSON = _LINKS | {"fixes", "subject", "date", "obsoleted-by", "change-id", "base-commit"}
# Commit or mail metadata, never a trailer a reply gives (b4's "badtrailers"): a reply's "Cc: x" is no trailer.
_METADATA = frozenset({"from", "author", "cc", "to", "date", "subject", "subscribe", "unsubscribe", "base-commit",
                       "change-id", "message-id"})
_UTILITY = frozenset({"fixes", "link", "buglink", "closes", "obsoleted-by", "message-id", "change-id",
                      "base-commit", "based-on"})
_LINE = re.compile(r"^\s*(\w\S+):\s+(\S.*)", re.I)
_URL = re.compile(r"https?://")
_HASH = re.compile(r"^[0-9a-f]{6,}")
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
    name = re.sub(r"\n?\s+", " ", name).strip()
    return (addr if not name or name == addr else f"{name} <{addr}>"), (name, addr)


def reply_trailers(numbered: list[tuple[int, str]], where: Where) -> tuple[Trailer, ...]:
    """The trailers a reply gives, from its own lines (quotes, a proposal's commit and the signature already
    left out), as b4 finds follow-up trailers: ``Token: value`` at a line's start (blanks before it allowed,
    any case: ``reviewed-by``, ``Tested-By`` are kept as typed), an ASCII token, a value naming a person by
    address unless the token is a link or ``Fixes`` (whose value starts with a hash); a URL only in a link;
    mail metadata (``Cc``, ``To``, ``From``, ...) never; a trailing ``# comment`` kept; a trailer wrapped over
    two lines joined. Each trailer's ``where`` is its line in the reply.
    """
    found: list[Trailer] = []
    for number, line in _unwrapped(numbered):
        m = _LINE.search(line.rstrip("\r"))
        if m is None:
            continue
        key, value = m.group(1), m.group(2)
        lkey = key.lower()
        if (lkey in _IGNORED or lkey in _METADATA or not lkey.isascii()
                or (not _person(value) and lkey not in _NONPERSON)
                or (_URL.search(value) and lkey not in _LINKS) or (lkey == "fixes" and not _HASH.search(value))):
            continue
        value, extinfo = _extinfo(value)
        value = _value(key, value)[0]
        found.append(Trailer(key, value + extinfo, Where(where.path, number, where.msgid)))
    return tuple(found)


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
    """Whether ``b4 am`` applies a reply's trailer without ``-S``: one naming no person, or the reply's sender
    (by address, or by name; a From name with a comma, "Hansen, Dave", matches any) (b4 get_trailers)."""
    who = _value(trailer.key, _extinfo(trailer.value)[0])[1]
    if who is None:
        return True
    if _email_eq(who[1], reply.mail.author_email or ""):
        return True
    sender = (reply.mail.author or "").lower()
    return who[0].lower() == sender or "," in sender[1:]


@dataclass(frozen=True)
class Collected:
    """A patch's follow-up trailers: ``applied`` as ``b4 am`` adds them below its own (each once, those of
    replies to the cover letter on every patch, after the patch's own replies'), and ``mismatched``: trailers
    naming someone other than the reply's sender, which b4 leaves out unless ``-S``."""

    applied: tuple[Trailer, ...]
    mismatched: tuple[Trailer, ...]


def _same(a: Trailer, b: Trailer) -> bool:
    """b4 LoreTrailer.__eq__: the same token and value (a ``# comment`` aside), case aside; links by the
    Message-ID in their URL."""
    if a.key.lower() != b.key.lower():
        return False
    va, vb = (_extinfo(t.value)[0].lower() for t in (a, b))
    if va == vb:
        return True
    if a.key.lower() != "link":
        return False
    ids = [re.search(r"^https?://[^@]+/([^/]+@[^/]+)", urllib.parse.unquote(t.value), re.I) for t in (a, b)]
    return all(ids) and ids[0].group(1).lower() == ids[1].group(1).lower()  # type: ignore[union-attr]


def _given(replies: tuple[Reply, ...]) -> tuple[list[Trailer], list[Trailer]]:
    """The trailers the replies below one message give it, in b4's order, and those b4 leaves out as naming
    someone other than their reply's sender. As b4 walks up from a reply with trailers to the patch, the
    trailers of every reply on the way are added after its own, all of them (b4 LoreMailbox.get_series)."""
    by_id = {r.mail.msgid: r for r in replies}
    given: list[Trailer] = []
    mismatched: list[Trailer] = []
    for reply in replies:
        if not reply.trailers:
            continue
        for t in reply.trailers:
            (given if attributable(t, reply) else mismatched).append(t)
        seen = {reply.mail.msgid}
        up = by_id.get(reply.parent or "")
        while up is not None and up.mail.msgid not in seen:
            seen.add(up.mail.msgid)
            given.extend(up.trailers)
            up = by_id.get(up.parent or "")
    return given, mismatched


def collect(patch: Patch, cover: Patch | None) -> Collected:
    """What ``b4 am`` adds to ``patch``: the trailers given below it, then those given below the cover letter,
    each once, less those the patch already carries (b4 LoreMessage.fix_trailers)."""
    given, mismatched = _given(patch.replies)
    if cover is not None:
        more, odd = _given(cover.replies)
        given, mismatched = given + more, mismatched + odd
    applied: list[Trailer] = []
    for t in given:
        if not any(_same(t, o) for o in (*patch.trailers, *applied)):
            applied.append(t)
    left: list[Trailer] = []
    for t in mismatched:
        if not any(_same(t, o) for o in (*applied, *left)):
            left.append(t)
    return Collected(tuple(applied), tuple(left))


def collected(revision: Revision) -> dict[str, Collected]:
    """Each present patch's Collected, by the patch's Message-ID."""
    return {p.mail.msgid: collect(p, revision.cover) for p in revision.patches}

"""A reply's unquoted lines restating the commit it answers (a tree bot's "merged into" notice) are that commit's."""

from __future__ import annotations

from dataclasses import replace

from harness.droprequest import drop_sentence
from harness.model import Patch, Reply
from harness.nakwords import nak_sentence

# Lines of the commit a reply must restate, whole, for them to be read as a restatement: a bot's notice restates the
# title and the message; a reviewer writing the patch's title alone, unquoted, is left to say it (a request read so).
_RESTATED = 2
_WORDS = 3  # words a line needs to be matched (a "Thanks," or a blank line of the commit is anyone's)


def without_restated(r: Reply, heads: dict[str, Patch]) -> Reply:
    """The reply less its own lines that are, whitespace aside, whole lines of the commit it answers (its title, a
    line of its message), when two or more are: they are the patch author's words the reply copies (tip-bot2's
    notice of the commit applied: its header block, then the commit's title, message and trailers, unquoted), not
    a change the reply asks of it. Where the reply answers no patch the input holds, it is read as before."""
    parent = r.mail.in_reply_to or ""
    head = heads.get(parent) or next((h for h in heads.values() if parent in h.reposted), None)
    if head is None or head.number == 0 or not r.own_text:
        return r
    held = {_flat(t) for t in (head.mail.subject.title, *head.message.splitlines()) if len(t.split()) >= _WORDS}
    lines = r.own_text.split("\n")
    copied = [t for t in lines if _flat(t) in held]
    if len(copied) < _RESTATED:
        return r
    own = "\n".join(t for t in lines if _flat(t) not in held).strip("\n")
    # The verdicts the words left say: a NAK or a drop in the commit's own message is no verdict of the reply.
    verdicts = [v for v in r.verdicts if v not in ("NAK", "drop-patch") or _still(v, own, r)]
    return replace(r, own_text=own, verdicts=tuple(verdicts))


def _flat(line: str) -> str:
    return " ".join(line.split())


def _still(verdict: str, own: str, r: Reply) -> bool:
    """Whether the reply's own words left still give ``verdict`` (a NAK, a request to drop)."""
    if verdict == "NAK":
        return nak_sentence(own) is not None or any(t.key.lower().startswith("nack") for t in r.trailers)
    return bool(r.drop_said) or drop_sentence(own) is not None

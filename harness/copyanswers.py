"""Answers written inline in an unquoted copy of the message a reply answers, found by what the original lacks."""

from __future__ import annotations

from dataclasses import replace

from harness.attribution import top_posted
from harness.droprequest import drop_sentence
from harness.model import Patch, Quote, Reply
from harness.nakwords import nak_sentence, withdraws_nak
from harness.tagwithdrawal import tag_withdrawn
from models.lazyre import lazy

# A mark an inline answer opens with, taken off so its words read as a sentence: an arrow ("-->", "==>", ">>>"),
# stars, or initials or a name as a label ("RR:", "<RR>", "(RR)", "RR>"), in any order ("-->>> RR: ..."). A
# "[RR]" mark is harness.supercite's (the sender's own initials), read before this.
_MARK = lazy(r"^\s*(?:(?:[-=]+>+|>{2,}|\*{2,}|#{2,})\s*)*(?:(?:[\[<(]\s*[A-Za-z][\w.-]{0,15}\s*[\])>]|[A-Z]{2,4}"
             r"(?:>|:(?=\s)))\s*:?\s*)?(?:(?:[-=]+>+|\*{2,})\s*)*")
_TAIL_MARK = lazy(r"\s*(?:\*{2,}|<+[-=]+|#{2,})\s*$")
_HELD = 3  # copied lines the original must hold for the quote to be a copy of it


def with_copy_answers(r: Reply, heads: dict[str, Patch]) -> Reply:
    """The reply with the lines it wrote inside its unquoted copy of the patch or cover letter it answers (an Outlook
    ``-----Original Message-----`` block, the mail's last quote) read as its own words: each line of the copy that
    the original mail lacks (whitespace aside: a mailer may wrap or indent anew), whatever mark it has ("RR: Cap the
    retries at 8.", "--> ...", or none; each was read as the patch author's, the gate passing). Where the input lacks
    the message answered, or it is a reply, the copy is read as before: only lines marked with the sender's initials
    in brackets are theirs (harness.supercite)."""
    head = heads.get(r.mail.in_reply_to or "")
    if head is None or not r.quotes or (q := r.quotes[-1]).depth != 1 or not _is_copy(q):
        return r
    flat = f" {' '.join((head.above_diff + head.diff).split())} "
    start = next((k for k, t in enumerate(q.lines) if not t.strip()), len(q.lines))  # below the header block
    body = [t for t in q.lines[start:] if t.strip()]
    held = [f" {' '.join(t.split())} " in flat for t in body]
    if sum(held) < _HELD:
        return r  # no copy of the message it answers
    own = [said for t, h in zip(body, held, strict=True) if not h and (said := _unmarked(t))]
    if not own:
        return r
    text = "\n\n".join([r.own_text, *own]).strip("\n")
    found = [*(["NAK"] if nak_sentence(text) is not None else []),
             *(["drop-patch"] if drop_sentence(text) is not None else []),
             *(["NAK-withdrawn"] if withdraws_nak(text) else []),
             *([f"{tag[1] or 'tag'}-withdrawn"] if (tag := tag_withdrawn(text)) is not None else [])]
    return replace(r, own_text=text, verdicts=tuple(dict.fromkeys([*r.verdicts, *found])))


def _is_copy(q: Quote) -> bool:
    """Whether the quote opens with a copy's separator or header block (harness.attribution.top_posted)."""
    found = top_posted(list(enumerate(q.lines[:8])))
    return found is not None and found[0] <= 1 and found[2] is None


def _unmarked(line: str) -> str:
    """An inline answer's words, its marks taken off ("" when none are left)."""
    said = _TAIL_MARK().sub("", _MARK().sub("", line, count=1))
    return said.strip() if any(c.isalpha() for c in said) else ""

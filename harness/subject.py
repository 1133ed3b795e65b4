"""Subject-line parsing: ``Re: [RFC PATCH v3 06/26] title`` into a Subject."""

from __future__ import annotations

import functools
import re

from harness.mimedecode import fold_space, git_strip
from harness.model import Subject

# Reply prefixes: Re/Aw/Fwd/Sv with a counter ("Re[2]:"), and, as b4 (LoreSubject) reads them, any word of two or
# three letters and a colon before a bracketed patch tag: other clients' translations ("VS:", "Odp:", "RIF:",
# "答复:", a full-width colon too). A subject line's own words ("mm: [trivial] fix") and "RFC:" are no prefix.
_CLASSIC = r"(?:re|aw|fwd?|sv)(?: ?\[\d+\])? ?[:\uff1a]"
_ANY = r"(?!rfc\b)[^\W\d_]{2,3}(?: ?\[\d+\])? ?[:\uff1a]"  # "Odp:", "VS:", "答复：", and the classic ones
# A run of prefixes looks once for the patch tag after it (a look-ahead after each prefix made a subject of
# thousands of them quadratic), and each prefix reads one way only (two ways to read "Re:" or "Re :" made a
# failing match exponential).
_REPLY = re.compile(rf" ?(?:(?:{_ANY} ?)+(?=\[[^\]]*\b(?:patch|rfc))|(?:{_CLASSIC} ?)+)", re.IGNORECASE)
# After the tags git mailinfo (cleanup_subject) drops "re:" alone, in any case, and only with more text after it: a
# patch's "[PATCH] AW: x", "Fwd:", "Re :" or "Re[2]:" keeps that word in its commit title, and what follows it.
_GIT_RE = re.compile(r"[rR][eE]:(?=.)", re.S)
_BRACKET = re.compile(r"\[([^\]]*)\]")
_BLANKS = re.compile(r"[ :]+")
# A number of more than 4,300 digits is none (int() refuses it, CVE-2020-10735): that tag is a word.
_NUMBER = re.compile(r"^(\d{1,4300})/(\d{1,4300})$")
# b4 (LoreSubject) reads ``v3`` and ``PATCHv3``; git format-patch -v also writes point revisions
# (``v2.1``, any reroll count since git 2.32) and hand-made prefixes join with a dash (``PATCH-v3``).
_VERSION = re.compile(r"^(?:(?:patch|rfc)[-_]?)?v(\d{1,4300})((?:\.\d{1,4300})*)$", re.IGNORECASE)
# Words after N/M that make a mail an addendum to patch N rather than patch N.
ADDENDUM = frozenset({"fixup", "squash", "incremental", "followup", "follow-up", "delta"})


def _strip_tags(text: str) -> tuple[bool, bool, list[str], str]:
    """Whether a subject says "Re:" before its tags, whether only after them, its ``[...]`` tags split at
    blanks and commas, and the text after them (blanks and colons between them dropped, as git mailinfo's
    cleanup_subject does)."""
    is_reply = late = False
    tags: list[str] = []
    # Read from a position, never by cutting the text: a cut copies the rest, and a subject of 100,000 tags
    # (a 32 MiB message may hold one) took minutes. The patterns match at the position (no "^").
    at = 0
    while True:
        if (m := _BLANKS.match(text, at)) is not None:
            at = m.end()
        elif tags and (m := _GIT_RE.match(text, at)) is not None:
            # "Re:" after the tags ("[PATCH v4 1/5] Re: title", a patch answering a bug report) is no reply to
            # b4 (LoreSubject looks at the start only); git mailinfo drops it from the title either way.
            late, at = True, m.end()
        elif (prefix := _REPLY.match(text, at)) is not None:
            if tags:  # another prefix after the tags: git's title starts at it, and no tag after it counts
                return is_reply, not is_reply, tags, text[at:]
            is_reply, at = True, prefix.end()
        elif (m := _BRACKET.match(text, at)) is not None:
            # b4 drops a "," or ";" at either end of a tag ("[PATCH v4; 3/5]"); git format-patch writes neither.
            tags.extend(t for t in (t.strip(";") for t in re.split(r"[\s,]+", m.group(1))) if t)
            at = m.end()
        else:
            return is_reply, late and not is_reply, tags, text[at:]


def addendum(subject: Subject) -> bool:
    """Whether ``subject`` makes its mail an addendum to patch N (``[PATCH v3 06/26 fixup]``, ``Re:`` of it too)."""
    return subject.number is not None and any(t.lower().rstrip("!") in ADDENDUM for t in subject.tags)


def says_version(subject: Subject) -> bool:
    """Whether a tag names the revision (``v4``, ``PATCHv4``); without one it is v1 by default, as b4 infers it."""
    return any(_VERSION.match(t) for t in subject.tags)


# Each message's subject is asked of by every reader of the thread (ingest's threading and links, its mail, lone
# addenda, reposts): some 5 times a message, each a walk of its tags. A Subject is a frozen record, shared alike.
@functools.lru_cache(maxsize=4096)
def parse_subject(raw: str) -> Subject:
    """Split a subject into its tags and title; no version tag means v1.

    ``v2.1`` is revision 2 with point ``(1,)``: an update of v2 (kernel practice), never v1.
    For a subject that is not a reply the title is the commit subject git mailinfo makes of it
    (mailinfo.c cleanup_space, cleanup_subject): leading ``[...]`` groups, blanks and colons dropped,
    blanks folded, where a blank is git's isspace (ASCII only: U+00A0 and U+2028 stay as they are).
    """
    is_reply, reply_after_tags, tags, text = _strip_tags(git_strip(fold_space(raw)))
    version, number, total = 1, None, None
    point: tuple[int, ...] = ()
    rfc = resend = is_patch = False
    for tag in tags:
        low = tag.lower()
        if (nm := _NUMBER.match(tag)) is not None:
            number, total = int(nm.group(1)), int(nm.group(2))
        elif (vm := _VERSION.match(tag)) is not None:
            version = int(vm.group(1))
            point = tuple(int(d) for d in vm.group(2).split(".")[1:])
            is_patch = is_patch or low.startswith("patch")
            rfc = rfc or low.startswith("rfc")
        elif low == "rfc":
            rfc = True
        elif low == "resend":
            resend = True
        elif low == "patch":
            is_patch = True
        elif low.rstrip("!") in ADDENDUM and number is not None:
            # "[PATCH v3 06/26 fixup]": a change to patch 06 sent on its own, not patch 06 itself; read as
            # a reply to it (its diff a proposal), so that it never takes the patch's place in the series.
            is_reply = True
    # "[PATCH 6/5]" (a patch added to a series of 5 after it was sent) is patch 6, as b4 reads it (LoreSubject;
    # LoreSeries.add_patch makes room for it); a count of 0 numbers nothing.
    if number is not None and total == 0:
        number = total = None
    return Subject(
        raw=raw,
        title=git_strip(text),
        tags=tuple(tags),
        version=version,
        number=number,
        total=total,
        rfc=rfc,
        resend=resend,
        is_reply=is_reply,
        reply_after_tags=reply_after_tags and not is_reply,
        is_patch=is_patch or rfc,
        point=point,
    )

"""The series object model: Series -> Revision -> Slot/Patch -> PatchedFile -> Hunk (harness.diffmodel), plus Reply."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import field
from enum import Enum
from functools import cached_property
from itertools import pairwise

from harness.diffmodel import Hunk, PatchedFile
from harness.errors import Where
from harness.threadcache import ThreadCopy
from harness.unreadref import Unread
from models.record import record


@record
class Subject:
    """What a subject line's bracketed tags say, e.g. ``[RFC PATCH v3 06/26]``."""

    raw: str
    title: str
    tags: tuple[str, ...]
    version: int
    number: int | None
    total: int | None
    rfc: bool
    resend: bool
    is_reply: bool
    is_patch: bool
    # The ``.1`` of ``v2.1`` (git format-patch -v2.1): a point update of revision ``version``, never v1.
    point: tuple[int, ...] = ()
    # "Re:" only after the tags ("[PATCH] Re: title"): a patch when a diff follows (b4 and git am take it so),
    # else a hand-written reply.
    reply_after_tags: bool = False


@record
class Trailer:
    """A ``Key: value`` trailer line (Signed-off-by, Reviewed-by, ...)."""

    key: str
    value: str
    where: Where


@record
class ChangelogBlock:
    """A ``v3:`` block of the notes below ``---``; ``version`` is None for free notes."""

    version: int | None
    lines: tuple[str, ...]


@record
class Quote:
    """A run of quoted lines at one ``>`` depth, with who is quoted when an attribution says."""

    depth: int
    who: str | None
    lines: tuple[str, ...]
    where: Where


class ProposalKind(Enum):
    """How a reviewer's code came: a full diff, a bare hunk, or a plain snippet."""

    DIFF = "diff"
    HUNK = "hunk"
    SNIPPET = "snippet"


@record
class Proposal:
    """Code a reviewer wrote in a reply (not quoted from someone else)."""

    kind: ProposalKind
    text: str
    msgid: str
    author: str
    where: Where
    files: tuple[PatchedFile, ...] = ()
    hunks: tuple[Hunk, ...] = ()


@record
class Mail:
    """The header facts every message of a thread has."""

    msgid: str
    subject: Subject
    author: str
    author_email: str
    date: str
    in_reply_to: str | None
    references: tuple[str, ...]
    where: Where
    msgid_given: bool = True  # False: the mail has no Message-ID, and ``msgid`` is one made from its bytes
    # The sender a mailing list that rewrote From: ("Mae via list <list@x>", DMARC) names as the original
    # (X-Original-From:, else Reply-To:): the list's word only, matched to no one (harness.takenback).
    original_from: str = ""
    # Where the subject was read: the header's Subject: line, or the in-body one git am takes for a patch; None
    # for a Mail made without a message (then ``where`` is said).
    subject_where: Where | None = None

    @property
    def own_address(self) -> str:
        """The sender's address, lower case, by which their later words (a withdrawal, a keep, a tag) are matched to
        their earlier ones: "" for a From: a mailing list rewrote ("X via list <list@x>"), whose address is the
        list's, shared by everyone it rewrites (two senders through it were one: one took back the other's NAK)."""
        return "" if LIST_REWRITTEN.search(self.author) else self.author_email.lower()


# A From: name a mailing list rewrote for DMARC ("Mae Maint via Tdx-list", Google Groups' "'Mae' via group").
LIST_REWRITTEN = re.compile(r"\s+via\s+\S", re.I)


@record
class UnsureCopy:
    """Unquoted lines below an attribution line: a copy of the message it names, or the reply's own words below an
    attribution whose quote was cut. A message of the input by the sender it names decides (harness.objections): a
    copy when one holds them. Without one, the attribution's shape does: a copy when it names an address or says
    "wrote" (``copy``). ``own_text`` and ``verdicts`` are those of the other reading than the reply's own fields."""

    lines: tuple[str, ...]
    own_text: str
    verdicts: tuple[str, ...]
    attribution: str
    copy: bool = False  # the reply as read takes the lines for a copy; the other reading, for its own words


@record
class Reply:
    """A review reply: own words separated from quotes, trailers, verdicts and proposals."""

    mail: Mail
    own_text: str
    quotes: tuple[Quote, ...]
    trailers: tuple[Trailer, ...]
    verdicts: tuple[str, ...]
    proposals: tuple[Proposal, ...]
    parent: str | None
    # Diffs written in the reply that cannot be read as git apply reads them (a mailer wrapped a line): not
    # proposals, each said with its place and why (Series.notes), never left out unsaid.
    unread: tuple[Skipped, ...] = ()
    # Text below an attribution line, a copy or not: harness.objections checks the message answered.
    unsure_copy: UnsureCopy | None = None
    # Why none of its words could be read (no text part: an encrypted reply, an image), "" when they were: a NAK in it
    # cannot be told from none (harness.objections blocks on it).
    unreadable: str = ""
    # Its sentence asking to drop what it does not name ("Please drop this.") where that is the patch, by the quote
    # it sits under (harness.unnameddrop), "" when none: a "drop-patch" verdict drop_sentence cannot cite.
    drop_said: str = ""
    # The quoted lines right above drop_said, None above every quote: whose words it answers (unnameddrop.of_patch).
    drop_under: tuple[str, ...] | None = None
    # own_text as its lines were read (the same string unless a later reading changed own_text) and where they are:
    # (index of a line of it, its input line) at the start of each run of consecutive input lines, so that a sentence
    # is cited at its own line (harness.sentenceline), one pair per passage, not one per line.
    own_read: str = ""
    own_at: tuple[tuple[int, int], ...] = ()
    # Its diffs of a patch file (``0003-x.patch``: the reviewer's new version of the patch, diffed against the mail's),
    # each with its note in ``unread``: harness.patchfilediff rebuilds the reviewer's patch once the reply is threaded.
    patch_diffs: tuple[tuple[Proposal, Skipped], ...] = ()
    # What reading it says besides (Series.notes): a trailer only its un-flowed text gives, which b4 am would not add.
    notes: tuple[Skipped, ...] = ()
    # The patch mail not read it answers where it is placed below a patch read all the same (a fixup below the read
    # patch of its number, a review below another revision's same change): harness.unreadref; None for every other.
    answers_unread: Unread | None = None


@record
class Patch:
    """A patch (or cover letter, number 0) of one revision, with the replies it received."""

    mail: Mail
    message: str
    trailers: tuple[Trailer, ...]
    changelog: tuple[ChangelogBlock, ...]
    diffstat: tuple[str, ...]
    files: tuple[PatchedFile, ...]
    base_commit: str | None
    replies: tuple[Reply, ...] = field(default=())
    # git format-patch --base's prerequisite-patch-id: lines, beside base-commit: (the cover letter's, else the
    # first patch's, at the end of its diff): patches the series needs on top of its base.
    prerequisites: tuple[str, ...] = ()
    # The Message-IDs of other mails read as this one (a resend, a later posting of its change: harness.postings):
    # replies to them are this patch's, the trailers they give too (harness.followups).
    reposted: tuple[str, ...] = ()
    # The diff as git am reads it from the mail (its lines, ends kept): what patch_id hashes. Not compared: the
    # files say what the patch changes.
    diff: str = field(default="", compare=False, repr=False)
    # The mail's body above the diff as git am reads it (commit message, '---', notes, diffstat), by which a reply's
    # diff of the patch file is rebuilt into the reviewer's patch (harness.patchfilediff). Not compared, as diff.
    above_diff: str = field(default="", compare=False, repr=False)

    @cached_property  # only the objections carried to a later revision ask (harness.objections): not every read
    def patch_id(self) -> str | None:
        """``git patch-id --stable`` of the diff (harness.patchid): which change it is; None without a diff."""
        from harness.patchid import patch_id

        return patch_id(self.diff.encode("utf-8", "surrogateescape")) if self.diff else None

    @cached_property
    def code_id(self) -> str | None:
        """The change as the compiler reads it, comments aside (harness.patchid.code_id); None without code."""
        from harness.patchid import code_id

        return code_id(self.diff.encode("utf-8", "surrogateescape")) if self.diff else None

    @property
    def number(self) -> int:
        return self.mail.subject.number or 0

    @property
    def label(self) -> str:
        s = self.mail.subject
        width = max(2, len(str(s.total or 0)))
        return f"{self.number:0{width}d}/{s.total or 1}"


@record
class Slot:
    """A patch position in a revision; ``patch`` is None for a patch that is not in the input.

    ``superseded`` holds the postings a point update replaced (``v2`` 3/7 when ``v2.1`` 3/7 came), oldest
    first: still part of the thread (their replies stay theirs), no longer the revision's patch.
    """

    number: int
    patch: Patch | None
    superseded: tuple[Patch, ...] = ()


@record
class Revision:
    """One posting of the series: cover letter and patch slots 1..total."""

    version: int
    rfc: bool
    total: int
    cover: Patch | None
    slots: tuple[Slot, ...]

    @property
    def name(self) -> str:
        return f"v{self.version}"

    @cached_property  # asked once per patch by some stages: worked out once (2,000 patches: 8 million steps)
    def patches(self) -> tuple[Patch, ...]:
        return tuple(s.patch for s in self.slots if s.patch is not None)

    def patch(self, number: int) -> Patch | None:
        if 0 < number <= len(self.slots) and self.slots[number - 1].number == number:
            return self.slots[number - 1].patch  # slots are numbered 1..total: asked once per patch, not a scan each
        for s in self.slots:
            if s.number == number:
                return s.patch
        return None

    @cached_property
    def _numbers(self) -> tuple[int, ...] | None:
        """The present patches' numbers when they ascend (as ingest makes them), for ``between``; else None."""
        numbers = tuple(p.number for p in self.patches)
        return numbers if all(a < b for a, b in pairwise(numbers)) else None

    def between(self, low: int, high: int) -> tuple[Patch, ...]:
        """The present patches numbered above ``low`` and up to ``high``, in order: a slice found by bisection, as
        stages ask it once per patch (earlier patches, the state before one; a scan each was n*n/2 steps)."""
        numbers = self._numbers
        if numbers is None:
            return tuple(p for p in self.patches if low < p.number <= high)
        return self.patches[bisect_right(numbers, low):bisect_right(numbers, high)]

    @cached_property  # asked once per patch (what a comparison lacks): worked out once
    def missing(self) -> tuple[int, ...]:
        """The numbers of the revision's patches the input does not hold (empty slots)."""
        return tuple(s.number for s in self.slots if s.patch is None)


def number_ranges(numbers: Iterable[int]) -> str:
    """Numbers as compact ranges: ``6, 8-26``."""
    out: list[str] = []
    for n in sorted(set(numbers)):
        if out and out[-1].rpartition("-")[2] == str(n - 1):
            out[-1] = f"{out[-1].partition('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


@record
class Skipped:
    """An input that was not read, and why (always one line)."""

    where: Where
    reason: str
    # A note on a reply's diff or hunks to a patch: (revision, patch number, sender's name, sender's address), by
    # which harness.replyvariants.unfit_reason finds why a reply variant's name is not made.
    of_reply: tuple[int, int, str, str] | None = None
    # A note on a patch git am stops at as sent ("cannot convert from us-ascii to UTF-8"): read as git am --no-utf8
    # reads it, but a gate judging a variant that applies it does not pass (harness.gate.GateResult.base_problems).
    stops_am: bool = False
    # A mail of postings tied (harness.postingwords.tied): the words naming each of them and where, the same on every
    # mail of the tie, by which the one line the gate stops on names each tie (harness.pipeline).
    tie: str | None = None
    # A reply's diff git apply refuses as it stands (a line a mailer wrapped): the change it proposes is not read
    # (harness.replyobjections says so of the reply, at this line, where its words ask nothing else).
    unread_diff: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", " ".join(self.reason.split()))


@record
class ProposalFit:
    """A reply's diff that git apply takes on the state after the patch it answers (``on_top``: the patch
    applied, then the diff), else on the state before it (in the patch's place): the makings of a reviewer
    variant (harness.replyvariants; harness.proposalfit finds them). ``index``: the diff's among the reply's
    proposals."""

    version: int
    number: int
    msgid: str
    index: int
    author: str
    on_top: bool
    where: Where
    email: str = ""  # the sender's address: its local part names the variant when the name gives no ASCII
    # Bare hunks (harness.hunkfit): each one's index among the reply's proposals and the file it fits; the
    # variant's diff is what they make together. Empty for a diff.
    hunks: tuple[tuple[int, str], ...] = ()
    # A counter-proposal built on the variant of the diff it answers: (Message-ID, index) of each diff applied
    # before it, in order (that variant's own ones first).
    under: tuple[tuple[str, int], ...] = ()


@record
class Series:
    """Everything read from the inputs: revisions v1..vN, unattached replies, skipped inputs, and the copy of
    each thread fetched from lore that the inputs rest on (harness.threadcache)."""

    title: str
    revisions: tuple[Revision, ...]
    orphans: tuple[Reply, ...]
    skipped: tuple[Skipped, ...]
    threads: tuple[ThreadCopy, ...] = ()
    notes: tuple[Skipped, ...] = ()  # inputs read otherwise than they stand, said and not refused
    # Replies' diffs that apply on the patch they answer, or in its place (harness.proposalfit): each a
    # reviewer variant (harness.replyvariants).
    proposal_fits: tuple[ProposalFit, ...] = ()

    def revision(self, version: int) -> Revision | None:
        for r in self.revisions:
            if r.version == version:
                return r
        return None

    def all_patches(self) -> tuple[Patch, ...]:
        return tuple(p for r in self.revisions for p in r.patches)

    def message_ids(self) -> list[str]:
        """Every Message-ID of the series: cover letters, patches, their replies, replies to nothing known."""
        out: list[str] = []
        for r in self.revisions:
            for p in ([r.cover] if r.cover else []) + list(r.patches):
                out += [p.mail.msgid, *(rep.mail.msgid for rep in p.replies)]
        return out + [o.mail.msgid for o in self.orphans]

    def find_message(self, msgid: str) -> Patch | Reply | None:
        """The cover letter, patch or reply with this Message-ID (the first in series order), else None."""
        return self._by_msgid.get(msgid)

    @cached_property
    def _by_msgid(self) -> dict[str, Patch | Reply]:
        # Asked once per patch of every variant of every comparison: a scan each time was quadratic at scale.
        out: dict[str, Patch | Reply] = {}
        for r in self.revisions:
            for p in ([r.cover] if r.cover else []) + list(r.patches):
                out.setdefault(p.mail.msgid, p)
                for rep in p.replies:
                    out.setdefault(rep.mail.msgid, rep)
        return out

"""The applied patches a reply's NAK or request to drop is of: named by number or title, carried on, or the series."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.droprequest import drop_sentence
from harness.heldback import held_this, needs_work_this, series_needs_work
from harness.model import Patch, Reply
from harness.nakrevisions import carried_drops, carried_patches
from harness.nakthreat import threatened_nak, threatened_numbers
from harness.nakwords import nak_sentences
from harness.replywords import NAMED_NUMBERS, listed_numbers
from harness.titlenames import as_numbers, drop_by_name, nak_of_series, named_numbers
from harness.unnameddrop import of_patch
from models.lazyre import lazy


def naked_patches(r: Reply, applied: Sequence[Patch], patches: tuple[Patch, ...], whole: bool
                  ) -> tuple[Patch, ...] | None:
    """The applied patches a reply's NAKs name by number ("NAK for patch 3", "Patch 3: NAK") or by the title of one
    of the revision's ``patches`` (titlenames), every one when ``whole`` (below a patch) and one names the series
    ("NAK to the whole series": v2:01 passed on it, below 02/3), and those it carries the NAK on to
    (nakrevisions.carried_patches: "NAK, and patch 2 too" below 3/3), () when they name only patches not applied;
    None when one of them names none (a NAK of the message it answers) and, below the cover letter, none is carried."""
    if whole and nak_of_series(r.own_text, nak_sentences):
        return tuple(applied)
    numbers, carried = named_numbers(r.own_text, patches, nak_sentences), carried_patches(r.own_text, patches)
    if numbers is None and not (whole and carried):
        return None
    # "NAK for patch 3, and 2 too", "NAK. Same for patch 2." below 3/3: 2 as well (v2:02 passed on it).
    return tuple(p for p in applied if p.number in (numbers or set()) | carried)


def drop_request(r: Reply, head: Patch, applied: Sequence[Patch], patches: tuple[Patch, ...]
                 ) -> tuple[tuple[Patch, ...], str] | None:
    """A reviewer's request in ``r`` to drop the patch it is below ((), its sentence), or patches of the revision by
    number or title ("Please drop patch 3.": that patch, and ``head`` when it is asked too; "drop the whole series":
    every one), those the variant applies only; None when it asks neither."""
    own, asked = "drop-patch" in r.verdicts, drop_by_name(r.own_text, patches)
    if own and drop_sentence(r.own_text) is None and not of_patch(r, head):
        own = False  # "Please drop this." below another reviewer's words answers them (unnameddrop.of_patch)
    if asked is None and own and head.number and (carried := carried_drops(r.own_text, patches)):
        asked = (tuple(carried), drop_sentence(r.own_text) or r.drop_said or "drop this patch")  # "... and 2 too"
    if asked is None and not own and head.number and (held := held_this(r.own_text) or (
            needs_work_this(r.own_text) if _answers(r, head) else None)) is not None:
        return (), held  # "Applied 1-2, this one needs more work." below 3/3, "This needs more work." (heldback)
    if asked is None and not own and head.number and (threat := threatened_nak(r.own_text)):
        # "If this isn't fixed I'll NAK it." (harness.nakthreat), below the patch or a reply in its thread: the NAK it
        # promises is of the patch, whoever it answers (said with a comma it blocked as a NAK there).
        return (), threat
    if asked is None and not own and (whole := series_needs_work(r.own_text) or (
            (needs_work_this(r.own_text) if _answers(r, head) else None) or threatened_nak(r.own_text)
            if not head.number else None)):
        # "This series needs more work." anywhere; below the cover letter, "This needs more work." answering it and
        # a NAK promised (harness.nakthreat): every patch of the revision, as "drop the whole series" is; a promise
        # naming patches ("Fix patch 2, or NAK."), those, unless it is of the series ("Unless patch 3 gets a bound,
        # we'll NACK the series.").
        listed = set() if whole != threatened_nak(r.own_text) or _SERIES_WORD().search(whole) else \
            {n for m in NAMED_NUMBERS().finditer(as_numbers(whole, patches))
             for n in listed_numbers(next(g for g in m.groups() if g))} | set(threatened_numbers(whole))
        kept_out = tuple(p for p in applied if not listed or p.number in listed)
        return (kept_out, whole) if kept_out else None
    if asked is None:
        return ((), drop_sentence(r.own_text) or r.drop_said or "drop this patch") if own else None
    numbers, said = asked
    named = tuple(p for p in applied if p.number in numbers or (own and p.mail.msgid == head.mail.msgid))
    return (named, said) if named else None


_SERIES_WORD = lazy(r"\b(?:series|patch\s*set|whole\s+thing|all\s+of\s+(?:it|them))\b", re.I)


def _answers(r: Reply, head: Patch) -> bool:
    """Whether ``r`` answers ``head`` itself: "This needs more work." below another reviewer's reply is of what they
    said, not of the patch."""
    return (r.mail.in_reply_to or (r.mail.references[-1] if r.mail.references else "")) == head.mail.msgid


def unplaced_drop(r: Reply, patches: tuple[Patch, ...]) -> str | None:
    """The sentence of ``r``, a reply placed below nothing or below a read patch for its diff alone
    (harness.unplaced), that asks to drop a patch or holds one back, by any form a reply below a patch is read by
    (drop_request): a request ("Please drop this patch.", by number or title too), a NAK promised, an unnamed "drop
    this", or a patch or the series said to need more work ("This needs more work.", "Not ready yet.", heldback).
    Which patch it is of cannot be told, nor whether "this" is a patch or another's words the input lacks, so it is
    every variant's. None when it holds none."""
    text = r.own_text
    return drop_sentence(text) or (drop_by_name(text, patches) or ((), None))[1] or threatened_nak(text) \
        or series_needs_work(text) or needs_work_this(text) or held_this(text) \
        or ((r.drop_said or None) if "drop-patch" in r.verdicts else None)

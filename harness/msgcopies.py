"""Copies of one Message-ID: the same mail read once, lists' differing copies as b4's listid-preference picks."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass

from harness.model import Skipped
from harness.sources import RawMessage

# b4's listid-preference (its default, liblore.utils.DEFAULT_LISTID_PREFERENCE): when lists deliver one message
# in copies that differ (a footer, a From: rewritten), the copy of the list that changes mail least is taken.
LISTID_PREFERENCE = ("*.feeds.kernel.org", "*.linux.dev", "*.kernel.org", "*")


def list_id(raw: RawMessage) -> str | None:
    """The List-Id header's id (between ``<`` and ``>``, RFC 2919), or None."""
    found = re.search(r"<([^<>\s]+)>", raw.header("List-Id"))
    return found.group(1) if found else None


def listid_rank(listid: str | None) -> int:
    """Where ``listid`` stands in LISTID_PREFERENCE (lower is preferred; none ranks as ``*``), as b4 ranks it
    (liblore.utils._listid_preference_index)."""
    return next((i for i, pattern in enumerate(LISTID_PREFERENCE) if listid and fnmatch.fnmatch(listid, pattern)),
                LISTID_PREFERENCE.index("*"))


@dataclass
class MessageCopies:
    """The copies of Message-IDs read so far: for each id, the index of the kept one in the output, where it
    was read and what git am would commit of it. ``damaged``: why git am commits no patch of a patch mail's copy (its
    diff corrupt or cut off, none at all), None when it commits one or the copy is no patch mail."""

    kept: dict[str, tuple[int, RawMessage, bytes]]
    skipped: list[Skipped]
    notes: list[Skipped]
    damaged: Callable[[RawMessage], str | None] = lambda raw: None

    def take(self, msgid: str, raw: RawMessage, same: bytes, index: int) -> int | None:
        """The output index ``raw`` goes to: ``index`` for a new id, the kept copy's to replace it, None to
        drop ``raw``. Copies that git am would commit alike are one message (b4 reads a thread saved twice
        once); copies that lists changed apiece (their List-Ids differ) keep the preferred list's, with a
        note; of two copies of a patch mail under one Subject, one that git am commits wins over one it commits not
        (a hunk cut short in the first: b4 0.16 keeps the first and writes it as it is, git am of the mailbox stops
        at it), with a note; another message under an id already read is skipped, the first kept, as b4 keeps it."""
        if msgid not in self.kept:
            self.kept[msgid] = (index, raw, same)
            return index
        at, first, first_same = self.kept[msgid]
        if first_same == same:
            return None
        lists = list_id(first), list_id(raw)
        if None in lists or lists[0] == lists[1]:
            if (sound := self._sound(msgid, first, raw)) is not None:
                if sound is raw:
                    self.kept[msgid] = (at, raw, same)
                    return at
                return None
            self.skipped.append(Skipped(raw.where, f"duplicate Message-ID <{msgid}>, another message than the "
                                                   f"one at {first.where}, which is read (as b4 keeps the first)"))
            return None
        better = listid_rank(lists[1]) < listid_rank(lists[0])
        kept, dropped = (raw, first) if better else (first, raw)
        self.notes.append(Skipped(dropped.where, f"<{msgid}> as list {list_id(dropped)} delivered it is not "
                                                 f"read: the copy of list {list_id(kept)} at {kept.where} is (b4's "
                                                 "listid-preference: *.feeds.kernel.org, *.linux.dev, *.kernel.org)"))
        if not better:
            return None
        self.kept[msgid] = (at, raw, same)
        return at

    def _sound(self, msgid: str, first: RawMessage, raw: RawMessage) -> RawMessage | None:
        """Of two differing copies of one patch mail (the same Subject), the one git am commits when the other it
        commits not (damaged), said in a note; None when both or neither is, or the Subjects differ."""
        if first.header("Subject") != raw.header("Subject"):
            return None
        why = self.damaged(first), self.damaged(raw)
        if (why[0] is None) == (why[1] is None):
            return None
        good, bad, because = (raw, first, why[0]) if why[0] is not None else (first, raw, why[1])
        self.notes.append(Skipped(bad.where, f"<{msgid}> here is not read: {because}; its copy at {good.where}, "
                                             "whose diff git apply reads, is (b4 0.16 keeps the first copy it meets, "
                                             "as it is; git am of the whole mailbox stops at the damaged one)"))
        return good

"""Copies of one Message-ID: the same mail read once, lists' differing copies as b4's listid-preference picks."""

from __future__ import annotations

import fnmatch
import re
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
    was read and what git am would commit of it."""

    kept: dict[str, tuple[int, RawMessage, bytes]]
    skipped: list[Skipped]
    notes: list[Skipped]

    def take(self, msgid: str, raw: RawMessage, same: bytes, index: int) -> int | None:
        """The output index ``raw`` goes to: ``index`` for a new id, the kept copy's to replace it, None to
        drop ``raw``. Copies that git am would commit alike are one message (b4 reads a thread saved twice
        once); copies that lists changed apiece (their List-Ids differ) keep the preferred list's, with a
        note; another message under an id already read is skipped, the first kept, as b4 keeps it."""
        if msgid not in self.kept:
            self.kept[msgid] = (index, raw, same)
            return index
        at, first, first_same = self.kept[msgid]
        if first_same == same:
            return None
        lists = list_id(first), list_id(raw)
        if None in lists or lists[0] == lists[1]:
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

"""A reply whose parent the input lacks hangs below the nearest message of its own revision.

A reply whose parent the input lacks hangs below the nearest message its References name of the revision its own
subject names: a NAK sent to '[PATCH v2 2/3]', with v1 alone given, named v1's cover letter (the thread's root,
which v2's cover answered) and read as a NAK of the whole of v1 ('NAK of v1 cover letter by ...'); it answers no
message of the input, and is said so (found by a new user gating v1 of a thread whose v2 drew a NAK)."""

from __future__ import annotations

from pathlib import Path

from harness.ingest import IngestRequest, parse_series
from harness.model import Series
from harness.unplaced import unplaced
from tests.mailgen import demo_series, message, write_mbox


def _series(tmp_path: Path, subject: str, refs: tuple[str, ...]) -> Series:
    """demo v1 (its cover <cover-v1@example.org>) and a NAK with ``subject`` answering a v2 2/3 not in the input."""
    v1 = demo_series(version=1)
    nak = message(subject, "nak@example.org", "> Change number 2.\n\nNAK, keep it in hex.\n",
                  sender="Mae Maint <mae@example.org>", parent="p2-v2@example.org", refs=refs)
    return parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*v1, nak]),)))


def _below(series: Series, msgid: str) -> list[str]:
    """The messages (cover letter or patch) the reply hangs below."""
    heads = [p for rev in series.revisions for p in ([rev.cover] if rev.cover else []) + list(rev.patches)]
    return [p.mail.msgid for p in heads if any(r.mail.msgid == msgid for r in p.replies)]


def test_a_reply_to_a_later_revision_hangs_below_no_earlier_message(tmp_path: Path) -> None:
    # Before: below <cover-v1@example.org>.
    series = _series(tmp_path, "Re: [PATCH v2 2/3] demo: print fn in decimal",
                     ("cover-v1@example.org", "cover-v2@example.org", "p2-v2@example.org"))
    assert _below(series, "nak@example.org") == []
    assert [r.mail.msgid for r in series.orphans] == ["nak@example.org"]
    (objection,) = unplaced(series, 1, frozenset())
    assert objection.target.startswith("v1 (placed below nothing: it answers <p2-v2@example.org>, not in the input)"), \
        objection


def test_a_reply_to_its_own_revision_still_hangs_below_the_nearest_reference(tmp_path: Path) -> None:
    # The same reply to a v1 mail not in the input: below the nearest message its References name, v1's cover letter,
    # where its subject names no patch the input holds by number and title ('[PATCH 2/3] something else').
    series = _series(tmp_path, "Re: [PATCH 2/3] demo: something else", ("cover-v1@example.org", "p9@example.org"))
    assert _below(series, "nak@example.org") == ["cover-v1@example.org"]


def test_a_reply_to_a_lost_copy_of_a_patch_read_hangs_below_that_patch(tmp_path: Path) -> None:
    # '[PATCH 2/3] demo: print fn in decimal', v1's 2/3 by number and title, its own mail lost: below that patch
    # (was: v1's cover letter, its NAK 'of the whole series'; harness.replythread._referenced).
    series = _series(tmp_path, "Re: [PATCH 2/3] demo: print fn in decimal", ("cover-v1@example.org", "p9@example.org"))
    assert _below(series, "nak@example.org") == ["p2-v1@example.org"]


def test_a_reply_whose_subject_names_no_revision_hangs_below_the_nearest_reference(tmp_path: Path) -> None:
    series = _series(tmp_path, "Re: hex or decimal", ("cover-v1@example.org", "p2-v2@example.org"))
    assert _below(series, "nak@example.org") == ["cover-v1@example.org"]

"""v4 of the corpus' v3 sent other ways (tests.harness.nextrev.sent): read as the same revision as sent plainly."""

from __future__ import annotations

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Revision, Series
from tests.harness import nextrev

pytestmark = pytest.mark.skipif(not nextrev.available(), reason="../shared/corpus (v3) is absent")
WAYS = ("plain", "attach", "in-reply-to", "resend", "folded", "base")


@pytest.fixture(scope="session")
def read(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Series]:
    """v3 with the v4 of cases c and d, sent each way: built once, each read as eval reads it."""
    tmp = tmp_path_factory.mktemp("nextrev-sent")
    (tmp / "work").mkdir()
    mails = nextrev.build(nextrev.plan("c", "d"), tmp / "work")
    out = {}
    for how in WAYS:
        folder = nextrev.write(tmp / how, nextrev.raw(mails) if how == "plain" else nextrev.sent(mails, how))
        out[how] = parse_series(IngestRequest((nextrev.V3, folder)))
    return out


def _v4(series: Series) -> Revision:
    (v4,) = [r for r in series.revisions if r.version == 4]
    return v4


def _patches(series: Series) -> list[tuple[int, str, list[tuple[str | None, str | None, str | None]]]]:
    return [(p.number, p.mail.subject.title, [(f.target_path, f.old_blob, f.new_blob) for f in p.files])
            for r in series.revisions for p in r.patches]


@pytest.mark.parametrize("how", WAYS[1:])
def test_v4_sent_another_way_is_the_same_revision(read: dict[str, Series], how: str) -> None:
    """Its patches, titles and blobs as sent plainly; v3 and v4 two revisions (an attachment's diff read as git am
    reads it, a thread under v3's cover letter no reply to it, RESEND no other version)."""
    assert [r.version for r in read[how].revisions] == [3, 4]
    assert _patches(read[how]) == _patches(read["plain"])
    assert _v4(read[how]).total == 24 and len(_v4(read[how]).patches) == 6


def test_a_folded_subject_is_one_title(read: dict[str, Series]) -> None:
    cover = _v4(read["folded"]).cover
    assert cover is not None and cover.mail.subject.title == nextrev.LONG_TITLE


def test_a_base_commit_line_is_the_cover_letters_base(read: dict[str, Series]) -> None:
    cover = _v4(read["base"]).cover
    assert cover is not None and cover.base_commit == nextrev.BASE_COMMIT
    assert _v4(read["plain"]).cover.base_commit is None  # type: ignore[union-attr]


def test_no_way_adds_a_reply(read: dict[str, Series]) -> None:
    """v4's cover letter sent --in-reply-to v3's is no reply to v3's cover letter (nor any other mail one)."""
    for how in WAYS:
        assert [len(p.replies) for r in read[how].revisions for p in (r.cover, *r.patches) if p] == \
            [len(p.replies) for r in read["plain"].revisions for p in (r.cover, *r.patches) if p], how

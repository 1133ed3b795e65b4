"""harness.titlenames: a reply's request to drop by number or title, read once per text and patches."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import harness.titlenames as titlenames
from harness.heldback import numbered_request
from harness.ingest import IngestRequest, parse_series
from harness.model import Patch
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.mailgen import write_mbox


def test_a_request_is_read_once_per_text_and_patches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A reply's objection asks drop_by_name again below each patch, for each variant applying them (the corpus' eval:
    # 38 asks of 5 texts and patches, each reading the text through every title and request pattern).
    series = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", preparing_series(
        PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)),)))
    patches = series.revisions[-1].patches
    monkeypatch.setattr(titlenames, "_READ", {}, raising=False)  # none kept from another test
    read: list[str] = []

    def counted(text: str, titles: tuple[str, ...] = ()) -> tuple[tuple[int, ...], str] | None:
        read.append(text)
        return numbered_request(text, titles)

    monkeypatch.setattr(titlenames, "numbered_request", counted)
    first = titlenames.drop_by_name("Please drop patch 2.", patches)
    assert first is not None and first[0] == (2,)
    assert titlenames.drop_by_name("Please drop patch 2.", list(patches)) == first  # the same patches, in a list
    assert len(read) == 1, read
    again = titlenames.drop_by_name("Please drop patch 3.", patches)  # another text: read
    assert again is not None and again[0] == (3,) and len(read) == 2


def test_a_text_is_read_as_numbers_once_per_text_and_patches(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Every title's pattern and every place word, for each asking (the corpus' eval: 22 asks of 6).
    series = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", preparing_series(
        PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)),)))
    patches = series.revisions[-1].patches
    monkeypatch.setattr(titlenames, "_READ", {}, raising=False)
    read: list[str] = []
    plain = titlenames.titles_as_numbers

    def counted(text: str, patches: Sequence[Patch]) -> str:
        read.append(text)
        return plain(text, patches)

    monkeypatch.setattr(titlenames, "titles_as_numbers", counted)
    said = "Please drop the last one."
    assert titlenames.as_numbers(said, patches) == titlenames.as_numbers(said, list(patches)) == "Please drop patch 3."
    assert read == [said]

"""harness.moves.rehomed: a patch that removes no definition reads none of the patches before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import moves
from harness.ingest import IngestRequest, parse_series
from harness.moves import earlier_in, rehomed
from harness.synthetic import series_mbox

N = 200


def test_a_patch_removing_nothing_reads_no_earlier_patch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mbox = tmp_path / "s.mbox"
    mbox.write_text(series_mbox(1, N))
    series = parse_series(IngestRequest((mbox,)))
    read = [0]
    plain = moves._definitions

    def counted(files):  # type: ignore[no-untyped-def]
        read[0] += 1
        return plain(files)

    monkeypatch.setattr(moves, "_definitions", counted)
    assert all(rehomed(p, earlier_in(series, p)) == {} for p in series.revisions[0].patches)
    assert read[0] <= 2 * N  # each patch's own definitions; reading every earlier one's is N * N / 2

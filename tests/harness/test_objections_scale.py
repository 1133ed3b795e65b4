"""harness.objections at scale: which heads are applied is told without comparing each with every applied patch."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Patch
from harness.objections import _found
from harness.synthetic import series_mbox

N = 200


def test_the_applied_heads_found_without_comparing_patches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mbox = tmp_path / "s.mbox"
    mbox.write_text(series_mbox(1, N))
    series = parse_series(IngestRequest((mbox,)))
    compared = [0]
    plain = Patch.__eq__

    def counted(a: Patch, b: object) -> bool:
        compared[0] += 1
        return plain(a, b)

    monkeypatch.setattr(Patch, "__eq__", counted)
    patches = list(series.revisions[0].patches)
    assert _found(series, 1, patches, frozenset()) == []
    assert _found(series, 1, patches[:N // 2], frozenset()) == []
    assert compared[0] <= 2 * N  # each head against the applied patches before it: N * N / 2 and more

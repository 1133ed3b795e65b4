"""harness.model.Revision.between and patch: the patches of a revision between two numbers, without a scan each."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest

from harness.compare import patches_between
from harness.ingest import IngestRequest, parse_series
from harness.model import Patch, Revision, Series
from harness.moves import earlier_in
from harness.patchplace import state_name
from harness.synthetic import series_mbox
from harness.variants import Variant

N = 300


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> Series:
    mbox = Path(tmp_path_factory.mktemp("between")) / "s.mbox"
    mbox.write_text(series_mbox(1, N))
    return parse_series(IngestRequest((mbox,)))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts every read of Patch.number: a scan of the revision for each patch reads it n*n/2 times."""
    count = [0]
    plain = Patch.number.fget
    assert plain is not None

    def counted(p: Patch) -> int:
        count[0] += 1
        return plain(p)

    monkeypatch.setattr(Patch, "number", property(counted))
    yield count


def _rev(series: Series) -> Revision:
    rev = series.revision(1)
    assert rev is not None and len(rev.patches) == N
    return rev


def test_between_is_the_scan(series: Series) -> None:
    rev = _rev(series)
    for low, high in ((0, N), (-1, 0), (5, 5), (7, 3), (10, 11), (N - 1, N + 9), (150, 299)):
        assert rev.between(low, high) == tuple(p for p in rev.patches if low < p.number <= high)
    gappy = replace(rev, slots=tuple(replace(s, patch=None) if s.number % 3 == 0 else s for s in rev.slots))
    for low, high in ((0, N), (2, 9), (3, 6), (0, 3)):
        assert gappy.between(low, high) == tuple(p for p in gappy.patches if low < p.number <= high)
    assert [gappy.patch(n) for n in (1, 3, 4, N, N + 1, 0)] == [rev.patches[0], None, rev.patches[3], None, None, None]


def test_out_of_order_numbers_are_scanned(series: Series) -> None:
    rev = _rev(series)
    swapped = replace(rev, slots=(rev.slots[1], rev.slots[0], *rev.slots[2:]))  # not as ingest makes them
    assert swapped.between(0, 1) == (rev.patches[0],)
    assert swapped.patch(1) is rev.patches[0] and swapped.patch(2) is rev.patches[1]


def test_each_patchs_earlier_patches_and_state_without_a_scan_each(series: Series, reads: list[int]) -> None:
    rev = _rev(series)
    earlier = [earlier_in(series, p) for p in rev.patches]
    names = [state_name(series, 1, p.number) for p in rev.patches]
    assert reads[0] < 20 * N  # a scan each: N * N reads
    assert earlier[0] == () and earlier[-1] == rev.patches[:-1]
    assert names[0] == "v1:000" and names[-1] == f"v1:{N - 1}"


def test_patches_between_two_states_without_a_scan_each(series: Series, reads: list[int]) -> None:
    rev = _rev(series)
    states = [Variant(f"v1:{k:03d}", "", (), (), (), (), "", revision=1, prefix=k) for k in range(N + 1)]
    spans = [patches_between(series, a, b) for a, b in pairwise(states)]
    assert reads[0] < 20 * N
    assert [s[0] for s in spans] == list(rev.patches) and all(len(s) == 1 for s in spans)
    assert patches_between(series, states[3], states[7]) == rev.patches[3:7]

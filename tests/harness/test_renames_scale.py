"""Rename splitting and pairing at scale: a patch's own work, not a read of every patch before.

harness.renames.split_renames and harness.renamepair.changes_between at scale: a patch's own work, not a read of
every patch before it (each is asked once per patch of a series: n*n/2 reads)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest

from harness import renamepair, renames
from harness.filestate import FileState, full_file
from harness.ingest import IngestRequest, parse_series
from harness.model import Series
from harness.moves import earlier_in
from harness.renamepair import changes_between
from harness.renames import rewritten_helpers, split_renames
from harness.runner import variant_sources
from harness.synthetic import series_mbox
from harness.variants import Variant
from models.loader import definitions

N = 200


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> Series:
    mbox = Path(tmp_path_factory.mktemp("renames")) / "s.mbox"
    mbox.write_text(series_mbox(1, N))
    return parse_series(IngestRequest((mbox,)))


def _counted(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    count, plain = [0], getattr(owner, name)

    def counted(*args: object) -> object:
        count[0] += 1
        return plain(*args)

    monkeypatch.setattr(owner, name, counted)
    return count


def _states(series: Series) -> list[Variant]:
    senders = [(p.mail.msgid, p.mail.author) for p in series.revisions[0].patches]
    return [Variant(f"v1:{k:03d}", "", (), (), (), tuple(senders[:k]), "", revision=1, prefix=k) for k in range(N + 1)]


def test_a_patch_removing_nothing_reads_no_earlier_patch(series: Series, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = _counted(monkeypatch, renames, "defined_in")
    states = _states(series)
    patches = series.revisions[0].patches
    assert all(split_renames(p, (states[k], states[k + 1]), earlier_in(series, p)) == ()
               for k, p in enumerate(patches))
    assert reads[0] <= 2 * N  # every earlier patch's definitions: N * N / 2


class _Result:
    """As much of a MatrixResult as changes_between asks when no state was run."""

    def __init__(self) -> None:
        self.memo: dict[object, object] = {}

    def variant(self, name: str) -> Variant:
        raise KeyError(name)


def test_the_patches_a_state_adds_to_the_one_before_are_looked_up_alone(
        series: Series, monkeypatch: pytest.MonkeyPatch) -> None:
    lookups = _counted(monkeypatch, Series, "find_message")
    applied = _counted(monkeypatch, renamepair, "_patch_change")
    states = _states(series)
    for a, b in pairwise(states):
        changes_between(_Result(), series, a, b)  # type: ignore[arg-type]
    assert applied[0] == N  # each patch once, in the pair of states around it
    assert lookups[0] <= 2 * N  # every message b applies: N * N / 2
    changes_between(_Result(), series, states[3], states[9])  # type: ignore[arg-type]
    assert applied[0] == N + 6
    changes_between(_Result(), series, states[9], states[3])  # type: ignore[arg-type]
    assert applied[0] == N + 6


class _Files(tuple[FileState, ...]):
    """A state's files, counting the reads of them all."""

    reads = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _Files.reads += 1
        return super().__iter__()


def test_rewritten_helpers_look_up_the_files_they_ask_of(series: Series) -> None:
    files = _Files(sorted([full_file("d/a.c", "int a(void)\n{\n\treturn 1;\n}\n", "written"),
                           *(full_file(f"n/{i}.txt", "n\n", "written") for i in range(N))], key=lambda f: f.path))
    later = full_file("d/a.c", "int a(void)\n{\n\tint x = f(1, 2, 3);\n\n\tx += g(4);\n\treturn x * 9;\n}\n", "written")
    states = (Variant("v1:01", "", files, (), (), (), ""),
              Variant("v1:02", "", _Files(sorted([later, *files[1:]], key=lambda f: f.path)), (), (), (), ""))
    tables = (definitions(variant_sources(states[0])), definitions(variant_sources(states[1])))
    _Files.reads = 0
    touched = series.revisions[0].patches[0].files
    for _ in range(N):
        assert rewritten_helpers(touched, states, tables) == []  # the patch touches no d/a.c
    assert _Files.reads <= 2  # each state's order checked once; read per patch: 2 * N
    changed = (*touched, replace(touched[0], source_path="d/a.c", target_path="d/a.c"))
    assert rewritten_helpers(changed, states, tables) == ["a"]
    states = (states[0], replace(states[1], files=(replace(later, complete=False), *states[1].files[1:])))
    assert rewritten_helpers(changed, states, tables) == []  # known in part: proves nothing


def test_missing_worked_out_once(series: Series) -> None:
    rev = series.revisions[0]
    gappy = replace(rev, slots=tuple(replace(s, patch=None) if s.number % 50 == 0 else s for s in rev.slots))
    assert gappy.missing == (50, 100, 150, 200) and gappy.missing is gappy.missing  # asked once per patch

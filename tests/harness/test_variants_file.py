"""harness.variants.Variant.file: a state's file by path, bisected when the files come in order of path; _snapshot."""

from __future__ import annotations

import random
import weakref
from pathlib import Path

import pytest

from harness import variants
from harness.filestate import FileState, full_file
from harness.ingest import IngestRequest, parse_series
from harness.synthetic import series_mbox
from harness.variants import Variant, _Chain, _snapshot

N = 1000


class _Named:
    """A file whose path reads are counted."""

    reads = 0

    def __init__(self, path: str) -> None:
        self._path = path

    @property
    def path(self) -> str:
        _Named.reads += 1
        return self._path


def _variant(files: tuple[object, ...]) -> Variant:
    return Variant("v1:01", "", files, (), (), (), "test")  # type: ignore[arg-type]


def test_sorted_files_are_bisected() -> None:
    files = tuple(_Named(f"d/{i:05d}.c") for i in range(N))
    v = _variant(files)
    v.file("d/00000.c")  # the order is checked once per variant
    _Named.reads = 0
    found = [v.file(f"d/{i:05d}.c") for i in range(0, N, 7)]
    assert found == list(files[::7])
    assert v.file("d/00000.h") is None and v.file("a") is None and v.file("z") is None
    assert _Named.reads <= 30 * (len(found) + 3)  # a scan each: N / 2 reads a path


def test_files_out_of_order_are_scanned() -> None:
    a, b, b2 = full_file("b.c", "x\n", "one"), full_file("a.c", "y\n", "two"), full_file("b.c", "z\n", "three")
    v = _variant((a, b, b2))
    assert v.file("a.c") is b and v.file("b.c") is a and v.file("c.c") is None
    s = _variant((b, a, b2))  # in order, a path twice: the first, as a scan finds it
    assert s.file("b.c") is a and s.file("a.c") is b


def _reference(chains: list[_Chain], n: int) -> list[dict[str, FileState]]:
    """_snapshot as it was: every chain looked at for every state."""
    states: list[dict[str, FileState]] = [{} for _ in range(n + 1)]
    for chain in chains:
        j = 0
        for k in range(n + 1):
            while j < len(chain.steps) and chain.steps[j][0] < k:
                j += 1
            version = chain.versions[j]
            if version is not None:
                states[k][version.path] = version
    return states


def test_snapshot_is_every_chain_at_every_state() -> None:
    rng = random.Random(7)
    paths = ["a.c", "b.h", "c.c"]
    for _ in range(300):
        n = rng.randint(0, 6)
        chains = []
        for _ in range(rng.randint(0, 4)):
            steps = sorted(rng.choices(range(n), k=rng.randint(0, n)) if n else [])
            versions = [None if rng.random() < 0.3 else full_file(rng.choice(paths), f"{rng.random()}\n", "x")
                        for _ in range(len(steps) + 1)]
            chains.append(_Chain(versions, [(k, None) for k in steps]))  # type: ignore[misc]
        got = _snapshot(chains, n)
        want = _reference(chains, n)
        assert [list(s.items()) for s in got] == [list(s.items()) for s in want]


class _State(dict[str, FileState]):
    """A state's files by path, whose copies alive are counted (weakly referred to)."""


def test_each_states_files_by_path_let_go_once_its_variant_holds_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mbox = tmp_path / "s.mbox"
    mbox.write_text(series_mbox(1, 60))
    rev = parse_series(IngestRequest((mbox,))).revisions[0]
    alive: list[weakref.ref[_State]] = []
    plain, whole = variants.with_local_headers, variants._whole
    at_end: list[int] = []

    def tracked(*args, **kwargs):  # type: ignore[no-untyped-def]
        state = _State(plain(*args, **kwargs))
        alive.append(weakref.ref(state))
        return state

    def ending(*args):  # type: ignore[no-untyped-def]
        at_end.append(sum(r() is not None for r in alive))
        return whole(*args)

    monkeypatch.setattr(variants, "with_local_headers", tracked)
    monkeypatch.setattr(variants, "_whole", ending)
    out = variants.revision_variants(rev, lambda _path: None, "mail", alias_base=False)
    assert at_end == [0]  # every state's: 61, n*n/2 entries for n patches
    assert [len(v.files) for v in out[:4]] == [0, 1, 2, 3] and len(out[-1].files) == 58

"""harness.coverage reads each variant's files once, however many names ask.

harness.coverage: why neither side of a comparison provides a name reads each variant's files once, however
many names and comparisons ask (every state read again per name was n*n steps for a series of n patches)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pytest

from harness import memo, runner
from harness.coverage import neither_reason
from harness.filestate import FileState, full_file
from harness.runner import _variant_sources
from harness.rununits import broken_entries
from harness.variants import Variant
from models.loader import EntryPoint

NAMES = ("fw_calls", "fw_cal", "tdx_enable", "b_retry", "b_retri", "seamcall_ret", "other", "x", "y", "z")


class _Files(tuple[FileState, ...]):
    """A variant's files, counting the reads of them all."""

    reads = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _Files.reads += 1
        return super().__iter__()


def _variant(k: int) -> Variant:
    files = [full_file(f"notes/{i}.txt", f"note {i}\n", "written") for i in range(k)]
    files.append(full_file("w/fw.c", "int fw_call(void)\n{\n\treturn 0;\n}\n", "written"))
    return Variant(f"v1:{k:02d}", "", _Files(sorted(files, key=lambda f: f.path)), (), (), (), "hunks only (no tree)",
                   revision=1, prefix=k)


def test_each_variant_read_a_bounded_number_of_times() -> None:
    states = [_variant(k) for k in range(20)]
    _Files.reads = 0
    reasons = [neither_reason(a, b, name) for a, b in pairwise(states) for name in NAMES]
    assert _Files.reads <= 6 * len(states)  # read again per name and pair: over 60 times each
    assert reasons[0] == ("neither v1:00 nor v1:01 defines fw_calls(): none of the files read has it (from mail: only "
                          "the files the patches change); every C file the patches change is known whole: the name is "
                          "not in this code (did you mean 'fw_call'?)")
    assert "did you mean" not in reasons[NAMES.index("tdx_enable")]


def test_the_c_files_picked_once_per_variant() -> None:
    v = _variant(50)
    assert [f.path for f in v.c_files] == ["w/fw.c"] and v.c_files is v.c_files
    # v.file()'s check that the files are sorted (for its bisect) is, like c_files, one walk kept for the variant's life
    assert v.file("w/fw.c") is v.c_files[0] and v.file("w/none.c") is None
    _Files.reads = 0
    for name in NAMES:
        neither_reason(v, v, name)
    assert _Files.reads == 1  # the files not usable, of every kind; each stage's own pick of the C files was one more
    _Files.reads = 0
    _variant_sources(v)
    assert _Files.reads == 1  # sysheaders.unincluded_headers reads them all
    _Files.reads = 0
    broken_entries(replace(v, files=v.files), (EntryPoint("fw_call"),))
    assert _Files.reads == 1  # its own pick of the C files, once


def test_a_variants_sources_kept_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    made = [0]
    plain = runner._variant_sources

    def counted(v: Variant) -> object:
        made[0] += 1
        return plain(v)

    monkeypatch.setattr(runner, "_variant_sources", counted)
    states = [_variant(k) for k in range(5)]
    first = [runner.variant_sources(v) for v in states]
    memo._KEPT.clear()  # as the bounded table starts again between the stages of a long series
    assert [runner.variant_sources(v) for v in states] == first and made[0] == len(states)  # made again: 2 * 5
    assert [s.path for s in first[0]] == ["w/fw.c"]

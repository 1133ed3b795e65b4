"""harness.coverage: why neither side of a comparison provides a name reads each variant's files once, however
many names and comparisons ask (every state read again per name was n*n steps for a series of n patches)."""

from __future__ import annotations

from itertools import pairwise

from harness.coverage import neither_reason
from harness.filestate import FileState, full_file
from harness.variants import Variant

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
    assert reasons[0] == ("neither v1:00 nor v1:01 defines fw_calls() in the files their patches touch (every C file "
                          "they touch is known whole: the name is not in this code) (did you mean 'fw_call'?)")
    assert "did you mean" not in reasons[NAMES.index("tdx_enable")]

"""harness.valuewords: an object-like macro's body read as gcc expands it, a backslash-newline being nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.valuewords import _body, file_values
from models.slicer import Definition, slice_fragment

# Each body split by a backslash-newline (C11 5.1.1.2p1 phase 2 removes it: gcc's N is '10', 'SC_TRIES', '0x1f'),
# written with '%:' (C11 6.4.6p3) or with a comment (one space, phase 3).
DEFINITIONS = ["#define N 1\\\n0", "#define N SC_\\\nTRIES", "%:define N 0x1\\\nf", "#define N /* c */ SC_\\\nTRIES"]


def _table(text: str) -> dict[str, list[Definition]]:
    table: dict[str, list[Definition]] = {}
    for d in slice_fragment(f"{text}\nint SC_TRIES;".split("\n"), "a.c", 1):
        table.setdefault(d.name, []).append(d)
    return table


@pytest.mark.parametrize("text", DEFINITIONS)
def test_a_split_body_reads_as_gcc_expands_it(text: str, tmp_path: Path) -> None:
    # Before, the lines were joined with a space: '1 0', 'SC_ TRIES' (no name of file scope: N was not a value).
    table = _table(text)
    body = _body(table["N"][0])
    assert "N" in file_values(table), body
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    (tmp_path / "n.c").write_text(f"{text}\nN\n")
    out = subprocess.run(["gcc", "-E", "-P", str(tmp_path / "n.c")], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    assert body == " ".join(out.split())

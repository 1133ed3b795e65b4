"""harness.activeincludes: the ``#include "NAME"`` lines a file's preprocessing reaches are those gcc reads."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.activeincludes import quoted_includes
from harness.filestate import full_file

# A comment going on over a line end inside an #include (a.h) and inside an #if (c.h: '#if 0 || 1' is built), a
# backslash-newline in the directive's name (d.h), an #include on a line joined to a comment (e.h: none) and one
# in a comment opened after code (f.h: none), one under '#if 0' (g.h: none).
UNIT = ('#include /* x\n */ "a.h"\n#include "b.h"\n#if 0 /* c\n */ || 1\n#include "c.h"\n#endif\n#inc\\\nlude "d.h"\n'
        '// a comment \\\n#include "e.h"\nint y; /* c\n#include "f.h"\n*/\n#if 0\n#include "g.h"\n#endif\n')


def test_the_includes_reached_are_those_gcc_reads(tmp_path: Path) -> None:
    # Before: a.h was not read (the comment blanked, its name on the next line) and c.h was taken as under '#if 0'.
    got = [(n, name) for n, name, cond in quoted_includes(full_file("u.c", UNIT, "test")) if cond is None]
    assert got == [(1, "a.h"), (3, "b.h"), (6, "c.h"), (8, "d.h")]
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    (tmp_path / "u.c").write_text(UNIT)
    cmd = ["gcc", "-M", "-MG", "-nostdinc", str(tmp_path / "u.c")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60, cwd=tmp_path).stdout
    assert [Path(d).name for d in out.replace("\\\n", " ").partition(":")[2].split()[1:]] == [n for _, n in got]

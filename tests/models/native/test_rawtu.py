"""Building a variant's own text with gcc (models.native.rawtu): what its failures are said to be."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.native.rawtu import RAW_CFLAGS, RawBuild, _next_step

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc, the oracle")


def test_a_link_error_is_said_by_the_linker_s_line(tmp_path: Path) -> None:
    # A unit calling a function only another .c file defines (seamldr_err() moved to tdx.c, static): gcc links the
    # unit alone, and its last line is 'collect2: error: ld returned 1 exit status', which was the reason given.
    (tmp_path / "tu.c").write_text("void seamldr_err(int x);\nint seamldr_prerr(int x)\n{\n\tseamldr_err(x);\n"
                                   "\treturn 0;\n}\n")
    proc = subprocess.run(["gcc", *(f for f in RAW_CFLAGS if f != "-nostdinc"), "-o", str(tmp_path / "raw.so"),
                           str(tmp_path / "tu.c")], capture_output=True, text=True, check=False)
    assert proc.returncode != 0 and "collect2: error: ld returned 1 exit status" in proc.stderr, proc.stderr
    why = _next_step(proc.stderr, tmp_path, None, [], {}, RawBuild())  # type: ignore[arg-type]
    assert why == "ld: undefined reference to `seamldr_err'", why

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


def test_the_harness_object_is_built_once_per_compiler_and_copied_after(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Every cross-check linked an object of sh_native.c compiled anew (a fifth of a CPU second each): now one build
    # per process and compiler, whose bytes later checks get, beside the header their units include.
    from models.native import rawtu
    from models.native.run import NativeError, find_compiler

    built: list[list[str]] = []
    run = rawtu._run
    monkeypatch.setattr(rawtu, "_run", lambda cmd: built.append(cmd) or run(cmd))
    monkeypatch.setattr(rawtu, "_OBJECTS", {}, raising=False)  # none kept from earlier tests
    cc = find_compiler("gcc")
    objects = []
    for n in range(3):
        (tmp_path / str(n)).mkdir()
        objects.append(rawtu.native_object(cc, tmp_path / str(n)))
        assert (tmp_path / str(n) / "sh_native.h").is_file()
    assert len(built) == 1 and objects == [tmp_path / str(n) / "sh_native.o" for n in range(3)]
    assert objects[0].read_bytes() == objects[2].read_bytes() and objects[0].read_bytes().startswith(b"\x7fELF")
    # A compiler that fails is asked each time (nothing kept of it), and another compiler builds its own.
    for _ in range(2):
        with pytest.raises(NativeError, match="does not build"):
            rawtu.native_object(find_compiler("false"), tmp_path / "0")
    assert len(built) == 3
    if shutil.which("clang"):
        rawtu.native_object(find_compiler("clang"), tmp_path / "1")
        assert len(built) == 4

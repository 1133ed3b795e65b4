"""gcc's reading of a C file as a test's oracle: the macros it defines, its functions, the lines it keeps."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def macros(path: Path) -> set[str]:
    """The names of the macros gcc defines reading the C file at ``path``, its own (those of an empty file) left
    out; the test is skipped where gcc is not installed."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    empty = path.with_name(f"{path.stem}-empty.c")
    empty.write_text("")

    def names(p: Path) -> set[str]:
        out = subprocess.run(["gcc", "-dM", "-E", str(p)], capture_output=True, text=True, check=True,
                             timeout=60).stdout
        return {line.split()[1].partition("(")[0] for line in out.splitlines()}
    return names(path) - names(empty)


def defined(tmp: Path, text: str) -> set[str]:
    """The macros gcc defines reading ``text`` as a C file and the functions its object file defines (nm's T
    symbols); skipped where gcc or nm is not installed."""
    if shutil.which("nm") is None:
        pytest.skip("nm is not installed")
    (tmp / "u.c").write_text(text)
    found = macros(tmp / "u.c")
    subprocess.run(["gcc", "-c", "-o", str(tmp / "u.o"), str(tmp / "u.c")], check=True, timeout=60)
    nm = subprocess.run(["nm", str(tmp / "u.o")], capture_output=True, text=True, check=True, timeout=60).stdout
    return found | {line.split()[2] for line in nm.splitlines() if line.split()[1:2] == ["T"]}


def kept_lines(tmp: Path, text: str, *flags: str) -> set[int]:
    """The numbers of the lines 'int lN;' of ``text`` that gcc -E keeps with ``flags``; skipped without gcc."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    (tmp / "u.c").write_text(text)
    out = subprocess.run(["gcc", "-E", "-P", *flags, str(tmp / "u.c")], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    marks = {m.group(1): n for n, line in enumerate(text.split("\n"), 1) if (m := re.search(r"int (l\d+);", line))}
    return {marks[name] for name in re.findall(r"int (l\d+);", out)}

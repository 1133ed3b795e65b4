"""models.cdirectives: a file's directives as gcc reads them, checked against gcc's own list of what it includes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.cdirectives import Directive, directives
from tests.gccdefs import macros

# Each header named once; gcc includes those of the directives, never f.h (a line joined to the code above it) nor
# i.h (inside a comment).
UNIT = ('#inc\\\nlude "a.h"\n%:include "b.h"\n# /*c*/ include "c.h"\n#include /* x\n y */ "d.h"\n  \\\n'
        '#include "e.h"\nint x = 1 + \\\n#include "f.h"\n;\n/* c */ #include "g.h"\n%\\\n:include "h.h"\n/*\n'
        '#include "i.h"\n*/\n#include \\  \n"j.h"\n#include <k.h> // c\n#define L(x) /* c */ x \\\n  + 1\n'
        '# 5 "m.c"\n#\n#include M_H\n')


def _read(text: str, first: int = 1) -> list[Directive]:
    return list(directives([(first, text.split("\n"))]))


def test_the_includes_are_those_gcc_reads(tmp_path: Path) -> None:
    got = [(d.line, d.included()) for d in _read(UNIT) if d.included() is not None]
    assert got == [(1, ('"', "a.h")), (3, ('"', "b.h")), (4, ('"', "c.h")), (5, ('"', "d.h")), (7, ('"', "e.h")),
                   (12, ('"', "g.h")), (13, ('"', "h.h")), (18, ('"', "j.h")), (20, ("<", "k.h")),
                   (25, ("", "M_H"))]
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    (tmp_path / "u.c").write_text(UNIT.replace("#include M_H\n", ""))
    cmd = ["gcc", "-M", "-MG", "-nostdinc", "-I", str(tmp_path), str(tmp_path / "u.c")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
    deps = out.replace("\\\n", " ").partition(":")[2].split()
    assert [Path(d).name for d in deps[1:]] == [name for _, (_, name) in got[:-1]]


def test_a_directive_reads_its_name_and_the_rest_with_comments_a_space() -> None:
    (define,) = [d for d in _read(UNIT) if d.name == "define"]
    assert (define.line, define.rest) == (21, "L(x)   x   + 1")
    assert [(d.line, d.name, d.rest) for d in _read(UNIT) if d.name in ("", "5")] == [(23, "", "5 \"m.c\""),
                                                                                     (24, "", "")]


def test_a_run_starting_with_a_joined_line_reads_it_and_numbers_from_its_first_line() -> None:
    # The line above it is not known (a hunk's first line): read as the directive it looks like.
    assert [(d.line, d.name) for d in _read('#include "x.h"\nint a;\n%:define A 1\n', 40)] == [(40, "include"),
                                                                                             (42, "define")]
    assert _read("/* no end\n#define X 1\n") == []


# Comments opened after code on their line: the lines they go on over are no directives (I, J, K), unless the
# '/*' is in a string, a character or a // comment (A, B, C).
AFTER_CODE = ('int a; /* opened\n#define I 1\n*/\n#define A 1\nchar *s = "/*";\n#define B 1\nint b; // x /* y\n'
              "#define C 1\nint c = '/'; /* a\n */ #define J 1\nint d; /* x */ int e; /* y\n%:define K 1 */\n"
              "#define D 1\n")


def test_a_comment_opened_after_code_hides_the_directives_it_goes_on_over(tmp_path: Path) -> None:
    got = sorted(d.rest.split()[0] for d in _read(AFTER_CODE) if d.name == "define")
    assert got == ["A", "B", "C", "D"]
    (tmp_path / "u.c").write_text(AFTER_CODE)
    assert sorted(macros(tmp_path / "u.c")) == got

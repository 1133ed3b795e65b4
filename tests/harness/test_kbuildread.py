"""Kbuild lines read for their -D/-U, against GNU make's reading of the same file where make decides."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.errors import InputError
from harness.kbuildread import Flag, folders_above, kbuild_path, logical_lines, malformed, read_kbuild


def _make(tmp: Path, text: str, variable: str) -> str:
    """``$(variable)`` as GNU make reads ``text``."""
    if shutil.which("make") is None:
        pytest.skip("make (the Makefile oracle) is not installed")
    (tmp / "k.mk").write_text(text)
    (tmp / "o.mk").write_text(f"include k.mk\nprint:\n\t@echo '$({variable})'\n")
    return subprocess.run(["make", "-s", "-f", "o.mk", "print"], cwd=tmp, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_continued_lines_join_and_comments_go_as_make_reads_them(tmp_path: Path) -> None:
    text = "ccflags-y += -DA=1 \\\n\t-DB=2 # not -DC\nccflags-y += -DD\n"
    assert [(a, b) for a, b, _ in logical_lines(text)] == [(1, 2), (3, 3)]
    k = read_kbuild("m/Makefile", text)
    flags = [f for a in k.assignments for f in a.flags]
    assert flags == [Flag("A", "1"), Flag("B", "2"), Flag("D", "1")]
    assert _make(tmp_path, text, "ccflags-y").split() == ["-DA=1", "-DB=2", "-DD"]  # make: the same three
    assert (k.assignments[0].line, k.assignments[0].last) == (1, 2)


@pytest.mark.parametrize(("line", "want"), [
    ("ccflags-y += -D X=2 -UY -I $(srctree)/inc", (Flag("X", "2"), Flag("Y", "1", True))),
    ("CFLAGS_tdx.o := -DX=", (Flag("X", ""),)),
    ("subdir-ccflags-y = -Wall -DX=a+b", (Flag("X", "a+b"),)),
])
def test_read_forms(line: str, want: tuple[Flag, ...]) -> None:
    [a] = read_kbuild("Makefile", line + "\n").assignments
    assert a.flags == want


@pytest.mark.parametrize(("text", "why"), [
    ("ifeq ($(X),y)\nccflags-y += -DA\nendif\n", "under an ifeq/ifdef"),
    ("define F\nccflags-y += -DA\nendef\n", "under an ifeq/ifdef"),
    ("ccflags-$(CONFIG_X) += -DA\n", "sets ccflags-$(CONFIG_X)"),
    ("KBUILD_CFLAGS += -DA\n", "sets KBUILD_CFLAGS"),
    ("ccflags-y ?= -DA\n", "'?=' assignment"),
    ("ccflags-y += -DA=$(V)\n", "quoted or made by make"),
    ("ccflags-y += -include linux/x.h\n", "a file of macros"),
    ("ccflags-y += -DF(x)=x\n", "function-like"),
    ("ccflags-y += -UA=1\n", "warns of the rest"),
    ("x.o: ccflags-y += -DA\n", "not an assignment"),
    ("-include $(src)/flags.mk\n", "includes another makefile"),
])
def test_lines_not_read_say_why(text: str, why: str) -> None:
    k = read_kbuild("Makefile", text)
    assert k.assignments == () and len(k.unread) == 1 and why in k.unread[0].why, k


def test_a_reset_under_a_condition_is_not_read_and_an_append_of_other_flags_is_no_line() -> None:
    k = read_kbuild("Makefile", "ccflags-y += -I$(src)\nifdef X\nccflags-y :=\nendif\n")
    assert k.assignments == () and [u.line for u in k.unread] == [3]


@pytest.mark.parametrize("flag", ["-D9X", "-D=1", "-D"])
def test_a_flag_gcc_refuses_is_bad_input_naming_file_and_line(flag: str) -> None:
    k = read_kbuild("a/Makefile", f"obj-y += x.o\nccflags-y += {flag}\n")
    with pytest.raises(InputError, match=r"^a/Makefile:2: 'ccflags-y \+= .*must be identifiers"):
        malformed(k.unread)


def test_the_kbuild_file_of_a_folder() -> None:
    assert kbuild_path("a/b", lambda p: p == "a/b/Kbuild") == "a/b/Kbuild"
    assert kbuild_path("a/b", lambda p: False) == "a/b/Makefile"
    assert kbuild_path("arch/x86", lambda p: False) is None  # the arch's flags: the prelude's
    assert kbuild_path("", lambda p: True) is None
    assert folders_above("a/b/c") == ["a/b/c", "a/b", "a"]

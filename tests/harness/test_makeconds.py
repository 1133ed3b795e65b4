"""The make conditionals around a kbuild Makefile line, as an x86-64 build takes them (harness.makeconds)."""

from __future__ import annotations

import pytest

from harness.filestate import full_file
from harness.makeconds import MakeConditions, make_conditions


@pytest.mark.parametrize(("text", "want"), [
    ("ifdef CONFIG_X86_64\nobj-y += a.o\nendif\n", MakeConditions()),
    ("ifdef CONFIG_Q\nobj-y += a.o\nendif\n", MakeConditions(options=("CONFIG_Q",))),
    ("ifeq ($(CONFIG_Q), y)\nobj-y += a.o\nendif\n", MakeConditions(options=("CONFIG_Q",))),
    ("ifeq (y,$(CONFIG_Q))\nobj-y += a.o\nendif\n", MakeConditions(options=("CONFIG_Q",))),
    ("ifeq '$(CONFIG_32BIT)' 'y'\nobj-y += a.o\nendif\n", MakeConditions(never="ifeq '$(CONFIG_32BIT)' 'y' (M:1)")),
    ("ifndef CONFIG_X86_32\nobj-y += a.o\nendif\n", MakeConditions()),
    ("ifeq ($(CONFIG_Q),m)\nobj-y += a.o\nendif\n", MakeConditions(unread="ifeq ($(CONFIG_Q),m) (M:1)",
                                                                            unknowns=((1, True),))),
    ("ifdef CONFIG_Q\nX := 1 \\\nendif\nobj-y += a.o\nendif\n", MakeConditions(options=("CONFIG_Q",))),
    ("ifdef CONFIG_Q\nendif # ifdef CONFIG_Q\nobj-y += a.o\n", MakeConditions()),
    ("ifeq ($(SRCARCH),x86)\nobj-y += a.o\nendif\n", MakeConditions()),
    ("ifneq ($(SRCARCH),arm64)\nobj-y += a.o\nendif\n", MakeConditions()),
    ("ifeq ($(SRCARCH),arm64)\nobj-y += a.o\nendif\n", MakeConditions(never="ifeq ($(SRCARCH),arm64) (M:1)")),
    # Before: 'it needs CONFIG_ARM64 unset', not read; only arch/arm64's Kconfig defines it, never read on x86.
    ("ifndef CONFIG_ARM64\nobj-y += a.o\nendif\n", MakeConditions()),
    ("ifeq ($(CONFIG_RISCV),)\nobj-y += a.o\nendif\n", MakeConditions()),
    ("ifdef CONFIG_ARM64\nobj-y += a.o\nendif\n", MakeConditions(never="ifdef CONFIG_ARM64 (M:1)")),
    ("ifneq ($(SRCARCH),x86)\nobj-y += a.o\nendif\n", MakeConditions(never="ifneq ($(SRCARCH),x86) (M:1)")),
    ("ifdef KBUILD_EXTMOD\nX := 1\nelse ifdef CONFIG_Q\nobj-y += a.o\nendif\n", MakeConditions(
        options=("CONFIG_Q",), unread="ifdef KBUILD_EXTMOD (M:1), its else branch", unknowns=((1, False),))),
    # A 'define' holds a variable's text: a list line inside it builds nothing unless $(eval ...) runs it, and an
    # 'ifdef' inside it opens nothing. Before: the first was an object list, the second left the line under it.
    ("define SEAM\nobj-y += a.o\nendef\n", MakeConditions(unread="define SEAM (M:1), the text of a variable",
                                                            unknowns=((1, True),))),
    ("define SEAM\nifdef KBUILD_EXTMOD\nendef\nobj-y += a.o\n", MakeConditions()),
], ids=["always", "option", "eq-y", "y-eq", "quoted-32", "ifndef-32", "eq-m", "continuation", "closed", "srcarch-x86",
        "not-srcarch-arm64", "srcarch-arm64", "ifndef-arm64", "eq-empty-riscv", "ifdef-arm64", "not-srcarch-x86",
        "else-of-unread", "inside-define", "after-define"])
def test_make_conditions(text: str, want: MakeConditions) -> None:
    f = full_file("M", text, "tree")
    line = next(n for n, (t, _) in f.lines.items() if t.startswith("obj-"))
    assert make_conditions(f, line) == want

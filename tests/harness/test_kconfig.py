"""With --tree, a function only an unsettable CONFIG_ option builds is not taken.

With --tree, a function built only with a CONFIG_ option that no x86-64 build can set (its Kconfig ``depends on``
another architecture or the other word size, no settable option selecting it) is not taken (harness.kconfig)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.test_treebuilt import BODY, _eval, _said

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TOP = 'source "k/Kconfig"\n'
ARCHES = {"arch/arm64/Kconfig": "config ARM64\n\tdef_bool y\n", "arch/x86/Kconfig": "config X86\n\tdef_bool y\n"}


def _run(tmp: Path, kconfig: str, more: dict[str, str] | None = None, make: str = "obj-$(CONFIG_SEAM) += seam.o\n",
         body: str = BODY) -> tuple[str, int | None, str]:
    files = {"Kconfig": TOP, **ARCHES, "k/Kconfig": kconfig, "k/Makefile": make, "k/seam.c": body, **(more or {})}
    status, ret, where, _ = _said(_eval(tmp, files))
    return status, ret, where


@pytest.mark.parametrize(("depends", "why"), [
    ("ARM64", "CONFIG_ARM64 is defined only in arch/arm64's Kconfig"),
    ("ARM64 && PCI", "CONFIG_ARM64 is defined only in arch/arm64's Kconfig"),
    ("X86_32", "CONFIG_X86_32 is the other word size"),
    ("!64BIT", "!64BIT is n on x86-64"),
    ("!X86", "!X86 is n on x86-64"),
    ("NOWHERE", "no Kconfig file of the tree defines CONFIG_NOWHERE"),
    ("NOWHERE = y", "no Kconfig file of the tree defines CONFIG_NOWHERE"),
    ("ARM64 = m || X86 = n", "CONFIG_ARM64 is defined only in arch/arm64's Kconfig"),
    ("ARMISH != n", "k/Kconfig:5 depends on ARM64"), ("!(X86 != n)", "!(X86 != n) is n on x86-64"),
    ("ARMISH", "k/Kconfig:5 depends on ARM64")])
def test_an_option_no_x86_build_sets_builds_nothing(tmp_path: Path, depends: str, why: str) -> None:
    # Before: 'k/Makefile:1 names seam.o (CONFIG_SEAM taken as set)' and seam_retry() ran (71), a pass resting on
    # code no x86-64 kernel has.
    kconfig = f"config SEAM\n\tbool \"seam\"\n\tdepends on {depends}\n\nconfig ARMISH\n\tbool\n\tdepends on ARM64\n" \
              "config PCI\n\tbool\n"
    status, _, where = _run(tmp_path, kconfig)
    assert status == "error", where
    assert "seam_retry() is defined in k/seam.c:1, but kbuild does not build it on x86-64 (k/Makefile:1 names seam.o" \
           " (CONFIG_SEAM taken as set); k/Kconfig:1 depends on " in where and why in where, where


@pytest.mark.parametrize("kconfig", [
    "config SEAM\n\tbool \"seam\"\n\tdepends on ARM64 || X86\n",
    "config SEAM\n\tbool \"seam\"\n\tdepends on PCI\nconfig PCI\n\tbool\n",
    "config SEAM\n\tbool \"seam\"\n",
    "config SEAM\n\tbool \"seam\"\n\tdepends on ARM64\nconfig TDX\n\tbool \"tdx\"\n\tselect SEAM\n",
    "config SEAM\n\tbool \"seam\"\n\tdepends on ARM64\nconfig SEAM\n\tbool\n\tdepends on X86\n",
    "config SEAM\n\tbool \"seam\"\n\tdepends on PCI = y\nconfig PCI\n\tbool \"pci\"\n",
    *(f"config SEAM\n\tbool \"seam\"\n\tdepends on {dep}\nconfig ARMISH\n\tbool\n\tdepends on ARM64\n" for dep in (
        "FOO != n", "ARM64 != y", "!(ARM64 = m)", 'X86 = "y"', "ARMISH = n", "NR > 1"))],
    ids=["or-x86", "settable-dependency", "no-depends", "selected", "second-definition", "settable-comparison",
         "undefined-ne-n", "ne-y", "not-eq-m", "x86-eq-quoted-y", "unset-eq-n", "ordering-not-read"])
def test_an_option_an_x86_build_may_set_is_taken_as_set(tmp_path: Path, kconfig: str) -> None:
    status, ret, where = _run(tmp_path, kconfig)
    assert (status, ret) == ("ok", 71), where


def test_a_definition_under_an_ifdef_of_such_an_option_is_not_taken(tmp_path: Path) -> None:
    status, _, where = _run(tmp_path, "config SEAM\n\tbool\n\tdepends on ARM64\n", make="obj-y += seam.o\n",
                            body="#ifdef CONFIG_SEAM\n" + BODY + "#endif\n")
    assert status == "error" and "seam_retry() is defined in k/seam.c:2, but it is under #ifdef CONFIG_SEAM " \
        "(k/seam.c:1), which no x86-64 build sets (k/Kconfig:1 depends on ARM64, and CONFIG_ARM64 is defined only " \
        "in arch/arm64's Kconfig): not taken" in where, where


@pytest.mark.parametrize(("cond", "taken"), [("ARM64", False), ("X86_32 || ARM64", False), ("PCI", True),
                                             ("X86", True)])
def test_a_select_whose_if_no_x86_build_meets_sets_nothing(tmp_path: Path, cond: str, taken: bool) -> None:
    # Before: 'select SEAM if ARM64' of an option x86 may set counted as setting SEAM: its code ran (71).
    status, _, where = _run(tmp_path, "config SEAM\n\tbool\n\tdepends on ARM64\nconfig TDX\n\tbool \"tdx\"\n"
                                      f"\tselect SEAM if {cond}\nconfig PCI\n\tbool \"pci\"\n")
    assert (status == "ok") is taken, where
    if not taken:
        assert "no option that may be set selects it" in where, where


def test_a_select_from_another_architecture_sets_nothing_on_x86(tmp_path: Path) -> None:
    status, _, where = _run(tmp_path, "config SEAM\n\tbool\n\tdepends on ARM64\n",
                            {"arch/arm64/Kconfig": "config ARM64\n\tdef_bool y\n\tselect SEAM\n"})
    assert status == "error" and "no option that may be set selects it" in where, where


def test_a_tree_without_a_top_kconfig_takes_every_option_as_set(tmp_path: Path) -> None:
    status, ret, where, _ = _said(_eval(tmp_path, {"k/Kconfig": "config SEAM\n\tdepends on ARM64\n",
                                                   "k/Makefile": "obj-$(CONFIG_SEAM) += seam.o\n", "k/seam.c": BODY}))
    assert (status, ret) == ("ok", 71), where


@pytest.mark.parametrize(("wrap", "taken"), [("ARM64", False), ("X86", True), ("ARM64 || X86", True)])
def test_an_if_block_around_the_option_is_a_dependency(tmp_path: Path, wrap: str, taken: bool) -> None:
    status, _, where = _run(tmp_path, f"if {wrap}\n\nconfig SEAM\n\tbool \"seam\"\n\nendif\n")
    assert (status == "ok") is taken, where
    if not taken:
        assert "k/Kconfig:3 depends on ARM64, and CONFIG_ARM64 is defined only in arch/arm64's Kconfig" in where, where


@pytest.mark.parametrize(("kconfig", "line"), [
    ('menu "Seam"\n\tdepends on ARM64\n\nconfig SEAM\n\tbool "seam"\n\nendmenu\n', 4),
    ('choice\n\tprompt "mode"\n\tdepends on ARM64\n\nconfig SEAM\n\tbool "seam"\nconfig OTHER\n\tbool "o"\n'
     '\nendchoice\n', 5),
    ('menu "Outer"\nif ARM64\nmenu "Inner"\nconfig SEAM\n\tbool "seam"\nendmenu\nendif\nendmenu\n', 4),
    ('config PCI\n\tbool "pci"\n\thelp\n\t  if unsure, say N.\n\nconfig SEAM\n\tbool "seam"\n\tdepends on ARM64\n', 6)],
    ids=["menu", "choice", "if-in-menus", "help-text-if"])
def test_a_menu_or_choice_around_the_option_is_a_dependency(tmp_path: Path, kconfig: str, line: int) -> None:
    # Before: a menu's or a choice's 'depends on' was not read (SEAM taken as settable: ok, 71), and a help text's
    # line starting with 'if' opened an if block that never closed, so the options after it were not read either.
    status, _, where = _run(tmp_path, kconfig)
    assert status == "error" and f"k/Kconfig:{line} depends on ARM64" in where, where


def test_a_menu_that_an_x86_build_shows_changes_nothing(tmp_path: Path) -> None:
    status, ret, where = _run(tmp_path, 'menu "Seam"\n\tdepends on X86\n\tvisible if ARM64\n\nconfig SEAM\n'
                                        '\tbool "seam"\n\nendmenu\nconfig AFTER\n\tbool\n\tdepends on ARM64\n')
    assert (status, ret) == ("ok", 71), where


@pytest.mark.parametrize("depends", ["!PCI", "!(PCI && X86)", "X86 && !PCI", "!PCI || ARM64"])
def test_the_negation_of_an_option_that_may_be_set_may_be_set_too(tmp_path: Path, depends: str) -> None:
    # Before: an option that may be set counted as set in every build, so '!PCI' was 'n on x86-64' and SEAM's code
    # was not taken (refused): an x86-64 build without PCI sets SEAM.
    status, ret, where = _run(tmp_path, f"config SEAM\n\tbool \"seam\"\n\tdepends on {depends}\nconfig PCI\n\tbool\n")
    assert (status, ret) == ("ok", 71), where


def test_the_negation_of_an_option_no_x86_build_sets_is_no_block(tmp_path: Path) -> None:
    kconfig = "config SEAM\n\tbool \"seam\"\n\tdepends on !ARM64 && !PCI\nconfig PCI\n\tbool\n"
    status, ret, where = _run(tmp_path, kconfig)
    assert (status, ret) == ("ok", 71), where


@pytest.mark.parametrize(("top", "taken"), [
    ('if ARM64\nsource "k/Kconfig"\nendif\n', False), ('if X86\nsource "k/Kconfig"\nendif\n', True),
    ('menu "m"\n\tdepends on ARM64\n\nsource "k/Kconfig"\nendmenu\n', False),
    ('if ARM64\nendif\nsource "k/Kconfig"\n', True), ('source "j/Kconfig"\n', False),
    ('if X86_32\nsource "k/Kconfig"\nendif\n', False)],
    ids=["if-arm64", "if-x86", "menu-arm64", "closed-before", "sourced-by-a-sourced-file", "also-another-arch"])
def test_the_blocks_around_the_source_line_are_dependencies(tmp_path: Path, top: str, taken: bool) -> None:
    # Before: only the option's own file was read: k/Kconfig sourced under 'if ARM64' took CONFIG_SEAM as settable
    # on x86-64 and seam_retry() ran (71), though no x86-64 .config can hold it.
    more = {"Kconfig": top} | ({"j/Kconfig": 'if ARM64\nsource "k/Kconfig"\nendif\n'} if "j/" in top else {})
    if "X86_32" in top:  # read from arch/x86/Kconfig, as arch/arm64's reads it too (kernel/Kconfig.hz's way)
        more = {"Kconfig": 'source "arch/x86/Kconfig"\n', "arch/x86/Kconfig": ARCHES["arch/x86/Kconfig"] + top,
                "arch/arm64/Kconfig": ARCHES["arch/arm64/Kconfig"] + 'source "k/Kconfig"\n'}
    status, ret, where = _run(tmp_path, "config SEAM\n\tbool \"seam\"\n", more)
    if taken:
        assert (status, ret) == ("ok", 71), where
    else:
        via = "j/Kconfig:2" if "j/" in top else "arch/x86/Kconfig:4" if "X86_32" in top else "Kconfig:2" \
            if top.startswith("if") else "Kconfig:4"
        dep = "X86_32" if "X86_32" in top else "ARM64"
        said = f"k/Kconfig:1 (sourced under {dep} at {via}) depends on {dep}, and "
        assert status == "error" and said in where, where


@pytest.mark.parametrize(("more", "said"), [
    ({"arch/arm64/Kconfig": ARCHES["arch/arm64/Kconfig"] + 'source "k/Kconfig"\n'},
     "CONFIG_SEAM is defined only in k/Kconfig, which no x86-64 build reads (sourced only by arch/arm64/Kconfig:3)"),
    ({"arch/arm64/Kconfig": ARCHES["arch/arm64/Kconfig"] + 'source "j/Kconfig"\n', "j/Kconfig": 'source "k/Kconfig"\n'},
     "k/Kconfig, which no x86-64 build reads (sourced only by j/Kconfig:1 (sourced only by arch/arm64/Kconfig:3))")],
    ids=["directly", "through-another"])
def test_a_kconfig_file_only_another_architecture_sources_sets_nothing_on_x86(
        tmp_path: Path, more: dict[str, str], said: str) -> None:
    # Before: k/Kconfig's own lines were read (no depends on: settable) and seam_retry() ran (71), though
    # scripts/kconfig on x86-64 never reads arch/arm64/Kconfig, so nothing sources k/Kconfig: CONFIG_SEAM is no symbol.
    top = {"Kconfig": 'source "arch/$(SRCARCH)/Kconfig"\n'}
    status, _, where = _run(tmp_path, "config SEAM\n\tbool \"seam\"\n", top | more)
    assert status == "error" and said in where, where


@pytest.mark.parametrize("x86", ['source "k/Kconfig"\n', 'source "$(KCONFIG_EXT)k/Kconfig"\n',
                                 'source "[jk]/Kconfig"\n', 'source "$(srctree)/k/Kconfig"\n'],
                         ids=["named", "variable", "wildcard", "variable-folder"])
def test_a_kconfig_file_x86_may_source_too_is_read(tmp_path: Path, x86: str) -> None:
    more = {"Kconfig": 'source "arch/$(SRCARCH)/Kconfig"\n', "arch/x86/Kconfig": ARCHES["arch/x86/Kconfig"] + x86,
            "arch/arm64/Kconfig": ARCHES["arch/arm64/Kconfig"] + 'source "k/Kconfig"\n'}
    status, ret, where = _run(tmp_path, "config SEAM\n\tbool \"seam\"\n", more)
    assert (status, ret) == ("ok", 71), where


def test_a_chain_of_dependencies_past_four_links_is_read(tmp_path: Path) -> None:
    # Before: only 4 links were followed (MAX_DEPTH): SEAM -> A -> B -> C -> D -> E -> ARM64 was taken as settable
    # and seam_retry() ran (71), though no x86-64 .config can hold E, so none holds SEAM.
    chain = "".join(f"config {a}\n\tbool\n\tdepends on {b}\n" for a, b in zip("ABCDE", [*"BCDE", "ARM64"], strict=True))
    status, _, where = _run(tmp_path, "config SEAM\n\tbool \"seam\"\n\tdepends on A\n" + chain)
    assert status == "error" and "k/Kconfig:1 depends on A, and k/Kconfig:4 depends on B" in where, where

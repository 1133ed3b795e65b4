"""With --tree, #if branches on a CONFIG_ option no x86-64 build sets are not run as the kernel's.

With --tree, patched code whose #if branches rest on a CONFIG_ option no x86-64 build of the tree sets is not run as
the kernel's: the mirror builds every option set, the kernel the other branch (harness.kconfigbranch)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.assumedconsts import variant_assumptions
from harness.filestate import full_file
from harness.kconfigbranch import _differing, _header_says, _misread
from harness.pipeline import EvalRequest, evaluate
from tests.gccdefs import kept_lines, macros
from tests.gitoracle import init_repo
from tests.harness.test_unitdefs import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

KCONFIG = {"Kconfig": 'source "x/Kconfig"\n', "arch/arm64/Kconfig": "config ARM64\n\tdef_bool y\n",
           "arch/x86/Kconfig": "config X86\n\tdef_bool y\n"}
OLD = ("static u64 seam_once(u64 fn, struct tdx_module_args *args)\n{{\n{head}"
       "\treturn __seamcall(fn, args) == 7 ? 70 : 1;\n}}\n\n"
       "static int probe(u64 fn, struct tdx_module_args *args)\n{{\n\treturn (int)seam_once(fn, args){tail};\n}}\n")


def _probe(tmp: Path, head: str, kconfig: str | None, tail: str = " + 1", make: str = "obj-y += tdx.o\n"
           ) -> tuple[str, int | None, str]:
    """The probe's status, value and error in the variant whose patch gives seam_once() ``head`` (a tree holding
    ``kconfig`` as x/Kconfig, no Kconfig at all with None, and ``make`` as x/Makefile) and adds ``tail`` to probe()'s
    return."""
    old, new = OLD.format(head="", tail=""), OLD.format(head=head, tail=tail)
    files = {"x/tdx.c": old, "x/Makefile": make}
    if kconfig is not None:
        files |= {**KCONFIG, "x/Kconfig": kconfig}
    init_repo(tmp / "linux", files)
    mbox = write_mbox(tmp / "p.mbox", [message("[PATCH] x: once", "p1@example.org",
                                               patch_body("Once.", diff("x/tdx.c", old, new)))])
    (tmp / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp / "linux", matrix=tmp / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    _LAST_ASSUMED[:] = variant_assumptions(ev.result, ev.result.variant("v1"))
    return str(out.status), out.ret, out.error or ""


_LAST_ASSUMED: list[str] = []  # what the last _probe's eval said it assumed of v1
ARM_ONLY = "config Q\n\tbool \"q\"\n\tdepends on ARM64\n"


@pytest.mark.parametrize("head", [
    "#ifdef CONFIG_Q\n\treturn 5;\n#endif\n",
    "#if IS_ENABLED(CONFIG_Q)\n\treturn 5;\n#else\n\tif (fn == 9)\n\t\treturn 4;\n#endif\n",
    "#ifndef CONFIG_Q\n\tif (fn == 9)\n\t\treturn 4;\n#else\n\treturn 5;\n#endif\n",
    "\tif (IS_ENABLED(CONFIG_Q))\n\t\treturn 5;\n"], ids=["ifdef", "if-is-enabled", "ifndef", "c-is-enabled"])
def test_a_branch_an_arm64_only_option_decides_is_not_run(tmp_path: Path, head: str) -> None:
    # Before: the mirror took CONFIG_Q as set and ran 'return 5' (ok, 6; 'return 71 -> 6'), though the tree's
    # Kconfig lets no x86-64 build set it: the kernel builds the other branch, a behaviour no kernel has.
    status, _, error = _probe(tmp_path, head, ARM_ONLY)
    assert status == "error", error
    assert not [a for a in _LAST_ASSUMED if "CONFIG_Q" in a], _LAST_ASSUMED  # not 'taken as set': not run
    assert "not the kernel's code: probe() reaches seam_once(); seam_once() (x/tdx.c:1) holds " in error, error
    assert "CONFIG_Q" in error and "which no x86-64 build of the tree sets (x/Kconfig:1 depends on ARM64, and " \
        "CONFIG_ARM64 is defined only in arch/arm64's Kconfig): the mirror builds every CONFIG_ option set, so it " \
        "would run code the kernel does not build" in error, error


@pytest.mark.parametrize(("head", "kconfig"), [
    ("#ifdef CONFIG_Q\n\treturn 5;\n#endif\n", "config Q\n\tbool \"q\"\n\tdepends on X86\n"),
    ("#ifdef CONFIG_Q\n\treturn 5;\n#endif\n", None),
    ("#if defined(CONFIG_Q) || defined(CONFIG_R)\n\treturn 5;\n#endif\n", ARM_ONLY + "config R\n\tbool \"r\"\n")],
    ids=["settable", "no-kconfig", "other-option-decides"])
def test_a_branch_an_x86_build_may_take_runs_as_before(tmp_path: Path, head: str, kconfig: str | None) -> None:
    assert _probe(tmp_path, head, kconfig)[:2] == ("ok", 6)


def test_a_helper_nothing_reaches_refuses_nothing(tmp_path: Path) -> None:
    old = OLD.format(head="", tail="")
    more = "#ifdef CONFIG_Q\nstatic int unused(void)\n{\n\treturn 2;\n}\n#endif\n"
    init_repo(tmp_path / "linux", {**KCONFIG, "x/Kconfig": ARM_ONLY, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n"})
    new = more + OLD.format(head="", tail=" + 1")
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: once", "p1@example.org",
                                                    patch_body("Once.", diff("x/tdx.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    assert (str(out.status), out.ret) == ("ok", 71), out.error


def test_an_elif_of_the_option_is_named(tmp_path: Path) -> None:
    head = "#if 0\n\tif (fn == 9)\n\t\treturn 4;\n#elif defined(CONFIG_Q)\n\treturn 5;\n#endif\n"
    status, _, error = _probe(tmp_path, head, ARM_ONLY)
    assert status == "error" and "seam_once() (x/tdx.c:1) holds #elif defined(CONFIG_Q) (x/tdx.c:6)" in error, error


def test_a_helper_of_a_tree_header_is_read_too(tmp_path: Path) -> None:
    # A static inline of a <...> header the tree supplies, its body under an option no x86-64 build sets.
    header = ("static inline int seam_quirk(void)\n{\n#ifdef CONFIG_Q\n\treturn 5;\n#else\n\treturn 0;\n#endif\n}\n")
    old = '#include <asm/q.h>\n' + OLD.format(head="", tail="")
    new = '#include <asm/q.h>\n' + OLD.format(head="\tif (seam_quirk())\n\t\treturn 5;\n", tail="")
    init_repo(tmp_path / "linux", {**KCONFIG, "x/Kconfig": ARM_ONLY, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n",
                                   "arch/x86/include/asm/q.h": header})
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: quirk", "p1@example.org",
                                                    patch_body("Quirk.", diff("x/tdx.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    assert out.error is not None and "reaches seam_quirk(); seam_quirk() (arch/x86/include/asm/q.h:1) holds #ifdef " \
        "CONFIG_Q (arch/x86/include/asm/q.h:3)" in out.error, out


def test_only_the_options_around_the_definitions_taken_are_looked_up() -> None:
    text = ("#ifdef CONFIG_A\nint a(void)\n{\n\treturn 1;\n}\n#endif\n"
            "int b(void)\n{\n#if IS_ENABLED(CONFIG_B)\n\treturn 2;\n#endif\n\treturn 3;\n}\n")
    asked: list[str] = []

    def impossible(option: str) -> str | None:
        asked.append(option)
        return "because" if option == "CONFIG_B" else None
    f = full_file("h.h", text, "test")
    assert _misread("h.h", f, impossible, frozenset({"b"})).keys() == {"b"}
    assert asked == ["CONFIG_B"]
    asked.clear()
    assert _misread("h.h", f, impossible, None).keys() == {"b"} and sorted(asked) == ["CONFIG_A", "CONFIG_B"]


@pytest.mark.parametrize(("make", "taken"), [("obj-$(CONFIG_Q) += tdx.o\n", False), ("obj-y += tdx.o\n", True),
                                             ("obj-$(CONFIG_R) += tdx.o\n", True)], ids=["arm-only", "always", "r"])
def test_a_patched_file_only_an_arm64_option_builds_is_not_run(tmp_path: Path, make: str, taken: bool) -> None:
    # Before: x/tdx.c ran (71) as an x86-64 kernel's code, though kbuild builds it only with CONFIG_Q, which no
    # x86-64 build sets: no x86-64 kernel has it.
    status, ret, error = _probe(tmp_path, "", ARM_ONLY + "config R\n\tbool \"r\"\n", make=make)
    if taken:
        assert (status, ret) == ("ok", 71), error
    else:
        assert status == "error" and "not the kernel's code: probe() (x/tdx.c:6) is in x/tdx.c, which kbuild does " \
            "not build on x86-64 (x/Makefile:1 names tdx.o (CONFIG_Q taken as set); " \
            "x/Kconfig:1 depends on ARM64, and CONFIG_ARM64 is defined only in arch/arm64's Kconfig)" in error, error


@pytest.mark.parametrize("make", ["ifdef CONFIG_X86_32\nobj-y += tdx.o\nendif\n",
                                  "ifeq ($(CONFIG_64BIT),y)\nobj-y += a.o\nelse\nobj-y += tdx.o\nendif\n"],
                         ids=["ifdef-32", "else-of-64"])
def test_a_patched_file_only_a_32_bit_make_conditional_builds_is_not_run(tmp_path: Path, make: str) -> None:
    # Before: x/tdx.c ran (71) as an x86-64 kernel's code, though x/Makefile builds it only in a 32-bit kernel.
    status, _, error = _probe(tmp_path, "", ARM_ONLY, make=make)
    line = 2 if make.startswith("ifdef") else 4
    assert status == "error" and "not the kernel's code: probe() (x/tdx.c:6) is in x/tdx.c, which kbuild does not " \
        f"build on x86-64 (x/Makefile:{line} names tdx.o only under " in error, error


def _alone(tmp: Path, head: str, before: str = "") -> tuple[str, ...]:
    """The assumptions eval says of v1 from mail alone: a patch giving seam_once() ``head`` (``before`` it)."""
    old, new = OLD.format(head="", tail=""), before + OLD.format(head=head, tail="")
    tmp.mkdir(exist_ok=True)
    mbox = write_mbox(tmp / "p.mbox", [message("[PATCH] x: q", "p1@example.org",
                                               patch_body("Q.", diff("x/tdx.c", old, new)))])
    (tmp / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp / "m.toml", jobs=1, cache=None))
    return variant_assumptions(ev.result, ev.result.variant("v1"))


@pytest.mark.parametrize(("head", "said"), [
    ("#ifdef CONFIG_Q\n\treturn 5;\n#endif\n", "#ifdef CONFIG_Q (x/tdx.c:3)"),
    ("\tif (IS_ENABLED(CONFIG_Q))\n\t\treturn 5;\n", "IS_ENABLED(CONFIG_Q) (x/tdx.c:3), taken as 1")])
def test_code_an_option_decides_says_the_option_was_taken_as_set(tmp_path: Path, head: str, said: str) -> None:
    # Before: 'v1 01/1 changes behaviour: return 0x46 -> 0x5' with no word of CONFIG_Q, on which it rests: a kernel
    # built without it has no change at all.
    assert f"CONFIG_Q is taken as set, as the mirror builds every CONFIG_ option: {said} decides what seam_once() " \
        "runs, and a kernel built without it runs other code; give --tree to read the tree's Kconfig" in \
        _alone(tmp_path, head), _alone(tmp_path, head)


def test_an_option_that_decides_nothing_run_is_not_said(tmp_path: Path) -> None:
    assert not [a for a in _alone(tmp_path, "#if defined(CONFIG_Q) || 1\n\treturn 5;\n#endif\n") if "CONFIG_" in a]


def test_a_definition_only_with_the_option_is_no_choice_but_two_are(tmp_path: Path) -> None:
    alone = "#ifdef CONFIG_Q\nstatic int twice(int x)\n{\n\treturn 2 * x;\n}\n#endif\n"
    assert not [a for a in _alone(tmp_path, "\tif (fn == 3)\n\t\treturn twice(3);\n", alone) if "CONFIG_Q" in a]


def test_two_definitions_the_option_chooses_between_are_said(tmp_path: Path) -> None:
    two = "#ifdef CONFIG_Q\nstatic int twice(int x)\n{\n\treturn 2 * x;\n}\n#else\nstatic int twice(int x)\n{\n" \
          "\treturn x;\n}\n#endif\n"
    said = [a for a in _alone(tmp_path, "\tif (fn == 3)\n\t\treturn twice(3);\n", two) if "CONFIG_Q" in a]
    assert said and "#ifdef CONFIG_Q (x/tdx.c:" in said[0], said


@pytest.mark.parametrize(("added", "taken"), [("config Q\n\tbool \"q\"\n\tdepends on X86\n", True),
                                              ("config Q\n\tbool \"q\"\n\tdepends on ARM64\n", False)],
                         ids=["x86", "arm64"])
def test_an_option_the_series_adds_to_kconfig_is_read_as_the_series_leaves_it(tmp_path: Path, added: str,
                                                                              taken: bool) -> None:
    # Before: Kconfig was read at the base alone, where the series' new option is defined nowhere ('kconfig takes
    # it as n'): code under '#ifdef CONFIG_Q' that the same patch adds, with 'config Q' depending on X86, was refused.
    old, new = OLD.format(head="", tail=""), OLD.format(head="#ifdef CONFIG_Q\n\treturn 5;\n#endif\n", tail="")
    kold = "config OTHER\n\tbool \"o\"\n"
    init_repo(tmp_path / "linux", {**KCONFIG, "x/Kconfig": kold, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n"})
    body = patch_body("Q.", diff("x/tdx.c", old, new) + diff("x/Kconfig", kold, kold + added))
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: q", "p1@example.org", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    if taken:
        assert (str(out.status), out.ret) == ("ok", 5), out.error
    else:
        assert out.error is not None and "x/Kconfig:3 depends on ARM64" in out.error, out.error


@pytest.mark.parametrize(("header", "include", "expect"), [
    ("#define CONFIG_Q 1\n", '"cfg.h"', ("ok", 5)), ("#define CONFIG_Q 1\n", "<asm/cfg.h>", ("ok", 5)),
    ("#undef CONFIG_Q\n", '"cfg.h"', ("error", None)), ("", '"cfg.h"', ("error", None)),
    ("#ifdef CONFIG_R\n#define CONFIG_Q 1\n#endif\n", '"cfg.h"', ("error", None)),
    ("#define CONFIG_Q 1\n", '"cfg.h"\n#include "late.h"', ("error", None))],
    ids=["define", "define-tree-header", "undef", "neither", "conditional-define", "included-after-the-test"])
def test_a_header_the_unit_includes_defining_the_option_is_what_the_build_sees(
        tmp_path: Path, header: str, include: str, expect: tuple[str, int | None]) -> None:
    # Before: '#define CONFIG_Q 1' in a header x/tdx.c includes, Q in no Kconfig, was read as 'no Kconfig file of the
    # tree defines CONFIG_Q (kconfig takes it as n)' and the helper refused, though gcc builds its '#ifdef' branch.
    head = "#ifdef CONFIG_Q\n\treturn 5;\n#endif\n"
    late = "late.h" in include  # x/cfg.h, which defines Q, comes after the test, through x/late.h
    above, below = ("", '#include "late.h"\n') if late else (f"#include {include}\n", "")
    old, new = above + OLD.format(head="", tail="") + below, above + OLD.format(head=head, tail="") + below
    where = "x/cfg.h" if include.startswith('"') else "arch/x86/include/asm/cfg.h"
    # With the #undef, Q is one an x86-64 .config may set: before, the mirror ran its branch (ok, 5) as the kernel's.
    kconfig = "config R\n\tbool \"r\"\n" + ("config Q\n\tbool \"q\"\n" if header.startswith("#undef") else "")
    init_repo(tmp_path / "linux", {**KCONFIG, "x/Kconfig": kconfig, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n",
                                   where: "#ifndef CFG_H\n#define CFG_H\n" + header + "#endif\n",
                                   "x/late.h": '#include "cfg.h"\n'})
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: q", "p1@example.org",
                                                    patch_body("Q.", diff("x/tdx.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    assert (str(out.status), out.ret) == expect, out.error
    # Not 'taken as set ... a kernel built without it runs other code': the header defines it in every build.
    said = [a for a in variant_assumptions(ev.result, ev.result.variant("v1")) if "CONFIG_Q" in a]
    assert not said if expect[0] == "ok" else True, said
    if header.startswith("#undef"):
        assert out.error is not None and "x/cfg.h:3, a header the unit includes, #undefs CONFIG_Q" in out.error, \
            out.error


@pytest.mark.parametrize("chain", [
    {"include/linux/a.h": '#include "b.h"\n', "include/linux/b.h": "#include <asm/cfg.h>\n"},
    {"include/linux/a.h": "#include <linux/b.h>\n", "include/linux/b.h": "#include <asm/cfg.h>\n"}],
    ids=["quoted", "angle"])
def test_a_tree_header_no_lookup_read_that_defines_the_option_is_read_too(tmp_path: Path,
                                                                          chain: dict[str, str]) -> None:
    # Before: include/linux/a.h's '#include "b.h"' was not followed (no lookup had read b.h), so asm/cfg.h's
    # '#define CONFIG_Q 1' was not seen and seam_once() refused as resting on an option no Kconfig file defines,
    # though gcc builds its '#ifdef CONFIG_Q' branch (5).
    head = "#ifdef CONFIG_Q\n\treturn 5;\n#endif\n"
    above = "#include <linux/a.h>\n"
    old, new = above + OLD.format(head="", tail=""), above + OLD.format(head=head, tail="")
    init_repo(tmp_path / "linux", {**KCONFIG, "x/Kconfig": "config R\n\tbool \"r\"\n", "x/tdx.c": old,
                                   "x/Makefile": "obj-y += tdx.o\n", **chain,
                                   "arch/x86/include/asm/cfg.h": "#define CONFIG_Q 1\n"})
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: q", "p1@example.org",
                                                    patch_body("Q.", diff("x/tdx.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    assert (str(out.status), out.ret) == ("ok", 5), out.error


@pytest.mark.parametrize(("kconfig", "taken"), [("config Q\n\tbool \"q\"\n\tdepends on ARM64\n", False),
                                                ("config Q\n\tbool \"q\"\n", True)], ids=["arm-only", "settable"])
def test_a_created_file_built_only_with_an_arm64_option_is_not_run(tmp_path: Path, kconfig: str,
                                                                     taken: bool) -> None:
    # Before: k/seam.c, which the patch creates with 'obj-$(CONFIG_Q) += seam.o' and a 'config Q' depending on ARM64,
    # ran as an x86-64 kernel's code (71): only files the tree has were read against Kconfig.
    body_c = "u64 seam_once(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args) == 7 ? 70 : 1;\n}\n"
    unit = "static int probe(u64 fn, struct tdx_module_args *args)\n{{\n\treturn (int)seam_once(fn, args){tail};\n}}\n"
    old, new = "u64 seam_once(u64 fn, struct tdx_module_args *args);\n" + unit.format(tail=""), \
        "u64 seam_once(u64 fn, struct tdx_module_args *args);\n" + unit.format(tail=" + 1")
    init_repo(tmp_path / "linux", {**KCONFIG, "Kconfig": 'source "x/Kconfig"\nsource "k/Kconfig"\n',
                                   "x/Kconfig": "config R\n\tbool \"r\"\n", "x/tdx.c": old,
                                   "x/Makefile": "obj-y += tdx.o\n", "Makefile": "obj-y += k/ x/\n"})
    body = patch_body("Q.", diff("x/tdx.c", old, new) + diff("k/Kconfig", None, kconfig)
                      + diff("k/Makefile", None, "obj-$(CONFIG_Q) += seam.o\n") + diff("k/seam.c", None, body_c))
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] k: q", "p1@example.org", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    if taken:
        assert (str(out.status), out.ret) == ("ok", 71), out.error
    else:
        assert out.error is not None and "seam_once() (k/seam.c:1) is in k/seam.c, which kbuild does not build on " \
            "x86-64 (k/Makefile:1 names seam.o (CONFIG_Q taken as set); k/Kconfig:1 depends on ARM64" in out.error, \
            out.error


# Directives spelled as gcc reads them: a backslash-newline inside the name, the digraph, a comment inside, one going
# on over a line end, one in a comment opened after code (no directive), blanks after the '#'.
SPELLED = ("#if\\\ndef CONFIG_B\nint l1;\n#endif\n%:ifdef CONFIG_B\nint l2;\n%:endif\n# /* c */ ifdef CONFIG_B\n"
           "int l3;\n#endif\n#ifdef /* x\n y */ CONFIG_B\nint l4;\n#endif\nint l5; /* opened\n#ifdef CONFIG_B\n*/\n"
           "int l6;\n#   ifndef CONFIG_B\nint l7;\n#   endif\n#if defined(CONFIG_A) || \\\n    defined(CONFIG_B)\n"
           "int l8;\n#endif\n")


def test_the_lines_an_unset_option_builds_otherwise_are_those_gcc_builds(tmp_path: Path) -> None:
    # Before: '#if\' then 'def CONFIG_B' was read '#if def CONFIG_B' (not decided) and '#ifdef /* x' as an #ifdef
    # of nothing, its next line code: lines 3 and 13 were not known to differ.
    got = set(_differing("u.c", SPELLED.split("\n"), frozenset({"CONFIG_B"})))
    assert got == {3, 6, 9, 13, 20}
    assert got == kept_lines(tmp_path, SPELLED, "-DCONFIG_A", "-DCONFIG_B") ^ kept_lines(tmp_path, SPELLED,
                                                                                         "-DCONFIG_A")


def test_a_header_defines_an_option_as_gcc_reads_it(tmp_path: Path) -> None:
    # Before: '#def\' then 'ine CONFIG_Q 1' and an '#include /* x' then '*/ "r.h"' were not read: CONFIG_Q and
    # CONFIG_T were not known to be defined, and kconfigbranch refused code gcc builds as the mirror does.
    files = {"u.c": '#include "q.h"\nint x;\n', "q.h": ('#def\\\nine CONFIG_Q 1\nint y; /* c\n#define CONFIG_R 1\n*/\n'
                                                       '#include /* x\n */ "r.h"\n'), "r.h": "%:define CONFIG_T 1\n"}
    says = _header_says("u.c", {p: full_file(p, t, "test") for p, t in files.items()})
    got = {o for o, (said, _) in says.items() if said is True}
    assert got == {"CONFIG_Q", "CONFIG_T"}
    for path, text in files.items():
        (tmp_path / path).write_text(text)
    assert got == macros(tmp_path / "u.c")

"""With --tree, a weak function the tree defines strong elsewhere is not run as the kernel's.

With --tree, a weak function of the state's own files that the tree defines strong elsewhere is not run as the
kernel's code (harness.weakdefs): ld links the strong one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.filestate import full_file
from harness.pipeline import EvalRequest, evaluate
from harness.weakdefs import _impossible_guard
from tests.gccdefs import kept_lines
from tests.gitoracle import init_repo
from tests.harness.test_treebuilt import OTHER, RULES
from tests.harness.test_unitdefs import MATRIX, SEAM_H
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

UNIT = ('#include "seam.h"\n\nu64 {weak}seam_retry(u64 fn, struct tdx_module_args *args)\n{{\n'
        '\treturn __seamcall(fn, args) == 7 ? 70 : 1;\n}}\n\n'
        'static int probe(u64 fn, struct tdx_module_args *args)\n{{\n\treturn (int)seam_retry(fn, args){tail};\n}}\n')


def _run(tmp: Path, files: dict[str, str], weak: str = "__weak ") -> tuple[str, int | None, str, str]:
    """The probe's status, value and error, and the rule's verdict with its note: a patch to x/tdx.c, whose
    seam_retry() is ``weak``, the tree holding ``files`` besides."""
    old, new = UNIT.format(weak=weak, tail=""), UNIT.format(weak=weak, tail=" + 1")
    init_repo(tmp / "linux", {"x/seam.h": SEAM_H, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n", **files})
    mbox = write_mbox(tmp / "p.mbox", [message("[PATCH] x: one more", "p1@example.org",
                                               patch_body("One more.", diff("x/tdx.c", old, new)))])
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "rules.toml").write_text(RULES)
    ev = evaluate(EvalRequest((mbox,), tree=tmp / "linux", matrix=tmp / "m.toml", rules=tmp / "rules.toml",
                              jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    assert ev.judgement is not None
    [row] = ev.judgement.rows
    return str(out.status), out.ret, out.error or "", f"{row.verdicts['v1'].status}: {row.verdicts['v1'].note}"


@pytest.mark.parametrize("where", ["z", "x"], ids=["other-folder", "beside"])
def test_a_weak_default_the_tree_overrides_is_not_run_as_the_kernels(tmp_path: Path, where: str) -> None:
    # Before: the patched file's __weak default ran (71) and the rule passed; the kernel links z/strong.c's (80).
    make = "obj-y += strong.o\n" if where == "z" else "obj-y += tdx.o strong.o\n"
    status, _, error, rule = _run(tmp_path, {f"{where}/strong.c": OTHER, f"{where}/Makefile": make})
    said = (f"seam_retry() at x/tdx.c:3 is __weak, and {where}/strong.c:1 defines it strong, which kbuild builds: "
            "ld links that one, not the __weak one the mirror would run")
    assert status == "error" and error == f"not the kernel's code: probe() reaches seam_retry(); {said}", error
    assert rule.startswith("inconclusive: ") and said in rule, rule


def test_an_override_built_only_with_an_option_says_so(tmp_path: Path) -> None:
    _, _, error, _ = _run(tmp_path, {"z/strong.c": OTHER, "z/Makefile": "obj-$(CONFIG_Z) += strong.o\n"})
    assert "z/strong.c:1 defines it strong, which kbuild builds (z/Makefile:1 names strong.o (CONFIG_Z taken as " \
           "set)): ld links that one" in error, error


@pytest.mark.parametrize("files", [{}, {"z/strong.c": OTHER, "z/Makefile": "obj-y += other.o\n"},
                                   {"z/strong.c": OTHER.replace("u64 seam", "static u64 seam"),
                                    "z/Makefile": "obj-y += strong.o\n"},
                                   {"z/weak.c": OTHER.replace("u64 seam", "u64 __weak seam"),
                                    "z/Makefile": "obj-y += weak.o\n"},
                                   {"arch/arm64/kernel/strong.c": OTHER,
                                    "arch/arm64/kernel/Makefile": "obj-y += strong.o\n"}],
                         ids=["alone", "not-built", "static", "weak-too", "other-arch"])
def test_a_weak_default_no_built_strong_definition_overrides_runs(tmp_path: Path, files: dict[str, str]) -> None:
    status, ret, error, rule = _run(tmp_path, files)
    assert (status, ret) == ("ok", 71) and rule.startswith("pass: "), (error, rule)



ADDED = ('#include "seam.h"\n\n{extra}static int probe(u64 fn, struct tdx_module_args *args)\n{{\n'
         '\treturn (int)seam_retry(fn, args){tail};\n}}\n')
EXTRA = "u64 seam_retry(u64 fn, struct tdx_module_args *args)\n{\n\treturn 70;\n}\n\n"


def _added(tmp: Path, files: dict[str, str], before: str = "") -> tuple[str, int | None, str]:
    """The probe's status, value and error: a patch to x/tdx.c adding seam_retry() there (``before``: what the base's
    x/tdx.c has of it), the tree holding ``files`` besides."""
    old, new = ADDED.format(extra=before, tail=""), ADDED.format(extra=EXTRA, tail=" + 1")
    init_repo(tmp / "linux", {"x/seam.h": SEAM_H, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n", **files})
    mbox = write_mbox(tmp / "p.mbox", [message("[PATCH] x: own retry", "p1@example.org",
                                               patch_body("Own.", diff("x/tdx.c", old, new)))])
    (tmp / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp / "linux", matrix=tmp / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    return str(out.status), out.ret, out.error or ""


def test_a_function_the_patches_add_that_the_tree_defines_elsewhere_is_not_known_to_link(tmp_path: Path) -> None:
    # Before: the new seam_retry() ran (71) and a rule could pass; z/strong.c, built, already defines one: the
    # kernel does not link (ld: multiple definition of 'seam_retry').
    status, _, error = _added(tmp_path, {"z/strong.c": OTHER, "z/Makefile": "obj-y += strong.o\n"})
    assert status == "error" and error == (
        "not known to link: probe() reaches seam_retry(); seam_retry() at x/tdx.c:3, which the patches add, is also "
        "defined at z/strong.c:1 without static, which kbuild builds: two strong definitions in one kernel do not "
        "link (ld: multiple definition), unless they go to different modules"), error


@pytest.mark.parametrize("files", [{}, {"z/strong.c": OTHER.replace("u64 seam", "static u64 seam"),
                                        "z/Makefile": "obj-y += strong.o\n"},
                                   {"z/strong.c": OTHER, "z/Makefile": "obj-y += other.o\n"},
                                   {"z/weak.c": OTHER.replace("u64 seam", "u64 __weak seam"),
                                    "z/Makefile": "obj-y += weak.o\n"}],
                         ids=["alone", "static", "not-built", "weak-default"])
def test_a_function_the_patches_add_that_nothing_else_links_runs(tmp_path: Path, files: dict[str, str]) -> None:
    status, ret, error = _added(tmp_path, files)
    assert (status, ret) == ("ok", 71), error


def test_a_function_the_base_already_had_is_no_addition(tmp_path: Path) -> None:
    # The base's x/tdx.c defines it already: whatever links it, the patch adds nothing there.
    status, ret, error = _added(tmp_path, {"z/strong.c": OTHER, "z/Makefile": "obj-y += strong.o\n"}, before=EXTRA)
    assert (status, ret) == ("ok", 71), error


ASM = ("#include <linux/linkage.h>\n\n{start}(seam_retry)\n\tmovq $80, %rax\n\tRET\nSYM_FUNC_END(seam_retry)\n")


@pytest.mark.parametrize("start", ["SYM_FUNC_START", "SYM_TYPED_FUNC_START", "SYM_CODE_START", "ENTRY"])
def test_a_weak_default_an_assembly_file_overrides_is_not_run(tmp_path: Path, start: str) -> None:
    # Before: only .c files were searched: the __weak default ran (71) and the rule passed, though ld links the
    # assembly one (z/strong.S) into every x86-64 kernel.
    files = {"z/strong.S": ASM.format(start=start), "z/Makefile": "obj-y += strong.o\n"}
    status, _, error, rule = _run(tmp_path, files)
    said = ("seam_retry() at x/tdx.c:3 is __weak, and z/strong.S:3 defines it in assembly "
            f"({start}(seam_retry)), which kbuild builds: ld links that one, not the __weak one the mirror would run")
    assert status == "error" and error == f"not the kernel's code: probe() reaches seam_retry(); {said}", error
    assert rule.startswith("inconclusive: "), rule


@pytest.mark.parametrize("files", [
    {"z/strong.S": ASM.format(start="SYM_FUNC_START"), "z/Makefile": "obj-y += other.o\n"},
    {"z/strong.S": ASM.format(start="SYM_FUNC_START_LOCAL"), "z/Makefile": "obj-y += strong.o\n"},
    {"z/strong.S": ASM.format(start="SYM_FUNC_START_WEAK"), "z/Makefile": "obj-y += strong.o\n"},
    {"arch/arm64/lib/strong.S": ASM.format(start="SYM_FUNC_START"), "arch/arm64/lib/Makefile": "obj-y += strong.o\n"}],
    ids=["not-built", "local", "weak-too", "other-arch"])
def test_an_assembly_definition_ld_does_not_link_over_it_changes_nothing(tmp_path: Path, files: dict[str, str]) -> None:
    status, ret, error, rule = _run(tmp_path, files)
    assert (status, ret) == ("ok", 71) and rule.startswith("pass: "), (error, rule)


PRAGMA = "#pragma weak seam_retry\n"


@pytest.mark.parametrize("pragma", [PRAGMA, "%:pragma weak seam_retry\n", " %: pragma weak seam_retry\n",
                                    "#pragma weak \\\nseam_retry\n", "#\\\npragma weak \\\nseam_retry\n"])
def test_a_default_made_weak_by_a_pragma_is_overridden_too(tmp_path: Path, pragma: str) -> None:
    # Before: only __weak / __attribute__((weak)) in the head counted: 'pragma weak' made no default, the default
    # ran (71) and the rule passed, though ld links z/strong.c's. '%:' is '#' (C11 6.4.6p3) and a backslash-newline
    # is removed first (C11 5.1.1.2p1 phase 2): either pragma was read as nothing, the same false pass.
    old = pragma + UNIT.format(weak="", tail="")
    init_repo(tmp_path / "linux", {"x/seam.h": SEAM_H, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n",
                                   "z/strong.c": OTHER, "z/Makefile": "obj-y += strong.o\n"})
    new = pragma + UNIT.format(weak="", tail=" + 1")
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: one more", "p1@example.org",
                                                    patch_body("One more.", diff("x/tdx.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    at = 3 + pragma.count("\n")
    assert out.error is not None and f"seam_retry() at x/tdx.c:{at} is __weak (#pragma weak seam_retry at " \
        "x/tdx.c:1), and z/strong.c:1 defines it strong" in out.error, out


@pytest.mark.parametrize("pragma", [PRAGMA, "%:" + PRAGMA[1:]])
def test_a_tree_definition_made_weak_by_a_pragma_overrides_nothing(tmp_path: Path, pragma: str) -> None:
    status, ret, error, rule = _run(tmp_path, {"z/weak.c": pragma + OTHER, "z/Makefile": "obj-y += weak.o\n"})
    assert (status, ret) == ("ok", 71) and rule.startswith("pass: "), (error, rule)


def test_a_globl_line_overrides_too(tmp_path: Path) -> None:
    asm = "\t.text\n\t.globl seam_retry\nseam_retry:\n\tmovq $80, %rax\n\tret\n"
    _, _, error, _ = _run(tmp_path, {"z/strong.S": asm, "z/Makefile": "obj-y += strong.o\n"})
    assert "z/strong.S:2 defines it in assembly (.globl seam_retry), which kbuild builds" in error, error


def test_a_function_the_patches_add_that_an_assembly_file_defines_does_not_link(tmp_path: Path) -> None:
    status, _, error = _added(tmp_path, {"z/strong.S": ASM.format(start="SYM_FUNC_START"),
                                         "z/Makefile": "obj-y += strong.o\n"})
    assert status == "error" and "seam_retry() at x/tdx.c:3, which the patches add, is also defined at " \
        "z/strong.S:3 in assembly (SYM_FUNC_START(seam_retry)), which " \
        "kbuild builds: two strong definitions in one kernel do not link" in error, error


ARM_ONLY_KCONFIG = {"Kconfig": 'source "z/Kconfig"\n', "arch/arm64/Kconfig": "config ARM64\n\tdef_bool y\n",
                    "arch/x86/Kconfig": "config X86\n\tdef_bool y\n",
                    "z/Kconfig": "config Q\n\tbool \"q\"\n\tdepends on ARM64\nconfig R\n\tbool \"r\"\n"}


@pytest.mark.parametrize(("guard", "overrides"), [
    ("#ifndef CONFIG_X86_64", False), ("#if !defined(CONFIG_64BIT)", False), ("#ifdef CONFIG_X86_32", False),
    ("#if defined(CONFIG_R) && defined(CONFIG_Q)", False), ("#ifndef CONFIG_Q", True), ("#ifndef CONFIG_R", True),
    ("#ifdef __ASSEMBLY__", True), ("#if defined(CONFIG_R) || defined(CONFIG_Q)", True)],
    ids=["ifndef-64", "not-64bit", "x86-32", "and-arm-only", "ifndef-arm-only", "ifndef-settable", "assembly",
         "or-settable"])
def test_an_assembly_override_is_read_through_its_guard(tmp_path: Path, guard: str, overrides: bool) -> None:
    # Before: only '#ifdef CONFIG_X' of an option no x86-64 build sets was read; an override under '#ifndef
    # CONFIG_X86_64' (no x86-64 kernel has it) refused the __weak default's run as not the kernel's code.
    asm = f"{guard}\n" + ASM.format(start="SYM_FUNC_START") + "#endif\n"
    status, ret, error, rule = _run(tmp_path, {"z/strong.S": asm, "z/Makefile": "obj-y += strong.o\n",
                                               **ARM_ONLY_KCONFIG})
    if overrides:
        assert status == "error" and "z/strong.S:4 defines it in assembly" in error, error
    else:
        assert (status, ret) == ("ok", 71) and rule.startswith("pass: "), (error, rule)


@pytest.mark.parametrize(("define", "overrides"), [
    ("#define SEAM_ENTRY(name) \\\n\tSYM_FUNC_START(name)\n", True),
    ("#define SEAM_ENTRY(name, align) .globl name ; .p2align align ; name:\n", True),
    ("#define SEAM_ENTRY(name) name:\n", False), ("", False)], ids=["linkage", "globl", "local-label", "not-defined"])
def test_an_assembly_override_through_the_file_s_own_macro_is_read(tmp_path: Path, define: str,
                                                                    overrides: bool) -> None:
    # Before: only a linkage macro's own name at the start of a line was searched for: SEAM_ENTRY(seam_retry), which
    # the .S file defines as SYM_FUNC_START(seam_retry), was not seen, and the __weak default ran (71) and passed.
    args = "seam_retry, 4" if "align" in define else "seam_retry"
    asm = f"#include <linux/linkage.h>\n{define}\nSEAM_ENTRY({args})\n\tmovq $80, %rax\n\tRET\n" \
          "SYM_FUNC_END(seam_retry)\n"
    status, ret, error, _ = _run(tmp_path, {"z/strong.S": asm, "z/Makefile": "obj-y += strong.o\n"})
    if not overrides:
        assert (status, ret) == ("ok", 71), error
        return
    line = 2 + define.count("\n")
    assert status == "error" and f"z/strong.S:{line + 1} defines it in assembly (SEAM_ENTRY(seam_retry), which " \
        f"z/strong.S:2 defines as " in error and "which kbuild builds: ld links that one" in error, error


@pytest.mark.parametrize("decl", [
    "u64 __weak seam_retry(u64 fn, struct tdx_module_args *args);\n",
    "extern u64 seam_retry(u64 fn,\n\t\tstruct tdx_module_args *args) __attribute__((weak));\n"],
    ids=["weak-before", "attribute-after"])
def test_a_default_a_weak_declaration_makes_weak_is_overridden_too(tmp_path: Path, decl: str) -> None:
    # Before: x/tdx.c's plain definition was taken as strong and ran (71), the rule passing; but gcc keeps the
    # weak attribute of x/seam.h's declaration for it (nm: W), and ld links z/strong.c's strong one.
    status, _, error, _ = _run(tmp_path, {"x/seam.h": "/* seam */\n" + decl, "z/strong.c": OTHER,
                                          "z/Makefile": "obj-y += strong.o\n"}, weak="")
    assert status == "error" and "seam_retry() at x/tdx.c:3 is __weak (declared weak at x/seam.h:2), and " \
        "z/strong.c:1 defines it strong, which kbuild builds" in error, error


def test_a_tree_definition_made_weak_by_its_file_s_declaration_overrides_nothing(tmp_path: Path) -> None:
    # Before: z/weak.c's definition, made weak by the file's own 'u64 __weak seam_retry(...);' (gcc: W), counted as
    # strong: the state's __weak default was refused as overridden, though ld may link either of two weak ones.
    decl = "u64 __weak seam_retry(u64 fn, struct tdx_module_args *args);\n\n"
    status, ret, error, rule = _run(tmp_path, {"z/weak.c": decl + OTHER, "z/Makefile": "obj-y += weak.o\n"})
    assert (status, ret) == ("ok", 71) and rule.startswith("pass: "), (error, rule)


def test_a_weak_default_and_a_strong_override_the_patches_both_touch_run_the_strong_one(tmp_path: Path) -> None:
    # The patches touch x/tdx.c's __weak seam_retry() and add z/strong.c's strong one, built: gcc links the strong
    # one (81). Before: the mirror ran the weak one (71) as the kernel's.
    import subprocess

    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    old, new = UNIT.format(weak="__weak ", tail=""), UNIT.format(weak="__weak ", tail=" + 1")
    common = ("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
              "static u64 __seamcall(u64 fn, struct tdx_module_args *a) { return 7; }\n")
    unit = new.replace('#include "seam.h"', "").replace("__weak", "__attribute__((weak))")
    (tmp_path / "tdx.c").write_text(common + unit + '#include <stdio.h>\nint main(void)\n{\n'
                                    '\tstruct tdx_module_args a = { 0 };\n\n\tprintf("%d\\n", probe(1, &a));\n'
                                    '\treturn 0;\n}\n')
    (tmp_path / "strong.c").write_text(common + OTHER)
    subprocess.run(["gcc", "-O2", "-o", str(tmp_path / "oracle"), str(tmp_path / "tdx.c"), str(tmp_path / "strong.c")],
                   check=True, capture_output=True)
    assert subprocess.run([str(tmp_path / "oracle")], capture_output=True, text=True, check=True).stdout == "81\n"
    init_repo(tmp_path / "linux", {"x/seam.h": SEAM_H, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n",
                                   "z/Makefile": "obj-y += strong.o\n"})
    patch = diff("x/tdx.c", old, new) + diff("z/strong.c", None, '#include "../x/seam.h"\n\n' + OTHER)
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: one more", "p1@example.org",
                                                    patch_body("One more.", patch))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    assert (str(out.status), out.ret) == ("ok", 81), out.error


# An assembly file's line under '#if\' then 'def CONFIG_ARM64' and under '#ifdef /* x' then ' */ CONFIG_ARM64'.
GUARDED_ASM = "#if\\\ndef CONFIG_ARM64\nint l1;\n#endif\n#ifdef /* x\n */ CONFIG_ARM64\nint l2;\n#endif\nint l3;\n"


def test_an_assembly_line_only_an_impossible_option_builds_is_read_as_gcc_reads_its_guards(tmp_path: Path) -> None:
    # Before: '#if\' then 'def CONFIG_ARM64' was read '#if def CONFIG_ARM64' and '#ifdef /* x' an #ifdef of nothing:
    # neither decided, the lines under them taken as built on x86-64.
    got = full_file("arch/x86/k/a.S", GUARDED_ASM, "test")
    impossible = {"CONFIG_ARM64": "no x86-64 build sets it"}.get
    out = {n for n in (3, 7, 9) if _impossible_guard(got, n, impossible)}
    assert out == {3, 7}
    built = kept_lines(tmp_path, GUARDED_ASM, "-D__ASSEMBLY__", "-DCONFIG_ARM64")
    assert out == built - kept_lines(tmp_path, GUARDED_ASM, "-D__ASSEMBLY__")

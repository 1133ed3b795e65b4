"""With --tree, a function taken from a .c file is one kbuild builds (harness.treebuilt).

With --tree, a function taken from a .c file of the tree is one kbuild builds, and a result resting on a
CONFIG_ option it takes as set says so (harness.treebuilt, harness.unitdefs, harness.configonly.assumed_built)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.configonly import SET, SET_IF, assumed_built, set_words
from harness.filestate import full_file
from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.treebuilt import line_guards
from models.slicer import Definition
from tests.gccdefs import kept_lines
from tests.gitoracle import init_repo
from tests.harness.test_unitdefs import MATRIX, SEAM_H, UNIT_C
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BODY = "u64 seam_retry(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args) == 7 ? 70 : 1;\n}\n"
OTHER = BODY.replace("70 : 1", "80 : 2")
RULES = ('[[rule]]\nid = "once"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n[rule.check]\n'
         'kind = "behaviour"\nscenarios = { entry = "probe" }\nexpect = { no_retry = true }\n')


def _eval(tmp: Path, files: dict[str, str]) -> Evaluation:
    """eval of a patch to x/tdx.c (built: x/Makefile) whose probe() calls seam_retry(), the tree holding ``files``."""
    old, new = UNIT_C.format(tail=""), UNIT_C.format(tail=" + 1")
    init_repo(tmp / "linux", {"x/seam.h": SEAM_H, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n", **files})
    mbox = write_mbox(tmp / "p.mbox", [message("[PATCH] x: one more", "p1@example.org",
                                               patch_body("One more.", diff("x/tdx.c", old, new)))])
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "rules.toml").write_text(RULES)
    return evaluate(EvalRequest((mbox,), tree=tmp / "linux", matrix=tmp / "m.toml", rules=tmp / "rules.toml",
                                jobs=1, cache=None))


def _said(ev: Evaluation) -> tuple[str, int | None, str, str]:
    """The probe's status and value, where seam_retry() was looked for, and the rule's verdict with its note."""
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    v = ev.result.variant("v1")
    assert ev.judgement is not None
    [row] = ev.judgement.rows
    verdict = row.verdicts["v1"]
    return (str(out.status), out.ret, " | ".join([*(h.via for h in v.headers.headers), v.headers.searched]),
            f"{verdict.status}: {verdict.note}")


@pytest.mark.parametrize("make", ["", "obj-y += other.o\n", "obj-n += seam.o\n"], ids=["none", "other", "obj-n"])
def test_a_function_of_a_file_kbuild_does_not_build_is_not_taken(tmp_path: Path, make: str) -> None:
    # Before: k/seam.c's seam_retry() was run (71), though no Makefile builds k/seam.o: the kernel has no such
    # function to link (an undefined reference).
    status, _, where, _ = _said(_eval(tmp_path, {"k/seam.c": BODY, **({"k/Makefile": make} if make else {})}))
    assert status == "error", where
    why = "k has no Makefile or Kbuild" if not make else "k/Makefile names no seam.o"
    assert f"seam_retry() is defined in k/seam.c:1, but kbuild does not build it ({why}): not taken" in where, where


def test_a_function_of_a_file_built_only_with_an_option_says_so_in_a_pass(tmp_path: Path) -> None:
    # Before: the pass said nothing of CONFIG_SEAM, on which the code it ran rests (without it, seam_retry() is an
    # undefined reference). As a created file's obj-$(CONFIG_X) line is said (harness.configonly.assumed_built).
    ev = _eval(tmp_path, {"k/seam.c": BODY, "k/Makefile": "obj-$(CONFIG_SEAM) += seam.o\n"})
    status, ret, where, rule = _said(ev)
    assert (status, ret) == ("ok", 71), where
    said = "k/seam.c: k/Makefile:1 names seam.o (CONFIG_SEAM taken as set)"
    assert rule.startswith("pass: ") and f"{said}; {SET}" in rule, rule
    assert assumed_built(ev.result.variant("v1"), ["probe"]) == (said,)


def test_a_folder_kbuild_enters_only_with_an_option_is_said(tmp_path: Path) -> None:
    ev = _eval(tmp_path, {"k/sub/seam.c": BODY, "k/sub/Makefile": "obj-y += seam.o\n",
                          "k/Makefile": "obj-y += a.o\nobj-$(CONFIG_SUB) += sub/\n"})
    assert assumed_built(ev.result.variant("v1"), ["probe"]) == (
        "k/sub/seam.c: k/sub/Makefile:1 names seam.o, k/Makefile:2 names sub/ (CONFIG_SUB taken as set)",)


def test_a_definition_under_an_if_of_an_option_says_so_in_a_pass(tmp_path: Path) -> None:
    ev = _eval(tmp_path, {"k/seam.c": "#include <x.h>\n#ifdef CONFIG_SEAM\n" + BODY + "#endif\n",
                          "k/Makefile": "obj-y += seam.o\n"})
    status, ret, _, rule = _said(ev)
    said = "k/seam.c: seam_retry() at k/seam.c:3 is under #ifdef CONFIG_SEAM (k/seam.c:2), taken as set"
    assert (status, ret) == ("ok", 71) and f"{said}; {SET_IF}" in rule, rule
    assert set_words((said,)) == SET_IF and set_words(("x.c: a/Makefile:1 names x.o (CONFIG_X taken as set)",)) == SET


@pytest.mark.parametrize("near", ["j", "x/j"], ids=["as-near", "nearer"])
def test_the_file_built_whatever_the_configuration_is_the_one_linked(tmp_path: Path, near: str) -> None:
    # k/seam.c needs CONFIG_SEAM, z/other.c is always built: a configuration with both has two seam_retry(), which
    # does not link, so z/other.c's is the kernel's. Before: 'defined in k/seam.c and in z/other.c, as near to the
    # units: ... neither taken' (or the nearer, conditional one run).
    ev = _eval(tmp_path, {f"{near}/seam.c": BODY, f"{near}/Makefile": "obj-$(CONFIG_SEAM) += seam.o\n",
                          "z/other.c": OTHER, "z/Makefile": "obj-y += other.o\n"})
    status, ret, where, rule = _said(ev)
    assert (status, ret) == ("ok", 81), where
    assert "defined out of line in z/other.c" in where and "taken as set" not in rule, (where, rule)


def test_two_files_each_built_only_with_an_option_as_near_are_neither_taken(tmp_path: Path) -> None:
    ev = _eval(tmp_path, {"j/seam.c": BODY, "j/Makefile": "obj-$(CONFIG_J) += seam.o\n",
                          "z/other.c": OTHER, "z/Makefile": "obj-$(CONFIG_Z) += other.o\n"})
    status, _, where, _ = _said(ev)
    assert status == "error" and "seam_retry() is defined in j/seam.c and in z/other.c, as near" in where, where


def test_a_file_beside_the_unit_built_only_with_an_option_says_so(tmp_path: Path) -> None:
    ev = _eval(tmp_path, {"x/seam.c": BODY, "x/Makefile": "obj-y += tdx.o\nobj-$(CONFIG_SEAM) += seam.o\n"})
    status, ret, _, rule = _said(ev)
    assert (status, ret) == ("ok", 71) and "x/seam.c: x/Makefile:2 names seam.o (CONFIG_SEAM taken as set)" in rule


def test_a_file_beside_the_unit_needing_an_option_gives_way_to_one_always_built(tmp_path: Path) -> None:
    # x/seam.c (beside the unit) needs CONFIG_SEAM, z/other.c is always built: z/other.c's is the one linked.
    ev = _eval(tmp_path, {"x/seam.c": BODY, "x/Makefile": "obj-y += tdx.o\nobj-$(CONFIG_SEAM) += seam.o\n",
                          "z/other.c": OTHER, "z/Makefile": "obj-y += other.o\n"})
    status, ret, where, rule = _said(ev)
    assert (status, ret) == ("ok", 81) and "x/seam.c" not in where and "taken as set" not in rule, (where, rule)


def test_a_part_of_a_module_built_only_with_an_option_says_so(tmp_path: Path) -> None:
    # 'seam-y += seam.o' is built with the module seam.o, which 'obj-$(CONFIG_SEAMMOD) += seam.o' names: before, the
    # part's own line (no option) was all that was read, and it counted as built whatever the configuration.
    ev = _eval(tmp_path, {"k/part.c": BODY, "k/Makefile": "obj-$(CONFIG_SEAMMOD) += seam.o\nseam-y += part.o\n"})
    assert assumed_built(ev.result.variant("v1"), ["probe"]) == (
        "k/part.c: k/Makefile:2 names part.o, k/Makefile:1 names seam.o, of which it is a part (CONFIG_SEAMMOD taken "
        "as set)",)


@pytest.mark.parametrize("change", ["add", "remove"])
def test_the_makefile_is_read_as_the_patches_leave_it(tmp_path: Path, change: str) -> None:
    # The patch adds (or takes away) the Makefile line building k/seam.c: the state's Makefile decides, not the
    # tree's at the base. Before, the base's was read: the function of a file the patch has built was not taken.
    old, new = UNIT_C.format(tail=""), UNIT_C.format(tail=" + 1")
    mk_old, mk_new = "obj-y += other.o\n", "obj-y += other.o\nobj-y += seam.o\n"
    if change == "remove":
        mk_old, mk_new = mk_new, mk_old
    files = {"x/seam.h": SEAM_H, "x/tdx.c": old, "x/Makefile": "obj-y += tdx.o\n", "k/seam.c": BODY,
             "k/other.c": "int other;\n", "k/Makefile": mk_old}
    init_repo(tmp_path / "linux", files)
    body = patch_body("One more.", diff("k/Makefile", mk_old, mk_new) + diff("x/tdx.c", old, new))
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: one more", "p1@example.org", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    if change == "add":
        assert (out.status, out.ret) == ("ok", 71), out.error
    else:
        assert out.status == "error" and "k/Makefile names no seam.o" in (out.error or ""), out.error


def test_an_if_line_in_a_comment_is_no_guard() -> None:
    from harness.filestate import full_file
    from harness.treebuilt import guards
    from models.loader import Source, definitions

    text = ("/*\n#ifdef CONFIG_OLD\n */\n#if IS_ENABLED(CONFIG_A) // why\n#else /* not A */\n#ifdef CONFIG_B\n"
            "#endif\n" + BODY + "#endif\n")
    got = full_file("k/seam.c", text, "test")
    [d] = definitions((Source("k/seam.c", ((1, tuple(text.splitlines())),), True),)).get("seam_retry", [None])
    assert d is None  # the mirror takes CONFIG_A as set: the #else branch is not built
    text = text.replace("#else /* not A */\n", "")
    got = full_file("k/seam.c", text, "test")
    [d] = definitions((Source("k/seam.c", ((1, tuple(text.splitlines())),), True),))["seam_retry"]
    assert guards(got, d) == "seam_retry() at k/seam.c:7 is under #if IS_ENABLED(CONFIG_A) (k/seam.c:4), taken as set"


INCLUDER = '#include "seamcall_internal.c"\n'


# '%:include' is '#include' (C11 6.4.6p3), '#inc\' then 'lude' too (a backslash-newline removed, phase 2): each
# was read as no include, the function as not built.
@pytest.mark.parametrize("includer", [INCLUDER, "%:" + INCLUDER[1:], INCLUDER.replace("inc", "inc\\\n", 1)],
                         ids=["pound", "digraph", "spliced"])
def test_a_c_file_another_built_c_file_includes_is_built_with_it(tmp_path: Path, includer: str) -> None:
    # No Makefile names seamcall_internal.o: k/seam.c, which k/Makefile builds, includes it, so its function is in
    # seam.o. Before: 'kbuild does not build it (k/Makefile names no seamcall_internal.o): not taken', not run.
    ev = _eval(tmp_path, {"k/seam.c": includer, "k/seamcall_internal.c": BODY, "k/Makefile": "obj-y += seam.o\n"})
    status, ret, where, rule = _said(ev)
    assert (status, ret) == ("ok", 71), where
    assert "defined out of line in k/seamcall_internal.c" in where and rule.startswith("pass: "), (where, rule)


# '%:' is '#' (C11 6.4.6p3), and a backslash-newline is removed first (phase 2): the #ifdef the include is under is
# said as its one-line '#' twin. Before, the pass left the option out.
@pytest.mark.parametrize("head", ["#ifdef CONFIG_SEAM\n", "%:ifdef CONFIG_SEAM\n", "#ifdef \\\nCONFIG_SEAM\n"])
def test_an_include_of_a_c_file_under_an_option_says_so_in_a_pass(tmp_path: Path, head: str) -> None:
    ev = _eval(tmp_path, {"k/seam.c": head + INCLUDER + "#endif\n", "k/seamcall_internal.c": BODY,
                          "k/Makefile": "obj-$(CONFIG_K) += seam.o\n"})
    status, ret, _, rule = _said(ev)
    at = 1 + head.count("\n")
    said = (f"k/seamcall_internal.c: k/seam.c:{at} includes it, and that line is under #ifdef CONFIG_SEAM "
            "(k/seam.c:1), taken as set; k/Makefile:1 names seam.o (CONFIG_K taken as set)")
    assert (status, ret) == ("ok", 71) and f"{said}; {SET_IF}" in rule, rule
    assert assumed_built(ev.result.variant("v1"), ["probe"]) == (said,)


@pytest.mark.parametrize("make", ["obj-y += other.o\n", "obj-y += seam.o\n"], ids=["includer-unbuilt", "ifndef"])
def test_a_c_file_only_unbuilt_code_includes_is_not_taken(tmp_path: Path, make: str) -> None:
    # The includer is not built, or includes it under '#ifndef CONFIG_SEAM', which the mirror's configuration leaves
    # out: the function is not taken, and the rule's note says where it is and why (before: 'no .c file of the tree
    # ... has a line starting its definition').
    seam = INCLUDER if "other" in make else "#ifndef CONFIG_SEAM\n" + INCLUDER + "#endif\n"
    status, _, where, rule = _said(_eval(tmp_path, {"k/seam.c": seam, "k/seamcall_internal.c": BODY,
                                                    "k/Makefile": make}))
    why = "k/seam.c:1 includes it, but kbuild does not build that (k/Makefile names no seam.o)" if "other" in make \
        else "k/Makefile names no seamcall_internal.o"
    said = "seam_retry() is defined in k/seamcall_internal.c:1, but kbuild does not build it ("
    assert status == "error" and said in where and why in where, where
    assert rule.startswith("inconclusive: ") and said in rule and "has a line starting its definition" not in rule


WEAK = BODY.replace("u64 seam_retry", "u64 __weak seam_retry")


@pytest.mark.parametrize("weak", [WEAK, BODY.replace("u64 seam_retry", "__weak u64 seam_retry"),
                                  BODY.replace("u64 seam_retry", "u64 __attribute__((weak)) seam_retry")],
                         ids=["__weak", "__weak-first", "attribute"])
@pytest.mark.parametrize("where", ["x/weak.c", "x/j/weak.c", "j/weak.c"], ids=["beside", "nearer", "as-near"])
def test_a_strong_definition_elsewhere_is_linked_over_a_weak_one(tmp_path: Path, weak: str, where: str) -> None:
    # ld links z/strong.c's seam_retry() (80 on 7), not the __weak default nearer the unit. Before: the weak one
    # ran where the attribute was spelt out (71: the pass rested on code the kernel does not link), and '__weak'
    # was C the mirror does not parse (include/linux/compiler_attributes.h defines it).
    folder = where.rsplit("/", 1)[0]
    make = "obj-y += tdx.o weak.o\n" if folder == "x" else "obj-y += weak.o\n"
    ev = _eval(tmp_path, {where: weak, f"{folder}/Makefile": make, "z/strong.c": OTHER,
                          "z/Makefile": "obj-y += strong.o\n"})
    status, ret, where_said, rule = _said(ev)
    assert (status, ret) == ("ok", 81) and rule.startswith("pass: "), (where_said, rule)
    assert f"seam_retry() at {where}:1 is __weak: z/strong.c's, a strong definition kbuild builds, is the one " \
           "linked" in where_said, where_said


def test_a_weak_definition_alone_is_the_one_linked(tmp_path: Path) -> None:
    status, ret, where, _ = _said(_eval(tmp_path, {"z/weak.c": WEAK, "z/Makefile": "obj-y += weak.o\n",
                                                   "k/strong.c": OTHER, "k/Makefile": "obj-y += other.o\n"}))
    assert (status, ret) == ("ok", 71) and "defined out of line in z/weak.c" in where, where


def test_a_strong_definition_beside_the_unit_is_linked_over_a_weak_one_beside_it(tmp_path: Path) -> None:
    # Before: 'seam_retry is defined 2 times (x/a.c:1, x/b.c:1)', not run.
    status, ret, where, _ = _said(_eval(tmp_path, {"x/a.c": WEAK, "x/b.c": OTHER,
                                                   "x/Makefile": "obj-y += tdx.o a.o b.o\n"}))
    assert (status, ret) == ("ok", 81) and "seam_retry() at x/a.c:1 is __weak: x/b.c's" in where, where


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_ld_links_the_strong_definition_over_the_weak_one(tmp_path: Path) -> None:
    # The oracle of the tests above: gcc and ld, the weak default and the strong one in two object files.
    import subprocess

    stub = "typedef unsigned long long u64;\nstruct tdx_module_args;\n#define __weak __attribute__((__weak__))\n" \
           "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n"
    (tmp_path / "weak.c").write_text(stub + WEAK)
    (tmp_path / "strong.c").write_text(stub + OTHER)
    (tmp_path / "main.c").write_text(stub + "u64 seam_retry(u64 fn, struct tdx_module_args *args);\n"
                                     "u64 __seamcall(u64 fn, struct tdx_module_args *args) { return 7; }\n"
                                     "int main(void) { return (int)seam_retry(1, 0) + 1; }\n")
    subprocess.run(["gcc", "-o", str(tmp_path / "a.out"), *(str(tmp_path / f) for f in ("main.c", "weak.c",
                                                                                        "strong.c"))], check=True)
    assert subprocess.run([str(tmp_path / "a.out")], check=False).returncode == 81


@pytest.mark.parametrize(("make", "said"), [
    ("ifdef CONFIG_X86_32\nobj-y += seam.o\nendif\n", "kbuild does not build it (k/Makefile:2 names seam.o only under "
     "ifdef CONFIG_X86_32 (k/Makefile:1), which no x86-64 build takes)"),
    ("ifeq ($(CONFIG_X86_64),y)\nobj-y += a.o\nelse\nobj-y += seam.o\nendif\n", "(k/Makefile:4 names seam.o only "
     "under ifeq ($(CONFIG_X86_64),y) (k/Makefile:1), its else branch, which no x86-64 build takes)"),
    ('ifneq "$(CONFIG_64BIT)" ""\nobj-y += a.o\nelse ifdef CONFIG_PCI\nobj-y += seam.o\nendif\n', "only under ifneq"),
    ("ifeq ($(BITS),32)\nobj-y += seam.o\nendif\n", "whether kbuild builds it is unknown (k/Makefile:2 names seam.o "
     "under ifeq ($(BITS),32) (k/Makefile:1), a make conditional not read)"),
    ("ifndef CONFIG_SEAM\nobj-y += seam.o\nendif\n", "under ifndef CONFIG_SEAM (k/Makefile:1): it needs CONFIG_SEAM "
     "unset, a make conditional not read")],
    ids=["ifdef-32", "else-of-64", "else-ifdef-after-64", "other-variable", "needs-unset"])
def test_a_make_conditional_no_x86_build_takes_builds_nothing(tmp_path: Path, make: str, said: str) -> None:
    # Before: the make conditionals around 'obj-y += seam.o' were not read: seam_retry() ran (71) and the rule
    # passed, saying nothing, though an x86-64 kbuild never builds k/seam.o (or it is not known that one does).
    # One case runs eval (the function not taken, its words in the search); the others ask harness.treebuilt.built,
    # which that search reads, alone (no git: a second each of CI).
    from harness.filestate import full_file
    from harness.treebuilt import built

    if "X86_32 (k/Makefile:1), which" in said:
        status, _, where, _ = _said(_eval(tmp_path, {"k/seam.c": BODY, "k/Makefile": make}))
        assert status == "error" and said in where, where
    files = {"k/seam.c": BODY, "k/Makefile": make}
    got = built("k/seam.c", lambda p: full_file(p, files[p], "tree") if p in files else None)
    assert not got.ok and said in f"seam_retry() is defined in k/seam.c:1, but {got.why}", got


@pytest.mark.parametrize(("make", "said"), [
    ("ifdef CONFIG_X86_32\nobj-y += a.o\nelse\nobj-y += seam.o\nendif\n", ""),
    ("ifeq ($(CONFIG_SEAM),y)\nobj-y += seam.o\nendif\n", "k/Makefile:2 names seam.o (CONFIG_SEAM taken as set)"),
    ("ifneq ($(CONFIG_SEAM),)\nifeq ($(CONFIG_X86_64),y)\nobj-$(CONFIG_PCI) += seam.o\nendif\nendif\n",
     "k/Makefile:3 names seam.o (CONFIG_PCI CONFIG_SEAM taken as set)"),
    ("ifdef CONFIG_SEAM\nFLAGS := -O2 \\\n\t-g\nendif\nobj-y += seam.o\n", "")],
    ids=["else-of-32", "eq-y", "nested", "closed-before"])
def test_a_make_conditional_an_x86_build_takes_builds_it(tmp_path: Path, make: str, said: str) -> None:
    ev = _eval(tmp_path, {"k/seam.c": BODY, "k/Makefile": make})
    status, ret, where, rule = _said(ev)
    assert (status, ret) == ("ok", 71), where
    assert assumed_built(ev.result.variant("v1"), ["probe"]) == ((f"k/seam.c: {said}",) if said else ()), rule


@pytest.mark.parametrize(("make", "said"), [
    ("ifdef CONFIG_X86_32\nobj-y += sub/\nendif\n", "kbuild does not build it (k/sub/Makefile:1 names seam.o, but "
     "k/Makefile:2 names sub/ only under ifdef CONFIG_X86_32 (k/Makefile:1), which no x86-64 build takes)"),
    ("ifeq ($(BITS),64)\nobj-y += sub/\nendif\n", "whether kbuild builds it is unknown (k/sub/Makefile:1 names seam.o,"
     " but k/Makefile:2 names sub/ under ifeq ($(BITS),64) (k/Makefile:1), a make conditional not read)")],
    ids=["never", "unread"])
def test_a_folder_named_only_inside_a_make_conditional_no_x86_build_takes(tmp_path: Path, make: str,
                                                                           said: str) -> None:
    # Before: kbuild was taken to reach k/sub/ (no line naming it was read) and seam_retry() ran (71). The unread
    # case asks harness.treebuilt.built alone (what the search reads; no git).
    from harness.filestate import full_file
    from harness.treebuilt import built

    files = {"k/sub/seam.c": BODY, "k/sub/Makefile": "obj-y += seam.o\n", "k/Makefile": make}
    if "X86_32" in make:
        status, _, where, _ = _said(_eval(tmp_path, files))
        assert status == "error" and said in where, where
    got = built("k/sub/seam.c", lambda p: full_file(p, files[p], "tree") if p in files else None)
    assert not got.ok and said.split(" (", 1)[1].rstrip(")") in got.why, got


def _tree_link(files: dict[str, str], path: str = "k/seam.c") -> tuple[str, str]:
    """harness.treebuilt.tree_link of ``path`` in a tree of ``files`` (path -> text), no git: its status and why."""
    from harness.filestate import full_file
    from harness.treebuilt import tree_link

    link = tree_link(path, lambda p: full_file(p, files[p], "tree") if p in files else None)
    return str(link.status), link.why


_EXT, _CC = "ifdef KBUILD_EXTMOD\n", "ifeq ($(call cc-option-yn,-mx),y)\n"


@pytest.mark.parametrize(("make", "status"), [
    (f"{_EXT}obj-y += seam.o\nelse\nobj-y += seam.o\nendif\n", "linked"),
    (f"{_EXT}obj-y += seam.o\nelse ifeq ($(call cc-option-yn,-mx),y)\nobj-y += seam.o\nelse\nobj-y += a.o seam.o\n"
     "endif\n", "linked"),
    (f"{_EXT}obj-y += seam.o\nendif\n{_CC}else\nobj-y += seam.o\nendif\n", "unknown"),
    (f"{_EXT}{_CC}obj-y += seam.o\nelse\nobj-y += seam.o\nendif\nelse\nobj-y += seam.o\nendif\n", "linked"),
    (f"{_EXT}obj-y += seam.o\nelse\nccflags-y += seam.o\nendif\n", "unknown"),
    (f"{_EXT}obj-y += seam.o\nelse ifdef CONFIG_X86_32\nobj-y += seam.o\nendif\n", "unknown")],
    ids=["both", "chain", "two-conditionals", "nested", "flags-other-side", "never-other-side"])
def test_an_object_named_on_every_side_of_a_make_conditional_not_read_is_built(make: str, status: str) -> None:
    # Before: each line inside 'ifdef KBUILD_EXTMOD' was 'a make conditional not read', the object not known to be
    # built even where make builds it whichever branch it takes; one side alone is still not known.
    got = _tree_link({"k/seam.c": BODY, "k/Makefile": make})
    assert got[0] == status, got
    assert status == "linked" or "under ifdef KBUILD_EXTMOD (k/Makefile:1), a make conditional not read" in got[1]


@pytest.mark.parametrize(("make", "status"), [
    ("ifndef CONFIG_ARM64\nobj-y += sub/\nendif\n", "linked"),
    ("ifeq ($(CONFIG_ARM64),)\nobj-y += sub/\nendif\n", "linked"),
    ("ifneq ($(SRCARCH),x86)\nobj-y += sub/\nelse\nobj-y += sub/\nendif\n", "linked"),
    ("ifneq ($(SRCARCH),x86)\nobj-y += sub/\nendif\n", "not linked"),
    ("ifdef CONFIG_ARM64\nobj-y += sub/\nendif\n", "not linked")],
    ids=["ifndef-arm64", "eq-empty-arm64", "else-of-not-x86", "not-x86", "ifdef-arm64"])
def test_an_other_architectures_option_is_unset(make: str, status: str) -> None:
    # Before: 'ifndef CONFIG_ARM64 ...: it needs CONFIG_ARM64 unset, a make conditional not read' (unknown); only
    # arch/arm64/Kconfig defines ARM64, which scripts/kconfig never reads for SRCARCH=x86.
    got = _tree_link({"k/sub/seam.c": BODY, "k/sub/Makefile": "obj-y += seam.o\n", "k/Makefile": make},
                     "k/sub/seam.c")
    assert got[0] == status, got


@pytest.mark.parametrize(("make", "said"), [
    (f"{_EXT}obj-y += tdx.o\nendif\n", "not known to be the kernel's code: probe() (x/tdx.c:3) is in x/tdx.c, which "
     "kbuild may not build on x86-64 (x/Makefile:2 names tdx.o under ifdef KBUILD_EXTMOD (x/Makefile:1), a make "
     "conditional not read)"),
    ("obj-y += other.o\n", "not the kernel's code: probe() (x/tdx.c:3) is in x/tdx.c, which kbuild does not build on "
     "x86-64 (x/Makefile names no tdx.o)")], ids=["one-side-of-unread", "named-nowhere"])
def test_a_patched_unit_kbuild_may_not_build_is_not_run(tmp_path: Path, make: str, said: str) -> None:
    # Before: x/tdx.c, which kbuild builds only under 'ifdef KBUILD_EXTMOD' (or which x/Makefile does not name at
    # all), ran (71) and the rule passed, saying nothing: an x86-64 kernel may not have (has not) that code.
    status, _, _, rule = _said(_eval(tmp_path, {"k/seam.c": BODY, "k/Makefile": "obj-y += seam.o\n",
                                                "x/Makefile": make}))
    assert status == "error" and rule.startswith("inconclusive: ") and said in rule, rule


_ALIASED = BODY.replace("u64 seam_retry", "u64 __seam_retry")
_ATTR = "u64 seam_retry(u64 fn, struct tdx_module_args *args)\n\t__attribute__((weak, alias(\"__seam_retry\")));\n"


@pytest.mark.parametrize(("seam", "strong"), [("#pragma weak seam_retry = __seam_retry\n" + _ALIASED, False),
                                              ("%:pragma weak seam_retry = __seam_retry\n" + _ALIASED, False),
                                              ("#pragma weak seam_retry = \\\n__seam_retry\n" + _ALIASED, False),
                                              (_ALIASED + _ATTR, True)],
                         ids=["pragma-alone", "digraph-pragma-alone", "spliced-pragma-alone", "attribute-and-strong"])
def test_a_weak_alias_is_said_and_gives_way_to_a_strong_definition(tmp_path: Path, seam: str, strong: bool) -> None:
    # Before: the alias alone was 'its body is in a file not read (... no .c file of the tree ... has a line starting
    # its definition ...)', though k/seam.c makes it; with z/other.c's strong one, that was taken saying nothing.
    files = {"k/seam.c": seam, "k/Makefile": "obj-y += seam.o\n"}
    if strong:
        files |= {"z/other.c": OTHER, "z/Makefile": "obj-y += other.o\n"}
    status, ret, where, rule = _said(_eval(tmp_path, files))
    at = "an alias attribute at k/seam.c:5" if strong else "#pragma weak at k/seam.c:1"
    said = f"seam_retry() is a weak alias of __seam_retry() ({at})"
    if strong:
        assert (status, ret) == ("ok", 81) and f"{said}: z/other.c's, a strong definition kbuild builds, is the one " \
            "linked" in where, where
    else:
        assert status == "error" and f"{said}, an alias the mirror does not model: not taken" in rule, rule


def test_an_alias_decides_as_ld_links() -> None:
    from harness.aliases import Alias, aliases
    from harness.filestate import FileState, full_file
    from harness.unitdefs import _aliased
    from models.loader import Source, definitions

    text = ("#pragma weak a = b\nint b(void) { return 1; }\nint c(void) __alias(b);\n/* #pragma weak d = b */\n"
            "int e(void)\n\t__attribute__((__alias__(\"b\"), weak));\n")
    found = aliases(full_file("k/s.c", text, "t"))
    assert {n: (a.target, a.where, a.weak) for n, a in found.items()} == {
        "a": ("b", "k/s.c:1", True), "c": ("b", "k/s.c:3", False), "e": ("b", "k/s.c:5", True)}

    def x_of(f: FileState) -> tuple[FileState, dict[str, list[Definition]], str]:
        return f, {"x": definitions((Source(f.path, ((1, tuple((f.text or "").splitlines())),), True),))["x"]}, ""
    strong = x_of(full_file("z/o.c", "int x(void) { return 2; }\n", "t"))
    weak = x_of(full_file("z/w.c", "int __weak x(void) { return 2; }\n", "t"))
    said: list[str] = []
    notes: dict[str, str] = {}
    # A weak alias gives way to a strong definition; a strong one and a strong definition do not link; two weak
    # ones are link order; a strong alias over a weak definition is the alias, which the mirror does not model.
    for is_weak, other, want in [(True, strong, ""), (False, strong, "multiple definition"),
                                 (True, weak, "their order"), (False, weak, "ld links the alias over that weak one")]:
        chosen = {"x": [other]}
        _aliased({"x": Alias("x", "b", "k/s.c:1", is_weak, "#pragma weak")}, (chosen,), said, notes)
        assert ("x" in chosen) is (not want) and (not want or want in said[-1]), (want, said, notes)
    assert notes["x"].endswith("z/o.c's, a strong definition kbuild builds, is the one linked")


@pytest.mark.parametrize(("make", "ok"), [("obj-m += seam.o\n", False), ("obj-$(CONFIG_SEAM) += seam.o\n", True),
                                          ("obj-y += seam.o\nobj-m += other.o\n", True)], ids=["obj-m", "option", "y"])
def test_a_file_built_only_as_a_module_of_its_own_gives_no_function_to_another_object(make: str, ok: bool) -> None:
    # Before: k/seam.c's seam_retry() was taken for the unit's call (a pass), though seam.ko's function does not
    # link into code built in.
    from harness.filestate import full_file
    from harness.treebuilt import built

    files = {"k/seam.c": BODY, "k/Makefile": make}
    got = built("k/seam.c", lambda p: full_file(p, files[p], "tree") if p in files else None)
    assert got.ok is ok, got
    assert ok or got.why == ("whether that links is unknown: it is a file kbuild builds only as a module of its own "
                             "(k/Makefile:1 names seam.o in obj-m): code built in cannot link its functions, and "
                             "another module only those it exports")


# '#if\' then 'def CONFIG_SEAM', an '#ifdef' in a comment opened after code (none), '#ifdef /* x' then ' */ CONFIG_Y'.
GUARDED = ("#if\\\ndef CONFIG_SEAM\nint l1;\n#endif\nint l2; /* c\n#ifdef CONFIG_X\n*/\nint l3;\n#ifdef /* x\n"
           " */ CONFIG_Y\nint l4;\n#endif\n")


def test_the_options_guarding_a_line_are_those_gcc_builds_it_on(tmp_path: Path) -> None:
    # Before: line 11 was said guarded by nothing, its '#ifdef /* x' read as an #ifdef of nothing.
    got = full_file("k/seam.c", GUARDED, "test")
    said = {n: [g.split(" (")[0] for g in line_guards(got, n)] for n in (3, 5, 8, 11)}
    assert said == {3: ["#ifdef CONFIG_SEAM"], 5: [], 8: [], 11: ["#ifdef CONFIG_Y"]}
    every = ("-DCONFIG_SEAM", "-DCONFIG_Y", "-DCONFIG_X")
    kept = kept_lines(tmp_path, GUARDED, *every)
    for option in every:
        dropped = kept - kept_lines(tmp_path, GUARDED, *(o for o in every if o != option))
        assert dropped == {n for n, guards in said.items() if any(option[2:] in g for g in guards)}, option

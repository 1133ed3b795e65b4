"""pr_fmt_of: the prefix of a unit's pr_*() lines, as kbuild and include/linux/printk.h make it."""

from __future__ import annotations

import pytest

from harness.filestate import full_file
from harness.prfmt import kbuild_modname, pr_fmt_of
from harness.variants import Variant
from models.prfmt_forms import UNMODELLED_PR_FMT
from tests.models.cprog import run

UNIT = "drivers/virt/coco/tdx-host/tdx-host.c"


def _variant(define: str, makefile: str | None = None, extra: dict[str, str] | None = None) -> Variant:
    files = [full_file(UNIT, f"// SPDX-License-Identifier: GPL-2.0\n{define}\n\nstatic int x;\n", "test")]
    if makefile is not None:
        files.append(full_file("drivers/virt/coco/tdx-host/Makefile", makefile, "test"))
    files += [full_file(path, text, "test") for path, text in (extra or {}).items()]
    return Variant("v", "d", tuple(files), (), (), (), "t")


@pytest.mark.parametrize(("define", "makefile", "want"), [
    ('#define pr_fmt(fmt) "tdx-host: " fmt', None, "tdx-host: "),
    # KBUILD_MODNAME: the object's name with '-' as '_' (scripts/Makefile.lib name-fix) ...
    ('#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt', None, "tdx_host: "),
    ("#define pr_fmt(fmt)\tKBUILD_MODNAME \": \" fmt", "obj-$(CONFIG_TDX_HOST_SERVICES) += tdx-host.o\n", "tdx_host: "),
    # ... or the composite module it is linked into.
    ('#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt', "obj-m += tdx-svc.o\ntdx-svc-y := tdx-host.o other.o\n",
     "tdx_svc: "),
    ('#define pr_fmt(fmt) KBUILD_BASENAME "/" KBUILD_MODNAME ": " fmt', None, "tdx_host/tdx_host: "),
    ('#define pr_fmt(fmt) "a" \\\n\t"b: " fmt', None, "ab: "),
])
def test_prefix_forms(define: str, makefile: str | None, want: str) -> None:
    assert pr_fmt_of(_variant(define, makefile), UNIT) == want


def test_a_pr_fmt_that_is_not_a_prefix_is_refused_where_it_prints() -> None:
    got = pr_fmt_of(_variant('#define pr_fmt(fmt) "%s: " fmt, __func__, dev'), UNIT)  # dev: not known at the call
    assert got.startswith(UNMODELLED_PR_FMT) and f"{UNIT}:2: pr_fmt() is not a prefix" in got
    code = "int f(u64 fn, struct tdx_module_args *args)\n{\n\tpr_err(\"x\\n\");\n\treturn 0;\n}\n"
    out = run(code, pr_fmt=got)
    assert out.status == "error" and "pr_fmt() is not a prefix the mirror models" in (out.error or "")
    quiet = "int f(u64 fn, struct tdx_module_args *args)\n{\n\treturn 3;\n}\n"
    assert run(quiet, pr_fmt=got).ret == 3  # code that does not print is not affected


def test_kbuild_modname_without_a_makefile() -> None:
    assert kbuild_modname(_variant(""), "arch/x86/virt/vmx/tdx/tdx.c") == "tdx"


@pytest.mark.parametrize(("define", "want"), [
    # Only a built branch counts (models.conditional); #if 0 is not built.
    ('#if 0\n#define pr_fmt(fmt) "dead: " fmt\n#else\n#define pr_fmt(fmt) "live: " fmt\n#endif', "live: "),
    # A whole file without a pr_fmt has no prefix.
    ("", ""),
])
def test_the_built_definition(define: str, want: str) -> None:
    assert pr_fmt_of(_variant(define), UNIT) == want


def test_two_definitions_are_refused_where_it_prints() -> None:
    # Which one a pr_*() sees depends on where it is; the mirror keeps one prefix per unit.
    got = pr_fmt_of(_variant('#define pr_fmt(fmt) "first: " fmt\n#undef pr_fmt\n#define pr_fmt(fmt) "second: " fmt'),
                    UNIT)
    assert got.startswith(UNMODELLED_PR_FMT) and "pr_fmt is defined 2 times" in got


@pytest.mark.parametrize(("makefiles", "path", "want"), [
    # Lists that name no module, and a composite that is never built: the object's own name.
    ({"a/Makefile": "lib-y += tdx.o\n"}, "a/tdx.c", "tdx"),
    ({"a/Makefile": "extra-y += tdx.o\n"}, "a/tdx.c", "tdx"),
    ({"a/Makefile": "foo-y += tdx.o\n"}, "a/tdx.c", "tdx"),
    # A module listed with -m, and KVM's layout: a parent folder's Makefile names vmx/tdx.o.
    ({"a/Makefile": "obj-m += tdxmod.o\ntdxmod-m += tdx.o\n"}, "a/tdx.c", "tdxmod"),
    ({"arch/x86/kvm/Makefile": "kvm-intel-y += vmx/vmx.o vmx/tdx.o\nobj-$(CONFIG_KVM_INTEL) += kvm-intel.o\n"},
     "arch/x86/kvm/vmx/tdx.c", "kvm_intel"),
    # One object linked into two modules (kbuild warns): which name a build gives is not read.
    ({"a/Makefile": "obj-m += a.o b.o\na-y := tdx.o\nb-y := tdx.o\n"}, "a/tdx.c", None),
])
def test_kbuild_modname_as_kbuild_names_it(makefiles: dict[str, str], path: str, want: str | None) -> None:
    files = tuple(full_file(p, text, "test") for p, text in makefiles.items())
    assert kbuild_modname(Variant("v", "d", files, (), (), (), "t"), path) == want


@pytest.mark.parametrize("include", ['#include "seamcall.h"', '#inc\\\nlude "seamcall.h"',
                                     '# /* c */ include "seamcall.h"'])
def test_a_pr_fmt_defined_after_includes_holds_from_its_line_in_its_file(include: str) -> None:
    # include/linux/printk.h defines pr_fmt(fmt) as fmt unless it is defined first: a header included above
    # the definition expanded its pr_err() without the prefix (gcc warns "pr_fmt redefined"). Before, an include
    # split or commented (one include to gcc, C11 5.1.1.2p1) was not seen: the prefix held in the whole file.
    from models.prfmt_forms import SCOPED_PR_FMT

    define = include + '\n#define pr_fmt(fmt) "tdx: " fmt'
    got = pr_fmt_of(_variant(define), UNIT)
    assert got.startswith(SCOPED_PR_FMT) and got.endswith("tdx: ")
    after = "int f(u64 fn, struct tdx_module_args *args)\n{\n\tpr_err(\"x\\n\");\n\treturn 0;\n}\n"
    from models.loader import EntryPoint, Source
    from models.machine import Answer
    from models.mirror import RunRequest, load_mirror

    def run_in(path: str, first: int) -> object:
        m = load_mirror((Source(path, ((first, tuple(after.split("\n"))),), True),), (EntryPoint("f"),))
        return m.run(RunRequest("f", 0, (Answer(0),), got))

    below, above, header = run_in(UNIT, 10), run_in(UNIT, 1), run_in("drivers/virt/coco/tdx-host/seamcall.h", 10)
    assert [x.text for x in below.log] == ["tdx: x"]  # its own code after the definition: the prefix
    assert [x.text for x in above.log] == ["x"]  # above it: printk.h's default
    assert header.status == "error" and "after #include lines" in (header.error or "")  # not known: refused


MK = "drivers/virt/coco/tdx-host/Makefile"


@pytest.mark.parametrize(("define", "makefile", "extra", "where"), [
    ("#define DEBUG", None, {}, f"{UNIT}:2"),
    ("%:define DEBUG", None, {}, f"{UNIT}:2"),  # '%:' is '#' (C11 6.4.6p3): it was None, pr_debug() printing nothing
    # and a backslash-newline is nothing, a comment a space (phases 2-3): each was None, pr_debug() printing nothing
    ("#def\\\nine DEBUG", None, {}, f"{UNIT}:2"), ("# /* c */ define DEBUG", None, {}, f"{UNIT}:2"),
    ("", "obj-y += tdx-host.o\nccflags-y += -DDEBUG\n", {}, f"{MK}:2"),
    ("", "CFLAGS_tdx-host.o := -DDEBUG\n", {}, f"{MK}:1"),
    ("", "CFLAGS_other.o := -DDEBUG\n", {}, None),  # another object's flag
    # scripts/Makefile.lib: subdir-ccflags-y of a folder above reaches this one; its ccflags-y does not.
    ("", None, {"drivers/virt/Makefile": "subdir-ccflags-y += -DDEBUG\n"}, "drivers/virt/Makefile:1"),
    ("", None, {"drivers/virt/Makefile": "ccflags-y += -DDEBUG\n"}, None),
    ("", "ccflags-$(CONFIG_DEBUG_DRIVER) := -DDEBUG\n", {},
     f"{MK}:1 sets -DDEBUG when $(CONFIG_DEBUG_DRIVER) (the configuration decides)"),
    ('#include "dbg.h"', None, {"drivers/virt/coco/tdx-host/dbg.h": "#define DEBUG\n"},
     "drivers/virt/coco/tdx-host/dbg.h:1, which drivers/virt/coco/tdx-host/tdx-host.c includes"),
    ("", None, {}, None),
])
def test_a_unit_that_defines_debug_has_pr_debug_refused(define: str, makefile: str | None, extra: dict[str, str],
                                                        where: str | None) -> None:
    # include/linux/printk.h: with DEBUG defined, pr_debug() prints (dynamic debug turns it on by default):
    # the mirror, which models it as no_printk(), refuses it there rather than print nothing.
    from harness.prfmt import debug_defined

    v = _variant(define, makefile, extra)
    assert debug_defined(v, UNIT) == where
    code = "int f(u64 fn, struct tdx_module_args *args)\n{\n\tpr_debug(\"x\\n\");\n\treturn 3;\n}\n"
    out = run(code, pr_fmt=pr_fmt_of(v, UNIT))
    if where is None:
        assert out.ret == 3 and not out.log
    else:
        assert out.status == "error" and f"DEBUG is or may be defined ({where})" in (out.error or "")


def test_nothing_is_assumed_of_a_file_the_tree_does_not_have() -> None:
    from harness.coverage import NO_TREE
    from harness.filestate import absent_file
    from harness.prfmt import assumed_pr_fmt

    gone = Variant("v", "d", (absent_file("arch/x86/virt/vmx/tdx/seamldr.c", "not in linux at 1234"),), (), (), (), "t")
    assert assumed_pr_fmt(gone, "arch/x86/virt/vmx/tdx/seamldr.c") is None
    unknown = Variant("v", "d", (), (), (), (), NO_TREE)  # from mail alone the base may hold it
    assert assumed_pr_fmt(unknown, "arch/x86/virt/vmx/tdx/seamldr.c") is not None


def test_nothing_is_assumed_of_a_unit_a_variant_built_on_a_tree_does_not_list() -> None:
    # A reviewer variant on a tree leaves out a file that a patch it does not hold creates (harness.reviewer
    # _without_created): the state lacks it, as the revision's own state at that patch says (absent). It was
    # "the pr_fmt of ... is not among the variant's files: mainline's 'seamldr: ' is used" of that variant alone.
    from harness.coverage import NO_TREE
    from harness.prfmt import assumed_pr_fmt

    on_tree = Variant("v4:03+rev", "d", (), (), (), (), "linux at 712cb8689a6d (base-commit: of the cover letter)")
    assert assumed_pr_fmt(on_tree, "arch/x86/virt/vmx/tdx/seamldr.c") is None
    from_mail = Variant("v4:03+rev", "d", (), (), (), (), NO_TREE)  # the base may hold it: its pr_fmt is assumed
    assert assumed_pr_fmt(from_mail, "arch/x86/virt/vmx/tdx/seamldr.c") is not None


def test_an_assumed_pr_fmt_says_what_is_used_once() -> None:
    # The reports put "assumed: " before it: "assumed: the pr_fmt of ... is not among the variant's files
    # (assumed: mainline's 'seamldr: ')" said it twice.
    from harness.coverage import NO_TREE
    from harness.prfmt import assumed_pr_fmt

    unknown = Variant("v", "d", (), (), (), (), NO_TREE)
    assert assumed_pr_fmt(unknown, "arch/x86/virt/vmx/tdx/seamldr.c") == (
        "seamldr: ", "the pr_fmt of arch/x86/virt/vmx/tdx/seamldr.c is not among the variant's files: mainline's "
                     "'seamldr: ' is used; give --tree")
    assert assumed_pr_fmt(unknown, "x/demo.c") == (
        "", "the pr_fmt of x/demo.c is not among the variant's files: none is used (no prefix); give --tree")

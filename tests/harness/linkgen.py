"""Series of our own that move a SEAMCALL wrapper into a new .c file, with or without the Makefile line for it.

Patch 1 creates a helper header and a .c file whose query function calls a wrapper in the same file; patch 2
moves the wrapper, unchanged, into a second new .c file. Whether a Makefile hunk lists each object is chosen
per test: the moved code is the same either way, only whether the kernel links it differs.
"""

from __future__ import annotations

from email.message import EmailMessage

from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, NEW_HOME, RETRY_SAFE, Step, helpers, revision, with_objects

DIR = "arch/x86/virt/vmx/tdx"
OPS = f"{DIR}/ldr_ops.c"  # names the corpus never used
CALL = f"{DIR}/ldr_call.c"

_CALL_FN = """\
int ldr_call(u64 fn, struct tdx_module_args *args)
{
	return seamldr_prerr(fn, args);
}
"""
_QUERY_FN = """\
int ldr_query(u64 fn, struct tdx_module_args *args)
{
	guard(preempt)();
	return ldr_call(fn, args);
}
"""
_HEAD = '// SPDX-License-Identifier: GPL-2.0\n#define pr_fmt(fmt) "ldr: " fmt\n\n#include "seamcall_internal.h"\n\n'
OPS_BEFORE = _HEAD + _CALL_FN + "\n" + _QUERY_FN
OPS_AFTER = _HEAD + "int ldr_call(u64 fn, struct tdx_module_args *args);\n\n" + _QUERY_FN
CALL_C = _HEAD + _CALL_FN


def moving_wrapper(first: str | None, second: str | None, makefile: str = MAKEFILE_BASE, version: int = 5
                   ) -> list[EmailMessage]:
    """v5 (or ``version``): patch 1 creates the header and OPS, patch 2 moves ldr_call() into CALL. ``first`` /
    ``second``: the object each patch adds to ``makefile`` (its text before the series) with a Makefile hunk, None
    for no hunk."""
    after_first = with_objects(makefile, first) if first else makefile
    one = [(NEW_HOME, None, helpers(RETRY_SAFE)), (OPS, None, OPS_BEFORE)]
    two = [(OPS, OPS_BEFORE, OPS_AFTER), (CALL, None, CALL_C)]
    if first:
        one.append((MAKEFILE, makefile, after_first))
    if second:
        two.append((MAKEFILE, after_first, with_objects(after_first, second)))
    return revision(version, [Step("x86/virt/tdx: Add a loader query helper", tuple(one)),
                        Step("x86/virt/tdx: Move the loader call to its own file", tuple(two))],
                    cover="Loader helpers")


BOTH_C = _HEAD + _CALL_FN + "\n" + _QUERY_FN  # the whole loader in one file


def deleting_ops(keep_line: bool, makefile: str = MAKEFILE_BASE, version: int = 5) -> list[EmailMessage]:
    """Patch 1 creates the header and OPS with its Makefile line; patch 2 deletes OPS, brings its code to CALL and
    adds ldr_call.o, leaving ldr_ops.o in the Makefile (``keep_line``: make has no rule for it then) or taking it
    out."""
    first = with_objects(makefile, "ldr_ops.o")
    second = with_objects(first if keep_line else makefile, "ldr_call.o")
    return revision(version, [
        Step("x86/virt/tdx: Add a loader query helper",
             ((NEW_HOME, None, helpers(RETRY_SAFE)), (OPS, None, OPS_BEFORE), (MAKEFILE, makefile, first))),
        Step("x86/virt/tdx: Move the loader to its own file",
             ((OPS, OPS_BEFORE, None), (CALL, None, BOTH_C), (MAKEFILE, first, second)))],
        cover="Loader helpers")


def renaming_call(fix_caller: bool, version: int = 5) -> list[EmailMessage]:
    """Patch 1 creates the header and OPS (ldr_query() calls ldr_call()) with its Makefile line; patch 2 renames
    ldr_call() to ldr_invoke(), its caller too (``fix_caller``) or left calling ldr_call()."""
    renamed = OPS_BEFORE.replace("int ldr_call(u64 fn", "int ldr_invoke(u64 fn")
    if fix_caller:
        renamed = renamed.replace("return ldr_call(fn, args);", "return ldr_invoke(fn, args);")
    made = with_objects(MAKEFILE_BASE, "ldr_ops.o")
    return revision(version, [
        Step("x86/virt/tdx: Add a loader query helper",
             ((NEW_HOME, None, helpers(RETRY_SAFE)), (OPS, None, OPS_BEFORE), (MAKEFILE, MAKEFILE_BASE, made))),
        Step("x86/virt/tdx: Rename the loader call", ((OPS, OPS_BEFORE, renamed),))],
        cover="Loader helpers")


def inlining_header(keep_include: bool, version: int = 5) -> list[EmailMessage]:
    """Patch 1 creates the header and OPS (which includes it) with its Makefile line; patch 2 deletes the header and
    copies its helpers into OPS, leaving OPS's ``#include "seamcall_internal.h"`` (``keep_include``) or not."""
    inlined = OPS_BEFORE.replace('#include "seamcall_internal.h"\n', '#include "seamcall_internal.h"\n'
                                 + helpers(RETRY_SAFE))
    if not keep_include:
        inlined = inlined.replace('#include "seamcall_internal.h"\n', "")
    made = with_objects(MAKEFILE_BASE, "ldr_ops.o")
    return revision(version, [
        Step("x86/virt/tdx: Add a loader query helper",
             ((NEW_HOME, None, helpers(RETRY_SAFE)), (OPS, None, OPS_BEFORE), (MAKEFILE, MAKEFILE_BASE, made))),
        Step("x86/virt/tdx: Fold the helpers into the loader", ((NEW_HOME, helpers(RETRY_SAFE), None),
                                                                 (OPS, OPS_BEFORE, inlined)))],
        cover="Loader helpers")


PROTO_FIRST = _HEAD + "int ldr_call(u64 fn, struct tdx_module_args *args);\n\n" + _QUERY_FN + "\n" + _CALL_FN


def making_static(keep_prototype: bool, version: int = 5) -> list[EmailMessage]:
    """Patch 1 creates the header and OPS, whose ldr_query() uses ldr_call() through a prototype before ldr_call()'s
    definition; patch 2 makes the definition static, the prototype left without static (``keep_prototype``: gcc
    refuses) or made static too."""
    after = PROTO_FIRST.replace("\nint ldr_call(u64 fn, struct tdx_module_args *args)\n{",
                                "\nstatic int ldr_call(u64 fn, struct tdx_module_args *args)\n{")
    if not keep_prototype:
        after = after.replace("int ldr_call(u64 fn, struct tdx_module_args *args);",
                              "static int ldr_call(u64 fn, struct tdx_module_args *args);")
    made = with_objects(MAKEFILE_BASE, "ldr_ops.o")
    return revision(version, [
        Step("x86/virt/tdx: Add a loader query helper",
             ((NEW_HOME, None, helpers(RETRY_SAFE)), (OPS, None, PROTO_FIRST), (MAKEFILE, MAKEFILE_BASE, made))),
        Step("x86/virt/tdx: Make the loader call static", ((OPS, PROTO_FIRST, after),))],
        cover="Loader helpers")


LDR_H = f"{DIR}/ldr.h"
_LDR_H = '/* SPDX-License-Identifier: GPL-2.0 */\n#include "seamcall_internal.h"\n\nint ldr_call(u64 fn, ' \
    'struct tdx_module_args *args);\n'


def nesting_header(keep_include: bool, version: int = 5) -> list[EmailMessage]:
    """Patch 1 creates the helper header, LDR_H (which includes it) and OPS (which includes LDR_H only) with its
    Makefile line; patch 2 deletes the helper header and copies its helpers into OPS, leaving LDR_H's ``#include
    "seamcall_internal.h"`` (``keep_include``) or taking it out."""
    ops = OPS_BEFORE.replace('#include "seamcall_internal.h"\n', '#include "ldr.h"\n')
    inlined = ops.replace('#include "ldr.h"\n', '#include "ldr.h"\n' + helpers(RETRY_SAFE))
    after_h = _LDR_H if keep_include else _LDR_H.replace('#include "seamcall_internal.h"\n', "")
    made = with_objects(MAKEFILE_BASE, "ldr_ops.o")
    return revision(version, [
        Step("x86/virt/tdx: Add a loader query helper",
             ((NEW_HOME, None, helpers(RETRY_SAFE)), (LDR_H, None, _LDR_H), (OPS, None, ops),
              (MAKEFILE, MAKEFILE_BASE, made))),
        Step("x86/virt/tdx: Fold the helpers into the loader", ((NEW_HOME, helpers(RETRY_SAFE), None),
                                                                 *(() if keep_include else ((LDR_H, _LDR_H, after_h),)),
                                                                 (OPS, ops, inlined)))],
        cover="Loader helpers")


def renaming_declared(keep: str, version: int = 5) -> list[EmailMessage]:
    """As ``renaming_call(False)`` (ldr_query() left calling ldr_call(), renamed ldr_invoke() in OPS), with OPS
    including LDR_H, which still declares ldr_call() (``keep="prototype"``: gcc compiles the call, the link decides)
    or defines it as a macro for the new name (``keep="macro"``: it builds)."""
    header = _LDR_H.replace('#include "seamcall_internal.h"\n', "")
    if keep == "macro":
        header += "int ldr_invoke(u64 fn, struct tdx_module_args *args);\n#define ldr_call ldr_invoke\n"
    ops = OPS_BEFORE.replace('#include "seamcall_internal.h"\n', '#include "seamcall_internal.h"\n#include "ldr.h"\n')
    renamed = ops.replace("int ldr_call(u64 fn, struct tdx_module_args *args)\n{",
                          "int ldr_invoke(u64 fn, struct tdx_module_args *args)\n{")
    made = with_objects(MAKEFILE_BASE, "ldr_ops.o")
    first = _LDR_H.replace('#include "seamcall_internal.h"\n', "")
    two = ((OPS, ops, renamed),) + (((LDR_H, first, header),) if header != first else ())
    return revision(version, [
        Step("x86/virt/tdx: Add a loader query helper",
             ((NEW_HOME, None, helpers(RETRY_SAFE)), (LDR_H, None, first), (OPS, None, ops),
              (MAKEFILE, MAKEFILE_BASE, made))),
        Step("x86/virt/tdx: Rename the loader call", two)],
        cover="Loader helpers")


def guarded_loader(option: str | None, version: int = 5) -> list[EmailMessage]:
    """Patch 1 creates the header and OPS with a Makefile line for ldr_ops.o, guarded by ``option``
    (``obj-$(CONFIG_X) += ldr_ops.o``: built only in a kernel configured with it) or not (``obj-y``); patch 2 moves
    ldr_call() into CALL, its line guarded alike."""
    def line(o: str) -> str:
        return f"obj-{f'$({option})' if option else 'y'} += {o}\n"
    made = MAKEFILE_BASE + line("ldr_ops.o")
    return revision(version, [
        Step("x86/virt/tdx: Add a loader query helper",
             ((NEW_HOME, None, helpers(RETRY_SAFE)), (OPS, None, OPS_BEFORE), (MAKEFILE, MAKEFILE_BASE, made))),
        Step("x86/virt/tdx: Move the loader call to its own file",
             ((OPS, OPS_BEFORE, OPS_AFTER), (CALL, None, CALL_C), (MAKEFILE, made, made + line("ldr_call.o"))))],
        cover="Loader helpers")


def moving_undeclared(keep: str, include: str = "", version: int = 5) -> list[EmailMessage]:
    """Patch 1 creates the header and OPS (the whole loader) with its Makefile line; patch 2 moves ldr_call() into
    CALL with its Makefile line, leaving OPS calling it with what ``keep`` says: "prototype" (OPS declares it),
    "header" (LDR_H declares it and OPS includes LDR_H), "none" (nothing declares it: gcc stops), "static" (OPS
    declares it, CALL defines it static: nothing links it). ``include``: a line patch 2 adds to OPS's includes."""
    ops = OPS_AFTER if keep in ("prototype", "static") else OPS_AFTER.replace(
        "int ldr_call(u64 fn, struct tdx_module_args *args);\n\n", "")
    made = [(NEW_HOME, None, helpers(RETRY_SAFE)), (OPS, None, BOTH_C)]
    if keep == "header":
        ops = ops.replace('#include "seamcall_internal.h"\n', '#include "seamcall_internal.h"\n#include "ldr.h"\n')
        made.append((LDR_H, None, _LDR_H))
    ops = ops.replace('#include "seamcall_internal.h"\n', '#include "seamcall_internal.h"\n' + include)
    first = with_objects(MAKEFILE_BASE, "ldr_ops.o")
    call = CALL_C.replace("\nint ldr_call(", "\nstatic int ldr_call(") if keep == "static" else CALL_C
    return revision(version, [
        Step("x86/virt/tdx: Add a loader query helper", (*made, (MAKEFILE, MAKEFILE_BASE, first))),
        Step("x86/virt/tdx: Move the loader call to its own file",
             ((OPS, BOTH_C, ops), (CALL, None, call), (MAKEFILE, first, with_objects(first, "ldr_call.o"))))],
        cover="Loader helpers")


def keeps_loader_rule(reference: str) -> str:
    """A rules file of one error rule: renaming the loader's call changes no behaviour against ``reference``."""
    return ('[[rule]]\nid = "rename-keeps-loader"\nreviewer = "R"\nsummary = "renaming the loader call changes no '
            f'behaviour"\nseverity = "error"\n[rule.check]\nkind = "equivalence"\nreference = "{reference}"\n')

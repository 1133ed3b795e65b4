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

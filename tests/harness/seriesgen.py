"""A P-SEAMLDR-shaped series of our own, for tests of revisions nobody prepared for.

The C is written for these tests, in the shape of the helpers under review (a retry loop around a
SEAMCALL, error printers, wrappers); the subjects and prose are ours. Helpers move between files,
patches are dropped, a wrapper appears in a new file: the kinds of change a next revision brings.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tests.mailgen import diff, message, patch_body

OLD_HOME = "arch/x86/include/asm/tdx.h"  # where the helpers start
NEW_HOME = "arch/x86/virt/vmx/tdx/seamcall_internal.h"  # a header with a name the corpus never used
WRAPPER = "arch/x86/virt/vmx/tdx/seamldr_ops.c"  # a new .c file with a P-SEAMLDR wrapper
MAKEFILE = "arch/x86/virt/vmx/tdx/Makefile"
TDX_C = "arch/x86/virt/vmx/tdx/tdx.c"
_TDX_TOP = "#include <linux/types.h>\n\nint tdx_ready;\n"  # the part of tdx.c a hunk shows
# tdx.c's hunk adding an #include of NEW_HOME: a header no unit includes is compiled by no build (its wrappers not run)
INCLUDES_NEW_HOME = (TDX_C, _TDX_TOP, _TDX_TOP.replace("types.h>\n", 'types.h>\n#include "seamcall_internal.h"\n'))
MAKEFILE_BASE = "# SPDX-License-Identifier: GPL-2.0-only\nobj-y += seamcall.o tdx.o\n"

# The retry loop as the base has it: preemption off and the cache marked dirty around each SEAMCALL.
RETRY_SAFE = """\
static __always_inline u64 sc_mark_dirty(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	lockdep_assert_preemption_disabled();
	this_cpu_write(cache_state_incoherent, true);
	return op(fn, args);
}

static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	for (;;) {
		preempt_disable();
		err = sc_mark_dirty(op, fn, args);
		preempt_enable();
		if (err != TDX_RND_NO_ENTROPY || !--left)
			break;
	}
	return err;
}
"""

# The same loop after a careless move: the SEAMCALL is made directly, preemption left on.
RETRY_LOST = """\
static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	for (;;) {
		err = op(fn, args);
		if (err != TDX_RND_NO_ENTROPY || !--left)
			break;
	}
	return err;
}
"""

# A review-era change: pick the retry code by the leaf's top bit, with an unlikely() around it.
RETRY_BY_LEAF = "#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n\n" + RETRY_SAFE.replace(
    "\tint left = RDRAND_RETRY_LOOPS;\n\tu64 err;\n",
    "\tint left = RDRAND_RETRY_LOOPS;\n\tu64 busy = TDX_RND_NO_ENTROPY;\n\tu64 err;\n\n"
    "\tif (unlikely(fn & SEAMLDR_LEAF_BIT))\n\t\tbusy = SEAMLDR_RND_NO_ENTROPY;\n",
).replace("err != TDX_RND_NO_ENTROPY", "err != busy")

# The code sc_retry() retries on, kept in a variable of any name and compared in a loop of any shape (the role
# models.retryloop reads).
_LOOPS = {
    "do": "\tdo {{\n\t\terr = op(fn, args);\n\t}} while (err == {test} && --left);\n",
    "while": "\terr = op(fn, args);\n\twhile (unlikely(err == {test}) && --left)\n"
             "\t\terr = op(fn, args);\n",
    "goto": "again:\n\terr = op(fn, args);\n\tif ({test} == err && --left)\n\t\tgoto again;\n",
    "for": "\tfor (;;) {{\n\t\terr = op(fn, args);\n\t\tif (err != {test} || !--left)\n"
           "\t\t\tbreak;\n\t}}\n",
}


def retry_loop(shape: str, var: str, adjacent: bool, test: str | None = None) -> str:
    """sc_retry() with its retry code in ``var``, a default then an override by the leaf's top bit (right after
    each other, or a statement apart), compared in a loop of ``shape`` (do, while, goto, for) with ``test``
    (default: ``var``)."""
    gap = "" if adjacent else "\tu64 err;\n"
    return "#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n\n" + \
        "static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n" \
        f"\tint left = RDRAND_RETRY_LOOPS;\n\tu64 {var} = TDX_RND_NO_ENTROPY;\n{gap}" \
        f"\tif (fn & SEAMLDR_LEAF_BIT)\n\t\t{var} = SEAMLDR_RND_NO_ENTROPY;\n" \
        + ("\tu64 err;\n" if adjacent else "") + "\n" + _LOOPS[shape].format(test=test or var) + "\treturn err;\n}\n"


PRINTERS = """\
static inline void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args)
{
	pr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);
}

static __always_inline int sc_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	u64 err = sc_retry(op, fn, args);

	if (err == TDX_SUCCESS)
		return 0;
	seamcall_err(fn, err, args);
	return -EIO;
}

#define seamcall(_fn, _args)		sc_retry(__seamcall, (_fn), (_args))
#define seamcall_ret(_fn, _args)	sc_retry(__seamcall_ret, (_fn), (_args))
#define seamcall_prerr(_fn, _args)	sc_retry_prerr(__seamcall, (_fn), (_args))
#define seamldr_prerr(_fn, _args)	sc_retry_prerr(__seamcall, (_fn), (_args))
"""

PREAMBLE = """\
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SH_TEST_TDX_H
#define SH_TEST_TDX_H

typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#define SEAMLDR_LEAF_BIT	BIT_ULL(63)

"""
TAIL = "\n#endif\n"

WRAPPER_C = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt

#include "seamcall_internal.h"

static int seamldr_query(u64 fn, struct tdx_module_args *args)
{
	guard(preempt)();
	return seamldr_prerr(fn, args);
}
"""


def with_objects(makefile: str, *objects: str) -> str:
    """A Makefile text with an ``obj-y`` line added for each object."""
    return makefile + "".join(f"obj-y += {o}\n" for o in objects)


# The Makefile hunk a real series adds with WRAPPER: a new .c file no Makefile names is not built (harness.linking),
# and from mail alone whether it is stays unknown.
BUILD_WRAPPER = (MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "seamldr_ops.o"))


def helpers(retry: str) -> str:
    """A helper header: the retry loop given, then the printers and the SEAMCALL macros."""
    return PREAMBLE + retry + "\n" + PRINTERS + TAIL


@dataclass(frozen=True)
class Step:
    """One patch: its title and the file changes (path, old text or None, new text or None)."""

    title: str
    changes: tuple[tuple[str, str | None, str | None], ...]


def _bundled() -> Any:
    from harness.manifest import bundled_manifests, load_manifest

    return load_manifest(bundled_manifests()[0])


def bundled_sender() -> str:
    """Our name at the address the bundled series is sent from (its manifest's ``authors``): a revision of ours is
    then a later one of that series, nobody having listed its Message-IDs (harness.seriesid)."""
    return f"Ann Author <{_bundled().authors[0]}>"


def bundled_cover() -> str:
    """The bundled series' latest cover letter subject (its manifest's ``covers``)."""
    return str(_bundled().covers[-1])


def revision(version: int, steps: list[Step], total: int | None = None, numbers: list[int] | None = None,
             cover: str | None = None, sender: str | None = None) -> list[EmailMessage]:
    """A cover letter and one mail per step, threaded, numbered ``numbers`` (default 1..n) of ``total``, sent from
    ``sender`` under ``cover`` (default: the bundled series', bundled_sender and bundled_cover)."""
    total = total or len(steps)
    numbers = numbers or list(range(1, len(steps) + 1))
    cover_id = f"gen-cover-v{version}@example.org"
    sender, cover = sender or bundled_sender(), cover or bundled_cover()
    msgs = [message(f"[PATCH v{version} 0/{total}] {cover}", cover_id, "Cover letter of our own.\n", sender=sender)]
    for n, step in zip(numbers, steps, strict=True):
        diffs = "".join(diff(path, old, new) for path, old, new in step.changes)
        msgs.append(message(f"[PATCH v{version} {n}/{total}] {step.title}", f"gen-{n}-v{version}@example.org",
                            patch_body(f"Our own changelog for {step.title}.", diffs),
                            parent=cover_id, refs=(cover_id,), sender=sender))
    return msgs


def moving_series(faithful: bool, built: bool = True) -> list[EmailMessage]:
    """v4: the helpers move from asm/tdx.h into a new header (keeping or losing the safe loop), then a
    P-SEAMLDR wrapper under guard() appears in a new .c file (``built``: with its Makefile line)."""
    old = helpers(RETRY_SAFE)
    new = helpers(RETRY_SAFE if faithful else RETRY_LOST).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    return revision(4, [
        Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
             ((OLD_HOME, old, PREAMBLE + TAIL), (NEW_HOME, None, new))),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
             ((WRAPPER, None, WRAPPER_C), *((BUILD_WRAPPER,) if built else ()))),
    ])


def split_moving_series(faithful: bool) -> list[EmailMessage]:
    """v4: the move of moving_series in two patches, the new header added (keeping or losing the safe loop), then
    the helpers removed from asm/tdx.h (its users now get the new header's), then the wrapper."""
    old = helpers(RETRY_SAFE)
    new = helpers(RETRY_SAFE if faithful else RETRY_LOST).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    return revision(4, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, new),)),
        Step("x86/virt/tdx: Drop the SEAMCALL helpers from asm/tdx.h", ((OLD_HOME, old, PREAMBLE + TAIL),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
    ])


def split_rename_series(loop: str) -> list[EmailMessage]:
    """v4: seamcall_retry() added in the new header (``loop`` with sc_retry renamed), then asm/tdx.h dropping sc_retry()
    and calling seamcall_retry(), then the wrapper: a rename split in two patches."""
    renamed = loop.replace("sc_retry(", "seamcall_retry(").replace("sc_mark_dirty", "seamcall_mark_dirty")
    header = "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef SH_RETRY_H\n#define SH_RETRY_H\n\n" + renamed \
        + "\n#endif\n"
    switched = PREAMBLE + PRINTERS.replace("sc_retry(", "seamcall_retry(") + TAIL
    return revision(4, [
        Step("x86/virt/tdx: Add seamcall_retry()", ((NEW_HOME, None, header),)),
        Step("x86/virt/tdx: Switch to seamcall_retry()", ((OLD_HOME, helpers(RETRY_SAFE), switched),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
    ])


PREPARE = "x86/virt/tdx: Prepare to support P-SEAMLDR SEAMCALLs"
# A rule of the kind a reviewer writes for PREPARE: it changes nothing the helpers do (an equivalence check).
PREPARE_KEEPS_RULES = """\
[[rule]]
id = "prepare-keeps-behaviour"
reviewer = "Test Reviewer"
summary = "the Prepare patch changes nothing the helpers do"
severity = "error"
patch = "Prepare to support P-SEAMLDR SEAMCALLs"
[rule.check]
kind = "equivalence"
reference = "before:patch"
"""


def dropping_series() -> list[EmailMessage]:
    """v2 with the patch a reviewer asked to drop (retry code by leaf, with unlikely()); v3 without it."""
    create = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
    wrapper = Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))
    prepare = Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), helpers(RETRY_BY_LEAF)),))
    return revision(2, [create, prepare, wrapper]) + revision(3, [create, wrapper])


def preparing_series(header: str, extra: tuple[tuple[str, str | None, str | None], ...] = (),
                     base: str | None = None) -> list[EmailMessage]:
    """v2 of three patches: a helper header (``base``, default the safe loop's), the 'Prepare' patch turning it into
    ``header`` (and making the ``extra`` changes), then a P-SEAMLDR wrapper: what a rule on the 'Prepare' patch
    judges."""
    base = helpers(RETRY_SAFE) if base is None else base
    return revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, header), *extra)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
    ])


LOADER = "arch/x86/virt/vmx/tdx/seamldr.c"  # the matrix's unit of seamldr_prerr(), which this series creates late


def creating_series(pr_fmt: str | None) -> list[EmailMessage]:
    """v2: the helper header (seamldr_prerr() among them), then the P-SEAMLDR wrapper in the file of the matrix's
    unit for it, created whole with ``#define pr_fmt(fmt) PR_FMT fmt`` (none when None) and its Makefile line. At
    v2:01 the header's code runs in that unit before any file of it is there."""
    define = "" if pr_fmt is None else f"#define pr_fmt(fmt) {pr_fmt} fmt\n\n"
    wrapper = WRAPPER_C.replace('#define pr_fmt(fmt) "seamldr-ops: " fmt\n\n', define)
    return revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
             ((LOADER, None, wrapper), (MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "seamldr.o")))),
    ])


def eval_modules(tmp: Path, mbox: Path, out: Path, pick: str) -> list[str]:
    """Run ``seamharness eval MBOX --json OUT`` in a fresh interpreter, its caches under ``tmp/cache``, and give
    the modules it loaded that ``pick`` (a Python expression of the module name ``m``) selects, sorted."""
    import ast
    import os
    import subprocess
    import sys

    code = ("import sys; from harness.cli import main; main(['eval', sys.argv[1], '--json', sys.argv[2]]); "
            f"print(sorted(m for m in sys.modules if {pick}))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "COLUMNS": "100"}
    proc = subprocess.run([sys.executable, "-c", code, str(mbox), str(out)], env=env, capture_output=True, text=True,
                          check=True)
    found: list[str] = ast.literal_eval(proc.stdout.splitlines()[-1])
    return found


OLD_MACRO = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"


def wrapper_revision(wrapper: str) -> list[EmailMessage]:
    """A v2 whose 'Prepare' patch prints the TDX module's leaf in hex and drops the seamldr_prerr() macro, and whose
    third patch adds ``wrapper`` as seamldr_ops.c (built): the P-SEAMLDR printed by a wrapper no rule names."""
    printers = PRINTERS.replace("SEAMCALL (%llu) failed", "SEAMCALL (%#llx) failed").replace(OLD_MACRO, "")
    base = helpers(RETRY_SAFE)
    return revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, wrapper), BUILD_WRAPPER)),
    ])

"""Series of our own where a later patch or revision renames a helper (tests of harness.renames).

Built on the P-SEAMLDR-shaped helpers of tests.harness.seriesgen: ``sc_retry()`` becomes ``seamcall_retry()``
in its own file, or in a new header it moves to, or with a behaviour change on the way; two look-alike
successors that split its callers; a macro renamed with its caller; a revision that has it under the new
name from the start.
"""

from __future__ import annotations

from email.message import EmailMessage

from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    PREPARE,
    PRINTERS,
    RETRY_BY_LEAF,
    RETRY_LOST,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import diff, message

CREATE = "x86/virt/tdx: Add an internal SEAMCALL helper header"
RENAME = "x86/virt/tdx: Rename sc_retry() to seamcall_retry()"
# What the Prepare patch does here: a constant for the P-SEAMLDR's own "no entropy", used by nothing yet.
EXTRA = "#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n"


def renamed(text: str, old: str = "sc_retry", new: str = "seamcall_retry") -> str:
    """``text`` with every call or definition of ``old(`` spelt ``new(``."""
    return text.replace(f"{old}(", f"{new}(")


def prepared(text: str) -> str:
    """The header after the Prepare patch: one constant more, before the retry loop."""
    return text.replace("#define SEAMLDR_LEAF_BIT", EXTRA + "#define SEAMLDR_LEAF_BIT")


def rename_in_place() -> list[EmailMessage]:
    """v4: create the header, prepare, then rename sc_retry() in the same file (every caller follows)."""
    base = helpers(RETRY_SAFE)
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, prepared(base)),)),
                        Step(RENAME, ((NEW_HOME, prepared(base), renamed(prepared(base))),))])


def rename_first() -> list[EmailMessage]:
    """v4: create, rename, then the Prepare patch (its state before already has the new name)."""
    base = helpers(RETRY_SAFE)
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step(RENAME, ((NEW_HOME, base, renamed(base)),)),
                        Step(PREPARE, ((NEW_HOME, renamed(base), prepared(renamed(base))),))])


def move_and_rename(faithful: bool = True) -> list[EmailMessage]:
    """v4: the helpers move from asm/tdx.h into a new header and sc_retry() is renamed in the same patch
    (keeping the safe loop, or losing preemption on the way); then the Prepare patch."""
    moved = renamed(helpers(RETRY_SAFE if faithful else RETRY_LOST)).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    return revision(4, [
        Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header and rename sc_retry()",
             ((OLD_HOME, helpers(RETRY_SAFE), PREAMBLE + TAIL), (NEW_HOME, None, moved))),
        Step(PREPARE, ((NEW_HOME, moved, prepared(moved)),)),
    ])


# Two successors of sc_retry(), alike: one tries once. Its callers are split between them.
RETRY_ONCE = renamed(RETRY_SAFE, "sc_retry", "sc_retry_once").replace("RDRAND_RETRY_LOOPS", "1").split("\n\n", 1)[1]


def two_candidates() -> list[EmailMessage]:
    """v4: create, prepare, then sc_retry() goes and both seamcall_retry() and sc_retry_once() come."""
    base = prepared(helpers(RETRY_SAFE))
    printers = renamed(PRINTERS).replace("_args)\tseamcall_retry(", "_args)\tsc_retry_once(")  # seamcall_ret()
    split = prepared(PREAMBLE + renamed(RETRY_SAFE) + "\n" + RETRY_ONCE + "\n" + printers + TAIL)
    return revision(4, [Step(CREATE, ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
                        Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), base),)),
                        Step("x86/virt/tdx: Split the retry loop", ((NEW_HOME, base, split),))])


OLD_MACRO = "#define seamldr_call_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
# The renamed macro as a careless rename leaves it: the P-SEAMLDR bit masked off the leaf on the way.
MASKED = OLD_MACRO.replace("(_fn), (_args)", "(_fn) & ~SEAMLDR_LEAF_BIT, (_args)")
# A second macro like it: two candidates for the old name.
TWIN = OLD_MACRO.replace("seamldr_call_prerr(", "seamldr_call_prerr_twin(")


def seamldr_renamed(text: str, macro: str = OLD_MACRO) -> str:
    """``text`` with seamldr_prerr() called and defined as seamldr_call_prerr(), defined as ``macro``."""
    return renamed(text, "seamldr_prerr", "seamldr_call_prerr").replace(OLD_MACRO, macro)


def macro_rename(macro: str = OLD_MACRO) -> list[EmailMessage]:
    """v4: create the header and the P-SEAMLDR wrapper, prepare, then seamldr_prerr() becomes
    seamldr_call_prerr(), its caller in the wrapper with it (``macro``: the new definition: MASKED changes
    the leaf on the way, OLD_MACRO + TWIN adds a second candidate)."""
    base = helpers(RETRY_SAFE)
    old, new = prepared(base), seamldr_renamed(prepared(base), macro)
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                            ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
                        Step(PREPARE, ((NEW_HOME, base, old),)),
                        Step("x86/virt/seamldr: Rename seamldr_prerr()",
                             ((NEW_HOME, old, new), (WRAPPER, WRAPPER_C, seamldr_renamed(WRAPPER_C))))])


def proposal_base() -> list[EmailMessage]:
    """v4 without the rename: create the header, the P-SEAMLDR wrapper, prepare (a reviewer proposes it)."""
    return macro_rename()[:4]


def proposed_rename() -> str:
    """A reviewer's patch file on v4 of ``proposal_base``: seamldr_prerr() renamed, its caller with it."""
    old = prepared(helpers(RETRY_SAFE))
    return diff(NEW_HOME, old, seamldr_renamed(old)) + diff(WRAPPER, WRAPPER_C, seamldr_renamed(WRAPPER_C))


# sc_retry() keeping a count of its retries in a static local: the state a run leaves is "sc_retry::retried".
RETRY_COUNTED = RETRY_SAFE.replace("\tint left = RDRAND_RETRY_LOOPS;\n",
                                   "\tstatic unsigned int retried;\n\tint left = RDRAND_RETRY_LOOPS;\n") \
    .replace("\t\t\tbreak;\n", "\t\t\tbreak;\n\t\tretried++;\n")


def counted_rename() -> list[EmailMessage]:
    """v4: create the header (sc_retry() counting its retries in a static local), prepare, then rename
    sc_retry() in place: the count is kept by seamcall_retry() from then on."""
    base = helpers(RETRY_COUNTED)
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, prepared(base)),)),
                        Step(RENAME, ((NEW_HOME, prepared(base), renamed(prepared(base))),))])


def renamed_next_revision() -> list[EmailMessage]:
    """v4 with sc_retry(); v5, the same two patches with seamcall_retry() from its first patch on."""
    base = helpers(RETRY_SAFE)
    new = renamed(base)
    return (revision(4, [Step(CREATE, ((NEW_HOME, None, base),)), Step(PREPARE, ((NEW_HOME, base, prepared(base)),))])
            + revision(5, [Step(CREATE, ((NEW_HOME, None, new),)),
                           Step(PREPARE, ((NEW_HOME, new, prepared(new)),))]))


def _swap(text: str, a: str, b: str) -> str:
    return text.replace(f"{a}(", "\0(").replace(f"{b}(", f"{a}(").replace("\0(", f"{b}(")


def swapped_names() -> list[EmailMessage]:
    """v4: create; sc_retry() and sc_mark_dirty() swap names (callers with them); then the Prepare patch puts an
    unlikely() into the retry loop, which is now called sc_mark_dirty()."""
    base = helpers(RETRY_SAFE)
    swap = _swap(base, "sc_retry", "sc_mark_dirty")
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Rename the SEAMCALL helpers", ((NEW_HOME, base, swap),)),
                        Step(PREPARE, ((NEW_HOME, swap, _swap(helpers(RETRY_BY_LEAF), "sc_retry", "sc_mark_dirty")),))])


# A new helper that takes the old name: one try, no loop.
ONE_TRY = """\
static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	return sc_mark_dirty(op, fn, args);
}

"""


def old_name_reused() -> list[EmailMessage]:
    """v4: create; sc_retry() becomes seamcall_retry() and a new one-try sc_retry() takes its name (one caller
    on it); then the Prepare patch puts an unlikely() into seamcall_retry()."""
    def reuse(text: str) -> str:
        return renamed(text).replace("static inline void seamcall_err", ONE_TRY + "static inline void seamcall_err") \
            .replace("#define seamcall_ret(_fn, _args)\tseamcall_retry(", "#define seamcall_ret(_fn, _args)\tsc_retry(")
    base = helpers(RETRY_SAFE)
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step(RENAME, ((NEW_HOME, base, reuse(base)),)),
                        Step(PREPARE, ((NEW_HOME, reuse(base), reuse(helpers(RETRY_BY_LEAF))),))])


def aliased(alias: str) -> list[EmailMessage]:
    """v4: create; sc_retry() becomes seamcall_retry(), the old name kept as ``alias`` (a #define) for
    seamcall(); then the Prepare patch puts an unlikely() into seamcall_retry()."""
    def keep(text: str) -> str:
        return renamed(text).replace("#define seamcall(_fn, _args)\t\tseamcall_retry(",
                                     "#define seamcall(_fn, _args)\t\tsc_retry(") \
            .replace("static inline void seamcall_err", alias + "\nstatic inline void seamcall_err")
    base = helpers(RETRY_SAFE)
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step(RENAME, ((NEW_HOME, base, keep(base)),)),
                        Step(PREPARE, ((NEW_HOME, keep(base), keep(helpers(RETRY_BY_LEAF))),))])


# The old name kept as a wrapper of the new helper; no caller is left on it.
KEPT_WRAPPER = """\
static inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	return seamcall_retry(op, fn, args);
}

"""
# The retry loop that no longer retries a "no entropy" answer: one try, whatever the answer.
RETRY_DROPPED = RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 1;")
# A review mail of our own on the rename patch, under the Message-ID a rule of series/p-seamldr/rules.toml
# cites (tdx-module-calls-unchanged), with the words its quote looks for: the gate shows this sentence.
REVIEW_ID = "ec744e5a-3bf6-4ed0-9309-0d1d1b834c68@intel.com"
REVIEW = "Please leave the TDX module retry alone until the error spaces are at least unified.\n"


def kept_as_wrapper(text: str) -> str:
    """``text`` with sc_retry() renamed seamcall_retry() and the old name kept as a wrapper nothing calls."""
    return renamed(text).replace("static inline void seamcall_err", KEPT_WRAPPER + "static inline void seamcall_err")


def wrapper_rename(retry: str) -> list[EmailMessage]:
    """v4: create the header, prepare, then sc_retry() becomes seamcall_retry() (its body ``retry``, renamed),
    every caller moving to it, the old name left as a wrapper of it; a reviewer answers the rename patch."""
    base = prepared(helpers(RETRY_SAFE))
    msgs = revision(4, [Step(CREATE, ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
                        Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), base),)),
                        Step(RENAME, ((NEW_HOME, base, kept_as_wrapper(prepared(helpers(retry)))),))])
    patch = "gen-3-v4@example.org"
    return [*msgs, message(f"Re: [PATCH v4 3/3] {RENAME}", REVIEW_ID, f"> rename\n\n{REVIEW}",
                           sender="Dave Hansen <dave.hansen@intel.com>", parent=patch, refs=(patch,))]


def macro_renamed_next_revision(macro: str = OLD_MACRO) -> list[EmailMessage]:
    """v4: the header and the P-SEAMLDR wrapper; v5, the same two patches with seamldr_call_prerr() (defined as
    ``macro``) from its first patch on: a matrix entry point renamed between two revisions, no patch renaming it."""
    base = prepared(helpers(RETRY_SAFE))
    wrapper = "x86/virt/seamldr: Add a P-SEAMLDR query wrapper"
    new = seamldr_renamed(base, macro)
    return (revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                         Step(wrapper, ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))])
            + revision(5, [Step(CREATE, ((NEW_HOME, None, new),)),
                           Step(wrapper, ((WRAPPER, None, seamldr_renamed(WRAPPER_C)), BUILD_WRAPPER))]))

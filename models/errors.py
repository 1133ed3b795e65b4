"""Errors of the mirror; each names the C construct and its file:line."""

from __future__ import annotations

ENTRY_SITE = "<entry>"  # the harness's own call of an entry point (models.cload._wrapper): no place in the C
# The kernel builds with -mno-sse -mno-80387 and saves no FP state: FP outside kernel_fpu_begin() does not build
FLOATING_POINT = "floating point not modelled (kernel code cannot use FP without kernel_fpu_begin)"
FLOAT_TYPES = frozenset(("float", "double", "_Complex", "_Float16", "_Float32", "_Float64", "_Float128", "__float128",
                         "__float80"))


class MirrorError(Exception):
    """Something in the patched C that stopped the mirror, with where it is (not said when that is the harness's
    own call of the entry point, ENTRY_SITE: the message names the entry and its place)."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where and not where.startswith(ENTRY_SITE) else message)


class UnsupportedConstruct(MirrorError):
    """A C construct or kernel primitive the mirror does not model."""


class UnstoredRead(UnsupportedConstruct):
    """A read of an out-parameter's object the run has not stored (models.outstate): its value is the caller's; said
    where the code reads it (models.lvalues.deref_access), not at the entry wrapper that made the object."""


class CRuntimeError(MirrorError):
    """Undefined behaviour the mirror refuses to guess at (division by zero, oversized shift)."""


class BudgetExceeded(MirrorError):
    """A loop that ran past the step budget, or recursion past the depth limit."""


class StepsUnknown(MirrorError):
    """A loop still running past the step budget, or recursion past the depth limit, not seen to come back to a
    state it was in (models.loopcycle): gcc's code may end it later, so nothing is known of the run past there (an
    outcome never compared)."""


class Deadlock(MirrorError):
    """The task blocks for ever where it is: it takes a lock it already holds (a spinlock spins, a mutex sleeps),
    so the call never returns and nothing after it runs."""


class BuildFailure(MirrorError):
    """C that gcc refuses to build: a static_assert or BUILD_BUG_ON* whose condition fails."""


class LoadError(MirrorError):
    """C text that cannot be preprocessed or parsed at all."""

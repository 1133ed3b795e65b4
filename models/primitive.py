"""A kernel primitive's record: the function the mirror runs for it, its C return type and what it does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from models.ctype import CType
from models.machine import Machine
from models.record import record

# The implementation: the machine, the evaluated arguments (the call site first where per_site), "file:line".
Impl = Callable[[Machine, list[Any], str], Any]


@record
class Primitive:
    """A kernel function or macro the mirror models: what it returns and what it does.

    ``name_args``: arguments passed as the source text naming a variable (per-CPU variables, locks);
    ``per_site``: the first argument the implementation gets is the call site ("file:line:column"),
    for state kept per site (WARN_ONCE, pr_err_once, ratelimits), as the kernel keeps a static there.
    """

    impl: Impl
    ret: CType
    effect: str
    name_args: tuple[int, ...] = ()
    per_site: bool = False
    # The name argument whose variable's declared type (DEFINE_PER_CPU(type, name)) is the type read, and
    # the one a value written is converted to; unsigned long long when no declaration is in the code.
    typed_by: int | None = None
    # A name argument comes as (name, the object the pointer points at, or None where the code does not declare
    # it): a guard's lock, which __guard_ptr() gives back.
    keeps_lock: bool = False
    # From this index of the arguments the implementation gets (the call site first where per_site), one thunk
    # evaluating the rest: what a printing macro evaluates only where it prints (models.calls.primitive_call).
    lazy_from: int | None = None
    # Its first argument is a condition it tests (WARN_ON(cond): include/asm-generic/bug.h's if): a decision.
    decides: bool = False


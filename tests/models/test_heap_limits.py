"""An allocation larger than the kernel ever gives: kmalloc() past KMALLOC_MAX_SIZE, kvmalloc() past INT_MAX.

The kernel fails them, always: kmalloc() of more than KMALLOC_MAX_SIZE (x86-64: 4 MiB, 1 << (MAX_PAGE_ORDER +
PAGE_SHIFT)) asks the page allocator for an order past MAX_PAGE_ORDER, which gives NULL with a warning unless
__GFP_NOWARN (mm/page_alloc.c); kvmalloc() of more than INT_MAX bytes does the same (mm/util.c kvmalloc_node()).
Before, the mirror gave the memory (an allocation succeeds): the code's NULL check never ran. The warning is not
modelled, so such a run is refused at the call's line. gcc's build is no oracle here (libc's malloc() gives what the
kernel does not): the kernel's rule is. An overflowing count (kmalloc_array(), kcalloc()) stays NULL without a
warning, as include/linux/slab.h checks it first (test_heap_gcc), and sizes up to the limits still run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.test_prelude_named_functions_gcc import gcc_value, needs_cc

F = "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"
CALL = "({ void *p = %s; long long r = p == NULL; kvfree(p); r; })"

REFUSED = {
    "kmalloc-size-max": ("kmalloc(SIZE_MAX, GFP_KERNEL)", "kmalloc()"),
    "kmalloc-past": ("kmalloc((4UL << 20) + 1, GFP_KERNEL)", "kmalloc()"),
    "kzalloc-past": ("kzalloc(8UL << 20, GFP_KERNEL | __GFP_NOWARN)", "kzalloc()"),
    "kmalloc_array": ("kmalloc_array(1UL << 20, 8, GFP_KERNEL)", "kmalloc_array()"),
    "kcalloc": ("kcalloc(0x80000000U, 8, GFP_KERNEL)", "kcalloc()"),
    "krealloc": ("krealloc(NULL, 1UL << 30, GFP_KERNEL)", "krealloc()"),
    "kvmalloc": ("kvmalloc(1UL << 31, GFP_KERNEL)", "kvmalloc()"),
    "kvcalloc": ("kvcalloc(1UL << 29, 8, GFP_KERNEL)", "kvcalloc()"),
    "kvmalloc_array": ("kvmalloc_array(0x80000000U, 1, GFP_KERNEL)", "kvmalloc_array()"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_an_allocation_the_kernel_always_fails_is_refused_at_its_line(name: str) -> None:
    call, what = REFUSED[name]
    code = F % (CALL % call)
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'return')}: {what} of "), out.error


RUN = {
    "kmalloc-at-limit": ("kmalloc(4UL << 20, GFP_KERNEL)", 0),
    "kvmalloc-past-kmalloc": ("kvmalloc(8UL << 20, GFP_KERNEL)", 0),
    "kvmalloc-at-limit": ("kvmalloc(0x7fffffffUL, GFP_KERNEL)", 0),
    "overflow": ("kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL)", 1),
    "kvoverflow": ("kvcalloc(SIZE_MAX, 2, GFP_KERNEL)", 1),
}


@pytest.mark.parametrize("name", RUN)
def test_one_the_kernel_may_give_runs(name: str) -> None:
    call, null = RUN[name]
    out = run(F % (CALL % call))
    assert (out.status, out.ret) == ("ok", null), out.error


# include/linux/gfp_types.h's modifiers (how hard to try, whether to warn, memcg accounting): before, each was an
# "unknown identifier"; they change nothing the mirror runs, and their values are the kernel's (gcc below the raw
# prelude, which takes the same macros)
MODIFIERS = {
    "nowarn": "({ u32 *p = kzalloc(8, GFP_KERNEL | __GFP_NOWARN); long long r = p ? p[1] + 1 : -1; kfree(p); r; })",
    "bits": "(long long)(__GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_ACCOUNT)",
    "account": "({ u32 *p = kzalloc(8, GFP_KERNEL_ACCOUNT); long long r = p ? p[1] + 2 : -1; kfree(p); "
               "(long long)GFP_KERNEL_ACCOUNT * 10 + r; })",
    "noretry": "({ u8 *p = kmalloc_array(4, 2, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN); long long r = p != NULL; "
               "kfree(p); r; })",
}


@needs_cc
@pytest.mark.parametrize("name", MODIFIERS)
def test_the_gfp_modifiers_run_as_gcc_runs_them(tmp_path: Path, name: str) -> None:
    code = F % MODIFIERS[name]
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)), out.error

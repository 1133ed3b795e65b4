"""Functions written with the kernel's attribute macros (__section(), __alloc_size(), ...) run as gcc runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.attributemacros import ATTRIBUTE_MACROS
from models.prelude import macro_lines

# Each helper is written the way include/linux/compiler_attributes.h and compiler_types.h let a kernel file write
# it; before, the mirror did not parse them ("C the mirror does not parse") and the slicer read __alloc_size,
# __diagnose_as and __section as the functions' names.
ATTRIBUTED = r"""
static u64 pw_box[4];

static __section(".sc.text") bool pw_done(u64 err, int *left)
{
	return unlikely(err == 0) || !--*left;
}

static bool __section(".init.text") pw_first(u64 err)
{
	return err == 0;
}

static __malloc __alloc_size(1) void *pw_take(size_t n)
{
	return n <= sizeof(pw_box) ? (void *)pw_box : NULL;
}

static __diagnose_as(__builtin_strlen, 1) __attribute_const__ u64 pw_len(const char *s)
{
	u64 n = 0;

	while (s[n])
		n++;
	return n;
}

static inline void *pw_grow(void *p, size_t n) __realloc_size(2);
static inline void *pw_grow(void *p, size_t n)
{
	return n <= sizeof(pw_box) ? p : NULL;
}

static long long pw_attrs(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int left = 3;
	u64 *box = pw_take(2 * sizeof(u64));

	while (!pw_done(err, &left))
		err = __seamcall(fn, args);
	box[1] = err;
	return (long long)(box[1] + pw_len("seam") * 16 + pw_first(err) * 256 + (pw_grow(box, 64) == NULL) * 512);
}
"""


def test_the_attribute_macros_are_the_kernels() -> None:
    # include/linux/compiler_attributes.h and compiler_types.h (gcc: no __diagnose_as_builtin__)
    assert dict(ATTRIBUTE_MACROS)["__section(section)"] == "__attribute__((__section__(section)))"
    assert dict(ATTRIBUTE_MACROS)["__diagnose_as(builtin...)"] == ""
    assert {name for name, _, _ in macro_lines()} >= {h.split("(")[0] for h, _ in ATTRIBUTE_MACROS}


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="needs gcc, the oracle")
def test_functions_with_attribute_macros_run_as_gcc_runs_them(tmp_path: Path) -> None:
    from tests.models.probegroup import runs_as_gcc
    result = runs_as_gcc(tmp_path, "at", "demo/at.h", ATTRIBUTED)
    # 'ok' answers 0: done at once, 0 + 4 * 16 + 256 + 512 (64 bytes do not fit the box); 'big' retries until left
    # runs out (3 SEAMCALLs); runs_as_gcc checked gcc's builds give the same.
    ok, big = (result.outcome("at", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (len(ok.calls), ok.ret) == (1, 832), (ok.calls, ok.ret)
    assert len(big.calls) == 3, big.calls

"""atomic_t and atomic64_t (models/atomic.py), against gcc.

atomic_t and atomic64_t (models/atomic.py): what the mirror computes, against gcc running the same C with
atomics of its own (a userspace shim on gcc's __atomic builtins) and through `seamharness crosscheck`."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL
from models.native.run import find_compiler
from tests.models.cprog import busy_agrees_with_gcc, gcc_returns, mirror_returns, run

# A userspace atomic_t as the kernel's functions behave (int/s64 parameters, the old value from cmpxchg/xchg),
# on gcc's builtins: an implementation independent of the prelude's.
SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int u32;
typedef _Bool bool;
struct tdx_module_args { u64 rcx; };
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
#define ATOMIC_INIT(i) { (i) }
#define ATOMIC64_INIT(i) { (i) }
#define OPS(p, T, t) \\
static inline t p##_read(const T *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); } \\
static inline void p##_set(T *v, t i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); } \\
static inline void p##_inc(T *v) { __atomic_fetch_add(&v->counter, 1, __ATOMIC_SEQ_CST); } \\
static inline void p##_dec(T *v) { __atomic_fetch_sub(&v->counter, 1, __ATOMIC_SEQ_CST); } \\
static inline void p##_add(t i, T *v) { __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); } \\
static inline void p##_sub(t i, T *v) { __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); } \\
static inline t p##_inc_return(T *v) { return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); } \\
static inline t p##_dec_return(T *v) { return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); } \\
static inline t p##_add_return(t i, T *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); } \\
static inline t p##_sub_return(t i, T *v) { return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); } \\
static inline bool p##_inc_and_test(T *v) { return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0; } \\
static inline bool p##_dec_and_test(T *v) { return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0; } \\
static inline t p##_xchg(T *v, t n) { return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST); } \\
static inline t p##_cmpxchg(T *v, t o, t n) \\
{ __atomic_compare_exchange_n(&v->counter, &o, n, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); return o; }
OPS(atomic, atomic_t, int)
OPS(atomic64, atomic64_t, s64)
"""

# SEAMCALL-helper-like code: a file-scope counter with ATOMIC_INIT, a retry loop counting with the atomics,
# cmpxchg that succeeds and fails, wrap-around at INT_MAX, 64-bit counters, values converted to the counter's type.
CODE = """\
static atomic_t retries = ATOMIC_INIT(3);
static atomic64_t total = ATOMIC64_INIT(-5);
static atomic_t near_max = ATOMIC_INIT(2147483646);

long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;
	int i, old;

	for (i = 0; i < 4; i++) {
		if (atomic_inc_return(&retries) > 5 + (int)(fn & 1))
			break;
		atomic64_add(fn << 33, &total);
	}
	r += atomic_read(&retries) * 1000000LL;
	old = atomic_cmpxchg(&retries, 6, 40);
	r += old * 10000 + atomic_read(&retries);
	old = atomic_cmpxchg(&retries, 1, 2);
	r += old == atomic_read(&retries);
	atomic_inc(&near_max);
	atomic_add(1, &near_max);
	r ^= (long long)atomic_read(&near_max) << 8;
	atomic_set(&near_max, 0x1ffffffffULL);
	r += atomic_dec_and_test(&near_max) * 3;
	r += atomic_inc_and_test(&near_max) * 5;
	r += atomic_xchg(&near_max, 9) * 7;
	r += atomic_read(&near_max);
	atomic_sub(20, &retries);
	atomic_dec(&retries);
	r += atomic_sub_return(2, &retries) * 11;
	r += atomic_add_return(fn, &retries);
	r += atomic_dec_return(&retries);
	r ^= atomic64_read(&total);
	r += atomic64_cmpxchg(&total, atomic64_read(&total), 17);
	r += atomic64_xchg(&total, 4) << 4;
	r += atomic64_inc_return(&total);
	r += atomic64_dec_return(&total);
	r += atomic64_sub_return(fn, &total);
	atomic64_set(&total, -1);
	atomic64_inc(&total);
	atomic64_dec(&total);
	atomic64_sub(2, &total);
	r += atomic64_read(&total) * 3;
	r += atomic64_inc_and_test(&total);
	return r + atomic64_dec_and_test(&total);
}
"""

ARGS = (0, 1, 2, 7, 0xFFFFFFFF, 0x8000000000000001)


def _gcc(tmp_path: Path) -> list[int]:
    """f() of each argument, each in a program of its own (every mirror run starts from the initializers)."""
    return gcc_returns(tmp_path, SHIM + CODE, ARGS, find_compiler(None))


def test_atomics_compute_what_gcc_computes_with_real_atomics(tmp_path: Path) -> None:
    assert [mirror_returns(CODE, a) for a in ARGS] == _gcc(tmp_path)


def test_a_file_scope_atomic_with_its_initializer_is_a_variable_the_run_leaves() -> None:
    out = run("static atomic_t hits = ATOMIC_INIT(3);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tatomic_inc(&hits);\n\treturn atomic_read(&hits);\n}\n")
    assert (out.status, out.ret) == ("ok", 4), out.error
    assert any(name.endswith("hits") for name, _ in out.state), out.state


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_atomics_agree_with_gcc_under_crosscheck(tmp_path: Path, source: str) -> None:
    busy_agrees_with_gcc(tmp_path, CODE, 30, ("at", "demo/at.h"), 0x8000020300000043, source)

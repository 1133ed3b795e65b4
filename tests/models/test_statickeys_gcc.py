"""Static keys (models/statickeys.py), against gcc.

What the mirror computes of the prelude's static keys, against gcc running the same C with keys of its own (a userspace
shim written after include/linux/jump_label.h without CONFIG_JUMP_LABEL, independent of the prelude) and through
`seamharness crosscheck`, which builds the prelude's own with gcc."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL
from models.native.run import find_compiler
from tests.models.cprog import busy_agrees_with_gcc, gcc_returns, mirror_returns, run

SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
typedef _Bool bool;
struct tdx_module_args { u64 rcx; };
struct static_key { int enabled; };
struct static_key_true { struct static_key key; };
struct static_key_false { struct static_key key; };
#define DEFINE_STATIC_KEY_TRUE(name) struct static_key_true name = { { 1 } }
#define DEFINE_STATIC_KEY_FALSE(name) struct static_key_false name = { { 0 } }
#define STATIC_KEY_INIT_TRUE { 1 }
#define STATIC_KEY_INIT_FALSE { 0 }
static inline int static_key_count(struct static_key *key) { return __atomic_load_n(&key->enabled, __ATOMIC_RELAXED); }
#define static_key_enabled(x) (static_key_count((struct static_key *)(x)) > 0)
#define static_branch_likely(x) __builtin_expect(!!static_key_enabled(&(x)->key), 1)
#define static_branch_unlikely(x) __builtin_expect(!!static_key_enabled(&(x)->key), 0)
static inline void static_key_enable(struct static_key *key)
{
	if (static_key_count(key) != 0)
		return;
	__atomic_store_n(&key->enabled, 1, __ATOMIC_RELAXED);
}
static inline void static_key_disable(struct static_key *key)
{
	if (static_key_count(key) != 1)
		return;
	__atomic_store_n(&key->enabled, 0, __ATOMIC_RELAXED);
}
#define static_branch_enable(x) static_key_enable(&(x)->key)
#define static_branch_disable(x) static_key_disable(&(x)->key)
#define static_branch_inc(x) __atomic_fetch_add(&(x)->key.enabled, 1, __ATOMIC_SEQ_CST)
#define static_branch_dec(x) __atomic_fetch_sub(&(x)->key.enabled, 1, __ATOMIC_SEQ_CST)
"""

# Keys of each kind and their defaults, read by each test, set, cleared, counted up and down, enabled and disabled
# where the count is not 0 or 1 (nothing changes then), by what the argument's bits say.
CODE = """\
DEFINE_STATIC_KEY_FALSE(sc_slow);
static DEFINE_STATIC_KEY_TRUE(sc_fast);
static struct static_key plain = STATIC_KEY_INIT_TRUE;

long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;

	r += static_branch_unlikely(&sc_slow);
	r += static_branch_likely(&sc_fast) * 2;
	if (fn & 1)
		static_branch_enable(&sc_slow);
	if (fn & 2)
		static_branch_disable(&sc_fast);
	if (fn & 4) {
		static_branch_inc(&sc_slow);
		static_branch_inc(&sc_slow);
	}
	if (fn & 8)
		static_branch_dec(&sc_fast);
	r += static_branch_unlikely(&sc_slow) * 4;
	r += static_branch_likely(&sc_fast) * 8;
	r += static_key_enabled(&sc_slow.key) * 16 + static_key_enabled(&plain) * 32;
	if (fn & 16)
		static_branch_enable(&sc_slow);
	if (fn & 32)
		static_branch_disable(&sc_slow);
	return r + static_key_count(&sc_slow.key) * 1000 + static_key_count(&sc_fast.key) * 100000;
}
"""

ARGS = tuple(range(64))


def test_static_keys_compute_what_gcc_computes_with_keys_of_its_own(tmp_path: Path) -> None:
    mirror = [mirror_returns(CODE, a) for a in ARGS]
    assert mirror == gcc_returns(tmp_path, SHIM + CODE, ARGS, find_compiler(None))


def test_a_key_of_another_kind_handed_to_static_key_enabled_is_refused() -> None:
    # The kernel casts it to its first member; the mirror does not run that pun, and says so rather than guess.
    out = run("DEFINE_STATIC_KEY_FALSE(k);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn static_key_enabled(&k);\n}\n")
    assert out.status == "error", (out.status, out.ret)


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_static_keys_agree_with_gcc_under_crosscheck(tmp_path: Path, source: str) -> None:
    busy_agrees_with_gcc(tmp_path, CODE, 30, ("sk", "demo/sk.h"), 0x8000020300000043, source)

"""kmalloc(), kzalloc(), kcalloc(), kmalloc_array() and kfree() (include/linux/slab.h), against gcc.

The mirror refused each ("allocates or frees heap memory ..., which the mirror does not model"), so a variant using
one was "not run" though gcc builds it; now the memory becomes objects of the first pointer type it is converted to
(kzalloc()'s and __GFP_ZERO's zeroed, kmalloc()'s unset), an allocation succeeds (kcalloc() of an overflowing count
gives NULL), GFP_KERNEL's may sleep (might_sleep()'s check), and kfree() frees it once: a double free, a free of
what kmalloc() did not give and a read after the free are KASAN's reports, run-time errors. gcc's build runs libc's
malloc()/calloc()/free() (models/native/sh_native.h)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

PIECES = r"""
struct pw_node { u64 key; u32 hits; struct pw_node *next; };

static struct pw_node *pw_node_new(u64 key)
{
	struct pw_node *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return NULL;
	n->key = key;
	return n;
}

static long long pw_heap_struct(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_node *a = pw_node_new(err), *b = pw_node_new(err >> 32);
	long long r;

	if (!a || !b)
		return -ENOMEM;
	a->next = b;
	b->hits += 3;
	r = (long long)(a->key + a->next->key * 3 + a->hits + b->hits * 5 + (b->next == NULL) * 7);
	kfree(b);
	kfree(a);
	kfree(NULL);
	return r;
}

static long long pw_heap_arrays(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int n = (int)(err & 7) + 1, i;
	u32 *v = kmalloc_array(n, sizeof(*v), GFP_KERNEL);
	u64 *z = kmalloc(4 * sizeof(u64), GFP_KERNEL | __GFP_ZERO);
	struct pw_node *ns = kcalloc(3, sizeof(*ns), GFP_ATOMIC);
	u8 *big = kcalloc(1ULL << 62, 8, GFP_KERNEL);
	long long r = 0;

	if (!v || !z || !ns)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = (u32)(err >> i);
	for (i = 0; i < n; i++)
		r = r * 7 + v[i];
	z[2] = err;
	ns[1].hits = 9;
	ns[2].next = &ns[1];
	r = r * 11 + z[0] + z[2] + z[3] + ns[0].hits + ns[2].next->hits + (big == NULL) * 100;
	kfree(ns);
	kfree(z);
	kfree(v);
	return r;
}

static struct pw_node *pw_kept;

static long long pw_heap_free_class(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_node *a __free(kfree) = pw_node_new(err);
	struct pw_node *b __free(kfree) = pw_node_new(err + 1);
	u32 *none __free(kfree) = NULL;

	if (!a || !b)
		return -ENOMEM;
	a->hits = 2;
	if (err & 1)
		return (long long)(a->key + a->hits);
	kfree(pw_kept);
	pw_kept = no_free_ptr(b);
	return (long long)(pw_kept->key * 3 + a->hits + (none == NULL));
}
"""


def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before, each stopped: "kzalloc() allocates or frees heap memory (include/linux/slab.h), which the mirror does
    # not model (nor an allocation that fails)".
    runs_as_gcc(tmp_path, "hp", "demo/hp.h", PIECES)


# krealloc(), kvmalloc() and its kin, kvfree(), kmemdup(), kfree_sensitive(): refused before ("krealloc() allocates or
# frees heap memory ..."); the overflow checks of kmalloc_array() and kcalloc() of a size_t count (-1 is SIZE_MAX).
KIN = r"""
struct pw2_rec { u32 id; u64 val; };

static long long pw2_heap_grow(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int n = (int)(err & 3) + 2, i;
	u32 *v = kmalloc_array(n, sizeof(*v), GFP_KERNEL), *w;
	long long r = 0;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = (u32)(err >> (4 * i)) & 0xff;
	w = krealloc(v, 2 * n * sizeof(*v), GFP_KERNEL);
	if (!w) {
		kfree(v);
		return -ENOMEM;
	}
	for (i = n; i < 2 * n; i++)
		w[i] = (u32)i * 3;
	for (i = 0; i < 2 * n; i++)
		r = r * 5 + w[i];
	w = krealloc(w, sizeof(*w), GFP_ATOMIC);
	r = r * 7 + w[0];
	kfree(w);
	return r;
}

static long long pw2_heap_kv(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw2_rec *a = kvzalloc(sizeof(*a), GFP_KERNEL);
	u32 *e __free(kvfree) = kvmalloc(sizeof(*e), GFP_KERNEL);
	u64 *b = kvmalloc(3 * sizeof(*b), GFP_KERNEL);
	struct pw2_rec *c = kvcalloc(2, sizeof(*c), GFP_KERNEL);
	u32 *d = kvmalloc_array(4, sizeof(*d), GFP_KERNEL);
	u8 *huge = kvmalloc_array(1ULL << 62, 8, GFP_KERNEL), *neg = kcalloc(-1, 2, GFP_KERNEL);
	long long r;

	if (!a || !b || !c || !d || !e)
		return -ENOMEM;
	*e = 4;
	a->id = (u32)err;
	b[2] = err >> 8;
	c[1].val = 11;
	d[3] = 2;
	r = (long long)(a->id + a->val + b[2] + c[0].val + c[1].val * 3 + d[3]);
	r += (huge == NULL) * 100 + (neg == NULL) * 1000 + *e;
	kvfree(d);
	kvfree(c);
	kvfree(b);
	kfree_sensitive(a);
	kvfree(NULL);
	return r;
}

static long long pw2_heap_dup(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u32 regs[4] = { (u32)err, (u32)(err >> 32), 7, 9 };
	struct pw2_rec rec = { .id = 5, .val = err ^ 0xff };
	u32 *tail = kmemdup(&regs[1], 3 * sizeof(u32), GFP_KERNEL);
	struct pw2_rec *copy = kmemdup(&rec, sizeof(rec), GFP_KERNEL);
	long long r;

	if (!tail || !copy) {
		kfree(tail);
		return -ENOMEM;
	}
	regs[1] = 0;
	rec.val = 0;
	copy->id += 1;
	r = (long long)(tail[0] + tail[1] * 3 + tail[2] * 5 + copy->id * 7 + copy->val + rec.id);
	kfree(copy);
	kfree(tail);
	return r;
}
"""


def test_the_allocators_kin_run_as_gcc_runs_them(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "hk", "demo/hk.h", KIN)


HEAD = ("static DEFINE_SPINLOCK(lk);\nstruct obj { u64 a; u32 b; };\n"
        "long long f(u64 fn, struct tdx_module_args *args)\n{\n")


@pytest.mark.parametrize(("body", "kind", "says"), [
    ("\tstruct obj *p = kzalloc(sizeof(*p), GFP_KERNEL);\n\n\tkfree(p);\n\tkfree(p);\n\treturn 0;\n", "runtime",
     "kfree() of the memory kmalloc() gave at test/prog.c:5, freed at test/prog.c:7 already (KASAN: double-free)"),
    ("\tstruct obj *p = kzalloc(sizeof(*p), GFP_KERNEL);\n\n\tkfree(p);\n\treturn p->a;\n", "runtime",
     "'a' is read after kfree() at test/prog.c:7"),
    ("\tu32 *v = kcalloc(2, sizeof(*v), GFP_KERNEL);\n\n\tkfree(v);\n\treturn v[1];\n", "runtime",
     "(KASAN: slab-use-after-free)"),
    ("\tu64 x = 1;\n\n\tkfree(&x);\n\treturn 0;\n", "runtime", "(KASAN: invalid-free)"),
    ("\tu32 *v = kcalloc(2, sizeof(*v), GFP_KERNEL);\n\n\tkfree(&v[1]);\n\treturn 0;\n", "runtime",
     "(KASAN: invalid-free)"),
    ("\tstruct obj *p = kmalloc(sizeof(*p), GFP_KERNEL);\n\n\treturn p->b;\n", "runtime",
     "'b' is read before it is set"),
    # a store after the free (before, each ran: a write replaced the dead value, which a read then took)
    ("\tstruct obj *p = kzalloc(sizeof(*p), GFP_KERNEL);\n\n\tkfree(p);\n\tp->a = 3;\n\treturn 0;\n", "runtime",
     "test/prog.c:8: 'a' is written after kfree() at test/prog.c:7 of the memory kmalloc() gave at test/prog.c:5 "
     "(KASAN: slab-use-after-free Write)"),
    ("\tu32 *v = kcalloc(2, sizeof(*v), GFP_KERNEL);\n\n\tkfree(v);\n\tv[1] = 4;\n\treturn v[1];\n", "runtime",
     "test/prog.c:8: '(kmalloc() at test/prog.c:5)[1]' is written after kfree() at test/prog.c:7"),
    ("\tu64 *v = kmalloc(sizeof(*v), GFP_KERNEL);\n\n\tkfree(v);\n\t*v = 4;\n\treturn 0;\n", "runtime",
     "test/prog.c:8: '(kmalloc() at test/prog.c:5)[0]' is written after kfree()"),
    ("\tstruct obj *p = kzalloc(sizeof(*p), GFP_KERNEL);\n\tstruct obj q = { 1, 2 };\n\n\tkfree(p);\n\t*p = q;\n"
     "\treturn 0;\n", "runtime", "test/prog.c:9: 'struct obj' is written after kfree()"),
    ("\tstruct obj *p = kcalloc(2, sizeof(*p), GFP_KERNEL);\n\tstruct obj q = { 1, 2 };\n\n\tkfree(p);\n"
     "\tp[1] = q;\n\treturn 0;\n", "runtime", "test/prog.c:9: 'struct obj' is written after kfree()"),
    ("\tu32 *v = kcalloc(2, sizeof(*v), GFP_KERNEL);\n\n\tkfree(v);\n\tmemset(v, 0, 2 * sizeof(*v));\n\treturn 0;\n",
     "runtime", "test/prog.c:8: memset() writes memory after kfree() at test/prog.c:7 of the memory kmalloc() gave at "
     "test/prog.c:5 (KASAN: slab-use-after-free Write)"),
    ("\tu32 a[2] = { 1, 2 }, *v = kcalloc(2, sizeof(*v), GFP_KERNEL);\n\n\tkfree(v);\n\tmemcpy(v, a, sizeof(a));\n"
     "\treturn 0;\n", "runtime", "test/prog.c:8: memcpy() writes memory after kfree()"),
    # reads: a whole struct copied (KASAN reports the copy, not a later read of the copy), memcpy()'s source
    ("\tstruct obj *p = kzalloc(sizeof(*p), GFP_KERNEL);\n\tstruct obj q;\n\n\tkfree(p);\n\tq = *p;\n"
     "\treturn q.b;\n", "runtime", "test/prog.c:9: 'struct obj' is read after kfree() at test/prog.c:8"),
    ("\tu32 a[2] = { 1, 2 }, *v = kcalloc(2, sizeof(*v), GFP_KERNEL);\n\n\tkfree(v);\n\tmemcpy(a, v, sizeof(a));\n"
     "\treturn a[0];\n", "runtime", "test/prog.c:8: memcpy() reads memory after kfree() at test/prog.c:7 of the "
     "memory kmalloc() gave at test/prog.c:5 (KASAN: slab-use-after-free)"),
    # the kin: the old memory krealloc() moved from is freed, kvfree() is kfree(), kmemdup() reads whole objects
    ("\tu32 *v = kcalloc(2, sizeof(*v), GFP_KERNEL), *w;\n\n\tw = krealloc(v, 4 * sizeof(*v), GFP_KERNEL);\n"
     "\tw[3] = 1;\n\treturn v[0] + w[3];\n", "runtime",
     "test/prog.c:9: '(kmalloc() at test/prog.c:5)[0]' is read after kfree() at test/prog.c:7 of the memory "
     "kmalloc() gave at test/prog.c:5 (KASAN: slab-use-after-free)"),
    ("\tu32 *v = kcalloc(2, sizeof(*v), GFP_KERNEL);\n\n\tkfree(v);\n\tv = krealloc(v, 16, GFP_KERNEL);\n\treturn 0;\n",
     "runtime", "test/prog.c:8: krealloc() of the memory kmalloc() gave at test/prog.c:5, freed at test/prog.c:7 "
     "already (KASAN: double-free)"),
    ("\tu64 x = 1;\n\n\tkvfree(&x);\n\treturn 0;\n", "runtime", "kvfree() of memory kmalloc() did not give (KASAN: "
     "invalid-free)"),
    ("\tu32 a[2] = { 1, 2 }, *v = kmemdup(a, 3 * sizeof(u32), GFP_KERNEL);\n\n\treturn v[0];\n", "runtime",
     "test/prog.c:5: kmemdup() of 12 bytes from element 0 of a[2]: past the array"),
    ("\tu32 *v = kmalloc(8, GFP_KERNEL);\n\n\tv = krealloc(v, 16, GFP_KERNEL | __GFP_ZERO);\n\treturn 0;\n",
     "unsupported", "test/prog.c:7: krealloc() with __GFP_ZERO"),
    ("\tvoid *v = kzalloc(16, GFP_KERNEL);\n\tstruct obj *p = v;\n\tu64 *q = v;\n\n\treturn p->a + *q;\n",
     "unsupported", "used as struct obj, used as unsigned long long too"),
    ("\tstruct obj *p = kzalloc(20, GFP_KERNEL);\n\n\treturn p->a;\n", "unsupported",
     "the 20 bytes kmalloc() gave at test/prog.c:5 as struct obj (16 bytes each"),
])
def test_what_kasan_reports_is_a_run_time_error(body: str, kind: str, says: str) -> None:
    out = run(HEAD + body + "}\n")
    assert (out.status, out.error_kind, says in (out.error or "")) == ("error", kind, True), out.error


def test_a_pointer_given_new_memory_after_the_free_writes_it() -> None:
    # the store checks the object it writes, not the pointer: new memory is live
    out = run(HEAD + "\tstruct obj *p = kzalloc(sizeof(*p), GFP_KERNEL), q = { 4, 5 };\n\tu32 *v;\n\n\tkfree(p);\n"
                     "\tp = kmalloc(sizeof(*p), GFP_KERNEL);\n\t*p = q;\n\tp->b = 6;\n"
                     "\tv = kcalloc(2, sizeof(*v), GFP_KERNEL);\n"
                     "\tmemset(v, 0, 2 * sizeof(*v));\n\tv[1] = 3;\n\tq = *p;\n\tkfree(v);\n\tkfree(p);\n"
                     "\treturn q.a + q.b * 10;\n}\n")
    assert (out.status, out.ret) == ("ok", 64), out.error


@pytest.mark.parametrize(("flags", "violations"), [("GFP_KERNEL", 1), ("GFP_ATOMIC", 0), ("GFP_NOIO", 1)])
def test_an_allocation_that_may_sleep_under_a_spinlock_is_a_violation(flags: str, violations: int) -> None:
    # might_alloc(): might_sleep_if(gfpflags_allow_blocking(flags)), CONFIG_DEBUG_ATOMIC_SLEEP's report.
    out = run(HEAD + f"\tstruct obj *p;\n\n\tspin_lock(&lk);\n\tp = kzalloc(sizeof(*p), {flags});\n"
                     "\tspin_unlock(&lk);\n\tkfree(p);\n\treturn 0;\n}\n")
    found = [e for e in out.events if e.kind == "violation"]
    assert (out.status, len(found)) == ("ok", violations), out.events
    assert all("sleeping function called from invalid context" in e.detail and e.where == "test/prog.c:8"
               for e in found)

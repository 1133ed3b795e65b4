"""Locks initialised at run time beside the static ones, pinned to gcc.

Locks initialised at run time (``mutex_init()``, ``spin_lock_init()``, ``raw_spin_lock_init()``) beside the
static ones (``DEFINE_MUTEX()``, ``DEFINE_SPINLOCK()``, ``DEFINE_RAW_SPINLOCK()``): the mirror's outcomes, events and
lockdep reports included, pinned to gcc's."""

from __future__ import annotations

from pathlib import Path

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.lockdep import LOCKDEP_OFF
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import line_of

# Objects of static and automatic storage, initialised through a helper whose parameter has another name; the
# script's answer decides whether a held lock is initialised again (a lockdep report) and how the run goes on.
INIT_H = """\
struct sl_dev {
	int n;
	struct mutex lock;
	spinlock_t sl;
	raw_spinlock_t raw;
};
static struct sl_dev dev;
static DEFINE_MUTEX(sl_big);
static DEFINE_SPINLOCK(sl_spin);
static DEFINE_RAW_SPINLOCK(sl_raw);

static void sl_setup(struct sl_dev *d)
{
	mutex_init(&d->lock);
	spin_lock_init(&d->sl);
	raw_spin_lock_init(&d->raw);
	d->n = 1;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct sl_dev local;
	u64 ret;
	int n = 0;

	sl_setup(&dev);
	sl_setup(&local);
	mutex_lock(&sl_big);
	ret = __seamcall(fn, args);
	if (ret & 1)
		mutex_init(&sl_big);
	n += mutex_trylock(&sl_big);
	mutex_lock(&dev.lock);
	lockdep_assert_held(&dev.lock);
	spin_lock(&local.sl);
	raw_spin_lock(&sl_raw);
	scoped_guard(spinlock, &sl_spin)
		n += 10 + preempt_count();
	raw_spin_unlock(&sl_raw);
	spin_unlock(&local.sl);
	mutex_unlock(&dev.lock);
	if (n > 100)
		mutex_unlock(&sl_big);
	return n * 10 + dev.n + local.n * 100;
}
"""


def test_run_time_lock_initialisers_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = header_result(tmp_path, "li", "demo/li.h", INIT_H, 0x8000020300000043)
    ok, big = (result.outcome("li", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.ret, big.ret) == (231, 241), (ok.error, big.error)  # gcc's
    violations = [(e.detail, e.where) for e in big.events if e.kind == "violation"]
    # Answer 0x...43: the held sl_big is initialised again, which lockdep reports; it is free after it, and the
    # trylock takes it.
    line = line_of(INIT_H, "mutex_init(&sl_big)")
    assert violations == [("lock sl_big initialised while held" + LOCKDEP_OFF, f"demo/li.h:{line}")], violations
    # Answer 0: the spinlock_t sl_spin taken inside the raw_spinlock_t sl_raw is CONFIG_PROVE_RAW_LOCK_NESTING's
    # "Invalid wait context" (under answer 0x...43 lockdep was off by then).
    assert [(e.detail, e.where) for e in ok.events if e.kind == "violation"] == [
        ("lockdep: BUG: Invalid wait context: spinlock sl_spin taken while the task holds raw spinlock sl_raw"
         + LOCKDEP_OFF, f"demo/li.h:{line_of(INIT_H, 'scoped_guard(spinlock, &sl_spin)')}")], ok.events
    inits = [e.detail for e in ok.events if e.detail.endswith(" initialised")]
    assert inits == ["dev.lock initialised", "dev.sl initialised", "dev.raw initialised", "d->lock initialised",
                     "d->sl initialised", "d->raw initialised"], inits
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared["li"] == 2, r.raw_compared

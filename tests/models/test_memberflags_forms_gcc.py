"""IRQ flags saved in a member reached by ``c ? &a : &b``, an array element or container_of() run as gcc runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.outcome import ErrorKind
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import PATH, line_of, run

# Two devices keeping their lock's saved flags beside it; which one the answer picks, by a pointer a conditional
# gives (models.memberflags: both branches an object of the struct, so the member is still followed) and by the
# conditional itself as a member access's base. ok: mt_b, then mt_a's flags saved twice (the second save, IRQs off,
# overwrites the first: they stay off); big (an odd answer): mt_a, then mt_b.
TERNARY_H = """\
struct mt_dev {
	spinlock_t lock;
	unsigned long flags;
	int hits;
};

static struct mt_dev mt_a = { .lock = __SPIN_LOCK_UNLOCKED(mt_a.lock) };
static struct mt_dev mt_b = { .lock = __SPIN_LOCK_UNLOCKED(mt_b.lock) };

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	struct mt_dev *p = (ret & 1) ? &mt_a : &mt_b;
	struct mt_dev *q;
	long long n;

	spin_lock_irqsave(&p->lock, p->flags);
	p->hits++;
	n = irqs_disabled() + spin_is_locked(&mt_a.lock) * 10 + spin_is_locked(&mt_b.lock) * 100;
	spin_unlock_irqrestore(&p->lock, p->flags);
	local_irq_save(((ret & 1) ? &mt_b : &mt_a)->flags);
	n += irqs_disabled() * 1000;
	q = (ret & 2) ? NULL : &mt_a;
	if (q) {
		local_irq_save(q->flags);
		n += irqs_disabled() * 10000;
		local_irq_restore(q->flags);
	}
	local_irq_restore(((ret & 1) ? &mt_b : &mt_a)->flags);
	return n * 10 + irqs_disabled() + mt_a.hits * 1000000 + mt_b.hits * 10000000;
}
"""


def test_flags_kept_through_a_conditionals_pointer_run_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "mt", "demo/mt.h", TERNARY_H, 0x8000020300000043, (10111011, 1010110))


# An array of devices: a save into an element's member by index (ma_devs[i].flags), through a pointer the array
# decays to (p[1 - i].flags) and through a pointer to an element (q = &ma_devs[1 - i]). ok: element 0; big: 1.
ARRAY_H = """\
struct ma_dev {
	spinlock_t lock;
	unsigned long flags;
	int hits;
};

static struct ma_dev ma_devs[2] = {
	[0] = { .lock = __SPIN_LOCK_UNLOCKED(ma_devs[0].lock) },
	[1] = { .lock = __SPIN_LOCK_UNLOCKED(ma_devs[1].lock) },
};

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	int i = (int)(ret & 1);
	struct ma_dev *p = ma_devs;
	struct ma_dev *q = &ma_devs[1 - i];
	long long n;

	spin_lock_irqsave(&ma_devs[i].lock, ma_devs[i].flags);
	ma_devs[i].hits++;
	n = irqs_disabled() + spin_is_locked(&ma_devs[0].lock) * 10 + spin_is_locked(&ma_devs[1].lock) * 100;
	local_irq_save(p[1 - i].flags);
	n += irqs_disabled() * 1000;
	local_irq_restore(p[1 - i].flags);
	spin_unlock_irqrestore(&ma_devs[i].lock, ma_devs[i].flags);
	local_irq_save(q->flags);
	q->hits += 2;
	local_irq_restore(q->flags);
	return n * 10 + irqs_disabled() + ma_devs[0].hits * 100000 + ma_devs[1].hits * 1000000;
}
"""


def test_flags_kept_in_an_arrays_elements_run_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "ma", "demo/ma.h", ARRAY_H, 0x8000020300000043, (2110110, 1211010))


# Helpers given the lock alone, reaching the device by container_of(): into a pointer, and as a member access's base.
# ok: IRQs on at the save; big: the nested save while they are off.
CONTAINER_H = """\
struct mc_dev {
	int id;
	spinlock_t lock;
	unsigned long flags;
};

static struct mc_dev mc_d = { .id = 4, .lock = __SPIN_LOCK_UNLOCKED(mc_d.lock) };
static struct mc_dev mc_e = { .id = 5, .lock = __SPIN_LOCK_UNLOCKED(mc_e.lock) };

static void mc_enter(spinlock_t *l)
{
	struct mc_dev *d = container_of(l, struct mc_dev, lock);

	spin_lock_irqsave(&d->lock, d->flags);
}

static void mc_leave(spinlock_t *l)
{
	spin_unlock_irqrestore(l, container_of(l, struct mc_dev, lock)->flags);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	long long n;

	mc_enter(&mc_d.lock);
	n = irqs_disabled() + container_of(&mc_d.lock, struct mc_dev, lock)->id * 10;
	if (ret & 1) {
		mc_enter(&mc_e.lock);
		n += irqs_disabled() * 100 + spin_is_locked(&mc_e.lock) * 1000;
		mc_leave(&mc_e.lock);
		n += irqs_disabled() * 10000;
	}
	mc_leave(&mc_d.lock);
	return n * 10 + irqs_disabled();
}
"""


def test_flags_kept_in_the_struct_container_of_gives_run_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "mc", "demo/mc.h", CONTAINER_H, 0x8000020300000043, (410, 111410))


SRC = """\
struct sf { spinlock_t lock; unsigned long flags; };
static struct sf s0 = { .lock = __SPIN_LOCK_UNLOCKED(s0.lock) };
static struct sf sf_arr[2];
static unsigned long sf_buf[4];

long long f(u64 fn, struct tdx_module_args *args)
{
	struct sf *p = __seamcall(fn, args) ? &s0 : OTHER;
	long long r = 0;

	spin_lock_irqsave(&p->lock, p->flags);
	r = irqs_disabled();
	{ USE }
	spin_unlock_irqrestore(&p->lock, p->flags);
	return r * 10 + irqs_disabled();
}
"""


@pytest.mark.parametrize(("other", "use"), [
    ("(struct sf *)sf_buf", ""), ("(void *)sf_buf", ""),
    # an array's whole objects or the array itself where the image may be read; an element's address moved
    ("&s0", "memcpy(sf_buf, sf_arr, 16);"), ("&s0", "memcpy(sf_buf, &sf_arr[1], 16);"),
    ("&s0", "struct sf c = sf_arr[0]; r = !c.flags;"), ("sf_arr + 1", ""),
    # container_of()'s pointer where the image may be read
    ("&s0", "memcpy(sf_buf, container_of(&s0.lock, struct sf, lock), 16);"),
])
def test_a_pointer_or_array_the_image_may_be_read_from_is_refused_at_the_save(other: str, use: str) -> None:
    code = SRC.replace("OTHER", other).replace("USE", use)
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (out.status, out.ret, out.state)
    assert out.error is not None and out.error.startswith(
        f"{PATH}:{line_of(code, 'spin_lock_irqsave')}: the flags spin_lock_irqsave() saved are kept where the mirror "
        "does not follow them, in p->flags"), out.error


def test_container_of_a_pointer_into_no_struct_is_refused_where_it_runs() -> None:
    # the member is followed, but container_of() of what lies in no struct object the mirror holds stops there
    code = SRC.replace("OTHER", "container_of((spinlock_t *)sf_buf, struct sf, lock)").replace("USE", "")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (out.status, out.ret, out.state)
    assert out.error is not None and out.error.startswith(
        f"{PATH}:{line_of(code, 'container_of')}: container_of(): the pointer does not point at the member"), out.error

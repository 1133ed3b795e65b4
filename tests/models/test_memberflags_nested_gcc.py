"""IRQ flags saved in a member reached through a member, per_cpu() or a tested pointer run as gcc runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.outcome import ErrorKind
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import PATH, line_of, run

# A host struct pointing at a device struct that keeps its lock's saved flags (spin_lock_irqsave(&h->dev->lock,
# h->dev->flags)), the pointer set by a designated initializer and tested before use; the host's own device
# (h->in.flags); a per-CPU device reached by per_cpu_ptr() (tested) and per_cpu(), saved into through per_cpu() of a
# CPU number. ok: IRQs on at the save; big: the nested saves while they are off.
NESTED_H = """\
struct mh_dev {
	spinlock_t lock;
	unsigned long flags;
	int hits;
};

struct mh_host {
	int id;
	struct mh_dev *dev;
	struct mh_dev in;
};

static struct mh_dev mh_d = { .lock = __SPIN_LOCK_UNLOCKED(mh_d.lock) };
static struct mh_host mh_h = { .id = 3, .dev = &mh_d };
static DEFINE_PER_CPU(struct mh_dev, mh_pcpu);

static void mh_enter(struct mh_host *h)
{
	if (h->dev)
		spin_lock_irqsave(&h->dev->lock, h->dev->flags);
}

static void mh_leave(struct mh_host *h)
{
	if (h && h->dev)
		spin_unlock_irqrestore(&h->dev->lock, h->dev->flags);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	struct mh_host *h = &mh_h;
	struct mh_dev *p;
	long long n;
	int cpu;

	mh_enter(h);
	h->dev->hits++;
	n = irqs_disabled() + spin_is_locked(&mh_d.lock) * 10;
	if (ret & 1) {
		local_irq_save(h->in.flags);
		n += irqs_disabled() * 100;
		p = per_cpu_ptr(&mh_pcpu, smp_processor_id());
		if (p)
			local_irq_save(p->flags);
		local_irq_restore(per_cpu(mh_pcpu, smp_processor_id()).flags);
		local_irq_restore(h->in.flags);
		n += irqs_disabled() * 1000;
	}
	mh_leave(h);
	cpu = raw_smp_processor_id();
	local_irq_save(per_cpu(mh_pcpu, cpu).flags);
	n += irqs_disabled() * 10000;
	local_irq_restore(per_cpu(mh_pcpu, cpu).flags);
	return n * 10 + irqs_disabled() + spin_is_locked(&mh_d.lock) + mh_h.dev->hits * 100000 + mh_h.id;
}
"""


def test_flags_kept_through_members_and_per_cpu_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "mh", "demo/mh.h", NESTED_H, 0x8000020300000043, (200113, 211113))
    big = dict(result.outcome("mh", "busy/ONE/big/demo.c").state)
    # the images the runs saved show what is known of them (X86_EFLAGS_IF), a member holding none its number
    assert ".flags = <saved EFLAGS image, X86_EFLAGS_IF set>, .hits = 1}" in big["mh_d"], big
    assert big["mh_h"] == ("{.id = 3, .dev = &mh_d, .in = {.lock = {.__sh_magic = 0}, "
                           ".flags = <saved EFLAGS image, X86_EFLAGS_IF clear>, .hits = 0}}"), big
    assert ".flags = <saved EFLAGS image, X86_EFLAGS_IF set>" in big["mh_pcpu"], big  # the last save: IRQs on


SRC = """\
struct sf { spinlock_t lock; unsigned long flags; };
struct sh { int id; struct sf *dev; struct sf in; };
static struct sf s0 = { .lock = __SPIN_LOCK_UNLOCKED(s0.lock) };
static struct sh h0 = { .dev = &s0 };
static DEFINE_PER_CPU(struct sf, pc);
static unsigned long sf_buf[4];
EXTRA
long long f(u64 fn, struct tdx_module_args *args)
{
	struct sh *h = &h0;
	long long r = 0;

	spin_lock_irqsave(&h->dev->lock, h->dev->flags);
	local_irq_save(h->in.flags);
	USE;
	local_irq_restore(h->in.flags);
	spin_unlock_irqrestore(&h->dev->lock, h->dev->flags);
	return r * 10 + irqs_disabled();
}
"""


@pytest.mark.parametrize(("extra", "use"), [
    ("", "memcpy(sf_buf, h->dev, 16)"), ("", "memcpy(sf_buf, &h->in, 16)"), ("", "struct sh c = *h; r = c.id"),
    ("", "void *v = h->dev; r = v != 0"), ("", "memcpy(sf_buf, &h0, 16)"),
    ("static void *sf_v = &s0;", "memcpy(sf_buf, sf_v, 16)"),
    ("static void *sf_v = &h0.in;", "memcpy(sf_buf, sf_v, 16)"),
    ("static struct sh h1 = { .dev = (void *)sf_buf };", "r = h1.id"),
    ("", "memcpy(sf_buf, &per_cpu(pc, 0), 16)"), ("", "r = *(long long *)this_cpu_ptr(&pc)"),
    ("static struct { struct sf in; } sf_an;", "r = !sf_an.in.flags"),
    ("static struct sh sf_hs[2];", "memcpy(sf_buf, sf_hs, 16)"),  # sf_hs[1].id alone: followed (an element)
    ("struct sk { struct sh *host; }; static struct sk k0;", "memcpy(sf_buf, k0.host, 8)"),
    ("", "r = ((struct sh *)sf_buf)->dev != 0"),
    ("union sf_u { struct sf in; unsigned long raw[2]; }; static union sf_u su;", "r = su.raw[1]"),
])
def test_flags_in_a_nested_member_the_image_may_be_read_from_are_refused_at_the_save(extra: str, use: str) -> None:
    # the whole EFLAGS image would be seen (copied, stored where it goes anywhere): the first save is refused
    code = SRC.replace("EXTRA", extra).replace("USE", use)
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (use, out.status, out.ret, out.state)
    assert out.error is not None and out.error.startswith(
        f"{PATH}:{line_of(code, 'spin_lock_irqsave')}: the flags spin_lock_irqsave() saved are kept where the mirror "
        "does not follow them, in h->dev->flags"), out.error


def test_the_same_code_with_no_read_of_the_image_runs() -> None:
    # the refused cases' frame, each use above replaced by one that reads no image
    out = run(SRC.replace("EXTRA", "").replace("USE", "r = h->id + !h->dev + (h ? 2 : 0)"))
    assert (out.status, out.ret) == ("ok", 20), out.error


@pytest.mark.parametrize("target", ["this_cpu_ptr(&pc)->flags", "per_cpu(pc, smp_processor_id()).flags",
                                    "get_cpu_var(pc).flags"])
def test_a_save_into_a_per_cpu_member_its_target_checking_preemption_is_refused_where_it_runs(target: str) -> None:
    # the target's address checks preemption (CONFIG_DEBUG_PREEMPT) and the save disables IRQs, unsequenced (C11
    # 6.5.16p3): which comes first is gcc's choice; the refusal is one line naming the save's
    code = ("struct sf { unsigned long flags; };\nstatic DEFINE_PER_CPU(struct sf, pc);\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
            f"\tlocal_irq_save({target});\n\tlocal_irq_restore({target});\n\treturn irqs_disabled();\n}}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (out.status, out.ret)
    assert out.error is not None and out.error.startswith(f"{PATH}:5: the order in which the two sides of an "
                                                          "assignment are evaluated is unspecified"), out.error


def test_a_refused_save_into_a_per_cpu_member_names_it_on_one_line() -> None:
    # the object is copied whole: not followed; the target's text is the prelude's statement expression
    code = ("struct sf { unsigned long flags; };\nstatic DEFINE_PER_CPU(struct sf, pc);\nstatic struct sf sf_c;\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tstruct sf *p = this_cpu_ptr(&pc);\n"
            "\tlocal_irq_save(p->flags);\n\tlocal_irq_restore(per_cpu(pc, smp_processor_id()).flags);\n"
            "\tsf_c = *p;\n\treturn irqs_disabled();\n}\n")
    out = run(code)
    assert out.error is not None and out.error.startswith(
        f"{PATH}:7: the flags local_irq_save() saved are kept where the mirror does not follow them, in p->flags"), \
        out.error
    out = run(code.replace("local_irq_save(p->flags)", "local_irq_save(per_cpu(pc, 0).flags)"))
    assert out.error is not None and "\n" not in out.error and out.error.startswith(
        f"{PATH}:7: the flags local_irq_save() saved are kept where the mirror does not follow them, in (*(({{ "), \
        out.error


def test_flags_in_a_heap_object_stop_at_their_save() -> None:
    # a kzalloc()'d object's member is not followed (models.heap): the run stops at the save, never at a guessed one
    code = ("struct sf { spinlock_t lock; unsigned long flags; };\nlong long f(u64 fn, struct tdx_module_args *args)\n"
            "{\n\tstruct sf *d = kzalloc(sizeof(*d), GFP_KERNEL);\n\n\tif (!d)\n\t\treturn -12;\n"
            "\tspin_lock_init(&d->lock);\n\tspin_lock_irqsave(&d->lock, d->flags);\n"
            "\tspin_unlock_irqrestore(&d->lock, d->flags);\n\tkfree(d);\n\treturn irqs_disabled();\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (out.status, out.ret)
    assert out.error is not None and out.error.startswith(
        f"{PATH}:9: the flags spin_lock_irqsave() saved are kept where the mirror does not follow them, in d->flags"), \
        out.error

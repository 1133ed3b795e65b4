"""IRQ flags saved in a member of the code's own struct (file-scope, per-CPU, through a pointer) run as gcc does."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.outcome import ErrorKind
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import PATH, line_of, run

# A driver's struct keeping its lock's saved flags beside it (spin_lock_irqsave(&d->lock, d->flags)), in a file-scope
# object reached through helpers taking a pointer, and in a per-CPU one (this_cpu_ptr()). ok: IRQs on at the save;
# big: a nested local_irq_save() into the per-CPU struct while they are off. Held counts and lockdep's assertion too.
MEMBER_H = """\
struct mf_dev {
	spinlock_t lock;
	unsigned long flags;
	int hits;
};

static struct mf_dev mf_d = { .lock = __SPIN_LOCK_UNLOCKED(mf_d.lock) };
static DEFINE_PER_CPU(struct mf_dev, mf_pcpu);

static void mf_enter(struct mf_dev *d)
{
	spin_lock_irqsave(&d->lock, d->flags);
}

static void mf_leave(struct mf_dev *d)
{
	spin_unlock_irqrestore(&d->lock, d->flags);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	struct mf_dev *p = this_cpu_ptr(&mf_pcpu);
	long long n;

	mf_enter(&mf_d);
	lockdep_assert_held(&mf_d.lock);
	mf_d.hits++;
	n = irqs_disabled() + spin_is_locked(&mf_d.lock) * 10;
	if (ret & 1) {
		local_irq_save(p->flags);
		n += irqs_disabled() * 100;
		local_irq_restore(p->flags);
		n += irqs_disabled() * 1000;
	}
	mf_leave(&mf_d);
	return n * 10 + irqs_disabled() + spin_is_locked(&mf_d.lock) + mf_d.hits * 100000;
}
"""


def test_flags_kept_in_a_struct_member_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "mf", "demo/mf.h", MEMBER_H, 0x8000020300000043, (100110, 111110))
    ok = result.outcome("mf", "busy/ONE/ok/demo.c")
    # the state shows what is known of the image (X86_EFLAGS_IF), never the mirror's 0x200 as the member's value
    state = dict(ok.state)
    assert ".flags = <saved EFLAGS image, X86_EFLAGS_IF set>, .hits = 1}" in state["mf_d"], ok.state
    assert "mf_pcpu" not in state, ok.state


SRC = """\
struct sf { spinlock_t lock; unsigned long flags; };
static struct sf s0 = { .lock = __SPIN_LOCK_UNLOCKED(s0.lock) };
static unsigned long sf_buf[4];
EXTRA
long long f(u64 fn, struct tdx_module_args *args)
{
	struct sf *x = &s0;
	long long r = 0;

	spin_lock_irqsave(&x->lock, x->flags);
	USE;
	spin_unlock_irqrestore(&x->lock, x->flags);
	return r;
}
"""


@pytest.mark.parametrize(("extra", "use"), [
    ("", 'pr_info("%lx\\n", s0.flags)'), ("", "r = x->flags & X86_EFLAGS_IF"), ("", "struct sf c = *x; r = !c.flags"),
    ("", "memcpy(sf_buf, x, sizeof(*x))"), ("", "memcpy(sf_buf, &s0, 16)"),
    ("static struct sf sf_two[2];", "memset(sf_two, 0, 8)"),
    ("typedef struct sf sf_t; static sf_t s1;", "memcpy(sf_buf, &s1, 8)"),
    ("static struct sf *sf_get(void) { return &s0; }", "r = sf_get() != 0"),
    ("struct sf_box { struct sf in; }; static struct sf_box sb;", "memcpy(sf_buf, &sb, 8)"),
    ("", "r = (long long)(unsigned long)x"), ("static void *sf_p;", "sf_p = x"), ("", "x = (struct sf *)sf_buf"),
    ("static void *sf_p = &s0;", "memcpy(sf_buf, sf_p, 16)"),
])
def test_flags_in_a_member_the_image_may_be_read_from_are_refused_at_the_save(extra: str, use: str) -> None:
    # the whole EFLAGS image would be seen (printed, copied, compared): the save is refused where it runs
    code = SRC.replace("EXTRA", extra).replace("USE", use)
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (use, out.status, out.ret, out.state)
    assert out.error is not None and out.error.startswith(
        f"{PATH}:{line_of(code, 'spin_lock_irqsave')}: the flags spin_lock_irqsave() saved are kept where the mirror "
        "does not follow them, in x->flags"), out.error


def test_a_member_never_saved_into_shows_its_value() -> None:
    code = ("struct sf { unsigned long flags; int n; };\nstatic struct sf s0 = { .flags = 7 };\n"
            "static struct sf s1;\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\ts0.n = 1;\n"
            "\tlocal_irq_disable();\n\tlocal_irq_save(s1.flags);\n\tlocal_irq_restore(s1.flags);\n"
            "\tlocal_irq_enable();\n\treturn irqs_disabled();\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 0), out.error
    assert dict(out.state) == {"s0": "{.flags = 7, .n = 1}",
                               "s1": "{.flags = <saved EFLAGS image, X86_EFLAGS_IF clear>, .n = 0}"}, out.state

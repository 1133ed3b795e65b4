"""The flags local_irq_save() keeps are x86's whole EFLAGS image, not X86_EFLAGS_IF alone.

The flags local_irq_save() keeps are x86's whole EFLAGS image (arch/x86/include/asm/irqflags.h native_save_fl():
pushf), not X86_EFLAGS_IF alone: a restore and a test of that bit are modelled, any other read of the value is
refused where it runs. It returned 0x200 before, a value the kernel never prints. gcc shows why: the image a pushf
takes holds the arithmetic flags the instruction before it left, so two places give two values."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from models.outcome import ErrorKind
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import GCC, PATH, line_of, needs_x86_gcc, run

PUSHF = r"""
#include <stdio.h>

/* what native_save_fl() does, after a compare that sets ZF and one that clears it */
static unsigned long after_cmp(long a, long b)
{
	unsigned long f;

	asm volatile("cmp %2, %1\n\tpushf\n\tpop %0" : "=r"(f) : "r"(a), "r"(b) : "cc");
	return f;
}

int main(int argc, char **argv)
{
	printf("%lx %lx\n", after_cmp(argc, argc), after_cmp(argc, argc + 1));
	return 0;
}
"""


@needs_x86_gcc
def test_the_saved_image_depends_on_the_instructions_before_it(tmp_path: Path) -> None:
    src, exe = tmp_path / "p.c", tmp_path / "p"
    src.write_text(PUSHF)
    assert GCC is not None
    subprocess.run([GCC, "-O1", "-o", str(exe), str(src)], check=True, capture_output=True)
    equal, other = (int(x, 16) for x in subprocess.run([str(exe)], check=True, capture_output=True,
                                                          text=True).stdout.split())
    assert equal != other and equal & 0x40 and not other & 0x40  # ZF (X86_EFLAGS_ZF) differs
    assert equal & 0x202 == other & 0x202 == 0x202  # X86_EFLAGS_IF (a task runs with IRQs on) and the fixed bit
    # The mirror answers the IF test as that image does, and refuses the value itself.
    code = ("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tunsigned long flags;\n\tlong long r;\n\n"
            "\tlocal_irq_save(flags);\n\tr = !!(flags & X86_EFLAGS_IF) * 10 + irqs_disabled_flags(flags);\n"
            "\tlocal_irq_restore(flags);\n\treturn r;\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 10), out.error


def _refused(use: str, save: str = "local_irq_save(flags);") -> str:
    code = ("static DEFINE_SPINLOCK(el);\nstatic unsigned long kept;\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tunsigned long flags;\n\tlong long r = 0;\n\n"
            f"\t{save}\n\t{use}\n"
            "\tlocal_irq_restore(flags);\n\treturn r;\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (use, out.status, out.ret)
    assert out.error is not None and out.error.startswith(f"{PATH}:{line_of(code, use)}: 'flags' holds the flags "
                                                          "local_irq_save()"), out.error
    return out.error


@pytest.mark.parametrize("use", [
    "r = flags;", 'pr_info("flags %lx\\n", flags);', "r = flags == 0x200;", "kept = flags;", "r = flags & 0x2;",
    "r = (flags & 0x246) != 0;", "r = flags >> 9;"])
def test_a_read_of_the_saved_flags_but_a_restore_or_an_if_test_is_refused(use: str) -> None:
    _refused(use)


@pytest.mark.parametrize("save", ["local_save_flags(flags);", "spin_lock_irqsave(&el, flags); spin_unlock(&el);",
                                  "raw_local_irq_save(flags);"])
def test_every_way_of_saving_them_is_the_image(save: str) -> None:
    _refused("r = flags;", save)


def test_the_ways_the_kernel_reads_them_run_and_an_unreached_read_stops_nothing() -> None:
    code = ("static DEFINE_SPINLOCK(el);\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tunsigned long flags, inner;\n\tlong long r;\n\n\tspin_lock_irqsave(&el, flags);\n"
            "\tlocal_irq_save(inner);\n"
            "\tr = irqs_disabled_flags(flags) * 100 + arch_irqs_disabled_flags(inner) * 10"
            " + ((X86_EFLAGS_IF & inner) ? 1 : 0);\n\tif (fn == 77)\n\t\tpr_info(\"%lx\\n\", flags);\n"
            "\tlocal_irq_restore(inner);\n\tspin_unlock_irqrestore(&el, flags);\n"
            "\treturn r * 10 + irqs_disabled();\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 100), out.error


KEPT_ELSEWHERE = """\
struct ke_dev {
	unsigned long flags;
};
static struct ke_dev ke_d;
static unsigned long ke_kept;

static void ke_save(unsigned long *flagsp)
{
	SAVE;
}

long long f(u64 fn, struct tdx_module_args *args)
{
	unsigned long fl = 0, *p = &fl;
	struct ke_dev d = {};

	ke_save(&fl);
	local_irq_restore(fl);
	return (long long)(USE);
}
"""


@pytest.mark.parametrize(("save", "use"), [
    ("local_irq_save(*flagsp); pr_info(\"%lx\\n\", *flagsp)", "fl"),
    ("local_save_flags(ke_d.flags)", "ke_d.flags"), ("raw_local_irq_save(ke_kept)", "ke_kept"),
    ("local_irq_save(ke_d.flags); local_irq_restore(ke_d.flags)", "d.flags + (ke_d.flags & 0x2)"),
    ("unsigned long mine, *q = &mine; local_irq_save(mine); *flagsp = *q", "fl"),
])
def test_flags_saved_where_no_read_is_seen_are_refused_at_the_save(save: str, use: str) -> None:
    # Kept through a pointer, in a member, a file-scope variable or one whose address is taken, the image may be read
    # anywhere (a caller, the state a run leaves): never as 0x200, as the mirror's value was (gcc's holds the fixed
    # bit 1 and the arithmetic flags too). The save itself is refused where it runs, naming its line.
    code = KEPT_ELSEWHERE.replace("SAVE", save).replace("USE", use)
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (save, use, out.status, out.ret)
    assert out.error is not None and out.error.startswith(f"{PATH}:{line_of(code, save)}: the flags "), out.error
    assert "kept where the mirror does not follow them" in out.error


# A helper saving the flags through a pointer parameter into its caller's local, and one restoring them from it
# (include/linux/irqflags.h local_irq_save(*flags) stores the image there): followed, as flags saved in the local
# itself. ok: IRQs on at the first save (X86_EFLAGS_IF kept), off at the second; big: the first takes the lock too.
THROUGH_H = """\
static DEFINE_SPINLOCK(fp_lock);

static void fp_save(unsigned long *flags, int locked)
{
	if (locked)
		spin_lock_irqsave(&fp_lock, *flags);
	else
		local_irq_save(*flags);
}

static void fp_restore(int locked, unsigned long *flags)
{
	if (locked)
		spin_unlock_irqrestore(&fp_lock, *flags);
	else
		local_irq_restore(*flags);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	unsigned long outer, inner;
	long long n;

	fp_save(&outer, ret & 1);
	fp_save(&inner, 0);
	n = irqs_disabled() + spin_is_locked(&fp_lock) * 10 + irqs_disabled_flags(outer) * 100
		+ !!(inner & X86_EFLAGS_IF) * 1000;
	fp_restore(0, &inner);
	fp_restore(ret & 1, &outer);
	return n * 10 + irqs_disabled();
}
"""


def test_flags_saved_through_a_helpers_pointer_into_a_local_are_followed_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "fp", "demo/fp.h", THROUGH_H, 0x8000020300000043, (10, 110))


THROUGH = """\
static void tp_save(unsigned long *flags)
{
	local_irq_save(*flags);
}

long long f(u64 fn, struct tdx_module_args *args)
{
	unsigned long fl;
	long long r = 0;

	tp_save(&fl);
	USE;
	local_irq_restore(fl);
	return r;
}
"""


@pytest.mark.parametrize(("use", "at"), [
    ("r = fl == 0x200", "USE"), ("r = fl", "USE"), ('pr_info("%lx\\n", fl)', "USE"),
    ("unsigned long *p = &fl; r = *p", "tp_save(&fl);"),
    ("void (*fp)(unsigned long *) = tp_save; fp(&fl)", "local_irq_save(*flags)"),
    ("tp_save((unsigned long *)&args->rcx)", "(unsigned long *)&args"),
])
def test_a_read_of_flags_a_helper_saved_through_a_pointer_is_refused(use: str, at: str) -> None:
    # Followed into the caller's local, the image is read as local flags are: a read other than a restore or an
    # X86_EFLAGS_IF test is refused where it runs; a local whose address also goes elsewhere, a helper called
    # through a pointer (its callers are not all seen) and flags kept in anything but a local are refused at the save.
    code = THROUGH.replace("USE", use)
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (use, out.status, out.ret)
    line = line_of(code, use if at == "USE" else at)
    assert out.error is not None and out.error.startswith(f"{PATH}:{line}: "), out.error


# A helper handing its flags pointer on to another (include/linux/irqflags.h: the flags are one unsigned long
# wherever the pointer goes) and one testing them (irqs_disabled_flags(*flags)): followed, as gcc runs them. ok: IRQs
# on at the first save, off at the second; big: the outer save takes the lock too.
HANDED_ON_H = """\
static DEFINE_SPINLOCK(ho_lock);

static void ho_save_one(unsigned long *flags, int locked)
{
	if (locked)
		spin_lock_irqsave(&ho_lock, *flags);
	else
		local_irq_save(*flags);
}

static void ho_save(int locked, unsigned long *flags)
{
	ho_save_one(flags, locked);
}

static int ho_was_off(unsigned long *flags)
{
	return irqs_disabled_flags(*flags) + !!(*flags & X86_EFLAGS_IF) * 2;
}

static void ho_restore(unsigned long *flags, int locked)
{
	if (ho_was_off(flags) > 3)
		return;
	if (locked)
		spin_unlock_irqrestore(&ho_lock, *flags);
	else
		local_irq_restore(*flags);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	unsigned long outer, inner;
	long long n;

	ho_save(ret & 1, &outer);
	ho_save(0, &inner);
	n = irqs_disabled() + spin_is_locked(&ho_lock) * 10 + ho_was_off(&outer) * 100 + ho_was_off(&inner) * 1000;
	ho_restore(&inner, 0);
	ho_restore(&outer, ret & 1);
	return n * 10 + irqs_disabled();
}
"""


def test_flags_handed_on_and_tested_behind_a_helpers_pointer_are_followed_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "ho", "demo/ho.h", HANDED_ON_H, 0x8000020300000043, (12010, 12110))


HANDED_ON = """\
static void ho_inner(unsigned long *flags)
{
	local_irq_save(*flags);
}

static void ho_outer(unsigned long *flags)
{
	ho_inner(flags);
}

static long long ho_test(unsigned long *flags)
{
	return TEST;
}

long long f(u64 fn, struct tdx_module_args *args)
{
	unsigned long fl;
	long long r = 0;

	ho_outer(&fl);
	r = ho_test(&fl);
	local_irq_restore(fl);
	return r;
}
"""


@pytest.mark.parametrize(("test", "at"), [
    ("*flags & 0x202", "TEST"), ("*flags & ~0UL", "TEST"), ("(long long)*flags", "ho_outer(&fl)"),
    ("*flags == 0x200", "ho_outer(&fl)"), ("*flags & fn", "TEST"),
])
def test_a_read_of_flags_handed_on_behind_a_pointer_but_an_if_test_is_refused(test: str, at: str) -> None:
    # An & test of another bit than X86_EFLAGS_IF reads what the mirror does not know (gcc's image holds the fixed
    # bit 1 and the arithmetic flags): refused where it runs. Any other use of *flags leaves ho_test() unfollowed: the
    # caller's &fl goes where no read is seen, and the save into it (ho_outer(&fl)) is refused where it runs.
    code = HANDED_ON.replace("TEST", test)
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (test, out.status, out.ret)
    assert out.error is not None and out.error.startswith(f"{PATH}:{line_of(code, test if at == 'TEST' else at)}: "), \
        out.error


@pytest.mark.parametrize("use", ["void (*fp)(unsigned long *) = ho_inner; fp(&fl)", "ho_keep = ho_inner"])
def test_flags_handed_on_to_a_helper_named_as_a_pointer_are_refused_at_the_save(use: str) -> None:
    # The innermost helper named other than as a callee may be called where no caller is seen: neither it nor the
    # helper handing the pointer on to it is followed, and the save is refused where it runs.
    code = ("static void (*ho_keep)(unsigned long *);\n" + HANDED_ON.replace("TEST", "0")
            .replace("\tho_outer(&fl);", f"\t{use};\n\tho_outer(&fl);"))
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (use, out.status, out.ret)
    assert out.error is not None and out.error.startswith(f"{PATH}:{line_of(code, 'local_irq_save(*flags)')}: "), \
        out.error


# Flags handed to a helper by value and returned by one (include/linux/irqflags.h: the flags are one unsigned long
# wherever they go): followed, as gcc runs them. ok: IRQs on at the save; big: the helper takes the lock, and the
# value helper tests the flags before it restores them.
BY_VALUE_H = """\
static DEFINE_SPINLOCK(bv_lock);

static unsigned long bv_lock_it(int locked)
{
	unsigned long f;

	if (locked)
		spin_lock_irqsave(&bv_lock, f);
	else
		local_irq_save(f);
	return f;
}

static int bv_unlock_it(unsigned long flags, int locked)
{
	int was_off = irqs_disabled_flags(flags);

	if (locked)
		spin_unlock_irqrestore(&bv_lock, flags);
	else
		local_irq_restore(flags);
	return was_off;
}

static void bv_drop(int locked, unsigned long flags)
{
	bv_unlock_it(flags, locked);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	unsigned long outer = bv_lock_it(ret & 1), inner;
	long long n;

	inner = bv_lock_it(0);
	n = irqs_disabled() + spin_is_locked(&bv_lock) * 10 + !!(outer & X86_EFLAGS_IF) * 100;
	n += bv_unlock_it(inner, 0) * 1000;
	bv_drop(ret & 1, outer);
	return n * 10 + irqs_disabled();
}
"""


def test_flags_handed_by_value_and_returned_are_followed_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "bv", "demo/bv.h", BY_VALUE_H, 0x8000020300000043, (11010, 11110))


BY_VALUE = """\
static unsigned long bv_kept;

static unsigned long bv_save(void)
{
	unsigned long f;

	local_irq_save(f);
	return f;
}

static void bv_restore(unsigned long flags)
{
	HELPER;
	local_irq_restore(flags);
}

long long f(u64 fn, struct tdx_module_args *args)
{
	unsigned long fl;
	long long r = 0;

	fl = bv_save();
	USE;
	bv_restore(fl);
	return r;
}
"""


@pytest.mark.parametrize(("helper", "use", "at"), [
    ("r_flags(flags)", "(void)0", "bv_restore(fl);"),  # a helper reading them otherwise: its callers' read
    ("(void)(flags & 0x2)", "(void)0", "HELPER"),  # a by-value helper's & test of another bit
    ("(void)0", 'pr_info("%lx\\n", bv_save())', "return f;"),  # a returner's value printed: its return a read
    ("(void)0", "bv_kept = bv_save()", "bv_kept = bv_save()"),  # kept in a file-scope variable: the call refused
    ("(void)0", "unsigned long (*p)(void) = bv_save; fl = p()", "return f;"),  # called through a pointer
    ("(void)0", "fl |= 1", "USE"), ("(void)0", "fl++", "USE"),  # an update reads the image
])
def test_flags_by_value_or_returned_read_otherwise_are_refused(helper: str, use: str, at: str) -> None:
    code = BY_VALUE.replace("HELPER", helper).replace("USE", use)
    code = "static void r_flags(unsigned long x) { pr_info(\"%lx\\n\", x); }\n" + code
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (helper, use, out.status, out.ret)
    line = line_of(code, helper if at == "HELPER" else use if at == "USE" else at)
    assert out.error is not None and out.error.startswith(f"{PATH}:{line}: "), out.error


# A lock guard of the code's own keeping the flags in its class's struct, as include/linux/spinlock.h defines
# spinlock_irqsave: followed, as gcc runs it. ok: IRQs on at the save; big: a second, nested guard of the class.
GUARD_H = """\
static DEFINE_SPINLOCK(lg_a);
static DEFINE_SPINLOCK(lg_b);

DEFINE_LOCK_GUARD_1(lg_irqsave, spinlock_t, spin_lock_irqsave(_T->lock, _T->flags),
	spin_unlock_irqrestore(_T->lock, _T->flags), unsigned long flags)
DEFINE_LOCK_GUARD_0(lg_irq, local_irq_save(_T->flags), local_irq_restore(_T->flags), unsigned long flags)

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	long long n = 0;

	scoped_guard(lg_irqsave, &lg_a) {
		n = irqs_disabled() + spin_is_locked(&lg_a) * 10;
		if (ret & 1) {
			guard(lg_irqsave)(&lg_b);
			n += spin_is_locked(&lg_b) * 100;
		}
	}
	scoped_guard(lg_irq)
		n += irqs_disabled() * 1000;
	return n * 10 + irqs_disabled() + spin_is_locked(&lg_a) + spin_is_locked(&lg_b);
}
"""


def test_flags_a_lock_guard_keeps_in_its_struct_are_followed_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "lg", "demo/lg.h", GUARD_H, 0x8000020300000043, (10110, 11110))


GUARD = """\
static DEFINE_SPINLOCK(lg_a);
static unsigned long lg_buf[2];
DEFINE_LOCK_GUARD_1(lg_irqsave, spinlock_t, spin_lock_irqsave(_T->lock, _T->flags),
	spin_unlock_irqrestore(_T->lock, _T->flags), unsigned long flags)
EXTRA
long long f(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;
	{
		CLASS(lg_irqsave, g)(&lg_a);
		USE;
	}
	return r;
}
"""


@pytest.mark.parametrize(("extra", "use"), [
    ("", 'pr_info("%lx\\n", g.flags)'), ("", "r = g.flags & X86_EFLAGS_IF"),
    ("", "class_lg_irqsave_t c = g; r = c.lock != 0"), ("", "memcpy(lg_buf, &g, sizeof(g))"),
    ("static class_lg_irqsave_t lg_kept;", "r = lg_kept.lock != 0"),
])
def test_flags_a_lock_guard_keeps_where_they_may_be_read_are_refused_at_the_save(extra: str, use: str) -> None:
    code = GUARD.replace("EXTRA", extra).replace("USE", use)
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (use, out.status, out.ret)
    # the save in the class's constructor: the line the mirror gives the invocation's expansion (its last)
    assert out.error is not None and out.error.startswith(f"{PATH}:4: the flags spin_lock_irqsave() saved are kept "
                                                          "where the mirror does not follow them"), out.error


@pytest.mark.parametrize(("code", "said"), [
    (BY_VALUE.replace("HELPER", "(void)0").replace("USE", "bv_kept = bv_save()"),
     "the flags bv_save() (the flags it returns) saved are kept where the mirror does not follow them, in bv_kept ("),
    ("struct sf { spinlock_t lock; unsigned long flags; };\n"
     "static struct sf s0 = { .lock = __SPIN_LOCK_UNLOCKED(s0.lock) };\n"
     "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tstruct sf *x = &s0, c = s0;\n\n"
     "\tspin_lock_irqsave(&x->lock, x->flags);\n\tspin_unlock_irqrestore(&x->lock, x->flags);\n\treturn 0;\n}\n",
     "the flags spin_lock_irqsave() saved are kept where the mirror does not follow them, in x->flags ("),
])
def test_a_refused_save_names_where_it_keeps_the_flags(code: str, said: str) -> None:
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (out.status, out.ret)
    assert out.error is not None and said in out.error, out.error

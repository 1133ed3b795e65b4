"""mutex_is_locked(), spin_is_locked() and raw_spin_is_locked(), against gcc.

mutex_is_locked(), spin_is_locked() and raw_spin_is_locked() (kernel/locking/mutex.c, include/linux/spinlock.h):
whether the lock is held, a bool for the mutex, an int for the spinlocks; nothing else changes. The mirror called
them unknown functions (the whole entry point refused); gcc builds and runs them against the harness's locks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

HELD = """\
static DEFINE_MUTEX(lh_m);
static DEFINE_SPINLOCK(lh_s);
static DEFINE_RAW_SPINLOCK(lh_r);
struct lh_dev { struct mutex lock; u64 n; };
static struct lh_dev lh_d;

static long long pw_held(u64 fn, struct tdx_module_args *args)
{
	long long r = sizeof(mutex_is_locked(&lh_m)) * 10 + sizeof(spin_is_locked(&lh_s));

	r = r * 10 + mutex_is_locked(&lh_m);
	mutex_lock(&lh_m);
	r = r * 10 + mutex_is_locked(&lh_m) + (fn & 1);
	lockdep_assert_held(&lh_m);
	mutex_unlock(&lh_m);
	r = r * 10 + mutex_is_locked(&lh_m);
	spin_lock(&lh_s);
	r = r * 10 + spin_is_locked(&lh_s) * 2 + raw_spin_is_locked(&lh_r);
	raw_spin_lock(&lh_r);
	r = r * 10 + raw_spin_is_locked(&lh_r) * 3;
	raw_spin_unlock(&lh_r);
	spin_unlock(&lh_s);
	mutex_init(&lh_d.lock);
	if (!mutex_is_locked(&lh_d.lock))
		mutex_lock(&lh_d.lock);
	r = r * 10 + mutex_is_locked(&lh_d.lock) * 4;
	mutex_unlock(&lh_d.lock);
	return r;
}
"""


def test_whether_a_lock_is_held_as_gcc_runs_it(tmp_path: Path) -> None:
    result = runs_as_gcc(tmp_path, "held", "demo/lh.h", HELD)
    assert result.outcome("held", "busy/ONE/ok/demo.c").ret is not None


def test_an_automatic_lock_never_initialised_is_refused() -> None:
    # its bytes are indeterminate in the kernel: whether it is held is not known
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tstruct mutex m;\n\n"
              "\treturn mutex_is_locked(&m);\n}\n")
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:5: "), out.error


def test_the_mirror_says_what_gcc_computes() -> None:
    out = run("static DEFINE_MUTEX(m);\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tlong long r = mutex_is_locked(&m);\n\n\tmutex_lock(&m);\n\tr = r * 10 + mutex_is_locked(&m);\n"
              "\tmutex_unlock(&m);\n\treturn r * 10 + sizeof(mutex_is_locked(&m));\n}\n")
    assert (out.status, out.ret) == ("ok", 11), out.error

"""spinlock_t, raw_spinlock_t and struct mutex are three types: another kind is refused.

spinlock_t, raw_spinlock_t and struct mutex are three types (include/linux/spinlock_types.h, mutex_types.h): a lock
primitive or cleanup.h guard class given another kind is refused at its FILE:LINE, as gcc refuses it with the
kernel's -Werror=incompatible-pointer-types; the right kinds run as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import agrees_with_gcc, header_result
from tests.models.cprog import run

HEAD = ("static DEFINE_SPINLOCK(lk_s);\nstatic DEFINE_RAW_SPINLOCK(lk_r);\nstatic DEFINE_MUTEX(lk_m);\n"
        "struct lk_dev { raw_spinlock_t r; spinlock_t s; };\nstatic struct lk_dev lk_d;\n\n"
        "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n\tlong long n = 0;\n\n")


@pytest.mark.parametrize(("stmt", "given", "wanted", "what"), [
    ("guard(spinlock)(&lk_r);", "raw_spinlock_t", "spinlock_t", "guard(spinlock)"),
    ("guard(raw_spinlock)(&lk_s);", "spinlock_t", "raw_spinlock_t", "guard(raw_spinlock)"),
    ("scoped_guard(spinlock_irqsave, &lk_d.r) n++;", "raw_spinlock_t", "spinlock_t", "guard(spinlock_irqsave)"),
    ("spin_lock(&lk_r);", "raw_spinlock_t", "spinlock_t", "spin_lock()"),
    ("raw_spin_lock_irq(&lk_d.s);", "spinlock_t", "raw_spinlock_t", "raw_spin_lock_irq()"),
    ("mutex_lock(&lk_s);", "spinlock_t", "struct mutex", "mutex_lock()"),
    ("guard(mutex)(&lk_r);", "raw_spinlock_t", "struct mutex", "guard(mutex)"),
])
def test_a_lock_of_another_kind_is_refused_as_gcc_refuses_it(tmp_path: Path, stmt: str, given: str, wanted: str,
                                                             what: str) -> None:
    out = run(HEAD.replace("static long long busy", "long long f") + f"\t{stmt}\n\treturn n;\n}}\n")
    assert out.error_kind == "build" and out.error == (
        f"test/prog.c:11: passing argument 1 of {what} from incompatible pointer type: {given} * for {wanted} * "
        "(-Werror=incompatible-pointer-types)"), (out.error_kind, out.error)
    r = crosscheck_result(header_result(tmp_path, "lk", "demo/lk.h", HEAD + f"\t{stmt}\n\treturn n;\n}}\n", 5),
                          find_compiler(None))
    assert len(r.refused_alike["lk"]) == 1 and "demo/lk.h:11" in r.refused_alike["lk"][0], r.refused_alike


def test_each_kind_with_its_own_primitives_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    body = ("\tscoped_guard(raw_spinlock_irqsave, &lk_r) n += 1;\n\tscoped_guard(spinlock, &lk_d.s) n += 2;\n"
            "\traw_spin_lock(&lk_d.r);\n\tn += 4;\n\traw_spin_unlock(&lk_d.r);\n\tspin_lock(&lk_s);\n"
            "\tspin_unlock(&lk_s);\n\tguard(mutex)(&lk_m);\n\tguard(raw_spinlock)(&lk_d.r);\n"
            "\treturn n * 10 + (__seamcall(fn, args) != 0);\n}\n")
    agrees_with_gcc(tmp_path, "lk", "demo/lk.h", HEAD + body, 5, (70, 71))

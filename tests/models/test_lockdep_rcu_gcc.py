"""lockdep_assert_preemption_disabled() and _enabled() inside rcu_read_lock().

lockdep_assert_preemption_disabled() and _enabled() inside rcu_read_lock(): include/linux/lockdep.h tests
preempt_count(), which rcu_read_lock() raises without CONFIG_PREEMPT_RCU (__rcu_read_lock() is preempt_disable())
and leaves alone with it. Where the two kernels' assertions disagree the mirror refuses the run at the assertion, as
it refuses preempt_count() there; where they agree it reports what both report. gcc runs both kernels' macros."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import line_of, run

GCC = shutil.which("gcc")

# Both kernels' rcu_read_lock() and the two assertions' WARN_ON_ONCE() conditions (CONFIG_PREEMPT_COUNT and lockdep
# on), the IRQ state being this_cpu_read(hardirqs_enabled); the state before rcu_read_lock() from argv.
KERNELS = r"""
#include <stdio.h>
#include <stdlib.h>
static int count, irqs_off, rcu_depth;
#ifdef CONFIG_PREEMPT_RCU
#define rcu_read_lock() (rcu_depth++)
#else
#define rcu_read_lock() (count++)
#endif
#define warns_if_disabled_asserted() (count == 0 && !irqs_off)
#define warns_if_enabled_asserted() (count != 0 || irqs_off)
int main(int argc, char **argv)
{
	count = atoi(argv[1]);
	irqs_off = atoi(argv[2]);
	rcu_read_lock();
	printf("%d %d\n", warns_if_disabled_asserted(), warns_if_enabled_asserted());
	return 0;
}
"""


def _warns(tmp_path: Path, preempt_rcu: bool, count: int, irqs_off: int) -> tuple[bool, bool]:
    assert GCC is not None
    exe = tmp_path / f"k{int(preempt_rcu)}"
    if not exe.exists():
        (tmp_path / "k.c").write_text(KERNELS)
        subprocess.run([GCC, "-O1", *(["-DCONFIG_PREEMPT_RCU"] if preempt_rcu else []), "-o", str(exe),
                        str(tmp_path / "k.c")], check=True, capture_output=True)
    out = subprocess.run([str(exe), str(count), str(irqs_off)], check=True, capture_output=True, text=True).stdout
    d, e = out.split()
    return d == "1", e == "1"


def _code(before: str, assertion: str) -> str:
    return ("long long f(u64 fn, struct tdx_module_args *args)\n{\n" + before + "\tguard(rcu)();\n"
            f"\t{assertion}();\n\treturn 0;\n}}\n")


STATES = {(0, 0): "", (1, 0): "\tguard(preempt)();\n", (0, 1): "\tguard(irq)();\n",
          (1, 1): "\tguard(preempt)();\n\tguard(irq)();\n"}


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("which", ["disabled", "enabled"])
def test_a_preemption_assertion_inside_rcu_is_refused_where_the_kernels_disagree(
        tmp_path: Path, state: tuple[int, int], which: str) -> None:
    assertion = f"lockdep_assert_preemption_{which}"
    k = 0 if which == "disabled" else 1
    preempt_rcu, classic = _warns(tmp_path, True, *state)[k], _warns(tmp_path, False, *state)[k]
    code = _code(STATES[state], assertion)
    out = run(code)
    if preempt_rcu != classic:
        assert out.status == "error" and f"test/prog.c:{line_of(code, assertion)}:" in (out.error or "") \
            and "CONFIG_PREEMPT_RCU" in (out.error or ""), out.error
        return
    assert out.status == "ok", out.error
    reported = [e for e in out.events if e.kind == "violation"]
    assert bool(reported) == preempt_rcu, reported


def test_an_assertion_that_fired_before_is_silent_in_both_kernels() -> None:
    # WARN_ON_ONCE(): fired outside the section in both kernels, the site says nothing inside it in either (the same
    # call of check(), so the same copy of its code: x86 keeps the once flag per copy, models.onceunits).
    code = ("static void check(void) { lockdep_assert_preemption_disabled(); }\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tint i;\n\n\tfor (i = 0; i < 2; i++) {\n"
            "\t\tif (i)\n\t\t\trcu_read_lock();\n\t\tcheck();\n\t\tif (i)\n\t\t\trcu_read_unlock();\n\t}\n"
            "\treturn 0;\n}\n")
    out = run(code)
    assert out.status == "ok", out.error
    assert [e.detail for e in out.events if e.kind == "violation"] == ["lockdep: preemption is enabled here"]

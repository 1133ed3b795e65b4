"""The lockdep rule kind: a variant's selected runs, as one boot, make lockdep report nothing.

The lockdep rule kind (harness.lockdepcheck): a variant's selected runs, as one boot runs them all, make lockdep
report nothing. lockdep's lock-order graph is global in a boot (kernel/locking/lockdep.c check_noncircular()), so
two entry points taking two locks in opposite orders fail it though neither run reports anything alone."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import Verdict, VerdictStatus
from tests.gitoracle import init_repo
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

# demo_retry() and demo_prerr(), the matrix's entry points, take two locks each; ORDER is demo_prerr()'s.
LOCKS_H = """\
DECLS

static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
	u64 ret;

	mutex_lock(&lk_a);
	mutex_lock(&lk_b);
	ret = __seamcall(fn, args);
	mutex_unlock(&lk_b);
	mutex_unlock(&lk_a);
	return ret;
}

static inline int demo_prerr(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);

	if (ret) {
		mutex_lock(&FIRST);
		mutex_lock(&SECOND);
		pr_err("DEMO failed: 0x%016llx\\n", ret);
		mutex_unlock(&SECOND);
		mutex_unlock(&FIRST);
	}
	return ret ? -EIO : 0;
}
"""
KNOWN = "static DEFINE_MUTEX(lk_a);\nstatic DEFINE_MUTEX(lk_b);\nstatic DEFINE_MUTEX(lk_c);"


def _h(first: str, second: str, decls: str = KNOWN) -> str:
    return LOCKS_H.replace("DECLS", decls).replace("FIRST", first).replace("SECOND", second)


def _gate(tmp: Path, after: str, check: str = "", matrix_add: str = "") -> Verdict:
    """gate --tree on a tree whose demo/h.h is the tidy order (lk_a, then lk_c), one patch making it ``after``,
    judged by one lockdep rule (``check`` added to its check table): the verdict on v1."""
    before = _h("lk_a", "lk_c")
    tree = init_repo(tmp / "tree", {"demo/h.h": before, "demo/demo.c": '#include "h.h"\n'})
    mbox = write_mbox(tmp / "t.mbox", [message("[PATCH] demo: lock", "t1@x",
                                               patch_body("Lock.", diff("demo/h.h", before, after)))])
    (tmp / "m.toml").write_text(MATRIX + matrix_add)
    (tmp / "r.toml").write_text('[[rule]]\nid = "lock-order"\nreviewer = "R"\nsummary = "s"\n'
                                f'[rule.check]\nkind = "lockdep"\n{check}')
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, cache=None, tree=tree, base="HEAD",
                                  matrix=tmp / "m.toml", rules=tmp / "r.toml"))
    [v] = g.verdicts
    return v


def test_two_entry_points_taking_two_locks_in_opposite_orders_fail_it(tmp_path: Path) -> None:
    after = _h("lk_b", "lk_a")
    v = _gate(tmp_path, after)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    [e] = v.evidence
    back = after.count("\n", 0, after.index("\tmutex_lock(&lk_b);\n\tret")) + 1  # demo_retry(): lk_b under lk_a
    there = after.count("\n", 0, after.index("\t\tmutex_lock(&lk_a);")) + 1
    assert e.expected == "no lock-order cycle across the runs, as one boot runs them all"
    assert e.where == f"demo/h.h:{there}"
    assert e.actual.startswith(f"lock lk_a taken while holding lk_b at demo/h.h:{there} (demo_prerr/"), e.actual
    assert f"; lock lk_b taken while holding lk_a at demo/h.h:{back} (demo_retry/" in e.actual, e.actual


def test_one_order_everywhere_passes_naming_what_it_joined(tmp_path: Path) -> None:
    v = _gate(tmp_path, _h("lk_a", "lk_b"))
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    assert v.note == ("16 scenarios checked, as one boot over the unit they ran in (demo.c): 1 lock-order dependency, "
                      "the IRQ usage of each lock class and the IRQ-safe -> IRQ-unsafe orders they make joined"), v.note


IRQ_SCRIPT = '\n[[script]]\nname = "irq"\nanswers = ["FAIL"]\ncontext = "hardirq"\n'
IRQSAVE = "\t\tunsigned long fl;\n\n\t\tspin_lock_irqsave(&lk_s, fl);\n\t\tspin_unlock_irqrestore(&lk_s, fl);\n"


def _with_spinlock(plain: bool) -> str:
    after = _h("lk_a", "lk_b").replace("\tif (ret) {\n", "\tif (ret) {\n" + IRQSAVE, 1)
    after = after.replace("static DEFINE_MUTEX(lk_c);", "static DEFINE_MUTEX(lk_c);\nstatic DEFINE_SPINLOCK(lk_s);")
    assert "spin_lock_irqsave(&lk_s" in after
    if plain:
        after = after.replace("spin_lock_irqsave(&lk_s, fl)", "spin_lock(&lk_s)").replace(
            "spin_unlock_irqrestore(&lk_s, fl)", "spin_unlock(&lk_s)")
    return after


def test_a_lock_taken_with_irqs_on_and_in_a_handler_fails_it_as_lockdeps_inconsistent_usage(tmp_path: Path) -> None:
    # kernel/locking/lockdep.c valid_state(): the class's IN-HARDIRQ-W and HARDIRQ-ON-W bits, a boot's; one run in a
    # task took lk_s with IRQs on, one in a hardirq handler (context = "hardirq") took it too. The note said "not
    # checked: lockdep's IRQ usage" and the rule passed.
    plain = _with_spinlock(True)
    v = _gate(tmp_path / "plain", plain, "", IRQ_SCRIPT)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    at = plain.count("\n", 0, plain.index("spin_lock(&lk_s)")) + 1
    clash = [e for e in v.evidence if "lk_s" in e.actual]
    assert clash and clash[0].expected == ("no inconsistent IRQ usage of a lock class across the runs, as one boot "
                                           "runs them all")
    assert clash[0].actual.startswith(f"lockdep: inconsistent {{HARDIRQ-ON-W}} -> {{IN-HARDIRQ-W}} usage across runs: "
                                      f"lock lk_s taken with IRQs on at demo/h.h:{at} ("), clash[0].actual
    assert f"lock lk_s of its class in hardirq context at demo/h.h:{at} (" in clash[0].actual
    assert clash[0].where == f"demo/h.h:{at}" and "/irq/" in clash[0].scenario.id
    # spin_lock_irqsave() turns IRQs off before the lock: HARDIRQ-safe usage alone, which no handler makes
    # inconsistent (the mutexes the task takes with IRQs on and the handler takes too still do)
    v = _gate(tmp_path / "irqsave", _with_spinlock(False), "", IRQ_SCRIPT)
    assert not [e for e in v.evidence if "lk_s" in e.actual], v.evidence
    assert [e for e in v.evidence if "lock lk_a taken with IRQs on" in e.actual], v.evidence


def test_locks_only_an_interrupt_handler_takes_pass(tmp_path: Path) -> None:
    # the runs of the hardirq script alone: IN-HARDIRQ-W usage only, no run with IRQs on
    v = _gate(tmp_path / "irq", _h("lk_a", "lk_b"), 'scenarios = { script = ["irq"] }\n', IRQ_SCRIPT)
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    assert v.note.endswith("the IRQ-safe -> IRQ-unsafe orders they make joined"), v.note


def test_the_cycle_needs_both_entry_points_among_the_scenarios_selected(tmp_path: Path) -> None:
    v = _gate(tmp_path, _h("lk_b", "lk_a"), 'scenarios = { entry = ["demo_prerr"] }\n')
    assert v.status is VerdictStatus.PASS, (v.status, v.note)


def test_a_runs_own_report_fails_it(tmp_path: Path) -> None:
    # demo_prerr() takes lk_c then lk_a, after demo_retry()'s lk_a then lk_b... and lk_b, lk_a within one run:
    # the run's own report, a violation (the first of the run).
    after = _h("lk_b", "lk_a").replace("\t\tpr_err", "\t\tmutex_lock(&lk_c);\n\t\tmutex_unlock(&lk_c);\n\t\tpr_err")
    after = after.replace("\tif (ret) {\n", "\tif (ret) {\n\t\tmutex_lock(&lk_a);\n\t\tmutex_lock(&lk_b);\n"
                                            "\t\tmutex_unlock(&lk_b);\n\t\tmutex_unlock(&lk_a);\n", 1)
    v = _gate(tmp_path, after)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    assert any(e.expected == "lockdep reports nothing" and e.actual.startswith(
        "lockdep: possible circular locking dependency detected: lock lk_a taken while the task holds lock lk_b")
        for e in v.evidence), v.evidence


def test_a_cycle_only_if_locks_an_init_function_set_up_share_a_class_is_inconclusive(tmp_path: Path) -> None:
    # lk_x and lk_y have no initialiser in the run (an init function may have set them up, at one mutex_init()
    # line): demo_retry() takes lk_a, lk_b; demo_prerr() lk_b, lk_x, and lk_y, lk_a. A cycle if lk_x and lk_y
    # share a class, none if not: neither a pass nor a failure stands.
    decls = KNOWN + "\nstruct mutex lk_x;\nstruct mutex lk_y;"
    after = _h("lk_b", "lk_x", decls).replace(
        "\t\tmutex_unlock(&lk_b);\n\t\treturn", "\t\tmutex_unlock(&lk_b);\n\t\treturn")
    after = after.replace("\t\tpr_err", "\t\tmutex_unlock(&lk_x);\n\t\tmutex_unlock(&lk_b);\n"
                                        "\t\tmutex_lock(&lk_y);\n\t\tmutex_lock(&lk_a);\n\t\tpr_err")
    after = after.replace("\t\tmutex_unlock(&lk_x);\n\t\tmutex_unlock(&lk_b);\n\t}",
                          "\t\tmutex_unlock(&lk_a);\n\t\tmutex_unlock(&lk_y);\n\t}")
    v = _gate(tmp_path, after)
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note, v.evidence)
    assert "whether lockdep reports a cycle depends on whether locks an init function set up before the run share " \
           "a lock class (lock " in v.note, v.note


def test_runs_with_events_past_those_recorded_leave_it_inconclusive(tmp_path: Path) -> None:
    # 120 preempt events, past the 100 an outcome records: a lockdep report among the rest would not be seen.
    after = _h("lk_a", "lk_b").replace("\tret = __seamcall(fn, args);\n", "\tret = __seamcall(fn, args);\n"
                                       "\tfor (int i = 0; i < 60; i++) {\n\t\tpreempt_disable();\n"
                                       "\t\tpreempt_enable();\n\t}\n", 1)
    v = _gate(tmp_path, after)
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert "runs made more events than are recorded, a lockdep report among them unseen (demo_retry/" in v.note, v.note


# demo_retry() nests lk_t in lk_s with IRQs off in a task, takes lk_s alone in a handler; demo_prerr() takes lk_t
# with IRQs on: no class is both IRQ-safe and -unsafe, but lk_s (safe) leads to lk_t (unsafe).
ORDER_RETRY = """\
	if (in_hardirq()) {
		spin_lock(&lk_s);
		spin_unlock(&lk_s);
	} else {
		unsigned long fl;

		spin_lock_irqsave(&lk_s, fl);
		spin_lock(&lk_t);
		spin_unlock(&lk_t);
		spin_unlock_irqrestore(&lk_s, fl);
	}
"""


def _irq_order(unsafe: str) -> str:
    after = _h("lk_a", "lk_b").replace("\tmutex_lock(&lk_a);\n\tmutex_lock(&lk_b);\n", ORDER_RETRY, 1).replace(
        "\tmutex_unlock(&lk_b);\n\tmutex_unlock(&lk_a);\n\treturn ret;", "\treturn ret;", 1)
    after = after.replace("\tif (ret) {\n\t\tmutex_lock(&lk_a);\n\t\tmutex_lock(&lk_b);\n",
                          f"\tif (ret && !in_hardirq()) {{\n{unsafe}").replace(
        "\t\tmutex_unlock(&lk_b);\n\t\tmutex_unlock(&lk_a);\n\t}", "\t}")
    return after.replace("static DEFINE_MUTEX(lk_c);", "static DEFINE_SPINLOCK(lk_s);\nstatic DEFINE_SPINLOCK(lk_t);")


def test_a_handlers_lock_held_over_one_taken_with_irqs_on_fails_it_as_lockdeps_irq_unsafe_order(
        tmp_path: Path) -> None:
    # kernel/locking/lockdep.c check_irq_usage(): lk_s HARDIRQ-safe (a handler took it), lk_t HARDIRQ-unsafe (a task
    # took it with IRQs on), lk_s -> lk_t a dependency: "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected" in a
    # boot running them all. Before, the rule passed saying "not checked: lockdep's IRQ-safe -> IRQ-unsafe lock order".
    after = _irq_order("\t\tspin_lock(&lk_t);\n\t\tspin_unlock(&lk_t);\n")
    assert after.count("lk_t") == 5 and "mutex" not in after.split("demo_retry")[1], after
    v = _gate(tmp_path / "on", after, "", IRQ_SCRIPT)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    [e] = v.evidence
    line = after.split("\n").index
    assert e.expected == "no IRQ-safe -> IRQ-unsafe lock order across the runs, as one boot runs them all"
    assert e.actual.startswith(
        "lockdep: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected across runs: lock lk_s taken in hardirq context "
        f"at demo/h.h:{line(chr(9) * 2 + 'spin_lock(&lk_s);') + 1} (demo_"), e.actual
    assert f"lock lk_t taken with IRQs on at demo/h.h:{line(chr(9) * 2 + 'spin_lock(&lk_t);', 20) + 1} (demo_prerr/" \
        in e.actual, e.actual
    assert f"(lk_t taken while holding lk_s at demo/h.h:{line(chr(9) * 2 + 'spin_lock(&lk_t);') + 1} (demo_retry/" \
        in e.actual, e.actual
    # lk_t taken under spin_lock_irqsave() there too: HARDIRQ-safe everywhere, no order to report
    v = _gate(tmp_path / "off", _irq_order("\t\tunsigned long f;\n\n\t\tspin_lock_irqsave(&lk_t, f);\n"
                                           "\t\tspin_unlock_irqrestore(&lk_t, f);\n"), "", IRQ_SCRIPT)
    assert v.status is VerdictStatus.PASS, (v.status, v.note, v.evidence)

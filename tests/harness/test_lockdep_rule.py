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
    assert e.expected == "no lock-order cycle across the runs of one unit"
    assert e.where == f"demo/h.h:{there}"
    assert e.actual.startswith(f"lock lk_a taken while holding lk_b at demo/h.h:{there} (demo_prerr/"), e.actual
    assert f"; lock lk_b taken while holding lk_a at demo/h.h:{back} (demo_retry/" in e.actual, e.actual


def test_one_order_everywhere_passes_naming_what_it_joined(tmp_path: Path) -> None:
    v = _gate(tmp_path, _h("lk_a", "lk_b"))
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    h = _h("lk_a", "lk_b")
    taken = ", ".join(f"{lk} (demo/h.h:{h.count(chr(10), 0, h.index(f'lock(&{lk})')) + 1})" for lk in ("lk_a", "lk_b"))
    assert v.note == ("16 scenarios checked, as one boot per unit: 1 lock-order dependency joined; not checked: "
                      f"lockdep's IRQ usage, as no run is in hardirq context: {taken} taken with IRQs on, which an "
                      "interrupt handler taking them too would make an inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} "
                      "usage (docs/limits.md)"), v.note


def test_locks_taken_with_irqs_off_are_not_said_to_be_taken_with_them_on(tmp_path: Path) -> None:
    # spin_lock_irqsave() turns them off before the lock: lockdep's usage there is HARDIRQ-safe, which no
    # interrupt handler makes inconsistent. Only demo_retry()'s plain mutex_lock()s are said.
    irqsave = "\t\tunsigned long fl;\n\n\t\tspin_lock_irqsave(&lk_s, fl);\n\t\tspin_unlock_irqrestore(&lk_s, fl);\n"
    after = _h("lk_a", "lk_b").replace("\tif (ret) {\n", "\tif (ret) {\n" + irqsave, 1)
    after = after.replace("static DEFINE_MUTEX(lk_c);", "static DEFINE_MUTEX(lk_c);\nstatic DEFINE_SPINLOCK(lk_s);")
    assert "spin_lock_irqsave(&lk_s" in after
    v = _gate(tmp_path / "irqsave", after)
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    assert "lk_s" not in v.note and ": lk_a (demo/h.h:" in v.note, v.note
    plain = after.replace("spin_lock_irqsave(&lk_s, fl)", "spin_lock(&lk_s)").replace(
        "spin_unlock_irqrestore(&lk_s, fl)", "spin_unlock(&lk_s)")
    v = _gate(tmp_path / "plain", plain)
    assert f"lk_s (demo/h.h:{plain.count(chr(10), 0, plain.index('spin_lock(&lk_s)')) + 1})" in v.note, v.note


IRQ_SCRIPT = '\n[[script]]\nname = "irq"\nanswers = ["FAIL"]\ncontext = "hardirq"\n'


def test_locks_an_interrupt_handler_takes_are_named_so_not_as_taken_with_irqs_on(tmp_path: Path) -> None:
    # a run of a script with context = "hardirq" starts with IRQs off (models.runcontext): its locks are lockdep's
    # IN-HARDIRQ usage, which the note names apart; it said they were taken with IRQs on, and that no run was there
    after = _h("lk_a", "lk_b")
    at = {lk: after.count("\n", 0, after.index(f"lock(&{lk})")) + 1 for lk in ("lk_a", "lk_b")}
    taken = f"lk_a (demo/h.h:{at['lk_a']}), lk_b (demo/h.h:{at['lk_b']})"
    v = _gate(tmp_path / "irq", after, 'scenarios = { script = ["irq"] }\n', IRQ_SCRIPT)
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    assert v.note.endswith(f"joined; not checked: lockdep's IRQ usage: {taken} taken in hardirq context, by runs "
                           "whose usage is not joined with the others' (docs/limits.md)"), v.note
    v = _gate(tmp_path / "all", after, "", IRQ_SCRIPT)
    assert v.note.endswith(f"joined; not checked: lockdep's IRQ usage: {taken} taken with IRQs on, which an interrupt "
                           "handler taking them too would make an inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage; "
                           f"{taken} taken in hardirq context, by runs whose usage is not joined with the others' "
                           "(docs/limits.md)"), v.note


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

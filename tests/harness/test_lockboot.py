"""lockdep's boot joins every unit's runs: an A -> B order of one unit and B -> A of another are a cycle.

lockdep's lock-order graph is global in a boot (kernel/locking/lockdep.c check_noncircular() walks every dependency
any task added), and a boot runs every translation unit's code: demo_retry() run in demo.c taking lk_a then lk_b, and
demo_prerr() run in other.c taking lk_b then lk_a, are "possible circular locking dependency detected" where the
locks are one object (defined in a .c file, declared extern in the header), and nothing where each unit has its own
(a header's static locks: C11 6.2.2p3). Before, the units were joined one at a time and the first passed."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.lockboot import boot_runs, lockdep_findings, may_report, reports
from harness.verdict import Verdict, VerdictStatus
from models.lockdep import PER_TEXT
from tests.gitoracle import init_repo
from tests.harness import test_lockdep_rule as lockdep_rule
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

# test_lockdep_rule's two entry points (demo_retry() takes lk_a then lk_b, demo_prerr() FIRST then SECOND).
LOCKS_H = "#include <linux/mutex.h>\n" + lockdep_rule.LOCKS_H
EXTERN = "extern struct mutex lk_a;\nextern struct mutex lk_b;"
DEFINED = '#include "h.h"\n\nDEFINE_MUTEX(lk_a);\nDEFINE_MUTEX(lk_b);\n'
STATIC = "static DEFINE_MUTEX(lk_a);\nstatic DEFINE_MUTEX(lk_b);"
# demo_retry() runs in demo.c alone, demo_prerr() in other.c alone
UNITS = MATRIX.replace('[[entry]]\nname = "demo_retry"\n', '[[unit]]\nname = "other.c"\npath = "demo/other.c"\n\n'
                       '[[entry]]\nname = "demo_retry"\nunits = ["demo.c"]\n').replace(
    '[[entry]]\nname = "demo_prerr"\n', '[[entry]]\nname = "demo_prerr"\nunits = ["other.c"]\n')


def _h(decls: str, first: str, second: str) -> str:
    return LOCKS_H.replace("DECLS", decls).replace("FIRST", first).replace("SECOND", second)


def _after(decls: str, first: str, second: str) -> str:
    """The patched header: demo_prerr() takes ``first`` then ``second`` (and says so)."""
    return _h(decls, first, second).replace("\tif (ret) {\n", "\tif (ret) { /* locked */\n", 1)


def _gate(tmp: Path, decls: str, after: tuple[str, str], others: dict[str, str] | None = None) -> Verdict:
    """gate --tree on a tree whose demo/h.h takes lk_a then lk_b everywhere, demo.c and other.c including it, one
    patch making demo_prerr() take ``after``: the verdict of one lockdep rule on v1."""
    before = _h(decls, "lk_a", "lk_b")
    files = {"demo/h.h": before, "demo/demo.c": '#include "h.h"\n', "demo/other.c": '#include "h.h"\n',
             "demo/Makefile": "obj-y += demo.o other.o lock.o\n", **(others or {})}
    tree = init_repo(tmp / "tree", files)
    mbox = write_mbox(tmp / "t.mbox", [message("[PATCH] demo: lock", "t1@x", patch_body(
        "Lock.", diff("demo/h.h", before, _after(decls, *after))))])
    assert 'units = ["other.c"]' in UNITS
    (tmp / "m.toml").write_text(UNITS)
    (tmp / "r.toml").write_text('[[rule]]\nid = "lock-order"\nreviewer = "R"\nsummary = "s"\n'
                                '[rule.check]\nkind = "lockdep"\n')
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, cache=None, tree=tree, base="HEAD",
                                  matrix=tmp / "m.toml", rules=tmp / "r.toml"))
    [v] = g.verdicts
    return v


def test_one_lock_taken_in_opposite_orders_in_two_units_is_a_cycle(tmp_path: Path) -> None:
    v = _gate(tmp_path, EXTERN, ("lk_b", "lk_a"), {"demo/lock.c": DEFINED})
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    [e] = v.evidence
    after = _after(EXTERN, "lk_b", "lk_a")
    there = after.count("\n", 0, after.index("\t\tmutex_lock(&lk_a);")) + 1
    back = after.count("\n", 0, after.index("\tmutex_lock(&lk_b);\n\tret")) + 1
    assert e.expected == "no lock-order cycle across the runs, as one boot runs them all"
    assert e.actual.startswith(f"lock lk_a taken while holding lk_b at demo/h.h:{there} (demo_prerr/"), e.actual
    assert e.scenario.id.endswith("/other.c"), e.scenario.id
    assert f"; lock lk_b taken while holding lk_a at demo/h.h:{back} (demo_retry/ONE/ok/demo.c)" in e.actual, e.actual


def test_each_units_own_static_locks_close_no_cycle(tmp_path: Path) -> None:
    v = _gate(tmp_path, STATIC, ("lk_b", "lk_a"))
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    assert "as one boot over the units they ran in (demo.c, other.c): 2 lock-order dependencies" in v.note, v.note


def test_one_order_in_both_units_passes(tmp_path: Path) -> None:
    v = _gate(tmp_path, EXTERN, ("lk_a", "lk_b"), {"demo/lock.c": DEFINED})
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    assert "as one boot over the units they ran in (demo.c, other.c): 1 lock-order dependency" in v.note, v.note


def test_locks_named_alike_in_two_units_that_are_no_static_objects_may_be_one() -> None:
    # an automatic lock (reached through a pointer) is named by its text: two units' runs taking "m"
    # and "n" in opposite orders close a cycle only if each name is one object in both, which no run knows
    def dep(a: str, b: str, unit: str, line: int) -> tuple[str, str, str, str, str]:
        return (f"0\x1fmutex\x1fown@{a}{PER_TEXT}{unit}", f"0\x1fmutex\x1fown@{b}{PER_TEXT}{unit}", a, b, f"d.h:{line}")
    runs = [("s1/x.c", (dep("m", "n", "x.c", 3),)), ("s2/y.c", (dep("n", "m", "y.c", 9),))]
    assert reports(runs) == []
    [(what, why, said)] = may_report(runs)
    assert what == "a cycle" and why.startswith("locks named alike in two units that are no static objects"), why
    assert said == "lock m taken while holding n at d.h:9 (s2/y.c); lock n taken while holding m at d.h:3 (s1/x.c)"
    # one unit's: the one object its text names there (as within any unit), a cycle
    assert [r[0] for r in reports([runs[0], ("s2/x.c", (dep("n", "m", "x.c", 9),))])] == ["cycle"]


def test_the_findings_of_eval_join_the_units_too(tmp_path: Path) -> None:
    from harness.matrix import load_matrix
    from harness.runner import MatrixRequest, run_matrix
    from harness.variants import Variant
    from tests.harness.variantgen import full_file

    files = (full_file("demo/h.h", _after(EXTERN, "lk_b", "lk_a"), "t"), full_file("demo/lock.c", DEFINED, "t"))
    (tmp_path / "m.toml").write_text(UNITS)
    v = Variant("v1", "v1", files, (), (), (), "t")
    result = run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1, time_budget=0))
    runs, units = boot_runs(result, "v1")
    assert units == ["demo.c", "other.c"] and runs
    [finding] = lockdep_findings(result, result.variants)
    assert finding.text.startswith("lockdep: possible circular locking dependency detected across runs: lock lk_a "
                                   "taken while the task holds lock lk_b at demo/h.h:"), finding.text


PAIR_H = """\
void lk_pair(int first);

static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
	lk_pair(0);
	return __seamcall(fn, args);
}

static inline int demo_prerr(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);

	if (ret)
		lk_pair(ORDER);
	return ret ? -EIO : 0;
}
"""
# one helper of a .c file: its two static locks, taken through pointers in the order its argument says
PAIR_C = """\
#include <linux/mutex.h>
#include "h.h"

void lk_pair(int first)
{
	static DEFINE_MUTEX(lk_p);
	static DEFINE_MUTEX(lk_q);
	struct mutex *one = first ? &lk_q : &lk_p;
	struct mutex *two = first ? &lk_p : &lk_q;

	mutex_lock(one);
	mutex_lock(two);
	mutex_unlock(two);
	mutex_unlock(one);
}
"""


def _pair_gate(tmp: Path, lock_c: str) -> Verdict:
    """The lockdep rule's verdict on a tree whose demo/lock.c is ``lock_c`` (lk_pair()), called from demo.c and
    other.c through h.h, and a patch turning h.h's ORDER from 0 to 1."""
    before = PAIR_H.replace("ORDER", "0")
    files = {"demo/h.h": before, "demo/demo.c": '#include "h.h"\n', "demo/other.c": '#include "h.h"\n',
             "demo/Makefile": "obj-y += demo.o other.o lock.o\n", "demo/lock.c": lock_c}
    tree = init_repo(tmp / "tree", files)
    mbox = write_mbox(tmp / "t.mbox", [message("[PATCH] demo: lock", "t1@x", patch_body(
        "Lock.", diff("demo/h.h", before, PAIR_H.replace("ORDER", "1"))))])
    (tmp / "m.toml").write_text(UNITS)
    (tmp / "r.toml").write_text('[[rule]]\nid = "lock-order"\nreviewer = "R"\nsummary = "s"\n'
                                '[rule.check]\nkind = "lockdep"\n')
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, cache=None, tree=tree, base="HEAD",
                                  matrix=tmp / "m.toml", rules=tmp / "r.toml"))
    [v] = g.verdicts
    return v


def test_a_c_files_function_static_locks_are_one_object_whatever_unit_calls_it(tmp_path: Path) -> None:
    # lk_pair(0) from demo.c's runs takes lk_p then lk_q, lk_pair(1) from other.c's lk_q then lk_p: one static object
    # each in the kernel, named by the text that reached them ("one", "two") in each run
    v = _pair_gate(tmp_path, PAIR_C)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    [e] = v.evidence
    assert e.actual.startswith("lock two taken while holding one at demo/lock.c:12 (demo_prerr/"), e.actual
    assert "/other.c); lock two taken while holding one at demo/lock.c:12 (demo_retry/ONE/ok/demo.c)" in e.actual


def test_a_header_functions_static_locks_reached_through_pointers_are_one_object_in_a_unit(tmp_path: Path) -> None:
    # a static inline helper's static locks: one object per unit, named "one" and "two" by the text reaching them,
    # taken in one order under the answer 0 and the other under BIG: a cycle in demo.c's boot (it passed before: the
    # classes were the texts', which the two runs gave to opposite locks)
    from tests.harness.variantgen import header_result

    helper = PAIR_C.split('#include "h.h"\n\n')[1].replace("void lk_pair", "static inline void lk_pair")
    text = (helper + "\nstatic long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tu64 ret = __seamcall(fn, args);\n\n\tlk_pair(ret != 0);\n\treturn 0;\n}\n")
    result = header_result(tmp_path, "hp", "demo/hp.h", text, 0x8000020300000043)
    [finding] = lockdep_findings(result, result.variants)
    assert finding.text.startswith("lockdep: possible circular locking dependency detected across runs: lock two "
                                   "taken while the task holds lock one at demo/hp.h:"), finding.text


def test_a_c_files_function_static_structs_locks_are_its_members_whatever_unit_calls_it(tmp_path: Path) -> None:
    # lk_pair()'s locks are the members of one static struct: one object each in the kernel, reached as "one" and
    # "two" in opposite orders from demo.c's and other.c's runs. Before, each was named by that text (as an automatic
    # lock is), the same in both runs: no cycle, the rule passed
    pair = PAIR_C.replace("\tstatic DEFINE_MUTEX(lk_p);\n\tstatic DEFINE_MUTEX(lk_q);\n",
                          "\tstatic struct { struct mutex p, q; } lk = { .p = __MUTEX_INITIALIZER(lk.p), "
                          ".q = __MUTEX_INITIALIZER(lk.q) };\n").replace("&lk_q", "&lk.q").replace("&lk_p", "&lk.p")
    v = _pair_gate(tmp_path, pair)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    [e] = v.evidence
    assert e.actual.startswith("lock two taken while holding one at demo/lock.c:11 (demo_prerr/"), e.actual
    assert "/other.c); lock two taken while holding one at demo/lock.c:11 (demo_retry/ONE/ok/demo.c)" in e.actual


INIT_H = """\
#include <linux/mutex.h>
extern struct mutex lk_a;
extern struct mutex lk_b;
extern struct mutex lk_c;
INIT
static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
	u64 ret;

	lk_init(&lk_a);
	mutex_lock(&lk_a);
	mutex_lock(&lk_c);
	ret = __seamcall(fn, args);
	mutex_unlock(&lk_c);
	mutex_unlock(&lk_a);
	return ret;
}

static inline int demo_prerr(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);

	if (ret) {
		lk_init(&lk_b);
		mutex_lock(&lk_c);
		mutex_lock(&lk_b);
		pr_err("DEMO failed: 0x%016llx\\n", ret);
		mutex_unlock(&lk_b);
		mutex_unlock(&lk_c);
	}
	return ret ? -EIO : 0;
}
"""
LK_INIT = "void lk_init(struct mutex *m)\n{\n\tmutex_init(m);\n}\n"


def _init_gate(tmp: Path, header_init: bool) -> Verdict:
    """gate --tree: demo_retry() (run in demo.c) sets lk_a up with lk_init() and takes it then lk_c; the patch makes
    demo_prerr() (run in other.c) set lk_b up with lk_init() and take lk_c then lk_b. lk_init() is the header's
    ``static inline`` (``header_init``) or lock.c's."""
    init = f"\nstatic inline {LK_INIT}\n" if header_init else "void lk_init(struct mutex *m);\n\n"
    after = INIT_H.replace("INIT\n", init)
    before = after.replace("\tif (ret) {\n\t\tlk_init(&lk_b);\n\t\tmutex_lock(&lk_c);\n\t\tmutex_lock(&lk_b);\n",
                           "\tif (ret) {\n").replace("\t\tmutex_unlock(&lk_b);\n\t\tmutex_unlock(&lk_c);\n", "")
    lock_c = '#include "h.h"\n\nDEFINE_MUTEX(lk_a);\nDEFINE_MUTEX(lk_b);\nDEFINE_MUTEX(lk_c);\n'
    files = {"demo/h.h": before, "demo/demo.c": '#include "h.h"\n', "demo/other.c": '#include "h.h"\n',
             "demo/Makefile": "obj-y += demo.o other.o lock.o\n",
             "demo/lock.c": lock_c + ("" if header_init else "\n" + LK_INIT)}
    tree = init_repo(tmp / "tree", files)
    mbox = write_mbox(tmp / "t.mbox", [message("[PATCH] demo: lock", "t1@x", patch_body(
        "Lock.", diff("demo/h.h", before, after)))])
    (tmp / "m.toml").write_text(UNITS)
    (tmp / "r.toml").write_text('[[rule]]\nid = "lock-order"\nreviewer = "R"\nsummary = "s"\n'
                                '[rule.check]\nkind = "lockdep"\n')
    [v] = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, cache=None, tree=tree, base="HEAD",
                                    matrix=tmp / "m.toml", rules=tmp / "r.toml")).verdicts
    return v


def test_a_headers_init_helper_called_from_two_units_keys_two_classes(tmp_path: Path) -> None:
    # lk_init()'s mutex_init() has a static lock_class_key in each unit's copy (include/linux/mutex.h): lk_a (demo.c's
    # copy) -> lk_c and lk_c -> lk_b (other.c's copy) are no cycle in one boot (lockdep.c keys a class by the key)
    v = _init_gate(tmp_path / "h", True)
    assert v.status is VerdictStatus.PASS, (v.status, v.note)
    assert "as one boot over the units they ran in (demo.c, other.c): 2 lock-order dependencies" in v.note, v.note
    # lock.c's lk_init(): one key, so one class for lk_a and lk_b: lk_init -> lk_c -> lk_init, lockdep's cycle
    v = _init_gate(tmp_path / "c", False)
    assert v.status is VerdictStatus.FAIL, (v.status, v.note)
    [e] = v.evidence
    assert e.actual.startswith("lock lk_b taken while holding lk_c at demo/h.h:"), e.actual
    assert "; lock lk_c taken while holding lk_a at demo/h.h:" in e.actual and "(demo_retry/" in e.actual, e.actual

"""lockdep's lock-order graph is global in a boot: cycles across runs are found.

lockdep's lock-order graph is global in a boot (kernel/locking/lockdep.c: every dependency stays, and
check_noncircular() walks them all): two runs taking two locks in opposite orders are a cycle a boot running both
reports, which neither run shows alone (harness.lockcycles). Said as an eval finding, the same from the cache."""

from __future__ import annotations

from pathlib import Path

from harness.findings import FindingKind
from harness.lockboot import lockdep_findings
from harness.lockcycles import cycles
from harness.matrix import load_matrix
from harness.matrixresult import MatrixResult
from harness.outcome_cache import OutcomeCache
from harness.runner import MatrixRequest, run_matrix
from harness.variants import Variant
from tests.harness.variantgen import full_file, header_result
from tests.models.cprog import line_of

# Answer 0 takes xr_a then xr_b; answer 0x...43 xr_b then xr_a (xr_c between them, a trylock: no dependency).
ORDERS_H = """\
static DEFINE_MUTEX(xr_a);
static DEFINE_MUTEX(xr_b);
static DEFINE_MUTEX(xr_c);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);

	if (ret & 1) {
		mutex_lock(&xr_b);
		if (mutex_trylock(&xr_c))
			mutex_unlock(&xr_c);
		mutex_lock(&xr_a);
		mutex_unlock(&xr_a);
		mutex_unlock(&xr_b);
		return 1;
	}
	mutex_lock(&xr_a);
	mutex_lock(&xr_b);
	mutex_unlock(&xr_b);
	mutex_unlock(&xr_a);
	return 0;
}
"""

SAID = ("lockdep: possible circular locking dependency detected across runs: lock xr_a taken while the task holds "
        "lock xr_b at demo/xr.h:{big} (busy/ONE/big/demo.c), and back through dependencies the runs added (xr_a -> "
        "xr_b at demo/xr.h:{ok} (busy/ONE/ok/demo.c)): each run is a fresh boot, but lockdep's lock-order graph is "
        "global in a boot, which reports this in one that runs them all")


def _said() -> str:
    ok = ORDERS_H.count("\n", 0, ORDERS_H.index("\tmutex_lock(&xr_b);\n\tmutex_unlock(&xr_b);")) + 1
    return SAID.format(big=line_of(ORDERS_H, "\t\tmutex_lock(&xr_a);"), ok=ok)


def _findings(result: MatrixResult) -> list[tuple[FindingKind, str, str, str]]:
    return [(f.kind, f.subject, f.text, f.where) for f in lockdep_findings(result, result.variants)]


def test_two_runs_taking_two_locks_in_opposite_orders_are_a_cycle_neither_shows_alone(tmp_path: Path) -> None:
    result = header_result(tmp_path, "xr", "demo/xr.h", ORDERS_H, 0x8000020300000043)
    for s in ("ok", "big"):  # each run alone is consistent
        assert not [e for e in result.outcome("xr", f"busy/ONE/{s}/demo.c").events if e.kind == "violation"]
    big = line_of(ORDERS_H, "\t\tmutex_lock(&xr_a);")
    assert _findings(result) == [(FindingKind.LOCKDEP, "xr", _said(), f"demo/xr.h:{big}")]


def test_the_cycle_is_found_alike_from_the_outcome_cache(tmp_path: Path) -> None:
    v = Variant("xr", "xr", (full_file("demo/xr.h", ORDERS_H, "test"),), (), (), (), "t")
    header_result(tmp_path, "xr", "demo/xr.h", ORDERS_H, 0x8000020300000043)  # writes m.toml
    req = MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1, cache=OutcomeCache(tmp_path / "c"),
                        time_budget=0)
    first, second = run_matrix(req), run_matrix(req)
    assert (first.cached, second.cached) == (0, 2)
    assert _findings(first) == _findings(second) != []


def test_one_order_everywhere_and_a_runs_own_acyclic_graph_close_no_cycle() -> None:
    same = ("0\x1fmutex\x1fown@a", "0\x1fmutex\x1fown@b", "a", "b", "x.c:3")
    assert cycles([("s1", (same,)), ("s2", (same,))]) == []
    # a -> b and b -> c in one run, c -> a in another: the chain names the way back link by link
    ab, bc = same, ("0\x1fmutex\x1fown@b", "0\x1fmutex\x1fown@c", "b", "c", "x.c:4")
    ca = ("0\x1fmutex\x1fown@c", "0\x1fmutex\x1fown@a", "c", "a", "x.c:9")
    assert cycles([("s1", (ab, bc)), ("s2", (ca,))]) == [
        [("c", "a", "x.c:9", "s2"), ("a", "b", "x.c:3", "s1"), ("b", "c", "x.c:4", "s1")]]
    # another subclass of a class is another class (spin_lock_nested())
    ba1 = ("1\x1fmutex\x1fown@b", "0\x1fmutex\x1fown@a", "b", "a", "x.c:7")
    assert cycles([("s1", (ab,)), ("s2", (ba1,))]) == []

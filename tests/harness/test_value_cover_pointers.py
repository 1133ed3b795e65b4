"""A changed condition of a function reached through a pointer (harness.valuecover).

A changed condition of a function reached through a pointer (harness.valuecover, models.leafcalls): the leaf is
known there only when every call, through pointers too, passes it; one call passing a constant leaves the condition
undecided (was decided by the leaves that ran, and "no behaviour change" said of a change no run could show)."""

from __future__ import annotations

from pathlib import Path

from harness.compare import compare_pair
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.valuecover import with_values

DEMO = """\
#define NO_ENTROPY 0x8000020300000000ULL
typedef u64 (*sc_op_t)(u64 fn, struct tdx_module_args *args);

static u64 do_call(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (TEST)
		err = 0;
	return err;
}

static u64 run_op(sc_op_t op, u64 fn, struct tdx_module_args *args)
{
	return op(fn, args);
}

static u64 busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = do_call(fn, args);

	if (!err)
		err = run_op(do_call, SECOND, args);
	return err;
}
"""


def _run(tmp_path: Path, second: str) -> MatrixResult:
    """busy() calling do_call() by name with the leaf, then through run_op()'s pointer with ``second``; b also
    clears the status 5 under leaf 7, which no leaf of the matrix is."""
    from harness.filestate import full_file
    from harness.matrix import load_matrix
    from harness.variants import Variant

    tests = {"a": "err == NO_ENTROPY", "b": "err == NO_ENTROPY || (fn == 7 && err == 5)"}
    variants = tuple(Variant(n, n, (full_file("demo/demo.h", DEMO.replace("TEST", t).replace("SECOND", second),
                                              "test"),), (), (), (), "t") for n, t in tests.items())
    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\nNO_ENTROPY = 0x8000020300000000\n[leaves]\nONE = 1\nTWO = 2\n[[unit]]\nname = "demo.c"\n'
        'path = "demo/demo.c"\n[[entry]]\nname = "busy"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n'
        '[[script]]\nname = "busy"\nanswers = ["NO_ENTROPY", "OK"]\n')
    return run_matrix(MatrixRequest(variants, load_matrix(tmp_path / "m.toml"), jobs=1))


def test_a_condition_on_the_leaf_reached_through_a_pointer_with_a_constant_is_undecided(tmp_path: Path) -> None:
    # The second call passes 7: a script answering 5 to it would show b's change; none of the matrix does.
    result = _run(tmp_path, "7")
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    assert not cmp.differences and cmp.compared == 4
    found = with_values(result, cmp)
    assert found.differences == () and not found.unchanged
    (said,) = found.undecided
    assert said.startswith("a condition of do_call() changed, 'if (err == NO_ENTROPY)' (demo/demo.h:8) in a -> "), said


def test_a_condition_on_the_leaf_every_pointer_call_passes_is_decided(tmp_path: Path) -> None:
    # Both calls pass the leaf, 1 or 2, never 7: the runs decide the condition (b's change is dead code).
    result = _run(tmp_path, "fn")
    found = with_values(result, compare_pair(result, "a", "b", "against", "b vs a"))
    assert found.differences == () and found.undecided == () and found.unchanged

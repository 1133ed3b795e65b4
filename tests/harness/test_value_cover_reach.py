"""Value coverage reaches further: helpers a condition calls, leaves no script answers.

Value coverage reaches further (harness.valuecover, models.neighbours): a change in a helper a condition calls is a
changed condition; a value one leaf's script answers is still run under the leaves no script of theirs answers it
for; and a comparison that differs already lists the changed conditions no answer it gave takes apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.compare import compare_pair
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.valuecover import value_runs, with_values

BIT40 = 0x8000030300000000
DEMO = """\
#define NO_ENTROPY 0x8000020300000000ULL

static inline int is_busy(u64 err, u64 fn)
{
	return HELPER;
}

static u64 busy(u64 fn, struct tdx_module_args *args)
{
	int left = 3;
	u64 err;

	do {
		err = __seamcall(fn, args);
	} while ((TEST) && STEP);
	return err;
}
"""
SCRIPTS = {"ok": ('["OK"]', None), "busy": ('["NO_ENTROPY", "OK"]', None)}


def _run(tmp_path: Path, sides: dict[str, dict[str, str]], scripts: dict[str, tuple[str, str | None]] = SCRIPTS
         ) -> MatrixResult:
    """busy() with each side's HELPER (is_busy()'s return), TEST (the loop's) and STEP, under leaves ONE and TWO;
    ``scripts``: name -> (answers, the leaves it is for or None)."""
    from harness.filestate import full_file
    from harness.matrix import load_matrix
    from harness.variants import Variant

    def code(parts: dict[str, str]) -> str:
        text = DEMO
        for k, v in {"HELPER": "err == NO_ENTROPY", "TEST": "is_busy(err, fn)", "STEP": "--left", **parts}.items():
            text = text.replace(k, v)
        return text

    variants = tuple(Variant(n, n, (full_file("demo/demo.h", code(p), "test"),), (), (), (), "t")
                     for n, p in sides.items())
    toml = ('[codes]\nOK = 0\nNO_ENTROPY = 0x8000020300000000\nBIT40 = 0x8000030300000000\n[leaves]\nONE = 1\n'
            'TWO = 2\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\nname = "busy"\n')
    for name, (answers, leaves) in scripts.items():
        toml += f'[[script]]\nname = "{name}"\nanswers = {answers}\n' + (f"leaves = {leaves}\n" if leaves else "")
    (tmp_path / "m.toml").write_text(toml)
    return run_matrix(MatrixRequest(variants, load_matrix(tmp_path / "m.toml"), jobs=1))


def test_a_changed_helper_a_condition_calls_is_a_changed_condition(tmp_path: Path) -> None:
    result = _run(tmp_path, {"a": {}, "b": {"HELPER": "(err & ~(1ULL << 40)) == NO_ENTROPY"}})
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    assert not cmp.differences and cmp.compared == 4  # the matrix's answers take both helpers alike
    found = with_values(result, cmp)
    assert [(d.scenario.id, d.notes[:2]) for d in found.differences] == [
        (f"busy/{leaf}/neighbour-{BIT40:#x}/demo.c", ("TDX module SEAMCALLs 1 -> 2", f"return {BIT40:#x} -> 0x0"))
        for leaf in ("ONE", "TWO")]


def test_a_changed_helper_no_run_tells_apart_is_said_with_the_helper(tmp_path: Path) -> None:
    # Also retried: 0x8000020300000005 while a flag no script sets is set (a global the runs leave 0)
    flag = {"static inline int is_busy": "static int busy_flag;\n\nstatic inline int is_busy"}
    other = "err == NO_ENTROPY || (err == 0x8000020300000005ULL && busy_flag)"
    result = _run(tmp_path, {"a": flag, "b": {**flag, "HELPER": other}})
    found = with_values(result, compare_pair(result, "a", "b", "against", "b vs a"))
    assert found.differences == () and not found.unchanged
    (said,) = found.undecided
    assert said.startswith(
        "a condition of busy() changed, '} while ((is_busy(err, fn)) && --left);' (demo/demo.h:17) in a -> "
        "'} while ((is_busy(err, fn)) && --left);' (demo/demo.h:17) in b, through is_busy(): 'return err == "
        f"NO_ENTROPY;' (demo/demo.h:7) in a -> 'return {other};' (demo/demo.h:7) in b: neither the scenarios that "
        "ran nor the answers next to what it tests (0x8000020300000001, 0x8000020300000004, 0x8000020300000005, "), said


def test_a_changed_condition_over_two_lines_is_quoted_whole(tmp_path: Path) -> None:
    # Each side's condition was quoted by its first line alone, '} while ((err == NO_ENTROPY ||' on both sides of
    # the "->" where the change was on the second line: a changed condition that read the same.
    flag = {"static inline int is_busy": "static int busy_flag;\n\nstatic inline int is_busy"}
    test = "err == NO_ENTROPY ||\n\t\t  (err == 0x8000020300000005ULL && busy_flag)"
    sides = {"a": {**flag, "TEST": test.replace(" && busy_flag", " && busy_flag && 0")},
             "b": {**flag, "TEST": test}}
    result = _run(tmp_path, sides)
    (said,) = with_values(result, compare_pair(result, "a", "b", "against", "b vs a")).undecided
    assert said.startswith(
        "a condition of busy() changed, '} while ((err == NO_ENTROPY || (err == 0x8000020300000005ULL && busy_flag "
        "&& 0)) && --left);' (demo/demo.h:17) in a -> '} while ((err == NO_ENTROPY || (err == 0x8000020300000005ULL "
        "&& busy_flag)) && --left);' (demo/demo.h:17) in b: "), said


def test_a_value_the_leaf_passed_to_a_helper_makes_is_run(tmp_path: Path) -> None:
    # Also retried: the leaf shifted to the top bits, which is_busy() is passed: under ONE 1 << 60, under TWO 2 << 60
    # (was: no value next to a constant, the condition undecided)
    result = _run(tmp_path, {"a": {}, "b": {"HELPER": "err == NO_ENTROPY || err == fn << 60"}})
    found = with_values(result, compare_pair(result, "a", "b", "against", "b vs a"))
    ids = [d.scenario.id for d in found.differences]
    assert ids == ["busy/ONE/neighbour-0x1000000000000000/demo.c", "busy/TWO/neighbour-0x2000000000000000/demo.c"]
    assert found.undecided == ()


def test_a_value_one_leaf_answers_is_still_run_under_the_others(tmp_path: Path) -> None:
    # Under ONE both sides clear bit 40 (a script of ONE's answers it: the same); under TWO only b does.
    sides = {"a": {"HELPER": "(err & ~((1ULL << 40) * (2 - fn))) == NO_ENTROPY"},
             "b": {"HELPER": "(err & ~(1ULL << 40)) == NO_ENTROPY"}}
    result = _run(tmp_path, sides, {**SCRIPTS, "bit40": ('["BIT40", "OK"]', '["ONE"]')})
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    assert not cmp.differences and cmp.compared == 5
    found = with_values(result, cmp)
    assert [d.scenario.id for d in found.differences] == [f"busy/TWO/neighbour-{BIT40:#x}/demo.c"]


def test_a_comparison_that_differs_lists_a_changed_condition_no_answer_takes_apart(tmp_path: Path) -> None:
    # The helper's change shows (NO_ENTROPY no longer retried); the loop's counter change no answer can show. Of the
    # same kind (calls, return) but another change: 0x8000020300000001 now retried, which only a value run shows.
    sides = {"a": {}, "b": {"HELPER": "err == 0x8000020300000001ULL", "STEP": "left-- > 1"}}
    result = _run(tmp_path, sides)
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    assert cmp.differences and all(d.notes[0] == "TDX module SEAMCALLs 2 -> 1" for d in cmp.differences)
    found = with_values(result, cmp)
    added = found.differences[len(cmp.differences):]
    assert found.differences[:len(cmp.differences)] == cmp.differences and found.extra == tuple(
        d.scenario for d in added)
    assert [(d.scenario.id, d.notes) for d in added] == [
        (f"busy/{leaf}/neighbour-0x8000020300000001/demo.c",
         ("TDX module SEAMCALLs 1 -> 2", "return 0x8000020300000001 -> 0x0")) for leaf in ("ONE", "TWO")]
    assert found.undecided == (
        "a condition of busy() changed, '} while ((is_busy(err, fn)) && --left);' (demo/demo.h:15) in a -> "
        "'} while ((is_busy(err, fn)) && left-- > 1);' (demo/demo.h:15) in b, through is_busy(): 'return err == "
        "NO_ENTROPY;' (demo/demo.h:5) in a -> 'return err == 0x8000020300000001ULL;' (demo/demo.h:5) in b: whether "
        "the differences found come from it is not worked out (it tests more than what the SEAMCALLs answer; the "
        "runs of the answers next to what it tests differ)",)
    assert f"not compared: {found.undecided[0]}" in found.summary()


def test_a_condition_the_leaf_decides_is_decided_by_the_leaves_that_ran(tmp_path: Path) -> None:
    # b retries another status under leaf TWO alone (an if on the leaf in the helper): over leaf ONE's scenarios, as
    # a rule on ONE holds them, the forms differ at no answer, and the runs decide it (was: undecided, two names).
    other = "\tif (fn == 2)\n\t\treturn err == 0x8000020300000001ULL;\n\treturn err == NO_ENTROPY;"
    result = _run(tmp_path, {"a": {}, "b": {"HELPER": "HELPER", "\treturn HELPER;": other}})
    one = frozenset(p for p, s in enumerate(result.matrix.scenarios) if s.leaf_name == "ONE")
    none = value_runs(result, "a", "b", one)
    assert (none.differences, none.undecided) == ((), ())
    # Over both leaves the forms differ at NO_ENTROPY and 0x8000020300000001 under TWO, which a script answers.
    found = value_runs(result, "a", "b", frozenset(range(len(result.matrix.scenarios))))
    assert found.differences and found.undecided == ()


MASKED = "(err & ~(1ULL << 40)) == NO_ENTROPY"


@pytest.mark.parametrize("sides", [
    # the counter's test rewritten to the same truth, as the helper the condition calls changes
    {"a": {}, "b": {"HELPER": MASKED, "STEP": "left-- != 1"}},
    # a test of the leaf changed that no leaf that ran takes apart, as the helper changes
    {"a": {"TEST": "is_busy(err, fn) && fn != 7"}, "b": {"TEST": "is_busy(err, fn) && fn != 8", "HELPER": MASKED}},
])
def test_a_changed_helper_is_not_hidden_by_a_part_of_the_condition_that_agrees(
        tmp_path: Path, sides: dict[str, dict[str, str]]) -> None:
    # The part of the text that changed agrees on both sides (was: a refactor, or decided by the leaves), but the
    # helper around it retries NO_ENTROPY with bit 40 set: was "no behaviour change", no value run made.
    result = _run(tmp_path, sides)
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    assert not cmp.differences and cmp.compared == 4
    found = with_values(result, cmp)
    assert [(d.scenario.id, d.notes[:2]) for d in found.differences] == [
        (f"busy/{leaf}/neighbour-{BIT40:#x}/demo.c", ("TDX module SEAMCALLs 1 -> 2", f"return {BIT40:#x} -> 0x0"))
        for leaf in ("ONE", "TWO")]
    assert not found.unchanged

"""A changed condition over the answer and a local the leaf chooses.

A changed condition over the answer and a local the leaf chooses (``code = fn == 2 ? ALT : NO_ENTROPY``): the
local's values under the leaves that ran are known (models.decided), the answers next to each are run
(harness.valuecover), so the runs show a change or decide the condition (was: undecided, two unknown names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.compare import compare_pair
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.valuecover import with_values

DEMO = """\
#define NO_ENTROPY 0x8000020300000000ULL
#define ALT_NO_ENTROPY 0x8000000000030006ULL

static u64 busy(u64 fn, struct tdx_module_args *args)
{
	CODE;
	int left = 3;
	u64 err;

	do {
		err = __seamcall(fn, args);
	} while ((TEST) && --left);
	return err;
}
"""
BY_LEAF = "u64 code = fn == 2 ? ALT_NO_ENTROPY : NO_ENTROPY"


def _run(tmp_path: Path, sides: dict[str, tuple[str, str]]) -> MatrixResult:
    """busy() with each side's CODE (the local's declaration) and TEST, under leaves ONE and TWO."""
    from harness.filestate import full_file
    from harness.matrix import load_matrix
    from harness.variants import Variant

    variants = tuple(Variant(n, n, (full_file("demo/demo.h", DEMO.replace("CODE", c).replace("TEST", t), "test"),),
                             (), (), (), "t") for n, (c, t) in sides.items())
    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\nNO_ENTROPY = 0x8000020300000000\nALT = 0x8000000000030006\n[leaves]\nONE = 1\nTWO = 2\n'
        '[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\nname = "busy"\n[[script]]\nname = "ok"\n'
        'answers = ["OK"]\n[[script]]\nname = "busy"\nanswers = ["NO_ENTROPY", "OK"]\n[[script]]\nname = "alt"\n'
        'answers = ["ALT", "OK"]\n')
    return run_matrix(MatrixRequest(variants, load_matrix(tmp_path / "m.toml"), jobs=1))


@pytest.mark.parametrize("code", [BY_LEAF, "u64 code = fn == 2 ? ALT_NO_ENTROPY : 0x8000020300000000ULL"])
def test_a_changed_test_against_a_code_the_leaf_chooses_is_told_apart(tmp_path: Path, code: str) -> None:
    # b clears bit 40 before comparing: only each leaf's code with bit 40 set tells them apart
    result = _run(tmp_path, {"a": (code, "err == code"), "b": (code, "(err & ~(1ULL << 40)) == code")})
    cmp = compare_pair(result, "a", "b", "against", "b vs a")
    assert not cmp.differences and cmp.compared == 6
    found = with_values(result, cmp)
    ids = [d.scenario.id for d in found.differences]
    assert "busy/ONE/neighbour-0x8000030300000000/demo.c" in ids and \
        "busy/TWO/neighbour-0x8000010000030006/demo.c" in ids, ids
    assert found.undecided == ()


def test_a_refactored_test_against_a_code_the_leaf_chooses_is_no_behaviour_change(tmp_path: Path) -> None:
    result = _run(tmp_path, {"a": (BY_LEAF, "err == code"), "b": (BY_LEAF, "!(err != code)")})
    found = with_values(result, compare_pair(result, "a", "b", "against", "b vs a"))
    assert found.differences == () and found.undecided == () and found.unchanged


def test_a_code_read_from_something_else_stays_undecided(tmp_path: Path) -> None:
    # args->rcx is no leaf and no constant: nothing known of the code, never "no behaviour change" unless the two
    # forms agree whatever it holds (models.exactcond: 'err == code' and '!(err != code)' do, for every err and code;
    # '(err ^ code) % 1000003 == 0' does not, where err and code are 1000003 apart)
    code = "u64 code = args->rcx ? ALT_NO_ENTROPY : NO_ENTROPY"
    result = _run(tmp_path, {"a": (code, "err == code"), "b": (code, "(err ^ code) % 1000003 == 0"),
                             "c": (code, "!(err != code)")})
    found = with_values(result, compare_pair(result, "a", "b", "against", "b vs a"))
    assert found.differences == () and len(found.undecided) == 1 and not found.unchanged
    found = with_values(result, compare_pair(result, "a", "c", "against", "c vs a"))
    assert found.differences == () and found.undecided == () and found.unchanged

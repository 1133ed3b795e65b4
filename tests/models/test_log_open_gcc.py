"""A run whose last printk record has no newline: the same text, left open (Outcome.log_open), on both sides."""

from __future__ import annotations

from pathlib import Path

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.explain import DiffClass, classify, explain
from models.native.run import find_compiler
from models.outcome import Outcome, outcome_from_dict, outcome_to_dict
from tests.harness.variantgen import header_result
from tests.models.cprog import run

# The answer decides whether the failure line ends with its newline; a pr_cont() closes an open one.
OPEN_H = """\
static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (err & 1)
		pr_err("SEAMCALL %llu failed: %#llx", fn, err);
	else
		pr_err("SEAMCALL %llu failed: %#llx\\n", fn, err);
	if (err & 2)
		pr_cont(" (again)\\n");
	return 0;
}
"""


def _one(text: str) -> Outcome:
    out = run("long f(u64 fn, struct tdx_module_args *args)\n{\n" + text + "\n\treturn 0;\n}\n")
    assert out.status == "ok", out.error
    return out


def test_a_last_line_without_its_newline_is_left_open() -> None:
    closed, open_ = _one('\tpr_err("failed\\n");'), _one('\tpr_err("failed");')
    assert [x.text for x in closed.log] == [x.text for x in open_.log] == ["failed"]
    assert (closed.log_open, open_.log_open) == (False, True)
    # Another record closes it (the ring buffer finalizes it when the next is reserved); pr_cont() with a newline too.
    assert not _one('\tpr_err("failed");\n\tpr_err("next\\n");').log_open
    assert not _one('\tpr_err("failed");\n\tpr_cont("!\\n");').log_open
    assert _one('\tpr_err("failed\\n");\n\tpr_err("next");').log_open


def test_left_open_is_a_log_difference_and_kept_in_json() -> None:
    closed, open_ = _one('\tpr_err("failed\\n");'), _one('\tpr_err("failed");')
    notes = explain(closed, open_, classify(closed, open_))
    assert classify(closed, open_) == (DiffClass.LOG,) and any("left without a newline" in n for n in notes), notes
    assert any("now ends with a newline" in n for n in explain(open_, closed, classify(open_, closed)))
    assert outcome_to_dict(open_)["log_open"] is True and "log_open" not in outcome_to_dict(closed)
    assert outcome_from_dict(outcome_to_dict(open_)) == open_


def test_left_open_as_gcc_runs_it(tmp_path: Path) -> None:
    result = header_result(tmp_path, "lo", "demo/lo.h", OPEN_H, 0x8000020300000001)
    ok, big = (result.outcome("lo", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.log_open, big.log_open) == (False, True), (ok.error, big.error)
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])

"""A changed condition no scripted answer takes differently: the answers next to it are run.

A changed condition no scripted answer takes differently: the answers next to what it tests are run on both sides
(harness.valuecover), and a change is said with its scenario, or, when no run can tell the two forms apart, as a
condition that changed (was 'no behaviour change'). A refactor of a condition still reads no behaviour change."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.compare import compare_pair
from harness.crosscheck import crosscheck_result
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.valuecover import with_values
from models.native.run import find_compiler
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox
from tests.reportrows import with_scenario_ids

runner = CliRunner()
LOOP = "err != TDX_RND_NO_ENTROPY || !--left"  # RETRY_SAFE's test
PATCH = "v2 02/3"  # preparing_series' patch changing the helper header


def _eval(tmp_path: Path, test: str) -> tuple[dict, str, str]:  # type: ignore[type-arg]
    """eval of v2:01 and v2:02 of a series whose patch 02 only changes sc_retry()'s test to ``test``: the
    patch's comparison in the JSON, the terminal's lines of it, and the page."""
    header = helpers(RETRY_SAFE.replace(LOOP, test))
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    r = runner.invoke(app, ["eval", str(mbox), "--variant", "v2:01", "--variant", "v2:02", "--json", str(out),
                            "--html", str(page), "--time-budget", "0"], env={"COLUMNS": "400"})
    assert r.exit_code in (0, 1), r.output
    cmp = next(c for c in with_scenario_ids(json.loads(out.read_text()))["differences"]
               if c["label"].startswith(PATCH))
    lines = r.output.split(f"\n{PATCH}: ", 1)[1].split("\nv2 03/3", 1)[0]
    return cmp, lines, page.read_text()


@pytest.mark.parametrize(("test", "value"), [
    # bit 40 cleared before the comparison: only the status with bit 40 set tells it from the exact test
    ("(err & ~BIT_ULL(40)) != TDX_RND_NO_ENTROPY || !--left", 0x8000030300000000),
    # another code retried: the other constant of the test
    ("(err != TDX_RND_NO_ENTROPY && err != 0x8000020300000005ULL) || !--left", 0x8000020300000005),
    # err == A || err == B for err == A: B
    ("!(err == TDX_RND_NO_ENTROPY || err == 0x8000020300000007ULL) || !--left", 0x8000020300000007),
    # bit 40 set on both sides of the comparison: the status with it set
    ("(err | BIT_ULL(40)) != (TDX_RND_NO_ENTROPY | BIT_ULL(40)) || !--left", 0x8000030300000000),
])
def test_a_changed_status_test_is_told_apart_by_a_neighbouring_answer(tmp_path: Path, test: str, value: int) -> None:
    cmp, lines, page = _eval(tmp_path, test)
    script = f"neighbour-{value:#x}"
    assert cmp["changed"] and cmp["undecided"] == []
    ids = [s for group in cmp["differing"] for s in group["scenarios"]]
    assert f"seamcall/TDH_SYS_INIT/{script}/tdx.c" in ids, ids
    # what each side did: the old test returns the status at once, the new one retries and succeeds
    assert f"return {value:#x} -> 0x0" in cmp["notes"]
    assert "TDX module SEAMCALLs 1 -> 2" in cmp["notes"]
    assert "no behaviour change" not in lines and f"return {value:#x} -> 0x0" in lines and script in lines
    assert script in page and "no behaviour change in the 280" not in page


def test_a_refactored_condition_is_no_behaviour_change(tmp_path: Path) -> None:
    cmp, lines, _ = _eval(tmp_path, "!(err == TDX_RND_NO_ENTROPY) || !--left")
    assert not cmp["changed"] and cmp["undecided"] == []
    assert cmp["summary"][0] == "no behaviour change in the 280 of 420 scenarios that ran on both sides"
    assert lines.splitlines()[1].strip() == cmp["summary"][0]


def test_a_change_no_answer_tells_apart_is_said_not_no_behaviour_change(tmp_path: Path) -> None:
    # One more try for a leaf no scenario takes (0x1234): the same for every leaf the runs take, no run can show it.
    test = "err != TDX_RND_NO_ENTROPY || left-- <= (fn == 0x1234 ? 2 : 1)"
    cmp, lines, page = _eval(tmp_path, test)
    assert not cmp["changed"]
    assert cmp["summary"][0].startswith("no behaviour change in the 280 of 420 scenarios that ran on both sides, but ")
    old, new = (f"{NEW_HOME}:24) in v2:01", f"{NEW_HOME}:24) in v2:02")
    assert cmp["undecided"] == [
        f"a condition of sc_retry() changed, 'if ({LOOP})' ({old} -> 'if ({test})' ({new}: neither the scenarios "
        "that ran nor the answers next to what it tests (0x0, 0x1, 0x2, 0x1233, 0x1234, 0x1235 and 3 more) tell the "
        "two apart"]
    said = cmp["undecided"][0]
    assert any(said in line for line in cmp["summary"]) and f"'if ({test})'" in lines
    assert html.escape(said).replace("&#x27;", "&#39;") in page


def test_a_counter_test_stopping_at_the_same_count_is_no_behaviour_change(tmp_path: Path) -> None:
    # The same for every count the loop reaches (left from 10 down to 1), not for left <= 0, which it never reaches:
    # said before as 'the patch changes a condition that none of them tells apart'; the loops go round as many times
    # (harness.countedalike: 10 SEAMCALLs answered 'no entropy' each time, on both sides), so the test is the same.
    cmp, _, _ = _eval(tmp_path, "err != TDX_RND_NO_ENTROPY || left-- <= 1")
    assert not cmp["changed"] and cmp["undecided"] == []
    assert cmp["summary"][0] == "no behaviour change in the 280 of 420 scenarios that ran on both sides"


DEMO = """\
#define NO_ENTROPY 0x8000020300000000ULL

static u64 busy(u64 fn, struct tdx_module_args *args)
{
	int left = 3;
	u64 err;

	do {
		err = __seamcall(fn, args);
	} while ((TEST) && --left);
	return err;
}
"""


def _run(tmp_path: Path, tests: dict[str, str], scripts: dict[str, tuple[str, ...]], more: dict[str, str] | None = None
         ) -> MatrixResult:
    """Our own busy() with each variant's retry test, over scripts of OK (0) and NO_ENTROPY; ``more``: C a variant's
    file has after busy()."""
    from harness.filestate import full_file
    from harness.matrix import load_matrix
    from harness.variants import Variant

    texts = {n: DEMO.replace("TEST", t) + (more or {}).get(n, "") for n, t in tests.items()}
    variants = tuple(Variant(n, n, (full_file("demo/demo.h", text, "test"),), (), (), (), "t")
                     for n, text in texts.items())
    toml = ('[codes]\nOK = 0\nNO_ENTROPY = 0x8000020300000000\nBIT40 = 0x8000030300000000\n[leaves]\nONE = 1\n'
            '[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\nname = "busy"\n')
    toml += "".join(f'[[script]]\nname = "{s}"\nanswers = {list(a)!r}\n'.replace("'", '"') for s, a in scripts.items())
    (tmp_path / "m.toml").write_text(toml)
    return run_matrix(MatrixRequest(variants, load_matrix(tmp_path / "m.toml"), jobs=1))


def test_the_neighbouring_answer_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    tests = {"exact": "err == NO_ENTROPY", "masked": "(err & ~(1ULL << 40)) == NO_ENTROPY"}
    scripts: dict[str, tuple[str, ...]] = {"ok": ("OK",), "busy": ("NO_ENTROPY", "OK")}
    result = _run(tmp_path, tests, scripts)
    cmp = compare_pair(result, "exact", "masked", "against", "masked vs exact")
    assert not cmp.differences and cmp.compared == 2  # the matrix's answers take both tests alike
    found = with_values(result, cmp)
    value = 0x8000030300000000
    assert [(d.scenario.id, d.notes[:2]) for d in found.differences] == [
        (f"busy/ONE/neighbour-{value:#x}/demo.c", ("TDX module SEAMCALLs 1 -> 2", f"return {value:#x} -> 0x0"))]
    # The oracle: that answer in a script of the matrix, both variants compiled by gcc and run natively.
    result = _run(tmp_path, tests, {**scripts, "bit40": ("BIT40", "OK")})
    r = crosscheck_result(result, find_compiler(None))
    assert r.disagreements == [] and r.compared == {"exact": 3, "masked": 3}, [d.divergence for d in r.disagreements]
    assert [result.outcome(v, "busy/ONE/bit40/demo.c").ret for v in tests] == [value, 0]


def test_a_pure_refactor_runs_no_extra_answer(tmp_path: Path) -> None:
    result = _run(tmp_path, {"a": "err == NO_ENTROPY", "b": "!(err != NO_ENTROPY)"},
                  {"ok": ("OK",), "busy": ("NO_ENTROPY", "OK")})
    found = with_values(result, compare_pair(result, "a", "b", "against", "b vs a"))
    assert found.differences == () and found.undecided == () and found.unchanged



def test_a_value_run_of_code_another_variant_ran_is_not_run_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    from models.mirror import Mirror, Outcome, RunRequest

    # "again" is "exact" with a function busy() does not reach: other sources (another mirror), the same code.
    result = _run(tmp_path, {"exact": "err == NO_ENTROPY", "again": "err == NO_ENTROPY",
                             "masked": "(err & ~(1ULL << 40)) == NO_ENTROPY"},
                  {"ok": ("OK",), "busy": ("NO_ENTROPY", "OK")}, {"again": "\nstatic int unused(void) { return 1; }\n"})
    first = with_values(result, compare_pair(result, "exact", "masked", "against", "masked vs exact"))
    made: list[str] = []
    run = Mirror._run

    def counted(self: Mirror, req: RunRequest, deadline: float | None) -> tuple[Outcome, int, set[str]]:
        made.append(req.entry)
        return run(self, req, deadline)

    monkeypatch.setattr(Mirror, "_run", counted)
    second = with_values(result, compare_pair(result, "again", "masked", "against", "masked vs again"))
    assert [(d.scenario.id, d.notes) for d in second.differences] == \
        [(d.scenario.id, d.notes) for d in first.differences] != []
    assert made == []  # each side's runs are those of the first comparison's code: none is made again


def test_values_next_to_a_register_test_are_said_tried_as_the_status(tmp_path: Path) -> None:
    # 'args->rcx == 5' -> '== 6': the values next to 5 and 6 are run as the SEAMCALL's status (RAX), never as the
    # answer's rcx; the line said they were "tried" as if in the register tested.
    tests = {"five": "err == NO_ENTROPY && args->rcx == 5", "six": "err == NO_ENTROPY && args->rcx == 6"}
    result = _run(tmp_path, tests, {"ok": ("OK",), "busy": ("NO_ENTROPY", "OK")})
    found = with_values(result, compare_pair(result, "five", "six", "against", "six vs five"))
    (line,) = found.undecided
    assert "nor the answers next to what it tests (0x4, 0x5, " in line, line
    assert "tried as the SEAMCALL's status in RAX, not in rcx) tell the two apart" in line, line
    plain = with_values(result, compare_pair(result, "five", "five", "against", "five vs five"))
    assert not plain.undecided


def test_a_register_read_through_a_local_is_said_tried_as_the_status(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # The same test with RCX stored in a local first ('rcx = args->rcx;'): only 'args->rcx' in the condition itself
    # was named, and the line said the values were tried, as if in the register the test reads.
    import tests.harness.test_value_cover as here

    local = DEMO.replace("\tu64 err;\n", "\tu64 err, rcx;\n").replace(
        "\t\terr = __seamcall(fn, args);\n", "\t\terr = __seamcall(fn, args);\n\t\trcx = args->rcx;\n")
    monkeypatch.setattr(here, "DEMO", local)
    tests = {"five": "err == NO_ENTROPY && rcx == 5", "six": "err == NO_ENTROPY && rcx == 6"}
    result = _run(tmp_path, tests, {"ok": ("OK",), "busy": ("NO_ENTROPY", "OK")})
    (line,) = with_values(result, compare_pair(result, "five", "six", "against", "six vs five")).undecided
    assert "tried as the SEAMCALL's status in RAX, not in rcx) tell the two apart" in line, line


def test_a_value_not_worked_out_is_said_where_the_value_runs_differ_only_in_what_the_rule_ignores(
        tmp_path: Path) -> None:
    # 'Prepare' makes sc_retry()'s count a module parameter's (harness.valuereaders: not worked out) and prints the
    # leaf in hex. The runs next to the changed print differ in the log alone, which tdx-module-calls-unchanged
    # ignores: the reader of the count was said nowhere and the rule passed (gate exit 0 on it); now inconclusive.
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus

    head = "static __always_inline u64 sc_retry("
    header = helpers(RETRY_SAFE).replace("\tint left = RDRAND_RETRY_LOOPS;\n", "\tint left = sc_tries;\n").replace(
        head, "static int sc_tries = RDRAND_RETRY_LOOPS;\nmodule_param(sc_tries, int, 0644);\n\n" + head).replace(
        "SEAMCALL (%llu)", "SEAMCALL (%#llx)")
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    found = next(v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts
                 if v.rule.id == "tdx-module-calls-unchanged")
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert "reads a name whose value changed: left" in found.note and "sc_tries" in found.note \
        and "a module parameter sets it" in found.note, \
        found.note

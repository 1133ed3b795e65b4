"""The matrix's repeat counts at the bounds of the variants' retry loops (harness.retrycounts).

The matrix's repeat counts at the bounds of the variants' retry loops (harness.retrycounts): a revision changing
the bound is run at both bounds, on both sides; a bound the code does not fix is said, not run."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

TDX_NO_ENTROPY = 0x8000020300000000
SEAMLDR_NO_ENTROPY = 0x8000000000030001
_COUNT = "\tint left = RDRAND_RETRY_LOOPS;\n"
_TEST = "err != TDX_RND_NO_ENTROPY || !--left"
SIXTEEN = "#define SC_RETRY_LOOPS\t16\n\n" + RETRY_SAFE.replace(_COUNT, "\tint left = SC_RETRY_LOOPS;\n")
TWELVE = RETRY_SAFE.replace(_COUNT, "\tint left = RDRAND_RETRY_LOOPS + 2;\n")
THREE = "enum { SC_TRIES = 3 };\n\n" + RETRY_SAFE.replace(_COUNT, "\tint left = SC_TRIES;\n")
PARAMETER = ("static int sc_tries = RDRAND_RETRY_LOOPS;\nmodule_param(sc_tries, int, 0444);\n\n"
             + RETRY_SAFE.replace(_COUNT, "\tint left = sc_tries;\n"))
# Wrappers of a later revision's own: a loop of 16 around the SEAMCALL itself, and one of 3 around sc_retry()'s 10.
OWN_LOOP = """
static u64 seamldr_call(u64 fn, struct tdx_module_args *args)
{
	u64 err;
	int i;

	for (i = 0; i < 16; i++) {
		err = __seamcall(fn, args);
		if (err != TDX_RND_NO_ENTROPY)
			break;
	}
	return err;
}

static u64 seamldr_again(u64 fn, struct tdx_module_args *args)
{
	int left = 3;
	u64 err;

	do {
		err = sc_retry(__seamcall, fn, args);
	} while (err == TDX_RND_NO_ENTROPY && --left);
	return err;
}
"""


def _counts(loop: str, extra: str = "") -> dict[tuple[str, int], int | str | None]:
    from harness.retrycounts import loop_counts
    from models.cload import load_program
    from models.loader import EntryPoint, Source

    text = helpers(loop).replace("\n#endif\n", extra + "\n#endif\n")
    entries = (EntryPoint("seamcall", ("fn", "args")), EntryPoint("seamldr_call", ("fn", "args")),
               EntryPoint("seamldr_again", ("fn", "args")))
    program = load_program((Source(NEW_HOME, ((1, tuple(text.split("\n"))),), True),), entries)
    return {(c.function, c.code): c.calls if c.calls is not None and not c.why else c.why
            for c in loop_counts(program, (TDX_NO_ENTROPY, SEAMLDR_NO_ENTROPY))}


def test_each_loop_is_counted_in_seamcalls() -> None:
    assert _counts(THREE)[("sc_retry", TDX_NO_ENTROPY)] == 3
    counts = _counts(SIXTEEN, OWN_LOOP)
    assert counts[("sc_retry", TDX_NO_ENTROPY)] == 16 and counts[("sc_retry", SEAMLDR_NO_ENTROPY)] == 1, counts
    assert counts[("seamldr_call", TDX_NO_ENTROPY)] == 16, counts
    assert counts[("seamldr_again", TDX_NO_ENTROPY)] == 3 * 16, counts  # a loop of 3 around one of 16


@pytest.mark.parametrize("test", ["(err & 0xFFFFFFFF00000000ULL) != TDX_RND_NO_ENTROPY || !--left",
                                  "(TDX_SEAMCALL_STATUS_MASK & err) != TDX_RND_NO_ENTROPY || !--left"])
def test_a_loop_comparing_the_status_bits_is_counted(test: str) -> None:
    # Before: no count, the loop not read as retrying on any answer (its test compares 'err & MASK', not err), so the
    # matrix ran no answers at its bound.
    assert _TEST in RETRY_SAFE
    counts = _counts(RETRY_SAFE.replace(_TEST, test).replace(_COUNT, "\tint left = 16;\n"))
    assert counts[("sc_retry", TDX_NO_ENTROPY)] == 16 and counts[("sc_retry", SEAMLDR_NO_ENTROPY)] == 1, counts


def test_a_code_no_script_answers_is_said() -> None:
    # v5 also retries the TDX module's "operand busy", which no script of the matrix answers first.
    from harness.retrycounts import UNANSWERED

    busy = RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY", "err != TDX_RND_NO_ENTROPY && err != 0x8000020000000000ULL")
    counts = _counts(busy)
    assert counts[("sc_retry", 0x8000020000000000)] == UNANSWERED and counts[("sc_retry", TDX_NO_ENTROPY)] == 10


def test_a_code_no_script_repeats_is_said_untested_plainly(tmp_path: Path) -> None:
    # Before: only as 'assumed: the retries of sc_retry() (...) on 0x8000020000000000 are not run: it makes 10
    # SEAMCALLs answered 0x8000020000000000 every time, ...', an assumption no run made, in words that hid what was
    # not run. Now an 'untested:' line of the gate and of eval: what, why, and what would run it.
    from harness.cli import app

    busy = RETRY_SAFE.replace(_TEST, "(err != TDX_RND_NO_ENTROPY && err != 0x8000020000000000ULL) || !--left")
    title = "x86/virt/tdx: Add an internal SEAMCALL helper header"
    mbox = write_mbox(tmp_path / "s.mbox", revision(4, [Step(title, ((NEW_HOME, None, helpers(busy)),))],
                                                       cover="demo: retries"))
    (tmp_path / "rules.toml").write_text(EQUIVALENT.replace('"v4"', '"v4:00"'))
    said = (f"untested: sc_retry() ({NEW_HOME}:15) retries while a SEAMCALL returns 0x8000020000000000, up to 10 "
            "SEAMCALLs, and no script of the matrix returns 0x8000020000000000 over and over, so those retries and "
            "where they give up never ran; a script answering it first, with repeat_first, would run them "
            "(--matrix-add FILE adds one: docs/matrix.md)")
    for args in (["gate", str(mbox), "--variant", "v4", "--rules", str(tmp_path / "rules.toml")],
                 ["eval", str(mbox)]):
        r = CliRunner().invoke(app, [*args, "--jobs", "1", "--time-budget", "0"], env={"COLUMNS": "1000"})
        lines = [ln for ln in r.stdout.splitlines() if "0x8000020000000000" in ln]
        assert [ln.removesuffix(" [v4:01, v4]") for ln in lines] == [said], r.stdout


def test_a_module_parameter_bound_is_said() -> None:
    said = _counts(PARAMETER)[("sc_retry", TDX_NO_ENTROPY)]
    assert isinstance(said, str) and "'sc_tries' (arch/x86/virt/vmx/tdx/seamcall_internal.h:" in said \
        and "a module parameter given at load time" in said, said


@pytest.mark.parametrize("loop", [
    RETRY_SAFE.replace(_COUNT, "\tdouble left = RDRAND_RETRY_LOOPS;\n"),  # the bound a double
    RETRY_SAFE.replace(_COUNT, _COUNT + "\tdouble scale = 2;\n").replace("!--left", "!--left || !scale"),
    RETRY_SAFE.replace(_COUNT, "\tint left = RDRAND_RETRY_LOOPS * 1.5;\n"),
    "static const double sc_scale = 1.5;\n\n" + RETRY_SAFE.replace(_COUNT, "\tint left = 10 * sc_scale;\n"),
    "static const double sc_tries = 13;\n\n" + RETRY_SAFE.replace(_COUNT, "\tint left = sc_tries;\n"),
])
def test_a_count_resting_on_floating_point_says_no_bound(loop: str) -> None:
    # The mirror refuses the function (floating point, each run says where), so no bound is said of it. Before: the
    # untested line named 'scale' or 'sc_scale' (doubles, neither the bound) as a value that 'may wrap' or 'a
    # variable of file scope', and a 'static const double' of 13 was read as a bound of 13 SEAMCALLs.
    assert loop != RETRY_SAFE
    assert ("sc_retry", TDX_NO_ENTROPY) not in _counts(loop)
    assert _counts(RETRY_SAFE)[("sc_retry", TDX_NO_ENTROPY)] == 10


def test_a_walk_is_taken_again_only_where_a_constant_it_read_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Variants of the same function text share its node (models.cload): its walk is kept with what it looked up, and
    # another program's count reuses it only where each constant read answers the same. Before: walked per program.
    import models.retrycount

    walks: list[str] = []
    real = models.retrycount.count_calls
    monkeypatch.setattr(models.retrycount, "count_calls",
                        lambda func, *args: walks.append(func.decl.name) or real(func, *args))
    loop = RETRY_SAFE.replace(_COUNT, "\tint left = SC_TRIES * 1;\n")  # a text of this test's own: walked here first
    seven, nine = "enum { SC_TRIES = 7 };\n\n" + loop, "enum { SC_TRIES = 9 };\n\n" + loop
    got = [_counts(text)[("sc_retry", TDX_NO_ENTROPY)] for text in (seven, nine, seven, nine)]
    assert got == [7, 9, 7, 9]
    # sc_retry() walked once per code (2) for each of the two constants, not again for the programs repeating one
    assert len(walks) == 2 * 2 and set(walks) == {"sc_retry"}, walks


def test_counts_are_added_to_the_files_own() -> None:
    from harness.manifest import bundled_manifests
    from harness.matrix import load_matrix

    path = bundled_manifests()[0].parent / "matrix.toml"
    plain, more = load_matrix(path), load_matrix(path, (2, 3, 4, 9, 10, 11))
    names = [s.name for s in more.scripts if s.name.startswith("tdx-no-entropy-x")]
    assert names == [f"tdx-no-entropy-x{n}" for n in (1, 2, 3, 4, 9, 10, 11)], names
    assert [s.id for s in more.scenarios if "-x2/" not in s.id and "-x3/" not in s.id and "-x4/" not in s.id] == \
        [s.id for s in plain.scenarios]  # the file's own scenarios, in their order
    assert more.repeated[0][2] == (1, 2, 3, 4, 9, 10, 11), more.repeated


EQUIVALENT = """\
[[rule]]
id = "same-retries"
reviewer = "Ann Author"
summary = "v5 retries as v4 did"
severity = "error"
[rule.check]
kind = "equivalence"
reference = "v4"
scenarios = { entry = "seamcall", leaf = ["TDH_SYS_INIT"] }
"""


def _gate(tmp_path: Path, v4_loop: str, v5_loop: str) -> tuple[VerdictStatus, str, list[str], tuple[str, ...]]:
    title = "x86/virt/tdx: Add an internal SEAMCALL helper header"
    msgs = revision(4, [Step(title, ((NEW_HOME, None, helpers(v4_loop)),))], cover="demo: retries") + \
        revision(5, [Step(title, ((NEW_HOME, None, helpers(v5_loop)),))], cover="demo: retries")
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    (tmp_path / "rules.toml").write_text(EQUIVALENT)
    g = evaluate_gate(GateRequest((mbox,), "v5", rules=tmp_path / "rules.toml", jobs=1, time_budget=0))
    (v,) = g.verdicts
    return v.status, v.note, [f"{e.scenario}: {e.actual}" for e in v.evidence], g.untested


def test_a_changed_bound_is_run_on_both_sides(tmp_path: Path) -> None:
    # 12 tries in v4, 16 in v5: at the matrix's own counts (up to 11 answers) both succeed, and the rule PASSED, a
    # false "no behaviour change". The scripts now also answer 11-13 and 15-17 times, on both sides: at 12 answers
    # v4 gives up (12 SEAMCALLs, "no entropy") and v5 succeeds (13).
    status, note, evidence, _ = _gate(tmp_path, TWELVE, SIXTEEN)
    assert status is VerdictStatus.FAIL, (note, evidence)
    assert any("tdx-no-entropy-x12" in e for e in evidence), evidence
    assert any("tdx-no-entropy-x16" in e for e in evidence), evidence


def test_a_bound_the_code_does_not_fix_is_said_not_run(tmp_path: Path) -> None:
    # A count read from a module parameter: the runs take its initial value (10, as v4's), and the gate says its
    # bound is not read, with the reason, and where the runs answering it 11 times stopped: at 10 (was 'no script
    # answers it more than 11 times in a row, so a bound of more than 11 SEAMCALLs is not shown', a note made
    # before the runs, where the runs showed the bound).
    _, _, _, untested = _gate(tmp_path, RETRY_SAFE, PARAMETER)
    (said,) = [a for a in untested if a.startswith("the retry bound of sc_retry() (arch/x86/virt/vmx/tdx/")]
    assert "is a variable of file scope" in said, said
    assert said.endswith("; answered 0x8000020300000000 11 times in a row, the runs stop after 10 SEAMCALLs"), said


def test_a_bound_past_the_scripts_is_said_not_shown(tmp_path: Path) -> None:
    # The same parameter starting at 20: the runs answered 11 times go on (12 SEAMCALLs, the last a success), so no
    # bound is shown, and the note says so.
    twenty = PARAMETER.replace("sc_tries = RDRAND_RETRY_LOOPS;", "sc_tries = 20;")
    _, _, _, untested = _gate(tmp_path, RETRY_SAFE, twenty)
    (said,) = [a for a in untested if a.startswith("the retry bound of sc_retry() (arch/x86/virt/vmx/tdx/")]
    assert said.endswith("; answered 0x8000020300000000 11 times in a row, the runs make more than 11 SEAMCALLs; no "
                         "script answers it more than 11 times in a row, so a bound of more than 11 SEAMCALLs is not "
                         "shown"), said


# A loop that stops retrying a P-SEAMLDR leaf, whatever it answered: the count rests on the caller's leaf.
LEAF_BREAK = RETRY_SAFE.replace("\t\tpreempt_enable();\n",
                                "\t\tpreempt_enable();\n\t\tif (fn & (1ULL << 63))\n\t\t\tbreak;\n")


def test_an_unread_bound_says_where_the_runs_stopped(tmp_path: Path) -> None:
    # Was '...; no script answers it more than 11 times in a row, so a bound of more than 11 SEAMCALLs is not shown'
    # (made before the runs), where the runs show the loop giving up after 10 SEAMCALLs of a TDX module leaf and
    # after 1 of a P-SEAMLDR leaf, whichever code answered it.
    from harness.cli import app

    assert LEAF_BREAK != RETRY_SAFE
    title = "x86/virt/tdx: Add an internal SEAMCALL helper header"
    mbox = write_mbox(tmp_path / "s.mbox", revision(4, [Step(title, ((NEW_HOME, None, helpers(LEAF_BREAK)),))],
                                                       cover="demo: retries"))
    r = CliRunner().invoke(app, ["eval", str(mbox), "--jobs", "1", "--time-budget", "0"], env={"COLUMNS": "1000"})
    (said,) = [ln for ln in r.stdout.splitlines() if ln.startswith("untested: the retry bound of sc_retry()")]
    assert "the test 'fn & (1ULL << 63)' is not decided" in said, said
    assert said.endswith("; answered 0x8000020300000000 11 times in a row, the runs stop after 10 SEAMCALLs under a "
                         "TDX module leaf, after 1 under a P-SEAMLDR leaf; answered 0x8000000000030001 11 times in a "
                         "row, the runs stop after 1 SEAMCALL [v4:01, v4]"), said


# A reviewer's second line of the loop: still 10 tries (gcc: 10 SEAMCALLs on 10 or more answers, for this loop and
# the do, while and goto spellings of it), but a call's value the count does not read.
RESCHED = RETRY_SAFE.replace(_TEST, _TEST + " || cond_resched()")


@pytest.mark.parametrize(("v4_loop", "most"), [(RETRY_SAFE, 11), (SIXTEEN, 17)])
def test_an_unread_bound_says_which_bounds_no_run_shows(tmp_path: Path, v4_loop: str, most: int) -> None:
    # Was 'is not run: ...; no script answers it more than 11 times in a row, so what the code does at its bound is
    # not shown' on a loop of 10 that the scripts answering 10 and 11 times run to its bound; and 11 where v4's loop
    # of 16 had the scripts also answer 15, 16 and 17 times. A loop of B tries, answered N times then success: B <= N
    # makes B SEAMCALLs, still answered; B > N makes N + 1, the last a success.
    _, _, _, untested = _gate(tmp_path, v4_loop, RESCHED)
    (said,) = [a for a in untested if a.startswith("the retry bound of sc_retry()")]
    assert "is not read from the code: answered 0x8000020300000000 every time, the test " in said, said
    assert said.endswith(f"no script answers it more than {most} times in a row, so a bound of more than {most} "
                         "SEAMCALLs is not shown"), said


def test_counts_past_the_scenario_bound_are_said_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # Bounds adding more scenarios than a matrix may hold: the matrix's own counts run, each bound said, no refusal.
    import harness.matrix
    import harness.retrycounts
    from harness.manifest import bundled_manifests
    from harness.matrix import load_matrix

    matrix = load_matrix(bundled_manifests()[0].parent / "matrix.toml")
    monkeypatch.setattr(harness.retrycounts, "derive_bounds",
                        lambda m, v, c: harness.retrycounts.Bounds(tuple(range(2, 400)), (("v5", "said"),)))
    monkeypatch.setattr(harness.matrix, "MAX_SCENARIOS", len(matrix.scenarios) + 10)
    kept = harness.retrycounts.with_bounds(matrix, (SimpleNamespace(name="v5"),), None)  # type: ignore[arg-type]
    assert kept.scenarios == matrix.scenarios, len(kept.scenarios)
    assert kept.notes[-1] == ("v5", "said") and "(2, 3, 4, " in kept.notes[0][1], kept.notes


def test_an_unread_bound_is_said_once_for_the_codes_it_retries() -> None:
    # A loop retrying the TDX module's and the P-SEAMLDR's "no entropy" alike, its bound not read for the same
    # reason: two notes of five lines each, differing only in the code. Now one, naming both.
    from harness.manifest import bundled_manifests
    from harness.matrix import load_matrix
    from harness.unreadbounds import UnreadBound, unread_bounds

    m = load_matrix(bundled_manifests()[0].parent / "matrix.toml")
    why = "the test 'fn & 1' is not decided"
    codes = (0x8000020300000000, 0x8000000000030001)
    unread = tuple(("v1", "busy", "b.c:3", code, why) for code in codes)
    assert unread_bounds(unread, m) == (UnreadBound("v1", "busy", "b.c:3", codes, why, 11),)

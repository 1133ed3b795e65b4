"""Which value runs are made, end to end on a generated series under the bundled matrix.

Which value runs are made (harness.valuecover), end to end on a generated series under the bundled matrix: a
condition on the leaf alone (``if (unlikely(fn & SEAMLDR_LEAF_BIT))`` added) takes no answer, so the values next to
its constants are not run (they pushed a differing comparison past DIFFERS_MAX, and a second change no script
shows went unsaid); each value runs with the input registers all 0 and again with those a script of the leaf
starts with (a condition on ``args->rdx`` was told apart by no run: inconclusive where a run fails it); a condition
rewritten to the same truth whose branch changed too runs its values though the two forms agree there (a format
only they print apart passed), and a value run's log note is said unless a scenario of its entry point says it too
(where a message every run prints changed, one only the run prints went unsaid)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness import seriesgen as gen
from tests.harness.test_value_gate import LOOP, _gate_series, _prepared
from tests.mailgen import write_mbox
from tests.reportrows import scenario_id, with_scenario_ids

# Every entry point of the bundled matrix defined: six lanes a value run is made in.
_LDR = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
_MORE = _LDR + "#define seamcall_saved_ret(_fn, _args)\tsc_retry(__seamcall_saved_ret, (_fn), (_args))\n" \
    "#define seamcall_prerr_ret(_fn, _args)\tsc_retry_prerr(__seamcall_ret, (_fn), (_args))\n"
OTHER = 0x8000020300000007  # a status no script of the bundled matrix answers


_ERR = "\tseamcall_err(fn, err, args);\n"  # sc_retry_prerr()'s print of a status other than success


def _header(retry: str, branch: str = "") -> str:
    """The helper header with the retry loop ``retry``, and ``branch`` before sc_retry_prerr() prints the status."""
    text = gen.helpers(retry)
    assert _LDR in text and text.count(_ERR) == 1
    return text.replace(_LDR, _MORE).replace(_ERR, branch + _ERR)


def _series(before: str, after: str) -> list[EmailMessage]:
    """A v2 whose 'Prepare' patch makes the helper header ``before`` into ``after``."""
    home = gen.NEW_HOME
    return gen.revision(2, [
        gen.Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((home, None, before),)),
        gen.Step(gen.PREPARE, ((home, before, after),)),
        gen.Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                 ((gen.WRAPPER, None, gen.WRAPPER_C), gen.BUILD_WRAPPER))])


def _prepare(tmp_path: Path, series: list[EmailMessage]) -> dict:  # type: ignore[type-arg]
    """The eval's comparison of the 'Prepare' patch (v2 02/3)."""
    mbox = write_mbox(tmp_path / "v2.mbox", series)
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["eval", str(mbox), "--variant", "v2:01", "--variant", "v2:02", "--json", str(out),
                                 "--time-budget", "0"])
    assert r.exit_code in (0, 1), r.output
    return next(c for c in with_scenario_ids(json.loads(out.read_text()))["differences"]
                if c["label"].startswith("v2 02/3"))


def test_a_second_change_beside_a_condition_on_the_leaf_alone_is_run_and_said(tmp_path: Path) -> None:
    # The patch picks the retry code by the leaf (SEAMLDR leaves now retry their own code: the comparison differs)
    # and also retries OTHER. Only a value run shows the second; the values next to the leaf test's constants
    # (0x0, 0x21, 0x8000000000000000, ...) made them 300, past DIFFERS_MAX, and none ran, nothing said.
    cmp = _prepare(tmp_path, _series(_header(gen.RETRY_SAFE), _header(gen.RETRY_BY_LEAF.replace(
        "err != busy", f"(err != busy && err != {OTHER:#x}ULL)"))))
    assert cmp["changed"]
    ids = {scenario_id(s) for s in cmp["extra_scenarios"]}
    assert {f"{entry}/{leaf}/neighbour-{OTHER:#x}/tdx.c" for entry in ("seamcall", "seamcall_prerr_ret")
            for leaf in ("TDH_SYS_INIT", "TDH_SYS_LP_INIT")} <= ids, ids
    said = [[cmp["notes"][i] for i in g["notes"]] for g in cmp["differing"]
            if any(f"neighbour-{OTHER:#x}" in s for s in g["scenarios"])]
    assert ["TDX module SEAMCALLs 1 -> 2", f"return {OTHER:#x} -> 0x0"] in [notes[:2] for notes in said], said
    assert not any("neighbour-0x21/" in s or "neighbour-0x0/" in s for s in ids), ids
    # Both conditions read the answer, the leaf and constants alone (models.decided.answer_only): the values run from
    # registers all 0 only, not again with the args-in scripts' inputs.
    assert not any("+args-in" in s for s in ids), ids


@pytest.mark.parametrize(("test", "inputs"), [
    ("args->rdx", "+args-in-tdx"),  # only a run starting with rdx set shows it
    ("!args->rdx", ""),  # only a run starting with rdx 0 does: those are still made
])
def test_a_condition_on_an_input_register_is_run_with_the_inputs_and_without(tmp_path: Path, test: str,
                                                                              inputs: str) -> None:
    # The patch also retries OTHER - 2 when rdx came in set (or clear): no script answers it, and the value run next
    # to it started with every register 0 (was inconclusive, 'a changed condition no run tells apart').
    value = OTHER - 2
    loop = f"(err != TDX_RND_NO_ENTROPY && !({test} && err == {value:#x}ULL)) || !--left"
    rule = _gate_series(tmp_path, _prepared(gen.RETRY_SAFE, gen.RETRY_SAFE.replace(LOOP, loop)))
    assert rule["verdict"] == "fail", rule
    found = {e["scenario"].split(" (and")[0]: e["actual"] for e in rule["evidence"]}  # type: ignore[attr-defined]
    said = found[f"seamcall/TDH_SYS_INIT/neighbour-{value:#x}{inputs}/tdx.c"]
    assert f"TDX module SEAMCALLs 1 -> 2; return {value:#x} -> 0x0" in said, found


def _printing(script: str) -> list[str]:
    """The ids of the scenarios of ``script`` of the entry points that print a failing status, under every leaf."""
    printers = (("seamcall_prerr", "tdx.c"), ("seamcall_prerr_ret", "tdx.c"), ("seamldr_prerr", "seamldr.c"))
    return [f"{entry}/{leaf}/{script}/{unit}" for entry, unit in printers
            for leaf in ("TDH_SYS_INIT", "TDH_SYS_LP_INIT", "SEAMLDR_INFO", "SEAMLDR_INSTALL")]


BUSY = '\tif (err < 0x20)\n\t\tpr_warn("busy %llx\\n", err);\n'  # a small status: only SMALL_STATUS (5) takes it


def test_a_refactored_condition_over_a_changed_branch_runs_its_values(tmp_path: Path) -> None:
    # The patch writes the test as !(err >= 0x20) and prints the status in decimal: 5 prints alike, 0x1f (next to
    # 0x20) does not. No value ran, the forms agreeing at each: 'no behaviour change', the equivalence rule passed.
    after = BUSY.replace("err < 0x20", "!(err >= 0x20)").replace("%llx", "%llu")
    series = _series(_header(gen.RETRY_SAFE, BUSY), _header(gen.RETRY_SAFE, after))
    cmp = _prepare(tmp_path, series)
    assert cmp["changed"], cmp["summary"]
    note = "log: err printed with '%llx' -> '%llu' (1f -> 31) at seamcall_internal.h:42"
    assert [g["scenarios"] for g in cmp["differing"] if note in [cmp["notes"][i] for i in g["notes"]]] == [
        _printing("neighbour-0x1f")], cmp["differing"]
    rule = _gate_series(tmp_path, series)
    assert rule["verdict"] == "fail" and note in str(rule["evidence"]), rule


def test_a_value_runs_changed_conversion_is_said_beside_a_message_every_run_changes(tmp_path: Path) -> None:
    # The patch also rewords the message every failing run prints: the comparison differs in every such scenario
    # by a log note, and the value run's log notes were left out of what it is compared by, so its conversion
    # (which no scenario prints) was taken as that message's change and not said.
    after = BUSY.replace("err < 0x20", "!(err >= 0x20)").replace("%llx", "%llu")
    cmp = _prepare(tmp_path, _series(_header(gen.RETRY_SAFE, BUSY), _header(gen.RETRY_SAFE, after).replace(
        ") failed: ", ") failed with ")))
    said = {cmp["notes"][i]: g["scenarios"] for g in cmp["differing"] for i in g["notes"]}
    assert "log: text ':' -> ' with'" in said, said
    assert said["log: err printed with '%llx' -> '%llu' (1f -> 31) at seamcall_internal.h:42"] == \
        _printing("neighbour-0x1f"), said


def test_a_branch_only_a_value_run_takes_is_said_to_have_run_only_in_value_runs(tmp_path: Path) -> None:
    # The patch adds a branch only the status OTHER takes: no script answers it, the value run next to the changed
    # constant does (its scenario is an extra one). The lines' coverage was the matrix's alone, worked out before the
    # value runs were made: the branch "never ran", though a run of the comparison executed it on its side.
    branch = f"\tif (err == {OTHER:#x}ULL)\n\t\tpr_err(\"odd status\\n\");\n"
    cmp = _prepare(tmp_path, _series(_header(gen.RETRY_SAFE), _header(gen.RETRY_SAFE, branch)))
    assert any(f"neighbour-{OTHER:#x}/" in scenario_id(s) for s in cmp["extra_scenarios"]), cmp["extra_scenarios"]
    said = [n for n in cmp["not_run"] if n.startswith("sc_retry_prerr() (")]
    assert len(said) == 1 and said[0].endswith(" ran only in value runs in v2:02"), cmp["not_run"]
    # A run again from the cache (the value runs' coverage kept with their findings) says the same.
    assert _prepare(tmp_path, _series(_header(gen.RETRY_SAFE), _header(gen.RETRY_SAFE, branch)))["not_run"] \
        == cmp["not_run"]


def test_a_test_only_a_value_run_takes_the_other_way_is_said_so(tmp_path: Path) -> None:
    # The patch adds a branch that 5 (SMALL_STATUS) takes and OTHER, which no script answers, would: the matrix's
    # runs came out false on 'err == OTHER' alone, the value run next to OTHER true. The place was said as the
    # matrix alone had it, 'a test on it always came out false, so what it decides the other way never ran', beside
    # the value run that took it.
    branch = f"\tif (err == {OTHER:#x}ULL || err == 5)\n\t\tpr_err(\"odd status\\n\");\n"
    cmp = _prepare(tmp_path, _series(_header(gen.RETRY_SAFE), _header(gen.RETRY_SAFE, branch)))
    said = [n for n in cmp["not_run"] if n.startswith("sc_retry_prerr() (")]
    assert len(said) == 1 and said[0].endswith(
        " ran in v2:02, but a test on it came out false in the matrix's scenarios, true only in value runs"), said
    assert not any("always came out" in n or "never ran" in n for n in cmp["not_run"]), cmp["not_run"]

"""seamharness eval on the corpus: what the report must state, the JSON schema, and bad options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.pipeline import Evaluation
from harness.reportview import EvalReport
from tests.reportrows import differing, flat_rows, whole_outcomes

SCHEMA = Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json"
runner = CliRunner()


def _cmp(ev: Evaluation, label_start: str):  # type: ignore[no-untyped-def]
    return next(c for c in ev.comparison.per_patch + ev.comparison.across if c.label.startswith(label_start))


def test_v3_06_makes_seamldr_no_entropy_retry(corpus_eval: Evaluation) -> None:
    c = _cmp(corpus_eval, "v3 06/26")
    d = next(x for x in c.differences if x.scenario.id == "seamcall/SEAMLDR_INSTALL/seamldr-no-entropy-x11/tdx.c")
    assert "P-SEAMLDR SEAMCALLs 1 -> 10" in d.notes
    assert any("P-SEAMLDR SEAMCALLs 1 -> 10" in line for line in c.summary())


def test_yilun_retries_tdx_leaves_on_seamldr_code(corpus_eval: Evaluation) -> None:
    c = _cmp(corpus_eval, "yilun-either-code")
    d = next(x for x in c.differences if x.scenario.id == "seamcall/TDH_SYS_INIT/seamldr-no-entropy-x11/tdx.c")
    assert "TDX module SEAMCALLs 1 -> 10" in d.notes


def test_v3_01_prints_decimal_and_02_changes_width(corpus_eval: Evaluation) -> None:
    c1 = _cmp(corpus_eval, "v3 01/26")
    assert any("printed with '0x%016llx' -> '%llu' (0x0000000000000021 -> 33)" in n
               for d in c1.differences for n in d.notes)
    c2 = _cmp(corpus_eval, "v3 02/26")
    notes = {n for d in c2.differences for n in d.notes}
    assert any("'0x%016llx' -> '%#016llx' (0x0000000000000005 -> 0x00000000000005;" in n for n in notes)
    # Values with a bit at or above 2**56 print the same either way: no difference for them.
    big = [d for d in c2.differences
           if "operand-invalid" in d.scenario.id and d.scenario.id.startswith("seamcall_prerr/")]
    assert big == []


def test_v3_03_move_changes_behaviour(corpus_eval: Evaluation) -> None:
    f = next(x for x in corpus_eval.comparison.findings if x.kind == "code-move-changed")
    assert f.subject.startswith("v3 03/26") and "preempt count at SEAMCALL 1 -> 0" in f.text
    assert any(x.kind == "code-move" and x.subject.startswith("v2 03/21") for x in corpus_eval.comparison.findings)


def test_a_pr_fmt_is_assumed_only_where_an_entry_point_ran(corpus_eval: Evaluation) -> None:
    """A variant whose entry points run in no scenario of a unit prints nothing with that unit's pr_fmt: nothing
    of it is assumed (v1:00 runs nothing in seamldr.c; it said 'the pr_fmt of ...seamldr.c is ... assumed')."""
    from harness.report import report_model

    views = {view.variant.name: view for view in report_model(corpus_eval).variants}
    seamldr = "arch/x86/virt/vmx/tdx/seamldr.c"  # of its pr_fmt, or of the file a later patch creates (v3:06)
    ran = corpus_eval.result.lanes
    for name, view in views.items():
        units = {corpus_eval.result.matrix.scenarios[lane.positions[0]].unit.path for n, lane in enumerate(ran)
                 if corpus_eval.result.code_group(name, n) >= 0}
        said = any(seamldr in a for a in view.assumptions)
        assert not said or "arch/x86/virt/vmx/tdx/seamldr.c" in units, name
    assert not any(seamldr in a for a in views["v1:00"].assumptions)
    assert any(seamldr in a for a in views["v3:06"].assumptions)


def test_cli_writes_valid_json_and_html(corpus: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["eval", str(corpus), "--html", str(tmp_path / "r.html"), "--json", str(tmp_path / "r.json"),
                            "--variant", "v3:05", "--variant", "v3:06", "--against", "v3:05"])
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert [v["name"] for v in data["variants"]] == ["v3:05", "v3:06"]
    # The rules the verdicts come from are named, as gate --json names them (the bundled series' here).
    assert data["rules_file"] == "series/p-seamldr/rules.toml" and data["rules"]  # as on any machine
    assert f"rules <code>{data['rules_file']}</code>" in (tmp_path / "r.html").read_text()
    # One row per provided variant x scenario (v3:05 has no seamldr_prerr yet), each outcome once.
    provided = sum(1 for v in ("v3:05", "v3:06") for sc in data["scenarios"]
                   if not (v == "v3:05" and sc.startswith("seamldr_prerr/")))
    assert len(data["results"]) == provided and max(r["outcome"] for r in data["results"]) < len(data["outcomes"])
    assert "P-SEAMLDR SEAMCALLs 1 -> 10" in r.stdout
    html = (tmp_path / "r.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "<script src" not in html and "http://" not in html


@pytest.mark.parametrize(("args", "message"), [
    (["--variant", "v9"], "no variant 'v9'"),
    (["--matrix", "/nonexistent.toml"], "/nonexistent.toml: cannot read"),
    (["--base", "HEAD"], "--base needs --tree"),
    (["--jobs", "-1"], "Invalid value for '--jobs'"),
    (["--json-layout", "columns"], "--json-layout 'columns' is not one of: auto, rows, by-variant"),
])
def test_bad_options_exit_2(corpus: Path, tmp_path: Path, args: list[str], message: str) -> None:
    r = runner.invoke(app, ["eval", str(corpus), "--json", str(tmp_path / "r.json"), *args])
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output
    assert not (tmp_path / "r.json").exists()


@pytest.fixture(scope="module")
def corpus_rows(corpus_eval: Evaluation) -> tuple[EvalReport, dict[str, Any]]:
    """The report model of the session's corpus evaluation and its JSON in the rows layout, checked against the
    schema once for the two tests that read it (validating its 12,000 results takes a second of CPU)."""
    from harness.report import report_model
    from reports.json_report import eval_json

    rep = report_model(corpus_eval)
    data = json.loads(eval_json(rep))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    return rep, data


def test_streamed_json_equals_the_dict(corpus_eval: Evaluation, corpus_rows: tuple[EvalReport, dict[str, Any]]
                                       ) -> None:
    from models.mirror import NOT_PROVIDED, outcome_from_dict
    from reports.json_report import eval_dict

    rep, data = corpus_rows  # valid by the schema (corpus_rows)
    # Decoded through the outcomes table and its parts, the rows are every provided outcome, exactly (a round trip).
    res = corpus_eval.result
    table = whole_outcomes(data)
    rows = {(r["variant"], r["scenario"]): outcome_from_dict(table[r["outcome"]]) for r in data["results"]}
    for v in res.variants:
        for s in corpus_eval.matrix.scenarios:
            assert rows.get((v.name, s.id), NOT_PROVIDED) == res.outcome(v.name, s), (v.name, s.id)
    assert len(data["outcomes"]) == len({json.dumps(o, sort_keys=True) for o in data["outcomes"]})  # once each
    tables = ("outcome_parts", "errnos", "outcomes", "results", "differences")  # eval_json fills them
    assert {**data, **dict.fromkeys(tables)} == json.loads(json.dumps(eval_dict(rep)))
    # Differences are joined as text: each comparison's scenarios, classes and notes are the comparison's own.
    comparisons = rep.per_patch_newest_first + rep.across  # the newest revision first, as the page and terminal
    assert [(d["a"], d["b"]) for d in data["differences"]] == [(c.a, c.b) for c in comparisons]
    for entry, c in zip(data["differences"], comparisons, strict=True):
        assert entry["summary"] == c.summary()
        got = {x["scenario"]: (x["classes"], x["notes"]) for x in differing(data, entry)}
        assert len(got) == sum(len(g["scenarios"]) for g in entry["differing"])  # each scenario once
        assert got == {d.scenario.id: ([k.value for k in d.classes], list(d.notes)) for d in c.differences}


def test_second_eval_reads_the_outcome_cache(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    # No time budget: a run a loaded host cuts short is not kept, and the next eval runs it again (a Limits section).
    args = ["eval", str(corpus), "--variant", "v3:05", "--variant", "v3:06", "--time-budget", "0"]
    reports = []
    for n, extra in enumerate(([], [], ["--no-cache"])):
        r = runner.invoke(app, [*args, "--json", str(tmp_path / f"{n}.json"), *extra])
        assert r.exit_code == 0, r.output
        reports.append(json.loads((tmp_path / f"{n}.json").read_text()))
    stats = [d.pop("stats") for d in reports]
    assert stats[0]["runs_cached"] == 0 and stats[0]["runs_executed"] > 0
    assert stats[1] == {**stats[0], "runs_executed": 0, "runs_replayed": 0, "runs_cached": stats[0]["runs_executed"]}
    assert stats[2] == stats[0] and reports[0] == reports[1] == reports[2]
    assert any((tmp_path / "xdg" / "seamharness" / "outcomes").rglob("*.json"))


def test_a_page_from_the_cache_is_the_page_of_a_run(corpus: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # The whole corpus: outcomes that did not run (unknown functions) come back from the cache as one
    # object per code group where the mirror made one per run; the page must not show the difference. No time
    # budget: on a loaded host (two test workers beside other work) a code group cut short by it is run again.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    pages = []
    for n in range(2):
        r = runner.invoke(app, ["eval", str(corpus), "--html", str(tmp_path / f"{n}.html"), "--time-budget", "0"])
        assert r.exit_code == 0, r.output
        text = (tmp_path / f"{n}.html").read_text()
        pages.append([ln for ln in text.splitlines() if " reused from identical code" not in ln])
    assert pages[0] == pages[1]


def test_by_variant_layout_holds_the_same_results(corpus_eval: Evaluation,
                                                 corpus_rows: tuple[EvalReport, dict[str, Any]]) -> None:
    from reports.json_report import Layout, eval_json

    rep, rows = corpus_rows  # valid by the schema (corpus_rows)
    arrays = json.loads(eval_json(rep, Layout.BY_VARIANT))
    jsonschema.validate(arrays, json.loads(SCHEMA.read_text()))
    assert (rows["layout"], arrays["layout"]) == ("rows", "by-variant")
    assert "results" not in arrays and "results_by_variant" not in rows  # a script for one layout fails on the other
    assert flat_rows(arrays) == flat_rows(rows)
    # A variant whose code is the same as an earlier one's in every lane points at it instead of repeating it.
    same = [e for e in arrays["results_by_variant"] if "same_as" in e]
    assert same and all(corpus_eval.result.outcomes_of(e["variant"]) == corpus_eval.result.outcomes_of(e["same_as"])
                        for e in same)
    names = [e["variant"] for e in arrays["results_by_variant"]]
    assert names == [v["name"] for v in arrays["variants"]]
    assert all(names.index(e["same_as"]) < names.index(e["variant"]) for e in same)
    assert len(eval_json(rep, Layout.BY_VARIANT)) < len(eval_json(rep)) * 0.7


@pytest.mark.parametrize("layout", ["by-variant", "rows"])
def test_json_layout_needs_json(corpus: Path, layout: str) -> None:
    r = runner.invoke(app, ["eval", str(corpus), "--json-layout", layout])
    assert r.exit_code == 2 and "--json-layout needs --json" in r.output


def test_a_bad_json_layout_is_named_before_what_it_needs(tmp_path: Path) -> None:
    # The value itself is what is wrong: said first, before anything is read (the input does not exist).
    r = runner.invoke(app, ["eval", str(tmp_path / "none"), "--json-layout", "bogus"])
    assert r.exit_code == 2 and "--json-layout 'bogus' is not one of: auto, rows, by-variant" in r.output


def test_default_layout_turns_by_variant_past_the_row_limit(corpus: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # The default is rows up to BIG_JSON_ROWS results, by-variant past it (said on stderr); an explicit
    # --json-layout rows still writes rows. Lowered here so that v3:05 and v3:06 (1,320 cells) pass it.
    import reports.formats

    args = ["eval", str(corpus), "--variant", "v3:05", "--variant", "v3:06", "--json"]
    small = runner.invoke(app, [*args, str(tmp_path / "small.json")])
    assert small.exit_code in (0, 1), small.output
    assert json.loads((tmp_path / "small.json").read_text())["layout"] == "rows"
    assert "results_by_variant" not in small.output
    monkeypatch.setattr(reports.formats, "BIG_JSON_ROWS", 100)
    big = runner.invoke(app, [*args, str(tmp_path / "big.json")])
    data = json.loads((tmp_path / "big.json").read_text())
    assert data["layout"] == "by-variant" and "results" not in data
    assert "results: the JSON has them by variant (results_by_variant" in big.output
    forced = runner.invoke(app, [*args, str(tmp_path / "forced.json"), "--json-layout", "rows"])
    assert json.loads((tmp_path / "forced.json").read_text())["layout"] == "rows"
    assert "results_by_variant" not in forced.output
    assert flat_rows(data) == flat_rows(json.loads((tmp_path / "forced.json").read_text()))


def test_a_skipped_input_is_in_the_report_too(tmp_path: Path) -> None:
    # Exit status 2 says an input was not read; a CI job reading only report.json must be able to tell which.
    from tests.harness.variantgen import MATRIX
    from tests.mailgen import demo_series, write_mbox

    box = write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "empty.eml").write_text("")
    (tmp_path / "m.toml").write_text(MATRIX)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["eval", str(box), str(tmp_path / "empty.eml"), "--matrix", str(tmp_path / "m.toml"),
                                   "--json", str(out)])
    assert res.exit_code == 2
    found = [f for f in json.loads(out.read_text())["findings"] if f["kind"] == "input-skipped"]
    assert found == [{"kind": "input-skipped", "subject": f"{tmp_path / 'empty.eml'}",
                      "text": "empty file, no message", "where": ""}]


def test_the_schema_names_every_finding_kind_and_integer_registers() -> None:
    from harness.findings import FindingKind

    schema = json.loads((Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json").read_text())
    kinds = schema["properties"]["findings"]["items"]["properties"]["kind"]["enum"]
    assert set(kinds) == {k.value for k in FindingKind}
    call = schema["$defs"]["outcome"]["properties"]["calls"]["items"]
    bad = ["__seamcall", 1, "TDX module", 0, 0, False, {}, "a.c:1", {"rcx": "1"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, call)
    jsonschema.validate([*bad[:8], {"rcx": 1}, 2], call)

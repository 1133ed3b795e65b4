"""The eval JSON keeps every outcome field, each distinct value once.

The eval JSON keeps every field of every outcome, each distinct array or object value once, and names each
differing scenario by its index."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.matrix import Entry, Scenario, Script, Unit
from harness.pipeline import Evaluation
from harness.report import report_model
from models.machine import Event, LogLine, SeamCall
from models.outcome import ErrorKind, Limit, Outcome, OutcomeStatus, outcome_from_dict, outcome_to_dict
from reports import json_report
from reports.json_report import PARTS, Layout, _scenario_id, _with_parts, eval_json
from tests.harness.seriesgen import INCLUDES_NEW_HOME, NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.harness.test_value_gate import LOOP, _prepared
from tests.mailgen import write_mbox
from tests.reportrows import (
    as_schema9,
    assumptions,
    reads,
    scenario_id,
    scenario_parts,
    whole_errno,
    whole_outcomes,
    with_scenario_ids,
)

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json").read_text())


def _whole(parts: dict[str, list[Any]], o: dict[str, Any]) -> dict[str, Any]:
    return {k: parts[k][v] if k in parts else v for k, v in o.items()}


def test_every_part_of_an_outcome_comes_back_from_its_table() -> None:
    # Every array and object field set (a repeated call with args, an open log line, state, limits, unrecorded):
    # written with its values in tables and read back, it is the very outcome; an equal value is one entry.
    call = SeamCall("__seamcall_ret", 5, "TDX module", 7, 1, True, (("cpu", 1),), "a.c:3", (("rcx", 2),))
    full = Outcome(OutcomeStatus.ERROR, calls=(call, call), ret=-5, ret_type="int", errno="EIO",
                   log=(LogLine("3", "x"),), events=(Event("irq", "disabled", "a.c:4"),), regs_out=(("rax", 9),),
                   error="stopped", error_kind=ErrorKind.BUDGET, limits=(Limit.STEPS, Limit.CALLS),
                   unrecorded_calls=3, state=(("f::n", "1"),), log_open=True)
    other = Outcome(OutcomeStatus.OK, calls=(call, call), ret=0)
    parts: dict[str, dict[str, int]] = {k: {} for k in PARTS}
    texts = [_with_parts(o, parts) for o in (full, other)]
    tables = {k: [json.loads(t) for t in table] for k, table in parts.items()}
    got = [json.loads(t) for t in texts]
    assert all(isinstance(v, (str, int, bool)) for o in got for v in o.values())  # every array or object is an index
    assert [outcome_from_dict(_whole(tables, o)) for o in got] == [full, other]
    assert len(tables["calls"]) == 1 and got[0]["calls"] == got[1]["calls"] == 0


def test_an_outcomes_fields_are_the_pieces_of_its_compact_text() -> None:
    # The report writes each field's text as Outcome.json_fields holds it: joined, they are the compact text of
    # outcome_to_dict, whatever a string holds (quotes, braces, a tab, non-ASCII).
    call = SeamCall("__seamcall", 1, "TDX module", 0, 0, False, (("cpu", 1),), "a.c:3")
    o = Outcome(OutcomeStatus.OK, calls=(call,), ret=-5, ret_type="int", log=(LogLine("3", 'say "}, "\t\u00b0'),))
    assert o.json_text == json.dumps(outcome_to_dict(o), separators=(",", ":"))
    assert o.json_fields == tuple((k, json.dumps(v, separators=(",", ":"))) for k, v in outcome_to_dict(o).items())


def test_both_layouts_write_each_part_once_and_rows_read_back_as_before(corpus_eval: Evaluation) -> None:
    # Schema 6: the rows layout writes outcome_parts as by-variant does. Each row's outcome, its parts looked up, is
    # exactly what schema 5 wrote in the outcomes table for it (the outcome's outcome_to_dict); status, ret and
    # error stay in the outcome itself, as the readers of rows (the shared cases' checks) take them.
    rep = report_model(corpus_eval)
    rows, compact = json.loads(eval_json(rep)), json.loads(eval_json(rep, Layout.BY_VARIANT))
    parts = rows["outcome_parts"]
    assert (parts, rows["outcomes"]) == (compact["outcome_parts"], compact["outcomes"])
    for key, values in parts.items():
        assert len({json.dumps(v) for v in values}) == len(values), key  # each value once
    table = whole_outcomes(rows)
    res = corpus_eval.result
    for r in rows["results"]:
        assert table[r["outcome"]] == outcome_to_dict(res.outcome(r["variant"], r["scenario"])), r
    # Schema 7: ret_type is a part too (the corpus' 2,650 outcomes that have one hold 4 distinct C types).
    assert {k for o in rows["outcomes"] for k, v in o.items() if not isinstance(v, int) or isinstance(v, bool)} \
        <= {"status", "errno", "error", "error_kind", "log_open"}
    assert 0 < len(parts["ret_type"]) < 10 < sum("ret_type" in o for o in rows["outcomes"])
    # Schema 9: each field of a call record is an index into call_values, each distinct value once (the corpus'
    # 1,086 records hold 34), and each log line an index into log_lines, its repeat count after it.
    records, values = parts["call_records"], parts["call_values"]
    assert all(type(x) is int for c in records for x in c) and len(values) < len(records) // 10
    assert len({json.dumps(v) for v in values}) == len(values) and {type(v) for v in values} >= {str, int, bool, dict}
    assert len({json.dumps(r) for r in records}) == len(records)
    lines = [x for listed in parts["log"] for x in listed]
    assert all(len(x) in (1, 2) and all(type(n) is int for n in x) for x in lines)
    assert {x[0] for x in lines} == set(range(len(parts["log_lines"]))) < set(range(len(lines)))
    assert all(len(r) == 2 and all(isinstance(s, str) for s in r) for r in parts["log_lines"])
    # Schema 8: a call is its record's index in call_records, its repeat count after it; each record once (above),
    # fewer than the calls that hold them (the corpus' 1,536 calls are 1,086 records).
    calls = [c for listed in parts["calls"] for c in listed]
    assert all(len(c) in (1, 2) and all(type(x) is int for x in c) for c in calls)
    assert {c[0] for c in calls} == set(range(len(records))) and len(records) < len(calls)
    assert any(len(c) == 2 for c in calls) and all(c[1] > 1 for c in calls if len(c) == 2)
    # The corpus' outcomes repeat their SEAMCALL and event lists: the table is at least a third smaller.
    size = len(json.dumps([rows["outcomes"], parts])) / len(json.dumps(table))
    assert len(parts["calls"]) < sum("calls" in o for o in rows["outcomes"]) and size < 0.67


def test_the_shared_cases_rows_read_each_outcome_as_before(corpus: Path, corpus_eval: Evaluation,
                                                           tmp_path: Path) -> None:
    # ../shared/cases/lib.sh's rows() merges a row's outcome into it and the checks read status, ret and error: run
    # as it is, on the corpus report, each row's are its outcome's.
    lib = corpus.parent / "cases" / "lib.sh"
    if not lib.is_file():
        pytest.skip("../shared/cases is not present")
    (tmp_path / "r.json").write_text(eval_json(report_model(corpus_eval)))
    got = subprocess.run(["bash", "-c", '. "$0" && rows "$1"', str(lib), str(tmp_path / "r.json")],
                         env={**os.environ, "SEAMHARNESS": "true"}, capture_output=True, text=True, check=True)
    merged = [json.loads(line) for line in got.stdout.splitlines()]
    res = corpus_eval.result
    assert len(merged) == sum(1 for v in res.variants for s in corpus_eval.matrix.scenarios
                              if res.outcome(v.name, s).status is not OutcomeStatus.NOT_PROVIDED)
    for row in merged:
        want = outcome_to_dict(res.outcome(row["variant"], row["scenario"]))
        assert [row.get(k) for k in ("status", "ret", "error")] == [want.get(k) for k in ("status", "ret", "error")]


def test_scenarios_name_their_unit_whose_path_is_written_once(corpus_eval: Evaluation) -> None:
    # Schema 7: a scenario (of the matrix or a comparison's extra_scenarios) names its unit; each unit's path is in
    # ``units`` once, not in each of 700 scenarios.
    # (The extra scenarios' units: test_a_scripts_input_registers_are_written_with_it_and_with_its_value_runs.)
    rep = report_model(corpus_eval)
    data = json.loads(eval_json(rep))
    for s, written in zip(rep.scenarios, data["scenarios"], strict=True):
        assert data["units"][scenario_parts(written)["unit"]] == s.unit.path, s.id
    assert len(data["units"]) == len({s.unit.path for s in rep.scenarios}) < len(data["scenarios"])
    # Schema 9: a scenario is its id (what rows name), its parts joined by "/": split at the first three, they are
    # its entry, leaf name, script and unit; its leaf's number is in ``leaves`` once, by the leaf's name.
    for s, written in zip(rep.scenarios, data["scenarios"], strict=True):
        assert written == s.id and scenario_parts(written) == {"entry": s.entry.name, "leaf_name": s.leaf_name,
                                                               "script": s.script.name, "unit": s.unit.name}
        assert data["leaves"][s.leaf_name] == s.leaf and s.unit.name in data["units"], s.id
    assert len(data["leaves"]) == len({s.leaf for s in rep.scenarios}) < len(data["scenarios"])
    assert {r["scenario"] for r in data["results"]} <= set(data["scenarios"])


def test_a_unit_named_by_its_path_comes_back_from_the_scenario_id() -> None:
    # A unit of a second file of the same name is named by its path (harness.discover): the id keeps its "/", and
    # split at the first three (no entry, leaf or script name holds one, harness.matrixtext) the parts come back.
    unit = Unit("arch/x86/a/tdx.c", "arch/x86/a/tdx.c")
    s = Scenario(f"seamcall/TDH_SYS_INIT/success/{unit.name}", Entry("seamcall", (unit.name,), ("fn", "args")),
                 "TDH_SYS_INIT", 33, Script("success", (), "SUCCESS"), unit)
    assert scenario_parts(_scenario_id(s)) == {"entry": "seamcall", "leaf_name": "TDH_SYS_INIT", "script": "success",
                                               "unit": unit.name}
    with pytest.raises(ValueError, match="not named by its parts"):
        _scenario_id(dataclasses.replace(s, id="seamcall/TDH_SYS_INIT/success"))


def test_the_outcome_most_rows_point_at_comes_first(corpus_eval: Evaluation) -> None:
    # Schema 9: the outcomes table is in the order of how many rows point at each outcome, most first (ties in the
    # order first met), so that most rows' indexes are short; by-variant writes the very same table.
    rep = report_model(corpus_eval)
    rows, compact = json.loads(eval_json(rep)), json.loads(eval_json(rep, Layout.BY_VARIANT))
    assert rows["outcomes"] == compact["outcomes"]
    uses = [0] * len(rows["outcomes"])
    for r in rows["results"]:
        uses[r["outcome"]] += 1
    assert uses == sorted(uses, reverse=True) and uses[0] > uses[-1] > 0


def test_assumptions_and_readings_are_written_once_and_read_back_as_before(corpus_eval: Evaluation) -> None:
    # Schema 8: a variant's assumptions and a rule's read are indexes into the tables ``assumptions`` and ``reads``,
    # each distinct entry once: looked up, they are what each variant and verdict holds (as schema 7 wrote them).
    rep = report_model(corpus_eval)
    data = json.loads(eval_json(rep))
    assert assumptions(data) == {v.variant.name: list(v.assumptions) for v in rep.variants}
    assert len(set(data["assumptions"])) == len(data["assumptions"]) < sum(len(v.assumptions) for v in rep.variants)
    for row, written in zip(rep.rules, data["rules"], strict=True):
        assert reads(data, written) == {name: [x.as_dict() for x in v.read]
                                        for name, v in row.verdicts.items() if v.read}, row.rule.id
    every = [json.dumps(x, sort_keys=True) for x in data["reads"]]
    assert len(set(every)) == len(every) < sum(len(v.read) for r in rep.rules for v in r.verdicts.values())


def test_differing_scenarios_are_indexes_that_name_them_as_before(corpus_eval: Evaluation) -> None:
    # Schema 6 writes a comparison's differing scenarios as indexes into scenarios (then its extra_scenarios): named
    # back, each group holds the ids schema 5 wrote, in the same order.
    rep = report_model(corpus_eval)
    data = json.loads(eval_json(rep))
    named = with_scenario_ids(data)["differences"]
    comparisons = rep.per_patch_newest_first + rep.across
    assert sum(len(c.differences) for c in comparisons) > 1000
    for entry, c in zip(named, comparisons, strict=True):
        groups: dict[tuple[object, ...], list[str]] = {}
        for d in c.differences:
            groups.setdefault((d.classes, d.notes), []).append(d.scenario.id)
        assert [g["scenarios"] for g in entry["differing"]] == list(groups.values()), entry["label"]


def test_a_scripts_input_registers_are_written_with_it_and_with_its_value_runs(tmp_path: Path) -> None:
    # The patch also retries OTHER when rdx came in set: only a value run starting with args-in-tdx's inputs shows
    # it. Neither the scripts table nor extra_scenarios said the registers those runs started with.
    loop = "(err != TDX_RND_NO_ENTROPY && !(args->rdx && err == 0x8000020300000005ULL)) || !--left"
    mbox = write_mbox(tmp_path / "v2.mbox", _prepared(RETRY_SAFE, RETRY_SAFE.replace(LOOP, loop)))
    r = CliRunner().invoke(app, ["eval", str(mbox), "--variant", "v2:01", "--variant", "v2:02", "--json",
                                 str(tmp_path / "r.json"), "--time-budget", "0"])
    assert r.exit_code in (0, 1), r.output
    report = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(report, SCHEMA)
    scripts = {s["name"]: s for s in report["scripts"]}
    inputs = scripts["args-in-tdx"]["inputs"]  # the bundled matrix's: each register's index, low and high 32 bits
    assert (inputs["rcx"], inputs["rdx"]) == (0x100000001, 0x200000002), inputs
    assert "inputs" not in scripts["success"]
    extra = [x for c in report["differences"] for x in c["extra_scenarios"]]
    assert any(x["script"].endswith("+args-in-tdx") for x in extra), extra
    for x in extra:
        expected = scripts[x["script"].partition("+")[2]]["inputs"] if "+" in x["script"] else None
        assert x.get("inputs") == expected, x
        assert "unit_path" not in x and report["units"][x["unit"]].endswith("/" + x["unit"]), x  # schema 7
        assert "id" not in x and "leaf" not in x and x["leaf_name"] in report["leaves"], x  # schema 8
    assert all(scenario_id(x).split("/")[2].startswith("neighbour-") for x in extra), extra


def test_an_errno_its_return_value_names_is_left_out_and_comes_back() -> None:
    # Schema 10: errno is left out where it is what errnos names ret; an outcome with no errno for a value errnos
    # names writes null, so that none is read as the table's; a value errnos does not name writes nothing.
    eio = Outcome(OutcomeStatus.OK, ret=-5, ret_type="int", errno="EIO")
    other = Outcome(OutcomeStatus.OK, ret=-5, ret_type="long", errno="EBADE")  # never the mirror's: one name each
    none = Outcome(OutcomeStatus.OK, ret=-5, ret_type="int")
    unnamed = Outcome(OutcomeStatus.OK, ret=-600, ret_type="int")
    errnos = json_report._errnos([eio, other, none, unnamed])
    assert errnos == {-5: "EIO"}
    parts: dict[str, dict[str, int]] = {k: {} for k in PARTS}
    got = [json.loads(_with_parts(o, parts, errnos)) for o in (eio, other, none, unnamed)]
    assert ["errno" in o for o in got] == [False, True, True, False] and got[2]["errno"] is None
    tables = {k: [json.loads(t) for t in table] for k, table in parts.items()}
    named = {str(k): v for k, v in errnos.items()}
    assert [outcome_from_dict(whole_errno(named, _whole(tables, o))) for o in got] == [eio, other, none, unnamed]


def _as_before(monkeypatch: pytest.MonkeyPatch, rep: Any, layout: Layout) -> dict[str, Any]:
    """The report schema 9's writer wrote: each outcome's errno in the outcome, no errnos table."""
    with monkeypatch.context() as m:
        m.setattr(json_report, "_errnos", lambda outcomes: {})
        old = json.loads(eval_json(rep, layout))
    assert old.pop("errnos") == {}
    return {**old, "schema": "seamharness-eval/9"}


def _same_as_schema9(monkeypatch: pytest.MonkeyPatch, rep: Any) -> list[dict[str, Any]]:
    reports = []
    for layout in Layout:
        new = json.loads(eval_json(rep, layout))
        jsonschema.validate(new, SCHEMA)
        old = _as_before(monkeypatch, rep, layout)
        compact = json.dumps  # the texts compared, with their keys' order
        assert compact(as_schema9(new)) == compact(old), layout
        assert len(compact(new)) < len(compact(old)) or not new["errnos"], layout
        reports.append(new)
    return reports


def test_the_errnos_table_reads_back_as_schema_9s_report(corpus_eval: Evaluation,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Schema 10's report with each outcome's errno put back from errnos is the report schema 9 wrote, key for key,
    # in both layouts; the corpus' 936 outcomes that name an errno name 5 values.
    rows, _ = _same_as_schema9(monkeypatch, report_model(corpus_eval))
    assert 0 < len(rows["errnos"]) < 10 and not any("errno" in o for o in rows["outcomes"])
    res = corpus_eval.result
    table = whole_outcomes(rows)
    assert sum("errno" in o for o in table) > 100
    for r in rows["results"]:
        assert table[r["outcome"]] == outcome_to_dict(res.outcome(r["variant"], r["scenario"])), r


def test_a_generated_series_errnos_read_back_as_schema_9s_report(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # A series the corpus is not: a helper that returns -EIO and one that returns -EINVAL, a patch between them.
    from harness.pipeline import EvalRequest, evaluate

    caller = ("\nstatic inline int demo_init(void)\n{\n\tstruct tdx_module_args args = {};\n\n"
              "\tif (seamcall_prerr(33, &args))\n\t\treturn -EINVAL;\n\treturn 0;\n}\n")
    one = helpers(RETRY_SAFE).replace("\n#endif\n", caller + "\n#endif\n")
    two = one.replace("return -EINVAL;", "return -ENODEV;")
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, [
        Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one), INCLUDES_NEW_HOME)),
        Step("x86/virt/tdx: Say no device", ((NEW_HOME, one, two),))], cover="demo: two"))
    rep = report_model(evaluate(EvalRequest((mbox,), jobs=1, cache=None, time_budget=0)))
    rows, _ = _same_as_schema9(monkeypatch, rep)
    assert {"-5", "-22", "-19"} <= set(rows["errnos"]), rows["errnos"]

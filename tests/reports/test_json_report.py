"""The eval JSON's compact layout keeps every field of every outcome, each distinct array or object value once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from typer.testing import CliRunner

from harness.cli import app
from harness.pipeline import Evaluation
from harness.report import report_model
from models.machine import Event, LogLine, SeamCall
from models.outcome import ErrorKind, Limit, Outcome, OutcomeStatus, outcome_from_dict
from reports.json_report import PARTS, Layout, _fields, _with_parts, eval_json
from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_value_gate import LOOP, _prepared
from tests.mailgen import write_mbox
from tests.reportrows import whole_outcomes

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


def test_fields_are_cut_from_compact_text_and_decoded_from_any_other() -> None:
    # Outcome.json_text is compact and its fields are cut out of it as they are; a text written otherwise (an outcome
    # cache line of another writer) gives the same fields, compact, not a traceback or a value with its spaces.
    call = SeamCall("__seamcall", 1, "TDX module", 0, 0, False, (("cpu", 1),), "a.c:3")
    o = Outcome(OutcomeStatus.OK, calls=(call,), ret=-5, ret_type="int", log=(LogLine("3", 'say "}, "'),))
    spaced = json.dumps(json.loads(o.json_text), indent=1)
    assert _fields(spaced) == _fields(o.json_text) == [(k, json.dumps(v, separators=(",", ":")))
                                                       for k, v in json.loads(o.json_text).items()]


def test_by_variant_writes_each_part_once_and_rows_inline(corpus_eval: Evaluation) -> None:
    rep = report_model(corpus_eval)
    rows, compact = json.loads(eval_json(rep)), json.loads(eval_json(rep, Layout.BY_VARIANT))
    parts = compact["outcome_parts"]
    assert "outcome_parts" not in rows  # rows keep each outcome's fields themselves, as their readers take them
    assert whole_outcomes(compact) == rows["outcomes"]
    for key, values in parts.items():
        assert len({json.dumps(v) for v in values}) == len(values), key  # each value once
    # The corpus' outcomes repeat their SEAMCALL and event lists: the table is at least a third smaller.
    size = len(json.dumps([compact["outcomes"], parts])) / len(json.dumps(rows["outcomes"]))
    assert len(parts["calls"]) < sum("calls" in o for o in compact["outcomes"]) and size < 0.67


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

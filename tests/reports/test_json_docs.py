"""docs/json-schema.md's Python snippets run as written on reports of both layouts and read every result."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.report import report_model
from harness.reportview import EvalReport
from reports.json_report import Layout, eval_json

DOC = Path(__file__).resolve().parents[2] / "docs" / "json-schema.md"


@pytest.fixture(scope="module")
def two_states(corpus: Path) -> EvalReport:
    """The report of the corpus' v3:05 and v3:06, evaluated once for the tests that read it (each evaluated its
    own)."""
    return report_model(evaluate(EvalRequest((corpus,), variants=("v3:05", "v3:06"), cache=None)))


@pytest.mark.parametrize(("layout", "index"), [(Layout.ROWS, 0), (Layout.BY_VARIANT, 1)])
def test_doc_snippet_reads_every_result(two_states: EvalReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        layout: Layout, index: int) -> None:
    rep = two_states
    (tmp_path / "report.json").write_text(eval_json(rep, layout))
    snippet = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[index]
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(snippet, {})  # the documentation's own example, run as a reader would
    lines = out.getvalue().splitlines()
    assert len(lines) == rep.executed + rep.reused + rep.cached
    assert all(line.split()[0] in ("v3:05", "v3:06") for line in lines)


def test_doc_by_variant_reading_gives_back_every_outcome(corpus_eval: Evaluation, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The round trip of the compact layout: the report model -> JSON -> the documentation's own reading gives back
    # every variant x scenario's whole outcome (None where not provided), on every outcome of the corpus.
    from models.outcome import NOT_PROVIDED, outcome_from_dict

    rep = report_model(corpus_eval)
    (tmp_path / "report.json").write_text(eval_json(rep, Layout.BY_VARIANT))
    snippet = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[1]
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(snippet, names)
    arrays, outcome, scenario_id = names["arrays"], names["outcome"], names["scenario_id"]
    res = corpus_eval.result
    assert list(arrays) == [v.name for v in res.variants]  # type: ignore[call-overload]
    # a scenario's id, which rows name, from its parts (schema 8 writes no id)
    written = json.loads((tmp_path / "report.json").read_text())["scenarios"]
    assert [scenario_id(s) for s in written] == [s.id for s in corpus_eval.matrix.scenarios]  # type: ignore[operator]
    for v in res.variants:
        for s, n in zip(corpus_eval.matrix.scenarios, arrays[v.name], strict=True):  # type: ignore[index]
            got = NOT_PROVIDED if n is None else outcome_from_dict(outcome(n))  # type: ignore[operator]
            assert got == res.outcome(v.name, s), (v.name, s.id)


def test_doc_snippet_reads_every_variant_whole(two_states: EvalReport, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    rep = two_states
    (tmp_path / "report.json").write_text(eval_json(rep))
    snippet = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[2]
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(snippet, {})
    v306 = next(v for v in rep.variants if v.variant.name == "v3:06")
    assert out.getvalue().splitlines() == [f"{f.path} {f.blob or 'fragments'} {'; '.join(f.provenance)}"
                                           for f in v306.variant.files] + [
                                               f"{d.name} {d.kind} {d.where}" for d in v306.definitions]
    assert v306.definitions


def test_every_scenario_of_a_comparison_is_counted_once(corpus_eval: Evaluation) -> None:
    # compared + not compared + provided (an entry point one side defines) = total, for every comparison.
    import json

    data = json.loads("".join(eval_json(report_model(corpus_eval))))
    for x in data["differences"]:
        provided = sum(len(g["scenarios"]) for g in x["differing"] if "provided" in g["classes"])
        assert x["compared"] + sum(n["scenarios"] for n in x["not_compared"]) + provided == x["total"], x["label"]

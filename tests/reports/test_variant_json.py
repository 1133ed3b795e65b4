"""The report's variants: each table entry once, each variant as what it adds.

The report's variants (schema 4): each patch, mail and file state once, each variant as the one it extends plus
what it adds; the whole lists read back from that are the model's, and the section grows with what differs."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest

from harness.filestate import FileState
from harness.lineage import lineage
from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.report import report_model
from harness.reportview import EvalReport, VariantView
from harness.synthetic import matrix_toml
from harness.variants import Variant
from reports.html_report import render_html
from reports.html_sources import shown_sources, shown_uses
from reports.json_report import eval_json
from reports.variant_json import variant_tables
from tests.mailgen import diff, message, write_mbox
from tests.reportrows import variant_lists

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json").read_text())
HELPER = "static inline int b_retry(int x)\n{\n\treturn x;\n}\n"


def _model_lists(rep: EvalReport) -> dict[str, dict[str, Any]]:
    """Each variant's lists as the model holds them, in schema 3's shape."""
    return {view.variant.name: {
        "applied": list(view.variant.applied),
        "messages": [{"msgid": m, "author": a} for m, a in view.variant.sources],
        "findings": [str(f) for f in view.variant.findings],
        "definitions": [{"name": d.name, "kind": d.kind, "where": d.where} for d in view.definitions],
        "files": [{"path": f.path, "complete": f.complete, "usable": f.usable, "blob": f.blob,
                   "provenance": list(f.provenance)} for f in view.variant.files],
    } for view in rep.variants}


def _series(folder: Path, patches: int) -> tuple[Path, Path]:
    """Patch 1 creates the helper and a log; every later one adds a note and a line to the log, whose provenance
    grows by one entry a patch (schema 3 wrote it whole in every prefix after)."""
    log = ""
    msgs = [message(f"[PATCH 0/{patches}] grow", "cover@g", "Cover.\n")]
    for n in range(1, patches + 1):
        new = log + f"line {n}\n"
        d = diff("bench/log.txt", log or None, new) + diff(f"bench/note-{n}.txt", None, f"note {n}\n")
        if n == 1:
            d = diff("bench/helper.h", None, HELPER) + d
        body = f"Step {n}.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n{d}-- \n2.47.0\n"
        msgs.append(message(f"[PATCH {n}/{patches}] grow: step {n}", f"p{n}@g", body, parent="cover@g"))
        log = new
    (folder / "m.toml").write_text(matrix_toml(4).replace("bench/bench.c", "bench/helper.h"))
    return write_mbox(folder / f"s{patches}.mbox", msgs), folder / "m.toml"


def _report(folder: Path, patches: int) -> tuple[EvalReport, dict[str, Any]]:
    folder.mkdir()
    mbox, matrix = _series(folder, patches)
    rep = report_model(evaluate(EvalRequest((mbox,), matrix=matrix, cache=None)))
    return rep, json.loads(eval_json(rep))


def _variants_bytes(data: dict[str, Any]) -> int:
    return sum(len(json.dumps(data[k])) for k in ("patches", "mails", "file_states", "variants"))


def test_the_corpus_variants_read_back_whole(corpus_eval: Evaluation) -> None:
    rep = report_model(corpus_eval)
    data = json.loads(eval_json(rep))
    jsonschema.validate(data, SCHEMA)
    assert variant_lists(data) == _model_lists(rep)
    extends = {v["name"]: v["extends"] for v in data["variants"]}
    assert extends["v3:06"] == "v3:05" and extends["v3"] == "v3:07" and extends["v1:00"] is None
    assert extends["v3:01"] == "v3:00" and extends["v2:00"] is None
    assert extends["hansen-drop-06"] == "v3:05"  # v3 without patch 06: the prefix before it, then 07
    assert extends["hansen-if-else"] == "v3"
    # The page prints a source file's text once: a later variant with the very same file links to it.
    sections = {view.variant.name: [s.file for s in files] for view, files in zip(rep.variants, shown_sources(rep),
                                                                                    strict=True)}
    _uses_read_back(rep)
    linked = [s for files in shown_sources(rep) for s in files if s.same_as]
    assert linked and all(s.file in sections[s.same_as] for s in linked)
    v306 = next(v for v in data["variants"] if v["name"] == "v3:06")
    assert [data["patches"][n] for n in v306["adds"]["applied"]] == [rep.variants[[x.variant.name for x in
                                                                     rep.variants].index("v3:06")].variant.applied[-1]]


def test_a_long_series_reads_back_whole_and_grows_with_what_differs(tmp_path: Path) -> None:
    small_rep, small = _report(tmp_path / "a", 12)
    rep, data = _report(tmp_path / "b", 36)
    jsonschema.validate(data, SCHEMA)
    for r, d in ((small_rep, small), (rep, data)):
        assert variant_lists(d) == _model_lists(r)
    prefixes = [v for v in data["variants"] if v["prefix"] and ":" in v["name"]]
    assert len(prefixes) == 36
    assert all(len(v["adds"]["applied"]) == 1 and len(v["adds"]["messages"]) == 1 for v in prefixes[1:])
    assert all(len(v["adds"]["files"]) <= 3 for v in prefixes[1:])  # the log, the note (and the helper at 1)
    # The log's state at patch 36 lists one entry of its own, after the state before it.
    log = [s for s in data["file_states"] if s["path"] == "bench/log.txt"]
    assert len(log) == 36 and all(len(s["provenance"]) == 1 for s in log) and log[-1]["after"] is not None
    # Three times the patches, about three times the bytes (schema 3: over eight times).
    assert _variants_bytes(data) < 3.6 * _variants_bytes(small)
    table = render_html(rep).partition('<h2 id="provenance">')[2]
    assert '<a href="#prov-v1:35">v1:35</a> plus<br>' in table
    assert table.count("https://lore.kernel.org/r/p1@g") == 1  # patch 1's mail once, not in all 36 prefixes


def test_the_schema_refuses_a_key_it_does_not_name(tmp_path: Path) -> None:
    # The gate's and series' schemas refused an unknown top-level key; the eval report's took any, so a key
    # renamed or added without the schema (and its docs) said nothing.
    _, data = _report(tmp_path / "s", 2)
    jsonschema.validate(data, SCHEMA)
    with pytest.raises(jsonschema.ValidationError, match="'result_rows' was unexpected"):
        jsonschema.validate({**data, "result_rows": []}, SCHEMA)


def _state(path: str, provenance: tuple[str, ...], text: str = "x") -> FileState:
    return FileState(path, True, {1: (text, provenance[-1])}, 1, provenance)


def _variant(name: str, applied: tuple[str, ...], files: tuple[FileState, ...], start: str | None = None,
             revision: int | None = None) -> Variant:
    prefix = int(name.partition(":")[2]) if ":" in name else None
    return Variant(name=name, description=name, files=files, findings=(), applied=applied,
                   sources=tuple((a, "A") for a in applied), base="hunks only (no tree)", start=start,
                   revision=revision, prefix=prefix)


def test_what_a_variant_drops_or_rebuilds_reads_back() -> None:
    """A reviewer variant that drops a file and rebuilds another from scratch; a revision's first state extends
    none, its second the first, another revision's or an alias of it that applies nothing none; one whose patches no
    earlier variant begins is written whole."""
    a = _state("a.c", ("created by 1",))
    a2 = _state("a.c", ("created by 1", "patched by 2"), "y")
    b = _state("b.c", ("created by 2",))
    other = _state("a.c", ("created by r",), "z")  # a history that does not continue a's
    variants = [_variant("v0:0", (), (a,), revision=0), _variant("v1:0", (), (), revision=1),
                _variant("v1:1", ("1",), (a,), revision=1), _variant("v1:2", ("1", "2"), (a2, b), revision=1),
                _variant("r", ("1", "2", "r"), (other,), start="v1:2"), _variant("s", ("9",), (b,)),
                _variant("base", (), (a,), revision=0)]
    views = tuple(VariantView(v, (), (), None) for v in variants)
    rep = SimpleNamespace(variants=views, lineage=lineage(variants))
    data = variant_tables(rep)  # type: ignore[arg-type]
    assert [v["extends"] for v in data["variants"]] == [None, None, "v1:0", "v1:1", "v1:2", None, None]
    r = data["variants"][4]
    assert r["files_gone"] == ["b.c"] and data["file_states"][r["adds"]["files"][0]]["after"] is None
    assert data["variants"][2]["adds"]["files"] == [0]  # v0:0's state of a.c, the very same
    assert data["file_states"][data["variants"][3]["adds"]["files"][0]] == {
        "path": "a.c", "complete": True, "usable": True, "blob": a2.blob, "after": 0, "provenance": ["patched by 2"]}
    got = variant_lists(data)
    for v in variants:
        assert got[v.name]["applied"] == list(v.applied)
        assert [(f["path"], f["provenance"], f["blob"]) for f in got[v.name]["files"]] == [
            (f.path, list(f.provenance), f.blob) for f in v.files]


@pytest.mark.parametrize("n", [0, 1])
def test_no_variant_extends_a_later_one(n: int) -> None:
    a = _state("a.c", ("created by 1",))
    variants = [_variant("x", ("1", "2"), (a,)), _variant("y", ("1",), (a,))][n:]
    assert all(line.extends is None for line in lineage(variants))


def test_a_file_every_patch_edits_is_shown_as_diffs_git_applies(tmp_path: Path) -> None:
    """The page's helper source: each prefix's helper, one line longer, was printed whole in every section (the
    square of the patches); now as a diff from the text the section before shows, which git apply turns into the
    variant's own text, with the whole text again whenever the diffs since add up to it."""
    text = HELPER
    msgs = [message("[PATCH 0/40] edit", "cover@e", "Cover.\n")]
    for n in range(1, 41):
        new = text + f"/* step {n}: what this step says of the helper, a line long enough */\n"
        d = diff("bench/helper.h", None if n == 1 else text, new)
        body = f"Step {n}.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n{d}-- \n2.47.0\n"
        msgs.append(message(f"[PATCH {n}/40] edit: step {n}", f"e{n}@e", body, parent="cover@e"))
        text = new
    (tmp_path / "m.toml").write_text(matrix_toml(4).replace("bench/bench.c", "bench/helper.h"))
    mbox = write_mbox(tmp_path / "e.mbox", msgs)
    rep = report_model(evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=None)))
    views = {view.variant.name: view for view in rep.variants}
    diffs = whole = 0
    git = tmp_path / "git"
    subprocess.run(["git", "init", "-q", str(git)], check=True)
    (git / "bench").mkdir()
    for files in shown_sources(rep):
        for s in files:
            if not s.changed_from:
                whole += s.same_as is None
                continue
            diffs += 1
            (old,) = [f for f in views[s.changed_from].sources if f.path == s.file.path]
            (git / "bench" / "helper.h").write_text(old.pieces[0][1] + "\n")
            subprocess.run(["git", "apply", "-"], input=s.diff + "\n", text=True, cwd=git, check=True)
            assert (git / "bench" / "helper.h").read_text() == s.file.pieces[0][1] + "\n"
    assert diffs + whole == 40 and diffs > 2 * whole  # the whole text again as the diffs since outgrow it
    page = render_html(rep).partition('<h2 id="source">')[2].partition('<h2 id="provenance">')[0]
    assert page.count("step 1: what") <= whole + 1  # patch 1's line: in the whole texts and a diff, not in 40


def _reaching_series(folder: Path, patches: int) -> tuple[Path, Path]:
    """Patch n adds b_step<n>() above b_retry(), which calls every step: each prefix's entry points reach one
    definition more than the prefix before (schema 4 before: each prefix listed all of them again)."""
    def text(n: int) -> str:
        steps = "".join(f"static inline int b_step{k}(int x)\n{{\n\treturn x + {k};\n}}\n\n" for k in range(1, n + 1))
        calls = " + ".join(f"b_step{k}(x)" for k in range(1, n + 1))
        return f"{steps}static inline int b_retry(int x)\n{{\n\treturn {calls};\n}}\n"

    msgs = [message(f"[PATCH 0/{patches}] steps", "cover@g", "Cover.\n")]
    for n in range(1, patches + 1):
        d = diff("bench/helper.h", text(n - 1) if n > 1 else None, text(n))
        body = f"Step {n}.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n{d}-- \n2.47.0\n"
        msgs.append(message(f"[PATCH {n}/{patches}] steps: add b_step{n}", f"p{n}@g", body, parent="cover@g"))
    (folder / "m.toml").write_text(matrix_toml(4).replace("bench/bench.c", "bench/helper.h"))
    return write_mbox(folder / f"r{patches}.mbox", msgs), folder / "m.toml"


def _uses_read_back(rep: EvalReport) -> None:
    """Each section's definitions, read back through the sections it names, are its variant's."""
    got: dict[str, set[Any]] = {}
    for view, u in zip(rep.variants, shown_uses(rep), strict=True):
        if view.same_code_as is None:
            name = view.variant.name
            got[name] = set(u.whole) if u.changed_from is None else got[u.changed_from] - set(u.removed) | set(u.added)
            assert got[name] == set(view.definitions), name


def _uses_html_bytes(rep: EvalReport) -> int:
    return sum(map(len, re.findall(r'<p class="small">definitions the entry points use:.*?</p>', render_html(rep),
                                   re.DOTALL)))


def _definitions_bytes(data: dict[str, Any]) -> int:
    return len(json.dumps(data["definitions"])) + sum(len(json.dumps(v["definition_edits"])) for v in data["variants"])


def test_definitions_grow_with_what_each_patch_adds(tmp_path: Path) -> None:
    """Every patch adds a function the entry point reaches: the definitions written grow linearly, and read back
    as the model's lists."""
    got, page = {}, {}
    for patches in (8, 24):
        folder = tmp_path / f"s{patches}"
        folder.mkdir()
        mbox, matrix = _reaching_series(folder, patches)
        rep = report_model(evaluate(EvalRequest((mbox,), matrix=matrix, cache=None)))
        data = json.loads(eval_json(rep))
        jsonschema.validate(data, SCHEMA)
        assert variant_lists(data) == _model_lists(rep)
        uses = {view.variant.name: {d.name for d in view.definitions} for view in rep.variants}
        assert {f"b_step{k}" for k in range(1, patches + 1)} <= uses["v1"]
        prefixes = [v for v in data["variants"] if v["prefix"] and ":" in v["name"]]
        # b_step<n> comes in; b_retry, one function further down, is at another line: at most two edits.
        assert len(prefixes) == patches and all(len(v["definition_edits"]) <= 2 for v in prefixes[1:])
        _uses_read_back(rep)
        got[patches] = _definitions_bytes(data)
        page[patches] = _uses_html_bytes(rep)
    assert got[24] < 3.6 * got[8]  # three times the patches; whole lists in every prefix: 6.6 times the bytes
    assert page[24] < 3.6 * page[8]  # the page's lists likewise: 6.9 times when listed whole in every section

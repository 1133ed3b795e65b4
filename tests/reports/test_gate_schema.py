"""The gate's JSON (seamharness-gate/2) is what reports/gate.schema.json and the docs say, key for key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from reports.gate_report import GATE_SCHEMA
from tests.harness.test_gate_drops import _thread

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "reports" / "gate.schema.json").read_text())


@pytest.mark.parametrize("words", ["Please drop this patch.", "NAK.", "Looks fine to me."])
def test_gate_json_validates_against_its_schema(tmp_path: Path, words: str) -> None:
    mbox, rules = _thread(tmp_path, f"> quoted\n\n{words}\n")
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--json", str(out)])
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, SCHEMA)
    assert doc["exit_status"] == r.exit_code and (doc["objections"] != []) == (words != "Looks fine to me.")
    bad = {**doc, "objections": [{**o, "kind": "maybe"} for o in doc["objections"]], "extra": 1}
    with pytest.raises(jsonschema.ValidationError):  # the schema can fail: an unknown key or kind is refused
        jsonschema.validate(bad, SCHEMA)


def test_every_key_of_the_gate_json_is_documented() -> None:
    # docs/rules.md has the table of the gate's keys; docs/json-schema.md sends a reader of JSON there and to the
    # schema file. A key the schema has and the table lacks (or the other way round) fails.
    rules = (ROOT / "docs" / "rules.md").read_text()
    section = rules[rules.index(f"### The gate's JSON: `{GATE_SCHEMA}`"):]
    table = section[section.index("| key |"):]
    table = table[: table.index("\n\n")]
    documented = {k for row in table.splitlines()[2:] for k in re.findall(r"`([a-z_]+)`", row.split("|")[1])}
    assert documented == set(SCHEMA["properties"]), documented ^ set(SCHEMA["properties"])
    rule_row = next(row for row in table.splitlines() if row.startswith("| `rules` |"))
    assert all(f"`{k}`" in rule_row for k in SCHEMA["$defs"]["rule"]["properties"])
    objections = next(row for row in table.splitlines() if row.startswith("| `objections` |"))
    assert all(f"`{k}`" in objections for k in SCHEMA["properties"]["objections"]["items"]["properties"])
    schema_doc = (ROOT / "docs" / "json-schema.md").read_text()
    assert GATE_SCHEMA in schema_doc and "reports/gate.schema.json" in schema_doc
    assert f"rules.md#the-gates-json-{GATE_SCHEMA.replace('/', '')}" in schema_doc


def _empty_strings(value: object, path: str = "") -> set[str]:
    """The paths (``rules[].date``) where the document holds ``""``."""
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in _empty_strings(v, f"{path}.{k}" if path else str(k))}
    if isinstance(value, list):
        return {p for v in value for p in _empty_strings(v, f"{path}[]")}
    return {path} if value == "" else set()


@pytest.mark.parametrize("words", ["NAK.", "Looks fine to me."])
def test_an_absent_value_is_null_never_an_empty_string(tmp_path: Path, words: str) -> None:
    # Before: a rule with neither msgid nor date wrote `"msgid": null` beside `"date": ""`, a plain objection
    # `"note": ""`, a reading with no where `"where": ""`. Only patchwork's own target_url (its checks API takes a
    # string) may be empty.
    mbox, rules = _thread(tmp_path, f"> quoted\n\n{words}\n")
    out = tmp_path / "g.json"
    CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--json", str(out)])
    doc = json.loads(out.read_text())
    [rule] = doc["rules"]
    assert rule["msgid"] is None and rule["date"] is None and rule["quote"] is None, rule
    assert all(o["note"] is None for o in doc["objections"]) and len(doc["objections"]) == (words == "NAK."), doc
    assert _empty_strings(doc) <= {"rules[].patchwork.target_url", "base_check.patchwork.target_url"}, doc


def test_the_schema_version_is_bumped_for_values_that_were_strings_and_may_be_null() -> None:
    # 53949e52 wrote null where seamharness-gate/1 wrote "" and typed an objection's note and a reading's where and how
    # string alone: a strict reader of /1 met a new type under the same version. The output, the schema file and the
    # docs name one version, and the docs say what changed since the one before.
    assert SCHEMA["properties"]["schema"]["const"] == GATE_SCHEMA and GATE_SCHEMA in SCHEMA["title"]
    number = int(GATE_SCHEMA.rsplit("/", 1)[1])
    assert number >= 2
    objection = SCHEMA["properties"]["objections"]["items"]["properties"]["note"]
    read = SCHEMA["$defs"]["rule"]["properties"]["read"]["items"]["properties"]
    assert all("null" in field["type"] for field in (objection, read["where"], read["how"]))
    rules = (ROOT / "docs" / "rules.md").read_text()
    section = rules[rules.index(f"### The gate's JSON: `{GATE_SCHEMA}`"):]
    before = GATE_SCHEMA.replace(f"/{number}", f"/{number - 1}")
    said = section[:section.index("| key |")]
    assert f"`{GATE_SCHEMA}` differs from `{before}`" in said and "`null`" in said, said

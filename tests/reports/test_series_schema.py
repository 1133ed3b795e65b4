"""`series --json` (seamharness-series/1) is what reports/series.schema.json and docs/json-schema.md say."""

from __future__ import annotations

import json
import re
from email.message import EmailMessage
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, demo_series, diff, message, patch_body, write_mbox

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "reports" / "series.schema.json").read_text())
runner = CliRunner()


def _series_json(*inputs: Path) -> dict[str, object]:
    r = runner.invoke(app, ["series", *map(str, inputs), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, SCHEMA)
    return doc  # type: ignore[no-any-return]


def test_the_corpus_listing_validates(corpus: Path) -> None:
    doc = _series_json(corpus)
    assert doc["schema"] == "seamharness-series/1" and doc["revisions"]


def _without_msgid(msg: EmailMessage) -> EmailMessage:
    del msg["Message-ID"]
    return msg


def test_generated_listings_validate(tmp_path: Path) -> None:
    v2 = demo_series(2, 3)
    del v2[3]  # 3/3 missing: a slot of its own
    reply = message("Re: [PATCH v2 1/3] demo: add helper", "r1@example.org",
                    "> quoted\n\nReviewed-by: Rita Reviewer <rita@example.org>\n\n"
                    + diff(HELPER_PATH, HELPER_V0, HELPER_V1), sender="Rita Reviewer <rita@example.org>",
                    parent="p1-v2@example.org")
    stray = message("Re: something else", "stray@example.org", "Unrelated.\n", parent="elsewhere@example.org")
    point = message("[PATCH v2.1 2/3] demo: print fn in decimal", "p2-v21@example.org",
                    patch_body("Changed again.", diff(HELPER_PATH, HELPER_V0, HELPER_V1)))
    lone = _without_msgid(message("[PATCH] demo: add helper", "x@example.org",
                                  patch_body("Alone.", diff(HELPER_PATH, None, HELPER_V0))))
    mbox = write_mbox(tmp_path / "s.mbox", [*v2, reply, stray, point, *demo_series(1, 2)])
    doc = _series_json(mbox)
    slots = [p for r in doc["revisions"] for p in r["patches"]]  # type: ignore[attr-defined]
    assert {"number": 3, "missing": True} in slots and any("supersedes" in p for p in slots)
    assert doc["orphan_replies"] and not any(p.get("msgid_synthesized") for p in slots)
    only = _series_json(write_mbox(tmp_path / "lone.mbox", [lone]))
    (patch,) = only["revisions"][0]["patches"]  # type: ignore[index]
    assert patch["msgid_synthesized"] is True and patch["msgid"].endswith("@missing")


def test_the_schema_can_fail(corpus: Path) -> None:
    doc = _series_json(corpus)
    for bad in ({**doc, "extra": 1}, {**doc, "schema": "seamharness-series/0"},
                {**doc, "revisions": [{**doc["revisions"][0], "patches": [{"number": 1}]}]}):  # type: ignore[index]
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, SCHEMA)


def test_every_key_is_documented() -> None:
    text = (ROOT / "docs" / "json-schema.md").read_text()
    section = text[text.index("## `seamharness series --json`: schema `seamharness-series/1`"):]
    table = section[section.index("| key |"):]
    documented = set(re.findall(r"`([a-z_]+)`", table))
    defs = SCHEMA["$defs"]
    keys = {*SCHEMA["properties"], *defs["revision"]["properties"], *defs["slot"]["properties"],
            *defs["reply"]["properties"], *defs["patch"]["properties"]["files"]["items"]["properties"]}
    assert keys <= documented, keys - documented
    assert "reports/series.schema.json" in text


def test_a_made_up_message_id_is_shown_as_such(tmp_path: Path) -> None:
    reply = _without_msgid(message("Re: [PATCH v2 1/3] demo: add helper", "r@example.org", "Looks good.\n"))
    r = runner.invoke(app, ["series", str(write_mbox(tmp_path / "s.mbox", [*demo_series(2, 3), reply]))])
    assert r.exit_code == 0, r.output
    flat = " ".join(w for w in r.stdout.split() if w != "│")  # the tree wraps long lines
    ids = re.findall(r"\S*<sha1-[0-9a-f]{16}@missing>", flat)
    assert len(ids) == 1 and "(no Message-ID; called <sha1-" in flat, flat


def test_a_mail_without_a_date_header_has_a_null_date(tmp_path: Path) -> None:
    # Not "" (a date that reads as one nobody can parse): null, as the schema and docs/json-schema.md say.
    patch = message("[PATCH] demo: add helper", "nodate@example.org", patch_body("No date.", diff(HELPER_PATH, None,
                                                                                                  HELPER_V0)))
    reply = message("Re: [PATCH] demo: add helper", "nodate-r@example.org", "Reviewed-by: R <r@example.org>\n",
                    parent="nodate@example.org")
    for msg in (patch, reply):
        del msg["Date"]
    doc = _series_json(write_mbox(tmp_path / "nodate.mbox", [patch, reply]))
    (got,) = doc["revisions"][0]["patches"]  # type: ignore[index]
    assert got["date"] is None and got["replies"][0]["date"] is None, got
    dated = _series_json(write_mbox(tmp_path / "dated.mbox", demo_series(1, 1)))
    assert dated["revisions"][0]["patches"][0]["date"]  # type: ignore[index]

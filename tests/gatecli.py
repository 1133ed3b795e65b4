"""`seamharness gate` run as a user runs it, its outputs read back: for tests of what the gate says and writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_SCHEMA = Path(__file__).parents[1] / "reports" / "gate.schema.json"


def gate_outputs(mbox: Path, rules: Path, variant: str, tmp_path: Path) -> tuple[int, str, dict[str, Any], str]:
    """The exit status, the terminal text (its words joined by single spaces), the JSON report (validated against
    reports/gate.schema.json) and the JUnit XML of ``seamharness gate MBOX --variant VARIANT --rules RULES``."""
    import jsonschema
    from typer.testing import CliRunner

    from harness.cli import app

    out, xml = tmp_path / "g.json", tmp_path / "g.xml"
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", variant, "--rules", str(rules), "--json", str(out),
                                 "--junit", str(xml)])
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, json.loads(_SCHEMA.read_text()))
    return r.exit_code, " ".join(r.stdout.split()), doc, xml.read_text()

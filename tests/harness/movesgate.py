"""The gate's moves rule run through the CLI on a generated series: the set-up the moves tests share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from harness.cli import app

MOVES_RULE = '[[rule]]\nid = "move"\nreviewer = "R"\nsummary = "s"\n[rule.check]\nkind = "moves"\n'


def moves_gate(tmp_path: Path, series: Path, matrix: str) -> tuple[int, dict[str, Any], str]:
    """``seamharness gate SERIES --variant v1`` with ``matrix`` (TOML text) and one moves rule: the exit status,
    the rule's JSON row and the terminal output."""
    (tmp_path / "m.toml").write_text(matrix)
    (tmp_path / "r.toml").write_text(MOVES_RULE)
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(series), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"),
                                 "--rules", str(tmp_path / "r.toml"), "--json", str(out)])
    (rule,) = json.loads(out.read_text())["rules"]
    return r.exit_code, rule, r.output

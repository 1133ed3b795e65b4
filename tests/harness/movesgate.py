"""The gate's moves rule run through the CLI on a generated series: the set-up the moves tests share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from harness.cli import app

MOVES_RULE = '[[rule]]\nid = "move"\nreviewer = "R"\nsummary = "s"\n[rule.check]\nkind = "moves"\n'


def moves_gate(tmp_path: Path, series: Path, matrix: str, *tree: str, severity: str | None = None,
               cache: Path | None = None) -> tuple[int, dict[str, Any], str]:
    """``seamharness gate SERIES --variant v1`` with ``matrix`` (TOML text), one moves rule (of ``severity`` when
    given) and the options ``tree`` ("--tree", PATH, ...), its outcome cache in ``cache`` when given: the exit
    status, the rule's JSON row and the terminal output."""
    (tmp_path / "m.toml").write_text(matrix)
    rule = MOVES_RULE if severity is None else \
        MOVES_RULE.replace('summary = "s"\n', f'summary = "s"\nseverity = "{severity}"\n')
    (tmp_path / "r.toml").write_text(rule)
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(series), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"),
                                 "--rules", str(tmp_path / "r.toml"), "--json", str(out),
                                 *(("--jobs", "1") if tree or cache else ()), *tree],
                           env={"XDG_CACHE_HOME": str(cache)} if cache is not None else None)
    (row,) = json.loads(out.read_text())["rules"]
    return r.exit_code, row, r.output

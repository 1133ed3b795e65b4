"""The gate's reason for runs that stop at an undefined callee names the entry points that stopped there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.test_vacuous_rules import MATRIX, V1, _rule
from tests.mailgen import diff, message, patch_body, write_mbox

ANY = _rule("any", 'kind = "behaviour"\nscenarios = { entry = "*" }\nexpect = { calls_at_most = 1 }')


def _gate(tmp: Path, code: str) -> tuple[str, str]:
    """The rule's note in gate --json and the gate's text (joined into one line) for a v1 of ``code``."""
    write_mbox(tmp / "s.mbox", [message("[PATCH] demo: add helpers", "gen@example.org",
                                        patch_body("Add.", diff("demo/h.h", None, code)))])
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(ANY)
    args = ["gate", str(tmp / "s.mbox"), "--variant", "v1", "--matrix", str(tmp / "m.toml"), "--rules",
            str(tmp / "r.toml")]
    r = CliRunner().invoke(app, [*args, "--json", str(tmp / "g.json")])
    assert r.exit_code == 1, r.output
    note = str(json.loads((tmp / "g.json").read_text())["rules"][0]["note"])
    text = CliRunner().invoke(app, args, env={"COLUMNS": "100"}).stdout
    return note, " ".join(text.split())


@pytest.mark.parametrize("which", ["both", "ldr"])
def test_an_undefined_callee_names_the_entry_points_it_stopped(tmp_path: Path, which: str) -> None:
    """Both entry points (or only demo_ldr()) call demo_log(), which no file defines: the reason said only that v1
    does not define demo_log(), never which entry points did not run for it (demo_log() is no entry point)."""
    stopped = V1.replace("\tdemo_err(fn, err);\n\treturn", "\tdemo_log(fn, err);\n\treturn")
    if which == "ldr":
        stopped = V1[:V1.index("int demo_ldr")] + stopped[stopped.index("int demo_ldr"):]
    said = ("demo_call(), demo_ldr() stop at their call of demo_log(): v1 does not define demo_log()"
            if which == "both" else "demo_ldr() stops at its call of demo_log(): v1 does not define demo_log()")
    note, text = _gate(tmp_path, stopped)
    assert said in note and said in text, (note, text)
    assert note.count("demo_log(): v1 does not define") == 1, note  # one sentence for both entry points

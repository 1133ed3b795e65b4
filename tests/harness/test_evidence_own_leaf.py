"""Gate evidence of an entry point fed no leaf names the leaf its run issued, as eval does, not the matrix's leaf.

gate said 'tdx_read_sysinfo/TDH_SYS_INIT/...: ... logs SEAMCALL 34 failed' of a function that issues TDH_SYS_RD (34)
of its own choice: TDH_SYS_INIT is the matrix's leaf the run stands for, and eval says 'its own leaf 0x22'."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ONCE = "\tu64 err = __seamcall(0x22, &args);\n"
TWICE = ONCE + "\n\tif (err)\n\t\terr = __seamcall(0x22, &args);\n"
OTHER = "\tu64 err = __seamcall(0x22, &args);\n\n\tif (err)\n\t\terr = __seamcall(0x23, &args);\n"
MATRIX = ('[codes]\nOK = 0\nBUSY = 0x10\n[leaves]\nONE = 1\nTWO = 0x23\n[[unit]]\nname = "a.c"\npath = "d/a.c"\n'
          '[[entry]]\nname = "demo_read"\nargs = []\n[[script]]\nname = "busy"\nanswers = ["BUSY", "BUSY"]\n')
RULE = ('[[rule]]\nid = "once"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n[rule.check]\n'
        'kind = "behaviour"\nscenarios = { entry = "demo_read" }\nexpect = { calls_at_most = 1 }\n')


def unit(body: str) -> str:
    return ("int demo_read(void)\n{\n\tstruct tdx_module_args args = {};\n" + body
            + "\n\treturn err ? -EIO : 0;\n}\n")


@pytest.mark.parametrize(("body", "place"), [(TWICE, "demo_read/its own leaf 0x22/busy/a.c"),
                                             (OTHER, "demo_read/its own leaf/busy/a.c")])
def test_the_evidence_names_the_leaf_the_run_issued(tmp_path: Path, body: str, place: str) -> None:
    # Before: 'demo_read/ONE/busy/a.c', a leaf the code never issued (the second: it issued 0x22 and TWO).
    repo = init_repo(tmp_path / "linux", {"d/a.c": unit(ONCE)})
    (repo / "d/a.c").write_text(unit(body))
    git(repo, "commit", "-q", "-am", "demo: ask again")
    mail = tmp_path / "p.patch"
    mail.write_bytes(git(repo, "format-patch", "-1", "--stdout", "HEAD").stdout)
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(RULE)
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(mail), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"),
                                 "--rules", str(tmp_path / "r.toml"), "--tree", str(repo), "--base", "HEAD~1",
                                 "--jobs", "1", "--json", str(out)], env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    (rule,) = json.loads(out.read_text())["rules"]
    assert (r.exit_code, rule["verdict"]) == (1, "fail"), rule
    assert [e["scenario"] for e in rule["evidence"]] == [place], rule
    assert f"{place}: expected at most 1 SEAMCALL" in " ".join(r.output.split()), r.output

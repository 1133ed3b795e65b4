"""The gate's JUnit XML stays well-formed XML whatever the mail holds; what it shows of mail text is the terminal's."""

from __future__ import annotations

from pathlib import Path

import xmlschema
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import HELPER_PATH, HELPER_V0, diff, message, patch_body, write_mbox

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_control_characters_of_mail_text_leave_the_junit_xml_well_formed(tmp_path: Path) -> None:
    # A changelog line with ESC and BEL became evidence: XML 1.0 has no such characters and the CI's JUnit
    # reader refused the whole file.
    log = "Add the helper.\n\nIt talks about VMCS \x1b[31m\x07 and \u202eRLO."
    write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add helper", "j@x",
                                             patch_body(log, diff(HELPER_PATH, None, HELPER_V0)))])
    (tmp_path / "m.toml").write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\n'
                                     'name = "demo_retry"\nargs = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "no-vmcs"\nreviewer = "R"\nsummary = "no VMCS talk"\n'
                                     'patch = "add helper"\n[rule.check]\nkind = "changelog"\n'
                                     'must_not_match = "VMCS"\n')
    junit = tmp_path / "j.xml"
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "s.mbox"), "--variant", "v1", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(tmp_path / "r.toml"), "--junit", str(junit)])
    assert r.exit_code == 1, r.output
    xml = junit.read_text()
    xmlschema.XMLSchema(FIXTURES / "junit.xsd").validate(xml)
    assert "got It talks about VMCS \\x1b[31m\\x07 and \\u202eRLO." in xml

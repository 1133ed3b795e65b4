"""The gate's JUnit XML stays well-formed XML whatever the mail holds; what it shows of mail text is the terminal's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xmlschema
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import HELPER_PATH, HELPER_V0, diff, message, patch_body, write_mbox

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


MATRIX = ('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\nargs = ["fn"]\n'
          '[[script]]\nname = "ok"\nanswers = ["OK"]\n')


def _gate(tmp: Path, log: str, reviewer: str = "R", summary: str = "no VMCS talk", junit: str | None = None
          ) -> tuple[int, str, str]:
    """gate --junit of one patch whose changelog is ``log``, under a changelog rule refusing "VMCS" (fails when the
    log says it): exit code, stdout, and the JUnit file's text (``junit`` "-": stdout, the text "")."""
    write_mbox(tmp / "s.mbox", [message("[PATCH] demo: add helper", "j@x",
                                        patch_body(log, diff(HELPER_PATH, None, HELPER_V0)))])
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(f'[[rule]]\nid = "no-vmcs"\nreviewer = "{reviewer}"\nsummary = "{summary}"\n'
                                'patch = "add helper"\n[rule.check]\nkind = "changelog"\nmust_not_match = "VMCS"\n')
    out = junit or str(tmp / "j.xml")
    r = CliRunner().invoke(app, ["gate", str(tmp / "s.mbox"), "--variant", "v1", "--matrix", str(tmp / "m.toml"),
                                 "--rules", str(tmp / "r.toml"), "--junit", out])
    return r.exit_code, r.stdout, "" if out == "-" else Path(out).read_text()


def test_control_characters_of_mail_text_leave_the_junit_xml_well_formed(tmp_path: Path) -> None:
    # A changelog line with ESC and BEL became evidence: XML 1.0 has no such characters and the CI's JUnit
    # reader refused the whole file.
    code, out, xml = _gate(tmp_path, "Add the helper.\n\nIt talks about VMCS \x1b[31m\x07 and \u202eRLO.")
    assert code == 1, out
    xmlschema.XMLSchema(FIXTURES / "junit.xsd").validate(xml)
    assert "got It talks about VMCS \\x1b[31m\\x07 and \\u202eRLO." in xml


def test_unicode_noncharacters_of_rule_text_leave_the_junit_xml_well_formed(tmp_path: Path) -> None:
    # U+FFFE and U+FFFF are no XML 1.0 Char (XML 1.0 section 2.2), yet a rules file may hold them (TOML's
    # "\\uffff", or the UTF-8 bytes EF BF BF): ElementTree wrote them as they were, and the CI's JUnit reader
    # refused the whole file. (Mail text cannot bring one: git stores its bytes as Latin-1, as commit_text does.)
    code, out, xml = _gate(tmp_path, "It talks about VMCS.", reviewer="R \\uffff", summary="no VMCS \\ufffe talk")
    assert code == 1, out
    xmlschema.XMLSchema(FIXTURES / "junit.xsd").validate(xml)
    assert "no VMCS \\ufffe talk" in xml and 'classname="review.R_\\uffff"' in xml


def test_junit_detail_heads_what_was_read_without_saying_read_twice(tmp_path: Path) -> None:
    # The detail's list of what the verdict rests on was headed "read:" above lines that each begin "read ...".
    code, out, _ = _gate(tmp_path, "It talks about VMCS.", junit="-")
    assert code == 1, out
    assert "\nrests on:\nread the commit message of v1 01/1 (trailers aside) in v1 (" in out, out
    assert "read:\nread" not in out


def test_the_lines_before_the_rules_say_their_counts_as_english_does() -> None:
    # They read '1 input(s) not read', '3 NAK(s) and request(s) to drop' (one count for both kinds), '1 objection(s)
    # to an earlier revision's patch' and '1 objection(s) lifted by their own sender since, or reply(ies) read'.
    from types import SimpleNamespace

    from harness.objections import ObjectionKind
    from reports.gate_report import _outside_rules

    def said(**parts: tuple[object, ...]) -> str:
        g = SimpleNamespace(**{"inputs_skipped": (), "base_problems": (), "objections": (), "earlier": (),
                               "unjudged_earlier": (), "lifted": (), "am_stops": (), "not_given": (), **parts})
        return next(p.plain for p in _outside_rules(g))  # type: ignore[arg-type]

    def objection(kind: ObjectionKind) -> SimpleNamespace:
        return SimpleNamespace(kind=kind, describe=lambda: "x")

    assert said(inputs_skipped=("a.mbox: empty",)).startswith("1 input not read: ")
    assert said(base_problems=("p",)).startswith("1 base problem: the patches do not build this state")
    assert said(base_problems=("p",), am_stops=("p",)).startswith("1 base problem: git am stops at a patch")
    assert said(base_problems=("p",), not_given=("p",)).startswith("1 base problem: the input does not hold every")
    nak, drop, unread = (objection(k) for k in (ObjectionKind.NAK, ObjectionKind.DROP, ObjectionKind.UNREAD))
    assert said(objections=(nak, drop, drop)).startswith("1 NAK and 2 requests to drop of this variant's patches")
    assert said(objections=(nak, nak, drop, unread)).startswith("2 NAKs, 1 request to drop and 1 unreadable reply of")
    tag = objection(ObjectionKind.TAG)
    assert said(objections=(tag,)).startswith("1 withdrawn review tag of this variant's patches")
    assert said(objections=(nak, drop, tag, tag, unread)).startswith(
        "1 NAK, 1 request to drop, 2 withdrawn review tags and 1 unreadable reply of")
    reg = objection(ObjectionKind.REGRESSION)
    assert said(objections=(reg,)).startswith("1 reported regression of this variant's patches")
    assert said(objections=(drop, reg, reg, tag)).startswith(
        "1 request to drop, 2 reported regressions and 1 withdrawn review tag of")
    assert said(earlier=(SimpleNamespace(describe=lambda: "x"),)).startswith("1 objection to an earlier revision's")
    changed = SimpleNamespace(describe=lambda: "x")
    assert said(earlier=(changed,), unjudged_earlier=(changed,)).startswith(
        "1 objection to an earlier revision's patch changed since (git patch-id): not judged here")
    assert said(lifted=("x",), lifted_heading="h: not blocking") == "h: not blocking"


def test_the_heading_of_what_no_longer_blocks_names_each_kind_it_holds() -> None:
    # Before: 'objection lifted by its own sender since, or reply read by the user' over a reply neither lifted nor
    # read by the user, which its sender's own Tested-by alone kept from blocking.
    from harness.objections import ReviewObjections

    def heading(read: int = 0, lifted: int = 0, trailed: int = 0) -> str:
        return ReviewObjections(read=("r",) * read, lifted=("l",) * lifted, trailed=("t",) * trailed
                                ).not_blocking_heading()

    assert heading() == ""
    assert heading(trailed=1) == "1 unreadable reply whose sender's own review trailers were read: not blocking"
    assert heading(trailed=2) == "2 unreadable replies whose senders' own review trailers were read: not blocking"
    assert heading(lifted=1) == "1 objection lifted by its own sender since: not blocking"
    assert heading(lifted=2, read=1) == ("1 unreadable reply the user read, 2 objections lifted by their own senders "
                                         "since: not blocking")
    assert heading(read=2, trailed=1, lifted=1) == (
        "2 unreadable replies the user read, 1 unreadable reply whose sender's own review trailers were read, 1 "
        "objection lifted by its own sender since: not blocking")
    both = ReviewObjections(read=("r",), lifted=("l",), trailed=("t",))
    assert both.not_blocking == ("r", "t", "l")


def test_a_gate_summary_piped_loads_no_rich_and_prints_as_rich_does(tmp_path: Path) -> None:
    # gate --json with its summary piped: the summary's lines are reports.lines' Line (rich.console and rich.text,
    # some 68 M instructions to import, load only where rich draws one). The oracle: rich's rendering of the summary
    # (its indented lines as Padding drew them: reports.lines.Indented is tested against Padding).
    import os
    import subprocess
    import sys

    write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add [a] helper", "j@x",
                                             patch_body("It talks about VMCS.", diff(HELPER_PATH, None, HELPER_V0)))])
    (tmp_path / "m.toml").write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\n'
                                     'name = "demo_retry"\nargs = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "no-vmcs"\nreviewer = "R"\nsummary = "no VMCS talk"\n'
                                     'patch = "add [a] helper"\n[rule.check]\nkind = "changelog"\n'
                                     'must_not_match = "VMCS"\n')
    args = ["gate", str(tmp_path / "s.mbox"), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"), "--rules",
            str(tmp_path / "r.toml"), "--json", str(tmp_path / "g.json")]
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "60"

    def summary(by_rich: bool) -> str:
        code = ("import sys\nfrom harness import console\n"
                + ("console._plain_lines = lambda part, width: None\n" if by_rich else "")
                + "from harness.cli import main\nstatus = main(sys.argv[1:])\n"
                "print('loaded', status, sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))")
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False,
                             env=env).stdout
        shown, _, loaded = out.rpartition("loaded ")
        assert by_rich or loaded.strip() == "1 []", out
        return shown

    plain = summary(False)
    assert "FAIL no-vmcs" in plain and plain == summary(True)


def test_evidence_past_the_terminal_is_counted_as_parts_of_one_whole() -> None:
    # Before: '... and 23 more (--json lists the first 12 and counts the other 17)': two different rests.
    from types import SimpleNamespace

    from harness.verdict import Evidence
    from reports.gate_report import _shown_evidence

    def tail(listed: int, more: int) -> str:
        v = SimpleNamespace(evidence=tuple(Evidence("0", "1", where=f"f.c:{n}") for n in range(listed)), more=more)
        lines = [p.plain for p in _shown_evidence(v)]  # type: ignore[arg-type]
        return lines[-1]

    assert tail(12, 17) == ("- ... (6 of 29 shown here; --json lists the first 12 in evidence and counts the other 17 "
                            "in evidence_omitted)")
    assert tail(10, 0) == "- ... (6 of 10 shown here; --json lists all 10)"
    assert tail(7, 0) == "- f.c:6: expected 0; got 1"  # a seventh line is shown rather than counted


def test_the_headings_before_the_rules_go_on_under_their_words_when_they_wrap() -> None:
    # '1 base problem: the input does not hold ... which blocks' / 'the gate': 'the gate' went on at column 0.
    from types import SimpleNamespace

    from harness.console import show
    from reports.gate_report import _outside_rules

    g = SimpleNamespace(inputs_skipped=(), base_problems=("v3 02/26: not in the input",), objections=(), earlier=(),
                        unjudged_earlier=(), lifted=(), am_stops=(), not_given=("v3 02/26",))
    import io

    from rich.console import Console

    for colour in (False, True):
        sink = io.StringIO()
        show(_outside_rules(g)[0], Console(width=80, file=sink, force_terminal=colour, highlight=False,  # type: ignore[arg-type]
                                           color_system="standard" if colour else None))
        lines = [ln.rstrip() for ln in re.sub(r"\x1b\[[0-9;]*m", "", sink.getvalue()).splitlines()]
        assert lines == ["1 base problem: the input does not hold every patch of this state, which",
                         "    blocks the gate"], lines


def test_a_rules_heading_goes_on_past_its_lines_not_left_of_them(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # 'FAIL no-vmcs (error; Reviewer ...' went on at column 4, left of the rule's lines at 6: it read as a line of
    # the rule above. Now it goes on at 8, as the rule's own lines go on.
    monkeypatch.setenv("COLUMNS", "60")
    status, out, _ = _gate(tmp_path, "It talks about VMCS.", reviewer="Rae Reviewer-With-A-Long-Name <rae@example.org>")
    lines = out.splitlines()
    at = next(n for n, ln in enumerate(lines) if ln.startswith("FAIL no-vmcs"))
    assert status == 1 and lines[at + 1].startswith(" " * 8) and lines[at + 1][8] != " ", lines[at:at + 3]
    assert lines[at + 2].startswith("      no VMCS talk"), lines[at:at + 3]


def test_the_variant_line_says_its_name_once(tmp_path: Path) -> None:
    # 'v3: NOT READY: ...' then 'v3: v3 with the 7 of its 26 patches the input has ...': the name thrice in two lines.
    from types import SimpleNamespace

    from reports.gate_report import variant_said

    _, out, _ = _gate(tmp_path, "Add the helper.")
    line = out.splitlines()[1]
    assert line.startswith("v1 with ") and "v1: v1" not in out, out
    prefix = SimpleNamespace(name="v3:06", description="v3 up to 06/26: x86/virt/tdx: Prepare")  # not its name
    assert variant_said(prefix) == "v3:06: v3 up to 06/26: x86/virt/tdx: Prepare"  # type: ignore[arg-type]
    assert variant_said(SimpleNamespace(name="v3", description="v3:06 and more")) == "v3: v3:06 and more"  # type: ignore[arg-type]


def test_the_rules_file_is_named_alike_in_the_terminal_json_and_junit(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # The terminal named the bundled rules by the install's absolute path ('rules /usr/.../series/p-seamldr/
    # rules.toml'), the JSON and JUnit by their path in seamharness's source ('series/p-seamldr/rules.toml'); a
    # file given is named as given, relative or not, as git names paths.
    import json

    from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision

    write_mbox(tmp_path / "s.mbox", revision(1, [Step("x86/virt/tdx: Add the helpers", (
        (NEW_HOME, None, helpers(RETRY_SAFE)),))]))
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "no-vmcs"\nreviewer = "R"\nsummary = "s"\nseverity = "warning"\n'
                                     'patch = "Add the helpers"\n[rule.check]\nkind = "changelog"\n'
                                     'must_not_match = "VMCS"\n')
    monkeypatch.chdir(tmp_path)
    for rules, named in (((), "series/p-seamldr/rules.toml"), (("--rules", "r.toml"), "r.toml"),
                         (("--rules", str(tmp_path / "r.toml")), str(tmp_path / "r.toml"))):
        r = CliRunner().invoke(app, ["gate", "s.mbox", "--variant", "v1", *rules, "--json", "g.json",
                                     "--junit", "g.xml"])
        assert r.exit_code in (0, 1), r.output
        said = " ".join(r.stdout.split())
        assert f"; rules {named} " in f"{said} ", said
        assert json.loads(Path("g.json").read_text())["rules_file"] == named
        assert f'name="rules" value="{named}"' in Path("g.xml").read_text()

"""A revision whose code is the one before's, only reworded, is said to be the same code.

A revision whose code is the one before's, only its commit messages reworded, is said to be the same code, from
the blobs of its files after applying; never where a side could not be built or is known only from hunks."""

from __future__ import annotations

import html
import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import git
import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    MAKEFILE,
    MAKEFILE_BASE,
    NEW_HOME,
    PREPARE,
    RETRY_BY_LEAF,
    RETRY_LOST,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

SCHEMA = Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json"
OURS = {"cover": "Our loader helpers", "sender": "Bea Writer <bea@example.com>"}


def _steps(prepared: str) -> list[Step]:
    return [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
            Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), helpers(prepared)),)),
            Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))]


def _reworded(msgs: list[EmailMessage], old: str = "", new: str = "") -> list[EmailMessage]:
    """Each patch's changelog reworded (and ``old`` made ``new`` in its first patch mail that has it)."""
    done = not old
    for m in msgs[1:]:
        body = m.get_content().replace("Our own changelog for", "A reworded changelog, the same code, for")
        if not done and old in body:
            body, done = body.replace(old, new, 1), True
        m.set_content(body)
    return msgs


def _tree(tmp_path: Path) -> Path:
    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    (tmp_path / "linux" / MAKEFILE).parent.mkdir(parents=True)
    (tmp_path / "linux" / MAKEFILE).write_text(MAKEFILE_BASE)
    repo.index.add([MAKEFILE])
    repo.index.commit("base")
    return tmp_path / "linux"


def _outputs(tmp_path: Path, v3: list[EmailMessage], tree: bool) -> tuple[str, str, dict[str, Any]]:
    """eval's terminal text, page text and the v2 -> v3 comparison of its JSON."""
    mbox = write_mbox(tmp_path / "s.mbox", revision(2, _steps(RETRY_BY_LEAF), **OURS) + v3)
    more = ["--tree", str(_tree(tmp_path))] if tree else []
    r = CliRunner().invoke(app, ["eval", str(mbox), *more, "--json", str(tmp_path / "e.json"), "--html",
                                 str(tmp_path / "e.html"), "--no-cache"])
    assert r.exit_code == 0, r.output
    page = html.unescape(" ".join((tmp_path / "e.html").read_text().split()))
    doc = json.loads((tmp_path / "e.json").read_text())
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    [cmp] = [c for c in doc["differences"] if c["view"] == "revision"]
    return " ".join(r.stdout.split()), page, cmp


SAME = "v3's code is v2's: every file either changes has the same blob after applying (3 files: "


def test_a_revision_rewording_only_its_changelogs_is_said_to_be_the_same_code(tmp_path: Path) -> None:
    # v3 resends v2's patches, each changelog reworded: the same three files after applying (the Makefile read from
    # the tree). The report said 'no behaviour change in the 70 of 490 scenarios that ran on both sides' and its
    # gaps, and nowhere that v3's code is v2's.
    out, page, cmp = _outputs(tmp_path, _reworded(revision(3, _steps(RETRY_BY_LEAF), **OURS)), tree=True)
    for said in (out, page, cmp["code"]["said"]):
        assert SAME in said and f"{MAKEFILE} 480da29f1e5e" in said, said
    assert cmp["code"]["match"] == "same" and len(cmp["code"]["files"]) == 3


def test_a_revision_that_does_not_apply_is_not_said_to_be_the_same_code(tmp_path: Path) -> None:
    # v3's 'Prepare' patch has a context line git does not find: its header cannot be built, so no blob is known.
    v3 = _reworded(revision(3, _steps(RETRY_BY_LEAF), **OURS), " \tint left = RDRAND_RETRY_LOOPS;\n",
                   " \tint left = RDRAND_RETRY_LOOPZ;\n")
    out, page, cmp = _outputs(tmp_path, v3, tree=True)
    for said in (out, page, cmp["code"]["said"]):
        assert "v3's code is v2's:" not in said, said
        assert f"whether v3's code is v2's is not known (2 files the same after applying: {MAKEFILE} " in said, said
        assert f"{NEW_HOME} could not be built in v3 (" in said and "hunk does not apply" in said, said
    assert cmp["code"]["match"] == "unknown"


def test_from_mail_alone_a_file_known_from_hunks_leaves_it_unknown(tmp_path: Path) -> None:
    # Without a tree the Makefile is known only from its hunks: its blob after applying is not computed here (the
    # index lines' blob is git's where the patches were made, on a base not read).
    out, page, cmp = _outputs(tmp_path, _reworded(revision(3, _steps(RETRY_BY_LEAF), **OURS)), tree=False)
    for said in (out, page, cmp["code"]["said"]):
        assert "v3's code is v2's:" not in said, said
        assert f"{MAKEFILE} is known only from hunks in v2 and v3: the lines they show are the same on both " \
               "sides, but its blob after applying is not known, though both revisions' index lines name blob " \
               "480da29f1e5e after them" in said, said


@pytest.mark.parametrize("tree", [True, False])
def test_other_code_says_nothing_of_sameness(tmp_path: Path, tree: bool) -> None:
    # v3's 'Prepare' patch loses the safe loop: its header's blob differs, which the comparison's differences say.
    out, page, cmp = _outputs(tmp_path, _reworded(revision(3, _steps(RETRY_LOST), **OURS)), tree=tree)
    assert "code is v2's" not in out and "code is v2's" not in page, out
    assert (cmp["code"]["match"], cmp["code"]["said"], cmp["code"]["differ"]) == ("different", "", [NEW_HOME])

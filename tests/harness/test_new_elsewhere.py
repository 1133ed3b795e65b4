"""An entry point only the next revision defines: what a rule says of a state, or a variant built on one, lacking it."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.kerneltreegen import DIR, build, commits, revisions_on

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git writes the mails (format-patch)")
SEAMLDR = f"{DIR}/seamldr.c"
CHECKED = ("\nstatic int seamldr_checked(int ret)\n{\n\treturn ret;\n}\n")
# v1 06 adds a helper to seamldr.c, 07 edits it: a variant dropping 06 fails 07's hunk there (its seamldr.c is not
# usable, as a reviewer's drop of a patch whose helper a later one calls leaves it).
STATUS = ("\n#define SEAMLDR_STATUS\t\t0x8000000000000001ULL\n\nint seamldr_status(struct tdx_module_args *args)\n{\n"
          "\treturn seamcall_prerr(SEAMLDR_STATUS, args);\n}\n")
MANIFEST = """[series]
name = "own"
msgids = ["own-v1-0000@example.org"]

[[variant]]
name = "rita-no-helper"
start = "v1"
drop = [6]
msgid = "r1@example.com"
author = "Rita Reviewer"
description = "no helper in seamldr.c"
"""
RULES = """[[rule]]
id = "seamldr-calls-at-most-16"
reviewer = "Rita Reviewer"
summary = "a P-SEAMLDR call gives up after 16 tries"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = ["seamldr_*"], script = "tdx-no-entropy-*" }
expect = { calls_at_most = 16 }
"""


def _own(version: int) -> list[tuple[str, str, dict[str, str | None]]]:
    created = commits(version)[-1][2][SEAMLDR]
    assert created is not None
    helper = created + CHECKED
    edited = helper.replace("\treturn ret;\n", "\treturn ret ? -EIO : 0;\n")
    steps = [*commits(version),
             ("x86/virt/tdx: Add a P-SEAMLDR result helper", "For the next patch.", {SEAMLDR: helper}),
             ("x86/virt/tdx: Map P-SEAMLDR errors to -EIO", "Callers want an errno.", {SEAMLDR: edited})]
    if version == 2:
        steps.append(("x86/virt/tdx: Add a P-SEAMLDR status wrapper", "Ask it how it is.", {SEAMLDR: edited + STATUS}))
    return steps


@pytest.fixture(scope="module")
def said(built: list[str]) -> str:
    r = CliRunner().invoke(app, ["eval", *built], env={"COLUMNS": "2000"})
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The two revisions' folders and the --manifest and --rules options."""
    where = tmp_path_factory.mktemp("new-elsewhere")
    out = revisions_on(build(where / "k"), where / "own", {1: _own(1), 2: _own(2)}, "x86/virt/tdx: P-SEAMLDR wrappers")
    for version, folder in out.items():  # Message-IDs, so that the manifest's variant knows its v1
        for mail in folder.iterdir():
            text = mail.read_text()
            mail.write_text(text.replace("\nSubject:", f"\nMessage-ID: <own-v{version}-{mail.name[3:7]}@example.org>"
                                                       "\nSubject:", 1))
    (where / "manifest.toml").write_text(MANIFEST)
    (where / "rules.toml").write_text(RULES)
    return [str(out[1]), str(out[2]), "--manifest", str(where / "manifest.toml"), "--rules", str(where / "rules.toml")]


def _verdict(text: str, variant: str) -> str:
    return re.search(rf"^{re.escape(variant)}: .*\n((?:  .*\n)*)", text, re.M).group(1)  # type: ignore[union-attr]


def test_a_state_lacking_what_only_the_next_revision_adds_is_not_sent_to_a_tree(said: str) -> None:
    # Before: 'not run: v1 does not define seamldr_status(): none of the files read has it (from mail: only the files
    # the patches change); give --tree (14 scenarios)', of a wrapper v2 adds to a file v1 creates whole.
    v1 = _verdict(said, "v1")
    assert (f"not run: seamldr_status() is new in v2 (v2 07/7 defines it); v1 holds {SEAMLDR} whole without it: a "
            "tree would not hold it either (14 scenarios)") in v1, v1
    assert "define seamldr_status()" not in v1


def test_a_variant_dropping_a_helper_says_what_it_is_built_on(said: str) -> None:
    # Before: 'some could not run: ... rita-no-helper does not define seamldr_status(): none of the files read has it
    # ...; give --tree': its seamldr.c does not take v1 07's hunk, so its absence was left unknown, though the variant
    # is v1 less a patch, and v1 holds the file whole without it.
    mine = _verdict(said, "rita-no-helper")
    assert ("seamldr_status() is new in v2 (v2 07/7 defines it); rita-no-helper is built on v1, which does not "
            "define it: a tree would not hold it either (14 scenarios)") in mine, mine
    assert "define seamldr_status()" not in mine


def test_a_state_before_the_patch_adding_it_keeps_its_own_reason(built: list[str]) -> None:
    # v2:06 lacks seamldr_status() because v2 07/7 adds it later: that says more than 'new in v2' would.
    r = CliRunner().invoke(app, ["gate", *built, "--variant", "v2:06"], env={"COLUMNS": "2000"})
    assert "v2:06 does not define seamldr_status()" in r.output and "v2 07/7 adds it later" in r.output, r.output
    assert "seamldr_status() is new in" not in r.output and "seamldr_status() is in" not in r.output

"""A variant of which the input holds no patch (a revision's cover letter alone) is refused, exit 2: apply and gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox

RULES = ('[[rule]]\nid = "moves"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n'
         '[rule.check]\nkind = "moves"\n')


def _inputs(tmp: Path) -> list[str]:
    body = patch_body("x", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")))
    v1 = write_mbox(tmp / "v1.mbox", [message("[PATCH 1/1] x86/virt/seamldr: Add a wrapper for P-SEAMLDR calls",
                                              "own@example.org", body)])
    # v2's cover letter came, its patches did not (a thread cut short, a lore fetch before they arrived)
    v2 = write_mbox(tmp / "v2.mbox", [message("[PATCH v2 0/2] x86/virt/seamldr: wrappers", "cover-v2@example.org",
                                              "Changes since v1: split in two.\n")])
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(RULES)
    return [str(v1), str(v2), "--matrix", str(tmp / "m.toml"), "--rules", str(tmp / "r.toml"), "--no-cache"]


@pytest.mark.parametrize("variant", ["v2", "v2:00"])
@pytest.mark.parametrize("allow", [[], ["--allow-inconclusive"]])
def test_the_gate_refuses_a_revision_the_input_holds_no_patch_of(tmp_path: Path, variant: str,
                                                                 allow: list[str]) -> None:
    # The gate judged v2 with none of its patches: every rule inconclusive or n/a, and with --allow-inconclusive
    # "v2: READY", exit 0, of code nobody sent; apply refused the same variant (nothing to apply, exit 2).
    r = CliRunner().invoke(app, ["gate", *_inputs(tmp_path), "--variant", variant, *allow])
    assert r.exit_code == 2, r.output
    assert "the input holds none of its 2 patches (not given: 1-2), only its cover letter" in r.output
    assert "READY" not in r.output and "Traceback" not in r.output


def test_the_gate_still_judges_a_revision_with_a_patch(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["gate", *_inputs(tmp_path), "--variant", "v1"])
    assert r.exit_code == 0 and "v1: READY" in r.output, r.output


def _cut_inputs(tmp: Path) -> list[str]:
    """v2's cover letter and its one patch, the patch's mail cut short inside its hunk (a truncated download)."""
    body = patch_body("x", diff(HELPER, None, RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")))
    cut = body[:body.index("\tu64 ret;")]
    mbox = write_mbox(tmp / "v2.mbox", [
        message("[PATCH v2 0/1] x86/virt/seamldr: wrappers", "cover-v2@example.org", "Changes since v1: none.\n"),
        message("[PATCH v2 1/1] x86/virt/seamldr: Add a wrapper", "p1-v2@example.org", cut,
                parent="cover-v2@example.org", refs=("cover-v2@example.org",))])
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(RULES)
    return [str(mbox), "--matrix", str(tmp / "m.toml"), "--rules", str(tmp / "r.toml"), "--no-cache"]


@pytest.mark.parametrize("variant", ["newest", "v2"])
def test_a_revision_whose_patch_was_not_read_names_the_mail_not_read(tmp_path: Path, variant: str) -> None:
    # The gate said "no variant 'newest'" (newest is documented as the newest revision mailed), and of v2 "none of
    # its 1 patches (not given: 1)", never naming the patch's mail it could not read (cut short inside its hunk):
    # the user was told to send a patch they had sent. eval printed that line; the gate printed nothing of it.
    r = CliRunner().invoke(app, ["gate", *_cut_inputs(tmp_path), "--variant", variant])
    assert r.exit_code == 2, r.output
    assert "no variant" not in r.output, r.output
    assert "v2: the input holds none of its 1 patches" in r.output, r.output
    assert "not read: " in r.output and "v2.mbox:" in r.output and "bad diff" in r.output, r.output
    assert "READY" not in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("command", ["eval", "apply"])
def test_eval_and_apply_name_the_mail_not_read_too(tmp_path: Path, command: str) -> None:
    # eval said "the input holds no patch (...): give the patches", its only line, and nothing of the cut mail.
    args = [*_cut_inputs(tmp_path)[:1], "--variant", "newest"]
    extra = ["--out", str(tmp_path / "o"), "--reject"] if command == "apply" else ["--no-cache"]
    r = CliRunner().invoke(app, [command, *args, *extra])
    assert r.exit_code == 2, r.output
    assert "no variant" not in r.output and "bad diff" in r.output and "v2.mbox:" in r.output, r.output

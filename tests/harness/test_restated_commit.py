"""A reply restating the commit it answers, unquoted (a tip-bot style "merged into" notice), asks nothing by it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox

# Patch 2's title made imperative, as kernel titles are: the words a reviewer asking for it would write.
TITLE = "x86/virt/tdx: Rename the SEAMCALL retry helper"
LOG = "The retry helper is the one SEAMCALL path every caller takes; name it after what it wraps."

# Written for this test in the shape of a tree bot's notice: a header block, then the commit as it was applied.
NOTICE = ("The following commit has been merged into the x86/tdx branch of tip:\n\n"
          "Commit-ID:     0123456789abcdef0123456789abcdef01234567\n"
          "Author:        Ann Author <ann@example.org>\n"
          "Committer:     Mae Maint <mae@example.org>\n\n"
          f"{TITLE}\n\n{LOG}\n\nSigned-off-by: Ann Author <ann@example.org>\n"
          "Signed-off-by: Mae Maint <mae@example.org>\n")
BOT = "tip-bot2 for Ann Author <tip-bot2@example.org>"


def _gate(tmp: Path, words: str, sender: str) -> tuple[int, list[str]]:
    """`seamharness gate --variant v2` of the series and one reply to patch 2: exit status, objections' Message-IDs."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch = msgs[2]
    patch.replace_header("Subject", f"[PATCH v2 2/3] {TITLE}")
    body = patch.get_content().split("\n", 1)[1]
    patch.set_content(f"{LOG}\n{body}")
    if "---\n" in words:  # the bot's copy of the diff: the patch's own
        words = words + patch.get_content().split("\n---\n", 1)[1]
    cover, pid = msgs[0]["Message-ID"].strip("<>"), patch["Message-ID"].strip("<>")
    reply = message(f"Re: {patch['Subject']}", "r1@example.org", words, sender=sender, parent=pid, refs=(cover, pid))
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, reply])
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp / "rules.toml"),
                                 "--json", str(tmp / "g.json")])
    return r.exit_code, [o["msgid"] for o in json.loads((tmp / "g.json").read_text())["objections"]]


@pytest.mark.parametrize("words", [NOTICE, f"{NOTICE}---\n"], ids=["notice", "notice-with-diff"])
def test_a_reply_restating_the_commit_it_answers_asks_nothing(tmp_path: Path, words: str) -> None:
    # Before: NOT READY, 'review point on v2 02/3 by tip-bot2 ...: "x86/virt/tdx: Rename the SEAMCALL retry helper"'.
    assert _gate(tmp_path, words, BOT) == (0, [])


@pytest.mark.parametrize("words", [
    f"> quoted\n\n{TITLE}",  # the title alone, unquoted: a restatement is two lines of the commit or more
    f"{TITLE}\n\n{LOG}\n\nPlease cap the retries at 8 here.\n",  # a request of their own beside a restatement
    "> quoted\n\nRename the SEAMCALL retry helper in a separate patch, please.\n",  # like the title, not it
])
def test_the_reviewers_own_request_beside_or_like_the_commit_still_stands(tmp_path: Path, words: str) -> None:
    assert _gate(tmp_path, words, MAE) == (1, ["r1@example.org"])


def test_a_reply_carrying_the_patchs_own_diff_makes_no_variant_of_it(tmp_path: Path) -> None:
    # Before: 'v2:02~tip-bot2-for-ann-author', a variant the same as v2:02, run and compared by eval for nothing.
    _gate(tmp_path, f"{NOTICE}---\n", BOT)
    r = CliRunner().invoke(app, ["series", str(tmp_path / "v2.mbox")])
    assert r.exit_code == 0 and "v2:02~" not in r.output, r.output
    assert "is v2 02/3's own diff" in " ".join(r.output.split()), r.output


def test_a_reply_diff_changing_the_patch_still_makes_its_variant(tmp_path: Path) -> None:
    _gate(tmp_path, f"{NOTICE}---\n", BOT)
    mbox = tmp_path / "v2.mbox"
    text = mbox.read_text()
    at = text.index("tip-bot2 for Ann Author")
    mbox.write_text(text[:at] + text[at:].replace("+#define SEAMLDR_RND_NO_ENTROPY\t0x80000",
                                                  "+#define SEAMLDR_RND_NO_ENTROPY\t0x80001", 1))
    r = CliRunner().invoke(app, ["series", str(mbox)])
    assert r.exit_code == 0 and "v2:02~tip-bot2" in r.output, r.output

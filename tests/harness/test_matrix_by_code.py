"""The bundled matrix is chosen by what a patch's code does (a SEAMCALL, a wrapper's retry loop), not by names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.seamcode import issues_seamcall, retries_a_call
from tests.gitoracle import git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (format-patch and am, the oracle) is missing")
runner = CliRunner()
HEADER = "arch/x86/virt/vmx/tdx/seamcall_internal.h"
# A retry helper under a name no [match] identifier lists, its loop written as sc_retry()'s is.
RETRY = """\
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SEAMCALL_INTERNAL_H
#define SEAMCALL_INTERNAL_H

static __always_inline u64 seamcall_retry(sc_func_t op, u64 fn,
						struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		err = op(fn, args);
	} while (err == TDX_RND_NO_ENTROPY && --left);

	return err;
}

#endif
"""
SAFE = RETRY.replace("\t\terr = op(fn, args);\n", "\t\tpreempt_disable();\n\t\terr = op(fn, args);\n"
                     "\t\tpreempt_enable();\n")


def _lone_patch(tmp: Path, before: str, after: str) -> Path:
    """The one patch changing ``before`` into ``after`` as git format-patch mails it (v4 5/5, sent alone), after
    checking that git am applies that mail onto ``before``."""
    repo = tmp / "repo"
    (repo / HEADER).parent.mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / HEADER).write_text(before)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    (repo / HEADER).write_text(after)
    git(repo, "commit", "-q", "-a", "-m", "x86/virt/tdx: Keep preemption off around each try")
    out = git(repo, "format-patch", "-1", "--subject-prefix=PATCH v4 5/5", "--stdout").stdout
    mail = tmp / "0005.patch"
    mail.write_bytes(out)
    git(repo, "checkout", "-q", "HEAD~1")
    git(repo, "am", "-q", str(mail))  # git am reads the mail as the change, onto the base
    assert (repo / HEADER).read_text() == after
    return mail


def test_a_lone_patch_to_a_renamed_retry_helper_gets_the_bundled_matrix(tmp_path: Path) -> None:
    # 'no matrix for this code: no patch defines or calls sc_retry*(), ...' (exit 2): the helper's name is not
    # sc_retry(), though its loop is sc_retry()'s.
    mail = _lone_patch(tmp_path, RETRY, SAFE)
    r = runner.invoke(app, ["eval", str(mail), "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "r.json").read_text())
    # Named as in seamharness's source, the same on every machine (it was this one's absolute path).
    assert doc["matrix"] == "series/p-seamldr/matrix.toml", doc["matrix"]


def test_a_retry_loop_of_another_call_and_a_message_naming_seamcall_get_none(tmp_path: Path) -> None:
    other = RETRY.replace("sc_func_t op, u64 fn,\n\t\t\t\t\t\tstruct tdx_module_args *args", "struct device *dev") \
        .replace("op(fn, args)", "i2c_read(dev)")
    mail = _lone_patch(tmp_path, other, other.replace("--left", "left-- > 0").replace("u64 err;", "u64 err = 0;"))
    r = runner.invoke(app, ["eval", str(mail), "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 2 and "in a .c or .h file, nor does a hunk of one issue a SEAMCALL or retry a call it is " \
        "handed on its status; pass --matrix FILE" in " ".join(r.output.split()), r.output
    assert issues_seamcall(['\tpr_err("SEAMCALL (0x%llx) failed: 0x%llx\\n", fn, err);']) is None
    assert issues_seamcall(['\tasm volatile("seamcall" : "+a"(rax) : : "memory");']) is not None
    assert issues_seamcall(["#define seamcall(fn, args)\tsc_call(__seamcall, (fn), (args))"]) == "names __seamcall()"


@pytest.mark.parametrize("loop", [
    "\tfor (;;) {\n\t\terr = op(fn, args);\n\t\tif (err != busy || !--left)\n\t\t\tbreak;\n\t}\n",
    "again:\n\terr = op(fn, args);\n\tif (busy == err && --left)\n\t\tgoto again;\n",
    "\terr = op(fn, args);\n\twhile (unlikely(err == busy) && left--)\n\t\terr = op(fn, args);\n",
])
def test_a_retry_loop_of_any_shape_of_the_call_handed_in_is_one(loop: str) -> None:
    head = "static u64 retry_it(sc_func_t op, u64 fn, struct tdx_module_args *args)"
    assert retries_a_call(head, loop.splitlines()) is not None
    assert retries_a_call(head.replace("sc_func_t op, ", ""), loop.splitlines()) is None  # op is no parameter


def test_a_lone_patch_below_a_label_says_what_the_mail_lacks(tmp_path: Path) -> None:
    # A goto-shaped retry loop whose change is below its column-0 label: git's default funcname writes the label,
    # 'again:', after the hunk's @@, so no line of the mail shows the function's head and its parameters. From
    # mail alone the exit stays 2, but the message said no hunk retries a call it is handed; it now says which hunk
    # does, and what is missing (with the tree, the function is read whole and the matrix chosen).
    goto = RETRY.replace("\tdo {\n\t\terr = op(fn, args);\n\t} while (err == TDX_RND_NO_ENTROPY && --left);\n",
                         "again:\n\tpreempt_disable();\n\terr = op(fn, args);\n\tpreempt_enable();\n"
                         "\tif (err == TDX_RND_NO_ENTROPY && left--)\n\t\tgoto again;\n")
    assert goto != RETRY
    mail = _lone_patch(tmp_path, goto, goto.replace("&& left--)", "&& --left)"))
    assert "@@ again:" in mail.read_text()  # git's own hunk head: the oracle of what the mail shows
    r = runner.invoke(app, ["eval", str(mail), "--json", str(tmp_path / "r.json")])
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and "nor does a hunk of one issue a SEAMCALL or retry a call it is handed on its status " \
        "(a hunk whose @@ line names the label 'again:', not its function (git's default funcname; a diff=cpp " \
        "attribute names the function), retries op() in a loop on its status (if (err == TDX_RND_NO_ENTROPY && " \
        "--left)): whether that is a call the function is handed, its head would show, and the mail does not hold " \
        "it: give --tree); pass --matrix FILE" in said, r.output
    r = runner.invoke(app, ["eval", str(mail), "--tree", str(tmp_path / "repo"), "--json", str(tmp_path / "t.json")])
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "t.json").read_text())["matrix"].endswith("series/p-seamldr/matrix.toml")

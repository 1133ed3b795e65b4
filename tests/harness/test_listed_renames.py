"""A source rule's listed names (not_referencing, no_new_calls) followed through renames, never passed unseen."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.renamegen import (
    CREATE,
    RENAME,
    prepared,
    rename_in_place,
    renamed,
    renamed_next_revision,
    two_candidates,
)
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

runner = CliRunner()
# The review: sc_retry_prerr() must not go through the retry helper. Every generated state's sc_retry_prerr() does.
RULES = "".join(f'[[rule]]\nid = "{rid}"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n[rule.check]\n'
                f'kind = "source"\nfunction = "sc_retry_prerr"\n{check}\n' for rid, check in (
                    ("not-referencing", 'not_referencing = ["sc_retry"]'),
                    ("no-new-calls", 'no_new_calls = ["sc_retry"]\nreference = "before:1"')))


def _gate(tmp: Path, msgs: list[EmailMessage], variant: str) -> tuple[int, dict[str, tuple[str, str]], str]:
    """`seamharness gate`'s exit status, each rule's verdict and note (its JSON), and its JUnit file."""
    (tmp / "rules.toml").write_text(RULES)
    mbox = write_mbox(tmp / "s.mbox", msgs)
    r = runner.invoke(app, ["gate", str(mbox), "--variant", variant, "--rules", str(tmp / "rules.toml"), "--json",
                            str(tmp / "g.json"), "--junit", str(tmp / "g.xml")])
    rules = json.loads((tmp / "g.json").read_text())["rules"]
    return r.exit_code, {x["id"]: (x["verdict"], x["note"]) for x in rules}, (tmp / "g.xml").read_text()


def _rewritten() -> list[EmailMessage]:
    """v4 with sc_retry(); v5 with seamcall_retry() in its place, a body too unlike it to be a rename."""
    base = helpers(RETRY_SAFE)
    new = renamed(base)
    start = new.index("static __always_inline u64 seamcall_retry(")
    old = new[start:new.index("\n}\n", start) + 3]
    new = new.replace(old, old.split("{", 1)[0] + "{\n\treturn sc_mark_dirty(op, fn, args);\n}\n")
    return (revision(4, [Step(CREATE, ((NEW_HOME, None, base),)), Step(PREPARE, ((NEW_HOME, base, prepared(base)),))])
            + revision(5, [Step(CREATE, ((NEW_HOME, None, new),)), Step(PREPARE, ((NEW_HOME, new, prepared(new)),))]))


@pytest.mark.parametrize(("msgs", "variant"), [(renamed_next_revision(), "v5"), (rename_in_place(), "v4")])
def test_a_listed_name_renamed_is_judged_under_its_new_name(tmp_path: Path, msgs: list[EmailMessage],
                                                             variant: str) -> None:
    # Before: both rules passed (exit 0): sc_retry_prerr() calls seamcall_retry(), and no code names sc_retry().
    code, verdicts, junit = _gate(tmp_path, msgs, variant)
    assert code == 1 and {v for v, _ in verdicts.values()} == {"fail"}, verdicts
    assert all(n.startswith("followed sc_retry -> seamcall_retry, renamed ") for _, n in verdicts.values()), verdicts
    assert 'failures="2"' in junit and "followed sc_retry -&gt; seamcall_retry" in junit


@pytest.mark.parametrize(("msgs", "said"), [
    (two_candidates(), "sc_retry, which the rule lists, is named nowhere in v4's code: sc_retry() may have become "
                       "seamcall_retry() (100% the same) or sc_retry_once() (98% the same)"),
    (_rewritten(), "sc_retry, which the rule lists, is named nowhere in v5's code, yet a patch of the input defines "
                   "it: renamed or removed, no rename of it is shown"),
])
def test_a_listed_name_gone_without_a_rename_followed_is_inconclusive(tmp_path: Path, msgs: list[EmailMessage],
                                                                      said: str) -> None:
    # Before: both passed on code naming sc_retry nowhere, whatever took its place.
    code, verdicts, junit = _gate(tmp_path, msgs, "v4" if said.endswith("same)") else "v5")
    assert code == 1 and {v for v, _ in verdicts.values()} == {"inconclusive"}, verdicts
    assert all(n.startswith(said) for _, n in verdicts.values()), verdicts
    assert "is named nowhere in" in junit


def test_a_listed_name_kept_or_a_kernel_name_absent_is_judged_as_before(tmp_path: Path) -> None:
    code, verdicts, _ = _gate(tmp_path, rename_in_place(), "v4:02")  # before the rename: the name as listed
    assert code == 1 and verdicts == {"not-referencing": ("fail", None), "no-new-calls": ("fail", None)}, verdicts
    (tmp_path / "k").mkdir()
    kernel = RULES.replace('"sc_retry"', '"rdrand_long"')  # a name no code of the input has: unused, not gone
    (tmp_path / "k" / "rules.toml").write_text(kernel)
    # Of the first revision: no earlier one can have defined it (v4 alone: harness.listednames._unseen_history).
    first = rename_in_place()
    for m in first:
        m.replace_header("Subject", m["Subject"].replace("[PATCH v4 ", "[PATCH "))
    r = runner.invoke(app, ["gate", str(write_mbox(tmp_path / "k" / "s.mbox", first)), "--variant", "v1",
                            "--rules", str(tmp_path / "k" / "rules.toml")])
    assert r.exit_code == 0, r.stdout


def _added_later_gate(tmp: Path, listed: str, variant: str) -> tuple[int, dict[str, tuple[str, str]]]:
    """v1: create the header, rename sc_retry(), then the Prepare patch (a new constant); a rule listing ``listed``."""
    base = helpers(RETRY_SAFE)
    msgs = revision(1, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step(RENAME, ((NEW_HOME, base, renamed(base)),)),
                        Step(PREPARE, ((NEW_HOME, renamed(base), prepared(renamed(base))),))])
    rules = (f'[[rule]]\nid = "listed"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n[rule.check]\n'
             f'kind = "source"\nfunction = "sc_retry_prerr"\nnot_referencing = ["{listed}"]\n')
    (tmp / "rules.toml").write_text(rules)
    r = runner.invoke(app, ["gate", str(write_mbox(tmp / "s.mbox", msgs)), "--variant", variant,
                            "--rules", str(tmp / "rules.toml"), "--json", str(tmp / "g.json")])
    return r.exit_code, {x["id"]: (x["verdict"], x["note"]) for x in json.loads((tmp / "g.json").read_text())["rules"]}


@pytest.mark.parametrize("variant", ["v1:01", "v1:02"])
def test_a_listed_name_a_later_patch_adds_anew_is_simply_unused_before_it(tmp_path: Path, variant: str) -> None:
    # Before: inconclusive on every state before 03/3, "yet a patch of the input defines it: renamed or removed",
    # though the constant 03/3 adds (removing nothing) is not there yet under any name (a 02/3 renaming another
    # helper on the way does not change that).
    code, verdicts = _added_later_gate(tmp_path, "SEAMLDR_RND_NO_ENTROPY", variant)
    assert code == 0 and verdicts["listed"][0] == "pass", verdicts


def test_a_listed_name_a_later_patch_renames_into_stays_inconclusive_before_it(tmp_path: Path) -> None:
    # 02/3 renames sc_retry() to seamcall_retry(): v1:01's sc_retry() is the helper the rule names by its later name.
    # Before: pass, on code calling it as sc_retry(): the rename's hunk shows seamcall_retry()'s first line alone,
    # which the input's definitions (read from whole definitions in hunks) missed.
    code, verdicts = _added_later_gate(tmp_path, "seamcall_retry", "v1:01")
    assert code == 1 and verdicts["listed"][0] == "inconclusive", verdicts
    assert "yet a patch of the input defines it" in verdicts["listed"][1], verdicts


def _renamed_behind_a_macro() -> list[EmailMessage]:
    """v4: create the header, then rename sc_retry() to __seamcall_retry() behind '#define seamcall_retry(op, fn,
    args) __seamcall_retry((op), (fn), (args))', which its callers now call."""
    base = helpers(RETRY_SAFE)
    new = renamed(base).replace("static __always_inline u64 seamcall_retry(", "static __always_inline u64 "
                                "__seamcall_retry(")
    end = new.index("\n}\n", new.index("__seamcall_retry(")) + 3
    alias = "\n#define seamcall_retry(op, fn, args)\t__seamcall_retry((op), (fn), (args))\n"
    return revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step(RENAME, ((NEW_HOME, base, new[:end] + alias + new[end:]),))])


def test_a_rename_whose_callers_call_a_macro_naming_the_new_helper_is_followed(tmp_path: Path) -> None:
    # Before: inconclusive, "sc_retry() is not in the code the entry points reach ... renamed or removed?": its
    # callers call seamcall_retry(), the macro, not __seamcall_retry() itself, so the rename was not decided.
    code, verdicts, _ = _gate(tmp_path, _renamed_behind_a_macro(), "v4")
    assert code == 1 and {v for v, _ in verdicts.values()} == {"fail"}, verdicts
    followed = "followed sc_retry -> __seamcall_retry, renamed in v4 02/2"
    assert all(n.startswith(followed) for _, n in verdicts.values()), verdicts

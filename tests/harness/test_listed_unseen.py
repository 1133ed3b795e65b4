"""A listed name no code of the input has, with the revisions before the judged one not given: inconclusive."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.renamegen import CREATE, prepared, renamed, renamed_next_revision
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_SAFE, Step, helpers, revision
from tests.harness.test_listed_renames import RULES
from tests.mailgen import write_mbox

runner = CliRunner()
Said = tuple[str, str]  # a rule's verdict and note


def _v5_only() -> list[EmailMessage]:
    """v5 of renamed_next_revision alone: seamcall_retry() from its first patch on; v4, which had sc_retry(), not
    given."""
    new = renamed(helpers(RETRY_SAFE))
    return revision(5, [Step(CREATE, ((NEW_HOME, None, new),)), Step(PREPARE, ((NEW_HOME, new, prepared(new)),))])


def _gate(tmp: Path, msgs: list[EmailMessage], variant: str, rules: str = RULES) -> tuple[int, dict[str, Said]]:
    (tmp / "rules.toml").write_text(rules)
    r = runner.invoke(app, ["gate", str(write_mbox(tmp / "s.mbox", msgs)), "--variant", variant, "--rules",
                            str(tmp / "rules.toml"), "--json", str(tmp / "g.json")])
    rules_out = json.loads((tmp / "g.json").read_text())["rules"]
    return r.exit_code, {x["id"]: (x["verdict"], x["note"]) for x in rules_out}


def test_a_listed_name_the_new_revision_alone_does_not_have_is_inconclusive(tmp_path: Path) -> None:
    # Before: both rules passed (exit 0): sc_retry_prerr() calls seamcall_retry(), v4's sc_retry() renamed, and with
    # v4 not given nothing showed sc_retry was ever the series' helper.
    code, verdicts = _gate(tmp_path, _v5_only(), "v5")
    assert code == 1 and {v for v, _ in verdicts.values()} == {"inconclusive"}, verdicts
    said = ("sc_retry, which the rule lists, is named nowhere in v5's code, and no patch of the input defines it; the "
            "input has no v1, v2, v3, v4, where it may have been defined and renamed since, so whether the code uses "
            "it under another name is not known (give v1, v2, v3, v4's mail or --tree)")
    assert all(n.startswith(said) for _, n in verdicts.values()), verdicts


def test_with_the_earlier_revision_given_the_rename_is_followed(tmp_path: Path) -> None:
    code, verdicts = _gate(tmp_path, renamed_next_revision(), "v5")
    assert code == 1 and {v for v, _ in verdicts.values()} == {"fail"}, verdicts


@pytest.mark.parametrize("name", ["likely", "cpu_relax", "might_sleep"])
def test_a_name_the_mirror_knows_as_the_kernels_is_simply_unused(tmp_path: Path, name: str) -> None:
    code, verdicts = _gate(tmp_path, _v5_only(), "v5", RULES.replace('"sc_retry"', f'"{name}"'))
    assert code == 0 and {v for v, _ in verdicts.values()} == {"pass"}, verdicts


def test_of_the_first_revision_nothing_earlier_can_have_defined_it(tmp_path: Path) -> None:
    msgs = _v5_only()
    for m in msgs:
        m.replace_header("Subject", m["Subject"].replace("[PATCH v5 ", "[PATCH "))
    code, verdicts = _gate(tmp_path, msgs, "v1")
    assert code == 0 and {v for v, _ in verdicts.values()} == {"pass"}, verdicts


@pytest.mark.parametrize(("tree", "known"), [
    ({"include/linux/retry.h": "/* sc_retry() retries */\nint sc_retry(int x);\n"}, True),
    ({"include/linux/retry.h": "/* sc_retry() retries */\n"}, False),  # a comment names no kernel function
    ({"README": "no C here\n"}, False),
])
def test_with_tree_a_listed_name_is_decided_at_the_base_commit(tmp_path: Path, tree: dict[str, str],
                                                                known: bool) -> None:
    # 'give v1, v2, v3, v4's mail or --tree', and with --tree it was inconclusive still: the checks read only the
    # files the variant reads, not the tree. Now one git grep at the base commit decides: a name the tree's code has
    # is the kernel's, simply unused by v5; one it has nowhere is said so, the earlier revisions' mail the only fix.
    from tests.gitoracle import init_repo

    repo = init_repo(tmp_path / "repo", tree)
    (tmp_path / "rules.toml").write_text(RULES)
    r = runner.invoke(app, ["gate", str(write_mbox(tmp_path / "s.mbox", _v5_only())), "--variant", "v5", "--rules",
                            str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json"), "--tree", str(repo),
                            "--base", "HEAD"])
    verdicts = {x["id"]: (x["verdict"], x["note"]) for x in json.loads((tmp_path / "g.json").read_text())["rules"]}
    if known:
        assert r.exit_code == 0 and {v for v, _ in verdicts.values()} == {"pass"}, verdicts
        return
    assert r.exit_code == 1 and {v for v, _ in verdicts.values()} == {"inconclusive"}, verdicts
    said = ("the tree at its base commit names it nowhere either (git grep): no such name there, and no patch of the "
            "input defines it; the input has no v1, v2, v3, v4, where it may have been defined and renamed since, so "
            "whether the code uses it under another name is not known (give v1, v2, v3, v4's mail)")
    assert all(said in n for _, n in verdicts.values()), verdicts


def test_the_tree_is_searched_at_the_base_commit_once_per_name(tmp_path: Path) -> None:
    # sc_retry() is added to the tree after the base: at the base no code names it (git grep at that commit, not
    # the work tree's HEAD); each name is searched once per commit.
    from harness.gitbase import TreeBase, TreeReader
    from tests.gitoracle import git, init_repo

    repo = init_repo(tmp_path / "repo", {"README": "no C here\n"})
    (repo / "retry.h").write_text("int sc_retry(int x);\n")
    git(repo, "add", "retry.h")
    git(repo, "commit", "-q", "-m", "later")
    (tmp_path / "rules.toml").write_text(RULES)
    runner.invoke(app, ["gate", str(write_mbox(tmp_path / "s.mbox", _v5_only())), "--variant", "v5", "--rules",
                        str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json"), "--tree", str(repo),
                        "--base", "HEAD~1"])
    notes = [x["note"] for x in json.loads((tmp_path / "g.json").read_text())["rules"]]
    assert all("names it nowhere either (git grep)" in n for n in notes), notes
    _, reader = TreeBase(repo, "HEAD").reader()
    assert isinstance(reader, TreeReader) and reader.names("sc_retry") is True and reader.names("sc_retri") is False
    calls: list[str] = []
    counted = TreeReader(lambda _p: None, lambda _w, _f: [], lambda w: calls.append(w) is None)
    assert counted.names("x") and counted.names("x") and calls == ["x"]


def test_two_revisions_on_one_base_commit_search_the_tree_once(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Each revision has its own base reader (harness.apply.revision_base), and each reader searched for itself: v4
    # and v5 on the same commit ran git grep twice for one name. Now once per commit and name.
    from types import SimpleNamespace
    from typing import cast

    import harness.gitbase
    from harness.ingest import IngestRequest, parse_series
    from harness.treenames import tree_names
    from harness.variants import Variant
    from tests.gitoracle import init_repo

    v4 = _v5_only()
    for m in v4:
        for h in ("Subject", "Message-ID", "In-Reply-To", "References"):
            if m[h] is not None:
                m.replace_header(h, m[h].replace("v5", "v4"))
    series = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", [*v4, *_v5_only()]),)))
    assert sorted(r.version for r in series.revisions) == [4, 5]
    repo = init_repo(tmp_path / "repo", {"retry.h": "int sc_retry(int x);\n"})
    calls: list[str] = []
    real = harness.gitbase._names
    monkeypatch.setattr(harness.gitbase, "_names", lambda r, c, w: calls.append(w) or real(r, c, w))
    search = tree_names(repo, "HEAD", series)
    said = [search(cast(Variant, SimpleNamespace(revision=n)), word) for n in (4, 5) for word in ("sc_retry", "nope")]
    assert said == [True, False, True, False] and calls == ["sc_retry", "nope"], (said, calls)


_PERCPU_C = "drivers/demo/percpu_demo.c"
_PERCPU_V1 = """\
// demo
static u64 demo_again(u64 fn, struct tdx_module_args *args)
{
	int left = 3;
	u64 ret;

	do {
		ret = __seamcall(fn, args);
	} while (ret == 0x8000020300000000ULL && --left);

	return ret;
}
"""
_PERCPU_V2 = _PERCPU_V1.replace("// demo\n", "// demo\nstatic DEFINE_PER_CPU(unsigned int, demo_hits);\n").replace(
    "\t\tret = __seamcall(fn, args);\n", "\t\tret = __seamcall(fn, args);\n\t\tthis_cpu_inc(demo_hits);\n")
_PERCPU_RULES = """\
[[rule]]
id = "no-hit-count"
reviewer = "seamharness"
summary = "The retry loop keeps no per-CPU count"
severity = "error"
[rule.check]
kind = "source"
function = "demo_again"
not_referencing = ["demo_hits"]
"""


@pytest.mark.parametrize("definer", ["DEFINE_PER_CPU(unsigned int, demo_hits)", "DEFINE_SPINLOCK(demo_hits)"])
def test_a_name_a_later_patch_defines_through_a_kernel_macro_is_not_in_the_code_before_it(tmp_path: Path,
                                                                                         definer: str) -> None:
    # v3 1/2 creates the file, 2/2 adds 'static DEFINE_PER_CPU(unsigned int, demo_hits);' and uses it; v1 and v2 are
    # not given. On v3:01 the rule was inconclusive, saying 'no patch of the input defines it' of a name 2/2 defines
    # (the macro's invocation was read as no definition), and that an earlier revision may have renamed it; 2/2 adds
    # it anew, so v3:01's code cannot use it under any name, and the rule is judged.
    from tests.mailgen import diff, message, patch_body

    new = _PERCPU_V2.replace("DEFINE_PER_CPU(unsigned int, demo_hits)", definer)
    cover = "c3@example.org"
    msgs = [message("[PATCH v3 0/2] demo: count hits", cover, "Cover.\n")]
    for n, (old, text, title) in enumerate([(None, _PERCPU_V1, "demo: add the retry"),
                                            (_PERCPU_V1, new, "demo: count hits")], start=1):
        msgs.append(message(f"[PATCH v3 {n}/2] {title}", f"p{n}-v3@example.org",
                            patch_body(f"Step {n}.", diff(_PERCPU_C, old, text)), parent=cover, refs=(cover,)))
    code, verdicts = _gate(tmp_path, msgs, "v3:01", _PERCPU_RULES)
    verdict, note = verdicts["no-hit-count"]
    assert "no patch of the input defines it" not in (note or ""), note
    assert (code, verdict) == (0, "pass"), verdicts
    code, verdicts = _gate(tmp_path, msgs, "v3", _PERCPU_RULES)
    assert (code, verdicts["no-hit-count"][0]) == (1, "fail"), verdicts


def _two_patches_and_a_reply(patch: int, words: str, reply_diff: str) -> list[EmailMessage]:
    """v3 of two patches (the retry, then the per-CPU hit count) and Rita's reply to patch ``patch`` (1 or 2) with
    ``words`` above ``reply_diff``."""
    from tests.mailgen import diff, message, patch_body

    cover = "c3@example.org"
    msgs = [message("[PATCH v3 0/2] demo: count hits", cover, "Cover.\n")]
    titles = ["demo: add the retry", "demo: count hits"]
    for n, (old, text) in enumerate([(None, _PERCPU_V1), (_PERCPU_V1, _PERCPU_V2)], start=1):
        msgs.append(message(f"[PATCH v3 {n}/2] {titles[n - 1]}", f"p{n}-v3@example.org",
                            patch_body(f"Step {n}.", diff(_PERCPU_C, old, text)), parent=cover, refs=(cover,)))
    msgs.append(message(f"Re: [PATCH v3 {patch}/2] {titles[patch - 1]}", f"r{patch}@example.org",
                        f"{words}:\n\n{reply_diff}", sender="Rita Reviewer <rita@example.org>",
                        parent=f"p{patch}-v3@example.org", refs=(cover, f"p{patch}-v3@example.org")))
    return msgs


def test_a_reply_variant_before_the_patch_adding_a_listed_name_is_judged_as_that_state(tmp_path: Path) -> None:
    # A reviewer's diff on v3 01/2 (v3:01+rita-reviewer) holds no later patch of v3, so the per-CPU name 2/2 adds anew
    # is not in its code under any name, as on v3:01; the rule was INCONCLUSIVE there ('a patch of the input defines
    # it: renamed or removed, no rename of it is shown').
    from tests.mailgen import diff

    tweak = diff(_PERCPU_C, _PERCPU_V1, _PERCPU_V1.replace("int left = 3;", "int left = 4;"))
    msgs = _two_patches_and_a_reply(1, "Try", tweak)
    code, verdicts = _gate(tmp_path, msgs, "v3:01+rita-reviewer", _PERCPU_RULES)
    verdict, _note = verdicts["no-hit-count"]
    assert (code, verdict) == (0, "pass"), verdicts


def test_a_reply_diff_in_place_of_the_patch_adding_the_name_is_not_judged_as_the_state_before(tmp_path: Path) -> None:
    # A diff in place of 2/2 (v3:02~rita-reviewer) may add what 2/2 adds under another name: not 'added later'.
    from tests.mailgen import diff

    other = diff(_PERCPU_C, _PERCPU_V1, _PERCPU_V2.replace("demo_hits", "demo_busy_seen"))
    msgs = _two_patches_and_a_reply(2, "Rather", other)
    code, verdicts = _gate(tmp_path, msgs, "v3:02~rita-reviewer", _PERCPU_RULES)
    assert (code, verdicts["no-hit-count"][0]) == (1, "inconclusive"), verdicts

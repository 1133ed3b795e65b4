"""A reply writing a '+' line unquoted in place of one of the quoted patch's lines is read as the reviewer's patch."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from harness.model import ProposalKind, Series
from tests.mailgen import HELPER_PATH, demo_series, message, write_mbox

WAS, NOW = "+\tint tries = 5;", "+\tint tries = 7;"


def _reply(msgs: list[EmailMessage], edit: dict[str, list[str]], tail: str = "\nSeven, rather.\n") -> EmailMessage:
    """Rae's reply to v2 3/3 quoting it whole ("> " before each line), each line that is a key of ``edit`` written as
    its lines instead, unquoted."""
    quoted = []
    for line in msgs[3].get_content().split("\n"):
        quoted += edit.get(line, [f"> {line}" if line else ">"])
    return message("Re: [PATCH v2 3/3] demo: try five times", "r3@example.org",
                   "On Mon, Ann Author wrote:\n" + "\n".join(quoted) + tail, sender="Rae Viewer <rae@example.org>",
                   parent="p3-v2@example.org", refs=("cover-v2@example.org", "p3-v2@example.org"))


def _read(tmp_path: Path, reply: EmailMessage) -> tuple[Path, Series]:
    path = write_mbox(tmp_path / "s.mbox", [*demo_series(), reply])
    return path, parse_series(IngestRequest((path,)))


def _git_result(tmp_path: Path, msgs: list[EmailMessage], reviewers: str) -> bytes:
    """The helper as git makes it: git am of v2 1/3 and 2/3, then git apply of 3/3's mail as the reviewer would have
    it (``reviewers``: its body), its hunk's counts as git apply --recount reads them."""
    from tests.gitoracle import am, git, init_repo

    repo = init_repo(tmp_path / "git")
    mails = [write_mbox(tmp_path / f"{k}.mbox", [m]) for k, m in enumerate(msgs[1:3], start=1)]
    _, err = am(repo, mails)
    assert not err
    (tmp_path / "reviewers.patch").write_text(reviewers.split("\n-- \n")[0] + "\n")  # --recount reads no signature
    git(repo, "apply", "--recount", str(tmp_path / "reviewers.patch"))  # a line added: git counts the hunk anew
    return (repo / HELPER_PATH).read_bytes()


MORE = "+\tu64 seen = 0;"


@pytest.mark.parametrize("how", ["in-place", "below", "twice"])
def test_a_plus_line_written_unquoted_in_a_quoted_hunk_is_the_reviewers_patch(tmp_path: Path, how: str) -> None:
    # The quoted '+' line replaced by the reviewer's (in-place), the reviewer's
    # written below it (below), or both that and another line added further down (twice): a proposal in v2 3/3's
    # place whose helper is git's (git am of 1/3, 2/3, then git apply of 3/3 as the reviewer shows it), with a note.
    # It was a snippet, no variant ("it has no diff lines ... for git apply to apply").
    if shutil.which("git") is None:
        pytest.skip("git is not installed (the oracle)")
    msgs = demo_series()
    edit = {WAS: [NOW]} if how == "in-place" else {WAS: [f"> {WAS}", NOW]}
    if how == "twice":
        edit = {WAS: [NOW], " \tu64 ret;": [">  \tu64 ret;", MORE]}
    path, s = _read(tmp_path, _reply(msgs, edit))
    p3 = s.revision(2).patch(3)  # type: ignore[union-attr]
    assert p3 is not None
    [reply] = p3.replies
    assert [p.kind for p in reply.proposals] == [ProposalKind.DIFF]
    [note] = [n for n in s.notes if n.where.msgid == "r3@example.org"]
    assert note.reason.startswith(f"'+' line{'s' if how == 'twice' else ''} written unquoted inside the quoted hunk of "
                                  "v2 patch 03/3 in the reply of Rae Viewer <r3@example.org> (line")
    assert "read as the reviewer's edit" in note.reason
    assert note.reason.endswith("put between them" if how == "below" else "1 line of it between them replaced")
    body = msgs[3].get_content()
    reviewers = body.replace(WAS, NOW) if how != "below" else body.replace(WAS, f"{WAS}\n{NOW}")
    if how == "twice":
        reviewers = reviewers.replace(" \tu64 ret;", f" \tu64 ret;\n{MORE}")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["apply", str(path), "--variant", "v2:03~rae-viewer", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / HELPER_PATH).read_bytes() == _git_result(tmp_path, msgs, reviewers)


def test_a_quote_that_is_not_the_patchs_is_said_and_stays_a_snippet(tmp_path: Path) -> None:
    # The quoted hunk edited too (its '-' line is not the patch's): no proposal made of it, a note saying why.
    msgs = demo_series()
    _, s = _read(tmp_path, _reply(msgs, {WAS: [NOW], "-\tint tries = 3;": ["> -\tint tries = 4;"]}))
    [reply] = s.revision(2).patch(3).replies  # type: ignore[union-attr]
    assert [p.kind for p in reply.proposals] == [ProposalKind.SNIPPET]
    [note] = [n for n in s.notes if n.where.msgid == "r3@example.org" and "unquoted" in n.reason]
    assert note.reason.endswith("not read as an edit of the patch: the quoted hunk from its header '@@ -6,7 +6,7 @@' "
                                "down to the lines is not 03/3's as the mail has it")


@pytest.mark.parametrize("where", ["after-the-quote", "in-prose"])
def test_a_plus_line_outside_a_quoted_hunk_is_no_edit(tmp_path: Path, where: str) -> None:
    # Below the whole quote, or among quoted prose (the commit message): a snippet as before, no note of an edit.
    msgs = demo_series()
    edit = {} if where == "after-the-quote" else {"Change number 3.": ["> Change number 3.", NOW]}
    _, s = _read(tmp_path, _reply(msgs, edit, tail=f"\n{NOW}\n" if where == "after-the-quote" else "\nOk.\n"))
    [reply] = s.revision(2).patch(3).replies  # type: ignore[union-attr]
    assert [p.kind for p in reply.proposals] == [ProposalKind.SNIPPET]
    assert not [n for n in s.notes if "unquoted inside" in n.reason]


def _bare_reply(msgs: list[EmailMessage], edit: dict[str, list[str]], mark: str) -> EmailMessage:
    """Rae's reply quoting v2 3/3 with ``mark`` right before each line, no space after it (``>+\tint``, ``> \tu64``
    for a context line, ``>`` alone for a blank one), each key of ``edit`` written as its lines instead."""
    quoted = []
    for line in msgs[3].get_content().split("\n"):
        quoted += edit.get(line, [f"{mark}{line}"])
    return message("Re: [PATCH v2 3/3] demo: try five times", "r3@example.org",
                   "On Mon, Ann Author wrote:\n" + "\n".join(quoted) + "\n\nSeven, rather.\n",
                   sender="Rae Viewer <rae@example.org>", parent="p3-v2@example.org",
                   refs=("cover-v2@example.org", "p3-v2@example.org"))


@pytest.mark.parametrize("how", ["in-place", "twice"])
def test_a_quote_with_no_space_after_its_mark_is_read_as_the_patch(tmp_path: Path, how: str) -> None:
    # '>' right before each quoted line (a context line's space is then the one QUOTE strips): the edit was a snippet
    # with no note at all (the context lines, marks lost, were not read as the hunk's); now the reviewer's patch,
    # byte-equal to git's.
    if shutil.which("git") is None:
        pytest.skip("git is not installed (the oracle)")
    msgs = demo_series()
    edit = {WAS: [NOW]} if how == "in-place" else {WAS: [NOW], " \tu64 ret;": ["> \tu64 ret;", MORE]}
    path, s = _read(tmp_path, _bare_reply(msgs, edit, ">"))
    [reply] = s.revision(2).patch(3).replies  # type: ignore[union-attr]
    assert [p.kind for p in reply.proposals] == [ProposalKind.DIFF]
    [note] = [n for n in s.notes if n.where.msgid == "r3@example.org" and "unquoted" in n.reason]
    assert note.reason.endswith("1 line of it between them replaced")
    body = msgs[3].get_content()
    reviewers = body.replace(WAS, NOW)
    if how == "twice":
        reviewers = reviewers.replace(" \tu64 ret;", f" \tu64 ret;\n{MORE}")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["apply", str(path), "--variant", "v2:03~rae-viewer", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / HELPER_PATH).read_bytes() == _git_result(tmp_path, msgs, reviewers)


@pytest.mark.parametrize("mark", [">> ", ">>", "> > "])
def test_an_edit_in_a_patch_quoted_twice_deep_is_the_repliers_patch(tmp_path: Path, mark: str) -> None:
    # A reply to Rae's reply: the patch quoted at depth 2 (Thunderbird '>> ', bare '>>', Gmail and mutt '> > '), Rae's
    # word at depth 1, Sam's '+' line unquoted in the hunk: Sam's patch, git's helper. It was a snippet (depth 1 only).
    if shutil.which("git") is None:
        pytest.skip("git is not installed (the oracle)")
    msgs = demo_series()
    rae = _reply(msgs, {}, tail="\nWhy five?\n")
    quoted = [f"{mark}{line}" if line else mark.rstrip() for line in msgs[3].get_content().split("\n")]
    quoted = [NOW if t == f"{mark}{WAS}" else t for t in quoted]
    sam = message("Re: [PATCH v2 3/3] demo: try five times", "r4@example.org",
                  "On Tue, Rae Viewer wrote:\n> On Mon, Ann Author wrote:\n" + "\n".join(quoted) +
                  "\n>\n> Why five?\n\nSeven, rather.\n", sender="Sam Second <sam@example.org>",
                  parent="r3@example.org", refs=("cover-v2@example.org", "p3-v2@example.org", "r3@example.org"))
    path = write_mbox(tmp_path / "s.mbox", [*demo_series(), rae, sam])
    s = parse_series(IngestRequest((path,)))
    [note] = [n for n in s.notes if n.where.msgid == "r4@example.org" and "unquoted" in n.reason]
    assert "read as the reviewer's edit" in note.reason, note.reason
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["apply", str(path), "--variant", "v2:03~sam-second", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / HELPER_PATH).read_bytes() == _git_result(tmp_path, msgs, msgs[3].get_content().replace(WAS, NOW))


def _git_refuses(tmp_path: Path, msgs: list[EmailMessage], reviewers: str) -> str:
    """git apply --recount's error for 3/3 as the reviewer shows it, on git am of v2 1/3 and 2/3 ("" if it applies)."""
    from tests.gitoracle import am, git, init_repo

    repo = init_repo(tmp_path / "git")
    _, err = am(repo, [write_mbox(tmp_path / f"{k}.mbox", [m]) for k, m in enumerate(msgs[1:3], start=1)])
    assert not err
    (tmp_path / "reviewers.patch").write_text(reviewers.split("\n-- \n")[0] + "\n")
    r = git(repo, "apply", "--recount", str(tmp_path / "reviewers.patch"), check=False)
    return "" if r.returncode == 0 else r.stderr.decode()


def test_a_context_line_written_unquoted_as_a_minus_line_is_the_reviewers_patch(tmp_path: Path) -> None:
    # The reviewer shows a line the patch keeps as one to remove ('-\tu64 ret;' in place of '>  \tu64 ret;'): their
    # patch, git's helper (was a snippet, no note).
    if shutil.which("git") is None:
        pytest.skip("git is not installed (the oracle)")
    msgs = demo_series()
    path, s = _read(tmp_path, _reply(msgs, {" \tu64 ret;": ["-\tu64 ret;"]}))
    [reply] = s.revision(2).patch(3).replies  # type: ignore[union-attr]
    assert [p.kind for p in reply.proposals] == [ProposalKind.DIFF]
    [note] = [n for n in s.notes if n.where.msgid == "r3@example.org"]
    assert note.reason.startswith("'-' line written unquoted inside the quoted hunk of v2 patch 03/3")
    assert note.reason.endswith("1 line of it between them replaced")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["apply", str(path), "--variant", "v2:03~rae-viewer", "--out", str(out)])
    assert r.exit_code == 0, r.output
    reviewers = msgs[3].get_content().replace(" \tu64 ret;", "-\tu64 ret;")
    assert (out / HELPER_PATH).read_bytes() == _git_result(tmp_path, msgs, reviewers)


@pytest.mark.parametrize("how", ["turned", "same", "same-plus"])
def test_an_unquoted_line_git_cannot_apply_or_that_changes_nothing_is_said_not_proposed(tmp_path: Path, how: str
                                                                                      ) -> None:
    # 'turned': the patch's '+' line written unquoted with '-' (a reviewer showing the line to drop): as written, git
    # apply refuses it (the oracle says so), so no proposal, a note why (before: a snippet, no note; read as the '+'
    # lines are, it would be a proposal no tree applies). 'same': the quoted '-' line written unquoted as it is (before:
    # a snippet, no note), 'same-plus': the '+' line so (before: a proposal equal to the patch): no change, a note.
    msgs = demo_series()
    edit = {WAS: ["-\tint tries = 5;"]} if how == "turned" else {"-\tint tries = 3;": ["-\tint tries = 3;"]}
    if how == "same-plus":
        edit = {WAS: [WAS]}
    _, s = _read(tmp_path, _reply(msgs, edit))
    [reply] = s.revision(2).patch(3).replies  # type: ignore[union-attr]
    assert [p.kind for p in reply.proposals] == [ProposalKind.SNIPPET]
    [note] = [n for n in s.notes if n.where.msgid == "r3@example.org"]
    assert "not read as an edit of the patch: " in note.reason
    if how != "turned":
        assert note.reason.endswith("its lines are the patch's own there (no change to propose)")
        return
    assert "is the patch's added line marked '-'" in note.reason and "git apply refuses" in note.reason
    if shutil.which("git") is not None:
        assert "patch does not apply" in _git_refuses(tmp_path, msgs, msgs[3].get_content().replace(WAS, edit[WAS][0]))


@pytest.mark.parametrize("gone", [[WAS], ["-\tint tries = 3;"], [" \tu64 ret;"]])
def test_a_quoted_hunk_leaving_out_a_plus_line_is_said_not_proposed(tmp_path: Path, gone: list[str]) -> None:
    # The reviewer deletes the quoted '+' line they would drop, the lines around it quoted: a note (a trimmed quote
    # looks the same), no proposal; git apply --recount takes the patch without it (the oracle). It was said nowhere.
    # A '-' or context line left out: no note (the quote is not the patch's hunk with a line it adds left out).
    msgs = demo_series()
    _, s = _read(tmp_path, _reply(msgs, {t: [] for t in gone}, tail="\nDrop the new line?\n"))
    [reply] = s.revision(2).patch(3).replies  # type: ignore[union-attr]
    assert not reply.proposals
    notes = [n for n in s.notes if n.where.msgid == "r3@example.org"]
    if gone != [WAS]:
        assert not notes
        return
    [note] = notes
    assert note.reason == ("the quoted hunk '@@ -6,7 +6,7 @@' of v2 patch 03/3 in the reply of Rae Viewer "
                           "<r3@example.org> leaves out its line '+\\tint tries = 5;', the lines around it quoted as "
                           "the patch has them: not read as the reviewer's patch without it (a quote trimmed looks the "
                           "same), though git apply would take that patch")
    body = "\n".join(t for t in msgs[3].get_content().split("\n") if t != WAS)
    if shutil.which("git") is not None:
        assert _git_refuses(tmp_path, msgs, body) == ""


def test_a_removed_and_added_pair_written_unquoted_gives_gits_helper(tmp_path: Path) -> None:
    # The quoted '-'/'+' pair written unquoted with the reviewer's '+' line: read as the reply's bare hunk (replydiffs,
    # not quotededit: no note of an edit), whose variant's helper is git's all the same (git apply --recount of 3/3 as
    # the reviewer has it).
    if shutil.which("git") is None:
        pytest.skip("git is not installed (the oracle)")
    msgs = demo_series()
    path, s = _read(tmp_path, _reply(msgs, {"-\tint tries = 3;": ["-\tint tries = 3;"], WAS: [NOW]}))
    [reply] = s.revision(2).patch(3).replies  # type: ignore[union-attr]
    assert [p.kind for p in reply.proposals] == [ProposalKind.HUNK]
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["apply", str(path), "--variant", "v2:03~rae-viewer", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / HELPER_PATH).read_bytes() == _git_result(tmp_path, msgs, msgs[3].get_content().replace(WAS, NOW))

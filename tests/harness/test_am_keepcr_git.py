"""``am.keepcr`` as git am in the --tree reads it (the tree's config, the global one): set, git am runs mailsplit with
--keep-cr and the CR before each line end stays in the mail it applies; seamharness reads the mail so when it applies
it to that tree. git am in a clone of the tree is the oracle, with and without the setting, on mail whose hunk lines
carry CRs (an author's CR LF file) and on mail saved with CR LF line ends throughout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle

BASE = {"lf.c": "int one;\nint two;\nint three;\n", "crlf.c": "int a;\r\nint b;\r\nint c;\r\n"}


def _author(tmp: Path) -> tuple[Path, str, Path]:
    """The author's repository, its base, and format-patch's mail of one commit changing both files."""
    repo = init_repo(tmp / "author", BASE)
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    for name, text in BASE.items():
        (repo / name).write_bytes(text.replace("two", "TWO").replace("int b", "int B").encode())
    git(repo, "commit", "-q", "-am", "demo: change both\n\nWhy.\n\nSigned-off-by: Ann <ann@example.org>")
    mail = tmp / "one.patch"
    mail.write_bytes(git(repo, "format-patch", "--stdout", "-1").stdout)
    return repo, base, mail


def _global(tmp: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """The user's global git config, as git am and seamharness read it."""
    cfg = tmp / "gitconfig"
    cfg.write_text(text)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def _git_am(tmp: Path, repo: Path, base: str, mail: Path, keep: bool) -> dict[str, bytes] | None:
    """The files git am writes (None when it fails) in a clone of ``repo`` at ``base``, am.keepcr as asked."""
    work = tmp / f"am-{keep}-{mail.name}"
    git(tmp, "clone", "-q", str(repo), str(work))
    git(work, "checkout", "-q", base)
    res = git(work, "-c", f"am.keepcr={str(keep).lower()}", "am", str(mail), check=False)
    return {name: (work / name).read_bytes() for name in BASE} if res.returncode == 0 else None


def _apply(tmp: Path, repo: Path, base: str, mail: Path) -> tuple[int, dict[str, bytes], str]:
    out = tmp / f"out-{len(list(tmp.glob('out-*')))}"
    res = CliRunner().invoke(app, ["apply", str(mail), "--variant", "v1", "--out", str(out), "--tree", str(repo),
                                   "--base", base])
    prov = json.loads((out / "provenance.json").read_text())
    usable = {f["path"]: (out / f["path"]).read_bytes() for f in prov["files"] if f["usable"]}
    return res.exit_code, usable, res.output


@pytest.mark.parametrize("saved_crlf", [False, True])
@pytest.mark.parametrize("where", ["tree", "global"])
def test_apply_reads_mail_as_git_am_with_the_tree_s_am_keepcr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               saved_crlf: bool, where: str) -> None:
    # Before: am.keepcr was not read; with it set, crlf.c's hunk (its lines carry the author's CRs) was 'context does
    # not match' where git am applies it, and mail saved with CR LF line ends applied where git am refuses it.
    repo, base, mail = _author(tmp_path)
    if saved_crlf:  # a mailer or a Windows editor saved it so: every line ends in CR LF, one more CR in crlf.c's
        mail.write_bytes(mail.read_bytes().replace(b"\n", b"\r\n"))
    for keep in (False, True):
        if where == "tree":
            _global(tmp_path, monkeypatch, "")
            git(repo, "config", "am.keepcr", str(keep).lower())
        else:
            git(repo, "config", "--unset-all", "am.keepcr", check=False)
            _global(tmp_path, monkeypatch, f"[am]\n\tkeepCR = {'yes' if keep else 'no'}\n")
        want = _git_am(tmp_path, repo, base, mail, keep)
        code, usable, output = _apply(tmp_path, repo, base, mail)
        if want is None:  # git am refuses the patch: some file is unusable, exit 1
            assert code == 1 and len(usable) < len(BASE), (keep, output)
        else:
            assert code == 0, (keep, output)
            assert usable == want, keep
        # The oracle's own outcome, so the test is not vacuous: each mail applies under one setting only.
        assert (want is not None) == (keep != saved_crlf), keep


def test_a_keep_cr_read_takes_the_same_headers_and_message(tmp_path: Path) -> None:
    # Every header and log line ends in CR LF too under --keep-cr; git mailinfo reads the same author, subject and
    # message from them (its header lines and stripspace drop the CRs).
    repo, _, _ = _author(tmp_path)
    folder = tmp_path / "series"
    git(repo, "format-patch", "-q", "-o", str(folder), "--cover-letter", "--thread", "-v2", "HEAD~1")
    for f in folder.iterdir():
        f.write_bytes(f.read_bytes().replace(b"\n", b"\r\n"))
    plain, kept = (parse_series(IngestRequest((folder,), keep_cr=k)) for k in (False, True))
    assert not kept.skipped and len(kept.revisions) == 1 and kept.revisions[0].cover is not None

    def seen(s: object) -> list[tuple[str, ...]]:
        rev = s.revisions[0]  # type: ignore[attr-defined]
        return [(p.mail.msgid, p.mail.subject.title, p.mail.author, p.mail.author_email, p.mail.in_reply_to,
                 p.message, p.trailers, p.diffstat, p.base_commit, *(f.target_path for f in p.files))
                for p in (rev.cover, *rev.patches)]

    assert seen(kept) == seen(plain)


def test_an_am_keepcr_git_cannot_read_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, mail = _author(tmp_path)
    _global(tmp_path, monkeypatch, "")
    git(repo, "config", "am.keepcr", "sometimes")
    assert git(repo, "am", str(mail), check=False).returncode != 0  # git am stops on it
    res = CliRunner().invoke(app, ["apply", str(mail), "--variant", "v1", "--out", str(tmp_path / "out"),
                                   "--tree", str(repo), "--base", base])
    assert res.exit_code == 2 and not (tmp_path / "out").exists()
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "am.keepcr" in lines[0] and "sometimes" in lines[0], res.output

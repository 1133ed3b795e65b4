"""am.keepcr and mailinfo.quotedCr as git am in the --tree reads them.

``am.keepcr`` and ``mailinfo.quotedCr`` as git am in the --tree reads them (the tree's config, the global one): with
am.keepcr git am runs mailsplit with --keep-cr and the CR before each line end stays in the mail it applies;
mailinfo.quotedCr=strip drops a CR that reaches mailinfo (decoded from base64, or kept by --keep-cr). seamharness
reads the mail so when it applies it to that tree. git am in a clone of the tree is the oracle, with and without the
settings, on mail whose hunk lines carry CRs (an author's CR LF file), on mail saved with CR LF line ends throughout
and on base64 mail whose text has CR LF line ends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.amreading import AmReading, QuotedCr
from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo
from tests.mailgen import Shape, shaped_mail

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


def _git_am(tmp: Path, repo: Path, base: str, mail: Path, keep: bool,
            action: str | None = None) -> dict[str, bytes] | None:
    """The files git am writes (None when it fails) in a clone of ``repo`` at ``base``, am.keepcr and
    mailinfo.quotedCr as asked."""
    work = tmp / f"am-{len(list(tmp.glob('am-*')))}"
    git(tmp, "clone", "-q", str(repo), str(work))
    git(work, "checkout", "-q", base)
    quoted = ["-c", f"mailinfo.quotedCr={action}"] if action else []
    res = git(work, "-c", f"am.keepcr={str(keep).lower()}", *quoted, "am", str(mail), check=False)
    return {name: (work / name).read_bytes() for name in BASE} if res.returncode == 0 else None


def _apply(tmp: Path, repo: Path, base: str, mail: Path) -> tuple[int, dict[str, bytes], str]:
    out = tmp / f"out-{len(list(tmp.glob('out-*')))}"
    res = CliRunner().invoke(app, ["apply", str(mail), "--variant", "v1", "--out", str(out), "--tree", str(repo),
                                   "--base", base])
    if not out.exists():  # a patch that does not apply: nothing written
        return res.exit_code, {}, res.output
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
        if want is None:  # git am refuses the patch: so does apply, in one line, nothing written
            assert code == 2 and not usable and len(output.strip().splitlines()) == 1, (keep, output)
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
    plain, kept = (parse_series(IngestRequest((folder,), reading=AmReading(keep_cr=k))) for k in (False, True))
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


def _base64_crlf(mail: Path) -> None:
    """The format-patch mail as a mailer sends it whose text has CR LF line ends inside base64 (Outlook)."""
    log, rest = mail.read_bytes().split(b"\n\n", 1)[1].split(b"---\n", 1)
    mail.write_bytes(shaped_mail("Ann <ann@example.org>", "[PATCH] demo: change both", "b64@x", log, b"---\n" + rest,
                                 Shape(cte="base64", crlf_inside=True)))


@pytest.mark.parametrize("form", ["as sent", "saved CR LF", "base64 CR LF"])
@pytest.mark.parametrize(("keep", "action"), [(False, "strip"), (True, "strip"), (False, "nowarn"), (True, "warn")])
def test_apply_follows_the_tree_s_mailinfo_quotedcr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str,
                                                   keep: bool, action: str) -> None:
    # Before: mailinfo.quotedCr was not read; with strip, the CRs git am drops stayed (base64 CR LF mail: every hunk
    # 'context does not match' on the LF file, where git am applies them).
    repo, base, mail = _author(tmp_path)
    if form == "saved CR LF":
        mail.write_bytes(mail.read_bytes().replace(b"\n", b"\r\n"))
    elif form == "base64 CR LF":
        _base64_crlf(mail)
    _global(tmp_path, monkeypatch, "")
    git(repo, "config", "am.keepcr", str(keep).lower())
    git(repo, "config", "mailinfo.quotedCr", action)
    want = _git_am(tmp_path, repo, base, mail, keep, action)
    code, usable, output = _apply(tmp_path, repo, base, mail)
    if want is None:  # git am refuses the patch: so does apply, in one line, nothing written
        assert code == 2 and not usable and len(output.strip().splitlines()) == 1, output
    else:
        assert code == 0 and usable == want, output


@pytest.mark.parametrize(("action", "noted"),
                         [(QuotedCr.WARN, True), (QuotedCr.NOWARN, False), (QuotedCr.STRIP, False)])
def test_the_quoted_crlf_note_is_git_am_s_warning(tmp_path: Path, action: QuotedCr, noted: bool) -> None:
    # git am says "quoted CRLF detected" only under warn, its default; a CR stripped is no longer in the hunks.
    _, _, mail = _author(tmp_path)
    _base64_crlf(mail)
    s = parse_series(IngestRequest((mail,), reading=AmReading(quoted_cr=action)))
    assert any("quoted CRLF detected" in n.reason for n in s.notes) == noted, s.notes
    lf_file = [ln.text for f in s.revisions[0].patches[0].files if f.target_path == "lf.c" for h in f.hunks
               for ln in h.lines]
    assert lf_file and any(t.endswith("\r") for t in lf_file) == (action is not QuotedCr.STRIP)


def test_a_mailinfo_quotedcr_git_am_refuses_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, base, mail = _author(tmp_path)
    _global(tmp_path, monkeypatch, "")
    git(repo, "config", "mailinfo.quotedCr", "Strip")  # git takes the action's name exactly
    assert git(repo, "am", str(mail), check=False).returncode != 0
    res = CliRunner().invoke(app, ["apply", str(mail), "--variant", "v1", "--out", str(tmp_path / "out"),
                                   "--tree", str(repo), "--base", base])
    assert res.exit_code == 2 and not (tmp_path / "out").exists()
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "mailinfo.quotedCr is 'Strip'" in lines[0], res.output


def test_a_cr_that_reaches_mailinfo_is_git_am_s_quoted_crlf(tmp_path: Path) -> None:
    # Mail saved with CR LF line ends: under --keep-cr every body line reaches mailinfo with its CR, without it those
    # of the author's CR LF file keep one (CR CR LF in the mail); git am warns "quoted CRLF detected" of both. The
    # note was said of base64 and quoted-printable lines only: plain ones took a path of their own.
    _, _, mail = _author(tmp_path)
    mail.write_bytes(mail.read_bytes().replace(b"\n", b"\r\n"))
    for keep in (False, True):
        work = tmp_path / f"split-{keep}"
        work.mkdir()
        git(work, "mailsplit", *(["--keep-cr"] if keep else []), f"-o{work}", str(mail))
        info = git(work, "mailinfo", "m", "p", stdin=(work / "0001").read_bytes())
        assert b"quoted CRLF detected" in info.stderr, keep  # the oracle
        s = parse_series(IngestRequest((mail,), reading=AmReading(keep_cr=keep)))
        said = [n.reason for n in s.notes if "quoted CRLF detected" in n.reason]
        assert len(said) == 1 and ("git am --keep-cr keeps" in said[0]) == keep, s.notes


def _whitespace_patch(tmp: Path) -> tuple[Path, str, Path]:
    """A repository and one patch whose added line ends in blanks (a whitespace error git apply can fix)."""
    repo = init_repo(tmp / "ws", {"w.c": "int a;\nint b;\nint c;\n"})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    (repo / "w.c").write_text("int a;\nint B;  \nint c;\n")
    git(repo, "commit", "-q", "-am", "demo: trailing blanks")
    mail = tmp / "ws.patch"
    mail.write_bytes(git(repo, "format-patch", "--stdout", "-1").stdout)
    return repo, base, mail


@pytest.mark.parametrize("setting", [("apply.whitespace", "fix"), ("apply.whitespace", "error"),
                                     ("am.threeWay", "true"), ("apply.whitespace", "warn"), None])
def test_git_am_settings_not_followed_are_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                setting: tuple[str, str] | None) -> None:
    # git am applies with apply.whitespace and falls back to a 3-way merge under am.threeWay; seamharness applies as
    # plain git am does. Where the tree's config says otherwise the files may not be git am's: that is said (it was
    # not), and nothing is said where the setting changes nothing.
    repo, base, mail = _whitespace_patch(tmp_path)
    _global(tmp_path, monkeypatch, "")
    if setting is not None:
        git(repo, "config", *setting)
    work = tmp_path / "am"
    git(tmp_path, "clone", "-q", str(repo), str(work))
    git(work, "checkout", "-q", base)
    am = git(work, *(["-c", "=".join(setting)] if setting else []), "am", str(mail), check=False)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["apply", str(mail), "--variant", "v1", "--out", str(out), "--tree", str(repo),
                                   "--base", base])
    assert res.exit_code == 0, res.output
    written = (out / "w.c").read_bytes()
    differs = am.returncode != 0 or (work / "w.c").read_bytes() != written
    said = [ln for ln in res.output.splitlines() if ln.startswith(f"seamharness: note: --tree {repo}: ")]
    if setting is None or setting[1] == "warn":
        assert not differs and not said, res.output
    else:
        assert len(said) == 1 and f"{setting[0]}" in said[0], res.output
        assert differs or setting[0] == "am.threeWay"  # this patch applies without a merge


@pytest.mark.parametrize("scissors", [True, False])
def test_mailinfo_scissors_is_said_where_a_patch_has_a_scissors_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       scissors: bool) -> None:
    # git am under mailinfo.scissors commits what follows '-- >8 --' (an in-body Subject: there too): another title
    # than the one seamharness reads, which said nothing of it.
    repo, base, mail = _whitespace_patch(tmp_path)
    text = mail.read_text()
    mail.write_text(text.replace("\n\n---\n", "\n\nDiscussion first.\n\n-- >8 --\nSubject: demo: the real title\n\n"
                                 "Why.\n---\n", 1))
    _global(tmp_path, monkeypatch, "")
    git(repo, "config", "mailinfo.scissors", str(scissors).lower())
    work = tmp_path / "am"
    git(tmp_path, "clone", "-q", str(repo), str(work))
    git(work, "checkout", "-q", base)
    git(work, "-c", f"mailinfo.scissors={str(scissors).lower()}", "am", str(mail))
    committed = git(work, "log", "-1", "--format=%s").stdout.decode().strip()
    res = CliRunner().invoke(app, ["apply", str(mail), "--variant", "v1", "--out", str(tmp_path / "out"), "--tree",
                                   str(repo), "--base", base])
    assert res.exit_code == 0, res.output
    said = [ln for ln in res.output.splitlines() if "mailinfo.scissors" in ln]
    read = parse_series(IngestRequest((mail,))).revisions[0].patches[0].mail.subject.title
    assert (committed != read) == scissors, (committed, read)  # the oracle: the titles differ under scissors only
    assert len(said) == scissors and all(f"{mail}:" in ln and "v1 01/1" in ln for ln in said), res.output

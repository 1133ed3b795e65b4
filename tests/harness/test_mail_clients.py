"""Patch mail from other mail clients and tools, read through the CLI as a user runs it, against git am.

The next revision's user is a maintainer whose mailer or ``git send-email`` dresses the series differently
from the corpus: each style of tests/harness/mailclientgen.py goes through ``seamharness series --json`` and
``seamharness apply``, and must give the author, author date, title, trailers and blob ids ``git am`` commits
from the same files. The rest pin git's answers where seamharness once read differently: text git commits as
it is (commit.c verify_utf8: an invalid byte is Latin-1), the in-body ``Date:``, a raw 8-bit MIME boundary,
the first patch line's charset conversion, and git's whitespace (never ``\\v`` or ``\\f``) in mailinfo.c.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.ingest import IngestRequest, parse_series
from harness.mailinfo import mailinfo
from harness.mimedecode import commit_text, to_text
from harness.subject import parse_subject
from tests.gitoracle import Change, check_agreement, git, init_repo
from tests.gitoracle import mailinfo as git_mailinfo
from tests.harness.mailclientgen import (
    SIGN,
    STYLES,
    cli_agreement,
    demo_changes,
    format_patch,
    git_am,
    mime_mail,
    write_series,
)
from tests.mailgen import THUNDERBIRD_SEPARATOR, write_mailbox

_NEW_FILE = (b"diff --git a/x.c b/x.c\nnew file mode 100644\nindex 0000000..3b18e51\n--- /dev/null\n+++ b/x.c\n"
             b"@@ -0,0 +1 @@\n+hello world\n")


@pytest.mark.parametrize("style", sorted(STYLES))
def test_client_styles_read_as_git_am_reads_them(tmp_path: Path, style: str) -> None:
    write_series(tmp_path / "in", tmp_path, STYLES[style])
    assert cli_agreement(tmp_path, [tmp_path / "in"]) == 3
    assert check_agreement(tmp_path, [tmp_path / "in"]).blobs == 3


def _long_line_changes() -> list[Change]:
    """The demo commits with diff lines past 76 columns (a 126-column ``pr_err`` with ``=`` in its text, then a
    210-column comment): quoted-printable soft-breaks them (RFC 2045 6.7: ``=`` at a line's end) inside a diff line,
    base64 cuts them anywhere, format=flowed soft-breaks them at a space or, DelSp=yes, anywhere."""
    from tests.mailgen import HELPER_PATH, HELPER_V0

    line = ('\tpr_err("DEMO retry of fn %llu gave up after %d tries, the firmware answering busy = %s; caf\u00e9\\n", '
            "fn, tries, s);\n")
    one = HELPER_V0.replace("\treturn ret;\n", line + "\treturn ret;\n")
    two = one.replace("after %d tries", "after %d tries (=3D=)") + "/* " + "x" * 200 + " */\n"
    return [Change("demo: add helper", f"Adds it.\n\n{SIGN}", {HELPER_PATH: HELPER_V0.encode()}),
            Change("demo: print why it gave up", f"A long line.\n\n{SIGN}", {HELPER_PATH: one.encode()}),
            Change("demo: say more", f"Longer \u2013 more.\n\n{SIGN}", {HELPER_PATH: two.encode()})]


@pytest.mark.parametrize("style", ["qp-utf8", "crlf-qp", "base64-no-charset", "x-patch-base64",
                                   "flowed-delsp", "flowed-no-delsp"])
def test_diff_lines_a_mailer_broke_read_as_git_am_reads_them(tmp_path: Path, style: str) -> None:
    """Diff lines longer than a mail line, each style breaking them its own way inside the line: the same author,
    title, trailers and blobs as git am commits (the demo's lines are all shorter than 76 columns)."""
    changes = _long_line_changes()
    mails = write_series(tmp_path / "in", tmp_path, STYLES[style], changes)
    if style.startswith(("qp", "crlf-qp")):
        assert b"=\n" in mails[2].read_bytes().replace(b"\r\n", b"\n")  # a soft break, inside a diff line
    assert cli_agreement(tmp_path, [tmp_path / "in"]) == 3


@pytest.mark.parametrize("container", ["mboxo", "mboxrd", "format-patch"])
@pytest.mark.parametrize("style", ["crlf-qp", "windows-1252", "x-patch-base64", "send-email-author"])
def test_client_styles_in_one_mailbox(tmp_path: Path, style: str, container: str) -> None:
    mails = write_series(tmp_path / "eml", tmp_path, STYLES[style])
    (tmp_path / "in").mkdir()
    write_mailbox(tmp_path / "in" / "t.mbox", [m.read_bytes() for m in mails], container, THUNDERBIRD_SEPARATOR)
    assert cli_agreement(tmp_path, [tmp_path / "in" / "t.mbox"]) == 3


@pytest.mark.parametrize("options", [
    ["-N"], ["-k"],  # no [PATCH n/m]: three lone [PATCH] mails, one series in the order git am applies them
    ["--attach"], ["--inline"], ["--encode-email-headers"], ["-v2.1", "--rfc", "--subject-prefix=PATCH net-next"],
    ["--pretty=mboxrd"], ["--from=Sender Person <sender@example.org>"], ["--cover-letter", "--thread=shallow"],
    ["--signature=sig line\nsecond"], ["--no-stat", "-U1"],
], ids=" ".join)
def test_git_format_patch_output_reads_as_git_am_reads_it(tmp_path: Path, options: list[str]) -> None:
    out, patches = format_patch(tmp_path, options)
    assert cli_agreement(tmp_path, [out], am_inputs=patches) == 3


BINARY = bytes(range(256)) * 8


@pytest.mark.parametrize("options", [[], ["--attach"], ["--inline"], ["--pretty=mboxrd"]], ids=" ".join)
def test_binary_hunks_read_and_apply_as_git_am_applies_them(tmp_path: Path, options: list[str]) -> None:
    """format-patch's GIT binary patch hunks (a created file, a delta edit, a literal growth), inline, attached
    or in an mboxrd: the files are git am's, byte for byte."""
    changes = [Change("demo: add firmware", f"Adds it.\n\n{SIGN}", {"drivers/demo/fw.bin": BINARY}),
               Change("demo: patch the firmware", f"Edits it.\n\n{SIGN}",
                      {"drivers/demo/fw.bin": BINARY[:1000] + b"\0\1changed" + BINARY[1010:]}),
               Change("demo: grow the firmware", f"Grows it.\n\n{SIGN}", {"drivers/demo/fw.bin": BINARY * 3})]
    out, patches = format_patch(tmp_path, options, changes)
    assert cli_agreement(tmp_path, [out], am_inputs=patches) == 3


@pytest.mark.parametrize("options", [["--text"], ["--text", "--attach"]], ids=" ".join)
def test_nul_bytes_in_a_text_diff_read_and_apply_as_git_am_applies_them(tmp_path: Path, options: list[str]) -> None:
    """``git format-patch --text`` writes a file with NUL bytes as a text diff, NULs in its lines: git am applies it
    (before: each mail refused as "binary data, not a mail message" for a NUL in its first 4 KiB)."""
    table = "drivers/demo/t.c"
    changes = [Change("demo: add table", f"Adds it.\n\n{SIGN}", {table: b"int a;\n/* \0\1 */\nint b;\n"}),
               Change("demo: edit table", f"Edits it.\n\n{SIGN}", {table: b"int a;\n/* \0\2 */\nint b;\n"}),
               Change("demo: grow table", f"Grows it.\n\n{SIGN}", {table: b"\0\nint a;\n/* \0\2 */\n"})]
    out, patches = format_patch(tmp_path, options, changes)
    assert all(b"\0" in p.read_bytes()[:4096] for p in patches)
    assert cli_agreement(tmp_path, [out], am_inputs=patches) == 3
    assert check_agreement(tmp_path, [out]).blobs == 3


@pytest.mark.parametrize("style", ["qp-utf8", "crlf-qp"])
def test_a_commit_message_of_trailers_alone_reads_as_git_reads_it(tmp_path: Path, style: str) -> None:
    # The oracle gives git interpret-trailers the whole message, title too: given the body alone it took a lone
    # "Signed-off-by:" line for a title and found no trailer, where git's commit has one (as case 10's 3/3).
    changes = [Change(c.title, SIGN, c.files) for c in demo_changes()]
    write_series(tmp_path / "in", tmp_path, STYLES[style], changes)
    assert cli_agreement(tmp_path, [tmp_path / "in"]) == 3


def test_lone_patches_of_one_title_stay_two_versions_of_one_patch(tmp_path: Path) -> None:
    out, (first, *_) = format_patch(tmp_path, ["-N"])
    again = first.read_bytes().replace(b"Adds it.", b"Adds it, again.")
    (out / "0004-again.patch").write_bytes(again)
    series = parse_series(IngestRequest((out,)))
    assert [p.mail.subject.title for p in series.revision(1).patches] == [  # type: ignore[union-attr]
        "demo: add helper", "demo: print fn in decimal", "demo: try five times"]
    (skip,) = series.skipped
    assert skip.where.path.endswith("0004-again.patch") and "v1 patch 01/3 given twice" in skip.reason


def _am_one(tmp: Path, mail: bytes) -> tuple[str, str, str]:
    """(author, subject, body) of the commit git am makes of one mail, and our (author, title, message)."""
    (tmp / "in").mkdir(exist_ok=True)
    path = tmp / "in" / f"{len(list((tmp / 'in').iterdir())):04d}.eml"
    path.write_bytes(mail)
    (commit,) = git_am(tmp, [path])
    (patch,) = parse_series(IngestRequest((path,))).all_patches()
    assert (patch.mail.author, patch.mail.subject.title, patch.message) == (commit.author, commit.subject, commit.body)
    return commit.author, commit.subject, commit.body


@pytest.mark.parametrize(("sender", "subject", "ctype", "log"), [
    (b"J\xfcrgen Writer <jw@example.org>", b"[PATCH] caf\xe9 fix", b"", b"Acked by J\xfcrgen.\n"),  # raw Latin-1
    (b"=?utf-8?q?J=FCrgen?= <jw@example.org>", b"[PATCH] =?UTF-8?Q?caf=E9?=", b"text/plain; charset=utf-8",
     b"Caf\xe9 \xe2\x80\x9cquoted\xe2\x80\x9d, cut \xe2\x80\n"),  # declared UTF-8, not UTF-8: git converts nothing
    (b"Zo\xc3\xab <z@example.org>", b"[PATCH] x", b"text/plain; charset=UTF8",
     b"Noncharacters \xef\xbf\xbe \xef\xb7\x90, overlong \xc0\xaf, surrogate \xed\xa0\x80, \xf4\x90\x80\x80.\n"),
], ids=["raw-latin1", "declared-utf8", "git-invalid-utf8"])
def test_text_git_commits_unconverted_is_read_as_git_stores_it(tmp_path: Path, sender: bytes, subject: bytes,
                                                               ctype: bytes, log: bytes) -> None:
    # mailinfo passes these bytes through; commit.c verify_utf8 then takes each invalid byte as Latin-1.
    head = b"From: " + sender + b"\nSubject: " + subject + b"\n" + (b"Content-Type: " + ctype + b"\n" if ctype else b"")
    author, _, body = _am_one(tmp_path, head + b"\n" + log + b"\nSigned-off-by: " + sender + b"\n---\n" + _NEW_FILE)
    assert "\ufffd" not in author + body


@pytest.fixture(scope="module")
def empty_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A repository and its empty tree, which every example commits anew (git commit-tree: its own commit each)."""
    repo = init_repo(tmp_path_factory.mktemp("commit-text") / "r")
    return repo, git(repo, "write-tree").stdout.decode().strip()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=24).filter(lambda b: b"\0" not in b))
def test_commit_text_is_what_git_commit_stores(empty_tree: tuple[Path, str], data: bytes) -> None:
    repo, tree = empty_tree
    sha = git(repo, "commit-tree", tree, stdin=b"x" + data).stdout.decode().strip()
    stored = git(repo, "cat-file", "commit", sha).stdout.split(b"\n\n", 1)[1]
    assert commit_text(b"x" + data) == stored.decode("utf-8")


@pytest.mark.parametrize("log", [
    b"\n\nLeading blanks, trailing ones   \n\n\n\nthree blank lines, a tab\t\n# not a comment to git am\n\n\n",
    b"CR ends\r\nfrom a Windows editor \r\n\r\n\r\nSigned-off-by: A <a@example.org>\r\n",
    b"Vertical tab kept\x0b\n \n\t\nform feed\x0c\n",
], ids=["blanks", "cr", "vt-ff"])
def test_commit_message_is_what_git_am_commits(tmp_path: Path, log: bytes) -> None:
    # builtin/am.c cleans the message with strbuf_stripspace: trailing blanks off, empty runs made one.
    _am_one(tmp_path, b"From: Ann <a@example.org>\nSubject: [PATCH] x\n\n" + log + b"---\n" + _NEW_FILE)


def test_in_body_date_is_the_author_date(tmp_path: Path) -> None:
    mail = (b"From: Sender <s@example.org>\nSubject: [PATCH] demo\nDate: Mon, 05 Jan 2026 10:00:00 +0000\n\n"
            b"From: Ann Author <ann@example.org>\nDate: Wed, 7 Jan 2026 09:30:00 -0500\n\nLog.\n---\n" + _NEW_FILE)
    (tmp_path / "m.eml").write_bytes(mail)
    (commit,) = git_am(tmp_path, [tmp_path / "m.eml"])
    (patch,) = parse_series(IngestRequest((tmp_path / "m.eml",))).all_patches()
    assert commit.date == "2026-01-07T09:30:00-05:00" and patch.mail.date == "Wed, 7 Jan 2026 09:30:00 -0500"
    assert patch.mail.author == commit.author == "Ann Author"


def test_a_raw_8bit_boundary_splits_as_git_splits(tmp_path: Path) -> None:
    mail = (b'From: Ann <a@example.org>\nSubject: [PATCH] x\nContent-Type: multipart/mixed; boundary="caf\xe9"\n\n'
            b"--caf\xe9\nContent-Type: text/plain\n\nLog.\n---\n" + _NEW_FILE + b"--caf\xe9--\n")
    assert b"".join(ln for _, ln in mailinfo(mail, 1).patch) == git_mailinfo(tmp_path, mail).patch
    _am_one(tmp_path, mail)


@pytest.mark.parametrize("charset", [b"utf-8", b"iso-8859-1", b""])
def test_the_first_patch_line_is_converted_as_git_converts_it(tmp_path: Path, charset: bytes) -> None:
    # No "---": the patch starts at "diff --git", the one patch line git converts from the part's charset.
    diff = _NEW_FILE.replace(b"x.c", b"caf\xe9.c")
    ctype = b"Content-Type: text/plain; charset=" + charset + b"\n" if charset else b""
    for body in (b"Log.\n\n" + diff, base64.encodebytes(b"Log.\n\n" + diff)):
        cte = b"Content-Transfer-Encoding: base64\n" if body[:3] != b"Log" else b""
        mail = b"From: Ann <a@example.org>\nSubject: [PATCH] x\n" + ctype + cte + b"\n" + body
        assert b"".join(ln for _, ln in mailinfo(mail, 1).patch) == git_mailinfo(tmp_path, mail).patch


@pytest.mark.parametrize("line", [b"---\x0b\n", b"---\x0c\n", b"--- \x0bname\n", b"--- \x0c\n", b"---\t\n", b"---"])
def test_patch_breaks_use_git_whitespace(tmp_path: Path, line: bytes) -> None:
    mail = b"From: a <a@example.org>\nSubject: [PATCH] x\n\nLog.\n" + line + b"\nafter\n"
    assert b"".join(ln for _, ln in mailinfo(mail, 1).patch) == git_mailinfo(tmp_path, mail).patch


@pytest.mark.parametrize("first", [b"[PATCH]\x0bnew title", b">From\x0bx", b"From:\x0bZo <z@example.org>",
                                   b"Subject:\x0c new", b"[PATCH]\tnew title", b"From: \x0cZo <z@example.org>"])
@pytest.mark.parametrize("subject", [b"[PATCH] x", b"\x0b[PATCH] top"])
def test_in_body_headers_use_git_whitespace(tmp_path: Path, first: bytes, subject: bytes) -> None:
    mail = b"From: a <a@example.org>\nSubject:" + subject + b"\n\n" + first + b"\n\nLog.\n---\ndiff --git a/x b/x\n"
    ours, theirs = mailinfo(mail, 1), git_mailinfo(tmp_path, mail)
    assert (ours.author, ours.email, parse_subject(ours.subject).title) == (theirs.author, theirs.email, theirs.subject)
    assert "\n".join(t for _, t in ours.log).strip() == theirs.message.strip()


def test_unconvertible_text_is_read_as_utf8_with_latin1_bytes() -> None:
    # git am stops ("cannot convert from us-ascii"); the text is read as git would store it unconverted.
    assert to_text(b"caf\xe9 Zo\xc3\xab", "us-ascii") == "caf\u00e9 Zo\u00eb"
    assert to_text(b"\x81 \x80", "windows-1252") == "\u0081 \u0080"  # 0x81 is no cp1252 character
    assert to_text(b"caf\xe9", "iso-8859-1") == to_text(b"caf\xc3\xa9", "UTF-8") == "caf\u00e9"


@settings(max_examples=150, deadline=None)
@given(mime_mail())
def test_generated_mime_trees_read_as_git_mailinfo_reads_them(mail: bytes) -> None:
    # Found here: git hands on one newline per chain of end boundaries (a nested part ending right before
    # its parent added a second empty line to the patch).
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        theirs = git_mailinfo(Path(tmp), mail)
    if theirs.error:
        return  # git refuses it (a charset it cannot convert); README: read as UTF-8 here
    ours = mailinfo(mail, 1)
    assert b"".join(ln for _, ln in ours.patch) == theirs.patch
    assert (ours.author, ours.email, parse_subject(ours.subject).title) == (theirs.author, theirs.email, theirs.subject)
    if theirs.patch:
        assert "\n".join(t for _, t in ours.log).strip() == theirs.message.strip()


def test_nested_end_boundaries_add_one_newline(tmp_path: Path) -> None:
    mail = (b'From: a <a@example.org>\nSubject: [PATCH] x\nContent-Type: multipart/mixed; boundary="A"\n\n--A\n'
            b"Content-Type: text/plain\n\nLog.\n---\n" + _NEW_FILE
            + b'--A\nContent-Type: multipart/mixed; boundary="B"\n\n'
            b"--B\nContent-Type: text/plain\n\nsig\n--B--\n--A--\n")
    ours = b"".join(ln for _, ln in mailinfo(mail, 1).patch)
    assert ours == git_mailinfo(tmp_path, mail).patch and ours.endswith(b"sig\n\n")


def test_a_nul_byte_in_the_commit_message_is_refused_as_git_am_refuses_it(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    body = base64.encodebytes(b"Log with a \0 in it.\n---\n" + _NEW_FILE)
    mail = (b"From: Ann <a@example.org>\nSubject: [PATCH] x\nContent-Transfer-Encoding: base64\n\n" + body)
    (tmp_path / "nul.eml").write_bytes(mail)
    repo = init_repo(tmp_path / "repo")
    assert git(repo, "am", str(tmp_path / "nul.eml"), check=False).returncode != 0
    res = CliRunner().invoke(app, ["series", str(tmp_path / "nul.eml")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert f"{tmp_path / 'nul.eml'}:5: a NUL byte in the commit message" in res.output


@pytest.mark.parametrize(("cte", "ctype", "body"), [
    (b"base64", b"text/plain", base64.encodebytes(b"Log.\r\n---\r\n" + _NEW_FILE.replace(b"\n", b"\r\n"))),
    (b"quoted-printable", b"text/plain", b"Log.=0D\n---=0D\n" + _NEW_FILE.replace(b"\n", b"=0D\n")),
    (b"base64", b"text/plain; format=flowed", base64.encodebytes(b"Log.\r\n---\r\n" + _NEW_FILE)),  # git: no check
    (b"8bit", b"text/plain", b"Log.\r\n---\r\n" + _NEW_FILE.replace(b"\n", b"\r\n")),  # mailsplit drops the CR
])
def test_a_quoted_cr_is_noted_where_git_am_warns(tmp_path: Path, cte: bytes, ctype: bytes, body: bytes) -> None:
    # Lines that base64 or quoted-printable decode to CR LF (Outlook, Exchange): git am warns "quoted CRLF
    # detected" and keeps the CR, so the hunks do not apply; nothing was said of it.
    from typer.testing import CliRunner

    from harness.cli import app

    mail = (b"From: Ann <a@example.org>\nSubject: [PATCH] x\nMIME-Version: 1.0\nContent-Type: " + ctype
            + b"\nContent-Transfer-Encoding: " + cte + b"\n\n" + body)
    (tmp_path / "cr.eml").write_bytes(mail)
    repo = init_repo(tmp_path / "repo")
    warned = "quoted CRLF detected" in git(repo, "am", str(tmp_path / "cr.eml"), check=False).stderr.decode()
    assert warned == (cte != b"8bit" and b"flowed" not in ctype)
    res = CliRunner().invoke(app, ["series", str(tmp_path / "cr.eml")])
    assert "Traceback" not in res.output
    assert (f"{tmp_path / 'cr.eml'}:7: quoted CRLF detected (git am's warning)" in res.output) == warned


@pytest.mark.parametrize("style", ["flowed-delsp", "flowed-no-delsp"])
def test_a_blank_a_flowed_mailer_stripped_from_a_line_is_said_at_the_blob_refusal(tmp_path: Path, style: str) -> None:
    # RFC 3676 4.2: the mailer strips the blank ending a '+' line. git am commits the file without it; apply refused
    # the rebuilt file by its blob alone ("the index line says ..."), with nothing saying why.
    from typer.testing import CliRunner

    from harness.cli import app
    from tests.mailgen import HELPER_PATH, HELPER_V0

    two = HELPER_V0.replace("\tu64 ret;\n", "\tu64 ret; \n")
    changes = [Change("demo: add helper", f"Adds it.\n\n{SIGN}", {HELPER_PATH: HELPER_V0.encode()}),
               Change("demo: end a line in a blank", f"A blank.\n\n{SIGN}", {HELPER_PATH: two.encode()})]
    mails = write_series(tmp_path / "in", tmp_path, STYLES[style], changes)
    assert b"+\tu64 ret;\n" in mails[1].read_bytes()  # the blank is gone from the mail
    (_, am) = git_am(tmp_path, mails)
    assert am.blobs[HELPER_PATH] == git(tmp_path, "hash-object", "--stdin", stdin=HELPER_V0.encode()).stdout.decode(
    ).strip()  # git am applies it, and commits the line as the mail has it
    r = CliRunner().invoke(app, ["apply", str(tmp_path / "in"), "--variant", "v1:02", "--out", str(tmp_path / "o")])
    assert r.exit_code == 1, r.output
    assert "the mail is format=flowed: its mailer strips the blanks that end lines (RFC 3676 4.2)" in r.output, \
        r.output
    plain = write_series(tmp_path / "plain", tmp_path, STYLES["qp-utf8"], changes)
    r = CliRunner().invoke(app, ["apply", *map(str, plain), "--variant", "v1:02", "--out", str(tmp_path / "p")])
    assert r.exit_code == 0 and "format=flowed" not in r.output, r.output


def _blank_then_flowed(tmp: Path, style: str, context: str, fragments: bool) -> tuple[list[Path], str]:
    """A patch mailed plain that ends ``\\tu64 ret;`` in a blank, then one mailed in ``style`` with that line as
    context (``context``: the file's line 11 as patch 2 has it, the blank-less one to fail on another cause), and the
    variant of the second; with ``fragments`` the file's creation is not mailed (known in fragments)."""
    from tests.mailgen import HELPER_PATH, HELPER_V0

    blank = HELPER_V0.replace("\tu64 ret;\n", "\tu64 ret; \n")
    first = [Change("demo: add helper", f"Adds it.\n\n{SIGN}", {HELPER_PATH: HELPER_V0.encode()})] if fragments else []
    mine = [*first, Change("demo: a blank", f"Blank.\n\n{SIGN}", {HELPER_PATH: blank.encode()})]
    theirs = [*first, Change("demo: a blank", f"Blank.\n\n{SIGN}", {HELPER_PATH: context.encode()})]
    five = Change("demo: five tries", f"More.\n\n{SIGN}", {HELPER_PATH: blank.replace("= 3;", "= 5;").encode()})
    plain = write_series(tmp / "plain", tmp, STYLES["qp-utf8"], [*mine, five])
    other = write_series(tmp / style, tmp, STYLES[style], [*theirs, five])
    return [plain[-2], other[-1]], f"v1:0{len(mine) + 1}"


@pytest.mark.parametrize("fragments", [False, True], ids=["whole", "fragments"])
@pytest.mark.parametrize("style", ["flowed-delsp", "flowed-no-delsp", "qp-utf8"])
@pytest.mark.parametrize("cause", ["blank", "other"])
def test_a_context_line_a_flowed_mailer_stripped_is_said_where_git_am_stops(tmp_path: Path, style: str, cause: str,
                                                                            fragments: bool) -> None:
    # RFC 3676 4.2: the second mail's context line lost the blank the first patch ended it in. git am stops there
    # ("patch does not apply"); apply refused the hunk ("context differs at line 11") with nothing saying why. Only
    # there: a plain mail applies, and a flowed one whose context differs otherwise (the file's line is another) is
    # refused without the word.
    import shutil

    from typer.testing import CliRunner

    from harness.cli import app
    from tests.mailgen import HELPER_PATH, HELPER_V0

    blank = HELPER_V0.replace("\tu64 ret;\n", "\tu64 ret; \n")
    context = blank if cause == "blank" else blank.replace("\tu64 ret; \n", "\tu64 rc; \n")
    mails, variant = _blank_then_flowed(tmp_path, style, context, fragments)
    repo = init_repo(tmp_path / "am")
    if fragments:
        (repo / HELPER_PATH).parent.mkdir(parents=True)
        (repo / HELPER_PATH).write_text(HELPER_V0)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
    am = git(repo, "am", "--quiet", *map(str, mails), check=False)
    stops = cause == "other" or style != "qp-utf8"
    assert (am.returncode != 0) == stops and (b"patch does not apply" in am.stderr) == stops, am.stderr
    (tmp_path / "in").mkdir()
    for i, m in enumerate(mails):
        shutil.copy(m, tmp_path / "in" / f"{i:04d}.eml")
    r = CliRunner().invoke(app, ["apply", str(tmp_path / "in"), "--variant", variant, "--out", str(tmp_path / "o")])
    assert r.exit_code == (2 if stops else 0), r.output
    said = "the mail is format=flowed: its mailer strips the blanks that end lines (RFC 3676 4.2), and the file's " \
           "lines differ from the hunk's by such blanks alone, so git am stops here too"
    assert (said in r.output) == (stops and cause == "blank"), r.output
    assert "Traceback" not in r.output and (not stops or len(r.stderr.splitlines()) == 1), r.output

"""mbox flavours against git am (and b4): quoting, separators and the bytes around messages.

mbox flavours against git am (and b4 where git has no say): which ``>From`` quoting a file carries and
what each writer's file means, separators that are not, and the bytes around messages (CRLF, gzip, white
space before the first line, no final newline)."""

from __future__ import annotations

import email.parser
import gzip
import io
import mailbox
import os
import random
import re
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.sources import _split_mbox, is_from_line
from tests.gitoracle import git, init_repo, mailsplit
from tests.mailgen import THUNDERBIRD_SEPARATOR, write_mailbox

SIGN = "Signed-off-by: Ann Author <ann@example.org>\n"
# A commit message that every flavour writes differently: a line that starts "From " (quoted by every
# mbox writer), one that starts ">From " (quoted by mboxrd writers only) and one deeper still.
LOG = f"From the start it retried.\n>From a quoted line.\n>>From a deeper quote.\nKeep going.\n\n{SIGN}"
MBOXRD = b"From mboxrd@z Thu Jan  1 00:00:00 1970"


def _format_patch(tmp: Path, log: str = LOG) -> bytes:
    """``git format-patch --stdout`` of two commits that create and edit d/a.h."""
    repo = init_repo(tmp / f"src-{len(list(tmp.glob('src-*')))}")
    (repo / "d").mkdir()
    for i, text in enumerate((b"int a;\n", b"int a;\nint b;\n"), start=1):
        (repo / "d" / "a.h").write_bytes(text)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"demo: change {i}\n\n{log}")
    return git(repo, "format-patch", "--stdout", "--thread", "-2", "HEAD").stdout


def _mails(data: bytes) -> list[bytes]:
    """The messages of format-patch output, without their separators."""
    return [m for m in re.split(rb"(?m)^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n", data) if m]


def _python_mailbox(tmp: Path, mails: list[bytes]) -> bytes:
    """An mboxo written by Python's mailbox module (``From MAILER-DAEMON ...``, ``From `` quoted)."""
    box = mailbox.mbox(tmp / "py.mbox")
    for m in mails:
        box.add(email.message_from_bytes(m))
    box.close()
    return (tmp / "py.mbox").read_bytes()


def _b4_mbox(mails: list[bytes]) -> bytes:
    """An mbox as ``b4 mbox`` writes one to a file (b4.save_mboxrd_mbox, mangle_from)."""
    b4 = pytest.importorskip("b4")
    out = io.BytesIO()
    parser = email.parser.BytesParser(policy=b4.emlpolicy, _class=EmailMessage)
    b4.save_mboxrd_mbox([parser.parsebytes(m) for m in mails], out, mangle_from=True)
    return out.getvalue()


def _written(tmp: Path, writer: str) -> tuple[bytes, bool]:
    """The two commits as ``writer`` stores them, and whether its format is mboxrd (the writer's own word)."""
    fp = _format_patch(tmp)
    mails = _mails(fp)
    path = tmp / "w.mbox"
    if writer == "format-patch":
        return fp, False
    if writer == "python-mailbox":
        return _python_mailbox(tmp, mails), False
    if writer == "b4-mbox":
        return _b4_mbox(mails), True
    style, separator = {"mutt": ("mboxo", None), "thunderbird": ("mboxo", THUNDERBIRD_SEPARATOR),
                        "lore": ("mboxrd", None)}[writer]
    write_mailbox(path, mails, style, *(() if separator is None else (separator,)))
    return path.read_bytes(), style == "mboxrd"


def git_am_messages(tmp: Path, path: Path, *options: str) -> list[str]:
    """The commit messages ``git am OPTIONS FILE`` makes on an empty repository (all of them, or it failed)."""
    repo = init_repo(tmp / f"am-{len(list(tmp.glob('am-*')))}")
    res = git(repo, "am", "-q", *options, str(path), check=False)
    assert res.returncode == 0, res.stderr.decode()
    log = git(repo, "log", "--reverse", "--format=%B%x00", "HEAD").stdout.decode()
    return [m.strip("\n") for m in log.split("\0")[1:-1]]


def our_messages(path: Path) -> list[str]:
    series = parse_series(IngestRequest((path,)))
    assert not series.skipped, series.skipped
    return [f"{p.mail.subject.title}\n\n{p.message}".strip("\n") for rev in series.revisions for p in rev.patches]


WRITERS = ["format-patch", "mutt", "thunderbird", "python-mailbox", "lore", "b4-mbox"]


@pytest.mark.parametrize("shape", ["as-written", "crlf", "gzip", "no-final-newline", "blank-lines-first"])
@pytest.mark.parametrize("writer", WRITERS)
def test_each_writer_reads_as_git_am_reads_its_format(tmp_path: Path, writer: str, shape: str) -> None:
    """mboxo (mutt, Thunderbird, Python's mailbox) and format-patch output: plain ``git am``, every ``>From``
    kept; public-inbox's and b4's mboxrd: ``git am --patch-format=mboxrd``, one ``>`` fewer."""
    data, rd = _written(tmp_path, writer)
    data = {"as-written": data, "crlf": data.replace(b"\n", b"\r\n"), "gzip": data,
            "no-final-newline": data.rstrip(b"\n"), "blank-lines-first": b"\n \n" + data}[shape]
    plain = tmp_path / "in.mbox"
    plain.write_bytes(data)
    given = plain
    if shape == "gzip":  # git reads no gzip: the oracle reads what it unpacks to
        given = tmp_path / "in.mbox.gz"
        given.write_bytes(gzip.compress(data))
    expected = git_am_messages(tmp_path, plain, *(["--patch-format=mboxrd"] if rd else []))
    assert len(expected) == 2
    assert our_messages(given) == expected
    # The commit text as written: only the mboxrd writers give it back whole (b4 mbox quotes ">From " as
    # it stands, so its ">From a quoted line" comes back without its ">", as git am reads it too).
    if writer in ("format-patch", "lore"):
        assert expected[0].split("\n\n", 1)[1] == LOG.strip("\n")


B4 = shutil.which("b4", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.mark.skipif(B4 is None, reason="b4 is not installed (pip install -e '.[test]')")
@pytest.mark.parametrize("writer", ["mutt", "python-mailbox"])
def test_mboxo_reads_as_b4_am_reads_a_local_mbox(tmp_path: Path, writer: str) -> None:
    """``b4 am -m`` reads a local file with Python's mailbox, which keeps every ``>From``, as plain git am."""
    data, _ = _written(tmp_path, writer)
    (tmp_path / "in.mbox").write_bytes(data)
    out = tmp_path / "b4-out"
    out.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    subprocess.run([str(B4), "-n", "--offline-mode", "am", "-m", str(tmp_path / "in.mbox"), "-o", str(out),
                    "--no-cover"],
                   cwd=tmp_path, env=env, capture_output=True, timeout=120, check=True)
    (mbx,) = out.glob("*.mbx")
    b4_made = git_am_messages(tmp_path, mbx)
    assert our_messages(tmp_path / "in.mbox") == b4_made
    assert b4_made[0].split("\n\n", 1)[1].startswith(">From the start")


def test_each_message_is_read_by_its_own_separator(tmp_path: Path) -> None:
    """``cat 0001.patch t.mbox``: the format-patch mail as plain git am reads it, the lore mail as
    ``git am --patch-format=mboxrd`` reads it alone."""
    fp, lore = tmp_path / "fp.mbox", tmp_path / "lore.mbox"
    fp.write_bytes(_format_patch(tmp_path))
    mails = _mails(fp.read_bytes())
    fp.write_bytes(re.split(rb"(?m)^(?=From [0-9a-f]{40} )", fp.read_bytes())[1])  # the first mail only
    write_mailbox(lore, mails[1:], "mboxrd")
    both = tmp_path / "both.mbox"
    both.write_bytes(fp.read_bytes() + lore.read_bytes())
    repo = init_repo(tmp_path / "am")
    for path, options in ((fp, ()), (lore, ("--patch-format=mboxrd",))):
        assert git(repo, "am", "-q", *options, str(path), check=False).returncode == 0
    log = git(repo, "log", "--reverse", "--format=%B%x00", "HEAD").stdout.decode()
    assert our_messages(both) == [m.strip("\n") for m in log.split("\0")[1:-1]]


@pytest.mark.parametrize(("lead", "split"), [(b"   ", True), (b"\t\n  \r\n", True), (b"\n\v\f", False)])
def test_white_space_before_the_first_line(tmp_path: Path, lead: bytes, split: bool) -> None:
    """git mailsplit skips white-space bytes, not lines, before the first line (git's isspace: no ``\\v``,
    ``\\f``): ``   From x ...`` is a separator there (git am --patch-format=mbox; plain git am's format
    detection may refuse such a file), ``\\v\\fFrom x ...`` makes the file one bare message."""
    data, _ = _written(tmp_path, "mutt")
    (tmp_path / "in.mbox").write_bytes(lead + data)
    parts = mailsplit(tmp_path, tmp_path / "in.mbox")
    assert len(parts) == len(list(_split_mbox(lead + data))) == (2 if split else 1)
    if split:
        assert our_messages(tmp_path / "in.mbox") == git_am_messages(tmp_path, tmp_path / "in.mbox",
                                                                       "--patch-format=mbox")


def test_a_body_line_shaped_as_a_separator_splits_as_git_splits(tmp_path: Path) -> None:
    """format-patch quotes nothing (a Content-Length header changes nothing either): a commit message line
    ``From ADDR DATE`` starts a new message for git mailsplit, and git am stops ("Patch is empty")."""
    data = _format_patch(tmp_path, f"From ann@example.org Mon Jan  5 10:00:00 2026\nmore text\n\n{SIGN}")
    data = data.replace(b"\nSubject:", b"\nContent-Length: 400\nSubject:")
    (tmp_path / "in.mbox").write_bytes(data)
    assert len(list(_split_mbox(data))) == len(mailsplit(tmp_path, tmp_path / "in.mbox")) == 4
    series = parse_series(IngestRequest((tmp_path / "in.mbox",)))
    assert not series.all_patches()
    assert any("Patch is empty" in s.reason for s in series.skipped)


def _candidates() -> list[bytes]:
    rng = random.Random(7)
    pieces = [b"1", b"12", b":", b"12:34", b"1:23:45", b" ", b"\t", b"2026", b"90", b"91", b"+", b"-", b"x",
              b"a@b", b"0", b"\xd9\xa3", b"\v", b"99999999999999999999"]
    fixed = [b"From a@b Mon Jan  5 10:00:00 2026", b"From a@b 10:00:00 90", b"From a@b 10:00:00 +91",
             b"From a@b 10:00:00  \t 2026", b"From 1:23:45 2026", b"From x 12:34:56 2026:",
             b"From a@b 10:00:00 2026\r", b"From: a@b 10:00:00 2026", b" From a@b Mon Jan  5 10:00:00 2026",
             b"From\ta@b 10:00:00 2026", b"From 0:00:00 91", b"From x 00:00:00\n"]
    return fixed + [b"From " + b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))) for _ in range(2000)]


def test_separator_shapes_agree_with_git_mailsplit(tmp_path: Path) -> None:
    """builtin/mailsplit.c is_from_line on 2,000 lines built around its checks (colon, digits, year, length)."""
    head = b"From x@y Mon Jan  5 10:00:00 2026\nFrom: a@b\nSubject: s\n\n"
    lines = _candidates()
    data = head + b"".join(b"marker %d\n%s\n" % (i, c) for i, c in enumerate(lines))
    (tmp_path / "c.mbox").write_bytes(data)
    parts = mailsplit(tmp_path, tmp_path / "c.mbox")
    # Each part but the last ends with the marker of the candidate git took as the next separator.
    ours = [i for i, c in enumerate(lines) if is_from_line(c + b"\n")]
    split = [int(m) for p in parts[:-1] for m in re.findall(rb"marker (\d+)\n\Z", p)]
    assert split == ours and len(ours) > 100
    assert len(list(_split_mbox(data))) == len(parts)

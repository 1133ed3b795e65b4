"""Patch mail as other mail clients and tools dress it, and the CLI-level comparison with ``git am``.

Each client style turns one ``git format-patch`` commit (title, commit message, patch part from ``---``)
into the bytes a mailer would send: quoted-printable or base64 bodies with or without a charset, CRLF
line ends, the diff attached as ``text/x-patch`` / ``text/x-diff`` / ``application/octet-stream``,
``multipart/alternative``, RFC 2047 headers (UTF-8 and ISO-8859-1, folded, a character cut between two words),
``git send-email``'s in-body ``From:``/``Date:`` for another author, an in-body ``Subject:``, format=flowed with
and without DelSp, Windows-1252 text, very long headers. ``cli_agreement`` then runs ``seamharness series --json``
and ``seamharness apply`` on them as a user does and compares author, author date, title, trailers and
every complete file's blob with what ``git am`` commits from the same files.
"""

from __future__ import annotations

import base64
import contextlib
import json
import quopri
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from hypothesis import strategies as st
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import Change, format_patches, git, history, init_repo, mailsplit
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, HELPER_V2

SIGN = "Signed-off-by: J\u00fcrgen Writer <jw@example.org>\n"


def demo_changes(extra: str = "") -> list[Change]:
    """Three commits of the demo helper; ``extra`` is added to each commit message's first paragraph."""
    return [
        Change("demo: add helper", f"Adds it.{extra}\n\n{SIGN}", {HELPER_PATH: HELPER_V0.encode()}),
        Change("demo: print fn in decimal", f"Decimal \u201creads\u201d better, na\u00efve.{extra}\n\n{SIGN}",
               {HELPER_PATH: HELPER_V1.encode()}),
        Change("demo: try five times", f"Five tries \u2013 enough.{extra}\n\n{SIGN}",
               {HELPER_PATH: HELPER_V2.encode()}),
    ]


@dataclass(frozen=True)
class Made:
    """One commit as ``git format-patch`` mails it, split for restyling."""

    number: int
    total: int
    title: str
    log: bytes  # the commit message body (after the subject line), UTF-8
    patch: bytes  # from the ``---`` line to the signature


Style = Callable[[Made], bytes]


def head(subject: str, sender: str = "Ann Author <ann@example.org>", extra: str = "",
         date: str = "Mon, 05 Jan 2026 10:00:00 +0000") -> bytes:
    """Top-level headers up to (not including) the MIME ones; ``subject`` and ``sender`` as they go on the wire."""
    return (f"From: {sender}\nSubject: {subject}\nDate: {date}\nMessage-ID: <{abs(hash(subject)) % 10**12}"
            f".{len(subject)}@example.org>\nMIME-Version: 1.0\n{extra}").encode()


def qp(data: bytes) -> bytes:
    return quopri.encodestring(data)


def b64(data: bytes) -> bytes:
    return base64.encodebytes(data)


def _tag(m: Made, tag: str = "PATCH") -> str:
    return f"[{tag} {m.number}/{m.total}]"


def _diff_cut(patch: bytes) -> int:
    return patch.index(b"diff --git")


def flowed_delsp(text: bytes, width: int = 40) -> bytes:
    """``text`` as Thunderbird sends it with format=flowed; delsp=yes: trailing spaces dropped (RFC 3676 4.2: an
    empty context line " " goes out empty, which git apply still reads as context), lines that begin with a space,
    ``From `` or ``>`` space-stuffed, long lines soft-broken (a space added before each break, which DelSp deletes)."""
    out: list[bytes] = []
    for line in text.split(b"\n"):
        line = line if line == b"-- " else line.rstrip(b" ")
        if line.startswith((b" ", b"From ", b">")):
            line = b" " + line
        while len(line) > width:
            out.append(line[:width] + b" ")
            line = b" " + line[width:] if line[width:].startswith((b" ", b"From ", b">")) else line[width:]
        out.append(line)
    return b"\n".join(out)


def flowed_no_delsp(text: bytes, width: int = 40) -> bytes:
    """``text`` as a mailer sends format=flowed without DelSp (RFC 3676 4.2): trailing spaces dropped, lines that
    begin with a space, ``From `` or ``>`` space-stuffed, long lines broken after a space, which stays (the soft
    break: unflowing joins the pieces as they were)."""
    out: list[bytes] = []
    for line in text.split(b"\n"):
        line = line if line == b"-- " else line.rstrip(b" ")
        if line.startswith((b" ", b"From ", b">")):
            line = b" " + line
        while len(line) > width and b" " in line[1:width]:
            cut = line.rindex(b" ", 1, width) + 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return b"\n".join(out)


def split_words(text: str) -> str:
    """``text`` as two RFC 2047 base64 words on two header lines, cut inside its first multi-byte character (each
    word's bytes are not whole UTF-8 alone; git joins the words' bytes before it converts them)."""
    raw = text.encode()
    cut = next((k for k in range(1, len(raw)) if raw[k] & 0xC0 == 0x80), len(raw) // 2)
    return (f"=?UTF-8?B?{base64.b64encode(raw[:cut]).decode()}?=\n"
            f" =?UTF-8?B?{base64.b64encode(raw[cut:]).decode()}?=")


STYLES: dict[str, Style] = {
    # Thunderbird / Evolution: quoted-printable UTF-8.
    "qp-utf8": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=UTF-8\n"
    b"Content-Transfer-Encoding: quoted-printable\n\n" + qp(m.log + m.patch),
    # A hand-rolled sender: quoted-printable and no Content-Type at all.
    "qp-no-charset": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Transfer-Encoding: quoted-printable\n\n"
    + qp(m.log + m.patch),
    # Gmail's web client: base64, text/plain without a charset.
    "base64-no-charset": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain\n"
    b"Content-Transfer-Encoding: base64\n\n" + b64(m.log + m.patch),
    # An .eml saved on Windows: every line CRLF, quoted-printable.
    "crlf-qp": lambda m: (head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=UTF-8\n"
                          b"Content-Transfer-Encoding: quoted-printable\n\n"
                          + qp(m.log + m.patch)).replace(b"\n", b"\r\n"),
    # Thunderbird's "attach": the diff as a base64 text/x-patch attachment inside multipart/mixed.
    "x-patch-base64": lambda m: head(f"{_tag(m)} {m.title}") + b'Content-Type: multipart/mixed; boundary="BB"\n\n'
    b"This is a multi-part message in MIME format.\n--BB\nContent-Type: text/plain; charset=UTF-8\n"
    b"Content-Transfer-Encoding: 8bit\n\n" + m.log + m.patch[: _diff_cut(m.patch)] + b"\n--BB\n"
    b'Content-Type: text/x-patch; name="0001.patch"\nContent-Transfer-Encoding: base64\n'
    b'Content-Disposition: attachment; filename="0001.patch"\n\n' + b64(m.patch[_diff_cut(m.patch):]) + b"--BB--\n",
    # The whole patch part as a text/x-diff attachment, the commit message in the text part.
    "x-diff-attached": lambda m: head(f"{_tag(m)} {m.title}") + b'Content-Type: multipart/mixed; boundary="BB"\n\n'
    b"--BB\nContent-Type: text/plain; charset=UTF-8\n\n" + m.log + b"\n--BB\n"
    b'Content-Type: text/x-diff; charset=us-ascii; name="x.diff"\nContent-Disposition: attachment\n\n'
    + m.patch + b"\n--BB--\n",
    # Outlook: Windows-1252, 8-bit.
    "windows-1252": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=Windows-1252\n"
    b"Content-Transfer-Encoding: 8bit\n\n" + m.log.decode().encode("cp1252") + m.patch,
    # RFC 2047 From (ISO-8859-1) and Subject (UTF-8), both folded across encoded words.
    "rfc2047-folded": lambda m: head(
        f"=?utf-8?q?=5BPATCH_v4_RESEND_{m.number:02d}/{m.total:02d}=5D_?=\n =?utf-8?q?{m.title.replace(' ', '_')}?=",
        "=?iso-8859-1?q?J=FCrgen?=\n =?iso-8859-1?q?_Writer?= <jw@example.org>")
    + b"Content-Type: text/plain; charset=utf-8\n\n" + m.log + m.patch,
    # b4/netdev prefixes, blanks and tabs around the title, a quoted display name with a comma.
    "netdev-rfc": lambda m: head(f"[RFC PATCH net-next v2 {m.number}/{m.total}]\t {m.title}  ",
                                 '"Writer, J\u00fcrgen" <jw@example.org>')
    + b"Content-Type: text/plain; charset=utf-8\n\n" + m.log + m.patch,
    # git send-email for another author: in-body From: (RFC 2047) and Date:.
    "send-email-author": lambda m: head(f"{_tag(m, 'PATCH v2')} {m.title}", "Sender Person <sender@example.org>")
    + b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    b"From: =?UTF-8?q?J=C3=BCrgen=20Writer?= <jw@example.org>\nDate: Tue, 6 Jan 2026 11:00:00 +0100\n\n"
    + m.log + m.patch,
    # Very long headers: a References line of 200 ids, a 5000-byte header, a 600-byte subject.
    "long-headers": lambda m: head(
        f"{_tag(m)} {m.title}", extra="References: " + " ".join(f"<r{k}.{'x' * 40}@example.org>" for k in range(200))
        + f"\nX-Long: {'y' * 5000}\n") + b"Content-Type: text/plain; charset=utf-8\n\n" + m.log + m.patch,
    # Text before a scissors line: git am (no --scissors, its default) keeps it in the commit message.
    "scissors": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=utf-8\n\n"
    b"Someone wrote:\n> a question\n\n-- >8 --\n" + m.log + m.patch,
    # A "---" line inside the commit message: git ends the message there, the rest (a sign-off too) is notes.
    "dashes-in-log": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=utf-8\n\n"
    + m.log.replace(b"\n\n", b"\n---\nnotes in the log\n\n", 1) + m.patch,
    # Thunderbird with flowed text: format=flowed; delsp=yes, context lines space-stuffed, long lines broken.
    "flowed-delsp": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=UTF-8; "
    b"format=flowed; delsp=yes\nContent-Transfer-Encoding: 8bit\n\n" + flowed_delsp(m.log + m.patch),
    # PGP/MIME (mutt, Evolution): the patch in the first part of multipart/signed, then the signature part.
    "pgp-mime": lambda m: head(f"{_tag(m)} {m.title}") + b'Content-Type: multipart/signed; micalg=pgp-sha256;\n'
    b' protocol="application/pgp-signature"; boundary="SIG"\n\n--SIG\nContent-Type: text/plain; charset=utf-8\n'
    b"Content-Disposition: inline\n\n" + m.log + m.patch + b"\n--SIG\nContent-Type: application/pgp-signature; "
    b'name="signature.asc"\n\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----\n'
    b"\n--SIG--\n",
    # A Japanese mailer: Shift_JIS, 8-bit; git's iconv reads the log's backslash as a yen sign.
    "shift-jis": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=Shift_JIS\n"
    b"Content-Transfer-Encoding: 8bit\n\n" + m.log.decode().replace("\n\n", " (\\n \u8868\u793a)\n\n", 1)
    .encode("shift_jis", "replace") + m.patch,
    # The whole patch part base64 in an application/octet-stream attachment named *.patch (a webmail's guess).
    "octet-stream-attached": lambda m: head(f"{_tag(m)} {m.title}")
    + b'Content-Type: multipart/mixed; boundary="BB"\n\n--BB\nContent-Type: text/plain; charset=UTF-8\n'
    b"Content-Transfer-Encoding: 8bit\n\n" + m.log + b"\n--BB\n"
    b'Content-Type: application/octet-stream; name="0001.patch"\nContent-Transfer-Encoding: base64\n'
    b'Content-Disposition: attachment; filename="0001.patch"\n\n' + b64(m.patch) + b"--BB--\n",
    # The title given again as an in-body Subject: (another tool's resend): git takes the in-body one.
    "inbody-subject": lambda m: head(f"{_tag(m)} not this title") + b"Content-Type: text/plain; charset=utf-8\n\n"
    + f"Subject: {_tag(m)} {m.title}\n\n".encode() + m.log + m.patch,
    # A subject of encoded words folded across lines, a character cut between two of them.
    "rfc2047-split-char": lambda m: head(f"{_tag(m)} " + split_words(f"\u00e9t\u00e9 {m.title}"))
    + b"Content-Type: text/plain; charset=utf-8\n\n" + m.log + m.patch,
    # format=flowed without DelSp: the space before each soft break stays in the joined line.
    "flowed-no-delsp": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=UTF-8; "
    b"format=flowed\nContent-Transfer-Encoding: 8bit\n\n" + flowed_no_delsp(m.log + m.patch),
    # A signature block after the diff, as a mailer appends it.
    "signature": lambda m: head(f"{_tag(m)} {m.title}") + b"Content-Type: text/plain; charset=utf-8\n\n"
    + m.log + m.patch + b"-- \nJ\xc3\xbcrgen, Example Corp.\n+49 555 0100\n",
}


def write_series(folder: Path, tmp: Path, style: Style, changes: list[Change] | None = None) -> list[Path]:
    """The demo commits mailed in ``style``, one ``NNNN.eml`` per patch in ``folder``; their paths in order."""
    made = format_patches(tmp, changes or demo_changes())
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, (title, log, patch) in enumerate(made, start=1):
        out.append(folder / f"{i:04d}.eml")
        out[-1].write_bytes(style(Made(i, len(made), title, log, patch)))
    return out


def format_patch(tmp: Path, options: list[str], changes: list[Change] | None = None) -> tuple[Path, list[Path]]:
    """The demo commits (authored by J\u00fcrgen) as ``git format-patch -o OUT OPTIONS`` writes them: OUT and
    its patch files (a cover letter ``0000-*`` left out: git am finds it empty)."""
    repo = init_repo(tmp / f"fp-{len(list(tmp.glob('fp-*')))}")
    made = changes or demo_changes()
    for c in made:
        for path, data in c.files.items():
            (repo / path).parent.mkdir(parents=True, exist_ok=True)
            (repo / path).write_bytes(data or b"")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--author=J\u00fcrgen Writer <jw@example.org>", "-m", f"{c.title}\n\n{c.log}")
    out = tmp / f"{repo.name}-out"
    git(repo, "format-patch", "-q", "-o", str(out), *options, f"HEAD~{len(made)}")
    return out, [f for f in sorted(out.iterdir()) if not f.name.startswith("0000-")]


@dataclass(frozen=True)
class GitCommit:
    """What ``git am`` committed for one mail."""

    author: str
    email: str
    date: str  # ISO 8601 with offset
    subject: str
    body: str
    blobs: dict[str, str]


def git_am(tmp: Path, mails: list[Path]) -> list[GitCommit]:
    """``git am`` (plain, no options: as a maintainer runs it) of each file in turn; the commits it made."""
    repo = init_repo(tmp / f"am-{len(list(tmp.glob('am-*')))}")
    files = [f for top in mails for f in (sorted(top.iterdir()) if top.is_dir() else [top])]
    split = mailsplit(tmp, *files)
    paths = []
    for i, data in enumerate(split):
        paths.append(tmp / f"am-mail-{len(list(tmp.glob('am-mail-*')))}-{i}")
        paths[-1].write_bytes(data)
    res = git(repo, "am", "--quiet", "--keep-cr", *map(str, paths), check=False)
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")
    commits = []
    for (author, email, date, subject, body), blobs in history(repo, "%an", "%ae", "%aI", "%s", "%b")[1:]:
        commits.append(GitCommit(author, email, date, subject, body.rstrip("\n"), blobs))
    return commits


def git_trailers(tmp: Path, body: str) -> list[tuple[str, str]]:
    res = git(tmp, "interpret-trailers", "--parse", stdin=body.encode())
    return [(k, v.strip()) for k, v in (ln.split(":", 1) for ln in res.stdout.decode().splitlines())]


def cli_agreement(tmp: Path, inputs: list[Path], am_inputs: list[Path] | None = None) -> int:
    """``seamharness series --json`` and ``seamharness apply`` on ``inputs`` against ``git am`` of the same files.

    The inputs hold one revision. Compared per patch: author, author date (as an instant), title,
    trailers, and every complete file of ``apply --variant vN:KK`` (blob id, from the written file)
    against ``git am``'s tree after that patch. ``am_inputs`` (default ``inputs``) are the files ``git am``
    is given: the patches without a cover letter, which git am finds empty. Returns the number of blobs compared.
    """
    runner = CliRunner()
    res = runner.invoke(app, ["series", *map(str, inputs), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    (rev,) = data["revisions"]
    commits = git_am(tmp, am_inputs or inputs)
    patches = [p for p in rev["patches"] if not p.get("missing")]
    assert len(patches) == len(commits), (len(patches), len(commits))
    blobs = 0
    for k, (p, c) in enumerate(zip(patches, commits, strict=True), start=1):
        assert (p["author"], p["title"]) == (c.author, c.subject), (p["author"], p["title"], c)
        assert parsedate_to_datetime(p["date"]).isoformat() == c.date.replace("Z", "+00:00"), (p["date"], c.date)
        assert [(t["key"], t["value"]) for t in p["trailers"]] == git_trailers(tmp, f"{c.subject}\n\n{c.body}")
        out = tmp / f"apply-{k}-{len(list(tmp.glob('apply-*')))}"
        name = f"v{rev['version']}:{k:02d}"
        res = runner.invoke(app, ["apply", *map(str, inputs), "--variant", name, "--out", str(out)])
        assert res.exit_code == 0, res.output
        files = json.loads((out / "provenance.json").read_text())["files"]
        complete = {f["path"]: f["blob"] for f in files if f["complete"]}
        assert complete == {path: c.blobs[path] for path in complete}, (name, complete, c.blobs)
        if complete:  # one git hash-object of every file written
            ids = git(tmp, "hash-object", "--", *(str(out / path) for path in complete)).stdout.decode().split()
            assert ids == list(complete.values()), (name, ids, complete)
            blobs += len(complete)
    return blobs


# -- MIME trees as mailers nest them: the mail layer against git mailinfo on generated structure ------------

_LOG_LINES = ["Fix the retry.", "Caf\u00e9 na\u00efve \u201cq\u201d", "", "Signed-off-by: J\u00fcrgen <j@example.org>",
              "---", "-- ", "From: Zo\u00eb <z@example.org>", "Subject: in body",
              "Date: Tue, 6 Jan 2026 11:00:00 +0100", "> quoted", "-- >8 --", " lead", "trail  "]
MIME_DIFF = (b"diff --git a/x.c b/x.c\nindex 1111111..2222222 100644\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n"
             b"-old caf\xc3\xa9\n+new \xe9\n")


@st.composite
def mime_text(draw: st.DrawFn) -> bytes:
    return ("\n".join(draw(st.lists(st.sampled_from(_LOG_LINES), max_size=5))) + "\n").encode()


@st.composite
def mime_leaf(draw: st.DrawFn, content: bytes, depth: int) -> bytes:
    """One text part: a type, a charset (the text re-encoded in it when it fits), a transfer encoding."""
    kind = draw(st.sampled_from(["text/plain", "text/x-patch", "text/x-diff", "text/html", "application/octet-stream"]))
    charset = draw(st.sampled_from(["", "utf-8", "UTF8", "iso-8859-1", "us-ascii", "windows-1252"]))
    cte = draw(st.sampled_from(["", "7bit", "8bit", "quoted-printable", "base64", "Base64", "QUOTED-PRINTABLE"]))
    if charset and not charset.lower().startswith("utf"):
        with contextlib.suppress(UnicodeError):
            content = content.decode("utf-8").encode(charset)
    body = b64(content) if cte.lower() == "base64" else qp(content) if cte.lower() == "quoted-printable" else content
    head = f"Content-Type: {kind}" + (f"; charset={charset}" if charset else "")
    head += "; format=flowed" if draw(st.integers(0, 6)) == 0 else ""
    return (head + "\n" + (f"Content-Transfer-Encoding: {cte}\n" if cte else "") + "\n").encode() + body


@st.composite
def mime_part(draw: st.DrawFn, content: bytes, depth: int = 0) -> bytes:
    """A part holding ``content`` first: a leaf, or a multipart (mixed or alternative) of up to three parts
    with preambles, epilogues, boundaries that prefix one another, a missing end boundary, blanks after one."""
    if depth >= 3 or draw(st.integers(0, 2)) == 0:
        return draw(mime_leaf(content, depth))
    kind = draw(st.sampled_from(["multipart/mixed", "multipart/alternative"]))
    boundary = draw(st.sampled_from(["B", "B2", "=_b", "x" * 70, "sep sep"])) + str(depth)
    kids = [draw(mime_part(content, depth + 1))]
    kids += [draw(mime_part(draw(mime_text()), depth + 1)) for _ in range(draw(st.integers(0, 2)))]
    out = f'Content-Type: {kind}; boundary="{boundary}"\n\n'.encode() + draw(st.sampled_from([b"", b"preamble\n"]))
    for kid in kids:
        line = f"--{boundary}{draw(st.sampled_from(['', ' ']))}\n".encode()
        out += line + kid + (b"" if kid.endswith(b"\n") else b"\n")
    if draw(st.integers(0, 6)):
        out += f"--{boundary}--\n".encode()
    return out + draw(st.sampled_from([b"", b"epilogue\n"]))


@st.composite
def mime_mail(draw: st.DrawFn) -> bytes:
    """A patch mail whose patch sits in the first leaf of a generated MIME tree; LF or CRLF line ends."""
    content = draw(mime_text()) + draw(st.sampled_from([b"---\n", b""])) + MIME_DIFF
    mail = b"From: Ann <ann@example.org>\nSubject: [PATCH] t\nMIME-Version: 1.0\n" + draw(mime_part(content))
    return mail.replace(b"\n", b"\r\n") if draw(st.integers(0, 4)) == 0 else mail

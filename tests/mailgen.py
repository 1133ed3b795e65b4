"""Builders for test mail: a small synthetic series with its own helper code, written for these tests."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

HELPER_PATH = "drivers/demo/helper.h"

# A tiny helper header of our own, in the shape of the code under review.
HELPER_V0 = """\
/* demo helper */
#ifndef DEMO_HELPER_H
#define DEMO_HELPER_H

#define DEMO_BUSY 0x8000000000000010ULL

static inline u64 demo_retry(u64 fn)
{
	int tries = 3;
	u64 ret;

	do {
		ret = demo_call(fn);
	} while (ret == DEMO_BUSY && --tries);

	return ret;
}

static inline void demo_err(u64 fn, u64 err)
{
	pr_err("DEMO (0x%016llx) failed: 0x%016llx\\n", fn, err);
}

#endif
"""

HELPER_V1 = HELPER_V0.replace("DEMO (0x%016llx)", "DEMO (%llu)")
HELPER_V2 = HELPER_V1.replace("int tries = 3;", "int tries = 5;")


def blob(text: str) -> str:
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def diff(path: str, old: str | None, new: str | None, context: int = 3) -> str:
    """A git-style diff between two texts of one file (None for absent)."""
    a = (old or "").splitlines(keepends=True)
    b = (new or "").splitlines(keepends=True)
    head = [f"diff --git a/{path} b/{path}\n"]
    if old is None:
        head.append("new file mode 100644\n")
    if new is None:
        head.append("deleted file mode 100644\n")
    ob = blob(old)[:12] if old is not None else "0" * 12
    nb = blob(new)[:12] if new is not None else "0" * 12
    mode = "" if old is None or new is None else " 100644"
    head.append(f"index {ob}..{nb}{mode}\n")
    lines = list(difflib.unified_diff(
        a, b, "/dev/null" if old is None else f"a/{path}",
        "/dev/null" if new is None else f"b/{path}", n=context))
    lines = [ln.rstrip(" ") if ln.startswith(("---", "+++")) else ln for ln in lines]
    # A last line without its line end, as git diff writes it.
    lines = [ln if ln.endswith("\n") else ln + "\n\\ No newline at end of file\n" for ln in lines]
    return "".join(head + lines)


def message(subject: str, msgid: str, body: str, *, sender: str = "Ann Author <ann@example.org>",
            parent: str | None = None, refs: tuple[str, ...] = (), cte: str | None = None,
            charset: str = "utf-8", date: str = "Mon, 05 Jan 2026 10:00:00 +0000") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = f"<{msgid}>"
    if parent:
        msg["In-Reply-To"] = f"<{parent}>"
    if refs:
        msg["References"] = " ".join(f"<{r}>" for r in refs)
    msg.set_content(body, charset=charset, cte=cte)
    return msg


def patch_body(log: str, diff_text: str, notes: str = "") -> str:
    notes_part = f"{notes}\n" if notes else ""
    return (
        f"{log}\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n{notes_part}"
        f" {HELPER_PATH} | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n{diff_text}-- \n2.47.0\n"
    )


def demo_series(version: int = 2, total: int = 3) -> list[EmailMessage]:
    """Cover + 1/3 (create helper) + 2/3 (decimal) + 3/3 (more tries); patch numbering of ``total``."""
    tag = f"PATCH v{version}" if version > 1 else "PATCH"
    cover_id = f"cover-v{version}@example.org"
    msgs = [message(f"[{tag} 0/{total}] demo: helper rework", cover_id,
                    "Cover letter text.\n\nbase-commit: 0123456789abcdef0123456789abcdef01234567\n")]
    steps = [(None, HELPER_V0, "demo: add helper"), (HELPER_V0, HELPER_V1, "demo: print fn in decimal"),
             (HELPER_V1, HELPER_V2, "demo: try five times")]
    for n, (old, new, title) in enumerate(steps[:total], start=1):
        body = patch_body(f"Change number {n}.", diff(HELPER_PATH, old, new),
                          notes=f"v{version}:\n - reworded" if version > 1 else "")
        msgs.append(message(f"[{tag} {n}/{total}] {title}", f"p{n}-v{version}@example.org", body,
                            parent=cover_id, refs=(cover_id,)))
    return msgs


def demo_reply(msgid: str, name: str, minute: int, text: str) -> bytes:
    """A plain-text reply to demo_series()'s v2 3/3 from ``name`` (address from ``msgid``), quoting a line of it,
    then ``text`` and a thanks: what a reviewer's proposal below a patch looks like."""
    head = (f"From: {name} <{msgid.split('@')[0]}@example.net>\nTo: Ann Author <ann@example.org>\n"
            f"Subject: Re: [PATCH v2 3/3] demo: try five times\nMessage-ID: <{msgid}>\n"
            "In-Reply-To: <p3-v2@example.org>\nReferences: <cover-v2@example.org> <p3-v2@example.org>\n"
            f"Date: Mon, 5 Jan 2026 10:{minute:02d}:00 +0000\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 7bit\n\n")
    return (head + "On Mon, Ann Author wrote:\n> Change number 3.\n\n" + text + "\nThanks.\n").encode()


def write_mbox(path: Path, msgs: list[EmailMessage]) -> Path:
    with path.open("wb") as fh:
        for m in msgs:
            fh.write(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n")
            data = m.as_bytes(policy=SMTP).replace(b"\r\n", b"\n")
            data = b"\n".join(b">" + ln if ln.lstrip(b">").startswith(b"From ") else ln
                              for ln in data.split(b"\n"))
            fh.write(data.rstrip(b"\n") + b"\n\n")
    return path


def write_eml(path: Path, msg: EmailMessage) -> Path:
    path.write_bytes(msg.as_bytes(policy=SMTP).replace(b"\r\n", b"\n"))
    return path


# -- raw mail in every shape git am meets: charsets, transfer encodings, flowed, CRLF, attachments ----------

@dataclass(frozen=True)
class Shape:
    """How one patch mail is dressed on its way: what a mailer or an archive may have done to it."""

    charset: str = "utf-8"  # declared charset of the text (the diff's bytes are never re-encoded)
    cte: str = "8bit"  # 7bit, 8bit, quoted-printable or base64
    flowed: bool = False  # format=flowed: space-stuffing, soft breaks, trailing blanks stripped
    delsp: bool = False  # DelSp=yes: soft breaks may cut words, their space is not text
    crlf: bool = False  # every line of the mail ends in CRLF (as on the wire)
    crlf_inside: bool = False  # the encoded text itself has CRLF line ends (CR survives decoding)
    trailing_blanks: int = 0  # blank lines after the signature
    final_newline: bool = True
    attach: bool = False  # the diff as a text/x-patch attachment of a multipart/mixed mail
    inbody_from: str | None = None  # "From: Real Author <...>" at the top of the body


def flow(text: bytes, delsp: bool, width: int = 56) -> bytes:
    """RFC 3676 encoding as a mailer does it: trailing blanks dropped, long lines soft-broken, stuffing."""
    out: list[bytes] = []
    for line in text.split(b"\n"):
        if line != b"-- ":
            line = line.rstrip(b" ")
        pieces: list[bytes] = []
        while len(line) > width:
            cut = width if delsp else line.rfind(b" ", 1, width) + 1
            if cut <= 0 or not line[cut:].strip():
                break
            pieces.append(line[:cut] + (b" " if delsp else b""))
            line = line[cut:]
        pieces.append(line)
        for piece in pieces:
            stuffed = piece.startswith((b" ", b"From ", b">"))
            out.append(b" " + piece if stuffed else piece)
    return b"\n".join(out)


def _header_text(value: str) -> str:
    from email.header import Header

    return value if value.isascii() else Header(value, "utf-8").encode()


def shaped_mail(sender: str, subject: str, msgid: str, log: bytes, patch: bytes, shape: Shape,
                date: str = "Mon, 05 Jan 2026 10:00:00 +0000") -> bytes:
    """One raw message: ``log`` (the commit message, in ``shape.charset``) then ``patch`` (from ``---`` on)."""
    from email.utils import formataddr, parseaddr

    name, addr = parseaddr(sender)
    with contextlib.suppress(UnicodeError, LookupError):  # the log in the declared charset when it fits
        log = log.decode("utf-8").encode(shape.charset)
    head = [f"From: {formataddr((name, addr), charset='utf-8')}", f"Subject: {_header_text(subject.strip())}",
            f"Date: {date}", f"Message-ID: <{msgid}>", "MIME-Version: 1.0"]
    prefix = f"From: {shape.inbody_from}\n\n".encode() if shape.inbody_from else b""
    if shape.attach:
        cut = patch.find(b"diff --git")
        text, attached = prefix + log + patch[:cut], patch[cut:]
        boundary = "seam-boundary-0123"
        head.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
        body = (f"--{boundary}\n".encode() + _part(text, shape, "text/plain")
                + f"--{boundary}\n".encode() + _part(attached, Shape(cte="8bit"), "text/x-patch",
                                                      'attachment; filename="0001-change.patch"')
                + f"--{boundary}--\n".encode())
    else:
        part = _part(prefix + log + patch, shape, "text/plain")
        head_part, body = part.split(b"\n\n", 1)
        head.extend(head_part.decode().split("\n"))
    data = "\n".join(head).encode() + b"\n\n" + body + b"\n" * shape.trailing_blanks
    if not shape.final_newline:
        data = data.rstrip(b"\n")
    return data.replace(b"\n", b"\r\n") if shape.crlf else data


def _part(content: bytes, shape: Shape, ctype: str, disposition: str | None = None) -> bytes:
    import base64
    import quopri

    params = f"; charset={shape.charset}" if ctype == "text/plain" else ""
    if shape.flowed:
        content = flow(content, shape.delsp)
        params += "; format=flowed" + ("; delsp=yes" if shape.delsp else "")
    if shape.crlf_inside:
        content = content.replace(b"\n", b"\r\n")
    if shape.cte == "base64":
        encoded = base64.encodebytes(content)
    elif shape.cte == "quoted-printable":
        encoded = quopri.encodestring(content)
    else:
        encoded = content if content.endswith(b"\n") else content + b"\n"
    head = f"Content-Type: {ctype}{params}\nContent-Transfer-Encoding: {shape.cte}\n"
    if disposition:
        head += f"Content-Disposition: {disposition}\n"
    return head.encode() + b"\n" + encoded


MUTT_SEPARATOR = b"From ann@example.org Mon Jan  5 10:00:00 2026"
THUNDERBIRD_SEPARATOR = b"From - Mon Jan 05 10:00:00 2026"


def write_mailbox(path: Path, mails: list[bytes], style: str, separator: bytes = MUTT_SEPARATOR) -> Path:
    """Mails into one file: ``format-patch`` separators (nothing quoted), ``mboxrd`` (public-inbox: every
    ``>*From `` line one ``>`` more) or ``mboxo`` (mutt, Thunderbird: ``From `` lines become ``>From ``,
    ``>From `` stays as it is; ``separator`` before each mail)."""
    with path.open("wb") as fh:
        for i, mail in enumerate(mails):
            if style == "mboxrd":
                fh.write(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n")
                mail = re.sub(rb"(?m)^(>*From )", rb">\1", mail)
            elif style == "mboxo":
                fh.write(separator + b"\n")
                mail = re.sub(rb"(?m)^From ", b">From ", mail)
            else:
                fh.write(b"From %040x Mon Sep 17 00:00:00 2001\n" % (i + 1))
            fh.write(mail if mail.endswith(b"\n") else mail + b"\n")
            if style in ("mboxrd", "mboxo"):
                fh.write(b"\n")
    return path


# -- the repository's own mail fixtures (tests/fixtures/mail): one folder per kind of input ------------------

# UTF-8 text with one Latin-1 byte (0xe9) that is not valid UTF-8: a file git keeps byte for byte.
NAMES_H = b'/* demo names */\n#define DEMO_OWNER "Zo\xc3\xab"\n#define DEMO_LEGACY "caf\xe9"\n'


def _long_comment(width: int = 3) -> str:
    words = "the retry loop gives up after a bounded number of busy answers from the demo firmware"
    return "".join(f"\t/* {words} ({i}) */\n" for i in range(width))


def fixture_sets() -> dict[str, tuple[str, list[tuple[str, str, Shape]], list[object]]]:
    """Each fixture folder: (container, [(subject tag, sender, shape) per mail], the commits; the first ones
    are not mailed when there are more commits than mails: they make the tree the mails apply to)."""
    from tests.gitoracle import Change

    v0 = HELPER_V0.encode()
    v1 = HELPER_V1.replace("\tint tries = 3;\n", "\tint tries = 3;\n" + _long_comment()).encode()
    sign = "Signed-off-by: Ann Author <ann@example.org>\n"
    long_log = ("This change keeps the retry loop bounded and prints the function number in decimal, "
                "which is what the review asked for in the previous round of this series.\n\n")
    names = NAMES_H
    nonl = HELPER_V0.rstrip("\n").encode()
    plain = Shape()
    zoe = "Reviewed-by: Zo\u00eb Reviewer <zoe@example.org>\n"
    return {
        "flowed": ("eml", [("[PATCH v2 1/2]", "Ann Author <ann@example.org>", plain),
                           ("[PATCH v2 2/2]", "Ann Author <ann@example.org>", Shape(flowed=True))],
                   [Change("demo: add helper", f"Adds it.\n\n{sign}", {HELPER_PATH: v0}),
                    Change("demo: explain the retry", long_log + sign, {HELPER_PATH: v1})]),
        "flowed-delsp": ("eml", [("[PATCH 1/2]", "Ann Author <ann@example.org>", plain),
                                 ("[PATCH 2/2]", "Ann Author <ann@example.org>",
                                  Shape(flowed=True, delsp=True, cte="quoted-printable"))],
                         [Change("demo: add helper", f"Adds it.\n\n{sign}", {HELPER_PATH: v0}),
                          Change("demo: explain the retry", long_log + sign, {HELPER_PATH: v1})]),
        "single-8bit": ("eml", [("[PATCH v2]", "Ann Author <ann@example.org>", plain)],
                        [Change("base", "Not mailed: the tree the patch applies to.\n", {HELPER_PATH: v0}),
                         Change("demo: print fn in decimal", f"Decimal is easier to read.\n\n{sign}{zoe}",
                                {HELPER_PATH: HELPER_V1.encode()})]),
        "raw-bytes": ("eml", [("[PATCH 1/2]", "Ann Author <ann@example.org>", Shape(charset="us-ascii")),
                              ("[PATCH 2/2]", "J\u00fcrgen Writer <jw@example.org>",
                               Shape(charset="iso-8859-1", cte="8bit"))],
                      [Change("demo: add names", f"Adds the names header.\n\n{sign}", {"drivers/demo/names.h": names}),
                       Change("demo: rename the owner", f"Acked by J\u00fcrgen.\n\n{sign}",
                              {"drivers/demo/names.h": names.replace(b"Zo\xc3\xab", b"Zo\xeb and J\xc3\xbcrgen")})]),
        "from-lines": ("format-patch", [("[PATCH 1/2]", "Ann Author <ann@example.org>", plain),
                                        ("[PATCH 2/2]", "Ann Author <ann@example.org>", plain)],
                       [Change("demo: add helper", f"From the start it retried.\nFrom now on it logs.\n\n{sign}",
                               {HELPER_PATH: v0}),
                        Change("demo: decimal", f"From a reviewer's point of view decimal reads better.\n\n{sign}",
                               {HELPER_PATH: HELPER_V1.encode()})]),
        "encodings": ("mboxrd", [("[PATCH v3 1/3]", "Ann Author <ann@example.org>", Shape(cte="quoted-printable")),
                                 ("[PATCH v3 2/3]", "Ann Author <ann@example.org>", Shape(cte="base64", crlf=True)),
                                 ("[PATCH v3 3/3]", "Ann Author <ann@example.org>", Shape(attach=True))],
                      [Change("demo: add helper", f"From here on: quoted-printable.\n\n{sign}", {HELPER_PATH: v0}),
                       Change("demo: decimal", f"Base64 on the wire.\n\n{sign}", {HELPER_PATH: HELPER_V1.encode()}),
                       Change("demo: five tries", f"Attached.\n\n{sign}", {HELPER_PATH: HELPER_V2.encode()})]),
        "quoted-cr": ("eml", [("[PATCH 1/2]", "Ann Author <ann@example.org>", plain),
                              ("[PATCH 2/2]", "Ann Author <ann@example.org>", Shape(cte="base64", crlf_inside=True))],
                      [Change("demo: add helper", f"Adds it.\n\n{sign}", {HELPER_PATH: v0}),
                       Change("demo: decimal", f"A mailer turned every line end into CRLF.\n\n{sign}",
                              {HELPER_PATH: HELPER_V1.encode()})]),
        "no-newline": ("eml", [(f"[PATCH {i}/3]", "Ann Author <ann@example.org>", plain) for i in (1, 2, 3)],
                       [Change("demo: add helper", f"Without a final newline.\n\n{sign}", {HELPER_PATH: nonl}),
                        Change("demo: edit the last line", f"Still none.\n\n{sign}",
                               {HELPER_PATH: nonl.replace(b"#endif", b"#endif /* DEMO_HELPER_H */")}),
                        Change("demo: end with a newline", f"Now it has one.\n\n{sign}",
                               {HELPER_PATH: nonl.replace(b"#endif", b"#endif /* DEMO_HELPER_H */") + b"\n"})]),
        "modes-renames": ("format-patch", [(f"[PATCH {i}/4]", "Ann Author <ann@example.org>", plain)
                                           for i in (1, 2, 3, 4)],
                          [Change("demo: add helper and script", f"Two files.\n\n{sign}",
                                  {HELPER_PATH: v0, "scripts/demo.sh": b"#!/bin/sh\necho demo\n"}),
                           Change("demo: make the script executable", f"Mode only.\n\n{sign}", {},
                                  modes={"scripts/demo.sh": "100755"}),
                           Change("demo: move the helper", f"Renamed and touched.\n\n{sign}",
                                  {"drivers/demo/retry.h": v0.replace(b"int tries = 3;", b"int tries = 4;")},
                                  renames={HELPER_PATH: "drivers/demo/retry.h"}),
                           Change("demo: copy the helper", f"A copy for the second user.\n\n{sign}",
                                  {"drivers/demo/retry2.h": v0.replace(b"int tries = 3;", b"int tries = 4;")
                                   .replace(b"demo_err", b"demo_err2")},
                                  copies={"drivers/demo/retry.h": "drivers/demo/retry2.h"})]),
        "binary": ("eml", [("[PATCH 1/2]", "Ann Author <ann@example.org>", plain),
                           ("[PATCH 2/2]", "Ann Author <ann@example.org>", plain)],
                   [Change("demo: add helper and logo", f"A logo too.\n\n{sign}",
                           {HELPER_PATH: v0, "drivers/demo/logo.bin": bytes(range(256))}),
                    Change("demo: new logo, decimal", f"Both change.\n\n{sign}",
                           {HELPER_PATH: HELPER_V1.encode(), "drivers/demo/logo.bin": bytes(range(255, -1, -1))})]),
    }


def build_fixture(tmp: Path, name: str) -> list[tuple[str, bytes]]:
    """The files of one fixture folder: (file name, bytes)."""
    from tests.gitoracle import Change, format_patches

    container, mails, changes = fixture_sets()[name]
    made = format_patches(tmp, [c for c in changes if isinstance(c, Change)])[len(changes) - len(mails) :]
    raw = [shaped_mail(sender, f"{tag} {title}", f"{name}-{i}@example.org", log, patch, shape)
           for i, ((tag, sender, shape), (title, log, patch)) in enumerate(zip(mails, made, strict=True), start=1)]
    if container == "eml":
        return [(f"{i:04d}.eml", r) for i, r in enumerate(raw, start=1)]
    out = tmp / f"{name}.mbox"
    write_mailbox(out, raw, container)
    return [(f"{name}.mbox", out.read_bytes())]


if __name__ == "__main__":
    import sys
    import tempfile

    target = Path(sys.argv[1])
    for fixture in fixture_sets():
        folder = target / fixture
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, data in build_fixture(Path(tempfile.mkdtemp()), fixture):
            (folder / file_name).write_bytes(data)

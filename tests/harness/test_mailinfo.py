"""The mail layer against git: mailsplit's separators, mailinfo's decoding, flowed text, charsets, in-body headers."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from harness.apply import ApplyRequest, apply_variants
from harness.ingest import IngestRequest, parse_series
from harness.mailinfo import mailinfo
from harness.mailpaths import read_paths
from harness.mimedecode import decode_base64_line, decode_header, decode_qp_line, parse_from
from harness.sources import is_from_line
from harness.subject import parse_subject
from tests.gitoracle import git, init_repo, mailsplit
from tests.gitoracle import mailinfo as git_mailinfo
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, Shape, blob, diff, flow, shaped_mail

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
PATCH = diff(HELPER_PATH, HELPER_V0, HELPER_V1).encode()
LOG = b"Print the function number in decimal.\n\nSigned-off-by: Ann Author <ann@example.org>\n"


def _mail(shape: Shape, subject: str = "[PATCH] demo: decimal", log: bytes = LOG) -> bytes:
    return shaped_mail("Ann Author <ann@example.org>", subject, "m@example.org", log, b"---\n" + PATCH, shape)


@pytest.mark.parametrize("line", [
    b"From mboxrd@z Thu Jan  1 00:00:00 1970\n",
    b"From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n",
    b"From ann@example.org Mon Jan  5 10:00:00 2026\n",
    b"From the start, this line began with From.\n",
    b"From now on: 10:30 is the time\n",
    b"From a@b Mon Sep 17 00:00:00 1989\n",
    b"From a@b Mon Sep 17 00:00:00 70\n",
    b"From x 12:34:56\n",
    b"Fromage 12:34:56 2001\n",
])
def test_separator_lines_as_mailsplit_sees_them(tmp_path: Path, line: bytes) -> None:
    body = b"From: a@b\nSubject: s\n\nfirst\n"
    (tmp_path / "t.mbox").write_bytes(b"From x@y Mon Jan  5 10:00:00 2026\n" + body + line + body)
    assert len(mailsplit(tmp_path, tmp_path / "t.mbox")) == (2 if is_from_line(line) else 1)


def test_body_from_lines_of_format_patch_output_are_text() -> None:
    msgs, skipped = read_paths([MAIL / "from-lines" / "from-lines.mbox"])
    assert len(msgs) == 2 and not skipped
    patch = parse_series(IngestRequest((MAIL / "from-lines",))).all_patches()[0]
    assert patch.message.splitlines()[:2] == ["From the start it retried.", "From now on it logs."]


def test_a_bare_file_is_one_message_whatever_its_body_says(tmp_path: Path) -> None:
    mail = _mail(Shape()).replace(b"Print the", b"From me Mon Jan  5 10:00:00 2026\nPrint the")
    (tmp_path / "one.eml").write_bytes(mail)
    assert len(read_paths([tmp_path / "one.eml"])[0]) == len(mailsplit(tmp_path, tmp_path / "one.eml")) == 1


@pytest.mark.parametrize("shape", [
    Shape(), Shape(cte="quoted-printable"), Shape(cte="base64"), Shape(crlf=True), Shape(flowed=True),
    Shape(flowed=True, delsp=True, cte="quoted-printable"), Shape(charset="iso-8859-1"), Shape(attach=True),
    Shape(final_newline=False, trailing_blanks=2), Shape(inbody_from="Zo\u00eb Writer <zoe@example.org>"),
    Shape(cte="base64", crlf_inside=True),
], ids=repr)
def test_mailinfo_reads_as_git_mailinfo(tmp_path: Path, shape: Shape) -> None:
    raw = _mail(shape, log="Caf\u00e9 fix.\n\nReviewed-by: Zo\u00eb R <z@example.org>\n".encode())
    (tmp_path / "m.eml").write_bytes(raw)
    (message,) = mailsplit(tmp_path, tmp_path / "m.eml")
    theirs, ours = git_mailinfo(tmp_path, message), mailinfo(message, 1)
    assert b"".join(ln for _, ln in ours.patch) == theirs.patch
    assert (ours.author, ours.email) == (theirs.author, theirs.email)
    assert "\n".join(t for _, t in ours.log).strip() == theirs.message.strip()


@pytest.mark.parametrize("ends", [
    (b"\r\n", b"\r\n", b"\n", b"\n"),  # the first headers CRLF, the rest LF (a mail edited by hand)
    (b"\n", b"\n", b"\r\n", b"\r\n"),  # the last headers and the blank line CRLF, the body LF
    (b"\n", b"\r\r\n", b"\n", b"\r\n"),  # a CR before a CRLF, the blank line CRLF
    (b"\n", b"\r", b"\n", b"\n"),  # a lone CR: the next header is part of the subject, to git too
], ids=["crlf-then-lf", "lf-then-crlf", "cr-crlf", "lone-cr"])
def test_a_header_block_of_mixed_line_ends_reads_as_git_am_reads_it(tmp_path: Path, ends: tuple[bytes, ...]) -> None:
    # git am splits first (mailsplit drops the CR of each CRLF line), then mailinfo reads each line; no shape of
    # mixed ends read otherwise here (17 shapes, bare and in an mbox, checked once against git am; these four kept)
    heads = [b"From: Ann Author <ann@example.org>", b"Subject: [PATCH] demo: decimal",
             b"Date: Mon, 05 Jan 2026 10:00:00 +0000", b"Message-ID: <m@example.org>"]
    raw = b"".join(h + e for h, e in zip(heads, ends, strict=True)) + ends[-1] + LOG + b"---\n" + PATCH
    (tmp_path / "m.eml").write_bytes(raw)
    (message,) = mailsplit(tmp_path, tmp_path / "m.eml")
    theirs = git_mailinfo(tmp_path, message)
    (patch,) = parse_series(IngestRequest((tmp_path / "m.eml",))).all_patches()
    assert (patch.mail.author, patch.mail.subject.title) == (theirs.author, theirs.subject)
    assert patch.message.strip() == theirs.message.strip()


def test_flowed_mail_is_unflowed_as_git_does() -> None:
    text = b" context line\n" + b"word " * 20 + b"\n-- \n"
    flowed = flow(text, delsp=False)
    assert b"\n" in flowed.split(b"-- ")[0].strip() and flowed.startswith(b"  context")
    for folder in ("flowed", "flowed-delsp"):
        variants = apply_variants(ApplyRequest(parse_series(IngestRequest((MAIL / folder,)))))
        v = variants.get("v2" if folder == "flowed" else "v1")
        f = v.file(HELPER_PATH)
        assert f is not None and f.usable and not v.findings
        assert v.file(HELPER_PATH).blob.startswith(_index_blob(MAIL / folder / "0002.eml"))  # type: ignore[union-attr]


def _index_blob(mail: Path) -> str:
    line = next(ln for ln in mail.read_text("utf-8", "replace").splitlines() if ln.startswith("index "))
    return line.split("..")[1].split()[0]


def test_single_8bit_patch_is_patch_1_of_1_with_its_trailer(tmp_path: Path) -> None:
    series = parse_series(IngestRequest((MAIL / "single-8bit",)))
    (rev,) = series.revisions
    (patch,) = rev.patches
    assert (rev.version, rev.total, patch.number) == (2, 1, 1)
    assert ("Reviewed-by", "Zo\u00eb Reviewer <zoe@example.org>") in [(t.key, t.value) for t in patch.trailers]
    # Applied on the tree it was made against, it gives the blob its index line names, as git am does.
    tree = init_repo(tmp_path / "tree", {HELPER_PATH: HELPER_V0})
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    v = apply_variants(ApplyRequest(series, tree=tree, base=head)).get("v2")
    f = v.file(HELPER_PATH)
    assert f is not None and f.complete and f.usable and f.blob == blob(HELPER_V1) and not v.findings


def test_raw_bytes_of_the_diff_are_kept_whatever_the_charset(tmp_path: Path) -> None:
    series = parse_series(IngestRequest((MAIL / "raw-bytes",)))
    _, second = series.all_patches()
    assert second.message.startswith("Acked by J\u00fcrgen.") and second.mail.author == "J\u00fcrgen Writer"
    v = apply_variants(ApplyRequest(series)).get("v1")
    f = v.file("drivers/demo/names.h")
    assert f is not None and f.usable and not v.findings
    assert f.blob.startswith(_index_blob(MAIL / "raw-bytes" / "0002.eml"))  # type: ignore[union-attr]
    assert b"caf\xe9" in (f.text or "").encode("utf-8", "surrogateescape")


def test_quoted_cr_is_kept_and_the_blob_mismatch_is_a_finding() -> None:
    v = apply_variants(ApplyRequest(parse_series(IngestRequest((MAIL / "quoted-cr",))))).get("v1")
    reasons = [f.reason for f in v.findings]
    assert any("hunk does not apply" in r for r in reasons), reasons  # git am stops there too
    f = v.file(HELPER_PATH)
    assert f is not None and not f.usable


def test_in_body_from_is_the_author() -> None:
    raw = _mail(Shape(inbody_from="Zo\u00eb Writer <zoe@example.org>"))
    info = mailinfo(raw, 1)
    assert (info.author, info.email) == ("Zo\u00eb Writer", "zoe@example.org")
    assert not any(t.startswith("From:") for _, t in info.log)


@pytest.mark.parametrize(("value", "want"), [
    ("Ann Author <ann@example.org>", ("Ann Author", "ann@example.org")),
    ('"Author, Ann" <ann@example.org>', ("Author, Ann", "ann@example.org")),
    ("ann@example.org (Ann Author)", ("Ann Author", "ann@example.org")),
    ("<ann@example.org>", ("ann@example.org", "ann@example.org")),
    ("ann@example.org", ("ann@example.org", "ann@example.org")),
    ("A" * 61 + " <a@example.org>", ("a@example.org", "a@example.org")),
    ("Ann <ann>", ("Ann", "ann")),
    ("", ("", "")),
])
def test_from_parsed_as_git_mailinfo(tmp_path: Path, value: str, want: tuple[str, str]) -> None:
    assert parse_from(value) == want
    if value:
        git_side = git_mailinfo(tmp_path, f"From: {value}\nSubject: x\n\nbody\n".encode())
        assert (git_side.author, git_side.email) == want


@pytest.mark.parametrize("subject", [
    "=?UTF-8?B?Y2Fmw6k=?=",
    "=?UTF-8?B?W1BBVENIIHYzIDA2LzI2XSBjYWbD?=\n =?UTF-8?B?qQ==?=",  # a character split across two words
    "=?ISO-8859-1?Q?a=E9?= =?UTF-8?Q?_b=C3=A9?= tail",  # two charsets side by side
    "plain =?utf-8?q?x?= y",
])
def test_encoded_subjects_read_as_git_mailinfo_reads_them(tmp_path: Path, subject: str) -> None:
    ours = decode_header(subject.encode())
    git_side = git_mailinfo(tmp_path, f"From: a <a@b>\nSubject: {subject}\n\nbody\n".encode())
    assert ours.removeprefix("[PATCH v3 06/26] ") == git_side.subject


def test_encoded_words_and_transfer_lines() -> None:
    assert decode_header(b"=?utf-8?q?Zo=C3=AB_R?= <z@x>") == "Zo\u00eb R <z@x>"
    assert decode_header(b"=?iso-8859-1?B?SvxyZ2Vu?= =?utf-8?q?_W?=") == "J\u00fcrgen W"
    assert decode_header(b"=?x-unknown?q?plain?=") == "plain"
    assert decode_qp_line(b"a=3Db=\n") == b"a=b" and decode_qp_line(b"a=G1\n") == b"a=G1\n"
    assert decode_base64_line(base64.b64encode(b"hello") + b"\n") == b"hello"


def test_a_subject_of_many_encoded_words_is_decoded_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adjacent words' bytes are joined before they are read as text: joined by copying what was read so far
    for every word, a subject of 300,000 words (9 MB) took 13 s (93dd298^). Counted, not timed: each word's bytes
    say what a ``+`` joining them copied (a bytes subclass's __radd__, which Python asks before bytes' own __add__,
    and before a bytearray's in-place concatenation); grown in place, nothing."""
    import harness.mimedecode

    copied: list[int] = []

    class Piece(bytes):
        """A word's decoded bytes, counting the bytes read so far that a ``+`` copies to join them."""

        def __radd__(self, other: bytes) -> bytes:
            if isinstance(other, bytearray):  # grown in place, as bytearray's += does (its slot comes after this)
                other.extend(self)
                return other
            copied.append(len(other))
            return bytes(other) + bytes(self)

    real = harness.mimedecode.decode_base64_line
    monkeypatch.setattr(harness.mimedecode, "decode_base64_line", lambda line: Piece(real(line)))
    n = 5_000
    value = b" ".join(b"=?utf-8?b?" + base64.b64encode(f"w\u00e9rd{i} ".encode()) + b"?=" for i in range(n))
    text = decode_header(value)
    assert sum(copied) <= len(value), (len(copied), sum(copied))  # 93dd298^: 10,500 times n/2
    assert text == "".join(f"w\u00e9rd{i} " for i in range(n))


@pytest.mark.parametrize(("cte", "body"), [
    ("base64", base64.encodebytes(b"---\n" + PATCH)[:40] + b"=!garbage==\n" + base64.encodebytes(b"\n" + PATCH)),
    ("quoted-printable", b"---\n" + PATCH.replace(b"DEMO", b"DE=\nMO").replace(b"%", b"=G%=3d=3D")),
], ids=["base64-garbage", "qp-soft-breaks-bad-escapes"])
def test_damaged_transfer_encodings_read_as_git_reads_them(tmp_path: Path, cte: str, body: bytes) -> None:
    raw = (f"From: Ann <a@example.org>\nSubject: [PATCH] x\nContent-Type: text/plain; charset=utf-8\n"
           f"Content-Transfer-Encoding: {cte}\n\n").encode() + body
    theirs, ours = git_mailinfo(tmp_path, raw), mailinfo(raw, 1)
    assert b"".join(ln for _, ln in ours.patch) == theirs.patch and theirs.patch


def test_crlf_mbox_and_line_numbers(tmp_path: Path) -> None:
    raw = _mail(Shape(crlf=True))
    (tmp_path / "c.eml").write_bytes(raw)
    patch = parse_series(IngestRequest((tmp_path / "c.eml",))).all_patches()[0]
    hunk = patch.files[0].hunks[0]
    lines = raw.decode().split("\r\n")
    assert lines[hunk.where.line - 1].startswith("@@ ")


def test_text_invalid_in_its_charset_is_read_as_utf8(tmp_path: Path) -> None:
    raw = _mail(Shape(charset="us-ascii"), log="Caf\u00e9 fix.\n".encode())
    assert "cannot convert" in git_mailinfo(tmp_path, raw).error  # git am stops here
    patch = mailinfo(raw, 1)
    assert [t for _, t in patch.log if t] == ["Caf\u00e9 fix."]
    assert b"".join(ln for _, ln in patch.patch).endswith(PATCH)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
def test_where_git_cannot_convert_the_message_is_said(tmp_path: Path) -> None:
    """git mailinfo -u (git am's) stops at a commit message line iconv cannot convert: 8-bit bytes called US-ASCII,
    bytes invalid in the charset, a charset iconv does not know, ASCII text too; a diff's bytes are never converted."""
    wrong = []
    for charset in ("us-ascii", "US-ASCII", "ascii", "iso-2022-jp", "windows-1252", "iso-8859-1", "unknown-8bit",
                    "x-unknown", "utf-8", "koi8-r"):
        for log, diff_line in ((b"Caf\xc3\xa9 fix.\n", b"b"), (b"Ok \x81 fix.\n", b"b"), (b"Plain fix.\n", b"b"),
                               (b"Plain fix.\n", b"caf\xc3\xa9"), (b"Plain.\n\nBad \x1b$B\xff\xff\x1b(B.\n", b"b")):
            raw = _mail(Shape(charset=charset), log=log + b"Signed-off-by: A <a@example.org>\n")
            raw = raw.replace(b"\n+", b"\n+" + diff_line, 1)
            theirs = "cannot convert" in git_mailinfo(tmp_path, raw).error
            ours = mailinfo(raw, 1).unconverted
            if theirs != (ours is not None):
                wrong.append((charset, log, diff_line, ours, theirs))
    assert not wrong, wrong


def test_a_patch_git_am_cannot_convert_is_read_with_a_note(tmp_path: Path) -> None:
    raw = _mail(Shape(charset="us-ascii"), log=b"Caf\xc3\xa9 fix.\n")
    (tmp_path / "c.eml").write_bytes(raw)
    series = parse_series(IngestRequest((tmp_path / "c.eml",)))
    assert series.all_patches()[0].message.startswith("Caf\u00e9 fix.")
    line = raw.split(b"\n").index(b"Caf\xc3\xa9 fix.") + 1
    assert [(n.where.line, n.reason.split(" (")[0]) for n in series.notes] == [
        (line, "git am stops here: 'cannot convert from us-ascii to UTF-8'")]
    # The same for RFC 2047 words in the From:, Subject: or Date: header (mailinfo.c decode_header), at the message.
    for subject, charset in ((b"=?unknown-8bit?q?caf=C3=A9?=", "unknown-8bit"),
                             (b"=?us-ascii?q?caf=C3=A9?=", "us-ascii"), (b"=?iso-8859-1?q?caf=E9?=", None)):
        raw = _mail(Shape()).replace(b"Subject: ", b"Subject: [PATCH] " + subject + b" ", 1)
        (tmp_path / "c.eml").write_bytes(raw)
        said = [n.reason for n in parse_series(IngestRequest((tmp_path / "c.eml",))).notes]
        assert ("cannot convert" in git_mailinfo(tmp_path, raw).error) == bool(said) == (charset is not None)
        assert all(f"from {charset} to UTF-8" in r and "in its Subject: header" in r for r in said), said


@pytest.mark.parametrize("header", [b"Subject: [PATCH] ", b"From: "])
def test_an_encoded_word_with_a_language_stops_git_am_and_is_said(tmp_path: Path, header: bytes) -> None:
    """An RFC 2231 language in an encoded word's charset (``=?utf-8*en?q?...?=``) is part of the charset name to git
    mailinfo (decode_header hands it to iconv whole): "cannot convert from utf-8*en", and git am stops; it was read
    as plain UTF-8 without a word. The text is what git am --no-utf8 commits, the word's bytes unconverted."""
    word = b"=?utf-8*en?q?Caf=C3=A9?="
    raw = _mail(Shape()).replace(header, header + word + b" ", 1)
    (tmp_path / "c.eml").write_bytes(raw)
    series = parse_series(IngestRequest((tmp_path / "c.eml",)))
    (patch,) = series.all_patches()
    assert ("Caf\u00e9 " in patch.mail.author) == (header == b"From: ")
    assert ("Caf\u00e9 demo" in patch.mail.subject.title) == (header != b"From: ")
    (note,) = series.notes
    assert note.reason.startswith("git am stops here: 'cannot convert from utf-8*en to UTF-8'")
    assert f"in its {header.split(b':')[0].decode()}: header" in note.reason
    if shutil.which("git") is not None:  # the oracle
        assert "cannot convert from utf-8*en to UTF-8" in git_mailinfo(tmp_path, raw).error


@pytest.mark.parametrize("space", ["\u00a0", "\u2028", "\u2003", "\u0085", "\u3000", "\x0b", "\x0c", "\x1c"])
@pytest.mark.parametrize("encoded", [False, True])
def test_non_git_whitespace_kept_in_subject_and_from(tmp_path: Path, space: str, encoded: bool) -> None:
    """git's isspace is " \\t\\n\\r" only: mailinfo keeps U+00A0, U+2028, \\v ... in Subject and From."""
    raw = space.encode()

    def word(text: bytes) -> bytes:
        return b"=?UTF-8?Q?" + b"".join(b"=%02X" % c for c in text) + b"?=" if encoded else text

    subject = word(b"[PATCH v2]" + raw + b" x86:" + raw + b"Retry" + raw + b"five " + raw)
    sender = word(b"J" + raw + b"R" + raw) + b" <j@example.org>"
    msg = b"From: " + sender + b"\nSubject: " + subject + b"\n\nLog.\n---\n" + PATCH
    ours = mailinfo(msg, 1)
    title = parse_subject(ours.subject).title
    assert (title, ours.author) == (f"{space} x86:{space}Retry{space}five {space}", f"J{space}R{space}")
    if shutil.which("git"):
        git_side = git_mailinfo(tmp_path, msg)
        assert (git_side.subject, git_side.author) == (title, ours.author)


@pytest.mark.parametrize("cte", ["quoted-printable", "base64"])
def test_a_long_line_in_short_encoded_pieces_reads_as_git_reads_it(tmp_path: Path, cte: str) -> None:
    """A line of 300 kB in 76-byte quoted-printable pieces (soft breaks) or base64 lines: each piece goes onto
    the line held so far, not the whole held line split again (that was quadratic: 270 s for 5 MB; git
    mailinfo itself takes 7 s for 2 MB, hence the size here)."""
    helper = HELPER_V0 + "/* " + "x" * 300_000 + " */\n"
    patch = b"---\n" + diff(HELPER_PATH, None, helper).encode()
    encoded = (base64.encodebytes(patch) if cte == "base64" else
               b"=\n".join(patch[i:i + 75] for i in range(0, len(patch), 75)))
    raw = (f"From: Ann <a@example.org>\nSubject: [PATCH] x\nContent-Type: text/plain; charset=utf-8\n"
           f"Content-Transfer-Encoding: {cte}\n\n").encode() + encoded
    theirs, ours = git_mailinfo(tmp_path, raw), mailinfo(raw, 1)
    assert b"".join(ln for _, ln in ours.patch) == theirs.patch and len(theirs.patch) > 300_000


@pytest.mark.parametrize("charset", ["Shift_JIS", "sjis", "MS_Kanji", "cp932", "euc-jp"])
def test_shift_jis_text_converted_as_git_converts_it(tmp_path: Path, charset: str) -> None:
    # git converts with iconv, whose SHIFT_JIS reads the single bytes 0x5C and 0x7E as YEN SIGN and OVERLINE
    # (JIS X 0201 Roman): a commit message saying "\n" in a Shift_JIS mail is committed with a yen sign.
    # Python's shift_jis codec reads them as backslash and tilde; cp932 (Windows) does so in both.
    log = "Print \\n after the value; ~0ULL is all ones (\u8868\u793a).\n".encode(charset)
    subject = "=?" + charset + "?B?" + base64.b64encode("[PATCH] a\\b~".encode(charset)).decode() + "?="
    raw = (f"From: Ann <a@example.org>\nSubject: {subject}\nContent-Type: text/plain; charset={charset}\n"
           "Content-Transfer-Encoding: 8bit\n\n").encode() + log + b"---\n" + PATCH
    theirs, ours = git_mailinfo(tmp_path, raw), mailinfo(raw, 1)
    assert not theirs.error
    assert "\n".join(t for _, t in ours.log).strip() == theirs.message.strip()
    assert ours.subject.removeprefix("[PATCH] ") == theirs.subject
    assert b"".join(ln for _, ln in ours.patch) == theirs.patch


@pytest.mark.parametrize(("flowed", "body"), [
    (True, b"Log.\n\nSigned-off-by: A <a@example.org>\n--- \n-- \n" + PATCH),  # soft break flushed by "-- "
    (True, b"Log.\n--- \n-- \nrest\n"),
    (True, b"Log.\nabc \n-- \nrest\n"),
    (False, b"Log.\n--- "), (False, b"Log.\n---"), (False, b"Log.\n--- \t"),  # the last line without a line end
])
def test_a_dash_line_without_a_line_end_breaks_as_git_mailinfo_breaks(tmp_path: Path, flowed: bool,
                                                                        body: bytes) -> None:
    # git's patchbreak reads the NUL after "--- " as a file name's first byte: a soft-broken "--- " that a "-- "
    # line (kept as it is) flushes on its own, or a last line "--- ", begins the patch. It stayed in the log.
    ctype = b"Content-Type: text/plain; charset=utf-8" + (b"; format=flowed" if flowed else b"") + b"\n\n"
    raw = b"From: Ann <a@example.org>\nSubject: [PATCH] x\n" + ctype + body
    theirs, ours = git_mailinfo(tmp_path, raw), mailinfo(raw, 1)
    assert "\n".join(t for _, t in ours.log) == theirs.message.removesuffix("\n")
    assert b"".join(ln for _, ln in ours.patch) == theirs.patch

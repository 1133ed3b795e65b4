"""A message walked as git mailinfo's handle_body walks it: headers, parts, transfer decoding, flowed text."""

from __future__ import annotations

import pytest

from harness.mailwalk import Part, Sink, split_lines, walk
from tests.mailgen import Shape, shaped_mail

LOG = (b"Print the function number in decimal, as the other helpers of this file already print theirs.\n\n"
       b"Signed-off-by: Ann Author <ann@example.org>\n")
PATCH = b"---\n x.c | 2 +-\n\ndiff --git a/x.c b/x.c\n"


class _Kept(Sink):
    """Every call the walk makes, in order."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, bytes, str]] = []
        self.headers: list[tuple[bytes, bool]] = []
        self.crs: list[int] = []

    def line(self, number: int, data: bytes, part: Part) -> None:
        self.lines.append((number, data, part.filename))

    def header(self, line: bytes, top: bool) -> None:
        self.headers.append((line, top))

    def quoted_cr(self, number: int) -> None:
        self.crs.append(number)


def _walk(shape: Shape, unflow: bool = True, strip_cr: bool = False) -> tuple[_Kept, Part, bytes]:
    mail = shaped_mail("Ann Author <ann@example.org>", "[PATCH] demo", "m@example.org", LOG, PATCH, shape)
    kept = _Kept()
    return kept, walk(mail, 1, kept, unflow=unflow, strip_cr=strip_cr), mail


def _text(kept: _Kept) -> bytes:
    """The body handed on, less the empty line that ends the headers (git's handle_body is handed it too, and a
    base64 part decodes it to nothing)."""
    return b"".join(data for _, data, _ in kept.lines).removeprefix(b"\n")


@pytest.mark.parametrize("cte", ["8bit", "quoted-printable", "base64"])
def test_a_body_comes_out_decoded_with_the_number_of_the_line_it_starts_on(cte: str) -> None:
    kept, top, mail = _walk(Shape(cte=cte))
    assert _text(kept) == LOG + PATCH
    assert (top.charset, top.encoding) == ("utf-8", "" if cte == "8bit" else "qp" if cte[0] == "q" else "base64")
    lines = split_lines(mail)
    body = lines.index(b"\n") + 2  # the first body line's number (lines counted from 1)
    assert next(n for n, data, _ in kept.lines if data != b"\n") == body
    numbers = [n for n, _, _ in kept.lines]
    assert numbers == sorted(numbers) and numbers[-1] < len(lines) + 1


def test_the_message_headers_reach_the_sink_but_the_mime_ones() -> None:
    kept, _, _ = _walk(Shape())
    names = [line.split(b":", 1)[0] for line, top in kept.headers if top]
    assert names == [b"From", b"Subject", b"Date", b"Message-ID", b"MIME-Version"]


@pytest.mark.parametrize("delsp", [False, True])
def test_flowed_text_is_unflowed_or_left_to_the_sink(delsp: bool) -> None:
    kept, top, _ = _walk(Shape(flowed=True, delsp=delsp))
    assert top.flowed and top.delsp is delsp
    assert _text(kept) == LOG + PATCH
    left, _, _ = _walk(Shape(flowed=True, delsp=delsp), unflow=False)
    assert len(left.lines) > len(kept.lines) and _text(left) != LOG + PATCH


def test_an_attachment_comes_out_with_its_file_name_and_no_boundary() -> None:
    kept, top, _ = _walk(Shape(attach=True))
    assert top.ctype == "multipart/mixed"
    assert not any(data.startswith(b"--seam-boundary") for _, data, _ in kept.lines)
    assert {name for _, data, name in kept.lines if data.startswith(b"Signed-off-by")} == {""}
    assert {name for _, data, name in kept.lines if data.startswith(b"diff --git")} == {"0001-change.patch"}


def test_a_decoded_cr_lf_is_a_quoted_cr_kept_or_stripped() -> None:
    kept, _, _ = _walk(Shape(cte="base64", crlf_inside=True))
    assert kept.crs and kept.crs[0] == kept.lines[0][0] and _text(kept) == (LOG + PATCH).replace(b"\n", b"\r\n")
    stripped, _, _ = _walk(Shape(cte="base64", crlf_inside=True), strip_cr=True)
    assert stripped.crs == kept.crs and _text(stripped) == LOG + PATCH

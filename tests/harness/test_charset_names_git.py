"""A mail's charset name read, or refused, as git mailinfo's iconv reads it.

A mail's charset name is read, or refused, as git mailinfo reads it: by the iconv git converts with, not by
Python's codec registry (glibc's iconv knows "windows-31j" and "mac", Python does not; Python knows
"ks_c_5601-1987", glibc's iconv does not)."""

from __future__ import annotations

import shutil
import subprocess
from encodings.aliases import aliases
from pathlib import Path

import pytest

from harness import iconv
from harness.mailinfo import mailinfo as our_mailinfo
from harness.mimedecode import decode_header, words_unconverted
from tests.gitoracle import mailinfo
from tests.harness.mailclientgen import head

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git (the oracle) is missing"),
              pytest.mark.skipif(not iconv.available(), reason="no C library iconv (git for Windows has its own)")]

# Python and glibc's iconv disagree on these (git am 2.39 on glibc the oracle); latin-1 git itself retries as
# ISO-8859-1; the rest are spellings both know, or neither does.
NAMES = ["ks_c_5601-1987", "unicode-1-1-utf-7", "windows-31j", "windows-874", "mac", "latin-1", "Latin1",
         "shift_jis", "MS_Kanji", "us-ascii", "iso-8859-15", "koi8-r", "utf-7", "big5", "gb2312", "euc-kr",
         "iso-2022-jp", "tis-620", "x-mac-roman", "macintosh", "unknown-8bit", "x-unknown", "default", "utf-8*en"]
DIFF = (b"---\n a.c | 1 +\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1,2 @@\n x\n+y\n")
# Text to carry in each: ASCII with the two bytes SHIFT_JIS reads as JIS Roman, and 8-bit bytes valid in many
# single-byte charsets (an invalid sequence in others: git refuses those, as it must be read).
TEXTS = [b"plain ~ and \\ text", b"caf\xe9 na\xefve \xa4 ~\\ \xc4\xe4"]


def _iconv_sample(step: int) -> list[str]:
    """Every ``step``-th name of ``iconv -l`` (glibc's list, "NAME//" as it prints them), None where there is none."""
    if shutil.which("iconv") is None:
        return []
    listed = subprocess.run(["iconv", "-l"], capture_output=True, text=True, check=False).stdout
    names = sorted({n.rstrip("/") for n in listed.replace(",", " ").split() if n.rstrip("/")})
    return names[::step]


def _python_sample(step: int) -> list[str]:
    """Every ``step``-th alias Python's codec registry knows, spelled as a mailer would (dashes)."""
    return [a.replace("_", "-") for a in sorted(aliases)][::step]


def _mail(charset: str, text: bytes) -> bytes:
    word = b"=?" + charset.encode() + b"?Q?" + b"".join(b"=%02X" % c if c > 0x7e or c in b"=?_ " else bytes([c])
                                                         for c in text) + b"?="
    return (head("[PATCH] t").replace(b"Subject: [PATCH] t", b"Subject: [PATCH] " + word)
            + f'Content-Type: text/plain; charset="{charset}"\nContent-Transfer-Encoding: 8bit\n\n'.encode()
            + text + b"\n\nSigned-off-by: Ann Author <ann@example.org>\n" + DIFF)


def _agree(tmp: Path, charset: str, text: bytes) -> None:
    mail = _mail(charset, text)
    gm, info = mailinfo(tmp, mail), our_mailinfo(mail, 1)
    where = f"charset {charset!r}, text {text!r}"
    git_refuses = "cannot convert from" in gm.error
    assert not gm.error or git_refuses, f"{where}: {gm.error}"
    ours_refuses = info.unconverted is not None or words_unconverted(_subject(mail)) is not None
    assert ours_refuses == git_refuses, f"{where}: git says {gm.error or 'converts'}"
    if not git_refuses and _ascii_compatible(charset):
        assert "\n".join(t for _, t in info.log).strip() == gm.message.strip(), where
        assert decode_header(_subject(mail)).removeprefix("[PATCH] ") == gm.subject, where


def _ascii_compatible(charset: str) -> bool:
    """Whether ASCII text (the "---" before a diff) is itself in ``charset``. git mailinfo converts each line before
    it looks for the patch: in EBCDIC (IBM-1026) it finds none and takes the diff as message, where seamharness
    splits on the bytes (left as it is: a patch mail in EBCDIC git cannot apply either)."""
    ascii_text = bytes(range(0x20, 0x7F)) + b"\n"
    return iconv.to_utf8(ascii_text, charset) == ascii_text


def _subject(mail: bytes) -> bytes:
    return next(ln for ln in mail.split(b"\n") if ln.startswith(b"Subject: ")).removeprefix(b"Subject: ")


@pytest.mark.parametrize("charset", NAMES)
def test_charset_names_read_or_refused_as_git_reads_them(tmp_path: Path, charset: str) -> None:
    for text in TEXTS:
        _agree(tmp_path, charset, text)


@pytest.mark.parametrize("part", range(4))
def test_iconvs_and_pythons_names_read_or_refused_as_git_reads_them(tmp_path: Path, part: int) -> None:
    names = _iconv_sample(23) + _python_sample(11)
    assert len(names) > 40 if shutil.which("iconv") else len(names) > 20
    for charset in names[part::4]:
        for text in TEXTS:
            _agree(tmp_path, charset, text)


@pytest.mark.parametrize("name", ["us-ascii", "US-ASCII", "ascii", '"us-ascii"'])
def test_us_ascii_read_without_iconv_is_what_iconv_makes(name: str) -> None:
    # mimedecode reads US-ASCII itself (no ctypes loaded for plain-text mail): byte for byte what iconv converts,
    # and refused where iconv stops (an 8-bit byte), for every byte value.
    from harness.mimedecode import convert_to_utf8, knows_charset

    assert knows_charset(name) and iconv.knows(name.strip('"'))
    for data in [bytes(range(128)), *(bytes([b]) for b in range(256)), b"plain \x00 text\xff"]:
        assert convert_to_utf8(data, name) == iconv.to_utf8(data, name.strip('"')), data

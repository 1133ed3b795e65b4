"""`seamharness printk` FORMAT is read as gcc 12 reads a C string literal's body.

`seamharness printk` FORMAT is the body of one C string literal, read as gcc 12 reads it: universal character
names below U+00A0 (but $, @ and `) are errors, past U+10FFFF gcc only warns and writes the old 4- to 6-byte UTF-8
forms; an unescaped '"' or a line break is no literal body (gcc: "missing terminating \" character"), a
backslash-newline is spliced first. Before, '\\u0041' printed 'A', 'a"b' and a line break printed, '\\U00110000'
was refused. Each value below is what gcc 12 compiled of the same literal."""

from __future__ import annotations

import pytest

from models.literals import EscapeError, unescape_bytes
from tests.harness.test_printk_cli import printk


@pytest.mark.parametrize(("fmt", "want"), [
    ("\\u0024\\u0040\\u0060\\u00a0", b"$@`\xc2\xa0\n"),
    ("\\U00110000|\\U00200000|\\U04000000|\\U7FFFFFFF", bytes.fromhex("f4908080 7c f888808080 7c fc8480808080 7c "
                                                                     "fdbfbfbfbfbf 0a")),
    ("a\\\nb\\\\\nc", b"abc\n"),  # spliced: "a" "b\" "c", then '\c' is 'c' (gcc warns of the unknown escape)
    ('a\\"b', b'a"b\n'),
])
def test_literals_gcc_takes(fmt: str, want: bytes) -> None:
    res = printk(fmt)
    assert (res.returncode, res.stdout) == (0, want), res.stderr


@pytest.mark.parametrize(("fmt", "says"), [
    ("\\u0041", "\\u0041 is not a valid universal character"),
    ("x\\u009f", "\\u009f is not a valid universal character"),
    ("\\U80000000", "\\U80000000 is not a valid universal character"),
    ('a"b', 'an unescaped " ends the literal'),
    ('\\\\"', 'an unescaped " ends the literal'),
    ("a\nb", "a line break inside the literal"),
    ("a\rb", "a line break inside the literal"),
])
def test_literals_gcc_refuses_are_one_line_exit_2(fmt: str, says: str) -> None:
    res = printk(fmt)
    err = res.stderr.decode()
    assert res.returncode == 2 and res.stdout == b"" and err.count("\n") == 1, err
    assert err.startswith("seamharness: printk: FORMAT is not a valid C string: ") and says in err, err


def test_source_literals_share_the_rules() -> None:
    # the mirror's C literals too: gcc does not build '"\u0041"'
    with pytest.raises(EscapeError, match="not a valid universal character"):
        unescape_bytes("\\u0041")
    assert unescape_bytes("\\U0010FFFF\\u00e9") == "\U0010ffffé".encode()

"""What mail text may not do to a terminal or a page: control characters, bidi controls, invisible spaces."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from reports.safe import clean, shown


@pytest.mark.parametrize(("text", "want"), [
    ("a\x1b[2Jb", "a\\x1b[2Jb"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("\u202egnp.exe\u202c", "\\u202egnp.exe\\u202c"),  # RLO ... PDF: "Trojan Source"
    ("\u2066iso\u2069 \u200f\u061c", "\\u2066iso\\u2069 \\u200f\\u061c"),
    ("a\u200bb\u2060c\ufeff", "a\\u200bb\\u2060c\\ufeff"),
    ("a\ufffeb\uffffc\ufffd", "a\\ufffeb\\uffffc\ufffd"),  # no XML 1.0 Char; U+FFFD is one
    ("\U0001f469\u200d\U0001f4bb caf\u00e9 \u0645\u0631\u062d\u0628\u0627", "\U0001f469\u200d\U0001f4bb caf\u00e9 "
                                                                             "\u0645\u0631\u062d\u0628\u0627"),
])
def test_clean(text: str, want: str) -> None:
    assert clean(text) == want


def test_shown_cleans_text_and_leaves_the_renderers_own_markup() -> None:
    assert shown("x\u202ey") == "x\\u202ey" and shown(3) == 3
    made = Markup('{"id":"x\u202ey"}')
    assert shown(made) is made


def test_counted_says_a_plural_english_makes_otherwise() -> None:
    # The gate said "1 input(s) not read", "1 NAK(s)", "unreadable reply(ies)": counted knew nouns in -s alone.
    from reports.safe import counted

    assert [counted(n, "reply", "replies") for n in (1, 2)] == ["1 reply", "2 replies"]
    assert counted(3, "request to drop", "requests to drop") == "3 requests to drop"
    assert [counted(n, "input") for n in (0, 1, 2)] == ["0 inputs", "1 input", "2 inputs"]

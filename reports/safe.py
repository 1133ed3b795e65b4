"""Text from mail and patches made safe to show: control, bidi and invisible characters escaped.

Control characters, bidi controls and invisible spaces become visible escapes, the same in the terminal and the HTML
page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from models.lazyre import lazy

if TYPE_CHECKING:
    from rich.text import Text

# C0 controls except tab and newline, DEL, and C1 controls: enough to stop escape-sequence injection.
_CONTROL = lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # these three: for text not printable ASCII alone
# Unicode's bidirectional controls (UAX #9: ALM, LRM, RLM, LRE..RLO, LRI..PDI) and the invisible spaces (ZWSP, WJ,
# BOM): an RLO in a subject shows "gnp.exe" as "exe.png" and reverses what follows it on the line, tool text too
# (CVE-2021-42574, "Trojan Source"); an invisible space makes two names look the same. Zero-width (non-)joiners
# stay: scripts and emoji need them. U+FFFE and U+FFFF too: UTF-8 mail decodes to them, but they are no XML 1.0
# Char (section 2.2), and a JUnit reader refuses the whole file for one.
_HIDDEN = lazy("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufffe\uffff]")
# A byte of a patch line that is not UTF-8 is kept as a lone surrogate (surrogateescape: the blob must stay the
# mail's bytes); no UTF-8 page or terminal takes one, so it is shown as the byte it stands for.
_SURROGATE = lazy("[\ud800-\udfff]")


def _surrogate(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def clean(text: str) -> str:
    """``text`` with every control character shown as ``\\xNN`` and every bidirectional control or invisible
    space as ``\\uNNNN``."""
    if text.isascii() and text.isprintable():  # nearly every string: nothing to show otherwise, found in C
        return text
    text = _CONTROL().sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    text = _SURROGATE().sub(_surrogate, text)
    return _HIDDEN().sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """clean(), with newlines shown as ``\\n`` too: an error is one line, whatever a file name holds."""
    return clean(text).replace("\n", "\\n")


def shown(value: object) -> object:
    """A value a page template prints, cleaned when it is text (jinja2's ``finalize``); markup the renderer made
    itself (Markup, already escaped, such as the matrix's JSON; a str subclass), and our own enum values, are
    left as they are. Called for every value the page prints: no import, no isinstance chain."""
    return clean(value) if type(value) is str else value


def markup(text: str) -> str:
    """Cleaned and escaped for rich markup."""
    from rich.markup import escape  # rich loads only when something is rendered with it

    return escape(clean(text))


def styled(marked: str) -> Text:
    """Rich markup as Text, folded at the terminal's width. Its variable parts must have gone through
    markup(); :name: emoji codes are never replaced, so mail text such as ":x:" stays itself."""
    from rich.text import Text

    return Text.from_markup(marked, overflow="fold", emoji=False)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, plural unless ``n`` is 1: "1 scenario", "66 scenarios"; ``plural`` for a noun not made
    plural by an -s at its end ("reply", "replies"; "request to drop", "requests to drop")."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"

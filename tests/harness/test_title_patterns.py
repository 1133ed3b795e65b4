"""titles_as_numbers makes a title's pattern only for a text that may hold the title: the same text either way."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from harness import titlenames
from harness.titlenames import titles_as_numbers

TITLES = ("x86/virt/tdx: Add SEAMLDR wrappers", "x86/virt/tdx: Retry SEAMCALLs on entropy errors",
          "x86/virt/tdx: Print the leaf of a failed call")


def _patches() -> list[Any]:
    return [SimpleNamespace(number=n, mail=SimpleNamespace(subject=SimpleNamespace(title=t)))
            for n, t in enumerate(TITLES, start=1)]


def _made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The patterns titles_as_numbers hands re.sub, as it hands them."""
    made: list[str] = []
    sub = re.sub

    def spy(pattern: Any, repl: Any, string: Any, count: int = 0, flags: int = 0) -> Any:
        made.append(pattern)
        return sub(pattern, repl, string, count=count, flags=flags)

    monkeypatch.setattr(titlenames.re, "sub", spy)
    return made


def test_a_text_naming_no_title_makes_no_title_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each title's pattern was compiled for every reply read (about a millisecond each), naming a title or not.
    made = _made(monkeypatch)
    text = "NAK, the retry loop spins forever.\n"
    assert titles_as_numbers(text, _patches()) == text
    assert made == []


@pytest.mark.parametrize(("text", "want"), [
    ("NAK for 'x86/virt/tdx: retry seamcalls ON ENTROPY errors'.", "NAK for patch 2."),
    ("NAK to [PATCH v2 3/3] x86/virt/tdx: Print the leaf of a\nfailed call", "NAK to patch 3"),
    ("NAK for “Add SEAMLDR wrappers”, and 'Retry SEAMCALLs on entropy errors'.", "NAK for patch 1, and patch 2."),
    # Not ASCII: re.IGNORECASE matches 's' with U+017F and 'k' with U+212A, which no lowercasing shows.
    ("NAK for 'x86/virt/tdx: Add ſEAMLDR wrappers'.", "NAK for patch 1."),
])
def test_a_title_the_text_holds_is_named_as_before(text: str, want: str) -> None:
    assert titles_as_numbers(text, _patches()) == want

"""A patch a review reply names by its title: the revision's own subjects, read as its number would be."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.model import Patch

# Quotes a title may stand in, and the "[PATCH v3 07/26]" tag a pasted subject keeps.
_OPEN, _CLOSE = r"""(?:["'`“‘«]\s*)?""", r"""(?:\s*["'`”’»])?"""
_TAG = r"(?:\[[^\]\n]*\]\s*)?"
# Two patches named one after the other ("patch 2 and patch 5"): one list, as "patches 2 and 5" is read.
_LISTED = re.compile(r"\bpatch (\d+(?:\s*(?:,|and|&)\s*\d+)*)(\s*(?:,|and|&)\s*)patch (?=\d)", re.I)
# A subject's prefix ("x86/virt/tdx: "): what is left is a title only when quoted whole.
_PREFIX = re.compile(r"^[\w./,+-]+(?:\s*:\s*[\w./,+-]+)*\s*:\s+")
_LEAST_WORDS = 3  # a quoted title without its prefix shorter than this names no patch


def titles_as_numbers(text: str, patches: Sequence[Patch]) -> str:
    """``text`` with each title of ``patches`` it holds (its words as the mailer wrapped them, any case, in quotes or
    with its ``[PATCH ...]`` tag, or without its subsystem prefix when quoted) made ``patch N``, N its number: a NAK
    "for 'x86/virt/tdx: Add ...'" below the cover letter is of that patch, as "NAK for patch 3" is. The longest
    title first: one holding another's is its own patch's."""
    named = sorted(((p.number, t) for p in patches if p.number and (t := p.mail.subject.title.split())),
                   key=lambda nt: -len(" ".join(nt[1])))
    for number, words in named:
        title = r"(?<![\w/])" + r"\s+".join(map(re.escape, words)) + r"\b" * words[-1][-1].isalnum()
        text = re.sub(_TAG + _OPEN + title + _CLOSE, f"patch {number}", text, flags=re.I)
    for number, words in named:
        rest = _PREFIX.sub("", " ".join(words)).split()
        if len(rest) >= _LEAST_WORDS and len(rest) < len(words):
            quoted = r"""["'`“‘«]\s*""" + r"\s+".join(map(re.escape, rest)) + r"""\s*["'`”’»]"""
            text = re.sub(quoted, f"patch {number}", text, flags=re.I)
    while (m := _LISTED.search(text)) is not None:
        text = text[:m.start()] + f"patch {m.group(1)}{m.group(2)}" + text[m.end():]
    return text

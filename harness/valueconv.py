"""Answers that print apart under a printk conversion a patch changed ('%llx' -> '%x'): value runs for a format."""

# A patch that prints an argument with another conversion ('%llx' of err made '%x' of (u32)err, '%d' made '%u',
# '%016llx' made '%08llx') changes the log only at values the two print apart: past 32 bits, negative as signed,
# wider than the width. Where every scripted answer that reaches the print is small, no scenario shows it and the
# comparison said "no behaviour change". The answers run here are the scripts' own with those bits set (the low
# bits kept, so a branch on them is taken as the script's answer takes it), chosen where lib/vsprintf.c (its
# model, models.printk) prints the two conversions apart and alike at the script's answer.

from __future__ import annotations

import re

from harness.changedlines import Lines, changed_lines
from harness.convnotes import ConversionNote
from harness.variants import Variant
from models.printk import PrintkError, vsnprintf

# An integer conversion as lib/vsprintf.c reads one (format_decode()): flags, width, precision, qualifier, type.
_INT = re.compile(r"%[-+ #0]*(\d*)(?:\.(\d*))?(hh|h|ll|l|L|z|Z|t|j)?([diuxXo])")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_RAISED = (1 << 32, 0xFFFFFFFF << 32, 1 << 31)  # past 32 bits; negative as a signed 64-bit; as a signed 32-bit
CONV_MAX = 6  # answers run per comparison for changed conversions (each on every lane, leaf and side)

Pair = tuple[str, str]


def _conversions(side: Lines) -> dict[str, list[str]]:
    """Per file, the integer conversions of the string literals on the changed lines, in line order."""
    out: dict[str, list[str]] = {}
    for path, lines in side.items():
        if path.endswith((".c", ".h")):
            out[path] = [m.group(0) for _, text in sorted(lines.items()) if "%" in text
                         for s in _STRING.findall(text) for m in _INT.finditer(s)]
    return out


def changed_conversions(a: Variant, b: Variant) -> list[Pair]:
    """The conversions the changed lines of a file write otherwise on the two sides, the n-th against the n-th."""
    sa, sb = (_conversions(side) for side in changed_lines(a, b))
    pairs = (p for path in sorted(sa.keys() & sb.keys()) for p in zip(sa[path], sb[path], strict=False))
    return list(dict.fromkeys(p for p in pairs if p[0] != p[1]))


def _printed(conv: str, value: int) -> bytes | None:
    try:
        return vsnprintf(conv.encode(), [value]).text
    except PrintkError:
        return None


def _wider(pair: Pair) -> list[int]:
    """1 past the widest field or precision either conversion is written with (more digits than it pads to)."""
    out = []
    for conv in pair:
        m = _INT.fullmatch(conv)
        digits = max(int(m.group(1) or 0), int(m.group(2) or 0)) if m else 0
        base = {"x": 16, "X": 16, "o": 8}.get(m.group(4), 10) if m else 10
        if digits > 0 and base ** digits < 1 << 64:
            out.append(base ** digits)
    return out


def conversion_values(pairs: list[Pair], answers: set[int]) -> list[int]:
    """The answers to run for ``pairs``: each scripted answer (``answers``) both conversions print alike, with bits
    set that make them print it apart; at most CONV_MAX, the smallest first."""
    found: set[int] = set()
    for pair in pairs:
        for answer in sorted(answers):
            if _printed(pair[0], answer) != _printed(pair[1], answer):
                continue  # the script's own run prints them apart already
            for bits in (*_RAISED, *_wider(pair)):
                value = (answer | bits) & ((1 << 64) - 1)
                if value not in answers and _printed(pair[0], value) != _printed(pair[1], value):
                    found.add(value)
    return sorted(found)[:CONV_MAX]


_SAID = "a printk conversion changed, '{}' -> '{}': "


def not_run(pairs: list[Pair], values: list[int], why: str) -> tuple[str, ...]:
    """What a comparison says of changed conversions whose answers were not run: no run tells them apart."""
    out = []
    for pair in pairs:
        apart = [v for v in values if _printed(pair[0], v) != _printed(pair[1], v)]
        if apart:
            tried = ", ".join(f"{v:#x}" for v in apart)
            out.append(_SAID.format(*pair) + f"the answers that print the two apart ({tried}) were not run: {why}")
    return tuple(out)


def _bare(written: str) -> str:
    return written[2:] if written.startswith(("0x", "0X")) else written  # a note glues a literal 0x before it


def unshown(undecided: tuple[str, ...], notes: list[str]) -> tuple[str, ...]:
    """``undecided`` without the changed conversions whose answers were not run that a note of the comparison names
    already (harness.convnotes.ConversionNote): a scenario that ran prints them apart."""
    shown = {_SAID.format(_bare(n.change.before), _bare(n.change.after)) for n in notes
             if isinstance(n, ConversionNote)}
    return tuple(u for u in undecided if not u.startswith(tuple(shown)))

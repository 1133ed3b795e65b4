"""Answers that print apart under a printk conversion a patch changed ('%llx' -> '%x'): value runs for a format."""

# A patch that prints an argument with another conversion ('%llx' of err made '%x' of (u32)err, '%d' made '%u',
# '%016llx' made '%08llx') changes the log only at values the two print apart: past 32 bits, negative as signed,
# wider than the width. Where every scripted answer that reaches the print is small, no scenario shows it and the
# comparison said "no behaviour change". The answers run here are the scripts' own with those bits set (the low
# bits kept, so a branch on them is taken as the script's answer takes it), chosen where lib/vsprintf.c (its
# model, models.printk) prints the two conversions apart and alike at the script's answer.

from __future__ import annotations

import re
from functools import lru_cache

from harness.changedlines import known_lines
from harness.comparison import CONVERSION
from harness.convnotes import ConversionNote, call_format
from harness.linediff import changed_regions
from harness.memo import by_identity
from harness.runner import variant_sources
from harness.variants import Variant
from models.lazyre import lazy
from models.loader import Source
from models.printk import PrintkError, vsnprintf

# An integer conversion as lib/vsprintf.c reads one (format_decode()): flags, width, precision, qualifier, type.
_INT = re.compile(r"%[-+ #0]*(\d*)(?:\.(\d*))?(hh|h|ll|l|L|z|Z|t|j)?([diuxXo])")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_RAISED = (1 << 32, 0xFFFFFFFF << 32, 1 << 31)  # past 32 bits; negative as a signed 64-bit; as a signed 32-bit
CONV_MAX = 6  # answers run per comparison for changed conversions (each on every lane, leaf and side)

Pair = tuple[str, str]


def changed_conversions(a: Variant, b: Variant) -> list[Pair]:
    """The conversions the changed lines of a file write otherwise on the two sides: within each region where the
    files differ (harness.linediff, as harness.changedlines diffs them), the conversion of an argument against the
    same argument's ('%d %llx', a, b -> '%llx %u', b, a: a's '%d' -> '%u'), the rest in order. Paired over the whole
    file in order, a print line the patch removed above ('pr_debug("%u", x)') took the place of the one it changed,
    '%u' against '%u', and the '%d' -> '%u' below it was never run. Once per pair of variants (shared: read it)."""
    return by_identity("changed conversions", (a, b), (), lambda: _changed_conversions(a, b))


def _changed_conversions(a: Variant, b: Variant) -> list[Pair]:
    known = (known_lines(a), known_lines(b))
    out: list[Pair] = []
    for path in sorted(p for p in known[0].keys() & known[1].keys() if p.endswith((".c", ".h"))):
        old, new = known[0][path], known[1][path]
        if old == new:
            continue
        for i1, i2, j1, j2 in changed_regions([t for _, t in old], [t for _, t in new]):
            out += _paired(_region(a, path, old[i1:i2]), _region(b, path, new[j1:j2]))
    return list(dict.fromkeys(p for p in out if p[0] != p[1]))


def _paired(xs: list[tuple[str, str]], ys: list[tuple[str, str]]) -> list[Pair]:
    """(argument, conversion) of a region's two sides paired: by the argument's expression where both sides name it,
    then the rest in order (an argument renamed, or unknown: '')."""
    rest, pairs, left = list(ys), [], []
    for expr, conv in xs:
        at = next((k for k, (e, _) in enumerate(rest) if expr and e == expr), None)
        if at is None:
            left.append(conv)
        else:
            pairs.append((conv, rest.pop(at)[1]))
    return pairs + list(zip(left, (conv for _, conv in rest), strict=False))


def _region(v: Variant, path: str, lines: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """The integer conversions of the string literals on a region's lines, in order, each with the expression of the
    argument it prints where the line starts a printk-family call whose format's conversions take its arguments one
    for one ('' where not known)."""
    out: list[tuple[str, str]] = []
    for number, text in lines:
        if number <= 0 or "%" not in text:
            continue
        named = _call(variant_sources(v), path, number)
        out += named if named is not None else [("", _with_glued(s, m)) for s in _STRING.findall(text)
                                                 for m in _INT.finditer(s)]
    return out


def _with_glued(fmt: str, m: re.Match[str]) -> str:
    """A conversion with the 0x written right before it ('0x%llx'): what a reader reads, and what it prints with
    ('0x%llx' and '%#llx' print every value alike; bare, '%llx' against '%#llx' printed 0xa apart)."""
    glued = fmt[max(m.start() - 2, 0):m.start()]
    return (glued if glued in ("0x", "0X") else "") + m.group(0)


# Any conversion of a format as lib/vsprintf.c reads it: '%%' takes no argument, a '*' width or precision one more.
_ANY = re.compile(r"%(?:%|[-+ #0]*(\*|\d+)?(?:\.(\*|\d*))?(?:hh|h|ll|l|L|z|Z|t|j)?([A-Za-z]))")


def _call(sources: tuple[Source, ...], path: str, number: int) -> list[tuple[str, str]] | None:
    """(argument, integer conversion) of the printk-family call starting at ``path:number``, its format a literal
    whose conversions take the arguments after it one for one; None when not so."""
    found = call_format(sources, f"{path}:{number}")
    if found is None:
        return None
    fmt, args = found
    out: list[tuple[str, str]] = []
    k = 0
    for m in _ANY.finditer(fmt):
        if m.group(0) == "%%":
            continue
        k += (m.group(1) == "*") + (m.group(2) == "*")
        if k >= len(args):
            return None
        if _INT.fullmatch(m.group(0)):
            out.append((args[k], _with_glued(fmt, m)))
        k += 1
    return out if k == len(args) else None


@lru_cache(maxsize=4096)  # each comparison of a pair of variants asks it again of the same conversions and answers
def _printed(conv: str, value: int) -> bytes | None:
    try:
        return vsnprintf(conv.encode(), [value]).text
    except PrintkError:
        return None


def _wider(pair: Pair) -> list[int]:
    """1 past the widest field or precision either conversion is written with (more digits than it pads to)."""
    out = []
    for conv in pair:
        m = _INT.fullmatch(_bare(conv))
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


_SAID = CONVERSION + ", '{}' -> '{}': "


def not_run(pairs: list[Pair], values: list[int], why: str) -> tuple[str, ...]:
    """What a comparison says of changed conversions whose answers were not run: no run tells them apart."""
    out = []
    for pair in pairs:
        apart = [v for v in values if _printed(pair[0], v) != _printed(pair[1], v)]
        if apart:
            tried = ", ".join(f"{v:#x}" for v in apart)
            out.append(_SAID.format(*pair) + f"the answers that print the two apart ({tried}) were not run: {why}")
    return tuple(out)


# Values a changed conversion of an argument other than the answer (the leaf: '%llu' -> '%llx', '0x%016llx' ->
# '0x%llx') may print apart at: the answers valueconv raises never reach it, and a matrix whose leaves are all 9 or
# less, or fill the width, prints it alike in every scenario.
_PROBES = (10, 0x21, 1 << 31, 1 << 32, 1 << 63, (1 << 64) - 1, 0)


def unprinted(pairs: list[Pair], notes: list[str], said: tuple[str, ...],
              lines: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """The changed conversions (``pairs``) that no note of the comparison (``notes``) names, no differing log line
    shows printed apart (``lines``: (before, after) texts of the differing scenarios' log lines, line for line;
    printed_apart), nor ``said`` already says: no scenario printed them apart, whatever it printed by them (the leaf,
    another argument), so "no behaviour change" does not stand over them; each with a value lib/vsprintf.c prints
    apart by the two."""
    named = {(n.change.before, n.change.after) for n in notes if isinstance(n, ConversionNote)}
    out = []
    for pair in pairs:
        head = _SAID.format(*pair)
        if pair in named or any(s.startswith(head) for s in said) or printed_apart(pair, lines):
            continue
        values = [*_PROBES, *_wider(pair)]
        apart = next((v for v in values if _printed(pair[0], v) != _printed(pair[1], v)), None)
        if apart is None:
            continue  # alike at every value tried: nothing to show
        a, b = ((_printed(c, apart) or b"").decode("latin-1") for c in pair)
        out.append(head + f"no scenario printed them apart (what they print, the leaf or another value, printed alike "
                          f"in every run); they print {apart:#x} as '{a}' -> '{b}' (lib/vsprintf.c)")
    return tuple(out)


_NUMBER = lazy(r"\b(?:0[xX])?[0-9a-fA-F]+\b")  # a number as a conversion writes it, hex or decimal


def printed_apart(pair: Pair, lines: tuple[tuple[str, str], ...]) -> bool:
    """Whether a differing log line shows the two conversions print one value apart: a number of the line before
    that the first conversion writes so (read as hex, and as decimal where it is all digits) and that the second
    writes otherwise as a number of the line after. A line whose literal text changed too ('(%#llx)' -> '%#llx')
    is said by its text, not by its conversions (harness.convnotes names them only in lines otherwise alike), yet
    printed them apart."""
    for before, after in lines:
        theirs = set(_NUMBER().findall(after))
        for token in set(_NUMBER().findall(before)):
            digits = token[2:] if token[:2] in ("0x", "0X") else token
            for value in {int(digits, 16), *([int(digits)] if digits.isdigit() else [])}:
                a, b = (_printed(c, value) if value < 1 << 64 else None for c in pair)
                if a is not None and b is not None and a != b and a.decode("latin-1") == token \
                        and b.decode("latin-1") in theirs:
                    return True
    return False


def _bare(written: str) -> str:
    return written[2:] if written.startswith(("0x", "0X")) else written  # the conversion without its glued 0x


def unshown(undecided: tuple[str, ...], notes: list[str]) -> tuple[str, ...]:
    """``undecided`` without the changed conversions whose answers were not run that a note of the comparison names
    already (harness.convnotes.ConversionNote): a scenario that ran prints them apart."""
    shown = {_SAID.format(n.change.before, n.change.after) for n in notes
             if isinstance(n, ConversionNote)}
    return tuple(u for u in undecided if not u.startswith(tuple(shown)))

"""Which differences of the value runs a comparison does not show already (harness.valuecover)."""

from __future__ import annotations

import re

from harness.convnotes import ConversionNote
from harness.explain import DiffClass, Difference

_MASK64 = (1 << 64) - 1
_NUMBER = re.compile(r"\b(?:0[xX])?[0-9a-fA-F]+\b")
_DIGITS = re.compile(r"\b(?:0[xX][0-9a-fA-F]+|[0-9][0-9a-fA-F]*)\b")  # a number in hex or decimal
_LOG = f"{DiffClass.LOG.value}:"


def _masked(d: Difference) -> frozenset[str]:
    """A difference's notes, its scenario's own answers left out, in hex or decimal, signed or not: what a run
    repeating it in another script has in common with it (``return 0x8000030300000000 -> 0x0`` and ``return
    0x8000020300000000 -> 0x0`` alike, ``TDX module SEAMCALLs 1 -> 2`` and ``2 -> 1`` not). A note of what it
    printed says the run's own values (its leaf and status, in a width, a form): every number in it is left out,
    and a conversion's note is the conversions and the calls alone (``%llx`` -> ``%llu`` at tdx.c:66)."""
    codes = {a.code & _MASK64 for a in d.scenario.script.answers}

    def number(m: re.Match[str]) -> str:
        tok = m.group(0)
        values = {int(tok, 16)} | ({int(tok), (1 << 64) - int(tok)} if tok.isdigit() else set())
        return "#" if values & codes else tok

    return frozenset(_printed(n) if n.startswith(_LOG) else _NUMBER.sub(number, n) for n in d.notes)


def _printed(note: str) -> str:
    """A log note as a run repeating it in another script says it too (_masked)."""
    if isinstance(note, ConversionNote):
        c = note.change
        return f"{_LOG} {c.argument} {c.before} -> {c.after} at {c.site_before} -> {c.site_after}"
    return _DIGITS.sub("#", note)


def new_differences(shown: tuple[Difference, ...], found: tuple[Difference, ...]) -> tuple[Difference, ...]:
    """The value runs' differences that no difference of the comparison shows already: a run differing as a
    scenario of the same entry point does (in no other way, no other note, but for the answers each was given and
    the numbers it printed: a message changed in every run) says nothing more; one differing otherwise is a second
    change (another status retried where the scenarios show one no longer retried, a conversion changed in a
    print only it reaches)."""
    if not found:
        return ()  # the comparison's own differences are masked only to be matched against a value run's
    asked = {d.scenario.entry.name for d in found}
    seen: dict[str, list[tuple[frozenset[DiffClass], frozenset[str]]]] = {}
    for d in shown:
        if d.scenario.entry.name in asked:  # an entry point no value run differs in matches none of them
            seen.setdefault(d.scenario.entry.name, []).append((frozenset(d.classes), _masked(d)))
    return tuple(d for d in found if not _shown_as(d, seen.get(d.scenario.entry.name, [])))


def _shown_as(d: Difference, seen: list[tuple[frozenset[DiffClass], frozenset[str]]]) -> bool:
    """Whether some difference ``seen`` of the same entry point (its classes and masked notes) shows ``d`` already:
    ``d``'s notes masked once, not once per difference it is held against."""
    if not seen:
        return False
    classes, masked = set(d.classes), _masked(d)
    return any(classes <= c and masked <= notes for c, notes in seen)

"""The leaf-format property: whether every component prints the leaf of a failed SEAMCALL by one conversion.

leaf-base asks for one number base; the series' review also argues over the width: ``%#016llx`` and
``0x%016llx`` print 33 as ``0x00000000000021`` and ``0x0000000000000021`` (lib/vsprintf.c number(): with
the ``#`` flag the 0x counts in the field width). A printed number shows its conversion only in part: its base
and prefix always, its field width only where zero padding shows (a 16-digit leaf fills every width up to 18),
so a line of a leaf that needs all its digits says only that the width is at most its length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import field, replace
from functools import lru_cache

from harness.explain import numbers
from harness.hexcase import format_case, shown_case
from harness.matrix import Scenario
from harness.rules import ConsistencyCheck, Rule
from harness.variants import Variant
from harness.verdict import Evidence, Verdict, inconclusive, verdict
from models.lazyre import lazy
from models.outcome import Outcome
from models.record import record

_TOKEN = re.compile(r"0[xX][0-9a-fA-F]+|-?\d+|[0-9a-fA-F]+")
# The same, whole words only: the '00000000000' that _TOKEN finds at the head of '00000000000c0001' is no number
_WORDS = lazy(r"(?<![0-9A-Za-z])(?:0[xX][0-9a-fA-F]+|-?\d+|[0-9a-fA-F]+)(?![0-9A-Za-z])")
_WORD_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d+(?![0-9A-Za-z])")

# What makes a leaf's base show: a leaf of 9 or less prints the same digits in decimal and in hex.
LEAF_HINT = "give the component a leaf above 9: the rule's leaves, from the matrix's [leaves], docs/matrix.md"


@record
class LeafForm:
    """How one log line prints a leaf: base, prefix, and the field width its zero padding shows (None: none
    shows, the number needed every digit it has); ``length`` the characters printed."""

    base: str  # "hex", "decimal", "signed decimal"
    prefix: str  # "0x", "0X" or ""
    width: int | None
    length: int
    line: str
    printer: str = ""  # the id of the scenario whose log holds the line ("": not known)
    # A hex leaf's digits' case (harness.hexcase): shown by a letter, or told by its line's format ("": neither).
    case: str = field(default="", compare=False)

    @property
    def kind(self) -> str:
        return f"{self.base} with {self.prefix}" if self.prefix else self.base

    def describe(self, filed: str = "") -> str:
        """The form and its line, naming the scenario that printed it where evidence filed under ``filed``
        would otherwise read as that scenario's line."""
        # "4 chars, no padding shown" read as a riddle: the digits printed, and whether zero padding shows a width.
        digits = self.length - len(self.prefix)
        pad = (f"zero-padded to {self.width} characters" + (f" with the {self.prefix}" if self.prefix else "")
               if self.width else f"{digits} digit{'s' * (digits != 1)}, not zero-padded")
        by = f" (in {self.printer})" if self.printer and self.printer != filed else ""
        return f"{self.kind}, {pad} '{self.line}'{by}"


def leaf_form(line: str, leaf: int) -> LeafForm | None:
    """The form of the first number in ``line`` equal to the leaf (or to it without the P-SEAMLDR bit 63, which
    a printer may mask off); a bare digit run of a leaf under 10 is no evidence of a base and is skipped."""
    wanted = {leaf, leaf & ~(1 << 63)}
    for tok in _TOKEN.findall(line):
        prefixed = tok[:2] in ("0x", "0X")
        for value, how in numbers(tok):
            if value in wanted and (prefixed or value > 9):
                return _form(tok, value, how.split(" ", 1)[0] if not how.startswith("signed") else how, line)
    for tok in _TOKEN.findall(line):  # %llo, as harness.consistency reads it: no decimal or hex leaf, past 7
        if re.fullmatch(r"[0-7]+", tok) and int(tok, 8) in wanted and int(tok, 8) > 7:
            return _octal_form(tok, int(tok, 8), line)
    return None


@lru_cache(maxsize=4096)
def unbased_leaf(line: str, leaf: int) -> bool:
    """Whether ``line`` prints a number equal to the leaf (or to it without bit 63) in digits that read the same in
    decimal and in hex: a bare digit under 10, no 0x before it. Kept by (line, leaf): harness.consistency asks it of
    every log line of every run, most lines printed again by other runs (3,362 asks in the corpus' eval)."""
    wanted = {leaf, leaf & ~(1 << 63)}
    return any(int(tok) < 10 and int(tok) in wanted for tok in _WORD_DIGITS.findall(line))


def leaf_unsure(line: str, leaf: int) -> bool:
    """Whether ``line`` holds a number equal to the leaf (or to it without bit 63) that leaf_form() did not read
    as the one form it gives: digits of no base (a masked P-SEAMLDR leaf, ``(0)`` beside ``0x0``), or a second
    number printed otherwise. Either may be the leaf printed by another conversion (``%llu`` beside ``%#llx``:
    ``(33)`` and ``0x21`` for a leaf of 0x21, lib/vsprintf.c), which the line does not show."""
    wanted = {leaf, leaf & ~(1 << 63)}
    taken = leaf_form(line, leaf)
    seen = False
    for tok in _WORDS().findall(line):
        for value, how in numbers(tok):
            if value not in wanted:
                continue
            form = _form(tok, value, how.split(" ", 1)[0] if not how.startswith("signed") else how, line) \
                if tok[:2] in ("0x", "0X") or value > 9 else None
            if form is not None and taken is not None and not seen and form == taken:
                seen = True  # the number leaf_form() read
            elif form is None or taken is None or (form.kind, form.width) != (taken.kind, taken.width):
                return True
            break
    return False


def _octal_form(tok: str, value: int, line: str) -> LeafForm:
    """number() in base 8: '#' writes one 0 before the digits of a non-zero value, counted in the width; a field
    zero-padded one wider prints the same (``%#llo`` and ``%03llo`` print 33 as ``041``): that 0 is read as the
    prefix, which a wider padding shows past."""
    natural = len(f"{value:o}")
    prefix = "0" if len(tok) == natural + 1 else ""
    return LeafForm("octal", prefix, len(tok) if len(tok) > natural + 1 else None, len(tok), line)


def _form(tok: str, value: int, base: str, line: str) -> LeafForm:
    prefix = tok[:2] if tok[:2] in ("0x", "0X") else ""
    digits = tok[len(prefix):].lstrip("-")
    natural = len(f"{value:x}") if base == "hex" else len(str(abs(value)))
    padded = len(digits) > natural and digits.startswith("0")
    case = shown_case(digits) if base == "hex" else ""
    return LeafForm(base, prefix, len(tok) if padded else None, len(tok), line, case=case)


def conflicts(forms: dict[str, list[LeafForm]], filed: str = "") -> list[str]:
    """Why no one conversion prints every component's lines (empty: one does): two bases or prefixes, two
    padded widths, or a width that would have padded a line printed shorter. Each reason names its lines, and
    the scenario of each that another than ``filed`` (the evidence's) printed."""
    every = [(comp, f) for comp, fs in forms.items() for f in fs]
    kinds = _first_each(every, lambda f: f.kind)
    if len(kinds) > 1:
        return ["; ".join(f"{comp} {f.describe(filed)}" for comp, f in kinds.values())]
    widths = _first_each([(c, f) for c, f in every if f.width], lambda f: str(f.width))
    if len(widths) > 1:
        return ["; ".join(f"{comp} {f.describe(filed)}" for comp, f in widths.values())]
    if widths:
        comp, padded = next(iter(widths.values()))
        assert padded.width is not None
        short = next(((c, f) for c, f in every if f.width is None and f.length < padded.width), None)
        if short is not None:
            return [f"{comp} {padded.describe(filed)}; {short[0]} {short[1].describe(filed)}"]
    return []


def _case_conflicts(forms: dict[str, list[LeafForm]], filed: str) -> list[str]:
    """Hex lines of two cases (harness.hexcase), each named with its case."""
    cases = _first_each([(c, f) for c, fs in forms.items() for f in fs if f.case], lambda f: f.case)
    return ["; ".join(f"{comp} {f.case} {f.describe(filed)}" for comp, f in cases.values())] if len(cases) > 1 else []


def _first_each(items: Iterable[tuple[str, LeafForm]], key: Callable[[LeafForm], str]
                ) -> dict[str, tuple[str, LeafForm]]:
    out: dict[str, tuple[str, LeafForm]] = {}
    for comp, f in items:
        out.setdefault(key(f), (comp, f))
    return out


def summary(forms: dict[str, list[LeafForm]], filed: str | None = None) -> str:
    """What each component's lines show, for a pass's note: its form, and whether any line shows its width;
    with ``filed`` (the evidence's scenario), the scenario of a line another printed."""
    parts = []
    for comp, fs in forms.items():
        padded = next((f for f in fs if f.width), None)
        shown = padded or fs[0]
        said = shown.describe(shown.printer if filed is None else filed)
        parts.append(f"{comp} {said}" + ("" if padded else " (no line shows its field width)"))
    return "; ".join(parts)


def judge_leaf_format(rule: Rule, spec: ConsistencyCheck, v: Variant, styles: dict[str, tuple[str, Scenario, str]],
                      off: list[str], runs: dict[str, list[tuple[Scenario, int, Outcome]]],
                      fmt_of: Callable[[Scenario, int], str | None]) -> Verdict:
    """property = "leaf-format": one conversion prints every component's leaf in every failure line of the runs the
    rule judges (``runs``: per component, each run and the leaf its lines are about, harness.consistency
    .judged_runs: every entry point a component names that ran, and a wrapper found in the code), and, with
    ``base``, in that base; ``fmt_of``: the format of a run's line (by index), which tells a hex leaf's case."""
    # Every line of every run: a second line, or a wrapper's own, printed by another conversion is the component
    # printing the leaf two ways (a run's first line alone was read, while the others' prints counted as shown).
    forms = {comp: [replace(f, printer=s.id, case=f.case or (format_case(fmt_of(s, i)) if f.base == "hex" else ""))
                    for s, leaf, o in runs.get(comp, ()) for i, ln in enumerate(o.log)
                    if (f := leaf_form(ln.text, leaf)) is not None] for comp in styles}
    unseen = [comp for comp, fs in forms.items() if not fs]
    if unseen:
        return inconclusive(rule, v, f"{', '.join(unseen)}: no failure line prints a leaf whose digits tell how it "
                                     f"was converted ({LEAF_HINT})")
    first = next(iter(styles.values()))[1]
    why = conflicts(forms, first.id) or _case_conflicts(forms, first.id)
    if why:
        return verdict(rule, v, [Evidence("the leaf printed by one conversion in every component", why[0], first)])
    untold = next(((comp, f) for comp, fs in forms.items() for f in fs if f.base == "hex" and not f.case), None)
    if untold is not None:  # '%llx' beside '%llX': alike for leaves with no hex letter, 2a and 2A for 0x2a
        return inconclusive(rule, v, f"{untold[0]} prints the leaf in hex digits with no letter, by a format whose "
                                     f"conversions do not tell their case: '{untold[1].line}' (in {untold[1].printer})")
    unsure = next(((comp, s, ln.text) for comp in styles for s, leaf, o in runs.get(comp, ()) for ln in o.log
                   if leaf_unsure(ln.text, leaf)), None)
    if unsure is not None:  # a line the forms above leave out may print the leaf by another conversion
        return inconclusive(rule, v, f"{unsure[0]} prints a number equal to the leaf whose digits do not show how it "
                                     f"was converted, beside those read: '{unsure[2]}' (in {unsure[1].id}; "
                                     f"{LEAF_HINT})")
    # The note says what the evidence does not: the lines of the components that met the base (each line once).
    return verdict(rule, v, [Evidence(f"the leaf in {spec.base} for every component",
                                      summary({c: forms[c]}, styles[c][1].id), styles[c][1]) for c in off],
                   summary({c: fs for c, fs in forms.items() if c not in off}))

"""A component's leaf base told by the conversions that printed it, where its digits tell none.

A masked P-SEAMLDR leaf prints 0 or 1: each line's format and call as the mirror recorded them, and models.leafflow's
word on what each conversion's argument reads, tell its base.
"""

# "P-SEAMLDR (0) failed" reads alike in decimal and in hex, so the text alone leaves leaf-base inconclusive; but the
# run's record says '%lld' of the call at seamcall.h:72 printed that 0, and the leaf flows into that argument. The base
# of a conversion is its letter's whatever value it prints, so where every print of a number equal to a run's leaf is
# such a conversion, all of one base, that is the base the component prints its leaf in (lib/vsprintf.c number()).

from __future__ import annotations

import functools
import re

from harness.convnotes import call_format
from harness.leafstyle import base_of, other_bases
from harness.matrix import Scenario
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import CheckContext
from models.facts import SITE_LEAF_ARG, SITE_LEAF_ITSELF, SITE_LEAF_SHAPE
from models.outcome import LogSource, Outcome
from models.printkspans import Span, line_spans

_BASES = {"d": "decimal", "i": "decimal", "u": "decimal", "x": "hex", "X": "hex", "o": "octal"}
_RADIX = {"decimal": 10, "hex": 16, "octal": 8}
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|-?\d+|[0-9a-fA-F]+")  # as harness.consistency reads a line's numbers
_MASK = (1 << 64) - 1
# A call whose format is its first argument, as the mirror's prelude keeps it (pr_err(fmt, ...) stays pr_err()),
# so that the n-th conversion reads its argument n + 1 in the parsed C, where models.leafflow indexes it.
_FIRST_FORMAT = re.compile(r"pr_\w+|printk\w*")

_Runs = list[tuple[Scenario, int, Outcome]]
_Args = dict[str, set[tuple[str, int]]]


def conversion_base(runs: _Runs, v: Variant, ctx: CheckContext) -> tuple[str, Scenario, str] | None:
    """(how, scenario, line) of the base a component's runs (harness.consistency.judged_runs': scenario, the leaf its
    lines are about, outcome) print their leaf in, told by conversions; None where it cannot be told so. Told only
    where all of these hold:

    - every run that printed a line printed its own leaf (equal to it, or to it with bit 63 off) by an integer
      conversion of a pr_*() or printk() call whose argument models.leafflow finds to be the entry point's leaf
      itself, whatever the leaf (models.leafitself: ``fn & 1`` reads the leaf, and prints 0 and 1 for the masked
      P-SEAMLDR leaves, but 1 for a leaf of 0x21);
    - every number equal to the run's leaf, in any line, is such a print or the format's own text: one another
      conversion printed, or that lies in a line whose conversions cannot be told apart, leaves it untold (it may be
      the leaf printed otherwise);
    - those prints are of one base, and of two values or more over the runs: a value that is no function of the
      leaf (a flag read from it, ``fn & 0``) prints the same for every leaf, and would read as the leaf for one."""
    facts = ctx.facts(v)
    if isinstance(facts, str):
        return None
    bases: set[str] = set()
    values: set[int] = set()
    first: tuple[str, Scenario, str] | None = None
    for s, leaf, o in runs:
        if not o.log:
            continue
        sources = ctx.result.run_log_sources(v.name, ctx.result.matrix.position(s.id))
        if len(sources) != len(o.log):
            return None
        args = _run_args(facts.leaf_sites.get(s.entry.name, []))
        shown = False
        for line, source in zip(o.log, sources, strict=True):
            found = _line_prints(line.text, source, leaf, args, v)
            if found is None:
                return None
            for how, value in found:
                bases.add(how.split(" ", 1)[0])
                values.add(value)
                first = first or (how, s, line.text)
                shown = True
        if not shown:
            return None
    return first if first is not None and len(bases) == 1 and len(values) > 1 else None


UNTOLD = "untold "  # other_base_told: before the how of digits reading as the leaf, by a print not told to be it


def other_base_told(s: Scenario, leaf: int, o: Outcome, base: str, v: Variant, ctx: CheckContext
                    ) -> tuple[str, str] | None:
    """(how, line) of the first line of a run (scenario ``s``, about ``leaf``) that prints the leaf in the other base
    than ``base`` (harness.leafstyle.other_bases); None where none does; (UNTOLD + how, line) where only numbers are
    left that read as the leaf in that base, which the conversions of their line do not tell to be the leaf or not.

    Each such line is read by its conversions (_line_prints, lib/vsprintf.c number()): a print of the leaf itself in
    the other base is the leaf in both; digits every integer conversion of the line printed as a value other than the
    leaf ('(%llu) ... %d tries' printing '(33) ... 21 tries'), or the format's own text, are not the leaf. Where the
    line is not told so (no source, a '%s', an argument read from the leaf), a line's own leaf reading in the other
    base counts as before (a second line '(0x21)' under '(33)'), a later number of it is UNTOLD: never a fail or a
    pass by a coincidence of digits."""
    untold: tuple[str, str] | None = None
    for index, how, own in other_bases(o, leaf, base):
        told = _printed_bases(s, leaf, o, index, v, ctx)
        line = o.log[index].text
        if told is None and own:
            return how, line
        if told is None:
            untold = untold or (UNTOLD + how, line)
        elif any(base_of(h) != base for h in told):
            return how, line
    return untold


def _printed_bases(s: Scenario, leaf: int, o: Outcome, index: int, v: Variant, ctx: CheckContext
                   ) -> tuple[str, ...] | None:
    """How each conversion of the leaf itself printed it in line ``index`` of a run ('hex by ...'), where every number
    in the line equal to the leaf (in its conversion's base) is such a print or the format's text; None otherwise."""
    facts = ctx.facts(v)
    if isinstance(facts, str):
        return None
    sources = ctx.result.run_log_sources(v.name, ctx.result.matrix.position(s.id))
    if len(sources) != len(o.log):
        return None
    found = _line_prints(o.log[index].text, sources[index], leaf, _run_args(facts.leaf_sites.get(s.entry.name, [])), v)
    return None if found is None else tuple(how for how, _ in found)


def _run_args(sites: list[list[str]]) -> tuple[_Args, _Args, _Args]:
    """_line_prints' arguments of an entry point's leaf sites: those reading the leaf, the leaf itself, the shapes."""
    return _leaf_args(sites, SITE_LEAF_ARG), _leaf_args(sites, SITE_LEAF_ITSELF), _leaf_args(sites, SITE_LEAF_SHAPE)


def _leaf_args(sites: list[list[str]], which: str) -> dict[str, set[tuple[str, int]]]:
    """models.leafflow's printk arguments of kind ``which`` (reading the leaf, or the leaf itself): per call
    ``path:line``, (its column, argument index)."""
    out: dict[str, set[tuple[str, int]]] = {}
    for _, kind, key in sites:
        if kind != which:
            continue
        call, _, index = key.rpartition("@")
        site, _, column = call.rpartition(":")
        out.setdefault(site, set()).add((column, int(index)))
    return out


def unread_or_based(runs: _Runs, v: Variant, ctx: CheckContext) -> str | None:
    """The one base in which the lines of a component's runs print the leaf itself by a conversion ("" where none
    does), where every number equal to a run's leaf in them is the format's own text, such a print, or one of an
    argument that does not read the leaf at all (models.leafflow: no value of it depends on the leaf, so it is no
    leaf, as ``(u32)err`` printing 0 is not); None where a number is none of these, or two bases print it."""
    facts = ctx.facts(v)
    if isinstance(facts, str):
        return None
    bases: set[str] = set()
    for s, leaf, o in runs:
        sources = ctx.result.run_log_sources(v.name, ctx.result.matrix.position(s.id)) if o.log else []
        if len(sources) != len(o.log):
            return None
        args = _run_args(facts.leaf_sites.get(s.entry.name, []))
        for line, source in zip(o.log, sources, strict=True):
            found = _line_prints(line.text, source, leaf, args, v, unread_ok=True)
            if found is None:
                return None
            bases.update(how.split(" ", 1)[0] for how, _ in found)
    return None if len(bases) > 1 else next(iter(bases), "")


def _line_prints(text: str, source: LogSource | None, leaf: int, args: tuple[_Args, _Args, _Args],
                 v: Variant, unread_ok: bool = False) -> list[tuple[str, int]] | None:
    """Each print of the leaf in one line, (how, the value printed); None where a number equal to the leaf in it is
    not told to be one (no source, conversions not told apart, another argument's; with ``unread_ok``, a number an
    argument that does not read the leaf printed is no leaf, and left out)."""
    wanted = {leaf, leaf & ~(1 << 63)}
    equal = any(value in wanted for value in _values(text))
    if not equal:
        return []
    if source is None or source.inner:
        return None  # a %pV's struct va_format's conversions read its arguments: models.leafflow's are the call's
    spans = line_spans(source.fmt.encode("latin-1"), text.encode())
    tainted, itself, shapes = args
    columns = {column for column, _ in tainted.get(source.site, set())}
    if len(columns) > 1:
        return None  # two calls on that line: which one printed is not told
    shape = _call_shape(source.site, v)
    if shape is None:  # not a pr_*() call the line shows (a macro's use): the parsed call's, as models.leafflow saw it
        told = shapes.get(source.site, set())
        shape = next(iter(told))[1] if len(told) == 1 and {c for c, _ in told} == columns else None
    if spans is None or shape is None or shape != len(spans) or not text.isascii():
        return None
    read = {index for column, index in itself.get(source.site, set())}
    out: list[tuple[str, int]] = []
    for k, span in enumerate(spans):
        value = _printed(text, span)
        if value is None or value not in wanted:
            if value is None and any(x in wanted for x in _values(text[span.start:span.end])):
                # A conversion of no base ('%s', '%c') printed the leaf's digits: whatever models.leafflow finds of
                # its argument (a buffer snprintf() wrote the leaf into in hex), its base is not told.
                return None
            continue
        if (k + 1) not in read and unread_ok and (k + 1) not in {i for c, i in tainted.get(source.site, set())}:
            continue  # no value of that argument depends on the leaf: it is not the leaf
        if (k + 1) not in read:
            return None  # another argument, or one only read from the leaf ('fn & 1'), printed the leaf's value
        base = _BASES[span.written[-1]]
        out.append((f"{base} by '{_glue(span)}{span.written}' at {_short(source.site)}", value))
    # a number equal to the leaf outside every conversion is the format's text, the same for every leaf
    return out


@functools.lru_cache(maxsize=4096)
def _values(text: str) -> tuple[int, ...]:
    """The numbers a printed text holds, read once per text: each rule reads the same lines for every leaf."""
    from harness.explain import numbers

    return tuple(value for tok in _NUMBER.findall(text) for value, _ in numbers(tok))


def _printed(text: str, span: Span) -> int | None:
    """The value an integer conversion printed (its part of the line read back in its base); None for another."""
    base = _BASES.get(span.written[-1:])
    if base is None or "*" in span.written:
        return None
    part = text[span.start:span.end].strip(" ").lstrip("+")
    negative = part.startswith("-")
    part = part.lstrip("-")
    if base == "hex" and part[:2].lower() == "0x":
        part = part[2:]
    try:
        value = int(part, _RADIX[base])
    except ValueError:
        return None
    return (-value if negative else value) & _MASK


def _glue(span: Span) -> str:
    """The 0x written right before a conversion ('0x%016llx'), which a reader reads with it."""
    return span.literal[-2:] if span.literal[-2:] in ("0x", "0X") else ""


def _short(site: str) -> str:
    path, _, line = site.rpartition(":")
    return f"{path.rsplit('/', 1)[-1]}:{line}"


def _call_shape(site: str, v: Variant) -> int | None:
    """How many arguments follow the format of the pr_*() or printk() call at ``site`` (its format its first
    argument, no pr_fmt() argument before them); None for another call, or where it is not read."""
    found = call_format(variant_sources(v), site)
    path, _, line = site.rpartition(":")
    text = next((ln for s in variant_sources(v) if s.path == path for start, lines in s.pieces
                 if start <= int(line) < start + len(lines) for ln in [lines[int(line) - start]]), None) \
        if line.isdigit() else None
    if found is None or text is None:
        return None
    call = re.search(r"\b([A-Za-z_]\w*)\s*\(\s*\"", text)
    if call is None or not _FIRST_FORMAT.fullmatch(call.group(1)):
        return None
    return len(found[1])

"""The gcc cross-check as reports show it: per variant, compared from its own text or the mirror's expansion."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from models.lazyre import lazy
from models.record import record

if TYPE_CHECKING:
    from harness.crosscheck import CrossResult, Disagreement

_COUNTED = lazy(r"(?P<why>.*) \((?P<n>\d+) scenarios?\)", re.DOTALL)
_PREFIX = lazy(r"(?P<rev>.+):(?P<n>\d+)")  # a revision prefix variant, v3:06 (harness/variants.py)
# Why an entry point fell back to the mirror's expansion when a file its code needs is known only from hunks (no
# --tree; harness.crossraw): tree_hint says what would build it from the variant's own text.
HUNKS_ONLY = "is known only from hunks: gcc reads whole files"


def counted(why: str, n: int) -> str:
    """A reason with how many scenarios it covers, as CrossResult.not_compared keeps it: "why (3 scenarios)"."""
    return f"{why} ({n} scenario{'s' if n != 1 else ''})"


def split_counted(text: str) -> tuple[str, int | None]:
    """``counted``'s reason and count back; (text, None) for a reason without a count."""
    m = _COUNTED().fullmatch(text)
    return (m.group("why"), int(m.group("n"))) if m else (text, None)


@record
class CrossRow:
    """The native cross-check of one variant. ``text_*`` count the outcomes whose native side gcc built from the
    variant's own text (its preprocessor and parser: an independent check); the rest, ``expansion_*``, were built
    from the mirror's expansion, per entry point for the reasons in ``fallback`` ("entry (unit): why"): those
    agree with the mirror's own preprocessing and parse by construction, so they are never independent agreement.
    ``log_libc``/``log_mirror``: the compared native outcomes' log records formatted by the C library, or by
    the mirror's vsnprintf() (a kernel-only conversion: not an independent check of printk)."""

    variant: str
    compared: int
    agreed: int
    not_compared: tuple[str, ...]
    disagreements: tuple[Disagreement, ...]
    compiler: str = "gcc"
    text_compared: int = 0
    text_agreed: int = 0
    fallback: tuple[str, ...] = ()
    log_libc: int = 0
    log_mirror: int = 0
    source: str = "original"  # harness.crossraw.SOURCES
    refused_alike: tuple[str, ...] = ()  # builds gcc and the mirror both refuse, for the same reason, with gcc's
    aliases: tuple[str, ...] = ()  # the variant's other names (``base``), said beside it in the table

    @property
    def shown(self) -> str:
        """The variant's name as the table says it: 'v1:00 (base)' for a state with another name."""
        return f"{self.variant} ({', '.join(self.aliases)})" if self.aliases else self.variant

    @property
    def refused_alike_runs(self) -> int:
        """Scenarios whose build both sides refuse alike (agreement on refusal, not among ``compared``)."""
        return sum(split_counted(why)[1] or 0 for why in self.refused_alike)

    @property
    def expansion_compared(self) -> int:
        return self.compared - self.text_compared

    @property
    def expansion_agreed(self) -> int:
        return self.agreed - self.text_agreed

    @property
    def tone(self) -> str:
        """"na" (nothing compared), "fail" (a disagreement), "partial" (all agree, some from the mirror's
        expansion: not all independent) or "pass" (all agree, all built from the variant's own text)."""
        if not self.compared:
            return "na"
        if self.agreed != self.compared:
            return "fail"
        return "partial" if self.expansion_compared and self.source == "original" else "pass"

    @property
    def not_compared_runs(self) -> int:
        """Scenarios provided but not compared (those of reasons without a count are not known: 0)."""
        return sum(split_counted(why)[1] or 0 for why in self.not_compared)


def cross_rows(c: CrossResult) -> tuple[CrossRow, ...]:
    """One row per variant cross-checked, in the matrix result's order."""
    rows = []
    for name, n in c.compared.items():
        f = c.log_records.get(name)
        rows.append(CrossRow(name, n, c.agreed.get(name, 0), tuple(c.not_compared.get(name, [])),
                             tuple(d for d in c.disagreements if d.variant == name), c.compiler,
                             c.raw_compared.get(name, 0), c.raw_agreed.get(name, 0), tuple(c.fallback.get(name, [])),
                             f.libc if f else 0, f.mirror if f else 0, c.source,
                             tuple(c.refused_alike.get(name, [])), c.aliases.get(name, ())))
    return tuple(rows)


@record
class ReasonGroup:
    """One reason and the variants that have it, with how many scenarios in each (None: not counted)."""

    reason: str
    variants: tuple[str, ...]
    scenarios: tuple[int | None, ...]

    def counts(self, order: Sequence[str]) -> str:
        """" (66 scenarios each)", " (66 scenarios in v1:00, v1:01; 34 in v1)", or "" when none is counted."""
        known = [(v, n) for v, n in zip(self.variants, self.scenarios, strict=True) if n is not None]
        if not known:
            return ""
        ns = list(dict.fromkeys(n for _, n in known))
        unit = "scenario" if ns == [1] else "scenarios"
        if len(known) == len(self.variants) and len(ns) == 1:
            return f" ({ns[0]} {unit}{' each' if len(known) > 1 else ''})"
        parts = [f"{n}{f' {unit}' if i == 0 else ''} in {variant_span([v for v, k in known if k == n], order, True)}"
                 for i, n in enumerate(ns)]
        return f" ({'; '.join(parts)})"


def group_reasons(rows: Iterable[CrossRow], pick: Callable[[CrossRow], Iterable[str]]) -> tuple[ReasonGroup, ...]:
    """The reasons ``pick`` gives per row, each once with every variant that has it, in order of first
    appearance (a reason's scenario count, counted(), is told apart from the reason)."""
    seen: dict[str, list[tuple[str, int | None]]] = {}
    for r in rows:
        for why, n in dict.fromkeys(split_counted(text) for text in pick(r)):
            seen.setdefault(why, []).append((r.variant, n))
    return tuple(ReasonGroup(why, tuple(v for v, _ in got), tuple(n for _, n in got)) for why, got in seen.items())


def variant_span(names: Sequence[str], order: Sequence[str], inside: bool = False) -> str:
    """The variants, in ``order``, with three or more prefixes of one revision next to each other in ``order``
    written as a range ("v1:00..v1:03, v1"); more than three names end with their count ("(11 variants)"), or, for
    a span said inside parentheses already (``inside``), start with it ("11 variants: v1:00..v1:03, ..."): a count
    in parentheses there closed the sentence's with '))'."""
    index = {n: i for i, n in enumerate(order)}
    ordered = sorted(dict.fromkeys(names), key=lambda n: (index.get(n, len(index)), n))
    runs: list[list[str]] = []
    for name in ordered:
        last = runs[-1][-1] if runs else None
        if last is not None and _next_prefix(last, name, index):
            runs[-1].append(name)
        else:
            runs.append([name])
    text = ", ".join(f"{r[0]}..{r[-1]}" if len(r) >= 3 else ", ".join(r) for r in runs)
    if len(ordered) <= 3:
        return text
    return f"{len(ordered)} variants: {text}" if inside else f"{text} ({len(ordered)} variants)"


def _next_prefix(a: str, b: str, index: dict[str, int]) -> bool:
    """Whether ``b`` comes right after ``a`` in the order and both are prefixes of one revision."""
    ma, mb = _PREFIX().fullmatch(a), _PREFIX().fullmatch(b)
    return (ma is not None and mb is not None and ma.group("rev") == mb.group("rev")
            and a in index and b in index and index[b] == index[a] + 1)


_HEAD = lazy(r"(?P<entry>[A-Za-z_]\w*) \((?P<unit>[^()]*)\): (?P<why>.*)", re.DOTALL)


def merge_entries(groups: Iterable[ReasonGroup]) -> tuple[ReasonGroup, ...]:
    """Fallback reasons ("entry (unit): why") of the same why in the same variants as one reason naming every
    entry point, those of one unit together: "seamcall, seamcall_ret (tdx.c): ... is known only from hunks"."""
    merged: dict[tuple[str, bool, tuple[str, ...], tuple[int | None, ...]], dict[str, list[str]]] = {}
    for g in groups:
        m = _HEAD().fullmatch(g.reason)
        why = m.group("why") if m else g.reason
        units = merged.setdefault((why, m is not None, g.variants, g.scenarios), {})
        if m is not None:
            units.setdefault(m.group("unit"), []).append(m.group("entry"))
    out = []
    for (why, _, variants, scenarios), units in merged.items():
        heads = ", ".join(f"{', '.join(entries)} ({unit})" for unit, entries in units.items())
        out.append(ReasonGroup(f"{heads}: {why}" if heads else why, variants, scenarios))
    return tuple(out)


@record
class ReasonLine:
    """One reason as reports print it: the variants that have it ("v1:00..v1:03, v1"), what it explains
    (``NOT_COMPARED``, ``REFUSED_ALIKE`` or ``FALLBACK``) and the reason with its scenario counts."""

    variants: str
    kind: str
    reason: str


NOT_COMPARED = "not compared"
REFUSED_ALIKE = "refused alike (gcc and the mirror)"
# Said before why the entry point's own text was not built ("gcc: error: ..."): that reason is of the own text,
# never of the expansion it fell back to.
FALLBACK = "built from the mirror's expansion, its own text not built"


def reason_lines(rows: tuple[CrossRow, ...]) -> tuple[ReasonLine, ...]:
    """Why scenarios were not compared, then why entry points fell back to the mirror's expansion: each reason
    once with the variants that have it, in the rows' order (report.json keeps each variant's full list)."""
    order = [r.variant for r in rows]
    out = [ReasonLine(variant_span(g.variants, order), NOT_COMPARED, g.reason + g.counts(order))
           for g in group_reasons(rows, lambda r: r.not_compared)]
    out.extend(ReasonLine(variant_span(g.variants, order), REFUSED_ALIKE, g.reason + g.counts(order))
               for g in group_reasons(rows, lambda r: r.refused_alike))
    out.extend(ReasonLine(variant_span(g.variants, order), FALLBACK, g.reason)
               for g in merge_entries(group_reasons(rows, lambda r: r.fallback)))
    return tuple(out)


def headline(rows: tuple[CrossRow, ...]) -> str:
    """How many outcomes agree, how many of them gcc built from the variants' own text (independent) and how
    many from the mirror's expansion (not independent of the mirror's preprocessor and parser)."""
    total, agree = sum(r.compared for r in rows), sum(r.agreed for r in rows)
    text, text_agree = sum(r.text_compared for r in rows), sum(r.text_agreed for r in rows)
    head = f"{agree} of {total} outcomes agree"
    if not total:  # '0 of 0 outcomes agree' read as a result: say that nothing was compared, and the first reason
        why = list(dict.fromkeys(split_counted(w)[0] for r in rows for w in r.not_compared))
        more = f" (and {len(why) - 1} other reason{'s' if len(why) > 2 else ''}: below)" if len(why) > 1 else ""
        return f"nothing compared: {why[0]}{more}" if why else "nothing compared"
    if rows and rows[0].source != "original":
        return head + " (all built from the mirror's expansion: no independent check of its preprocessor, parser)"
    return (f"{head}: {text_agree} of {text} built from the variants' own text (an independent check); "
            f"{agree - text_agree} of {total - text} from the mirror's expansion (not independent)"
            f"{tree_hint(rows)}")


def tree_hint(rows: tuple[CrossRow, ...]) -> str:
    """What would have gcc build from the variants' own text what fell back to the mirror's expansion because a
    file its code needs is known only from hunks (HUNKS_ONLY): "; give --tree ...", else ""."""
    hunks = [r.variant for r in rows if r.expansion_compared and any(HUNKS_ONLY in f for f in r.fallback)]
    if not hunks:
        return ""
    return (f"; give --tree to build from their own text the entry points whose files are known only from hunks "
            f"({variant_span(hunks, [r.variant for r in rows], True)})")


def tone(rows: tuple[CrossRow, ...]) -> str:
    """"fail" (a disagreement, or nothing compared: agreement is never claimed of nothing), "partial" (every
    outcome agrees, some built from the mirror's expansion: not all independent) or "pass"."""
    if any(r.agreed != r.compared for r in rows) or not any(r.compared for r in rows):
        return "fail"
    return "partial" if any(r.expansion_compared for r in rows if r.source == "original") else "pass"

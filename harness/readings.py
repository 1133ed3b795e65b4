"""What a source or changelog check read, for its verdict (harness.verdict.Reading).

The function by its name as found, where it is in the state judged, and the reference it was compared with.
"""

from __future__ import annotations

from dataclasses import replace

from harness.rules import Rule, SourceCheck
from harness.variants import Variant
from harness.verdict import CheckContext, Reading, ReadRole, Verdict, VerdictStatus, reference, rule_place
from models.facts import CodeFacts

_PRINTERS = "the functions that print (printk family, WARN())"


def files_read(facts: CodeFacts) -> str:
    """The files of the definitions the facts hold (what the entry points reach), sorted, one comma-separated line."""
    return ", ".join(sorted({w.rpartition(":")[0] for w in facts.where.values() if ":" in w}))


def source_readings(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext, facts: CodeFacts,
                    fn: str | None, was: str | None, after: Variant | None = None) -> tuple[Reading, ...]:
    """What a function check (``fn``: the rule's function as the variant has it, ``was``: as the reference has it) or
    a printer check (``after``: the state right after the rule's patch, read for the patch's own printers) read."""
    out: list[Reading] = []
    if fn is not None:
        out.append(Reading(ReadRole.JUDGED, f"{fn}() and what it calls", v.name, facts.where.get(fn, "")))
    elif spec.no_new_printers:
        out.append(Reading(ReadRole.JUDGED, _PRINTERS, v.name, files_read(facts)))
        if after is not None and after.name != v.name:
            own = ctx.facts(after)
            place = rule_place(rule, v, ctx)
            by = "the patches that make the rule's change" if place is not None and place.numbers else \
                "the rule's patch"  # a split change, or one a revision makes under other titles (harness.patchparts)
            out.append(Reading(ReadRole.JUDGED, f"{_PRINTERS} {by} add{'' if place and place.numbers else 's'}",
                               after.name, files_read(own) if isinstance(own, CodeFacts) else "",
                               f"the state right after {'them' if place and place.numbers else by}"))
    ref_name = reference(spec.reference, v, ctx, rule) if spec.reference is not None else None
    ref_v = ctx.variant(ref_name) if ref_name else None
    ref = ctx.facts(ref_v) if ref_v is not None else None
    if ref_v is not None and isinstance(ref, CodeFacts):
        old = was if was is not None and was in ref.functions else fn
        what = f"{old}() and what it calls" if old is not None and old in ref.functions else \
            (f"{old}() (absent there: nothing to count)" if old is not None else _PRINTERS)
        where = ref.where.get(old, "") if old is not None else files_read(ref)
        out.append(Reading(ReadRole.REFERENCE, what, ref_v.name, where, f"reference = \"{spec.reference}\""))
    return tuple(out)


def with_readings(found: Verdict, readings: tuple[Reading, ...]) -> Verdict:
    """A pass or a failure with what it read; other verdicts as they are (they say why in their note)."""
    if found.status not in (VerdictStatus.PASS, VerdictStatus.FAIL) or not readings:
        return found
    return replace(found, read=(*found.read, *readings))

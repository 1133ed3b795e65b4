"""A rule's ``requires_entry`` that the variant lacks because the change took it away: not absent by design."""

from __future__ import annotations

from harness.moves import defined_by
from harness.rules import Rule
from harness.variants import Variant
from harness.verdict import CheckContext, Verdict, inconclusive


def gone_entry(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict | None:
    """Inconclusive when the variant lacks the rule's ``requires_entry`` because a patch (or proposal) it applies
    removed it, or an earlier revision of the input added it and its own revision does not, no rename followed
    (harness.follow); None when it is simply not there yet (n/a: before the patch that adds it)."""
    return _taken_away(rule, v) or _left_behind(rule, v, ctx)


def _taken_away(rule: Rule, v: Variant) -> Verdict | None:
    """Inconclusive when a patch (or a proposal's diff) the variant applies removed the rule's ``requires_entry``
    and no rename of it was followed (harness.follow): the point's subject was taken away by the change judged, not
    absent by design as before the patch that adds it; n/a there let a series that deletes or reshapes the
    entry point pass the gate unjudged. None when nothing the variant applies removed it."""
    gone = [label for name, label in v.removed_defines if name == rule.requires_entry]
    if not gone:
        return None
    return inconclusive(rule, v, f"{rule.requires_entry} is gone: {gone[-1]} removes it, and no rename of it is "
                                 f"shown, so what the rule judges is not in {v.name} (its subject was taken away, "
                                 "not absent by design): give the rule the entry point that stands for it")


def _left_behind(rule: Rule, v: Variant, ctx: CheckContext) -> Verdict | None:
    """Inconclusive when an earlier revision's patch of the input adds the rule's ``requires_entry`` and no patch of
    the variant's revision does, no rename between the two followed (harness.follow): the revision replaced what the
    review judged, which is no subject absent by design. None otherwise."""
    rev = ctx.series.revision(v.revision) if v.revision is not None else None
    name = rule.requires_entry
    if rev is None or name is None or any(name in defined_by(p)[0] for p in rev.patches):
        return None
    for old in ctx.series.revisions:
        if old.version < rev.version and (p := next((p for p in old.patches if name in defined_by(p)[0]), None)):
            return inconclusive(rule, v, f"{name} is gone: v{old.version} {p.label} adds it, no patch of "
                                         f"v{rev.version} does, and no rename of it between the two is shown, so what "
                                         f"the rule judges is not in {v.name}: give the rule the entry point that "
                                         "stands for it")
    return None

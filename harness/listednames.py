"""The names a source rule lists (no_new_calls, not_referencing) as the variant has them: followed through renames."""

from __future__ import annotations

from dataclasses import replace

from harness.coverage import named_anywhere
from harness.follow import Followed, follow
from harness.rules import SourceCheck
from harness.unreadcode import series_defines
from harness.variants import Variant
from harness.verdict import CheckContext
from models.record import record


@record
class Listed:
    """The rule's check with each listed name the variant shows renamed listed under its new name as well, the
    new names with the old ones they stand for, and what was followed (for the note)."""

    spec: SourceCheck
    was: dict[str, str]  # new name -> the listed name it was
    notes: tuple[str, ...] = ()


def listed_names(spec: SourceCheck, v: Variant, ctx: CheckContext) -> Listed | str:
    """The listed names as ``v`` has them (Listed), or why the rule cannot be judged on ``v``: a listed name a rename
    may have carried off. A call or use of a helper the review named (``not_referencing = ["sc_retry"]``) that a
    later revision renamed is a call of it still: judged by the old name alone the rule passed on code that calls
    it under its new one. A name no line of ``v`` holds that a patch of the input defines (a rename the input does
    not show, or one not decided) leaves the rule inconclusive; a kernel name (``likely``) absent is simply unused.
    """
    was: dict[str, str] = {}
    notes: list[str] = []
    calls, uses = list(spec.no_new_calls), list(spec.not_referencing)
    for name in dict.fromkeys([*calls, *uses]):
        found = follow(name, v, ctx)
        if isinstance(found, Followed):
            was[found.new] = name
            notes.append(found.note())
            calls += [found.new] * (name in calls and found.new not in calls)
            uses += [found.new] * (name in uses and found.new not in uses)
        elif named_anywhere(v, name):
            continue
        elif isinstance(found, str):
            return f"{name}, which the rule lists, is named nowhere in {v.name}'s code: {found}"
        elif name in series_defines(ctx.series):
            return (f"{name}, which the rule lists, is named nowhere in {v.name}'s code, yet a patch of the input "
                    "defines it: renamed or removed, no rename of it is shown (one the input does not show is not "
                    "followed), so whether the code still uses it under another name is not known (the rule may "
                    "need its new name)")
    spec = replace(spec, no_new_calls=tuple(calls), not_referencing=tuple(uses))
    return Listed(spec, was, tuple(dict.fromkeys(notes)))

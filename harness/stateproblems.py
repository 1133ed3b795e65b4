"""What keeps a judged state from being the series as sent: base problems, git am stops, a revision's missing patches.

The gate counts them as base problems (harness.gate.GateResult.base_problems), and eval's verdict lines count them as
the gate does (harness.report): a whole revision whose last patches the input lacks was READY in eval, NOT READY in
the gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.model import number_ranges

if TYPE_CHECKING:
    from harness.model import Series
    from harness.variants import Variant


def not_given(series: Series, v: Variant) -> tuple[str, ...]:
    """The patches of the judged whole revision ``vN`` after its last present one that the input lacks, one line:
    the state judged is then the patches given, not the revision (a retry its 03/3 adds was never seen), so the
    gate does not pass it, as with a patch that does not apply (a state of the patches given, ``vN:KK``, can)."""
    rev = series.revision(v.revision) if v.revision is not None else None
    if rev is None or v.name != rev.name or v.start is not None or v.prefix is None:
        return ()
    missing = [n for n in rev.missing if n > v.prefix]
    if not missing:
        return ()
    given = f"v{rev.version}:{v.prefix:0{max(2, len(str(rev.total)))}d}"
    return (f"the input lacks v{rev.version} patch{'es' if len(missing) > 1 else ''} {number_ranges(missing)} "
            f"(of {rev.total}), which {v.name} holds: the verdicts below are {given}'s, the patches given; give "
            f"every patch, or gate {given}",)


def am_stops(series: Series, v: Variant) -> tuple[str, ...]:
    """Each patch the judged state applies that git am stops at as sent (a commit message git mailinfo cannot
    convert to UTF-8), one line each: read as git am --no-utf8 reads it, with a note, and the gate passed a
    revision git am does not apply."""
    applied = {msgid for msgid, _ in v.sources}
    labels = {p.mail.msgid: f"v{p.mail.subject.version} {p.label}" for p in series.all_patches()}
    return tuple(f"{labels.get(n.where.msgid, 'the patch')} <{n.where.msgid}> ({n.where}): {n.reason}"
                 for n in series.notes if n.stops_am and n.where.msgid in applied)


def state_problems(series: Series, v: Variant) -> tuple[str, ...]:
    """What went wrong building the state on its base, one line each (none: it built cleanly), then the patches it
    applies that git am stops at (am_stops), then the patches of its revision the input lacks (not_given)."""
    return tuple(dict.fromkeys([*(str(f) for f in v.base_problems), *am_stops(series, v), *not_given(series, v)]))

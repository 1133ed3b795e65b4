"""What keeps a judged state from being the series as sent: base problems, git am stops, a revision's missing patches.

The gate counts them as base problems (harness.gate.GateResult.base_problems), and eval's verdict lines count them as
the gate does (harness.report): a whole revision whose last patches the input lacks was READY in eval, NOT READY in
the gate.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from harness.model import number_ranges

if TYPE_CHECKING:
    from harness.model import Series
    from harness.patching import Finding
    from harness.variants import Variant


class ProblemKind(StrEnum):
    """What kind of base problem a line of state_problems is, as a verdict line names it: 'base problem' alone read
    as 'the base commit is wrong' where the input only lacked a revision's last patches."""

    HUNK = "a hunk does not apply"  # git apply refuses a hunk there (or cannot place it from what is known)
    BLOB = "a file is not the blob its index line names"  # the base is not the one the patch was made on
    FILE = "a file change does not apply"  # a file the patch changes, creates or deletes is not as it needs
    AM_STOP = "git am stops at a patch"  # as sent (harness.stateproblems.am_stops)
    MISSING = "patches missing"  # the input lacks the revision's last patches (not_given)


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
    return tuple(_kinds(series, v))


def problem_kinds(series: Series, v: Variant) -> tuple[ProblemKind, ...]:
    """The kinds of state_problems' lines, each once, in their order (none: the state built cleanly)."""
    return tuple(dict.fromkeys(_kinds(series, v).values()))


def kinds_said(series: Series, v: Variant) -> str:
    """problem_kinds as a verdict line says them after its count: 'patches missing', 'a hunk does not apply, a file
    is not the blob its index line names'; '' where there is none."""
    return ", ".join(problem_kinds(series, v))


def _kinds(series: Series, v: Variant) -> dict[str, ProblemKind]:
    """Each line of state_problems (once, in order) and its kind."""
    out: dict[str, ProblemKind] = {}
    for f in v.base_problems:
        out.setdefault(str(f), _kind(f))
    for line in am_stops(series, v):
        out.setdefault(line, ProblemKind.AM_STOP)
    for line in not_given(series, v):
        out.setdefault(line, ProblemKind.MISSING)
    return out


def _kind(f: Finding) -> ProblemKind:
    """An apply finding's kind: by what made it (harness.patching.Finding: a hunk's, a blob check's), not its words."""
    return ProblemKind.HUNK if f.hunk else ProblemKind.BLOB if f.blob else ProblemKind.FILE

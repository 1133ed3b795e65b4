"""Report findings a reviewer must look at besides behaviour, and their kinds.

Apply problems, load errors, code moves, skipped inputs and variants; and the apply findings of a set of variants.
"""

from __future__ import annotations

from enum import StrEnum

from harness.comparison import NOT_APPLIED
from harness.patching import Finding
from harness.variants import Variant
from models.record import record


class FindingKind(StrEnum):
    """What a report finding is about; the values are the JSON report's ``kind`` strings."""

    APPLY = "apply"
    APPLY_NOTE = "apply-note"  # changed nothing: a hunk placed with an offset, as git apply places it
    LOAD = "load"
    CODE_MOVE = "code-move"
    CODE_MOVE_CHANGED = "code-move-changed"
    CODE_MOVE_NOT_COMPARED = "code-move-not-compared"
    VARIANT_SKIPPED = "variant-skipped"
    RULES_SKIPPED = "rules-skipped"
    INPUT_SKIPPED = "input-skipped"  # a file or message not read (the run's exit status is 2)
    INPUT_NOTE = "input-note"  # read otherwise than it stands, or a part not used (a reply's diff): said, not refused
    LOCKDEP = "lockdep"  # a lock-order cycle two runs close together (harness.lockcycles)


@record
class ReportFinding:
    """Something a reviewer must look at, on a patch or a variant (apply problems, load errors, code moves)."""

    kind: FindingKind
    subject: str
    text: str
    where: str = ""


def apply_findings(variants: tuple[Variant, ...]) -> list[ReportFinding]:
    """Each apply finding once, with every variant it holds in (a failed hunk of 03 is in every later state)."""
    seen: dict[tuple[str, str, str], tuple[Finding, list[str]]] = {}
    for v in variants:
        for f in v.findings:
            seen.setdefault((f.path, f.hunk, str(f)), (f, []))[1].append(v.name)
    out = []
    for f, names in seen.values():
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        kind = FindingKind.APPLY_NOTE if f.note else FindingKind.APPLY
        out.append(ReportFinding(kind, shown, f"{f.path}{' ' + f.hunk if f.hunk else ''}: {f.reason}", str(f.where)))
    return out


def not_applied(msgid: str, after: Variant) -> tuple[str, ...]:
    """What of a patch (by Message-ID) did not apply in the state after it (a hunk git apply refuses, a file
    that is not there or already is): its change there was never run, so "no behaviour change" must not
    stand on the state (one line per file)."""
    seen: dict[str, None] = {}
    for f in after.base_problems:
        if f.where.msgid == msgid:
            hunk = f" {f.hunk}" if f.hunk else ""
            seen[f"{f.path}{hunk}: {f.reason}: {NOT_APPLIED} {after.name}"] = None
    return tuple(seen)


def hunk_offsets(msgid: str, after: Variant) -> dict[tuple[str, str], int]:
    """How far from its header's lines git apply placed each hunk of a patch (by Message-ID) on the way to the
    state ``after``, by (path, hunk header): its line numbers are off by as much there (a newer tree, --base, a
    patch before it missing)."""
    return {(f.path, f.hunk): f.offset for f in after.findings if f.offset and f.where.msgid == msgid}

"""The changelog check: no line of the rule's patch's commit message matches a pattern (its trailers aside)."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace

from harness.patchplace import applied_patches
from harness.rules import ChangelogCheck, Rule
from harness.trailers import without_trailers
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence, Reading, ReadRole, Verdict, not_applicable, rule_place, verdict


def check_changelog(rule: Rule, spec: ChangelogCheck, v: Variant, ctx: CheckContext) -> Verdict:
    place = rule_place(rule, v, ctx)
    number = spec.patch or (place.number if place else None)
    if number is None:
        return not_applicable(rule, v, place.dropped if place and place.dropped else "no patch to read")
    # A change split over several patches (harness.patchparts) is explained in each of their changelogs.
    numbers = {number, *(place.numbers if place is not None and spec.patch is None else ())}
    patches = [p for p in applied_patches(v, ctx.series)
               if p.number in numbers and p.mail.subject.version == v.revision]
    if not any(p.number == number for p in patches):
        return not_applicable(rule, v, f"patch {number:02d} is not applied in this variant")
    # The commit's first line is its subject's title (git am): a claim made there is in the changelog as much.
    evidence = [_evidence(rule, spec.must_not_match, hit, f"{patch.mail.where.file} ({patch.label})")
                for patch in patches for hit in changelog_hits(
                    f"{patch.mail.subject.title}\n\n{without_trailers(patch.message)}", spec.must_not_match)]
    read = tuple(Reading(ReadRole.JUDGED, f"the commit message of v{v.revision} {p.label} (trailers aside)", v.name,
                         str(p.mail.where)) for p in patches)
    return replace(verdict(rule, v, evidence), read=read)


def _evidence(rule: Rule, pattern: re.Pattern[str], hit: str, where: str) -> Evidence:
    """A hit said in words a reader knows: the words a plain pattern looks for, else the rule's key and what of
    the line it matched; the regular expression itself goes to the JSON (``pattern``)."""
    words = plain_words(pattern)
    if words is not None:
        case = " (any case)" if pattern.flags & re.IGNORECASE else ""
        return Evidence(f"no line saying '{words}'{case}", hit, where=where, pattern=pattern.pattern)
    matched = list(dict.fromkeys(m.group(0).strip() for m in pattern.finditer(hit.replace(" / ", " "))))
    said = f" (it says {', '.join(repr(m) for m in matched if m)})" if any(matched) else ""
    return Evidence(f"no line matching the rule's must_not_match ({rule.place('must_not_match')})", hit + said,
                    where=where, pattern=pattern.pattern)


# An escape that stands for itself (\. \( \-), white space (\s, \s+, an escaped space) or a word boundary (\b,
# which a phrase's edges add no word to); anything else of regex syntax makes a pattern more than words.
_PLAIN = re.compile(r"\\s\+?|\\b|\\[^A-Za-z0-9]|[^\\.^$*+?{}\[\]|()]")


def plain_words(pattern: re.Pattern[str]) -> str | None:
    """The words a pattern that is a plain phrase looks for (``(?i)\\bVMCS\\s+handling\\b``: ``VMCS handling``),
    or None for one with alternatives, classes, repeats and the like."""
    text = re.sub(r"^\(\?[aiLmsu]+\)", "", pattern.pattern)  # (?x) is left: its spaces are no words
    pieces = _PLAIN.findall(text)
    if not text or "".join(pieces) != text:
        return None
    words = "".join(" " if p.startswith("\\s") else "" if p == "\\b" else p[-1] for p in pieces).strip()
    return " ".join(words.split()) or None


def changelog_hits(message: str, pattern: re.Pattern[str]) -> list[str]:
    """The lines of a commit message that match, and the runs of lines a match spans once each paragraph is read
    as its writer wrapped it (lines joined by a space): "bit" ending one line and "63" starting the next say
    "bit 63" all the same. Lines are git's (split at LF alone), shown stripped; a wrapped hit joined by " / "."""
    lines = message.split("\n")
    hits = [line.strip() for line in lines if pattern.search(line)]
    start = 0
    for i in range(len(lines) + 1):
        if i < len(lines) and lines[i].strip():
            continue
        para = [ln.strip() for ln in lines[start:i]]
        start = i + 1
        if len(para) < 2:
            continue
        ends = list(itertools.accumulate(len(ln) + 1 for ln in para))  # offset past each line and its space
        for m in pattern.finditer(" ".join(para)):
            first = bisect.bisect_right(ends, m.start())
            last = bisect.bisect_right(ends, max(m.start(), m.end() - 1))
            if first != last:
                hits.append(" / ".join(para[first:last + 1]))
    return hits

"""The printk-family calls a log pattern has seen nothing of: in the code a rule's entry points reach, never made.

A behaviour rule with ``log_match`` or ``log_not_match`` reads the lines the runs printed. A ``pr_err("failed:
%llu\\n", err)`` under an answer no script gives printed none, so what it prints (the status in decimal, where the
rule asks for ``%#016llx``) was never judged, and a pass over it would say what was not run. A call some run of the
variant made, for any leaf or entry point, showed its format, and a ``WARN()`` that fired in one its message. One
whose literal format cannot print a line the rule's patterns match (harness.logformat) leaves nothing open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from harness.leafsame import _line_text, text_place
from harness.linecover import HINT
from harness.logformat import can_match, format_lines
from harness.matrix import Scenario
from harness.prfmt import assumed_pr_fmt, pr_fmt_prefix
from harness.variants import Variant
from harness.verdict import CheckContext
from models.facts import DEAD, SITE_PRINT, SITE_WARN, CodeFacts
from models.lazyre import lazy
from models.machine import EventKind
from models.outcome import Outcome
from reports.safe import counted

_LIMIT = 6


def unseen_prints(v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]],
                  patterns: tuple[re.Pattern[str], ...] = (), numbers_only: bool = False) -> list[str]:
    """Each printk-family call (models.printsites) in what the entry points of ``outs`` that ran reach that no run
    of the variant made (a WARN() with a message: that never fired), by file:line and the test above it, but those
    whose literal format cannot print a line one of ``patterns`` matches (_mute), or, with ``numbers_only``, prints
    no integer; a last item says what would show them. Code whose facts could not be read is said as such."""
    facts = ctx.facts(v)
    entries = sorted({s.entry.name for s, o in outs if o.ran})
    if isinstance(facts, str):
        return [f"what {v.name}'s code prints is not known: its code could not be read ({facts})"]
    if facts.print_sites is None:
        return [f"what {v.name}'s code prints is not known (its facts list no printk-family calls)"]
    ran = ctx.result.coverage(v.name).ran
    fired = {e.where for _, o in (*ctx.outcomes(v.name), *outs) if o.ran
             for e in o.events if e.kind == EventKind.WARNING}
    unknown = [e for e in entries if e not in facts.entry_reach]
    sites = _reached(facts, [e for e in entries if e not in unknown])
    places = [f"where {e}() prints in {v.name} is not known (its code was not read)" for e in unknown]
    for (kind, key), (guard, callee, fmt) in sorted(sites.items(),
                                                    key=lambda item: (_path_line(item[0][1]), item[0][1])):
        if (key in fired if kind == SITE_WARN else key in ran) or _dead(facts, key):
            continue
        if kind == SITE_PRINT and (_mute(v, key, callee, fmt, patterns) or (numbers_only and _no_number(fmt))):
            continue
        places.append(_said(v, kind, key, guard, text_place(kind, key, facts)))
    if len(places) > _LIMIT:
        places = [*places[:_LIMIT], counted(len(places) - _LIMIT, "more place")]
    return [*places, HINT] if places else []


# An integer conversion of printk (lib/vsprintf.c format_decode(): flags, width, precision, length, d i u x X o).
_INTEGER = lazy(r"%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|j|t|L|q)?[diuxXo]")


def unseen_number_prints(v: Variant, ctx: CheckContext, outs: list[tuple[Scenario, Outcome]]) -> list[str]:
    """unseen_prints of the entry points of ``outs`` that ran, but a call whose literal format has no integer
    conversion (it prints no leaf). For an entry point given no leaf (a wrapper with a fixed one): models.leafflow
    follows the leaf from an entry's ``fn`` alone, so a print of a constant leaf on a path no script drives is
    none of its leaf sites, and only this shows it never ran."""
    return unseen_prints(v, ctx, outs, numbers_only=True)


def _no_number(fmt: str) -> bool:
    """Whether a literal format prints no integer (an unknown format, "", may print one)."""
    return bool(fmt) and not _INTEGER().search(fmt.replace("%%", ""))


def _reached(facts: CodeFacts, entries: Iterable[str]) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(kind, key) -> (guard, callee, literal format or "") of every printk-family call the entry points reach:
    each function of their reach (CodeFacts.entry_reach), and the prints of the leaf models.leafflow found (through
    pointers too: no format kept)."""
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    for entry in entries:
        for fn in facts.entry_reach.get(entry, []):
            for site in (facts.print_sites or {}).get(fn, []):
                kind, key, callee, guard = site[:4]
                found.setdefault((kind, key), (guard, callee, site[4] if len(site) > 4 else ""))
        for _, kind, key in facts.leaf_sites.get(entry, []):
            if kind in (SITE_PRINT, SITE_WARN):  # the leaf printers models.leafflow lists: the same kinds
                found.setdefault((kind, key), ("", "", ""))
    return found


def _mute(v: Variant, key: str, callee: str, fmt: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    """Whether a call that never ran cannot print a line any of ``patterns`` matches: its format a literal whose
    lines harness.logformat knows, with the pr_fmt prefix of its .c file known (a header's code takes the prefix of
    the unit it is compiled in; an assumed pr_fmt, or one whose form is not a plain prefix, may be anything), and
    none of them can match there. In doubt, it can."""
    if not fmt or not patterns:
        return False
    path, _ = _path_line(key)
    if callee.startswith("printk"):
        prefix = ""  # printk() takes no pr_fmt
    elif callee.startswith("pr_") and path.endswith(".c") and assumed_pr_fmt(v, path) is None:
        prefix = pr_fmt_prefix(v, path)
        if not prefix.isprintable() or "%" in prefix:  # a marker (not modelled, scoped, DEBUG's, arguments), a format
            return False
    else:
        return False
    lines = format_lines(fmt, callee, prefix)
    return lines is not None and not any(can_match(p, lines) for p in patterns)


def _path_line(key: str) -> tuple[str, int]:
    """(path, line) of a key: a statement's ``path:line:column`` or a call's ``path:line``."""
    parts = key.split(":")
    if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isdigit():
        parts = parts[:-1]
    path, line = ":".join(parts[:-1]), parts[-1]
    return path, int(line) if line.isdigit() else 0


def _dead(facts: CodeFacts, key: str) -> bool:
    """Whether the call cannot run for any leaf: dead for both values of bit 63 (models.leafbits)."""
    return len(facts.bit63_fixed) == 2 and all(fixed.get(key) == DEAD for fixed in facts.bit63_fixed.values())


def _said(v: Variant, kind: str, key: str, guard: str, at: str) -> str:
    """A site never reached, said with its text: ``at``'s line (leafsame.text_place: a WARN()'s below a #line)."""
    path, line = _path_line(key)
    place = f"{path}:{line}"
    text_path, _, text_line = at.rpartition(":")
    text = _line_text(v, text_path, int(text_line)) if text_line.isdigit() else None
    what = "a WARN() message" if kind == SITE_WARN else "a printk-family call"
    done = "never fired" if kind == SITE_WARN else "never ran"
    under = ""
    if guard:
        gpath, gline = _path_line(guard)
        gtext = _line_text(v, gpath, gline)
        under = f" (it sits under the test at {gpath}:{gline}{f', {gtext!r}' if gtext else ''})"
    return f"{what} at {place}{f' ({text!r})' if text else ''} {done} in any run of {v.name}{under}: what it prints " \
           "was never seen"

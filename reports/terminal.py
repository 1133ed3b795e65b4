"""The eval summary for a terminal: verdicts, then what each patch and proposal changes, under which answers.

Everything wraps at the console's width (COLUMNS when piped); identifiers are folded, never cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from harness.compare import Comparison, scenario_count
from harness.explain import LIMIT_MEANING, describe
from harness.findings import FindingKind
from harness.report import EvalReport, LimitHit, RevisionSummary
from harness.threadcache import CopyKind, ThreadCopy
from reports.safe import clean, markup, styled

if TYPE_CHECKING:
    from harness.crosscheck import CrossResult

_GOOD_FINDINGS = (FindingKind.CODE_MOVE, FindingKind.VARIANT_SKIPPED, FindingKind.RULES_SKIPPED,
                  FindingKind.APPLY_NOTE)


def _text(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style, overflow="fold")


def _indented(text: str, depth: int, style: str = "") -> Padding:
    return Padding(_text(text, style), (0, 0, 0, depth), expand=False)


def comparison_lines(c: Comparison, limit: int = 3) -> list[RenderableType]:
    """A comparison as wrapped lines: each group of entry points that changed alike with its facts and the
    answers under which they hold, then what was not compared and why."""
    out: list[RenderableType] = []
    if not c.changed:
        out.append(_indented(c.verdict(), 2, "dim"))
    for f in c.facts(limit):
        out.append(_indented(f"{', '.join(f.entries)} ({scenario_count(f)}):", 2))
        out.extend(_indented(f"- {note} [{where}]", 4) for note, where in f.notes)
        if f.more:
            out.append(_indented(f"- and {f.more} more", 4, "dim"))
    out.extend(_indented(str(g), 2, "yellow") for g in c.gaps)
    out.extend(_indented(u, 2, "yellow") for u in c.uncovered())
    return out


def _section(title: str, rows: tuple[Comparison, ...]) -> list[RenderableType]:
    parts: list[RenderableType] = [Text(title, style="bold underline")]
    for c in rows:
        parts.append(_text(c.label, "bold" if c.changed else ""))
        parts.extend(comparison_lines(c))
    return parts


def revision_lines(r: RevisionSummary) -> list[RenderableType]:
    """A revision's verdict line and one line per patch that changes behaviour."""
    colour = {"blocked": "red", "ready": "green"}.get(r.tone, "default")
    parts: list[RenderableType] = [styled(f"[bold {colour}]{markup(r.headline)}[/]")]
    if r.failing:
        parts.append(_indented(f"failing: {', '.join(r.failing)}", 2, "red"))
    parts.extend(_indented(f"inconclusive {why}", 2, "yellow") for why in r.why_inconclusive)
    parts.extend(_indented(f"! {f}", 2, "red") for f in r.alarms)
    parts.extend(_indented(f"{p.label}: {p.text}", 2) for p in r.patches)
    return parts


def _single(rep: EvalReport) -> list[RenderableType]:
    """One variant and nothing to compare it with: what it does, entry by entry, and how to compare it."""
    view = rep.variants[0]
    parts: list[RenderableType] = [_text(f"{view.variant.name}: {view.variant.description}", "bold")]
    verdict = rep.headline_of(view.variant.name)
    if verdict is not None and not any(r.headline == verdict for r in rep.summaries):  # said once, above
        parts.append(_text(verdict, "bold red" if "NOT READY" in verdict else "bold green"))
    for line in rep.behaviour(0):
        parts.append(_indented(line, 2))
    parts.append(_text(f"hint: compare it with --against NAME (e.g. --against {rep.hint_against}), or leave out "
                       "--variant to evaluate every state", "dim"))
    return parts


def eval_summary(rep: EvalReport) -> RenderableType:
    """Verdicts per revision, newest first; what changed, patch by patch and proposal by proposal; findings."""
    head = styled(
        f"[bold]{markup(rep.title)}[/]: {len(rep.variants)} variant{'s' if len(rep.variants) != 1 else ''} x "
        f"{len(rep.scenarios)} scenarios, "
        f"{rep.executed} runs ({f'{rep.replayed} of them replayed, ' if rep.replayed else ''}{rep.reused} reused, "
        f"{rep.cached} cached"
        f"{f', {rep.not_provided} not provided' if rep.not_provided > 0 else ''})")
    parts: list[RenderableType] = [head, _text(f"base: {rep.base}", "dim")]
    parts.extend(thread_lines(rep.threads))
    parts.extend(_text(f"assumed: {a}", "dim") for a in rep.assumptions)
    if rep.discovered:
        found = ", ".join(f"{e.name}() [{e.kind}, {e.origin}]" for e in rep.discovered)
        parts.append(_text(f"entry points found in the code: {found}", "dim"))
    for r in rep.summaries:
        parts.extend(revision_lines(r))
    if len(rep.variants) == 1 and not rep.per_patch and not rep.across:
        parts.extend(_single(rep))
    if rep.per_patch:
        parts.extend(_section("Per patch", rep.per_patch))
    if rep.across:
        parts.extend(_section("Revisions and proposals", rep.across))
    for f in rep.findings:
        colour = "green" if f.kind in _GOOD_FINDINGS else "red"
        parts.append(styled(f"[{colour}]{markup(f.kind)}[/] {markup(f.subject)}: {markup(f.text)}"))
    parts.extend(_limit_line(hit, len(rep.scenarios)) for hit in rep.limits)
    parts.extend(_cross_lines(rep))
    return Group(*parts)


def thread_lines(threads: tuple[ThreadCopy, ...]) -> list[RenderableType]:
    """Which copy of each thread fetched from lore the report rests on: dim when downloaded or young enough,
    yellow when --offline or of unknown age, red when stale (its download failed)."""
    colour = {CopyKind.STALE: "bold red", CopyKind.OFFLINE: "yellow"}
    return [_text(t.describe(), colour.get(t.kind, "yellow" if t.age is None else "dim")) for t in threads]


def _cross_lines(rep: EvalReport) -> list[RenderableType]:
    """--crosscheck: per variant, how many outcomes gcc's build agrees with, and the first disagreement."""
    if rep.crosscheck is None:
        return []
    bad = [r for r in rep.crosscheck if r.agreed != r.compared]
    cc = markup(rep.crosscheck[0].compiler) if rep.crosscheck else "gcc"
    parts: list[RenderableType] = [styled(
        f"[bold {'red' if bad else 'green'}]crosscheck ({cc}):[/] "
        + "; ".join(f"{markup(r.variant)} {r.agreed}/{r.compared} agree" for r in rep.crosscheck))]
    for r in bad:
        d = r.disagreements[0]
        parts.append(_indented(f"{r.variant}: {d.scenario}: {d.divergence}", 2, "red"))
    for r in rep.crosscheck:
        parts.extend(_indented(f"{r.variant}: not compared: {why}", 2, "dim") for why in r.not_compared)
    return parts


def crosscheck_summary(r: CrossResult) -> RenderableType:
    """Per variant: runs compared and agreeing, how many of them gcc built from the variant's own text; every
    disagreement with its first point of divergence; who formatted the native log lines."""
    table = Table(title="Mirror vs native", title_justify="left")
    raw = r.source == "original"
    for col in ("variant", "compared", "agree", *(("from its text",) if raw else ()), "not compared"):
        table.add_column(col, overflow="fold")
    for name, n in r.compared.items():
        agree = r.agreed.get(name, 0)
        style = "green" if agree == n else "red"
        text = (str(r.raw_compared.get(name, 0)),) if raw else ()
        table.add_row(name, str(n), Text(str(agree), style=style), *text, str(r.not_compared_runs.get(name, 0)))
    parts: list[RenderableType] = [table]
    for name, reasons in r.not_compared.items():  # what the column counts, and why: never a silent gap
        parts.extend(Text(clean(f"{name}: not compared: {why}"), style="yellow", overflow="fold")
                     for why in dict.fromkeys(reasons))
    for name, reasons in r.fallback.items():  # compared, but from the mirror's own expansion
        parts.extend(Text(clean(f"{name}: from the mirror's expansion: {why}"), style="dim", overflow="fold")
                     for why in reasons)
    for d in r.disagreements[:20]:
        parts.append(styled(f"[red]DISAGREE[/] {markup(d.variant)} {markup(d.scenario)}: "
                                      f"{markup(d.divergence)}\n    mirror: {markup(describe(d.mirror))}"
                                      f"\n    native: {markup(describe(d.native))}"))
    parts.extend(_cross_totals(r))
    return Group(*parts)


def _cross_totals(r: CrossResult) -> list[RenderableType]:
    total = sum(r.compared.values())
    probes = r.probe_runs  # a native run per distinct code where the mirror stopped: the child is bounded too
    extra = f" ({probes} of them a probe of a scenario the mirror stopped on)" if probes else ""
    parts: list[RenderableType] = [Text(f"{total - len(r.disagreements)} of {total} outcomes agree; {r.native_runs} "
                                        f"native runs{extra} in {r.native_seconds:.2f} s", style="bold")]
    if r.source == "original":
        raw, raw_agree = sum(r.raw_compared.values()), sum(r.raw_agreed.values())
        parts.append(Text(f"{raw_agree} of {raw} built by {r.compiler} from the variants' own text (its "
                          f"preprocessor, its parser); {total - raw} from the mirror's expansion", style="bold"))
    f = r.formats
    if f.libc + f.mirror:
        parts.append(Text(f"native log records: {f.libc} formatted by the C library's vsnprintf(), {f.mirror} by the "
                          "mirror's (a conversion where lib/vsprintf.c and C99 differ: their text is not an "
                          "independent check)", style="dim"))
    if not total:
        parts.append(Text(clean(f"nothing was compared with {r.compiler}: no agreement is claimed (exit status 1)"),
                          style="bold red"))
    return parts


def _limit_line(hit: LimitHit, total: int, shown: int = 3) -> Text:
    """One limit a variant hit: what it means, in how many scenarios, the first few of them."""
    first = ", ".join(hit.scenarios[:shown]) + (f" and {len(hit.scenarios) - shown} more"
                                                if len(hit.scenarios) > shown else "")
    return styled(f"[yellow]limit {markup(hit.limit)}[/] {markup(hit.variant)}: {LIMIT_MEANING[hit.limit]} "
                            f"in {len(hit.scenarios)} of {total} scenarios: {markup(first)}")

"""The eval summary for a terminal: per-patch changes, proposals and findings, with rich."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from harness.compare import Comparison, FindingKind
from harness.explain import LIMIT_MEANING, describe
from harness.report import EvalReport, LimitHit
from reports.safe import clean, markup

if TYPE_CHECKING:
    from harness.crosscheck import CrossResult


def _table(title: str, rows: tuple[Comparison, ...], width: int) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    table.add_column("change", ratio=1, no_wrap=False)
    table.add_column("behaviour", ratio=3)
    for c in rows:
        style = "bold" if c.changed else "dim"
        lines = c.summary(limit=2, context=False)
        body = "\n".join(f"• {markup(x)}" if c.changed else markup(x) for x in lines)
        table.add_row(Text(clean(c.label), style=style), body)
    return table


def crosscheck_summary(r: CrossResult) -> RenderableType:
    """Per variant: runs compared and agreeing; every disagreement with its first point of divergence."""
    table = Table(title="Mirror vs native", title_justify="left")
    for col in ("variant", "compared", "agree", "not compared"):
        table.add_column(col)
    for name, n in r.compared.items():
        agree = r.agreed.get(name, 0)
        style = "green" if agree == n else "red"
        table.add_row(name, str(n), Text(str(agree), style=style), str(len(r.not_compared.get(name, []))))
    parts: list[RenderableType] = [table]
    for d in r.disagreements[:20]:
        parts.append(Text.from_markup(f"[red]DISAGREE[/] {markup(d.variant)} {markup(d.scenario)}: "
                                      f"{markup(d.divergence)}\n    mirror: {markup(describe(d.mirror))}"
                                      f"\n    native: {markup(describe(d.native))}"))
    total = sum(r.compared.values())
    parts.append(Text(f"{total - len(r.disagreements)} of {total} outcomes agree; {r.native_runs} native runs "
                      f"in {r.native_seconds:.2f} s", style="bold"))
    return Group(*parts)


def eval_summary(rep: EvalReport, width: int = 120) -> RenderableType:
    """What changed, patch by patch and proposal by proposal, then the findings."""
    head = Text.from_markup(
        f"[bold]{markup(rep.title)}[/]: {len(rep.variants)} variants x {len(rep.scenarios)} scenarios, "
        f"{rep.executed} runs ({rep.reused} reused, {rep.cached} cached)")
    parts: list[RenderableType] = [head]
    if rep.per_patch:
        parts.append(_table("Per patch", rep.per_patch, width))
    if rep.across:
        parts.append(_table("Revisions and proposals", rep.across, width))
    for f in rep.findings:
        colour = "green" if f.kind is FindingKind.CODE_MOVE else "red"
        parts.append(Text.from_markup(f"[{colour}]{markup(f.kind)}[/] {markup(f.subject)}: {markup(f.text)}"))
    parts.extend(_limit_line(hit, len(rep.scenarios)) for hit in rep.limits)
    return Group(*parts)


def _limit_line(hit: LimitHit, total: int, shown: int = 3) -> Text:
    """One limit a variant hit: what it means, in how many scenarios, the first few of them."""
    first = ", ".join(hit.scenarios[:shown]) + (f" and {len(hit.scenarios) - shown} more"
                                                if len(hit.scenarios) > shown else "")
    return Text.from_markup(f"[yellow]limit {markup(hit.limit)}[/] {markup(hit.variant)}: {LIMIT_MEANING[hit.limit]} "
                            f"in {len(hit.scenarios)} of {total} scenarios: {markup(first)}")

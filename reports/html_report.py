"""The eval report as one self-contained HTML page (jinja2, autoescaped, no network access)."""

from __future__ import annotations

import difflib
import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from markupsafe import Markup

from harness import __version__
from harness.explain import show_ret
from harness.pipeline import Evaluation
from harness.runner import definitions_used, variant_sources
from models.mirror import Outcome
from reports.json_report import cross_rows, rules_rows

LORE = "https://lore.kernel.org/r/"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class LogCell:
    """A log line and how it differs from the first group's line at the same place."""

    text: str
    level: str
    state: str  # "same", "changed", "added"


def _log_cells(o: Outcome, ref: Outcome | None) -> list[LogCell]:
    mine = [x.text for x in o.log]
    theirs = [x.text for x in ref.log] if ref is not None else mine
    states = ["same"] * len(mine)
    for op, _i1, _i2, j1, j2 in difflib.SequenceMatcher(a=theirs, b=mine, autojunk=False).get_opcodes():
        if op != "equal":
            for j in range(j1, j2):
                states[j] = "changed" if op == "replace" else "added"
    return [LogCell(x.text, x.level, st) for x, st in zip(o.log, states, strict=True)]


def _groups(ev: Evaluation, sid: str) -> list[dict[str, Any]]:
    out = []
    groups = ev.comparison.groups[sid]
    outcomes = [ev.result.outcome(names[0], sid) for names in groups]
    # Log lines are diffed against the first group that ran, not against a "not provided" one.
    ref = next((o for o in outcomes if o.status == "ok"), outcomes[0])
    for i, (names, o) in enumerate(zip(groups, outcomes, strict=True)):
        out.append({"letter": _LETTERS[i % 26], "index": i, "variants": names, "outcome": o,
                    "log": _log_cells(o, None if o is ref else ref)})
    return out


def _matrix_rows(ev: Evaluation) -> Markup:
    """The matrix body, built here: 10,000 cells through the template engine cost more than the rest."""
    names = [v.name for v in ev.result.variants]
    out: list[str] = []
    for n, s in enumerate(ev.matrix.scenarios, start=1):
        groups = ev.comparison.groups[s.id]
        index = {name: i for i, g in enumerate(groups) for name in g}
        statuses = [ev.result.outcome(name, s.id).status for name in names]
        codes = ",".join(str(index[name]) if st != "not-provided" else "-1" for name, st in zip(names, statuses,
                                                                                                strict=True))
        sid = html.escape(s.id)
        head = f'<a href="#s-{n}">{sid}</a>' if len(groups) > 1 else sid
        cells = []
        for j, (name, st) in enumerate(zip(names, statuses, strict=True)):
            g = index[name]
            cls = f"c{j} g{g % 8}" + (" np" if st == "not-provided" else "") + (" err" if st == "error" else "")
            text = "\u2013" if st == "not-provided" else "!" if st == "error" else _LETTERS[g % 26]
            cells.append(f'<td class="{cls}">{text}</td>')
        out.append(f'<tr data-g="{codes}"><td class="sid mono">{head}</td>{"".join(cells)}</tr>')
    return Markup("\n".join(out))


def _sources(ev: Evaluation) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, ...], str] = {}
    out = []
    for v in ev.result.variants:
        src = variant_sources(v, ev.result.helpers)
        same_as = seen.setdefault(src, v.name)
        out.append({"variant": v, "same_as": same_as if same_as != v.name else None,
                    "definitions": definitions_used(ev.result, v) if same_as == v.name else [],
                    "files": [{"path": s.path, "complete": s.complete,
                               "pieces": [{"start": a, "text": "\n".join(lines)} for a, lines in s.pieces]}
                              for s in src]})
    return out


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept between runs (compiling the page's template costs more than rendering it)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "seamharness" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def render_html(ev: Evaluation) -> str:
    """The whole report page."""
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True, bytecode_cache=_bytecode_cache())
    template = env.get_template("report.html.j2")
    # Anchors are the scenario's place in the matrix, so a row's link finds its details.
    differing = [(n, s) for n, s in enumerate(ev.matrix.scenarios, start=1) if len(ev.comparison.groups[s.id]) > 1]
    return template.render(
        ev=ev, version=__version__, lore=LORE, rules=rules_rows(ev),
        per_patch=ev.comparison.per_patch, across=ev.comparison.across, findings=ev.comparison.findings,
        variants=ev.result.variants, rows=_matrix_rows(ev),
        details=[{"index": n, "scenario": s, "groups": _groups(ev, s.id)} for n, s in differing],
        sources=_sources(ev), hexs=lambda n: f"{n:#x}", cross=cross_rows(ev), show_ret=show_ret,
    )

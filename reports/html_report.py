"""The eval report as one self-contained HTML page (jinja2, autoescaped, no network access)."""

from __future__ import annotations

import html
import os
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from markupsafe import Markup

from harness.explain import LIMIT_MEANING, describe_limits
from harness.report import LETTERS, EvalReport, anchor
from models.mirror import OutcomeStatus


def _matrix_rows(rep: EvalReport) -> Markup:
    """The matrix body, built here: 10,000 cells through the template engine cost more than the rest."""
    names = [v.variant.name for v in rep.variants]
    out: list[str] = []
    for n, s in enumerate(rep.scenarios):
        groups = rep.groups[s.id]
        index = {name: i for i, g in enumerate(groups) for name in g}
        outcomes = [rep.cell(j, n).outcome for j in range(len(names))]
        statuses = [o.status for o in outcomes]
        # The filter leaves out variants where the entry point did not run: they differ by not running.
        codes = ",".join(str(index[name]) if o.ran else "-1" for name, o in zip(names, outcomes, strict=True))
        sid = html.escape(s.id)
        head = f'<a href="#s-{n + 1}">{sid}</a>' if len(groups) > 1 else sid
        cells = []
        for j, (name, st) in enumerate(zip(names, statuses, strict=True)):
            g = index[name]
            missing, failed = st is OutcomeStatus.NOT_PROVIDED, st is OutcomeStatus.ERROR
            cls = f"c{j} g{g % 8}" + (" np" if missing else "") + (" err" if failed else "")
            text = "\u2013" if missing else "!" if failed else LETTERS[g % 26]
            cells.append(f'<td class="{cls}">{text}</td>')
        out.append(f'<tr data-g="{codes}"><td class="sid mono">{head}</td>{"".join(cells)}</tr>')
    return Markup("\n".join(out))


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept between runs (compiling the page's template costs more than rendering it)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "seamharness" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def render_html(rep: EvalReport) -> str:
    """The whole report page."""
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True, bytecode_cache=_bytecode_cache())
    template = env.get_template("report.html.j2")
    cross = {c.variant: c for c in rep.crosscheck} if rep.crosscheck is not None else None
    return template.render(rep=rep, rows=_matrix_rows(rep), hexs=lambda n: f"{n:#x}", cross=cross, anchor=anchor,
                           limits=describe_limits, meaning=LIMIT_MEANING)

"""The eval report as one self-contained HTML page (jinja2, autoescaped, no network access)."""

from __future__ import annotations

import json

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from markupsafe import Markup

from harness.cachedir import cache_root
from harness.crossview import headline, reason_lines, tone
from harness.explain import LIMIT_MEANING, describe_limits
from harness.report import anchor
from harness.reportview import EvalReport, group_letter, names_short
from models.outcome import OutcomeStatus
from reports.safe import clean, shown


def _matrix_data(rep: EvalReport) -> Markup:
    """The matrix as compact JSON for the page's script, which draws the table. Variants of one outcome class
    have equal columns, so rows hold one entry per class and ``cls`` maps each variant's column to its class:
    per scenario its id, whether it has details, and per class the outcome group (-1: did not run), the
    group, and a mark (- not provided, ! error, . ran)."""
    reps: dict[int, tuple[str, int]] = {}  # class -> (a variant of it, its column)
    for j, (view, cls) in enumerate(zip(rep.variants, rep.classes, strict=True)):
        reps.setdefault(cls, (view.variant.name, j))
    members = [reps[c] for c in range(len(reps))]
    detailed = {d.index for d in rep.details}
    rows = []
    indexes: dict[int, dict[str, int]] = {}  # scenarios that split alike share one groups list (rep holds it)
    for n, s in enumerate(rep.scenarios):
        groups = rep.groups[s.id]
        index = indexes.get(id(groups))
        if index is None:
            index = indexes[id(groups)] = {name: i for i, g in enumerate(groups) for name in g}
        outcomes = [rep.cell(j, n).outcome for _, j in members]
        # The filter leaves out variants where the entry point did not run: they differ by not running.
        groupof = [index[name] for name, _ in members]
        codes = [g if o.ran else -1 for g, o in zip(groupof, outcomes, strict=True)]
        marks = "".join("-" if o.status is OutcomeStatus.NOT_PROVIDED else "!" if o.status is OutcomeStatus.ERROR
                        else "." for o in outcomes)
        rows.append([clean(s.id), n + 1 in detailed, codes, groupof, marks])
    most = max((len(rep.groups[s.id]) for s in rep.scenarios), default=0)  # groups in the row that has most
    text = json.dumps({"letters": [group_letter(i) for i in range(most)], "cls": list(rep.classes), "rows": rows},
                      separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept between runs (compiling the page's template costs more than rendering it). The
    code jinja2 compiles depends on the environment's options too (``finalize`` is compiled in), which its cache
    key does not hold: the folder is named after them, so a template compiled with other options is never read."""
    folder = cache_root() / f"jinja-finalize-{shown.__module__}.{shown.__qualname__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def render_html(rep: EvalReport) -> str:
    """The whole report page."""
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True, bytecode_cache=_bytecode_cache(), finalize=shown)
    template = env.get_template("report.html.j2")
    cross = {c.variant: c for c in rep.crosscheck} if rep.crosscheck is not None else None
    shorts: dict[tuple[str, ...], str] = {}  # many scenarios split the variants the same way

    def short(names: tuple[str, ...] | list[str]) -> str:
        key = tuple(names)
        if key not in shorts:
            shorts[key] = names_short(key)
        return shorts[key]

    rows = rep.crosscheck or ()
    return template.render(rep=rep, matrix=_matrix_data(rep), hexs=lambda n: f"{n:#x}", cross=cross, anchor=anchor,
                           short=short, limits=describe_limits, meaning=LIMIT_MEANING, cross_head=headline(rows),
                           cross_lines=reason_lines(rows), cross_tone=tone(rows))

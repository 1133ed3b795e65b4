"""Output formats in one table per command: name -> renderer (a pure function of the report model to text)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.gate import GateResult
    from harness.reportview import EvalReport


def _eval_json(rep: EvalReport) -> Iterable[str]:
    from reports.json_report import eval_json_pieces

    return eval_json_pieces(rep)


def _eval_json_by_variant(rep: EvalReport) -> Iterable[str]:
    from reports.json_report import Layout, eval_json_pieces

    return eval_json_pieces(rep, Layout.BY_VARIANT)


def _eval_html(rep: EvalReport) -> Iterable[str]:
    from reports.html_report import html_pieces

    return html_pieces(rep)


def _html_loaded() -> None:
    import reports.html_report  # noqa: F401  # jinja2 with it: some 80 M instructions


def renderers_ahead(html: bool) -> tuple[Callable[[], object], ...]:
    """What eval's renderers load before they render, as steps eval takes while it waits for the rules' child
    (harness.pipeline.evaluate's ``ahead``): the HTML's modules and jinja2 when ``html``, this process rendering the
    page (harness.runshown.page_here; a child forked to make it beside the JSON loads them itself), loaded there
    rather than once the verdicts are in, when nothing else runs beside. The JSON's modules are small."""
    return (_html_loaded,) if html else ()


def _gate_junit(g: GateResult) -> str:
    from reports.gate_report import gate_junit

    return gate_junit(g)


def _gate_json(g: GateResult) -> str:
    from reports.gate_report import gate_json

    return gate_json(g)


# Renderers are imported when used: jinja2 costs start-up time that `gate` never needs. An eval report
# comes in pieces (harness.atomic.write_text writes them as they come: a large JSON is never one string).
EVAL_FORMATS: dict[str, Callable[[EvalReport], Iterable[str]]] = {
    "json": _eval_json, "json-by-variant": _eval_json_by_variant, "html": _eval_html}
GATE_FORMATS: dict[str, Callable[[GateResult], str]] = {"junit": _gate_junit, "json": _gate_json}

# Rows of about 100 bytes: past this many, the default layout is by-variant (a few bytes a cell), as a
# 100 MB report is already more than jq or a CI artifact store wants.
BIG_JSON_ROWS = 1_000_000


def json_format_for(layout: str, rows: int) -> tuple[str, str | None]:
    """The EVAL_FORMATS name for ``--json-layout`` (auto, rows or by-variant) and a report of ``rows``
    results, and the note to print when auto chose by-variant (docs/json-schema.md, Layouts)."""
    if layout == "auto":
        layout = "rows" if rows <= BIG_JSON_ROWS else "by-variant"
        if layout == "by-variant":
            return "json-by-variant", (f"{rows:,} results: the JSON has them by variant (results_by_variant, "
                                       "a few bytes each); --json-layout rows writes a row each")
    return ("json" if layout == "rows" else "json-by-variant"), None

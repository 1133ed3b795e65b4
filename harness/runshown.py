"""What eval, gate and crosscheck show and write once they have run: the terminal summary and the report files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.console import emit, err
from harness.console import show as _show
from reports.safe import clean

if TYPE_CHECKING:
    from harness.atomic import Output
    from harness.crosspipeline import CrossEvaluation
    from harness.gate import GateResult
    from harness.pipeline import Evaluation


def show_eval(ev: Evaluation, outputs: dict[str, Output], layout: str, json_given: bool) -> None:
    """Write eval's --json and --html, then its summary; the JSON layout picked past a size is said (--json given)."""
    from harness.language import forget_words
    from harness.report import report_model
    from reports.formats import EVAL_FORMATS, json_format_for
    from reports.terminal import eval_summary

    rep = report_model(ev)
    forget_words()  # the replies are read (the report's objections too): 2.2 MB the report's writing takes instead
    json_format, note = json_format_for(layout, rep.executed + rep.reused + rep.cached)
    if note and json_given:
        err().print(f"seamharness: note: {note}", markup=False)
    # The JSON made here and the HTML by a forked child, on two cores (each some 0.05 s of the corpus' eval), unless
    # --jobs 1 asked for one process.
    stderr = emit(outputs, {"--json": lambda: EVAL_FORMATS[json_format](rep),
                             "--html": lambda: EVAL_FORMATS["html"](rep)}, eval_beside(ev.request.jobs))
    _show(eval_summary(rep), stderr=stderr)
    if ev.rules_note:
        err().print(clean(f"seamharness: note: {ev.rules_note}"), markup=False)
    say_written(outputs)


def eval_beside(jobs: int) -> bool:
    """Whether eval's report files are made side by side, each after the first by a forked child (harness.atomic
    write_all's ``beside``): on two cores or more, unless --jobs 1 asked for one process."""
    from harness.workers import workers_for

    return workers_for(jobs) > 1


def page_here(outputs: dict[str, Output], jobs: int) -> bool:
    """Whether this process renders eval's --html page: given, and not made by a forked child beside the JSON
    (harness.atomic.forked, in emit's order of ``outputs``)."""
    from harness.atomic import forked

    order = list(outputs)
    if "--html" not in outputs:
        return False
    return not (eval_beside(jobs) and forked(list(outputs.values()))[order.index("--html")])


def show_gate(g: GateResult, outputs: dict[str, Output]) -> None:
    """Write gate's --junit and --json, then its summary."""
    from reports.formats import GATE_FORMATS
    from reports.gate_report import gate_summary

    stderr = emit(outputs, {"--junit": lambda: (GATE_FORMATS["junit"](g),),
                             "--json": lambda: (GATE_FORMATS["json"](g),)})
    _show(gate_summary(g), stderr=stderr)
    say_written(outputs)


def say_written(outputs: dict[str, Output]) -> None:
    """One line on stderr per report file written, ``seamharness: wrote report.json``, its path as given: a note, as
    b4 am's "Writing ./x.mbx" goes to stderr, so stdout stays the summary (or the report ``-`` sent there). Nothing
    for stdout, a pipe or a device (``--json /dev/stderr``): the user sees where those went."""
    import contextlib
    import sys

    from harness.atomic import OutputKind

    for o in outputs.values():
        if o.kind is OutputKind.REPLACE:
            with contextlib.suppress(OSError):  # a note stderr does not take is lost, the reports stand (as rich's)
                sys.stderr.write(clean(f"seamharness: wrote {o.given}") + "\n")  # plain: rich costs 68 M instructions
                sys.stderr.flush()


def show_crosscheck(found: CrossEvaluation) -> None:
    """Crosscheck's summary, and which copy of each lore thread it rests on."""
    from reports.terminal import crosscheck_summary, thread_lines

    _show(crosscheck_summary(found.result))
    for line in thread_lines(found.series.threads):  # which copy of each lore thread this rests on
        _show(line)

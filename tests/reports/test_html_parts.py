"""The parts of the HTML page made in Python print what the page template printed.

The parts of the HTML page made in Python (html_report: the scenario details, the group bodies, the matrix's data,
the definitions a variant uses) print what the page template printed for them: the template's own loops, kept here,
are the oracle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jinja2 import Environment
from markupsafe import Markup, escape

from harness.eventwords import repeats
from harness.explain import describe_limits
from harness.pipeline import Evaluation
from harness.report import report_model
from harness.reportview import (
    DefinitionUse,
    EvalReport,
    GroupBody,
    LogCell,
    OutcomeGroup,
    OutcomeView,
    ScenarioDetail,
    group_letter,
    names_short,
)
from models.machine import Event, LogLine, SeamCall
from models.outcome import ErrorKind, Limit, Outcome, OutcomeStatus
from reports.html_report import _bodies_html, _body_html, _details_html, _e, _leaf, _matrix_data, _uses_html
from reports.safe import clean, shown

HOSTILE = '<script>alert("x")</script> & \'q\' \x1b[31m \u202e'

# The page template's loops as they were before html_report made these parts (trailing newline: trim_blocks drops it).
HERE = Path(__file__).parent
DETAILS = (HERE / "page_details.j2").read_text()
BODIES = (HERE / "page_bodies.j2").read_text()


def _template(source: str) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, finalize=shown)
    return env.from_string(source)  # type: ignore[return-value]


def _as_template(details: tuple[ScenarioDetail, ...], bodies: tuple[GroupBody, ...]) -> tuple[str, str]:
    """The details and the bodies as the page template printed them."""
    return (_template(DETAILS).render(  # type: ignore[attr-defined]
                details=details, hexs=lambda n: f"{n:#x}", short=lambda names: names_short(tuple(names))),
            _template(BODIES).render(bodies=bodies, limits=describe_limits, repeats=repeats))  # type: ignore[attr-defined]


def _old_matrix_data(rep: EvalReport) -> str:
    """html_report._matrix_data as it was: a variant per outcome class, its cells read one by one."""
    reps: dict[int, tuple[str, int]] = {}
    for j, (view, cls) in enumerate(zip(rep.variants, rep.classes, strict=True)):
        reps.setdefault(cls, (view.variant.name, j))
    members = [reps[c] for c in range(len(reps))]
    detailed = {d.index for d in rep.details}
    rows = []
    for n, s in enumerate(rep.scenarios):
        index = {name: i for i, g in enumerate(rep.groups[s.id]) for name in g}
        outcomes = [rep.cell(j, n).outcome for _, j in members]
        groupof = [index[name] for name, _ in members]
        codes = [g if o.ran else -1 for g, o in zip(groupof, outcomes, strict=True)]
        marks = "".join("-" if o.status is OutcomeStatus.NOT_PROVIDED else "!" if o.status is OutcomeStatus.ERROR
                        else "." for o in outcomes)
        rows.append([clean(s.id), n + 1 in detailed, codes, groupof, marks])
    most = max((len(rep.groups[s.id]) for s in rep.scenarios), default=0)
    text = json.dumps({"letters": [group_letter(i) for i in range(most)], "cls": list(rep.classes), "rows": rows},
                      separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@pytest.mark.parametrize("value", [HOSTILE, "plain", "", "&amp;", 0, 7, True, None, 2.5, OutcomeStatus.ERROR,
                                   Limit.STEPS, Markup("<b>made</b>"), ("a", 1), -12, 2**70, "it's", 'say "x"',
                                   "a>b", "tab\there <", "é & ü"])
def test_escaped_as_the_template_prints(value: object) -> None:
    assert _e(value) == str(escape(shown(value)))


def test_corpus_parts_as_the_template_printed(corpus_eval: Evaluation) -> None:
    rep = report_model(corpus_eval)
    assert rep.details and rep.bodies
    details, bodies = _as_template(rep.details, rep.bodies)
    assert _details_html(rep.details, lambda names: names_short(tuple(names))) == details
    assert _bodies_html(rep.bodies) == bodies
    assert str(_matrix_data(rep)) == _old_matrix_data(rep)


def _body(o: Outcome, ret: str, log: tuple[LogCell, ...] = ()) -> GroupBody:
    return GroupBody(OutcomeView(o, "said", ret), log)


def test_every_kind_of_body_as_the_template_printed() -> None:
    call = SeamCall("f", 1 << 63, HOSTILE, -1, 2, False, (("this_cpu<x>", 5), ("n", 0)), "f.c:3")
    bare = SeamCall("g", 5, "TDX module", 0, 0, True, (), "f.c:4")
    log = (LogCell(HOSTILE, "err", "changed"), LogCell("same line", "info", "same"))
    bodies = (
        _body(Outcome(OutcomeStatus.OK, (call,), 0, errno="EIO", events=(Event("lock", HOSTILE, "f.c:1"),) * 2,
                      log=(LogLine("err", HOSTILE),), limits=(Limit.CALLS,), unrecorded_calls=3), "0", log),
        _body(Outcome(OutcomeStatus.OK, (bare,), -5), "-EIO"),
        _body(Outcome(OutcomeStatus.OK, (bare, bare), 0), "0"),
        _body(Outcome(OutcomeStatus.OK, (bare, bare._replace(preempt_count=1)), 0), "0"),
        _body(Outcome(OutcomeStatus.OK), "None"),
        _body(Outcome(OutcomeStatus.ERROR, error=HOSTILE, error_kind=ErrorKind.BUDGET, limits=(Limit.STEPS,)), "-"),
        _body(Outcome(OutcomeStatus.NOT_PROVIDED, error="gone"), "-"),
    )
    assert _bodies_html(bodies) == _as_template((), bodies)[1]
    assert "<script>" not in _bodies_html(bodies)
    assert _details_html((), names_short) == _as_template((), ())[0]  # none: the template's {% else %}


def test_a_body_says_the_preempt_count_when_it_is_0() -> None:
    # Before: a group whose SEAMCALLs ran with preempt count 0 said nothing of it, beside groups that showed 1: 0
    # read as not recorded. And 'returns <code>-5</code> (-EIO)' where the terminal says 'returns -EIO'.
    free = SeamCall("g", 5, "TDX module", 0, 0, False, (), "f.c:4")
    held = free._replace(preempt_count=1, irqs_disabled=True)
    shown = [_body_html(_body(Outcome(OutcomeStatus.OK, calls, -5, "int", "EIO"), "-EIO"))
             for calls in ((free,), (held, free))]
    assert shown[0] == "1 SEAMCALL (TDX module; made with preempt count 0) &#183; returns <code>-EIO</code>"
    assert shown[1] == ("2 SEAMCALLs (TDX module; the first made with preempt count 1, interrupts disabled) "
                        "&#183; returns <code>-EIO</code>")
    alike = _body_html(_body(Outcome(OutcomeStatus.OK, (free, free), 0, "int"), "0"))
    assert alike.startswith("2 SEAMCALLs (TDX module; all made with preempt count 0) ")  # 'the first' said of both
    past_cap = Outcome(OutcomeStatus.OK, (free, free), 0, "int", unrecorded_calls=3)
    assert _body_html(_body(past_cap, "0")).startswith("5 SEAMCALLs (TDX module; the first made with ")


def test_details_of_hostile_names_as_the_template_printed(corpus_eval: Evaluation) -> None:
    rep = report_model(corpus_eval)
    d = rep.details[0]
    groups = tuple(OutcomeGroup(g.letter + HOSTILE, g.index + 9, (*g.variants, HOSTILE), g.outcome, g.log, g.body)
                   for g in d.groups)
    hostile = (ScenarioDetail(d.index, d.scenario, groups), d)
    assert _details_html(hostile, lambda names: names_short(tuple(names))) == _as_template(hostile, ())[0]


USES = ("{% for d in defs %}<code>{{ d.name }}</code> ({{ d.kind }}, <span class=\"meta\">{{ d.where }}</span>)"
        "{{ ', ' if not loop.last }}{% endfor %}")


def test_definitions_used_as_the_template_printed(corpus_eval: Evaluation) -> None:
    rep = report_model(corpus_eval)
    views = [v for v in rep.variants if v.definitions]
    assert views
    hostile = (DefinitionUse(HOSTILE, "macro", f"{HOSTILE}:3"), DefinitionUse("f", "function", "a.c:1"))
    for defs in [*(v.definitions for v in views), hostile, hostile[:1], ()]:
        assert _uses_html(defs) == _template(USES).render(defs=defs)  # type: ignore[attr-defined]


def test_a_leaf_is_said_as_the_kernel_writes_it() -> None:
    # 'leaf 0x21' above a group printing 'SEAMCALL (33) failed': tdx.h defines TDH_SYS_INIT as 33, and a %llu
    # prints it so; a 0x%016llx printed 0x0000000000000021.
    assert _leaf(33) == "33 (0x21)"
    assert _leaf(0) == "0 (0x0)"
    assert _leaf(0x8000000000000001) == "0x8000000000000001"  # a P-SEAMLDR leaf: bit 63, defined in hex

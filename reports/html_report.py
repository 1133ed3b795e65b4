"""The eval report as one self-contained HTML page (jinja2, autoescaped, no network access)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from markupsafe import Markup, escape

from harness.cachedir import cache_root
from harness.comparison import Comparison
from harness.crossview import headline, reason_lines, tone
from harness.eventwords import repeats
from harness.explain import LIMIT_MEANING, describe_limits
from harness.lineage import Lineage
from harness.report import anchor
from harness.reportview import (
    DefinitionUse,
    EvalReport,
    GroupBody,
    ScenarioDetail,
    group_letter,
    names_short,
)
from harness.verdict import Verdict, VerdictStatus
from models.machine import Event
from models.outcome import Outcome, OutcomeStatus
from reports.gapsaid import GapLine, section_gaps
from reports.html_sources import ShownUses, shown_sources, shown_uses
from reports.pagecode import TEMPLATE, PageCache, page_environment
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
    columns = [rep.cells[j] for _, j in members]
    # Per distinct outcome (an index in rep.outcomes): whether it ran, and its mark.
    ran = [v.outcome.ran for v in rep.outcomes]
    marks = ["-" if v.outcome.status is OutcomeStatus.NOT_PROVIDED else "!" if v.outcome.status is OutcomeStatus.ERROR
             else "." for v in rep.outcomes]
    detailed = {d.index for d in rep.details}
    rows = []
    groupings: dict[int, list[int]] = {}  # scenarios that split alike share one groups list (rep holds it)
    # Each scenario's cells, one per class, taken from the columns in C: the page's 700 x 21 cells of the corpus.
    by_scenario: list[tuple[int, ...]] = list(zip(*columns, strict=True)) if columns else [()] * len(rep.scenarios)
    for n, (s, cells) in enumerate(zip(rep.scenarios, by_scenario, strict=True)):
        groups = rep.groups[s.id]
        groupof = groupings.get(id(groups))
        if groupof is None:
            index = {name: i for i, g in enumerate(groups) for name in g}
            groupof = groupings[id(groups)] = [index[name] for name, _ in members]
        # The filter leaves out variants where the entry point did not run: they differ by not running.
        codes = list(groupof) if all(map(ran.__getitem__, cells)) else \
            [g if ran[k] else -1 for g, k in zip(groupof, cells, strict=True)]
        rows.append([clean(s.id), n + 1 in detailed, codes, groupof, "".join(map(marks.__getitem__, cells))])
    most = max((len(rep.groups[s.id]) for s in rep.scenarios), default=0)  # groups in the row that has most
    text = json.dumps({"letters": [group_letter(i) for i in range(most)], "cls": list(rep.classes), "rows": rows},
                      separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# markupsafe.escape's replacements (its C speedups do the same), without a Markup made for every value.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"})


def _e(value: object) -> str:
    """A value as the template prints it, ``{{ value }}``: the environment's finalize (reports.safe.shown), then
    markupsafe.escape. The page prints 22,000 values: a number has nothing to escape, and text is searched for
    each special character in C (a set's isdisjoint() hashed every character of it)."""
    if type(value) is str:
        text = value if value.isascii() and value.isprintable() else clean(value)  # clean()'s own test, inline
    elif type(value) is int:
        return str(value)
    elif hasattr(value, "__html__"):
        return str(escape(value))
    else:
        text = str(value)
    if "&" in text or "<" in text or ">" in text or "'" in text or '"' in text:
        return text.translate(_ESCAPES)
    return text


def _uses_html(definitions: Iterable[DefinitionUse]) -> Markup:
    """The definitions a variant's entry points use, as the page lists them (a thousand values in the corpus')."""
    return Markup(", ".join(f'<code>{_e(d.name)}</code> ({_e(d.kind)}, <span class="meta">{_e(d.where)}</span>)'
                            for d in definitions))


def _shown_uses_html(u: ShownUses) -> Markup:
    """A section's paragraph of the definitions its entry points use: all of them, or how they differ from those
    of the section it names (nothing when it lists none)."""
    if u.changed_from is None:
        return Markup(f'<p class="small">definitions the entry points use:\n{_uses_html(u.whole)}</p>'
                      if u.whole else "")
    parts = [f'those of <a href="#src-{_e(u.changed_from)}">{_e(u.changed_from)}</a>']
    if u.added:
        parts.append(f"and {_uses_html(u.added)}")
    if u.removed:
        parts.append(f"but not {_uses_html(u.removed)}")
    return Markup(f'<p class="small">definitions the entry points use: {"; ".join(parts)}</p>')


def _details_html(details: Iterable[ScenarioDetail], short: Callable[[tuple[str, ...]], str]) -> Markup:
    """The scenarios where variants differ, each a <details> of its groups: what the page template printed
    for each, made here once per group rather than through the template's per-value calls (thousands). A middle dot
    is &#183;, &middot; in two fewer bytes (4,400 of them on the corpus' page)."""
    out = []
    for d in details:
        s = d.scenario
        out.append(f'<details id="s-{d.index}"><summary class="mono">{_e(s.id)} &#183; leaf {_leaf(s.leaf)} '
                   f'&#183; answers {_e(s.script.text)}</summary>\n<div class="groups">\n')
        out.extend(f'<div class="group g{g.index % 8}" data-b="{g.body}"><strong>{_e(g.letter)}</strong> &#183; '
                   f'<span class="small">{_e(short(g.variants))}</span><br>\n</div>' for g in d.groups)
        out.append("</div>\n</details>\n")
    if not out:
        out.append('<p class="nochange">All variants behave the same in every scenario that ran on all of them.</p>')
    return Markup("".join(out))


def _leaf(leaf: int) -> str:
    """A leaf as the kernel writes it: a TDX module leaf in decimal, as tdx.h defines them (TDH_SYS_INIT 33) and a
    %llu prints them, with the hex a 0x%016llx prints (``33 (0x21)``, was ``0x21`` alone); a P-SEAMLDR leaf (bit 63)
    in hex, as it is defined."""
    return f"{leaf:#x}" if leaf >> 63 else f"{leaf} ({leaf:#x})"


def _body_html(b: GroupBody, events_shown: dict[tuple[Event, ...], str] | None = None) -> str:
    """What a group box shows (the page's <template> of one body): the outcome, its log lines marked. Each distinct
    list of events is put in words once in ``events_shown`` (_bodies_html's, filled as met): the corpus' 420 bodies
    with events hold 4 distinct lists, each a search for repeated blocks (eventwords.repeats)."""
    o = b.outcome.outcome
    out = [f'<span class="small fail">{_e(describe_limits(o))}</span><br>'] if o.limits else []
    if o.status == "not-provided":
        out.append("not provided (these variants lack this entry point)")
    elif o.status == "error":
        out.append(f'<span class="fail">error</span>: <code>{_e(o.error)}</code>')
    else:
        out.append(f"{_e(o.total_calls)} SEAMCALL{'' if o.total_calls == 1 else 's'}")
        if o.calls:
            c = o.calls[0]
            # The state the (first) SEAMCALL was made in: 'preempt count 1' beside 'TDX module' read as the module's.
            # The count is said when 0 too (every call records it): left out, 0 read as 'not recorded'.
            state = [f"preempt count {_e(c.preempt_count)}", *(f"{_e(k)} = {_e(val)}" for k, val in c.percpu)]
            if c.irqs_disabled:
                state.append("interrupts disabled")
            out.append(f" ({_e(c.component)}; {_which_calls(o)}made with {', '.join(state)})")
        out.append(f" &#183; returns <code>{_e(b.outcome.ret)}</code>")  # an errno as -EIO (explain.show_ret)
        if o.events:
            shown = None if events_shown is None else events_shown.get(o.events)
            if shown is None:
                shown = ", ".join(_events_html(block, times) for block, times in repeats(o.events))
                if events_shown is not None:
                    events_shown[o.events] = shown
            out.append(" &#183; events: " + shown)
            if o.unrecorded_events:  # the run went on past the record cap (models.machine.Record)
                out.append(f", and {_e(f'{o.unrecorded_events:,}')} more, not recorded")
        if b.log:
            lines = "".join(f'<span class="{_e(x.state)}">[{_e(x.level)}] {_e(x.text)}</span>\n' for x in b.log)
            out.append(f'<pre class="log">{lines}</pre>')
    return "".join(out)


def _which_calls(o: Outcome) -> str:
    """Which of a run's SEAMCALLs the state said was seen at: the one, all (every one recorded, none past the cap),
    or the first."""
    if o.total_calls == 1:
        return ""
    first = o.calls[0]
    alike = not o.unrecorded_calls and all((c.preempt_count, c.percpu, c.irqs_disabled) ==
                                           (first.preempt_count, first.percpu, first.irqs_disabled) for c in o.calls)
    return "all " if alike else "the first "


def _events_html(block: tuple[str, ...], times: int) -> str:
    """Events in words, commas between them as the notes have (spaces alone read 'preempt count becomes 1 per-CPU
    write x = 1' as one run of words); a block that recurs back to back once, with how many times it ran
    (eventwords.repeats)."""
    shown = ", ".join(f"<code>{_e(w)}</code>" for w in block)
    return shown if times == 1 else f"{times} &times; ( {shown} )"


def _bodies_html(bodies: Iterable[GroupBody]) -> Markup:
    """Every distinct group body once, as a <template> the page's script copies into each box that shows it."""
    events_shown: dict[tuple[Event, ...], str] = {}
    return Markup("".join(f'<template id="b-{n}">\n{_body_html(b, events_shown)}</template>'
                          for n, b in enumerate(bodies)))


def _code_file(path: str) -> bool:
    return path.endswith((".c", ".h"))


def _built_from(rep: EvalReport) -> Callable[[Lineage], Markup]:
    """A variant's provenance cell: its mails (linked) and the patch files or proposals it applies, after the
    variant it extends when it extends one: what it adds, not again everything before it (which grew with the
    square of the patches: 16 MB of the page at 600)."""
    def cell(line: Lineage) -> Markup:
        out = [f'<a href="#prov-{_e(line.extends)}">{_e(line.extends)}</a> plus<br>'] if line.extends else []
        out.extend(f'<a href="{_e(rep.link(m))}">{_e(a)} &lt;{_e(m)}&gt;</a><br>' for m, a in line.sources)
        out.extend(f"{_e(x)}<br>" for x in line.applied if not x.startswith("v"))
        if line.extends and len(out) == 1:
            out[0] = f'as <a href="#prov-{_e(line.extends)}">{_e(line.extends)}</a>'
        return Markup("".join(out))
    return cell


def _file_blobs(line: Lineage) -> Markup:
    """A variant's C files and their blobs: those that differ from the variant it extends, when it extends one."""
    rows = [f"{_e(f.path)} {_e((f.blob or 'fragments')[:12])}<br>" for f in line.files if _code_file(f.path)]
    rows.extend(f"{_e(p)} (gone)<br>" for p in line.gone if _code_file(p))
    if line.extends is None:
        return Markup("".join(rows))
    link = f'<a href="#prov-{_e(line.extends)}">{_e(line.extends)}</a>'
    return Markup(f'<span class="meta">as in {link}, except:</span><br>{"".join(rows)}' if rows
                  else f'<span class="meta">as in {link}</span>')


def _bytecode_cache() -> PageCache | None:
    """Compiled templates kept between runs (compiling the page's template costs more than rendering it), taken from
    the shipped source where the folder has none (reports.pagecode). The code jinja2 compiles depends on the
    environment's options too (``finalize`` is compiled in), which its cache key does not hold: the folder is named
    after them, so a template compiled with other options is never read."""
    folder = cache_root() / f"jinja-finalize-{shown.__module__}.{shown.__qualname__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return PageCache(str(folder))


def verdict_title(name: str, found: Verdict | None) -> str:
    """A rules-table cell's hover text: the verdict, its note, a failure's first evidence (as the gate prints it, the
    rest counted), what it read. A failing cell said only 'v3: fail': the page gave no reason for any failure."""
    if found is None:
        return f"{name}: n/a"
    text = f"{name}: {found.status}" + (f": {found.note}" if found.note else "")
    if found.status is VerdictStatus.FAIL and found.evidence:
        first = found.evidence[0]
        rest = len(found.evidence) - 1 + found.more
        text += f"{'; ' if found.note else ': '}{first.place}: expected {first.expected}; got {first.actual}" + (
            f" (and {rest} more failure{'' if rest == 1 else 's'}: seamharness gate --variant {name} lists them)"
            if rest else "")
    return text + (f" ({found.read_text})" if found.read_text else "")


def _gaps_html(rep: EvalReport) -> Callable[[Comparison], Markup]:
    """Each comparison's "not compared" paragraphs as its section on the page says them (reports.gapsaid): the
    patches newest first, the proposals then the revisions; one said under an earlier patch links to it."""
    across = tuple(p.comparison for p in rep.proposals) + tuple(c for c in rep.across if c.view != "proposal")
    said: dict[int, tuple[GapLine, ...]] = {}
    anchors: dict[str, str] = {}
    for rows in (rep.per_patch_newest_first, across):
        said.update(zip(map(id, rows), section_gaps(rows), strict=True))
        for c in rows:
            anchors.setdefault(c.label.split(": ", 1)[0], anchor(c))

    def paragraph(g: GapLine) -> str:
        text = clean(g.text)  # as the template's finalize cleans what it prints
        if g.under is None or not text.endswith(g.under):
            return f'<p class="gap small">{escape(text)}</p>'
        head = text[:-len(g.under)]
        return f'<p class="gap small">{escape(head)}<a href="#{escape(anchors[g.under])}">{escape(g.under)}</a></p>'

    def gaps(c: Comparison) -> Markup:
        lines = said.get(id(c))
        return Markup("".join(map(paragraph, section_gaps((c,))[0] if lines is None else lines)))
    return gaps


def render_html(rep: EvalReport) -> str:
    """The whole report page: html_pieces joined."""
    return "".join(html_pieces(rep))


PIECE = 65536  # characters: the least html_pieces joins into one piece


def html_pieces(rep: EvalReport) -> Iterator[str]:
    """The report page in pieces of at least PIECE characters (the last may be shorter), as the template makes it:
    jinja2's Template.generate() gives the texts that render() joins, so the pieces joined are render()'s page. A
    file is written a piece at a time, never holding the page whole, its texts and its UTF-8 bytes at once (the
    corpus' page: 1.13 M characters, written by eval's forked child: docs/performance.md, round 59)."""
    template = page_environment(_bytecode_cache()).get_template(TEMPLATE)
    held: list[str] = []
    size = 0
    for text in template.generate(**_page_values(rep)):
        held.append(text)
        size += len(text)
        if size >= PIECE:
            yield "".join(held)
            held, size = [], 0
    if held:
        yield "".join(held)


def _page_values(rep: EvalReport) -> dict[str, object]:
    """What the page's template reads, by name."""
    cross = {c.variant: c for c in rep.crosscheck} if rep.crosscheck is not None else None
    shorts: dict[tuple[str, ...], str] = {}  # many scenarios split the variants the same way

    def short(names: tuple[str, ...]) -> str:
        key = tuple(names)
        if key not in shorts:
            shorts[key] = names_short(key)
        return shorts[key]

    rows = rep.crosscheck or ()
    return {"rep": rep, "matrix": _matrix_data(rep), "cross": cross, "anchor": anchor, "meaning": LIMIT_MEANING,
            "details": _details_html(rep.details, short), "bodies": _bodies_html(rep.bodies),
            "uses": [_shown_uses_html(u) for u in shown_uses(rep)],
            "built_from": _built_from(rep), "file_blobs": _file_blobs, "source_files": shown_sources(rep),
            "cross_head": headline(rows), "cross_lines": reason_lines(rows), "cross_tone": tone(rows),
            "verdict_title": verdict_title, "gaps": _gaps_html(rep)}

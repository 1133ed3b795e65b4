"""The eval summary for a terminal: verdicts, then what each patch and proposal changes, under which answers.

Everything wraps at the console's width (COLUMNS when piped); a word wider than a line is shown whole on one of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.comparison import Comparison
from harness.crossview import NOT_COMPARED, CrossRow, cross_rows, headline, reason_lines, tone, tree_hint
from harness.explain import LIMIT_MEANING, describe
from harness.findings import FindingKind, ReportFinding
from harness.reportview import EvalReport, LimitHit, RevisionSummary
from harness.threadcache import CopyKind, ThreadCopy
from reports.gapsaid import GapLine, section_gaps
from reports.lines import Line, Lines, Whole
from reports.safe import clean, counted, markup

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from harness.crosscheck import CrossResult

_GOOD_FINDINGS = (FindingKind.CODE_MOVE, FindingKind.VARIANT_SKIPPED, FindingKind.RULES_SKIPPED,
                  FindingKind.APPLY_NOTE)


# A heading at column 0 (a verdict, the gate's lines before its rules) that wraps goes on this far in: at column 0
# its second line read as a line of its own, and at 2 as one of the detail lines under it.
HEADING_HANG = 4
# An indented line (a detail under a verdict, a list item) that wraps goes on this far in: at its own column its
# second line read as the next detail ('  failing: a, b,' / '  c'); a list item's text starts there.
DETAIL_HANG = 2
# The widest label whose text the lines after a wrap go on under ('untested: '): a longer one leaves them too little.
LABEL_HANG = 10


def _text(text: str, style: str = "") -> Line:
    """A line at column 0, its lines after the first HEADING_HANG in where it wraps (at column 0 they read as lines
    of their own)."""
    return Line(clean(text), style, hang=HEADING_HANG)


def labelled(label: str, text: str, style: str = "") -> Line:
    """``label: text`` at column 0 (``assumed: ...``, ``base: ...``), its lines after the first under its text, as a
    list item's go on under its text, not its dash; under a label longer than LABEL_HANG, HEADING_HANG in."""
    hang = len(label) + 2
    return Line(clean(f"{label}: {text}"), style, hang=hang if hang <= LABEL_HANG else HEADING_HANG)


def _indented(text: str, depth: int, style: str = "") -> Line:
    """The text ``depth`` spaces in, its lines after the first DETAIL_HANG further in where it wraps: a list item's
    ('- ...', an alarm's '! ...') under its text, not its mark; a detail line's ('failing: ...', a patch's) apart from
    the next detail line, which starts where it does."""
    return Line(clean(text), style, depth, hang=DETAIL_HANG)


def marked_line(marked: Callable[[], str], *pieces: str, hang: int = 0) -> Line:
    """styled(marked()) (made where rich draws it: markup() imports rich), whose text outside its tags is ``pieces``,
    its lines after the first ``hang`` spaces in where it wraps (a verdict line: HEADING_HANG)
    (each run of text between two tags escaped whole by markup(): a '[' of one piece and a ']' of the next would
    otherwise read as a tag, and rich would drop the words between). That is its plain text where no piece holds a
    backslash or a '[' left open: markup() escapes each '[' that reads as a tag with one backslash, from_markup()
    takes it back; else rich reads it (Line.plain None)."""
    known = all("\\" not in p and p.rfind("[") <= p.rfind("]") for p in pieces)
    return Line("".join(pieces) if known else None, marked=marked, hang=hang)


def comparison_lines(c: Comparison, limit: int = 3, gaps: tuple[GapLine, ...] | None = None) -> list[RenderableType]:
    """A comparison as wrapped lines: each group of entry points that changed alike with its facts and the
    answers under which they hold, then what was not compared and why (``gaps``: as its section says them,
    reports.gapsaid.section_gaps; by default each in full)."""
    out: list[RenderableType] = [_indented(said, 2) for said in c.code_said()]
    if not c.changed:
        out.append(_indented(c.verdict(), 2, "dim"))
    else:  # the verdict names the renames followed; with differences, as the summary says them
        out.extend(_indented(f"{r.new}: renamed from {r.old}, compared with its old self ({r.compared} scenario"
                             f"{'s' if r.compared != 1 else ''} ran on both sides)", 2, "dim") for r in c.renamed)
    for f in c.facts(limit):
        out.append(_indented(f"{', '.join(f.entries)} ({f.differing()}):", 2))
        out.extend(_indented(f"- {note} [{where}]", 4) for note, where in f.notes)
        if f.more:
            out.append(_indented(f"- and {f.more} more", 4, "dim"))
    said = section_gaps((c,))[0] if gaps is None else gaps
    out.extend(_indented(g.text, 2, "yellow") for g in said)
    out.extend(_indented(u, 2, "yellow") for u in c.uncovered())
    out.extend(_indented(a, 2, "dim") for a in c.assumptions())
    return out


def _section(title: str, rows: tuple[Comparison, ...], rep: EvalReport | None = None) -> list[RenderableType]:
    """A section's comparisons, each label then its lines; two revisions' first says whether their bases differ and
    the patches the later one left out (``rep``: EvalReport.revision_notes), which what differs between them follows
    from."""
    parts: list[RenderableType] = [Line(title, "bold underline", fold=False)]
    for c, gaps in zip(rows, section_gaps(rows), strict=True):
        parts.append(_text(c.label, "bold" if c.changed else ""))
        parts.extend(_indented(line, 2, "dim") for line in (rep.revision_notes(c) if rep is not None else ()))
        parts.extend(comparison_lines(c, gaps=gaps))
    return parts


def revision_lines(r: RevisionSummary) -> list[RenderableType]:
    """A revision's verdict line and one line per patch that changes behaviour."""
    colour = {"blocked": "red", "ready": "green"}.get(r.tone, "default")
    parts: list[RenderableType] = [marked_line(lambda: f"[bold {colour}]{markup(r.headline)}[/]", clean(r.headline),
                                               hang=HEADING_HANG)]
    parts.extend(_indented(f"! {p}", 2, "red") for p in r.problems)  # what the headline's base problems are
    if r.failing:
        parts.append(_indented(f"failing: {', '.join(r.failing)}", 2, "red"))
    parts.extend(_indented(f"inconclusive {why}", 2, "yellow") for why in r.why_inconclusive)
    parts.extend(_indented(f"! {f}", 2, "red") for f in r.alarms)
    # An objection to an earlier revision's patch changed or dropped since: neither a block nor addressed, so said (as
    # the gate). Its why says which; a label "patch changed" was wrong for a patch the revision dropped.
    parts.extend(_indented(f"earlier objection: {e.describe()}", 2, "yellow") for e in r.review.earlier)
    parts.extend(_indented(f"not blocking: {line}", 2, "dim") for line in r.lifted)  # lifted: said, as the gate
    parts.extend(_indented(f"{p.label}: {p.text}", 2) for p in r.patches)
    return parts


def reviewer_lines(r: RevisionSummary) -> list[RenderableType]:
    """A reviewer variant's verdict line, its failing rules on one line (why: the page's rules table, a cell's title,
    and seamharness gate --variant NAME), each inconclusive rule with why it could not be judged, as a revision's
    ('inconclusive: a-rule' alone left a maintainer to guess whether to fix the patch or the input), and each NAK that
    no rule judges."""
    colour = {"blocked": "red", "ready": "green"}.get(r.tone, "default")
    parts: list[RenderableType] = [marked_line(lambda: f"[bold {colour}]{markup(r.headline)}[/]", clean(r.headline),
                                               hang=HEADING_HANG)]
    parts.extend(_indented(f"! {p}", 2, "red") for p in r.problems)  # what the headline's base problems are
    if r.failing:
        parts.append(_indented(f"failing: {', '.join(r.failing)}", 2, "red"))
    why = r.why_inconclusive or tuple(r.inconclusive)  # each "rule: why" (a summary made without them: the names)
    parts.extend(_indented(f"inconclusive {line}", 2, "yellow") for line in why)
    parts.extend(_indented(f"! {a}", 2, "red") for a in r.alarms)
    parts.extend(_indented(f"earlier objection: {e.describe()}", 2, "yellow") for e in r.review.earlier)
    parts.extend(_indented(f"not blocking: {line}", 2, "dim") for line in r.lifted)  # lifted: said, as the gate
    return parts


def _single(rep: EvalReport) -> list[RenderableType]:
    """One variant and nothing to compare it with: what it does, entry by entry, and how to compare it."""
    view = rep.variants[0]
    parts: list[RenderableType] = [_text(f"{view.variant.name}: {view.variant.description}", "bold")]
    verdict = rep.headline_of(view.variant.name)
    if verdict is not None and not any(r.headline == verdict for r in (*rep.summaries, *rep.reviewers)):  # above
        parts.append(_text(verdict, "bold red" if "NOT READY" in verdict else "bold green"))
    for line in rep.behaviour(0):
        parts.append(_indented(line, 2))
    parts.append(_text(f"hint: compare it with --against NAME (e.g. --against {rep.hint_against}), or leave out "
                       "--variant to evaluate every state", "dim"))
    return parts


def _work(rep: EvalReport) -> str:
    """The first line's count of the work, each count saying what it counts, as the page does: a bare "replayed",
    "reused" or "cached" meant nothing to a reader who had not read the README."""
    replayed = (f" ({rep.replayed} of them replayed: answered by an earlier run of the same code that looked at the "
                "same answers)") if rep.replayed else ""
    missing = (f", {rep.not_provided} not provided: the variant lacks the entry point"
               if rep.not_provided > 0 else "")
    return (f"{counted(rep.executed, 'run')} of the code now{replayed}; {counted(rep.reused, 'outcome')} reused from "
            f"variants with identical code, {rep.cached} read from the outcome cache{missing}")


def eval_summary(rep: EvalReport) -> RenderableType:
    """Verdicts per revision, newest first; what changed, patch by patch and proposal by proposal; findings."""
    counts = (f": {len(rep.variants)} variant{'s' if len(rep.variants) != 1 else ''} x {len(rep.scenarios)} "
              f"scenario{'s' if len(rep.scenarios) != 1 else ''}, {_work(rep)}")
    head = marked_line(lambda: f"[bold]{markup(rep.title)}[/]{markup(counts)}", clean(rep.title), counts,
                       hang=HEADING_HANG)
    # A state of two names (vN:00, base) is one variant, run once and counted once: said beside the base it starts at.
    named = "".join(f"; the variant {a} is {v.variant.name}" for v in rep.variants for a in v.variant.aliases)
    parts: list[RenderableType] = [head, labelled("base", f"{rep.base}{named}", "dim")]
    parts.extend(thread_lines(rep.threads))
    if rep.series_note:
        parts.append(labelled("series", rep.series_note, "dim"))
    if rep.rules_note:
        parts.append(labelled("rules", rep.rules_note, "dim"))
    parts.extend(labelled("assumed", a, "dim") for a in rep.assumptions)
    parts.extend(labelled("untested", a, "dim") for a in rep.untested)
    if rep.discovered:
        found = ", ".join(f"{e.name}() [{e.kind}, {e.origin}]" for e in rep.discovered)
        parts.append(_text(f"entry points found in the code: {found}", "dim"))
    parts.extend(_text(line, "dim") for line in rep.word_notes)
    for r in rep.summaries:
        parts.extend(revision_lines(r))
    for r in rep.reviewers:
        parts.extend(reviewer_lines(r))
    single = len(rep.variants) == 1 and not rep.per_patch and not rep.across
    if single:
        parts.extend(_single(rep))  # its hint says what to compare it with
    if rep.per_patch:
        parts.extend(_section("Per patch", rep.per_patch_newest_first))  # as the page and the verdicts
    elif not single:  # as the page says it where each patch's changes would be
        parts.append(_text(rep.no_patch_compared, "dim"))
    if rep.across:
        parts.extend(_section("Revisions and proposals", rep.across, rep))
    parts.extend(_text(u, "yellow") for u in rep.uncompared if not single)
    parts.extend(_finding_line(f) for f in rep.findings)
    parts.extend(_limit_line(hit, len(rep.scenarios)) for hit in rep.limits)
    parts.extend(_cross_lines(rep))
    if len(rep.summaries) + len(rep.reviewers) > 1:
        parts.append(recap_line(rep))
    return Lines(parts)


_VERDICT_WORD = {"blocked": "NOT READY", "ready": "READY", "unjudged": "not judged"}


def recap_line(rep: EvalReport) -> Line:
    """The verdicts again, one line at the end: those of an eval of many states head its text, which runs to hundreds
    of lines below them (each patch's changes, findings), and a maintainer at a terminal reads its last screen."""
    said = [f"{r.name} {_VERDICT_WORD[r.tone]}" for r in rep.summaries]
    by_word: dict[str, list[str]] = {}
    for r in rep.reviewers:
        by_word.setdefault(_VERDICT_WORD[r.tone], []).append(r.name)
    said.extend(f"reviewer variants {word}: {', '.join(names)}" for word, names in by_word.items())
    # Without rules 'not judged' each: what would judge them, not "each verdict's rules" of verdicts that have none.
    unjudged = all(r.tone == "unjudged" for r in (*rep.summaries, *rep.reviewers))
    tail = "no review rules: gate --rules FILE judges them;" if unjudged else "each verdict's rules and"
    text = f"in short: {'; '.join(said)} ({tail} what changed: above)"
    style = "bold red" if any(r.blocking for r in (*rep.summaries, *rep.reviewers)) else "bold"
    return Line(clean(text), style, hang=HEADING_HANG)


def _finding_line(f: ReportFinding) -> Line:
    colour = "green" if f.kind in _GOOD_FINDINGS else "red"
    return marked_line(lambda: f"[{colour}]{markup(f.kind)}[/] {markup(f'{f.subject}: {f.text}')}",
                       clean(f.kind), " ", clean(f.subject), ": ", clean(f.text), hang=HEADING_HANG)


def thread_lines(threads: tuple[ThreadCopy, ...]) -> list[RenderableType]:
    """Which copy of each thread fetched from lore the report rests on: dim when downloaded or young enough,
    yellow when --offline or of unknown age, red when stale (its download failed)."""
    colour = {CopyKind.STALE: "bold red", CopyKind.OFFLINE: "yellow"}
    return [_text(t.describe(), colour.get(t.kind, "yellow" if t.age is None else "dim")) for t in threads]


def _cross_lines(rep: EvalReport) -> list[RenderableType]:
    """--crosscheck: per variant, what gcc's build agrees with (from the variant's text, from the mirror's
    expansion), the first disagreement of each variant, and why anything was not compared or fell back."""
    if rep.crosscheck is None:
        return []
    rows = rep.crosscheck
    bad = [r for r in rows if r.agreed != r.compared]
    cc = rows[0].compiler if rows else "gcc"
    # Green only for agreement gcc built from the variants' own text: the expansion's agrees by construction.
    colour = {"fail": "red", "partial": "yellow", "pass": "green"}[tone(rows)]
    said = headline(rows)
    # A Line, not a rich Text: a word wider than what is left of its line (a path in why nothing was compared) is
    # shown whole, not folded in the middle of its name; its lines after the first go on HEADING_HANG in.
    parts: list[RenderableType] = [marked_line(lambda: f"[bold {colour}]crosscheck ({markup(cc)}):[/] {markup(said)}",
                                               "crosscheck (", clean(cc), "): ", clean(said), hang=HEADING_HANG)]
    parts.append(Whole(cross_table(rows)))  # a variant's name whole, never folded
    for r in bad:
        d = r.disagreements[0]
        parts.append(_indented(f"{r.variant}: {d.scenario}: {d.divergence}", 2, "red"))
    parts.extend(cross_reason_lines(rows))
    return parts


def cross_table(rows: tuple[CrossRow, ...]) -> Table:
    """Per variant: outcomes compared and agreeing, how many from its own text and from the mirror's expansion
    (agreeing/compared), not compared, and who formatted the compared native log records. With the variants'
    text, an agreement resting partly on the expansion is yellow, not green: it is not all independent."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    raw = bool(rows) and rows[0].source == "original"
    heads = ("compared", "agree", *(("from text", "from expansion") if raw else ()), "not compared",
             "log: libc / mirror")
    cells = []
    for r in rows:
        style = {"fail": "red", "partial": "yellow", "pass": "green", "na": "dim"}[r.tone]
        split = (f"{r.text_agreed}/{r.text_compared}", f"{r.expansion_agreed}/{r.expansion_compared}") if raw else ()
        cells.append((r.shown, (str(r.compared), Text(str(r.agreed), style=style), *split,
                                  str(r.not_compared_runs), f"{r.log_libc}/{r.log_mirror}")))
    # No vertical rules, one space between columns, each at most as wide as its widest number or heading word
    # (headings wrap at spaces): 80 columns hold names of 23 characters; a narrower console folds, never crops (drawn
    # in a reports.lines.Whole, it is drawn wider than the console where a word would fold).
    table = Table(title="Mirror vs native", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                  collapse_padding=True)
    table.add_column("variant", overflow="fold")
    for i, head in enumerate(heads):
        width = max([len(w) for w in head.split()] + [len(str(c[i])) for _, c in cells])
        table.add_column(head, justify="right", overflow="fold", max_width=width)
    for name, row in cells:
        table.add_row(name, *row)
    return table


def cross_reason_lines(rows: tuple[CrossRow, ...]) -> list[RenderableType]:
    """Why scenarios were not compared (yellow) and why entry points fell back to the mirror's expansion (dim):
    each reason once, naming the variants that have it."""
    return [_text(f"{r.variants}: {r.kind}: {r.reason}", "yellow" if r.kind == NOT_COMPARED else "dim")
            for r in reason_lines(rows)]


def crosscheck_summary(r: CrossResult) -> RenderableType:
    """Per variant: runs compared and agreeing, how many of them gcc built from the variant's own text; why
    the rest were not compared or fell back, each reason once; every disagreement with its first point of
    divergence; who formatted the native log lines."""
    from rich.console import Group

    rows = cross_rows(r)
    parts: list[RenderableType] = [Whole(cross_table(rows)), *cross_reason_lines(rows)]
    for d in r.disagreements[:20]:
        parts.extend(_disagreement(f"{d.variant} {d.scenario}: {d.divergence}", describe(d.mirror), describe(d.native)))
    parts.extend(_cross_totals(r))
    return Group(*parts)


def _disagreement(head: str, mirror: str, native: str) -> list[Line]:
    """A disagreement: ``DISAGREE variant scenario: divergence`` at column 0, each side's outcome 4 in under it;
    where they wrap, each side's lines DETAIL_HANG further in, the heading's as far (past where the sides start,
    not among them), as eval's lines go on."""
    return [marked_line(lambda: f"[red]DISAGREE[/] {markup(head)}", "DISAGREE ", clean(head), hang=4 + DETAIL_HANG),
            _indented(f"mirror: {mirror}", 4), _indented(f"native: {native}", 4)]


def _cross_totals(r: CrossResult) -> list[RenderableType]:
    """The totals under crosscheck's table, each a line at column 0 that goes on HEADING_HANG in where it wraps."""
    total = sum(r.compared.values())
    probes = r.probe_runs  # a native run per distinct code where the mirror stopped: the child is bounded too
    extra = f" ({probes} of them a probe of a scenario the mirror stopped on)" if probes else ""
    parts: list[RenderableType] = [_text(f"{total - len(r.disagreements)} of {total} outcomes agree; {r.native_runs} "
                                         f"native runs{extra} in {r.native_seconds:.2f} s", "bold")]
    if r.source == "original":
        raw, raw_agree = sum(r.raw_compared.values()), sum(r.raw_agreed.values())
        parts.append(_text(f"{raw_agree} of {raw} built by {r.compiler} from the variants' own text (its "
                           f"preprocessor, its parser: an independent check); {total - raw} from the mirror's "
                           "expansion (they agree with its preprocessing and parse by construction: not "
                           f"independent){tree_hint(cross_rows(r))}", "bold"))
    f = r.formats
    if f.libc + f.mirror:
        parts.append(_text(f"native log records: {f.libc} formatted by the C library's vsnprintf(), {f.mirror} by "
                           "the mirror's (a conversion where lib/vsprintf.c and C99 differ: their text is not an "
                           "independent check); each native run once, the table each variant's compared outcomes",
                           "dim"))
    alike = sum(r.refused_alike_runs.values())
    if alike:
        parts.append(_text(f"{alike} scenarios refused alike: {r.compiler} and the mirror both refuse to build the "
                           "code they need, for the same reason (agreement on refusal, not counted above)", "bold"))
    if not total and not alike:
        why = f" ({r.provided_none})" if r.provided_none else ""
        parts.append(_text(f"nothing was compared with {r.compiler}{why}: no agreement is claimed (exit status 1)",
                           "bold red"))
    return parts


def _limit_line(hit: LimitHit, total: int, shown: int = 3) -> Line:
    """One limit a variant hit: what it means, in how many scenarios, the first few of them."""
    first = ", ".join(hit.scenarios[:shown]) + (f" and {len(hit.scenarios) - shown} more"
                                                if len(hit.scenarios) > shown else "")
    meaning = f"{LIMIT_MEANING[hit.limit]} in {len(hit.scenarios)} of {total} scenarios: "
    return marked_line(lambda: f"[yellow]limit {markup(hit.limit)}[/] "
                           f"{markup(f'{hit.variant}: {meaning}{first}')}",
                       "limit ", clean(hit.limit), " ", clean(hit.variant), ": ", meaning, clean(first),
                       hang=HEADING_HANG)

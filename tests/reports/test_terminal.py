"""The terminal summary (reports/terminal.py): its first line counts what ran, in plain English."""

from __future__ import annotations

import random
import re
import string
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.text import Text

from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from reports.lines import Lines
from reports.safe import markup, styled
from reports.terminal import eval_summary
from tests.harness.variantgen import HELPER, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox

ONE = """\
[codes]
OK = 0

[leaves]
ONE = 1

[[unit]]
name = "demo.c"
path = "demo/demo.c"

[[entry]]
name = "demo_retry"

[[script]]
name = "ok"
answers = ["OK"]
"""


def test_one_scenario_is_said_in_the_singular(tmp_path: Path) -> None:
    retry = RETRY_C.split("static inline int demo_prerr")[0].replace("TRIES", "3")  # one entry point, no other
    body = patch_body("Add it.", diff(HELPER, None, retry))
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] demo: add a retry", "own@example.org", body)])
    (tmp_path / "m.toml").write_text(ONE)
    rep = report_model(evaluate(EvalRequest((box,), matrix=tmp_path / "m.toml", cache=None)))
    console = Console(width=300, record=True)
    console.print(eval_summary(rep))
    head = console.export_text().splitlines()[0]
    assert len(rep.scenarios) == 1 and f"{len(rep.variants)} variants x 1 scenario, " in head, head
    # '1 runs of the code now; 1 outcomes reused from variants with identical code': each count's noun agrees too.
    assert (rep.executed, rep.reused) == (1, 1), head
    assert "x 1 scenario, 1 run of the code now; 1 outcome reused from variants with identical code, " in head, head


WORDS = ("an indented line of words, some_of_them_long_identifiers_that_fold_where_no_space_is, "
         "and \u4e2d\u6587 wide characters too, [brackets] and markup-like [bold]text[/] left as it is")


def _shown(renderable: object, width: int, colour: bool) -> str:
    from harness.console import show

    console = Console(width=width, force_terminal=colour, color_system="standard" if colour else None,
                      record=False, highlight=False, emoji=False, file=_Sink())
    show(renderable, console)
    return console.file.text  # type: ignore[attr-defined, no-any-return]


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_an_indented_line_prints_as_padding_did_without_measuring(monkeypatch: pytest.MonkeyPatch) -> None:
    # Padding(expand=False) measured each text (its longest line and word, cell by cell) to pad its lines with
    # spaces show() strips: a sixth of the summary. The oracle: what Padding printed, at any width, with colour too,
    # of the text cropped (a word wider than the line on a line of its own), which shows that word whole.
    from rich.measure import Measurement
    from rich.padding import Padding

    from reports.lines import Line
    from reports.terminal import _indented

    for width in (120, 80, 33, 12, 5, 4, 3, 1):
        for depth in (2, 4):
            for style in ("", "dim", "bold red"):
                for colour in (False, True):
                    ours = _shown(Line(WORDS, style, depth), width, colour)  # not hung: as Padding indents it
                    text = Text(WORDS, style=style, overflow="crop")
                    padded = _shown(Padding(text, (0, 0, 0, depth), expand=False), width, colour)
                    assert _cropped(_plain(ours), _plain(padded)) == _plain(padded), (width, depth, style, colour)
    measured: list[object] = []
    real = Measurement.get
    monkeypatch.setattr(Measurement, "get", classmethod(lambda cls, *a, **k: measured.append(a) or real(*a, **k)))
    _shown(_indented(WORDS, 2), 80, False)
    assert measured == []


def _plain(shown: str) -> str:
    """``shown`` without colour codes, each line's trailing spaces stripped (a space before a style's end is kept)."""
    return "".join(line.rstrip() + "\n" for line in re.sub(r"\x1b\[[0-9;]*m", "", shown).splitlines())


def _cropped(shown: str, oracle: str) -> str:
    """``shown`` with each line that is ``oracle``'s line and more (one word, after its indent) as ``oracle``'s: rich
    crops a word too wide for its line (overflow "crop"), show() writes it whole, and where it fits the width but not
    after its indent, less far in (reports.lines.indent_of). Lines otherwise as shown."""
    lines, cropped = shown.splitlines(), oracle.splitlines()
    if len(lines) == len(cropped):
        lines = [crop if len(line.split()) == 1 and line.lstrip().startswith(crop.lstrip())
                 and (not crop or _indent(line) <= _indent(crop)) else line
                 for line, crop in zip(lines, cropped, strict=True)]
    return "".join(line + "\n" for line in lines)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _by_rich(renderable: object, width: int) -> str:
    """What show() wrote before reports.plainwrap: rich's own rendering, each line's trailing spaces stripped, of
    reports.lines' text cropped where a word is wider than its line, as rich wraps a Text whose overflow is "crop"
    (reports.lines.Indented shows that word whole: compare _cropped() of what it shows)."""
    from reports.lines import Indented

    def rich_lines(self: Indented, console: Console, options: ConsoleOptions, width: int) -> list[list[Segment]]:
        text = self.text.copy()
        text.overflow = "crop"
        return console.render_lines(text, options.update_width(width), pad=False)

    console = Console(width=width, color_system=None, highlight=False, emoji=False, file=_Sink())
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(Indented, "_lines", rich_lines)
        with console.capture() as captured:
            console.print(renderable, soft_wrap=False)
    return "".join(line.rstrip() + "\n" for line in captured.get().splitlines())


def _random_line(rng: random.Random) -> str:
    # Words of any length (folded when longer than the width), runs of spaces before, between and after them.
    pieces = [" " * rng.choice((0, 0, 1, 3))]
    for _ in range(rng.randrange(0, 12)):
        letters = string.ascii_letters + string.punctuation
        pieces.append("".join(rng.choice(letters) for _ in range(rng.randrange(1, 30))))
        pieces.append(" " * rng.choice((1, 1, 1, 2, 5, 40)))
    return "".join(pieces)[: rng.randrange(0, 200)]


def test_plain_text_wraps_as_rich_wraps_it() -> None:
    # With no colour written, show() wraps printable ASCII itself (reports.plainwrap); the oracle is rich's rendering
    # of the same Text, indented line, or a group of them mixed with what only rich renders (wide characters, tabs,
    # newlines, a table), where a word is wider than its line that word cropped (shown whole: _cropped()). With
    # colour, rich draws the lines (reports.lines.Indented), to the same oracle.
    from rich.console import Group
    from rich.table import Table

    from reports.terminal import _indented, _text

    rng = random.Random(18)
    table = Table("a", "b")
    table.add_row("one", "two")
    for n in range(400):
        width = rng.choice((1, 2, 3, 5, 8, 13, 40, 80, 120))
        line = _random_line(rng)
        if n % 10 == 0:
            line += rng.choice(("\t", "\n", "\u4e2d\u6587", "\u0301", "\x7f"))
        made = [_text(line), _indented(line, rng.choice((2, 4))), Text(line, style="bold"),
                styled(f"[red]{markup(line)}[/]"), _indented(f"- {line}", rng.choice((2, 4)))]  # a list item: hung
        for one in made:
            assert _cropped(_shown(one, width, False), oracle := _by_rich(one, width)) == oracle, (line, width)
            assert _cropped(_plain(_shown(one, width, True)), oracle) == oracle, (line, width)  # rich's lines
        group = Group(*made, table, *made)
        assert _cropped(_shown(group, width, False), oracle := _by_rich(group, width)) == oracle, (line, width)


def test_a_list_item_wraps_under_its_text_not_its_dash() -> None:
    # '    - log: err printed with ... (0x0000000000000000 ->' went on at the dash's column ('    0x00000000000000;
    # ...'), as if a line of its own; an item that fits its line at the full width is left as it was.
    from reports.terminal import _indented

    item = "- log: err printed with '0x%016llx' -> '%#016llx' (0x0000000000000000 -> 0x00000000000000) at tdx.c:66"
    assert _shown(_indented(item, 4), 60, False) == (
        "    - log: err printed with '0x%016llx' -> '%#016llx'\n"
        "      (0x0000000000000000 -> 0x00000000000000) at tdx.c:66\n")
    assert _shown(_indented(item, 4), 60, True).count("\n      ") == 1
    assert _shown(_indented(item[:54], 4), 58, False) == f"    {item[:54]}\n"  # 58 columns: it fits, not hung


def test_plain_text_is_not_wrapped_by_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    # rich's wrapping was 170 M instructions of the corpus' eval summary (harness.console.show); with colour it stays.
    from rich.console import Group

    from reports.terminal import _indented, _text

    wrapped: list[object] = []
    real = Text.wrap
    monkeypatch.setattr(Text, "wrap", lambda self, *a, **k: wrapped.append(self) or real(self, *a, **k))
    group = Group(_text("a summary line " * 9), _indented("an indented line " * 9, 2), styled("[bold]v3[/]: ready"))
    expected = _by_rich(group, 40)
    wrapped.clear()
    assert _shown(group, 40, False) == expected
    assert wrapped == []
    _shown(group, 40, True)
    assert len(wrapped) == 5  # both lines wrap at 40, so again at 40 less their hang (reports.lines.Indented)


def test_an_eval_summary_loads_no_rich_table(tmp_path: Path) -> None:
    # rich.table, rich.box and rich.padding (24 M instructions) draw only crosscheck's table and an indent wider
    # than the console: an eval of a small series loads none of them.
    import subprocess
    import sys

    retry = RETRY_C.split("static inline int demo_prerr")[0].replace("TRIES", "3")
    body = patch_body("Add it.", diff(HELPER, None, retry))
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] demo: add a retry", "own@example.org", body)])
    (tmp_path / "m.toml").write_text(ONE)
    code = ("import sys\nfrom harness.cli import main\nmain(sys.argv[1:])\n"
            "print(sorted(m for m in sys.modules if m in ('rich.table', 'rich.box', 'rich.padding')))")
    out = subprocess.run([sys.executable, "-c", code, "eval", str(box), "--matrix", str(tmp_path / "m.toml"),
                          "--no-cache"], capture_output=True, text=True, check=False).stdout
    assert "demo: add a retry" in out and out.strip().splitlines()[-1] == "[]", out


def test_per_patch_lists_the_newest_revision_first_as_the_page_and_json(tmp_path: Path) -> None:
    # The terminal listed v1's patches before v2's, where its verdict lines and the page go newest first.
    import json

    from reports.json_report import eval_json
    from tests.mailgen import demo_series

    box = write_mbox(tmp_path / "s.mbox", demo_series(1) + demo_series(2))
    (tmp_path / "m.toml").write_text(ONE.replace('path = "demo/demo.c"\n', "").replace("demo.c", "u"))
    rep = report_model(evaluate(EvalRequest((box,), matrix=tmp_path / "m.toml", cache=None, time_budget=0)))
    console = Console(width=300, record=True)
    console.print(eval_summary(rep))
    text = console.export_text()
    section = text[text.index("Per patch"):]
    assert section.index("v2 01/3") < section.index("v1 01/3"), section
    page = [c.label for c in rep.per_patch_newest_first]
    assert page[0].startswith("v2 ") and page[-1].startswith("v1 "), page
    data = json.loads(eval_json(rep))
    assert [c["label"] for c in data["differences"] if c["view"] == "patch"] == page


def test_a_marked_line_is_plain_only_where_rich_reads_it_so() -> None:
    # A verdict, finding or limit line (reports.terminal.marked_line) is written without rich where its plain text is
    # known without it; the oracle is rich's from_markup() of the same markup, pieces with '[', ']' and backslashes
    # in any order (a tag-like '[a: b]' across two pieces, a trailing backslash) included.
    from reports.terminal import marked_line

    rng = random.Random(30)
    alphabet = "ab []\\/#@:=xT"
    tried = plain = 0
    for _ in range(3000):
        a, b = ("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8))) for _ in range(2))
        line = marked_line(lambda a=a, b=b: f"[red]{markup(a)}[/] {markup(b)}: {markup(a + b)}", a, " ", b, ": ", a + b)
        try:
            oracle = line.text().plain
        except Exception:  # markup rich refuses: only rich may say so
            assert line.plain is None, (a, b)
            continue
        tried += 1
        if line.plain is not None:
            plain += 1
            assert line.plain == oracle, (a, b)
            assert _cropped(_shown(line, 13, False), oracle := _by_rich(line, 13)) == oracle, (a, b)
    assert tried > 1000 and plain > 300, (tried, plain)


def test_an_eval_summary_piped_loads_no_rich(tmp_path: Path) -> None:
    # Importing rich.console and rich.text cost a piped eval some 68 M instructions for a summary of printable ASCII
    # lines, which reports.plainwrap wraps: its lines are reports.lines' Line, made rich Text only where rich draws
    # them. The oracle: rich's rendering of the same summary.
    import subprocess
    import sys

    retry = RETRY_C.split("static inline int demo_prerr")[0].replace("TRIES", "3")
    body = patch_body("Add it.", diff(HELPER, None, retry))
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] demo: add a [retry] loop", "own@example.org", body)])
    (tmp_path / "m.toml").write_text(ONE)
    code = ("import sys\nfrom harness.cli import main\nmain(sys.argv[1:])\n"
            "print('loaded', sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "80"
    out = subprocess.run([sys.executable, "-c", code, "eval", str(box), "--matrix", str(tmp_path / "m.toml"),
                          "--no-cache"], capture_output=True, text=True, check=False, env=env).stdout
    summary, _, loaded = out.rpartition("loaded ")
    assert loaded.strip() == "[]", out
    rep = report_model(evaluate(EvalRequest((box,), matrix=tmp_path / "m.toml", cache=None)))
    assert summary == _by_rich(eval_summary(rep), 80)


def test_a_finding_line_keeps_a_bracket_opened_in_its_subject_and_closed_in_its_text() -> None:
    # Subject and text escaped apart made 'a[b: c]' across the two a rich tag, dropping 'b: c'.
    from harness.findings import FindingKind, ReportFinding
    from reports.terminal import _finding_line

    line = _finding_line(ReportFinding(FindingKind.CODE_MOVE, "v2 <a[b@x>", "c] d"))
    assert line.text().plain.endswith("v2 <a[b@x>: c] d")


def test_a_verdict_line_that_wraps_goes_on_under_its_words_not_at_column_0() -> None:
    # 'v3: NOT READY: ..., 0 not' / 'applicable': the words after the wrap, at column 0, read as a line of their own.
    from types import SimpleNamespace

    from reports.terminal import recap_line, reviewer_lines, revision_lines

    headline = ("v3: NOT READY: 1 base problem, 2 failing, 1 inconclusive (3 of 26 patches change behaviour), 0 not "
                "applicable")
    r = SimpleNamespace(tone="blocked", headline=headline, failing=(), why_inconclusive=(), alarms=(), patches=(),
                        review=SimpleNamespace(earlier=()), lifted=(), inconclusive=(),
                        problems=())
    for lines in (revision_lines, reviewer_lines):
        head = lines(r)[0]  # type: ignore[arg-type]
        for colour in (False, True):
            shown = re.sub(r"\x1b\[[0-9;]*m", "", _shown(head, 80, colour))
            assert [ln.rstrip() for ln in shown.splitlines()][1:] == ["    change behaviour), 0 not applicable"], shown
    head = revision_lines(r)[0]  # type: ignore[arg-type]
    assert _cropped(_shown(head, 80, False), oracle := _by_rich(head, 80)) == oracle
    # The recap at the end is the verdicts again: 'in short: ... (each verdict's rules and what' / 'changed: above)'.
    rep = SimpleNamespace(summaries=(SimpleNamespace(name="v3", tone="blocked", blocking=True),), reviewers=tuple(
        SimpleNamespace(name=f"v3:0{n}+reviewer-{n}", tone="ready", blocking=False) for n in range(1, 4)))
    recap = _shown(recap_line(rep), 80, False).splitlines()  # type: ignore[arg-type]
    assert len(recap) > 1 and all(ln.startswith("    ") and ln[4] != " " for ln in recap[1:]), recap


def test_an_assumed_line_wraps_under_its_text_not_at_column_0() -> None:
    # 'assumed: the pr_fmt of ... is not in what is known of' / 'the file: ...' went on at column 0, as if a line of its
    # own; now under its text, as a list item's under its dash. A word wider than the hang leaves that fits the full
    # line (a tree's path) is not cut: it is on a line of its own as far in as it fits, the others hung (the whole
    # paragraph went on at column 0 for it).
    from reports.terminal import labelled

    said = "the pr_fmt of arch/x86/virt/vmx/tdx/tdx.c is not in what is known of the file: mainline's is used"
    for colour in (False, True):
        shown = re.sub(r"\x1b\[[0-9;]*m", "", _shown(labelled("assumed", said, "dim"), 60, colour)).splitlines()
        assert shown[0].startswith("assumed: the") and len(shown) > 1, shown
        assert all(ln.startswith(" " * 9) and ln[9] != " " for ln in shown[1:]), shown
    path = "/tmp/" + "p" * 50
    shown = _shown(labelled("base", f"v1: {path} at 7d0f59d999ec", "dim"), 60, False)
    assert shown == f"base: v1:\n     {path}\n      at 7d0f59d999ec\n", shown
    assert _cropped(shown, oracle := _by_rich(labelled("base", f"v1: {path} at 7d0f59d999ec", "dim"), 60)) == oracle
    assert _shown(labelled("base", "hunks only (no tree)"), 60, False) == "base: hunks only (no tree)\n"


@pytest.mark.parametrize("width", [40, 61, 80, 120])
def test_a_word_that_fits_the_width_but_not_its_indent_leaves_the_paragraph_hung(width: int) -> None:
    # A word wider than what the hang leaves, no wider than the line, unhung the whole paragraph: at 80 columns
    # 'assumed: RDRAND_RETRY_LOOPS ...' went on at column 0, each line read as one of its own. Now the other lines
    # keep their hang and that word is on a line of its own as far in as it fits, whole.
    from reports.terminal import _indented, labelled

    for word_in in (1, 3):  # how far in the hang leaves too little for it
        word = "W" * (width - word_in)
        for line, depth, hang in ((labelled("assumed", f"the names {word} are not defined here, read", "dim"), 0, 9),
                                  (_indented(f"- log: {word} printed with more words after it", 4), 4, 2)):
            for colour in (False, True):
                shown = _plain(_shown(line, width, colour)).splitlines()
                assert len(shown) == 3 and shown[0].startswith(" " * depth) and shown[0][depth] != " ", shown
                assert shown[1] == " " * word_in + word, shown  # ends at the last column, whole
                assert _indent(shown[2]) == depth + hang and shown[2].endswith("read" if not depth else "it"), shown
            assert _cropped(_shown(line, width, False), oracle := _by_rich(line, width)) == oracle


def test_a_detail_line_that_wraps_goes_on_two_further_in() -> None:
    # '  failing: move-preserves-behaviour, no-unlikely-in-sc-retry,' went on at column 2 ('  leaf-base-consistent,
    # ...'), where the next detail line starts: it read as one. The gate's rule lines below their heading alike.
    from reports.gate_report import _indented as gate_indented
    from reports.terminal import _indented

    said = "failing: move-preserves-behaviour, no-unlikely-in-sc-retry, leaf-base-consistent, nak-no-kernel-change"
    for make, depth in ((_indented, 2), (gate_indented, 6)):
        line = make(said, depth)
        for colour in (False, True):
            shown = re.sub(r"\x1b\[[0-9;]*m", "", _shown(line, 60, colour)).splitlines()
            assert shown[0].startswith(" " * depth + "failing:") and len(shown) > 1, shown
            assert all(ln.startswith(" " * (depth + 2)) and ln[depth + 2] != " " for ln in shown[1:]), shown
        assert _cropped(_shown(line, 60, False), oracle := _by_rich(line, 60)) == oracle


def test_crosschecks_totals_that_wrap_go_on_4_in() -> None:
    # '456 of 456 outcomes agree; 457 native runs (1 of them a probe of a scenario the' / 'mirror stopped on) in 2.67
    # s' went on at column 0, as if a line of its own.
    from types import SimpleNamespace

    from reports.terminal import _cross_totals

    r = SimpleNamespace(compared={"v3": 456}, disagreements=(), probe_runs=1, native_runs=457, native_seconds=2.67,
                        source="mirror", formats=SimpleNamespace(libc=130, mirror=80), refused_alike_runs={},
                        compiler="cc", provided_none="")
    for line in _cross_totals(r):  # type: ignore[arg-type]
        shown = _shown(line, 80, False).splitlines()
        assert len(shown) > 1 and all(ln.startswith("    ") and ln[4] != " " for ln in shown[1:]), shown
        assert _cropped(_shown(line, 80, False), oracle := _by_rich(line, 80)) == oracle


def test_a_disagreement_that_wraps_goes_on_past_its_sides() -> None:
    # 'DISAGREE ...' with its sides as explicit '\n    mirror: ...' lines: a wrapped heading or side went on at
    # column 0, where the next disagreement starts.
    from reports.terminal import _disagreement

    lines = _disagreement("a demo_retry/ONE/busy-x5/demo.c: SEAMCALLs: mirror made 1, native 3",
                          "1 SEAMCALL (TDX module), returned -EBUSY after one try",
                          "3 SEAMCALLs (TDX module), returned 0 after three tries")
    for line, depth in zip(lines, (0, 4, 4), strict=True):
        for colour in (False, True):
            shown = re.sub(r"\x1b\[[0-9;]*m", "", _shown(line, 40, colour)).splitlines()
            assert len(shown) > 1 and shown[0][depth] != " ", shown
            assert all(ln.startswith(" " * 6) and ln[6] != " " for ln in shown[1:]), shown
        assert _cropped(_shown(line, 40, False), oracle := _by_rich(line, 40)) == oracle


def test_a_reviewer_variants_inconclusive_rule_says_why_next_to_it() -> None:
    # 'hansen-drop-06: NOT READY: ...' / '  failing: a-rule; inconclusive: b-rule': why b-rule could not be judged was
    # only in the page and the gate; a revision's line says it. Now both do, each rule on its own line.
    from types import SimpleNamespace

    from reports.terminal import reviewer_lines

    r = SimpleNamespace(tone="blocked", headline="v3:06+x: NOT READY: 1 error rule fails, 1 error rule inconclusive",
                        problems=(), failing=("a-rule",), inconclusive=("b-rule",),
                        why_inconclusive=("b-rule: nothing ran: v3:06+x does not define demo_retry()",), alarms=(),
                        review=SimpleNamespace(earlier=()), lifted=())
    shown = _shown(Lines(reviewer_lines(r)), 120, False).splitlines()  # type: ignore[arg-type]
    assert shown[1:] == ["  failing: a-rule",
                         "  inconclusive b-rule: nothing ran: v3:06+x does not define demo_retry()"], shown


def _rows(names: tuple[str, ...], why: str = "") -> tuple[object, ...]:
    """CrossRows of ``names`` (each's whole name one word): all agree, some built from the mirror's expansion; with
    ``why``, nothing compared, for that reason."""
    from harness.crossview import CrossRow

    if why:
        return tuple(CrossRow(n, 0, 0, (why,), ()) for n in names)
    return tuple(CrossRow(n, 456, 456, ("no such entry (12 scenarios)",), (), text_compared=310, text_agreed=310,
                          log_libc=130, log_mirror=80) for n in names)


@pytest.mark.parametrize("width", [40, 57, 80, 120])
def test_the_crosscheck_table_and_heading_never_fold_a_name(width: int) -> None:
    # rich's Table shares a narrow width out among its columns and folded a cell's word in the middle of its name
    # ('v3:06+hansen-' / 'drop-06...'): the table is drawn as wide as its words need, wider than the console if so;
    # where rich's own table keeps every name whole, it is that table. The heading was a rich Text folding a path.
    from reports.lines import Whole
    from reports.terminal import _cross_lines, cross_table

    long = "v3:06+hansen-drop-06-and-a-longer-name"
    rows = _rows(("v3", long, "v2:01"))
    for colour in (False, True):
        ours = _plain(_shown(Whole(cross_table(rows)), width, colour))  # type: ignore[arg-type]
        assert long in ours.split(), ours
    rich_own = _by_rich(cross_table(rows), width)  # type: ignore[arg-type]
    assert (long in rich_own.split()) is (width == 120), rich_own  # rich folds it narrower
    if width == 120:
        assert ours == rich_own
    path = "arch/x86/virt/vmx/tdx/" + "p" * (width - 30) + ".c"
    why = f"{path} is known only from hunks (12 scenarios)"
    rep = SimpleNamespace(crosscheck=_rows(("v3",), why))
    head = _cross_lines(rep)[0]  # type: ignore[arg-type]
    for colour in (False, True):
        shown = _plain(_shown(head, width, colour))
        assert path in shown.split() and shown.startswith("crosscheck (gcc): nothing compared"), shown
        assert all(ln.startswith("    ") or path in ln for ln in shown.splitlines()[1:]), shown
    assert _cropped(_shown(head, width, False), oracle := _by_rich(head, width)) == oracle

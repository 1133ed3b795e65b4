"""Tests for harness.factpick: a summary names each change of a log line before it says 'and N more'."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from rich.console import Console

from harness.convnotes import ConversionChange, ConversionNote
from harness.factpick import change_of, log_kind, picked
from harness.pipeline import EvalRequest, evaluate
from harness.report import one_line, report_model
from reports.html_report import render_html
from reports.terminal import comparison_lines
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox


def _note(argument: str, before: str, after: str, value: int) -> ConversionNote:
    shown = f"0x{value:016x}"
    change = ConversionChange(argument, before, after, shown, str(value), "a/tdx.c:6", "a/tdx.c:6")
    return ConversionNote(f"log: {argument} printed with '{before}' -> '{after}' ({shown} -> {value}) at tdx.c:6",
                          change)


_FN = [_note("fn", "0x%016llx", "%llu", leaf) for leaf in (0x21, 0x23, 1 << 63, (1 << 63) + 1)]
_ERR = [_note("err", "0x%016llx", "%#016llx", code) for code in (0, 5, 0xC0001)]


def test_every_note_of_one_conversion_is_one_change() -> None:
    assert len({change_of(n) for n in _FN}) == 1 and len({change_of(n) for n in _ERR}) == 1
    assert change_of(_FN[0]) != change_of(_ERR[0])
    assert change_of("return: 0 -> -5") == "return: 0 -> -5"  # any other note is its own change


def test_each_change_is_shown_once_before_a_second_example_of_one() -> None:
    # The four leaves' notes each outnumber every error code's: the commonest three were all of fn.
    counts = Counter({**{n: 10 for n in _FN}, **{n: 4 for n in _ERR}})
    shown, more = picked(counts, 3)
    assert shown == [_FN[0], _FN[1], _ERR[0]] and more == 4


def test_every_conversion_changed_is_named_past_the_limit_unless_asked_not_to() -> None:
    counts = Counter({**{n: 10 for n in _FN}, **{n: 4 for n in _ERR}, "return: 0 -> -5": 12})
    shown, more = picked(counts, 1)
    assert shown == ["return: 0 -> -5", _FN[0], _ERR[0]] and more == 5
    assert picked(counts, 1, every=False) == (["return: 0 -> -5"], 7)
    # other notes are never named past the limit: 'and N more' counts them
    shown, more = picked(Counter({f"return: 0 -> -{k}": 5 for k in range(1, 6)}), 3)
    assert len(shown) == 3 and more == 2


def test_a_log_line_printed_no_longer_or_now_is_named_past_the_limit() -> None:
    # A patch's seamcall_prerr() said 'P-SEAMLDR SEAMCALLs 10 -> 1', 'return -EIO -> 0', 'P-SEAMLDR SEAMCALLs 1 -> 10'
    # and 'and 7 more': the pr_err() lines it no longer printed, or printed now, were among the 7. One of each kind
    # of log change is named, as each conversion is; 'and N more' counts the rest.
    top = ["P-SEAMLDR SEAMCALLs 10 -> 1", "return -EIO -> 0", "P-SEAMLDR SEAMCALLs 1 -> 10"]
    gone, gone_too = "log: line only before: demo: SEAMCALL (33) failed: 0x5", "log: line only before: demo: (35)"
    new, level = "log: line only after: demo: SEAMCALL (33) failed: 0x7", "log: level 3 -> 4: demo: x"
    counts = Counter({**dict.fromkeys(top, 12), "return 0 -> -EIO": 6, gone: 6, gone_too: 5, new: 4, level: 2})
    assert picked(counts, 3) == ([*top, gone, new, level], 2)
    assert picked(counts, 3, every=False) == (top, 5)
    assert picked(counts, 6) == ([*top, "return 0 -> -EIO", gone, gone_too, new, level], 0)
    assert [log_kind(n) for n in (gone, new, level, top[1], _FN[0])] == [
        "log: line only before", "log: line only after", "log: level ", None, None]


_BEFORE = '\tpr_err("SEAMCALL (0x%016llx) failed: 0x%016llx\\n", fn, err);\n'
_AFTER = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'


def test_a_line_whose_two_conversions_changed_names_both_on_the_terminal(tmp_path: Path) -> None:
    # h598's new-user trial: both conversions of one pr_err() changed; the terminal's per-patch lines said
    # "fn printed with '0x%016llx' -> '%llu'" three times, then "and 4 more": never the err field's width.
    printed = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
    text = helpers(RETRY_SAFE)
    assert printed in text
    before, after = text.replace(printed, _BEFORE), text.replace(printed, _AFTER)
    msgs = revision(5, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, before),)),
                        Step("x86/virt/tdx: Print SEAMCALL failures otherwise", ((NEW_HOME, before, after),))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v5.mbox", msgs),), jobs=1, time_budget=0, cache=None))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v5:02"]
    notes = {n for d in cmp.differences for n in d.notes}
    fields = {change_of(n) for n in notes if isinstance(n, ConversionNote)}
    assert {f[0] for f in fields} == {"fn", "err"} and len(notes) > 3, notes  # more than the terminal's 3
    console = Console(width=200, record=True)
    for line in comparison_lines(cmp):
        console.print(line)
    shown = console.export_text()
    for argument in ("fn", "err"):
        assert f"- log: {argument} printed with " in shown, shown
    assert "and " in shown and shown.index("err printed") < shown.index(" more"), shown
    page = html.unescape(render_html(report_model(ev)))
    assert "err printed with '0x%016llx' -> '%#016llx'" in page
    assert one_line(cmp, 1).count(" printed with ") == 1  # a one-line summary keeps to its one fact

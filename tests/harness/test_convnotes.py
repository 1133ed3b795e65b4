"""A log line differing only in how a value is printed is said by its conversions.

A log line that differs only in how a value is printed is said by the conversions that printed it and the call's
place (harness.convnotes), from the mirror's record of each line's format: in the notes, the JSON and the page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from harness.comparison import Comparison
from harness.convnotes import ConversionNote, call_arguments
from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.report import report_model
from models.loader import Source
from reports.html_report import render_html
from reports.json_report import eval_json
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

_PRINTED = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
_BEFORE = '\tpr_err("SEAMCALL (%llu) failed: 0x%016llx\\n", fn, err);\n'
_AFTER = '\tpr_err("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n'


def _header(line: str) -> str:
    text = helpers(RETRY_SAFE)
    assert _PRINTED in text
    return text.replace(_PRINTED, line)


def _evaluate(tmp_path: Path, cache: Path | None = None) -> tuple[Evaluation, Comparison, int]:
    """v5: 01 adds the helper header printing 'SEAMCALL (%llu) failed: 0x%016llx', 02 makes it '(%#llx) ...
    %#016llx'; 02's comparison, and the line of the pr_err() call."""
    before, after = _header(_BEFORE), _header(_AFTER)
    msgs = revision(5, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, before),)),
                        Step("x86/virt/tdx: Print SEAMCALL failures with %#", ((NEW_HOME, before, after),))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v5.mbox", msgs),), jobs=1, time_budget=0, cache=cache))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v5:02"]
    line = after.split("\n").index(_AFTER.rstrip("\n")) + 1
    return ev, cmp, line


@pytest.fixture(scope="module")
def v5(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evaluation, Comparison, int]:
    """_evaluate without a cache, once for the tests that read it (each evaluated its own)."""
    return _evaluate(tmp_path_factory.mktemp("convnotes"))


def _log_notes(cmp: Comparison) -> set[str]:
    return {n for d in cmp.differences for n in d.notes if n.startswith("log: ")}


def test_each_changed_conversion_is_named_with_the_call(v5: tuple[Evaluation, Comparison, int]) -> None:
    # Without the formats recorded, the notes said "same value 0x21 printed differently: '33' -> '0x21' (decimal ->
    # hex with 0x, 4 chars)": the reader had to work out '%llu' -> '%#llx'.
    _, cmp, line = v5
    notes = _log_notes(cmp)
    site = f"seamcall_internal.h:{line}"
    leaf = [n for n in notes if n.startswith("log: fn ")]
    err = [n for n in notes if n.startswith("log: err ")]
    assert leaf and err and len(leaf) + len(err) == len(notes), notes
    for n in leaf:
        m = re.fullmatch(rf"log: fn printed with '%llu' -> '%#llx' \((\d+) -> (0x[0-9a-f]+)\) at {re.escape(site)}", n)
        assert m is not None and int(m.group(1)) == int(m.group(2), 16), n
    # '0x%016llx' -> '%#016llx': the 0x counts inside the width with '#' (lib/vsprintf.c number()), said as before
    for n in err:
        m = re.fullmatch(r"log: err printed with '0x%016llx' -> '%#016llx' \((0x[0-9a-f]{16}) -> (0x[0-9a-f]{14})"
                         rf"; '%#' counts the 0x inside the width, '0x%' does not\) at {re.escape(site)}", n)
        assert m is not None and int(m.group(1), 16) == int(m.group(2), 16), n
    assert "log: fn printed with '%llu' -> '%#llx' (33 -> 0x21) at " + site in notes


def test_the_json_and_the_page_carry_the_conversions(v5: tuple[Evaluation, Comparison, int]) -> None:
    ev, _, line = v5
    rep = report_model(ev)
    data = json.loads(eval_json(rep))
    (view,) = [c for c in data["differences"] if c["b"] == "v5:02"]
    named = {(c["argument"], c["before"], c["after"]) for c in view["conversions"]}
    assert named == {("fn", "%llu", "%#llx"), ("err", "0x%016llx", "%#016llx")}
    for c in view["conversions"]:
        note = view["notes"][c["note"]]
        assert f"'{c['before']}' -> '{c['after']}' ({c['printed'][0]} -> {c['printed'][1]}" in note
        assert c["sites"] == [f"{NEW_HOME}:{line}"] * 2
    page = html.unescape(render_html(rep))
    assert f"fn printed with '%llu' -> '%#llx' (33 -> 0x21) at seamcall_internal.h:{line}" in page


def test_a_filled_cache_names_the_same_conversions(tmp_path: Path) -> None:
    # The formats are kept in the outcome cache beside the outcomes: a run read from it says what the run said.
    cache = tmp_path / "cache"
    filled, cmp, _ = _evaluate(tmp_path, cache)
    first = _log_notes(cmp)
    ev, cmp, _ = _evaluate(tmp_path, cache)
    assert filled.result.executed > 0 and ev.result.executed == 0 and ev.result.cached == filled.result.executed
    assert _log_notes(cmp) == first and any(" printed with " in n for n in first)
    assert all(isinstance(n, ConversionNote) for d in cmp.differences for n in d.notes if " printed with " in n)


@pytest.mark.parametrize(("lines", "expected"), [
    (("\tpr_err(\"a %d b %s\\n\",", "\t       f(x, y), s->name);"), ("f(x, y)", "s->name")),
    (("\tWARN(cond, \"x %d, \" \"y %llx\\n\", a[1], (u64)b);",), ("a[1]", "(u64)b")),
    (("\tpr_err(\"a (%d)\\n\", 1);",), ("1",)),
    (("\tERR(x);",), ()),  # a macro of the code's own: which conversion reads what is not read here
    (("\tpr_err(\"unclosed %d\\n\", x",), ()),
])
def test_call_arguments_after_the_format(lines: tuple[str, ...], expected: tuple[str, ...]) -> None:
    sources = (Source("a/b.c", ((10, lines),), True),)
    assert call_arguments(sources, "a/b.c:10") == expected
    assert call_arguments(sources, "a/b.c:9") == () and call_arguments(sources, "a/c.c:10") == ()


def test_the_corpus_hash_prefix_patch_names_both_conversions(corpus_eval: Evaluation) -> None:
    # v3 02/26 turns 'failed: 0x%016llx' into '%#016llx' in seamcall_err(); 01/26 the leaf's '0x%016llx' into '%llu'.
    views = {c.label.split(":")[0]: c for c in corpus_eval.comparison.per_patch}
    hashed = _log_notes(views["v3 02/26"])
    assert hashed and all("printed with '0x%016llx' -> '%#016llx' (0x" in n for n in hashed), hashed
    err = [n for n in hashed if n.startswith("log: err printed with ")]
    assert err and all("'%#' counts the 0x inside the width, '0x%' does not) at tdx.c:" in n for n in err)
    assert "log: err printed with '0x%016llx' -> '%#016llx' (0x00000000000c0001 -> 0x000000000c0001; '%#' counts " \
           "the 0x inside the width, '0x%' does not) at tdx.c:66" in hashed
    assert any(n.startswith("log: args->rcx printed with '0x%016llx' -> '%#016llx' ") for n in hashed)
    decimal = _log_notes(views["v3 01/26"])
    assert "log: fn printed with '0x%016llx' -> '%llu' (0x0000000000000021 -> 33) at tdx.c:66" in decimal


def test_the_call_after_a_multi_line_call_is_named_at_its_own_line(tmp_path: Path) -> None:
    # pcpp numbered every line after a two-line pr_err() one late (models.cpp): the note said the line below the
    # call that printed.
    two_lines = '\tpr_err("SEAMCALL leaf %llu\\n",\n\t       fn);\n'
    before, after = _header(two_lines + _BEFORE), _header(two_lines + _AFTER)
    msgs = revision(5, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, before),)),
                        Step("x86/virt/tdx: Print SEAMCALL failures with %#", ((NEW_HOME, before, after),))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v5.mbox", msgs),), jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v5:02"]
    line = after.split("\n").index(_AFTER.rstrip("\n")) + 1
    notes = _log_notes(cmp)
    assert notes and all(n.endswith(f" at seamcall_internal.h:{line}") for n in notes), (line, notes)
    assert {n.split()[1] for n in notes} == {"fn", "err"}  # the arguments read from that line's call


def test_the_same_conversions_at_the_same_calls_are_one_note() -> None:
    # The same two lines' conversions recur under many outcomes, code groups and comparisons (each variant's own
    # Names): the note is made once, not a ConversionChange and a string per asking.
    from harness.convnotes import _conversions, _named

    fmt_a, fmt_b = "tdx: SEAMCALL (0x%016llx)\n", "tdx: SEAMCALL (%llu)\n"
    line_a, line_b = "tdx: SEAMCALL (0x0000000000000021)", "tdx: SEAMCALL (33)"
    found = _conversions(fmt_a, line_a, (15, 33), fmt_b, line_b, (15, 17))
    assert found is not None
    sites = ("a/tdx.c:66", "a/tdx.c:70")
    notes = [_named(found, sites, (lambda site: ("fn",), lambda site: ("fn",))) for _ in range(3)]
    assert notes[0] == "log: fn printed with '0x%016llx' -> '%llu' (0x0000000000000021 -> 33) at tdx.c:66 -> tdx.c:70"
    assert all(n is notes[0] for n in notes)
    other = _named(found, sites, (lambda site: ("leaf",), lambda site: ("leaf",)))
    assert other.startswith("log: leaf printed with ") and other.change.argument == "leaf"


def test_a_reordered_call_names_each_argument_with_its_own_conversion(tmp_path: Path) -> None:
    # 'pr_err("demo: %d %llx", code, ret)' made '"%llx %u", ret, code': code's '%d' -> '%u' was said as "ret printed
    # with '%d' -> '%llx'" and "code printed with '%llx' -> '%u'" (each conversion against the one in its place).
    from tests.harness.test_valueconv import _CALL, _PRINT, demo_log_notes

    notes = demo_log_notes(tmp_path, _CALL, _CALL.replace(_PRINT, 'pr_err("demo: %llx %u\\n", ret, code);'))
    assert "log: code printed with '%d' -> '%u' (-2147483631 -> 2147483665) at b.c:8" in notes, notes
    assert not [n for n in notes if "ret printed with" in n or "'%llx' -> '%u'" in n], notes


def test_another_width_on_both_sides_is_not_said_as_what_hash_counts(tmp_path: Path) -> None:
    # '%#016llx' -> '%#018llx' is '%#' on both sides: the note said "'%#' counts the 0x inside the width, '0x%' does
    # not", of a change that has no '0x%'. The widths are in the conversions named.
    from tests.harness.seriesgen import PREAMBLE, PRINTERS, TAIL, preparing_series

    wider = PREAMBLE + RETRY_SAFE + "\n" + PRINTERS.replace("%#016llx", "%#018llx") + TAIL
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(wider))
    cmp = evaluate(EvalRequest((mbox,), jobs=1, cache=None)).comparison.per_patch[1]
    notes = [n for n in _log_notes(cmp) if n.startswith("log: err printed with '%#016llx' -> '%#018llx'")]
    assert notes and not any("counts the 0x" in n for n in notes), _log_notes(cmp)
    assert "(0x000000000c0001 -> 0x00000000000c0001) at seamcall_internal.h:" in " ".join(notes), notes


def test_a_value_only_the_conversion_cut_is_named_in_every_run(tmp_path: Path) -> None:
    # 'pr_err("demo: %d %llx", code, fn)' made '%x' with a P-SEAMLDR-like leaf (bit 63 set): the run of the matrix's
    # own scenario said only "value '8000000000000001' -> '1'" (no note of its pair was a value printed differently,
    # so its conversions were never looked up), while the value runs beside it named '%llx' -> '%x'.
    from tests.harness.test_valueconv import _CALL, _PRINT, demo_log_notes

    before = _CALL.replace(_PRINT, 'pr_err("demo: %d %llx\\n", code, fn);')
    notes = demo_log_notes(tmp_path, before, before.replace("%d %llx", "%d %x"), "LDR = 0x8000000000000001")
    assert notes and set(notes) == {"log: fn printed with '%llx' -> '%x' (8000000000000001 -> 1) at b.c:8"}, notes


def test_a_conversion_of_a_pv_struct_format_is_not_named_by_the_calls_arguments() -> None:
    # The line's format is the struct va_format's (models.outcome.LogSource.inner): its '%llx' read the struct's
    # argument, not the call's (pr_err("%pV", &vaf) has one, &vaf); the conversions are said, no argument named.
    from harness.convnotes import name_conversions
    from models.machine import LogLine
    from models.outcome import LogSource, Outcome, OutcomeStatus

    notes = ("log: value '100000006' -> '6'",)
    pair = (Outcome(OutcomeStatus.OK, log=(LogLine("4", "low status 100000006"),)),
            Outcome(OutcomeStatus.OK, log=(LogLine("4", "low status 6"),)))
    names = (lambda site: ("&vaf",), lambda site: ("&vaf",))
    own = ((LogSource("low status %llx\n", "a.c:3"),), (LogSource("low status %x\n", "a.c:3"),))
    inner = ((LogSource("low status %llx\n", "a.c:3", True),), (LogSource("low status %x\n", "a.c:3", True),))
    assert name_conversions(notes, pair, own, names) == (
        "log: &vaf printed with '%llx' -> '%x' (100000006 -> 6) at a.c:3",)  # what the call's own format would say
    assert name_conversions(notes, pair, inner, names) == (
        "log: the value printed with '%llx' -> '%x' (100000006 -> 6) at a.c:3",)

"""harness.valueconv: the answers run where a patch prints an argument with another conversion.

harness.valueconv: the answers run where a patch prints an argument with another conversion, and end to end a
conversion change only answers past what the scripts answer print apart (was "no behaviour change")."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness import valuecover
from harness.cli import app
from harness.convnotes import name_conversions, no_names
from harness.valueconv import conversion_values, printed_apart, unprinted
from models.machine import LogLine
from models.outcome import LogSource, Outcome, OutcomeStatus
from tests.harness import seriesgen as gen
from tests.harness.test_value_cover_runs import OTHER, _header, _prepare, _printing, _series
from tests.harness.test_value_gate import RULE, _gate_series
from tests.mailgen import write_mbox
from tests.reportrows import scenario_id

# A branch only SMALL_STATUS (5) of the bundled matrix's answers takes (no other one's low byte is 5).
LOW = '\tif ((err & 0xff) == 5)\n\t\tpr_warn("low status %llx\\n", err);\n'


@pytest.mark.parametrize(("before", "after", "values"), [
    ("%llx", "%x", [0x100000005, 0xFFFFFFFF00000005]),  # past 32 bits
    ("%d", "%u", [0x80000005]),  # negative as a signed int
    ("%.2llx", "%02x", [0x100000005, 0xFFFFFFFF00000005]),
    ("%016llx", "%08llx", []),  # apart at 5 already: the script's own run shows it
    ("%llx", "%#llx", []),
])
def test_the_answers_run_are_the_scripts_raised_where_they_print_apart(before: str, after: str,
                                                                       values: list[int]) -> None:
    assert conversion_values([(before, after)], {5}) == values


def test_a_conversion_only_answers_past_32_bits_print_apart_is_run_and_said(tmp_path: Path) -> None:
    # '%llx' of err made '%x' of (u32)err: every scripted answer reaching the print is 5, printed alike; no
    # condition changed, so no value ran and the comparison read "no behaviour change" (the equivalence rule passed).
    after = LOW.replace("%llx", "%x").replace(", err)", ", (u32)err)")
    series = _series(_header(gen.RETRY_SAFE, LOW), _header(gen.RETRY_SAFE, after))
    cmp = _prepare(tmp_path, series)
    assert cmp["changed"], cmp["summary"]
    said = {cmp["notes"][i]: g["scenarios"] for g in cmp["differing"] for i in g["notes"]}
    # said by its conversions and call, as a matrix run's note of a value printed differently (it read
    # "log: value '100000005' -> '5'": the %x cut the value, so it was not the same value printed differently)
    named = "log: (u32)err printed with '%llx' -> '%x' ({} -> 5) at seamcall_internal.h:42"
    assert said[named.format("100000005")] == _printing("neighbour-0x100000005"), said
    assert said[named.format("ffffffff00000005")] == _printing("neighbour-0xffffffff00000005"), said
    assert [(c["argument"], c["before"], c["after"], c["printed"]) for c in cmp["conversions"]] == [
        ("(u32)err", "%llx", "%x", ["100000005", "5"]), ("(u32)err", "%llx", "%x", ["ffffffff00000005", "5"])]
    rule = _gate_series(tmp_path, series)
    assert rule["verdict"] == "fail", rule


def test_a_changed_conversion_whose_answers_are_not_run_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    # The patch also rewords the message every failing run prints (the comparison differs already) and the value
    # runs pass what is made then: the conversion is said with the answers that print it apart, not left unsaid.
    monkeypatch.setattr("harness.valuecover.DIFFERS_MAX", 1)
    after = LOW.replace("%llx", "%x").replace(", err)", ", (u32)err)")
    cmp = _prepare(tmp_path, _series(_header(gen.RETRY_SAFE, LOW), _header(gen.RETRY_SAFE, after).replace(
        ") failed: ", ") failed with ")))
    assert not any("neighbour-" in scenario_id(s) for s in cmp["extra_scenarios"]), cmp["extra_scenarios"]
    said = [u for u in cmp["undecided"] if u.startswith("a printk conversion changed, '%llx' -> '%x': the answers "
                                                        "that print the two apart (0x100000000, 0x100000005, ")]
    assert len(said) == 1 and said[0].endswith("were not run: the comparison differs already, and their 72 runs pass "
                                               "the 1 left of the 1 made then"), cmp["undecided"]


def test_a_changed_conversion_never_keeps_a_changed_conditions_answers_from_running(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A changed retry test (OTHER retried too: only its value run shows it) beside a changed conversion, where the
    # comparison differs already: the conversions' runs pushed the condition's past DIFFERS_MAX, and none ran.
    retry = gen.RETRY_BY_LEAF.replace("err != busy", f"(err != busy && err != {OTHER:#x}ULL)")
    after = LOW.replace("%llx", "%x").replace(", err)", ", (u32)err)")
    series = _series(_header(gen.RETRY_SAFE, LOW), _header(retry, after))
    plans: list[int] = []
    plan = valuecover._plan

    def counted(*args: Any) -> Any:
        made = plan(*args)
        plans.append(sum(len(todo) for *_, todo in made))
        return made
    monkeypatch.setattr("harness.valuecover._plan", counted)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _prepare(tmp_path / "a", _series(_header(gen.RETRY_SAFE, LOW), _header(retry, LOW)))  # the condition's alone
    cost = plans[0]
    monkeypatch.setattr("harness.valuecover.DIFFERS_MAX", cost)
    cmp = _prepare(tmp_path / "b", series)
    ids = {scenario_id(s) for s in cmp["extra_scenarios"]}
    assert f"seamcall/TDH_SYS_INIT/neighbour-{OTHER:#x}/tdx.c" in ids, ids
    assert any(u.startswith("a printk conversion changed, '%llx' -> '%x'") and f"pass the 0 left of the {cost}" in u
               for u in cmp["undecided"]), cmp["undecided"]



@pytest.mark.parametrize(("after", "printed", "said"), [
    # the %x cut the value the %llx printed: the same value, printed by another conversion
    ("%x", "6", "log: the value printed with '%llx' -> '%x' (100000006 -> 6) at a.c:3"),
    # not what %x prints of 0x100000006: the value changed too, said as another value, where and how it printed
    ("%x", "5", "log: value '100000006' -> '5' (at a.c:3, printed with '%llx' -> '%x')"),
    ("%d", "6", "log: the value printed with '%llx' -> '%d' (100000006 -> 6) at a.c:3"),
    ("%llx", "6", "log: value '100000006' -> '6' (at a.c:3)"),  # the same conversion: the value changed
])
def test_another_value_is_named_only_where_the_conversion_cut_it(after: str, printed: str, said: str) -> None:
    notes = (f"log: value '100000006' -> '{printed}'",)
    pair = (Outcome(OutcomeStatus.OK, log=(LogLine("4", "low status 100000006"),)),
            Outcome(OutcomeStatus.OK, log=(LogLine("4", f"low status {printed}"),)))
    sources = ((LogSource("low status %llx\n", "a.c:3"),), (LogSource(f"low status {after}\n", "a.c:3"),))
    assert name_conversions(notes, pair, sources, (no_names, no_names)) == (said,)


def test_another_value_says_the_argument_each_side_printed() -> None:
    # v2's seamldr_err() cleared bit 63 of fn and printed it '%lld'; v3's printed fn whole '%llx': the note said
    # only "value '0' -> '8000000000000000'", leaving the reader to find which argument and which call.
    notes = ("log: value '0' -> '8000000000000000'",)
    pair = (Outcome(OutcomeStatus.OK, log=(LogLine("3", "P (0) failed: 0x5"),)),
            Outcome(OutcomeStatus.OK, log=(LogLine("3", "P (8000000000000000) failed: 0x5"),)))
    sources = ((LogSource("P (%lld) failed: 0x%llx\n", "x/a.h:72"),),
               (LogSource("P (%llx) failed: 0x%llx\n", "x/a.h:91"),))
    names = (lambda site: ("fn & ~MASK", "err"), lambda site: ("fn", "err"))
    assert name_conversions(notes, pair, sources, names) == (
        "log: value '0' -> '8000000000000000' (fn & ~MASK -> fn at a.h:72 -> a.h:91, printed with '%lld' -> '%llx')",)


_CALL = """int demo_call(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	int code = (int)ret;

	pr_debug("demo: raw %u\\n", code);
	if (ret)
		pr_err("demo: %d %llx\\n", code, ret);
	return ret ? -EIO : 0;
}
"""
_PRINT = 'pr_err("demo: %d %llx\\n", code, ret);'


def _text_variant(name: str, text: str) -> Any:
    from harness.filestate import full_file
    from harness.variants import Variant

    return Variant(name, name, (full_file("d/b.c", text, name),), (), (), (), "test", None, None, None)


def test_a_glued_0x_made_a_hash_flag_is_no_conversion_change(tmp_path: Path) -> None:
    # '0x%llx' made '%#llx' prints every value alike (lib/vsprintf.c's number() writes 0x0 for '%#llx' of 0): the
    # conversions were read without the 0x written before them, '%llx' -> '%#llx', and the comparison said "a printk
    # conversion changed ... they print 0xa as 'a' -> '0xa'", a line the code never prints.
    text = gen.helpers(gen.RETRY_SAFE)
    mine = _LEAF_PRINT.replace("(%llu)", "(0x%llx)").replace("%#016llx", "0x%llx")
    mbox = write_mbox(tmp_path / "v2.mbox", _series(text.replace(_LEAF_PRINT, mine),
                                                    text.replace(_LEAF_PRINT, mine.replace("0x%llx", "%#llx"))))
    r = CliRunner().invoke(app, ["eval", str(mbox), "--variant", "v2:01", "--variant", "v2:02", "--json",
                                 str(tmp_path / "r.json"), "--time-budget", "0"])
    assert r.exit_code == 0, r.output
    cmp = next(c for c in json.loads((tmp_path / "r.json").read_text())["differences"]
               if c["label"].startswith("v2 02/3"))
    assert not cmp["changed"] and cmp["undecided"] == [], (cmp["summary"], cmp["undecided"])


@pytest.mark.parametrize(("edits", "pairs"), [
    # each argument printed as before, in another order: no conversion changed (it paired '%d' with '%llx')
    ([(_PRINT, 'pr_err("demo: %llx %d\\n", ret, code);')], []),
    # and one of them printed otherwise: that one
    ([(_PRINT, 'pr_err("demo: %llx %u\\n", ret, code);')], [("%d", "%u")]),
    # a conversion added in the middle: the others keep their own (it paired '%llx' with the new '%x')
    ([(_PRINT, 'pr_err("demo: %u %x %llx\\n", code, (u32)fn, ret);')], [("%d", "%u")]),
    # a 0x written before a conversion is read with it, as it prints: '%llx' -> '0x%llx'
    ([(_PRINT, 'pr_err("demo: %d 0x%llx\\n", code, ret);')], [("%llx", "0x%llx")]),
    # a print removed above the one changed: in its own region (it paired the removed '%u' with the new '%u')
    ([('\tpr_debug("demo: raw %u\\n", code);\n', ""), (_PRINT, 'pr_err("demo: %u %llx\\n", code, ret);')],
     [("%d", "%u")]),
])
def test_conversions_are_paired_by_their_argument_in_their_region(edits: list[tuple[str, str]],
                                                                  pairs: list[tuple[str, str]]) -> None:
    from harness.valueconv import changed_conversions

    after = _CALL
    for old, new in edits:
        after = after.replace(old, new)
    assert changed_conversions(_text_variant("a", _CALL), _text_variant("b", after)) == pairs


def test_a_0x_written_before_a_conversion_is_paired_with_it() -> None:
    from harness.valueconv import changed_conversions

    before = _CALL.replace(_PRINT, 'pr_err("demo: %d 0X%llx\\n", code, ret);')
    after = _CALL.replace(_PRINT, 'pr_err("demo: %d %#llX\\n", code, ret);')
    assert changed_conversions(_text_variant("a", before), _text_variant("b", after)) == [("0X%llx", "%#llX")]


def test_a_print_removed_above_leaves_the_changed_one_below_run(tmp_path: Path) -> None:
    # 'pr_debug("demo: raw %u", code)' removed (it prints nothing) and 'pr_err("demo: %d", code)' made '%u': paired in
    # file order, '%u' against '%u', no answer was raised and eval said "no behaviour change" (0x80000011, the answer
    # 0x11 raised past a signed int, tells them apart).
    before = _CALL.replace(_PRINT, 'pr_err("demo: %d\\n", code);')
    after = before.replace('\tpr_debug("demo: raw %u\\n", code);\n', "").replace("%d\\n", "%u\\n")
    notes = demo_log_notes(tmp_path, before, after)
    assert "log: code printed with '%d' -> '%u' (-2147483631 -> 2147483665) at b.c:8 -> b.c:7" in notes, notes


def demo_log_notes(tmp_path: Path, before: str, after: str, leaf: str = "ONE = 1") -> list[str]:
    """The log notes of eval's comparison across 2/2 of a series whose 1/2 adds d/b.c as ``before`` (a unit with
    demo_call() under the matrix's one ``leaf``, answered 0x11 and its raised neighbours) and 2/2 makes it
    ``after``."""
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import diff, message, patch_body, write_mbox

    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("add", diff("d/Makefile", "obj-y += y.o\n",
                                                                             "obj-y += b.o y.o\n")
                                                              + diff("d/b.c", None, before)), parent="c@x"),
            message("[PATCH 2/2] demo: tidy", "p2@x", patch_body("tidy", diff("d/b.c", before, after)), parent="c@x")]
    (tmp_path / "m.toml").write_text(
        f'[codes]\nOK = 0\nA = 0x11\n[leaves]\n{leaf}\n[[unit]]\nname = "u"\npath = "d/b.c"\n[[entry]]\n'
        'name = "demo_call"\nargs = ["fn", "args"]\n[[script]]\nname = "a"\nanswers = ["A"]\n')
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", msgs),), matrix=tmp_path / "m.toml", jobs=1,
                              cache=None))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v1:02"]
    return [n for d in cmp.differences for n in d.notes if n.startswith("log: ")]


_LEAF_PRINT = 'pr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);'  # seriesgen's print of a failed leaf


@pytest.mark.parametrize(("before", "after", "leaves", "said"), [
    # every leaf the matrix gives is 9 or less: decimal and hex print them alike
    ("(%llu)", "(%llx)", {"33": "3", "35": "5", "0x8000000000000000": "8", "0x8000000000000001": "9"},
     "'%llu' -> '%llx': no scenario printed them apart (what they print, the leaf or another value, printed alike "
     "in every run); they print 0xa as '10' -> 'a' (lib/vsprintf.c)"),
    # every leaf fills the width: '0x%016llx' and '0x%llx' print them alike (said with the 0x each prints: it read
    # "'%016llx' -> '%llx' ... 0xa as '000000000000000a' -> 'a'", which no line of the code prints)
    ("(0x%016llx)", "(0x%llx)", {"33": "0x1000000000000021", "35": "0x1000000000000023"},
     "'0x%016llx' -> '0x%llx': no scenario printed them apart (what they print, the leaf or another value, printed "
     "alike in every run); they print 0xa as '0x000000000000000a' -> '0xa' (lib/vsprintf.c)"),
])
def test_a_leafs_changed_conversion_no_leaf_run_prints_apart_is_said(tmp_path: Path, before: str, after: str,
                                                                      leaves: dict[str, str], said: str) -> None:
    # The raised answers show a conversion of the status only; one of the leaf printed alike at every leaf the
    # matrix runs, and the comparison read "no behaviour change", the equivalence rule passed.
    matrix = (Path(__file__).parents[2] / "series" / "p-seamldr" / "matrix.toml").read_text()
    for old, new in leaves.items():
        matrix, n = re.subn(rf"= {old}\n", f"= {new}\n", matrix)
        assert n == 1, old
    (tmp_path / "m.toml").write_text(matrix)
    text = gen.helpers(gen.RETRY_SAFE)
    assert text.count(_LEAF_PRINT) == 1
    one = _LEAF_PRINT.replace("(%llu)", before)
    mbox = write_mbox(tmp_path / "v2.mbox", _series(text.replace(_LEAF_PRINT, one),
                                                    text.replace(_LEAF_PRINT, one.replace(before, after))))
    run = ["--matrix", str(tmp_path / "m.toml"), "--time-budget", "0"]
    r = CliRunner().invoke(app, ["eval", str(mbox), "--variant", "v2:01", "--variant", "v2:02", "--json",
                                 str(tmp_path / "r.json"), *run])
    assert r.exit_code in (0, 1), r.output
    cmp = next(c for c in json.loads((tmp_path / "r.json").read_text())["differences"]
               if c["label"].startswith("v2 02/3"))
    assert cmp["undecided"] == ["a printk conversion changed, " + said], cmp["undecided"]
    assert cmp["summary"][0].endswith("but the patch changes a printk conversion that none of them tells apart")
    (tmp_path / "r.toml").write_text(RULE)
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "r.toml"), "--json",
                                 str(tmp_path / "g.json"), *run])
    assert r.exit_code in (0, 1), r.output
    (rule,) = json.loads((tmp_path / "g.json").read_text())["rules"]
    assert rule["verdict"] == "inconclusive" and said in rule["note"], rule


@pytest.mark.parametrize(("lines", "apart"), [
    # the literal text changed with the conversion: the line is said by its text, yet the leaf printed apart
    ((("t: SEAMCALL (0x0000000000000021) failed: 0x5", "t: SEAMCALL 0x21 failed: 0x5"),), True),
    # a leaf that fills the width prints alike: only the parentheses differ
    ((("t: SEAMCALL (0x8000000000000001) failed: 0x5", "t: SEAMCALL 0x8000000000000001 failed: 0x5"),), False),
    ((("t: SEAMCALL (0x0000000000000021) failed", "t: SEAMCALL 0x22 failed"),), False),  # another value after
    ((), False),
])
def test_a_line_whose_text_changed_too_shows_the_conversions_printed_apart(lines: tuple[tuple[str, str], ...],
                                                                          apart: bool) -> None:
    pair = ("0x%016llx", "%#llx")
    assert printed_apart(pair, lines) is apart
    said = unprinted([pair], [], (), lines)
    assert (said == ()) is apart, said

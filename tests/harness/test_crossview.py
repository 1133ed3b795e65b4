"""The cross-check as reports show it: from the text vs the expansion per variant, reasons once across variants."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from harness.cli import app
from harness.crossview import (
    FALLBACK,
    NOT_COMPARED,
    CrossRow,
    counted,
    group_reasons,
    headline,
    merge_entries,
    reason_lines,
    split_counted,
    tone,
    variant_span,
)
from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox

SCHEMA = Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json"
ORDER = ["v1:00", "v1:01", "v1:02", "v1:03", "v1", "v2:00", "v2:01", "v2", "fix-a", "fix-b"]


def _row(name: str, compared: int = 4, text: int = 2, not_compared: tuple[str, ...] = (),
         fallback: tuple[str, ...] = ()) -> CrossRow:
    return CrossRow(name, compared, compared, not_compared, (), "gcc", text, text, fallback, 3, 1)


def test_variant_spans_are_ranges_of_one_revision_in_order() -> None:
    assert variant_span(["v1:00", "v1:01", "v1:02", "v1:03", "v1"], ORDER) == "v1:00..v1:03, v1 (5 variants)"
    assert variant_span(["v1:01", "v1:00"], ORDER) == "v1:00, v1:01"
    # A gap breaks a range, a range never crosses revisions; reviewer variants are named one by one.
    assert variant_span(["v1:00", "v1:01", "v1:03", "v1", "v2:00", "v2:01"], ORDER) == \
        "v1:00, v1:01, v1:03, v1, v2:00, v2:01 (6 variants)"
    assert variant_span(["v1:02", "v1:03", "v1", "fix-b", "fix-a"], ORDER) == \
        "v1:02, v1:03, v1, fix-a, fix-b (5 variants)"
    assert variant_span(["v1:00", "v1:01", "v1:02"], ORDER) == "v1:00..v1:02"


def test_a_span_inside_parentheses_counts_first_never_closing_with_two() -> None:
    # crosscheck's headline ended '... known only from hunks (v1:00..v1:03, v1, ..., yilun-either-code (16
    # variants))' on the corpus; a reason's counts '(32 scenarios in v1:00..v1:03, v1 (5 variants))' likewise.
    names = ["v1:00", "v1:01", "v1:02", "v1:03", "v1"]
    assert variant_span(names, ORDER, inside=True) == "5 variants: v1:00..v1:03, v1"
    assert variant_span(names[:3], ORDER, inside=True) == "v1:00..v1:02"
    rows = tuple(_row(n, fallback=("f (u.c): demo/h.h is known only from hunks: gcc reads whole files (give --tree)",))
                 for n in names)
    said = headline(rows)
    assert said.endswith("known only from hunks (5 variants: v1:00..v1:03, v1)") and "))" not in said, said


def test_counted_reasons_round_trip() -> None:
    assert split_counted(counted("f: the mirror did not run it: x.c:3: asm", 1)) == \
        ("f: the mirror did not run it: x.c:3: asm", 1)
    assert split_counted(counted("why (with brackets)", 66)) == ("why (with brackets)", 66)
    assert split_counted("no count here") == ("no count here", None)


def test_identical_reasons_are_grouped_with_their_counts() -> None:
    rows = (_row("v1:00", not_compared=(counted("f: asm", 32), counted("g: hunks", 3))),
            _row("v1:01", not_compared=(counted("f: asm", 32),)),
            _row("v1:02", not_compared=(counted("f: asm", 34),)),
            _row("fix-a", not_compared=(counted("g: hunks", 1),)))
    groups = group_reasons(rows, lambda r: r.not_compared)
    assert [(g.reason, g.variants) for g in groups] == [("f: asm", ("v1:00", "v1:01", "v1:02")),
                                                        ("g: hunks", ("v1:00", "fix-a"))]
    assert groups[0].counts(ORDER) == " (32 scenarios in v1:00, v1:01; 34 in v1:02)"
    assert groups[1].counts(ORDER) == " (3 scenarios in v1:00; 1 in fix-a)"
    assert group_reasons(rows[1:2], lambda r: r.not_compared)[0].counts(ORDER) == " (32 scenarios)"
    alike = group_reasons(rows[:2], lambda r: r.not_compared)[0]
    assert alike.counts(ORDER) == " (32 scenarios each)"
    assert [(ln.variants, ln.kind, ln.reason) for ln in reason_lines(rows)] == [
        ("v1:00..v1:02", NOT_COMPARED, "f: asm (32 scenarios in v1:00, v1:01; 34 in v1:02)"),
        ("v1:00, fix-a", NOT_COMPARED, "g: hunks (3 scenarios in v1:00; 1 in fix-a)")]


def test_fallback_entry_points_of_one_reason_and_variants_are_one_line() -> None:
    hunks = "a/b.h is known only from hunks: gcc reads whole files (give --tree)"
    rows = (_row("v1:00", fallback=(f"f (x.c): {hunks}", f"g (x.c): {hunks}", f"g (y.c): {hunks}")),
            _row("v1:01", fallback=(f"f (x.c): {hunks}", f"g (x.c): {hunks}", f"g (y.c): {hunks}")),
            _row("v1:02", fallback=(f"f (x.c): {hunks}", "h (x.c): gcc refuses it: x.c:3: error: e")))
    merged = merge_entries(group_reasons(rows, lambda r: r.fallback))
    assert [(g.reason, g.variants) for g in merged] == [
        (f"f (x.c): {hunks}", ("v1:00", "v1:01", "v1:02")),
        (f"g (x.c), g (y.c): {hunks}", ("v1:00", "v1:01")),
        ("h (x.c): gcc refuses it: x.c:3: error: e", ("v1:02",))]
    lines = reason_lines(rows)
    assert {ln.kind for ln in lines} == {FALLBACK}
    assert lines[0].variants == "v1:00..v1:02"
    # Every fact is kept: each entry point a variant fell back for is named on a line that names that variant.
    for r in rows:
        for why in r.fallback:
            entry, _, rest = why.partition(": ")
            assert any(entry in ln.reason and ln.reason.endswith(": " + rest) and r.variant in _named(ln.variants)
                       for ln in lines), why


def _named(text: str) -> set[str]:
    """The variants a span names, its ranges read back through ORDER."""
    out: set[str] = set()
    for part in re.sub(r" \(\d+ variants\)$", "", text).split(", "):
        first, _, last = part.partition("..")
        out.update(ORDER[ORDER.index(first): ORDER.index(last) + 1] if last else [first])
    return out


def test_agreement_from_the_expansion_is_never_independent() -> None:
    from_text = (_row("a", compared=4, text=4),)
    partly = (_row("a", compared=4, text=1),)
    assert tone(from_text) == "pass" and tone(partly) == "partial"
    assert tone((_row("a", compared=0, text=0),)) == "fail"  # nothing compared: no agreement claimed
    assert [r.tone for r in (*from_text, *partly, _row("b", compared=0, text=0))] == ["pass", "partial", "na"]
    assert headline(partly) == ("4 of 4 outcomes agree: 1 of 1 built from the variants' own text (an independent "
                                "check); 3 of 3 from the mirror's expansion (not independent)")
    assert partly[0].expansion_compared == 3 and partly[0].expansion_agreed == 3


# -- eval --crosscheck on a generated series: one header whole (gcc builds it from its text), one known from hunks --

OTHER = "demo/other.h"
OTHER_OLD = "/* other helpers */\n#define DEMO_OTHER_LEAF 7\n\n#define DEMO_OTHER_END 1\n"
OTHER_NEW = OTHER_OLD.replace("\n\n", """
static inline u64 demo_other(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);

	if (ret)
		pr_err("other %#llx\\n", ret);
	return ret;
}

""")


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("crossview")
    helper = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
    cover = "cover-v2@example.org"
    msgs = [message("[PATCH v2 0/2] demo: helpers", cover, "Two helpers.\n"),
            message("[PATCH v2 1/2] demo: retry helper", "p1@x", patch_body("Add it.", diff(HELPER, None, helper)),
                    parent=cover, refs=(cover,)),
            message("[PATCH v2 2/2] demo: other helper", "p2@x",
                    patch_body("Add another.", diff(OTHER, OTHER_OLD, OTHER_NEW)), parent=cover, refs=(cover,))]
    mbox = write_mbox(tmp / "s.mbox", msgs)
    matrix = tmp / "matrix.toml"
    matrix.write_text(MATRIX + '\n[[entry]]\nname = "demo_other"\n')
    return mbox, matrix


@pytest.fixture(scope="module")
def runs(series: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result, Result]:
    """eval --crosscheck of the series (its JSON and page in the folder given) and crosscheck of it, at 200 columns,
    each run once for the tests that read them (each test ran its own, two of each in all)."""
    from harness import console

    tmp = tmp_path_factory.mktemp("crossruns")
    mbox, matrix = series
    common = [str(mbox), "--matrix", str(matrix), "--jobs", "1"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp / "xdg"))
        mp.setenv("COLUMNS", "200")
        console.out.cache_clear()  # made for this width (tests/conftest.py _fresh_consoles comes after this)
        console.err.cache_clear()
        ev = CliRunner().invoke(app, ["eval", *common, "--crosscheck", "--json", str(tmp / "r.json"),
                                      "--html", str(tmp / "r.html")])
        cc = CliRunner().invoke(app, ["crosscheck", *common])
    console.out.cache_clear()
    console.err.cache_clear()
    return tmp, ev, cc


def test_eval_crosscheck_reports_text_and_expansion_apart(runs: tuple[Path, Result, Result]) -> None:
    tmp_path, out, _ = runs
    assert out.exit_code == 0, out.output
    data = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    v2 = data["crosscheck"]["v2"]
    text, expansion = v2["from_text"], v2["from_expansion"]
    # demo_retry and demo_prerr from helper.h's text; demo_other's other.h is known only from hunks.
    assert text["compared"] == text["agreed"] > 0 and expansion["compared"] == expansion["agreed"] > 0
    assert text["compared"] + expansion["compared"] == v2["compared"] == v2["agreed"]
    assert expansion["why"] == ["demo_other (demo.c): demo/other.h is known only from hunks: gcc reads whole "
                                "files (give --tree)"]
    assert v2["log_records"]["libc"] > 0
    assert data["crosscheck"]["v2:01"]["from_expansion"] == {"compared": 0, "agreed": 0, "why": []}
    html = (tmp_path / "r.html").read_text()
    assert 'id="crosscheck"' in html and "demo_other (demo.c): demo/other.h is known only from hunks" in html
    assert f"{text['agreed']}/{text['compared']} from its text" in html
    # Agreement that rests partly on the expansion is never shown as a plain pass.
    assert '<p class="partial">' in html and "(not independent)" in html
    fell_back = "built from the mirror's expansion, its own text not built: demo_other (demo.c)"
    assert fell_back in out.stdout.replace("\n", " ")


def test_eval_and_crosscheck_count_alike(runs: tuple[Path, Result, Result]) -> None:
    tmp_path, ev, cc = runs
    assert ev.exit_code == cc.exit_code == 0, (ev.output, cc.output)
    data = json.loads((tmp_path / "r.json").read_text())["crosscheck"]
    for name, v in data.items():
        row = next(ln for ln in cc.stdout.splitlines() if ln.split()[:1] == [name])
        f, e, logs = v["from_text"], v["from_expansion"], v["log_records"]
        want = [v["compared"], v["agreed"], f"{f['agreed']}/{f['compared']}", f"{e['agreed']}/{e['compared']}",
                sum(int(re.sub(r".*\((\d+) scenarios?\)$", r"\1", w)) for w in v["not_compared"]),
                f"{logs['libc']}/{logs['mirror']}"]
        # A state eval calls base carries '(base)' after its name, as eval's own table does.
        cells = [c for c in row.split()[1:] if c != "(base)"]
        assert cells == [str(w) for w in want], (row, v)


def test_a_fallback_to_the_expansion_for_hunks_alone_says_give_tree(series: tuple[Path, Path], tmp_path: Path,
                                                                     runs: tuple[Path, Result, Result],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # crosscheck without --tree: demo_other()'s other.h is known only from hunks, so its runs were built from the
    # mirror's expansion (not independent); the summary said so but not what would build them from v2's own text.
    from tests.gitoracle import init_repo

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("COLUMNS", "200")
    mbox, matrix = series
    common = [str(mbox), "--matrix", str(matrix), "--jobs", "1"]
    hint = "give --tree to build from their own text the entry points whose files are known only from hunks"
    alone = runs[2]  # crosscheck ... --jobs 1 at 200 columns
    assert alone.exit_code == 0 and f"{hint} (v2:02, v2)" in " ".join(alone.stdout.split()), alone.output
    tree = init_repo(tmp_path / "tree", {OTHER: OTHER_OLD, "demo/demo.c": '#include "helper.h"\n#include "other.h"\n'})
    whole = CliRunner().invoke(app, ["crosscheck", *common, "--tree", str(tree), "--base", "HEAD"])
    # Every file read whole: what falls back there does so for gcc's own reasons (this tree has no linux/types.h).
    assert whole.exit_code == 0 and "known only from hunks" not in whole.stdout, whole.output
    said = " ".join(whole.stdout.split())
    assert "built from the mirror's expansion, its own text not built: demo_other" in said, whole.output
    assert "give --tree" not in whole.stdout, whole.output
    # The headline eval's reports share says it too, and only of a fallback for hunks alone.
    hunks = _row("v2", fallback=("demo_other (demo.c): demo/other.h is known only from hunks: gcc reads whole files "
                                 "(give --tree)",))
    assert headline((hunks,)).endswith(f"(not independent); {hint} (v2)")
    refused = _row("v2", fallback=("demo_other (demo.c): gcc refuses it: demo/other.h:3: error: x",))
    assert headline((refused,)).endswith("(not independent)")

"""What a patch changes that no entry point reaches (harness.reach.unreached_changes), and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.harness.variantgen import MATRIX, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox

BASE = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")


def test_a_new_seamcall_path_the_matrix_cannot_feed_says_why_it_did_not_run(tmp_path: Path) -> None:
    # A new P-SEAMLDR call path taking an image: it reaches a SEAMCALL, but no feed fits 'const u8 *image'. Before:
    # 'not compared: demo_install() (demo/h.h:N), which no entry point reaches', as if nothing could run it.
    install = ("\nint demo_install(const u8 *image, u64 fn)\n{\n\tstruct tdx_module_args args = {};\n\n"
               "\treturn image ? demo_prerr(fn, &args) : -22;\n}\n")
    msgs = [message("[PATCH 1/2] demo: add helpers", "r1@x", patch_body("Add.", diff("demo/h.h", None, BASE))),
            message("[PATCH 2/2] demo: add install", "r2@x", patch_body("Add.", diff("demo/h.h", BASE,
                                                                                    BASE + install)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "r.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    (said,) = cmp.unreached
    assert said.startswith("demo_install() (demo/h.h:") and said.endswith(
        "; it reaches a SEAMCALL, but the matrix cannot feed its parameter 'const u8 *image' (an input: what callers "
        "put there is not known): a [params] feed or an "
        "[[entry]] runs it)"), said


def test_a_helper_whose_caller_a_hunk_shows_in_part_is_not_said_to_be_reached_by_no_entry_point(tmp_path: Path
                                                                                                ) -> None:
    # The patch adds demo_need_retry() and calls it from demo_retry()'s loop, whose body the hunks do not show
    # whole (no tree): the call is seen, who reaches demo_retry() is not. Before: 'not compared: demo_need_retry()
    # (demo/h.h:N), which no entry point reaches', which the hunk itself shows is not known.
    helper = "static inline bool demo_need_retry(u64 error_code)\n{\n\treturn error_code == DEMO_BUSY;\n}\n\n"
    new = BASE.replace("static inline u64 demo_retry", helper + "static inline u64 demo_retry").replace(
        "while (ret == DEMO_BUSY && --tries)", "while (demo_need_retry(ret) && --tries)")
    msgs = [message("[PATCH] demo: a helper for the retry test", "r1@x", patch_body("Add.",
                                                                                      diff("demo/h.h", BASE, new, 1)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "r.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:01")
    said = next(u for u in cmp.unreached if u.startswith("demo_need_retry()"))
    line = 1 + new.splitlines().index("\t} while (demo_need_retry(ret) && --tries);")
    assert said.endswith(f"; a hunk shows a call of it at demo/h.h:{line}, in code the hunks do not show whole: "
                         "give --tree)"), said
    assert f"not compared: {said}, which no entry point is known to reach" in cmp.summary()
    assert not any("which no entry point reaches" in s for s in cmp.summary() if "demo_need_retry" in s)


def test_the_verdict_says_known_when_every_unreached_place_has_a_call_a_hunk_shows() -> None:
    from harness.comparison import SEEN_CALL, Comparison

    seen = f"f() (a.h:3; a hunk shows a call of it at a.h:9, {SEEN_CALL})"
    only = Comparison("patch", "v1:00", "v1:01", "v1 01/1", None, (), 4, compared=4, unreached=(seen,))
    assert only.verdict().endswith("but the patch also changes code no entry point is known to reach")
    both = Comparison("patch", "v1:00", "v1:01", "v1 01/1", None, (), 4, compared=4, unreached=(seen, "g() (a.h:20)"))
    assert both.verdict().endswith("but the patch also changes code no entry point reaches")
    assert both.uncovered() == [f"not compared: {seen}, which no entry point is known to reach",
                                "not compared: g() (a.h:20), which no entry point reaches"]


def test_what_reaches_a_seamcall_is_found_in_linear_time() -> None:
    """A chain of functions each calling the next toward the SEAMCALL, listed from its far end: the fixed point
    added one name per pass over every definition, and the reach report asked it again for every unreached
    function (2707debb^: minutes for 3,000). Counted, not timed: the lines of harness.discover and harness.reach run
    for n functions and for twice as many grow some twice (the passes: four times)."""
    from types import SimpleNamespace

    import harness.discover
    import harness.reach
    from harness.discover import reaches_seam
    from harness.reach import _unrunnable
    from models.slicer import slice_fragment
    from tests.linesrun import lines_at

    def run(n: int) -> None:
        text = "".join(f"static int f{i}(int x)\n{{\n\treturn f{i - 1}(x);\n}}\n" for i in range(n - 1, 0, -1))
        text += "static int f0(int x)\n{\n\treturn __seamcall(x, 0);\n}\n"
        text += "".join(f"static int g{i}(int x)\n{{\n\treturn x + {i};\n}}\n" for i in range(n))
        table = {d.name: [d] for d in slice_fragment(text.splitlines(), "chain.c", 1)}
        reached = reaches_seam(table)
        said = [_unrunnable(table, f"g{i}", SimpleNamespace(matrix=None)) for i in range(n)]  # type: ignore[arg-type]
        assert reached == {f"f{i}" for i in range(n)} and said == [""] * n

    small, big = lines_at(run, (200, 400), harness.discover, harness.reach)
    assert 0 < big <= 2.2 * small, (small, big)


def test_a_hunk_applied_at_an_offset_is_judged_where_git_apply_put_it(tmp_path: Path) -> None:
    # The tree's file has ten lines more at its top than the patch's base: git apply places the hunk ten lines
    # further on. Its changed line is demo_unused()'s, which no entry point reaches; read by the hunk's own line
    # number it fell in demo_retry(), which runs, and the patch was 'no behaviour change'.
    from tests.gitoracle import git, init_repo

    h = ("static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)\n{\n"
         "\tu64 ret = __seamcall(fn, args);\n\n\treturn ret;\n}\n\n"
         "static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n"
         "{\n\treturn demo_retry(fn, args) ? -5 : 0;\n}\n\n"
         "static inline int demo_unused(u64 fn)\n{\n\treturn (int)fn + 1;\n}\n")
    pad = "".join(f"/* line {n} */\n" for n in range(1, 11))
    tree = init_repo(tmp_path / "tree", {"demo/h.h": pad + h, "demo/demo.c": '#include "h.h"\n'})
    text = diff("demo/h.h", h, h.replace("fn + 1", "fn + 2"))
    (tmp_path / "p.diff").write_text(text)
    out = git(tree, "apply", "-v", "--check", str(tmp_path / "p.diff")).stderr.decode()
    assert "Hunk #1 succeeded at 22 (offset 10 lines)." in out  # the oracle: where git apply puts it
    mbox = write_mbox(tmp_path / "o.mbox", [message("[PATCH] demo: unused returns more", "o1@x",
                                                    patch_body("No functional change.", text))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", tree=tree, base="HEAD", cache=None, jobs=1))
    (cmp,) = ev.comparison.per_patch
    assert cmp.unreached == ("demo_unused() (demo/h.h:25)",), cmp.summary()
    assert "but the patch also changes code no entry point reaches" in cmp.summary()[0]


def _second_patch(tmp_path: Path, first: str, second: str, tag: str, subject: str, says: str) -> Any:
    """The comparison of a two-patch v1 that adds demo/h.h as ``first`` and then makes it ``second`` (``subject``,
    its body ``says``), under the demo matrix with no outcome cache."""
    msgs = [message("[PATCH 1/2] demo: add helpers", f"{tag}1@x", patch_body("Add.", diff("demo/h.h", None, first))),
            message(f"[PATCH 2/2] demo: {subject}", f"{tag}2@x", patch_body(says, diff("demo/h.h", first, second)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / f"{tag}.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    return next(c for c in ev.comparison.per_patch if c.b == "v1:02")


def test_a_constant_that_code_no_entry_point_reaches_uses_is_said_unreached(tmp_path: Path) -> None:
    # 02 changes DEMO_BUDGET, which only demo_budget() uses, and no entry point reaches demo_budget(): the patch
    # read 'no behaviour change' and named nothing unreached, where the same change written inside demo_budget()'s
    # body is 'not compared: demo_budget() (...), which no entry point reaches'.
    budget = "#define DEMO_BUDGET 3\n\nstatic inline int demo_budget(void)\n{\n\treturn DEMO_BUDGET * 2;\n}\n\n"
    first, second = budget + BASE, budget.replace("BUDGET 3", "BUDGET 4") + BASE
    cmp = _second_patch(tmp_path, first, second, "b", "raise the budget", "More.")
    assert cmp.unreached == ("DEMO_BUDGET (demo/h.h:1; demo_budget() uses it)",), cmp.summary()
    assert "but the patch also changes code no entry point reaches" in cmp.summary()[0], cmp.summary()


def test_a_constant_only_reached_code_uses_is_covered(tmp_path: Path) -> None:
    # DEMO_BUSY is read by demo_retry(), which runs: its change is compared, nothing is said unreached.
    first = BASE
    second = BASE.replace("0x8000000000000010ULL", "0x8000000000000011ULL")
    cmp = _second_patch(tmp_path, first, second, "c", "another busy code", "Busy.")
    assert cmp.unreached == (), cmp.summary()


def test_a_constant_used_through_another_macro_by_unreached_code_is_said_unreached(tmp_path: Path) -> None:
    # DEMO_BUDGET reaches demo_budget() through DEMO_MAX: it read 'no behaviour change', as a plain macro only a
    # plain macro uses changed nothing.
    budget = ("#define DEMO_BUDGET 3\n#define DEMO_MAX (DEMO_BUDGET * 2)\n\nstatic inline int demo_budget(void)\n"
              "{\n\treturn DEMO_MAX;\n}\n\n")
    first, second = budget + BASE, budget.replace("BUDGET 3", "BUDGET 4") + BASE
    cmp = _second_patch(tmp_path, first, second, "m", "raise the budget", "More.")
    assert cmp.unreached == ("DEMO_BUDGET (demo/h.h:1; demo_budget() uses it)",), cmp.summary()


def test_a_line_in_no_definition_the_hunks_show_whole_is_not_said_to_be_reached_by_none(tmp_path: Path) -> None:
    # From mail alone a hunk changing demo_prerr()'s pr_err() line shows demo_prerr() in part: the line read 'which
    # no entry point reaches', where demo_prerr() is an entry point itself.
    new = BASE.replace("%llu", "%#llx")
    msgs = [message("[PATCH] demo: print the leaf in hex", "w1@x", patch_body("Hex.", diff("demo/h.h", BASE, new, 1)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "w.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:01")
    line = 1 + new.splitlines().index('\t\tpr_err("DEMO (%#llx) failed: 0x%016llx\\n", fn, ret);')
    assert f"not compared: demo/h.h:{line} (in no definition the hunks show whole: give --tree), which no entry " \
           "point is known to reach" in cmp.summary(), cmp.summary()


def test_the_lines_left_out_are_counted_in_english(tmp_path: Path) -> None:
    # Two file-scope lines no entry point reaches, one place said: '1 more places' was said of the other. (A file's
    # lines are one place, 'demo/h.h:9000-9001': these are two files' lines.)
    from harness.reach import unreached_lines

    (tmp_path / "m.toml").write_text(MATRIX)
    msgs = [message("[PATCH 1/2] demo: add helpers", "b1@x", patch_body("Add.", diff("demo/h.h", None, BASE))),
            message("[PATCH 2/2] demo: same", "b2@x", patch_body("Same.", diff("demo/h.h", BASE, BASE + "\n")))]
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "b.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    states = (ev.result.variant("v1:01"), ev.result.variant("v1:02"))
    lines = [(1, "demo/h.h", 9000, "int a;"), (1, "demo/other.h", 9001, "int b;")]
    assert len(unreached_lines(lines, states, ev.result)) == 2
    three = [(1, "demo/h.h", n, "int x;") for n in (9000, 9001, 9003)]
    assert unreached_lines(three, states, ev.result) == ("demo/h.h:9000-9001, 9003 (file scope)",)
    assert unreached_lines(lines, states, ev.result, limit=1)[1:] == ("1 more place",)


_PAD = "".join(f"/* pad {i} */\n" for i in range(12))


def _tree_change(tmp_path: Path, before: str, after: str, user: str, base: str = BASE) -> Any:
    """The comparison of one patch making the first lines of a tree's demo/h.h, ``before``, ``after``, with --tree;
    ``base`` follows them, then demo_limit() (``user`` its body), which no entry point reaches."""
    from tests.gitoracle import init_repo

    rest = "\n" + base + _PAD + f"static inline int demo_limit(void)\n{{\n\t{user}\n}}\n"
    tree = init_repo(tmp_path / "tree", {"demo/h.h": before + rest, "demo/demo.c": '#include "h.h"\n'})
    body = patch_body("More.", diff("demo/h.h", before + rest, after + rest))
    mbox = write_mbox(tmp_path / "t.mbox", [message("[PATCH] demo: raise the limit", "t1@x", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", tree=tree, base="HEAD", cache=None, jobs=1))
    (cmp,) = ev.comparison.per_patch
    return cmp


_ENUM_BUSY = BASE.replace("#define DEMO_BUSY 0x8000000000000010ULL\n", "")  # DEMO_BUSY an enumerator instead


@pytest.mark.parametrize(("before", "after", "user", "said"), [
    ("static int DEMO_LIMIT = 3;", "static int DEMO_LIMIT = 4;", "return DEMO_LIMIT;", "DEMO_LIMIT (demo/h.h:1"),
    ("static int DEMO_LIMIT;", "static long DEMO_LIMIT;", "return DEMO_LIMIT;", "DEMO_LIMIT (demo/h.h:1"),
    # DEMO_BUSY, an enumerator of the same enum, is read by demo_retry(), which runs: not the one the line defines.
    ("enum demo_codes {\n\tDEMO_BUSY = 0x8000000000000010ULL,\n\tDEMO_LIMIT = 3,\n};",
     "enum demo_codes {\n\tDEMO_BUSY = 0x8000000000000010ULL,\n\tDEMO_LIMIT = 4,\n};",
     "return DEMO_LIMIT;", "DEMO_LIMIT (demo/h.h:3"),
    # DEMO_NEXT, which counts on from DEMO_LIMIT, moves with it; DEMO_LIMIT itself nothing uses.
    ("enum demo_codes {\n\tDEMO_LIMIT = 3,\n\tDEMO_NEXT,\n};", "enum demo_codes {\n\tDEMO_LIMIT = 4,\n\tDEMO_NEXT,\n};",
     "return DEMO_NEXT;", "DEMO_NEXT (demo/h.h:2"),
    ("struct demo_lim {\n\tint n;\n};", "struct demo_lim {\n\tu8 n;\n};",
     "struct demo_lim l = { .n = 300 };\n\n\treturn l.n;", "demo_lim (demo/h.h:2"),
    ("typedef int demo_lim;", "typedef u8 demo_lim;", "demo_lim n = 300;\n\n\treturn n;", "demo_lim (demo/h.h:1"),
])
def test_a_declaration_only_unreached_code_uses_is_said_unreached(tmp_path: Path, before: str, after: str, user: str,
                                                                   said: str) -> None:
    # With --tree, only a plain macro was followed to the code that uses it: a variable's value or type, an enumerator,
    # a member's type or a typedef that only demo_limit() reads read 'no behaviour change', nothing said unreached,
    # where the same change inside demo_limit()'s body is 'demo_limit() (...), which no entry point reaches'.
    cmp = _tree_change(tmp_path, before, after, user, _ENUM_BUSY if "DEMO_BUSY" in before else BASE)
    assert cmp.unreached == (f"{said}; demo_limit() uses it)",), cmp.summary()
    assert cmp.summary()[0].endswith("but the patch also changes code no entry point reaches"), cmp.summary()


def test_a_declaration_added_with_its_unreached_user_is_said_through_that_user(tmp_path: Path) -> None:
    # Its users are in the lines added with it, each said where no entry point reaches it: the corpus' v3 04/07 adds
    # tdx_host_init() with the variables only it reads, and names the function alone.
    cmp = _tree_change(tmp_path, "static int demo_other;", "static int demo_other;\nstatic int demo_lim = 3;\n"
                       "static int demo_new(void)\n{\n\treturn demo_lim;\n}", "return 0;")
    assert cmp.unreached == ("demo_new() (demo/h.h:3 in v1:01)",), cmp.summary()


def test_a_line_of_a_file_a_refused_hunk_left_unusable_is_not_said_to_be_at_file_scope(tmp_path: Path) -> None:
    # 02's hunk has a mistyped context line: git apply refuses it, demo/h.h is not usable from there on, and 03's
    # change inside demo_retry() read 'demo/h.h:N (file scope), which no entry point reaches': no definition of an
    # unusable file is read, so neither what holds the line nor what reaches it is known.
    hex_fmt = BASE.replace("%llu", "%#llx")
    refused = diff("demo/h.h", BASE, hex_fmt).replace("\n \tif (ret)\n", "\n \tif (ret != 0)\n", 1)
    four = BASE.replace("int tries = 3;", "int tries = 4;")
    msgs = [message("[PATCH 1/3] demo: add helpers", "u1@x", patch_body("Add.", diff("demo/h.h", None, BASE))),
            message("[PATCH 2/3] demo: hex", "u2@x", patch_body("Hex.", refused)),
            message("[PATCH 3/3] demo: four tries", "u3@x", patch_body("Four.", diff("demo/h.h", BASE, four)))]
    assert " \tif (ret != 0)\n" in refused
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "u.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:03")
    line = 1 + BASE.splitlines().index("\tint tries = 3;")
    assert cmp.unreached == (f"demo/h.h:{line} (in a file not usable in v1:02: see the apply findings)",), cmp.summary()
    assert f"not compared: {cmp.unreached[0]}, which no entry point is known to reach" in cmp.summary()
    assert not any("file scope" in s for s in cmp.summary()), cmp.summary()
    from harness.comparison import Comparison

    alone = Comparison("patch", "v1:02", "v1:03", "v1 03/3", None, (), 4, compared=4, unreached=cmp.unreached)
    assert alone.verdict().endswith("but the patch also changes code no entry point is known to reach")


@pytest.mark.parametrize("param", ["u64 fn", "u32 fn"])
def test_a_prototype_of_a_reached_function_spelt_as_its_definition_changes_nothing(tmp_path: Path, param: str
                                                                                   ) -> None:
    # A helper moved out of line leaves its prototype behind ('int demo_prerr(u64 fn,' / '...args);'): it read
    # 'demo/h.h:1 (file scope), which no entry point reaches', and made the move 'not compared', though it declares
    # demo_prerr(), which ran. One that declares other parameters ('u32 fn') is still said: its callers convert
    # their arguments otherwise, which no run of the definition shows.
    first = BASE.replace("static inline int demo_prerr(", "int demo_prerr(")
    second = f"int demo_prerr({param},\n\t       struct tdx_module_args *args);\n" + first
    cmp = _second_patch(tmp_path, first, second, "d", "declare demo_prerr", "Declare.")
    if param == "u64 fn":
        assert cmp.unreached == (), cmp.summary()
    else:
        assert cmp.unreached == ("demo/h.h:1-2 (file scope)",), cmp.summary()


def test_from_mail_alone_code_the_tree_may_call_is_not_said_reached_by_none(tmp_path: Path) -> None:
    """From mail alone, a function of a file the series does not create (known only from the hunk that shows it
    whole) was 'which no entry point reaches': the tree's other lines, which the mail does not show, may call it.
    Now 'no entry point is known to reach' and why, under a verdict that says the same; a name only files the series
    creates define (every caller of it in the mail) is still one no entry point reaches. Golden:
    unseen_callers_mail_alone."""
    from tests.reports.test_reviewer_verdicts import _golden

    h = BASE + "\nstatic inline int demo_unused(u64 fn)\n{\n\treturn (int)fn + 1;\n}\n"
    new = "static int demo_new_unused(int x)\n{\n\treturn x * 2;\n}\n"
    other = "".join(f"int demo_pad{i};\n" for i in range(8))
    header = diff("demo/new.h", None, new.replace("demo_new_unused", "demo_hdr_unused")) + diff(
        "demo/other.c", other, other.replace("int demo_pad3;\n", "int demo_pad3;\n#include \"new.h\"\n"))
    msgs = [message("[PATCH 1/3] demo: unused returns more", "u1@x",  # the hunk shows the entry points whole too
                    patch_body("More.", diff("demo/h.h", h, h.replace("fn + 1", "fn + 2"), 30))),
            message("[PATCH 2/3] demo: a new file", "u2@x", patch_body("New.", diff("demo/new.c", None, new))),
            # A header the series creates, included by a file the mail shows only in part: its unseen lines may call.
            message("[PATCH 3/3] demo: a new header", "u3@x", patch_body("Header.", header))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "u.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    one, two, three = ev.comparison.per_patch
    assert one.unreached == ("demo_unused() (demo/h.h:24; from mail alone, callers in the tree are not seen: give "
                             "--tree)",), one.summary()
    assert two.unreached == ("demo_new_unused() (demo/new.c:1 in v1:02)",), two.summary()
    assert three.unreached == ("demo_hdr_unused() (demo/new.h:1 in v1:03; from mail alone, callers in the tree are "
                               "not seen: give --tree)",), three.summary()
    _golden("unseen_callers_mail_alone", "".join(f"{ln}\n" for c in (one, two, three) for ln in c.summary()))

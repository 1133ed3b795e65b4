"""An unchanged condition reading a value a patch changed (harness.valuereaders).

A condition whose text no patch changed reading a value a patch changed (harness.valuereaders): a file-scope
variable, a local, a const, an enumerator, a macro, a value one assignment carries, a case label. Scripted answers
0x11 and 0 take ``ret > 4`` and ``ret > 6`` alike; 5 and 6 do not: the answers next to the values are run (was 'no
behaviour change'), and a value not worked out is said as not known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.comparison import Comparison
from harness.pipeline import EvalRequest, evaluate
from models.cload import Program
from tests.mailgen import diff, message, patch_body, write_mbox

MATRIX = ('[codes]\nOK = 0\nODD = 0x11\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n'
          '[[entry]]\nname = "demo_check"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n'
          '[[script]]\nname = "odd"\nanswers = ["ODD", "OK"]\n')


def _code(head: str, local: str, test: str) -> str:
    return (f"{head}\nstatic inline int demo_check(u64 fn, struct tdx_module_args *args)\n{{\n{local}"
            f"\tu64 ret = __seamcall(fn, args);\n\n\tif ({test})\n\t\treturn 1;\n\treturn 0;\n}}\n")


def _series(tmp_path: Path, before: str, after: str) -> Path:
    """A series adding ``before`` as demo/demo.h and changing it to ``after``, and the matrix beside it."""
    assert before != after
    msgs = [message("[PATCH 1/2] demo: add check", "r1@x", patch_body("Add.", diff("demo/demo.h", None, before))),
            message("[PATCH 2/2] demo: tune check", "r2@x", patch_body("Tune.", diff("demo/demo.h", before, after)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    return write_mbox(tmp_path / "r.mbox", msgs)


def _compare(tmp_path: Path, before: str, after: str) -> Comparison:
    """eval of _series: patch 2's comparison."""
    ev = evaluate(EvalRequest((_series(tmp_path, before, after),), matrix=tmp_path / "m.toml", cache=None,
                              jobs=1, time_budget=0))
    return next(c for c in ev.comparison.per_patch if c.b == "v1:02")


SHAPES = {
    "file-scope": ("static int demo_limit = 4;\n", "static int demo_limit = 6;\n", "", "", "ret > demo_limit"),
    "local": ("", "", "\tint limit = 4;\n", "\tint limit = 6;\n", "ret > limit"),
    "const": ("static const int demo_limit = 4;\n", "static const int demo_limit = 6;\n", "", "", "ret > demo_limit"),
    "enumerator": ("enum { DEMO_LIMIT = 4 };\n", "enum { DEMO_LIMIT = 6 };\n", "", "", "ret > DEMO_LIMIT"),
    "implicit enumerator": ("enum { DEMO_A = 3, DEMO_LIMIT };\n", "enum { DEMO_A = 5, DEMO_LIMIT };\n", "", "",
                            "ret > DEMO_LIMIT"),
    "macro": ("#define DEMO_LIMIT 4\n", "#define DEMO_LIMIT 6\n", "", "", "ret > DEMO_LIMIT"),
    "one assignment": ("static const int demo_base = 2;\n", "static const int demo_base = 4;\n",
                       "\tint limit;\n\n\tlimit = demo_base + 2;\n", "\tint limit;\n\n\tlimit = demo_base + 2;\n",
                       "ret > limit"),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_changed_value_under_an_unchanged_condition_runs_the_answers_next_to_it(tmp_path: Path, shape: str) -> None:
    head_a, head_b, local_a, local_b, test = SHAPES[shape]
    cmp = _compare(tmp_path, _code(head_a, local_a, test), _code(head_b, local_b, test))
    assert cmp.changed, cmp.summary()
    assert sorted(d.scenario.id for d in cmp.differences) == \
        ["demo_check/ONE/neighbour-0x5/demo.c", "demo_check/ONE/neighbour-0x6/demo.c"], cmp.summary()
    assert all(d.notes[0] == "return 1 -> 0" for d in cmp.differences), [d.notes for d in cmp.differences]


def test_a_changed_case_label_runs_the_answers_next_to_it(tmp_path: Path) -> None:
    body = "\tswitch (ret) {\n\tcase DEMO_LIMIT:\n\t\treturn 1;\n\t}\n"
    before = _code("enum { DEMO_LIMIT = 4 };\n", "", "0").replace("\tif (0)\n\t\treturn 1;\n", body)
    after = before.replace("DEMO_LIMIT = 4", "DEMO_LIMIT = 6")
    cmp = _compare(tmp_path, before, after)
    assert cmp.changed, cmp.summary()
    assert {"demo_check/ONE/neighbour-0x4/demo.c", "demo_check/ONE/neighbour-0x6/demo.c"} <= \
        {d.scenario.id for d in cmp.differences}, cmp.summary()


def test_a_changed_value_the_code_also_stores_is_said_not_known(tmp_path: Path) -> None:
    # demo_limit is stored to after the test: which value a run reads is not worked out from its initializer alone.
    store = "\tif (ret > demo_limit)\n\t\treturn 1;\n\tdemo_limit = ret;\n"
    before = _code("static int demo_limit = 4;\n", "", "ret > demo_limit").replace(
        "\tif (ret > demo_limit)\n\t\treturn 1;\n", store)
    cmp = _compare(tmp_path, before, before.replace("= 4;", "= 6;"))
    assert "no behaviour change" not in cmp.summary()[0] or cmp.undecided, cmp.summary()
    assert not cmp.differences or cmp.changed
    said = [u for u in cmp.undecided if "reads a name whose value changed" in u]
    assert said == ["a condition of demo_check(), 'if (ret > demo_limit)' (demo/demo.h:7), the same in v1:01 and "
                    "v1:02, reads a name whose value changed: demo_limit, set by 'static int demo_limit = 4;' "
                    "(demo/demo.h:1) in v1:01 -> 'static int demo_limit = 6;' (demo/demo.h:1) in v1:02: whether it "
                    "differs for other answers is not known: the value it reads is not worked out (set by a call or "
                    "more than once, or stored to)"], cmp.undecided


def test_a_changed_macro_under_an_unchanged_line_is_named(tmp_path: Path) -> None:
    # Before: 'a condition of demo_check() reads a name whose definition changed, 'if (ret > limit)' (demo/demo.h:9) in
    # v1:01 -> 'if (ret > limit)' (demo/demo.h:9) in v1:02, reading limit (demo/demo.h:4 in v1:01, demo/demo.h:4 in
    # v1:02)': the same line twice and a local, where what the patch changed is the macro its initializer names.
    store = "\tif (ret > limit)\n\t\treturn 1;\n\tlimit--;\n"
    before = _code("#define DEMO_LIMIT (DEMO_BASE + 1)\n#define DEMO_BASE 3\n", "\tint limit = DEMO_LIMIT;\n",
                   "ret > limit").replace("\tif (ret > limit)\n\t\treturn 1;\n", store)
    cmp = _compare(tmp_path, before, before.replace("DEMO_BASE 3", "DEMO_BASE 5"))
    said = [u for u in cmp.undecided if "reads a name whose value changed" in u]
    assert said == ["a condition of demo_check(), 'if (ret > limit)' (demo/demo.h:9), the same in v1:01 and v1:02, "
                    "reads a name whose value changed: limit, set by 'int limit = DEMO_LIMIT;' (demo/demo.h:6) on both "
                    "sides, but DEMO_BASE changed, '#define DEMO_BASE 3' (demo/demo.h:2) in v1:01 -> '#define "
                    "DEMO_BASE 5' (demo/demo.h:2) in v1:02: whether it differs for other answers is not known: the "
                    "value it reads is not worked out (set by a call or more than once, or stored to)"], cmp.summary()


@pytest.mark.parametrize(("old", "new"), [("= 4;", "= 2 + 2;"), ("= 4;", "= 0x4;")])
def test_a_value_spelt_otherwise_is_no_behaviour_change(tmp_path: Path, old: str, new: str) -> None:
    before = _code("static const int demo_limit = 4;\n", "", "ret > demo_limit")
    cmp = _compare(tmp_path, before, before.replace(old, new))
    assert not cmp.changed and not cmp.undecided and not cmp.differences, cmp.summary()


TWO_CODES = "\tint limit = 4;\n\n\tif (fn == 1)\n\t\tlimit = 6;\n"


def test_a_local_storing_the_same_codes_under_other_tests_is_no_behaviour_change(tmp_path: Path) -> None:
    # Which of the two values it holds is chosen by tests that are decisions of their own: it reads no other value.
    before = _code("", TWO_CODES, "ret > limit")
    after = _code("", "\tint limit;\n\n\tif (fn != 1)\n\t\tlimit = 4;\n\telse\n\t\tlimit = 6;\n", "ret > limit")
    cmp = _compare(tmp_path, before, after)
    assert not [u for u in cmp.undecided if "reads a name" in u], cmp.undecided


def test_a_local_storing_the_same_codes_swapped_runs_the_answers_next_to_each(tmp_path: Path) -> None:
    # {4, 6} on both sides, but leaf ONE (fn == 1) now takes 4: answers 5 and 6 tell the two apart, 0x11 and 0 do not.
    before = _code("", TWO_CODES, "ret > limit")
    after = _code("", "\tint limit = 6;\n\n\tif (fn == 1)\n\t\tlimit = 4;\n", "ret > limit")
    cmp = _compare(tmp_path, before, after)
    assert cmp.changed, cmp.summary()
    assert {"demo_check/ONE/neighbour-0x5/demo.c", "demo_check/ONE/neighbour-0x6/demo.c"} <= \
        {d.scenario.id for d in cmp.differences}, cmp.summary()


def test_a_local_storing_a_changed_code_under_a_test_is_said_not_known(tmp_path: Path) -> None:
    before = _code("", TWO_CODES, "ret > limit")
    cmp = _compare(tmp_path, before, before.replace("limit = 6;", "limit = 7;"))
    assert cmp.changed or [u for u in cmp.undecided if "limit, declared as 'int limit = 4;' (demo/demo.h:4) on both "
                           "sides, but its stores in demo_check() changed, 'limit = 6;' in v1:01 -> 'limit = 7;' in "
                           "v1:02: whether it differs for other answers is not known" in u], cmp.summary()


def test_a_helper_reading_a_changed_value_is_said_not_known(tmp_path: Path) -> None:
    # 'if (demo_over(ret))' is the same text on both sides; what demo_over() returns reads demo_limit, 4 made 6.
    helper = ("static int demo_limit = 4;\n\nstatic inline bool demo_over(u64 ret)\n{\n"
              "\treturn ret > demo_limit;\n}\n")
    before = _code(helper, "", "demo_over(ret)")
    cmp = _compare(tmp_path, before, before.replace("= 4;", "= 6;"))
    assert cmp.changed or [u for u in cmp.undecided if "demo_limit through demo_over(), set by 'static int demo_limit "
                           "= 4;' (demo/demo.h:1) in v1:01 -> 'static int demo_limit = 6;' (demo/demo.h:1) in v1:02: "
                           "whether it differs for other answers is not known" in u], cmp.summary()


RULE = ('[[rule]]\nid = "same"\nreviewer = "Rev"\nsummary = "s"\npatch = "tune check"\n[rule.check]\n'
        'kind = "equivalence"\nreference = "before:patch"\n')


@pytest.mark.parametrize(("store", "verdict", "status"),
                         [("", "fail", 1), ("\tdemo_limit = ret;\n", "inconclusive", 1)])
def test_the_gate_holds_an_equivalence_rule_to_a_changed_value_a_condition_reads(
        tmp_path: Path, store: str, verdict: str, status: int) -> None:
    # Was a pass, exit 0: 'static int demo_limit = 4;' made '= 6;' under an unchanged 'if (ret > demo_limit)'.
    before = _code("static int demo_limit = 4;\n", "", "ret > demo_limit")
    before = before.replace("\treturn 0;\n", store + "\treturn 0;\n")
    mbox = _series(tmp_path, before, before.replace("= 4;", "= 6;"))
    (tmp_path / "r.toml").write_text(RULE)
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"), "--rules",
                                 str(tmp_path / "r.toml"), "--json", str(tmp_path / "g.json"), "--time-budget", "0"])
    (rule,) = json.loads((tmp_path / "g.json").read_text())["rules"]
    assert (rule["verdict"], r.exit_code) == (verdict, status), (rule, r.output)


PARAM = "module_param(demo_limit, int, 0644);\n"
# A count read from a module parameter: the same value at load, set otherwise by 'modprobe demo demo_limit=9' or
# through sysfs (mode 0644). The runs read its initializer alone.
TUNABLE = {
    "module_param": ("\tint limit = 4;\n", "static int demo_limit = 4;\n" + PARAM, "\tint limit = demo_limit;\n"),
    "module_param_named": ("\tint limit = 4;\n",
                           "static int demo_limit = 4;\nmodule_param_named(limit, demo_limit, int, 0644);\n",
                           "\tint limit = demo_limit;\n"),
}


@pytest.mark.parametrize("shape", list(TUNABLE))
def test_a_count_read_from_a_module_parameter_is_said_not_known(tmp_path: Path, shape: str) -> None:
    # Was 'no behaviour change': the variable taken as its initializer, as no function of the code stores to it.
    local_a, head_b, local_b = TUNABLE[shape]
    cmp = _compare(tmp_path, _code("", local_a, "ret > limit"), _code(head_b, local_b, "ret > limit"))
    said = [u for u in cmp.undecided if "reads a name whose value changed" in u]
    assert said and "limit, set by 'int limit = 4;' (demo/demo.h:4) in v1:01 -> 'int limit = demo_limit;' " \
        "(demo/demo.h:6) in v1:02" in said[0], cmp.summary()
    assert said[0].endswith("the value it reads is not worked out (demo_limit (demo/demo.h:1): a module parameter "
                            "sets it (demo/demo.h:2), at load time or through sysfs: a value no run reads)"), said


def test_a_module_parameter_both_sides_have_alike_is_no_change(tmp_path: Path) -> None:
    before = _code("static int demo_limit = 4;\n" + PARAM, "", "ret > demo_limit")
    cmp = _compare(tmp_path, before, before.replace("return 1;", "return 1; /* over */"))
    assert not [u for u in cmp.undecided if "demo_limit" in u], cmp.summary()


def test_the_gate_holds_an_equivalence_rule_to_a_count_made_a_module_parameter(tmp_path: Path) -> None:
    # Was a pass, exit 0: 'int limit = 4;' made 'int limit = demo_limit;', demo_limit a module parameter set to 4.
    local_a, head_b, local_b = TUNABLE["module_param"]
    mbox = _series(tmp_path, _code("", local_a, "ret > limit"), _code(head_b, local_b, "ret > limit"))
    (tmp_path / "r.toml").write_text(RULE)
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"), "--rules",
                                 str(tmp_path / "r.toml"), "--json", str(tmp_path / "g.json"), "--time-budget", "0"])
    (rule,) = json.loads((tmp_path / "g.json").read_text())["rules"]
    assert (rule["verdict"], r.exit_code) == ("inconclusive", 1), (rule, r.output)



def test_spans_are_kept_per_programs_and_outside_setters_never_made_twice() -> None:
    # reader_changes of one pair of programs asked again with other variables set outside the runs appended its spans
    # to the first call's list: spans_of gave each span twice (1 -> 2 here), whichever call it was asked for.
    from harness.valuereaders import reader_changes, spans_of
    from models.cload import load_program
    from models.loader import EntryPoint, Source

    def program(folder: str, body: str) -> Program:
        code = ("static inline int demo_check(unsigned long long ret, int c)\n{\n\tint x;\n\n" + body +
                "\tif (ret > x)\n\t\treturn 1;\n\treturn 0;\n}\n")
        return load_program((Source(f"{folder}/p.h", ((1, tuple(code.split("\n"))),), True),),
                            (EntryPoint("demo_check"),))

    pa = program("spans-a", "\tx = 4;\n\tif (c)\n\t\tx = 6;\n")  # the same values, 4 and 6, stored otherwise
    pb = program("spans-b", "\tif (c)\n\t\tx = 6;\n\telse\n\t\tx = 4;\n")
    other = ((("demo_other", "a module parameter sets it"),), ())
    assert spans_of(pa, pb) == [] and spans_of(pa, pb, other) == []  # not asked yet
    reader_changes(pa, pb)
    reader_changes(pa, pb, other)
    reader_changes(pa, pb)
    assert len(spans_of(pa, pb)) == 1 and len(spans_of(pa, pb, other)) == 1

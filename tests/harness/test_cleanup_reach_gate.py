"""A reach rule counts the helpers a function's cleanups call at scope exit, through the gate.

A source rule over what a function reaches counts the helpers its cleanups call at scope exit (a __free() or a
guard()'s destructor: models.source sees the call models.cparse.cleanup_call builds), end to end through the gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import diff, message, patch_body, write_mbox

runner = CliRunner()
RULES = ('[[rule]]\nid = "no-dump"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n[rule.check]\n'
         'kind = "source"\nfunction = "demo_prerr"\nnot_referencing = ["demo_dump"]\n')
BEFORE = """\
struct demo_res { u64 last; };
static struct demo_res demo_one;

static void demo_dump(u64 v)
{
	pr_err("dump %llx\\n", v);
}

static void demo_put(struct demo_res *r)
{
	r->last = 0;
}
DEFINE_FREE(demo, struct demo_res *, if (_T) demo_put(_T))

static void demo_release(struct demo_res *r)
{
	r->last = 1;
}
DEFINE_GUARD(demo_hold, struct demo_res *, (void)_T, demo_release(_T))

static inline int demo_prerr(u64 fn, struct tdx_module_args *args)
{
	struct demo_res *r __free(demo) = &demo_one;
	u64 ret;

	guard(demo_hold)(&demo_one);
	ret = __seamcall(fn, args);
	r->last = ret;
	return ret ? -5 : 0;
}
"""


def _gate(tmp: Path, after: str) -> tuple[int, tuple[str, list[str]]]:
    msgs = [message("[PATCH 1/2] demo: add helpers", "c1@x", patch_body("Add.", diff("demo/h.h", None, BEFORE))),
            message("[PATCH 2/2] demo: dump", "c2@x", patch_body("Dump.", diff("demo/h.h", BEFORE, after)))]
    (tmp / "rules.toml").write_text(RULES)
    r = runner.invoke(app, ["gate", str(write_mbox(tmp / "s.mbox", msgs)), "--variant", "v1", "--rules",
                            str(tmp / "rules.toml"), "--json", str(tmp / "g.json")])
    rule = json.loads((tmp / "g.json").read_text())["rules"][0]
    return r.exit_code, (rule["verdict"], [e["actual"] for e in rule["evidence"]])


@pytest.mark.parametrize(("old", "new", "helper"), [
    ("\tr->last = 0;\n", "\tdemo_dump(r->last);\n\tr->last = 0;\n", "demo_put"),
    ("\tr->last = 1;\n", "\tdemo_dump(r->last);\n\tr->last = 1;\n", "demo_release"),
])
def test_a_helper_only_a_cleanup_calls_is_judged_as_the_function_reaches_it(tmp_path: Path, old: str, new: str,
                                                                             helper: str) -> None:
    # Before: the rule passed (exit 0): demo_prerr()'s body calls neither helper, its scope's end does.
    code, (verdict, said) = _gate(tmp_path, BEFORE.replace(old, new, 1))
    assert (code, verdict, said) == (1, "fail", [f"{helper}() uses demo_dump"])


def test_the_same_code_without_the_call_passes(tmp_path: Path) -> None:
    code, (verdict, said) = _gate(tmp_path, BEFORE.replace("\tr->last = ret;\n", "\tr->last = ret + 1;\n", 1))
    assert (code, verdict, said) == (0, "pass", [])

"""A function that reaches a SEAMCALL but that the matrix cannot feed, and no entry point reaches, is said untested."""

from __future__ import annotations

from pathlib import Path

from tests.harness.variantgen import HELPER, MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

_C = """\
#define DEMO_READ 34

static inline int demo_init(void)
{
	struct tdx_module_args args = {};

	return __seamcall(1, &args) ? -EIO : 0;
}

static inline int demo_read(u64 field, u64 *value)
{
	struct tdx_module_args args = { .rdx = field };
	u64 ret = __seamcall(DEMO_READ, &args);

	if (ret)
		return -EIO;
	*value = args.r8;
	return 0;
}
"""


_TOP = "#include <linux/types.h>\n"  # demo.c, the matrix's unit, as its hunk shows it


def _untested(tmp_path: Path, text: str, params: str = "") -> tuple[str, ...]:
    from harness.pipeline import EvalRequest, evaluate
    from harness.report import report_model

    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add init and read", "u1@x",
                                                    patch_body("Add.", diff(HELPER, None, text) + diff(
                                                        "demo/demo.c", _TOP, _TOP + '#include "helper.h"\n')))])
    (tmp_path / "m.toml").write_text(MATRIX + params)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None, time_budget=0))
    return report_model(ev).untested


def test_a_seamcall_function_no_run_reaches_and_none_can_feed_is_said_untested(tmp_path: Path) -> None:
    # demo_read() makes a SEAMCALL; its 'u64 field' cannot be fed, and no entry point calls it: it never ran, and
    # eval listed 'entry points found in the code: demo_init()' and nothing of it (the gate said it only in a rule's
    # note, where a rule named other entry points). Its 'u64 *value' is fed a zeroed u64 (test_out_param_runs).
    said = _untested(tmp_path, _C)
    assert any(u.startswith(f"demo_read() ({HELPER}) reaches a SEAMCALL, but no entry point that ran reaches "
                            "it and "
                            "the matrix cannot feed its parameter 'u64 field':") for u in said), said
    assert not any("demo_init" in u for u in said), said


def test_one_a_run_reaches_is_not_said(tmp_path: Path) -> None:
    called = _C.replace("return __seamcall(1, &args) ? -EIO : 0;", "u64 v;\n\n\treturn demo_read(1, &v);") \
        .replace("static inline int demo_init(void)", "static inline int demo_read(u64 field, u64 *value);\n\n"
                 "static inline int demo_init(void)")
    said = _untested(tmp_path, called)
    assert not any("demo_read" in u for u in said), said


def test_with_its_integer_fed_by_params_the_out_parameter_helper_runs(tmp_path: Path) -> None:
    # 'u64 *value' is fed a zeroed u64 (docs/matrix.md, out-parameters); 'u64 field' by [params]: it runs, and is
    # said untested no more
    from harness.pipeline import EvalRequest, evaluate

    said = _untested(tmp_path, _C.replace("*value = args.r8;", "*value = args.r8 | 0x40;"),
                     '\n[params]\nfield = "zero"\n')
    assert not any("demo_read" in u for u in said), said
    ev = evaluate(EvalRequest((tmp_path / "s.mbox",), matrix=tmp_path / "m.toml", jobs=1, cache=None, time_budget=0))
    runs = [o for s, o in zip(ev.result.matrix.scenarios, ev.result.outcomes_of("v1"), strict=True)
            if s.entry.name == "demo_read" and o.ran]
    assert runs and {dict(o.state).get("*(parameter 2)") for o in runs if o.ret == 0} == {"64"}, runs[:1]
    assert {dict(o.state).get("*(parameter 2)") for o in runs if o.ret != 0} == {None}, runs[:1]  # not stored

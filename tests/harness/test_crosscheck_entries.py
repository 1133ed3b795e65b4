"""Entry points whose result or text gcc and the mirror cannot compare are said so, never compared wrongly."""

from __future__ import annotations

from pathlib import Path

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import mirror_of

NAME_H = """\
static const char *busy(u64 fn, struct tdx_module_args *args)
{
	return __seamcall(fn, args) ? "failed" : "ok";
}
"""


def test_an_entry_returning_a_pointer_is_not_compared_by_its_address(tmp_path: Path) -> None:
    # gcc's value is the string's address in the native process; the mirror's outcome has none (was: 2 disagreements).
    r = crosscheck_result(header_result(tmp_path, "pn", "demo/pn.h", NAME_H, 5), find_compiler(None))
    assert r.disagreements == [] and r.compared["pn"] == 0
    assert any("busy returns char *, which the native cross-check does not compare" in why
               for why in r.not_compared["pn"]), r.not_compared


def test_func_in_a_macro_run_as_an_entry_point_is_refused() -> None:
    # In the kernel __func__ is the function using the macro; run alone, the mirror printed its own wrapper's name.
    code = ("#define SL_CALL(fn, args) ({ u64 __r = __seamcall(fn, args); if (__r) pr_err(\"%s: %llx\\n\", "
            "__func__, __r); __r; })\n")
    from models.machine import Answer
    from models.mirror import RunRequest

    out = mirror_of(code, "SL_CALL").run(RunRequest("SL_CALL", 1, (Answer(5),), ""))
    assert out.status == "error" and "__func__ in a macro run as an entry point" in (out.error or ""), out.error

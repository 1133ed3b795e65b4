"""models.leafflowkeep: a flow's sites used again where a program reads alike, and not where it does not."""

from __future__ import annotations

import pytest

from models import leafflowkeep
from models.leaftaint import Flow
from models.loader import EntryPoint, Source
from models.source import code_facts

CODE = """\
#define IS_LDR(f)	(((f) >> 63) != 0)

u64 __seamcall(u64 fn, struct tdx_module_args *args);

static void say(u64 leaf)
{
	pr_err("FMT\\n", leaf);
	pr_info("again %llx\\n", leaf);
	WARN(1, "leaf %llx\\n", leaf);
}

static u64 call(u64 fn, struct tdx_module_args *args)
{
	u64 err = 0;
	int kind = 0;

	switch (fn >> 63) {
	case 0:
		kind = 1;
		break;
	default:
		kind = 2;
	}
	if (IS_LDR(fn) && err == 0)
		err = __seamcall(fn, args);
	say(fn);
	return err + kind;
}
"""


def _sites(extra: str = "") -> list[list[str]]:
    src = (Source("d/g.h", ((1, (extra or "static int other;",)),), True),
           Source("d/h.h", ((1, tuple(CODE.replace("FMT", "leaf %llx").splitlines())),), True))
    return code_facts(src, (EntryPoint("call"),)).leaf_sites["call"]


def _visits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The functions the taint fixpoint visits (a flow kept and used again visits none)."""
    import models.leafflow as leafflow

    names: list[str] = []
    visit = leafflow._visit

    def counted(flow: Flow, fn: str) -> None:
        names.append(fn)
        visit(flow, fn)
    monkeypatch.setattr(leafflow, "_visit", counted)
    return names


def test_a_flow_is_used_again_where_the_program_reads_alike_and_not_where_a_function_it_reached_differs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    leafflowkeep._FLOWS.clear()
    visits = _visits(monkeypatch)
    first = _sites()
    assert {"decision", "case", "print", "warn", "leaf-arg", "leaf-itself"} <= {kind for _, kind, _ in first}, first
    visits.clear()
    assert _sites("static int more;") == first and not visits  # another file only: the flow kept, used again
    other = _sites("static void say(u64 leaf) { }")  # say() defined again: another definition read
    assert visits
    leafflowkeep._FLOWS.clear()
    assert other == _sites("static void say(u64 leaf) { }")


def test_a_flow_is_not_used_again_where_a_file_scope_variable_comes_to_share_a_locals_name() -> None:
    # call()'s local v copies the leaf and is printed (leaf-itself); a file-scope v in another file makes the flow
    # refuse to read v as the leaf (models.leafflow._copied): a flow kept from the program without it must not answer.
    code = CODE.replace("FMT", "leaf %llx").replace("\tu64 err = 0;\n", "\tu64 err = 0;\n\tu64 v = fn;\n", 1) \
        .replace("\tsay(fn);\n", "\tpr_err(\"v %llx\\n\", v);\n")

    def itself(variable: str) -> bool:
        src = (Source("d/g.h", ((1, (variable,)),), True), Source("d/h.h", ((1, tuple(code.splitlines())),), True))
        sites = code_facts(src, (EntryPoint("call"),)).leaf_sites["call"]
        return any(fn == "call" and kind == "leaf-itself" for fn, kind, _ in sites)

    leafflowkeep._FLOWS.clear()
    assert itself("static int other;")
    assert not itself("static u64 v;")
    leafflowkeep._FLOWS.clear()
    assert not itself("static u64 v;")

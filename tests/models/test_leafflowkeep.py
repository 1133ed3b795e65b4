"""models.leafflowkeep: a flow's sites used again for a moved copy of the same code, at the copy's places."""

from __future__ import annotations

import pytest

from models import leafflowkeep
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


def _source(pad: int, helper: str = "leaf %llx") -> tuple[Source, ...]:
    text = CODE.replace("FMT", helper)
    return (Source("d/h.h", ((1, ("/* moved */",) * pad + tuple(text.splitlines())),), True),)


def _sites(pad: int, helper: str = "leaf %llx") -> list[list[str]]:
    return code_facts(_source(pad, helper), (EntryPoint("call"),)).leaf_sites["call"]


def _visits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The functions the taint fixpoint visits (a flow kept and used again visits none)."""
    import models.leafflow as leafflow

    names: list[str] = []
    visit = leafflow._visit

    def counted(flow: leafflow._Flow, fn: str) -> None:
        names.append(fn)
        visit(flow, fn)
    monkeypatch.setattr(leafflow, "_visit", counted)
    return names


def _shifted(sites: list[list[str]], lines: int) -> list[list[str]]:
    def moved(key: str) -> str:
        head, sep, rest = key.partition("d/h.h:")
        line, colon, tail = rest.partition(":")
        return f"{head}{sep}{int(line) + lines}{colon}{tail}"
    return [[fn, kind, moved(key)] for fn, kind, key in sites]


def test_a_flow_is_used_again_for_a_moved_copy_its_sites_at_the_copys_places(monkeypatch: pytest.MonkeyPatch) -> None:
    from models.mirror import cached_mirror
    from models.nodecopy import origin

    leafflowkeep._FLOWS.clear()
    visits = _visits(monkeypatch)
    first = _sites(0)
    kinds = {kind for _, kind, _ in first}
    # every form of key: a decision's tag, a case, a print and its leaf arguments, a warning's path:line
    assert {"decision", "case", "print", "warn", "leaf-arg", "leaf-itself", "leaf-shape"} <= kinds, first
    assert visits
    visits.clear()
    program = cached_mirror(_source(4), (EntryPoint("call"),)).program
    assert all(origin(program.functions[f]) is not program.functions[f] for f in ("call", "say"))  # copies
    again = _sites(4)
    assert not visits  # the flow kept, used again
    leafflowkeep._FLOWS.clear()
    assert again == _sites(4) == _shifted(first, 4)


def test_a_flow_is_not_used_for_a_moved_copy_where_a_function_it_reached_is_other_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    leafflowkeep._FLOWS.clear()
    visits = _visits(monkeypatch)
    _sites(0)
    visits.clear()
    then = _sites(4, "ldr %llu")  # say()'s format is another text
    assert "say" in visits
    leafflowkeep._FLOWS.clear()
    assert then == _sites(4, "ldr %llu")


def test_a_flow_is_not_used_for_a_moved_copy_where_the_program_answers_a_question_it_asked_otherwise(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # say()'s parameter is an ldr_t, a typedef of another file: a u64 keeps the leaf whole (leaf-itself), a u8 not.
    def sites(pad: int, typedef: str) -> list[list[str]]:
        text = CODE.replace("FMT", "leaf %llx").replace("static void say(u64 leaf)", "static void say(ldr_t leaf)")
        src = (Source("d/t.h", ((1, (f"typedef {typedef} ldr_t;",)),), True),
               Source("d/h.h", ((1, ("/* moved */",) * pad + tuple(text.splitlines())),), True))
        return code_facts(src, (EntryPoint("call"),)).leaf_sites["call"]

    leafflowkeep._FLOWS.clear()
    visits = _visits(monkeypatch)
    first = sites(0, "u64")
    assert any(kind == "leaf-itself" for _, kind, _ in first)
    visits.clear()
    then = sites(4, "u8")
    assert visits
    leafflowkeep._FLOWS.clear()
    assert then == sites(4, "u8") and not any(kind == "leaf-itself" for _, kind, _ in then)


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

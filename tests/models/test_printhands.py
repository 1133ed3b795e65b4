"""printhands: a print's format found in a function's syntax (format index, buffer printed, %pV struct set)."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast, c_parser

from models.cparse import all_nodes
from models.printhands import format_at, into_buffer, lvalue_base, set_from, va_format_holds

CODE = """
struct va_format { const char *fmt; void *va; };
void say(const char *fmt, char *buf)
{
	struct va_format vaf;
	struct va_format other = { 0 };

	vaf.fmt = fmt;
	pr_err("%pV", &vaf);
	pr_err("%pV", &other);
	snprintf(buf, 8, fmt);
	pr_err("%s", buf);
}
"""


def _say() -> tuple[c_ast.FuncDef, list[c_ast.FuncCall]]:
    ast = c_parser.CParser().parse(CODE)
    func = next(n for n in ast.ext if isinstance(n, c_ast.FuncDef))
    calls = [n for n in all_nodes(func.body) if isinstance(n, c_ast.FuncCall)]
    return func, sorted(calls, key=lambda c: c.coord.line)  # source order: two %pV prints, snprintf, its buffer printed


def test_the_format_index_of_a_print_and_of_snprintf() -> None:
    assert (format_at("pr_err"), format_at("snprintf"), format_at("sprintf"), format_at("memcpy")) == (0, 2, 1, None)


def test_a_pv_struct_set_from_the_parameter_holds_it_and_another_does_not() -> None:
    func, calls = _say()
    first, second = (c.args.exprs for c in calls[:2])
    assert va_format_holds(func, first, 0, "fmt") and not va_format_holds(func, second, 0, "fmt")
    assert set_from(func, first[1:], "fmt") and not set_from(func, second[1:], "fmt")


def test_snprintf_into_a_buffer_is_the_print_of_that_buffer() -> None:
    func, calls = _say()
    assert into_buffer(func, calls[2]) is calls[3]
    assert lvalue_base(c_parser.CParser().parse("void f(void) { m->a[1].b = 0; }").ext[0].body.block_items[0]
                       .lvalue) == "m"


def test_what_a_body_sets_from_a_parameter_is_read_once_per_definition(monkeypatch: Any) -> None:
    """Each %pV print of a function asks what its body sets from the parameter: the body is walked once for a
    definition and parameter (one object in every program holding it), again for another parameter."""
    import models.printhands as printhands

    func, calls = _say()
    walked: list[c_ast.Node] = []

    def counted(node: c_ast.Node) -> list[c_ast.Node]:
        walked.append(node)
        return all_nodes(node)

    monkeypatch.setattr(printhands, "_nodes", counted)
    first, second = (c.args.exprs for c in calls[:2])
    assert [set_from(func, first[1:], "fmt"), set_from(func, second[1:], "fmt"), set_from(func, first[1:], "fmt")] \
        == [True, False, True]
    assert walked == [func.body]
    assert not set_from(func, first[1:], "buf") and walked == [func.body, func.body]

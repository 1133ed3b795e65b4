"""models.memberflags.struct_members on parsed code: what it reads, and what it need not read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pycparser import c_ast, c_parser

from models import memberflags
from models.eflags import guard_kept

CODE = """\
struct mf_dev { int lock; unsigned long flags; int hits; };
static struct mf_dev mf_d;
unsigned long save(void);
static void mf_enter(struct mf_dev *d) { d->flags = save(); d->hits++; }
static void mf_leave(struct mf_dev *d) { d->hits = (int)d->flags; }
"""


def _kept(nodes: list[c_ast.Node]) -> set[int]:  # the saves ('= save()') among nodes, as models.eflags reads them
    return {id(n.lvalue) for n in nodes if isinstance(n, c_ast.Assignment) and isinstance(n.rvalue, c_ast.FuncCall)
            and isinstance(n.rvalue.name, c_ast.ID) and n.rvalue.name.name == "save"}


@pytest.mark.parametrize("code", [CODE.replace("save()", "0"),  # no save at all
                                  CODE.replace("d->flags = save();", "unsigned long f; f = save(); (void)f;")])
def test_code_saving_flags_in_no_member_has_none_and_its_structs_are_not_walked(
        code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # No save, restore or flags argument names a member (the saves go into locals): no member can hold flags,
    # whatever the structs declare, and the structs' members and each function's scope need no reading.
    program = SimpleNamespace(ast=c_parser.CParser().parse(code))

    def walked(ast: c_ast.FileAST) -> memberflags.Fields:
        raise AssertionError("the structs' members were read for code saving flags in no member")

    monkeypatch.setattr(memberflags, "_fields", walked)
    assert memberflags.struct_members(program, _kept) == frozenset()
    assert memberflags.struct_members(program, lambda nodes: guard_kept(nodes, {})) == frozenset()


def test_a_member_a_save_stores_to_and_another_access_reads_is_not_followed() -> None:
    # mf_leave() reads d->flags as a value (not a restore's argument): the image could be read, so it is not kept.
    program = SimpleNamespace(ast=c_parser.CParser().parse(CODE))
    assert memberflags.struct_members(program, _kept) == frozenset()
    only_saved = SimpleNamespace(ast=c_parser.CParser().parse(CODE.replace("(int)d->flags", "1")))
    assert memberflags.struct_members(only_saved, _kept) == frozenset({"flags"})

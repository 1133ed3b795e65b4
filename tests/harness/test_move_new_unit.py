"""A static helper moved into a .c file the patch creates: a move, not a new entry point."""

from __future__ import annotations

from pathlib import Path

import git

from harness.pipeline import EvalRequest, evaluate
from tests.mailgen import diff, message, patch_body, write_mbox

HELPER = ("static int helper(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
          "\tif (err)\n\t\treturn -EIO;\n\treturn 0;\n}\n")
PROBE = "int probe(u64 fn, struct tdx_module_args *args)\n{\n\treturn helper(fn, args);\n}\n"
HEAD = "#include <linux/types.h>\n#define pr_fmt(fmt) \"{}: \" fmt\n\n"
OTHER = "int other(void)\n{\n\treturn 0;\n}\n"
MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n'
          '[[unit]]\nname = "tdx.c"\npath = "x/tdx.c"\n[[unit]]\nname = "seamcall.c"\npath = "x/seamcall.c"\n'
          '[[entry]]\nname = "probe"\nunits = ["tdx.c"]\n[[entry]]\nname = "helper"\nunits = ["seamcall.c"]\n'
          '[[script]]\nname = "bad"\nanswers = ["BAD"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')


def _tree(tmp_path: Path, tdx: str) -> str:
    """A kernel tree at tmp_path/linux whose one commit holds x/tdx.c (``tdx``) and x/Makefile; the Makefile's text."""
    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    makefile = "obj-y += tdx.o\n"
    (tmp_path / "linux" / "x").mkdir(parents=True)
    (tmp_path / "linux" / "x" / "tdx.c").write_text(tdx)
    (tmp_path / "linux" / "x" / "Makefile").write_text(makefile)
    repo.index.add(["x/tdx.c", "x/Makefile"])
    repo.index.commit("base")
    return makefile


def test_a_static_helper_moved_into_a_created_unit_is_no_new_code(tmp_path: Path) -> None:
    # helper() is static in x/tdx.c; the patch moves it, with its caller, into x/seamcall.c, which it creates (and
    # builds). The matrix runs helper() in seamcall.c: there is no such unit before the patch, and the helper was
    # private to tdx.c then. The patch was said to change behaviour ('helper() is new: this patch creates
    # x/seamcall.c, its unit'), of a move that changes no token of it.
    tdx = HEAD.format("virt/tdx") + HELPER + "\n" + PROBE + "\n" + OTHER
    makefile = _tree(tmp_path, tdx)
    left = HEAD.format("virt/tdx") + OTHER
    unit = HEAD.format("seamcall") + HELPER + "\n" + PROBE
    moved = diff("x/tdx.c", tdx, left) + diff("x/seamcall.c", None, unit) \
        + diff("x/Makefile", makefile, "obj-y += tdx.o seamcall.o\n")
    mbox = write_mbox(tmp_path / "m.mbox", [message("[PATCH] x: move the helper", "m1@x",
                                                    patch_body("Move it.", moved))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    assert ev.result.outcome("v1", "helper/ONE/bad/seamcall.c").status == "ok"
    assert ev.result.outcome("v1:00", "helper/ONE/bad/seamcall.c").status == "not-provided"
    cmp = ev.comparison.per_patch[0]
    said = " ".join(cmp.summary())
    assert "helper() is new" not in said and not cmp.differences, said
    assert "helper() moves into x/seamcall.c, which this patch creates: in v1:00 it is a static function of " \
           "x/tdx.c:4" in said, said


def test_a_helper_new_in_a_created_unit_is_still_new(tmp_path: Path) -> None:
    # The same unit created with a helper the tree never had anywhere: new code, said so.
    _tree(tmp_path, HEAD.format("virt/tdx") + OTHER)
    unit = HEAD.format("seamcall") + HELPER + "\n" + PROBE
    added = diff("x/seamcall.c", None, unit) + diff("x/Makefile", "obj-y += tdx.o\n", "obj-y += tdx.o seamcall.o\n")
    mbox = write_mbox(tmp_path / "m.mbox", [message("[PATCH] x: add a helper", "a1@x", patch_body("Add.", added))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    said = " ".join(ev.comparison.per_patch[0].summary())
    assert "helper() is new: this patch defines it" in said, said


CLASSIFY = "static int classify(u64 err)\n{\n\tif (err == 7)\n\t\treturn -EAGAIN;\n\treturn 0;\n}\n"
CHECK = "int check(u64 err)\n{\n\treturn classify(err);\n}\n"
EQUIVALENT = ('[[rule]]\nid = "move-keeps"\nreviewer = "A. Reviewer"\nsummary = "the move keeps behaviour"\n'
              'severity = "error"\n[rule.check]\nkind = "equivalence"\nreference = "v1:00"\n')


def test_the_gate_says_a_move_into_a_created_unit_as_eval_does(tmp_path: Path) -> None:
    # classify() (static) and check() move from x/tdx.c into x/seamcall.c, which the patch creates; the matrix's own
    # entry point is in no code, so both are entry points found in the code, run in seamcall.c. eval said
    # 'classify() moves into x/seamcall.c, which this patch creates: ...', the gate's equivalence rule 'classify()
    # is new to x/seamcall.c in v1 (...)': two wordings of one fact.
    from harness.gate import GateRequest, evaluate_gate

    tdx = HEAD.format("virt/tdx") + CLASSIFY + "\n" + CHECK + "\n" + OTHER
    _tree(tmp_path, tdx)
    moved = diff("x/tdx.c", tdx, HEAD.format("virt/tdx") + OTHER) \
        + diff("x/seamcall.c", None, HEAD.format("seamcall") + CLASSIFY + "\n" + CHECK) \
        + diff("x/Makefile", "obj-y += tdx.o\n", "obj-y += tdx.o seamcall.o\n")
    mbox = write_mbox(tmp_path / "m.mbox", [message("[PATCH] x: move the helpers", "m1@x",
                                                    patch_body("Move them.", moved))])
    (tmp_path / "m.toml").write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "tdx.c"\npath = "x/tdx.c"\n'
                                     '[[entry]]\nname = "probe"\nunits = ["tdx.c"]\n'
                                     '[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    (tmp_path / "r.toml").write_text(EQUIVALENT)
    tree, matrix = tmp_path / "linux", tmp_path / "m.toml"
    said = " ".join(evaluate(EvalRequest((mbox,), tree=tree, matrix=matrix, jobs=1, cache=None))
                    .comparison.per_patch[0].summary())
    fact = "classify() moves into x/seamcall.c, which {} creates: in v1:00 it is a static function of x/tdx.c:4, " \
           "where no scenario of the matrix runs it"
    assert fact.format("this patch") in said, said
    g = evaluate_gate(GateRequest((mbox,), "v1", rules=tmp_path / "r.toml", tree=tree, matrix=matrix, jobs=1,
                                  cache=None))
    [rule] = g.verdicts
    assert fact.format("v1 01/1") in rule.note and "new to" not in rule.note, rule.note

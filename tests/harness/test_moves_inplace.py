"""Code moves within one file, against git diff --color-moved: a body rewritten under its old first line is no move."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.moves import moved_definitions
from tests.gitoracle import git, init_repo

GET = "int ldr_get_info(struct ldr_args *args)\n"
BASE = ("#include \"ldr.h\"\n\n#define LDR_INFO\t0x8000000000000000ULL\n\n" + GET
        + "{\n\tu64 sret = seamcall_ret(LDR_INFO, args);\n\n\treturn sret ? -EIO : 0;\n}\n")
WRAPPER = ("static int ldr_call(u64 fn, struct ldr_args *args)\n{\n\tunsigned long flags;\n\tint ret;\n\n"
           "\tif (!(fn >> 63))\n\t\treturn -EINVAL;\n\n\tlocal_irq_save(flags);\n\tret = ldr_prerr(fn, args);\n"
           "\tlocal_irq_restore(flags);\n\n\treturn ret;\n}\n\n")
# Longer than ldr_get_info(), so that git shows ldr_get_info() moving below it rather than it moving above.
TAIL = ("\nint ldr_tail(struct ldr_args *args)\n{\n\tint n = 0;\n\n\targs->rcx = 1;\n\targs->rdx = 2;\n"
        "\targs->r8 = 3;\n\tn += ldr_count(args);\n\tn += ldr_count(args);\n\treturn n;\n}\n")
CASES = {
    # A wrapper inserted above, the function's body rewritten to call it: git shows the first line removed
    # and added again around the wrapper, the body replaced where it stood. An edit (it once failed the moves
    # rule as "a code move that changes behaviour").
    "rewritten": (BASE, BASE.replace(GET, WRAPPER + GET).replace(
        "{\n\tu64 sret = seamcall_ret(LDR_INFO, args);\n\n\treturn sret ? -EIO : 0;\n}\n",
        "{\n\treturn ldr_call(LDR_INFO, args);\n}\n")),
    # Cut and pasted below another function: a move.
    "pasted": (BASE + TAIL, BASE.split(GET)[0] + TAIL.lstrip("\n") + "\n" + GET + BASE.split(GET)[1]),
    # Cut, pasted and one line of it changed: still a move (whose change the moves rule then judges).
    "pasted-edited": (BASE + TAIL, BASE.split(GET)[0] + TAIL.lstrip("\n") + "\n" + GET
                      + BASE.split(GET)[1].replace("-EIO", "-ENODEV")),
}


def _mail_and_moved_lines(tmp_path: Path, before: str, after: str) -> tuple[Path, set[str]]:
    """The patch git format-patch writes, and the removed lines git diff --color-moved=blocks shows as moved."""
    repo = init_repo(tmp_path / "repo", {"ldr.c": before})
    (repo / "ldr.c").write_text(after)
    git(repo, "commit", "-q", "-am", "ldr: rework")
    mail = tmp_path / "p.patch"
    mail.write_bytes(git(repo, "format-patch", "-1", "--stdout", "HEAD").stdout)
    colored = git(repo, "-c", "color.diff.oldMoved=blue", "diff", "--color=always", "--color-moved=blocks",
                  "HEAD~1", "HEAD").stdout.decode()
    blue = "\x1b[34m"  # oldMoved as set above: a removed line git found added elsewhere
    moved = {re.sub(r"\x1b\[[0-9;]*m", "", ln)[1:].strip() for ln in colored.splitlines() if ln.startswith(blue)}
    return mail, moved


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_definition_moves_in_its_file_as_git_sees_its_body_move(tmp_path: Path, case: str) -> None:
    mail, git_moved = _mail_and_moved_lines(tmp_path, *CASES[case])
    patch = parse_series(IngestRequest((mail,))).all_patches()[0]
    body = [ln.strip() for ln in CASES[case][0].split(GET)[1].split("}\n")[0].splitlines()[1:] if ln.strip()]
    git_says = 2 * sum(ln in git_moved for ln in body) >= len(body)
    assert ("ldr_get_info" in moved_definitions(patch)) is git_says is (case != "rewritten"), (case, git_moved)


PRERR = ("static __always_inline int sc_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n"
         "\tu64 err = sc_retry(op, fn, args);\n\n\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n"
         "\tseamcall_err(fn, err, args);\n\treturn -EIO;\n}\n")
# A helper inserted above sc_retry_prerr(), which now calls it; -EAGAIN for "no entropy" is a change of behaviour.
SPLIT = ("static __always_inline int sc_errno(u64 fn, u64 err, struct tdx_module_args *args)\n{\n"
         "\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n\tseamcall_err(fn, err, args);\n"
         "\treturn err == TDX_RND_NO_ENTROPY ? -EAGAIN : -EIO;\n}\n\n"
         "static __always_inline int sc_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n"
         "\treturn sc_errno(fn, sc_retry(op, fn, args), args);\n}\n")


def test_a_patch_that_rewrites_a_helper_below_a_new_one_moves_nothing(tmp_path: Path) -> None:
    # The moves rule failed on it ("expected 02/2 moves sc_retry_prerr (...) without changing behaviour"), and eval
    # called it "a code move that changes behaviour": the change is the patch's own, which other rules judge.
    from harness.gate import GateRequest, evaluate_gate
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.renamegen import CREATE
    from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
    from tests.mailgen import write_mbox

    base = helpers(RETRY_SAFE)
    assert PRERR in base
    msgs = revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Split the errno out of sc_retry_prerr() for P-SEAMLDR calls",
                             ((NEW_HOME, base, base.replace(PRERR, SPLIT)),))])
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    patch = parse_series(IngestRequest((mbox,))).all_patches()[1]
    assert not moved_definitions(patch)
    gate = evaluate_gate(GateRequest((mbox,), "v4", jobs=1))
    [move] = [v for v in gate.verdicts if v.rule.id == "move-preserves-behaviour"]
    assert (move.status.value, move.note) == ("n/a", "no patch of this variant moves code")
    ev = evaluate(EvalRequest((mbox,), jobs=1))
    assert not [f for f in ev.comparison.findings if f.kind.startswith("code-move")]
    [cmp] = [c for c in ev.comparison.per_patch if c.b == "v4:02"]
    assert any("-EAGAIN" in str(d) or "EAGAIN" in " ".join(d.notes) for d in cmp.differences)

"""What a patch that moves code is said to move (harness.movefind, harness.reach.moved_by)."""

from __future__ import annotations

from pathlib import Path

from tests.harness.variantgen import MATRIX, RETRY_C


def test_a_renamed_file_moves_only_what_it_held_under_that_name(tmp_path: Path) -> None:
    # One patch renames demo/helper.h to demo/internal.h (git format-patch -M), renaming demo_retry() to
    # demo_try_again() and adding demo_new() in it. Before: 'moves demo_new, demo_prerr, demo_try_again, demo_retry ->
    # demo_try_again (...)': the new helper and the rename's new name read as moved from demo/helper.h.
    from harness.findings import FindingKind
    from harness.pipeline import EvalRequest, evaluate
    from tests.gitoracle import git, init_repo

    text = "#ifndef DEMO_H\n#define DEMO_H\n" + RETRY_C.replace("TRIES", "3").replace("FMT", "%llu") + "#endif\n"
    repo = init_repo(tmp_path / "linux", {"demo/demo.c": "int demo;\n"})
    (repo / "demo/helper.h").write_text(text)
    git(repo, "add", "demo/helper.h")
    git(repo, "commit", "-q", "-m", "demo: add helpers")
    git(repo, "mv", "demo/helper.h", "demo/internal.h")
    extra = "static inline int demo_new(u64 fn)\n{\n\treturn 1;\n}\n"
    (repo / "demo/internal.h").write_text(text.replace("demo_retry", "demo_try_again").replace("#endif\n",
                                                                                                extra + "#endif\n"))
    git(repo, "commit", "-q", "-am", "demo: rename the helper header")
    mbox = tmp_path / "p.mbox"
    mbox.write_bytes(git(repo, "format-patch", "-M", "--stdout", "-2").stdout)
    assert "rename from demo/helper.h" in mbox.read_text()
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None))
    found = next(f for f in ev.comparison.findings if f.kind in (FindingKind.CODE_MOVE, FindingKind.CODE_MOVE_CHANGED,
                                                                  FindingKind.CODE_MOVE_NOT_COMPARED))
    assert found.text.startswith("moves DEMO_BUSY, demo_prerr, demo_retry -> demo_try_again (body 100% the same) "
                                 "(demo/helper.h -> demo/internal.h)"), found.text


def _moved(tmp_path: Path, keep_define: bool) -> tuple[str, str]:
    """The gate's move rule note and eval's code-move finding of v4 01/2 moving the helpers unchanged (with
    ``keep_define``, the old home defined RDRAND_RETRY_LOOPS, which the move leaves behind)."""
    from harness.findings import FindingKind
    from harness.gate import GateRequest, evaluate_gate
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.seriesgen import (
        BUILD_WRAPPER,
        NEW_HOME,
        OLD_HOME,
        PREAMBLE,
        RETRY_SAFE,
        TAIL,
        WRAPPER,
        WRAPPER_C,
        Step,
        helpers,
        revision,
    )
    from tests.mailgen import write_mbox

    old = helpers(RETRY_SAFE)
    old = old.replace("#define SEAMLDR_LEAF_BIT", "#define RDRAND_RETRY_LOOPS\t10\n#define SEAMLDR_LEAF_BIT") \
        if keep_define else old
    mbox = write_mbox(tmp_path / "v4.mbox", revision(4, [
        Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
             ((OLD_HOME, old, PREAMBLE + TAIL), (NEW_HOME, None, helpers(RETRY_SAFE).replace("SH_TEST_TDX_H", "X_H")))),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
    ]))
    (move,) = [v for v in evaluate_gate(GateRequest((mbox,), "v4", jobs=1)).verdicts
               if v.rule.id == "move-preserves-behaviour"]
    ev = evaluate(EvalRequest((mbox,), cache=None, jobs=1))
    (found,) = [f for f in ev.comparison.findings if f.kind is FindingKind.CODE_MOVE]
    return move.note, found.text


def test_a_move_found_the_same_says_the_constants_it_rests_on(tmp_path: Path) -> None:
    # Before: the finding and the rule's pass said only 'without changing behaviour (280 scenarios ... ran on both
    # sides)': RDRAND_RETRY_LOOPS and the status codes, which no file of the mail defines, were mainline's values.
    for said in _moved(tmp_path, keep_define=False):
        assert "; it rests on what the runs assumed: on both sides, RDRAND_RETRY_LOOPS is not defined in the " \
               "variant's files: the prelude's copy of mainline's arch/x86/include/asm/archrandom.h is used" in said, \
            said
        assert "on both sides, TDX_RND_NO_ENTROPY, TDX_SUCCESS are not defined" in said, said


def test_a_definition_the_move_leaves_behind_is_said_of_the_side_that_assumed_it(tmp_path: Path) -> None:
    for said in _moved(tmp_path, keep_define=True):
        assert "; in v4:01, RDRAND_RETRY_LOOPS is not defined in the variant's files" in said, said
        assert "in v4:00, RDRAND_RETRY_LOOPS" not in said, said

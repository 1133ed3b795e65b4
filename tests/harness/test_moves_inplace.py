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


# -- a static helper of one .c file moved into a header another .c file includes ---------------------------
DIR = "arch/x86/virt/vmx/tdx"
HDR, A, B = f"{DIR}/ldr_internal.h", f"{DIR}/ldr_a.c", f"{DIR}/ldr_b.c"
HEADER = "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef LDR_INTERNAL_H\n#define LDR_INTERNAL_H\n\n{}#endif\n"
REPORT = ("static {}void ldr_report(u64 fn, u64 err, struct tdx_module_args *args)\n{{\n"
          "\tpr_err(\"LDR (%#llx) failed: %#llx\\n\", fn, err);\n}}\n\n")
QUERY_A = ("int ldr_a_query(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
           "\tif (err)\n\t\tldr_report(fn, err, args);\n\treturn err ? -EIO : 0;\n}\n")
QUERY_B = "int ldr_b_query(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args) ? -EIO : 0;\n}\n"


def _unit(prefix: str, body: str) -> str:
    return (f'// SPDX-License-Identifier: GPL-2.0\n#define pr_fmt(fmt) "{prefix}: " fmt\n\n'
            f'#include "ldr_internal.h"\n\n{body}')


REPORT_MATRIX = f"""\
[match]
identifiers = ["ldr_*"]

[codes]
OK = 0
FAIL = 0x8000000000000001

[leaves]
ONE = 1

[[unit]]
name = "ldr_a.c"
path = "{A}"

[[unit]]
name = "ldr_b.c"
path = "{B}"

[[entry]]
name = "ldr_report"
args = ["fn", "answer", "args"]

[[script]]
name = "fail"
answers = ["FAIL"]
"""


def _report_moved(tmp_path: Path) -> Path:
    """Patch 1 creates ldr_a.c with a static ldr_report(), ldr_b.c and the header both include; patch 2 moves
    ldr_report() into the header (static inline), ldr_b.c still not calling it."""
    from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, Step, revision, with_objects
    from tests.mailgen import write_mbox

    decl = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
    one = ((HDR, None, HEADER.format(decl)), (A, None, _unit("ldr-a", REPORT.format("") + QUERY_A)),
           (B, None, _unit("ldr-b", QUERY_B)),
           (MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "ldr_a.o", "ldr_b.o")))
    two = ((HDR, HEADER.format(decl), HEADER.format(decl + REPORT.format("inline "))),
           (A, _unit("ldr-a", REPORT.format("") + QUERY_A), _unit("ldr-a", QUERY_A)))
    msgs = revision(2, [Step("ldr: Add the loader queries", one), Step("ldr: Move ldr_report() to the header", two)],
                    cover="Loader queries")
    return write_mbox(tmp_path / "r.mbox", msgs)


def test_gcc_refuses_a_call_of_another_files_static_function(tmp_path: Path) -> None:
    # The oracle of what follows: ldr_b.c cannot call ldr_a.c's static ldr_report() (gcc links no such call).
    import shutil
    import subprocess

    if shutil.which("gcc") is None:
        pytest.skip("no gcc")
    pre = "typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\nint printf(const char *, ...);\n" \
          "#define pr_err(...) printf(__VA_ARGS__)\n"
    (tmp_path / "a.c").write_text(pre + REPORT.format("") + "void keep(void) { ldr_report(1, 2, 0); }\n")
    (tmp_path / "b.c").write_text(pre + "void ldr_report(u64, u64, struct tdx_module_args *);\n"
                                  "int main(void) { ldr_report(1, 2, 0); return 0; }\n")
    res = subprocess.run(["gcc", "a.c", "b.c", "-o", "ab"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert res.returncode != 0 and "undefined reference to `ldr_report'" in res.stderr, res.stderr


def test_a_static_helper_moved_to_a_shared_header_is_new_to_the_other_unit(tmp_path: Path) -> None:
    # ldr_report() run "in ldr_b.c" before the move was ldr_a.c's copy, printing "ldr-a: "; after it, ldr_b.c's
    # copy, "ldr-b: ". The move was "a code move that changes behaviour: log: text 'ldr-a' -> 'ldr-b'", though
    # ldr_b.c could not call it before and does not call it after.
    from harness.pipeline import EvalRequest, evaluate

    (tmp_path / "m.toml").write_text(REPORT_MATRIX)
    ev = evaluate(EvalRequest((_report_moved(tmp_path),), matrix=tmp_path / "m.toml", jobs=1))
    [move] = [f for f in ev.comparison.findings if f.kind.startswith("code-move")]
    assert move.kind == "code-move", move.text
    [cmp] = [c for c in ev.comparison.per_patch if c.b == "v2:02"]
    assert {d.scenario.unit.name for d in cmp.differences} == {"ldr_b.c"}
    assert {d.notes for d in cmp.differences} == {(
        f"ldr_report() is new to {B}: in v2:01 it is a static function of {A}:6, which {B} cannot call",)}
    [first] = [c for c in ev.comparison.per_patch if c.b == "v2:01"]
    assert [g.reason for g in first.gaps if "ldr_report" in g.entries] == [
        f"ldr_report() does not run in {B}: v2:00 does not define ldr_report(): none of the files read has it (from "
        f"mail: only the files the patches change); "
        f"v2 01/2 adds it later (a tree would not hold it yet); in v2:01 it is a static function of {A}:6, which "
        f"{B} cannot call"]


def test_an_equivalence_says_why_a_unit_gains_an_entry_point(tmp_path: Path) -> None:
    # An entry point found in the code that the reference keeps static in another .c file: the note said "new in
    # v2 (v2:01 does not provide it)", of a function v2:01 has.
    from harness.equivalence import _one_sided
    from harness.pipeline import EvalRequest, evaluate
    from models.outcome import NOT_PROVIDED, Outcome, OutcomeStatus

    (tmp_path / "m.toml").write_text(REPORT_MATRIX)
    ev = evaluate(EvalRequest((_report_moved(tmp_path),), matrix=tmp_path / "m.toml", jobs=1))
    ref, v = ev.variants.get("v2:01"), ev.variants.get("v2")
    ran = Outcome(OutcomeStatus.OK, ret=0, ret_type="void")
    assert _one_sided(ref, v, ("ldr_report", "ldr_report", B), NOT_PROVIDED, ran) == (
        f"ldr_report() is new to {B} in v2 (in v2:01 it is a static function of {A}:6, which {B} cannot call): not "
        "compared, nothing to compare it with")
    assert _one_sided(v, ref, ("ldr_report", "ldr_report", B), ran, NOT_PROVIDED) == (
        f"ldr_report() is gone from {B} in v2:01 (in v2:01 it is a static function of {A}:6, which {B} cannot call): "
        "not compared, nothing to compare it with")



# sc_retry()'s loop split off into a recursive helper above it, sc_retry() left calling it, and P-SEAMLDR's own "no
# entropy" code retried too. git's diff shows sc_retry()'s first line removed and added again below the helper, and
# half its old body lines added back: as the helper's body, not sc_retry()'s.
LOOP = ("static __always_inline u64 sc_retry(sc_func_t op, u64 fn,\n\t\t\t   struct tdx_module_args *args)\n{\n"
        "\tint left = RDRAND_RETRY_LOOPS;\n\tu64 err;\n\n\tdo {\n\t\tpreempt_disable();\n"
        "\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"
        "\t} while (err == TDX_RND_NO_ENTROPY && --left);\n\n\treturn err;\n}\n")
RECURSIVE = ("static __always_inline bool sc_busy(u64 err)\n{\n\treturn err == TDX_RND_NO_ENTROPY || "
             "err == 0x8000000000030001ULL;\n}\n\n"
             "static inline u64 sc_retry_left(sc_func_t op, u64 fn, struct tdx_module_args *args,\n"
             "\t\t\t\t int left)\n{\n"
             "\tu64 err;\n\n\tpreempt_disable();\n\terr = sc_mark_dirty(op, fn, args);\n\tpreempt_enable();\n\n"
             "\tif (sc_busy(err) && --left)\n\t\treturn sc_retry_left(op, fn, args, left);\n\n"
             "\treturn err;\n}\n\n"
             "static __always_inline u64 sc_retry(sc_func_t op, u64 fn,\n\t\t\t   struct tdx_module_args *args)\n{\n"
             "\treturn sc_retry_left(op, fn, args, RDRAND_RETRY_LOOPS);\n}\n")
MARK = ("static __always_inline u64 sc_mark_dirty(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n"
        "\tthis_cpu_write(cache_state_incoherent, true);\n\treturn op(fn, args);\n}\n\n")
MACROS = "\n#define seamcall(_fn, _args)\t\tsc_retry(__seamcall, (_fn), (_args))\n"


def test_a_body_split_off_into_a_new_helper_is_no_move_of_its_function(tmp_path: Path) -> None:
    # sc_retry() was taken for moved in its file ("06/7 moves sc_retry (body 0% the same: changed in the move)"),
    # and the moves rule failed the patch for the change of behaviour that is its own, which other rules judge: its
    # old lines were looked for among every line the patch adds, and found in sc_retry_left().
    mail, _ = _mail_and_moved_lines(tmp_path, MARK + LOOP + MACROS, MARK + RECURSIVE + MACROS)
    patch = parse_series(IngestRequest((mail,))).all_patches()[0]
    lines = [ln for f in patch.files for h in f.hunks for ln in h.lines]
    heads = [ln.kind.name for ln in lines if ln.text.startswith("static __always_inline u64 sc_retry(")]
    assert heads == ["REMOVED", "ADDED"], heads  # git shows its first line removed and added again
    assert not moved_definitions(patch)


def test_a_digraph_define_heads_a_definition_as_its_hash_spelling_does() -> None:
    # '%:' is '#' (C11 6.4.6p3): gcc defines SC_X by '%:define SC_X 1'. It was no definition: a patch moving or
    # adding the macro was read as moving or adding nothing. Blanks before it are a directive's too (gcc -dM -E
    # lists SC_Y), the line after code is none.
    from harness.moves import _heads

    assert _heads(["%:define SC_X 1", "  %: define SC_Y(a) (a)", "#define SC_Z 2", "x %:define SC_W 3"]) == {
        "SC_X": "%:define SC_X 1", "SC_Y": "%: define SC_Y(a) (a)", "SC_Z": "#define SC_Z 2"}

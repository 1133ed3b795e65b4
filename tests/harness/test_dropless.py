"""harness.dropless: eval and gate build, run and judge the earlier state without the patches dropped since alike.

The series are our own (tests.harness.seriesgen, tests.harness.kerneltreegen); git am decides which states exist
and gcc -E what their code is: the tests check both before they judge."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, build_variants, evaluate, read_inputs, with_matrix
from harness.verdict import VerdictStatus
from tests.harness.kerneltreegen import ARCHRANDOM_H, DIR, Built, Commit, build, revisions_on, tree_file
from tests.harness.seriesgen import NEW_HOME, PREPARE, Step, revision
from tests.harness.test_change_before_patch_new import (
    BASE,
    CREATE,
    EXPLAIN,
    TIGHTEN,
    UNCHANGED,
    WRAP,
    _beside_tries,
    _code_after,
    _constant,
    _dropping_tighten,
    _explained,
    _fewer,
)
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("git") is None,
                                reason="gcc and git (the oracles) are needed")
EBUSY = "x86/virt/tdx: Fail SEAMCALL helpers with -EBUSY"


def _busy(text: str) -> str:
    return text.replace("\treturn -EIO;", "\treturn -EBUSY;")


def _two_drops() -> list[EmailMessage]:
    """v1: the header, 02 'Retry fewer times', 03 'Fail with -EBUSY', 04 'Explain', the titled patch, the wrapper;
    v2 drops 02 and 03 and words 04's comment otherwise."""
    fewer = _fewer(BASE)
    busy = _busy(fewer)
    was = _explained(busy, "SEAMCALL helpers")
    v1 = [CREATE, Step(TIGHTEN, ((NEW_HOME, BASE, fewer),)), Step(EBUSY, ((NEW_HOME, fewer, busy),)),
          Step(EXPLAIN, ((NEW_HOME, busy, was),)), Step(PREPARE, ((NEW_HOME, was, _constant(was)),)), WRAP]
    mine = _explained(BASE, "The SEAMCALL helpers")
    v2 = [CREATE, Step(EXPLAIN, ((NEW_HOME, BASE, mine),)), Step(PREPARE, ((NEW_HOME, mine, _constant(mine)),)),
          WRAP]
    return revision(1, v1) + revision(2, v2)


def _both(tmp: Path, paths: tuple[Path, ...], rule: str, tree: Path | None = None, rules: Path | None = None
          ) -> tuple[tuple[VerdictStatus, str], ...]:
    """The rule's verdict on v2 as `seamharness gate --variant v2` gives it, then as `seamharness eval` does."""
    gate = evaluate_gate(GateRequest(paths, "v2", jobs=1, cache=tmp / "gate-cache", tree=tree, rules=rules))
    [judged] = [v for v in gate.verdicts if v.rule.id == rule]
    ev = evaluate(EvalRequest(paths, jobs=1, cache=tmp / "eval-cache", tree=tree, rules=rules))
    assert ev.judgement is not None
    [row] = [r for r in ev.judgement.rows if r.rule.id == rule]
    # eval shows and compares the states the input names: the one built aside is neither a column nor judged
    assert all("-" not in v.name.partition(":")[2] for v in ev.result.variants)
    assert all("-" not in name.partition(":")[2] for name in row.verdicts)
    return (judged.status, judged.note), (row.verdicts["v2"].status, row.verdicts["v2"].note)


@pytest.mark.parametrize(("kind", "status", "said"), [
    ("alike", VerdictStatus.PASS, "which v2 dropped: alike against v1:03-02, built without it"),
    ("own", VerdictStatus.INCONCLUSIVE, "(v2:02 against v1:03-02, where its earlier version left the code"),
    ("refused", VerdictStatus.INCONCLUSIVE, "against v1:03-02, which cannot be built: v1 03/5 does not apply "
                                            "without it ("),
])
def test_eval_judges_a_patch_changed_after_a_dropped_one_as_the_gate_does(tmp_path: Path, kind: str,
                                                                          status: VerdictStatus, said: str) -> None:
    # Before: eval built no v1:03-02 and said INCONCLUSIVE "(the earlier revision without it is not built to tell:
    # seamharness gate builds it)" in each case, where the gate passed the first. Oracle (git am, gcc -E): v1 01+03
    # builds v2 01+02's code (alike), or not (own: v1 03 also returned -EBUSY), or git am refuses v1 03 (refused).
    msgs = _dropping_tighten(v1_own=_busy) if kind == "own" else \
        _dropping_tighten(explain=_beside_tries) if kind == "refused" else _dropping_tighten()
    v1, v2 = msgs[1:6], msgs[7:11]
    without, now = _code_after(tmp_path, [v1[0], v1[2]]), _code_after(tmp_path, v2[:2])
    assert now is not None and (without == now if kind == "alike" else without != now)
    assert (without is None) is (kind == "refused")
    gate, ev = _both(tmp_path, (write_mbox(tmp_path / "s.mbox", msgs),), UNCHANGED)
    assert gate == ev
    assert gate[0] is status and said in gate[1], gate[1]


def test_two_dropped_patches_are_left_out_of_the_earlier_state_together(tmp_path: Path) -> None:
    # v1 1-6, v2 drops 02 and 03. Oracle: v1 01+04 builds v2 01+02's code (comments aside); with either dropped patch
    # kept it does not (3 tries, or -EBUSY). Both commands build v1:04-02-03 and pass against it.
    msgs = _two_drops()
    v1, v2 = msgs[1:7], msgs[8:12]
    now = _code_after(tmp_path, v2[:2])
    assert _code_after(tmp_path, [v1[0], v1[3]]) == now
    assert now not in (_code_after(tmp_path, [v1[0], v1[1], v1[3]]), _code_after(tmp_path, [v1[0], v1[2], v1[3]]))
    gate, ev = _both(tmp_path, (write_mbox(tmp_path / "s.mbox", msgs),), UNCHANGED)
    assert gate == ev
    assert gate[0] is VerdictStatus.PASS, gate[1]
    assert f"v2 02/4 '{EXPLAIN}', whose earlier version came after v1 02/6 '{TIGHTEN}', v1 03/6 '{EBUSY}', which v2 " \
           "dropped: alike against v1:04-02-03, built without them" in gate[1], gate[1]


TDX = f"{DIR}/tdx.c"
RULES = """\
[[rule]]
id = "tdx-calls-kept"
reviewer = "Rita Reviewer"
summary = "the P-SEAMLDR constant's patch leaves the SEAMCALL helpers as they were"
severity = "error"
patch = "Add the P-SEAMLDR info leaf"
[rule.check]
kind = "equivalence"
reference = "before:patch"
scenarios = { entry = "seamcall*" }
"""


def _on_tree(built: Built, where: Path, two: bool) -> dict[int, Path]:
    """v1: rename sc_retry(), retry fewer times, print the leaf in the module's notation, explain the macros, add a
    leaf; v2 drops the second and third (``two``; else the second alone) and words the comment otherwise."""
    base = tree_file(TDX).replace("sc_retry(", "seamcall_retry(")
    fewer = base.replace("int retry = RDRAND_RETRY_LOOPS;", "int retry = 3;")
    noted = fewer.replace("SEAMCALL (0x%016llx) failed: 0x%016llx", "SEAMCALL %#llx failed: %#llx")
    mark = "#define seamcall(_fn"

    def explain(text: str, words: str) -> str:
        return text.replace(mark, f"/* {words} */\n{mark}", 1)

    def leaf(text: str) -> str:
        return text.replace("#define TDH_SYS_LP_INIT\t\t35\n", "#define TDH_SYS_LP_INIT\t\t35\n#define SEAMLDR_INFO\t\t"
                                                               "0x8000000000000000ULL\n")
    kept = noted if two else fewer
    notation: list[Commit] = [("x86/virt/tdx: Print SEAMCALL errors in the module's notation",
                               "As the spec writes them.", {TDX: noted})]
    v1: list[Commit] = [
        ("x86/virt/tdx: Rename sc_retry() to seamcall_retry()", "A clearer name.", {TDX: base}),
        ("x86/virt/tdx: Retry SEAMCALLs fewer times", "Three is enough.", {TDX: fewer}), *(notation if two else []),
        ("x86/virt/tdx: Explain the SEAMCALL macros", "Say what they are.", {TDX: explain(kept, "The macros")}),
        ("x86/virt/tdx: Add the P-SEAMLDR info leaf", "Its number.", {TDX: leaf(explain(kept, "The macros"))})]
    mine = explain(base, "The SEAMCALL macros")
    v2: list[Commit] = [v1[0], ("x86/virt/tdx: Explain the SEAMCALL macros", "Say what they are.", {TDX: mine}),
                        ("x86/virt/tdx: Add the P-SEAMLDR info leaf", "Its number.", {TDX: leaf(mine)})]
    return revisions_on(built, where, {1: v1, 2: v2}, "x86/virt/tdx: SEAMCALL helper tidying")


def _tdx_after(built: Built, tmp: Path, mails: list[Path]) -> str | None:
    """git am of ``mails`` on the tree's base in a clone, then gcc -E of tdx.c (None: git am refuses them)."""
    clone = tmp / f"clone{len(list(tmp.glob('clone*')))}"
    subprocess.run(["git", "clone", "-q", str(built.tree), str(clone)], check=True, capture_output=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", built.base], check=True, capture_output=True)
    env = {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.net", "HOME": str(tmp), "PATH": "/usr/bin:/bin"}
    if subprocess.run(["git", "-C", str(clone), "am", "-q", *map(str, mails)], capture_output=True,
                      env=env).returncode != 0:
        return None
    return subprocess.run(["gcc", "-E", "-P", "-nostdinc", "-Iinclude", "-Iarch/x86/include", TDX], cwd=clone,
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("two", [False, True], ids=["one-dropped", "two-dropped"])
def test_with_a_tree_the_earlier_state_is_built_on_the_revisions_base(tmp_path: Path, two: bool) -> None:
    # A kernel-like tree (git format-patch --base): the state without the dropped patches is built on the tree's
    # base as the others are. Oracle: git am of v1 01 and its 'Explain' on the base builds v2 01+02's tdx.c, comments
    # aside; with the dropped patches it does not (3 tries; the log's format).
    built = build(tmp_path / "kernel")
    out = _on_tree(built, tmp_path / "series", two)
    v1, v2 = sorted(out[1].glob("v1-000[1-9]-*")), sorted(out[2].glob("v2-000[1-9]-*"))
    now = _tdx_after(built, tmp_path, v2[:2])
    assert now is not None and _tdx_after(built, tmp_path, [v1[0], v1[-2]]) == now
    assert _tdx_after(built, tmp_path, v1[:-1]) != now
    (tmp_path / "rules.toml").write_text(RULES)
    gate, ev = _both(tmp_path, (out[1], out[2]), "tdx-calls-kept", tree=built.tree, rules=tmp_path / "rules.toml")
    assert gate == ev
    name = "v1:04-02-03" if two else "v1:03-02"
    assert gate[0] is VerdictStatus.PASS, gate[1]
    assert f"alike against {name}, built without {'them' if two else 'it'}" in gate[1], gate[1]


def _header_only(built: Built, where: Path) -> dict[int, Path]:
    """Patches to asm/archrandom.h alone (tdx.c, the matrix's unit, includes it; no patch touches tdx.c): v1 pads
    it, retries fewer times, explains it, adds a constant; v2 drops the second and words the comment otherwise."""
    base = tree_file(ARCHRANDOM_H).replace("#define RDRAND_WORDS\t\t4\n", "#define RDRAND_WORDS\t\t4\n" + "".join(
        f"#define RDRAND_PAD{i}\t{i}\n" for i in range(8)))
    fewer = base.replace("#define RDRAND_RETRY_LOOPS\t10", "#define RDRAND_RETRY_LOOPS\t3")

    def explain(text: str, words: str) -> str:
        return text.replace("\n#endif", f"/* {words} */\n\n#endif", 1)

    def extra(text: str) -> str:
        return text.replace("\n#endif", "#define RDRAND_EXTRA\t1\n\n#endif")
    pads: Commit = ("x86/rdrand: Name the padding words", "Named.", {ARCHRANDOM_H: base})
    was, mine = explain(fewer, "The words"), explain(base, "The RDRAND words")
    v1: list[Commit] = [pads, ("x86/rdrand: Retry fewer times", "Three.", {ARCHRANDOM_H: fewer}),
                        ("x86/rdrand: Explain the words", "Say.", {ARCHRANDOM_H: was}),
                        ("x86/rdrand: Add an extra constant", "One.", {ARCHRANDOM_H: extra(was)})]
    v2: list[Commit] = [pads, ("x86/rdrand: Explain the words", "Say.", {ARCHRANDOM_H: mine}),
                        ("x86/rdrand: Add an extra constant", "One.", {ARCHRANDOM_H: extra(mine)})]
    return revisions_on(built, where, {1: v1, 2: v2}, "x86/rdrand: tidying")


def test_with_a_tree_the_earlier_state_reads_the_matrix_units_no_patch_touches(tmp_path: Path) -> None:
    # The patches change a header alone: tdx.c, which runs it, is read from the tree in every state, the one without
    # the dropped patch too. Before: that state lacked tdx.c ("v1:03-02 does not define seamcall(), ...: none of the
    # files read from the tree has them"), the comparison unjudged, the rule inconclusive in gate and eval alike.
    # Oracle: git am of v1 01+03 on the base makes tdx.c's gcc -E what v2 01+02 make (10 tries); with 02, 3 tries.
    built = build(tmp_path / "kernel")
    out = _header_only(built, tmp_path / "series")
    v1, v2 = sorted(out[1].glob("v1-000[1-9]-*")), sorted(out[2].glob("v2-000[1-9]-*"))
    now = _tdx_after(built, tmp_path, v2[:2])
    assert now is not None and _tdx_after(built, tmp_path, [v1[0], v1[2]]) == now != _tdx_after(built, tmp_path,
                                                                                                 v1[:3])
    (tmp_path / "rules.toml").write_text(RULES.replace("Add the P-SEAMLDR info leaf", "Add an extra constant"))
    gate, ev = _both(tmp_path, (out[1], out[2]), "tdx-calls-kept", tree=built.tree, rules=tmp_path / "rules.toml")
    assert gate == ev
    assert gate[0] is VerdictStatus.PASS, gate[1]
    assert "which v2 dropped: alike against v1:03-02, built without it" in gate[1], gate[1]


def test_the_entry_points_of_a_state_aside_are_discovered(tmp_path: Path) -> None:
    # with_matrix finds the entry points of the states aside too: v1's wrapper (seamldr_ops.c), which v2 has not,
    # runs only where the v1 state aside is (before: the discovery read the variants it was given alone).
    msgs = revision(1, [CREATE, WRAP]) + revision(2, [CREATE])
    req = EvalRequest((write_mbox(tmp_path / "s.mbox", msgs),), jobs=1)
    series = read_inputs(req)
    v1 = build_variants(req, series, ("v1",)).get("v1")
    alone = with_matrix(req, series, build_variants(req, series, ("v2",)), ("v2",))[1]
    beside = with_matrix(req, series, build_variants(req, series, ("v2",)), ("v2",),
                         lambda vs, _units, _entries: replace(vs, aside=(v1,)))
    names = {e.name for e in beside[1].entries} - {e.name for e in alone.entries}
    assert "seamldr_query" in names, names
    assert beside[0].aside == (v1,)

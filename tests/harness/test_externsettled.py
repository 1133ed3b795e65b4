"""With --tree, a retry code of external linkage no other file may set keeps its pass (harness.externsettled).

gcc is the oracle where a file of the tree stores to it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.gitoracle import init_repo
from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE
from tests.harness.test_retry_code_set_outside import _ORACLE, _OTHER_FILE, EXTERN, RULE, _extern_series
from tests.mailgen import write_mbox

DEFINED = "u64 sc_busy_code = TDX_RND_NO_ENTROPY;\n"
OTHER = "drivers/virt/sc_other.c"  # a file of the tree no patch touches, storing to the retry code


def _judge(tmp: Path, definition: str, tree: dict[str, str] | None) -> tuple[VerdictStatus, str]:
    """The rule judging v2 of the series defining the retry code by ``definition``, with a tree of ``tree``'s files
    besides the Makefile the series changes (None: no tree)."""
    repo = None if tree is None else init_repo(tmp / "tree", {MAKEFILE: MAKEFILE_BASE, **tree})
    mbox = write_mbox(tmp / "v2.mbox", _extern_series(definition))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None, tree=repo))
    (v,) = [v for v in gate.verdicts if v.rule.id == RULE]
    return v.status, v.note


def test_a_retry_code_no_file_of_the_tree_names_keeps_its_pass(tmp_path: Path) -> None:
    # The tree at the base names sc_busy_code nowhere: only the series' files, read whole, may store to it.
    status, note = _judge(tmp_path, DEFINED, {})
    assert status is VerdictStatus.PASS, note


def test_a_retry_code_a_file_of_the_tree_stores_to_is_not_a_pass(tmp_path: Path) -> None:
    # gcc, the tree's file linked in: 1 SEAMCALL, then 2 once its hook ran.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    main = _ORACLE.replace("int main", DEFINED + EXTERN + "\nint main").replace(
        "\tsc_retry_seamldr_busy();", "\tsc_other_file_hook();").replace(
        "static int calls;", "static int calls;\nvoid sc_other_file_hook(void);")
    (tmp_path / "main.c").write_text(main)
    (tmp_path / "other.c").write_text(_OTHER_FILE)
    exe = tmp_path / "oracle"
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(tmp_path / "main.c"),
                    str(tmp_path / "other.c")], check=True)
    assert subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split() == ["1", "2"]
    for path in (OTHER, "arch/x86/virt/vmx/tdx/sc_other.S"):  # an assembly file's store too
        status, note = _judge(tmp_path / path.rsplit(".", 1)[1], DEFINED, {path: _OTHER_FILE})
        assert status is VerdictStatus.INCONCLUSIVE, note
        assert "it is defined without static (arch/x86/virt/vmx/tdx/seamldr_ops.c:" in note, note


def test_an_exported_retry_code_is_not_a_pass_whatever_the_tree(tmp_path: Path) -> None:
    # A module built outside the tree may store to it.
    status, note = _judge(tmp_path, DEFINED + "EXPORT_SYMBOL_GPL(sc_busy_code);\n", {})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "it is defined without static (" in note, note


def test_a_setter_in_the_files_read_that_no_run_executes_is_still_found(tmp_path: Path) -> None:
    setter = DEFINED + "void sc_retry_seamldr_busy(void)\n{\n\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;\n}\n"
    status, note = _judge(tmp_path, setter, {})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note, note


def test_without_a_tree_nothing_is_settled(tmp_path: Path) -> None:
    status, note = _judge(tmp_path, DEFINED, None)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "it is defined without static (" in note, note


@pytest.mark.parametrize("more", ['EXPORT_SYMBOL_NS_GPL(sc_busy_code, "TDX");\n',
                                  "#define sc_busy_alias \\\n\tsc_busy_code\n"])
def test_one_exported_to_a_namespace_or_named_by_a_macro_is_not_a_pass(tmp_path: Path, more: str) -> None:
    # A module of the namespace may store to it; a file storing through the macro need not name it.
    status, note = _judge(tmp_path, DEFINED + more, {})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "it is defined without static (" in note, note


def test_a_macro_of_a_file_read_but_not_the_variants_naming_it_is_not_settled() -> None:
    # A tree header read whole, '#define sc_busy_alias sc_busy_code': a file of the tree storing through the alias
    # need not name sc_busy_code, so git grep's list of files naming it is not every possible setter.
    from types import SimpleNamespace
    from typing import Any

    from harness.externsettled import settled_externals
    from models.loader import Source

    code = Source("x/a.c", ((1, ("u64 sc_busy_code = 1;",)),), True)
    header = Source("x/alias.h", ((1, ("#define sc_busy_alias sc_busy_code",)),), True)
    v: Any = SimpleNamespace(base="0" * 40, files=())
    alone: Any = SimpleNamespace(mentioning=lambda _v, _name: ("x/a.c",))
    assert settled_externals(v, (code,), alone, {"sc_busy_code"}) == {"sc_busy_code"}
    aliased: Any = SimpleNamespace(mentioning=lambda _v, _name: ("x/a.c", "x/alias.h"))
    assert settled_externals(v, (code, header), aliased, {"sc_busy_code"}) == frozenset()

"""A ``__weak`` retry code a file defines strong elsewhere runs with the strong value, or is no pass; gcc the oracle.

ld links a strong definition over a weak one (harness.weakdefs follows one a built .c file of the tree gives,
models.redefinition.strong_over_weak one the state's files give); where files not read may give one, a rule reading
the variable is INCONCLUSIVE (harness.outsidewrites, harness.externsettled)."""

from __future__ import annotations

import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.gitoracle import init_repo
from tests.harness.seriesgen import (
    MAKEFILE,
    MAKEFILE_BASE,
    NEW_HOME,
    PREAMBLE,
    PREPARE,
    PRINTERS,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
    with_objects,
)
from tests.harness.test_retry_code_set_outside import _ORACLE, EXTERN, RULE
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

WEAK = "u64 __weak sc_busy_code = TDX_RND_NO_ENTROPY;\n"
# The P-SEAMLDR's "no entropy": the retry loop retries it, which the rule forbids.
STRONG = "#include <linux/types.h>\n\nu64 sc_busy_code = 0x8000000000030001ULL;\n"
OWN_STRONG = "arch/x86/virt/vmx/tdx/sc_strong.c"  # a file the series adds
TREE_STRONG = "drivers/virt/sc_strong.c"  # a file of the tree no patch touches
BUILT = {"drivers/virt/Makefile": "obj-y += sc_strong.o\n"}


def _series(definition: str, strong: str | None) -> list[EmailMessage]:
    """The retry loop reading an extern sc_busy_code that the wrapper's file defines by ``definition``, and a file
    of its own the series adds, built, defining it by ``strong`` (None: no such file)."""
    extern = EXTERN.replace("extern u64", "extern const u64") if definition.startswith("const") else EXTERN
    objects = "seamldr_ops.o" + (" sc_strong.o" if strong else "")
    files = ((WRAPPER, None, WRAPPER_C + "\n" + definition), (MAKEFILE, MAKEFILE_BASE,
                                                              with_objects(MAKEFILE_BASE, objects)))
    base = helpers(RETRY_SAFE)
    return revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, PREAMBLE + extern + "\n" + PRINTERS + TAIL),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
             files + (((OWN_STRONG, None, strong),) if strong else ())),
    ])


def _judge(tmp: Path, definition: str, tree: dict[str, str] | None, strong: str | None = None
           ) -> tuple[VerdictStatus, str]:
    tmp.mkdir(parents=True, exist_ok=True)
    repo = None if tree is None else init_repo(tmp / "tree", {MAKEFILE: MAKEFILE_BASE, **tree})
    mbox = write_mbox(tmp / "v2.mbox", _series(definition, strong))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None, tree=repo))
    (v,) = [v for v in gate.verdicts if v.rule.id == RULE]
    return v.status, v.note


def _gcc(tmp: Path, definition: str, other: str | None, level: str = "-O0") -> list[str]:
    """What _ORACLE prints (SEAMCALLs of each of two retry loops) with the retry code defined by ``definition`` and
    ``other`` linked in as a file of its own (None: none), built and linked by gcc at ``level``."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    extern = EXTERN.replace("extern u64", "extern const u64") if definition.startswith("const") else EXTERN
    main = _ORACLE.replace("int main", definition.replace("__weak", "__attribute__((weak))") + extern
                           + "\nint main").replace("\tsc_retry_seamldr_busy();\n", "")
    (tmp / "main.c").write_text(main)
    objects = [str(tmp / "main.c")]
    if other is not None:
        (tmp / "other.c").write_text(other.replace("#include <linux/types.h>", "typedef unsigned long long u64;"))
        objects.append(str(tmp / "other.c"))
    subprocess.run(["gcc", level, "-Wall", "-o", str(tmp / "oracle"), *objects], check=True)
    return subprocess.run([str(tmp / "oracle")], check=True, capture_output=True, text=True).stdout.split()


def test_a_weak_retry_code_a_built_file_of_the_tree_defines_strong_runs_with_the_strong_value(tmp_path: Path) -> None:
    # gcc links the strong object: the P-SEAMLDR's code is retried (2 SEAMCALLs each), at -O0 and -O2. The runs read
    # the weak one's value (1): PASS before; the strong definition is followed now, and the rule fails as the kernel.
    assert _gcc(tmp_path, WEAK, STRONG) == _gcc(tmp_path, WEAK, STRONG, "-O2") == ["2", "2"]
    status, note = _judge(tmp_path / "c", WEAK, {TREE_STRONG: STRONG, **BUILT})
    assert status is VerdictStatus.FAIL, note


def test_a_const_weak_retry_code_a_built_file_of_the_tree_defines_strong_is_not_run(tmp_path: Path) -> None:
    # gcc -O0 reads the strong object (2 SEAMCALLs); -O2 folds the weak initializer in its own unit (1): the value
    # is the build's. It was PASS (the weak one's value).
    strong = STRONG.replace("u64 sc", "const u64 sc")
    assert _gcc(tmp_path, "const " + WEAK, strong) == ["2", "2"]
    assert _gcc(tmp_path, "const " + WEAK, strong, "-O2") == ["1", "1"]
    status, note = _judge(tmp_path / "c", "const " + WEAK, {TREE_STRONG: strong, **BUILT})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "not the kernel's code: seamldr_query() reaches sc_busy_code; sc_busy_code at arch/x86/virt/vmx/tdx/" \
        "seamldr_ops.c:12 is __weak and const, and drivers/virt/sc_strong.c defines it strong, which kbuild builds" \
        in note, note


def test_a_weak_retry_code_a_file_the_series_adds_defines_strong_runs_with_the_strong_value(tmp_path: Path) -> None:
    # Both files are the state's: the mirror refused two definitions (INCONCLUSIVE); ld links the strong one.
    assert _gcc(tmp_path, WEAK, STRONG) == ["2", "2"]
    for tree in (None, {}):
        status, note = _judge(tmp_path / str(tree is None), WEAK, tree, STRONG)
        assert status is VerdictStatus.FAIL, note


def test_a_weak_retry_code_nothing_overrides_keeps_its_pass(tmp_path: Path) -> None:
    # gcc, the weak object alone: 1 SEAMCALL each. Every file of the tree naming it is read: none defines it, or one
    # kbuild does not build does (no Makefile names sc_strong.o; another architecture's: ld links the weak one; both
    # were INCONCLUSIVE).
    assert _gcc(tmp_path, "const " + WEAK, None) == ["1", "1"]
    unbuilt = {TREE_STRONG: STRONG, "drivers/virt/Makefile": "obj-y += x.o\n"}
    arm = {"arch/arm64/kernel/sc_strong.c": STRONG, "arch/arm64/kernel/Makefile": "obj-y += sc_strong.o\n"}
    for const, tree in (("", {}), ("const ", {}), ("", unbuilt), ("", arm)):
        status, note = _judge(tmp_path / f"{const.strip()}{len(tree)}{'arm' if tree is arm else ''}", const + WEAK,
                              tree)
        assert status is VerdictStatus.PASS, note


@pytest.mark.parametrize(("tree", "said"), [
    (None, "it is __weak (arch/x86/virt/vmx/tdx/seamldr_ops.c:12): a strong definition in a file the mirror does "
           "not have may replace it"),
    ({"drivers/virt/sc_strong.S": ".globl sc_busy_code\n", **BUILT},
     "it is __weak (arch/x86/virt/vmx/tdx/seamldr_ops.c:12): drivers/virt/sc_strong.S, a file of the tree that is "
     "not C, names it"),
    ({TREE_STRONG: "#include <linux/types.h>\n#include <sc/define.h>\n\nDEFINE_SC_CODE(sc_busy_code);\n", **BUILT},
     "it is __weak (arch/x86/virt/vmx/tdx/seamldr_ops.c:12): drivers/virt/sc_strong.c:4 may define it strong"),
], ids=["no-tree", "assembly", "macro"])
def test_a_const_weak_retry_code_files_not_read_may_override_is_not_a_pass(
        tmp_path: Path, tree: dict[str, str] | None, said: str) -> None:
    # Const: no code stores to it, but a strong definition in a file not read (none read without a tree; one not C;
    # one a header's macro makes) replaces its value, as gcc shows above. It was PASS.
    status, note = _judge(tmp_path, "const " + WEAK, tree)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"reads sc_busy_code, a variable code no run executes may set: {said}" in note, note


@pytest.mark.parametrize(("tree", "said"), [
    ({TREE_STRONG: STRONG.replace("sc_busy_code =", "sc_busy_code __read_mostly ="), **BUILT},
     "drivers/virt/sc_strong.c:3 may define it strong: where kbuild builds that file, ld links its object"),
    ({TREE_STRONG: STRONG, "drivers/virt/sc_two.c": STRONG, "drivers/virt/Makefile": "obj-y += sc_strong.o sc_two.o\n"},
     "not known to link: seamldr_query() reaches sc_busy_code; sc_busy_code at arch/x86/virt/vmx/tdx/seamldr_ops.c:12"
     " is __weak; drivers/virt/sc_strong.c and drivers/virt/sc_two.c both define it strong"),
], ids=["not-followed", "two-strong"])
def test_a_weak_retry_code_a_strong_definition_not_followed_may_replace_is_not_a_pass(
        tmp_path: Path, tree: dict[str, str], said: str) -> None:
    # A strong definition git grep's line patterns miss ('__read_mostly' before '='), yet a file read holds: not
    # followed, said; two strong ones: ld refuses them. Both were PASS with the weak value.
    status, note = _judge(tmp_path, WEAK, tree)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert said in note, note


def test_a_retry_code_a_pragma_makes_weak_and_the_tree_defines_strong_is_not_a_pass(tmp_path: Path) -> None:
    # '#pragma weak sc_busy_code' (gcc: the symbol is weak) is not read for a variable, but the built file of the
    # tree defining it strong is: gcc links that one (2 SEAMCALLs each). It was PASS with the weak value.
    pragma = "#pragma weak sc_busy_code\n" + WEAK.replace("__weak ", "")
    assert _gcc(tmp_path, pragma, STRONG) == _gcc(tmp_path, pragma, STRONG, "-O2") == ["2", "2"]
    status, note = _judge(tmp_path / "c", pragma, {TREE_STRONG: STRONG, **BUILT})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "drivers/virt/sc_strong.c:3 defines it too: where kbuild builds that file, ld refuses two definitions " \
        "(multiple definition), or links that one over the runs' if theirs is weak (#pragma weak)" in note, note

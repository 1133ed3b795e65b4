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


def _gcc_linked(tmp: Path, other: str, main_more: str = "") -> list[str]:
    """What _ORACLE prints, the retry code defined by DEFINED (and ``main_more``) and ``other`` linked in as a file
    of its own whose sc_other_file_hook() runs between the two calls (built by gcc)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    main = _ORACLE.replace("int main", DEFINED + main_more + EXTERN + "\nint main").replace(
        "\tsc_retry_seamldr_busy();", "\tsc_other_file_hook();").replace(
        "static int calls;", "static int calls;\nvoid sc_other_file_hook(void);")
    (tmp / "main.c").write_text(main)
    (tmp / "other.c").write_text(other)
    exe = tmp / "oracle"
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(tmp / "main.c"),
                    str(tmp / "other.c")], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()


def test_a_retry_code_a_file_of_the_tree_stores_to_is_not_a_pass(tmp_path: Path) -> None:
    # gcc, the tree's file linked in: 1 SEAMCALL, then 2 once its hook ran.
    assert _gcc_linked(tmp_path, _OTHER_FILE) == ["1", "2"]
    status, note = _judge(tmp_path / "c", DEFINED, {OTHER: _OTHER_FILE})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "may set: sc_other_file_hook() (drivers/virt/sc_other.c:3), which no run executes, stores to it" in note
    # An assembly file's store is not looked for: the file is named.
    status, note = _judge(tmp_path / "S", DEFINED, {"arch/x86/virt/vmx/tdx/sc_other.S": _OTHER_FILE})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "it is defined without static (arch/x86/virt/vmx/tdx/seamldr_ops.c:12): arch/x86/virt/vmx/tdx/sc_other.S" \
        ", a file of the tree that is not C, names it" in note, note


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


def test_a_macro_naming_it_through_a_backslash_newline_is_not_a_pass(tmp_path: Path) -> None:
    # 'sc_busy_\' then 'code' is one name (C11 5.1.1.2p1 phase 2): gcc, a file storing through the alias, 1 then 2.
    # It was PASS: the macro's text, read unspliced, did not name it.
    alias = "#define sc_busy_alias sc_busy_\\\ncode\n"
    hook = f"void sc_other_file_hook(void)\n{{\n\tsc_busy_alias = {_STORE};\n}}\n"
    assert _gcc_linked(tmp_path, DECLARED + alias + hook) == ["1", "2"]
    status, note = _judge(tmp_path / "gate", DEFINED + alias, {})
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
    assert settled_externals(v, (code,), alone, {"sc_busy_code"}).settled == {"sc_busy_code"}
    aliased: Any = SimpleNamespace(mentioning=lambda _v, _name: ("x/a.c", "x/alias.h"))
    assert settled_externals(v, (code, header), aliased, {"sc_busy_code"}).settled == frozenset()


HEADER = "arch/x86/include/asm/sc_busy.h"  # a header of the tree no patch touches, declaring the retry code
DECLARED = "typedef unsigned long long u64;\nextern u64 sc_busy_code;\n"
READER = "#include <asm/sc_busy.h>\n\nu64 sc_peek{n}(void)\n{{\n\treturn READ_ONCE(sc_busy_code);\n}}\n"


def test_a_retry_code_files_of_the_tree_only_declare_and_read_keeps_its_pass(tmp_path: Path) -> None:
    # It was INCONCLUSIVE: the header and the reader, files the variant does not hold, were not read.
    status, note = _judge(tmp_path, DEFINED, {HEADER: DECLARED, "drivers/virt/sc_reader.c": READER.format(n="")})
    assert status is VerdictStatus.PASS, note


def test_a_reader_of_the_tree_calling_a_function_no_file_read_defines_keeps_its_pass(tmp_path: Path) -> None:
    # Every file spelling sc_busy_code is read, a header's macro storing to it among them: a call of one the reader
    # takes from a header not read stores to it by no name (it was INCONCLUSIVE at e3e4f4b2: "calls sc_trace_busy()").
    reader = READER.format(n="").replace("\treturn READ_ONCE", "\tsc_trace_busy(1);\n\treturn READ_ONCE")
    status, note = _judge(tmp_path, DEFINED, {HEADER: DECLARED, "drivers/virt/sc_reader.c": reader})
    assert status is VerdictStatus.PASS, note


# The hook of a file of the tree storing to the retry code, each as the kernel may: gcc runs it (a kernel header's
# WRITE_ONCE() given to gcc alone: the tree's file takes it from a header the harness does not read).
_STORE = "0x8000000000030001ULL"
_HOOKS = {
    "WRITE_ONCE": f"void sc_other_file_hook(void)\n{{\n\tWRITE_ONCE(sc_busy_code, {_STORE});\n}}\n",
    "address": f"static void sc_set(u64 *p)\n{{\n\t*p = {_STORE};\n}}\n\n"
               "void sc_other_file_hook(void)\n{\n\tsc_set(&sc_busy_code);\n}\n",
    "asm": 'void sc_other_file_hook(void)\n{\n\tasm volatile("movq %1, %0" : "=m" (sc_busy_code) : "r" '
           f"({_STORE}));\n}}\n",
    # The assembler stores by the symbol's name: no operand shows it.
    "asm symbol": 'void sc_other_file_hook(void)\n{\n\tasm volatile("movq %0, sc_busy_code(%%rip)" : : "r" '
                  f"({_STORE}) : \"memory\");\n}}\n",
    "own macro": f"#define SC_POKE(v) ((v) = {_STORE})\n\nvoid sc_other_file_hook(void)\n{{\n"
                 "\tSC_POKE(sc_busy_code);\n}\n",
    # A function of the name of one the runs execute: the file's own, which no run executes.
    "sc_retry": f"static void sc_retry(void)\n{{\n\tsc_busy_code = {_STORE};\n}}\n\n"
                "void sc_other_file_hook(void)\n{\n\tsc_retry();\n}\n",
}
_KERNEL = "#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))\n"


@pytest.mark.parametrize("how", sorted(_HOOKS))
def test_a_retry_code_a_file_of_the_tree_read_stores_to_is_not_a_pass(tmp_path: Path, how: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the hook ran. Each store is found in the file read, named with its line.
    assert _gcc_linked(tmp_path, _KERNEL + DECLARED + _HOOKS[how]) == ["1", "2"]
    other = "#include <asm/sc_busy.h>\n\n" + _HOOKS[how]
    status, note = _judge(tmp_path, DEFINED, {HEADER: DECLARED, OTHER: other,
                                               "drivers/virt/sc_reader.c": READER.format(n="")})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "(drivers/virt/sc_other.c:" in note and "which no run executes," in note, note


def test_a_retry_code_a_file_of_the_tree_hands_to_a_macro_of_a_header_not_read_is_not_a_pass(tmp_path: Path) -> None:
    # SC_POKE() is a macro of a header that does not name sc_busy_code (no git grep lists it): gcc, the header
    # included, 1 SEAMCALL, then 2. The harness cannot tell a macro from a function there: not settled.
    poke = f"#define SC_POKE(v) ((v) = {_STORE})\n"
    hook = "void sc_other_file_hook(void)\n{\n\tSC_POKE(sc_busy_code);\n}\n"
    assert _gcc_linked(tmp_path, DECLARED + poke + hook) == ["1", "2"]
    status, note = _judge(tmp_path, DEFINED, {HEADER: DECLARED, "drivers/virt/sc_poke.h": poke,
                                               OTHER: '#include <asm/sc_busy.h>\n#include "sc_poke.h"\n\n' + hook})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "drivers/virt/sc_other.c:6 hands it to SC_POKE(), which no file read defines" in note, note


def test_more_files_of_the_tree_naming_it_than_are_read_is_not_a_pass(tmp_path: Path) -> None:
    from harness.changeusers import MAX_TREE_FILES

    def readers(count: int) -> dict[str, str]:
        return {HEADER: DECLARED} | {f"drivers/virt/sc_reader{n}.c": READER.format(n=n) for n in range(count - 1)}

    status, note = _judge(tmp_path / "at", DEFINED, readers(MAX_TREE_FILES))
    assert status is VerdictStatus.PASS, note
    status, note = _judge(tmp_path / "above", DEFINED, readers(MAX_TREE_FILES + 1))
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"{MAX_TREE_FILES + 1} files of the tree name it that the variant does not hold, more than are read (at " \
        f"most {MAX_TREE_FILES} a variant): not read" in note, note


_PASTER = "#define SC_CODE(which) sc_##which##_code\n"
_PASTED_HOOK = f"void sc_other_file_hook(void)\n{{\n\tSC_CODE(busy) = {_STORE};\n}}\n"


def test_a_macro_pasting_the_retry_codes_name_keeps_it_unsettled(tmp_path: Path) -> None:
    # A file of the tree stores through SC_CODE(busy) without naming sc_busy_code: gcc, 1 SEAMCALL, then 2.
    assert _gcc_linked(tmp_path, DECLARED + _PASTER + _PASTED_HOOK) == ["1", "2"]
    # The paster in the tree's header (read: it names sc_busy_code), or in the variant's file: it was PASS there.
    status, note = _judge(tmp_path / "tree", DEFINED, {HEADER: DECLARED + _PASTER,
                                                       "drivers/virt/sc_paster.c": _PASTED_HOOK})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "macro SC_CODE (arch/x86/include/asm/sc_busy.h:3) pastes a name that may be it (sc_##which##_code)" in note
    status, note = _judge(tmp_path / "own", DEFINED + _PASTER, {"drivers/virt/sc_paster.c": _PASTED_HOOK})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "macro SC_CODE (arch/x86/virt/vmx/tdx/seamldr_ops.c:" in note, note


def test_a_digraph_macro_pasting_the_retry_codes_name_keeps_it_unsettled(tmp_path: Path) -> None:
    # '%:define' is '#define' (C11 6.4.6p3): gcc, 1 SEAMCALL, then 2. It was PASS, the paster in the tree's header
    # or in the variant's file read by no macro pattern.
    paster = _PASTER.replace("#define", "%:define")
    assert _gcc_linked(tmp_path, DECLARED + paster + _PASTED_HOOK) == ["1", "2"]
    for where, definition, tree in (("tree", DEFINED, {HEADER: DECLARED + paster}), ("own", DEFINED + paster, {})):
        status, note = _judge(tmp_path / where, definition, {**tree, "drivers/virt/sc_paster.c": _PASTED_HOOK})
        assert status is VerdictStatus.INCONCLUSIVE, note
        assert "macro SC_CODE (" in note and "pastes a name that may be it (sc_##which##_code)" in note, note


@pytest.mark.parametrize(("macro", "pastes"), [
    ("#define SC_CODE(which) sc_##which##_code", True),
    ("#define SC_CODE(which) sc_ ## which ## _count", False),
    ("#define CAT(a, b) a##b", True),  # any name
    ("#define SC_OBJ sc_busy##_code", True),
    ("#define SC_ARGS(...) sc_busy_##__VA_ARGS__", True),
    ("#define SC_NAMED(args...) sc_##args", True),
    ("#define DEFINE_SC(n) static u64 n##_limit", False),
    ("#define pr_sc(fmt, ...) pr_info(fmt, ##__VA_ARGS__)", False),
])
def test_which_pasting_macros_may_form_the_name(macro: str, pastes: bool) -> None:
    from types import SimpleNamespace
    from typing import Any

    from harness.externsettled import settled_externals
    from models.loader import Source

    code = Source("x/a.c", ((1, ("u64 sc_busy_code = 1;",)),), True)
    header = Source("x/names.h", ((1, ("/* names */", macro)),), True)
    v: Any = SimpleNamespace(base="0" * 40, files=())
    alone: Any = SimpleNamespace(mentioning=lambda _v, _name: ("x/a.c",))
    linkage = settled_externals(v, (code, header), alone, {"sc_busy_code"})
    assert (linkage.settled == frozenset()) is pastes, linkage
    assert [why.startswith(f"macro {macro.split()[1].split('(')[0]} (x/names.h:2) pastes") for _, why in linkage.why] \
        == ([True] if pastes else []), linkage



@pytest.mark.parametrize(("other", "said"), [
    ("u64 sc_peek(void)\n{\n\treturn sc_busy_code;\n}\n", None),
    ('void sc_show(void)\n{\n\tpr_info("%llx\\n", sc_busy_code);\n}\n', None),  # a macro of the prelude
    ("void sc_log(u64 v);\n\nvoid sc_show(void)\n{\n\tsc_log(sc_busy_code);\n}\n", None),  # a function: a copy
    # An object-like macro may name a function-like one of a header not read; a callee no file read defines.
    ("#define SC_POKE sc_poke_impl\n\nvoid g(void)\n{\n\tSC_POKE(sc_busy_code);\n}\n",
     "x/b.c:5 hands it to SC_POKE(), which no file read defines"),
    ("void g(void)\n{\n\tif (sc_busy_code)\n\t\tsc_poke((sc_busy_code));\n}\n",
     "x/b.c:4 hands it to sc_poke(), which no file read defines"),
])
def test_what_a_file_of_the_tree_read_hands_the_variable_to(other: str, said: str | None) -> None:
    from types import SimpleNamespace
    from typing import Any

    from harness.externsettled import settled_externals
    from models.loader import Source

    code = Source("x/a.c", ((1, ("u64 sc_busy_code = 1;",)),), True)
    v: Any = SimpleNamespace(base="0" * 40, files=())
    tree: Any = SimpleNamespace(mentioning=lambda _v, _name: ("x/a.c", "x/b.c"), read=lambda _v, _path: other)
    linkage = settled_externals(v, (code,), tree, {"sc_busy_code"})
    if said is None:
        assert linkage.settled == {"sc_busy_code"} and [s.path for s in linkage.read] == ["x/b.c"], linkage
    else:
        assert not linkage.settled and not linkage.read and linkage.why[0][1].startswith(said), linkage


def test_a_file_of_the_tree_the_variant_changes_or_not_c_or_unread_is_not_read_for_it() -> None:
    from types import SimpleNamespace
    from typing import Any

    from harness.externsettled import settled_externals
    from models.loader import Source

    code = Source("x/a.c", ((1, ("u64 sc_busy_code = 1;",)),), True)
    changed: Any = SimpleNamespace(base="0" * 40, files=(SimpleNamespace(path="x/b.c", lines={1: ("int x;",)}),))
    for v, listed, text, said in (
            (changed, ("x/a.c", "x/b.c"), "", "x/b.c, a file the variant changes that names it, is not read whole"),
            (SimpleNamespace(base="0" * 40, files=()), ("x/b.S",), "", "x/b.S, a file of the tree that is not C"),
            (SimpleNamespace(base="0" * 40, files=()), ("x/b.c",), None, "x/b.c, a file of the tree naming it, could "
                                                                        "not be read")):
        tree: Any = SimpleNamespace(mentioning=lambda _v, _n, got=listed: got, read=lambda _v, _p, t=text: t)
        linkage = settled_externals(v, (code,), tree, {"sc_busy_code"})
        assert not linkage.settled and linkage.why[0][1].startswith(said), linkage


def test_a_file_of_the_tree_read_exporting_it_keeps_it_unsettled() -> None:
    # The variant declares it; the tree's file, which it does not change, defines and exports it.
    from types import SimpleNamespace
    from typing import Any

    from harness.externsettled import settled_externals
    from models.loader import Source

    header = Source("x/a.h", ((1, ("extern u64 sc_busy_code;",)),), True)
    v: Any = SimpleNamespace(base="0" * 40, files=())
    for more, settled in (("", True), ("EXPORT_SYMBOL_GPL(sc_busy_code);", False)):
        tree: Any = SimpleNamespace(mentioning=lambda _v, _n: ("x/a.h", "x/b.c"),
                                    read=lambda _v, _p, m=more: f"u64 sc_busy_code = 1;\n{m}\n")
        linkage = settled_externals(v, (header,), tree, {"sc_busy_code"})
        assert bool(linkage.settled) is settled, linkage
        assert settled or linkage.why == (("sc_busy_code", "a file of the tree exports it: a module may store to it"),)


def test_a_macro_pasting_many_parameters_is_read_at_once() -> None:
    # 'a##a##...##_zz' made a pattern of 40 '\w*' that a regex took exponential time to fail on: hours. Timed
    # (tests/cputime.py says why no count sees it), in CPU seconds, which a loaded host inflates less.
    from types import SimpleNamespace
    from typing import Any

    from harness.externsettled import settled_externals
    from models.loader import Source
    from tests.cputime import cpu_seconds

    code = Source("x/a.c", ((1, ("u64 sc_busy_code = 1;",)),), True)
    header = Source("x/m.h", ((1, ("#define SC_M(a) " + "a##" * 40 + "_zz",)),), True)
    v: Any = SimpleNamespace(base="0" * 40, files=())
    tree: Any = SimpleNamespace(mentioning=lambda _v, _name: ("x/a.c",))
    started = cpu_seconds()
    assert settled_externals(v, (code, header), tree, {"sc_busy_code"}).settled == {"sc_busy_code"}
    assert cpu_seconds() - started < 5


@pytest.mark.parametrize("asm", ['asm(".pushsection .text\\n" "movq $1, sc_busy_code(%rip)\\n" ".popsection");',
                                 'extern u64 sc_alias asm("sc_busy_code");',
                                 'extern u64 sc_alias __attribute__((alias("sc_busy_code")));',
                                 'static u64 *sc_ptr(void)\n{\n\treturn (u64 *)kallsyms_lookup_name('
                                 '"sc_busy_code");\n}'])
def test_an_asm_statement_outside_a_function_or_a_string_naming_it_keeps_it_unsettled(asm: str) -> None:
    # At file scope, or an asm label or alias making another name the same symbol, or a lookup by its name: another
    # name may store to it.
    from types import SimpleNamespace
    from typing import Any

    from harness.externsettled import settled_externals
    from models.loader import Source

    code = Source("x/a.c", ((1, ("u64 sc_busy_code = 1;",)),), True)
    v: Any = SimpleNamespace(base="0" * 40, files=())
    tree: Any = SimpleNamespace(mentioning=lambda _v, _n: ("x/a.c", "x/b.c"), read=lambda _v, _p: f"int y;\n{asm}\n")
    linkage = settled_externals(v, (code,), tree, {"sc_busy_code"})
    said = "an asm statement outside a function (x/b.c:2) names it: the assembler may store to it" \
        if asm.startswith("asm(") or " asm(" in asm else \
        f"x/b.c:{2 + asm.count(chr(10), 0, asm.index('sc_busy'))} has its name as a string: an alias or a symbol " \
        "looked up by name may store to it"
    assert linkage.why == (("sc_busy_code", said),), linkage


def test_a_store_in_an_old_style_definition_of_a_file_of_the_tree_keeps_it_unsettled(tmp_path: Path) -> None:
    # 'int sc_set(v) u64 v; { ... }': the slicer reads no function there, so outside_writes would see no store. gcc
    # (C17 still takes the form): 1 SEAMCALL, then 2.
    setter = "int sc_set(v)\n\tu64 v;\n{\n\tsc_busy_code = v;\n\treturn 0;\n}\n\n"
    hook = f"void sc_other_file_hook(void)\n{{\n\tsc_set({_STORE});\n}}\n"
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    assert _gcc_linked(tmp_path, DECLARED + "int sc_set();\n" + setter + hook) == ["1", "2"]
    status, note = _judge(tmp_path, DEFINED, {HEADER: DECLARED, OTHER: "#include <asm/sc_busy.h>\n\n" + setter})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "drivers/virt/sc_other.c:6 names it outside any function or variable the harness reads there" in note


def test_a_macro_of_a_header_whose_names_are_taken_in_part_is_not_read_for_a_file_of_the_tree() -> None:
    # SC_POKE() is in the whole text of a <...> header the variant takes other names from: outside_writes' table
    # has no SC_POKE, so what it does to sc_busy_code would go unseen; a name taken is read.
    from types import SimpleNamespace
    from typing import Any

    from harness.externsettled import settled_externals
    from harness.outsidewrites import outside_writes
    from models.loader import Source

    code = Source("x/a.c", ((1, ("u64 sc_busy_code = 1;",)),), True)
    v: Any = SimpleNamespace(base="0" * 40, files=())
    tree: Any = SimpleNamespace(mentioning=lambda _v, _n: ("x/a.c", "x/b.c"),
                                read=lambda _v, _p: "void g(void)\n{\n\tSC_POKE(sc_busy_code);\n}\n")
    def header(taken: str) -> Source:
        return Source("include/linux/sc_poke.h", ((1, ("#define SC_POKE(v) ((v) = 5)", "#define SC_OTHER 1")),),
                      True, only=frozenset({taken}))

    linkage = settled_externals(v, (code, header("SC_OTHER")), tree, {"sc_busy_code"})
    assert not linkage.settled and linkage.why[0][1].startswith(
        "x/b.c:3 hands it to SC_POKE(), which no file read defines"), linkage
    sources = (code, header("SC_POKE"))
    linkage = settled_externals(v, sources, tree, {"sc_busy_code"})
    assert linkage.settled == {"sc_busy_code"}, linkage
    assert outside_writes(sources, (), linkage=linkage) == (
        ("sc_busy_code", "g() (x/b.c:1), which no run executes, stores to it"),)



_PASTE_POKE = f"#define SC_POKE(which) (sc_##which##_code = {_STORE})\n"
_READ_ONCE = "#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))\n"  # the kernel's, for gcc


def _poke_reader(call: str) -> str:
    """A file of the tree reading the retry code (git grep lists it: it is read) and whose hook runs ``call``."""
    return f'#include "sc_poke.h"\n{READER.format(n="")}\nvoid sc_other_file_hook(void)\n{{\n\t(void){call};\n}}\n'


# 'bu\' then 'sy' is busy (C11 5.1.1.2p1 phase 2): it was PASS, the call read unspliced.
@pytest.mark.parametrize("call", ["SC_POKE(busy)", "SC_POKE( busy )", "SC_POKE(bu\\\nsy)"])
def test_a_reader_of_the_tree_handing_a_part_of_the_name_to_a_macro_not_read_is_not_a_pass(
        tmp_path: Path, call: str) -> None:
    # The reader hands 'busy' to SC_POKE(), a macro of a header that does not spell sc_busy_code (not listed, not
    # read), which pastes it into the name: gcc, 1 SEAMCALL, then 2. It was PASS.
    linked = _READ_ONCE + DECLARED + _PASTE_POKE + _poke_reader(call).replace("#include", "//")
    assert _gcc_linked(tmp_path, linked) == ["1", "2"]
    status, note = _judge(tmp_path / "c", DEFINED, {HEADER: DECLARED, "drivers/virt/sc_poke.h": _PASTE_POKE,
                                                     OTHER: _poke_reader(call)})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "drivers/virt/sc_other.c:11 hands busy to SC_POKE(), which no file read defines: a macro of a header " \
        "not read may paste it into sc_busy_code" in note, note


@pytest.mark.parametrize(("relay", "call", "said"), [
    ("#define SC_SET(w) SC_POKE(w)", "SC_SET(busy)", "12 hands busy to SC_SET"),
    ("#define SC_SET(w) SC_POKE(w)\n#define SC_TWICE(v) SC_SET(v)", "SC_TWICE(busy)", "13 hands busy to SC_TWICE"),
    ("#define SC_SET() SC_POKE(busy)", "SC_SET()", "2 hands busy to SC_POKE"),
])
def test_a_reader_of_the_tree_handing_a_part_of_the_name_through_its_own_macro_is_not_a_pass(
        tmp_path: Path, relay: str, call: str, said: str) -> None:
    # The reader's own macro hands its parameter (or 'busy' itself) on to SC_POKE(), a header's that pastes it: gcc,
    # 1 SEAMCALL, then 2. It was PASS: SC_SET() is a macro of the files, its call not looked at.
    reader = _poke_reader(call).replace('#include "sc_poke.h"\n', f'#include "sc_poke.h"\n{relay}\n')
    linked = _READ_ONCE + DECLARED + _PASTE_POKE + reader.replace("#include", "//")
    assert _gcc_linked(tmp_path, linked) == ["1", "2"]
    status, note = _judge(tmp_path / "c", DEFINED, {HEADER: DECLARED, "drivers/virt/sc_poke.h": _PASTE_POKE,
                                                     OTHER: reader})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"drivers/virt/sc_other.c:{said}(), which no file read defines: a macro of a header not read may " \
        "paste it into sc_busy_code" in note, note


@pytest.mark.parametrize("call", ["SC_POKE(idle)", "sc_trace(1)", "SC_POKE(sc_busy_code_x)"])
def test_a_reader_of_the_tree_handing_no_part_of_the_name_to_a_macro_not_read_keeps_its_pass(
        tmp_path: Path, call: str) -> None:
    # No pasting of 'idle', '1' or a longer word forms sc_busy_code: gcc stores to sc_idle_code (1 SEAMCALL, then 1).
    if call == "SC_POKE(idle)":
        assert _gcc_linked(tmp_path, _READ_ONCE + DECLARED + "u64 sc_idle_code;\n" + _PASTE_POKE
                           + _poke_reader(call).replace("#include", "//")) == ["1", "1"]
    status, note = _judge(tmp_path / "c", DEFINED, {HEADER: DECLARED, "drivers/virt/sc_poke.h": _PASTE_POKE,
                                                     OTHER: _poke_reader(call)})
    assert status is VerdictStatus.PASS, note


def test_a_file_of_the_tree_defining_the_retry_code_too_is_not_a_pass(tmp_path: Path) -> None:
    # The variant defines sc_busy_code and a built file of the tree defines it again: gcc does not link them (the
    # kernel does not build). It was PASS.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    other = "typedef unsigned long long u64;\nu64 sc_busy_code = 0x8000000000030001ULL;\n"
    (tmp_path / "a.c").write_text("typedef unsigned long long u64;\n" + DEFINED.replace("TDX_RND_NO_ENTROPY", "1")
                                  + "int main(void)\n{\n\treturn 0;\n}\n")
    (tmp_path / "b.c").write_text(other)
    linked = subprocess.run(["gcc", "-o", str(tmp_path / "ab"), str(tmp_path / "a.c"), str(tmp_path / "b.c")],
                            capture_output=True, text=True)
    assert linked.returncode != 0 and "multiple definition of `sc_busy_code'" in linked.stderr, linked.stderr
    status, note = _judge(tmp_path / "c", DEFINED, {OTHER: other.replace("typedef unsigned long long u64;",
                                                                         "#include <linux/types.h>")})
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "drivers/virt/sc_other.c:2 defines it too: where kbuild builds that file, ld refuses two definitions" in note

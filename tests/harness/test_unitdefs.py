"""With --tree, a function the patched code calls that another .c file beside its unit defines (harness.unitdefs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest

from harness.coverage import missing_reason
from harness.pipeline import EvalRequest, evaluate
from harness.runner import definitions_used
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "tdx.c"\npath = "x/tdx.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
SEAM_H = "u64 seam_retry(u64 fn, struct tdx_module_args *args);\n"
# The body kbuild links in: x/seamcall.c, which no patch touches.
SEAMCALL_C = ('#include "seam.h"\n\n{static}u64 seam_retry(u64 fn, struct tdx_module_args *args)\n{{\n'
              "\tu64 err = __seamcall(fn, args);\n\n\treturn err == 7 ? 70 : err;\n}}\n")
UNIT_C = ('#include "seam.h"\n\nstatic int probe(u64 fn, struct tdx_module_args *args)\n{{\n'
          "\treturn (int)seam_retry(fn, args){tail};\n}}\n")


def _makefiles(files: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """A Makefile per folder of the .c files (none given already) building each of them whatever the configuration
    (kbuild builds only what a Makefile names: harness.treebuilt)."""
    given = {p for p, _ in files}
    objs: dict[str, list[str]] = {}
    for path, _ in files:
        if path.endswith(".c"):
            folder, _, name = path.rpartition("/")
            objs.setdefault(folder, []).append(name[:-2] + ".o")
    return tuple((f"{d}/Makefile", "".join(f"obj-y += {o}\n" for o in os_)) for d, os_ in objs.items()
                 if f"{d}/Makefile" not in given)


def _eval(tmp_path: Path, where: str, static: str = "", body: str = SEAMCALL_C, unit: str = UNIT_C,
          more: tuple[tuple[str, str], ...] = ()) -> tuple[object, str]:
    """The probe's outcome and the program's provenance of seam_retry(), the body in ``where`` at the base (and
    ``more`` files there, path and text)."""
    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    old, new = unit.format(tail=""), unit.format(tail=" + 1")
    files = (("x/seam.h", SEAM_H), (where, body.format(static=static)), ("x/tdx.c", old), *more)
    files += _makefiles(files)
    for path, text in files:
        (tmp_path / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "linux" / path).write_text(text)
    repo.index.add([path for path, _ in files])
    repo.index.commit("base")
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: one more", "p1@example.org",
                                                    patch_body("One more.", diff("x/tdx.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    v = ev.result.variant("v1")
    via = "; ".join(h.via for h in v.headers.headers)
    # The report's definitions (eval: where each definition the entry points reach is) name the file.
    used = [f"{w} ({k} {n})" for n, k, w in definitions_used(ev.result, v) if n == "seam_retry"]
    why = missing_reason(v, "seam_retry") if not used else ""  # what a rule reaching it says
    return ev.result.outcome("v1", "probe/ONE/bad/tdx.c"), " | ".join([via, v.headers.searched, *used, why])


def test_a_function_another_c_file_beside_the_unit_defines_is_read_from_the_tree(tmp_path: Path) -> None:
    # Before: not run, seam_retry() 'declared but defined in none of them'; kbuild links x/seamcall.c's copy.
    out, via = _eval(tmp_path, "x/seamcall.c")
    assert out.status == "ok" and out.ret == 71, (out.status, out.error)  # type: ignore[attr-defined]
    assert "defined out of line in x/seamcall.c" in via and "git grep at the base commit" in via, via
    assert "x/seamcall.c:3 (function seam_retry)" in via, via


def test_a_function_of_another_c_file_prints_with_that_files_pr_fmt(tmp_path: Path) -> None:
    # Compiled in its own unit: its pr_err() has x/seamcall.c's prefix, not the scenario's unit's (none here).
    body = '#define pr_fmt(fmt) "seamcall: " fmt\n' + SEAMCALL_C.replace(
        "\treturn err", '\tpr_err("failed %llu\\n", err);\n\treturn err')
    out, _ = _eval(tmp_path, "x/seamcall.c", body=body)
    assert out.status == "ok" and [x.text for x in out.log] == ["seamcall: failed 7"], out  # type: ignore[attr-defined]


def test_a_static_function_is_not_taken(tmp_path: Path) -> None:
    out, via = _eval(tmp_path, "x/seamcall.c", "static ")
    assert out.status != "ok", out  # type: ignore[attr-defined]
    assert "seam_retry() is static in x/seamcall.c:3: no other file links it" in via, via
    assert "defined out of line" not in via, via
    assert ("seam_retry() is called or declared there but defined in none of them: seam_retry() is static in "
            "x/seamcall.c:3: no "
            "other file links it") in via, via


@pytest.mark.parametrize("where", ["x/sub/seamcall.c", "kernel/seam/seamcall.c"])
def test_a_function_a_c_file_of_another_folder_defines_is_read_from_the_tree(tmp_path: Path, where: str) -> None:
    # Before: only x/*.c was searched: 'its body is in a file not read (... a .c file other than those of x/*.c ...)',
    # the probe not run, though kbuild links the other folder's seam_retry() (arch/x86/kernel's helper called from
    # arch/x86/virt).
    out, via = _eval(tmp_path, where)
    assert out.status == "ok" and out.ret == 71, (out.status, out.error)  # type: ignore[attr-defined]
    assert f"defined out of line in {where}, a .c file of another folder than the units'" in via, via
    assert f"{where}:3 (function seam_retry)" in via, via


_FAR = "u64 seam_retry(u64 fn, struct tdx_module_args *args)\n{\n\treturn 500;\n}\n"


def test_of_two_folders_defining_it_the_one_nearer_the_unit_is_taken(tmp_path: Path) -> None:
    # x/sub/ shares x/ with the unit x/tdx.c; z/ shares nothing: x/sub/seamcall.c's is the one taken, whichever
    # sorts first.
    out, via = _eval(tmp_path, "x/sub/seamcall.c", more=(("a/far.c", _FAR),))
    assert out.status == "ok" and out.ret == 71, (out.status, out.error)  # type: ignore[attr-defined]
    assert "a/far.c" not in via.split(" | ")[0], via


def test_a_function_of_another_architectures_folder_is_not_taken(tmp_path: Path) -> None:
    # arch/arm64/ is never built for x86 (the include paths' architecture): before, its seam_retry() was run for the
    # x86 unit, the only one the tree has.
    out, via = _eval(tmp_path, "arch/arm64/kernel/seamcall.c")
    assert out.status != "ok", out  # type: ignore[attr-defined]
    assert "defined out of line" not in via and "nor defined in any other .c file of the tree" in via, via
    out, via = _eval(tmp_path / "x86", "arch/x86/kernel/seamcall.c")
    assert out.status == "ok" and out.ret == 71, (out.status, out.error)  # type: ignore[attr-defined]


def test_a_function_two_files_as_near_define_is_taken_from_neither(tmp_path: Path) -> None:
    # y/ and z/ are as near to x/: which one kbuild links is the configuration's, so neither is run.
    out, via = _eval(tmp_path, "y/seamcall.c", more=(("z/far.c", _FAR),))
    assert out.status != "ok", out  # type: ignore[attr-defined]
    assert "seam_retry() is defined in y/seamcall.c and in z/far.c, as near to the units" in via, via


def test_a_function_no_c_file_of_the_tree_defines_is_said_searched_everywhere(tmp_path: Path) -> None:
    # A prototype in a .c file (a line ending in ';'), a call (indented), a macro making it: no definition found.
    body = ("u64 seam_retry(u64 fn, struct tdx_module_args *args);\n#define MAKE(n) u64 n(u64 fn) {{ return fn; }}\n"
            "int other(void)\n{{\n\treturn (int)seam_retry(0, 0);\n}}\n")
    out, via = _eval(tmp_path, "q/user.c", body=body)
    assert out.status != "ok", out  # type: ignore[attr-defined]
    assert "nor defined in any other .c file of the tree at the base commit" in via, via
    assert ("its body is in a file not read (a header no line read includes; no .c file of the tree at the base "
            "commit has a line starting its definition") in via, via


def test_a_definition_whose_name_starts_its_line_is_found(tmp_path: Path) -> None:
    # The kernel's other style: the type on the line above, the name at the first column.
    body = SEAMCALL_C.replace("{static}u64 seam_retry(", "{static}u64\nseam_retry(")
    out, _ = _eval(tmp_path, "w/seamcall.c", body=body)
    assert out.status == "ok" and out.ret == 71, (out.status, out.error)  # type: ignore[attr-defined]


HELPED = "static u64 helper(u64 e)\n{{\n\treturn e + 1;\n}}\n\n" + SEAMCALL_C.replace(
    "\treturn err == 7 ? 70 : err;", "\treturn helper(err);")


def test_what_the_function_uses_from_its_own_file_comes_with_it(tmp_path: Path) -> None:
    # Its file's static helper is compiled with it (x/seamcall.c's unit): before, 'call to unknown function helper()'.
    out, _ = _eval(tmp_path, "x/seamcall.c", body=HELPED)
    assert out.status == "ok" and out.ret == 9, (out.status, out.error)  # type: ignore[attr-defined]


def test_a_static_of_that_file_is_not_the_states_own_call(tmp_path: Path) -> None:
    # The unit calls helper() too, which nothing of it defines: x/seamcall.c's static helper() is not the unit's (gcc:
    # implicit declaration, then an undefined reference), so that call stays unknown.
    unit = UNIT_C.replace("(int)seam_retry(fn, args)", "(int)seam_retry(fn, args) + (int)helper(0)")
    out, _ = _eval(tmp_path, "x/seamcall.c", body=HELPED, unit=unit)
    assert out.status == "error" and "helper()" in (out.error or ""), out  # type: ignore[attr-defined]


def test_a_search_that_failed_is_never_said_done() -> None:
    # git grep failing (a damaged repository, a timeout) leaves the name unknown, saying the files were not searched;
    # before, nothing found and 'nor in the .c files of x/*.c' said of files never searched.
    from harness.filestate import FileState, full_file
    from harness.sysheaders import Lookup
    from harness.unitdefs import unit_definitions

    class Failing:
        def __call__(self, path: str) -> FileState | None:
            return None

        def grep(self, words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None:
            return None

    unit = full_file("x/tdx.c", UNIT_C.format(tail=""), "test")
    got = unit_definitions({"x/tdx.c": unit}, Failing(), {}, Lookup((), frozenset({"seam_retry"}), "not defined"))
    assert got.unknown == {"seam_retry"} and "nor in the .c files" not in got.searched, got
    assert got.searched == "not defined; the .c files of x/*.c could not be searched (git grep failed)", got

    class FailingElsewhere(Failing):
        def grep(self, words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None:
            return []

        def defines(self, words: tuple[str, ...]) -> list[str] | None:
            return None

    got = unit_definitions({"x/tdx.c": unit}, FailingElsewhere(), {},
                           Lookup((), frozenset({"seam_retry"}), "not defined"))
    assert got.unknown == {"seam_retry"} and "nor defined in any other" not in got.searched, got
    assert got.searched.endswith("; the other .c files of the tree could not be searched for a definition (git grep "
                                 "failed)"), got


def test_a_git_grep_that_times_out_is_a_failed_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: subprocess.TimeoutExpired went up as a traceback.
    import subprocess

    from harness import gitbase

    def slow(*args: object, **kw: object) -> None:
        raise subprocess.TimeoutExpired("git", 120)

    repo = git.Repo.init(tmp_path / "linux")
    monkeypatch.setattr(gitbase, "_git", slow)
    assert gitbase._grep(repo, "0" * 40, ("seam_retry",), ("x",)) is None


_ASM_UNIT = UNIT_C.replace('#include "seam.h"', "#include <asm/kick.h>")


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "not-declared"])
def test_a_prototype_in_a_tree_header_no_patch_touches_declares_the_call(tmp_path: Path, declared: bool) -> None:
    # x/tdx.c reads <asm/kick.h> (arch/x86/include, the tree's), which declares seam_retry(); its body is in
    # kernel/seam/seamcall.c. Before: 'not known to build: ... unless a header not known declares it', though the
    # tree's header was read whole. Without the prototype there, gcc: implicit declaration (an error in a kernel
    # build), every #include of the unit known.
    header = SEAM_H if declared else "#define KICK 1\n"
    out, _ = _eval(tmp_path, "kernel/seam/seamcall.c", unit=_ASM_UNIT,
                   more=(("arch/x86/include/asm/kick.h", header),))
    if declared:
        assert out.status == "ok" and out.ret == 71, (out.status, out.error)  # type: ignore[attr-defined]
    else:
        assert out.status == "error" and "build error" in (out.error or ""), out  # type: ignore[attr-defined]
        assert "gcc: implicit declaration of function 'seam_retry'" in (out.error or ""), out  # type: ignore[attr-defined]


def test_the_tree_is_searched_for_each_word_once_per_commit() -> None:
    # Every state of an eval asks for what its units left unknown, each revision with a reader of its own on the same
    # base commit: a kernel tree's git grep takes a second or more.
    from harness.gitbase import TreeReader

    asked: list[tuple[str, ...]] = []

    def defines(words: tuple[str, ...]) -> dict[str, list[str]] | None:
        asked.append(words)
        return {"a": ["x/a.c"], "b": ["y/b.c", "x/a.c"]}

    reader = TreeReader(lambda _p: None, lambda _w, _f: [], defines=defines)
    assert reader.defines(("a", "b")) == ["x/a.c", "y/b.c"]
    assert reader.defines(("b", "c")) == ["x/a.c", "y/b.c"]
    assert reader.defines(("a", "c")) == ["x/a.c"]
    assert asked == [("a", "b"), ("c",)], asked
    commit = "f" * 40
    first = TreeReader(lambda _p: None, lambda _w, _f: [], commit=commit, defines=defines)
    second = TreeReader(lambda _p: None, lambda _w, _f: [], commit=commit, defines=defines)
    assert first.defines(("a",)) == second.defines(("a",)) == ["x/a.c"]
    assert asked[2:] == [("a",)], asked


def test_git_grep_finds_the_lines_starting_a_definition(tmp_path: Path) -> None:
    # git grep -E itself (a POSIX class in brackets, not '\t'), each hit told to its word.
    from harness import gitbase

    repo = git.Repo.init(tmp_path / "t")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    files = {"a/one.c": "static int __init\nkick_it(void)\n{\n\treturn 0;\n}\n",
             "b/two.c": "u64\t*\tkick_more (int x)\n{\n\treturn 0;\n}\n",
             "c/three.c": "u64 kick_it(void);\nint f(void)\n{\n\treturn kick_it();\n}\nEXPORT_SYMBOL(kick_more);\n",
             "d/four.h": "u64 kick_it(void)\n{\n\treturn 1;\n}\n"}
    for path, text in files.items():
        (tmp_path / "t" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "t" / path).write_text(text)
    repo.index.add(list(files))
    sha = repo.index.commit("base").hexsha
    got = gitbase._defines(repo, sha, ("kick_it", "kick_more", "no such"))
    assert got == {"kick_it": ["a/one.c"], "kick_more": ["b/two.c"]}, got


_MAKER = "#define SEAM_FN(n) u64 n(u64 fn, struct tdx_module_args *args) {{ return __seamcall(fn, args) + 1; }}\n"


@pytest.mark.parametrize("where", ["x/seamcall.c", "kernel/seam/seamcall.c"], ids=["beside", "elsewhere"])
def test_a_function_a_macro_of_its_file_makes_is_taken(tmp_path: Path, where: str) -> None:
    # 'SEAM_FN(seam_retry);' with SEAM_FN defined in that file. Before, beside the unit: the file was taken for it,
    # but a tree file's macro invocations were never expanded (models.loader: 'call to unknown function'); in
    # another folder the tree-wide git grep looked only for a line starting a definition, and found none.
    out, via = _eval(tmp_path, where, body=_MAKER + "SEAM_FN(seam_retry);\n")
    assert out.status == "ok" and out.ret == 9, (out.status, out.error)  # type: ignore[attr-defined]
    assert f"{where}:2 (function seam_retry)" in via, via


def test_a_function_a_header_macro_may_make_is_said_not_expanded(tmp_path: Path) -> None:
    # The macro is a header's: its file's table has no such macro to expand, so nothing is taken, and the note names
    # the line that may make it instead of saying no file of the tree defines it.
    out, via = _eval(tmp_path, "kernel/seam/seamcall.c", body="#include <linux/maker.h>\nSEAM_FN(seam_retry);\n",
                     more=(("include/linux/maker.h", _MAKER.format()),))
    assert out.status != "ok", out  # type: ignore[attr-defined]
    assert ("seam_retry() may be made by SEAM_FN() at kernel/seam/seamcall.c:2, a macro kernel/seam/seamcall.c does "
            "not define (a header's is not expanded): not taken") in via, via


def test_git_grep_finds_a_macros_invocation_naming_the_function(tmp_path: Path) -> None:
    from harness import gitbase

    repo = git.Repo.init(tmp_path / "t")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    files = {"a/one.c": "DEFINE_IT(u64, kick_it);\n", "b/two.c": "EXPORT_SYMBOL_GPL(kick_it);\nMAKE(kick_itself)\n",
             "c/three.c": "int f(void)\n{\n\tMAKE(kick_it);\n}\n", "d/four.c": "MAKE(\n\tkick_it)\n"}
    for path, text in files.items():
        (tmp_path / "t" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "t" / path).write_text(text)
    repo.index.add(list(files))
    sha = repo.index.commit("base").hexsha
    # An indented invocation is a statement; one whose name is on the next line is not looked for.
    assert gitbase._defines(repo, sha, ("kick_it",)) == {"kick_it": ["a/one.c"]}


@pytest.mark.parametrize("perl", [True, False], ids=["pcre", "no-pcre"])
def test_git_grep_reads_bytes_and_a_git_without_pcre_gives_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     perl: bool) -> None:
    # A line holding a byte that is not UTF-8 (a Latin-1 comment), in a UTF-8 locale: git grep -P matched nothing
    # there (and ERE's '.' does not match such a byte). A git built without PCRE refuses -P: ERE gives the same.
    from harness import gitbase

    repo = git.Repo.init(tmp_path / "t")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    files = {"a/one.c": b"u64 kick_it(int x) /* caf\xe9 */\n{\n}\n", "b/two.c": b"MAKE(\xff, kick_more);\n",
             "c/three.c": b"EXPORT_SYMBOL(kick_it);\n\tkick_it(1);\n",
             "d/four.c": b"const struct e kick_tbl[] = {\n", "e/five.c": b"extern const struct e kick_tbl[];\n",
             "f/six.c": b"#pragma weak kick_al = kick_it\n", "g/seven.c": b'u64 kick_at(int x) __alias(kick_it);\n',
             "h/eight.c": b" %: pragma weak kick_dg = kick_it\n"}  # '%:' is '#' (C11 6.4.6p3)
    for path, data in files.items():
        (tmp_path / "t" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "t" / path).write_bytes(data)
    repo.index.add(list(files))
    sha = repo.index.commit("base").hexsha
    from harness.gitrepo import run_git as real

    monkeypatch.setenv("LC_ALL", "C.UTF-8")

    def without_pcre(r: git.Repo, *args: str, **kw: object) -> object:
        if "-P" in args:  # as git says it: 'fatal: cannot use Perl-compatible regexes when not compiled with ...'
            import subprocess
            return subprocess.CompletedProcess(args, 128, b"", b"fatal: cannot use Perl-compatible regexes")
        return real(r, *args, **kw)  # type: ignore[arg-type]

    if not perl:
        monkeypatch.setattr(gitbase, "_git", without_pcre)
    assert gitbase._defines(repo, sha, ("kick_al", "kick_at", "kick_dg", "kick_it", "kick_more", "kick_tbl")) == {
        "kick_it": ["a/one.c"], "kick_more": ["b/two.c"], "kick_tbl": ["d/four.c"],  # an object's, not extern
        "kick_al": ["f/six.c"], "kick_at": ["g/seven.c"], "kick_dg": ["h/eight.c"]}  # aliases (harness.aliases)


def test_the_folders_are_searched_for_the_same_words_once_per_commit() -> None:
    # Each state of an eval (every patch of every revision) asked git grep of the units' folders for the same words:
    # one git grep each (GIT_TRACE on a one-patch series: the folder search twice, for the base and the patch).
    from harness.gitbase import TreeReader

    asked: list[tuple[tuple[str, ...], tuple[str, ...]]] = []

    def grep(words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None:
        asked.append((words, folders))
        return ["x/a.c"] if words != ("bad",) else None

    commit = "e" * 40
    first, second = (TreeReader(lambda _p: None, grep, commit=commit) for _ in range(2))
    assert first.grep(("a",), ("x",)) == second.grep(("a",), ("x",)) == ["x/a.c"]
    assert second.grep(("a", "b"), ("x",)) == ["x/a.c"]
    assert first.grep(("bad",), ("x",)) is None and second.grep(("bad",), ("x",)) is None  # a failure is not kept
    assert asked == [(("a",), ("x",)), (("a", "b"), ("x",)), (("bad",), ("x",)), (("bad",), ("x",))], asked


TBL_H = "struct seam_ent {{ int code; int val; }};\nextern {decl} seam_tbl[];\n"
TBL_UNIT = ('#include "seam.h"\n\nstatic int probe(u64 fn, struct tdx_module_args *args)\n{{\n'
            "\treturn __seamcall(fn, args) == seam_tbl[0].code ? seam_tbl[0].val{tail} : seam_tbl[1].val;\n}}\n")
TBL_C = '#include "seam.h"\n\n{decl} seam_tbl[] = {{\n\t{{ 7, 70 }},\n\t{{ 0, 1 }},\n}};\n'


@pytest.mark.parametrize(("where", "decl"), [("x/tbl.c", "const struct seam_ent"), ("k/tbl.c", "const struct seam_ent"),
                                             ("x/tbl.c", "struct seam_ent")], ids=["beside", "elsewhere", "writable"])
def test_an_extern_const_table_another_c_file_defines_is_read_from_the_tree(tmp_path: Path, where: str,
                                                                            decl: str) -> None:
    # Before: 'seam_tbl is declared extern without a length (x/seam.h:2) and defined in no file the mirror has',
    # not run, though kbuild links the file defining it (its initializer is its value: const). A writable one's
    # initializer is only its first value: still refused.
    files = (("x/seam.h", TBL_H.format(decl=decl)), (where, TBL_C.format(decl=decl)))
    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    old, new = TBL_UNIT.format(tail=""), TBL_UNIT.format(tail=" + 1")
    files += (("x/tdx.c", old),)
    files += _makefiles(files)
    for path, text in files:
        (tmp_path / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "linux" / path).write_text(text)
    repo.index.add([path for path, _ in files])
    repo.index.commit("base")
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: one more", "p1@example.org",
                                                    patch_body("One more.", diff("x/tdx.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/tdx.c")
    if decl.startswith("const"):
        assert (out.status, out.ret) == ("ok", 71), out.error
        assert f"defined out of line in {where}" in ev.result.variant("v1").headers.headers[0].via
    else:
        assert out.status == "error" and "declared extern without a length" in (out.error or ""), out.error


@pytest.mark.parametrize("perl", [True, False], ids=["pcre", "no-pcre"])
def test_git_grep_finds_each_name_of_a_declaration_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       perl: bool) -> None:
    # 'struct mutex a, b;' defines both (C11 6.7): the second was not found, the first only before ';' '=' or '['.
    from harness import gitbase
    from harness.gitrepo import run_git as real

    repo = git.Repo.init(tmp_path / "t")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    files = {"a/one.c": "struct mutex lk_a[2], *lk_p, lk_b;\n", "b/two.c": "const int lk_x = 1, lk_y = 2;\n",
             "c/three.c": "extern struct mutex lk_e, lk_f;\nint f(int lk_g, int lk_h);\n",
             "d/four.c": "int g(int a, int lk_i, int b)\n", "e/five.c": "int lk_z = f(1, 2), lk_w;\n"}
    for path, text in files.items():
        (tmp_path / "t" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "t" / path).write_text(text)
    repo.index.add(list(files))
    sha = repo.index.commit("base").hexsha

    def without_pcre(r: git.Repo, *args: str, **kw: object) -> object:
        if "-P" in args:
            import subprocess
            return subprocess.CompletedProcess(args, 128, b"", b"fatal: cannot use Perl-compatible regexes")
        return real(r, *args, **kw)  # type: ignore[arg-type]

    if not perl:
        monkeypatch.setattr(gitbase, "_git", without_pcre)
    words = ("lk_a", "lk_b", "lk_e", "lk_f", "lk_g", "lk_h", "lk_i", "lk_p", "lk_w", "lk_x", "lk_y", "lk_z")
    # an extern list, parameters and a name after a call's commas are none; 'lk_w' after a call is not read
    assert gitbase._defines(repo, sha, words) == {
        "lk_a": ["a/one.c"], "lk_b": ["a/one.c"], "lk_p": ["a/one.c"], "lk_x": ["b/two.c"], "lk_y": ["b/two.c"],
        "lk_z": ["e/five.c"]}

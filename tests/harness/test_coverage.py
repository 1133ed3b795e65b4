"""Why code did not run: the advice names what would help, and only that."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.coverage import NO_TREE, missing_reason, named_anywhere, neither_reason
from harness.filestate import full_file
from harness.pipeline import Evaluation
from harness.variants import Variant
from tests.gccdefs import defined

RETRY = "static inline u64 seamcall_retry(u64 fn)\n{\n\treturn fn;\n}\n"


def _variant(name: str, *files: object, base: str = NO_TREE) -> Variant:
    return Variant(name, "d", tuple(files), (), (), (), base)  # type: ignore[arg-type]


def test_a_tree_is_suggested_only_where_it_can_add_code() -> None:
    whole = _variant("v4", full_file("arch/x86/virt/vmx/tdx/seamcall.h", RETRY, "test"))
    # Every C file the patches touch is whole: a tree adds nothing; the name is simply not there.
    why = missing_reason(whole, "sc_retry")
    assert "give --tree" not in why and "every C file the patches change is known whole" in why, why
    assert named_anywhere(whole, "seamcall_retry") and not named_anywhere(whole, "sc_retry")
    assert "give --tree" not in neither_reason(whole, whole, "sc_retry")
    # A file known only from hunks may hold it in its unseen part: then a tree can help.
    partial = _variant("v4", full_file("arch/x86/virt/vmx/tdx/seamcall.h", RETRY, "test"),
                       _fragment("arch/x86/virt/vmx/tdx/tdx.c", "\treturn sc_retry(fn);\n"))
    why = missing_reason(partial, "sc_retry")
    assert why.endswith("; give --tree") and named_anywhere(partial, "sc_retry")


def _fragment(path: str, text: str) -> object:
    from harness.filestate import FileState

    lines = {40 + i: (line, "hunk") for i, line in enumerate(text.splitlines())}
    return FileState(path, False, lines, None, ("hunk",))


def test_a_function_a_later_patch_adds_is_said_so_not_give_tree(corpus: Path) -> None:
    # seamldr_prerr() comes with v3 06/26: before it no tree holds it, so "give --tree" would mislead.
    from harness.pipeline import EvalRequest, evaluate

    ev = evaluate(EvalRequest((corpus,), variants=("v3:00", "v3:01")))
    reasons = [g.reason for c in ev.comparison.per_patch for g in c.gaps]
    assert any("seamldr_prerr()" in r and "v3 06/26 adds it later (a tree would not hold it yet)" in r
               for r in reasons), reasons
    assert not any("seamldr_prerr()" in r and "give --tree" in r for r in reasons)


def test_the_patch_compared_is_not_said_to_add_a_name_later() -> None:
    from dataclasses import replace

    before = replace(_variant("v1:04", _fragment("x/tdx.c", "\treturn 0;\n")), added_later=(("helper", "v1 05/5"),))
    after = replace(before, name="v1:05", applied=("v1 05/5 <p5@example.org>",))
    assert neither_reason(before, after, "helper").endswith("; v1 05/5, compared here, adds it")
    assert missing_reason(before, "helper").endswith("; v1 05/5 adds it later (a tree would not hold it yet)")


def test_a_name_only_a_dropped_patch_defines_is_a_build_break_not_give_tree(corpus: Path) -> None:
    from harness.pipeline import EvalRequest, evaluate

    ev = evaluate(EvalRequest((corpus,), variants=("hansen-drop-06",)))
    reasons = {o.error or "" for o in (ev.result.outcome("hansen-drop-06", s.id) for s in ev.matrix.scenarios)}
    why = missing_reason(ev.result.variant("hansen-drop-06"), "seamldr_prerr")
    assert why.endswith("v3 06/26 defines it, and hansen-drop-06 drops that patch: code calling it does not build "
                        "there"), why
    assert not any("give --tree" in r for r in reasons)


def test_a_name_the_known_code_declares_but_does_not_define_is_said_so() -> None:
    # The helper's body moved to a .c file no patch touches, its header keeping a prototype. Before: "the name is not
    # in this code (did you mean 'seamcall_retry'?)", the name itself suggested and said absent from code naming it.
    header = "u64 seamcall_retry(u64 fn);\n#define seamcall(fn) seamcall_retry(fn)\n"
    whole = _variant("v6", full_file("arch/x86/virt/vmx/tdx/seamcall.h", header, "test"))
    why = missing_reason(whole, "seamcall_retry")
    assert "not in this code" not in why and "did you mean" not in why, why
    assert "seamcall_retry() is called or declared there but defined in none of them" in why, why
    assert "its body is in a file not read (a header no line read includes, a .c file no patch touches)" in why, why
    both = neither_reason(whole, whole, "seamcall_retry")
    assert "every C file the patches change is known whole, and seamcall_retry() is called or declared there" \
        in both, both
    # A name nowhere in the code keeps the suggestion of one it nearly has.
    assert "(did you mean 'seamcall_retry'?)" in missing_reason(whole, "seamcall_retyr")


def test_a_prototype_in_a_hunk_is_no_definition_known_from_hunks() -> None:
    # Mail alone shows 'int tdx_enable(void);' in a hunk of asm/tdx.h; the body is in tdx.c's unseen lines. Before:
    # "tdx_enable() is known only from hunks of arch/x86/include/asm/tdx.h", as if its definition were there.
    header = _fragment("arch/x86/include/asm/tdx.h", "int tdx_enable(void);\nu64 tdx_read(u64 fn,\n"
                                                     "\t\t struct tdx_module_args *args) __must_check;\n")
    v = _variant("v5", header)
    for name in ("tdx_enable", "tdx_read"):
        why = missing_reason(v, name)
        assert why == (f"{name}() is only declared in the lines known of arch/x86/include/asm/tdx.h in v5: its body "
                       "is in lines no hunk shows; give --tree"), why
        assert neither_reason(v, v, name).startswith(f"{name}() is only declared in the lines known of "
                                                     "arch/x86/include/asm/tdx.h: its body is in lines no hunk shows")
    # A definition's head, its parameters over two lines, still is one: the body follows.
    body = _fragment("arch/x86/include/asm/tdx.h", "static inline u64 sc_retry(u64 fn,\n\t\t\t   u64 left)\n{\n")
    assert missing_reason(_variant("v5", body), "sc_retry").startswith(
        "sc_retry() is known only from hunks of arch/x86/include/asm/tdx.h in v5")
    # Declared in one file's hunk and defined in another's: the definition is what is said.
    both = _variant("v5", header, _fragment("arch/x86/virt/vmx/tdx/tdx.c", "int tdx_enable(void)\n{\n"))
    assert "known only from hunks of arch/x86/virt/vmx/tdx/tdx.c in v5" in missing_reason(both, "tdx_enable")


def test_a_name_a_later_patch_adds_is_not_said_to_need_a_tree_when_one_is_given() -> None:
    # With --tree, "v4 06/8 adds it later (a tree would not hold it yet)" read as if a tree were missing.
    from dataclasses import replace

    mail = replace(_variant("v4:01", _fragment("x/tdx.c", "\treturn 0;\n")), added_later=(("helper", "v4 06/8"),))
    assert missing_reason(mail, "helper").endswith("; v4 06/8 adds it later (a tree would not hold it yet)")
    tree = replace(mail, base="linux at 0123456789ab (base-commit: of the cover letter)")
    assert missing_reason(tree, "helper").endswith("; v4 06/8 adds it later (the base does not hold it)")
    assert neither_reason(tree, tree, "helper").endswith("; v4 06/8 adds it later (the base does not hold it)")


def test_a_reason_said_of_several_functions_is_in_the_plural() -> None:
    from harness.coverage import fill_template, reason_template

    one = "seamldr_call() is new in v1 (v1:01 does not provide it): not compared, nothing to compare it with"
    template, name = reason_template(one)
    assert name == "seamldr_call" and fill_template(template, [name]) == one
    assert fill_template(template, ["a", "b"]) == ("a(), b() are new in v1 (v1:01 does not provide them): not "
                                                   "compared, nothing to compare them with")
    later = reason_template("neither v1:00 nor v1:01 defines x(): none of the files read has it; v1 02/20 adds "
                            "it later (a tree would not hold it yet)")[0]
    assert fill_template(later, ["x", "y"]).endswith("defines x(), y(): none of the files read has them; v1 02/20 "
                                                      "adds them later (a tree would not hold them yet)")
    # With --tree the same reason ends in what the base read lacks: of two names, 'them' too.
    tree_later = reason_template("neither v1:00 nor v1:01 defines x(): none of the files read from the tree has it; "
                                 "v1 02/20 adds it later (the base does not hold it)")[0]
    assert fill_template(tree_later, ["x", "y"]).endswith("; v1 02/20 adds them later (the base does not hold them)")
    assert fill_template("v1 does not define {}(): none of the files read has it", ["x", "y"]) == \
        "v1 does not define x(), y(): none of the files read has them"
    # 'every C file them touches' was once written of two names: the hint names the patches, no "it".
    whole = "v4:00 does not define {}(): none of the files read has it; every C file the patches change is known " \
            "whole: the name is not in this code"
    assert fill_template(whole, ["x", "y"]) == ("v4:00 does not define x(), y(): none of the files read has them; "
                                                "every C file the patches change is known whole: the names are not in "
                                                "this code")


def test_an_entry_point_the_patch_adds_is_not_said_to_come_later_under_that_patch(corpus_eval: Evaluation) -> None:
    # Under v3 07/26, which defines seamldr_call(), its runs the mirror cannot run read "v3:06 does not define
    # seamldr_call() ...; v3 07/26 adds it later (a tree would not hold it yet)": the patch itself, as if another.
    for c in corpus_eval.comparison.per_patch:
        for g in c.gaps:
            assert f"{c.label.split(':')[0]} adds it later" not in g.reason, (c.label, g.reason)
    seven = next(c for c in corpus_eval.comparison.per_patch if c.label.startswith("v3 07/26"))
    assert any(g.reason == "seamldr_call() is new: this patch defines it; the mirror cannot run seamldr_call() in "
               "v3:07: arch/x86/virt/vmx/tdx/seamldr.c:31: inline asm is not modelled (vmptrst): the runs reaching it "
               "stop; an [[entry]] runs the code it wraps (docs/matrix.md)" for g in seven.gaps), \
        [g.reason for g in seven.gaps]


def test_an_entry_a_later_patch_defines_is_said_so_not_blamed_on_its_absent_unit() -> None:
    # v4:00 and v4:01 lack helper() (v4 06/8 adds it, in another file) and the tree lacks the matrix's unit for it:
    # the reason was "helper() runs in x/ldr.c, which neither v4:00 nor v4:01 has", though v4 06/8's helper() runs
    # without that file; the name missing is why.
    from dataclasses import replace

    from harness.coverage import unit_gap
    from harness.filestate import absent_file
    from models.outcome import Outcome, OutcomeStatus

    tree = "linux at 0123456789ab (base-commit: of the cover letter)"
    lack = Outcome(OutcomeStatus.NOT_PROVIDED)
    a, b = (_variant(n, absent_file("x/ldr.c", "not in linux at 0123456789ab"), base=tree) for n in ("v4:00", "v4:01"))
    assert unit_gap(((a, lack), (b, lack)), "helper", "x/ldr.c") == \
        "helper() runs in x/ldr.c, which neither v4:00 nor v4:01 has (not in linux at 0123456789ab)"
    a, b = (replace(v, added_later=(("helper", "v4 06/8"),)) for v in (a, b))
    assert unit_gap(((a, lack), (b, lack)), "helper", "x/ldr.c") is None


def test_a_helper_whose_name_another_extends_is_no_misspelling_of_it() -> None:
    # The bundled matrix's seamcall_ret() beside code that has seamcall_retry(): "(did you mean 'seamcall_retry'?)"
    # told a user who typed neither that one was a slip for the other.
    from harness.coverage import _near

    v = _variant("v7", full_file("x/seamcall.h", "static inline u64 seamcall_retry(u64 fn)\n{\n\treturn fn;\n}\n",
                                 "test"))
    assert _near((v,), "seamcall_ret") == ""
    assert _near((v,), "seamcall_retyr") == " (did you mean 'seamcall_retry'?)"  # a slip still is one


def test_a_name_with_underscores_before_it_is_no_misspelling_of_it() -> None:
    # A tree declaring __seamcall() and the bundled matrix's seamcall(): "the name is not in this code (did you mean
    # '__seamcall'?)", the primitive seamcall() wraps taken for a slip of its name.
    from harness.coverage import _near

    v = _variant("v7", full_file("x/tdx.h", "u64 __seamcall(u64 fn);\nu64 _seamcal(u64 fn);\n", "test"))
    assert _near((v,), "seamcall") == " (did you mean '_seamcal'?)"  # a slip beside an underscore still is one
    assert _near((v,), "_seamcall") == " (did you mean '_seamcal'?)"
    w = _variant("v8", full_file("x/tdx.h", "u64 __seamcall(u64 fn);\n", "test"))
    assert _near((w,), "seamcall") == _near((w,), "_seamcall") == ""


def test_a_file_that_could_not_be_built_is_named_in_its_state_and_a_tree_still_suggested() -> None:
    # v4:05's seamldr.c took no hunk; seamcall_prerr() is in tdx.c, known only from hunks in both. Said as "neither
    # v4:04 nor v4:05 defines seamcall_prerr() (seamldr.c not usable: see the apply findings)": the one file to blame,
    # usable in v4:04, and no word that a tree would show tdx.c whole.
    from dataclasses import replace

    from harness.errors import Where
    from harness.filestate import FileState
    from harness.patching import Finding

    tdx = _fragment("arch/x86/virt/vmx/tdx/tdx.c", "\treturn seamcall_prerr(33, &args);\n")
    ldr = _fragment("arch/x86/virt/vmx/tdx/seamldr.c", "\tpr_err(\"P-SEAMLDR (%llx)\\n\", fn);\n")
    assert isinstance(ldr, FileState)
    broken = Finding(ldr.path, "@@ -11,7 +11,7 @@", "hunk does not apply", Where("v4-0005.patch", 21))
    before = _variant("v4:04", tdx, ldr)
    after = replace(_variant("v4:05", tdx, replace(ldr, usable=False)), findings=(broken,))
    assert neither_reason(before, after, "seamcall_prerr") == (
        "neither v4:04 nor v4:05 defines seamcall_prerr(): none of the files read has it (from mail: only the files "
        "the patches change) "
        "(arch/x86/virt/vmx/tdx/seamldr.c not usable in v4:05: see the apply findings); give --tree")
    assert missing_reason(after, "seamcall_prerr") == (
        "v4:05 does not define seamcall_prerr(): none of the files read has it (from mail: only the files the "
        "patches change) "
        "(arch/x86/virt/vmx/tdx/seamldr.c not usable in v4:05: see its apply findings); give --tree")


def test_the_words_of_a_file_state_two_variants_share_are_read_once(monkeypatch: Any) -> None:
    """named_anywhere reads every word of a variant's C: a file state two variants share (a file their patches
    leave alone) is read once, each variant's own state on its own."""
    import harness.coverage as coverage

    read: list[str] = []
    word = coverage._WORD

    class Counted:
        def findall(self, line: str) -> list[str]:
            read.append(line)
            return word.findall(line)

    monkeypatch.setattr(coverage, "_WORD", Counted())
    shared = full_file("arch/x86/virt/vmx/tdx/seamcall.h", RETRY, "test")
    v3 = _variant("v3", shared, full_file("arch/x86/virt/vmx/tdx/tdx.c", "int sc_old;\n", "test"))
    v4 = _variant("v4", shared, full_file("arch/x86/virt/vmx/tdx/tdx.c", "int sc_new;\n", "test"))
    assert named_anywhere(v3, "seamcall_retry") and named_anywhere(v3, "sc_old") and not named_anywhere(v3, "sc_new")
    assert named_anywhere(v4, "seamcall_retry") and named_anywhere(v4, "sc_new") and not named_anywhere(v4, "sc_old")
    assert sorted(read) == sorted([*RETRY.splitlines(), "int sc_old;", "int sc_new;"])


# Lines a hunk shows, read as gcc reads them: the digraph, a backslash-newline in the name and a comment inside
# define SC_X, SC_Y and SC_Z; SC_F is in a comment opened after code and sc_h() a line of SC_G's body (neither is).
SPELLED = ("%:define SC_X(a) (a)\n#def\\\nine SC_Y 1\n# /* c */ define SC_Z 2\nint x; /* c\n#define SC_F 1\n*/\n"
           "#define SC_G(a) \\\nint sc_h(void) \\\n{ return a; }\n")


def test_a_definition_known_from_hunks_is_one_gcc_reads(tmp_path: Path) -> None:
    # Before: SC_X, SC_Y and SC_Z were said not defined in the lines known, SC_F and sc_h() known only from hunks.
    v = _variant("v5", _fragment("arch/x86/include/asm/tdx.h", SPELLED))
    names = ("SC_X", "SC_Y", "SC_Z", "SC_G", "SC_F", "sc_h")
    got = {n for n in names if missing_reason(v, n).startswith(f"{n}() is known only from hunks of ")}
    assert got == {"SC_X", "SC_Y", "SC_Z", "SC_G"}
    assert got == defined(tmp_path, SPELLED) & set(names)

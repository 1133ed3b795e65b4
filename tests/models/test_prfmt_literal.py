"""An explicit pr_fmt(fmt) in the mirror, joined with the adjacent literals.

An explicit pr_fmt(fmt) in the mirror: the prefix of the pr_fmt in force where it is written, joined with the
adjacent literals (``printk(KERN_ERR pr_fmt(fmt), ...)``), as include/linux/printk.h expands it."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import sizedstrings
from models.literals import PR_FMT_MARK, replace_pr_fmt, string_bytes, uses_pr_fmt
from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import RunRequest, load_mirror
from models.native.codegen import validated
from models.prfmt_forms import UNMODELLED_PR_FMT, scoped_pr_fmt
from models.prfmt_site import per_file_pr_fmt, resolve_site_marks, site_mark
from tests.models.cprog import GCC, PATH, gcc_returns, line_of, mirror_of, ret, run

HEAD = "long f(u64 fn, struct tdx_module_args *args)\n{\n"


def body(text: str, above: str = "") -> str:
    return above + HEAD + text + "\n}\n"


def lines(code: str, **kw: object) -> list[tuple[str, str]]:
    out = run(code, **kw)  # type: ignore[arg-type]
    assert out.status == "ok", out.error
    return [(x.level, x.text) for x in out.log]


def test_the_mark_is_an_escape_gcc_refuses_and_is_read_escape_aware() -> None:
    mark = f'"{PR_FMT_MARK}"'
    assert string_bytes(f'"\\001" "3" {mark} "x %d"', b"tdx: ") == b"\x013tdx: x %d"
    assert uses_pr_fmt(mark) and not uses_pr_fmt('"\\\\x{pr_fmt}"')  # an escaped backslash, then text
    assert string_bytes('"\\\\x{pr_fmt}"', b"tdx: ") == b"\\x{pr_fmt}"
    assert replace_pr_fmt(f'"a\\\\x{{pr_fmt}}{PR_FMT_MARK}b"', "P") == '"a\\\\x{pr_fmt}Pb"'


def test_printk_with_a_level_and_pr_fmt_logs_at_that_level_with_the_prefix() -> None:
    code = body('\tprintk(KERN_ERR pr_fmt("P-SEAMLDR (%#llx) failed: %#016llx\\n"), fn, 0xc0001ULL);\n\treturn 0;')
    assert lines(code, leaf=0x21, pr_fmt="seamldr: ") == [("err", "seamldr: P-SEAMLDR (0x21) failed: 0x000000000c0001")]


@pytest.mark.parametrize(("call", "want"), [
    # No level: the default one; pr_fmt alone.
    ('printk(pr_fmt("plain\\n"))', [("default", "t: plain")]),
    # pr_err() adds the pr_fmt again: its format is pr_fmt(fmt) (include/linux/printk.h).
    ('pr_err(pr_fmt("twice\\n"))', [("err", "t: t: twice")]),
    # Through a variable and %s: the literal's value holds the prefix wherever it goes.
    ('const char *s = pr_fmt("kept"); printk(KERN_INFO "%s|\\n", s)', [("info", "t: kept|")]),
    # KERN_CONT then pr_fmt: printk() takes what is written, the prefix included.
    ('printk(KERN_NOTICE "a"); printk(KERN_CONT pr_fmt("b\\n"))', [("notice", "at: b")]),
])
def test_explicit_pr_fmt_forms(call: str, want: list[tuple[str, str]]) -> None:
    assert lines(body(f"\t{call};\n\treturn 0;"), pr_fmt="t: ") == want


def test_pr_fmt_in_a_helper_macro_is_the_one_where_the_macro_is_used() -> None:
    helper = "#define my_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)\n"
    code = body('\treturn my_warn("w %d\\n", 3);', helper)
    out = run(code, pr_fmt=per_file_pr_fmt("unit: ", {PATH: [(0, "mine: ")]}))
    assert [(x.level, x.text) for x in out.log] == [("warning", "mine: w 3")]
    assert out.ret == len("mine: w 3")  # printk()'s int: the stored record without its level and newline


def test_a_prefix_with_a_conversion_is_part_of_the_format() -> None:
    # pr_fmt(fmt) is pasted before the format: vsnprintf() reads a % in the prefix (as for pr_err()).
    code = body('\tprintk(KERN_ERR pr_fmt("x\\n"));\n\tpr_err("y\\n");\n\treturn 0;')
    assert lines(code, pr_fmt="100%% ") == [("err", "100% x"), ("err", "100% y")]


def test_an_unknown_prefix_is_refused_where_pr_fmt_is_written() -> None:
    code = body('\tprintk(KERN_ERR pr_fmt("x\\n"));\n\treturn 0;')
    out = run(code, pr_fmt=f"{UNMODELLED_PR_FMT}demo/x.c:1: pr_fmt() is not a prefix the mirror models")
    assert out.status == "error" and out.error is not None
    assert out.error.startswith(f"{PATH}:{line_of(code, 'pr_fmt(')}:") and "not a prefix" in out.error
    # A definition after #include lines: a header's code sees it only if included after it, not known.
    out = run(code, pr_fmt=scoped_pr_fmt("demo/x.c", 5, "x: "))
    assert out.error is not None and "after #include lines" in out.error


ARRAY = 'static const char fmt[] = KERN_ERR pr_fmt("P-SEAMLDR (%llx) failed: %016llx\\n");\n'
# Byte fn of the array, past its end its size plus 1000: what gcc and the mirror both return.
READ = "\treturn fn < sizeof(fmt) ? fmt[fn] : (long)sizeof(fmt) + 1000;"


@pytest.mark.skipif(GCC is None, reason="needs gcc (the oracle of an array's size and bytes)")
def test_an_array_built_with_the_files_pr_fmt_has_gccs_size_and_bytes(tmp_path: Path) -> None:
    # Before: refused ("the size of a string with pr_fmt() in it"), though a .c file's pr_fmt is fixed where it is.
    assert GCC is not None
    shim = '#include <stdio.h>\n#define KERN_ERR "\\001" "3"\n#define pr_fmt(fmt) "t: " fmt\n'
    native = shim + ARRAY + "long long f(unsigned long long fn, void *args)\n{\n" + READ + "\n}\n"
    size = len(b"\x013t: P-SEAMLDR (%llx) failed: %016llx\n") + 1
    want = gcc_returns(tmp_path, native, range(size + 1), GCC)
    assert want[-1] == size + 1000
    assert [ret(body(READ, ARRAY), leaf=i, pr_fmt="t: ") for i in range(size + 1)] == want
    printed = body('\tprintk(fmt, fn, 0xc0001ULL);\n\treturn sizeof(fmt);', ARRAY)
    out = run(printed, leaf=0x21, pr_fmt="t: ")
    assert out.ret == size
    assert [(x.level, x.text) for x in out.log] == [("err", "t: P-SEAMLDR (21) failed: 00000000000c0001")]


def test_each_run_sizes_the_array_with_its_own_pr_fmt() -> None:
    # One loaded program, runs with two pr_fmt: code compiled for one is not reused for the other.
    m = mirror_of(body("\treturn sizeof(fmt);", ARRAY), "f")
    sizes = [m.run(RunRequest("f", 0, (Answer(0),), fmt)).ret for fmt in ("t: ", "longer: ", "t: ")]
    base = len(b"\x013P-SEAMLDR (%llx) failed: %016llx\n") + 1
    assert sizes == [base + 3, base + 8, base + 3]


def test_the_sites_are_asked_again_only_for_another_pr_fmt_or_a_site_sized_since(monkeypatch: pytest.MonkeyPatch
                                                                                   ) -> None:
    # A matrix asks before each run whether the compiled code holds for its pr_fmt: asked again for the same pr_fmt
    # and sites, the answer is the one found before (it was each site's prefix worked out again, every run).
    m = mirror_of(body("\treturn sizeof(fmt);", ARRAY), "f")
    asked: list[str] = []
    real = sizedstrings._prefix
    monkeypatch.setattr(sizedstrings, "_prefix", lambda fmt, where: asked.append(fmt) or real(fmt, where))
    base = len(b"\x013P-SEAMLDR (%llx) failed: %016llx\n") + 1
    runs = [("t: ", 0), ("t: ", 1), ("t: ", 2), ("longer: ", 3), ("t: ", 4), ("longer: ", 5), ("t: ", 6)]
    sizes = [m.run(RunRequest("f", leaf, (Answer(0),), fmt)).ret for fmt, leaf in runs]
    assert sizes == [base + (8 if fmt == "longer: " else 3) for fmt, _ in runs]
    # The first run sizes the site (nothing asked); the second checks it for "t: "; "longer: " does not fit (asked
    # once) and gets a compiler of its own, which sizes the site for it; the next "longer: " run checks that one's
    # site once. Later runs of either pr_fmt ask nothing.
    assert asked == ["t: ", "longer: ", "longer: "]


def test_the_size_of_a_pr_fmt_string_is_refused_where_the_prefix_is_not_known() -> None:
    for stmt in ('return sizeof(pr_fmt("ab"));', 'char s[] = pr_fmt("ab"); return s[0];'):
        code = body("\t" + stmt)
        # A pr_fmt the harness could not read: refused at the literal, with the reason.
        out = run(code, pr_fmt=f"{UNMODELLED_PR_FMT}demo/x.c:1: pr_fmt() is not a prefix the mirror models")
        assert out.status == "error" and out.error is not None
        assert out.error.startswith(f"{PATH}:{line_of(code, 'pr_fmt(')}:") and "not a prefix" in out.error
    # A header's code, included by two .c files with other pr_fmt: which prefix its one copy has is not known.
    header = "static inline long h(void)\n{\n\treturn sizeof(pr_fmt(\"ab\"));\n}\n"
    code = body("\treturn h();")
    m = load_mirror((Source("test/h.h", ((1, tuple(header.split("\n"))),), True),
                     Source(PATH, ((1, tuple(code.split("\n"))),), True)), (EntryPoint("f", ("fn", "args")),))
    fmt = per_file_pr_fmt("unit: ", {"test/other.c": [(0, "other: ")]}, PATH)
    out = m.run(RunRequest("f", 0, (Answer(0),), fmt))
    assert out.status == "error" and out.error is not None
    assert out.error.startswith("test/h.h:3: the size of a string with pr_fmt() in it:"), out.error
    assert "test/other.c" in out.error, out.error


def test_the_mark_written_in_the_source_is_refused_as_gcc_refuses_it() -> None:
    out = run(body(f'\tprintk("{PR_FMT_MARK}x\\n");\n\treturn 0;'), pr_fmt="t: ")
    assert out.status == "error" and "gcc refuses" in str(out.error)


def test_a_units_own_pr_fmt_definition_does_not_shadow_the_sites() -> None:
    # The mirror does not expand the files' own #define pr_fmt: the run's pr_fmt (harness.prfmt) is the site's.
    code = body('\tprintk(KERN_ERR pr_fmt("x\\n"));\n\treturn 0;', '#define pr_fmt(fmt) "own: " fmt\n')
    assert lines(code, pr_fmt="own: ") == [("err", "own: x")]


def test_native_site_marks_become_the_sites_prefix() -> None:
    data = b"\x013" + site_mark("demo/a.h:7") + b"x" + site_mark("demo/b.c:2")
    assert resolve_site_marks(data, lambda site: site.encode() + b"|") == b"\x013demo/a.h:7|xdemo/b.c:2|"
    assert resolve_site_marks(b"plain", lambda site: b"?") == b"plain"


def test_pr_fmt_made_a_string_by_a_macro_is_refused_not_printed_as_the_mark() -> None:
    # #x of an argument holding pr_fmt("a"): gcc makes a string of the expanded prefix ('"x: " "a"'); the
    # mirror knows the prefix only where the code runs, so it refuses the literal where it is.
    code = body('\tpr_err("a=%s\\n", S(pr_fmt("a")));\n\treturn 0;', above="#define S1(x) #x\n#define S(x) S1(x)\n\n")
    out = run(code, pr_fmt="x: ")
    assert out.status == "error" and "pr_fmt() in a macro argument made a string" in (out.error or "")
    assert PR_FMT_MARK not in str(out.log)


def test_the_native_build_leaves_out_code_sizing_a_pr_fmt_string() -> None:
    # Its C holds the site's mark where the prefix goes (models.native.codegen): an array of it has another size.
    code = ARRAY + body("\treturn fmt[0];") + body('\treturn sizeof(pr_fmt("x"));').replace("long f(", "long g(") \
        + body("\treturn 0;").replace("long f(", "long h(")
    m = mirror_of(code, "f", "g", "h")
    for entry in ("f", "g", "h"):
        assert m.run(RunRequest(entry, 0, (Answer(0),), "t: ")).status == "ok"
    ok, bad = validated(m)
    assert "h" in ok and "f" not in ok and "g" not in ok, (ok, bad)
    assert "fmt" in bad and "the native build holds its site's mark" in bad["fmt"], bad
    assert bad["f"].startswith("needs fmt"), bad
    assert bad["g"].startswith(f"{PATH}:{line_of(code, 'sizeof(pr_fmt')}: the size of a string with pr_fmt()"), bad

"""An explicit pr_fmt(fmt) in the mirror: the prefix of the pr_fmt in force where it is written, joined with the
adjacent literals (``printk(KERN_ERR pr_fmt(fmt), ...)``), as include/linux/printk.h expands it."""

from __future__ import annotations

import pytest

from models.literals import PR_FMT_MARK, replace_pr_fmt, string_bytes, uses_pr_fmt
from models.prfmt_forms import UNMODELLED_PR_FMT, scoped_pr_fmt
from models.prfmt_site import per_file_pr_fmt, resolve_site_marks, site_mark
from tests.models.cprog import PATH, line_of, run

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


def test_the_size_of_a_pr_fmt_string_is_refused_not_guessed() -> None:
    for stmt in ('return sizeof(pr_fmt("ab"));', 'char s[] = pr_fmt("ab"); return s[0];'):
        code = body("\t" + stmt)
        out = run(code, pr_fmt="t: ")
        assert out.status == "error" and out.error is not None
        assert out.error.startswith(f"{PATH}:{line_of(code, 'pr_fmt(')}:") and "pr_fmt()" in out.error


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

"""printk in the mirror: the bytes of the C literal, %p of the values the mirror holds, once and ratelimit."""

from __future__ import annotations

import pytest

from models.literals import EscapeError, char_value, string_bytes, unescape_bytes
from tests.models.cprog import PATH, line_of, run

HEAD = "long f(u64 fn, struct tdx_module_args *args)\n{\n"


def body(text: str) -> str:
    return HEAD + text + "\n}\n"


def log(code: str, **kw: object) -> list[str]:
    out = run(code, **kw)  # type: ignore[arg-type]
    assert out.status == "ok", out.error
    return [x.text for x in out.log]


def test_literal_bytes_as_gcc_encodes_them() -> None:
    assert string_bytes('"temp %d°C\\n"') == b"temp %d\xc2\xb0C\n"
    assert string_bytes('"a\\x41\\101\\e" "b"') == b"aAA\x1bb"
    assert unescape_bytes("\\q") == b"q"  # gcc warns about an unknown escape and keeps the character
    # Universal character names (C11 6.4.3) as their UTF-8 bytes, gcc's execution character set.
    assert unescape_bytes("x\\u00e9\\U0001F600") == "xé😀".encode()
    for bad in ("\\u12", "\\U0000D800", "\\uzzzz"):
        with pytest.raises(EscapeError, match="universal character"):
            unescape_bytes(bad)
    # The kernel's -funsigned-char: '\xff' is 255 (gcc -funsigned-char; without the flag it is -1).
    assert char_value("'\\xff'") == 255 and char_value("'ab'") == 0x6162 and char_value("'A'") == 65
    with pytest.raises(EscapeError, match="no following hex digits"):
        unescape_bytes("\\x")
    # Past a byte gcc warns ("escape sequence out of range") and keeps the low byte: gcc 12 gives
    # "a\x141|\400|" the bytes 61 41 7c 00.
    assert unescape_bytes("a\\x141|\\400|") == b"aA|\x00|"


def test_format_bytes_are_copied() -> None:
    assert log(body('\tpr_info("temp %d°C\\n", 5);\n\tpr_err("\\xff%s\\n", "é");\n\treturn 0;'),
               pr_fmt="tdx: ") == ["tdx: temp 5°C", "tdx: \\xffé"]


def test_pointers_the_mirror_holds() -> None:
    code = body('\tvoid *e = ERR_PTR(-EIO);\n\tvoid *n = NULL;\n'
                '\tpr_info("%p %pe %px %pe %s\\n", n, e, e, ERR_PTR(-1234), (char *)n);\n'
                '\treturn IS_ERR(e) * 100 + IS_ERR(n) * 10 + IS_ERR_OR_NULL(n) + PTR_ERR(e) * 1000;')
    out = run(code)
    assert out.ret == -5000 + 100 + 1
    assert [x.text for x in out.log] == ["0000000000000000 -EIO fffffffffffffffb -1234 (null)"]


def test_is_err_of_an_object_is_false_and_ptr_err_or_zero() -> None:
    code = body("\tvoid *p = ERR_PTR(-ENOMEM);\n"
                "\treturn IS_ERR(args) * 10 + PTR_ERR_OR_ZERO(p) + PTR_ERR_OR_ZERO(NULL);")
    assert run(code).ret == -12


@pytest.mark.parametrize(("stmt", "message"), [
    ('pr_info("%p\\n", args);', "%p of an object prints a hash of the address"),
    ('pr_info("%pS\\n", f);', "%pS of f() prints f+0x0/0x<size>, the size of f() in the kernel build's symbol"),
    ('pr_info("%px\\n", args);', "%px of an object: its address is not modelled"),
    ('pr_info("%d\\n", "x");', "%d of a string literal"),
    # An int read as 64 bits: the upper half is whatever the register held (gcc -Wformat warns).
    ('int ret = -5; pr_err("%llx\\n", ret);', "%llx reads 64 bits where a 32-bit int was passed"),
    ('u8 b = 1; pr_err("%lu\\n", b);', "%lu reads 64 bits where a 32-bit int was passed"),
    # Fields each under the widest the mirror writes, all of them past it: refused, not held (60 took 1.4 GB).
    ('pr_err("%8000000d%8000000d%8000000d\\n", 1, 2, 3);', "vsnprintf() writes more than 16,777,216 bytes"),
])
def test_unsupported_pointer_output_is_refused_with_file_and_line(stmt: str, message: str) -> None:
    code = body("\t" + stmt + "\n\treturn 0;")
    out = run(code)
    assert out.status == "error" and message in (out.error or "")
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, stmt[:10])}")


def test_invalid_conversion_stops_the_line_and_warns_once() -> None:
    code = body('\tpr_err("a %jd b\\n", 1L);\n\tpr_err("c %q\\n");\n\treturn 0;')
    out = run(code)
    assert [x.text for x in out.log] == ["Please remove unsupported %j in format string", "a ", "c "]
    assert [(e.kind, e.detail) for e in out.events] == [("warning", "Please remove unsupported %j in format string")]


def test_an_unsupported_conversion_prints_the_warn_message_then_what_was_built() -> None:
    # Worked out from lib/vsprintf.c: format_decode() reaches its default case for 'y' (and 'w'), runs
    # WARN_ONCE(1, "Please remove unsupported %%%c in format string\n", *fmt) and returns FORMAT_TYPE_INVALID;
    # vsnprintf() then does "goto out": the text built so far, NUL-terminated, and no later argument read. The
    # WARN_ONCE fires inside vprintk_store()'s first vsnprintf(), so its message (__warn_printk()'s vprintk(),
    # no level: the default one) is stored before the record being formatted; the second call's %w warns no more.
    code = body('\tpr_err("st %d %y %d\\n", 1, 2, 3);\n\tpr_warn("x%w\\n", 4);\n\tpr_info("ok %d\\n", 5);'
                '\n\treturn 0;')
    out = run(code)
    assert out.status == "ok", out.error
    assert [(x.level, x.text) for x in out.log] == [
        ("default", "Please remove unsupported %y in format string"), ("err", "st 1 "), ("warning", "x"),
        ("info", "ok 5")]
    assert [(e.kind, e.detail, e.where) for e in out.events] == [
        ("warning", "Please remove unsupported %y in format string", f"{PATH}:{line_of(code, '%y')}")]


def test_narrower_and_equal_conversions_of_ints_print() -> None:
    # A u64 read by %d / %x is its low 32 bits; ints to %d / %x and u64 to %llx are what they are.
    code = body('\tint ret = -5;\n\tpr_err("%d %x %llx %d\\n", ret, ret, fn, fn);\n\treturn 0;')
    assert log(code, leaf=0x100000021) == ["-5 fffffffb 100000021 33"]


def test_vsprintf_warns_once_per_function_whatever_the_value() -> None:
    # set_precision() has one WARN_ONCE: two too-large precisions warn once (lib/vsprintf.c).
    code = body('\tpr_err("%.*d|%.*d\\n", 40000, 1, 50000, 2);\n\treturn 0;')
    out = run(code)
    assert [e.detail for e in out.events if e.kind == "warning"] == ["precision 40000 too large"]


def test_once_and_ratelimited_keep_state_per_call_site_within_a_run() -> None:
    code = body('\tint n = 0;\n\tfor (int i = 0; i < 15; i++) {\n\t\tn += pr_err_once("once %d\\n", i);\n'
                '\t\tpr_warn_ratelimited("limited %d\\n", i);\n\t\tWARN_ON_ONCE(i > 3);\n\t}\n'
                '\tpr_err_once("other site\\n");\n\tprintk_once("\\0014" "raw\\n");\n\treturn n;')
    out = run(code)
    assert out.ret == 15  # pr_*_once is true whether it printed or not (DO_ONCE_LITE)
    assert [(x.level, x.text) for x in out.log] == [
        ("err", "once 0"), *(("warning", f"limited {i}") for i in range(10)), ("err", "other site"),
        ("warning", "raw")]
    assert [(e.kind, e.detail) for e in out.events] == [("warning", "WARN_ON")]
    # A second run starts afresh, as a freshly booted kernel would.
    assert run(code).log[0].text == "once 0"


def test_func_names_the_function() -> None:
    code = ("static void helper(void) { pr_err(\"%s: %s failed\\n\", __func__, __FUNCTION__); }\n"
            + body("\thelper();\n\treturn sizeof(__func__);"))
    out = run(code)
    assert [x.text for x in out.log] == ["helper: helper failed"] and out.ret == 2  # sizeof "f"


def test_a_record_holds_what_the_kernel_stores() -> None:
    # kernel/printk/printk.c vprintk_store(): the text with its KERN_<level> prefix is cut to
    # PRINTKRB_RECORD_MAX - 1 = 1023 bytes, then the 2-byte prefix comes off: 1021 bytes, pr_fmt included.
    got = log(body('\tpr_err("%*d|\\n", 1100, 200);\n\tprintk(KERN_INFO "%*d|\\n", 1100, 7);\n'
                   '\tprintk("%*d|\\n", 1100, 7);\n\tpr_err("short\\n");\n\treturn 0;'), pr_fmt="virt/tdx: ")
    assert got[0] == "virt/tdx: " + " " * 1011
    assert got[1] == " " * 1021 and got[2] == " " * 1023  # printk: no pr_fmt; without a level, 1023
    assert got[3] == "virt/tdx: short"  # the cut record left no newline: the next record starts a line


def test_printk_returns_the_length_it_stores() -> None:
    # kernel/printk/printk.c: printk() returns vprintk_store()'s text_len (no KERN_<level>, no final newline,
    # pr_fmt included); pr_<level>() is printk(), so it returns the same int.
    code = body('\tint a = pr_err("abc\\n");\n\tint b = printk(KERN_ERR "abc\\n");\n\tint c = printk("abc");\n'
                '\tint d = pr_cont("xy\\n");\n\treturn a * 1000000 + b * 10000 + c * 100 + d;')
    out = run(code, pr_fmt="tdx: ")
    assert out.status == "ok", out.error
    assert out.ret == 8_03_03_02


def test_each_log_line_keeps_its_format_after_pr_fmt_and_its_call() -> None:
    # What a log note names the conversions from (harness.convnotes): the format vsnprintf() read, pr_fmt's prefix
    # in it and KERN_<level> not, and the call's path:line; None for a line no one call made alone.
    from models.machine import Answer
    from models.mirror import RunRequest
    from tests.models.cprog import mirror_of

    code = body('\tpr_err("leaf %llu failed: %#016llx\\n", fn, 5ULL);\n'
                '\tprintk(KERN_ERR "plain %d\\n", 3);\n'
                '\tpr_info("open %d", 1);\n\tpr_cont(" more\\n");\n'
                '\tWARN(fn == 33, "warned %llx\\n", fn);\n\treturn 0;')
    m = mirror_of(code, "f")
    out = m.run(RunRequest("f", 33, (Answer(0),), "tdx: "))
    assert [x.text for x in out.log] == ["tdx: leaf 33 failed: 0x00000000000005", "plain 3", "tdx: open 1 more",
                                         "warned 21"]
    assert m.last_log == ((b"tdx: leaf %llu failed: %#016llx\n", f"{PATH}:{line_of(code, 'leaf %llu')}", False),
                          (b"plain %d\n", f"{PATH}:{line_of(code, 'plain')}", False), None,
                          (b"warned %llx\n", f"{PATH}:{line_of(code, 'WARN(')}", False))
    # A replayed run (the same answers looked at) gives its lines' sources too.
    again = m.run(RunRequest("f", 33, (Answer(0), Answer(7)), "tdx: "))
    assert again is out and m.replayed == 1 and m.last_log[0] is not None and m.last_log[2] is None


def test_ps_of_a_seamcall_function_is_its_kernel_symbol() -> None:
    # arch/x86/virt/vmx/tdx/seamcall.S defines __seamcall, __seamcall_ret and __seamcall_saved_ret by those names
    # (SYM_FUNC_START): kallsyms prints them so, as gcc's build under crosscheck does; it was refused as a symbol the
    # mirror cannot know. %pS (its size) and another primitive's %ps still are.
    code = body("\tu64 (*fp)(u64, struct tdx_module_args *) = fn ? __seamcall_ret : __seamcall_saved_ret;\n\n"
                '\tpr_err("%ps|%ps|%-12ps|\\n", __seamcall, fp, __seamcall);\n\treturn 0;')
    assert log(code) == ["__seamcall|__seamcall_saved_ret|__seamcall  |"]
    for stmt, says in (('pr_err("%pS\\n", __seamcall);', "the size of __seamcall()"),
                       ('pr_err("%ps\\n", memset);', "the kernel's symbol at that address")):
        out = run(body(f"\t{stmt}\n\treturn 0;"))
        assert out.status == "error" and says in (out.error or ""), out.error

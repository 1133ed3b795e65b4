"""An explicit pr_fmt(fmt) has the pr_fmt of where it is written, against gcc.

An explicit pr_fmt(fmt) (``printk(KERN_ERR pr_fmt(fmt), ...)``) has the pr_fmt of where it is written, by the
rules of the pr_*() calls (harness.prfmt.run_pr_fmt), in the mirror and, where a C compiler is installed, by gcc
(models/native: gcc joins the literals around the site's mark) with the same outcome."""

from __future__ import annotations

import pytest

from tests.harness.test_prfmt_sites import _agrees_with_gcc, _logs, _run

PRINTER = "{kw}void {name}_err(u64 fn, u64 err)\n{{\n\t{call};\n}}\n\n"
HELPER = "{kw}int {name}(u64 fn, struct tdx_module_args *args)\n{{\n\tu64 r = __seamcall(fn, args);\n\n" \
         "\tif (r)\n\t\t{name}_err(fn, r);\n\treturn r ? -EIO : 0;\n}}\n"
SEAMLDR = 'printk(KERN_ERR pr_fmt("P-SEAMLDR (%#llx) failed: %#016llx\\n"), fn, err)'


def _header(name: str, call: str = SEAMLDR, above: str = "") -> str:
    return above + PRINTER.format(kw="static inline ", name=name, call=call) + \
        HELPER.format(kw="static inline ", name=name)


def test_a_headers_printk_with_pr_fmt_has_the_units_prefix_and_level(tmp_path: object) -> None:
    # The unit defines pr_fmt before it includes the header: the header's code sees it (include/linux/printk.h).
    files = {"demo/demo.h": _header("f_one"),
             "demo/x.c": '#define pr_fmt(fmt) "x: " fmt\n\n#include "demo.h"\n'}
    result = _run(tmp_path, files, {"x.c": "demo/x.c"}, "f_one")  # type: ignore[arg-type]
    assert _logs(result, "f_one") == {"x.c": ["x: P-SEAMLDR (0x1) failed: 0x00000000000005"]}
    o = next(result.outcome("v", s.id) for s in result.matrix.scenarios)
    assert [x.level for x in o.log] == ["err"]
    _agrees_with_gcc(result, 1)


@pytest.mark.parametrize(("call", "want"), [
    ('printk(pr_fmt("plain %llu\\n"), err)', ("default", "x: plain 5")),
    ('pr_warn(pr_fmt("twice %llu\\n"), err)', ("warning", "x: x: twice 5")),
    ('printk(KERN_NOTICE "%s\\n", pr_fmt("arg"))', ("notice", "x: arg")),
])
def test_explicit_pr_fmt_forms_agree_with_gcc(tmp_path: object, call: str, want: tuple[str, str]) -> None:
    files = {"demo/x.c": '#define pr_fmt(fmt) "x: " fmt\n\n' + PRINTER.format(kw="static ", name="f_x", call=call)
             + HELPER.format(kw="", name="f_x")}
    result = _run(tmp_path, files, {"x.c": "demo/x.c"}, "f_x")  # type: ignore[arg-type]
    o = next(result.outcome("v", s.id) for s in result.matrix.scenarios)
    assert o.ran and [(x.level, x.text) for x in o.log] == [want], o.error
    _agrees_with_gcc(result, 1)


def test_kbuild_modname_and_a_helper_macro_of_a_header(tmp_path: object) -> None:
    # The header's macro expands in the .c file, where its pr_fmt (KBUILD_MODNAME ": ", kbuild's name) holds.
    macro = "#define demo_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)\n"
    files = {"demo/demo.h": macro,
             "demo/x-y.c": '#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt\n\n#include "demo.h"\n\n'
                           + PRINTER.format(kw="static ", name="f_m", call='demo_warn("m %llx\\n", err)')
                           + HELPER.format(kw="", name="f_m")}
    result = _run(tmp_path, files, {"x-y.c": "demo/x-y.c"}, "f_m")  # type: ignore[arg-type]
    assert _logs(result, "f_m") == {"x-y.c": ["x_y: m 5"]}
    _agrees_with_gcc(result, 1)


def test_a_headers_own_definition_and_another_c_files(tmp_path: object) -> None:
    # Below its own #define the header's code has that one; a.c's code has a.c's in b.c's unit too.
    files = {"demo/demo.h": _header("f_h", above='#define pr_fmt(fmt) "hdr: " fmt\n\n'),
             "demo/a.c": '#define pr_fmt(fmt) "a: " fmt\n\n' + PRINTER.format(kw="static ", name="f_a", call=SEAMLDR)
             + HELPER.format(kw="", name="f_a"),
             "demo/b.c": '#define pr_fmt(fmt) "b: " fmt\n\nint fb(void)\n{\n\treturn 0;\n}\n\n#include "demo.h"\n'}
    result = _run(tmp_path, files, {"b.c": "demo/b.c"}, "f_a")  # type: ignore[arg-type]
    assert _logs(result, "f_a") == {"b.c": ["a: P-SEAMLDR (0x1) failed: 0x00000000000005"]}
    _agrees_with_gcc(result, 1)
    result = _run(tmp_path, files, {"b.c": "demo/b.c"}, "f_h")  # type: ignore[arg-type]
    assert _logs(result, "f_h") == {"b.c": ["hdr: P-SEAMLDR (0x1) failed: 0x00000000000005"]}
    _agrees_with_gcc(result, 1)


@pytest.mark.parametrize(("unit", "why"), [
    # Defined after an #include line: the header's code sees it only if included after it; where is not known.
    ('#include <linux/kernel.h>\n#define pr_fmt(fmt) "x: " fmt\n', "after #include lines"),
    # Not a prefix: "%s: " fmt, __func__ passes an argument, which only a pr_*() call places.
    ('#define pr_fmt(fmt) "%s: " fmt, __func__\n', "pr_fmt() passes __func__ after fmt"),
    ('#define pr_fmt(fmt) "%s: " fmt, dev_name(dev)\n', "not a prefix the mirror models"),
])
def test_a_prefix_that_cannot_be_known_is_refused_at_the_use(tmp_path: object, unit: str, why: str) -> None:
    # x.c reaches demo.h through a header the input lacks (harness.visibility: it may include anything).
    files = {"demo/demo.h": _header("f_one"), "demo/x.c": unit + '#include "demo_all.h"\n'}
    got = str(_logs(_run(tmp_path, files, {"x.c": "demo/x.c"}, "f_one"), "f_one")["x.c"])  # type: ignore[arg-type]
    assert why in got and "demo/demo.h:3:" in got, got

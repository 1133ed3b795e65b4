"""crosscheck from the variant's own text: gcc -E reads it, so a mirror preprocessor bug is caught; libc formats."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from harness.crosscheck import CrossResult, crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.variants import Variant
from models import cpp, printk
from models.mirror import clear_caches
from models.native.run import find_compiler

# Our own helper: the retry count is a macro, so that what it is depends on the preprocessor alone.
RETRY_H = """\
#define DEMO_BUSY 0x8000000000000010ULL
#define DEMO_TRIES 3
#define DEMO_RETRY(call) ({ int __t = DEMO_TRIES; u64 __r; \\
	do { __r = (call); } while (__r == DEMO_BUSY && --__t); __r; })

static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
	return DEMO_RETRY(__seamcall(fn, args));
}

static inline int demo_show(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);

	pr_err("status %#016llx leaf %llu\\n", ret, fn);
	return ret ? -EIO : 0;
}
"""

MATRIX = """\
[codes]
OK = 0
BUSY = 0x8000000000000010
FAIL = 0x8000000000000001
[leaves]
ONE = 1
[[unit]]
name = "demo.c"
path = "demo/demo.c"
[[entry]]
name = "demo_retry"
[[entry]]
name = "demo_show"
[[script]]
name = "ok"
answers = ["OK"]
[[script]]
name = "busy"
answers = ["BUSY", "OK"]
repeat_first = [5]
[[script]]
name = "fail"
answers = ["FAIL"]
"""


def _result(tmp_path: Path, text: str = RETRY_H, entries: tuple[str, ...] = ()) -> MatrixResult:
    v = Variant("a", "test variant a", (full_file("demo/helper.h", text, "test"),), (), (), (), "test")
    (tmp_path / "m.toml").write_text(MATRIX + "".join(f'[[entry]]\nname = "{e}"\n' for e in entries))
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))


def _cross(tmp_path: Path, source: str, text: str = RETRY_H, entries: tuple[str, ...] = ()) -> CrossResult:
    return crosscheck_result(_result(tmp_path, text, entries), find_compiler(None), source=source)


@pytest.fixture
def cold() -> object:
    clear_caches()  # mirrors built before a patch must not be reused, nor patched ones after it
    yield None
    clear_caches()


def test_own_text_agrees_and_is_counted_apart(tmp_path: Path, cold: object) -> None:
    r = _cross(tmp_path, "original")
    assert r.disagreements == [] and r.exit_status == 0
    assert r.raw_compared["a"] == r.compared["a"] == r.raw_agreed["a"] > 0
    assert r.fallback["a"] == []
    # %#016llx of 0 is the kernel's "0x00000000000000" (lib/vsprintf.c number()), C99's "0000000000000000":
    # that record is formatted by the mirror's vsnprintf(); the others by the C library.
    assert r.formats.libc > 0 and r.formats.mirror > 0


def test_preprocessor_bug_is_caught_only_from_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       cold: object) -> None:
    real = cpp._run  # what every expansion runs pcpp through, a definition's own text and a shared macro block's

    def wrong(pp: object, text: str) -> str:  # pcpp reads the macro's body wrongly: 1 try, not 3
        return real(pp, text.replace("#define DEMO_TRIES 3", "#define DEMO_TRIES 1"))  # type: ignore[arg-type]

    monkeypatch.setattr(cpp, "_run", wrong)
    # The C generated from the mirror's expansion carries the bug to the native side too: nothing is caught.
    assert _cross(tmp_path, "mirror").disagreements == []
    clear_caches()
    r = _cross(tmp_path, "original")
    bad = {d.scenario: d.divergence for d in r.disagreements}
    assert bad == {"demo_retry/ONE/busy-x5/demo.c": "SEAMCALLs: mirror made 1, native 3"}
    assert r.exit_status == 1


def test_printk_formatting_bug_is_caught_by_the_c_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          cold: object) -> None:
    real = printk._number
    monkeypatch.setattr(printk, "_number", lambda *number: real(*number).upper())
    r = _cross(tmp_path, "original")
    bad = {d.scenario: d.divergence for d in r.disagreements}
    # The failure's status is printed by the C library on the native side: the mirror's "0X8000..." is caught.
    assert "demo_show/ONE/fail/demo.c" in bad and "0X8000000000000001" in bad["demo_show/ONE/fail/demo.c"]
    # Success prints %#016llx of 0, a conversion where the kernel and C99 differ: the mirror formats both
    # sides, so its text is no independent check (counted in formats.mirror, never claimed).
    assert "demo_show/ONE/ok/demo.c" not in bad


def test_text_gcc_refuses_falls_back_per_entry_point(tmp_path: Path, cold: object) -> None:
    # A file-scope object of a type no file defines (a kernel header the prelude does not model): gcc refuses
    # the file; the mirror, which reads only what the entry points reach, runs them.
    text = RETRY_H + "\nstatic struct tdx_sys_info demo_info;\n"
    r = _cross(tmp_path, "original", text)
    assert r.disagreements == [] and r.compared["a"] > 0
    assert r.raw_compared["a"] == 0
    assert any(why.startswith("demo_retry (demo.c): gcc: demo/helper.h:") and "demo_info" in why
               for why in r.fallback["a"])


# A macro of the header whose body gcc refuses (unsigned long and u64 are one size, two types: the kernel's
# -Werror=incompatible-pointer-types), used by a function and by a macro that are entry points.
BAD_MACRO_H = """\
#define DEMO_WORD(v) ({ unsigned long *__w = &(v); *__w; })
#define DEMO_LOW(v) DEMO_WORD(v)

static inline u64 demo_low(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);

	return DEMO_LOW(r);
}

#define demo_low_mac(fn, args) ({ u64 __m = __seamcall(fn, args); DEMO_LOW(__m); })
"""


def test_an_error_in_a_macro_body_blanks_only_the_function_that_uses_it(tmp_path: Path, cold: object) -> None:
    r = _cross(tmp_path, "original", RETRY_H + BAD_MACRO_H, ("demo_low", "demo_low_mac"))
    # The mirror refuses to build them as gcc does (-Werror=incompatible-pointer-types for an initialisation),
    # never a disagreement. demo_low: gcc refused its text at the line the mirror names (the expansion of
    # DEMO_LOW, gcc's error being at DEMO_WORD's line, a macro of no function): agreement on refusal, with gcc's
    # message, and nothing said to fall back. demo_low_mac: the mirror refused before gcc was asked (no typed
    # call of it): not compared, as a refusal of the mirror's alone.
    assert r.disagreements == []
    (alike,) = r.refused_alike["a"]
    assert alike.startswith("demo_low: both refuse to build it; gcc refuses it: demo/helper.h:") and \
        "incompatible pointer type" in alike and "in expansion of macro ‘DEMO_LOW’ (3 scenarios)" in alike, alike
    assert r.refused_alike_runs["a"] == 3 and r.exit_status == 0
    (mac_why,) = r.not_compared["a"]
    assert mac_why.startswith("demo_low_mac: the mirror did not run it: demo/helper.h:") and \
        "incompatible pointer type" in mac_why, mac_why
    # gcc refused demo_low_mac's text too, yet none of its scenarios was compared from the mirror's expansion
    # either: it fell back to nothing, and is never said to come "from the mirror's expansion".
    assert r.fallback["a"] == [], r.fallback
    # demo_retry and demo_show are still built by gcc from the text: 6 scenarios, all of them agreeing.
    assert r.raw_compared["a"] == r.raw_agreed["a"] == 6 and r.compared["a"] == r.agreed["a"] == 6


def test_the_prelude_stands_for_missing_kernel_headers(tmp_path: Path, cold: object) -> None:
    text = "#include <linux/printk.h>\n#include <asm/tdx.h>\n#include \"local.h\"\n" + RETRY_H
    r = _cross(tmp_path, "original", text)
    assert r.disagreements == [] and r.raw_compared["a"] == r.compared["a"] > 0


def test_an_args_struct_of_another_layout_is_passed_as_the_unit_lays_it_out(tmp_path: Path, cold: object) -> None:
    from tests.harness.test_crosscheck import ARGS_H

    text = ARGS_H.replace("\tu64 rsi;\n", "") + RETRY_H  # the unit's own struct, without rsi
    r = _cross(tmp_path, "original", text)
    assert r.raw_compared["a"] == r.raw_agreed["a"] == r.compared["a"] == 6 and r.exit_status == 0, r.not_compared


def test_exports_and_module_declarations_build_as_in_the_kernel(tmp_path: Path, cold: object) -> None:
    # Nearly every kernel .c file exports a symbol or declares its module: the prelude stood for
    # <linux/export.h> and <linux/module.h> without their macros, gcc refused the file ("type defaults to
    # 'int' in declaration of 'EXPORT_SYMBOL_GPL'") and every entry point fell back to the mirror's expansion.
    text = ("#include <linux/export.h>\n#include <linux/module.h>\n" + RETRY_H
            + "\nint demo_exported(void)\n{\n\treturn 0;\n}\nEXPORT_SYMBOL_GPL(demo_exported);\n"
            'EXPORT_SYMBOL_NS_GPL(demo_retry, "DEMO");\nEXPORT_SYMBOL_FOR_MODULES(demo_show, "kvm");\n'
            "EXPORT_SYMBOL(demo_exported);\n"
            'static int __init demo_init(void)\n{\n\treturn 0;\n}\nmodule_init(demo_init);\n'
            'MODULE_LICENSE("GPL");\nMODULE_DESCRIPTION("demo");\nMODULE_IMPORT_NS("DEMO");\n')
    r = _cross(tmp_path, "original", text)
    assert r.fallback["a"] == [] and r.disagreements == [], r.fallback
    assert r.raw_compared["a"] == r.compared["a"] > 0


# Conversions the kernel reads otherwise than C99 (lib/vsprintf.c format_decode()): a lone '.' leaves a %s's
# precision unset (the whole string; C99: precision 0, nothing), a lone 'H' is a char length (v6.14; C99: none);
# and one C99 reads alike but for the value its length leaves: %#hhx of 256 is "0x0" (C99: "0"), %.0hu of 65536 "0".
KERNEL_READS_H = RETRY_H.replace('pr_err("status %#016llx leaf %llu\\n", ret, fn);',
                                 'pr_err("status %llx tag %.s|%Hd|%.3s\\n", ret, "seam", (int)fn + 299, "ldr");'
                                 'pr_err("tag %#hhx|%.0hu|%#.0hhx\\n", (int)fn + 255, (int)fn + 65535, (int)fn + 511);')


def test_conversions_only_the_kernel_reads_are_never_the_c_librarys(tmp_path: Path, cold: object) -> None:
    assert KERNEL_READS_H != RETRY_H
    r = _cross(tmp_path, "original", KERNEL_READS_H)
    assert r.disagreements == [] and r.raw_compared["a"] > 0 and r.formats.mirror > 0
    lines = [x.text for o in _result(tmp_path, KERNEL_READS_H).outcomes_of("a") for x in o.log if "tag" in x.text]
    assert {t.partition("tag ")[2] for t in lines} == {"seam|44|ldr", "0x0|0|0x0"}, lines


def test_a_unit_the_tree_lacks_in_a_state_gets_no_assumed_pr_fmt() -> None:
    # As the mirror (harness.prfmt.assumed_pr_fmt): a file known not to exist in this state (a later patch creates
    # it) has no pr_fmt to assume. The native side took mainline's 'seamldr: ' and disagreed with the mirror on
    # every log line of that unit before the patch creating it (a v4 probe with --tree).
    from harness.crossraw import _pr_fmt_line
    from harness.filestate import absent_file
    from models.prelude import PR_FMT

    unit = next(path for path, prefix in PR_FMT.items() if prefix and path.endswith(".c"))
    v = Variant("v4:02", "test", (absent_file(unit, "tree"),), (), (), (), "tree", 4, 2, None)
    assert _pr_fmt_line(v, unit) == (None, None)
    assert _pr_fmt_line(replace(v, files=()), unit)[0] is not None  # not read at all: mainline's is assumed


# A helper moved out of line into another .c file of the variant (declared in a header, defined without static
# there), as a series moving sc_retry() into seamcall.c does: kbuild links both objects.
CALLER_C = """\
#include <linux/kernel.h>
#include "demo.h"

int demo_show(u64 fn, struct tdx_module_args *args)
{
	u64 ret = demo_retry(fn, args);

	pr_err("status %#llx leaf %llu\\n", ret, fn);
	return ret ? -EIO : 0;
}
"""

HELPER_C = """\
#include <linux/kernel.h>
#include "demo.h"

#define DEMO_TRIES 3

u64 demo_retry(u64 fn,
		struct tdx_module_args *args)
{
	int t = DEMO_TRIES;
	u64 r;

	do {
		r = __seamcall(fn, args);
	} while (r == 0x8000000000000010ULL && --t);
	return r;
}
"""


def test_a_helper_moved_into_another_c_file_is_linked_from_its_own_text(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        cold: object) -> None:
    real = cpp._run

    def wrong(pp: object, text: str) -> str:  # pcpp reads the other file's macro wrongly: 1 try, not 3
        return real(pp, text.replace("#define DEMO_TRIES 3", "#define DEMO_TRIES 1"))  # type: ignore[arg-type]

    monkeypatch.setattr(cpp, "_run", wrong)
    files = (full_file("demo/demo.h", "u64 demo_retry(u64 fn, struct tdx_module_args *args);\n", "test"),
             full_file("demo/demo.c", CALLER_C, "test"), full_file("demo/other.c", HELPER_C, "test"),
             full_file("demo/Makefile", "obj-y += demo.o other.o\n", "test"))
    (tmp_path / "m.toml").write_text(MATRIX.replace('[[entry]]\nname = "demo_retry"\n', ""))
    res = run_matrix(MatrixRequest((Variant("a", "test variant a", files, (), (), (), "test"),),
                                   load_matrix(tmp_path / "m.toml"), jobs=1))
    r = crosscheck_result(res, find_compiler(None), source="original")
    # gcc linked the unit alone ('undefined reference to demo_retry'): every scenario fell back to the mirror's
    # expansion, which carries the bug to the native side too, and nothing was caught.
    assert r.fallback["a"] == [] and r.raw_compared["a"] == r.compared["a"] == 3
    bad = {d.scenario: d.divergence for d in r.disagreements}
    assert bad == {"demo_show/ONE/busy-x5/demo.c": "SEAMCALLs: mirror made 1, native 3"}


@pytest.mark.parametrize("include", ['#include "{path}"\n', '#include "{up}{path}"\n',
                                     '#define SECRET_H "{path}"\n#include SECRET_H\n',
                                     # gcc's phases 2 and 3: one include each (models.cdirectives)
                                     '#inc\\\nlude "{path}"\n', '# /* c */ include "{path}"\n'])
def test_an_include_of_a_file_outside_the_tree_is_never_read(tmp_path: Path, cold: object, include: str) -> None:
    # Patched C is untrusted mail: gcc read any file its #include named (an absolute name, ``..`` past the written
    # tree, a macro), and its error quoted the file into the report (/etc/passwd, /proc/self/environ), or read
    # /dev/zero until 19 GB. The unit is refused before gcc reads it; the mirror still runs the entry points.
    (secret := tmp_path / "secret.h").write_text("SECRET_TOKEN_4f2a leaked;\n")
    line = include.replace("{up}", "../" * 40).replace("{path}", str(secret))
    r = _cross(tmp_path, "original", line + RETRY_H)
    assert r.raw_compared["a"] == 0 and r.compared["a"] > 0 and r.disagreements == []
    said = " ".join(r.fallback["a"])
    assert "SECRET_TOKEN" not in said and f"{secret}, outside the variant's tree: not built" in said, said
    if "SECRET_H" not in line:  # where the name is written; a computed one is said without a line
        assert "demo/helper.h:1: #include of" in said

"""%pV of a struct va_format (lib/vsprintf.c va_format()) in the mirror and the native build, against gcc."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.printk import NarrowInt, Pointer, line_format, vsnprintf
from tests.models.cprog import PATH, line_of, mirror_of, run
from tests.models.probegroup import agrees_with_gcc, group_result

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc, the oracle")

# The kernel's wrappers: a __printf function building a struct va_format of its format and va_list for pr_err(), one
# taking a va_list (copied, as its address is no va_list *), a %pV inside a %pV, and %pV of NULL.
PV = r"""
static __printf(1, 2) void pw_err(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("tdx: %pV", &vaf);
	va_end(args);
}

static void pw_vsay(const char *fmt, va_list args)
{
	va_list aq;
	struct va_format vaf = { .fmt = fmt, .va = &aq };

	va_copy(aq, args);
	printk(KERN_WARNING "w: %s %pV|\n", "s", &vaf);
	va_end(aq);
}

static __printf(1, 2) void pw_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pw_vsay(fmt, ap);
	va_end(ap);
}

static __printf(1, 2) void pw_inner(const char *fmt, ...)
{
	va_list ap;
	struct va_format vaf = { .fmt = fmt, .va = &ap };

	va_start(ap, fmt);
	pw_say("<%pV>", &vaf);
	va_end(ap);
}

static long long pw_pv(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char buf[40];
	int n;

	pw_err("SEAMCALL %#llx failed: %d %c\n", err, -5, 'q');
	pw_say("[%5llu] %pV", fn, NULL);
	pw_inner("%s=%hx", "err", (unsigned short)err);
	n = snprintf(buf, sizeof(buf), "%s", "x");
	return (long long)(err & 0xff) + n;
}
"""


@needs_gcc
def test_a_va_format_wrapper_prints_what_gcc_prints(tmp_path: Path) -> None:
    # Before: "struct va_format is used but never defined"; with it, "%pV ... prints a struct va_format's format and
    # va_list, which the mirror does not model" (models.printkptr), so every such wrapper was INCONCLUSIVE.
    result = group_result(tmp_path, "pv", "demo/pv.h", PV)
    out = result.outcome("pv", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [(x.level, x.text) for x in out.log] == [
        ("err", "tdx: SEAMCALL 0x8000020300000043 failed: -5 q"), ("warning", "w: s [    1] (null)|"),
        ("warning", "w: s <err=43>|")]
    agrees_with_gcc(result, "pv")


def test_the_address_of_a_va_list_parameter_is_no_va_list_pointer_as_gcc_says(tmp_path: Path) -> None:
    # gcc (x86-64): a va_list parameter is a __va_list_tag *, its address no __va_list_tag (*)[1]: the kernel's
    # -Werror=incompatible-pointer-types stops the build (before: run, printing what the list held)
    code = PV.replace("\tva_list aq;\n\tstruct va_format vaf = { .fmt = fmt, .va = &aq };\n\n\tva_copy(aq, args);\n",
                      "\tstruct va_format vaf = { .fmt = fmt, .va = &args };\n\n").replace("\tva_end(aq);\n", "")
    code += "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn pw_pv(fn, args);\n}\n"
    out = run(code)
    assert out.status == "error" and "initialization from incompatible pointer type" in (out.error or ""), out
    if shutil.which("gcc") is not None:
        src = tmp_path / "v.c"
        src.write_text("#include <stdarg.h>\nstruct va_format { const char *fmt; va_list *va; };\n"
                       "void g(struct va_format *);\nvoid f(const char *fmt, va_list args)\n"
                       "{\n\tstruct va_format vaf = { .fmt = fmt, .va = &args };\n\n\tg(&vaf);\n}\n")
        built = subprocess.run(["gcc", "-c", "-Werror=incompatible-pointer-types", "-o", str(tmp_path / "v.o"),
                                str(src)], capture_output=True, text=True)
        assert built.returncode != 0 and "incompatible pointer type" in built.stderr


def test_pv_prints_the_struct_format_where_it_is_and_its_warnings_are_the_calls() -> None:
    # va_format(): vsnprintf() of the inner format there, the field width unused; format_decode()'s WARN_ONCE
    inner = Pointer(None, vaf=(b"%llx|%Lq", (0x21, NarrowInt(3))))
    out = vsnprintf(b"a %10pV b %d", [inner, NarrowInt(7)])
    assert out.text == b"a 21| b 7"
    assert out.warnings == ["Please remove unsupported %q in format string"]
    assert vsnprintf(b"%pV", [Pointer(0)]).text == b"(null)"


def test_a_pv_line_records_the_format_its_text_follows() -> None:
    # lib/vsprintf.c va_format(): the inner format prints where the %pV is, so the line's conversions are the inner
    # format's. Before: each line's source was the call's own format ("tdx: %pV"), whose conversions tell nothing
    # of the leaf's base or case (harness.consistency's leaf-format read "%pV" and could not tell the case).
    from models.machine import Answer
    from models.mirror import RunRequest

    code = PV.replace("static long long pw_pv(", "long long f(")
    m = mirror_of(code, "f")
    out = m.run(RunRequest("f", 0x43, (Answer(0x8000020300000000),), ""))
    assert out.status == "ok", out.error
    assert m.last_log == ((b"tdx: SEAMCALL %#llx failed: %d %c\n", f"{PATH}:{line_of(code, 'tdx: %pV')}", True),
                          (b"w: %s [%5llu] %pV|\n", f"{PATH}:{line_of(code, 'w: %s %pV')}", True),
                          (b"w: %s <%s=%hx>|\n", f"{PATH}:{line_of(code, 'w: %s %pV')}", True))


@pytest.mark.parametrize(("fmt", "args", "want"), [
    (b"a %10pV b %d", (Pointer(None, vaf=(b"%llx|%d", (0x21, 3))), 7), b"a %llx|%d b %d"),
    (b"%pV", (Pointer(None, vaf=(b"<%pV>", (Pointer(None, vaf=(b"%s\0%d", (b"x",))),))),), b"<%s>"),
    (b"%%pV %pV %d", (Pointer(0), 1), b"%%pV %pV %d"),  # a literal '%pV', and %pV of NULL: "(null)"
    (b"%*d %pV", (3, 4, Pointer(None, vaf=(b"%c", (65,)))), b"%*d %c"),
    (b"x %d", (1,), b"x %d"),
])
def test_line_format_puts_the_struct_format_where_the_pv_is(fmt: bytes, args: tuple[object, ...],
                                                            want: bytes) -> None:
    # What it prints with the arguments laid out in order (each struct's in its %pV's place) is what vsnprintf()
    # prints for the call (lib/vsprintf.c va_format()).
    assert line_format(fmt, args) == want  # type: ignore[arg-type]

    def flat(values: tuple[object, ...]) -> list[object]:
        return [x for v in values for x in (flat(v.vaf[1]) if isinstance(v, Pointer) and v.vaf else [v])]
    assert vsnprintf(want, flat(args)).text == vsnprintf(fmt, args).text  # type: ignore[arg-type]

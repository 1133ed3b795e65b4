"""printk's %p extensions that error paths use (models/printkptr.py), against lib/vsprintf.c.

printk's %p extensions that error paths use (models/printkptr.py), against lib/vsprintf.c and the outputs
Documentation/core-api/printk-formats.rst gives: printed where every kernel prints the same, refused (with the
reason) where the build or the running system decides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import RunRequest, load_mirror
from models.printk import Arg, Pointer, PrintkUnsupported, vsnprintf
from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import runs_as_gcc

needs_gcc = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                               reason="needs a C compiler, the oracle")

ERR = 1 << 64  # ERR_PTR(-e) is ERR - e
PHYS = (0x0123456789ABCDEF).to_bytes(8, "little")


@pytest.mark.parametrize(("fmt", "args", "want"), [
    # %ps: the symbol's name (printk-formats.rst: "%ps versatile_init"), as a string with the field's width.
    (b"%ps|%-16ps|%.5ps|%psR", (*[Pointer(None, symbol="versatile_init")] * 4,),
     b"versatile_init|versatile_init  |versa|versatile_init"),
    # An address kallsyms finds no symbol at (NULL, a user-space address, an error pointer) is "0x%lx"
    # (__sprint_symbol()), for every one of the letters; %pB looks up the address less one and prints it back.
    (b"%ps %pS %pB %pSR", (Pointer(0), Pointer(0), Pointer(0), Pointer(0)), b"0x0 0x0 0x0 0x0"),
    (b"%pS|%6ps|%pB", (Pointer(ERR - 5), Pointer(0x1234), Pointer(0x7FFF_FFFF_F000)),
     b"0xfffffffffffffffb|0x1234|0x7ffffffff000"),
    # %pa[p] and %pad: the phys_addr_t / dma_addr_t pointed at, "0x0123456789abcdef" on 64-bit whatever the
    # width (special_hex_number()); check_pointer()'s message, with the width, for NULL and error pointers.
    (b"%pa %pap %pad %20pa", (*[Pointer(0x1000, data=PHYS)] * 4,),
     b"0x0123456789abcdef 0x0123456789abcdef 0x0123456789abcdef 0x0123456789abcdef"),
    (b"%pa|%8pad|%pa", (Pointer(0), Pointer(0), Pointer(ERR - 22)), b"(null)|  (null)|(efault)"),
    # %pK of NULL: zeros under every kptr_restrict ("%pK 0123456789abcdef" on 64-bit: 16 digits).
    (b"%pK|%8pK|%-4pK|", (Pointer(0), Pointer(0), Pointer(0)), b"0000000000000000|       0|0   |"),
    # %pV of a pointer check_pointer() refuses.
    (b"%pV|%pV|%10pV", (Pointer(0), Pointer(ERR - 12), Pointer(0x10)), b"(null)|(efault)|  (efault)"),
    # %pe: "%pe -ENOSPC" (CONFIG_SYMBOLIC_ERRNAME=y, lib/errname.c).
    (b"%pe", (Pointer(ERR - 28),), b"-ENOSPC"),
])
def test_printed_as_lib_vsprintf_prints_it(fmt: bytes, args: tuple[Arg, ...], want: bytes) -> None:
    out = vsnprintf(fmt, args)
    assert out.text == want and out.warnings == []


@pytest.mark.parametrize(("fmt", "arg", "message"), [
    # "%pS versatile_init+0x0/0x110": the size is the build's.
    (b"%pS", Pointer(None, symbol="tdx_init"), r"tdx_init\+0x0/0x<size>, the size of tdx_init\(\) in the kernel"),
    (b"%pSR", Pointer(None, symbol="tdx_init"), "the size of tdx_init"),
    # "%pB prev_fn_of_versatile_init+0x88/0x88": the function before it in the build.
    (b"%pB", Pointer(None, symbol="tdx_init"), "the address less one"),
    (b"%ps", Pointer(0xFFFF_FFFF_8100_0000), "the kernel's symbol at that address"),
    (b"%ps", Pointer(None, "the kernel's __seamcall()"), "the kernel's symbol"),
    (b"%pa", Pointer(None, data=PHYS[:4]), "reads an 8-byte phys_addr_t where 4 bytes are known"),
    (b"%pad", Pointer(0x1000), "the dma_addr_t it points at is not modelled"),
    (b"%pK", Pointer(ERR - 5), "kptr_restrict"),
    (b"%pV", Pointer(None), "struct va_format"),
])
def test_what_the_build_or_the_system_decides_is_refused(fmt: bytes, arg: Arg, message: str) -> None:
    with pytest.raises(PrintkUnsupported, match=message):
        vsnprintf(fmt, (arg,))


HEAD = "long f(u64 fn, struct tdx_module_args *args)\n{\n"


def test_a_function_of_the_code_is_printed_by_name_in_a_run() -> None:
    code = ("static int tdx_probe(int x)\n{\n\treturn x;\n}\nstatic u64 pa = 0x1234;\n" + HEAD +
            '\tu64 local = 0xabcdef;\n\tint (*fp)(int) = tdx_probe;\n'
            '\tpr_err("%ps %ps failed: %pe at %pa / %pa\\n", tdx_probe, fp, ERR_PTR(-EIO), &pa, &local);\n'
            '\tpr_err("%pK %pV %ps\\n", NULL, NULL, NULL);\n\treturn 0;\n}\n')
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["tdx_probe tdx_probe failed: -EIO at 0x0000000000001234 / 0x0000000000abcdef",
                                         "0000000000000000 (null) 0x0"]


@pytest.mark.parametrize(("stmt", "message"), [
    ('pr_err("%pS\\n", f);', "%pS of f() prints f+0x0/0x<size>"),
    ('pr_err("%ps\\n", memset);', "%ps of the kernel's memset() prints the kernel's symbol"),  # __seamcall's is known
    ('u32 half = 1; pr_err("%pa\\n", &half);', "reads an 8-byte phys_addr_t where 4 bytes are known"),
    ('pr_err("%pK\\n", args);', "%pK of an object prints as the kptr_restrict sysctl says"),
    # a return or code address: its function (inlining, tail calls) and offset are the build's; they were 'unknown
    # identifier' and 'call to unknown function'
    ('pr_err("by %pS\\n", (void *)_RET_IP_);', "_RET_IP_ (__builtin_return_address(0)) is the address the function "
                                              "returns to: which function and offset that is (what %pS or %ps"),
    ('pr_err("%ps\\n", __builtin_return_address(0));', "__builtin_return_address() gives the address the function "
                                                       "returns to (_RET_IP_): which function and offset"),
    ('pr_err("at %pS\\n", (void *)_THIS_IP_);', "_THIS_IP_ is the address of the code where it is written"),
])
def test_a_refusal_names_the_file_and_line(stmt: str, message: str) -> None:
    code = HEAD + "\t" + stmt + "\n\treturn 0;\n}\n"
    out = run(code)
    assert out.status == "error" and message in (out.error or ""), out.error
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, stmt[:10])}:")


def test_a_files_own_copy_of_a_static_function_has_its_c_name() -> None:
    # Two .c files each define a static report(): the program renames one copy (models/owncopies.py), kallsyms
    # names both as the C does.
    a = "static void report(void)\n{\n}\nvoid a_show(void)\n{\n\tpr_err(\"a %ps\\n\", report);\n}\n"
    b = ("static void report(void)\n{\n}\nvoid a_show(void);\n" + HEAD +
         '\ta_show();\n\tpr_err("b %ps\\n", report);\n\treturn 0;\n}\n')
    sources = tuple(Source(p, ((1, tuple(t.split("\n"))),), True) for p, t in (("d/a.c", a), ("d/b.c", b)))
    out = load_mirror(sources, (EntryPoint("f", ("fn", "args")),)).run(RunRequest("f", 0, (Answer(0),)))
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["a report", "b report"]


SYMBOLS = r"""
static u64 sym_phys = 0x0123456789abcdefULL;

static int sym_probe(int x)
{
	return x + 1;
}

static long long pw_sym_names(u64 fn, struct tdx_module_args *args)
{
	int (*op)(int) = sym_probe;
	u64 err = __seamcall(fn, args);
	u64 dma = err;

	pr_err("%ps failed: %pe, %ps %pS %pB|%-12ps|\n", op, ERR_PTR(-EIO), NULL, NULL, ERR_PTR(-ENOSPC), sym_probe);
	pr_err("at %pa dma %pad %pK %pV\n", &sym_phys, &dma, NULL, NULL);
	return op((int)err);
}
"""


@needs_gcc
def test_gccs_build_names_the_function_the_pointer_holds(tmp_path: Path) -> None:
    # sh_native.c reads the name from the built library's symbol table, so that the mirror's name for the function
    # a pointer holds is checked against the build's: both sources agree (runs_as_gcc).
    result = runs_as_gcc(tmp_path, "sym", "demo/sym.h", SYMBOLS)
    log = [line.text for line in result.outcome("sym", "busy/ONE/big/demo.c").log]
    assert log == ["sym_probe failed: -EIO, 0x0 0x0 0xffffffffffffffe4|sym_probe   |",
                   "at 0x0123456789abcdef dma 0x8000020300000043 0000000000000000 (null)"], log

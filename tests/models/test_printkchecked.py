"""printk's %p extensions that check the pointer first, against lib/vsprintf.c.

printk's %p extensions that check the pointer first (models/printkchecked.py), against lib/vsprintf.c
(check_pointer_msg(), pointer()'s functions) and the outputs Documentation/core-api/printk-formats.rst gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.printk import Arg, Pointer, PrintkUnsupported, vsnprintf
from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import runs_as_gcc

needs_gcc = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                               reason="needs a C compiler, the oracle")

ERR = 1 << 64  # ERR_PTR(-e) is ERR - e
MAC = Pointer(0x1000, data=bytes([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x77]))
IP = Pointer(0x2000, data=bytes([1, 2, 3, 4]))
# Every extension whose function in pointer() calls check_pointer() before reading the pointer.
CHECKED = ["pR", "pr", "pb", "pbl", "pM", "pm", "pMF", "pI4", "pi4", "pI6", "pI6c", "pIS", "pE", "pU", "pUb", "pNF",
           "p4cc", "pd", "pd2", "pD", "ptR", "pC", "pCn", "pg", "pGp", "pOF", "pfw", "pfwP"]


@pytest.mark.parametrize("ext", CHECKED)
def test_null_and_bad_pointers_print_check_pointers_message(ext: str) -> None:
    # check_pointer_msg(): "(null)" for NULL, "(efault)" below PAGE_SIZE and for an error pointer, through
    # error_string() (the field width pads it, a precision of 16 at most unless given). Before: refused.
    fmt = f"%{ext}|%10{ext}|%-9{ext}|%.3{ext}|%{ext}".encode()
    out = vsnprintf(fmt, (Pointer(0), Pointer(0), Pointer(ERR - 5), Pointer(0xFFF), Pointer(ERR - 4095)))
    assert out.text == b"(null)|    (null)|(efault) |(ef|(efault)"


@pytest.mark.parametrize(("fmt", "args", "want"), [
    # printk-formats.rst: "%pM 00:01:02:03:04:05", "%pMF 00-01-02-03-04-05", "%pm 000102030405", "%pmR 050403020100".
    (b"%pM %pMF %pm %pmR %pMR", (MAC,) * 5,
     b"00:01:02:03:04:05 00-01-02-03-04-05 000102030405 050403020100 05:04:03:02:01:00"),
    # string_nocheck() of what was built: the width pads it, a precision cuts it.
    (b"%20pM|%-14pm|%.5pM", (MAC,) * 3, b"   00:01:02:03:04:05|000102030405  |00:01"),
    # "%pI4 1.2.3.4", "%pi4 001.002.003.004"; h and l read the bytes in reverse (x86 is little-endian), n and b not.
    (b"%pI4 %pi4 %pI4h %pI4l %pI4n %pI4b %pi4h", (IP,) * 7,
     b"1.2.3.4 001.002.003.004 4.3.2.1 4.3.2.1 1.2.3.4 1.2.3.4 004.003.002.001"),
    (b"%pI4|%pi4|%16pI4", (Pointer(0x2000, data=bytes([0, 10, 100, 255])),) * 3,
     b"0.10.100.255|000.010.100.255|    0.10.100.255"),
    # printk-formats.rst: "%pUb 00010203-0405-0607-0809-0a0b0c0d0e0f", "%pUB ...0A0B0C0D0E0F", "%pUl 03020100-0504-
    # 0706-0809-0a0b0c0d0e0f", "%pUL" its upper case; %pNF the u64 netdev_features_t as special_hex_number() prints it.
    (b"%pU|%pUb|%pUB|%pUl|%pUL|%pNF|%38pU", (Pointer(0x1000, data=bytes(range(16))),) * 7,
     b"00010203-0405-0607-0809-0a0b0c0d0e0f|00010203-0405-0607-0809-0a0b0c0d0e0f|00010203-0405-0607-0809-0A0B0C0D0E0F|"
     b"03020100-0504-0706-0809-0a0b0c0d0e0f|03020100-0504-0706-0809-0A0B0C0D0E0F|0x0706050403020100|"
     b"  00010203-0405-0607-0809-0a0b0c0d0e0f"),
    # What a function prints before it checks the pointer, whatever it is: an unknown letter's message
    # (fourcc_string(), device_node_string(), fwnode_string(), time_and_date()), nothing for a width of 0
    # (escaped_string(), hex_string()).
    (b"%p4|%p4c|%pO|%pf|%pt|%ptX|%*pE|%*ph|", (Pointer(0),) * 6 + (0, Pointer(0), 0, Pointer(0)),
     b"(%p4?)|(%p4?)|(%pO?)|(%pf?)|(%pt?)|(%pt?)|||"),
    # ... and after the check, for a valid pointer (ip_addr_string(), netdev_bits(), flags_string()).
    (b"%pI|%pi|%pIx|%pN|%pG|%pGx", (Pointer(0x3000),) * 6, b"(%pI?)|(%pi?)|(%pI?)|(%pN?)|(%pG?)|(%pG?)"),
])
def test_printed_as_lib_vsprintf_prints_it(fmt: bytes, args: tuple[Arg, ...], want: bytes) -> None:
    out = vsnprintf(fmt, args)
    assert out.text == want and out.warnings == []


@pytest.mark.parametrize(("fmt", "arg", "message"), [
    (b"%pU", Pointer(0x3000, data=bytes(15)), "%pU reads 16 bytes where 15 are known"),
    (b"%pI6c", Pointer(0x3000, data=bytes(15)), "%pI6c reads 16 bytes where 15 are known"),
    (b"%*pE", (2, Pointer(0x3000, data=b"a")), "%pE reads 2 bytes where 1 are known"),
    (b"%pR", Pointer(0x3000), "%pR of address 0x3000: the struct resource it points at is not modelled"),
    (b"%pNF", Pointer(0x3000), "%pNF of address 0x3000: its bytes are not modelled"),
    (b"%ptT", Pointer(0), "reads the time64_t the pointer points at without checking it"),
    (b"%pA", Pointer(0), "%pA prints a Rust argument"),
    (b"%pM", Pointer(0x3000, data=bytes(5)), "%pM reads 6 bytes where 5 are known"),
    (b"%pI4", Pointer(0x3000), "%pI4 of address 0x3000: its bytes are not modelled"),
])
def test_what_the_mirror_does_not_model_is_refused(fmt: bytes, arg: Arg | tuple[Arg, ...], message: str) -> None:
    with pytest.raises(PrintkUnsupported, match=message.replace("(", r"\(").replace(")", r"\)")):
        vsnprintf(fmt, arg if isinstance(arg, tuple) else (arg,))


HEAD = "long f(u64 fn, struct tdx_module_args *args)\n{\n"


def test_a_run_prints_addresses_from_the_bytes_it_holds() -> None:
    code = (HEAD + "\tu8 mac[6] = { 0x02, 0x1b, 0x21, 0xaa, 0xbb, 0xcc };\n\t__be32 ip = 0x0100a8c0;\n"
            '\tpr_err("mac %pM ip %pI4 dev %pd uuid %pU\\n", mac, &ip, NULL, ERR_PTR(-EIO));\n\treturn 0;\n}\n')
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["mac 02:1b:21:aa:bb:cc ip 192.168.0.1 dev (null) uuid (efault)"]


def test_a_refusal_names_the_file_and_line() -> None:
    code = HEAD + "\tu8 id[8] = { 1 };\n\tpr_err(\"%pI6\\n\", id);\n\treturn 0;\n}\n"
    out = run(code)
    assert out.status == "error" and "%pI6 reads 16 bytes where 8 are known" in (out.error or ""), out.error
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'pr_err')}:")


ADDRESSES = r"""
static u8 chk_mac[6] = { 0x02, 0x1b, 0x21, 0xaa, 0xbb, 0xcc };
static u8 chk_id[16] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8 };

static long long pw_chk_addresses(u64 fn, struct tdx_module_args *args)
{
	u32 ip = (u32)__seamcall(fn, args);

	u64 feat = 0x1234;

	pr_err("%pM %pmR %pI4 %pi4h|%-12pI4|\n", chk_mac, chk_mac, &ip, &ip, &ip);
	pr_err("%pUb %pUL %pNF\n", chk_id, chk_id, &feat);
	pr_err("%pM %pI4 %pU %pE %pd %8pR|\n", NULL, NULL, NULL, ERR_PTR(-EIO), NULL, NULL);
	return ip & 0xff;
}
"""


@needs_gcc
def test_gccs_build_prints_the_same(tmp_path: Path) -> None:
    # sh_native.c hands the native records the bytes %pM, %pI4, %pU and %pNF read, so both sources compare them
    # (runs_as_gcc).
    result = runs_as_gcc(tmp_path, "chk", "demo/chk.h", ADDRESSES)
    log = [line.text for line in result.outcome("chk", "busy/ONE/big/demo.c").log]
    assert log == ["02:1b:21:aa:bb:cc ccbbaa211b02 67.0.0.0 000.000.000.067|67.0.0.0    |",
                   "12345678-9abc-def0-0102-030405060708 78563412-BC9A-F0DE-0102-030405060708 0x0000000000001234",
                   "(null) (null) (null) (efault) (null)   (null)|"], log

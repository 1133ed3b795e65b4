"""printk's %p extensions of a valid pointer, printed from known bytes as lib/vsprintf.c does.

printk's %pI6, %pI6c, %pIS, %pE, %pb/%pbl and %pR/%pr of a valid pointer (models/printkmem.py): printed from the
bytes the mirror knows, as lib/vsprintf.c prints them (each expected string worked out by reading the function named
beside it; the gcc+libc oracle of tests/models/printkgen.py has no kernel extensions). Before, each was refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.printk import Arg, Pointer, PrintkUnsupported, vsnprintf
from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc


def _at(data: bytes = b"", members: tuple[tuple[str, int], ...] = ()) -> Pointer:
    return Pointer(0xFFFF888000001000, "an object", data, members=members)


A6 = bytes.fromhex("20010db8000000000000000000000001")  # 2001:db8::1


@pytest.mark.parametrize(("fmt", "data", "want"), [
    # ip6_string(): eight groups of four hex digits, ':' between them for 'I' only; %pi6c is not compressed
    (b"%pI6", A6, b"2001:0db8:0000:0000:0000:0000:0000:0001"),
    (b"%pi6", A6, b"20010db8000000000000000000000001"),
    (b"%pi6c", A6, b"20010db8000000000000000000000001"),
    # ip6_compressed_string(): the longest zero run (the first of equals, two groups or more) as '::'
    (b"%pI6c", A6, b"2001:db8::1"),
    (b"%pI6c", bytes(16), b"::"),
    (b"%pI6c", bytes.fromhex("00010000000000010000000000000001"), b"1:0:0:1::1"),
    (b"%pI6c", bytes.fromhex("00010000000100000001000000010000"), b"1:0:1:0:1:0:1:0"),
    (b"%pI6c", bytes.fromhex("00000000000100000000000100000000"), b"::1:0:0:1:0:0"),
    # ... a v4-mapped or ISATAP address ends in the dotted IPv4 address (ipv6_addr_v4mapped(), _is_isatap())
    (b"%pI6c", bytes.fromhex("00000000000000000000ffffc0000201"), b"::ffff:192.0.2.1"),
    (b"%pI6c", bytes.fromhex("fe8000000000000000005efec0000201"), b"fe80::5efe:192.0.2.1"),
    # string_nocheck() of the whole: the field width pads it
    (b"[%20pI6c]", A6, b"[         2001:db8::1]"),
    # ip6_addr_string_sa(): '[addr]' with a port, flow label (28 bits) or scope id, each number() of the spec
    (b"%pISpc", bytes.fromhex("0a0001bb00000000") + A6 + bytes(4), b"[2001:db8::1]:443"),
    (b"%pISpfsc", bytes.fromhex("0a0001bb12345678") + A6 + (5).to_bytes(4, "little"),
     b"[2001:db8::1]:443/36984440%5"),
    (b"%pIS", bytes.fromhex("0a0001bb00000000") + A6, b"2001:0db8:0000:0000:0000:0000:0000:0001"),
    # ip4_addr_string_sa(): dotted, 'i' three digits each, 'h'/'l' reversed, ':port'
    (b"%pISp", bytes.fromhex("02000050c0a80101") + bytes(8), b"192.168.1.1:80"),
    (b"%piS", bytes.fromhex("02000050c0a80101") + bytes(8), b"192.168.001.001"),
    (b"%pISh", bytes.fromhex("02000050c0a80101") + bytes(8), b"1.1.168.192"),
    # ip_addr_string(): another family
    (b"%pIS", bytes.fromhex("0100") + bytes(14), b"(einval)"),
])
def test_ip6_and_sockaddr_print_as_ip_addr_string(fmt: bytes, data: bytes, want: bytes) -> None:
    assert vsnprintf(fmt, (_at(data),)).text == want


ESCAPED = b'a\nb\x01"\\\xe9'


@pytest.mark.parametrize(("fmt", "want"), [
    # escaped_string(), string_escape_mem(): no letter is ESCAPE_ANY_NP: printable (isprint(), lib/ctype.c: 0xe9 is)
    # passes, '\n' is a space escape, \x01 octal
    (b"%*pE", b'a\\nb\\001"\\\xe9'),
    (b"%*pEhp", b'a\\x0ab\\x01"\\\xe9'),  # hex, printable passes
    (b"%*pEs", b'a\\nb\x01"\\\xe9'),  # space escapes only: the rest passes
    (b"%*pEc", b'a\nb\x01\\"\\\\\xe9'),  # specials only: '"' and '\\' escaped
    (b"%*pEo", b"\\141\\012\\142\\001\\042\\134\\351"),  # octal takes every byte
    (b"%*pEnx|", b'a\nb\x01"\\\xe9|'),  # 'x' ends the flags (vsnprintf() skips it with the other letters)
])
def test_escaped_buffers_print_as_string_escape_mem(fmt: bytes, want: bytes) -> None:
    assert vsnprintf(fmt, (len(ESCAPED), _at(ESCAPED))).text == want


def test_an_escaped_buffer_without_a_width_is_one_byte_and_a_nul_escapes() -> None:
    assert vsnprintf(b"%pE|", (_at(b"\0z"),)).text == b"\\0|"


WORDS = (0xDEADBEEF0000000F).to_bytes(8, "little") + (0x123).to_bytes(8, "little")


@pytest.mark.parametrize(("fmt", "width", "data", "want"), [
    # bitmap_string(): 32-bit chunks from the top, the top one of width % 32 bits (one hex digit for 4 bits)
    (b"%*pb", 100, WORDS, b"0,00000123,deadbeef,0000000f"),
    (b"%*pb", 8, (0x5A).to_bytes(8, "little"), b"5a"),
    (b"%*pb", 6, (0xFF).to_bytes(8, "little"), b"3f"),
    (b"%*pb", 0, b"", b""),
    # bitmap_list_string(): the ranges of set bits below the width, in decimal
    (b"%*pbl", 65, (0xE5).to_bytes(8, "little") + (1).to_bytes(8, "little"), b"0,2,5-7,64"),
    (b"%*pbl", 64, (0xE5).to_bytes(8, "little"), b"0,2,5-7"),
    (b"%*pbl", 3, (0xFF).to_bytes(8, "little"), b"0-2"),
])
def test_bitmaps_print_as_bitmap_string(fmt: bytes, width: int, data: bytes, want: bytes) -> None:
    assert vsnprintf(fmt, (width, _at(data))).text == want


def test_a_bitmap_read_past_its_object_is_refused() -> None:
    # bitmap_string() reads whole unsigned longs: a u32's four bytes are not enough for 32 bits
    with pytest.raises(PrintkUnsupported, match="reads 8 bytes where 4 are known"):
        vsnprintf(b"%*pb", (32, _at(bytes(4))))


def _res(start: int, end: int, flags: int) -> Pointer:
    return _at(members=(("start", start), ("end", end), ("flags", flags)))


@pytest.mark.parametrize(("fmt", "res", "want"), [
    # resource_string(): mem_spec (0x, 10 wide), io_spec (6), default_dec_spec, bus_spec (2, no 0x)
    (b"%pR", _res(0xFED00000, 0xFED003FF, 0x200), b"[mem 0xfed00000-0xfed003ff]"),
    (b"%pr", _res(0xFED00000, 0xFED003FF, 0x200), b"[mem 0xfed00000-0xfed003ff flags 0x200]"),
    (b"%pR", _res(0x3F8, 0x3FF, 0x100), b"[io  0x03f8-0x03ff]"),
    (b"%pR", _res(9, 9, 0x400), b"[irq 9]"),
    (b"%pR", _res(0, 0xFF, 0x1000), b"[bus 00-ff]"),
    (b"%pR", _res(0x100000000, 0x1FFFFFFFF, 0x200 | 0x100000 | 0x2000), b"[mem 0x100000000-0x1ffffffff 64bit pref]"),
    (b"%pR", _res(0, 0xFFF, 0x200 | 0x20000000), b"[mem size 0x00001000]"),  # IORESOURCE_UNSET: resource_size()
    (b"%pR", _res(0, 0x10, 0), b"[??? 0x00000000-0x00000010 flags 0x0]"),  # no type: not decoded
    (b"%-30pR|", _res(9, 9, 0x400), b"[irq 9]                       |"),
])
def test_resources_print_as_resource_string(fmt: bytes, res: Arg, want: bytes) -> None:
    assert vsnprintf(fmt, (res,)).text == want


RESOURCE = ("struct resource { resource_size_t start; resource_size_t end; const char *name; unsigned long flags;\n"
            "\tunsigned long desc; void *parent, *sibling, *child; };\n")  # include/linux/ioport.h's layout


def test_a_run_prints_them_from_its_own_objects() -> None:
    # (The kernel's parent/sibling/child are struct resource pointers: void * here, the same layout.)
    code = RESOURCE + ("struct in6 { u8 s6_addr[16]; };\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
                       "\tu8 a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };\n"
                       "\tstruct in6 in = { { 0xfe, 0x80, [15] = 2 } };\n\tunsigned long bits[2] = { 0xe5, 1 };\n"
                       "\tstruct resource r = { .start = 0xfed00000, .end = 0xfed003ff, .flags = 0x200 };\n"
                       "\tchar buf[4] = { 'a', 10, 1, 0 };\n\n"
                       '\tpr_info("%pI6c %pI6 %*pbl %*pb %pR %*pE\\n", a6, &in, 65, bits, 65, bits, &r, 3, buf);\n'
                       "\treturn 0;\n}\n")
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["2001:db8::1 fe80:0000:0000:0000:0000:0000:0000:0002 0,2,5-7,64 "
                                         "1,00000000,000000e5 [mem 0xfed00000-0xfed003ff] a\\n\\001"]


GROUP = RESOURCE + r"""
static long long pw_mem(u64 fn, struct tdx_module_args *args)
{
	u8 a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	unsigned long bits[2] = { 0xe5, 1 };
	struct resource r = { .start = 0xfed00000, .end = 0xfed003ff, .flags = 0x200 };
	char buf[4] = { 'a', 10, 1, 0 };
	u8 sa6[28] = { 10, 0, 0x01, 0xbb, 0, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, [23] = 1 };

	pr_info("%pI6c %pi6 %*pbl %*pb %pR %pr %*pE\n", a6, a6, 65, bits, 65, bits, &r, &r, 3, buf);
	pr_info("%pISpc\n", sa6);
	return 1;
}
"""


def test_the_native_build_prints_them_from_its_own_memory(tmp_path: Path) -> None:
    # The native build records the bytes each reads (sh_native.c put_hex_arg(), put_sockaddr_arg()): gcc's layout of
    # the same objects, formatted again, is the mirror's log.
    result = runs_as_gcc(tmp_path, "pm", "demo/pm.h", GROUP)
    out = result.outcome("pm", "busy/ONE/ok/demo.c")
    assert [x.text for x in out.log] == ["2001:db8::1 20010db8000000000000000000000001 0,2,5-7,64 "
                                         "1,00000000,000000e5 [mem 0xfed00000-0xfed003ff] "
                                         "[mem 0xfed00000-0xfed003ff flags 0x200] a\\n\\001", "[2001:db8::1]:443"]

"""gcc -Wformat's warning for a printk conversion narrower than its argument (models.printwidth), gcc the oracle."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.source import code_facts

# The kernel's declaration (include/linux/printk.h): printf's format checking on printk().
DECLS = """\
typedef unsigned long long u64;
typedef unsigned int u32;
struct regs { u64 rcx; u32 r8; };
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static u64 leaf_of(int x) { return x; }
static unsigned long long raw_of(int x) { return x; }
"""
# include/asm-generic/bug.h's WARN() in short: the message goes to __warn_printk(), __printf(1, 2) (three lines,
# which gcc's line numbers are taken back by; the mirror has its own WARN()).
WARNS = """\
int __warn_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define WARN(c, fmt...) ({ int __r = !!(c); if (__r) __warn_printk(fmt); __r; })
#define WARN_ONCE(c, fmt...) WARN(c, fmt)
"""
BODY = """\
void call(u64 fn, u32 small, unsigned long long wide, long l, struct regs *args, struct regs s)
{
	printk("leaf %#x\\n", fn);
	printk("leaf %d\\n", fn);
	printk("leaf %u\\n", wide);
	printk("leaf %hx\\n", fn);
	printk("leaf %#llx %x\\n", fn, small);
	printk("leaf %x\\n", l);
	printk("leaf %x\\n", (u64)small);
	printk("leaf %x\\n", (u32)fn);
	printk("leaf %lx %llu\\n", fn, fn);
	printk("leaf %#x\\n", fn & ~(1ULL << 63));
	printk("leaf %#x\\n", fn & 0xff);
	printk("leaf %#x %#x\\n", small + fn, ~fn);
	printk("leaf %#x %#x\\n", fn >> 1, small << 1);
	printk("leaf %#x %#x %x\\n", args->rcx, s.rcx, args->r8);
	printk("leaf %#x %#x\\n", fn ? fn : 0, 0x8000000000000021ULL);
	printk("leaf %#x %d\\n", 33, -small);
	printk("leaf %#x %#x %#x\\n", leaf_of(1), raw_of(2), printk("x"));
	WARN(fn, "leaf %#x\\n", fn);
	WARN_ONCE(small, "leaf %#llx %x\\n", fn, fn);
}
"""


def _ours() -> list[str]:
    src = (Source("d/w.c", ((1, tuple((DECLS + BODY).splitlines())),), False),)
    facts = code_facts(src, (EntryPoint("call"),))
    return sorted(f"{where}: warning: {why}" for sites in facts.narrow_prints.values() for _, _, where, why in sites)


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle")
def test_each_narrow_conversion_is_warned_of_as_gcc_does(tmp_path: Path) -> None:
    c = tmp_path / "w.c"
    c.write_text(WARNS + DECLS + BODY)
    run = subprocess.run(["gcc", "-Wformat", "-fsyntax-only", str(c)], capture_output=True, text=True,
                         env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"}, check=False)
    # gcc's: 'w.c:6:24: warning: ...'; ours name path:line (no column). '%lx' of a u64 (long against long long, both
    # 64 bits) gcc warns of too: no bits are lost, so it is not ours to say.
    theirs = sorted(re.sub(r"^.*w\.c:(\d+):\d+:", lambda m: f"d/w.c:{int(m.group(1)) - 3}:", ln)
                    for ln in run.stderr.splitlines()
                    if "warning: format" in ln and "'%lx'" not in ln)
    assert theirs, run.stderr
    assert _ours() == theirs

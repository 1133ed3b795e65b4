"""printk()'s store: a formatted text added to the log as vprintk_store() adds it (kernel/printk/printk.c)."""

from __future__ import annotations

from typing import Any

from models.machine import LineSource, Machine, StrVal
from models.printkargs import format_string, formatted_line
from models.printklog import KERN_SOH, add_log, printk_level, stored_length


def printk(m: Machine, args: list[Any], where: str) -> int:
    """printk(fmt, args...): the format (a char array's bytes are the format too) formatted as lib/vsprintf.c
    formats it, stored without a pr_fmt; printk()'s int, the stored length."""
    args = [format_string(args[0], where), *args[1:]]  # a char array's bytes are the format too
    text, fmt, inner = formatted_line(m, args, where)
    return store(m, text, (fmt, where, inner))


def store(m: Machine, text: bytes, source: LineSource) -> int:
    """vprintk_store() of a formatted text, KERN_<level> prefixes first (a pr_<level>() call's own and any its
    format or arguments add: printk_parse_prefix() reads them all); printk()'s int. ``source``: the format the
    text follows, the call's place and whether a %pV put a struct va_format's format in it (printkargs
    .formatted_line), kept per line the record adds (Machine.log_src)."""
    if m.percpu_watch is not None:  # a record: where sh_native.c's put_call() looks at the per-CPU objects too
        m.percpu_watch.flush(m, source[1])
    level, rest = printk_level(text)
    kept, last = len(m.log), m.log[-1] if m.log else None
    m.log_open = add_log(m.log, level, rest, b"", m.log_open, len(text) - len(rest))
    trace(m, kept, last, source)
    return stored_length(rest, len(text) - len(rest))


def trace(m: Machine, kept: int, last: object, source: LineSource) -> None:
    """Machine.log_src for the lines a record added: its format (KERN_<level> prefixes off, as off the line) where it
    made one line alone; None for a line it continued or split (pr_cont(), a newline inside)."""
    src = m.log_src
    src.extend([None] * (kept - len(src)))  # lines made elsewhere (lib/vsprintf.c's warnings)
    added = len(m.log) - kept
    continued = bool(kept) and m.log[kept - 1] is not last
    if continued:
        src[kept - 1] = None
    fmt = source[0]
    if fmt[:1] == KERN_SOH:
        fmt = printk_level(fmt)[1]
    one = added == 1 and not continued and KERN_SOH not in fmt
    src.extend([(fmt, source[1], source[2])] if one else [None] * added)




def dev_format(m: Machine, args: list[Any], where: str) -> StrVal:
    """__sh_dev_prefixed(level, fmt): the format drivers/base/core.c __dev_printk() of a NULL device prints,
    printk("%s(NULL device *): %pV", level, &vaf): the level and the prefix, then the format (a literal or a char
    array's bytes, any length), one string that printk() formats with the arguments (the prelude's dev_<level>())."""
    return StrVal(format_string(args[0], where).data + b"(NULL device *): " + format_string(args[1], where).data)

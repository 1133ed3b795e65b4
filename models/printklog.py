"""The kernel log as printk leaves it: KERN_<level> prefixes, records cut at their size, pr_cont() lines."""

from __future__ import annotations

from models.capped import Record
from models.machine import LogLine

_LEVELS = {"0": "emerg", "1": "alert", "2": "crit", "3": "err", "4": "warning", "5": "notice", "6": "info",
           "7": "debug", "c": "cont"}

def text_of(data: bytes) -> str:
    """A log line's bytes as text: UTF-8, with any invalid byte shown as \\xNN."""
    return data.decode("utf-8", errors="backslashreplace")


def log_lines(level: str, text: bytes, prefix: bytes) -> list[LogLine]:
    """The log lines one pr_*() call leaves: the pr_fmt prefix, then one line per newline-ended piece; only the
    final newline ends the record (printk_sprint()), so "failed\n\n" leaves an empty line after "failed"."""
    body = prefix + text
    if not body:
        return []
    return [LogLine(level, text_of(line)) for line in body.removesuffix(b"\n").split(b"\n")]


KERN_SOH = b"\x01"
_LEVEL_CHARS = {name: char.encode() for char, name in _LEVELS.items()}


def level_prefix(level: str) -> bytes:
    """The KERN_<LEVEL> bytes of a pr_<level>() call (include/linux/kern_levels.h): KERN_SOH and the level's
    character ("cont": KERN_CONT)."""
    return KERN_SOH + _LEVEL_CHARS[level]


def printk_level(text: bytes) -> tuple[str, bytes]:
    """The level of a formatted printk() text and the text after its prefixes, as printk_parse_prefix() reads it
    (kernel/printk/printk.c, printk_get_level() of include/linux/printk.h): every leading KERN_SOH followed by
    '0'..'7' or 'c' comes off, the first level counts, and a KERN_CONT among them makes the record a
    continuation: "cont", or "cont:<level>" for the level its own record has when nothing is left open. A
    KERN_SOH followed by anything else is no prefix: it stays in the text.
    """
    level, cont, i = "", False, 0
    while text[i : i + 1] == KERN_SOH and (char := text[i + 1 : i + 2].decode("latin-1")) in _LEVELS:
        if char == "c":
            cont = True
        elif not level:
            level = _LEVELS[char]
        i += 2
    if cont:
        return ("cont:" + level if level else "cont"), text[i:]
    return level or "default", text[i:]


# kernel/printk/internal.h: a record holds at most PRINTKRB_RECORD_MAX bytes with its NUL; vprintk_store()
# cuts the formatted text, KERN_<level> prefix included, before the prefix and a final newline come off.
PRINTKRB_RECORD_MAX = 1024


def add_log(log: Record[LogLine], level: str, text: bytes, prefix: bytes, is_open: int, level_bytes: int = 2) -> int:
    """Append one pr_*() / printk() record's lines; what is left open: 0 when the record ended with a newline,
    else 1 + the open record's stored length.

    As kernel/printk/printk.c stores records: the formatted text (``level_bytes`` of KERN_<level> prefix,
    then pr_fmt ``prefix`` and ``text``) is cut to PRINTKRB_RECORD_MAX - 1 bytes; a KERN_CONT one
    (pr_cont(), level "cont" or "cont:<level>", printk_level) continues the open line at that line's level and
    without pr_fmt while the two fit one record (prb_reserve_in_last(): the open record's length plus
    vprintk_store()'s reserve_size, at most PRINTKRB_RECORD_MAX); else it starts a record of its own, at its
    level or the default one. Any other record starts a new line (closing an open one).
    """
    room = max(0, PRINTKRB_RECORD_MAX - 1 - level_bytes)
    reserve = min(level_bytes + len(prefix) + len(text) + 1, PRINTKRB_RECORD_MAX)
    if level.startswith("cont"):
        text = text[:room]
        prefix = b""
        if is_open and log and not log.dropped and is_open - 1 + reserve <= PRINTKRB_RECORD_MAX:
            head, newline, rest = text.partition(b"\n")
            last = log[-1]
            log[-1] = LogLine(last.level, last.text + text_of(head))
            if newline:
                log.extend(log_lines(last.level, rest, b""))
            return 0 if text.endswith(b"\n") else is_open + len(text)
        level = level.partition(":")[2] or "default"
    body = (prefix + text)[:room]
    if not body:  # vprintk_store() stores an empty record too: an empty line, open for a pr_cont()
        log.append(LogLine(level, ""))
        return 1
    log.extend(log_lines(level, body, b""))
    return 0 if body.endswith(b"\n") else 1 + len(body)


def add_warn_message(log: Record[LogLine], message: str) -> None:
    """The message of a WARN_ONCE() inside lib/vsprintf.c (format_decode()'s "Please remove unsupported %%%c in
    format string\n", set_precision()'s "precision %d too large"): __warn_printk() vprintk()s it, so it is a record of
    its own at the default level, after the "cut here" line that finalizes an open one and before the "WARNING:"
    line that finalizes it. ``message`` holds the bytes as latin-1 (the %c of format_decode() is one raw byte)."""
    add_log(log, "default", message.encode("latin-1"), b"", 0)


def stored_length(body: bytes, level_bytes: int) -> int:
    """What printk() returns (kernel/printk/printk.c: vprintk_store()'s text_len): the record's bytes, cut to
    PRINTKRB_RECORD_MAX - 1 with its KERN_<level> prefix, without that prefix and a final newline."""
    kept = body[: max(0, PRINTKRB_RECORD_MAX - 1 - level_bytes)]
    return len(kept) - (1 if kept.endswith(b"\n") else 0)

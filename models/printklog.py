"""The kernel log as printk leaves it: KERN_<level> prefixes, records cut at their size, pr_cont() lines."""

from __future__ import annotations

from models.machine import LogLine, Record

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


def printk_level(text: bytes) -> tuple[str, bytes]:
    """printk(): a KERN_<level> prefix ("\\001" and a digit, or "c" for KERN_CONT) and the text after it."""
    if text[:1] == b"\x01" and len(text) > 1:
        return _LEVELS.get(chr(text[1]), "default"), text[2:]
    return "default", text


# kernel/printk/internal.h: a record holds at most PRINTKRB_RECORD_MAX bytes with its NUL; vprintk_store()
# cuts the formatted text, KERN_<level> prefix included, before the prefix and a final newline come off.
PRINTKRB_RECORD_MAX = 1024


def add_log(log: Record[LogLine], level: str, text: bytes, prefix: bytes, is_open: bool, level_bytes: int = 2) -> bool:
    """Append one pr_*() / printk() record's lines; whether its last line is left open (no newline at its end).

    As kernel/printk/printk.c stores records: the formatted text (``level_bytes`` of KERN_<level> prefix,
    then pr_fmt ``prefix`` and ``text``) is cut to PRINTKRB_RECORD_MAX - 1 bytes; a KERN_CONT one
    (pr_cont()) continues the open line, at that line's level and without pr_fmt; with no open line it
    starts one at the default level. Any other record starts a new line (closing an open one).
    """
    room = max(0, PRINTKRB_RECORD_MAX - 1 - level_bytes)
    if level == "cont":
        text = text[:room]
        prefix = b""
        if is_open and log and not log.dropped:
            head, newline, rest = text.partition(b"\n")
            last = log[-1]
            log[-1] = LogLine(last.level, last.text + text_of(head))
            if newline:
                log.extend(log_lines(last.level, rest, b""))
            return not text.endswith(b"\n")
        level = "default"
    body = (prefix + text)[:room]
    if not body:  # vprintk_store() stores an empty record too: an empty line, open for a pr_cont()
        log.append(LogLine(level, ""))
        return True
    log.extend(log_lines(level, body, b""))
    return not body.endswith(b"\n")


def stored_length(body: bytes, level_bytes: int) -> int:
    """What printk() returns (kernel/printk/printk.c: vprintk_store()'s text_len): the record's bytes, cut to
    PRINTKRB_RECORD_MAX - 1 with its KERN_<level> prefix, without that prefix and a final newline."""
    kept = body[: max(0, PRINTKRB_RECORD_MAX - 1 - level_bytes)]
    return len(kept) - (1 if kept.endswith(b"\n") else 0)

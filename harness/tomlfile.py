"""Reading the series' TOML files (manifest, matrix, rules) with errors that name the file and line."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from harness.errors import InputError, Where, os_reason, small_start
from harness.special import refusal
from models.lazyre import lazy

MAX_TOML_BYTES = 16 << 20  # the bundled series' files are a few KiB
_KEY_START = lazy(r"\s*[A-Za-z0-9_\"'-]")  # toml.io: bare keys are A-Za-z0-9_-; quoted ones start with a quote
MAX_KEY_PARTS = 2_000  # a dotted key's parts tomllib reads in 0.05 s (it takes time by their number's square)


def load_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text (to find entries' lines) and its parsed data."""
    text = read_toml_text(path)
    return text, parse_toml(path, text)


def read_toml_text(path: Path) -> str:
    """The file's text, as TOML is written (UTF-8 without a byte order mark); InputError naming the file when it
    cannot be one."""
    why = refusal(path)  # a named FIFO would wait for a writer for ever
    if why is not None:
        raise InputError(str(path), why)
    try:
        with path.open("rb") as fh:  # at most MAX_TOML_BYTES: /dev/zero given as --matrix filled the memory
            raw = fh.read(MAX_TOML_BYTES + 1)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {os_reason(exc)}") from exc
    if len(raw) > MAX_TOML_BYTES:
        raise InputError(str(path), f"larger than {MAX_TOML_BYTES >> 20} MiB: no matrix, manifest or rules file is")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # TOML is UTF-8 (toml.io): name the line and the byte
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise InputError(Where(str(path), raw[:exc.start].count(b"\n") + 1),
                         f"bad TOML: not UTF-8 (byte 0x{raw[exc.start]:02x} at column {column})") from None
    if text.startswith("\ufeff"):  # Notepad's UTF-8: tomllib says only "Invalid statement (at line 1, column 1)"
        raise InputError(Where(str(path), 1), "bad TOML: the file starts with a byte order mark (U+FEFF), which "
                                              "tomllib refuses: save it as UTF-8 without one")
    return text


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    """The data of a TOML text read from ``path``; InputError naming its line when it is not TOML. A bundled file's
    data is kept (harness.tomlkept): tomllib is loaded only for another text."""
    from harness.tomlkept import kept

    data = kept(text)
    return data if data is not None else parse_toml_afresh(path, text)


def parse_toml_afresh(path: Path, text: str) -> dict[str, Any]:
    """parse_toml by tomllib, whatever is kept."""
    import tomllib

    _check_dotted_keys(path, text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        # tomllib says "at end of document" where the text ends inside a value: its last line.
        line = int(m.group(1)) if m else max(1, len(text.splitlines())) if "end of document" in str(exc) else 0
        raise InputError(Where(str(path), line), f"bad TOML: {_toml_said(str(exc))}") from exc
    except ValueError:  # not a TOMLDecodeError: int() refuses a number past 4,300 digits (CVE-2020-10735)
        digits = re.compile(r"\d[\d_]{4000,}")
        line = next((n for n, ln in enumerate(text.splitlines(), start=1) if digits.search(ln)), 0)
        raise InputError(Where(str(path), line), "bad TOML: a number of more than 4300 digits") from None
    except RecursionError:  # tomllib reads an array or inline table in an array ... by recursion
        raise InputError(Where(str(path), _deepest(text)), "bad TOML: arrays or inline tables nested too deep "
                                                          "to read") from None


def _toml_said(said: str) -> str:
    """tomllib's message without the line the error's place names already ("Expected ']' ... (at line 3, column 3)"
    -> "expected ']' ... (column 3)"), started small as seamharness' own."""
    said = re.sub(r" \(at line \d+, (column \d+)\)$", r" (\1)", said)
    return small_start(said.replace("(at end of document)", "(at the end of the file)"))


def _check_dotted_keys(path: Path, text: str) -> None:
    """Refuse a dotted key (``a.b.c = 1``) of more than MAX_KEY_PARTS parts at its line: tomllib checks each of its
    prefixes, quadratic (100,000 parts of a 200 KB file: minutes). Its dots are counted before the line's first
    ``=``, on lines that are no table header; a dot inside a quoted key counts too (a key of 2,000 dots is none of
    ours). Raises InputError."""
    if text.count(".") <= MAX_KEY_PARTS:
        return
    for n, line in enumerate(text.splitlines(), start=1):
        key, equals, _ = line.partition("=")
        # A key starts with a bare key's character or a quote: a line starting otherwise ('{"schema": ...', a JSON
        # report given as --matrix) is none, and tomllib refuses it there at once, saying why.
        if equals and key.count(".") >= MAX_KEY_PARTS and _KEY_START().match(key):
            raise InputError(Where(str(path), n), f"bad TOML: a dotted key of {key.count('.') + 1:,} parts (more "
                                                  f"than {MAX_KEY_PARTS:,} are not read)")


def _deepest(text: str) -> int:
    """The line where ``[`` / ``{`` nest deepest (strings not told apart: a pointer for the message only)."""
    depth, most, where = 0, 0, 0
    for n, line in enumerate(text.splitlines(), start=1):
        for ch in line:
            depth += (ch in "[{") - (ch in "]}")
            if depth > most:
                most, where = depth, n
    return where


@functools.lru_cache(maxsize=4)
def text_lines(text: str) -> tuple[str, ...]:
    """``text.splitlines()``, split once per text: the places of each rule's keys split the whole file for every
    rule (5,000 rules: minutes)."""
    return tuple(text.splitlines())


def line_of(text: str, needle: str) -> int:
    """The first line containing ``needle`` (0 when none does), to point errors at an entry."""
    return next((i for i, ln in enumerate(text.splitlines(), start=1) if needle in ln), 0)


def top_key_line(text: str, key: str) -> int:
    """The line of a top-level key: its ``[key]`` or ``[[key]]`` header, or ``key = ...`` before any table (0
    when not found)."""
    header = re.compile(rf"^\s*\[\[?\s*{re.escape(key)}\s*[\].]")
    assign = re.compile(rf"^\s*{re.escape(key)}\s*=")
    in_table = False
    for n, line in enumerate(text.splitlines(), start=1):
        if header.match(line) or (not in_table and assign.match(line)):
            return n
        in_table = in_table or line.lstrip().startswith("[")
    return 0


def value_line(text: str, start: int, key: str, value: str) -> int:
    """The line of ``key = "value"`` (or of ``"value"`` in the list ``key`` opens) in the table whose header or
    first key is line ``start``, up to the next table's header: an unknown name is said where it is written, not
    at its table's header. ``start`` when not found; from ``start`` 0 (the table's place not known: an inline
    array of tables) the whole text is searched."""
    lines = text_lines(text)
    first = max(start, 1)
    last = next((n for n in range(first + 1, len(lines) + 1) if start and lines[n - 1].lstrip().startswith("[")
                 and not lines[n - 1].lstrip().startswith(('["', "['"))), len(lines) + 1)
    assign = re.compile(rf'(^|[{{,\s])"?{re.escape(key)}"?\s*=(.*)')
    quoted = (f'"{value}"', f"'{value}'")
    keys = [(n, m.group(2)) for n in range(first, last) if not lines[n - 1].lstrip().startswith("#")
            and (m := assign.search(lines[n - 1])) is not None]
    for n, rest in keys:  # the value on the key's own line (each row of an inline array has its own key)
        if any(q in rest for q in quoted):
            return n
    for n, _ in keys[:1]:  # a list written over several lines: the value's own line below its key
        return next((k for k in range(n, last) if any(q in lines[k - 1] for q in quoted)), n)
    return start

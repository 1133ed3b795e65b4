"""site_pr_fmt: the pr_fmt one pr_*() call sees, from a run's pr_fmt that says it file by file.

pr_fmt is a macro: a pr_*() call takes the definition in force where the preprocessor expands it
(include/linux/printk.h). Code of another .c file than the scenario's unit was compiled in that file's
translation unit, with its pr_fmt; a header that defines pr_fmt gives its own code below the definition
that one. A header's code without such a definition was compiled in the translation unit of the .c file
whose code called it (a static inline has a copy in every unit that includes it), so it has that unit's: the
mirror passes the innermost .c file on its call stack. The harness (harness.prfmt.run_pr_fmt) says all this
in a PER_FILE_PR_FMT string: the unit's pr_fmt, for some files a list of (line, pr_fmt) from which a pr_fmt
holds in that file, and for headers seen from another unit that unit's list; each pr_fmt in the form
models.kernel reads (a prefix, or its markers). This module decodes it and imports nothing of models.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache

from models.gccplace import file_place
from models.lazyre import lazy

# A pr_fmt() use in the C of the native cross-check (models.native.codegen): these bytes around its site,
# "file:line"; the harness puts the site's prefix there when it reads the records (models.native.run).
SITE_MARK, SITE_MARK_END = b"\x1b{pr_fmt ", b"\x1b}"
_SITE_MARKS = lazy(re.escape(SITE_MARK) + b"(.*?)" + re.escape(SITE_MARK_END), re.DOTALL)

# The marker of the per-file form, then JSON: {"unit": pr_fmt, "files": {path: [[line, pr_fmt], ...]}}.
PER_FILE_PR_FMT = "\x04"


Segments = list[tuple[int, str]]


def per_file_pr_fmt(unit: str, files: dict[str, Segments], unit_path: str = "",
                    units: dict[str, dict[str, Segments]] | None = None) -> str:
    """The per-file form: ``files[path]`` lists (line, pr_fmt), ascending; a call in ``path`` below ``line``
    (line 0: the whole file) sees that pr_fmt, any other call ``unit`` (the pr_fmt of ``unit_path``).
    ``units[c][header]``: a header's list when its code runs in .c file ``c``'s translation unit, where it differs
    from ``files[header]``. ``unit`` alone when files is empty."""
    if not files:
        return unit
    table = {"unit": unit, "unit_path": unit_path, "files": {p: [list(s) for s in seg] for p, seg in files.items()},
             "units": {c: {h: [list(s) for s in seg] for h, seg in hs.items()} for c, hs in (units or {}).items()}}
    return PER_FILE_PR_FMT + json.dumps(table, sort_keys=True)


# What site_pr_fmt gives a header's code when the translation unit it runs in is not known (tu=None: the
# native cross-check, whose one program holds one copy of each header function) and it matters.
UNKNOWN_UNIT = "\x05"


def site_pr_fmt(pr_fmt: str, where: str, tu: str | None = "") -> str:
    """The pr_fmt (models.kernel's forms) a call at ``where`` (``file:line``) sees, in the translation unit of
    .c file ``tu`` ("": the run's unit; None: not known, which for a header's code whose pr_fmt depends on it
    gives UNKNOWN_UNIT and the units it could be)."""
    if not pr_fmt.startswith(PER_FILE_PR_FMT):
        return pr_fmt
    table = _table(pr_fmt)
    path, _, number = file_place(where).rpartition(":")  # below a #line: the #define pr_fmt above it in the file
    line = int(number) if number.isdigit() else 0
    files, units = table["files"], table.get("units", {})
    assert isinstance(files, dict) and isinstance(units, dict)
    seen, segments = str(table["unit"]), files.get(path, [])
    if not path.endswith(".c"):
        if tu is None:
            others = sorted(c for c in files if c.endswith(".c") and _header_pr_fmt(table, path, line, c) !=
                            _header_pr_fmt(table, path, line, ""))
            if others:
                return f"{UNKNOWN_UNIT}{', '.join(others)}"
        elif tu and tu != table.get("unit_path") and tu in files:
            return _header_pr_fmt(table, path, line, tu)
    for start, fmt in segments:
        if start == 0 or start < line:
            seen = str(fmt)
    return seen


def _header_pr_fmt(table: dict[str, object], path: str, line: int, tu: str) -> str:
    """The pr_fmt a header's code at ``line`` sees in .c file ``tu``'s unit ("": the run's unit)."""
    files, units = table["files"], table.get("units", {})
    assert isinstance(files, dict) and isinstance(units, dict)
    seen = str(files[tu][0][1]) if tu else str(table["unit"])
    for start, fmt in units.get(tu, {}).get(path, files.get(path, [])):
        if start < line:
            seen = str(fmt)
    return seen


@lru_cache(maxsize=64)
def _table(pr_fmt: str) -> dict[str, object]:
    """The decoded per-file form (a run calls pr_*() often; its pr_fmt stays the same)."""
    table: dict[str, object] = json.loads(pr_fmt[len(PER_FILE_PR_FMT):])
    return table


def site_mark(where: str) -> bytes:
    """The bytes standing for the pr_fmt prefix of site ``where`` (``file:line``) in the native C."""
    return SITE_MARK + where.encode() + SITE_MARK_END


def resolve_site_marks(data: bytes, prefix_of: Callable[[str], bytes]) -> bytes:
    """``data`` with each site_mark() replaced by ``prefix_of(site)``."""
    if SITE_MARK not in data:
        return data
    return _SITE_MARKS().sub(lambda m: prefix_of(m.group(1).decode(errors="replace")), data)

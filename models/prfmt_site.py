"""site_pr_fmt: the pr_fmt one pr_*() call sees, from a run's pr_fmt that says it file by file.

pr_fmt is a macro: a pr_*() call takes the definition in force where the preprocessor expands it
(include/linux/printk.h). Code of another .c file than the scenario's unit was compiled in that file's
translation unit, with its pr_fmt; a header that defines pr_fmt gives its own code below the definition
that one. The harness (harness.prfmt.run_pr_fmt) says so in a PER_FILE_PR_FMT string: the unit's pr_fmt,
and for some files a list of (line, pr_fmt) from which a pr_fmt holds in that file; each pr_fmt in the form
models.kernel reads (a prefix, or its markers). This module decodes it and imports nothing of models.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache

# A pr_fmt() use in the C of the native cross-check (models.native.codegen): these bytes around its site,
# "file:line"; the harness puts the site's prefix there when it reads the records (models.native.run).
SITE_MARK, SITE_MARK_END = b"\x1b{pr_fmt ", b"\x1b}"
_SITE_MARKS = re.compile(re.escape(SITE_MARK) + b"(.*?)" + re.escape(SITE_MARK_END), re.DOTALL)

# The marker of the per-file form, then JSON: {"unit": pr_fmt, "files": {path: [[line, pr_fmt], ...]}}.
PER_FILE_PR_FMT = "\x04"


def per_file_pr_fmt(unit: str, files: dict[str, list[tuple[int, str]]]) -> str:
    """The per-file form: ``files[path]`` lists (line, pr_fmt), ascending; a call in ``path`` below ``line``
    (line 0: the whole file) sees that pr_fmt, any other call ``unit``. ``unit`` alone when files is empty."""
    if not files:
        return unit
    table = {"unit": unit, "files": {p: [list(s) for s in seg] for p, seg in files.items()}}
    return PER_FILE_PR_FMT + json.dumps(table, sort_keys=True)


def site_pr_fmt(pr_fmt: str, where: str) -> str:
    """The pr_fmt (models.kernel's forms) a call at ``where`` (``file:line``) sees."""
    if not pr_fmt.startswith(PER_FILE_PR_FMT):
        return pr_fmt
    table = _table(pr_fmt)
    path, _, number = where.rpartition(":")
    line = int(number) if number.isdigit() else 0
    seen = str(table["unit"])
    files = table["files"]
    assert isinstance(files, dict)
    for start, fmt in files.get(path, []):
        if start == 0 or start < line:
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
    return _SITE_MARKS.sub(lambda m: prefix_of(m.group(1).decode(errors="replace")), data)

"""A ``diff --git`` header's file names as git apply reads them at -p N (apply.c parse_git_diff_header)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness.diffpaths import c_unquote

_SPACE = " \t\n\v\f\r"  # C isspace() in git's locale-free ctype
_READ_ON = 200  # lines a quoted name left open is read on over, looking for its closing quote
# The header lines git knows, in apply.c's table order (the first prefix that matches wins).
_TABLE = ("@@ -", "--- ", "+++ ", "old mode ", "new mode ", "deleted file mode ", "new file mode ", "copy from ",
          "copy to ", "rename old ", "rename new ", "rename from ", "rename to ", "similarity index ",
          "dissimilarity index ", "index ")


def skip_tree_prefix(p: int, name: str) -> str | None:
    """apply.c skip_tree_prefix: ``name`` less ``p`` leading components; None if it has fewer, or is absolute."""
    if p == 0:
        return None if name.startswith("/") else name
    for i, c in enumerate(name):
        if c == "/":
            p -= 1
            if p <= 0:
                return None if i == 0 else name[i + 1 :]
    return None


def _squash(name: str) -> str:
    while "//" in name:
        name = name.replace("//", "/")
    return name


def find_name(text: str, p: int, tab_ends: bool) -> str | None:
    """apply.c find_name with no default: ``text`` runs from the name to the end of the diff (a quoted name may close
    on a later line); unquoted, the name ends at the line end, at a tab too when ``tab_ends`` (a ---/+++ line), and
    loses ``p`` components. None when nothing is left."""
    if text.startswith('"') and (quoted := c_unquote(text)) is not None:
        name: str | None = quoted[0]
        for _ in range(p):
            name = name.split("/", 1)[1] if name is not None and "/" in name else None
        return None if name is None else _squash(name)
    start = 0 if p == 0 else None
    i = 0
    while i < len(text):
        c = text[i]
        if c in _SPACE and (c == "\n" or (c != " " and (c != "\t" or tab_ends))):
            break
        i += 1
        if c == "/":
            p -= 1
            start = i if p == 0 else start
    return None if start is None or i == start else _squash(text[start:i])


def header_name(p: int, text: str) -> str | None:
    """apply.c git_header_name: the one path a ``diff --git`` line names with both halves alike at -p ``p`` (``text``
    runs from after ``diff --git `` to the end of the diff); None for a rename's two names or a line it cannot read."""
    line = text.split("\n", 1)[0]
    if text.startswith('"'):
        first = c_unquote(text)
        if first is None or first[1] > len(line) or (name := skip_tree_prefix(p, first[0])) is None:
            return None
        rest = line[first[1] :].lstrip(_SPACE)
        if not rest:
            return None
        if rest.startswith('"'):
            second = c_unquote(rest)
            if second is None or second[1] > len(rest):
                return None
            return name if skip_tree_prefix(p, second[0]) == name else None
        return None  # an unquoted second half: git compares it with its line end, so never alike
    name = skip_tree_prefix(p, line)
    if name is None:
        return None
    if '"' in name:  # the second half quoted
        second = c_unquote(name[name.index('"') :])
        other = skip_tree_prefix(p, second[0]) if second is not None else None
        k = len(other) if other is not None else -1
        return other if other is not None and k < name.index('"') and name[:k] == other and name[k] in _SPACE else None
    for k, c in enumerate(name):
        if c in " \t" and k + 1 < len(name) and skip_tree_prefix(p, name[k + 1 :]) == name[:k]:
            return name[:k]
    return None


@dataclass(frozen=True)
class GitNames:
    """The names one git diff header gives: the old and new path (None: /dev/null, or no name), what it says."""

    old: str | None
    new: str | None
    is_new: bool = False
    is_delete: bool = False


@dataclass(frozen=True)
class HeaderError(Exception):
    """What git apply says of a header it refuses, and the index (into the lines given) of the line it names."""

    at: int
    what: str


@dataclass
class _Reading:
    old: str | None = None
    new: str | None = None
    is_new: bool = False
    is_delete: bool = False
    kinds: int = 0  # one bit each: deletion, creation, rename, copy (apply.c check_header_line)


def _verify(r: _Reading, side: str, text: str, p: int, k: int) -> None:
    """apply.c gitdiff_verify_name for a ``---`` (side "old") or ``+++`` line at index ``k``."""
    name, isnull = (r.old, r.is_new) if side == "old" else (r.new, r.is_delete)
    if name is None and not isnull:
        setattr(r, side, find_name(text, p, True))
    elif name is not None:
        if isnull:
            raise HeaderError(k, f"bad git-diff: expected /dev/null, got {name}")
        if find_name(text, p, True) != name:
            raise HeaderError(k, f"bad git-diff: inconsistent {side} filename")
    elif not (text.startswith("/dev/null") and text[9:10] and text[9] in _SPACE):
        kind = "new" if side == "old" else "deleted"
        mark = "---" if side == "old" else "+++"
        raise HeaderError(k, f"bad git-diff: expected /dev/null on the {mark} line of a {kind} file, as git apply "
                             "refuses it")


_MODE_OPS = ("old mode ", "new mode ", "deleted file mode ", "new file mode ")
_HEXSZ = 40  # the longest object id git 2.39 reads on an index line (SHA-1's hex digits)


def _check_mode(op: str, text: str, k: int) -> None:
    """apply.c parse_mode_line: a mode is octal (strtoul base 8: leading blanks and a sign taken) ended by a blank or
    the line end; anything else ("100999", "100644x", none) and git apply stops: 'invalid mode on line N'. An index
    line's mode after its blob ids too (gitdiff_index -> gitdiff_oldmode)."""
    if op == "index ":  # "OLD..NEW MODE": git reads the mode only after two ids of at most 40 digits each
        dot = text.find(".")
        if dot < 0 or text[dot + 1 : dot + 2] != "." or dot > _HEXSZ:
            return
        rest = text[dot + 2 :]
        blank, eol = rest.find(" "), (rest + "\n").find("\n")
        if blank < 0 or eol < blank or blank > _HEXSZ:
            return
        text = rest[blank + 1 :]
    digits = text.lstrip(_SPACE)
    digits = digits[1:] if digits[:1] in "+-" else digits
    n = len(digits) - len(digits.lstrip("01234567"))
    if n == 0 or digits[n : n + 1] not in tuple(_SPACE):
        raise HeaderError(k, f"invalid mode on the '{op.strip()}' line: {text.rstrip()[:40]!r} is no octal file "
                             "mode (git apply: invalid mode on line)")


def _line(r: _Reading, op: str, text: str, p: int, k: int, def_name: str | None) -> None:
    """One known header line's effect on the names (apply.c's gitdiff_* functions)."""
    if op in _MODE_OPS or op == "index ":
        _check_mode(op, text, k)
    if op in ("--- ", "+++ "):
        _verify(r, "old" if op == "--- " else "new", text, p, k)
    elif op == "deleted file mode ":
        r.is_delete, r.old, r.kinds = True, def_name, r.kinds | 1
    elif op == "new file mode ":
        r.is_new, r.new, r.kinds = True, def_name, r.kinds | 2
    elif op.startswith(("copy ", "rename ")):
        side = "old" if op.endswith(("from ", "old ")) else "new"
        setattr(r, side, find_name(text, max(p - 1, 0), False))
        r.kinds |= 8 if op.startswith("copy ") else 4


def read_header(lines: Sequence[str], start: int, end: int, p: int, stale: str | None = None) -> GitNames:
    """The names of the git diff whose ``diff --git`` line is ``lines[start]`` and whose header lines run to
    ``lines[end]`` (excluded), at -p ``p``; ``lines`` as written (a carriage return kept, as git sees it). Raises
    HeaderError where git apply refuses the header, with git's words ("git diff header lacks filename information",
    "inconsistent new filename", "inconsistent header lines"). ``stale``: the name a lone ``diff --git`` line above
    left (apply.c find_header skips such a header but keeps the struct patch it filled, old and new name both, for
    the next header it reads: its ---/+++ lines must then name that file, its mode lines change that file)."""
    def rest(k: int, skip: int) -> str:
        line = lines[k][skip:]
        # A quoted name may close on a later line; read on only then (a header's other names end on their line),
        # a line with a quote at a time, and no further than _READ_ON lines (a name of more is nobody's).
        if not line.startswith('"') or c_unquote(line) is not None:
            return line
        for j in range(k + 1, min(len(lines), k + 1 + _READ_ON)):
            line += lines[j]
            if '"' in lines[j] and c_unquote(line) is not None:
                break
        return line

    def_name = header_name(p, rest(start, len("diff --git ")))
    r = _Reading(stale, stale)
    for k in range(start + 1, end):
        op = next((o for o in _TABLE if lines[k].startswith(o)), None)
        if op is None or op == "@@ -" or not lines[k].endswith("\n"):
            break
        _line(r, op, rest(k, len(op)), p, k, def_name)
        if bin(r.kinds).count("1") > 1:
            raise HeaderError(k, "inconsistent header lines: more than one of deletion, creation, rename and copy")
    if r.old is None and r.new is None:
        if def_name is None:
            parts = "component" if p == 1 else "components"
            raise HeaderError(start, f"git diff header lacks filename information when removing {p} leading "
                                     f"pathname {parts}")
        r.old = r.new = def_name
    if (r.new is None and not r.is_delete) or (r.old is None and not r.is_new):
        side = "---" if r.old is None else "+++"
        raise HeaderError(start, f"git diff header lacks filename information (no {side} line names the "
                                 "other side of the patch, as git apply refuses it)")
    return GitNames(r.old, r.new, r.is_new, r.is_delete)

"""A name a patch moves or renames away: the tree's files no patch touches that still use it where it no longer is."""

from __future__ import annotations

import os.path
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness.coverage import NO_TREE
from harness.filestate import FileState, full_file
from harness.runner import variant_sources
from harness.sysheaders import INCLUDE_DIRS
from harness.tuorder import is_static
from harness.variants import Variant
from models.loader import definitions, sliced
from models.slicer import Definition, Kind

if TYPE_CHECKING:
    from harness.treenames import TreeSearch

MAX_USERS = 8  # files of the tree naming a name that are looked at, those nearest the name's old home first
MAX_OPENED = 96  # files opened following one user's #include lines before the files including the targets are sought
# Past MAX_OPENED, the files whose #include lines lead to the targets are found from them back (_Includers): each step
# one search of the tree for a file's name (git grep: about a second on a kernel tree) and the files it lists read.
MAX_SEARCHES = 16  # searches of the tree for a state before what is not found is "not known"
MAX_READS = 4096  # files read for one set of targets so
SHOWN = 4  # users said one by one; the rest are counted
# A comment or a string or character literal: a name in one is no use of it (blanked, its newlines kept).
_NOT_CODE = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.DOTALL)
_BUILT = "the harness builds only the files the patches touch, the headers they include and the matrix's units"

Reader = Callable[[str], FileState | None]


def stranded_users(gone: Iterable[tuple[str, str]], states: tuple[Variant, Variant], tree: TreeSearch | None
                   ) -> tuple[list[str], list[str]]:
    """For each (name, file) of a function or macro a patch takes out of that file (moved elsewhere or renamed)
    that other files can see (any in a header; a function not ``static`` in a .c file, through its prototype):
    (gaps, unchecked). With a tree (``tree``: harness.treenames), a gap for each file of it at the state after the
    patch that no patch changed, uses the name in its code, defines it not itself, saw it before (its #include lines
    lead to the old file, or may: more than MAX_OPENED files) and is not shown to see it now (no #include line leads
    to a file of the state defining it), saying which file:line uses it and that it was not built. A move checked
    only in the files the state reads passed while another caller in the tree no longer built (gcc: implicit
    declaration). Without a tree, ``unchecked`` says the tree's files using it were not checked: what a move found
    the same from mail alone rests on, said beside it (as harness.movefind.move_assumes says what the runs assumed)."""
    before, after = states
    was, now = definitions(variant_sources(before)), definitions(variant_sources(after))
    gaps: list[str] = []
    unchecked: dict[tuple[str, str], list[str]] = {}  # (old file, new homes) -> the names, said together
    for name, src in sorted(set(gone)):
        if not _seen_elsewhere(name, src, was):
            continue
        homes = {d.path for d in now.get(name, ()) if d.kind is not Kind.UNDEF}
        if src in homes:  # still defined there (the old name kept beside the new one)
            continue
        elsewhere = f" ({', '.join(sorted(homes))} does)" if homes else ""
        if after.base == NO_TREE or tree is None:
            unchecked.setdefault((src, elsewhere), []).append(name)
            continue
        gaps += _users(name, src, homes, states, tree, f"{name}, which {src} no longer defines{elsewhere}")
    return gaps, [f"{', '.join(names)}, which {src} no longer defines{elsewhere}: the tree's files that no patch "
                  f"touches and that use {'them' if len(names) > 1 else 'it'} were not checked (give --tree)"
                  for (src, elsewhere), names in unchecked.items()]


def _seen_elsewhere(name: str, src: str, was: dict[str, list[Definition]]) -> bool:
    """Whether another file may use ``name`` as ``src`` defined it: a header's anything; a .c file's function not
    ``static`` (its prototype elsewhere); never a .c file's macro or static function."""
    if src.endswith(".h"):
        return True
    own = [d for d in was.get(name, ()) if d.path == src]
    return src.endswith(".c") and any(d.kind is Kind.FUNCTION and not is_static(d) for d in own)


def _users(name: str, src: str, homes: set[str], states: tuple[Variant, Variant], tree: TreeSearch, where: str
           ) -> list[str]:
    after = states[1]
    found = tree.mentioning(after, name)
    if found is None:
        return [f"{where}: the tree's files using it could not be searched (git grep failed or ran too long): not "
                "checked"]
    read = [_reader(v, tree) for v in states]
    back = [_Includers(v, tree, r) for v, r in zip(states, read, strict=True)]
    paths = [p for p in found if p.endswith((".c", ".h")) and p != src and p not in homes
             and not _patched(p, after, tree)]
    paths.sort(key=lambda p: (-len(os.path.commonpath([p, src])), p))
    out: list[str] = []
    for path in paths[:MAX_USERS]:
        f = read[1](path)
        line = _used_at(f, name) if f is not None else None
        if f is None or line is None or any(d.name == name for d in _defined(f)):
            continue
        if src.endswith(".h") and _leads(path, {src}, read[0], back[0])[0] is False:  # never saw it: another
            continue
        now, opened = _leads(path, homes, read[1], back[1])
        if now is True:
            continue
        why = "no #include line of it leads to a file that does" if now is False else \
            f"whether its #include lines lead to one is not known ({opened})"
        out.append(f"{path}:{line} uses {where}: {why}, and {path} was not built ({_BUILT}): whether it still "
                   "builds is not known (gcc refuses a name no header declares)")
    more = len(paths) - MAX_USERS
    shown = out[:SHOWN] + ([f"{len(out) - SHOWN} more files of the tree use {name} so"] if len(out) > SHOWN else [])
    return shown + ([f"{more} more files of the tree naming {name} were not looked at"] if more > 0 else [])


def _patched(path: str, after: Variant, tree: TreeSearch) -> bool:
    """Whether the state's patches changed ``path`` (its text there is not the tree's): the runs of the state read
    it, and what it calls that nothing defines any more is their build error (harness.tuorder.removed_called)."""
    f = after.file(path)
    return f is not None and (f.absent or f.text != tree.read(after, path))


def _reader(v: Variant, tree: TreeSearch) -> Reader:
    """A file as the state ``v`` has it: its own where it holds it whole, else the tree's at its base commit."""
    memo: dict[str, FileState | None] = {}

    def read(path: str) -> FileState | None:
        if path not in memo:
            f = v.file(path)
            if f is not None and (f.absent or f.complete):
                memo[path] = None if f.absent else f
            else:
                text = tree.read(v, path)
                memo[path] = full_file(path, text, "tree") if text is not None else None
        return memo[path]

    return read


def _used_at(f: FileState, name: str) -> int | None:
    """The first line of ``f`` naming ``name`` in its code (no comment, string or character literal), or None."""
    text = f.text
    if text is None:
        return None
    code = _NOT_CODE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    m = re.search(rf"\b{re.escape(name)}\b", code)
    return code.count("\n", 0, m.start()) + 1 if m is not None else None


def _defined(f: FileState) -> tuple[Definition, ...]:
    text = f.text or ""
    return sliced(f.path, 1, tuple(text.split("\n")))


def _leads(path: str, targets: set[str], read: Reader, back: _Includers) -> tuple[bool | None, str]:
    """Whether the #include lines of ``path`` lead to a file of ``targets`` (_reaches), found from the targets back
    where following them forward opens more than MAX_OPENED files (a kernel's <linux/...> headers: thousands); with
    what was followed where not known."""
    now, opened = _reaches(path, targets, read)
    if now is not None:
        return now, ""
    found, searches = back.leads(path, frozenset(targets))
    return found, f"followed through {opened} files, and {searches} searches of the tree for the files including them"


class _Includers:
    """The files of a state whose #include lines lead to some targets, found from the targets back: the files of the
    tree naming a target's file name (harness.treenames.TreeSearch.mentioning, at the state's base commit) and the
    state's own, each read as the state has it, those of its #include lines that resolve to the target kept
    (_resolve, as _reaches reads them: every such line, whatever #if it is under), then the files including those,
    breadth first, until the user asked about is among them, none is left, or MAX_SEARCHES searches and MAX_READS
    files read are spent: work, not files, bounds it. Kept per set of targets, going on for the next user."""

    def __init__(self, v: Variant, tree: TreeSearch, read: Reader) -> None:
        self.v, self.tree, self.read = v, tree, read
        self.made: dict[frozenset[str], _Closure] = {}
        self.listed: dict[str, list[str] | None] = {}  # a file name -> the files that may include it

    def leads(self, path: str, targets: frozenset[str]) -> tuple[bool | None, int]:
        """Whether ``path`` includes a file of ``targets``, directly or through others (None: not known), and how
        many searches of the tree were made for it."""
        c = self.made.setdefault(targets, _Closure(sorted(targets), set(targets)))
        while path not in c.found and c.todo and c.spent is None:
            target = c.todo.pop(0)
            name = posixpath.basename(target)
            if name not in self.listed:
                if len(self.listed) >= MAX_SEARCHES:
                    c.spent, c.todo = f"{MAX_SEARCHES} searches", [target, *c.todo]
                    break
                self.listed[name] = self._naming(name)
            candidates = self.listed[name]
            if candidates is None:
                c.spent = "a search that failed"
                break
            for p in candidates:
                if p in c.found or p == target:
                    continue
                c.reads += 1
                if self._includes(p, target):
                    c.found.add(p)
                    if p not in c.done:
                        c.done.add(p)
                        c.todo.append(p)
            if c.reads > MAX_READS:
                c.spent = f"{MAX_READS} files read"
        return (True if path in c.found else None if c.todo or c.spent else False), len(self.listed)

    def _naming(self, name: str) -> list[str] | None:
        """The files that may include a file called ``name``: the tree's naming it (None: not searched), and the
        state's own whose lines do."""
        listed = self.tree.mentioning(self.v, name)
        if listed is None:
            return None
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        own = {f.path for f in self.v.files if not f.absent and any(word.search(t) for t, _ in f.lines.values())}
        return sorted({p for p in (*listed, *own) if p.endswith((".c", ".h"))})

    def _includes(self, path: str, target: str) -> bool:
        f = self.read(path)
        if f is None:
            return False
        for d in f.directives():
            got = d.included()
            if got is not None and got[0] and _resolve(f.path, got, self.read) == target:
                return True
        return False


@dataclass
class _Closure:
    """How far _Includers went from one set of targets: what is left to search from, the files found including
    one, those searched from, the files read, and what stopped it (None: nothing yet)."""

    todo: list[str]
    done: set[str]
    found: set[str] = field(default_factory=set)
    reads: int = 0
    spent: str | None = None


def _reaches(path: str, targets: set[str], read: Reader) -> tuple[bool | None, int]:
    """Whether the #include lines of ``path`` lead to a file of ``targets`` (every such line, whatever #if it is
    under: more seen, never less), with how many files were opened; None past MAX_OPENED files."""
    todo, seen, opened = [path], {path}, 0
    while todo:
        f = read(todo.pop(0))
        opened += 1
        if f is None:
            continue
        for d in f.directives():
            got = d.included()
            if got is None or not got[0]:
                continue
            target = _resolve(f.path, got, read)
            if target in targets:
                return True, opened
            if target is not None and target not in seen:
                if len(seen) >= MAX_OPENED:
                    return None, opened
                seen.add(target)
                todo.append(target)
    return False, opened


def _resolve(at: str, included: tuple[str, str], read: Reader) -> str | None:
    """The file an #include line names, found as gcc finds it (``"..."`` beside the file first), or None."""
    bracket, written = included
    near = [posixpath.normpath(posixpath.join(posixpath.dirname(at), written))] if bracket == '"' else []
    return next((p for p in (*near, *(f"{d}/{written}" for d in INCLUDE_DIRS)) if read(p) is not None), None)

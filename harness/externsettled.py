"""With --tree, the variables of external linkage whose every possible setter is in the files the mirror reads.

A variable defined without ``static`` (C11 6.2.2) may be stored to by any file of the kernel that declares it, and,
where it is exported, by a module built elsewhere (harness.outsidewrites says so when nothing else is known). With
the tree at the variant's base commit, ``git grep -w`` of every file of it (harness.gitbase, any kind: .c, .h, .S,
a linker script) lists the files that may name it. Those the variant does not hold are read from the tree (.c and
.h ones, at most harness.changeusers.MAX_TREE_FILES a variant, as its search for users reads them), and
harness.outsidewrites looks for a store in each of their functions as in code no run executes. Where that covers
every file listed, nothing exports it and no macro of a file read names it or may paste it (``sc_##name``), the
search is complete: the linkage alone is no reason. A file listed that hands it to a function-like call whose
callee no file read defines (a macro of a header not read may store to its argument), or a part of its name
(``SC_POKE(busy)``: such a macro may paste it, ``sc_##which##_code``; also through a macro of the files handing its
parameter on: harness.pastedcalls), an asm statement outside a function naming it, a line naming it that no
definition the slicer reads holds, or another definition of it (ld links a strong one over a ``__weak`` one the runs
read, or refuses two), keeps it unsettled. Not found: a file naming it
through a macro of a header that does not name it (pasting its name from pieces, ``CAT(sc_busy, _code)``, in files
none of which is read).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from harness.pastedcalls import pasted_unknown
from harness.unknowncallees import bare_unknown, handed_unknown
from harness.variants import NO_TREE, Variant
from models.lazyre import POUND, lazy
from models.loader import Source
from models.splice import spliced
from models.wordfind import any_word

if TYPE_CHECKING:
    from harness.treenames import TreeSearch


@dataclass(frozen=True)
class Linkage:
    """What a tree tells of a variant's variables of external linkage: ``settled``, those whose every possible
    setter is in the files read; ``read``, the tree's files read whole for them (C files the variant does not
    hold: their functions none a run executes); ``why``, (name, why) of those not settled for a reason of their
    own (a file not read, a macro), which replaces "code of files the mirror does not have may store to it"."""

    settled: frozenset[str] = frozenset()
    read: tuple[Source, ...] = ()
    why: tuple[tuple[str, str], ...] = ()


# A macro's definition, its continuation lines too; its name and parameters.
_MACRO = lazy(rf"^[ \t]*{POUND}[ \t]*define\b(?:[^\\\n]|\\[\s\S])*", re.M)
_HEAD = lazy(rf"[ \t]*{POUND}[ \t]*define[ \t]+(\w+)(\([^)]*\))?")
# Tokens pasted together by ## (C11 6.10.3.3), each a parameter or written out.
_CHAIN = lazy(r"\w+(?:\s*##\s*\w+)+")


def settled_externals(v: Variant, sources: tuple[Source, ...], tree: TreeSearch | None, wanted: Iterable[str]
                      ) -> Linkage:
    """The Linkage of the variables of external linkage of ``sources`` (harness.outsidewrites.external_variables)
    among ``wanted`` (the names the code the runs reach uses: a search of a kernel tree takes a second or more):
    the tree at ``v``'s base commit searched (``tree.mentioning``), each file of ``v`` naming the variable among
    ``sources`` complete and read in full (not a ``<...>`` header of which only some names are taken), each other
    file it lists a .c or .h file read (``tree.read``; at most MAX_TREE_FILES of them, those of every variable, or
    none is read for it), no ``EXPORT_SYMBOL*()`` of it in ``sources``, no macro of a file read naming it or
    pasting tokens that may form it, and no call in a file of the tree read handing it, or a part of its name, to a
    callee no file read defines. Empty without a tree, or for a variant built from hunks alone."""
    from harness.changeusers import MAX_TREE_FILES
    from harness.outsidewrites import external_variables

    if tree is None or v.base == NO_TREE:
        return Linkage()
    whole = {s.path for s in sources if s.complete and s.only is None}
    texts = [(f.path, "\n".join(f.lines[n][0] for n in sorted(f.lines))) for f in v.files]
    own = tuple(Source(path, ((1, tuple(text.split("\n"))),), True) for path, text in texts)
    own_paths = {path for path, _ in texts}
    read: dict[str, Source] = {}
    settled, why = set(), {}
    for name in sorted(set(external_variables(sources)) & set(wanted)):
        word = any_word((name,))
        listed = tree.mentioning(v, name)
        if _exported(name, sources) or listed is None or \
                not all(path in whole for path, text in texts if word(text)):
            continue  # a module may store to it; no search; a fragment of the variant's may
        missing = sorted(set(listed) - whole)
        changed = [path for path in missing if path in own_paths]
        if changed:  # the base's text is not the variant's
            why[name] = f"{changed[0]}, a file the variant changes that names it, is not read whole"
            continue
        if len(read.keys() | set(missing)) > MAX_TREE_FILES:
            why[name] = (f"{len(missing)} files of the tree name it that the variant does not hold, more than are "
                         f"read (at most {MAX_TREE_FILES} a variant): not read, their code may store to it")
            continue
        got = _read(v, tree, missing, read)
        if isinstance(got, str) or _exported(name, got):
            why[name] = got if isinstance(got, str) else "a file of the tree exports it: a module may store to it"
            continue
        said = _macro_reason(name, (*sources, *got, *own)) or _asm_outside(name, (*sources, *got)) or \
            _strong_elsewhere(name, sources, _linked(v, name, got)) or \
            _unheld(name, got) or handed_unknown(name, sources, got) or pasted_unknown(name, sources, got) or \
            bare_unknown(sources, got, calls=False)
        if said is not None:
            why[name] = said
            continue
        settled.add(name)
        read.update((s.path, s) for s in got)
    return Linkage(frozenset(settled), tuple(read[p] for p in sorted(read)), tuple(sorted(why.items())))


def _exported(name: str, files: Iterable[Source]) -> bool:
    """Whether an ``EXPORT_SYMBOL*()`` of ``files`` exports ``name`` (a module built elsewhere may store to it)."""
    export = re.compile(rf"\bEXPORT_\w*\s*\(\s*{re.escape(name)}\s*[,)]")
    return any(export.search(line) for s in files for _, lines in s.pieces for line in lines if "EXPORT_" in line)


def _read(v: Variant, tree: TreeSearch, paths: list[str], read: dict[str, Source]) -> tuple[Source, ...] | str:
    """The files of the tree ``paths`` whole (``read``: those read for another variable), or why not: one not C
    (an assembly file, a linker script: what it stores is not looked for), or one git does not give."""
    out = []
    for path in paths:
        if not path.endswith((".c", ".h")):
            return f"{path}, a file of the tree that is not C, names it: what it stores is not looked for"
        text = read[path] if path in read else tree.read(v, path)
        if text is None:
            return f"{path}, a file of the tree naming it, could not be read"
        out.append(text if isinstance(text, Source) else Source(path, ((1, tuple(text.splitlines())),), True))
    return tuple(out)


def _macro_reason(name: str, files: Iterable[Source]) -> str | None:
    """Why a macro of ``files`` keeps ``name`` unsettled: one naming it (``#define sc_alias sc_busy_code``: a file
    storing through the macro need not name it), or one pasting tokens that may form it (``sc_##which##_code``,
    a parameter read as any word, an empty one too); None if none does."""
    word = any_word((name,))
    for s in files:
        for start, lines in s.pieces:
            text = "\n".join(lines)
            # Backslash-newlines removed first (C11 5.1.1.2p1 phase 2: 'sc_busy_\' then 'code' is one name), the
            # line breaks put back after each logical line, so that a line's number stays.
            text = joined.text if (joined := spliced(text)) is not None else text
            for m in _MACRO().finditer(text) if "define" in text else ():
                head = _HEAD().match(m.group())
                at = f"{s.path}:{start + text.count(chr(10), 0, m.start())}"
                macro = head.group(1) if head is not None else "?"
                if word(m.group()):
                    return f"macro {macro} ({at}) names it: a file using the macro may store to it without naming it"
                params = {p.strip().rstrip(".") or "__VA_ARGS__" for p in (head.group(2) or "()")[1:-1].split(",")} \
                    if head is not None else set()
                body = m.group()[head.end() if head is not None else 0:]
                for chain in _CHAIN().finditer(body):
                    # A glob, '*' any word: fnmatch's pattern never backtracks exponentially ('a##a##...##b').
                    form = "".join("*" if p in params or p == "__VA_ARGS__" else p
                                   for p in re.split(r"\s*##\s*", chain.group()))
                    if fnmatchcase(name, form):
                        return (f"macro {macro} ({at}) pastes a name that may be it ({' '.join(chain.group().split())}"
                                "): a file using the macro may store to it without naming it")
    return None


def _asm_outside(name: str, files: Iterable[Source]) -> str | None:
    """Where an asm statement of ``files`` outside a function names ``name`` (at file scope, 'asm("movq $1,
    sc_busy_code(%rip)")', or an asm label, 'extern u64 sc_alias asm("sc_busy_code");'): the assembler stores to it
    by its name, where harness.outsidewrites reads only functions and variables; or where a string is its name
    ('__attribute__((alias("sc_busy_code")))', 'kallsyms_lookup_name("sc_busy_code")': stores through another
    name); None if none does."""
    from harness.asmstores import asm_stores
    from models.loader import sliced
    from models.slicer import Kind

    for s in files:
        for start, lines in s.pieces:
            text = "\n".join(lines)
            found = [start + text.count("\n", 0, pos) for n, pos, _ in asm_stores(text) if n == name] \
                if name in text else []
            inside = [range(d.line, d.line + d.text.count("\n") + 1) for d in sliced(s.path, start, lines)
                      if d.kind is Kind.FUNCTION] if found else []
            line = next((n for n in found if not any(n in r for r in inside)), None)
            if line is not None:
                return f"an asm statement outside a function ({s.path}:{line}) names it: the assembler may store to it"
            named = re.search(rf'"{re.escape(name)}"', text) if name in text else None
            if named is not None:  # alias("sc_busy_code"), kallsyms_lookup_name("sc_busy_code"): another name
                return (f'{s.path}:{start + text.count(chr(10), 0, named.start())} has its name as a string: an '
                        "alias or a symbol looked up by name may store to it")
    return None


def _unheld(name: str, got: tuple[Source, ...]) -> str | None:
    """Where a file of the tree read names ``name`` (not in a comment) on a line no definition the slicer reads
    holds (a function, a variable, a file-scope macro call, a macro; not an old-style definition's body, 'int
    f(v) int v; { sc_busy_code = v; }', nor a '#if 0' block, which gcc does not build either): outside_writes
    looks for stores in those alone; None if every line naming it is one."""
    from models.loader import sliced
    from models.slicer import Kind, blank_comments

    word = any_word((name,))
    held = (Kind.FUNCTION, Kind.VARIABLE, Kind.INVOCATION, Kind.MACRO)
    for s in got:
        for start, lines in s.pieces:
            named = [start + i for i, line in enumerate(blank_comments(list(lines))) if word(line)]
            spans = [range(d.line, d.line + d.text.count("\n") + 1) for d in sliced(s.path, start, lines)
                     if d.kind in held] if named else []
            line = next((n for n in named if not any(n in r for r in spans)), None)
            if line is not None:
                return f"{s.path}:{line} names it outside any function or variable the harness reads there"
    return None


def _linked(v: Variant, name: str, got: tuple[Source, ...]) -> tuple[Source, ...]:
    """The files of ``got`` but those harness.weakdefs found to define the ``__weak`` variable ``name`` strong and
    kbuild not to build (Lookup.unlinked: ld links none of them)."""
    lookup = getattr(v, "headers", None)  # a variant made of files alone has none
    skip = {p for n, p in getattr(lookup, "unlinked", ()) if n == name}
    return tuple(s for s in got if s.path not in skip) if skip else got


def _strong_elsewhere(name: str, sources: tuple[Source, ...], got: tuple[Source, ...]) -> str | None:
    """Where a file of the tree read, not the one whose definition the runs read, defines ``name`` strong (not
    static, not ``extern``, not weak), or, where the files run define it ``__weak`` (models.redefinition
    .weak_variable), invokes at file scope a macro naming it (which may define it): where kbuild builds that file,
    ld links its object over a weak one the runs read (harness.weakdefs follows one it finds built: then the files
    run hold it), or refuses two strong ones (ld: multiple definition; a ``#pragma weak`` making the runs' one weak
    is not read); None otherwise."""
    from models.loader import declaration_only, definitions, sliced
    from models.redefinition import weak_variable
    from models.slicer import Kind

    ran = [d for d in definitions(sources).get(name, []) if d.kind is Kind.VARIABLE and not declaration_only(d)]
    weak = any(weak_variable(d) for d in ran)
    word = any_word((name,))
    for s in got if ran else ():
        for start, lines in s.pieces if s.path not in {d.path for d in ran} else ():
            for d in sliced(s.path, start, lines):
                head = d.text.split(name, 1)[0]
                if (d.kind is Kind.VARIABLE and d.name == name and not weak_variable(d)
                        and re.search(r"\b(?:static|extern)\b", head) is None) or \
                        (weak and d.kind is Kind.INVOCATION and word(d.text)):
                    return f"{d.where} " + (_OVER_WEAK if weak else _TWICE)
    return None


_OVER_WEAK = ("may define it strong: where kbuild builds that file, ld links its object over the __weak one the runs "
              "read")
_TWICE = ("defines it too: where kbuild builds that file, ld refuses two definitions (multiple definition), or links "
          "that one over the runs' if theirs is weak (#pragma weak)")

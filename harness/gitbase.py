"""Reading base files from a user's kernel git tree, by object, never through its work tree or index."""

from __future__ import annotations

import fnmatch
import posixpath
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import git

from harness.asmglobal import ASM_GLOBAL
from harness.binpatch import MAX_RESULT
from harness.filestate import (
    GITLINK_MODE,
    POINTER_C,
    FileState,
    absent_file,
    full_file,
    gitlink_text,
    lfs_state,
    pointer_state,
    unmodelled,
)
from harness.gitmodes import written
from harness.gitrepo import blob_bytes, commit_of, object_at, open_repo, stored_blob
from harness.gitrepo import run_git as _git
from models.lazyre import POUND
from models.record import record


@record
class TreeBase:
    """A commit of a git repository from which base file texts are read."""

    repo_path: Path
    commit: str

    def reader(self) -> tuple[str, Callable[[str], FileState | None]]:
        repo = open_repo(self.repo_path)
        commit = commit_of(repo, self.repo_path, self.commit)
        label = f"{self.repo_path} at {commit.hexsha[:12]}"

        def read(path: str) -> FileState | None:
            return _read(commit, label, path)

        return label, TreeReader(read, lambda words, folders: _grep(repo, commit.hexsha, words, folders),
                                 lambda word: _names(repo, commit.hexsha, word), commit.hexsha,
                                 lambda words: _defines(repo, commit.hexsha, words),
                                 lambda name: _includers(repo, commit.hexsha, name),
                                 lambda symbol: _kconfig(repo, commit.hexsha, symbol),
                                 lambda words: _asm_defines(repo, commit.hexsha, words),
                                 lambda: _kconfig_sources(repo, commit.hexsha),
                                 lambda words: _naming(repo, commit.hexsha, words),
                                 lambda word: _mentioning(repo, commit.hexsha, word),
                                 lambda oid: stored_blob(repo, oid, MAX_RESULT))


_DEFINED: dict[str, dict[str, list[str]]] = {}  # commit -> word -> .c files (TreeReader.defines)
# commit -> (words, folders) -> .c files (TreeReader.grep)
_GREPPED: dict[str, dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]]] = {}
_GLOB = re.compile(r"[*?[]")
_KCONFIGS: dict[str, dict[str, KconfigLines | None]] = {}  # commit -> symbol -> its config/select lines (kconfig)
_SOURCES: dict[str, dict[str, list[tuple[str, int]]]] = {}  # commit -> Kconfig file -> its source lines (sourcing)
_INCLUDERS: dict[str, dict[str, list[str]]] = {}  # commit -> a file's name -> .c/.h files naming it (includers)


class TreeReader:
    """A base commit's reader (path -> its state there) that can also list the files of folders that name a word
    (``git grep`` at the commit): harness.unitdefs finds a tree's out-of-line definitions with it; and say whether
    its C code names a word at all (``names``, once per word: harness.listednames). ``commit``: the commit's id
    (empty when not known), by which harness.treenames shares a search between readers of the same commit.
    ``defines``: the .c files anywhere in the tree with a line that starts a definition of one of some functions
    (None: not searched; harness.unitdefs, for a function no file beside the units defines). ``includers``: the
    .c and .h files of the tree that may ``#include "...NAME"`` a file's name (None: not searched;
    harness.treebuilt, for a .c file no Makefile names). ``kconfig``: where a symbol's ``config`` and ``select`` lines
    are in the tree's Kconfig files (None: not searched; harness.kconfig). ``asm_defines``: the assembly (.S) lines that
    define one of some functions as a global symbol (None: not searched; harness.weakdefs). ``kconfig_sources``: per
Kconfig file, the ``source`` lines reading it (None: not searched; harness.kconfig)."""

    def __init__(self, read: Callable[[str], FileState | None],
                 grep: Callable[[tuple[str, ...], tuple[str, ...]], list[str] | None],
                 names: Callable[[str], bool | None] = lambda _word: None, commit: str = "",
                 defines: Callable[[tuple[str, ...]], dict[str, list[str]] | None] = lambda _words: None,
                 includers: Callable[[str], list[str] | None] = lambda _name: None,
                 kconfig: Callable[[str], KconfigLines | None] = lambda _symbol: None,
                 asm_defines: Callable[[tuple[str, ...]], AsmLines | None] = lambda _words: None,
                 kconfig_sources: Callable[[], dict[str, list[tuple[str, int]]] | None] = lambda: None,
                 naming: Callable[[tuple[str, ...]], list[str] | None] = lambda _words: None,
                 mentioning: Callable[[str], list[str] | None] = lambda _word: None,
                 stored: Callable[[str], bytes | None] | None = None) -> None:
        self._read, self._grep, self._names, self.commit = read, grep, names, commit
        self.naming = naming  # the .c and .h files anywhere in the tree naming one of some words (None: git failed)
        self.mentioning = mentioning  # every file of the tree naming a word, of any kind (None: git failed)
        self.stored = stored  # a blob's bytes by its id where the repository has it (harness.patching._apply_binary)
        self._defines, self._includers, self._kconfig, self._asm = defines, includers, kconfig, asm_defines
        self._sources_of = kconfig_sources
        self._sources: dict[str, list[tuple[str, int]]] | None = None
        self._sources_read = False
        self._globs: list[str] = []  # the keys of _sources that are patterns
        # Shared by the readers of one commit, as _SOURCES: a commit's Kconfig files are what its id says.
        self._kconfigs: dict[str, KconfigLines | None] = _KCONFIGS.setdefault(commit, {}) if commit else {}
        self._included: dict[str, list[str]] = _INCLUDERS.setdefault(commit, {}) if commit else {}
        # Shared by the readers of one commit (a revision's each, built on the same base): a commit's files are
        # what its id says, whatever repository holds it.
        self._defined: dict[str, list[str]] = _DEFINED.setdefault(commit, {}) if commit else {}
        self._grepped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = \
            _GREPPED.setdefault(commit, {}) if commit else {}
        self._named: dict[str, bool | None] = {}

    def __call__(self, path: str) -> FileState | None:
        return self._read(path)

    def grep(self, words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None:
        """The .c files directly in ``folders`` naming one of ``words`` (None: git failed), once per commit: every
        state of an eval asks for what its units left unknown, most of them the same words in the same folders."""
        key = (words, folders)
        if key not in self._grepped:
            got = self._grep(words, folders)
            if got is None:
                return None
            self._grepped[key] = got
        return list(self._grepped[key])

    def defines(self, words: tuple[str, ...]) -> list[str] | None:
        """The .c files of the tree with a line starting a definition of one of ``words`` (None: git failed), each
        word searched once per commit: every state of an eval asks for what its units left unknown."""
        todo = tuple(w for w in words if w not in self._defined)
        if todo:
            got = self._defines(todo)
            if got is None:
                return None
            self._defined.update({w: got.get(w, []) for w in todo})
        return sorted({p for w in words for p in self._defined[w]})

    def includers(self, name: str) -> list[str] | None:
        """The .c and .h files of the tree with a line naming ``NAME"`` (an ``#include "NAME"`` or
        ``"dir/NAME"`` among them; None: git failed), once per commit and name."""
        if name not in self._included:
            got = self._includers(name)
            if got is None:
                return None
            self._included[name] = got
        return list(self._included[name])

    def kconfig(self, symbol: str) -> KconfigLines | None:
        """(path, line) of each ``config SYMBOL`` (or ``menuconfig``) line of the tree's Kconfig files, and of each
        ``select SYMBOL`` line (None: git failed), once per reader and symbol."""
        if symbol not in self._kconfigs:
            got = self._kconfig(symbol)
            if got is None:
                return None  # a failed search is not kept: another reader of the commit tries again
            self._kconfigs[symbol] = got
        return self._kconfigs[symbol]

    def sourcing(self, path: str) -> list[tuple[str, int]] | None:
        """(path, line) of each Kconfig ``source`` line of the tree that reads (or, through a wildcard or a variable
        it names, may read) the Kconfig file ``path`` (None: git failed), one search per reader."""
        if not self._sources_read:
            shared = _SOURCES.get(self.commit) if self.commit else None
            self._sources = shared if shared is not None else self._sources_of()
            if self.commit and self._sources is not None:
                _SOURCES[self.commit] = self._sources  # a commit's files are what its id says
            self._sources_read = True
            self._globs = [key for key in self._sources or () if _GLOB.search(key) is not None]
        if self._sources is None:
            return None
        # A pattern (a wildcard, a variable: _kconfig_sources) may read it too: every line that may is counted.
        return [*self._sources.get(path, ()),
                *(at for key in self._globs if fnmatch.fnmatchcase(path, key) for at in self._sources[key])]

    def asm_defines(self, words: tuple[str, ...]) -> AsmLines | None:
        """Per word of ``words``, the (path, line, text) of each .S line of the tree that makes it a global symbol
        (``SYM_FUNC_START(foo)``, ``.globl foo``; None: git failed)."""
        return self._asm(words)

    def names(self, word: str) -> bool | None:
        """Whether a .c or .h file at the commit names ``word`` outside a comment line (None: git failed)."""
        if word not in self._named:
            self._named[word] = self._names(word)
        return self._named[word]


NAMES_TIMEOUT = 60  # seconds for one git grep of the whole tree (a kernel tree takes about one)


def _names(repo: git.Repo, commit: str, word: str) -> bool | None:
    """Whether the .c and .h files at ``commit`` name ``word`` as a word on a line that is not a comment's (`` *
    ...``, ``/* ...``, ``// ...``): ``git grep -w -F``, a few lines a file. None where git fails or times out."""
    try:
        # --no-line-number, --no-column: a user's grep.lineNumber or grep.column put "12:" before every line, which
        # then never started as a comment does.
        res = _git(repo, "grep", "-h", "-w", "-F", "-I", "--no-color", "--no-line-number", "--no-column",
                   "--max-count=3", "-e", word, commit, "--", "*.c", "*.h", timeout=NAMES_TIMEOUT)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if res.returncode not in (0, 1):
        return None
    lines = res.stdout.decode("utf-8", "surrogateescape").splitlines()
    return any(not line.lstrip().startswith(("*", "/*", "//")) for line in lines)  # -h: no "commit:path:"


def _grep(repo: git.Repo, commit: str, words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None:
    """The .c files directly in ``folders`` (not their subfolders) whose text at ``commit`` has one of ``words`` as
    a word: ``git grep -l -w -F`` with a glob pathspec (its ``*`` stops at a slash). None where git fails (exit 1
    is 'nothing found')."""
    if not words or not folders:
        return []
    pats = [x for w in words for x in ("-e", w)]
    specs = [f":(glob){f}/*.c" if f else ":(glob)*.c" for f in folders]
    return _files_found(repo, commit, ("-w", "-F", "-I", *pats), ("--", *specs), timeout=120)


def _includers(repo: git.Repo, commit: str, name: str) -> list[str] | None:
    """The .c and .h files at ``commit`` with a line holding ``NAME"`` (``git grep -l -F``, the whole tree in one
    search bounded by NAMES_TIMEOUT; the caller reads which of them include it). None where git fails."""
    return _files_found(repo, commit, ("-F", "-I", "-e", f'{name}"'), ("--", "*.c", "*.h"))


def _naming(repo: git.Repo, commit: str, words: tuple[str, ...]) -> list[str] | None:
    """The .c and .h files at ``commit`` naming one of ``words`` as a word (``git grep -l -w -F``, the whole tree in
    one search bounded by NAMES_TIMEOUT; a comment's line counts too: the caller parses what it reads). None where
    git fails."""
    if not words:
        return []
    return _files_found(repo, commit, ("-w", "-F", "-I", *(x for w in words for x in ("-e", w))),
                        ("--", "*.c", "*.h"))


def _mentioning(repo: git.Repo, commit: str, word: str) -> list[str] | None:
    """Every file at ``commit`` naming ``word`` as a word, of any kind (.c, .h, .S, a linker script, a binary's
    bytes; a comment's line too): ``git grep -l -w -F`` of the whole tree, bounded by NAMES_TIMEOUT. None where git
    fails."""
    return _files_found(repo, commit, ("-w", "-F", "-a", "-e", word), ())


def _files_found(repo: git.Repo, commit: str, options: tuple[str, ...], pathspecs: tuple[str, ...],
                 timeout: int = NAMES_TIMEOUT) -> list[str] | None:
    """The files at ``commit`` that ``git grep -l -z --full-name <options> <commit> <pathspecs>`` lists, sorted;
    None where git fails or runs past ``timeout`` seconds (exit 1 is 'nothing found')."""
    try:
        # -z: names as they are, never quoted as core.quotePath quotes a name that is not ASCII ("d/\303\251.c").
        res = _git(repo, "grep", "-l", "-z", "--no-color", "--full-name", *options, commit, *pathspecs,
                   timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if res.returncode not in (0, 1):
        return None
    prefix = f"{commit}:"
    return sorted(n.removeprefix(prefix) for n in res.stdout.decode("utf-8", "surrogateescape").split("\0")
                  if n.startswith(prefix))


KconfigLines = tuple[list[tuple[str, int]], list[tuple[str, int]]]
AsmLines = dict[str, list[tuple[str, int, str]]]
_ASM_GLOBAL = ASM_GLOBAL  # harness.asmglobal: weakdefs reads them without importing git


def _asm_defines(repo: git.Repo, commit: str, words: tuple[str, ...]) -> AsmLines | None:
    """The .S lines at ``commit`` that may make one of the functions ``words`` a global symbol: a macro's invocation
    with it as its first argument (a linkage macro of _ASM_GLOBAL, or another that harness.weakdefs reads through
    the file's own ``#define``), or ``.globl``/``.global`` naming it (``git grep -n -E`` in the C locale, bounded by
    NAMES_TIMEOUT): per word, (path, line, text). None where git fails."""
    alt = "|".join(w for w in words if re.fullmatch(r"[A-Za-z_]\w*", w))
    if not alt:
        return {}
    pattern = (rf"^[[:blank:]]*(([A-Za-z_][A-Za-z0-9_]*)[[:blank:]]*\([[:blank:]]*({alt})[[:blank:]]*[,)]|"
               rf"\.glob(a)?l[[:blank:]]+({alt})([[:blank:]]|$))")
    try:
        res = _git(repo, "grep", "-n", "-z", "-I", "--no-color", "--full-name", "--no-column", "-E", "-e", pattern,
                   commit, "--", "*.S", timeout=NAMES_TIMEOUT, byte_locale=True)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if res.returncode not in (0, 1):
        return None
    out: AsmLines = {}
    named = re.compile(rf"(?:\(\s*|\s)({alt})\b", re.ASCII)
    for row in res.stdout.decode("utf-8", "surrogateescape").splitlines():
        name, line, text = [*row.split("\0", 2), "", ""][:3]
        if name.startswith(f"{commit}:") and line.isdigit() and (m := named.search(text)) is not None:
            out.setdefault(m.group(1), []).append((name.removeprefix(f"{commit}:"), int(line), text.strip()))
    return out


def _kconfig(repo: git.Repo, commit: str, symbol: str) -> KconfigLines | None:
    """The ``config``/``menuconfig`` lines and the ``select`` lines of ``symbol`` in the Kconfig files at
    ``commit`` (``git grep -n -E``, bounded by NAMES_TIMEOUT), each (path, line); None where git fails."""
    if not re.fullmatch(r"\w+", symbol):
        return [], []
    pattern = rf"^[[:space:]]*(menuconfig|config|select)[[:space:]]+{symbol}([[:space:]]|$)"
    try:
        res = _git(repo, "grep", "-n", "-z", "-I", "--no-color", "--full-name", "--no-column", "-E", "-e", pattern,
                   commit, "--", "Kconfig*", ":(glob)**/Kconfig*", timeout=NAMES_TIMEOUT)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if res.returncode not in (0, 1):
        return None
    defs: list[tuple[str, int]] = []
    selects: list[tuple[str, int]] = []
    for row in res.stdout.decode("utf-8", "surrogateescape").splitlines():
        name, line, text = [*row.split("\0", 2), "", ""][:3]
        if not name.startswith(f"{commit}:") or not line.isdigit():
            continue
        (selects if text.split()[0] == "select" else defs).append((name.removeprefix(f"{commit}:"), int(line)))
    return defs, selects


_SOURCE = re.compile(r'^\s*(o?r?source)\s+"([^"]+)"')


def _kconfig_sources(repo: git.Repo, commit: str) -> dict[str, list[tuple[str, int]]] | None:
    """Per Kconfig file a ``source`` (``osource``, ``rsource``) line of the Kconfig files at ``commit`` names, the
    (path, line) of each such line: ``$(SRCARCH)`` read as x86, an ``rsource`` beside its file; a path with a
    wildcard or another variable is kept as a glob pattern (the variable and a slash after it a ``*``: a
    ``$(srctree)/k/Kconfig`` may read k/Kconfig), matched by TreeReader.sourcing
    (``git grep -n -E``, bounded by NAMES_TIMEOUT); None where git fails."""
    try:
        res = _git(repo, "grep", "-n", "-z", "-I", "--no-color", "--full-name", "--no-column", "-E", "-e",
                   r'^[[:space:]]*o?r?source[[:space:]]+"', commit, "--", "Kconfig*", ":(glob)**/Kconfig*",
                   timeout=NAMES_TIMEOUT)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if res.returncode not in (0, 1):
        return None
    out: dict[str, list[tuple[str, int]]] = {}
    for row in res.stdout.decode("utf-8", "surrogateescape").splitlines():
        name, line, text = [*row.split("\0", 2), "", ""][:3]
        if not name.startswith(f"{commit}:") or not line.isdigit() or (m := _SOURCE.match(text)) is None:
            continue
        name = name.removeprefix(f"{commit}:")
        target = m.group(2).replace("$(SRCARCH)", "x86")
        if m.group(1).endswith("rsource"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
        out.setdefault(re.sub(r"\$\([^)]*\)/?", "*", target), []).append((name, int(line)))
    return out


_DEFINES_GREP = ("grep", "-z", "-I", "--no-color", "--full-name", "--no-line-number", "--no-column")
# What may stand before a name an object definition defines (C11 6.7 init-declarator-list, one line): not extern, the
# type's words and stars, then earlier declarators with an initializer holding no comma, bracket or call
# (``struct mutex lk_a, *lk_p, lk_b``, ``const int x = 1, y``); what it refuses is not found (the run stays refused).
_DECLARATORS = re.compile(r"(?!extern\b)[A-Za-z_][\w \t*]*[ \t*](?:\w+(?:\[[^]]*\])*[ \t]*(?:=[^,;(){}]*)?,[ \t*]*)*",
                          re.ASCII)
_NOT_MAKING = re.compile(r"EXPORT_\w+|MODULE_\w+")  # file-scope invocations that never define the name they name


def _defines(repo: git.Repo, commit: str, words: tuple[str, ...]) -> dict[str, list[str]] | None:
    """The .c files at ``commit``, anywhere in the tree, with a line that may start a definition of one of the
    functions ``words``: at its first column the name, or words, spaces and stars before it (``u64 foo(``;
    ``foo(`` below a line ``static int __init``, the kernel's style; ``u64 __attribute__((weak)) foo(``), then
    ``(``, the line not ending in ``;`` (a
    prototype); or, at its first column, a macro's invocation naming it among its arguments (``SEAM_FN(foo)``,
    ``DEFINE_X(u64, foo);``: a function a macro makes, models.loader expands it with its file's macros). A call is
    indented; a macro's ``#define`` or an ``EXPORT_SYMBOL(foo)`` does not match; or an object's definition
    (``const struct ent foo[] = {``, ``int foo;``: harness.unitdefs.extern_consts), each name of a list on one line
    (``struct mutex a, foo;``, ``const int a = 1, foo = 2;``: an initializer holding a comma, bracket or call before
    it is not read, so not found), no ``extern`` line; or an alias
    made of it (``#pragma weak foo = bar``, ``foo(...) __attribute__((alias("bar")));`` on one line: harness.aliases).
    ``git grep -P`` (``-E`` where git has no PCRE) in the C locale, bounded by NAMES_TIMEOUT: per word, the files;
    None where git fails or times out (exit 1 is 'nothing found')."""
    alt = "|".join(w for w in words if re.fullmatch(r"[A-Za-z_]\w*", w))
    if not alt:
        return {}
    found = _grep_defines(repo, commit, alt)
    return None if found is None else _defined_in(found, f"{commit}:", alt)


def _grep_defines(repo: git.Repo, commit: str, alt: str) -> str | None:
    """``git grep``'s lines (``PATH\0TEXT``) at ``commit`` that _defines reads, for the names of the alternation
    ``alt``; None where git fails or times out."""
    word = "A-Za-z0-9_"
    perl = (rf"^(?:[A-Za-z_][{word} \t*()]*[ \t*)])?(?:{alt})[ \t]*\(",
            rf"^[A-Za-z_][{word}]*[ \t]*\(.*(?<![{word}])(?:{alt})(?![{word}])",
            rf"^[A-Za-z_][{word} \t*]*[ \t*](?:[{word}]+(?:\[[^]]*\])*[ \t]*(?:=[^,;(){{}}]*)?,[ \t*]*)*"
            rf"(?:{alt})[ \t]*[\[=;,]",
            rf"^[ \t]*{POUND}[ \t]*pragma[ \t]+weak[ \t]+(?:{alt})[ \t]*=",
            rf"^[A-Za-z_][^;]*(?<![{word}])(?:{alt})[ \t]*\(.*alias")
    posix = (rf"^([A-Za-z_][A-Za-z0-9_[:blank:]*()]*[[:blank:]*)])?({alt})[[:blank:]]*\(",
             rf"^[A-Za-z_][A-Za-z0-9_]*[[:blank:]]*\((.*[^A-Za-z0-9_])?({alt})([^A-Za-z0-9_]|$)",
             rf"^[A-Za-z_][A-Za-z0-9_[:blank:]*]*[[:blank:]*]([A-Za-z0-9_]+(\[[^]]*\])*[[:blank:]]*(=[^,;(){{}}]*)?,"
             rf"[[:blank:]*]*)*({alt})[[:blank:]]*(\[|=|;|,)",
             rf"^[[:blank:]]*(#|%:)[[:blank:]]*pragma[[:blank:]]+weak[[:blank:]]+({alt})[[:blank:]]*=",
             rf"^[A-Za-z_]([^;]*[^A-Za-z0-9_])?({alt})[[:blank:]]*\(.*alias")
    try:
        # -P first: PCRE is some ten times faster than POSIX ERE on these (a 3,000-file tree: 0.07 s of CPU against
        # 0.7 s for the first pattern alone); a git built without PCRE refuses it (exit 128), then ERE.
        res = _git(repo, *_DEFINES_GREP, "-P", *(x for p in perl for x in ("-e", p)), commit, "--", "*.c",
                   timeout=NAMES_TIMEOUT, byte_locale=True)
        if res.returncode not in (0, 1):
            res = _git(repo, *_DEFINES_GREP, "-E", *(x for p in posix for x in ("-e", p)), commit, "--", "*.c",
                       timeout=NAMES_TIMEOUT, byte_locale=True)
    except (subprocess.TimeoutExpired, OSError):
        return None
    return res.stdout.decode("utf-8", "surrogateescape") if res.returncode in (0, 1) else None


def _defined_in(found: str, prefix: str, alt: str) -> dict[str, list[str]]:
    """Per name of ``alt``, the files of _grep_defines' lines (each ``PATH\0TEXT``, PATH after ``prefix``) whose
    line starts its definition, defines an object of it, makes an alias of it or invokes a macro naming it."""
    out = dict[str, set[str]]()
    # The same line: which word it starts, or which a macro's invocation names (ASCII words, as git's classes).
    head = re.compile(rf"(?:[A-Za-z_][\w \t*()]*[ \t*)])?({alt})[ \t]*\(", re.ASCII)
    made = re.compile(r"([A-Za-z_]\w*)[ \t]*\((.*)", re.ASCII)
    # An object's definition (``const struct seam_ent seam_tbl[] = {``): a declaration saying extern is none.
    obj = re.compile(rf"(?<!\w)({alt})[ \t]*[\[=;,]", re.ASCII)
    # An alias of it (harness.aliases: said, never taken for a definition).
    alias = re.compile(rf"[ \t]*{POUND}[ \t]*pragma[ \t]+weak[ \t]+({alt})[ \t]*="
                       rf"|[A-Za-z_][^;]*?(?<!\w)({alt})[ \t]*\(.*alias", re.ASCII)
    for line in found.splitlines():
        name, _, text = line.partition("\0")
        if not name.startswith(prefix):
            continue
        if (m := head.match(text)) is not None and not text.rstrip().endswith(";"):
            out.setdefault(m.group(1), set()).add(name.removeprefix(prefix))
        elif listed := [o.group(1) for o in obj.finditer(text) if _DECLARATORS.fullmatch(text, 0, o.start())]:
            for w in listed:
                out.setdefault(w, set()).add(name.removeprefix(prefix))
        elif (v := alias.match(text)) is not None:
            out.setdefault(v.group(1) or v.group(2), set()).add(name.removeprefix(prefix))
        elif (inv := made.match(text)) is not None and not _NOT_MAKING.fullmatch(inv.group(1)):
            for w in set(re.findall(rf"\b(?:{alt})\b", inv.group(2), re.ASCII)) - {inv.group(1)}:
                out.setdefault(w, set()).add(name.removeprefix(prefix))
    return {w: sorted(ps) for w, ps in out.items()}


def _read(commit: git.Commit, label: str, path: str) -> FileState | None:
    """``path`` as the commit has it (absent, a submodule's commit as text, not modelled, or its text; a .c or .h
    file that is a Git LFS pointer has no C text: filestate.lfs_state)."""
    blob = object_at(commit, path)
    if blob is None:
        return absent_file(path, f"not in {label}")
    mode = written(f"{blob.mode:06o}")  # as git's index holds it: an old tree's 100664 is 100644 (create_ce_mode)
    if mode == GITLINK_MODE:  # as git apply reads a submodule: the commit it names, as text
        got = full_file(path, gitlink_text(blob.hexsha), f"read from {label}", mode)
    elif blob.type != "blob":
        return unmodelled(path, (f"a {blob.type} in {label}: not modelled",), mode)
    else:
        data = blob_bytes(blob, commit, path)
        # Bytes as they are (not UTF-8 ones as surrogate escapes), so blob ids come out as git's; a
        # symlink's are its target, the text git apply patches.
        got = full_file(path, data.decode("utf-8", errors="surrogateescape"), f"read from {label}", mode)
    return pointer_state(got) if mode in POINTER_C and path.endswith((".c", ".h")) else lfs_state(got)

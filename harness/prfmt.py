"""pr_fmt_of: the prefix a translation unit's ``#define pr_fmt(fmt) ...`` gives its pr_*() lines.

The forms read are the kernel's: string literals and ``KBUILD_MODNAME`` / ``KBUILD_BASENAME`` before
``fmt`` (``#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt``). KBUILD_MODNAME is what kbuild passes
(scripts/Makefile.lib, ``name-fix``): the module the object is linked into when the directory's
Makefile among the variant's files says so (``foo-y += bar.o``), else the object's own name, with
``-`` and ``,`` as ``_``. Any other form (``"%s: " fmt, __func__``) is not a prefix: the unit's
pr_*() calls are then refused with the reason (models.prfmt_forms.UNMODELLED_PR_FMT), never printed
with a prefix it does not have.
"""

from __future__ import annotations

import re
from dataclasses import replace

from harness.coverage import NO_TREE
from harness.filestate import FileState
from harness.memo import by_identity
from harness.statefiles import local_includes
from harness.variants import Variant
from models.lazyre import lazy
from models.literals import EscapeError, string_bytes
from models.loader import sliced
from models.prelude import PR_FMT
from models.prfmt_forms import (
    DEBUG_MARK,
    PR_FMT_ARG_NAMES,
    PR_FMT_ARGS,
    SCOPED_PR_FMT,
    UNMODELLED_PR_FMT,
    scoped_pr_fmt,
    split_debug,
)
from models.prfmt_site import per_file_pr_fmt
from models.slicer import Definition, Kind

_DEFINE = re.compile(r"^\s*#\s*define\s+pr_fmt\s*\(\s*(\w+)\s*\)\s*(.*?)\s*$")
# Runs of characters possessive ('*+'), not one alternative per character: re kept a record per character of a long
# literal (1 MB: over 100 MB at once; tests/harness/test_literal_regexes.py).
_TOKEN = re.compile(r'\s*(?:("[^"\\]*+(?:\\.[^"\\]*+)*+")|([A-Za-z_]\w*))')


def _name_fix(name: str) -> str:
    return name.replace("-", "_").replace(",", "_")


# Make variables that list objects but name no module (scripts/Makefile.build).
_NOT_MODULES = frozenset({"obj", "lib", "extra", "always", "targets", "subdir", "hostprogs", "userprogs", "head",
                          "core", "libs", "drivers", "ccflags", "asflags", "ldflags", "subdir-ccflags"})
_LIST = lazy(r"^\s*([\w-]+?)-(y|m|objs|\$\(CONFIG_\w+\))\s*[:+]?=(.*)$", re.MULTILINE)


def kbuild_modname(v: Variant, path: str) -> str | None:
    """KBUILD_MODNAME for an object built from ``path`` (see the module doc): the composite module a
    Makefile of the variant (the object's folder's, or a parent's naming it by a relative path) links
    it into, when that Makefile also builds the module (``obj-y += kvm-intel.o``); else its own name.
    None when one Makefile links it into two modules (kbuild warns; which name a build gives is not read)."""
    parts = path.split("/")
    obj_name = parts[-1].rsplit(".", 1)[0] + ".o"
    for depth in range(len(parts) - 1, -1, -1):  # the folder's own Makefile first, then its parents'
        makefile = v.file("/".join([*parts[:depth], "Makefile"]))
        if makefile is None:
            continue
        text = "\n".join(ln for frag in makefile.fragments() for ln in frag.lines).replace("\\\n", " ")
        relative = "/".join([*parts[depth:-1], obj_name])
        built = {w[:-2] for m in _LIST().finditer(text) if m.group(1) == "obj" for w in m.group(3).split()
                 if w.endswith(".o")}
        found = {m.group(1) for m in _LIST().finditer(text)
                 if m.group(1) not in _NOT_MODULES and relative in m.group(3).split() and m.group(1) in built}
        if found:
            return _name_fix(found.pop()) if len(found) == 1 else None
    return _name_fix(obj_name[:-2])


def _prefix(v: Variant, path: str, param: str, body: str) -> str | None:
    """The prefix a pr_fmt body makes, or None when it is not literals and names before ``param``."""
    out: list[str] = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None:
            return None
        pos = m.end()
        literal, name = m.groups()
        if name == param:
            return _with_args("".join(out), body[pos:].strip())
        if literal is not None:
            out.append(string_bytes(literal).decode("latin-1"))  # one character per byte: pr_fmt_bytes
        elif name == "KBUILD_MODNAME":
            modname = kbuild_modname(v, path)
            if modname is None:
                return None
            out.append(modname)
        elif name == "KBUILD_BASENAME":
            out.append(_name_fix(path.rpartition("/")[2].rsplit(".", 1)[0]))
        else:
            return None
    return None


def _with_args(prefix: str, rest: str) -> str | None:
    """The prefix, with the names pr_fmt() passes after ``fmt`` (``, __func__``: models.prfmt_forms.PR_FMT_ARGS); None
    for anything else after it."""
    if not rest:
        return prefix
    names = [n.strip() for n in rest.removeprefix(",").split(",")]
    if not rest.startswith(",") or not all(n in PR_FMT_ARG_NAMES for n in names):
        return None
    return f"{prefix}{PR_FMT_ARGS}{','.join(names)}"


def _pr_fmt_definitions(path: str, f: FileState) -> list[Definition]:
    return [d for d in _file_definitions(path, f) if d.kind is Kind.MACRO and d.name == "pr_fmt"]


def _file_definitions(path: str, f: FileState) -> list[Definition]:
    return [d for frag in f.fragments() for d in sliced(path, frag.start, tuple(frag.lines))]


# What the preprocessor expands a pr_fmt in where it stands (a macro's body, where it is used).
_EXPANDING = (Kind.FUNCTION, Kind.VARIABLE, Kind.INVOCATION)


def _code_lines(path: str, f: FileState) -> list[int]:
    """The first lines of the file's code that expands macros where it stands: its functions, variables and
    file-scope macro invocations (not macro bodies, which expand where they are used; C11 6.10.3)."""
    return [d.line for d in _file_definitions(path, f) if d.kind in _EXPANDING]


def _undef_in_use(path: str, f: FileState, code: list[int]) -> int | None:
    """The line of a ``#undef pr_fmt`` with code below it before the next ``#define pr_fmt`` (or the file's end):
    a pr_*() there has no pr_fmt (printk.h defined its default once, above: include/linux/printk.h)."""
    changes = _header_changes(path, f)
    for i, (line, d) in enumerate(changes):
        end = changes[i + 1][0] if i + 1 < len(changes) else None
        if d is None and any(line < n and (end is None or n < end) for n in code):
            return line
    return None


def assumed_pr_fmt(v: Variant, path: str) -> tuple[str, str] | None:
    """(prefix, why) when the unit's pr_fmt is an assumption, not read from the variant's files: the file is
    not among them, or only parts of it are known and none shows a ``#define pr_fmt``. The prefix is then
    mainline's for the file (models.prelude.PR_FMT) or none: what pr_fmt_of gives. None when it is known."""
    f = v.file(path)
    if f is not None and (f.complete or f.absent or _pr_fmt_definitions(path, f)):
        return None  # known, or known not to exist in this state (the tree lacks it): nothing is assumed
    if f is None and v.base != NO_TREE:
        # With a tree every unit is read: one the files leave out is one this state lacks (a reviewer variant lists
        # no file that only a patch it does not hold creates), as the revision's own state there says (absent).
        return None
    if f is None and (later := next((c for c in v.created_later if c[0] == path), None)) is not None:
        return _created_later(v, path, later[1], later[2])
    prefix = PR_FMT.get(path, "")
    where = "not among the variant's files" if f is None else "not in what is known of the file"
    # Said after the reports' own "assumed: ", so what is used is said as used, not "(assumed: ...)" again.
    guess = f"mainline's {prefix!r} is used" if prefix else "none is used (no prefix)"
    hint = "; give --tree" if v.base == NO_TREE else ""  # a tree that lacks it cannot say more
    return prefix, f"the pr_fmt of {path} is {where}: {guess}{hint}"


def _created_later(v: Variant, path: str, label: str, made: FileState) -> tuple[str, str]:
    """A unit this state does not hold, which a later patch of its revision creates whole: its header code runs
    there once that patch lands, with the pr_fmt that patch's file defines (no tree holds the file here to read)."""
    prefix = pr_fmt_prefix(replace(v, files=(*v.files, made), created_later=()), path)
    if not prefix:
        used = "it defines no pr_fmt there: none is used (no prefix)"
    elif prefix.startswith((UNMODELLED_PR_FMT, SCOPED_PR_FMT)):
        used = "its pr_fmt there is used"
    else:
        used = f"its pr_fmt there ({prefix!r}) is used"
    return prefix, f"the unit {path} does not exist in {v.name}: {label} creates it; {used}"


# scripts/Makefile.lib: ccflags-y applies to the folder's objects, CFLAGS_<obj>.o to one, subdir-ccflags-y to the
# folder and every folder below it; a -$(CONFIG_...) form depends on the configuration.
_DEBUG_FLAG = re.compile(r"^\s*(ccflags|subdir-ccflags|CFLAGS_([\w-]+)\.o|EXTRA_CFLAGS)(-\S+)?\s*[:+]?=.*-DDEBUG\b")


def debug_defined(v: Variant, path: str) -> str | None:
    """Where the unit defines DEBUG, or may (then pr_debug() and pr_devel() print, include/linux/printk.h,
    which the mirror refuses): its own ``#define DEBUG`` or a local header's it includes, ``-DDEBUG`` in its
    folder's Makefile (``ccflags-y``, its own ``CFLAGS_<obj>.o``) or in a folder above it
    (``subdir-ccflags-y``); a flag that depends on the configuration (``ccflags-$(CONFIG_X)``) is said as
    one that may be set. None: nothing the variant's files show defines it."""
    f = v.file(path)
    if f is not None:
        if (n := _debug_line(f)) is not None:
            return f"{path}:{n}"
        for _, header, _ in local_includes(f):
            h = v.file(header)
            if h is not None and (n := _debug_line(h)) is not None:
                return f"{header}:{n}, which {path} includes"
    folder, stem = path.rpartition("/")[0], path.rpartition("/")[2].removesuffix(".c")
    own = True
    while True:
        found = _makefile_debug(v, folder, stem, own)
        if found is not None:
            return found
        if not folder:
            return None
        folder, own = folder.rpartition("/")[0], False


def _debug_line(f: FileState) -> int | None:
    """The first line of a file that defines DEBUG, read once per file object: the states of a series share every
    file no patch between them changes (a whole .c file of the tree, read for every variant and unit)."""
    return by_identity("define DEBUG", (f,), (), lambda: min(
        (d.line for d in f.directives() if d.name == "define" and _named(d.rest, "DEBUG")), default=None)
        if any("DEBUG" in text for text, _ in f.lines.values()) else None)


def _named(rest: str, name: str) -> bool:
    """Whether a #define's or #undef's text after its name (models.cdirectives: '#def\\' then 'ine DEBUG', '# /* c */
    define DEBUG' read as gcc reads them) is of macro ``name``."""
    word = _NAME.match(rest)
    return word is not None and word.group() == name


_NAME = re.compile(r"[A-Za-z_]\w*")


def _makefile_debug(v: Variant, folder: str, stem: str, own: bool) -> str | None:
    """A -DDEBUG of ``folder``'s Makefile (or Kbuild) that reaches ``stem``.o (``own``: the object's folder)."""
    for name in ("Makefile", "Kbuild"):
        mk = v.file(f"{folder}/{name}" if folder else name)
        if mk is None:
            continue
        for frag in mk.fragments():
            for i, line in enumerate(frag.lines):
                m = _DEBUG_FLAG.match(line)
                if m is None or (not own and m.group(1) != "subdir-ccflags") \
                        or (m.group(2) is not None and m.group(2) != stem):
                    continue
                where = f"{mk.path}:{frag.start + i}"
                if m.group(3) not in (None, "-y"):
                    return f"{where} sets -DDEBUG when {m.group(3)[1:]} (the configuration decides)"
                return where
    return None


def pr_fmt_of(v: Variant, path: str) -> str:
    """pr_fmt_prefix(), and when the unit defines DEBUG the marker saying where (models.prfmt_forms.DEBUG_MARK)."""
    fmt = pr_fmt_prefix(v, path)
    debug = debug_defined(v, path)
    return fmt if debug is None else f"{fmt}{DEBUG_MARK}{debug}"


def pr_fmt_prefix(v: Variant, path: str) -> str:
    """The pr_fmt prefix a translation unit defines in this variant (the definitions of its built
    preprocessor branches, models.conditional); none for a whole file without one; the assumption of
    assumed_pr_fmt when the mail shows only parts of the file. UNMODELLED_PR_FMT and why, for a form that
    is not a prefix or for more than one definition (which one a pr_*() sees depends on where it is)."""
    assumed = assumed_pr_fmt(v, path)
    if assumed is not None:
        return assumed[0]
    f = v.file(path)
    if f is None:  # a unit a tree's state lacks: nothing of it runs, and nothing is assumed (assumed_pr_fmt)
        return PR_FMT.get(path, "")
    found = _pr_fmt_definitions(path, f)
    if not found:
        return ""
    if len({d.text for d in found}) > 1 or any(d.condition for d in found):
        where = ", ".join(d.where for d in found)
        return f"{UNMODELLED_PR_FMT}{found[0].where}: pr_fmt is defined {len(found)} times ({where}): which one a " \
               "pr_*() call sees depends on where it is"
    d, code = found[0], _code_lines(path, f)
    prefix = _definition_fmt(v, path, d)
    if prefix.startswith(UNMODELLED_PR_FMT):
        return prefix
    if (undef := _undef_in_use(path, f, code)) is not None:
        return f"{UNMODELLED_PR_FMT}{path}:{undef}: pr_fmt is #undef'd here: a pr_*() below it and above another " \
               "#define pr_fmt does not build"
    if any(n < d.line for n in code) or any(n < d.line for n in f.includes):  # '#inc\\' 'lude "h.h"' too
        # Code expanded before the definition (an included header's, the file's own above it) has printk.h's
        # default: the prefix holds from the definition on, in this file (include/linux/printk.h: #ifndef pr_fmt).
        after, before = _local_headers(v, path, f, d.line)
        return scoped_pr_fmt(path, d.line, prefix, after, before)
    return prefix


def _reach(v: Variant, paths: list[str]) -> set[str] | None:
    """Every local header these headers include, transitively (None: one of them is not known whole, so an
    include may hide in what the mail does not show)."""
    seen: set[str] = set()
    todo = list(paths)
    while todo:
        path = todo.pop()
        f = v.file(path)
        if path in seen or (f is None and v.base != NO_TREE):
            continue  # not next to the file in the tree: gcc finds it on the include paths, as for <...>
        seen.add(path)
        if f is None or not f.complete:
            return None
        todo.extend(p for _, p, _ in local_includes(f))
    return seen


def _local_headers(v: Variant, path: str, f: FileState, line: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The unit's local headers (``#include "..."``) first included before and after its pr_fmt at ``line``.

    A header first included before it expands with printk.h's default pr_fmt; one first included after it,
    with the prefix, if nothing included before can have brought it in already (include guards): every
    local header included before must be known whole to tell. ``<...>`` headers, and with a tree a quoted
    one not next to the file (harness.statefiles.with_local_headers reads those that are), come from the
    kernel's include paths, which a header next to the unit is not on. Empty when this cannot be told."""
    if not f.complete:
        return (), ()
    found = local_includes(f)
    early = _reach(v, [p for n, p, _ in found if n < line])
    if early is None:
        return (), ()
    late = _reach(v, [p for n, p, _ in found if n > line])
    return tuple(sorted((late or set()) - early)), tuple(sorted(early))


# The conditions under which a definition is the fallback idiom: taken only when pr_fmt is not defined yet.
_UNLESS_DEFINED = lazy(r"^#\s*(?:ifndef\s+pr_fmt|if\s+!\s*defined\s*\(?\s*pr_fmt\s*\)?)\s*\(")


def _header_changes(path: str, f: FileState) -> list[tuple[int, Definition | None]]:
    """A header's ``#define pr_fmt`` (the definitions of its built branches) and ``#undef pr_fmt`` (None) by line."""
    if not any("pr_fmt" in text for text, _ in f.lines.values()):
        return []  # most headers: nothing to slice (slicing may need the preprocessor, which a cached run skips)
    undefs: list[tuple[int, Definition | None]] = [(d.line, None) for d in f.directives()
                                                   if d.name == "undef" and _named(d.rest, "pr_fmt")]
    return sorted([(d.line, d) for d in _pr_fmt_definitions(path, f)] + undefs, key=lambda x: x[0])


def _definition_fmt(v: Variant, unit: str, d: Definition) -> str:
    """A header's unconditional definition as a pr_fmt (KBUILD_MODNAME is the unit's), or the refusal."""
    # Its lines spliced as gcc splices them (phase 2: nothing between, in a literal too: '"hd\\' 'r: "' is "hdr: ")
    m = _DEFINE.match("".join(line.rstrip().removesuffix("\\") for line in d.text.split("\n")))
    try:
        prefix = _prefix(v, unit, m.group(1), m.group(2)) if m is not None else None
    except EscapeError:
        prefix = None
    if prefix is None:
        return f"{UNMODELLED_PR_FMT}{d.where}: pr_fmt() is not a prefix the mirror models ({d.text.strip()})"
    return prefix


def _defines_first(v: Variant, unit: str) -> bool:
    """Whether the unit is known to define pr_fmt above every line it includes anything with."""
    f = v.file(unit)
    if f is None or not f.complete or not _pr_fmt_definitions(unit, f):
        return False
    fmt = pr_fmt_prefix(v, unit)
    return not fmt.startswith((UNMODELLED_PR_FMT, SCOPED_PR_FMT))


def _header_segments(v: Variant, unit: str, path: str, f: FileState) -> list[tuple[int, str]]:
    """(line, pr_fmt) from which each pr_fmt a header defines (or #undefs) holds in it, for a given unit: as
    the C preprocessor reads it, the latest #define above a use wins; what cannot be told is refused there."""
    segments: list[tuple[int, str]] = []
    for line, d in _header_changes(path, f):
        if d is None:
            segments.append((line, f"{UNMODELLED_PR_FMT}{path}:{line}: pr_fmt is #undef'd here: a pr_*() below it "
                                   "and above another #define pr_fmt does not build"))
        elif d.condition is None:
            segments.append((line, _definition_fmt(v, unit, d)))
        elif _UNLESS_DEFINED().match(d.condition) and not segments and _defines_first(v, unit):
            continue  # the unit defined pr_fmt before it included anything: this fallback is not taken
        else:
            why = "whether pr_fmt is defined there (by the unit, or printk.h's default) is not known" \
                if _UNLESS_DEFINED().match(d.condition) else "the condition is not decided"
            segments.append((line, f"{UNMODELLED_PR_FMT}{d.where}: pr_fmt is defined under {d.condition}: {why}"))
    return segments


def _file_pr_fmt(v: Variant, path: str, defining: dict[str, FileState]) -> str:
    """pr_fmt_of() for the code of a .c file, refused where a local header it includes defines pr_fmt too (the
    file's code below that #include would see the header's; which code that is, is not modelled)."""
    fmt = pr_fmt_of(v, path)
    f = v.file(path)
    reach = _reach(v, [p for _, p, _ in local_includes(f)]) if f is not None and f.complete else None
    shadowing = sorted(h for h in (reach or set()) & defining.keys() if _header_segments(v, path, h, defining[h]))
    if shadowing:
        _, debug = split_debug(fmt)
        refusal = f"{UNMODELLED_PR_FMT}{path}: pr_fmt is also defined in {shadowing[0]}, which it includes: " \
                  "which definition a pr_*() call sees depends on where it is"
        return refusal if debug is None else f"{refusal}{DEBUG_MARK}{debug}"
    return fmt


def run_pr_fmt(v: Variant, unit: str, reach: frozenset[str] | None = None) -> str:
    """_run_pr_fmt, once per variant, unit and reach: the runner plans each code group's runs with it, and value
    coverage (harness.valuecover) asks it again for every lane it compares, with a filled cache too."""
    return by_identity("run-pr-fmt", (v,), (unit, reach), lambda: _run_pr_fmt(v, unit, reach))


def _run_pr_fmt(v: Variant, unit: str, reach: frozenset[str] | None) -> str:
    """The pr_fmt of a run in translation unit ``unit`` (models.prfmt_site's per-file form when more than one
    applies): a function of another .c file was compiled in that file's unit, so its pr_*() have that file's
    pr_fmt (refused when only parts of it are known: it would be an assumption the report does not state);
    code of a header below its own ``#define pr_fmt`` has that one; the rest has the unit's (pr_fmt_of).
    ``reach``: the files the run's code is in (models.loader.entry_files); another .c file's pr_fmt cannot
    matter, and left out it does not set apart runs of the same code (code groups, harness.runner)."""
    # A tree's .c file whose out-of-line function the state's code calls (harness.unitdefs) was compiled in its own
    # unit, with its own pr_fmt, as the state's other .c files were.
    tree_c = tuple(h.state for h in v.headers.headers if h.state.path.endswith(".c") and v.file(h.state.path) is None)
    v = replace(v, files=(*v.files, *tree_c)) if tree_c else v
    # Every header that defines pr_fmt: one the unit includes sets its code's prefix without holding any.
    # Of its C files (Variant.c_files, picked once per variant: this is asked twice per state of a series).
    defining = {f.path: f for f in v.c_files if f.path.endswith(".h") and not f.absent and _header_changes(f.path, f)}
    files = {path: _marked_segments(v, unit, path, f) for path, f in defining.items()}
    units: dict[str, dict[str, list[tuple[int, str]]]] = {}
    for f in v.c_files:
        if f.path.endswith(".c") and f.path != unit and not f.absent and (reach is None or f.path in reach):
            assumed = assumed_pr_fmt(v, f.path)
            fmt = _file_pr_fmt(v, f.path, defining) if assumed is None else \
                f"{UNMODELLED_PR_FMT}{f.path}: a function of it runs in unit {unit}'s scenario, and {assumed[1]}"
            files[f.path] = [(0, fmt)]
            # A header's code called from this file's code was compiled in its unit (models.prfmt_site).
            own = {path: _marked_segments(v, f.path, path, h) for path, h in defining.items()}
            units[f.path] = {path: seg for path, seg in own.items() if seg != files[path]}
    files[unit] = _own_segments(v, unit, defining)
    return per_file_pr_fmt(_file_pr_fmt(v, unit, defining), {p: s for p, s in files.items() if s}, unit,
                           {c: seg for c, seg in units.items() if seg})


def _own_segments(v: Variant, unit: str, defining: dict[str, FileState]) -> list[tuple[int, str]]:
    """(line, pr_fmt) for the unit's own code when it defines pr_fmt more than once or #undefs it, unconditionally:
    code above the first #define has printk.h's default (none), below each the latest (a pr_*() between an #undef
    and the next #define is refused: it does not build). Empty (pr_fmt_prefix's whole-file answer, or its refusal,
    stands) otherwise, or where a local header it includes defines pr_fmt too (which one code below that #include
    sees is not modelled). Header code without its own keeps the unit's refusal: where it is included decides."""
    f = v.file(unit)
    if f is None or f.absent or not f.complete:
        return []
    found = _pr_fmt_definitions(unit, f)
    changes = _header_changes(unit, f)
    if (len({d.text for d in found}) < 2 and len(changes) == len(found)) or any(d.condition for d in found):
        return []
    reach = _reach(v, [p for _, p, _ in local_includes(f)])
    if reach is None or reach & defining.keys():
        return []
    debug = split_debug(pr_fmt_of(v, unit))[1]
    return [(0, "" if debug is None else f"{DEBUG_MARK}{debug}"), *_marked_segments(v, unit, unit, f)]


def _marked_segments(v: Variant, unit: str, path: str, f: FileState) -> list[tuple[int, str]]:
    """_header_segments with the unit's DEBUG marker (models.prfmt_forms.DEBUG_MARK) on each."""
    debug = split_debug(pr_fmt_of(v, unit))[1]
    mark = "" if debug is None else f"{DEBUG_MARK}{debug}"
    return [(line, fmt + mark) for line, fmt in _header_segments(v, unit, path, f)]

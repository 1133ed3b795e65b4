"""The variant's own text as translation units for gcc: its preprocessor and parser read it, not the mirror's."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from models.cdirectives import directives
from models.ctype import VOID, CType
from models.native.argslayout import ARGS_REGS, layout_assert, layout_why
from models.native.codegen import c_string, leaf_registration
from models.native.declared import object_storage
from models.native.linktu import linked_file
from models.native.rawprelude import raw_prelude
from models.native.run import NativeError
from models.record import record
from models.slicer import Kind, slice_fragment

PRELUDE_H = "__sh_prelude.h"
TU_C = "__sh_tu.c"
STUB = f'#include "{PRELUDE_H}"\n'
MAX_STUBS = 64  # headers missing after gcc -M -MG: found one compile at a time, then given up
# A byte of a variant's file that is not UTF-8 is held as a lone surrogate: gcc is given the byte itself.
BYTES = "surrogateescape"
MAX_LEFT_OUT = 16  # functions gcc refuses that are blanked before the unit is given up
# kbuild's include path (scripts/Makefile.lib, arch/x86/Makefile), under the written tree; -nostdinc as kbuild
# builds, so that <linux/types.h> is never the C library's userspace header.
INCLUDE_DIRS = ("arch/x86/include", "arch/x86/include/generated", "include", "arch/x86/include/uapi",
                "include/uapi")
# The kernel's own -Werror= set (top-level Makefile): what the kernel's build refuses, gcc refuses here.
RAW_CFLAGS = ("-shared", "-fPIC", "-O1", "-std=gnu11", "-fwrapv", "-fno-strict-aliasing", "-funsigned-char",
              "-fgnu89-inline", "-nostdinc", "-D__KERNEL__", "-Werror=implicit-function-declaration",
              "-Werror=implicit-int", "-Werror=return-type", "-Werror=incompatible-pointer-types", "-Werror=date-time",
              "-Werror=designated-init", "-Wl,-z,defs")
_ERROR = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?:\d+:)? (?:fatal )?error: (?P<msg>.*)$", re.MULTILINE)
# gcc's notes after an error in a macro's body, innermost first, down to the line that used the macro (c-family
# diagnostics, "in expansion of macro"; "in definition of macro" for an argument spelt in a macro's body).
_NOTE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?:\d+:)? (?P<kind>(?:fatal )?error|warning|note): (?P<msg>.*)$",
                   re.MULTILINE)
_MACRO_NOTE = re.compile(r"in (?:expansion|definition) of macro ")
_MISSING = re.compile(r"fatal error: (\S+): No such file or directory")
_LD = re.compile(r"(undefined reference to [`'][^`'\n]+'|multiple definition of [`'][^`'\n]+')")
_CALLED = re.compile(r"function [‘'`]([A-Za-z_]\w*)[’'`]|[‘'`]([A-Za-z_]\w*)[’'`] undeclared")
@record
class RawEntry:
    """An entry point of a raw unit: its name, what each parameter is fed (models.loader.FEED_EXPRESSIONS'
    C), and the type the mirror gives its call (void or an integer; the native run reports gcc's)."""

    name: str
    call_args: tuple[str, ...]
    ret_type: CType

    @property
    def wrapper(self) -> str:
        return f"__sh_raw_{self.name}"


@record
class RawUnit:
    """One translation unit of the variant's text: ``files`` (path -> complete text) written as a tree, the
    .c file compiled (``main``) or, for a unit the variant does not hold whole, ``header`` included after the
    unit's ``pr_fmt_line``; per-CPU variables no file declares (the mirror's u64) and file-scope integers."""

    files: tuple[tuple[str, str], ...]
    entries: tuple[RawEntry, ...]
    main: str | None = None
    header: str | None = None
    pr_fmt_line: str | None = None
    modname: str | None = None
    undeclared_percpu: tuple[str, ...] = ()
    state_vars: tuple[tuple[str, str], ...] = ()  # (name, path of its definition)
    lock_vars: tuple[tuple[str, str], ...] = ()  # file-scope locks: (name, path of its definition)
    undeclared_locks: tuple[str, ...] = ()  # locks named by a file-scope name no file declares
    layout: tuple[str, ...] = ARGS_REGS  # struct tdx_module_args's members as the mirror reads them (argslayout)
    # Objects the files only declare (extern, DECLARE_PER_CPU()), defined in no file: (name, path of the declaration)
    declared_only: tuple[tuple[str, str], ...] = ()
    incomplete: tuple[str, ...] = ()  # those of a struct type never defined (codegen.object_storage)
    key_vars: tuple[tuple[str, str, str], ...] = ()  # static keys: (C name, its count's C path, path)
    defines: tuple[tuple[str, str], ...] = ()  # kbuild's -D for every file, as the mirror applies them (kbuilddefs)
    percpu_leaves: tuple[tuple[str, str], ...] = ()  # per-CPU leaves watched (models.percpuwatch): (C path, path)


@dataclass
class RawBuild:
    """What gcc built of a unit: the library, or why not; entries left out and functions blanked, with gcc's
    error; the headers no file of the variant provides (each an empty stand-in that brings the prelude)."""

    lib: Path | None = None
    error: str | None = None
    left_out: dict[str, str] = field(default_factory=dict)  # entry -> why
    blanked: dict[str, str] = field(default_factory=dict)  # function -> gcc's error
    stubs: list[str] = field(default_factory=list)
    state: list[str] = field(default_factory=list)  # the file-scope integers sh_state() reports


def _wrapper(e: RawEntry) -> str:
    """The entry's wrapper: gcc decides the call's type, reported with its value (sh_result_int)."""
    call = f"{e.name}({', '.join(e.call_args)})"
    if e.ret_type == VOID:
        return (f"void {e.wrapper}(u64 __sh_fn, struct tdx_module_args *__sh_args)\n{{\n"
                f"\t_Static_assert(__builtin_types_compatible_p(__typeof__({call}), void), "
                f'"{e.name}() is not void, as the mirror has it");\n\t{call};\n\tsh_result_void();\n}}\n')
    return (f"void {e.wrapper}(u64 __sh_fn, struct tdx_module_args *__sh_args)\n{{\n\t__auto_type __sh_r = {call};\n"
            "\tsh_result_int((long long)__sh_r, (__typeof__(__sh_r))-1 < 0, (int)sizeof(__sh_r) * 8, SH_HIGH(__sh_r));"
            "\n}\n")


def tu_text(unit: RawUnit, entries: Iterable[RawEntry], state: Iterable[str] = (),
            locks: Iterable[str] = (), declared: Iterable[str] = (), linked: int = 0,
            keys: Iterable[tuple[str, str]] = (), leaves: Iterable[str] = ()) -> tuple[str, dict[int, str]]:
    """The unit's main file, and the entry each wrapper's lines belong to (a gcc error there is that entry's);
    sh_state() reports ``state`` and registers the file-scope ``locks`` (sh_lock_name()), and those of the ``linked``
    other files (_link_tu()), and hands it the count of each of ``keys`` (name, C path: sh_static_key()) and the
    per-CPU ``leaves`` (sh_percpu_leaf()); each of ``declared`` (declared by the files the unit reads, defined in
    none) gets an object."""
    if unit.main is not None:  # a .c file of the variant: the prelude comes in with its first kernel header
        head = [f'#include "tree/{unit.main}"', f'#include "{PRELUDE_H}"']
    else:  # the unit's pr_fmt, the kernel headers it would include first (the prelude), then the header
        head = [unit.pr_fmt_line or "", f'#include "{PRELUDE_H}"', f'#include "tree/{unit.header}"']
    lines = "\n".join(head).split("\n")
    # The file that defines such an object is not the mirror's, so no library links it, and a library that needs
    # it does not load (every run a spurious disagreement): a tentative definition of its declared type (C11
    # 6.9.2) gives it storage. Whatever value it held is the mirror's to refuse (models.storage), never compared.
    lines.extend(object_storage(n, n in unit.incomplete) for n in declared)
    # gcc checks that the struct tdx_module_args the unit sees is the mirror's layout (the child process passes
    # that), or the unit is refused with layout_why().
    lines.append(layout_assert(unit.layout, "layout"))
    owners: dict[int, str] = {len(lines): ""}  # "": the layout check, whose error is the unit's
    for e in entries:
        for part in _wrapper(e).rstrip("\n").split("\n"):
            lines.append(part)
            owners[len(lines)] = e.name
    body = "".join(f"\tsh_state_int({c_string(n)}, (long long){n}, (__typeof__({n}))-1 < 0, (int)sizeof({n}) * 8, "
                   f"SH_HIGH({n}));\n" for n in state)
    body += "".join(f"\tsh_lock_global({c_string(n)}, &{n});\n" for n in locks)
    body += "".join(f"\tsh_static_key({c_string(n)}, &{count});\n" for n, count in keys)  # set before a run
    body += "".join(f"\t{leaf_registration(path)}\n" for path in leaves)
    body += "".join(f"\t{_LINK_STATE}{n}();\n" for n in range(linked))
    lines.extend(f"void {_LINK_STATE}{n}(void);" for n in range(linked))
    lines.append("void sh_state(void)\n{\n" + body + "}")
    return "\n".join(lines) + "\n", owners


def _cmd(cc: str, work: Path, unit: RawUnit, out: list[str], linked: Iterable[str] = ()) -> list[str]:
    """gcc's command for the unit; ``linked``: the variant's other .c files it is linked with (linktu.linked_file), each
    its own translation unit (KBUILD_BASENAME is the unit's: one command builds them all)."""
    defines = [f"-DKBUILD_MODNAME={c_string(unit.modname)}"] if unit.modname else []
    defines += [f"-D{name}={body}" for name, body in unit.defines]
    if unit.main is not None:
        defines.append("-DKBUILD_BASENAME=" + c_string(Path(unit.main).stem.replace("-", "_").replace(",", "_")))
    includes = [arg for d in INCLUDE_DIRS for arg in ("-I", str(work / "tree" / d))]
    base = [cc, *RAW_CFLAGS, f"-fmacro-prefix-map={work / 'tree'}/=", *defines, *includes, "-I", str(work / "stubs"),
            "-I", str(work)]
    return [*base, *out, str(work / TU_C), *(str(_link_tu(base, work, n, path, unit)) for n, path in enumerate(linked))]


_LINK_STATE = "__sh_state_link_"  # a linked file's registration of its locks, which the unit's sh_state() calls


def _link_tu(base: list[str], work: Path, n: int, path: str, unit: RawUnit) -> Path:
    """The wrapper that compiles the variant's .c file ``path`` as a translation unit of its own, as the main one is
    (the prelude with its first kernel header, else after it), and registers the locks of its file-scope objects
    (the unit's own sh_state() cannot name one it only declares, or a static one), so that a lock another unit
    defines (``extern struct mutex m`` in a header) is that lock, taken as initialised as the mirror takes it; and
    hands sh_static_key() the count of each static key it has (unit.key_vars): its own, and its copy of a header's
    that gcc -M shows it reads, which the unit's sh_state() cannot reach (a script's static_keys_on: models.statickeys;
    the mirror sets each unit's copy). ``base``: gcc's command up to its outputs and files (_cmd)."""
    tu = work / f"__sh_link_{n}.c"
    head = f'#include "tree/{path}"\n#include "{PRELUDE_H}"\nvoid {_LINK_STATE}{n}(void);\n'
    tu.write_text(head, encoding="utf-8", errors=BYTES)
    deps = _run([*base, "-M", "-MG", str(tu)]).stdout.replace("\\\n", " ").partition(":")[2].split()
    reads = {d.removeprefix(str(work / "tree") + "/") for d in deps}
    body = "".join(f"\tsh_lock_global({c_string(name)}, &{name});\n" for name, where in unit.lock_vars
                   if where == path)
    body += "".join(f"\tsh_static_key({c_string(name)}, &{count});\n" for name, count, where in unit.key_vars
                    if where == path or (where in reads and not where.endswith(".c")))
    tu.write_text(f"{head}void {_LINK_STATE}{n}(void)\n{{\n{body}}}\n", encoding="utf-8", errors=BYTES)
    return tu


# What one gcc run of a variant's text may take: its #include can name any file of this machine (/dev/zero took
# 19 GB in 120 s; /dev/stdin and /dev/tty waited for the user). A kernel unit takes some hundreds of megabytes.
GCC_MEMORY = 2 << 30


# Bounded memory and no core file, set in gcc's process by the shell it starts as, before it becomes gcc (exec,
# the same process): a preexec_fn setting them would make Python fork() this whole process rather than vfork() it,
# milliseconds of CPU per hundred MB it holds (and its pages copied on write after) for every gcc run.
_LIMITED = ("/bin/sh", "-c", f'ulimit -v {GCC_MEMORY >> 10} && ulimit -c 0 && exec "$@"', "sh")


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        # No stdin and no terminal (a new session): what gcc reads is the files written, never the user's input.
        return subprocess.run([*_LIMITED, *cmd], capture_output=True, text=True, timeout=120, close_fds=True,
                              check=False, stdin=subprocess.DEVNULL, start_new_session=True)
    except subprocess.TimeoutExpired as exc:
        raise NativeError("", "the C compiler did not finish in 120 s") from exc


def write_unit(unit: RawUnit, work: Path) -> None:
    """The tree of the unit's files, its prelude and an empty stubs folder, under ``work``."""
    for path, text in unit.files:
        (work / "tree" / path).parent.mkdir(parents=True, exist_ok=True)
        (work / "tree" / path).write_text(text, encoding="utf-8", errors=BYTES)
    (work / "stubs").mkdir(exist_ok=True)
    (work / PRELUDE_H).write_text(raw_prelude(unit))


def _read_files(cc: str, work: Path, unit: RawUnit, build: RawBuild) -> set[str]:
    """gcc -M -MG: the headers none of the files provide get a stand-in (the prelude); the tree's files read."""
    if (why := _outside_tree(None, unit)) is not None:
        build.error = why
        return set()
    (work / TU_C).write_text(tu_text(unit, ())[0], encoding="utf-8", errors=BYTES)
    proc = _run(_cmd(cc, work, unit, ["-M", "-MG"]))
    deps = proc.stdout.replace("\\\n", " ").partition(":")[2].split()
    tree = str(work / "tree") + "/"
    outside = (d for d in map(os.path.normpath, deps) if d.startswith("/") and not d.startswith(f"{work}/"))
    if (path := next(outside, None)) is not None:
        build.error = _outside_tree(path, unit)
        return set()
    for dep in deps:
        if not dep.startswith("/"):
            _stub(work, dep, build)
    return {d.removeprefix(tree) for d in deps if d.startswith(tree)}


def _outside_tree(path: str | None, unit: RawUnit) -> str | None:
    """Why a unit whose #include names ``path`` (None: any absolute name), a file of this machine outside the
    variant's tree (an absolute name, or ``..`` past its top), is not built: gcc would read it (/dev/zero without
    end, /dev/stdin from the user) and print it (/etc/passwd, /proc/self/environ) into the report. Said at the
    first #include line naming it; None when no line names an absolute one (``path`` None)."""
    for file, text in unit.files:  # each #include as gcc reads it: '#inc\\' then 'lude "/dev/zero"' too
        for d in directives([(1, text.split("\n"))]):
            got = d.included()
            if got is not None and got[0] and (got[1].startswith("/") if path is None
                                               else path.rsplit("/", 1)[-1] in got[1]):
                return f"{file}:{d.line}: #include of {path or got[1]}, outside the variant's tree: not built (gcc " \
                       "would read this machine's file)"
    if path is None:
        return None
    return f"an #include reaches {path}, outside the variant's tree: not built (gcc would read this machine's file)"




def _stub(work: Path, name: str, build: RawBuild) -> None:
    target = work / "stubs" / name
    if ".." in Path(name).parts or target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(STUB)
    build.stubs.append(name)


# The harness's object by compiler and sources: one build per process, not one per cross-check (a fifth of a CPU
# second each; the tests cross-check hundreds of small programs).
_OBJECTS: dict[tuple[str, ...], bytes] = {}


def native_object(cc: str, work: Path) -> Path:
    """The harness (sh_native.c, with the C library's headers) compiled once into an object in ``work``."""
    native = resources.files("models.native")
    texts = tuple(native.joinpath(name).read_text() for name in ("sh_native.h", "sh_native.c"))
    for name, text in zip(("sh_native.h", "sh_native.c"), texts, strict=True):
        (work / name).write_text(text)
    obj = work / "sh_native.o"
    key = (cc, *texts)
    if key in _OBJECTS:
        obj.write_bytes(_OBJECTS[key])
        return obj
    proc = _run([cc, "-c", "-fPIC", "-O1", "-std=gnu11", "-w", "-o", str(obj), str(work / "sh_native.c")])
    if proc.returncode != 0 or not obj.is_file():
        # Named by the option: the file built is seamharness's own, in a folder removed before the error is shown.
        said = proc.stderr.strip()[:300] or f"exit status {proc.returncode}, nothing on stderr"
        raise NativeError(f"--cc {cc}", f"the native harness (models/native/sh_native.c) does not build: {said}")
    _OBJECTS[key] = obj.read_bytes()
    return obj


def build_unit(unit: RawUnit, cc: str, work: Path, native_o: Path) -> RawBuild:
    """Compile the unit into a shared library in ``work``; a function of the files gcc refuses is blanked with
    its error (its lines left empty, every other line keeps its number) and an entry gcc cannot build is left
    out with its error, so that the rest is built; a gcc error anywhere else fails the unit."""
    build = RawBuild()
    write_unit(unit, work)
    read = _read_files(cc, work, unit, build)
    if build.error:
        return build
    state = build.state = [n for n, path in unit.state_vars if path in read]
    locks = [n for n, path in unit.lock_vars if path in read]
    keys = [(n, count) for n, count, path in unit.key_vars if path in read]
    declared = [n for n, path in unit.declared_only if path in read]
    leaves = [n for n, path in unit.percpu_leaves if path in read]
    entries = list(unit.entries)
    linked: list[str] = []  # the variant's other .c files linked in (a helper moved out of line into one)
    for _ in range(MAX_STUBS + MAX_LEFT_OUT + len(unit.entries) + len(unit.files) + 1):
        text, owners = tu_text(unit, entries, state, locks, declared, len(linked), keys, leaves)
        (work / TU_C).write_text(text, encoding="utf-8", errors=BYTES)
        lib = work / "raw.so"
        proc = _run(_cmd(cc, work, unit, ["-o", str(lib), str(native_o)], linked))
        if proc.returncode == 0 and lib.is_file() and lib.stat().st_size:
            build.lib = lib
            return build
        if (other := linked_file(unit.files, unit.main, proc.stderr, linked)) is not None:
            linked.append(other)
            continue
        why = _next_step(proc.stderr, work, unit, entries, owners, build)
        if why is not None:
            build.error = why
            return build
        if not entries:
            build.error = "gcc builds none of the unit's entry points"
            return build
    build.error = "gcc's errors did not converge"
    return build


def _next_step(stderr: str, work: Path, unit: RawUnit, entries: list[RawEntry], owners: dict[int, str],
               build: RawBuild) -> str | None:
    """Act on gcc's first error (a stand-in for a missing header, an entry left out, a function blanked); the
    unit's error when there is nothing to act on."""
    missing = _MISSING.search(stderr)
    if missing and len(build.stubs) < MAX_STUBS and not (work / "stubs" / missing.group(1)).exists():
        _stub(work, missing.group(1), build)
        return None
    m = _ERROR.search(stderr)
    if m is None:
        # The linker's own line names what it lacks; gcc's last one, 'collect2: error: ld returned 1 exit status',
        # says nothing of it.
        ld = _LD.search(stderr)
        if ld is not None:
            return f"ld: {ld.group(1)}"
        first = next((ln for ln in stderr.splitlines() if "error" in ln), stderr.strip()[:300])
        return first.replace(str(work) + "/", "") or "the C compiler failed and said nothing"
    path, line, msg = m.group("path"), int(m.group("line")), m.group("msg")
    where = f"{_short(path, work)}:{line}"
    if path.endswith(TU_C) and owners.get(line) == "":
        return f"{layout_why(unit.layout)} (gcc: {msg})"
    # An error in a macro's body is the error of the line that used the macro: try the outermost expansion first.
    for site, site_line, note in [*reversed(_expansions(stderr, m.end())), (path, line, "")]:
        used = f"; {_short(site, work)}:{site_line}: {note}" if note else ""
        if site.endswith(TU_C) and owners.get(site_line):
            name = owners[site_line]
            entries[:] = [e for e in entries if e.name != name]
            build.left_out[name] = _blame(msg, build.blanked, name) or (
                f"gcc: {where}: error: {msg}{used}" if note else f"gcc: {msg}")
            return None
        if _blank_at(work, site, site_line, f"{where}: error: {_blame(msg, build.blanked) or msg}{used}", build):
            return None
    # An error in no function (a file-scope static_assert) fails the unit: gcc's notes keep the line that used
    # the macro, which is where the mirror refuses it too (harness.crossrefuse).
    used = "".join(f"; {_short(site, work)}:{n}: {note}" for site, n, note in _expansions(stderr, m.end())[-1:])
    return f"{where}: error: {msg}{used}"


def _short(path: str, work: Path) -> str:
    """A path gcc printed, as the variant names it (or the harness's file name)."""
    return path.replace(str(work / "tree") + "/", "").replace(str(work) + "/", "")


def _expansions(stderr: str, start: int) -> list[tuple[str, int, str]]:
    """(path, line, note) of each macro expansion gcc's notes give for the error that ends at ``start``,
    innermost first: the notes that follow it up to its next diagnostic of another kind."""
    out = []
    for n in _NOTE.finditer(stderr, start):
        if n.group("kind") != "note" or not _MACRO_NOTE.match(n.group("msg")):
            break
        out.append((n.group("path"), int(n.group("line")), n.group("msg")))
    return out


def _blank_at(work: Path, path: str, line: int, why: str, build: RawBuild) -> bool:
    """Blank the function of the variant's files that holds ``path``:``line``, with ``why``; whether one was."""
    tree = str(work / "tree") + "/"
    if not path.startswith(tree) or len(build.blanked) >= MAX_LEFT_OUT:
        return False
    function = _blank_function(work / "tree" / path.removeprefix(tree), line, path.removeprefix(tree))
    if function is None or function in build.blanked:
        return False
    build.blanked[function] = why
    return True


def _blame(msg: str, blanked: dict[str, str], entry: str = "") -> str | None:
    """gcc's complaint about a name it no longer has, said as the error that made it blank that function."""
    m = _CALLED.search(msg)
    name = (m.group(1) or m.group(2)) if m else None
    if name not in blanked:
        return None
    if name == entry:
        return f"gcc refuses it: {blanked[name]}"
    return f"needs {name}(), which gcc refuses: {blanked[name]}"


def _blank_function(file: Path, line: int, path: str) -> str | None:
    """Blank the function definition of ``file`` that holds ``line`` (its lines empty but for preprocessor
    directives, so that every other line and every macro is as written); its name, or None."""
    lines = file.read_text(encoding="utf-8", errors=BYTES).split("\n")
    for d in slice_fragment(lines, path, 1):
        last = d.line + d.text.count("\n")
        if d.kind is Kind.FUNCTION and d.line <= line <= last:
            for n in range(d.line - 1, min(last, len(lines))):
                if not lines[n].lstrip().startswith(("#", "%:")):
                    lines[n] = ""
            file.write_text("\n".join(lines), encoding="utf-8", errors=BYTES)
            return d.name
    return None

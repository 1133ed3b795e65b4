"""Options checked before any work: contradictions, missing folders and outputs, each refused in one line.

Every check raises UsageError naming the option as the user wrote it (number_in_range a ValueError click
words); harness/cli.py calls them before reading any input, so a typo costs no time and writes nothing.
"""

from __future__ import annotations

import difflib
import errno
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from harness.atomic import STDOUT, Output, OutputKind, check_folder_writable, resolve_output
from harness.errors import UsageError, os_reason
from harness.mailpaths import iter_files, missing_reason
from harness.special import refusal


def check_tree(tree: Path | None, base: str | None) -> None:
    """``--base`` needs ``--tree``; ``--tree`` must be an existing folder, and git a program found (git decides the
    rest)."""
    if base is not None and tree is None:
        raise UsageError(None, "--base needs --tree")
    if tree is None:
        return
    if not tree.exists():
        raise UsageError(f"--tree {tree}", "no such directory")
    if not tree.is_dir():
        raise UsageError(f"--tree {tree}", "not a directory")
    # GitPython, which reads the tree, fails at import without git: said here, an environment's, not a bug of ours
    import shutil

    if shutil.which(os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git") is None:
        raise UsageError(f"--tree {tree}", "reading a git tree needs git, which is not on PATH (nor named by "
                                           "GIT_PYTHON_GIT_EXECUTABLE)")


def check_variants(names: Sequence[str], against: str | None = None) -> None:
    """No ``--variant`` twice; ``--against`` not the only one."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise UsageError(None, f"--variant {name} is given twice")
        seen.add(name)
    if against is not None and list(names) == [against]:
        raise UsageError(None, f"--against {against} is the only variant evaluated: nothing to compare it with")
    # An --against not among the --variant names is said once the input is read (harness.pipeline.evaluate):
    # first whether the input has such a variant at all (with did-you-mean), then to add it.


def against_not_evaluated(against: str, names: Sequence[str]) -> UsageError:
    return UsageError(None, f"--against {against} is not among the variants evaluated (--variant {' '.join(names)}): "
                            f"add --variant {against} (--against names the one variant of those evaluated that the "
                            f"others are compared with; it evaluates none)")


def check_once(args: Sequence[str], single: Iterable[Sequence[str]], valued: Iterable[str]) -> None:
    """No option that takes one value given twice: click keeps the last without a word, so ``gate --variant v3
    --variant v2`` would judge v2 alone and ``--json a --json b`` write b alone. ``single`` holds each such
    option's names, ``valued`` every option that takes a value (its value is never read as an option)."""
    first = {name: names[0] for names in single for name in names}
    takes_value = set(valued)
    seen: dict[str, str] = {}
    rest = iter(args)
    for token in rest:
        if token == "--":
            return
        name, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if name in takes_value and not eq:
            value = next(rest, "")
        key = first.get(name)
        if key is None:
            continue
        if key in seen:
            raise UsageError(None, f"{key} is given twice ({seen[key]!r} and {value!r}); it takes one value")
        seen[key] = value


# How alike (difflib's ratio of the names without their dashes) a misspelt name must be to a known one to be
# suggested: git's help.c suggests a command only under its similarity floor, never "the nearest" whatever it is.
# 0.75 keeps a slip of a letter or two (--jbos: --jobs, evil: eval) and leaves out --bogus: --base (0.44),
# --force: --source (0.73), --quiet: --junit (0.6), which click's 0.6 over the whole names with "--" offered.
NEAR = 0.75


def near_names(word: str, known: Iterable[str]) -> list[str]:
    """The known names (``--jobs``, ``eval``) a misspelt ``word`` is likely meant as: those it begins, holds
    whole ``-``-separated words of (``--cache``: ``--cache-dir``, ``--no-cache``), or that begin it (``--output``:
    ``--out``); else the closest by difflib's ratio, ties kept, when at least NEAR; else none."""
    names = list(dict.fromkeys(known))

    def bare(name: str) -> str:
        return name.lstrip("-").lower().replace("_", "-")

    w = bare(word)
    if not w:
        return []
    words = {n: bare(n) for n in names}
    fits = [n for n, b in words.items()
            if (len(w) >= 2 and b.startswith(w)) or (len(b) >= 3 and w.startswith(b))
            or f"-{w}-" in f"-{b}-"]
    if fits:
        return fits
    score = {n: difflib.SequenceMatcher(None, w, b).ratio() for n, b in words.items()}
    best = max(score.values(), default=0.0)
    return [n for n in names if score[n] == best] if best >= NEAR else []


# Command names people reach for by the task, which a command of another name does: a 'did you mean' by spelling
# finds nothing for them ('seamharness compare' said only "no such command 'compare'"), so the command is named.
_TASKS = {
    "compare": ("to compare variants", "eval INPUT --variant A --variant B --against A"),
    "diff": ("to compare variants", "eval INPUT --variant A --variant B --against A"),
    "check": ("to judge a variant against review rules", "gate INPUT --variant NAME"),
    "verify": ("to judge a variant against review rules", "gate INPUT --variant NAME"),
    "ci": ("to judge a variant against review rules", "gate INPUT --variant NAME"),
    "report": ("for the reports", "eval INPUT --html report.html --json report.json"),
    "run": ("to run the matrix", "eval INPUT"),
    "list": ("to list revisions, patches and variants", "series INPUT"),
    "show": ("to list revisions, patches and variants", "series INPUT"),
    "download": ("to download a thread", "fetch MSGID"),
    # git's and go's 'help' command: seamharness's help is an option (a bare 'seamharness' prints it too).
    "help": ("for the commands", "--help; a command's options: seamharness COMMAND --help"),
}


def command_hint(word: str, known: Iterable[str], options: Iterable[str] = ()) -> str:
    """What follows "no such command 'WORD'": the commands (``known``: those --help lists) it is a misspelling of,
    else the command doing the task it names (`` (to compare variants: seamharness eval INPUT ... --against A)``),
    else the top level's ``options`` it is a misspelling of (``versio``: `` (did you mean --version?)``), else
    nothing."""
    near = did_you_mean(near_names(word, known), True)
    task = _TASKS.get(word.lower())
    if near:
        return near
    if task is not None:
        return f" ({task[0]}: seamharness {task[1]})"
    return did_you_mean(near_names(word, options))


def did_you_mean(names: Sequence[str], quote: bool = False) -> str:
    """`` (did you mean --jobs?)``, `` (did you mean 'a' or 'b'?)``, or nothing for no names."""
    shown = [repr(n) if quote else n for n in names]
    if not shown:
        return ""
    return f" (did you mean {', '.join(shown[:-1]) + ' or ' if len(shown) > 1 else ''}{shown[-1]}?)"


def check_needs(pairs: Iterable[tuple[str, bool, str, bool]]) -> None:
    """(option, given, needed option, given): an option that only makes sense with another one."""
    for option, given, needed, has in pairs:
        if given and not has:
            raise UsageError(None, f"{option} needs {needed}")


def check_choice(option: str, value: str, choices: Sequence[str]) -> str:
    """A value that must be one of a few names; the error lists them."""
    if value not in choices:
        raise UsageError(None, f"{option} {value!r} is not one of: {', '.join(choices)}")
    return value


def number_in_range(value: str, kind: type, low: float | None, high: float | None) -> Any:
    """An option's value as ``kind`` (int or float; str is returned as it is) within [low, high]; ValueError
    with the line click prints after "Invalid value for '--jobs':" when it is not one."""
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a{'n' if kind is int else ''} {kind.__name__}") from None
    if kind is float and not math.isfinite(number):  # nan compares false with every limit: no limit at all
        raise ValueError(f"{value!r} is not a finite number")
    if low is not None and number < low:
        raise ValueError(f"{value} is below the minimum {low}")
    if high is not None and number > high:
        raise ValueError(f"{value} is above the maximum {high}")
    return number


def file_value(value: str) -> str:
    """A FILE option's value as given: one ending in '/' names a directory (cp, touch and cat refuse it), which
    pathlib would drop, writing or reading the file without it. ValueError with click's line when it does."""
    if value.endswith("/"):
        raise ValueError(f"{value!r} ends in '/', which names a directory: give a file")
    return value


def check_option_files(named: Iterable[tuple[str, Path | None]]) -> None:
    """A file an option names for the command to read (--matrix, --rules, --manifest) must open for reading; one
    that does not, or is a named FIFO, device or socket (harness.special), is refused naming the option, before any
    input is read or fetched. Raises UsageError."""
    for option, path in named:
        if path is None:
            continue
        try:
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            why = refusal(path)  # opened below without waiting, but read later it would wait for ever
            if why is not None:
                raise UsageError(f"{option} {path}", why)
            os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))  # a FIFO opens without waiting for a writer
        except OSError as exc:
            why = missing_reason(path) if exc.errno == errno.ENOENT else os_reason(exc)
            raise UsageError(f"{option} {path}", f"cannot read: {why}") from exc


def check_exclusive(pairs: Iterable[tuple[str, bool]]) -> None:
    """At most one of these options."""
    given = [name for name, on in pairs if on]
    if len(given) > 1:
        raise UsageError(None, f"{' and '.join(given)} cannot be used together")


def resolve_outputs(named: Iterable[tuple[str, Path | str | None]],
                    inputs: Iterable[Path | str | None] = ()) -> dict[str, Output]:
    """Every output option resolved (harness.atomic.resolve_output): ``-`` (stdout) at most once, no file twice,
    none over a file the command reads (``inputs``: the files and folders given, the option files), which it
    would destroy. Raises UsageError."""
    outs = {option: resolve_output(path, option) for option, path in named if path is not None}
    for o in outs.values():
        read = _read_by(o.path, [*inputs, _BUNDLED]) if o.path is not None and o.path.is_file() else None
        if read is not None:
            raise UsageError(o.label, f"this command reads it ({read}): writing the report there would overwrite it")
    to_stdout = [o.label for o in outs.values() if o.kind is OutputKind.STDOUT]
    if len(to_stdout) > 1:
        raise UsageError(None, f"{' and '.join(to_stdout)}: only one output may go to stdout ('{STDOUT}')")
    seen: dict[Path, Output] = {}
    for o in outs.values():
        if o.path is None:
            continue
        other = seen.get(o.path)
        if other is not None:
            raise UsageError(None, f"{other.label} and {o.label} write the same file {o.path}")
        seen[o.path] = o
    return outs


# The bundled series folders (manifests, matrices, rules, reviewer patches): read by default, never written.
_BUNDLED = Path(__file__).resolve().parents[1] / "series"


def _read_by(path: Path, inputs: Iterable[Path | str | None]) -> str | None:
    """The input (a file given, or a folder given whose reading takes it in, or a bundled series file) that
    ``path`` is, or None."""
    for given in inputs:
        top = Path(given) if given is not None else None
        if top is None or not top.exists():
            continue  # a Message-ID, or a missing input (said when it is read)
        if top == _BUNDLED:
            if top.resolve() in path.resolve().parents:
                return f"the bundled series files, {top}"
            continue
        if top.is_dir():
            inside = top.resolve() in path.resolve().parents
            if inside and any(path.samefile(f) for f in iter_files(top) if f.name == path.name):
                return str(top)
        elif path.samefile(top):
            return str(top)
    return None


def check_out_dir(out: Path, option: str = "--out") -> Path:
    """A folder output (``apply --out``): not stdout, not a file, not a folder holding anything but an earlier
    output (refused here, naming the option, before any input is read), its parent existing; the folder to write
    (a symlink to a folder is written through: its target is replaced, the link kept)."""
    from harness.export import check_replaceable

    label = f"{option} {out}"
    if str(out) == STDOUT:
        raise UsageError(label, "a folder of files cannot go to stdout")
    try:
        target = out.resolve() if out.is_symlink() else out.absolute()
    except OSError as exc:  # a name or path longer than the system takes (ENAMETOOLONG): pathlib raises it
        raise UsageError(label, os_reason(exc)) from exc
    if target.exists() and not target.is_dir():
        raise UsageError(label, "not a directory")
    check_replaceable(target, label)
    if not target.parent.is_dir():
        raise UsageError(label, f"no such directory: {target.parent}")
    check_folder_writable(target.parent, label)
    return target


def check_fetching(lore: str, offline: bool, tree: Path | None = None, base: str | None = None,
                   max_age: int | None = None) -> None:
    """The options every command that reads inputs shares: --tree/--base (check_tree), --offline with
    --cache-max-age or another --lore (each refused with why), and a --lore URL (harness.lore.check_server).
    Raises UsageError."""
    from harness.lore import DEFAULT_LORE, check_server, server_root

    check_tree(tree, base)
    if offline and max_age is not None:
        raise UsageError(None, "--offline uses the cached copy whatever its age: give one of --offline and "
                               "--cache-max-age")
    check_server(lore, f"--lore {lore}")
    if lore.rstrip("/").endswith("/all"):  # the thread's path adds /all/MSGID/: /all/all/... is no thread
        raise UsageError(f"--lore {lore}", "give the server alone, as https://lore.kernel.org (without /all)")
    if offline and server_root(lore) != server_root(DEFAULT_LORE):  # the default however spelt: its cache
        raise UsageError(None, f"--offline never contacts --lore {lore}: give one of them")


def thread_max_age(minutes: int | None) -> int:
    """``--cache-max-age``: the minutes a fetched thread's copy is used for (harness.threadcache.DEFAULT_MAX_AGE unless
    given)."""
    from harness.threadcache import DEFAULT_MAX_AGE

    return DEFAULT_MAX_AGE if minutes is None else minutes


def outcome_folder(no_cache: bool) -> Path | None:
    """The outcome cache's folder, None with ``--no-cache``."""
    from harness.outcome_cache import default_cache_dir

    return None if no_cache else default_cache_dir()

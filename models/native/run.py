"""Building the generated C with the system's compiler and running it in a limited child process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path

from models.capped import Record
from models.ctype import CType, Int
from models.errnos import ERRNO_NAMES
from models.errors import MirrorError, UnsupportedConstruct
from models.machine import CLOSING_KINDS, SEAMLDR_BIT, Answer, Event, LogLine, SeamCall
from models.mirror import Outcome, OutcomeStatus, record_limits
from models.native.argslayout import ARGS_REGS
from models.native.codegen import NativeSource
from models.native.records import HEX_RECORD_MAX as HEX_RECORD_MAX  # re-exported: the tests take it from here
from models.native.records import SITE_FUNCTION, format_record, libc_line, pr_line, unescape
from models.native.records import FormatCount as FormatCount  # re-exported: harness.crosscheck takes it from here
from models.outcome import ErrorKind
from models.printk import shown, warning_site
from models.printklog import add_log, add_warn_message, level_prefix, printk_level, text_of
from models.record import record
from models.runcontext import CONTEXTS

REGS = ARGS_REGS
CFLAGS = ("-shared", "-fPIC", "-O1", "-std=gnu11", "-fwrapv", "-fno-strict-aliasing", "-funsigned-char",
          "-fgnu89-inline", "-w")


# What a native outcome's error starts with when the library did not load (the dynamic loader's message follows): no
# native run took place, so nothing is compared (harness.crosscheck).
NOT_LOADED = "the native library does not load"
# ... and when the run wrote into a buffer what the C library prints otherwise than lib/vsprintf.c (sh_native.c
# sh_vsnprintf(): a 'U' record): what the run did after it is not the kernel's, so it is not compared.
NOT_KERNEL_TEXT = "the native build's snprintf() is the C library's"
_SAID_LINES, _SAID_CHARS = 2, 300  # of a failed child's stderr kept in its run's error


class NativeError(MirrorError):
    """The generated C did not build, or no compiler is available."""


@record
class NativeRun:
    """One scenario for the native code: the entry wrapper, leaf, answers, pr_fmt and result type."""

    key: str
    wrapper: str
    leaf: int
    answers: tuple[Answer, ...]
    pr_fmt: str
    ret_type: CType
    cpu: int = 0  # the CPU the run is on (smp_processor_id())
    layout: tuple[str, ...] = ARGS_REGS  # the members of the code's struct tdx_module_args (argslayout.args_layout)
    regs_in: tuple[tuple[str, int], ...] = ()  # the members set before the run (the matrix script's inputs)
    context: str = "task"  # what the entry point is called from (models.runcontext.CONTEXTS)
    features: tuple[tuple[str, bool], ...] = ()  # the CPU features the script gives: (X86_FEATURE_* name, has it)
    entry: str = ""  # the entry point the wrapper calls: sh_call() names it where it returns with preemption off


def find_compiler(cc: str | None) -> str:
    """The path of ``cc`` (a name on PATH or a path), or of the first of cc, gcc, clang when it is None;
    NativeError when there is none. The flags are the harness's (CFLAGS): ``cc`` is one command."""
    if cc is not None and (not cc.strip() or any(ch.isspace() for ch in cc.strip())):
        raise NativeError("", f"--cc {cc!r}: give a compiler's name or path alone (the flags are seamharness's)")
    for name in ([cc] if cc else ["cc", "gcc", "clang"]):
        path = shutil.which(name)
        if path:
            return path
    if cc:  # named: "pass --cc" would ask for what was given
        raise NativeError("", f"--cc {cc}: no such compiler (not a path to one, nor a name on PATH)")
    raise NativeError("", "no C compiler found (cc, gcc, clang): install one or pass --cc")


# The harness's object by compiler and text, compiled with the unit's flags: once per process, not once per library
# (some 0.25 s of the 0.6 s of CPU each build took; a crosscheck builds one a variant, the tests hundreds).
_HARNESS_OBJECTS: dict[tuple[str, ...], bytes] = {}


def _harness_object(cc: str, workdir: Path, texts: tuple[str, ...]) -> Path | None:
    """sh_native.c compiled (``-c``, CFLAGS) into ``workdir``, from this process's copy when it has one; None when
    it did not build, so that the build compiles it with the unit and says what it always said."""
    obj = workdir / "sh_native.o"
    key = (cc, *texts)
    if key in _HARNESS_OBJECTS:
        obj.write_bytes(_HARNESS_OBJECTS[key])
        return obj
    cmd = [cc, *CFLAGS, "-c", "-I", str(workdir), "-o", str(obj), str(workdir / "sh_native.c")]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, close_fds=True, check=False)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0 or not obj.is_file() or obj.stat().st_size == 0:
        return None
    _HARNESS_OBJECTS[key] = obj.read_bytes()
    return obj


def build(source: NativeSource, cc: str, workdir: Path) -> Path:
    """Compile the generated unit and the harness into a shared library in ``workdir``."""
    native = resources.files("models.native")
    texts = tuple(native.joinpath(name).read_text() for name in ("sh_native.h", "sh_native.c"))
    for name, text in zip(("sh_native.h", "sh_native.c"), texts, strict=True):
        (workdir / name).write_text(text)
    (workdir / "gen.c").write_text(source.text)
    lib = workdir / "helpers.so"
    harness = _harness_object(cc, workdir, texts) or workdir / "sh_native.c"
    cmd = [cc, *CFLAGS, "-I", str(workdir), "-o", str(lib), str(workdir / "gen.c"), str(harness)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, close_fds=True, check=False)
    except subprocess.TimeoutExpired as exc:
        raise NativeError(str(workdir / "gen.c"), "the C compiler did not finish in 120 s") from exc
    if proc.returncode != 0:
        first = next((ln for ln in proc.stderr.splitlines() if "error" in ln), proc.stderr.strip()[:300]) \
            or f"{cc} exited with status {proc.returncode} and said nothing"
        raise NativeError(str(workdir / "gen.c"), f"the generated C does not build: {first}")
    if not lib.is_file() or lib.stat().st_size == 0:  # `--cc true`: no error, and nothing to run
        raise NativeError(str(workdir / "gen.c"), f"{cc} exited with status 0 but made no library: is it a C "
                                                  "compiler?")
    return lib


def gcc_int_type(mirror: CType, is_signed: bool, bits: int) -> CType:
    """The type of an entry's result: the mirror's when gcc's has its signedness and width, else gcc's shape."""
    if isinstance(mirror, Int) and mirror.signed == is_signed and mirror.bits == bits:
        return mirror
    return Int(bits, is_signed, 0, f"{'signed' if is_signed else 'unsigned'} {bits}-bit (gcc's type)")


def _payload(lib: Path, runs: list[NativeRun]) -> str:
    rows = []
    for r in runs:
        regs = [[dict(a.regs).get(name, 0) for name in REGS] for a in r.answers]
        masks = [sum(1 << i for i, name in enumerate(REGS) if name in dict(a.regs)) for a in r.answers]
        rows.append({"key": r.key, "wrapper": r.wrapper, "leaf": r.leaf, "codes": [a.code for a in r.answers],
                     "regs": regs, "masks": masks, "regs_in": [dict(r.regs_in).get(name, 0) for name in r.layout],
                     "pr_fmt": r.pr_fmt,
                     "cpu": r.cpu, "layout": [REGS.index(name) for name in r.layout],
                     "context": CONTEXTS[r.context], "features": [[n, int(has)] for n, has in r.features],
                     "entry": r.entry})
    return json.dumps({"lib": str(lib), "runs": rows})


def _child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": root, "LC_ALL": "C.UTF-8"}


def run_native(lib: Path, runs: list[NativeRun], timeout: float = 30.0,
               count: FormatCount | None = None, by_run: dict[str, FormatCount] | None = None) -> dict[str, Outcome]:
    """Run every request in a child; a crash or a hang costs only the run in progress. ``count`` counts who
    formatted the log records (FormatCount), ``by_run`` the same per run key (for the runs that reported)."""
    by_key = {r.key: r for r in runs}
    results: dict[str, Outcome] = {}
    pending = list(runs)
    while pending:
        # -S: the child needs the standard library and this package (PYTHONPATH) alone, not site's start-up. The
        # child bounds itself (models.native.child.limits) before it loads the library: a preexec_fn would make
        # Python fork() this whole process rather than vfork() it, milliseconds of CPU per hundred MB it holds.
        proc = subprocess.Popen([sys.executable, "-S", "-m", "models.native.child"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=True,
                                env=_child_env(), text=True)
        try:
            out, err = proc.communicate(_payload(lib, pending), timeout=timeout)
            why = None if proc.returncode == 0 else _death(proc.returncode) + _last_said(err)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            why = f"did not finish within {timeout:g} s{_last_said(err)}"
        for line in out.splitlines():
            rec = json.loads(line)
            if "load_error" in rec:  # every run of the library would fail alike: said once, never run one by one
                failed = Outcome(OutcomeStatus.ERROR, error=f"{NOT_LOADED}: {rec['load_error']}",
                                 error_kind=ErrorKind.UNSUPPORTED)
                results.update((r.key, failed) for r in pending if r.key not in results)
                break
            own = FormatCount()
            results[rec["key"]] = parse_records(rec["records"], rec["regs"], by_key[rec["key"]], own)
            if count is not None:
                count.add(own)
            if by_run is not None:
                by_run[rec["key"]] = own
        pending = [r for r in pending if r.key not in results]
        if why is None or not pending:
            break
        results[pending[0].key] = Outcome(OutcomeStatus.ERROR, error=f"native run {why}")
        pending = pending[1:]
    return results


def _last_said(err: str) -> str:
    """The last lines the child wrote to stderr (a Python traceback ends with its exception), bounded: what made it
    fail, for the message; '' when it said nothing."""
    lines = [ln.strip() for ln in err.splitlines() if ln.strip()][-_SAID_LINES:]
    said = " / ".join(lines)
    if len(said) > _SAID_CHARS:
        said = "..." + said[-_SAID_CHARS:]
    return f": {said}" if said else ""


def _death(code: int) -> str:
    if code < 0:
        return f"crashed with {signal.Signals(-code).name}"
    return f"exited with status {code}"


def _once(warnings: list[str], warned: set[str]) -> list[str]:
    """vsprintf.c's WARN_ONCE()s, each kind once per run (models.printkargs.vsprintf_warning)."""
    out = []
    for w in warnings:
        if warning_site(w) not in warned:
            warned.add(warning_site(w))
            out.append(w)
    return out


def _warned(log: Record[LogLine], events: Record[Event], warnings: list[str], warned: set[str]) -> list[str]:
    """vsprintf.c's WARN_ONCE()s not yet raised: each message a record, each a warning event
    (models.printkargs.vsprintf_warning); the ones raised."""
    fresh = _once(warnings, warned)
    for w in fresh:
        add_warn_message(log, w)
        events.append(Event("warning", w, "native"))
    return fresh


def parse_records(records: str, regs: list[int], run: NativeRun, count: FormatCount | None = None) -> Outcome:
    """The child's tab-separated records as an Outcome comparable with the mirror's (an error outcome when
    a pr_*() call's pr_fmt is one the mirror refuses); ``count`` counts who formatted each log record."""
    try:
        return _parse_records(records, regs, run, count)
    except UnsupportedConstruct as exc:  # what the records mean is not known: not compared (harness.crosscheck)
        return Outcome(OutcomeStatus.ERROR, error=str(exc), error_kind=ErrorKind.UNSUPPORTED)
    except MirrorError as exc:
        return Outcome(OutcomeStatus.ERROR, error=str(exc))


def _seamcall(f: list[str]) -> SeamCall:
    """A SEAMCALL record's fields: function, leaf, preempt count, irqs, ..., then per-CPU values and registers."""
    pairs = [x.split("=", 1) for x in f[5:]]
    percpu = tuple(sorted((k, int(v)) for k, v in pairs if not k.startswith("@")))
    passed = tuple((k[1:], int(v)) for k, v in pairs if k.startswith("@"))  # registers passed in, "@rcx=5"
    leaf = int(f[1])
    return SeamCall(f[0], leaf, "P-SEAMLDR" if leaf & SEAMLDR_BIT else "TDX module", int(f[2]),
                    int(f[3]), f[4] == "1", percpu, "native", passed)


def _warn_record(f: list[str], run: NativeRun, libc: str | None, count: FormatCount | None,
                 kept: tuple[Record[LogLine], Record[Event]], warnings: list[str], warned: set[str]) -> None:
    """A WARN() record: its message's format warnings, the message as a log record of its own, the event."""
    log, events = kept
    full = format_record(f[0], f[1:], warnings, run.pr_fmt, libc=libc, count=count)
    _warned(log, events, warnings, warned)
    level, rest = printk_level(full)
    add_log(log, level, rest, b"", 0, len(full) - len(rest))
    events.append(Event("warning", "WARN", "native"))


def _parse_records(records: str, regs: list[int], run: NativeRun, count: FormatCount | None) -> Outcome:
    # Kept and counted as the mirror keeps them, so a long run compares equal on both sides.
    calls: Record[SeamCall] = Record()
    log: Record[LogLine] = Record()
    events: Record[Event] = Record()
    ret: int | None = None
    warned: set[str] = set()
    log_open = 0
    before, after = dict[str, str](), dict[str, str]()  # a site's value at the first S record, and at a later one
    ret_type = run.ret_type
    deadlock: str | None = None
    lines = records.splitlines()
    for i, line in enumerate(lines):
        kind, *f = line.split("\t")
        warnings: list[str] = []
        libc = libc_line(lines[i + 1] if i + 1 < len(lines) else None)
        if kind == "C":
            calls.append(_seamcall(f))
        elif kind in ("L", "P"):
            if kind == "L":
                full = level_prefix(f[0]) + pr_line(f, warnings, run.pr_fmt, libc, count)
            else:
                full = format_record(f[0], f[1:], warnings, run.pr_fmt, libc=libc, count=count)
            level, rest = printk_level(full)
            fresh, warnings = _warned(log, events, warnings, warned), []  # printed before the record
            log_open = add_log(log, level, rest, b"", 0 if fresh else log_open, len(full) - len(rest))
        elif kind == "E":
            events.append(Event(f[0], text_of(unescape(f[1])), "native"))
            log_open = 0 if f[0] in CLOSING_KINDS else log_open  # the kernel's report finalizes an open record
        elif kind == "W":  # WARN(): its message a record of its own between the kernel's lines (models.kernel._warn)
            _warn_record(f, run, libc, count, (log, events), warnings, warned)
            warnings, log_open = [], 0
        elif kind == "S":
            (after if f[0] in before else before)[f[0]] = f[1]
        elif kind == "D":  # sh_native.c deadlock(): the run ended there, as the mirror's Deadlock ends it
            deadlock = text_of(unescape(f[0]))
        elif kind == "U":
            raise UnsupportedConstruct("", f"{NOT_KERNEL_TEXT}, which prints \"{shown(f[0])}\" otherwise than "
                                           "lib/vsprintf.c does (a conversion C99 reads another way: %#x of 0, a "
                                           "precision of 0, %p...): what the run did with that text is not the "
                                           "kernel's")
        elif kind == "R" and f[0] != "void":
            ret = int(f[0])
            if len(f) == 3:  # the type's signedness and width: gcc's in a raw build (models/native/rawtu.py)
                ret_type = gcc_int_type(run.ret_type, f[1] == "1", int(f[2]))
        _warned(log, events, warnings, warned)
    t = ret_type
    errno = ERRNO_NAMES.get(-ret) if isinstance(t, Int) and t.signed and ret is not None and ret < 0 else None
    status, error_kind = (OutcomeStatus.OK, None) if deadlock is None else (OutcomeStatus.ERROR, ErrorKind.DEADLOCK)
    regs_out = tuple((n, v) for n, v in zip(run.layout, regs, strict=True) if v)
    return Outcome(status, tuple(calls), ret, t.name() if deadlock is None else None, errno, tuple(log),
                   tuple(events), regs_out, deadlock, error_kind,
                   record_limits(calls, log, events), calls.dropped, log.dropped, events.dropped,
                   tuple(sorted((n.partition(SITE_FUNCTION)[0], v) for n, v in after.items() if v != before.get(n))),
                   log_open > 0)
